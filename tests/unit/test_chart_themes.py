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


def test_a_built_figure_drawn_unchecked_sends_the_same_chart_in_both_themes(store) -> None:
    """ui.dashboard.as_checked_figure skips plotly's second check of a figure core built:
    what the page sends (plotly's JSON, as st.plotly_chart makes it) is what the checked
    path sends, for every Progress figure, light and dark."""
    import json
    from datetime import date

    import plotly.io as pio
    from plotly.tools import return_figure_from_figure_or_data

    from core import demo
    from core.progress.dashboard import progress_view
    from ui.dashboard import as_checked_figure

    demo.generate(store, seed=7, weeks=8, name="Ann")
    (profile,) = store.list_profiles()
    today = date(2026, 11, 24)
    view = progress_view(store, profile, date(2026, 9, 30), today, today, {})
    assert len(view.figures) == 7
    for figure in view.figures.values():
        for theme in ("light", "dark"):
            plain = for_theme(figure.to_dict(), theme)
            checked = return_figure_from_figure_or_data(plain, validate_figure=True)
            unchecked = return_figure_from_figure_or_data(
                as_checked_figure(plain), validate_figure=True
            )
            sent = json.loads(pio.to_json(unchecked, validate=False))
            assert sent == json.loads(pio.to_json(checked, validate=False))
