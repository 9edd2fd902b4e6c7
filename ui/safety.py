"""The safety blocks several pages share: the two lists of warning signs with what to do,
the panel that puts medical help before exercise, and the form to report a sign."""

from __future__ import annotations

import streamlit as st

from core.db.answers import ReportedSign, report_signs
from core.db.store import Store, StoreError
from core.domain import explain
from core.domain.models import Profile
from core.domain.safety import TIER_ACTION, TIERS, Tier, signs_of
from core.domain.validation import ValidationError
from core.domain.wording import format_instant


def warning_sign_lists() -> None:
    """Both tiers of warning signs, each under the action it asks for, then stay-active advice."""
    for tier in TIERS:
        st.markdown(f"**{TIER_ACTION[tier]} if you have:**")
        st.markdown("\n".join(f"- {sign.text}" for sign in signs_of(tier)))
    st.info(explain.STAY_ACTIVE, icon=":material/directions_walk:")


def severe_pain_block(pain: int) -> None:
    """Shown wherever a rating of 8 or more is given: what to do, first."""
    st.error(f"**You rated your pain {pain}.** {explain.SEVERE_PAIN}", icon=":material/emergency:")
    warning_sign_lists()


def care_first_panel(tier: Tier, signs: list[ReportedSign], time_zone: str) -> None:
    """Shown instead of exercise while a reported sign is open: the most urgent action first,
    then the open signs under the action each asks for."""
    st.error(f"**{TIER_ACTION[tier]}.** {explain.CARE_FIRST}", icon=":material/emergency:")
    tiers = [each for each in TIERS if any(item.tier == each for item in signs)]
    for each in tiers:
        heading = "You reported" if len(tiers) == 1 else TIER_ACTION[each]
        st.markdown(f"**{heading}:**")
        st.markdown(
            "\n".join(
                f"- {item.sign.text} (reported {format_instant(item.reported_at, time_zone)})"
                for item in signs
                if item.tier == each
            )
        )
    st.page_link(
        "views/settings.py",
        label="A clinician has checked me: say so in Settings",
        icon=":material/settings:",
    )


def report_signs_form(store: Store, profile: Profile, *, key: str) -> None:
    """A form to report warning signs now. The signs are saved in the button's callback,
    before the page reruns (which then leads with what to do), and the boxes are cleared
    only once they are saved, so a second press cannot report the same signs again."""
    error_key = f"{key}_error"
    boxes = {sign.id: f"{key}_{sign.id}" for tier in TIERS for sign in signs_of(tier)}

    def report() -> None:
        ticked = [sign_id for sign_id, box in boxes.items() if st.session_state.get(box)]
        try:
            report_signs(store, profile, ticked)
        except (ValidationError, StoreError) as error:
            st.session_state[error_key] = str(error)
            return
        for box in boxes.values():
            st.session_state[box] = False

    with st.form(f"{key}_form"):
        st.markdown("Tick any sign you have now. It is saved with today's date and time.")
        for tier in TIERS:
            st.markdown(f"**{TIER_ACTION[tier]} if you have:**")
            for sign in signs_of(tier):
                st.checkbox(sign.text, key=boxes[sign.id])
        st.form_submit_button(
            "Report these signs", type="primary", key=f"{key}_submit", on_click=report
        )
    if (message := st.session_state.pop(error_key, None)) is not None:
        st.error(message)
