"""Plotly figure builders for the Progress and Weekly review pages: data frame in, figure out.

The frames come from :mod:`core.metrics`; these functions only draw them. Colours are the
Okabe-Ito palette (safe for the common forms of colour blindness) and categories are told
apart by marker shape or line dash as well as colour. Hover text is in plain words through
``hovertemplate`` (no per-point strings where it can be helped), legends sit above the plot
so the figures stay readable at phone width, and long series arrive already aggregated
from the metrics, so a figure stays small however long the history.

Each figure is built as plain dicts and validated by Plotly once, in one ``go.Figure``
call: building it call by call (``add_trace``, ``add_shape``, ``update_layout``,
``make_subplots``) re-validates and copies the layout at every step, which made these
builders five times slower.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.metrics import (
    MIC_FRACTION,
    PGIC_OPTIONS,
    SIX_WEEKS,
    SixWeekStatus,
    format_day,
)

# Okabe & Ito (2008), "Color Universal Design".
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
BLACK = "#000000"
GREY = "#8C8C8C"
LIGHT_GREY = "#E6E6E6"
DARK_GREY = "#4D4D4D"

CATEGORY_STYLE: dict[str, tuple[str, str]] = {
    "none": ("No session", LIGHT_GREY),
    "completed": ("Completed", BLUE),
    "partial": ("Partial", SKY_BLUE),
    "stopped_for_pain": ("Stopped for pain", VERMILLION),
}
CATEGORY_CODE: dict[str, int] = {name: code for code, name in enumerate(CATEGORY_STYLE)}

KIND_STYLE: dict[str, tuple[str, str, str]] = {
    # kind: (legend label, colour, marker symbol)
    "before": ("Before a session", ORANGE, "circle"),
    "after": ("After a session", BLUE, "diamond"),
    "checkin": ("Check-in", GREY, "triangle-up"),
    "setup": ("At setup", BLACK, "star"),
}

ARTICLE_CLAIM = "Article's claim: about 80-90% felt better after six weeks"
#: Two short lines, so the legend keeps several entries per row even at phone width.
REFERENCE_LABEL = "Population average,<br>not a forecast"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEK_MS = 7 * 24 * 3600 * 1000
A_MONDAY = "2000-01-03"
CHART_CONFIG: dict[str, object] = {"displaylogo": False, "showSendToCloud": False}


#: Pixels of a character in tick labels (12-13 px sans-serif), rounded up.
_CHAR_PX = 7.5
#: Pixels of an axis title (one line of 13 px) and its gap to the tick labels.
_TITLE_PX = 24
#: Pixels between tick labels and the plot, and of one line of tick labels.
_TICK_GAP_PX = 8
_TICK_LINE_PX = 16


#: A 0-10 scale (pain, PSFS) with a little room at both ends, and the room its labels need.
_ZERO_TO_TEN: dict[str, Any] = {"range": [-0.3, 10.3], "dtick": 2, "fixedrange": True}


def _label_px(labels: Sequence[object]) -> int:
    """How wide the longest of ``labels`` is, in pixels (an estimate, on the generous side)."""
    longest = max((len(str(label)) for label in labels), default=0)
    return math.ceil(longest * _CHAR_PX) + _TICK_GAP_PX


_ZERO_TO_TEN_LEFT = _TITLE_PX + _label_px(["10"])


def _margin_under(lines: int, *, titled: bool) -> int:
    """Room under the plot for ``lines`` lines of x tick labels and an optional title."""
    return lines * _TICK_LINE_PX + _TICK_GAP_PX + (_TITLE_PX if titled else 0)


def _layout(
    height: int, *, legend: bool = True, left: int = 16, bottom: int = 8, **extra: Any
) -> dict[str, Any]:
    """The layout every figure shares (legend above the plot, no dragging), with ``extra``
    on top.

    The margins are set from the labels each figure draws (``left`` for the y tick labels and
    title, ``bottom`` for the x ones): Plotly's ``automargin`` would measure them in the
    browser and lay each chart out again (the six Progress charts alone drew in about 2.0 s
    instead of 2.24 s without it, in Chromium on this project's 2-core machine).
    """
    return {
        "height": height,
        "autosize": True,
        "margin": {"l": left, "r": 16, "t": 40 if legend else 16, "b": bottom},
        "font": {"size": 13},
        "showlegend": legend,
        "legend": {
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "xanchor": "left",
            "x": 0,
            "font": {"size": 12},
        },
        "hoverlabel": {"font": {"size": 13}},
        "hovermode": "closest",
        "dragmode": False,
        "xaxis": {},
        "yaxis": {},
        **extra,
    }


def _figure(traces: list[dict[str, Any]], layout: dict[str, Any]) -> go.Figure:
    """One figure from plain dicts, validated once."""
    return go.Figure(data=traces, layout=layout)


def empty_figure(message: str, *, height: int = 160) -> go.Figure:
    """A blank figure that says what will appear once there is data (wrapped for phones)."""
    message = "<br>".join(textwrap.wrap(message, 40))
    # One empty trace: Streamlit refuses a figure whose data list is empty.
    trace = {"type": "scatter", "x": [], "y": [], "hoverinfo": "skip", "showlegend": False}
    note = {
        "text": message,
        "x": 0.5,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
        "showarrow": False,
        "font": {"size": 14},
        "name": "empty",
    }
    return _figure(
        [trace],
        _layout(
            height,
            legend=False,
            annotations=[note],
            xaxis={"visible": False},
            yaxis={"visible": False},
        ),
    )


# --------------------------------------------------------------------------- adherence


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


def _monday_ticks(weeks: Sequence[pd.Timestamp], most: int = 6) -> dict[str, object]:
    """Axis ticks on week-start Mondays (at most ``most``), the year shown where it changes."""
    mondays = [pd.Timestamp(week) for week in weeks]
    chosen = mondays[:: max(1, math.ceil(len(mondays) / most))]
    texts = []
    for index, week in enumerate(chosen):
        new_year = index == 0 or week.year != chosen[index - 1].year
        texts.append(f"{week.day} {week:%b}" + (f"<br>{week.year}" if new_year else ""))
    return {"tickmode": "array", "tickvals": chosen, "ticktext": texts}


def adherence_calendar(days: pd.DataFrame, *, max_weeks: int = 53) -> go.Figure:
    """A GitHub-style calendar: weekday rows by week columns, one cell per day.

    Colour (and the legend) tells completed, partial and stopped-for-pain days apart; a day
    with several sessions shows its most notable one and lists all in the hover text. Only
    the last ``max_weeks`` weeks of ``days`` (from :func:`core.metrics.session_days`) are
    drawn, so the figure stays readable and small.
    """
    if days.empty:
        return empty_figure("Your sessions will fill this calendar, one square per day.")
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
            "y": list(WEEKDAYS),
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
    return _figure(
        traces,
        _layout(
            260,
            left=_label_px(WEEKDAYS),
            bottom=_margin_under(2, titled=True),
            yaxis={"autorange": "reversed", "fixedrange": True, "showgrid": False},
            xaxis={
                "type": "date",
                "fixedrange": True,
                "showgrid": False,
                "title": {"text": "Week starting (Monday)"},
                **_monday_ticks(weeks),
            },
        ),
    )


#: Weekly series (PGIC, PSFS) longer than this are drawn as lines without markers: at a
#: few pixels per week the markers only overlap, and each is an SVG element to draw.
MARKERS_MAX_WEEKS = 52
#: Up to this many weeks each bar shows its percentage; beyond, bars are too thin to hold
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

    Top: counted sessions per Monday week as bars, the target as a dashed line. Bottom:
    done / prescribed holds and repetitions per week, with a line at 100%.
    """
    if weeks.empty:
        return empty_figure("Your sessions per week will appear here.")
    target = int(weeks["target"].iloc[0])
    labels = [format_day(ts.date()) for ts in weeks["week_start"]]
    percent = [f"{pct:.0f}" for pct in weeks["adherence_pct"]]
    sessions: dict[str, Any] = {
        "type": "bar",
        "x": weeks["week_start"],
        "y": weeks["sessions"],
        "xaxis": "x",
        "yaxis": "y",
        "name": "Sessions",
        "marker": {"color": BLUE},
        "customdata": np.column_stack([labels, percent]),
        "hovertemplate": (
            "Week of %{customdata[0]}<br>%{y} sessions, target "
            f"{target} (%{{customdata[1]}}%)<extra></extra>"
        ),
        "xperiod": WEEK_MS,
        "xperiod0": A_MONDAY,
        "xperiodalignment": "middle",
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
        "x": weeks["week_start"],
        "y": weeks["dose_pct"].round(1),
        "xaxis": "x2",
        "yaxis": "y2",
        "name": "Dose done",
        "marker": {"color": BLUISH_GREEN},
        "customdata": np.column_stack([labels, weeks["done_sets"], weeks["prescribed_sets"]]),
        "hovertemplate": (
            "Week of %{customdata[0]}<br>%{y:.0f}% of holds and repetitions done "
            "(%{customdata[1]} of %{customdata[2]})<extra></extra>"
        ),
        "xperiod": WEEK_MS,
        "xperiod0": A_MONDAY,
        "xperiodalignment": "middle",
        "showlegend": False,
    }
    if len(weeks) > BARS_MAX_WEEKS:
        sessions, dose = _as_steps(sessions), _as_steps(dose)
    shapes = [
        {
            "type": "line",
            "xref": "x domain",
            "x0": 0,
            "x1": 1,
            "yref": "y",
            "y0": target,
            "y1": target,
            "line": {"color": BLACK, "dash": "dash", "width": 2},
            "name": f"Target: {target} a week",
            "showlegend": True,
        },
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
    top = max(target, int(weeks["sessions"].max())) + 1
    ticks = _monday_ticks(list(weeks["week_start"]))
    return _figure(
        [sessions, dose],
        _layout(
            420,
            left=_TITLE_PX + _label_px([top, 110]),
            bottom=_margin_under(2, titled=False),
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


# --------------------------------------------------------------------------- pain


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


def _six_week_end(programme_start: date) -> date:
    return programme_start + timedelta(weeks=SIX_WEEKS)


def pain_trend_chart(
    points: pd.DataFrame,
    rolling: pd.DataFrame,
    status: SixWeekStatus,
    reference: pd.DataFrame | None,
    *,
    programme_start: date,
    start: date,
    end: date,
) -> go.Figure:
    """Pain over time against the baseline and the six-week window.

    Draws each rating (or its daily, weekly or monthly mean, see
    :func:`core.metrics.pain_points`) by kind, the 7-day mean, the baseline, the
    30%-below-baseline line (meaningful improvement, Ostelo 2008) and the 2-point line,
    shades programme weeks 1-6 with the article's claim beside them, and the published
    average course scaled to the baseline as a dashed reference labelled as a population
    average, not a forecast.
    """
    six_end = _six_week_end(programme_start)
    shapes: list[dict[str, Any]] = [
        {
            "type": "rect",
            "xref": "x",
            "x0": pd.Timestamp(programme_start),
            "x1": pd.Timestamp(six_end),
            "yref": "y domain",
            "y0": 0,
            "y1": 1,
            "fillcolor": SKY_BLUE,
            "opacity": 0.15,
            "line": {"width": 0},
            "layer": "below",
            "name": "weeks 1-6",
        }
    ]
    span_days = max(1, (end - start).days + 1)
    late = (six_end - start).days > 0.6 * span_days
    annotations: list[dict[str, Any]] = [
        {
            "xref": "x",
            "x": pd.Timestamp(programme_start),
            "yref": "y domain",
            "y": 1,
            "text": "Weeks 1-6",
            "showarrow": False,
            "xanchor": "left",
            "yanchor": "top",
            "font": {"size": 12, "color": DARK_GREY},
            "name": "weeks 1-6",
        },
        {
            "xref": "x",
            "x": pd.Timestamp(six_end),
            "yref": "y domain",
            "y": 0.9,
            "text": ARTICLE_CLAIM.replace(": ", ":<br>"),
            "showarrow": False,
            "xanchor": "right" if late else "left",
            "yanchor": "top",
            "align": "right" if late else "left",
            "font": {"size": 11, "color": DARK_GREY},
            "bgcolor": "rgba(255,255,255,0.75)",
            "name": "article claim",
        },
    ]

    traces: list[dict[str, Any]] = []
    resolution = str(points["resolution"].iloc[0]) if not points.empty else "rating"
    for kind, (label, colour, symbol) in KIND_STYLE.items():
        subset = points[points["kind"] == kind]
        if subset.empty:
            continue
        flare = np.where(subset["is_flare"].to_numpy(), " · flare logged", "")
        if resolution == "rating":
            # Plotly draws tags it knows (<b>, <a>, <br>) in hover text: escape the user's words.
            notes = [f"<br>“{html.escape(note)}”" if note else "" for note in subset["note"]]
            customdata = np.column_stack([flare, notes])
            template = (
                f"{label}<br>%{{x|%a %-d %b %Y, %H:%M}}<br>Pain %{{y:.0f}} of 10"
                "%{customdata[0]}%{customdata[1]}<extra></extra>"
            )
            name = label
        else:
            period = {"day": "day", "week": "week around", "month": "month around"}[resolution]
            mean_of = {"day": "daily", "week": "weekly", "month": "monthly"}[resolution]
            customdata = np.column_stack([subset["n"].to_numpy(), flare])
            template = (
                f"{label}, mean of the {period} %{{x|%a %-d %b %Y}}<br>"
                "Pain %{y:.1f} of 10 (%{customdata[0]} ratings)%{customdata[1]}<extra></extra>"
            )
            name = f"{label} ({mean_of} mean)"
        traces.append(
            {
                "type": "scatter",
                "x": subset["at"],
                "y": subset["pain"].round(2),
                "mode": "markers",
                "name": name,
                "marker": (
                    {
                        "color": colour,
                        "symbol": symbol,
                        "size": 8,
                        "opacity": 0.85,
                        "line": {"width": 0.5, "color": "white"},
                    }
                    if resolution == "rating"
                    # Hundreds of daily, weekly or monthly means: plain markers draw a third
                    # faster.
                    else {"color": colour, "symbol": symbol, "size": 6}
                ),
                "customdata": customdata,
                "hovertemplate": template,
            }
        )

    if not rolling.empty:
        line = _break_gaps(rolling)
        traces.append(
            {
                "type": "scatter",
                "x": line["day"],
                "y": line["mean_7d"].round(2),
                "mode": "lines",
                "name": "7-day average",
                "line": {"color": BLACK, "width": 2.5},
                "customdata": line["ratings_7d"].to_numpy(),
                "hovertemplate": (
                    "7-day average to %{x|%a %-d %b %Y}: %{y:.1f}"
                    "<br>(%{customdata} ratings)<extra></extra>"
                ),
                "connectgaps": False,
            }
        )

    if status.baseline is not None:
        lines, labels = _threshold_lines(status)
        shapes += lines
        annotations += labels
        if reference is not None and not reference.empty:
            traces.append(
                {
                    "type": "scatter",
                    "x": reference["day"],
                    "y": reference["pain"].round(3),
                    "mode": "lines",
                    "name": REFERENCE_LABEL,
                    "line": {"color": VERMILLION, "dash": "longdash", "width": 2},
                    "customdata": reference["week"].to_numpy(),
                    "hovertemplate": (
                        "Published average course of acute low back pain<br>(Menezes Costa "
                        "2012), week %{customdata}: %{y:.1f}<br>scaled to your baseline. A "
                        "population average, not a forecast.<extra></extra>"
                    ),
                }
            )
    return _figure(
        traces,
        _layout(
            460,
            left=_ZERO_TO_TEN_LEFT,
            bottom=_margin_under(2, titled=False),
            shapes=shapes,
            annotations=annotations,
            yaxis={
                "title": {"text": "Pain (0-10)"},
                **_ZERO_TO_TEN,
            },
            xaxis={
                "type": "date",
                "range": [pd.Timestamp(start), pd.Timestamp(end + timedelta(days=1))],
                "tickformat": "%-d %b\n%Y",
            },
        ),
    )


def _break_gaps(rolling: pd.DataFrame) -> pd.DataFrame:
    """The rolling mean with a blank row wherever days without a 7-day mean interrupt it.

    Rows come daily, or weekly (Sundays) for long ranges: a gap longer than that step is a
    stretch with no ratings, and the line must not bridge it.
    """
    days = rolling["day"]
    gaps = days.diff().dt.days
    step = 7 if len(days) > 2 and gaps.median() >= 7 else 1
    breaks = rolling.loc[gaps > step, ["day"]].assign(day=lambda f: f["day"] - pd.Timedelta(days=1))
    if breaks.empty:
        return rolling
    blanks = breaks.assign(mean_7d=np.nan, ratings_7d=0)
    return pd.concat([rolling, blanks]).sort_values("day", kind="stable").reset_index(drop=True)


def _threshold_lines(status: SixWeekStatus) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The baseline, 30%-below and 2-points-below lines and their labels."""
    assert status.baseline is not None
    base = status.baseline
    thirty = base * (1 - MIC_FRACTION)
    two = base - 2.0
    lines: list[tuple[str, float, str, str, str]] = [
        ("baseline", base, f"Baseline {base:.1f}", DARK_GREY, "dash"),
        ("30% below baseline", thirty, f"30% below baseline: {thirty:.1f}", BLUISH_GREEN, "dot"),
    ]
    if two >= 0:
        lines.append(
            ("2 points below baseline", two, f"2 points below: {two:.1f}", BLUE, "dashdot")
        )
    # With both lines drawn, the lower one's label goes under it so the two never overlap.
    lower = min(thirty, two) if two >= 0 else None
    shapes: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    for name, y, text, colour, dash in lines:
        shapes.append(
            {
                "type": "line",
                "xref": "x domain",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": y,
                "y1": y,
                "line": {"color": colour, "dash": dash, "width": 2},
                "name": name,
            }
        )
        if name == "baseline":
            position = {"x": 0, "xanchor": "left", "yanchor": "bottom"}
        else:
            below = y == lower
            position = {"x": 1, "xanchor": "right", "yanchor": "top" if below else "bottom"}
        annotations.append(
            {
                "xref": "x domain",
                "yref": "y",
                "y": y,
                "text": text,
                "showarrow": False,
                "font": {"size": 11, "color": colour},
                "bgcolor": "rgba(255,255,255,0.8)",
                "name": name,
                **position,
            }
        )
    return shapes, annotations


# --------------------------------------------------------------------------- exercises


def exercise_pain_chart(table: pd.DataFrame, names: Mapping[str, str]) -> go.Figure:
    """Mean pain before and after sessions that included each exercise, joined by a line.

    One row per exercise with paired ratings, in the table's order (discuss-first); its own
    "during" ratings are shown as a third marker where there are any.
    """
    rated = table[table["rated_sessions"] > 0]
    if rated.empty:
        return empty_figure(
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
    return _figure(
        traces,
        _layout(
            120 + 34 * len(rated),
            left=_label_px(labels),
            bottom=_margin_under(1, titled=True),
            xaxis={
                "title": {"text": "Mean pain (0-10)"},
                **_ZERO_TO_TEN,
            },
            yaxis={"autorange": "reversed", "fixedrange": True, "type": "category"},
        ),
    )


#: Columns of :func:`exercise_table_display` holding pain levels (shown with one decimal).
EXERCISE_PAIN_COLUMNS: tuple[str, ...] = ("Pain during", "Before", "After", "Change")
#: What each column of :func:`exercise_table_display` means, for the page's column help.
EXERCISE_COLUMN_HELP: dict[str, str] = {
    "Discuss": "Stopped for pain in two sessions in a row: talk it over with your therapist.",
    "Sessions": "Sessions that had this exercise in their plan.",
    "Done": "Sessions in which you did at least one hold or repetition of it.",
    "Stopped": "Sessions in which you stopped it for pain.",
    "Pain during": "Average pain you rated while doing it, when it hurt (0-10).",
    "Before": "Average pain before sessions that included it (0-10).",
    "After": "Average pain after those sessions (0-10).",
    "Change": "After minus before: below zero means less pain after.",
}


def exercise_table_display(table: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """The exercise table in plain words for the page and the report, in the table's order."""
    return pd.DataFrame(
        {
            "Exercise": [names.get(e, e) for e in table["exercise_id"]],
            "Discuss": ["Yes" if flag else "" for flag in table["discuss"]],
            "Sessions": table["sessions"].to_numpy(),
            "Done": table["times_done"].to_numpy(),
            "Stopped": table["times_stopped"].to_numpy(),
            "Pain during": table["exercise_pain"].round(1).to_numpy(),
            "Before": table["pain_before"].round(1).to_numpy(),
            "After": table["pain_after"].round(1).to_numpy(),
            "Change": table["pain_change"].round(1).to_numpy(),
        }
    )


def dose_table_display(dose: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """Dose adherence per exercise and side in plain words, for the page's table."""
    return pd.DataFrame(
        {
            "Exercise": [names.get(e, e) for e in dose["exercise_id"]],
            "Side": [
                "" if side == "none" else side.capitalize() for side in dose["side"].astype(str)
            ],
            "Prescribed": dose["prescribed"].to_numpy(),
            "Done": dose["done"].to_numpy(),
            "Done %": dose["dose_pct"].round(0).to_numpy(),
        }
    )


# --------------------------------------------------------------------------- check-ins


def pgic_chart(series: pd.DataFrame) -> go.Figure:
    """Weekly PGIC answers, "Very much better" at the top and "No change" in the middle."""
    if series.empty:
        return empty_figure("Your weekly answers to “how has your back changed?” will appear here.")
    labels = [format_day(ts.date()) for ts in series["week_start"]]
    trace = {
        "type": "scatter",
        "x": series["week_start"],
        "y": series["pgic"],
        "mode": "lines+markers" if len(series) <= MARKERS_MAX_WEEKS else "lines",
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
    return _figure(
        [trace],
        _layout(
            320,
            legend=False,
            left=_label_px(list(PGIC_OPTIONS.values())),
            bottom=_margin_under(2, titled=True),
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
                **_monday_ticks(series["week_start"].unique()),
            },
        ),
    )


PSFS_COLOURS = (ORANGE, SKY_BLUE, BLUISH_GREEN, REDDISH_PURPLE, VERMILLION, BLUE, YELLOW)


def psfs_chart(series: pd.DataFrame) -> go.Figure:
    """Weekly PSFS ratings per activity (thin lines) and the PSFS score, their mean (bold)."""
    if series.empty:
        return empty_figure("Your weekly activity ratings (PSFS) will appear here.")
    traces: list[dict[str, Any]] = []
    mode = "lines+markers" if series["week_start"].nunique() <= MARKERS_MAX_WEEKS else "lines"
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
                "name": str(activity),
                "line": {"color": colour, "width": 1.5},
                "marker": {"size": 6, "color": colour},
                "hovertemplate": (
                    f"{activity}<br>Week of %{{x|%a %-d %b %Y}}: %{{y:.0f}} of 10<extra></extra>"
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
    return _figure(
        traces,
        _layout(
            340,
            left=_ZERO_TO_TEN_LEFT,
            bottom=_margin_under(2, titled=False),
            yaxis={
                "title": {"text": "0 = unable, 10 = as before"},
                **_ZERO_TO_TEN,
            },
            xaxis={"type": "date", **_monday_ticks(sorted(series["week_start"].unique()))},
        ),
    )
