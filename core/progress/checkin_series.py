"""The weekly check-in answers over time: PGIC answers and PSFS scores per week."""

from __future__ import annotations

from datetime import date

import pandas as pd

from core.db.store import Store
from core.domain.days import monday
from core.domain.measures import PGIC_OPTIONS
from core.domain.models import Profile
from core.progress.periods import Period, by_period, period_for
from core.progress.queries import fetch_frame
from core.progress.ranges import resolve_range


def pgic_series(
    store: Store, profile: Profile, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """Weekly PGIC answers (1 very much better .. 7 very much worse) with their wording.

    Columns: ``week_start``, ``pgic``, ``answer``; one row per week that has an answer.
    """
    start, end = resolve_range(store, profile, start, end)
    frame = fetch_frame(
        store,
        """
        SELECT CAST(week_start AS DATE) AS week_start, CAST(pgic AS BIGINT) AS pgic
        FROM weekly_checkins
        WHERE profile_id = $pid AND pgic IS NOT NULL
          AND week_start BETWEEN $first_week AND $end
        ORDER BY week_start
        """,
        {"pid": profile.id, "first_week": monday(start), "end": end},
    )
    frame["answer"] = pd.Series(
        [PGIC_OPTIONS[int(value)] for value in frame["pgic"]], index=frame.index, dtype="str"
    )
    return frame


PSFS_MEAN_LABEL = "PSFS score (mean)"


def psfs_series(
    store: Store, profile: Profile, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """Weekly PSFS ratings per activity, plus the weekly score (their mean) as rows too.

    Columns: ``week_start``, ``activity`` (its name, or :data:`PSFS_MEAN_LABEL`),
    ``position`` (the activity's order; 0 for the mean), ``score``, ``is_mean``.
    """
    start, end = resolve_range(store, profile, start, end)
    return fetch_frame(
        store,
        """
        WITH s AS (
            SELECT CAST(s.week_start AS DATE) AS week_start, a.name AS activity,
                   CAST(a.position AS BIGINT) AS position, CAST(s.score AS DOUBLE) AS score
            FROM psfs_scores s JOIN psfs_activities a ON a.id = s.activity_id
            WHERE s.profile_id = $pid AND a.profile_id = $pid
              AND s.week_start BETWEEN $first_week AND $end
        )
        SELECT week_start, activity, position, score, false AS is_mean FROM s
        UNION ALL
        SELECT week_start, $mean_label, CAST(0 AS BIGINT), avg(score), true FROM s
        GROUP BY week_start
        ORDER BY week_start, is_mean, position, activity
        """,
        {
            "pid": profile.id,
            "first_week": monday(start),
            "end": end,
            "mean_label": PSFS_MEAN_LABEL,
        },
    )


def _drawn_period(series: pd.DataFrame) -> Period:
    """The period a weekly series is drawn by ("week" when it may stay weekly)."""
    if series.empty:
        return "week"
    first, last = series["week_start"].min().date(), series["week_start"].max().date()
    return period_for(first, last, "week")


def pgic_by_period(series: pd.DataFrame) -> pd.DataFrame:
    """:func:`pgic_series` as the chart draws it: unchanged up to
    :data:`core.progress.periods.POINTS_PER_TRACE_MAX` weeks, else the median answer of
    each month (quarter, year: the shared rule) over the weeks whose Monday falls in it.

    The answers are ordered categories, not amounts: their mean (3.4 between "a little
    better" and "no change") names no answer, the median does; of an even count the
    better of the two middle answers is taken. Columns: ``period_start``, ``weeks``
    (answers), ``pgic``, ``answer``, ``period``.
    """
    period = _drawn_period(series)
    if period == "week":
        return series
    grouped = by_period(series, period, medians=("pgic",))
    grouped["pgic"] = grouped["pgic"].astype("int64")
    grouped["answer"] = pd.Series(
        [PGIC_OPTIONS[int(value)] for value in grouped["pgic"]], index=grouped.index, dtype="str"
    )
    return grouped[["period_start", "weeks", "pgic", "answer", "period"]]


def psfs_by_period(series: pd.DataFrame) -> pd.DataFrame:
    """:func:`psfs_series` as the chart draws it: unchanged up to
    :data:`core.progress.periods.POINTS_PER_TRACE_MAX` weeks, else each activity's mean
    rating and the mean of the weekly PSFS scores per month (quarter, year: the shared
    rule), over the weeks whose Monday falls in it. Columns: ``period_start``,
    ``activity``, ``position``, ``is_mean``, ``weeks`` (rated), ``score``, ``period``.
    """
    period = _drawn_period(series)
    if period == "week":
        return series
    return by_period(
        series,
        period,
        means=("score",),
        keys=("is_mean", "position", "activity"),
    )
