"""What the dashboards show, computed once for the pages, the therapist view and the report.

:func:`progress_view` gathers every number, table and figure of the Progress dashboard for
a date range; :func:`weekly_reviews` sums up each Monday week of a range.
:func:`shared_range` turns a share link's dates into the days the therapist sees. The
Streamlit pages only render these (``ui/dashboard.py``); the HTML report writes them into
a file (:mod:`core.progress.report`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
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
from core.progress.chart_text import (
    CALENDAR_WEEKS,
    ChartText,
    calendar_text,
    effect_text,
    exercise_text,
    pain_text,
    pgic_text,
    psfs_text,
    weekly_text,
)
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
#: The dose table (by exercise and side): a part of its own, read only where it is shown
#: (its table opens in an expander on the pages, the report always has it).
DOSE = "dose"
#: Every part of the dashboard: the figures and the dose table.
PARTS: tuple[str, ...] = (*FIGURES, DOSE)
#: The sections a view may build on their own (the tabs), each with its figures; the
#: exercise table goes with "exercise". The dose table is asked for on its own.
SECTIONS: dict[str, tuple[str, ...]] = {
    "summary": ("weekly", "pain"),
    "days": ("calendar", "effect", "exercise"),
    "checkins": ("pgic", "psfs"),
}


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
    Only the ``figures`` asked for are read (and the dose table with ``with_dose``): the
    frames the others need are left empty.
    """

    figures: tuple[str, ...]
    with_dose: bool
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
    store: Store,
    profile: Profile,
    start: date,
    end: date,
    today: date,
    figures: Collection[str] = PARTS,
) -> ProgressData:
    """The dashboard's queries for days ``start .. end`` that the parts in ``figures`` need
    (every one by default), the six-week status as of ``today``."""
    wanted = tuple(name for name in FIGURES if name in figures)
    with_dose = DOSE in figures
    status = six_week_status(store, profile, today)
    course = expected_course(
        profile.pain_onset, profile.pain_onset_date, profile.programme_start, status.baseline
    )
    none = pd.DataFrame()

    def read(figure: str, query: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        return query() if figure in wanted else none

    return ProgressData(
        figures=wanted,
        with_dose=with_dose,
        start=start,
        end=end,
        status=status,
        course=course,
        effect_line=(
            effect_words(effect_summary(store, profile, start, end)) if "effect" in wanted else ""
        ),
        pairs=read("effect", lambda: session_pairs(store, profile, start, end)),
        table=read("exercise", lambda: exercise_table(store, profile, start, end)),
        pgic=read("pgic", lambda: pgic_by_period(pgic_series(store, profile, start, end))),
        psfs=read("psfs", lambda: psfs_by_period(psfs_series(store, profile, start, end))),
        days=read("calendar", lambda: session_days(store, profile, start, end)),
        weeks=read(
            "weekly", lambda: adherence_by_period(weekly_adherence(store, profile, start, end))
        ),
        points=read("pain", lambda: pain_points(store, profile, start, end)),
        rolling=read("pain", lambda: pain_rolling(store, profile, start, end)),
        dose=dose_by_exercise(store, profile, start, end) if with_dose else none,
    )


def progress_figures(
    data: ProgressData, profile: Profile, names: Mapping[str, str]
) -> ProgressView:
    """The figures and tables of ``data.figures`` drawn from the query results (no
    database); the tables of figures not asked for are empty."""
    course = data.course
    drawn: dict[str, Callable[[], go.Figure]] = {
        "calendar": lambda: charts.adherence_calendar(data.days, max_weeks=CALENDAR_WEEKS),
        "weekly": lambda: charts.weekly_adherence_chart(data.weeks),
        "pain": lambda: charts.pain_trend_chart(
            data.points,
            data.rolling,
            data.status,
            course,
            programme_start=profile.programme_start,
            start=data.start,
            end=data.end,
        ),
        "effect": lambda: charts.session_effect_chart(data.pairs, start=data.start, end=data.end),
        "exercise": lambda: charts.exercise_pain_chart(data.table, names),
        "pgic": lambda: charts.pgic_chart(data.pgic),
        "psfs": lambda: charts.psfs_chart(data.psfs),
    }
    worded: dict[str, Callable[[], ChartText]] = {
        "calendar": lambda: calendar_text(data.days),
        "weekly": lambda: weekly_text(data.weeks),
        "pain": lambda: pain_text(data.points, data.rolling, data.status, course),
        "effect": lambda: effect_text(data.pairs),
        "exercise": lambda: exercise_text(data.table, names),
        "pgic": lambda: pgic_text(data.pgic),
        "psfs": lambda: psfs_text(data.psfs),
    }
    return ProgressView(
        start=data.start,
        end=data.end,
        status=data.status,
        course_note=explain.course_note(course.cohort, course.reason, course.onset_is_estimate),
        effect_line=data.effect_line,
        figures={name: drawn[name]() for name in data.figures},
        table=(
            exercise_table_display(data.table, names) if "exercise" in data.figures else data.table
        ),
        dose=dose_table_display(data.dose, names) if data.with_dose else data.dose,
        has_pgic=not data.pgic.empty,
        has_psfs=not data.psfs.empty,
        texts={name: worded[name]() for name in data.figures},
    )


def progress_view(
    store: Store,
    profile: Profile,
    start: date,
    end: date,
    today: date,
    names: Mapping[str, str],
    figures: Collection[str] = PARTS,
) -> ProgressView:
    """The dashboard for days ``start .. end`` (only the parts in ``figures``: figures and
    the dose table, every one by default), with the six-week status as of ``today``."""
    data = progress_data(store, profile, start, end, today, figures)
    return progress_figures(data, profile, names)


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
