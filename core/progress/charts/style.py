"""What every chart shares: the colour-blind-safe palette, the layout, empty figures, week ticks.

Colours are the Okabe-Ito palette (safe for the common forms of colour blindness) and
categories are told apart by marker shape or line dash as well as colour. Hover text is in
plain words through ``hovertemplate``, and legends sit above the plot so the figures stay
readable at phone width. Each figure is built as plain dicts in one ``go.Figure`` call
(building it call by call, ``add_trace``, ``update_layout``, copies the layout at every
step), and without Plotly's check of every property, which cost more than the rest of a
figure's building on each first run: the tests check every figure the dashboard builds
with it instead (tests/unit/test_charts.py).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

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

WEEK_MS = 7 * 24 * 3600 * 1000
A_MONDAY = "2000-01-03"
CHART_CONFIG: dict[str, object] = {"displaylogo": False, "showSendToCloud": False}

MARKERS_MAX_WEEKS = 52
#: Up to this many weeks each bar shows its percentage; beyond, bars are too thin to hold


#: Pixels of a character in tick labels (12-13 px sans-serif), rounded up.
CHAR_PX = 7.5
#: Pixels of an axis title (one line of 13 px) and its gap to the tick labels.
TITLE_PX = 24
#: Pixels between tick labels and the plot, and of one line of tick labels.
TICK_GAP_PX = 8
TICK_LINE_PX = 16


#: A 0-10 scale (pain, PSFS) with a little room at both ends, and the room its labels need.
ZERO_TO_TEN: dict[str, Any] = {"range": [-0.3, 10.3], "dtick": 2, "fixedrange": True}


def label_px(labels: Sequence[object]) -> int:
    """How wide the longest of ``labels`` is, in pixels (an estimate, on the generous side)."""
    longest = max((len(str(label)) for label in labels), default=0)
    return math.ceil(longest * CHAR_PX) + TICK_GAP_PX


ZERO_TO_TEN_LEFT = TITLE_PX + label_px(["10"])


def margin_under(lines: int, *, titled: bool) -> int:
    """Room under the plot for ``lines`` lines of x tick labels and an optional title."""
    return lines * TICK_LINE_PX + TICK_GAP_PX + (TITLE_PX if titled else 0)


def base_layout(
    height: int, *, legend: bool = True, left: int = 16, bottom: int = 8, **extra: Any
) -> dict[str, Any]:
    """The layout every figure shares (legend above the plot, no dragging), with ``extra``
    on top.

    The margins are set from the labels each figure draws (``left`` for the y tick labels and
    title, ``bottom`` for the x ones): Plotly's ``automargin`` would measure them in the
    browser and lay each chart out a second time.
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


def build_figure(traces: list[dict[str, Any]], layout: dict[str, Any]) -> go.Figure:
    """One figure from plain dicts, not checked again by Plotly (see the module's note)."""
    return go.Figure(data=traces, layout=layout, _validate=False)


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
    return build_figure(
        [trace],
        base_layout(
            height,
            legend=False,
            annotations=[note],
            xaxis={"visible": False},
            yaxis={"visible": False},
        ),
    )


def monday_ticks(weeks: Sequence[pd.Timestamp], most: int = 6) -> dict[str, object]:
    """Axis ticks on week-start Mondays (at most ``most``), the year shown where it changes."""
    mondays = [pd.Timestamp(week) for week in weeks]
    chosen = mondays[:: max(1, math.ceil(len(mondays) / most))]
    texts = []
    for index, week in enumerate(chosen):
        new_year = index == 0 or week.year != chosen[index - 1].year
        texts.append(f"{week.day} {week:%b}" + (f"<br>{week.year}" if new_year else ""))
    return {"tickmode": "array", "tickvals": chosen, "ticktext": texts}


def over_time_on_zero_to_ten(
    height: int, y_title: str, xaxis: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    """The layout of a chart of a 0-10 score (pain, PSFS) over dates: two lines of date
    labels under the plot, the score's title and ticks on the left."""
    return base_layout(
        height,
        left=ZERO_TO_TEN_LEFT,
        bottom=margin_under(2, titled=False),
        yaxis={"title": {"text": y_title}, **ZERO_TO_TEN},
        xaxis=xaxis,
        **extra,
    )
