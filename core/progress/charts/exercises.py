"""The exercise chart: mean pain before and after the sessions with each exercise."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from core.progress.charts import style
from core.progress.charts.style import BLUE, GREY, ORANGE, VERMILLION


def exercise_pain_chart(table: pd.DataFrame, names: Mapping[str, str]) -> go.Figure:
    """Mean pain before and after sessions that included each exercise, joined by a line.

    One row per exercise with paired ratings, in the table's order (discuss-first); its own
    "during" ratings are shown as a third marker where there are any.
    """
    rated = table[table["rated_sessions"] > 0]
    if rated.empty:
        return style.empty_figure(
            "Rate your pain before and after sessions to see how each exercise goes with it."
        )
    labels = [names.get(exercise_id, exercise_id) for exercise_id in rated["exercise_id"]]
    before = rated["pain_before"].round(2).to_numpy()
    after = rated["pain_after"].round(2).to_numpy()
    connector_x: list[float | None] = []
    connector_y: list[str | None] = []
    for label, b, a in zip(labels, before, after, strict=True):
        connector_x += [float(b), float(a), None]
        connector_y += [label, label, None]
    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "x": connector_x,
            "y": connector_y,
            "mode": "lines",
            "line": {"color": GREY, "width": 2},
            "hoverinfo": "skip",
            "showlegend": False,
            "name": "change",
        }
    ]
    sessions = rated["rated_sessions"].to_numpy()
    traces += [
        {
            "type": "scatter",
            "x": values,
            "y": labels,
            "mode": "markers",
            "name": label,
            "marker": {"color": colour, "symbol": symbol, "size": 11},
            "customdata": sessions,
            "hovertemplate": (
                f"%{{y}}<br>{label}: mean pain %{{x:.1f}}"
                "<br>(%{customdata} sessions with both ratings)<extra></extra>"
            ),
        }
        for label, values, colour, symbol in (
            ("Before a session", before, ORANGE, "circle"),
            ("After a session", after, BLUE, "diamond"),
        )
    ]
    during = rated[rated["exercise_ratings"] > 0]
    if not during.empty:
        traces.append(
            {
                "type": "scatter",
                "x": during["exercise_pain"].round(2),
                "y": [names.get(e, e) for e in during["exercise_id"]],
                "mode": "markers",
                "name": "During the exercise (when it hurt)",
                "marker": {"color": VERMILLION, "symbol": "x", "size": 10},
                "customdata": during["exercise_ratings"].to_numpy(),
                "hovertemplate": (
                    "%{y}<br>Pain during the exercise: mean %{x:.1f}"
                    "<br>(%{customdata} ratings)<extra></extra>"
                ),
            }
        )
    return style.build_figure(
        traces,
        style.base_layout(
            120 + 34 * len(rated),
            left=style.label_px(labels),
            bottom=style.margin_under(1, titled=True),
            xaxis={
                "title": {"text": "Mean pain (0-10)"},
                **style.ZERO_TO_TEN,
            },
            yaxis={"autorange": "reversed", "fixedrange": True, "type": "category"},
        ),
    )


#: Columns of :func:`exercise_table_display` holding pain levels (shown with one decimal).
