"""Progress metrics: adherence, pain trend, baseline, the six-week window, exercises, weeks.

Every metric is computed by DuckDB SQL over the store's tables (aggregated in the
database, never by loading every row into pandas) and returns a small data frame or a
frozen dataclass. Functions take the store's connection or cursor (``store.con``, whose
session time zone is UTC) and the :class:`~core.models.Profile`.

Definitions used throughout (the UI repeats them in plain words):

* **Local day / week.** A record belongs to the calendar day of its timestamp in the
  profile's time zone (``timezone(tz, ts)``); weeks start on Monday of that local calendar.
  Both are pure calendar arithmetic after that conversion, so they stay right across
  daylight-saving changes and New Year.
* **Programme week.** Week 1 is the local days ``programme_start .. +6``, week 2 the next
  seven days, and so on. The six-week window is programme weeks 1-6.
* **Counted session.** A session that has ended (not ``in_progress``) and has at least one
  set with status ``done``. Completed, partial and stopped-for-pain sessions all count;
  the calendar tells them apart. A session belongs to the local day it started.
* **Weekly adherence.** Counted sessions in a Monday week / the weekly target, as a
  percentage (not capped at 100).
* **Dose adherence.** Done sets / prescribed sets (``session_prescriptions``) of the week's
  ended sessions, including ended sessions with no done set; in-progress sessions are left
  out. Per exercise and side over a date range too.
* **Pain trend ratings.** Ratings of kind ``setup``, ``before``, ``after`` and ``checkin``;
  kind ``exercise`` (pain during one exercise) appears in the exercise table instead.
* **7-day mean** on day *d*: the mean of every trend rating on local days *d-6 .. d*; it
  exists only on days whose window holds at least one rating.
* **Baseline.** The mean of the trend ratings of programme week 1; if there are none, the
  latest setup rating (else the profile's setup pain); else none.
* **Minimal important change** (Ostelo et al. 2008, Spine): a 7-day mean at least 30%
  below baseline is "meaningful improvement"; the 2-point change is reported beside it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from core.models import Profile

Connection = duckdb.DuckDBPyConnection
T = TypeVar("T")

TREND_KINDS: tuple[str, ...] = ("setup", "before", "after", "checkin")
MIC_FRACTION = 0.30
MIC_POINTS = 2.0
SIX_WEEKS = 6
WINDOW_DAYS = 7
#: Ratings are drawn one by one up to this span of days, as daily means up to the next.
RAW_POINTS_MAX_DAYS = 120
DAILY_POINTS_MAX_DAYS = 730
#: Beyond three years a week's dot is a pixel or two wide: the pain chart shows months.
WEEKLY_POINTS_MAX_DAYS = 1095
#: Mean pain (0-100) of acute low back pain by weeks since onset: Menezes Costa et al.
#: 2012, CMAJ (33 cohorts). Drawn scaled to the user's baseline, never as a forecast.
MENEZES_COSTA_2012: tuple[tuple[int, float], ...] = ((0, 52.0), (6, 23.0), (26, 12.0), (52, 6.0))
_EPS = 1e-9

PGIC_QUESTION = (
    "Since you started the programme, how would you describe the change in your back "
    "overall: your pain, what you can do, and how you feel?"
)
#: Patient Global Impression of Change, 1-7; 1 is the best answer, 4 is no change.
PGIC_OPTIONS: dict[int, str] = {
    1: "Very much better",
    2: "Much better",
    3: "A little better",
    4: "No change",
    5: "A little worse",
    6: "Much worse",
    7: "Very much worse",
}

RANGE_PRESETS: dict[str, str] = {
    "programme": "Since the programme started",
    "4w": "Last 4 weeks",
    "12w": "Last 12 weeks",
    "1y": "Last 12 months",
    "all": "All my data",
}


# --------------------------------------------------------------------------- days, ranges


def local_today(profile: Profile, now: datetime | None = None) -> date:
    """Today's date in the profile's time zone."""
    moment = now or datetime.now(UTC)
    return moment.astimezone(ZoneInfo(profile.time_zone)).date()


def monday(day: date) -> date:
    """The Monday starting the week of ``day``."""
    return day - timedelta(days=day.weekday())


def programme_week(profile: Profile, day: date) -> int:
    """The programme week ``day`` falls in: 1 for programme_start..+6; 0 or less before."""
    return (day - profile.programme_start).days // 7 + 1


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """UTC instants safely around local days start..end (every zone is within 26 h of UTC).

    Used only to let DuckDB skip rows early; the exact filter is on the local day.
    """
    return (
        datetime.combine(start - timedelta(days=2), time(), UTC),
        datetime.combine(end + timedelta(days=2), time(), UTC),
    )


#: A lower bound before any record (the earliest date the app accepts is 2000-01-01).
_ALL_HISTORY = datetime(1, 1, 1, tzinfo=UTC)


def _params(profile: Profile, start: date, end: date, **extra: object) -> dict[str, object]:
    lo, hi = _bounds(start, end)
    return {
        "tz": profile.time_zone,
        "pid": profile.id,
        "start": start,
        "end": end,
        "lo": lo,
        "hi": hi,
        **extra,
    }


def data_extent(con: Connection, profile: Profile) -> tuple[date | None, date | None]:
    """First and last local day holding a session or a pain rating; (None, None) if none."""
    row = _run(
        con,
        """
        WITH t AS (
            SELECT min(started_at) AS lo, max(started_at) AS hi
            FROM sessions WHERE profile_id = $pid
            UNION ALL
            SELECT min(recorded_at), max(recorded_at) FROM pain_ratings WHERE profile_id = $pid
        )
        SELECT CAST(timezone($tz, min(lo)) AS DATE), CAST(timezone($tz, max(hi)) AS DATE) FROM t
        """,
        {"pid": profile.id, "tz": profile.time_zone},
    ).fetchone()
    if row is None:
        return None, None
    return row[0], row[1]


def resolve_range(
    con: Connection,
    profile: Profile,
    start: date | None,
    end: date | None,
    today: date | None = None,
) -> tuple[date, date]:
    """Fill a missing range end: start at the first data (or programme start), end today."""
    if start is None:
        first, _ = data_extent(con, profile)
        start = min(first, profile.programme_start) if first else profile.programme_start
    if end is None:
        end = today or local_today(profile)
    return start, max(start, end)


def preset_range(
    preset: str, profile: Profile, today: date, first_day: date | None
) -> tuple[date, date]:
    """The local days a range preset (a key of :data:`RANGE_PRESETS`) covers, ending today."""
    if preset == "programme":
        return min(profile.programme_start, today), today
    if preset == "4w":
        return today - timedelta(days=27), today
    if preset == "12w":
        return today - timedelta(days=83), today
    if preset == "1y":
        return today - timedelta(days=364), today
    if preset == "all":
        first = min(first_day, profile.programme_start) if first_day else profile.programme_start
        return min(first, today), today
    raise ValueError(f"Unknown range preset {preset!r}.")


def review_weeks(con: Connection, profile: Profile, today: date) -> list[date]:
    """Mondays a weekly review can pick, newest first: from the first data or programme week."""
    first, _ = data_extent(con, profile)
    return weeks_since(first, profile, today)


def weeks_since(first_day: date | None, profile: Profile, today: date) -> list[date]:
    """:func:`review_weeks` for a known first day of data (None: no data yet)."""
    earliest = min(first_day, profile.programme_start) if first_day else profile.programme_start
    newest = monday(today)
    oldest = min(monday(earliest), newest)
    count = (newest - oldest).days // 7 + 1
    return [newest - timedelta(weeks=i) for i in range(count)]


_PARAMETER = re.compile(r"\$([a-z_]+)")


def _run(con: Connection, sql: str, params: Mapping[str, object]) -> Connection:
    """Execute ``sql`` with the named parameters it uses (DuckDB rejects unused ones)."""
    used = set(_PARAMETER.findall(sql))
    return con.execute(sql, {name: value for name, value in params.items() if name in used})


def _frame(con: Connection, sql: str, params: Mapping[str, object]) -> pd.DataFrame:
    return _run(con, sql, params).df()


# --------------------------------------------------------------------------- adherence

_COUNTED_SESSIONS = """
    done AS (
        SELECT DISTINCT session_id FROM set_records WHERE profile_id = $pid AND status = 'done'
    ),
    counted AS (
        SELECT s.id, s.status, s.started_at,
               CAST(timezone($tz, s.started_at) AS DATE) AS day
        FROM sessions s JOIN done ON done.session_id = s.id
        WHERE s.profile_id = $pid AND s.status <> 'in_progress'
          AND s.started_at >= $lo AND s.started_at < $hi
    )
"""

SESSION_CATEGORIES: tuple[str, ...] = ("none", "completed", "partial", "stopped_for_pain")


def session_days(
    con: Connection, profile: Profile, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """One row per local day of the range with its counted sessions, for the calendar.

    Columns: ``day``, ``week_start`` (Monday), ``weekday`` (0 = Monday), ``sessions``,
    ``completed``, ``partial``, ``stopped_for_pain`` and ``category``: the day's most
    notable outcome, ``stopped_for_pain`` > ``partial`` > ``completed``, else ``none``.
    """
    start, end = resolve_range(con, profile, start, end)
    return _frame(
        con,
        f"""
        WITH {_COUNTED_SESSIONS},
        days AS (
            SELECT CAST(g AS DATE) AS day
            FROM generate_series(CAST($start AS DATE), CAST($end AS DATE), INTERVAL 1 DAY) t(g)
        ),
        agg AS (
            SELECT day,
                   count(*) AS sessions,
                   count(*) FILTER (WHERE status = 'completed') AS completed,
                   count(*) FILTER (WHERE status = 'partial') AS partial,
                   count(*) FILTER (WHERE status = 'stopped_for_pain') AS stopped_for_pain
            FROM counted WHERE day BETWEEN $start AND $end GROUP BY day
        )
        SELECT days.day,
               CAST(date_trunc('week', days.day) AS DATE) AS week_start,
               CAST(isodow(days.day) - 1 AS BIGINT) AS weekday,
               coalesce(sessions, 0) AS sessions,
               coalesce(completed, 0) AS completed,
               coalesce(partial, 0) AS partial,
               coalesce(stopped_for_pain, 0) AS stopped_for_pain,
               CASE WHEN stopped_for_pain > 0 THEN 'stopped_for_pain'
                    WHEN partial > 0 THEN 'partial'
                    WHEN completed > 0 THEN 'completed'
                    ELSE 'none' END AS category
        FROM days LEFT JOIN agg USING (day)
        ORDER BY days.day
        """,
        _params(profile, start, end),
    )


def weekly_adherence(
    con: Connection, profile: Profile, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """Sessions and dose per Monday week, for every week touching the range (missed ones too).

    Columns: ``week_start``, ``sessions`` (counted), ``target``, ``adherence_pct``
    (sessions / target * 100, not capped), ``done_sets``, ``prescribed_sets`` and
    ``dose_pct`` (done / prescribed * 100 over the week's ended sessions; NaN without any).
    """
    start, end = resolve_range(con, profile, start, end)
    first_week, last_week = monday(start), monday(end)
    return _frame(
        con,
        """
        WITH weeks AS (
            SELECT CAST(g AS DATE) AS week_start
            FROM generate_series(
                CAST($start AS DATE), CAST($end AS DATE), INTERVAL 7 DAY
            ) t(g)
        ),
        ended AS (
            SELECT s.id,
                   CAST(date_trunc('week', CAST(timezone($tz, s.started_at) AS DATE)) AS DATE)
                       AS week_start
            FROM sessions s
            WHERE s.profile_id = $pid AND s.status <> 'in_progress'
              AND s.started_at >= $lo AND s.started_at < $hi
        ),
        in_range AS (SELECT * FROM ended WHERE week_start BETWEEN $start AND $end),
        done AS (
            SELECT session_id, count(*) AS done
            FROM set_records
            WHERE profile_id = $pid AND status = 'done'
              AND session_id IN (SELECT id FROM in_range)
            GROUP BY session_id
        ),
        prescribed AS (
            SELECT session_id, sum(prescribed) AS prescribed
            FROM session_prescriptions
            WHERE profile_id = $pid AND session_id IN (SELECT id FROM in_range)
            GROUP BY session_id
        ),
        per_week AS (
            SELECT e.week_start,
                   count(*) FILTER (WHERE coalesce(d.done, 0) > 0) AS sessions,
                   sum(coalesce(d.done, 0)) AS done_sets,
                   sum(coalesce(p.prescribed, 0)) AS prescribed_sets
            FROM in_range e
            LEFT JOIN done d ON d.session_id = e.id
            LEFT JOIN prescribed p ON p.session_id = e.id
            GROUP BY e.week_start
        )
        SELECT w.week_start,
               CAST(coalesce(sessions, 0) AS BIGINT) AS sessions,
               CAST($target AS BIGINT) AS target,
               100.0 * coalesce(sessions, 0) / $target AS adherence_pct,
               CAST(coalesce(done_sets, 0) AS BIGINT) AS done_sets,
               CAST(coalesce(prescribed_sets, 0) AS BIGINT) AS prescribed_sets,
               CASE WHEN prescribed_sets > 0 THEN 100.0 * done_sets / prescribed_sets END
                   AS dose_pct
        FROM weeks w LEFT JOIN per_week USING (week_start)
        ORDER BY w.week_start
        """,
        _params(
            profile,
            first_week,
            last_week + timedelta(days=6),
            target=profile.weekly_target,
        )
        | {"start": first_week, "end": last_week},
    )


def dose_by_exercise(
    con: Connection, profile: Profile, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """Dose adherence per exercise and side over the range's ended sessions.

    Columns: ``exercise_id``, ``side``, ``sessions`` (ended sessions prescribing it),
    ``prescribed``, ``done`` and ``dose_pct`` (done / prescribed * 100, NaN if 0 prescribed),
    sorted by exercise and side.
    """
    start, end = resolve_range(con, profile, start, end)
    return _frame(
        con,
        """
        WITH ended AS (
            SELECT s.id FROM sessions s
            WHERE s.profile_id = $pid AND s.status <> 'in_progress'
              AND s.started_at >= $lo AND s.started_at < $hi
              AND CAST(timezone($tz, s.started_at) AS DATE) BETWEEN $start AND $end
        ),
        p AS (
            SELECT exercise_id, side, count(*) AS sessions, sum(prescribed) AS prescribed
            FROM session_prescriptions
            WHERE profile_id = $pid AND session_id IN (SELECT id FROM ended)
            GROUP BY exercise_id, side
        ),
        d AS (
            SELECT exercise_id, side, count(*) AS done
            FROM set_records
            WHERE profile_id = $pid AND status = 'done'
              AND session_id IN (SELECT id FROM ended)
            GROUP BY exercise_id, side
        )
        SELECT exercise_id, side,
               CAST(coalesce(p.sessions, 0) AS BIGINT) AS sessions,
               CAST(coalesce(p.prescribed, 0) AS BIGINT) AS prescribed,
               CAST(coalesce(d.done, 0) AS BIGINT) AS done,
               CASE WHEN p.prescribed > 0 THEN 100.0 * coalesce(d.done, 0) / p.prescribed END
                   AS dose_pct
        FROM p FULL JOIN d USING (exercise_id, side)
        ORDER BY exercise_id, side
        """,
        _params(profile, start, end),
    )


# --------------------------------------------------------------------------- pain trend

#: :data:`TREND_KINDS` as an SQL list: the ratings that make the pain trend.
_TREND_KINDS = "(" + ", ".join(f"'{kind}'" for kind in TREND_KINDS) + ")"
_TREND_RATINGS = f"""
    trend AS (
        SELECT id, recorded_at, pain, kind, is_flare, note,
               CAST(timezone($tz, recorded_at) AS DATE) AS day
        FROM pain_ratings
        WHERE profile_id = $pid AND kind IN {_TREND_KINDS}
          AND recorded_at >= $lo AND recorded_at < $hi
    )
"""


def pain_points(
    con: Connection, profile: Profile, start: date | None = None, end: date | None = None
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
    start, end = resolve_range(con, profile, start, end)
    return _frame(
        con,
        f"""
        WITH {_TREND_RATINGS},
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
        _params(
            profile,
            start,
            end,
            raw_days=RAW_POINTS_MAX_DAYS,
            daily_days=DAILY_POINTS_MAX_DAYS,
            weekly_days=WEEKLY_POINTS_MAX_DAYS,
        ),
    )


def pain_rolling(
    con: Connection, profile: Profile, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """The 7-day mean of trend ratings for each local day of the range that has one.

    The window of day *d* is local days *d-6 .. d* and may reach back before the range.
    Columns: ``day``, ``mean_7d`` (mean of every rating in the window), ``ratings_7d``.
    For ranges longer than :data:`DAILY_POINTS_MAX_DAYS` only Sundays (whose window is the
    Monday week) and the range's last day are returned, to keep long charts light.
    """
    start, end = resolve_range(con, profile, start, end)
    window_start = start - timedelta(days=WINDOW_DAYS - 1)
    weekly = (end - start).days + 1 > DAILY_POINTS_MAX_DAYS
    return _frame(
        con,
        f"""
        WITH {_TREND_RATINGS},
        daily AS (
            SELECT day, sum(pain) AS total, count(*) AS n
            FROM trend WHERE day BETWEEN $window_start AND $end GROUP BY day
        ),
        days AS (
            SELECT CAST(g AS DATE) AS day
            FROM generate_series(
                CAST($window_start AS DATE), CAST($end AS DATE), INTERVAL 1 DAY
            ) t(g)
        ),
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
        _params(profile, window_start, end)
        | {"start": start, "window_start": window_start, "weekly": weekly},
    )


def _window_mean(con: Connection, profile: Profile, day: date) -> tuple[float | None, int]:
    """Mean and count of trend ratings on local days day-6..day."""
    first = day - timedelta(days=WINDOW_DAYS - 1)
    row = _run(
        con,
        f"""
        WITH {_TREND_RATINGS}
        SELECT avg(pain), count(*) FROM trend WHERE day BETWEEN $start AND $end
        """,
        _params(profile, first, day),
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
    con: Connection, profile: Profile, *, first_week: tuple[float | None, int] | None = None
) -> Baseline:
    """The baseline: programme week 1's mean rating, else the setup rating, else none.

    ``first_week`` is week 1's (mean, count) of trend ratings, when the caller has it.
    """
    start = profile.programme_start
    mean, count = first_week or _window_mean(con, profile, start + timedelta(days=WINDOW_DAYS - 1))
    if mean is not None:
        return Baseline(mean, "first_week", count)
    row = con.execute(
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


# --------------------------------------------------------------------------- six-week status

StatusState = Literal[
    "no_data",
    "not_started",
    "first_week",
    "no_recent_ratings",
    "meaningful",
    "improving",
    "no_change",
    "worse",
    "past_six_meaningful",
    "past_six_not_meaningful",
    "past_six_no_recent_ratings",
]
Tone = Literal["info", "success", "warning"]

NOT_BETTER_LINE = (
    "Not meaningfully better after six weeks: consider seeing your physical therapist or doctor."
)


@dataclass(frozen=True)
class SixWeekStatus:
    """Where the user stands in the six-week window, as numbers and one plain line.

    ``current`` is the 7-day mean ending ``as_of``; ``reduction`` is baseline - current
    (positive means less pain) and ``reduction_pct`` that as a percentage of baseline.
    ``meaningful`` means at least 30% below baseline, ``two_points`` at least 2 points
    below. ``tone`` tells the page how to show the line.
    """

    as_of: date
    week: int
    state: StatusState
    line: str
    detail: str
    tone: Tone
    baseline: float | None
    baseline_source: Literal["first_week", "setup"] | None
    current: float | None
    current_ratings: int
    reduction: float | None
    reduction_pct: float | None
    meaningful: bool
    two_points: bool
    threshold_30: float | None
    threshold_2: float | None


def format_pain(value: float | None) -> str:
    """A pain level with one decimal ("4.1"); "–" when there is none."""
    if value is None or math.isnan(value):
        return "–"
    return f"{value:.1f}"


def format_change(value: float | None) -> str:
    """A signed change in pain points ("-0.8", "+1.2", "0.0"); "–" when there is none."""
    if value is None or math.isnan(value):
        return "–"
    rounded = round(value, 1)
    if rounded == 0:
        return "0.0"
    return f"{rounded:+.1f}"


def _percent_text(pct: float, meaningful: bool) -> str:
    shown = round(pct)
    if (shown >= MIC_FRACTION * 100) != meaningful:
        return f"{pct:.1f}%"
    return f"{shown}%"


def _comparison(current: float, base: float, reduction_pct: float | None, meaningful: bool) -> str:
    """ "pain 4.1, down 1.9 from baseline 6.0 (32%)" and its variants."""
    reduction = base - current
    text = f"pain {current:.1f}, "
    if round(reduction, 1) == 0:
        return text + f"same as baseline {base:.1f}"
    direction = "down" if reduction > 0 else "up"
    text += f"{direction} {abs(reduction):.1f} from baseline {base:.1f}"
    if reduction_pct is not None:
        text += f" ({_percent_text(abs(reduction_pct), meaningful)})"
    return text


def six_week_status(
    con: Connection,
    profile: Profile,
    today: date | None = None,
    *,
    base: Baseline | None = None,
    window: tuple[float | None, int] | None = None,
) -> SixWeekStatus:
    """The six-week status as of ``today`` (default: today in the profile's time zone).

    Week 1 builds the baseline. From week 2 the 7-day mean is compared with the baseline;
    at least 30% lower is meaningful improvement (Ostelo 2008). From week 7 on, without it,
    the line advises seeing a clinician. ``base`` is :func:`baseline`'s answer and
    ``window`` the (mean, count) of the 7 days to ``today``, when the caller has them.
    """
    as_of = today or local_today(profile)
    week = programme_week(profile, as_of)
    base = base or baseline(con, profile)
    current, count = window or _window_mean(con, profile, as_of)
    reduction = reduction_pct = threshold_30 = threshold_2 = None
    meaningful = two_points = False
    if base.value is not None:
        threshold_30 = base.value * (1 - MIC_FRACTION)
        threshold_2 = base.value - MIC_POINTS
        if current is not None:
            reduction = base.value - current
            reduction_pct = 100.0 * reduction / base.value if base.value > 0 else None
            meaningful = base.value > 0 and reduction >= MIC_FRACTION * base.value - _EPS
            two_points = reduction >= MIC_POINTS - _EPS

    def status(state: StatusState, line: str, tone: Tone, detail: str = "") -> SixWeekStatus:
        return SixWeekStatus(
            as_of=as_of,
            week=week,
            state=state,
            line=line,
            detail=detail,
            tone=tone,
            baseline=base.value,
            baseline_source=base.source,
            current=current,
            current_ratings=count,
            reduction=reduction,
            reduction_pct=reduction_pct,
            meaningful=meaningful,
            two_points=two_points,
            threshold_30=threshold_30,
            threshold_2=threshold_2,
        )

    if week < 1:
        return status(
            "not_started",
            f"Your programme starts on {format_day(profile.programme_start)}: the six-week "
            "window begins then.",
            "info",
        )
    if base.value is None and current is None:
        return status(
            "no_data",
            "No pain ratings yet: rate your pain before and after a session, and your trend "
            "and six-week status will appear here.",
            "info",
        )
    label = f"Week {week} of {SIX_WEEKS}" if week <= SIX_WEEKS else f"Week {week}"
    if week == 1:
        if base.source == "first_week" and base.value is not None:
            line = (
                f"Week 1 of {SIX_WEEKS}: building your baseline (pain {base.value:.1f} so far). "
                "From week 2 your pain is compared with it."
            )
        else:
            line = (
                f"Week 1 of {SIX_WEEKS}: your starting pain is {format_pain(base.value)} (from "
                "setup). Rate your pain this week to set your baseline."
            )
        return status("first_week", line, "info")
    assert base.value is not None or current is not None
    if base.value is None:
        # Ratings exist but none in week 1 and no setup rating: nothing to compare with.
        return status(
            "no_data",
            f"{label}: pain {format_pain(current)}. There is no baseline to compare with: "
            "no rating in your first programme week and no setup rating.",
            "info",
        )
    if current is None:
        if week > SIX_WEEKS:
            return status(
                "past_six_no_recent_ratings",
                f"{label}: no pain ratings in the last 7 days. Rate your pain to see whether "
                f"you are meaningfully better than your baseline {base.value:.1f}.",
                "info",
            )
        return status(
            "no_recent_ratings",
            f"{label}: no pain ratings in the last 7 days. Rate your pain to compare it with "
            f"your baseline {base.value:.1f}.",
            "info",
        )
    comparison = _comparison(current, base.value, reduction_pct, meaningful)
    if week > SIX_WEEKS:
        if meaningful:
            return status(
                "past_six_meaningful",
                f"{label}: {comparison}: meaningful improvement",
                "success",
            )
        return status(
            "past_six_not_meaningful", NOT_BETTER_LINE, "warning", f"{label}: {comparison}."
        )
    assert reduction is not None
    if meaningful:
        return status("meaningful", f"{label}: {comparison}: meaningful improvement", "success")
    if round(reduction, 1) > 0:
        suffix = "not yet the 30% drop that counts as meaningful improvement"
        if two_points:
            suffix = "2 points better, not yet the 30% drop that counts as meaningful improvement"
        return status("improving", f"{label}: {comparison}: {suffix}", "info")
    if round(reduction, 1) == 0:
        return status("no_change", f"{label}: {comparison}: no change yet", "info")
    return status(
        "worse",
        f"{label}: {comparison}: worse than at the start. If it keeps rising, talk to your "
        "physical therapist or doctor.",
        "warning",
    )


_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_day(day: date) -> str:
    """A date in words, for example "Mon 2 Nov 2026" (in English whatever the locale; a
    table lookup, as the week picker labels hundreds of weeks)."""
    return f"{_DAY_NAMES[day.weekday()]} {day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"


# --------------------------------------------------------------------------- exercises


def exercise_table(
    con: Connection, profile: Profile, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """Per exercise over the range's ended sessions: how it went and how pain moved.

    Columns:
    ``exercise_id``; ``sessions`` (ended sessions prescribing it); ``times_done`` (sessions
    with at least one done set of it); ``times_stopped`` (sessions with a set of it stopped
    for pain); ``exercise_pain`` (mean of its own "exercise" ratings in the range, NaN if
    none) and ``exercise_ratings``; ``pain_before``, ``pain_after`` and ``pain_change``
    (after - before) over ``rated_sessions``: sessions that included it (a done or stopped
    set) and have both a before and an after rating (each session's mean of each);
    ``discuss``: stopped for pain in two consecutive sessions among those prescribing it.
    Sorted: discuss first, then most stopped, then highest exercise pain, then id.
    """
    start, end = resolve_range(con, profile, start, end)
    return _frame(
        con,
        """
        WITH ended AS (
            -- seq: the sessions in time order, so the window below sorts integers.
            SELECT s.id, row_number() OVER (ORDER BY s.started_at, s.id) AS seq
            FROM sessions s
            WHERE s.profile_id = $pid AND s.status <> 'in_progress'
              AND s.started_at >= $lo AND s.started_at < $hi
              AND CAST(timezone($tz, s.started_at) AS DATE) BETWEEN $start AND $end
        ),
        prescribed AS (
            SELECT DISTINCT session_id, exercise_id FROM session_prescriptions
            WHERE profile_id = $pid AND session_id IN (SELECT id FROM ended)
        ),
        sets AS (
            SELECT session_id, exercise_id,
                   count(*) FILTER (WHERE status = 'done') AS done,
                   count(*) FILTER (WHERE status = 'stopped_for_pain') AS stopped
            FROM set_records
            WHERE profile_id = $pid AND session_id IN (SELECT id FROM ended)
            GROUP BY session_id, exercise_id
        ),
        per AS (
            SELECT session_id, exercise_id, e.seq,
                   p.session_id IS NOT NULL AS is_prescribed,
                   coalesce(s.done, 0) AS done, coalesce(s.stopped, 0) AS stopped
            FROM prescribed p
            FULL JOIN sets s USING (session_id, exercise_id)
            JOIN ended e ON e.id = session_id
        ),
        runs AS (
            SELECT exercise_id, stopped > 0 AS stopped_now,
                   lag(stopped > 0) OVER (PARTITION BY exercise_id ORDER BY seq)
                       AS stopped_before
            FROM per WHERE is_prescribed
        ),
        flagged AS (
            SELECT exercise_id, bool_or(stopped_now AND coalesce(stopped_before, false))
                AS discuss
            FROM runs GROUP BY exercise_id
        ),
        session_pain AS (
            SELECT session_id,
                   avg(pain) FILTER (WHERE kind = 'before') AS before,
                   avg(pain) FILTER (WHERE kind = 'after') AS after
            FROM pain_ratings
            WHERE profile_id = $pid AND session_id IN (SELECT id FROM ended)
              AND kind IN ('before', 'after')
            GROUP BY session_id
        ),
        paired AS (
            SELECT per.exercise_id, avg(sp.before) AS pain_before,
                   avg(sp.after) AS pain_after, count(*) AS rated_sessions
            FROM per JOIN session_pain sp USING (session_id)
            WHERE (per.done > 0 OR per.stopped > 0)
              AND sp.before IS NOT NULL AND sp.after IS NOT NULL
            GROUP BY per.exercise_id
        ),
        own_pain AS (
            SELECT exercise_id, avg(pain) AS exercise_pain, count(*) AS exercise_ratings
            FROM pain_ratings
            WHERE profile_id = $pid AND kind = 'exercise' AND exercise_id IS NOT NULL
              AND recorded_at >= $lo AND recorded_at < $hi
              AND CAST(timezone($tz, recorded_at) AS DATE) BETWEEN $start AND $end
            GROUP BY exercise_id
        ),
        counts AS (
            SELECT exercise_id,
                   count(*) FILTER (WHERE is_prescribed) AS sessions,
                   count(*) FILTER (WHERE done > 0) AS times_done,
                   count(*) FILTER (WHERE stopped > 0) AS times_stopped
            FROM per GROUP BY exercise_id
        ),
        ids AS (SELECT exercise_id FROM counts UNION SELECT exercise_id FROM own_pain)
        SELECT ids.exercise_id,
               CAST(coalesce(sessions, 0) AS BIGINT) AS sessions,
               CAST(coalesce(times_done, 0) AS BIGINT) AS times_done,
               CAST(coalesce(times_stopped, 0) AS BIGINT) AS times_stopped,
               CAST(exercise_pain AS DOUBLE) AS exercise_pain,
               CAST(coalesce(exercise_ratings, 0) AS BIGINT) AS exercise_ratings,
               CAST(pain_before AS DOUBLE) AS pain_before,
               CAST(pain_after AS DOUBLE) AS pain_after,
               CAST(pain_after - pain_before AS DOUBLE) AS pain_change,
               CAST(coalesce(rated_sessions, 0) AS BIGINT) AS rated_sessions,
               coalesce(discuss, false) AS discuss
        FROM ids
        LEFT JOIN counts USING (exercise_id)
        LEFT JOIN own_pain USING (exercise_id)
        LEFT JOIN paired USING (exercise_id)
        LEFT JOIN flagged USING (exercise_id)
        ORDER BY discuss DESC, times_stopped DESC, exercise_pain DESC NULLS LAST,
                 ids.exercise_id
        """,
        _params(profile, start, end),
    )


# --------------------------------------------------------------------------- check-ins


def pgic_series(
    con: Connection, profile: Profile, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """Weekly PGIC answers (1 very much better .. 7 very much worse) with their wording.

    Columns: ``week_start``, ``pgic``, ``answer``; one row per week that has an answer.
    """
    start, end = resolve_range(con, profile, start, end)
    frame = _frame(
        con,
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
    con: Connection, profile: Profile, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """Weekly PSFS ratings per activity, plus the weekly score (their mean) as rows too.

    Columns: ``week_start``, ``activity`` (its name, or :data:`PSFS_MEAN_LABEL`),
    ``position`` (the activity's order; 0 for the mean), ``score``, ``is_mean``.
    """
    start, end = resolve_range(con, profile, start, end)
    return _frame(
        con,
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


# --------------------------------------------------------------------------- weekly review


@dataclass(frozen=True)
class DayPain:
    """One local day's mean pain (trend ratings) and how many ratings it averages."""

    day: date
    mean: float
    ratings: int


@dataclass(frozen=True)
class HurtExercise:
    """An exercise that hurt in the week: sets stopped for pain and its own ratings."""

    exercise_id: str
    times_stopped: int
    ratings: int
    max_pain: int | None


@dataclass(frozen=True)
class Note:
    """A note written in the week, verbatim, with its local time and where it was written."""

    at: datetime
    source: Literal["session", "pain rating", "weekly check-in"]
    text: str


@dataclass(frozen=True)
class PsfsScore:
    """One PSFS activity's rating (0 = unable, 10 = as before the problem) in a week."""

    activity: str
    score: int


@dataclass(frozen=True)
class WeeklyReview:
    """Everything the weekly review shows for one Monday week, in the user's time zone.

    Pain changes are signed ``this week - other`` (negative = less pain). ``streak`` counts
    consecutive weeks that met the target up to this week; a week with a flare (a pain
    rating marked as a flare) that missed the target neither breaks nor extends it, and
    neither does the current week while it is still under way and short of the target.
    """

    week_start: date
    week_end: date
    is_current: bool
    sessions: int
    target: int
    met_target: bool
    adherence_pct: float
    flare: bool
    streak: int
    pain_mean: float | None
    pain_ratings: int
    previous_pain_mean: float | None
    change_vs_previous: float | None
    baseline: float | None
    change_vs_baseline: float | None
    best_day: DayPain | None
    worst_day: DayPain | None
    hurt: tuple[HurtExercise, ...]
    notes: tuple[Note, ...]
    six_week: SixWeekStatus
    pgic: int | None
    psfs: tuple[PsfsScore, ...]
    psfs_mean: float | None


#: Threads for a query that runs beside a page's other queries (see :func:`_beside`).
_BESIDE_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="metrics-beside")


def _beside(con: Connection, query: Callable[[Connection], T]) -> Future[T]:
    """Start ``query`` on a cursor of its own in another thread; ``.result()`` collects it.

    DuckDB works without the GIL, so on two cores a slow query costs nothing extra while the
    caller runs its others on ``con``. The cursor is made here (a connection is not shared
    between threads) and closed by the thread when the query is done.
    """
    cursor = con.cursor()
    cursor.execute("SET TimeZone = 'UTC'")

    def run() -> T:
        try:
            return query(cursor)
        finally:
            cursor.close()

    return _BESIDE_POOL.submit(run)


def _week_flags(con: Connection, profile: Profile, last_week: date) -> dict[date, tuple[int, bool]]:
    """{Monday: (counted sessions, flare)} for the weeks up to last_week that hold either."""
    rows = _run(
        con,
        f"""
        WITH {_COUNTED_SESSIONS},
        s AS (
            SELECT CAST(date_trunc('week', day) AS DATE) AS week_start, count(*) AS sessions
            FROM counted GROUP BY 1
        ),
        f AS (
            SELECT DISTINCT CAST(date_trunc('week', CAST(timezone($tz, recorded_at) AS DATE))
                                 AS DATE) AS week_start
            FROM pain_ratings
            WHERE profile_id = $pid AND is_flare AND recorded_at < $hi
        )
        SELECT week_start, CAST(coalesce(s.sessions, 0) AS BIGINT), f.week_start IS NOT NULL
        FROM s FULL JOIN f USING (week_start)
        WHERE week_start <= $last_week
        """,
        {
            "tz": profile.time_zone,
            "pid": profile.id,
            "last_week": last_week,
            "lo": _ALL_HISTORY,
            "hi": _bounds(last_week, last_week + timedelta(days=6))[1],
        },
    ).fetchall()
    return {week: (int(sessions), bool(flare)) for week, sessions, flare in rows}


def _streak(
    flags: Mapping[date, tuple[int, bool]], target: int, last_week: date, current_week: date
) -> int:
    """Weeks meeting the target, counted back from last_week (see :class:`WeeklyReview`).

    Every week before the first one in ``flags`` is empty (no session, no flare) and would
    end the streak, so the walk stops there.
    """
    first = min(flags, default=last_week)
    streak = 0
    week = last_week
    while week >= first:
        sessions, flare = flags.get(week, (0, False))
        if sessions >= target:
            streak += 1
        elif not (flare or week == current_week):
            break
        week -= timedelta(weeks=1)
    return streak


def _hurt_exercises(con: Connection, params: Mapping[str, object]) -> list[HurtExercise]:
    """The week's exercises that hurt, most stopped first: sets stopped for pain (set
    records) and the exercise's own ratings (pain ratings), one row per exercise and source
    from the query, merged here."""
    hurt_rows = _run(
        con,
        """
        WITH wk AS (
            SELECT s.id FROM sessions s
            WHERE s.profile_id = $pid AND s.started_at >= $lo AND s.started_at < $hi
              AND CAST(timezone($tz, s.started_at) AS DATE) BETWEEN $week_start AND $end
        )
        SELECT exercise_id, true AS stopped, count(DISTINCT session_id), NULL
        FROM set_records
        WHERE profile_id = $pid AND status = 'stopped_for_pain'
          AND session_id IN (SELECT id FROM wk)
        GROUP BY exercise_id
        UNION ALL
        SELECT exercise_id, false, count(*), max(pain)
        FROM pain_ratings
        WHERE profile_id = $pid AND kind = 'exercise' AND exercise_id IS NOT NULL
          AND recorded_at >= $lo AND recorded_at < $hi
          AND CAST(timezone($tz, recorded_at) AS DATE) BETWEEN $week_start AND $end
        GROUP BY exercise_id
        """,
        params,
    ).fetchall()
    hurt_by_exercise: dict[str, list[int | None]] = {}
    for exercise_id, stopped, count, max_pain in hurt_rows:
        entry = hurt_by_exercise.setdefault(str(exercise_id), [0, 0, None])
        if stopped:
            entry[0] = int(count)
        else:
            entry[1], entry[2] = int(count), None if max_pain is None else int(max_pain)
    return sorted(
        (HurtExercise(exercise_id, *entry) for exercise_id, entry in hurt_by_exercise.items()),
        key=lambda item: (
            -item.times_stopped,
            item.max_pain is None,
            -(item.max_pain or 0),
            item.exercise_id,
        ),
    )


def weekly_review(
    con: Connection, profile: Profile, week_start: date, today: date | None = None
) -> WeeklyReview:
    """The review of the Monday week starting ``week_start`` (snapped to its Monday)."""
    today = today or local_today(profile)
    week_start = monday(week_start)
    week_end = week_start + timedelta(days=6)
    is_current = week_start <= today <= week_end
    # The streak reads every week of sessions, the review's slowest query: it runs beside
    # the week's own queries and is collected at the end.
    pending_flags = _beside(con, lambda cursor: _week_flags(cursor, profile, week_start))

    prev_start = week_start - timedelta(days=7)
    params = _params(profile, prev_start, week_end) | {"week_start": week_start}
    pending_hurt = _beside(con, lambda cursor: _hurt_exercises(cursor, params))
    # Every pain window the review needs in one query, as (day, sum, count) per local day:
    # the previous and this week, programme week 1 (the baseline) and the 7 days to the
    # status date. Means are sums of these days, equal to avg() over the ratings.
    status_day = min(week_end, today)
    first_week = (profile.programme_start, profile.programme_start + timedelta(WINDOW_DAYS - 1))
    recent = (status_day - timedelta(WINDOW_DAYS - 1), status_day)
    windows = {"a": (prev_start, week_end), "b": first_week, "c": recent}
    window_params: dict[str, object] = {}
    for name, (first, last) in windows.items():
        window_params[f"first_{name}"], window_params[f"last_{name}"] = first, last
        window_params[f"lo_{name}"], window_params[f"hi_{name}"] = _bounds(first, last)
    # The UTC bounds come first so that only the windows' ratings get a local day.
    day_rows = _run(
        con,
        f"""
        WITH trend AS (
            SELECT pain, CAST(timezone($tz, recorded_at) AS DATE) AS day
            FROM pain_ratings
            WHERE profile_id = $pid AND kind IN {_TREND_KINDS}
              AND ((recorded_at >= $lo_a AND recorded_at < $hi_a)
                OR (recorded_at >= $lo_b AND recorded_at < $hi_b)
                OR (recorded_at >= $lo_c AND recorded_at < $hi_c))
        )
        SELECT day, sum(pain) AS total, count(*) AS n FROM trend
        WHERE day BETWEEN $first_a AND $last_a OR day BETWEEN $first_b AND $last_b
           OR day BETWEEN $first_c AND $last_c
        GROUP BY day ORDER BY day
        """,
        params | window_params,
    ).fetchall()
    days = [(day, int(total), int(n)) for day, total, n in day_rows]

    def window_mean(first: date, last: date) -> tuple[float | None, int]:
        inside = [(total, n) for day, total, n in days if first <= day <= last]
        count = sum(n for _, n in inside)
        return (sum(total for total, _ in inside) / count if count else None), count

    this_days = [(day, total, n) for day, total, n in days if week_start <= day <= week_end]
    pain_mean, ratings = window_mean(week_start, week_end)
    previous, _ = window_mean(prev_start, week_start - timedelta(days=1))
    day_pains = [DayPain(day, total / n, n) for day, total, n in this_days]
    best = min(day_pains, key=lambda d: d.mean) if day_pains else None
    worst = max(day_pains, key=lambda d: d.mean) if day_pains else None

    base = baseline(con, profile, first_week=window_mean(*first_week))
    status = six_week_status(con, profile, status_day, base=base, window=window_mean(*recent))
    notes = _run(
        con,
        """
        SELECT "at", source, text FROM (
            SELECT timezone($tz, started_at) AS "at", 'session' AS source, notes AS text
            FROM sessions
            WHERE profile_id = $pid AND notes <> ''
              AND started_at >= $lo AND started_at < $hi
              AND CAST(timezone($tz, started_at) AS DATE) BETWEEN $week_start AND $end
            UNION ALL
            SELECT timezone($tz, recorded_at), 'pain rating', note
            FROM pain_ratings
            WHERE profile_id = $pid AND note <> ''
              AND recorded_at >= $lo AND recorded_at < $hi
              AND CAST(timezone($tz, recorded_at) AS DATE) BETWEEN $week_start AND $end
            UNION ALL
            SELECT timezone($tz, recorded_at), 'weekly check-in', note
            FROM weekly_checkins
            WHERE profile_id = $pid AND week_start = $week_start AND note <> ''
        ) ORDER BY "at", source, text
        """,
        params,
    ).fetchall()
    # The week's check-in: its PGIC answer (name NULL) and PSFS scores, in one query.
    answers = con.execute(
        "SELECT NULL AS name, pgic AS value, 0 AS position FROM weekly_checkins "
        "WHERE profile_id = ? AND week_start = ? "
        "UNION ALL "
        "SELECT a.name, s.score, a.position FROM psfs_scores s "
        "JOIN psfs_activities a ON a.id = s.activity_id "
        "WHERE s.profile_id = ? AND s.week_start = ? ORDER BY position, name NULLS FIRST",
        [profile.id, week_start, profile.id, week_start],
    ).fetchall()
    pgic = next((value for name, value, _ in answers if name is None), None)
    psfs_scores = tuple(
        PsfsScore(str(name), int(value)) for name, value, _ in answers if name is not None
    )
    hurt = pending_hurt.result()
    flags = pending_flags.result()
    sessions, this_week_flare = flags.get(week_start, (0, False))
    target = profile.weekly_target
    streak = _streak(flags, target, week_start, monday(today))
    return WeeklyReview(
        week_start=week_start,
        week_end=week_end,
        is_current=is_current,
        sessions=sessions,
        target=target,
        met_target=sessions >= target,
        adherence_pct=100.0 * sessions / target,
        flare=bool(this_week_flare),
        streak=streak,
        pain_mean=pain_mean,
        pain_ratings=ratings,
        previous_pain_mean=previous,
        change_vs_previous=(
            None if pain_mean is None or previous is None else pain_mean - previous
        ),
        baseline=base.value,
        change_vs_baseline=(
            None if pain_mean is None or base.value is None else pain_mean - base.value
        ),
        best_day=best,
        worst_day=worst,
        hurt=tuple(hurt),
        notes=tuple(Note(r[0], r[1], r[2]) for r in notes),
        six_week=status,
        pgic=None if pgic is None else int(pgic),
        psfs=psfs_scores,
        psfs_mean=(sum(s.score for s in psfs_scores) / len(psfs_scores) if psfs_scores else None),
    )


# --------------------------------------------------------------------------- words for pages


def week_label(week_start: date, today: date) -> str:
    """For example "Mon 16 Nov 2026 to Sun 22 Nov 2026 (this week)"."""
    suffix = " (this week)" if monday(today) == week_start else ""
    return f"{format_day(week_start)} to {format_day(week_start + timedelta(days=6))}{suffix}"


def format_sessions(sessions: int, target: int) -> str:
    """For example "3 of 5"."""
    return f"{sessions} of {target}"


def target_words(review: WeeklyReview) -> str:
    """Whether the week met its target, in words."""
    if review.met_target:
        return "Target met"
    if review.is_current:
        return f"{review.target - review.sessions} to go"
    return "Target missed" + (" (flare logged)" if review.flare else "")


def change_words(change: float | None) -> tuple[str, str, str] | None:
    """Words, colour and arrow for a signed pain change: ("less pain", "green", "down")."""
    if change is None or math.isnan(change):
        return None
    if round(change, 1) < 0:
        return "less pain", "green", "down"
    if round(change, 1) > 0:
        return "more pain", "orange", "up"
    return "no change", "gray", "off"


def format_streak(weeks: int) -> str:
    """For example "1 week", "3 weeks"."""
    return f"{weeks} week" if weeks == 1 else f"{weeks} weeks"


def format_day_pain(day: DayPain | None) -> str:
    """For example "Wed 18 Nov: 1.5"; "–" when the week has no ratings."""
    if day is None:
        return "–"
    return f"{day.day:%a} {day.day.day} {day.day:%b}: {day.mean:.1f}"


def hurt_words(item: HurtExercise, names: Mapping[str, str]) -> str:
    """For example "Side bridge: stopped for pain in 2 sessions; pain up to 6 during it"."""
    parts: list[str] = []
    if item.times_stopped:
        noun = "session" if item.times_stopped == 1 else "sessions"
        parts.append(f"stopped for pain in {item.times_stopped} {noun}")
    if item.max_pain is not None:
        parts.append(f"pain up to {item.max_pain} during it")
    return f"{names.get(item.exercise_id, item.exercise_id)}: {'; '.join(parts)}"


def note_heading(note: Note) -> str:
    """For example "Sat 21 Nov 2026, 12:49 · session note"."""
    return f"{format_day(note.at.date())}, {note.at:%H:%M} · {note.source} note"
