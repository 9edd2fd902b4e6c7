"""Progress: adherence, the pain trend against the six-week window, exercises, check-ins."""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import streamlit as st

from core import charts, metrics
from core.models import Profile
from core.store import data_version
from ui import clock
from ui.state import get_catalog, get_store, require_profile

CUSTOM = "custom"


@st.cache_data(show_spinner=False, max_entries=32)
def _progress_view(
    _con: duckdb.DuckDBPyConnection,
    _profile: Profile,
    profile_id: str,
    version: int,
    start: date,
    end: date,
    today: date,
    _names: dict[str, str],
) -> dict[str, Any]:
    """Every number and figure of the page, cached on (profile, data version, range, today)."""
    con, profile = _con, _profile
    status = metrics.six_week_status(con, profile, today)
    reference = (
        None
        if status.baseline is None
        else metrics.reference_course(status.baseline, profile.programme_start)
    )
    table = metrics.exercise_table(con, profile, start, end)
    pgic = metrics.pgic_series(con, profile, start, end)
    psfs = metrics.psfs_series(con, profile, start, end)
    figures = {
        "calendar": charts.adherence_calendar(metrics.session_days(con, profile, start, end)),
        "weekly": charts.weekly_adherence_chart(metrics.weekly_adherence(con, profile, start, end)),
        "pain": charts.pain_trend_chart(
            metrics.pain_points(con, profile, start, end),
            metrics.pain_rolling(con, profile, start, end),
            status,
            reference,
            programme_start=profile.programme_start,
            start=start,
            end=end,
        ),
        "exercise": charts.exercise_pain_chart(table, _names),
        "pgic": charts.pgic_chart(pgic),
        "psfs": charts.psfs_chart(psfs),
    }
    return {
        "status": status,
        "has_pgic": not pgic.empty,
        "has_psfs": not psfs.empty,
        "table": charts.exercise_table_display(table, _names),
        "dose": charts.dose_table_display(
            metrics.dose_by_exercise(con, profile, start, end), _names
        ),
        # Plain dicts: cheap to copy out of the cache, drawn as they are.
        "figures": {name: figure.to_dict() for name, figure in figures.items()},
    }


@st.cache_data(show_spinner=False, max_entries=32)
def _extent(
    _con: duckdb.DuckDBPyConnection, _profile: Profile, profile_id: str, version: int
) -> tuple[date | None, date | None]:
    return metrics.data_extent(_con, _profile)


store = get_store()
profile = require_profile(store)
names = {exercise.id: exercise.name for exercise in get_catalog()}
today = metrics.local_today(profile, clock.now())
version = data_version(profile.id)
first_day, _ = _extent(store.con, profile, profile.id, version)

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

presets = {**metrics.RANGE_PRESETS, CUSTOM: "Choose dates"}
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
        default = metrics.preset_range("programme", profile, today, first_day)
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
    start, end = metrics.preset_range(preset, profile, today, first_day)

view = _progress_view(store.con, profile, profile.id, version, start, end, today, names)
status: metrics.SixWeekStatus = view["status"]
figures: dict[str, dict[str, Any]] = view["figures"]

show_status = {"success": st.success, "warning": st.warning, "info": st.info}[status.tone]
show_status(f"**{status.line}**", icon=":material/flag:")
if status.detail:
    st.caption(status.detail)
st.caption(
    "Meaningful improvement: your 7-day average pain at least 30% below your baseline, the "
    "threshold recommended for judging one person's change (Ostelo et al. 2008, Spine); the "
    "2-point change is shown beside it. Baseline: the average of your ratings in the first "
    "programme week (or your setup rating if that week has none)."
)
if status.state == "first_week":
    st.info(
        "This is your first programme week: your ratings this week set your baseline. From "
        "week 2 the pain chart compares your 7-day average with it.",
        icon=":material/hourglass_top:",
    )
st.caption(
    f"Showing {metrics.format_day(start)} to {metrics.format_day(end)}, in your time zone "
    f"({profile.time_zone})."
)

st.subheader("Days you exercised")
st.plotly_chart(figures["calendar"], config=charts.CHART_CONFIG, key="progress_calendar")
st.caption(
    "One square per day, weeks starting on Monday. A session counts once at least one hold "
    "or repetition is done. The last 12 months of the range are shown."
)

st.subheader("Sessions per week")
st.plotly_chart(figures["weekly"], config=charts.CHART_CONFIG, key="progress_weekly")
st.caption(
    f"Bars: sessions each week against your target of {profile.weekly_target} (dashed line), "
    "with the percentage. Dose: the holds and repetitions you did out of those your sessions "
    "prescribed."
)
with st.expander("Dose by exercise and side"):
    st.dataframe(view["dose"], hide_index=True, placeholder="–", key="progress_dose_table")

st.subheader("Pain trend")
st.plotly_chart(figures["pain"], config=charts.CHART_CONFIG, key="progress_pain")
st.caption(
    "Points: your ratings before and after sessions, at check-ins and at setup (daily or "
    "weekly averages when the range is long). Black line: 7-day average. Shaded: programme "
    "weeks 1-6. Dashed red line: the published average course of acute low back pain "
    "(Menezes Costa et al. 2012, CMAJ: 52/100 at the start, 23 at 6 weeks, 12 at 26 weeks, "
    "6 at 52 weeks), scaled to your baseline: a population average, not a forecast for you. "
    "The source article says about 80 to 90% of physical therapy patients with acute lower "
    "back pain felt better after six weeks (it credits Penn Medicine): that is the article's "
    "claim, not a promise."
)

st.subheader("Exercises")
st.dataframe(
    view["table"],
    hide_index=True,
    placeholder="–",
    column_config={
        "Exercise": st.column_config.Column(pinned=True),
        **{
            name: st.column_config.NumberColumn(help=text, format="%.1f")
            if name in charts.EXERCISE_PAIN_COLUMNS
            else st.column_config.Column(help=text)
            for name, text in charts.EXERCISE_COLUMN_HELP.items()
        },
    },
    key="progress_exercise_table",
)
st.caption(
    "Exercises to discuss with your therapist come first: those stopped for pain in two "
    "sessions in a row. Pain before and after: averages over sessions that included the "
    "exercise and have both ratings."
)
st.plotly_chart(figures["exercise"], config=charts.CHART_CONFIG, key="progress_exercise_pain")

st.subheader("Weekly check-ins")
pgic_column, psfs_column = st.columns(2)
with pgic_column:
    st.markdown("**How your back has changed overall (PGIC)**")
    if view["has_pgic"]:
        st.plotly_chart(figures["pgic"], config=charts.CHART_CONFIG, key="progress_pgic")
    else:
        st.caption("Your weekly answers to “how has your back changed?” will appear here.")
with psfs_column:
    st.markdown("**Activities you named (PSFS)**")
    if view["has_psfs"]:
        st.plotly_chart(figures["psfs"], config=charts.CHART_CONFIG, key="progress_psfs")
    else:
        st.caption("Your weekly ratings of the activities you named will appear here.")
st.caption(
    "Fill in the check-in on the Weekly review page. PSFS: a change of about 2 points in "
    "the score is meaningful."
)
st.page_link("views/weekly_review.py", label="Open the weekly review", icon=":material/event_note:")
