"""The shapes of stored session rows: a session with its plan, and one hold or repetition.

Kept apart from the store so the store holds behaviour and these hold only data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SessionRow:
    """A session as stored: its plan snapshot, status and times."""

    id: str
    profile_id: str
    started_at: datetime
    ended_at: datetime | None
    status: str
    source: str
    plan: list[dict[str, object]]
    prescribed_sets: int
    notes: str


@dataclass(frozen=True)
class SetRecord:
    """One completed, skipped or stopped hold or repetition."""

    session_id: str
    step_index: int
    exercise_id: str
    side: str
    rep: int
    kind: str
    prescribed_s: float
    duration_s: float
    status: str
    started_at: datetime
    completed_at: datetime
