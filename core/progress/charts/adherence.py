"""Adherence charts: the calendar of days exercised, and sessions and dose per week."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.domain.wording import WEEKDAY_NAMES, format_day
from core.progress.charts import style
from core.progress.charts.style import (
    BLACK,
    BLUE,
    BLUISH_GREEN,
    DARK_GREY,
    LIGHT_GREY,
    SKY_BLUE,
    VERMILLION,
)
from core.progress.periods import (
    ADJECTIVE,
    PERIOD_ORIGIN,
    PLOTLY_PERIOD,
    drawn_by,
    next_start,
    period_label,
)

CATEGORY_STYLE: dict[str, tuple[str, str]] = {
    "none": ("No session", LIGHT_GREY),
    "completed": ("Completed", BLUE),
    "partial": ("Partial", SKY_BLUE),
    "stopped_for_pain": ("Stopped for pain", VERMILLION),
}
CATEGORY_CODE: dict[str, int] = {name: code for code, name in enumerate(CATEGORY_STYLE)}


def _day_texts(days: pd.DataFrame) -> list[str]:
    """Hover text per day: "Fri 6 Mar 2026: 2 sessions (1 partial, 1 stopped for pain)"."""
    texts = []
    for day, sessions, completed, partial, stopped in zip(
        days["day"],
        days["sessions"].to_numpy(),
        days["completed"].to_numpy(),
        days["partial"].to_numpy(),
        days["stopped_for_pain"].to_numpy(),
        strict=True,
    ):
        label = format_day(day.date())
        if sessions == 0:
            texts.append(f"{label}: no session")
            continue
        parts = [
            f"{int(count)} {words}"
            for count, words in (
                (completed, "completed"),
                (partial, "partial"),
                (stopped, "stopped for pain"),
            )
            if count
        ]
        noun = "session" if sessions == 1 else "sessions"
        texts.append(f"{label}: {int(sessions)} {noun} ({', '.join(parts)})")
    return texts


def adherence_calendar(days: pd.DataFrame, *, max_weeks: int = 53) -> go.Figure:
    """A GitHub-style calendar: weekday rows by week columns, one cell per day.

    Colour (and the legend) tells completed, partial and stopped-for-pain days apart; a day
    with several sessions shows its most notable one and lists all in the hover text. Only
    the last ``max_weeks`` weeks of ``days`` (from :func:`core.progress.adherence.session_days`) are
    drawn, so the figure stays readable and small.
    """
    if days.empty:
        return style.empty_figure("Your sessions will fill this calendar, one square per day.")
    weeks = sorted(days["week_start"].unique())[-max_weeks:]
    shown = days[days["week_start"].isin(weeks)]
    rows = shown["weekday"].to_numpy(dtype=int)
    columns = pd.DatetimeIndex(weeks).get_indexer(shown["week_start"])
    z = np.full((7, len(weeks)), np.nan)
    z[rows, columns] = shown["category"].map(CATEGORY_CODE).to_numpy(dtype=float)
    texts = np.full((7, len(weeks)), "", dtype=object)
    texts[rows, columns] = _day_texts(shown)
    colours = [style[1] for style in CATEGORY_STYLE.values()]
    steps = len(colours)
    colorscale = []
    for code, colour in enumerate(colours):
        colorscale += [[code / steps, colour], [(code + 1) / steps, colour]]
    traces: list[dict[str, Any]] = [
        {
            "type": "heatmap",
            "x": pd.DatetimeIndex(weeks),
            "y": list(WEEKDAY_NAMES),
            "z": z,
            "text": texts,
            "hovertemplate": "%{text}<extra></extra>",
            "colorscale": colorscale,
            "zmin": -0.5,
            "zmax": steps - 0.5,
            "showscale": False,
            "xgap": 3,
            "ygap": 3,
            "name": "Days",
        }
    ]
    traces += [
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "marker": {"symbol": "square", "size": 12, "color": colour},
            "name": label,
            "legendgroup": category,
            "hoverinfo": "skip",
        }
        for category, (label, colour) in CATEGORY_STYLE.items()
    ]
    return style.build_figure(
        traces,
        style.base_layout(
            260,
            left=style.label_px(WEEKDAY_NAMES),
            bottom=style.margin_under(2, titled=True),
            yaxis={"autorange": "reversed", "fixedrange": True, "showgrid": False},
            xaxis={
                "type": "date",
                "fixedrange": True,
                "showgrid": False,
                "title": {"text": "Week starting (Monday)"},
                **style.monday_ticks(weeks),
            },
        ),
    )


#: Weekly series (PGIC, PSFS) longer than this are drawn as lines without markers: at a
#: few pixels per week the markers only overlap, and each is an SVG element to draw.
#: it (Plotly would measure every label only to hide it) and the hover text gives it.
BAR_TEXT_MAX_WEEKS = 26
#: Beyond this many weeks (two years) a week's bar is a few pixels wide: the weeks are drawn
#: as one filled step line instead, which looks the same and is one shape to draw, not
#: hundreds.
BARS_MAX_WEEKS = 104
#: The two rows of the weekly chart: sessions on top (60%), dose below, 0.14 apart.
_ROWS_GAP = 0.14
_TOP_DOMAIN = [1 - (1 - _ROWS_GAP) * 0.6, 1.0]
_BOTTOM_DOMAIN = [0.0, (1 - _ROWS_GAP) * 0.4]


def weekly_adherence_chart(weeks: pd.DataFrame) -> go.Figure:
    """Sessions per week against the target (with the % in the bar) and dose adherence.

    Top: counted sessions per Monday week as bars, the target in force each week as a
    dashed line (stepping where the target changed). Bottom: done / prescribed holds and
    repetitions per week, with a line at 100%. A long range regrouped by month, quarter or
    year (:func:`core.progress.adherence.adherence_by_period`) draws each period's mean
    sessions a week against its mean target, and its dose.
    """
    if weeks.empty:
        return style.empty_figure("Your sessions per week will appear here.")
    period, starts = drawn_by(weeks)
    weekly = period == "week"
    targets = [float(value) for value in weeks["target"]]
    if weekly:
        labels = [format_day(ts.date()) for ts in starts]
        when, sessions_hover = "Week of %{customdata[0]}", "%{y} sessions"
    else:
        labels = [period_label(ts, period) for ts in starts]
        when = "%{customdata[0]}"
        sessions_hover = (
            "%{y:.1f} sessions a week (mean of %{customdata[3]} weeks, "
            f"{ADJECTIVE[period]} means)"
        )
    percent = [f"{pct:.0f}" for pct in weeks["adherence_pct"]]
    columns = [labels, percent, [f"{target:g}" for target in targets]]
    if not weekly:
        columns.append(list(weeks["weeks"]))
    alignment = {
        "xperiod": PLOTLY_PERIOD[period],
        "xperiod0": style.A_MONDAY if weekly else PERIOD_ORIGIN,
        "xperiodalignment": "middle",
    }
    sessions: dict[str, Any] = {
        "type": "bar",
        "x": starts,
        "y": weeks["sessions"] if weekly else weeks["sessions"].round(2),
        "xaxis": "x",
        "yaxis": "y",
        "name": "Sessions" if weekly else f"Sessions a week ({ADJECTIVE[period]} mean)",
        "marker": {"color": BLUE},
        "customdata": np.column_stack(columns),
        "hovertemplate": (
            f"{when}<br>{sessions_hover}, target "
            "%{customdata[2]} (%{customdata[1]}%)<extra></extra>"
        ),
        **alignment,
        "showlegend": False,
    }
    if len(weeks) <= BAR_TEXT_MAX_WEEKS:
        sessions |= {
            "text": [f"{pct}%" for pct in percent],
            "textposition": "inside",
            "insidetextanchor": "end",
            "textangle": 0,
        }
    dose = {
        "type": "bar",
        "x": starts,
        "y": weeks["dose_pct"].round(1),
        "xaxis": "x2",
        "yaxis": "y2",
        "name": "Dose done",
        "marker": {"color": BLUISH_GREEN},
        "customdata": np.column_stack([labels, weeks["done_sets"], weeks["prescribed_sets"]]),
        "hovertemplate": (
            f"{when}<br>%{{y:.0f}}% of holds and repetitions done "
            "(%{customdata[1]} of %{customdata[2]})<extra></extra>"
        ),
        **alignment,
        "showlegend": False,
    }
    if len(weeks) > BARS_MAX_WEEKS:
        sessions, dose = _as_steps(sessions), _as_steps(dose)
    shapes = [
        *_target_lines(list(starts), list(next_start(starts, period)), targets, weekly),
        {
            "type": "line",
            "xref": "x2 domain",
            "x0": 0,
            "x1": 1,
            "yref": "y2",
            "y0": 100,
            "y1": 100,
            "line": {"color": DARK_GREY, "dash": "dot", "width": 1},
            "name": "dose 100%",
        },
    ]
    subtitle = {
        "text": "Holds and reps done / prescribed",
        "font": {"size": 16},
        "showarrow": False,
        "x": 0.5,
        "xanchor": "center",
        "xref": "paper",
        "y": _BOTTOM_DOMAIN[1],
        "yanchor": "bottom",
        "yref": "paper",
    }
    top = math.ceil(max(*targets, float(weeks["sessions"].max()))) + 1
    ticks = style.monday_ticks(list(starts)) if weekly else {"tickformat": "%Y"}
    return style.build_figure(
        [sessions, dose],
        style.base_layout(
            420,
            left=style.TITLE_PX + style.label_px([top, 110]),
            bottom=style.margin_under(2, titled=False),
            xaxis={
                "anchor": "y",
                "domain": [0.0, 1.0],
                "matches": "x2",
                "showticklabels": False,
                "type": "date",
                **ticks,
            },
            xaxis2={"anchor": "y2", "domain": [0.0, 1.0], "type": "date", **ticks},
            yaxis={
                "anchor": "x",
                "domain": _TOP_DOMAIN,
                "title": {"text": "Sessions"},
                "range": [0, top],
                **({"dtick": 1} if top <= 8 else {}),
            },
            yaxis2={
                "anchor": "x2",
                "domain": _BOTTOM_DOMAIN,
                "title": {"text": "Done %"},
                "range": [0, 110],
            },
            annotations=[subtitle],
            shapes=shapes,
            uniformtext={"minsize": 9, "mode": "hide"},
            bargap=0.15,
        ),
    )


def _target_lines(
    starts: list[pd.Timestamp], ends: list[pd.Timestamp], targets: list[float], weekly: bool
) -> list[dict[str, Any]]:
    """The dashed target line: across the chart for one target, else one piece per run of
    periods with the same target, from its first period's start to its last one's end."""
    line = {"color": BLACK, "dash": "dash", "width": 2}
    unit = "a week" if weekly else "a week, mean"
    if len(set(targets)) == 1:
        target = targets[0]
        return [
            {
                "type": "line",
                "xref": "x domain",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": target,
                "y1": target,
                "line": line,
                "name": f"Target: {target:g} a week",
                "showlegend": True,
            }
        ]
    pieces: list[dict[str, Any]] = []
    first = 0
    for index in range(1, len(targets) + 1):
        if index < len(targets) and targets[index] == targets[first]:
            continue
        pieces.append(
            {
                "type": "line",
                "xref": "x",
                "x0": starts[first],
                "x1": ends[index - 1],
                "yref": "y",
                "y0": targets[first],
                "y1": targets[first],
                "line": line,
                "name": "Target in force each week" if weekly else f"Target {unit}",
                "showlegend": not pieces,
            }
        )
        first = index
    return pieces


def _as_steps(bars: dict[str, Any]) -> dict[str, Any]:
    """A bar trace as a filled step line: each week's value from Monday to Monday."""
    colour = bars["marker"]["color"]
    steps = {key: value for key, value in bars.items() if key != "marker"}
    return steps | {
        "type": "scatter",
        "mode": "lines",
        "line": {"shape": "hvh", "width": 1, "color": colour},
        "fill": "tozeroy",
        "fillcolor": colour,
    }
