"""The weekly check-in charts: PGIC answers and PSFS ratings per week."""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.domain.measures import PGIC_OPTIONS
from core.domain.wording import format_day
from core.progress.charts import style
from core.progress.charts.style import (
    BLACK,
    BLUE,
    BLUISH_GREEN,
    GREY,
    ORANGE,
    REDDISH_PURPLE,
    SKY_BLUE,
    VERMILLION,
    YELLOW,
)


def pgic_chart(series: pd.DataFrame) -> go.Figure:
    """Weekly PGIC answers, "Very much better" at the top and "No change" in the middle."""
    if series.empty:
        return style.empty_figure(
            "Your weekly answers to “how has your back changed?” will appear here."
        )
    labels = [format_day(ts.date()) for ts in series["week_start"]]
    trace = {
        "type": "scatter",
        "x": series["week_start"],
        "y": series["pgic"],
        "mode": "lines+markers" if len(series) <= style.MARKERS_MAX_WEEKS else "lines",
        "name": "Overall change (PGIC)",
        "line": {"color": BLUE, "width": 2},
        "marker": {"size": 9, "color": BLUE},
        "customdata": np.column_stack([labels, series["answer"].astype(object)]),
        "hovertemplate": "Week of %{customdata[0]}<br>%{customdata[1]}<extra></extra>",
    }
    no_change = {
        "type": "line",
        "xref": "x domain",
        "x0": 0,
        "x1": 1,
        "yref": "y",
        "y0": 4,
        "y1": 4,
        "line": {"color": GREY, "dash": "dot", "width": 1},
        "name": "no change",
    }
    return style.build_figure(
        [trace],
        style.base_layout(
            320,
            legend=False,
            left=style.label_px(list(PGIC_OPTIONS.values())),
            bottom=style.margin_under(2, titled=True),
            shapes=[no_change],
            yaxis={
                "tickvals": list(PGIC_OPTIONS),
                "ticktext": list(PGIC_OPTIONS.values()),
                "range": [7.5, 0.5],
                "fixedrange": True,
            },
            xaxis={
                "type": "date",
                "title": {"text": "Week starting"},
                **style.monday_ticks(series["week_start"].unique()),
            },
        ),
    )


PSFS_COLOURS = (ORANGE, SKY_BLUE, BLUISH_GREEN, REDDISH_PURPLE, VERMILLION, BLUE, YELLOW)


def psfs_chart(series: pd.DataFrame) -> go.Figure:
    """Weekly PSFS ratings per activity (thin lines) and the PSFS score, their mean (bold)."""
    if series.empty:
        return style.empty_figure("Your weekly activity ratings (PSFS) will appear here.")
    traces: list[dict[str, Any]] = []
    mode = "lines+markers" if series["week_start"].nunique() <= style.MARKERS_MAX_WEEKS else "lines"
    activities = series[~series["is_mean"]]
    order = activities.drop_duplicates("activity").sort_values(["position", "activity"])
    for index, activity in enumerate(order["activity"]):
        rows = activities[activities["activity"] == activity]
        colour = PSFS_COLOURS[index % len(PSFS_COLOURS)]
        traces.append(
            {
                "type": "scatter",
                "x": rows["week_start"],
                "y": rows["score"],
                "mode": mode,
                # The person's own words: plotly.js draws tags it knows (<b>, <a>) in legends
                # and hover labels, and reads %{...} in a template, so the name is escaped
                # and the template refers to it instead of holding it.
                "name": html.escape(str(activity)),
                "line": {"color": colour, "width": 1.5},
                "marker": {"size": 6, "color": colour},
                "hovertemplate": (
                    "%{fullData.name}<br>Week of %{x|%a %-d %b %Y}: %{y:.0f} of 10<extra></extra>"
                ),
            }
        )
    mean = series[series["is_mean"]]
    traces.append(
        {
            "type": "scatter",
            "x": mean["week_start"],
            "y": mean["score"].round(2),
            "mode": mode,
            "name": "PSFS score (mean)",
            "line": {"color": BLACK, "width": 3},
            "marker": {"size": 8, "color": BLACK},
            "hovertemplate": (
                "PSFS score, week of %{x|%a %-d %b %Y}: %{y:.1f} of 10<extra></extra>"
            ),
        }
    )
    xaxis = {"type": "date", **style.monday_ticks(sorted(series["week_start"].unique()))}
    return style.build_figure(
        traces, style.over_time_on_zero_to_ten(340, "0 = unable, 10 = as before", xaxis)
    )
