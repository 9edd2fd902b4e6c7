"""The shapes of stored rows: a profile read from its row, a session with its plan, and one
hold or repetition.

Kept apart from the store so the store holds behaviour and these hold only data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from core.domain.models import Profile


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


#: The profile columns profile_from_row reads. The creation time comes as microseconds since the
#: epoch: DuckDB hands a TIMESTAMPTZ to Python through a time zone lookup, which is slow
#: for a clinic file's thousand profiles.
PROFILE_COLUMNS = (
    "id, name, time_zone, weekly_target, programme_start, recent_surgery, red_flags, "
    "red_flags_cleared, sound_on, setup_pain, epoch_us(created_at), lead_in_s, pain_onset, "
    "pain_onset_date, pregnant, osteoporosis, voice_on, cue_volume, reminder_on, reminder_time"
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def profile_from_row(row: tuple[object, ...]) -> Profile:
    """A profile from a row of ``PROFILE_COLUMNS``; a setting added by a later schema version
    and NULL in an older row reads as its default."""
    flags = str(row[6])
    return Profile(
        id=str(row[0]),
        name=str(row[1]),
        time_zone=str(row[2]),
        weekly_target=int(row[3]),  # type: ignore[arg-type]
        programme_start=row[4],  # type: ignore[arg-type]
        recent_surgery=bool(row[5]),
        red_flags=tuple(flag for flag in flags.split(",") if flag),
        red_flags_cleared=bool(row[7]),
        sound_on=bool(row[8]),
        setup_pain=None if row[9] is None else int(row[9]),  # type: ignore[arg-type]
        created_at=_EPOCH + timedelta(microseconds=int(row[10])),  # type: ignore[arg-type]
        lead_in_s=int(row[11]),  # type: ignore[arg-type]
        pain_onset=None if row[12] is None else str(row[12]),
        pain_onset_date=row[13],  # type: ignore[arg-type]
        pregnant=None if row[14] is None else bool(row[14]),
        osteoporosis=None if row[15] is None else bool(row[15]),
        voice_on=True if row[16] is None else bool(row[16]),
        cue_volume=80 if row[17] is None else min(100, max(0, int(row[17]))),  # type: ignore[arg-type]
        reminder_on=bool(row[18]),
        reminder_time=_stored_time(row[19]),
    )


def _stored_time(value: object) -> time | None:
    """A stored "HH:MM"; None for none, or for a value no version of the app writes."""
    try:
        return None if value is None else time.fromisoformat(str(value))
    except ValueError:
        return None
