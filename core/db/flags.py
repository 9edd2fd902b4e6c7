"""Exercises set aside after they hurt: stopped for pain in sessions in a row, flagged to
discuss with a therapist, left out of sessions until cleared (see core.domain.safety)."""

from __future__ import annotations

from datetime import datetime

from core.db.store import Store
from core.domain.catalog import Catalog
from core.domain.days import utc_now
from core.domain.models import Profile
from core.domain.programme import SessionChoice, session_exercises
from core.domain.validation import validate_note


def pain_stop_streak(store: Store, profile_id: str, exercise_id: str) -> int:
    """In how many of the latest sessions that prescribed the exercise, in a row, it was
    stopped for pain (in-progress sessions included, so the current one counts)."""
    row = store.con.execute(
        """
        WITH prescribed AS (
            SELECT s.id, s.started_at,
                EXISTS (
                    SELECT 1 FROM set_records r
                    WHERE r.session_id = s.id AND r.exercise_id = ?
                      AND r.status = 'stopped_for_pain'
                ) AS stopped
            FROM sessions s
            WHERE s.profile_id = ?
              AND EXISTS (
                  SELECT 1 FROM session_prescriptions p
                  WHERE p.session_id = s.id AND p.exercise_id = ?
              )
        ),
        ordered AS (
            SELECT stopped,
                sum(CASE WHEN stopped THEN 0 ELSE 1 END)
                    OVER (ORDER BY started_at DESC, id ROWS UNBOUNDED PRECEDING) AS breaks
            FROM prescribed
        )
        SELECT count(*) FROM ordered WHERE breaks = 0
        """,
        [exercise_id, profile_id, exercise_id],
    ).fetchone()
    return int(row[0]) if row else 0


def flag_exercise(
    store: Store, profile_id: str, exercise_id: str, *, reason: str, now: datetime | None = None
) -> None:
    """Mark an exercise to discuss with a therapist before doing it again (once)."""
    if exercise_id in active_flags(store, profile_id):
        return
    with store.writing(profile_id):
        store.con.execute(
            "INSERT INTO exercise_flags VALUES (?, ?, ?, ?, NULL)",
            [profile_id, exercise_id, now or utc_now(), validate_note(reason)],
        )


#: SQL, the one rule for "discuss": the exercises of profile ``$pid`` flagged by the local
#: day ``$end`` (zone ``$tz``) and not cleared by then. With ``$end`` today these are
#: exactly :func:`active_flags`, the exercises a session leaves out.
FLAGGED_BY_END = """
    SELECT DISTINCT exercise_id FROM exercise_flags
    WHERE profile_id = $pid
      AND CAST(timezone($tz, flagged_at) AS DATE) <= $end
      AND (cleared_at IS NULL OR CAST(timezone($tz, cleared_at) AS DATE) > $end)
"""


def active_flags(store: Store, profile_id: str) -> dict[str, str]:
    """Flagged exercises not yet cleared: exercise id -> reason."""
    rows = store.con.execute(
        "SELECT exercise_id, reason FROM exercise_flags "
        "WHERE profile_id = ? AND cleared_at IS NULL ORDER BY flagged_at",
        [profile_id],
    ).fetchall()
    return {row[0]: row[1] for row in rows}


def clear_flag(
    store: Store, profile_id: str, exercise_id: str, *, now: datetime | None = None
) -> None:
    """The user's therapist cleared the exercise: it may go back into sessions."""
    with store.writing(profile_id):
        store.con.execute(
            "UPDATE exercise_flags SET cleared_at = ? "
            "WHERE profile_id = ? AND exercise_id = ? AND cleared_at IS NULL",
            [now or utc_now(), profile_id, exercise_id],
        )


def session_choice(store: Store, profile: Profile, catalog: Catalog) -> SessionChoice:
    """What a session of the profile's saved programme runs, and what it leaves out: the one
    rule (:func:`core.domain.programme.session_exercises`) with the profile's flags."""
    return session_exercises(
        store.get_programme(profile.id),
        catalog,
        recent_surgery=profile.recent_surgery,
        flagged=active_flags(store, profile.id),
    )


# --------------------------------------------------------------------------- all profiles


def active_flags_all(store: Store) -> dict[str, list[str]]:
    """:func:`active_flags` of every profile in one query: profile id -> flagged exercise
    ids, oldest flag first (profiles without a flag are left out)."""
    rows = store.con.execute(
        "SELECT profile_id, list(exercise_id ORDER BY flagged_at) FROM exercise_flags "
        "WHERE cleared_at IS NULL GROUP BY profile_id"
    ).fetchall()
    return {str(profile_id): list(dict.fromkeys(ids)) for profile_id, ids in rows}


def pain_stop_streaks(store: Store) -> dict[str, dict[str, int]]:
    """:func:`pain_stop_streak` of every profile and exercise in one query: profile id ->
    exercise id -> how many of the latest sessions prescribing it, in a row, stopped it for
    pain (only streaks of one or more)."""
    rows = store.con.execute(
        """
        WITH stops AS (
            SELECT DISTINCT session_id, exercise_id FROM set_records
            WHERE status = 'stopped_for_pain'
        ),
        -- Only an exercise stopped at least once can have a streak: the rest are skipped
        -- before the window runs (a clinic file prescribes millions of exercises).
        ever_stopped AS (
            SELECT DISTINCT s.profile_id, st.exercise_id
            FROM stops st JOIN sessions s ON s.id = st.session_id
        ),
        prescribed AS (
            SELECT DISTINCT s.profile_id, p.exercise_id, s.id, s.started_at
            FROM session_prescriptions p
            JOIN sessions s ON s.id = p.session_id
            JOIN ever_stopped e ON e.profile_id = s.profile_id AND e.exercise_id = p.exercise_id
        ),
        ordered AS (
            SELECT pr.profile_id, pr.exercise_id, st.session_id IS NOT NULL AS stopped,
                sum(CASE WHEN st.session_id IS NULL THEN 1 ELSE 0 END) OVER (
                    PARTITION BY pr.profile_id, pr.exercise_id
                    ORDER BY pr.started_at DESC, pr.id ROWS UNBOUNDED PRECEDING
                ) AS breaks
            FROM prescribed pr
            LEFT JOIN stops st ON st.session_id = pr.id AND st.exercise_id = pr.exercise_id
        )
        SELECT profile_id, exercise_id, count(*) FROM ordered
        WHERE breaks = 0 GROUP BY profile_id, exercise_id ORDER BY profile_id, exercise_id
        """
    ).fetchall()
    streaks: dict[str, dict[str, int]] = {}
    for profile_id, exercise_id, streak in rows:
        streaks.setdefault(str(profile_id), {})[str(exercise_id)] = int(streak)
    return streaks
