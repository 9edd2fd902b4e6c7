"""What the Progress and Weekly review pages compute, split into metrics and figures, and
the floor: the same pages drawn from results computed beforehand.

:func:`progress_metrics` and :func:`progress_figures` are the two halves of
:func:`core.dashboard.progress_view` for the page's default range ("Since the programme
started"), so the benchmark can time the metric queries alone and the figure building
alone; together they give the :class:`ui.dashboard.DashboardData` the page caches.
:func:`review_metrics` is what ``views/weekly_review.py`` reads for its newest week. If
those change what they compute, change these functions with them.

:data:`PAYLOAD` is how the floor page gets its data: AppTest runs page scripts in this
process, so the benchmark sets it before running ``bench/floor_page.py``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from core import charts, checkins, metrics
from core.catalog import default_catalog
from core.models import Profile
from ui.dashboard import DashboardData

#: The floor page's input: {"page": "progress" | "weekly_review", ...}; set by the benchmark.
PAYLOAD: dict[str, Any] = {}
#: Served by ``streamlit run`` instead, the floor page reads its payload from this pickle.
PAYLOAD_FILE_ENV = "BENCH_FLOOR_PAYLOAD"

PROGRESS_PAGE = "views/progress.py"
REVIEW_PAGE = "views/weekly_review.py"
#: The widget each page's "click that changes no data" sets to its current value.
PAGE_WIDGETS: dict[str, str] = {PROGRESS_PAGE: "progress_range", REVIEW_PAGE: "review_week"}


def exercise_names() -> dict[str, str]:
    return {exercise.id: exercise.name for exercise in default_catalog()}


# --------------------------------------------------------------------------- Progress


def progress_metrics(
    con: duckdb.DuckDBPyConnection, profile: Profile, today: date
) -> dict[str, Any]:
    """Every metric query the Progress page runs for its default range."""
    first_day, _ = metrics.data_extent(con, profile)
    start, end = metrics.preset_range("programme", profile, today, first_day)
    status = metrics.six_week_status(con, profile, today)
    reference = (
        None
        if status.baseline is None
        else metrics.reference_course(status.baseline, profile.programme_start)
    )
    return {
        "start": start,
        "end": end,
        "today": today,
        "status": status,
        "reference": reference,
        "table": metrics.exercise_table(con, profile, start, end),
        "pgic": metrics.pgic_series(con, profile, start, end),
        "psfs": metrics.psfs_series(con, profile, start, end),
        "days": metrics.session_days(con, profile, start, end),
        "weeks": metrics.weekly_adherence(con, profile, start, end),
        "points": metrics.pain_points(con, profile, start, end),
        "rolling": metrics.pain_rolling(con, profile, start, end),
        "dose": metrics.dose_by_exercise(con, profile, start, end),
    }


def progress_figures(
    data: dict[str, Any], profile: Profile, names: dict[str, str]
) -> DashboardData:
    """The page's figures (as the dicts it caches and draws) and tables, from the metrics."""
    start, end = data["start"], data["end"]
    figures = {
        "calendar": charts.adherence_calendar(data["days"]),
        "weekly": charts.weekly_adherence_chart(data["weeks"]),
        "pain": charts.pain_trend_chart(
            data["points"],
            data["rolling"],
            data["status"],
            data["reference"],
            programme_start=profile.programme_start,
            start=start,
            end=end,
        ),
        "exercise": charts.exercise_pain_chart(data["table"], names),
        "pgic": charts.pgic_chart(data["pgic"]),
        "psfs": charts.psfs_chart(data["psfs"]),
    }
    return DashboardData(
        start=start,
        end=end,
        status=data["status"],
        figures={name: figure.to_dict() for name, figure in figures.items()},
        table=charts.exercise_table_display(data["table"], names),
        dose=charts.dose_table_display(data["dose"], names),
        has_pgic=not data["pgic"].empty,
        has_psfs=not data["psfs"].empty,
    )


def progress_payload(view: DashboardData, profile: Profile) -> dict[str, Any]:
    """What the floor page needs to draw the Progress page."""
    return {"page": "progress", "view": view, "profile": profile}


# --------------------------------------------------------------------------- Weekly review


def review_metrics(con: duckdb.DuckDBPyConnection, profile: Profile, today: date) -> dict[str, Any]:
    """Every query the Weekly review page runs for its default (newest) week."""
    first, _ = metrics.data_extent(con, profile)
    weeks = metrics.weeks_since(first, profile, today)
    week = weeks[0]
    return {
        "today": today,
        "weeks": weeks,
        "labels": {option: metrics.week_label(option, today) for option in weeks},
        "has_data": first is not None,
        "week": week,
        "review": metrics.weekly_review(con, profile, week, today),
        "activities": checkins.psfs_activities(con, profile.id),
        "saved": checkins.get_checkin(con, profile.id, week),
    }


def review_payload(data: dict[str, Any], profile: Profile, names: dict[str, str]) -> dict[str, Any]:
    """What the floor page needs to draw the Weekly review page (it has no charts)."""
    return {"page": "weekly_review", **data, "names": names, "profile": profile}
