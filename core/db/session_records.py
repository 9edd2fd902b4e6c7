"""What a guided session's outcomes become in the file: one set record per hold or repetition,
and a pain rating (with the flag rule) after "this hurts".

The runner (:mod:`core.domain.session_runner`) hands back outcomes and does no I/O; the
page passes each one here the moment it happens.
"""

from __future__ import annotations

from core.db.flags import flag_exercise, pain_stop_streak
from core.db.rows import SetRecord
from core.db.store import Store
from core.domain.safety import FLAG_REASON, PAIN_STOPS_TO_FLAG
from core.domain.session_runner import Outcome


def record_outcome(store: Store, profile_id: str, session_id: str, outcome: Outcome) -> None:
    """Write one outcome of the session ``session_id``.

    A "set" outcome becomes (or replaces, for a redone step) the step's set record, with its
    active duration to the millisecond. An "exercise_pain" outcome becomes a pain rating of
    kind "exercise"; an exercise stopped for pain in PAIN_STOPS_TO_FLAG sessions in a row is
    then flagged, to discuss with a therapist before doing it again.
    """
    step = outcome.step
    if step is None:
        raise ValueError("An outcome to record names its step.")
    if outcome.kind == "set":
        store.record_set(
            profile_id,
            SetRecord(
                session_id=session_id,
                step_index=step.index,
                exercise_id=step.exercise_id,
                side=step.side,
                rep=step.rep,
                kind=step.kind,
                prescribed_s=float(step.duration_s),
                duration_s=round(outcome.duration_s, 3),
                status=outcome.status,
                started_at=outcome.started_at,
                completed_at=outcome.completed_at,
            ),
        )
        return
    store.add_pain_rating(
        profile_id,
        outcome.pain,
        kind="exercise",
        recorded_at=outcome.completed_at,
        session_id=session_id,
        exercise_id=step.exercise_id,
    )
    if pain_stop_streak(store, profile_id, step.exercise_id) >= PAIN_STOPS_TO_FLAG:
        flag_exercise(store, profile_id, step.exercise_id, reason=FLAG_REASON)
