"""The weekly check-in charts: PGIC answers and PSFS ratings per week (or per month,
quarter or year of a long range)."""

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
from core.progress.periods import (
    ADJECTIVE,
    PERIOD_ORIGIN,
    PLOTLY_PERIOD,
    Period,
    drawn_by,
    period_label,
)


def pgic_chart(series: pd.DataFrame) -> go.Figure:
    """Weekly PGIC answers, "Very much better" at the top and "No change" in the middle; a
    long range's monthly (quarterly, yearly) median answers
    (:func:`core.progress.checkin_series.pgic_by_period`) drawn in each period's middle."""
    if series.empty:
        return style.empty_figure(
            "Your weekly answers to “how has your back changed?” will appear here."
        )
    period, starts = drawn_by(series)
    if period == "week":
        labels = [format_day(ts.date()) for ts in starts]
        hover = "Week of %{customdata[0]}<br>%{customdata[1]}<extra></extra>"
        columns = [labels, series["answer"].astype(object)]
        name = "Overall change (PGIC)"
    else:
        labels = [period_label(ts, period) for ts in starts]
        hover = (
            "%{customdata[0]}<br>%{customdata[1]}<br>(median of %{customdata[2]} weekly "
            "answers)<extra></extra>"
        )
        columns = [labels, series["answer"].astype(object), series["weeks"]]
        name = f"Overall change (PGIC, {ADJECTIVE[period]} median)"
    trace = {
        "type": "scatter",
        "x": starts,
        "y": series["pgic"],
        "mode": "lines+markers" if len(series) <= style.MARKERS_MAX_WEEKS else "lines",
        "name": name,
        "line": {"color": BLUE, "width": 2},
        "marker": {"size": 9, "color": BLUE},
        "customdata": np.column_stack(columns),
        "hovertemplate": hover,
        **_in_the_middle(period),
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
                "title": {"text": "Week starting" if period == "week" else None},
                **_ticks(period, starts),
            },
        ),
    )


PSFS_COLOURS = (ORANGE, SKY_BLUE, BLUISH_GREEN, REDDISH_PURPLE, VERMILLION, BLUE, YELLOW)


def psfs_chart(series: pd.DataFrame) -> go.Figure:
    """Weekly PSFS ratings per activity (thin lines) and the PSFS score, their mean (bold);
    a long range's monthly (quarterly, yearly) means
    (:func:`core.progress.checkin_series.psfs_by_period`) drawn in each period's middle."""
    if series.empty:
        return style.empty_figure("Your weekly activity ratings (PSFS) will appear here.")
    period, starts = drawn_by(series)
    series = series.assign(drawn_at=starts)
    weekly = period == "week"
    traces: list[dict[str, Any]] = []
    mode = "lines+markers" if starts.nunique() <= style.MARKERS_MAX_WEEKS else "lines"
    activities = series[~series["is_mean"]]
    order = activities.drop_duplicates("activity").sort_values(["position", "activity"])
    middle = _in_the_middle(period)
    when = "Week of %{x|%a %-d %b %Y}" if weekly else "%{customdata}"
    mean_of = "" if weekly else f" ({ADJECTIVE[period]} mean)"
    for index, activity in enumerate(order["activity"]):
        rows = activities[activities["activity"] == activity]
        colour = PSFS_COLOURS[index % len(PSFS_COLOURS)]
        traces.append(
            {
                "type": "scatter",
                "x": rows["drawn_at"],
                "y": rows["score"] if weekly else rows["score"].round(2),
                "mode": mode,
                # The person's own words: plotly.js draws tags it knows (<b>, <a>) in legends
                # and hover labels, and reads %{...} in a template, so the name is escaped
                # and the template refers to it instead of holding it.
                "name": html.escape(str(activity)),
                "line": {"color": colour, "width": 1.5},
                "marker": {"size": 6, "color": colour},
                "hovertemplate": (
                    f"%{{fullData.name}}<br>{when}: %{{y:{'.0f' if weekly else '.1f'}}} of 10"
                    f"{mean_of}<extra></extra>"
                ),
                **_period_labels(rows["drawn_at"], period),
                **middle,
            }
        )
    mean = series[series["is_mean"]]
    traces.append(
        {
            "type": "scatter",
            "x": mean["drawn_at"],
            "y": mean["score"].round(2),
            "mode": mode,
            "name": "PSFS score (mean)",
            "line": {"color": BLACK, "width": 3},
            "marker": {"size": 8, "color": BLACK},
            "hovertemplate": (
                f"PSFS score, {when[0].lower() + when[1:]}: %{{y:.1f}} of 10{mean_of}"
                "<extra></extra>"
            ),
            **_period_labels(mean["drawn_at"], period),
            **middle,
        }
    )
    xaxis = {"type": "date", **_ticks(period, pd.Series(sorted(starts.unique())))}
    return style.build_figure(
        traces, style.over_time_on_zero_to_ten(340, "0 = unable, 10 = as before", xaxis)
    )


def _in_the_middle(period: Period) -> dict[str, Any]:
    """A weekly point stays on its Monday (as before); a longer period's point is drawn in
    its middle, where the bars of the same period centre."""
    if period == "week":
        return {}
    return {
        "xperiod": PLOTLY_PERIOD[period],
        "xperiod0": PERIOD_ORIGIN,
        "xperiodalignment": "middle",
    }


def _period_labels(starts: pd.Series, period: Period) -> dict[str, Any]:
    """Each point's period in words, for the hover (none for weeks: the date says it)."""
    if period == "week":
        return {}
    return {"customdata": [period_label(start, period) for start in starts]}


def _ticks(period: Period, starts: pd.Series) -> dict[str, Any]:
    """Monday ticks for weeks; years for the months, quarters or years of a long range."""
    if period == "week":
        return style.monday_ticks(list(starts.unique()))
    return {"tickformat": "%Y"}
