"""Blocks several pages share: the sidebar, the red-flag panel, the not-medical-advice line."""

from __future__ import annotations

import streamlit as st

from core.db.store import Store
from core.domain.explain import NOT_ADVICE
from core.domain.models import Profile
from core.domain.safety import RED_FLAGS
from ui.state import list_profiles, select_profile


def sidebar(store: Store, profile: Profile | None) -> None:
    """Profile switcher (when the file holds several) and the not-medical-advice line."""
    with st.sidebar:
        if profile is not None:
            profiles = list_profiles(store)
            if len(profiles) > 1:
                names = {p.id: p.name or f"Profile {i + 1}" for i, p in enumerate(profiles)}
                chosen = st.selectbox(
                    "Profile",
                    options=list(names),
                    index=list(names).index(profile.id),
                    format_func=names.__getitem__,
                    key="sidebar_profile",
                )
                if chosen != profile.id:
                    select_profile(chosen)
                    st.rerun()
        st.caption(NOT_ADVICE)


def red_flag_list() -> None:
    """The warning signs that mean urgent care rather than exercise."""
    st.markdown("\n".join(f"- {text}" for text in RED_FLAGS.values()))


def seek_care_panel() -> None:
    """Shown instead of exercise to anyone who ticked a red flag."""
    st.error(
        "**Please get medical help now, before doing any exercises.**\n\n"
        "You told us about a warning sign that can mean a serious problem with the nerves "
        "or spine. Call your doctor today, or go to urgent care or an emergency department "
        "if it is sudden or getting worse. Exercises are not the right step until a "
        "clinician has checked you.",
        icon=":material/emergency:",
    )
    st.page_link(
        "views/settings.py",
        label="A clinician has checked me: update my answers in Settings",
        icon=":material/settings:",
    )
