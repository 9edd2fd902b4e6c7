"""The pain trend: the resting ratings that measure the condition, their 7-day mean and the
baseline.

* **Resting ratings.** Kinds ``setup``, ``before`` (a session) and ``checkin``: pain as it
  is, away from exercise. A rating right ``after`` a session measures that session's
  short-term effect (exercise often eases pain for a while) and is shown as such
  (:mod:`core.progress.session_effect`); pain ``exercise`` (during one exercise) belongs
  to the exercise table.
* **7-day mean** on day *d*: the mean of every resting rating on local days *d-6 .. d*; it
  exists only on days whose window holds at least one rating.
* **Baseline** as of day *a*: the mean of the resting ratings of programme week 1 given up
  to *a* (so a past week's review uses only what was known by its end); if there are
  none, the latest setup rating given by *a* (else the profile's setup pain, if it was set
  up by then); else none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import pandas as pd

from core.db.store import Store
from core.domain.days import local_today
from core.domain.models import Profile
from core.progress.periods import MARKER_OFFSET, Period, period_for
from core.progress.queries import (
    PROFILE_DAYS,
    date_series,
    fetch_frame,
    profile_days,
    range_params,
    run,
    utc_bounds,
)
from core.progress.ranges import resolve_range

RESTING_KINDS: tuple[str, ...] = ("setup", "before", "checkin")
WINDOW_DAYS = 7
#: Ratings are drawn one by one up to this span of days; beyond it, as the means of each
#: period that :func:`core.progress.periods.period_for` picks (days, weeks, months ...).
RAW_POINTS_MAX_DAYS = 120

RESTING_KINDS_SQL = "(" + ", ".join(f"'{kind}'" for kind in RESTING_KINDS) + ")"
TREND_RATINGS = f"""
    trend AS (
        SELECT id, recorded_at, pain, kind, is_flare, note,
               CAST(timezone($tz, recorded_at) AS DATE) AS day
        FROM pain_ratings
        WHERE profile_id = $pid AND kind IN {RESTING_KINDS_SQL}
          AND recorded_at >= $lo AND recorded_at < $hi
    )
"""


def points_resolution(first: date | None, last: date | None) -> Literal["rating"] | Period:
    """How the ratings of local days ``first .. last`` (the first and last with one) are
    drawn: one by one up to :data:`RAW_POINTS_MAX_DAYS` days, else by the shared rule."""
    if first is None or last is None or (last - first).days + 1 <= RAW_POINTS_MAX_DAYS:
        return "rating"
    return period_for(first, last, "day")


def pain_points(
    store: Store, profile: Profile, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """Resting ratings of the range for display, as means of each period when the span is
    long (:func:`points_resolution`).

    One by one: one row per rating (``resolution`` "rating", ``at`` its local time).
    Else one row per period and kind (``resolution`` the period: "day", "week", "month",
    "quarter" or "year"; ``at`` the period's middle at noon, see
    :data:`core.progress.periods.MARKER_OFFSET`; ``pain`` the mean, ``n`` the count).
    Columns: ``at``, ``kind``, ``pain``, ``n``, ``is_flare`` (any flare among them),
    ``note`` (a single rating's note, else ""), ``resolution``.
    """
    start, end = resolve_range(store, profile, start, end)
    params = range_params(profile, start, end)
    span = run(
        store,
        f"WITH {TREND_RATINGS} SELECT min(day), max(day) FROM trend "
        "WHERE day BETWEEN $start AND $end",
        params,
    ).fetchone()
    resolution = points_resolution(*(span or (None, None)))
    period: Period = "day" if resolution == "rating" else resolution
    return fetch_frame(
        store,
        f"""
        WITH {TREND_RATINGS},
        bucketed AS (
            SELECT CASE WHEN $resolution = 'rating' THEN timezone($tz, recorded_at)
                        ELSE CAST(date_trunc($period, day) AS TIMESTAMP)
                            + CAST($offset AS INTERVAL)
                   END AS "at",
                   CASE WHEN $resolution = 'rating' THEN id END AS one,
                   kind, pain, is_flare, note
            FROM trend WHERE day BETWEEN $start AND $end
        )
        SELECT "at", kind, avg(pain) AS pain, count(*) AS n, bool_or(is_flare) AS is_flare,
               CASE WHEN $resolution = 'rating' THEN any_value(note) ELSE '' END AS note,
               $resolution AS resolution
        FROM bucketed
        GROUP BY "at", kind, one
        ORDER BY "at", kind, one
        """,
        params | {"resolution": resolution, "period": period, "offset": MARKER_OFFSET[period]},
    )


def pain_rolling(
    store: Store, profile: Profile, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """The 7-day mean of resting ratings for each local day of the range that has one.

    The window of day *d* is local days *d-6 .. d* and may reach back before the range.
    Columns: ``day``, ``mean_7d`` (mean of every rating in the window), ``ratings_7d``.
    A range too long to draw day by day (:func:`core.progress.periods.period_for`) keeps
    only the last day of each of its periods (Sundays, the last of each month ...) and the
    range's last day, to keep long charts light.
    """
    start, end = resolve_range(store, profile, start, end)
    window_start = start - timedelta(days=WINDOW_DAYS - 1)
    period = period_for(start, end, "day")
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
        WHERE day >= $start AND n_7d > 0
          AND ($period = 'day' OR day = $end
               OR date_trunc($period, day + 1) <> date_trunc($period, day))
        ORDER BY day
        """,
        range_params(profile, window_start, end)
        | {"start": start, "window_start": window_start, "period": period},
    )


def days_mean(store: Store, profile: Profile, first: date, last: date) -> tuple[float | None, int]:
    """Mean and count of resting ratings on local days first..last (None, 0 for none)."""
    if last < first:
        return None, 0
    row = run(
        store,
        f"""
        WITH {TREND_RATINGS}
        SELECT avg(pain), count(*) FROM trend WHERE day BETWEEN $start AND $end
        """,
        range_params(profile, first, last),
    ).fetchone()
    if row is None or not row[1]:
        return None, 0
    return float(row[0]), int(row[1])


def window_mean(store: Store, profile: Profile, day: date) -> tuple[float | None, int]:
    """Mean and count of resting ratings on local days day-6..day."""
    return days_mean(store, profile, day - timedelta(days=WINDOW_DAYS - 1), day)


def first_week_days(profile: Profile, as_of: date) -> tuple[date, date]:
    """Programme week 1's local days as known on ``as_of``: from the start to the earlier of
    its seventh day and ``as_of`` (an empty span, last before first, before the start)."""
    start = profile.programme_start
    return start, min(start + timedelta(days=WINDOW_DAYS - 1), as_of)


@dataclass(frozen=True)
class Baseline:
    """The pain level progress is measured against, and where it came from.

    ``source`` is "first_week" (mean of programme week 1's resting ratings), "setup" (the
    setup rating, used when week 1 has none) or None (no baseline yet).
    """

    value: float | None
    source: Literal["first_week", "setup"] | None
    ratings: int


def baseline(
    store: Store,
    profile: Profile,
    *,
    as_of: date | None = None,
    first_week: tuple[float | None, int] | None = None,
) -> Baseline:
    """The baseline known on local day ``as_of`` (default: today in the profile's zone):
    programme week 1's mean resting rating up to then, else the setup rating given by
    then, else none.

    ``first_week`` is the (mean, count) of :func:`first_week_days`, when the caller has it.
    """
    as_of = as_of or local_today(profile)
    mean, count = first_week or days_mean(store, profile, *first_week_days(profile, as_of))
    if mean is not None:
        return Baseline(mean, "first_week", count)
    _, hi = utc_bounds(as_of, as_of)
    row = run(
        store,
        """
        SELECT pain FROM pain_ratings WHERE profile_id = $pid AND kind = 'setup'
          AND recorded_at < $hi AND CAST(timezone($tz, recorded_at) AS DATE) <= $as_of
        ORDER BY recorded_at DESC LIMIT 1
        """,
        {"pid": profile.id, "tz": profile.time_zone, "hi": hi, "as_of": as_of},
    ).fetchone()
    return settled_baseline(profile, as_of, (None, 0), None if row is None else row[0])


def settled_baseline(
    profile: Profile, as_of: date, first_week: tuple[float | None, int], setup_rating: int | None
) -> Baseline:
    """The baseline rule itself (see :func:`baseline`), from programme week 1's (mean,
    count) and the latest setup rating given by ``as_of``: no database."""
    mean, count = first_week
    if mean is not None:
        return Baseline(float(mean), "first_week", int(count))
    if setup_rating is not None:
        return Baseline(float(setup_rating), "setup", 1)
    set_up = profile.created_at is None or local_today(profile, profile.created_at) <= as_of
    if profile.setup_pain is not None and set_up:
        return Baseline(float(profile.setup_pain), "setup", 1)
    return Baseline(None, None, 0)


# --------------------------------------------------------------------------- all profiles


@dataclass(frozen=True)
class RestingPain:
    """One profile's resting ratings as of its local today: the 7-day window's (mean, count),
    programme week 1's (mean, count) and the latest setup rating, for :func:`settled_baseline`
    and :func:`core.progress.six_week.six_week_status`."""

    window: tuple[float | None, int]
    first_week: tuple[float | None, int]
    setup_rating: int | None


def resting_pain_all(store: Store, days: Mapping[str, date]) -> dict[str, RestingPain]:
    """:func:`window_mean`, programme week 1's mean and the setup rating for many profiles
    in one query, each as of its own local today (``days``: profile id -> that day)."""
    if not days:
        return {}
    rows = run(
        store,
        f"""
        WITH {PROFILE_DAYS},
        trend AS (
            SELECT r.profile_id, r.pain, r.kind, r.recorded_at,
                   CAST(timezone(a.time_zone, r.recorded_at) AS DATE) AS day,
                   a.today, a.programme_start
            FROM pain_ratings r JOIN asked a ON a.profile_id = r.profile_id
            WHERE r.kind IN {RESTING_KINDS_SQL}
        )
        SELECT a.profile_id,
               avg(t.pain) FILTER (WHERE t.day BETWEEN a.today - $back AND a.today),
               count(t.pain) FILTER (WHERE t.day BETWEEN a.today - $back AND a.today),
               avg(t.pain) FILTER (WHERE t.day BETWEEN a.programme_start
                   AND least(a.programme_start + $back, a.today)),
               count(t.pain) FILTER (WHERE t.day BETWEEN a.programme_start
                   AND least(a.programme_start + $back, a.today)),
               arg_max(t.pain, t.recorded_at) FILTER (WHERE t.kind = 'setup' AND t.day <= a.today)
        FROM asked a LEFT JOIN trend t ON t.profile_id = a.profile_id
        GROUP BY a.profile_id
        """,
        profile_days(days) | {"back": WINDOW_DAYS - 1},
    ).fetchall()
    return {
        str(profile_id): RestingPain(
            window=(None if not n_7d else float(mean_7d), int(n_7d)),
            first_week=(None if not n_1 else float(mean_1), int(n_1)),
            setup_rating=None if setup is None else int(setup),
        )
        for profile_id, mean_7d, n_7d, mean_1, n_1, setup in rows
    }
