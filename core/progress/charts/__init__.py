"""Plotly figure builders for the Progress dashboard: data frame in, figure out.

The frames come from the metric modules of :mod:`core.progress`; these modules only draw
them, each figure as plain dicts validated once (:mod:`.style`). Long series arrive
already aggregated from the metrics, so a figure stays small however long the history.
"""

from core.progress.charts.adherence import adherence_calendar, weekly_adherence_chart
from core.progress.charts.checkins import pgic_chart, psfs_chart
from core.progress.charts.exercises import exercise_pain_chart
from core.progress.charts.pain import pain_trend_chart
from core.progress.charts.session_effect import session_effect_chart
from core.progress.charts.style import CHART_CONFIG, empty_figure

__all__ = [
    "CHART_CONFIG",
    "adherence_calendar",
    "empty_figure",
    "exercise_pain_chart",
    "pain_trend_chart",
    "pgic_chart",
    "psfs_chart",
    "session_effect_chart",
    "weekly_adherence_chart",
]
