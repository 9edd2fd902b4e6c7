"""Blocks several pages share: the sidebar with the not-medical-advice line (the safety blocks
are in ui/safety.py)."""

from __future__ import annotations

import streamlit as st

from core.db.store import Store
from core.domain.explain import NOT_ADVICE
from core.domain.models import Profile
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
