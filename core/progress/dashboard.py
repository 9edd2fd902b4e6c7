"""What the dashboards show, computed once for the pages, the therapist view and the report.

:func:`progress_view` gathers every number, table and figure of the Progress dashboard for
a date range; :func:`weekly_reviews` sums up each Monday week of a range.
:func:`shared_range` turns a share link's dates into the days the therapist sees. The
Streamlit pages only render these (``ui/dashboard.py``); the HTML report writes them into
a file (:mod:`core.progress.report`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from core.db.store import Store
from core.domain import explain
from core.domain.course import ExpectedCourse, expected_course
from core.domain.days import monday
from core.domain.models import Profile
from core.progress import charts
from core.progress.adherence import (
    adherence_by_period,
    dose_by_exercise,
    session_days,
    weekly_adherence,
)
from core.progress.chart_text import CALENDAR_WEEKS, ChartText, dashboard_texts
from core.progress.checkin_series import (
    pgic_by_period,
    pgic_series,
    psfs_by_period,
    psfs_series,
)
from core.progress.exercises import exercise_table
from core.progress.pain import pain_points, pain_rolling
from core.progress.ranges import data_extent
from core.progress.session_effect import effect_summary, effect_words, session_pairs
from core.progress.six_week import SixWeekStatus, six_week_status
from core.progress.tables import dose_table_display, exercise_table_display
from core.progress.weekly import WeeklyReview, weekly_review

#: The figures of the Progress dashboard, in the order the page and the report show them.
FIGURES: tuple[str, ...] = ("calendar", "weekly", "pain", "effect", "exercise", "pgic", "psfs")


@dataclass(frozen=True)
class ProgressView:
    """Everything the Progress dashboard shows for the local days ``start .. end``.

    ``course_note`` says what the expected-course line is, or why there is none;
    ``effect_line`` sums up the sessions' short-term effect in one sentence; ``texts``
    holds each figure in words (a summary and its data as a table), by the figure's key.
    """

    start: date
    end: date
    status: SixWeekStatus
    course_note: str
    effect_line: str
    figures: dict[str, go.Figure]
    table: pd.DataFrame
    dose: pd.DataFrame
    has_pgic: bool
    has_psfs: bool
    texts: dict[str, ChartText]


@dataclass(frozen=True)
class ProgressData:
    """The Progress dashboard's query results for days ``start .. end``, before drawing.

    The series are as drawn: a long range's weeks regrouped by month, quarter or year
    (:mod:`core.progress.periods`), so the words and tables say what the figures show.
    """

    start: date
    end: date
    status: SixWeekStatus
    course: ExpectedCourse
    effect_line: str
    pairs: pd.DataFrame
    table: pd.DataFrame
    pgic: pd.DataFrame
    psfs: pd.DataFrame
    days: pd.DataFrame
    weeks: pd.DataFrame
    points: pd.DataFrame
    rolling: pd.DataFrame
    dose: pd.DataFrame


def progress_data(
    store: Store, profile: Profile, start: date, end: date, today: date
) -> ProgressData:
    """Every query of the dashboard for days ``start .. end``, the six-week status as of
    ``today``."""
    status = six_week_status(store, profile, today)
    course = expected_course(
        profile.pain_onset, profile.pain_onset_date, profile.programme_start, status.baseline
    )
    return ProgressData(
        start=start,
        end=end,
        status=status,
        course=course,
        effect_line=effect_words(effect_summary(store, profile, start, end)),
        pairs=session_pairs(store, profile, start, end),
        table=exercise_table(store, profile, start, end),
        pgic=pgic_by_period(pgic_series(store, profile, start, end)),
        psfs=psfs_by_period(psfs_series(store, profile, start, end)),
        days=session_days(store, profile, start, end),
        weeks=adherence_by_period(weekly_adherence(store, profile, start, end)),
        points=pain_points(store, profile, start, end),
        rolling=pain_rolling(store, profile, start, end),
        dose=dose_by_exercise(store, profile, start, end),
    )


def progress_figures(
    data: ProgressData, profile: Profile, names: Mapping[str, str]
) -> ProgressView:
    """The dashboard's figures and tables drawn from its query results (no database)."""
    figures = {
        "calendar": charts.adherence_calendar(data.days, max_weeks=CALENDAR_WEEKS),
        "weekly": charts.weekly_adherence_chart(data.weeks),
        "pain": charts.pain_trend_chart(
            data.points,
            data.rolling,
            data.status,
            data.course,
            programme_start=profile.programme_start,
            start=data.start,
            end=data.end,
        ),
        "effect": charts.session_effect_chart(data.pairs, start=data.start, end=data.end),
        "exercise": charts.exercise_pain_chart(data.table, names),
        "pgic": charts.pgic_chart(data.pgic),
        "psfs": charts.psfs_chart(data.psfs),
    }
    course = data.course
    return ProgressView(
        start=data.start,
        end=data.end,
        status=data.status,
        course_note=explain.course_note(course.cohort, course.reason, course.onset_is_estimate),
        effect_line=data.effect_line,
        figures=figures,
        table=exercise_table_display(data.table, names),
        dose=dose_table_display(data.dose, names),
        has_pgic=not data.pgic.empty,
        has_psfs=not data.psfs.empty,
        texts=dashboard_texts(
            days=data.days,
            weeks=data.weeks,
            points=data.points,
            rolling=data.rolling,
            status=data.status,
            course=data.course,
            pairs=data.pairs,
            table=data.table,
            pgic=data.pgic,
            psfs=data.psfs,
            names=names,
        ),
    )


def progress_view(
    store: Store,
    profile: Profile,
    start: date,
    end: date,
    today: date,
    names: Mapping[str, str],
) -> ProgressView:
    """The dashboard for days ``start .. end``, with the six-week status as of ``today``."""
    return progress_figures(progress_data(store, profile, start, end, today), profile, names)


def has_data(store: Store, profile: Profile) -> bool:
    """True once the profile has a session or a pain rating."""
    first, _ = data_extent(store, profile)
    return first is not None


# --------------------------------------------------------------------------- weeks


def weeks_between(start: date, end: date) -> list[date]:
    """The Mondays of every week touching ``start .. end``, newest first."""
    newest, oldest = monday(end), monday(start)
    return [newest - timedelta(weeks=i) for i in range((newest - oldest).days // 7 + 1)]


def weekly_reviews(
    store: Store, profile: Profile, start: date, end: date, today: date
) -> list[WeeklyReview]:
    """The weekly review of every Monday week touching ``start .. end``, newest first."""
    return [weekly_review(store, profile, week, today) for week in weeks_between(start, end)]


# --------------------------------------------------------------------------- share links


def shared_range(
    store: Store,
    profile: Profile,
    range_start: date | None,
    range_end: date | None,
    today: date,
) -> tuple[date, date] | None:
    """The days a share link shows: its range, open ends filled, never past today.

    An open start is the profile's first record (or programme start, if earlier); an
    open end is today. None when the range lies wholly in the future.
    """
    if range_start is None:
        first, _ = data_extent(store, profile)
        range_start = min(first or profile.programme_start, profile.programme_start)
    end = today if range_end is None else min(range_end, today)
    if range_start > end:
        return None
    return range_start, end
