"""The pain trend: the ratings that measure the condition, their 7-day mean, the baseline and
the published average course it is drawn against.

* **Trend ratings.** Kinds ``setup``, ``before``, ``after`` and ``checkin``; kind
  ``exercise`` (pain during one exercise) belongs to the exercise table instead.
* **7-day mean** on day *d*: the mean of every trend rating on local days *d-6 .. d*; it
  exists only on days whose window holds at least one rating.
* **Baseline.** The mean of the trend ratings of programme week 1; if there are none, the
  latest setup rating (else the profile's setup pain); else none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

import pandas as pd

from core.db.store import Store
from core.domain.models import Profile
from core.progress.queries import date_series, fetch_frame, range_params, run
from core.progress.ranges import resolve_range

TREND_KINDS: tuple[str, ...] = ("setup", "before", "after", "checkin")
WINDOW_DAYS = 7
#: Ratings are drawn one by one up to this span of days, as daily means up to the next.
RAW_POINTS_MAX_DAYS = 120
DAILY_POINTS_MAX_DAYS = 730
#: Beyond three years a week's dot is a pixel or two wide: the pain chart shows months.
WEEKLY_POINTS_MAX_DAYS = 1095
#: Mean pain (0-100) of acute low back pain by weeks since onset: Menezes Costa et al.
#: 2012, CMAJ (33 cohorts). Drawn scaled to the user's baseline, never as a forecast.
MENEZES_COSTA_2012: tuple[tuple[int, float], ...] = ((0, 52.0), (6, 23.0), (26, 12.0), (52, 6.0))

TREND_KINDS_SQL = "(" + ", ".join(f"'{kind}'" for kind in TREND_KINDS) + ")"
TREND_RATINGS = f"""
    trend AS (
        SELECT id, recorded_at, pain, kind, is_flare, note,
               CAST(timezone($tz, recorded_at) AS DATE) AS day
        FROM pain_ratings
        WHERE profile_id = $pid AND kind IN {TREND_KINDS_SQL}
          AND recorded_at >= $lo AND recorded_at < $hi
    )
"""


def pain_points(
    store: Store, profile: Profile, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """Trend ratings of the range for display, resampled when the span is long.

    Up to :data:`RAW_POINTS_MAX_DAYS` days between the first and last rating: one row per
    rating (``resolution`` "rating", ``at`` its local time). Up to
    :data:`DAILY_POINTS_MAX_DAYS`: one row per local day and kind (``resolution`` "day",
    ``at`` noon, ``pain`` the mean, ``n`` the count). Up to :data:`WEEKLY_POINTS_MAX_DAYS`:
    one row per Monday week and kind ("week", ``at`` Thursday noon). Beyond: one row per
    calendar month and kind ("month", ``at`` the 15th at noon). Columns: ``at``, ``kind``,
    ``pain``, ``n``, ``is_flare`` (any flare among them), ``note`` (a single rating's note,
    else ""), ``resolution``.
    """
    start, end = resolve_range(store, profile, start, end)
    return fetch_frame(
        store,
        f"""
        WITH {TREND_RATINGS},
        r AS (SELECT * FROM trend WHERE day BETWEEN $start AND $end),
        res AS (
            SELECT CASE
                WHEN coalesce(max(day) - min(day), 0) + 1 <= $raw_days THEN 'rating'
                WHEN max(day) - min(day) + 1 <= $daily_days THEN 'day'
                WHEN max(day) - min(day) + 1 <= $weekly_days THEN 'week'
                ELSE 'month' END AS resolution
            FROM r
        ),
        bucketed AS (
            SELECT CASE res.resolution
                       WHEN 'rating' THEN timezone($tz, r.recorded_at)
                       WHEN 'day' THEN CAST(r.day AS TIMESTAMP) + INTERVAL 12 HOUR
                       WHEN 'week' THEN CAST(date_trunc('week', r.day) AS TIMESTAMP)
                           + INTERVAL 84 HOUR
                       ELSE CAST(date_trunc('month', r.day) AS TIMESTAMP) + INTERVAL 348 HOUR
                   END AS "at",
                   CASE WHEN res.resolution = 'rating' THEN r.id END AS one,
                   r.kind, r.pain, r.is_flare, r.note, res.resolution
            FROM r, res
        )
        SELECT "at", kind, avg(pain) AS pain, count(*) AS n, bool_or(is_flare) AS is_flare,
               CASE WHEN any_value(resolution) = 'rating' THEN any_value(note) ELSE '' END
                   AS note,
               any_value(resolution) AS resolution
        FROM bucketed
        GROUP BY "at", kind, one
        ORDER BY "at", kind, one
        """,
        range_params(
            profile,
            start,
            end,
            raw_days=RAW_POINTS_MAX_DAYS,
            daily_days=DAILY_POINTS_MAX_DAYS,
            weekly_days=WEEKLY_POINTS_MAX_DAYS,
        ),
    )


def pain_rolling(
    store: Store, profile: Profile, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """The 7-day mean of trend ratings for each local day of the range that has one.

    The window of day *d* is local days *d-6 .. d* and may reach back before the range.
    Columns: ``day``, ``mean_7d`` (mean of every rating in the window), ``ratings_7d``.
    For ranges longer than :data:`DAILY_POINTS_MAX_DAYS` only Sundays (whose window is the
    Monday week) and the range's last day are returned, to keep long charts light.
    """
    start, end = resolve_range(store, profile, start, end)
    window_start = start - timedelta(days=WINDOW_DAYS - 1)
    weekly = (end - start).days + 1 > DAILY_POINTS_MAX_DAYS
    return fetch_frame(
        store,
        f"""
        WITH {TREND_RATINGS},
        daily AS (
            SELECT day, sum(pain) AS total, count(*) AS n
            FROM trend WHERE day BETWEEN $window_start AND $end GROUP BY day
        ),
        days AS ({date_series("day", "window_start", "end")}),
        rolled AS (
            SELECT days.day,
                   sum(coalesce(total, 0)) OVER w AS total_7d,
                   sum(coalesce(n, 0)) OVER w AS n_7d
            FROM days LEFT JOIN daily USING (day)
            WINDOW w AS (ORDER BY days.day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW)
        )
        SELECT day, total_7d / n_7d AS mean_7d, CAST(n_7d AS BIGINT) AS ratings_7d
        FROM rolled
        WHERE day >= $start AND n_7d > 0 AND (NOT $weekly OR isodow(day) = 7 OR day = $end)
        ORDER BY day
        """,
        range_params(profile, window_start, end)
        | {"start": start, "window_start": window_start, "weekly": weekly},
    )


def window_mean(store: Store, profile: Profile, day: date) -> tuple[float | None, int]:
    """Mean and count of trend ratings on local days day-6..day."""
    first = day - timedelta(days=WINDOW_DAYS - 1)
    row = run(
        store,
        f"""
        WITH {TREND_RATINGS}
        SELECT avg(pain), count(*) FROM trend WHERE day BETWEEN $start AND $end
        """,
        range_params(profile, first, day),
    ).fetchone()
    if row is None or not row[1]:
        return None, 0
    return float(row[0]), int(row[1])


@dataclass(frozen=True)
class Baseline:
    """The pain level progress is measured against, and where it came from.

    ``source`` is "first_week" (mean of programme week 1's trend ratings), "setup" (the
    setup rating, used when week 1 has none) or None (no baseline yet).
    """

    value: float | None
    source: Literal["first_week", "setup"] | None
    ratings: int


def baseline(
    store: Store, profile: Profile, *, first_week: tuple[float | None, int] | None = None
) -> Baseline:
    """The baseline: programme week 1's mean rating, else the setup rating, else none.

    ``first_week`` is week 1's (mean, count) of trend ratings, when the caller has it.
    """
    start = profile.programme_start
    mean, count = first_week or window_mean(store, profile, start + timedelta(days=WINDOW_DAYS - 1))
    if mean is not None:
        return Baseline(mean, "first_week", count)
    row = store.con.execute(
        "SELECT pain FROM pain_ratings WHERE profile_id = ? AND kind = 'setup' "
        "ORDER BY recorded_at DESC LIMIT 1",
        [profile.id],
    ).fetchone()
    if row is not None:
        return Baseline(float(row[0]), "setup", 1)
    if profile.setup_pain is not None:
        return Baseline(float(profile.setup_pain), "setup", 1)
    return Baseline(None, None, 0)


def reference_course(baseline_value: float, programme_start: date, weeks: int = 52) -> pd.DataFrame:
    """The published average course of acute low back pain scaled to ``baseline_value``.

    Menezes Costa et al. 2012 (CMAJ): mean pain 52/100 at baseline, 23 at 6 weeks, 12 at
    26 and 6 at 52, linearly interpolated per week and multiplied by baseline / 52. A
    population average, never a forecast for one person. Columns: ``week``, ``day``, ``pain``.
    """
    knots_x = [float(w) for w, _ in MENEZES_COSTA_2012]
    knots_y = [p for _, p in MENEZES_COSTA_2012]
    rows: list[dict[str, Any]] = []
    for week in range(weeks + 1):
        value = _interpolate(float(week), knots_x, knots_y)
        rows.append(
            {
                "week": week,
                "day": pd.Timestamp(programme_start + timedelta(weeks=week)),
                "pain": baseline_value * value / knots_y[0],
            }
        )
    frame = pd.DataFrame(rows)
    frame["day"] = frame["day"].astype("datetime64[us]")
    return frame


def _interpolate(x: float, xs: Sequence[float], ys: Sequence[float]) -> float:
    if x <= xs[0]:
        return ys[0]
    for i in range(1, len(xs)):
        if x <= xs[i]:
            x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return ys[-1]
