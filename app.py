"""Back on Track: page configuration and navigation, nothing else."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.layout import sidebar
from ui.state import current_profile, follow_pending_switch, get_store

ICON = Path(__file__).resolve().parent / "assets" / "icon.png"
st.set_page_config(page_title="Back on Track", page_icon=str(ICON))

store = get_store()
profile = current_profile(store)

if profile is None:
    pages = [
        st.Page("views/setup.py", title="Welcome", icon=":material/waving_hand:", default=True)
    ]
else:
    pages = [
        st.Page("views/today.py", title="Today", icon=":material/today:", default=True),
        st.Page("views/exercises.py", title="Exercises", icon=":material/fitness_center:"),
        st.Page("views/session.py", title="Session", icon=":material/timer:"),
        st.Page("views/progress.py", title="Progress", icon=":material/monitoring:"),
        st.Page("views/weekly_review.py", title="Weekly review", icon=":material/event_note:"),
        st.Page("views/share_export.py", title="Share & export", icon=":material/ios_share:"),
        st.Page("views/settings.py", title="Settings", icon=":material/settings:"),
        st.Page(
            "views/setup.py",
            title="Add a profile",
            icon=":material/person_add:",
            url_path="setup",
            visibility="hidden",
        ),
    ]

navigation = st.navigation(pages)
follow_pending_switch()
sidebar(store, profile)
navigation.run()
