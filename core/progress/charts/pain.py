"""The pain trend chart: resting ratings, the 7-day mean, the baseline and threshold lines,
programme weeks 1-6 and the published average course placed from the pain's onset."""

from __future__ import annotations

import html
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.domain.course import ExpectedCourse
from core.progress.charts import style
from core.progress.charts.style import (
    BLACK,
    BLUE,
    BLUISH_GREEN,
    DARK_GREY,
    GREY,
    ORANGE,
    SKY_BLUE,
    VERMILLION,
)
from core.progress.periods import ADJECTIVE, period_label
from core.progress.six_week import SIX_WEEKS, SixWeekStatus

KIND_STYLE: dict[str, tuple[str, str, str]] = {
    # kind of resting rating: (legend label, colour, marker symbol)
    "before": ("Before a session", ORANGE, "circle"),
    "checkin": ("Check-in", GREY, "triangle-up"),
    "setup": ("At setup", BLACK, "star"),
}

#: Resolutions drawn with day-and-month ticks and the full 7-day line; months, quarters
#: and years of a long range get year ticks.
SHORT = ("rating", "day", "week")

#: The expected course's legend entry, by cohort: two short lines, so the legend keeps
#: several entries per row even at phone width.
REFERENCE_LABELS = {
    "acute": "Average course, acute pain<br>(population, not a forecast)",
    "persistent": "Average course, persistent pain<br>(population, not a forecast)",
}


def _six_week_end(programme_start: date) -> date:
    return programme_start + timedelta(weeks=SIX_WEEKS)


def pain_trend_chart(
    points: pd.DataFrame,
    rolling: pd.DataFrame,
    status: SixWeekStatus,
    course: ExpectedCourse,
    *,
    programme_start: date,
    start: date,
    end: date,
) -> go.Figure:
    """Pain over time against the baseline and the six-week window.

    Draws each resting rating (or its daily, weekly or monthly mean, see
    :func:`core.progress.pain.pain_points`) by kind, the 7-day mean, the baseline and the
    lines of the two thresholds of meaningful change (Ostelo 2008, read from ``status``),
    shades programme weeks 1-6, and the published average course of ``course`` as a
    dashed line labelled with its cohorts as a population average, not a forecast.
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
    annotations: list[dict[str, Any]] = [
        {
            "xref": "x",
            "x": pd.Timestamp(programme_start),
            "yref": "y domain",
            "y": 1,
            "text": f"Programme weeks 1-{SIX_WEEKS}",
            "showarrow": False,
            "xanchor": "left",
            "yanchor": "top",
            "font": {"size": 12, "color": DARK_GREY},
            "name": "weeks 1-6",
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
            # The period in words ("Mon 2 Mar 2026", "week of Mon 2 Mar 2026", "March 2026",
            # "Jan-Mar 2026"): its point sits in its middle.
            periods = [period_label(at, resolution) for at in subset["at"]]  # type: ignore[arg-type]
            customdata = np.column_stack([subset["n"].to_numpy(), flare, periods])
            mean_of = ADJECTIVE[resolution]  # type: ignore[index]
            template = (
                f"{label}, {mean_of} mean, %{{customdata[2]}}<br>"
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
                # Over months or longer the line is one 7-day window per period, noisier than
                # the periods' means: drawn thinner so the means read first.
                "line": {"color": BLACK, "width": 2.5 if resolution in SHORT else 1.5},
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
        if course.cohort is not None and course.points:
            traces.append(_course_trace(course))
    xaxis = {
        "type": "date",
        "range": [pd.Timestamp(start), pd.Timestamp(end + timedelta(days=1))],
        "tickformat": "%-d %b\n%Y" if resolution in SHORT else "%Y",
    }
    return style.build_figure(
        traces,
        style.over_time_on_zero_to_ten(
            460, "Pain (0-10)", xaxis, shapes=shapes, annotations=annotations
        ),
    )


def _break_gaps(rolling: pd.DataFrame) -> pd.DataFrame:
    """The rolling mean with a blank row wherever days without a 7-day mean interrupt it.

    Rows come daily, or one per period (Sundays, month ends ...) for long ranges: a gap
    longer than half again the usual step is a stretch with no ratings, and the line must
    not bridge it.
    """
    days = rolling["day"]
    gaps = days.diff().dt.days
    step = gaps.median() * 1.5 if len(days) > 2 and gaps.median() >= 7 else 1
    breaks = rolling.loc[gaps > step, ["day"]].assign(day=lambda f: f["day"] - pd.Timedelta(days=1))
    if breaks.empty:
        return rolling
    blanks = breaks.assign(mean_7d=np.nan, ratings_7d=0)
    return pd.concat([rolling, blanks]).sort_values("day", kind="stable").reset_index(drop=True)


def _course_trace(course: ExpectedCourse) -> dict[str, Any]:
    """The expected course as a dashed line, hover naming its cohorts and the week since
    the pain began."""
    assert course.cohort is not None
    cohort = "pain under 12 weeks" if course.cohort == "acute" else "pain of 12 weeks to a year"
    return {
        "type": "scatter",
        "x": [pd.Timestamp(point.day) for point in course.points],
        "y": [round(point.pain, 3) for point in course.points],
        "mode": "lines",
        "name": REFERENCE_LABELS[course.cohort],
        "line": {"color": VERMILLION, "dash": "longdash", "width": 2},
        "customdata": [round(point.weeks_since_onset, 1) for point in course.points],
        "hovertemplate": (
            f"Published average course ({cohort} when they joined;<br>Menezes Costa 2012), "
            "%{customdata} weeks after the pain began:<br>%{y:.1f}, scaled to your baseline. "
            "A population average, not a forecast.<extra></extra>"
        ),
    }


def _threshold_lines(status: SixWeekStatus) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The baseline and the two threshold lines (the status's own thresholds) and labels."""
    assert status.baseline is not None
    assert status.threshold_30 is not None and status.threshold_2 is not None
    base, thirty, two = status.baseline, status.threshold_30, status.threshold_2
    percent = f"{status.mic_fraction:.0%}"
    points = f"{status.mic_points:g} points"
    lines: list[tuple[str, float, str, str, str]] = [
        ("baseline", base, f"Baseline {base:.1f}", DARK_GREY, "dash"),
        (
            f"{percent} below baseline",
            thirty,
            f"{percent} below: {thirty:.1f}",
            BLUISH_GREEN,
            "dot",
        ),
    ]
    if two >= 0:
        lines.append(
            (f"{points} below baseline", two, f"{points} below: {two:.1f}", BLUE, "dashdot")
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
