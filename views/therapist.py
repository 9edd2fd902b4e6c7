"""The therapist's read-only view: one profile's dashboard and weeks, within the link's dates.

Reached only through ``app.py`` with a valid share token. It has no widget at all: nothing
to type, pick or press that could change anything, and no navigation. The report is a
plain download link.
"""

from __future__ import annotations

import streamlit as st

from core import dashboard as core_dashboard
from core import metrics, report
from core.store import data_version
from ui import access, clock, dashboard
from ui.state import get_catalog, get_store
from ui.text import md_escape

grant = access.current_grant()
if grant is None:  # app.py routes here only with a grant; never show anything without one
    access.invalid_link_page()
    st.stop()

access.watch_link()
store = get_store()
owner = store.get_profile(grant.profile_id)
names = {exercise.id: exercise.name for exercise in get_catalog()}
today = metrics.local_today(owner, clock.now())
days = core_dashboard.shared_range(store.con, owner, grant.range_start, grant.range_end, today)
who = md_escape(owner.name.strip()) if owner.name.strip() else "your patient"

st.title(f"{who}'s progress" if owner.name.strip() else "Shared progress")
st.markdown(
    f":material/visibility: **"
    f"{md_escape(core_dashboard.shared_header(owner.name, grant.expires_at, owner.time_zone))}**"
)

if days is None:
    st.info(
        f"This link covers {core_dashboard.range_words(grant.range_start, grant.range_end)}, "
        "which has not started yet. Open it again then.",
        icon=":material/event_upcoming:",
    )
    st.stop()

start, end = days
version = data_version(owner.id)
shared = dashboard.shared_dashboard(store.con, owner.id, version, start, end, names)
profile = shared.profile
st.caption(
    f"Records from {metrics.format_day(start)} to {metrics.format_day(end)} (the dates this "
    f"link covers), in {who}'s time zone ({profile.time_zone}); programme started "
    f"{metrics.format_day(profile.programme_start)}, target {profile.weekly_target} sessions a "
    f"week. This is a read-only copy of what {who} sees in Back on Track, so the texts speak "
    f"to {who}. Figures that need records from outside these dates are left out."
)

if not shared.has_data:
    st.info(
        f"No sessions or pain ratings between {metrics.format_day(start)} and "
        f"{metrics.format_day(end)}.",
        icon=":material/monitoring:",
    )
    st.stop()

progress_tab, weeks_tab, report_tab = st.tabs(["Progress", "Weekly review", "Report"])
with progress_tab:
    note = core_dashboard.baseline_note(profile, start)
    if note:
        st.caption(note)
    dashboard.progress_body(shared.dashboard, profile, key_prefix="shared")

with weeks_tab:
    st.caption(f"Weeks start on Monday in {who}'s time zone ({profile.time_zone}).")
    st.dataframe(shared.weekly, hide_index=True, key="shared_weekly_table")
    for index, review in enumerate(shared.reviews):
        label = metrics.week_label(review.week_start, end)
        with st.expander(label, expanded=index == 0):
            dashboard.week_summary(review, names)

with report_tab:
    st.markdown(
        "The same dashboard and weekly summaries as one HTML file, to keep, print or attach "
        "to notes. It opens in any browser, also without a network connection (about 5 MB: "
        "the chart library is inside)."
    )
    html_text = dashboard.report_html(
        store.con,
        owner,
        owner.id,
        version,
        start,
        end,
        end,
        True,
        names,
    )
    dashboard.report_download(
        html_text,
        report.report_file_name(owner, end),
        "Download the report (HTML)",
        key="therapist_report",
    )
