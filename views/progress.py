"""Progress: adherence, the pain trend against the six-week window, exercises, check-ins,
in three sections (tabs) of which only the open one is built and drawn."""

from __future__ import annotations

from datetime import date

import streamlit as st

from core.db.store import Store
from core.db.versions import data_version
from core.domain.days import local_today
from core.domain.models import Profile
from core.progress.ranges import RANGE_PRESETS, data_extent, preset_range
from ui import clock, dashboard
from ui.state import get_catalog, get_store, require_profile

CUSTOM = "custom"


@st.cache_data(show_spinner=False, max_entries=32)
def _extent(
    _store: Store, _profile: Profile, profile_id: str, version: int
) -> tuple[date | None, date | None]:
    return data_extent(_store, _profile)


store = get_store()
profile = require_profile(store)
names = {exercise.id: exercise.name for exercise in get_catalog()}
today = local_today(profile, clock.now())
version = data_version(profile.id)
first_day, _ = _extent(store, profile, profile.id, version)

st.title("Progress")

if first_day is None:
    st.info(
        "**Nothing to show yet.** Once you finish a session or rate your pain, this page "
        "shows:\n\n"
        "- a calendar of the days you exercised (completed, partial or stopped for pain),\n"
        "- your sessions each week against your target of "
        f"{profile.weekly_target},\n"
        "- your pain trend against your baseline and the six-week window,\n"
        "- which exercises go with more or less pain, and your weekly check-ins.",
        icon=":material/monitoring:",
    )
    st.page_link("views/session.py", label="Start a session", icon=":material/play_arrow:")
    st.stop()

presets = {**RANGE_PRESETS, CUSTOM: "Choose dates"}
left, right = st.columns([1, 1])
with left:
    preset = st.selectbox(
        "Show",
        options=list(presets),
        format_func=presets.__getitem__,
        key="progress_range",
    )
if preset == CUSTOM:
    with right:
        default = preset_range("programme", profile, today, first_day)
        chosen = st.date_input(
            "From – to",
            value=default,
            max_value=today,
            key="progress_custom_range",
            format="YYYY-MM-DD",
        )
    if not isinstance(chosen, tuple) or len(chosen) != 2:
        st.info("Pick the last day of the range too.", icon=":material/date_range:")
        st.stop()
    start, end = chosen
else:
    start, end = preset_range(preset, profile, today, first_day)

dashboard.range_caption(start, end, profile)
# Only the open section is built and drawn: seven charts at once cost a visit about as
# much again as the page itself (the benchmark's Chromium figures).
tabs = dict(
    zip(
        dashboard.SECTION_TITLES,
        st.tabs(list(dashboard.SECTION_TITLES.values()), key="progress_section", on_change="rerun"),
        strict=True,
    )
)
section = next((name for name, tab in tabs.items() if tab.open), "summary")
with_dose = section == "summary" and dashboard.dose_open("progress")
data = dashboard.owner_section(
    store, profile, profile.id, version, start, end, today, section, with_dose, names
)
with tabs[section]:
    dashboard.section_body(data, profile, section, key_prefix="progress")
st.caption("Fill in the weekly check-in on the Weekly review page.")
st.page_link("views/weekly_review.py", label="Open the weekly review", icon=":material/event_note:")
dashboard.next_step(data.status)
