"""The session-effect chart: pain before and right after each session (or the means of each
week, month ... of a long range), joined by a line, kept apart from the pain trend."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.progress.charts import style
from core.progress.charts.style import BLUE, GREY, ORANGE
from core.progress.periods import ADJECTIVE, Period, period_label


def session_effect_chart(pairs: pd.DataFrame, *, start: date, end: date) -> go.Figure:
    """Before (orange circle) and after (blue diamond) of each session of
    :func:`core.progress.session_effect.session_pairs`, joined by a grey line."""
    if pairs.empty:
        return style.empty_figure(
            "Sessions with a pain rating before and after them will appear here."
        )
    resolution = str(pairs["resolution"].iloc[0])
    period: Period | None = None if resolution == "session" else resolution  # type: ignore[assignment]
    at = pairs["at"].to_numpy()
    # One line per pair: before, after, then a gap (None) before the next pair.
    join_x = np.column_stack([at, at, np.full(len(at), None)]).ravel()
    join_y = np.column_stack(
        [pairs["before"].round(2), pairs["after"].round(2), np.full(len(at), None)]
    ).ravel()
    change = np.where(pairs["change"].round(1) == 0, "no change", "")
    if period is None:
        when = "%{x|%a %-d %b %Y, %H:%M}"
        labels = np.full(len(at), "")
    else:
        # The period in words ("March 2026", "Jan-Mar 2026"): its point sits in its middle.
        when = "%{customdata[3]}"
        labels = np.array([period_label(moment, period).capitalize() for moment in at])
    customdata = np.column_stack(
        [pairs["change"].round(1).to_numpy(), pairs["sessions"].to_numpy(), change, labels]
    )
    of = "" if period is None else " (mean of %{customdata[1]} sessions)"
    suffix = "" if period is None else f" ({ADJECTIVE[period]} mean)"
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
                "name": label + suffix,
                "marker": {"color": colour, "symbol": symbol, "size": 8 if period is None else 6},
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
        "tickformat": "%-d %b\n%Y" if period in (None, "week") else "%Y",
    }
    return style.build_figure(traces, style.over_time_on_zero_to_ten(320, "Pain (0-10)", xaxis))
