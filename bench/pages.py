"""What the Progress and Weekly review pages compute, split into metrics and figures, and
the floor: the same pages drawn from results computed beforehand.

:func:`progress_metrics` and :func:`progress_figures` are the two halves of what
``views/progress.py`` caches for its default range ("Since the programme started"):
:func:`core.progress.dashboard.progress_data` and :func:`~core.progress.dashboard.progress_figures`,
so the benchmark can time the metric queries alone and the figure building alone.
:func:`review_metrics` is what ``views/weekly_review.py`` reads for its newest week.

:data:`PAYLOAD` is how the floor page gets its data: AppTest runs page scripts in this
process, so the benchmark sets it before running ``bench/floor_page.py``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from core.db import checkins
from core.db.store import Store
from core.domain.catalog import default_catalog
from core.domain.models import Profile
from core.progress.dashboard import ProgressData, progress_data, progress_figures
from core.progress.ranges import data_extent, preset_range, weeks_since
from core.progress.weekly import week_label, weekly_review
from ui.dashboard import DashboardData, plain
from ui.registry import page

#: The floor page's input: {"page": "progress" | "weekly_review", ...}; set by the benchmark.
PAYLOAD: dict[str, Any] = {}
#: Served by ``streamlit run`` instead, the floor page reads its payload from this pickle.
PAYLOAD_FILE_ENV = "BENCH_FLOOR_PAYLOAD"

PROGRESS_PAGE = page("views/progress.py").script
REVIEW_PAGE = page("views/weekly_review.py").script
#: The widget each page's "click that changes no data" sets to its current value.
PAGE_WIDGETS: dict[str, str] = {PROGRESS_PAGE: "progress_range", REVIEW_PAGE: "review_week"}


def exercise_names() -> dict[str, str]:
    return {exercise.id: exercise.name for exercise in default_catalog()}


# --------------------------------------------------------------------------- Progress


def progress_metrics(store: Store, profile: Profile, today: date) -> ProgressData:
    """Every metric query the Progress page runs for its default range."""
    first_day, _ = data_extent(store, profile)
    start, end = preset_range("programme", profile, today, first_day)
    return progress_data(store, profile, start, end, today)


def progress_view(data: ProgressData, profile: Profile, names: dict[str, str]) -> DashboardData:
    """The page's figures (as the dicts it caches and draws) and tables, from the metrics."""
    return plain(progress_figures(data, profile, names))


def progress_payload(view: DashboardData, profile: Profile) -> dict[str, Any]:
    """What the floor page needs to draw the Progress page."""
    return {"page": "progress", "view": view, "profile": profile}


# --------------------------------------------------------------------------- Weekly review


def review_metrics(store: Store, profile: Profile, today: date) -> dict[str, Any]:
    """Every query the Weekly review page runs for its default (newest) week."""
    first, _ = data_extent(store, profile)
    weeks = weeks_since(first, profile, today)
    week = weeks[0]
    return {
        "today": today,
        "weeks": weeks,
        "labels": {option: week_label(option, today) for option in weeks},
        "has_data": first is not None,
        "week": week,
        "review": weekly_review(store, profile, week, today),
        "activities": checkins.psfs_activities(store, profile.id),
        "saved": checkins.get_checkin(store, profile.id, week),
    }


def review_payload(data: dict[str, Any], profile: Profile, names: dict[str, str]) -> dict[str, Any]:
    """What the floor page needs to draw the Weekly review page (it has no charts)."""
    return {"page": "weekly_review", **data, "names": names, "profile": profile}
