"""Blocks several pages share: the sidebar, the red-flag panel, the not-medical-advice line."""

from __future__ import annotations

import streamlit as st

from core.db.store import Store
from core.domain.explain import NOT_ADVICE
from core.domain.models import Profile
from core.domain.safety import RED_FLAGS
from core.sharing import pins
from ui import household
from ui.state import select_profile


def sidebar(store: Store, profile: Profile | None) -> None:
    """Profile switcher (when the file holds several), a lock button for a profile with a
    PIN, the cookie that remembers the choice, and the not-medical-advice line."""
    with st.sidebar:
        if profile is not None:
            names = household.profile_labels(store)
            if len(names) > 1:
                # Keyed by the current profile: a choice made elsewhere (another tab, a
                # restore) shows here at once instead of a stale selection.
                chosen = st.selectbox(
                    "Profile",
                    options=list(names),
                    index=list(names).index(profile.id),
                    format_func=names.__getitem__,
                    key=f"sidebar_profile_{profile.id}",
                )
                if chosen != profile.id:
                    select_profile(chosen)
                    st.rerun()
            unlocked = pins.pin_hash(store, profile.id) is not None and not household.is_locked(
                store, profile
            )
            if unlocked and st.button(
                f"Lock {names[profile.id]}'s records", icon=":material/lock:", key="lock_profile"
            ):
                household.lock(profile.id)
                st.rerun()
        household.write_profile_cookie()
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
