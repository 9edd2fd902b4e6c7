"""The session-effect chart: pain before and right after each session (or each week's means),
joined by a line, kept apart from the pain trend."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.progress.charts import style
from core.progress.charts.style import BLUE, GREY, ORANGE


def session_effect_chart(pairs: pd.DataFrame, *, start: date, end: date) -> go.Figure:
    """Before (orange circle) and after (blue diamond) of each session of
    :func:`core.progress.session_effect.session_pairs`, joined by a grey line."""
    if pairs.empty:
        return style.empty_figure(
            "Sessions with a pain rating before and after them will appear here."
        )
    weekly = str(pairs["resolution"].iloc[0]) == "week"
    at = pairs["at"].to_numpy()
    # One line per pair: before, after, then a gap (None) before the next pair.
    join_x = np.column_stack([at, at, np.full(len(at), None)]).ravel()
    join_y = np.column_stack(
        [pairs["before"].round(2), pairs["after"].round(2), np.full(len(at), None)]
    ).ravel()
    when = "Week of %{x|%a %-d %b %Y}" if weekly else "%{x|%a %-d %b %Y, %H:%M}"
    change = np.where(pairs["change"].round(1) == 0, "no change", "")
    customdata = np.column_stack(
        [pairs["change"].round(1).to_numpy(), pairs["sessions"].to_numpy(), change]
    )
    of = " (mean of %{customdata[1]} sessions)" if weekly else ""
    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "x": join_x,
            "y": join_y,
            "mode": "lines",
            "line": {"color": GREY, "width": 1.5},
            "hoverinfo": "skip",
            "showlegend": False,
            "connectgaps": False,
            "name": "before to after",
        }
    ]
    for column, label, colour, symbol in (
        ("before", "Before the session", ORANGE, "circle"),
        ("after", "Right after it", BLUE, "diamond"),
    ):
        traces.append(
            {
                "type": "scatter",
                "x": pairs["at"],
                "y": pairs[column].round(2),
                "mode": "markers",
                "name": label + (" (weekly mean)" if weekly else ""),
                "marker": {"color": colour, "symbol": symbol, "size": 8 if not weekly else 6},
                "customdata": customdata,
                "hovertemplate": (
                    f"{when}<br>{label}: %{{y:.1f}}{of}<br>Change after - before: "
                    "%{customdata[0]:+.1f} %{customdata[2]}<extra></extra>"
                ),
            }
        )
    xaxis = {
        "type": "date",
        "range": [pd.Timestamp(start), pd.Timestamp(end + timedelta(days=1))],
        "tickformat": "%-d %b\n%Y",
    }
    return style.build_figure(traces, style.over_time_on_zero_to_ten(320, "Pain (0-10)", xaxis))
