"""The weekly review: one Monday week summed up, and the words the pages use for it.

Pain changes are signed ``this week - other`` (negative = less pain). The streak counts
consecutive weeks that met the target (see :class:`WeeklyReview`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from core.db.store import Store
from core.domain.days import local_today, monday
from core.domain.models import Profile
from core.domain.wording import format_day
from core.progress.adherence import COUNTED_SESSIONS, TARGETS, target_in_force, with_targets
from core.progress.pain import RESTING_KINDS_SQL, WINDOW_DAYS, baseline, first_week_days
from core.progress.queries import ALL_HISTORY, beside, on_local_days, range_params, run, utc_bounds
from core.progress.session_effect import EffectSummary, effect_summary
from core.progress.six_week import SixWeekStatus, six_week_status


@dataclass(frozen=True)
class DayPain:
    """One local day's mean pain (resting ratings) and how many ratings it averages."""

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

    Pain figures use resting ratings given up to the week's end (or today), and changes are
    signed ``this week - other`` (negative = less pain); ``session_effect`` sums up the
    week's pain before and right after sessions. ``six_week`` counts programme days, since
    this review's weeks are Monday weeks. ``target`` is the one in force that week.
    ``streak`` counts consecutive weeks that met their target up to this week; a week with a
    flare (a pain rating marked as a flare) that missed the target neither breaks nor extends
    it, and neither does the current week while it is still under way and short of the
    target.
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
    session_effect: EffectSummary
    pgic: int | None
    psfs: tuple[PsfsScore, ...]
    psfs_mean: float | None


def _week_flags(
    store: Store, profile: Profile, last_week: date
) -> dict[date, tuple[int, bool, int]]:
    """{Monday: (counted sessions, flare, target in force)} for the weeks up to last_week
    that hold either a session or a flare."""
    rows = run(
        store,
        f"""
        WITH {COUNTED_SESSIONS}, {TARGETS},
        s AS (
            SELECT CAST(date_trunc('week', day) AS DATE) AS week_start, count(*) AS sessions
            FROM counted GROUP BY 1
        ),
        f AS (
            SELECT DISTINCT CAST(date_trunc('week', CAST(timezone($tz, recorded_at) AS DATE))
                                 AS DATE) AS week_start
            FROM pain_ratings
            WHERE profile_id = $pid AND is_flare AND recorded_at < $hi
        ),
        weeks AS (
            SELECT week_start, CAST(coalesce(s.sessions, 0) AS BIGINT) AS sessions,
                   f.week_start IS NOT NULL AS flare
            FROM s FULL JOIN f USING (week_start)
            WHERE week_start <= $last_week
        )
        SELECT week_start, sessions, flare, target FROM ({with_targets("weeks")})
        """,
        {
            "tz": profile.time_zone,
            "pid": profile.id,
            "last_week": last_week,
            "lo": ALL_HISTORY,
            "hi": utc_bounds(last_week, last_week + timedelta(days=6))[1],
            "target": profile.weekly_target,
        },
    ).fetchall()
    return {
        week: (int(sessions), bool(flare), int(target)) for week, sessions, flare, target in rows
    }


def _streak(
    flags: Mapping[date, tuple[int, bool, int]], last_week: date, current_week: date
) -> int:
    """Weeks meeting their target, counted back from last_week (see :class:`WeeklyReview`).

    Every week before the first one in ``flags`` is empty (no session, no flare) and would
    end the streak, so the walk stops there. A week missing from ``flags`` has no session,
    so it misses any target (at least 1).
    """
    first = min(flags, default=last_week)
    streak = 0
    week = last_week
    while week >= first:
        sessions, flare, target = flags.get(week, (0, False, 1))
        if sessions >= target:
            streak += 1
        elif not (flare or week == current_week):
            break
        week -= timedelta(weeks=1)
    return streak


def _hurt_exercises(store: Store, params: Mapping[str, object]) -> list[HurtExercise]:
    """The week's exercises that hurt, most stopped first: sets stopped for pain (set
    records) and the exercise's own ratings (pain ratings), one row per exercise and source
    from the query, merged here."""
    hurt_rows = run(
        store,
        f"""
        WITH wk AS (
            SELECT s.id FROM sessions s
            WHERE s.profile_id = $pid AND {on_local_days("s.started_at", "week_start")}
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
          AND {on_local_days("recorded_at", "week_start")}
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
    store: Store, profile: Profile, week_start: date, today: date | None = None
) -> WeeklyReview:
    """The review of the Monday week starting ``week_start`` (snapped to its Monday)."""
    today = today or local_today(profile)
    week_start = monday(week_start)
    week_end = week_start + timedelta(days=6)
    is_current = week_start <= today <= week_end
    # The streak reads every week of sessions, the review's slowest query: it runs beside
    # the week's own queries and is collected at the end.
    pending_flags = beside(store, lambda own: _week_flags(own, profile, week_start))

    prev_start = week_start - timedelta(days=7)
    params = range_params(profile, prev_start, week_end) | {"week_start": week_start}
    pending_hurt = beside(store, lambda own: _hurt_exercises(own, params))
    pending_effect = beside(
        store, lambda own: effect_summary(own, profile, week_start, min(week_end, today))
    )
    # Every pain window the review needs in one query, as (day, sum, count) per local day:
    # the previous and this week, programme week 1 as known by the status date (the
    # baseline) and the 7 days to the status date. Means are sums of these days, equal to
    # avg() over the ratings.
    status_day = min(week_end, today)
    first_week = first_week_days(profile, status_day)
    recent = (status_day - timedelta(WINDOW_DAYS - 1), status_day)
    windows = {"a": (prev_start, week_end), "b": first_week, "c": recent}
    window_params: dict[str, object] = {}
    for name, (first, last) in windows.items():
        window_params[f"first_{name}"], window_params[f"last_{name}"] = first, last
        window_params[f"lo_{name}"], window_params[f"hi_{name}"] = utc_bounds(first, last)
    # The UTC bounds come first so that only the windows' ratings get a local day.
    day_rows = run(
        store,
        f"""
        WITH trend AS (
            SELECT pain, CAST(timezone($tz, recorded_at) AS DATE) AS day
            FROM pain_ratings
            WHERE profile_id = $pid AND kind IN {RESTING_KINDS_SQL}
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

    base = baseline(store, profile, as_of=status_day, first_week=window_mean(*first_week))
    status = six_week_status(
        store, profile, status_day, base=base, window=window_mean(*recent), counting="days"
    )
    notes = run(
        store,
        f"""
        SELECT "at", source, text FROM (
            SELECT timezone($tz, started_at) AS "at", 'session' AS source, notes AS text
            FROM sessions
            WHERE profile_id = $pid AND notes <> ''
              AND {on_local_days("started_at", "week_start")}
            UNION ALL
            SELECT timezone($tz, recorded_at), 'pain rating', note
            FROM pain_ratings
            WHERE profile_id = $pid AND note <> ''
              AND {on_local_days("recorded_at", "week_start")}
            UNION ALL
            SELECT timezone($tz, recorded_at), 'weekly check-in', note
            FROM weekly_checkins
            WHERE profile_id = $pid AND week_start = $week_start AND note <> ''
        ) ORDER BY "at", source, text
        """,
        params,
    ).fetchall()
    # The week's check-in: its PGIC answer (name NULL) and PSFS scores, in one query.
    answers = store.con.execute(
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
    if week_start in flags:
        sessions, this_week_flare, target = flags[week_start]
    else:
        sessions, this_week_flare = 0, False
        target = target_in_force(store, profile, week_start)
    streak = _streak(flags, week_start, monday(today))
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
        session_effect=pending_effect.result(),
        pgic=None if pgic is None else int(pgic),
        psfs=psfs_scores,
        psfs_mean=(sum(s.score for s in psfs_scores) / len(psfs_scores) if psfs_scores else None),
    )


# --------------------------------------------------------------------------- words for pages


def week_label(week_start: date, today: date) -> str:
    """For example "Mon 16 Nov 2026 to Sun 22 Nov 2026 (this week)"."""
    suffix = " (this week)" if monday(today) == week_start else ""
    return f"{format_day(week_start)} to {format_day(week_start + timedelta(days=6))}{suffix}"


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
