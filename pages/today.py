"""Today: a greeting, today's programme at a glance, and the way into a session."""

from __future__ import annotations

import streamlit as st

from core.catalog import estimate_duration_s, filter_programme
from core.describe import describe_item, format_minutes
from ui.layout import seek_care_panel
from ui.state import get_catalog, get_store, require_profile

store = get_store()
catalog = get_catalog()
profile = require_profile(store)

st.title(f"Hello, {profile.name}" if profile.name else "Today")

if profile.needs_care_first:
    seek_care_panel()
    st.stop()

programme = filter_programme(store.get_programme(profile.id), catalog, profile.recent_surgery)
if not programme:
    st.info(
        "You have no programme yet. Choose a preset or pick exercises on the Exercises page.",
        icon=":material/playlist_add:",
    )
    st.page_link("pages/exercises.py", label="Build my programme", icon=":material/add:")
    st.stop()

minutes = format_minutes(estimate_duration_s(programme, catalog, lead_in_s=profile.lead_in_s))
st.subheader(f"Today's programme: {len(programme)} exercises, {minutes}")
for position, item in enumerate(programme, 1):
    exercise = catalog.get(item.exercise_id)
    st.markdown(f"{position}. **{exercise.name}** · {describe_item(exercise, item)}")
st.page_link("pages/session.py", label="Go to the session", icon=":material/play_arrow:")
st.page_link("pages/exercises.py", label="Change my programme", icon=":material/edit:")
