"""Adherence as research defines it: sessions done against the weekly target, and holds and
repetitions done against those prescribed (per week, and per exercise and side).

A **counted session** has ended (not ``in_progress``) and has at least one set done;
completed, partial and stopped-for-pain sessions all count, and belong to the local day
they started. **Weekly adherence** is counted sessions in a Monday week / the weekly
target in force that week (``weekly_targets``: a later change leaves past weeks as they
were), as a percentage (not capped at 100). **Dose adherence** is done sets / prescribed
sets (``session_prescriptions``) of the ended sessions, those with no set done included.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import pandas as pd

from core.db.store import Store
from core.domain.days import local_today, monday, utc_now
from core.domain.models import Profile
from core.progress.periods import by_period, period_for
from core.progress.queries import (
    ALL_HISTORY,
    LOOKBACK_DAYS,
    PROFILE_DAYS,
    date_series,
    fetch_frame,
    on_local_days,
    profile_days,
    range_params,
    run,
)
from core.progress.ranges import resolve_range

COUNTED_SESSIONS = """
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


#: The profile's target changes (``$pid``) and the first one, which also covers the weeks
#: before it. Profiles written before the table existed have none: ``$target`` (the
#: profile's current target) is their target for every week.
TARGETS = """
    targets AS (
        SELECT week_start AS since, target FROM weekly_targets WHERE profile_id = $pid
    ),
    first_target AS (SELECT target FROM targets ORDER BY since LIMIT 1)
"""


def with_targets(weeks: str, column: str = "week_start") -> str:
    """SQL: every row of the relation ``weeks`` with the target in force in the Monday week
    ``column`` as ``target`` (needs :data:`TARGETS` among the query's CTEs and ``$target``)."""
    return (
        f"SELECT w.*, CAST(coalesce(t.target, (SELECT target FROM first_target), $target) "
        f"AS BIGINT) AS target FROM {weeks} w ASOF LEFT JOIN targets t ON w.{column} >= t.since"
    )


def target_in_force(store: Store, profile: Profile, week_start: date) -> int:
    """The weekly target that applies to the Monday week ``week_start``."""
    row = run(
        store,
        f"WITH {TARGETS}, week AS (SELECT CAST($week AS DATE) AS week_start) "
        f"SELECT target FROM ({with_targets('week')})",
        {"pid": profile.id, "week": monday(week_start), "target": profile.weekly_target},
    ).fetchone()
    return int(row[0]) if row else profile.weekly_target


def session_days(
    store: Store, profile: Profile, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """One row per local day of the range with its counted sessions, for the calendar.

    Columns: ``day``, ``week_start`` (Monday), ``weekday`` (0 = Monday), ``sessions``,
    ``completed``, ``partial``, ``stopped_for_pain`` and ``category``: the day's most
    notable outcome, ``stopped_for_pain`` > ``partial`` > ``completed``, else ``none``.
    """
    start, end = resolve_range(store, profile, start, end)
    return fetch_frame(
        store,
        f"""
        WITH {COUNTED_SESSIONS},
        days AS ({date_series("day", "start", "end")}),
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
        range_params(profile, start, end),
    )


#: A week's figures from ``per_week`` (sessions, done and prescribed sets) beside the week
#: ``w`` and its target: the same columns for one profile and for all of them.
WEEK_FIGURES = """CAST(coalesce(sessions, 0) AS BIGINT) AS sessions,
    w.target,
    100.0 * coalesce(sessions, 0) / w.target AS adherence_pct,
    CAST(coalesce(done_sets, 0) AS BIGINT) AS done_sets,
    CAST(coalesce(prescribed_sets, 0) AS BIGINT) AS prescribed_sets,
    CASE WHEN prescribed_sets > 0 THEN 100.0 * done_sets / prescribed_sets END AS dose_pct"""


def weekly_adherence(
    store: Store, profile: Profile, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """Sessions and dose per Monday week, for every week touching the range (missed ones too).

    Columns: ``week_start``, ``sessions`` (counted), ``target`` (in force that week),
    ``adherence_pct`` (sessions / target * 100, not capped), ``done_sets``, ``prescribed_sets`` and
    ``dose_pct`` (done / prescribed * 100 over the week's ended sessions; NaN without any).
    """
    start, end = resolve_range(store, profile, start, end)
    first_week, last_week = monday(start), monday(end)
    return fetch_frame(
        store,
        f"""
        WITH {TARGETS},
        weeks AS ({with_targets(f"({date_series('week_start', 'start', 'end', 7)})")}),
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
               {WEEK_FIGURES}
        FROM weeks w LEFT JOIN per_week USING (week_start)
        ORDER BY w.week_start
        """,
        range_params(
            profile,
            first_week,
            last_week + timedelta(days=6),
            target=profile.weekly_target,
        )
        | {"start": first_week, "end": last_week},
    )


def adherence_by_period(weeks: pd.DataFrame) -> pd.DataFrame:
    """:func:`weekly_adherence`'s weeks as the chart draws them.

    Up to :data:`core.progress.periods.POINTS_PER_TRACE_MAX` weeks: the frame unchanged.
    Beyond: one row per month (quarter, year: the shared rule) of the weeks whose Monday
    falls in it, with the mean per week of those weeks (``sessions``, ``target``), so the
    figures keep their unit, sessions a week, and stay comparable with the target a week
    (a month's total against a target scaled to its 4.3 weeks would split the weeks that
    straddle two months); ``adherence_pct`` is their ratio; ``done_sets`` and
    ``prescribed_sets`` are totals and ``dose_pct`` their ratio. Columns: ``period_start``,
    ``weeks`` (how many), those five, ``dose_pct`` and ``period``.
    """
    if weeks.empty:
        return weeks
    period = period_for(weeks["week_start"].min().date(), weeks["week_start"].max().date(), "week")
    if period == "week":
        return weeks
    grouped = by_period(
        weeks,
        period,
        sums=("done_sets", "prescribed_sets"),
        means=("sessions", "target"),
    )
    grouped["adherence_pct"] = 100.0 * grouped["sessions"] / grouped["target"]
    prescribed = grouped["prescribed_sets"].where(grouped["prescribed_sets"] > 0)
    grouped["dose_pct"] = 100.0 * grouped["done_sets"] / prescribed
    columns = ["period_start", "weeks", "sessions", "target", "adherence_pct"]
    return grouped[[*columns, "done_sets", "prescribed_sets", "dose_pct", "period"]]


def dose_by_exercise(
    store: Store, profile: Profile, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """Dose adherence per exercise and side over the range's ended sessions.

    Columns: ``exercise_id``, ``side``, ``sessions`` (ended sessions prescribing it),
    ``prescribed``, ``done`` and ``dose_pct`` (done / prescribed * 100, NaN if 0 prescribed),
    sorted by exercise and side.
    """
    start, end = resolve_range(store, profile, start, end)
    return fetch_frame(
        store,
        f"""
        WITH ended AS (
            SELECT s.id FROM sessions s
            WHERE s.profile_id = $pid AND s.status <> 'in_progress'
              AND {on_local_days("s.started_at")}
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
        range_params(profile, start, end),
    )


def sessions_on(store: Store, profile: Profile, day: date) -> int:
    """The counted sessions of one local day: Today says "done for today" once it is 1."""
    frame = session_days(store, profile, day, day)
    return int(frame["sessions"].sum())


def done_for_today(sessions_today: int, week_sessions: int, week_target: int) -> str | None:
    """Today's line once the day's session is in, with what comes next; None before it."""
    if sessions_today < 1:
        return None
    done = "Done for today" + (f": {sessions_today} sessions." if sessions_today > 1 else ".")
    left = week_target - week_sessions
    if left <= 0:
        return (
            f"{done} This week's target of {week_target} is met; another session is up "
            "to you, and resting is fine too."
        )
    return (
        f"{done} {left} more this week reaches your target of {week_target}; "
        "your next session can be tomorrow."
    )


# --------------------------------------------------------------------------- all profiles


#: The columns of :func:`weekly_adherence_all`.
WEEKLY_ALL_COLUMNS = (
    *("profile_id", "week_start", "sessions", "target", "adherence_pct"),
    *("done_sets", "prescribed_sets", "dose_pct"),
)


def weekly_adherence_all(store: Store, days: Mapping[str, date], weeks: int) -> pd.DataFrame:
    """:func:`weekly_adherence` for many profiles in one query: each profile's last ``weeks``
    Monday weeks up to the one holding its local today (``days``: profile id -> that day).

    Columns: ``profile_id`` then those of :func:`weekly_adherence`, sorted by profile and
    week. The same rules: counted sessions, the target in force each week, dose over the
    week's ended sessions.
    """
    if not 1 <= weeks <= LOOKBACK_DAYS // 7:
        raise ValueError(f"weeks must be between 1 and {LOOKBACK_DAYS // 7}.")
    if not days:
        return pd.DataFrame(columns=list(WEEKLY_ALL_COLUMNS))
    return fetch_frame(
        store,
        f"""
        WITH {PROFILE_DAYS},
        weeks AS (
            SELECT a.profile_id, a.weekly_target,
                   CAST(date_trunc('week', a.today) - INTERVAL (7 * k) DAY AS DATE) AS week_start
            FROM asked a, range(0, $weeks) r(k)
        ),
        first_target AS (
            SELECT profile_id, arg_min(target, week_start) AS target
            FROM weekly_targets GROUP BY profile_id
        ),
        in_force AS (
            SELECT w.profile_id, w.week_start, w.weekly_target, t.target
            FROM weeks w ASOF LEFT JOIN weekly_targets t
              ON w.profile_id = t.profile_id AND w.week_start >= t.week_start
        ),
        targeted AS (
            SELECT i.profile_id, i.week_start,
                   CAST(coalesce(i.target, f.target, i.weekly_target) AS BIGINT) AS target
            FROM in_force i LEFT JOIN first_target f USING (profile_id)
        ),
        in_range AS (
            SELECT s.id, w.profile_id, w.week_start
            FROM sessions s
            JOIN asked a ON a.profile_id = s.profile_id
            JOIN targeted w ON w.profile_id = s.profile_id
             AND w.week_start = CAST(date_trunc('week',
                     CAST(timezone(a.time_zone, s.started_at) AS DATE)) AS DATE)
            WHERE s.status <> 'in_progress' AND s.started_at >= $lo
        ),
        done AS (
            SELECT session_id, count(*) AS done FROM set_records
            WHERE status = 'done' AND session_id IN (SELECT id FROM in_range)
            GROUP BY session_id
        ),
        prescribed AS (
            SELECT session_id, sum(prescribed) AS prescribed FROM session_prescriptions
            WHERE session_id IN (SELECT id FROM in_range)
            GROUP BY session_id
        ),
        per_week AS (
            SELECT e.profile_id, e.week_start,
                   count(*) FILTER (WHERE coalesce(d.done, 0) > 0) AS sessions,
                   sum(coalesce(d.done, 0)) AS done_sets,
                   sum(coalesce(p.prescribed, 0)) AS prescribed_sets
            FROM in_range e
            LEFT JOIN done d ON d.session_id = e.id
            LEFT JOIN prescribed p ON p.session_id = e.id
            GROUP BY e.profile_id, e.week_start
        )
        SELECT w.profile_id, w.week_start,
               {WEEK_FIGURES}
        FROM targeted w LEFT JOIN per_week USING (profile_id, week_start)
        ORDER BY w.profile_id, w.week_start
        """,
        profile_days(days) | {"weeks": weeks},
    )


def last_session_day(store: Store, profile: Profile) -> date | None:
    """The local day of the profile's latest counted session (None before the first)."""
    row = run(
        store,
        f"WITH {COUNTED_SESSIONS} SELECT max(day) FROM counted",
        range_params(profile, date(2000, 1, 1), local_today(profile))
        | {"lo": ALL_HISTORY, "hi": utc_now() + timedelta(days=2)},
    ).fetchone()
    return row[0] if row else None


def last_session_days(store: Store, days: Mapping[str, date]) -> dict[str, date]:
    """:func:`last_session_day` of many profiles in one query (profiles without a counted
    session are left out)."""
    if not days:
        return {}
    rows = run(
        store,
        f"""
        WITH {PROFILE_DAYS},
        done AS (SELECT DISTINCT session_id FROM set_records WHERE status = 'done')
        SELECT s.profile_id, max(CAST(timezone(a.time_zone, s.started_at) AS DATE))
        FROM sessions s
        JOIN asked a ON a.profile_id = s.profile_id
        JOIN done ON done.session_id = s.id
        WHERE s.status <> 'in_progress'
        GROUP BY s.profile_id
        """,
        profile_days(days),
    ).fetchall()
    return {str(profile_id): day for profile_id, day in rows}
