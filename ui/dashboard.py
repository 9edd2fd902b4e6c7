"""The Progress dashboard and the weekly summary, drawn the same for the owner and a therapist.

The numbers come from :mod:`core.dashboard`; this module only caches them at the page
boundary (keyed on the profile, its data version and the range) and renders them. Nothing
here writes: the therapist view is built from these functions alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from core import charts, checkins, dashboard, metrics, report
from core.html_table import TABLE_CLASS, TABLE_CSS, html_table
from core.models import Profile
from core.scope import scoped_store


@dataclass(frozen=True)
class DashboardData:
    """A computed dashboard, ready to draw: figures as plain dicts (cheap to copy from a cache)."""

    start: date
    end: date
    status: metrics.SixWeekStatus
    figures: dict[str, dict[str, Any]]
    table: pd.DataFrame
    dose: pd.DataFrame
    has_pgic: bool
    has_psfs: bool


@dataclass(frozen=True)
class SharedData:
    """What the therapist view shows: the dashboard and the weeks, from the link's range only."""

    profile: Profile
    has_data: bool
    dashboard: DashboardData
    reviews: tuple[metrics.WeeklyReview, ...]
    weekly: pd.DataFrame


def _plain(view: dashboard.ProgressView) -> DashboardData:
    return DashboardData(
        start=view.start,
        end=view.end,
        status=view.status,
        figures={name: figure.to_dict() for name, figure in view.figures.items()},
        table=view.table,
        dose=view.dose,
        has_pgic=view.has_pgic,
        has_psfs=view.has_psfs,
    )


@st.cache_data(show_spinner=False, max_entries=32)
def owner_dashboard(
    _con: duckdb.DuckDBPyConnection,
    _profile: Profile,
    profile_id: str,
    version: int,
    start: date,
    end: date,
    today: date,
    _names: Mapping[str, str],
) -> DashboardData:
    """The owner's dashboard, cached on (profile, data version, range, today)."""
    return _plain(dashboard.progress_view(_con, _profile, start, end, today, _names))


@st.cache_data(show_spinner=False, max_entries=32)
def shared_dashboard(
    _con: duckdb.DuckDBPyConnection,
    profile_id: str,
    version: int,
    start: date,
    end: date,
    _names: Mapping[str, str],
) -> SharedData:
    """The therapist's dashboard and weeks, read from a private copy of the range's records."""
    scoped = scoped_store(_con, profile_id, start, end)
    try:
        profile = scoped.get_profile(profile_id)
        view = dashboard.progress_view(scoped.con, profile, start, end, end, _names)
        reviews = dashboard.weekly_reviews(scoped.con, profile, start, end, end)
        return SharedData(
            profile=profile,
            has_data=dashboard.has_data(scoped.con, profile),
            dashboard=_plain(view),
            reviews=tuple(reviews),
            weekly=dashboard.weekly_table(reviews, _names),
        )
    finally:
        scoped.con.close()


@st.cache_data(show_spinner=False, max_entries=16)
def report_html(
    _con: duckdb.DuckDBPyConnection,
    _profile: Profile,
    profile_id: str,
    version: int,
    start: date | None,
    end: date | None,
    today: date,
    limited: bool,
    _names: Mapping[str, str],
) -> str:
    """The HTML report, cached on (profile, data version, range, today)."""
    return report.build_report(
        _con, _profile, start=start, end=end, today=today, names=_names, limited=limited
    )


@dataclass(frozen=True)
class ReviewWeeks:
    """The weeks the weekly review offers, newest first, each with its label."""

    weeks: list[date]
    labels: dict[date, str]
    has_data: bool


@st.cache_data(show_spinner=False, max_entries=32)
def review_weeks(
    _con: duckdb.DuckDBPyConnection, _profile: Profile, profile_id: str, version: int, today: date
) -> ReviewWeeks:
    """The review's weeks and labels, cached on (profile, data version, today): the week
    picker holds one option per week, five years of them for a long-time user."""
    first, _ = metrics.data_extent(_con, _profile)
    weeks = metrics.weeks_since(first, _profile, today)
    labels = {week: metrics.week_label(week, today) for week in weeks}
    return ReviewWeeks(weeks=weeks, labels=labels, has_data=first is not None)


@dataclass(frozen=True)
class WeekView:
    """One week on the weekly review page: its numbers, the PSFS activities and the saved
    check-in (the form's starting values)."""

    review: metrics.WeeklyReview
    activities: list[checkins.PsfsActivity]
    saved: checkins.WeeklyCheckin | None


@st.cache_data(show_spinner=False, max_entries=64)
def week_view(
    _con: duckdb.DuckDBPyConnection,
    _profile: Profile,
    profile_id: str,
    version: int,
    week: date,
    today: date,
) -> WeekView:
    """The week's review and check-in, cached on (profile, data version, week, today)."""
    return WeekView(
        review=metrics.weekly_review(_con, _profile, week, today),
        activities=checkins.psfs_activities(_con, profile_id),
        saved=checkins.get_checkin(_con, profile_id, week),
    )


def report_download(html_text: str, file_name: str, label: str, *, key: str) -> None:
    """Offer the report as a file. A download button writes nothing and asks for nothing;
    its bytes are fetched only when clicked, so the page itself stays small."""
    st.download_button(
        label,
        data=html_text.encode("utf-8"),
        file_name=file_name,
        mime="text/html",
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )


# --------------------------------------------------------------------------- drawing


def show_table(frame: pd.DataFrame, decimals: Mapping[str, int] | None = None) -> None:
    """A table as one HTML element (numbers with ``decimals`` places, a dash for none).

    Plain HTML rather than ``st.table``: the browser draws it in a fraction of the time,
    and it is still a real table for screen readers and printing.
    """
    if frame.empty:
        st.caption("None in these dates.")
        return
    st.html(
        f"<style>{TABLE_CSS}</style>"
        f"<div class='{TABLE_CLASS}-wrap'>{html_table(frame, decimals=decimals)}</div>"
    )


def six_week_status(status: metrics.SixWeekStatus) -> None:
    """The six-week status line in its tone, with its detail."""
    show = {"success": st.success, "warning": st.warning, "info": st.info}[status.tone]
    show(f"**{status.line}**", icon=":material/flag:")
    if status.detail:
        st.caption(status.detail)


def progress_body(data: DashboardData, profile: Profile, *, key_prefix: str) -> None:
    """Every section of the Progress dashboard below the range choice."""
    status = data.status
    figures = data.figures
    six_week_status(status)
    st.caption(
        "Meaningful improvement: your 7-day average pain at least 30% below your baseline, the "
        "threshold recommended for judging one person's change (Ostelo et al. 2008, Spine); "
        "the 2-point change is shown beside it. Baseline: the average of your ratings in the "
        "first programme week (or your setup rating if that week has none)."
    )
    if status.state == "first_week":
        st.info(
            "This is your first programme week: your ratings this week set your baseline. From "
            "week 2 the pain chart compares your 7-day average with it.",
            icon=":material/hourglass_top:",
        )
    st.caption(
        f"Showing {metrics.format_day(data.start)} to {metrics.format_day(data.end)}, in your "
        f"time zone ({profile.time_zone})."
    )

    st.subheader("Days you exercised")
    st.plotly_chart(figures["calendar"], config=charts.CHART_CONFIG, key=f"{key_prefix}_calendar")
    st.caption(
        "One square per day, weeks starting on Monday. A session counts once at least one hold "
        "or repetition is done. The last 12 months of the range are shown."
    )

    st.subheader("Sessions per week")
    st.plotly_chart(figures["weekly"], config=charts.CHART_CONFIG, key=f"{key_prefix}_weekly")
    st.caption(
        f"Bars: sessions each week against your target of {profile.weekly_target} (dashed "
        "line), with the percentage. Dose: the holds and repetitions you did out of those your "
        "sessions prescribed."
    )
    with st.expander("Dose by exercise and side"):
        show_table(data.dose, {"Done %": 0})

    st.subheader("Pain trend")
    st.plotly_chart(figures["pain"], config=charts.CHART_CONFIG, key=f"{key_prefix}_pain")
    st.caption(
        "Points: your ratings before and after sessions, at check-ins and at setup (daily, "
        "weekly or monthly averages when the range is long). Black line: 7-day average. Shaded:"
        " programme weeks 1-6. Dashed red line: the published average course of acute low back "
        "pain (Menezes Costa et al. 2012, CMAJ: 52/100 at the start, 23 at 6 weeks, 12 at 26 "
        "weeks, 6 at 52 weeks), scaled to your baseline: a population average, not a forecast "
        "for you. The source article says about 80 to 90% of physical therapy patients with "
        "acute lower back pain felt better after six weeks (it credits Penn Medicine): that is "
        "the article's claim, not a promise."
    )

    st.subheader("Exercises")
    show_table(data.table)
    with st.expander("What the columns mean"):
        st.markdown(
            "\n".join(f"- **{name}**: {text}" for name, text in charts.EXERCISE_COLUMN_HELP.items())
        )
    st.caption(
        "Exercises to discuss with your therapist come first: those stopped for pain in two "
        "sessions in a row. Pain before and after: averages over sessions that included the "
        "exercise and have both ratings."
    )
    st.plotly_chart(
        figures["exercise"], config=charts.CHART_CONFIG, key=f"{key_prefix}_exercise_pain"
    )

    st.subheader("Weekly check-ins")
    pgic_column, psfs_column = st.columns(2)
    with pgic_column:
        st.markdown("**How your back has changed overall (PGIC)**")
        if data.has_pgic:
            st.plotly_chart(figures["pgic"], config=charts.CHART_CONFIG, key=f"{key_prefix}_pgic")
        else:
            st.caption("Your weekly answers to “how has your back changed?” will appear here.")
    with psfs_column:
        st.markdown("**Activities you named (PSFS)**")
        if data.has_psfs:
            st.plotly_chart(figures["psfs"], config=charts.CHART_CONFIG, key=f"{key_prefix}_psfs")
        else:
            st.caption("Your weekly ratings of the activities you named will appear here.")


def week_summary(review: metrics.WeeklyReview, names: Mapping[str, str]) -> None:
    """One week's sessions, pain, exercises that hurt and notes (the weekly review's body)."""
    st.subheader("Sessions")
    sessions_column, streak_column = st.columns(2)
    sessions_column.metric(
        "Sessions",
        metrics.format_sessions(review.sessions, review.target),
        delta=metrics.target_words(review),
        delta_color="normal" if review.met_target else "off",
        delta_arrow="off",
    )
    streak_column.metric(
        "Streak",
        metrics.format_streak(review.streak),
        help="Weeks in a row that met your target. A week with a logged flare that missed it "
        "neither breaks nor extends the streak; nor does this week while it is still going.",
    )

    st.subheader("Pain")
    mean_column, previous_column, baseline_column = st.columns(3)
    mean_column.metric(
        "Average pain",
        metrics.format_pain(review.pain_mean),
        help=f"Mean of {review.pain_ratings} ratings this week (0-10).",
    )
    for column, label, change, help_text in (
        (
            previous_column,
            "Vs previous week",
            review.change_vs_previous,
            f"Previous week's average: {metrics.format_pain(review.previous_pain_mean)}.",
        ),
        (
            baseline_column,
            "Vs baseline",
            review.change_vs_baseline,
            f"Baseline: {metrics.format_pain(review.baseline)}.",
        ),
    ):
        words = metrics.change_words(change)
        column.metric(
            label,
            metrics.format_change(change),
            delta=words[0] if words else None,
            delta_color=words[1] if words else "off",  # type: ignore[arg-type]
            delta_arrow=words[2] if words else "off",  # type: ignore[arg-type]
            help=help_text,
        )
    best_column, worst_column = st.columns(2)
    best_column.metric("Best day", metrics.format_day_pain(review.best_day))
    worst_column.metric("Worst day", metrics.format_day_pain(review.worst_day))
    st.caption("Best and worst day: the lowest and highest daily average of your ratings.")

    st.subheader("Exercises that hurt")
    if review.hurt:
        st.markdown("\n".join(f"- {metrics.hurt_words(item, names)}" for item in review.hurt))
    else:
        st.markdown("No exercise was stopped for pain this week.")

    st.subheader("Notes")
    if review.notes:
        for note in review.notes:
            st.caption(metrics.note_heading(note))
            st.text(note.text)
    else:
        st.markdown("No notes this week.")
