"""The therapist's read-only view: one profile's dashboard and weeks, within the link's dates.

Reached only through ``app.py`` with a valid share token. Nothing on it can change anything:
its only controls choose what of the link's own records is drawn (the sections, older weeks),
and the report is a plain download link. Only the open section is built and drawn, and the
weekly review reads its weeks a page at a time, so a link opens about as fast as a page of
one chart, whatever its range.
"""

from __future__ import annotations

import streamlit as st

from core.db.versions import data_version
from core.domain.explain import baseline_note
from core.domain.wording import format_day
from core.progress import report
from core.sharing.links import range_words, shared_header
from ui import access, dashboard
from ui.state import get_catalog, get_store
from ui.text import md_escape

grant = access.current_grant()
if grant is None:  # app.py routes here only with a grant; never show anything without one
    access.show_invalid_link()
    st.stop()

access.watch_link()
store = get_store()
owner, days = dashboard.shared_opening(store, grant)
names = {exercise.id: exercise.name for exercise in get_catalog()}
who = md_escape(owner.name.strip()) if owner.name.strip() else "your patient"

st.title(f"{who}'s progress" if owner.name.strip() else "Shared progress")
st.markdown(
    f":material/visibility: **"
    f"{md_escape(shared_header(owner.name, grant.expires_at, owner.time_zone))}**"
)

if days is None:
    st.info(
        f"This link covers {range_words(grant.range_start, grant.range_end)}, "
        "which has not started yet. Open it again then.",
        icon=":material/event_upcoming:",
    )
    st.stop()

start, end = days
version = data_version(owner.id)
header = dashboard.shared_header(store, grant.link_id, owner.id, version, start, end)
profile = header.profile
st.caption(
    f"Records from {format_day(start)} to {format_day(end)} (the dates this "
    f"link covers), in {who}'s time zone ({profile.time_zone}); programme started "
    f"{format_day(profile.programme_start)}, target {profile.weekly_target} sessions a "
    f"week. This is a read-only copy of what {who} sees in Back on Track, so the texts speak "
    f"to {who}. Figures that need records from outside these dates are left out."
)

if not header.has_data:
    st.info(
        f"No sessions or pain ratings between {format_day(start)} and {format_day(end)}.",
        icon=":material/monitoring:",
    )
    st.stop()

summary_tab, exercises_tab, checkins_tab, weeks_tab, report_tab = st.tabs(
    [*dashboard.SECTION_TITLES.values(), "Weekly review", "Report"],
    key="shared_section",
    on_change="rerun",
)


def section(name: str) -> dashboard.DashboardData:
    """One section's figures and tables (built the first time it is opened for this link)."""
    with_dose = name == "summary" and dashboard.dose_open("shared")
    return dashboard.shared_section(
        store, grant.link_id, owner.id, version, start, end, name, with_dose, names
    )


if summary_tab.open:
    with summary_tab:
        note = baseline_note(profile.programme_start, start)
        if note:
            st.caption(note)
        dashboard.range_caption(start, end, profile)
        dashboard.section_body(section("summary"), profile, "summary", key_prefix="shared")

if exercises_tab.open:
    with exercises_tab:
        dashboard.section_body(
            section("days"), profile, "days", key_prefix="shared", exercise_figures_shown=True
        )

if checkins_tab.open:
    with checkins_tab:
        dashboard.section_body(section("checkins"), profile, "checkins", key_prefix="shared")

if weeks_tab.open:
    with weeks_tab:
        st.caption(f"Weeks start on Monday in {who}'s time zone ({profile.time_zone}).")
        dashboard.shared_weeks_section(store, grant.link_id, owner.id, version, start, end, names)

if report_tab.open:
    with report_tab:
        st.markdown(
            "The same dashboard and weekly summaries as one HTML file, to keep, print or "
            "attach to notes. It opens in any browser, also without a network connection "
            "(about 5 MB: the chart library is inside)."
        )
        dashboard.report_download(
            dashboard.later_report(store, owner, start, end, names),
            report.report_file_name(owner, end),
            "Download the report (HTML)",
            key="therapist_report",
        )
