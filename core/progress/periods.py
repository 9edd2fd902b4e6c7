"""The one rule that keeps long charts small: how coarse a series' points must be.

Every chart of a series over time (pain, the session effect, sessions per week, PGIC, PSFS)
draws one point per period: its own unit (a rating, a session, a week) while that stays
within :data:`POINTS_PER_TRACE_MAX` points, else the finest of a day, a Monday week, a
calendar month, a quarter or a year that does. :func:`period_for` picks it;
:func:`by_period` regroups an already weekly frame into it; :data:`MARKER_OFFSET` places a
period's point in its middle (SQL intervals, for the queries that group in DuckDB).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Literal

import pandas as pd

from core.domain.wording import format_day

Period = Literal["day", "week", "month", "quarter", "year"]
PERIODS: tuple[Period, ...] = ("day", "week", "month", "quarter", "year")

#: The most points one trace draws. A chart is about 1,000 px wide on a desktop, so each
#: point keeps at least 3 px of its own: its 6 px marker overlaps its neighbours by half at
#: most, and a line still shows every rise and dip. Each point also costs its x, y and hover
#: data in the page (about 60 bytes a trace): seven charts of this many points stay well
#: within the 500 kB a page may send. 300 weeks is almost six years; 300 months, 25.
POINTS_PER_TRACE_MAX = 300

#: From a period's first moment to the point drawn for it: its middle, at noon (Thursday of
#: a Monday week, the 15th of a month, 15 February / May / August / November, 1 July).
MARKER_OFFSET: Mapping[Period, str] = {
    "day": "12 hours",
    "week": "84 hours",
    "month": "14 days 12 hours",
    "quarter": "1 month 14 days 12 hours",
    "year": "6 months 12 hours",
}

#: How a period is named in chart words: "monthly means", "the month of ...".
ADJECTIVE: Mapping[Period, str] = {
    "day": "daily",
    "week": "weekly",
    "month": "monthly",
    "quarter": "quarterly",
    "year": "yearly",
}

_PANDAS_FREQ: Mapping[Period, str] = {
    "day": "D",
    "week": "W-SUN",
    "month": "M",
    "quarter": "Q",
    "year": "Y",
}
#: Where Plotly counts calendar periods from (``xperiod0``): a 1 January.
PERIOD_ORIGIN = "2000-01-01"
#: Plotly's ``xperiod`` of a bar that spans a whole period (ms for fixed lengths, "M<n>"
#: for calendar months).
PLOTLY_PERIOD: Mapping[Period, int | str] = {
    "day": 24 * 3600 * 1000,
    "week": 7 * 24 * 3600 * 1000,
    "month": "M1",
    "quarter": "M3",
    "year": "M12",
}


def periods_touching(first: date, last: date, period: Period) -> int:
    """How many periods the days ``first .. last`` touch (partial ones at both ends count)."""
    if last < first:
        return 0
    if period == "day":
        return (last - first).days + 1
    if period == "week":
        return (last.toordinal() - last.weekday() - first.toordinal() + first.weekday()) // 7 + 1
    if period == "month":
        return (last.year - first.year) * 12 + last.month - first.month + 1
    if period == "quarter":
        return (last.year - first.year) * 4 + (last.month - 1) // 3 - (first.month - 1) // 3 + 1
    return last.year - first.year + 1


def period_for(first: date, last: date, finest: Period = "day") -> Period:
    """The finest period, no finer than ``finest``, that draws ``first .. last`` within
    :data:`POINTS_PER_TRACE_MAX` points (a year beyond that, however long the span)."""
    candidates = PERIODS[PERIODS.index(finest) :]
    for period in candidates:
        if periods_touching(first, last, period) <= POINTS_PER_TRACE_MAX:
            return period
    return "year"


def period_start(moments: pd.Series, period: Period) -> pd.Series:
    """The first day (midnight) of the period holding each of ``moments``."""
    return moments.dt.to_period(_PANDAS_FREQ[period]).dt.start_time.astype(moments.dtype)


def by_period(
    weekly: pd.DataFrame,
    period: Period,
    *,
    sums: tuple[str, ...] = (),
    means: tuple[str, ...] = (),
    medians: tuple[str, ...] = (),
    keys: tuple[str, ...] = (),
) -> pd.DataFrame:
    """A weekly frame (``week_start`` Mondays) regrouped by ``period``: each week joins the
    period its Monday falls in.

    Columns: ``period_start`` (the period's first day), ``keys``, ``weeks`` (weekly rows
    grouped), then ``sums`` (totals), ``means`` (the mean of the weekly values, missing
    ones skipped) and ``medians`` (the lower middle value, so an answer stays one of the
    answers), and ``period``. Rows sorted by ``period_start`` then ``keys``.
    """
    frame = weekly.assign(period_start=period_start(weekly["week_start"], period))
    grouped = frame.groupby(["period_start", *keys], sort=True)
    result = grouped.size().rename("weeks").to_frame()
    for column in sums:
        result[column] = grouped[column].sum()
    for column in means:
        result[column] = grouped[column].mean()
    for column in medians:
        result[column] = grouped[column].quantile(0.5, interpolation="lower")
    return result.reset_index().assign(period=period)


def period_label(moment: object, period: Period) -> str:
    """The period holding ``moment`` in words: "Mon 2 Mar 2026" (a day), "week of Mon 2
    Mar 2026", "March 2026", "Jan-Mar 2026" (a quarter) or "2026"."""
    # Plain date arithmetic: pandas' to_period costs ten times as much, and charts of
    # years label hundreds of points.
    day = pd.Timestamp(moment).date()  # type: ignore[arg-type]
    if period == "day":
        return format_day(day)
    if period == "week":
        return f"week of {format_day(day - timedelta(days=day.weekday()))}"
    if period == "month":
        return f"{day:%B %Y}"
    if period == "quarter":
        first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        last = date(day.year, first.month + 2, 1)
        return f"{first:%b}-{last:%b %Y}"
    return f"{day:%Y}"


def drawn_by(frame: pd.DataFrame) -> tuple[Period, pd.Series]:
    """The period of a frame's rows and each row's first day: ``period_start`` of a frame
    :func:`by_period` made, else ``week_start`` of a weekly one."""
    if "period" in frame.columns:
        return frame["period"].iloc[0], frame["period_start"]
    return "week", frame["week_start"]


def next_start(starts: pd.Series, period: Period) -> pd.Series:
    """The first day of the period after each of ``starts`` (first days of ``period``)."""
    if period in ("day", "week"):
        return starts + pd.Timedelta(days=1 if period == "day" else 7)
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    return starts + pd.DateOffset(months=months)
