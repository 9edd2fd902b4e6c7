"""The figures in the dark theme: the light page's black, greys and white swapped, the
data's own colours and the data kept."""

from __future__ import annotations

import pandas as pd

from core.progress.charts import weekly_adherence_chart
from core.progress.charts.style import BLUE, LIGHT_GREY
from core.progress.charts.themes import for_theme


def test_dark_swaps_the_light_page_colours_and_nothing_else() -> None:
    figure = {
        "data": [
            {"line": {"color": "#000000"}, "y": [1, 2], "marker": {"color": BLUE}},
            {"colorscale": [[0, LIGHT_GREY], [1, BLUE]], "marker": {"line": {"color": "white"}}},
        ],
        "layout": {"annotations": [{"bgcolor": "rgba(255,255,255,0.8)", "text": "Baseline"}]},
    }
    assert for_theme(figure, "dark") == {
        "data": [
            {"line": {"color": "#e6e6e6"}, "y": [1, 2], "marker": {"color": BLUE}},
            {"colorscale": [[0, "#3d3d3d"], [1, BLUE]], "marker": {"line": {"color": "#171614"}}},
        ],
        "layout": {"annotations": [{"bgcolor": "rgba(23,22,20,0.85)", "text": "Baseline"}]},
    }
    assert figure["data"][0]["line"]["color"] == "#000000"  # the cached figure is untouched
    assert for_theme(figure, "light") is figure


def test_the_weekly_chart_target_line_turns_light_in_the_dark() -> None:
    weeks = pd.DataFrame(
        {
            "week_start": pd.to_datetime(["2026-01-05"]),
            "sessions": [3],
            "target": [5],
            "adherence_pct": [60.0],
            "dose_pct": [100.0],
            "done_sets": [10],
            "prescribed_sets": [10],
        }
    )
    dark = for_theme(weekly_adherence_chart(weeks).to_dict(), "dark")
    target = next(s for s in dark["layout"]["shapes"] if s["name"].startswith("Target"))
    assert target["line"]["color"] == "#e6e6e6"
    assert dark["data"][0]["marker"]["color"] == BLUE
