"""What the dashboards show, computed once for the pages, the therapist view and the report.

:func:`progress_view` gathers every number, table and figure of the Progress dashboard for
a date range; :func:`weekly_reviews` and :func:`weekly_table` sum up each Monday week of a
range. :func:`shared_range` turns a share link's dates into the days the therapist sees.
The Streamlit pages only render these (``ui/dashboard.py``); the HTML report writes them
into a file (``core/report.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import plotly.graph_objects as go

from core import charts, metrics
from core.models import Profile

Connection = metrics.Connection

#: The figures of the Progress dashboard, in the order the page and the report show them.
FIGURES: tuple[str, ...] = ("calendar", "weekly", "pain", "exercise", "pgic", "psfs")


@dataclass(frozen=True)
class ProgressView:
    """Everything the Progress dashboard shows for the local days ``start .. end``."""

    start: date
    end: date
    status: metrics.SixWeekStatus
    figures: dict[str, go.Figure]
    table: pd.DataFrame
    dose: pd.DataFrame
    has_pgic: bool
    has_psfs: bool


def progress_view(
    con: Connection,
    profile: Profile,
    start: date,
    end: date,
    today: date,
    names: Mapping[str, str],
) -> ProgressView:
    """The dashboard for days ``start .. end``, with the six-week status as of ``today``."""
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
        "exercise": charts.exercise_pain_chart(table, names),
        "pgic": charts.pgic_chart(pgic),
        "psfs": charts.psfs_chart(psfs),
    }
    return ProgressView(
        start=start,
        end=end,
        status=status,
        figures=figures,
        table=charts.exercise_table_display(table, names),
        dose=charts.dose_table_display(metrics.dose_by_exercise(con, profile, start, end), names),
        has_pgic=not pgic.empty,
        has_psfs=not psfs.empty,
    )


def has_data(con: Connection, profile: Profile) -> bool:
    """True once the profile has a session or a pain rating."""
    first, _ = metrics.data_extent(con, profile)
    return first is not None


# --------------------------------------------------------------------------- weeks


def weeks_between(start: date, end: date) -> list[date]:
    """The Mondays of every week touching ``start .. end``, newest first."""
    newest, oldest = metrics.monday(end), metrics.monday(start)
    return [newest - timedelta(weeks=i) for i in range((newest - oldest).days // 7 + 1)]


def weekly_reviews(
    con: Connection, profile: Profile, start: date, end: date, today: date
) -> list[metrics.WeeklyReview]:
    """The weekly review of every Monday week touching ``start .. end``, newest first."""
    return [metrics.weekly_review(con, profile, week, today) for week in weeks_between(start, end)]


WEEKLY_COLUMNS: tuple[str, ...] = (
    "Week",
    "Sessions",
    "Target",
    "Average pain",
    "Vs previous week",
    "Best day",
    "Worst day",
    "PGIC",
    "PSFS",
    "Exercises that hurt",
)


def weekly_table(reviews: Sequence[metrics.WeeklyReview], names: Mapping[str, str]) -> pd.DataFrame:
    """One row per week in plain words (for the therapist view and the report)."""
    rows = [
        {
            "Week": f"{metrics.format_day(r.week_start)} to {metrics.format_day(r.week_end)}",
            "Sessions": metrics.format_sessions(r.sessions, r.target),
            "Target": metrics.target_words(r),
            "Average pain": metrics.format_pain(r.pain_mean),
            "Vs previous week": metrics.format_change(r.change_vs_previous),
            "Best day": metrics.format_day_pain(r.best_day),
            "Worst day": metrics.format_day_pain(r.worst_day),
            "PGIC": "–" if r.pgic is None else metrics.PGIC_OPTIONS[r.pgic],
            "PSFS": metrics.format_pain(r.psfs_mean),
            "Exercises that hurt": "; ".join(metrics.hurt_words(h, names) for h in r.hurt) or "–",
        }
        for r in reviews
    ]
    return pd.DataFrame(rows, columns=list(WEEKLY_COLUMNS), dtype="str")


# --------------------------------------------------------------------------- share links


def shared_range(
    con: Connection,
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
        first, _ = metrics.data_extent(con, profile)
        range_start = min(first or profile.programme_start, profile.programme_start)
    end = today if range_end is None else min(range_end, today)
    if range_start > end:
        return None
    return range_start, end


def baseline_note(profile: Profile, start: date) -> str | None:
    """Why a range that starts after programme week 1 has no baseline; None if it covers it."""
    if start <= profile.programme_start:
        return None
    return (
        "The baseline is the average pain of the first programme week (from "
        f"{metrics.format_day(profile.programme_start)}), which these dates do not cover: "
        "comparisons with it are left out."
    )


def format_instant(value: datetime | None, time_zone: str) -> str:
    """An instant in the profile's zone, for example "Tue 24 Nov 2026, 09:00"; "–" if none."""
    if value is None:
        return "–"
    local = value.astimezone(ZoneInfo(time_zone))
    return f"{metrics.format_day(local.date())}, {local:%H:%M}"


def shared_header(name: str, expires_at: datetime, time_zone: str) -> str:
    """The therapist view's header: "Shared by Ann, read-only, link expires Tue 8 Dec 2026"."""
    who = name.strip() or "your patient"
    expires = expires_at.astimezone(ZoneInfo(time_zone))
    return f"Shared by {who}, read-only, link expires {metrics.format_day(expires.date())}"


def range_words(start: date | None, end: date | None) -> str:
    """A link's date range in words: "all dates", "from …", "until …" or "… to …"."""
    if start is None and end is None:
        return "all dates"
    if end is None:
        return f"from {metrics.format_day(start)}"  # type: ignore[arg-type]
    if start is None:
        return f"until {metrics.format_day(end)}"
    return f"{metrics.format_day(start)} to {metrics.format_day(end)}"
