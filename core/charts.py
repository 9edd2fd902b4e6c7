"""Plotly figure builders for the Progress and Weekly review pages: data frame in, figure out.

The frames come from :mod:`core.metrics`; these functions only draw them. Colours are the
Okabe-Ito palette (safe for the common forms of colour blindness) and categories are told
apart by marker shape or line dash as well as colour. Hover text is in plain words through
``hovertemplate`` (no per-point strings where it can be helped), legends sit above the plot
so the figures stay readable at phone width, and long series arrive already aggregated
from the metrics, so a figure stays small however long the history.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

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


def _base_layout(fig: go.Figure, *, height: int, legend: bool = True) -> go.Figure:
    fig.update_layout(
        height=height,
        autosize=True,
        margin={"l": 8, "r": 8, "t": 40 if legend else 16, "b": 8},
        font={"size": 13},
        showlegend=legend,
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "xanchor": "left",
            "x": 0,
            "font": {"size": 12},
        },
        hoverlabel={"font": {"size": 13}},
        hovermode="closest",
        dragmode=False,
    )
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    return fig


def empty_figure(message: str, *, height: int = 160) -> go.Figure:
    """A blank figure that says what will appear once there is data (wrapped for phones)."""
    message = "<br>".join(textwrap.wrap(message, 40))
    # One empty trace: Streamlit refuses a figure whose data list is empty.
    fig = go.Figure(go.Scatter(x=[], y=[], hoverinfo="skip", showlegend=False))
    fig.add_annotation(
        text=message,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 14},
        name="empty",
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _base_layout(fig, height=height, legend=False)


# --------------------------------------------------------------------------- adherence


def _day_text(row: pd.Series) -> str:
    day = format_day(row["day"].date())
    sessions = int(row["sessions"])
    if sessions == 0:
        return f"{day}: no session"
    parts = [
        f"{int(row[column])} {label.lower()}"
        for column, label in (
            ("completed", "completed"),
            ("partial", "partial"),
            ("stopped_for_pain", "stopped for pain"),
        )
        if int(row[column])
    ]
    noun = "session" if sessions == 1 else "sessions"
    return f"{day}: {sessions} {noun} ({', '.join(parts)})"


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
    codes = shown.pivot(index="weekday", columns="week_start", values="category")
    codes = codes.reindex(index=range(7), columns=weeks)
    z = codes.apply(lambda column: column.map(CATEGORY_CODE)).to_numpy(dtype=float)
    texts = shown.assign(text=shown.apply(_day_text, axis=1)).pivot(
        index="weekday", columns="week_start", values="text"
    )
    texts = texts.reindex(index=range(7), columns=weeks).fillna("")
    colours = [style[1] for style in CATEGORY_STYLE.values()]
    steps = len(colours)
    colorscale = []
    for code, colour in enumerate(colours):
        colorscale += [[code / steps, colour], [(code + 1) / steps, colour]]
    fig = go.Figure(
        go.Heatmap(
            x=pd.DatetimeIndex(weeks),
            y=list(WEEKDAYS),
            z=z,
            text=texts.to_numpy(),
            hovertemplate="%{text}<extra></extra>",
            colorscale=colorscale,
            zmin=-0.5,
            zmax=steps - 0.5,
            showscale=False,
            xgap=3,
            ygap=3,
            name="Days",
        )
    )
    for category, (label, colour) in CATEGORY_STYLE.items():
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"symbol": "square", "size": 12, "color": colour},
                name=label,
                legendgroup=category,
                hoverinfo="skip",
            )
        )
    fig.update_yaxes(autorange="reversed", fixedrange=True, showgrid=False)
    fig.update_xaxes(
        type="date",
        fixedrange=True,
        showgrid=False,
        title_text="Week starting (Monday)",
        **_monday_ticks(weeks),
    )
    return _base_layout(fig, height=260)


def weekly_adherence_chart(weeks: pd.DataFrame) -> go.Figure:
    """Sessions per week against the target (with the % in the bar) and dose adherence.

    Top: counted sessions per Monday week as bars, the target as a dashed line. Bottom:
    done / prescribed holds and repetitions per week, with a line at 100%.
    """
    if weeks.empty:
        return empty_figure("Your sessions per week will appear here.")
    target = int(weeks["target"].iloc[0])
    labels = [format_day(ts.date()) for ts in weeks["week_start"]]
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.14,
        row_heights=[0.6, 0.4],
        subplot_titles=("", "Holds and reps done / prescribed"),
    )
    fig.add_trace(
        go.Bar(
            x=weeks["week_start"],
            y=weeks["sessions"],
            name="Sessions",
            marker={"color": BLUE},
            text=[f"{pct:.0f}%" for pct in weeks["adherence_pct"]],
            textposition="inside",
            insidetextanchor="end",
            textangle=0,
            customdata=np.column_stack([labels, [f"{pct:.0f}" for pct in weeks["adherence_pct"]]]),
            hovertemplate=(
                "Week of %{customdata[0]}<br>%{y} sessions, target "
                f"{target} (%{{customdata[1]}}%)<extra></extra>"
            ),
            xperiod=WEEK_MS,
            xperiod0=A_MONDAY,
            xperiodalignment="middle",
            showlegend=False,
        ),
        row=1,
        col=1,
    )
    dose = weeks["dose_pct"].round(1)
    fig.add_trace(
        go.Bar(
            x=weeks["week_start"],
            y=dose,
            name="Dose done",
            marker={"color": BLUISH_GREEN},
            customdata=np.column_stack([labels, weeks["done_sets"], weeks["prescribed_sets"]]),
            hovertemplate=(
                "Week of %{customdata[0]}<br>%{y:.0f}% of holds and repetitions done "
                "(%{customdata[1]} of %{customdata[2]})<extra></extra>"
            ),
            xperiod=WEEK_MS,
            xperiod0=A_MONDAY,
            xperiodalignment="middle",
            showlegend=False,
        ),
        row=2,
        col=1,
    )
    fig.add_shape(
        type="line",
        xref="x domain",
        x0=0,
        x1=1,
        yref="y",
        y0=target,
        y1=target,
        line={"color": BLACK, "dash": "dash", "width": 2},
        name=f"Target: {target} a week",
        showlegend=True,
    )
    fig.add_shape(
        type="line",
        xref="x2 domain",
        x0=0,
        x1=1,
        yref="y2",
        y0=100,
        y1=100,
        line={"color": DARK_GREY, "dash": "dot", "width": 1},
        name="dose 100%",
    )
    top = max(target, int(weeks["sessions"].max())) + 1
    fig.update_yaxes(title_text="Sessions", range=[0, top], dtick=1 if top <= 8 else None, row=1)
    fig.update_yaxes(title_text="Done %", range=[0, 110], row=2)
    fig.update_xaxes(type="date", **_monday_ticks(list(weeks["week_start"])))
    fig.update_layout(uniformtext={"minsize": 9, "mode": "hide"}, bargap=0.15)
    return _base_layout(fig, height=420)


# --------------------------------------------------------------------------- pain


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

    Draws each rating (or its daily/weekly mean, see :func:`core.metrics.pain_points`) by
    kind, the 7-day mean, the baseline, the 30%-below-baseline line (meaningful improvement,
    Ostelo 2008) and the 2-point line, shades programme weeks 1-6 with the article's claim
    beside them, and the published average course scaled to the baseline as a dashed
    reference labelled as a population average, not a forecast.
    """
    fig = go.Figure()
    six_end = _six_week_end(programme_start)
    fig.add_shape(
        type="rect",
        xref="x",
        x0=pd.Timestamp(programme_start),
        x1=pd.Timestamp(six_end),
        yref="y domain",
        y0=0,
        y1=1,
        fillcolor=SKY_BLUE,
        opacity=0.15,
        line={"width": 0},
        layer="below",
        name="weeks 1-6",
    )
    fig.add_annotation(
        xref="x",
        x=pd.Timestamp(programme_start),
        yref="y domain",
        y=1,
        text="Weeks 1-6",
        showarrow=False,
        xanchor="left",
        yanchor="top",
        font={"size": 12, "color": DARK_GREY},
        name="weeks 1-6",
    )
    span_days = max(1, (end - start).days + 1)
    late = (six_end - start).days > 0.6 * span_days
    fig.add_annotation(
        xref="x",
        x=pd.Timestamp(six_end),
        yref="y domain",
        y=0.9,
        text=ARTICLE_CLAIM.replace(": ", ":<br>"),
        showarrow=False,
        xanchor="right" if late else "left",
        yanchor="top",
        align="right" if late else "left",
        font={"size": 11, "color": DARK_GREY},
        bgcolor="rgba(255,255,255,0.75)",
        name="article claim",
    )

    resolution = str(points["resolution"].iloc[0]) if not points.empty else "rating"
    for kind, (label, colour, symbol) in KIND_STYLE.items():
        subset = points[points["kind"] == kind]
        if subset.empty:
            continue
        flare = np.where(subset["is_flare"].to_numpy(), " · flare logged", "")
        if resolution == "rating":
            notes = [f"<br>“{note}”" if note else "" for note in subset["note"]]
            customdata = np.column_stack([flare, notes])
            template = (
                f"{label}<br>%{{x|%a %-d %b %Y, %H:%M}}<br>Pain %{{y:.0f}} of 10"
                "%{customdata[0]}%{customdata[1]}<extra></extra>"
            )
            name = label
        else:
            period = "day" if resolution == "day" else "week around"
            customdata = np.column_stack([subset["n"].to_numpy(), flare])
            template = (
                f"{label}, mean of the {period} %{{x|%a %-d %b %Y}}<br>"
                "Pain %{y:.1f} of 10 (%{customdata[0]} ratings)%{customdata[1]}<extra></extra>"
            )
            name = f"{label} ({'daily' if resolution == 'day' else 'weekly'} mean)"
        fig.add_trace(
            go.Scatter(
                x=subset["at"],
                y=subset["pain"].round(2),
                mode="markers",
                name=name,
                marker={
                    "color": colour,
                    "symbol": symbol,
                    "size": 8 if resolution == "rating" else 6,
                    "opacity": 0.85,
                    "line": {"width": 0.5, "color": "white"},
                },
                customdata=customdata,
                hovertemplate=template,
            )
        )

    if not rolling.empty:
        line = _break_gaps(rolling)
        fig.add_trace(
            go.Scatter(
                x=line["day"],
                y=line["mean_7d"].round(2),
                mode="lines",
                name="7-day average",
                line={"color": BLACK, "width": 2.5},
                customdata=line["ratings_7d"].to_numpy(),
                hovertemplate=(
                    "7-day average to %{x|%a %-d %b %Y}: %{y:.1f}"
                    "<br>(%{customdata} ratings)<extra></extra>"
                ),
                connectgaps=False,
            )
        )

    if status.baseline is not None:
        _threshold_lines(fig, status)
        if reference is not None and not reference.empty:
            fig.add_trace(
                go.Scatter(
                    x=reference["day"],
                    y=reference["pain"].round(3),
                    mode="lines",
                    name=REFERENCE_LABEL,
                    line={"color": VERMILLION, "dash": "longdash", "width": 2},
                    customdata=reference["week"].to_numpy(),
                    hovertemplate=(
                        "Published average course of acute low back pain<br>(Menezes Costa "
                        "2012), week %{customdata}: %{y:.1f}<br>scaled to your baseline. A "
                        "population average, not a forecast.<extra></extra>"
                    ),
                )
            )
    fig.update_yaxes(title_text="Pain (0-10)", range=[-0.3, 10.3], dtick=2, fixedrange=True)
    fig.update_xaxes(
        type="date",
        range=[pd.Timestamp(start), pd.Timestamp(end + timedelta(days=1))],
        tickformat="%-d %b\n%Y",
    )
    return _base_layout(fig, height=460)


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


def _threshold_lines(fig: go.Figure, status: SixWeekStatus) -> None:
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
    for name, y, text, colour, dash in lines:
        fig.add_shape(
            type="line",
            xref="x domain",
            x0=0,
            x1=1,
            yref="y",
            y0=y,
            y1=y,
            line={"color": colour, "dash": dash, "width": 2},
            name=name,
        )
        if name == "baseline":
            position = {"x": 0, "xanchor": "left", "yanchor": "bottom"}
        else:
            below = y == lower
            position = {"x": 1, "xanchor": "right", "yanchor": "top" if below else "bottom"}
        fig.add_annotation(
            xref="x domain",
            yref="y",
            y=y,
            text=text,
            showarrow=False,
            font={"size": 11, "color": colour},
            bgcolor="rgba(255,255,255,0.8)",
            name=name,
            **position,
        )


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
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=connector_x,
            y=connector_y,
            mode="lines",
            line={"color": GREY, "width": 2},
            hoverinfo="skip",
            showlegend=False,
            name="change",
        )
    )
    sessions = rated["rated_sessions"].to_numpy()
    for label, values, colour, symbol in (
        ("Before a session", before, ORANGE, "circle"),
        ("After a session", after, BLUE, "diamond"),
    ):
        fig.add_trace(
            go.Scatter(
                x=values,
                y=labels,
                mode="markers",
                name=label,
                marker={"color": colour, "symbol": symbol, "size": 11},
                customdata=sessions,
                hovertemplate=(
                    f"%{{y}}<br>{label}: mean pain %{{x:.1f}}"
                    "<br>(%{customdata} sessions with both ratings)<extra></extra>"
                ),
            )
        )
    during = rated[rated["exercise_ratings"] > 0]
    if not during.empty:
        fig.add_trace(
            go.Scatter(
                x=during["exercise_pain"].round(2),
                y=[names.get(e, e) for e in during["exercise_id"]],
                mode="markers",
                name="During the exercise (when it hurt)",
                marker={"color": VERMILLION, "symbol": "x", "size": 10},
                customdata=during["exercise_ratings"].to_numpy(),
                hovertemplate=(
                    "%{y}<br>Pain during the exercise: mean %{x:.1f}"
                    "<br>(%{customdata} ratings)<extra></extra>"
                ),
            )
        )
    fig.update_xaxes(title_text="Mean pain (0-10)", range=[-0.3, 10.3], dtick=2, fixedrange=True)
    fig.update_yaxes(autorange="reversed", fixedrange=True, type="category")
    return _base_layout(fig, height=120 + 34 * len(rated))


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
    """The exercise table in plain words for ``st.dataframe``, in the table's order."""
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
    """Dose adherence per exercise and side in plain words for ``st.dataframe``."""
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
    fig = go.Figure(
        go.Scatter(
            x=series["week_start"],
            y=series["pgic"],
            mode="lines+markers",
            name="Overall change (PGIC)",
            line={"color": BLUE, "width": 2},
            marker={"size": 9, "color": BLUE},
            customdata=np.column_stack([labels, series["answer"].astype(object)]),
            hovertemplate="Week of %{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        )
    )
    fig.add_shape(
        type="line",
        xref="x domain",
        x0=0,
        x1=1,
        yref="y",
        y0=4,
        y1=4,
        line={"color": GREY, "dash": "dot", "width": 1},
        name="no change",
    )
    fig.update_yaxes(
        tickvals=list(PGIC_OPTIONS),
        ticktext=list(PGIC_OPTIONS.values()),
        range=[7.5, 0.5],
        fixedrange=True,
    )
    fig.update_xaxes(
        type="date", title_text="Week starting", **_monday_ticks(series["week_start"].unique())
    )
    return _base_layout(fig, height=320, legend=False)


PSFS_COLOURS = (ORANGE, SKY_BLUE, BLUISH_GREEN, REDDISH_PURPLE, VERMILLION, BLUE, YELLOW)


def psfs_chart(series: pd.DataFrame) -> go.Figure:
    """Weekly PSFS ratings per activity (thin lines) and the PSFS score, their mean (bold)."""
    if series.empty:
        return empty_figure("Your weekly activity ratings (PSFS) will appear here.")
    fig = go.Figure()
    activities = series[~series["is_mean"]]
    order = activities.drop_duplicates("activity").sort_values(["position", "activity"])
    for index, activity in enumerate(order["activity"]):
        rows = activities[activities["activity"] == activity]
        colour = PSFS_COLOURS[index % len(PSFS_COLOURS)]
        fig.add_trace(
            go.Scatter(
                x=rows["week_start"],
                y=rows["score"],
                mode="lines+markers",
                name=str(activity),
                line={"color": colour, "width": 1.5},
                marker={"size": 6, "color": colour},
                hovertemplate=(
                    f"{activity}<br>Week of %{{x|%a %-d %b %Y}}: %{{y:.0f}} of 10<extra></extra>"
                ),
            )
        )
    mean = series[series["is_mean"]]
    fig.add_trace(
        go.Scatter(
            x=mean["week_start"],
            y=mean["score"].round(2),
            mode="lines+markers",
            name="PSFS score (mean)",
            line={"color": BLACK, "width": 3},
            marker={"size": 8, "color": BLACK},
            hovertemplate="PSFS score, week of %{x|%a %-d %b %Y}: %{y:.1f} of 10<extra></extra>",
        )
    )
    fig.update_yaxes(
        title_text="0 = unable, 10 = as before", range=[-0.3, 10.3], dtick=2, fixedrange=True
    )
    fig.update_xaxes(type="date", **_monday_ticks(sorted(series["week_start"].unique())))
    return _base_layout(fig, height=340)
