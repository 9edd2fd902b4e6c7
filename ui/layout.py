"""Blocks several pages share: the sidebar with the not-medical-advice line (the safety blocks
are in ui/safety.py)."""

from __future__ import annotations

import streamlit as st

from core.db.store import Store
from core.domain.days import local_today
from core.domain.explain import NOT_ADVICE
from core.domain.models import Profile
from core.domain.reminders import next_reminder
from core.progress.adherence import sessions_on
from ui import clock, household
from ui.reminders import reminder_clock
from ui.state import pin_hash, select_profile


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
            unlocked = pin_hash(store, profile.id) is not None and not household.is_locked(
                store, profile
            )
            if unlocked and st.button(
                f"Lock {names[profile.id]}'s records", icon=":material/lock:", key="lock_profile"
            ):
                household.lock(profile.id)
                st.rerun()
        household.write_profile_cookie()
        if profile is not None and profile.reminder_on and not household.is_locked(store, profile):
            # The reminder in an open tab: on every page, since any page may be the one open.
            today = local_today(profile, clock.now())
            reminder = next_reminder(
                profile,
                clock.now(),
                done_today=sessions_on(store, profile, today) > 0,
                in_session=store.active_session(profile.id) is not None,
            )
            reminder_clock(reminder, profile_id=profile.id, key="reminder_clock")
        st.caption(NOT_ADVICE)
