"""The exercise table: per exercise, how often it was done or stopped and how pain moved."""

from __future__ import annotations

from datetime import date

import pandas as pd

from core.db.flags import FLAGGED_BY_END
from core.db.store import Store
from core.domain.models import Profile
from core.progress.queries import fetch_frame, on_local_days, range_params
from core.progress.ranges import resolve_range


def exercise_table(
    store: Store, profile: Profile, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """Per exercise over the range's ended sessions: how it went and how pain moved.

    Columns:
    ``exercise_id``; ``sessions`` (ended sessions prescribing it); ``times_done`` (sessions
    with at least one done set of it); ``times_stopped`` (sessions with a set of it stopped
    for pain); ``exercise_pain`` (mean of its own "exercise" ratings in the range, NaN if
    none) and ``exercise_ratings``; ``pain_before``, ``pain_after`` and ``pain_change``
    (after - before) over ``rated_sessions``: sessions that included it (a done or stopped
    set) and have both a before and an after rating (each session's mean of each);
    ``discuss``: flagged to discuss with a therapist by the range's last day and not cleared
    by then (:data:`core.db.flags.FLAGGED_BY_END`: for a range ending today, the exercises
    a session leaves out). A flagged exercise is listed even with no record in the range.
    Sorted: discuss first, then most stopped, then highest exercise pain, then id.
    """
    start, end = resolve_range(store, profile, start, end)
    return fetch_frame(
        store,
        f"""
        WITH ended AS (
            SELECT s.id
            FROM sessions s
            WHERE s.profile_id = $pid AND s.status <> 'in_progress'
              AND {on_local_days("s.started_at")}
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
            SELECT session_id, exercise_id,
                   p.session_id IS NOT NULL AS is_prescribed,
                   coalesce(s.done, 0) AS done, coalesce(s.stopped, 0) AS stopped
            FROM prescribed p
            FULL JOIN sets s USING (session_id, exercise_id)
            JOIN ended e ON e.id = session_id
        ),
        flagged AS (SELECT exercise_id, true AS discuss FROM ({FLAGGED_BY_END})),
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
              AND {on_local_days("recorded_at")}
            GROUP BY exercise_id
        ),
        counts AS (
            SELECT exercise_id,
                   count(*) FILTER (WHERE is_prescribed) AS sessions,
                   count(*) FILTER (WHERE done > 0) AS times_done,
                   count(*) FILTER (WHERE stopped > 0) AS times_stopped
            FROM per GROUP BY exercise_id
        ),
        ids AS (
            SELECT exercise_id FROM counts UNION SELECT exercise_id FROM own_pain
            UNION SELECT exercise_id FROM flagged
        )
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
        range_params(profile, start, end),
    )
