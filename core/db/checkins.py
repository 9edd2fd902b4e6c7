"""The weekly check-in's records: the PGIC answer, the PSFS activities and their scores.

Writes and reads of ``weekly_checkins``, ``psfs_activities`` and ``psfs_scores`` through the
store (so every write bumps the profile's data version); the questions and the validation
are :mod:`core.domain.measures`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from core.db.store import Store, new_id
from core.domain.days import local_today, utc_now
from core.domain.measures import (
    validate_activity_names,
    validate_pgic,
    validate_psfs_score,
    validate_week_start,
)
from core.domain.models import Profile
from core.domain.validation import ValidationError, validate_note


@dataclass(frozen=True)
class PsfsActivity:
    """One activity the user named for the PSFS, in their order."""

    id: str
    position: int
    name: str


@dataclass(frozen=True)
class WeeklyCheckin:
    """A week's check-in: the PGIC answer, a note, and PSFS scores by activity id."""

    week_start: date
    pgic: int | None
    note: str
    scores: tuple[tuple[str, int], ...]

    @property
    def score_map(self) -> dict[str, int]:
        return dict(self.scores)


def psfs_activities(store: Store, profile_id: str) -> list[PsfsActivity]:
    """The profile's current (not archived) PSFS activities in order."""
    rows = store.con.execute(
        "SELECT id, position, name FROM psfs_activities "
        "WHERE profile_id = ? AND archived_at IS NULL ORDER BY position, name",
        [profile_id],
    ).fetchall()
    return [PsfsActivity(str(r[0]), int(r[1]), str(r[2])) for r in rows]


def set_psfs_activities(
    store: Store,
    profile_id: str,
    names: Sequence[object],
    *,
    now: datetime | None = None,
) -> list[PsfsActivity]:
    """Name (or rename) the PSFS activities: 3-5 names, in the order given.

    An activity whose name is kept (ignoring case) keeps its id and its past scores; one
    that is dropped is archived (its past scores stay in the history); new names are added.
    """
    cleaned = validate_activity_names(names)
    stamp = now or utc_now()
    current = {
        activity.name.casefold(): activity for activity in psfs_activities(store, profile_id)
    }
    with store.writing(profile_id, atomic=True):
        kept: set[str] = set()
        for position, name in enumerate(cleaned, 1):
            existing = current.get(name.casefold())
            if existing is not None:
                kept.add(existing.id)
                store.con.execute(
                    "UPDATE psfs_activities SET position = ?, name = ? WHERE id = ?",
                    [position, name, existing.id],
                )
            else:
                store.con.execute(
                    "INSERT INTO psfs_activities (id, profile_id, position, name, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [new_id(), profile_id, position, name, stamp],
                )
        for activity in current.values():
            if activity.id not in kept:
                store.con.execute(
                    "UPDATE psfs_activities SET archived_at = ? WHERE id = ?",
                    [stamp, activity.id],
                )
    return psfs_activities(store, profile_id)


def get_checkin(store: Store, profile_id: str, week_start: date) -> WeeklyCheckin | None:
    """The check-in saved for the week starting ``week_start``, or None."""
    # One query: the check-in's row (activity NULL) first, then its PSFS scores.
    rows = store.con.execute(
        "SELECT NULL AS activity_id, pgic AS value, note FROM weekly_checkins "
        "WHERE profile_id = ? AND week_start = ? "
        "UNION ALL "
        "SELECT activity_id, score, NULL FROM psfs_scores WHERE profile_id = ? AND week_start = ? "
        "ORDER BY activity_id NULLS FIRST",
        [profile_id, week_start, profile_id, week_start],
    ).fetchall()
    if not rows:
        return None
    row = rows[0] if rows[0][0] is None else None
    return WeeklyCheckin(
        week_start=week_start,
        pgic=None if row is None or row[1] is None else int(row[1]),
        note="" if row is None else str(row[2]),
        scores=tuple((str(a), int(v)) for a, v, _ in rows if a is not None),
    )


def save_checkin(
    store: Store,
    profile: Profile,
    week_start: date,
    *,
    pgic: int | None,
    scores: Mapping[str, int] | None = None,
    note: str = "",
    today: date | None = None,
    now: datetime | None = None,
) -> WeeklyCheckin:
    """Save (or replace) the week's check-in in one transaction and return it.

    ``scores`` maps activity id to 0-10 and, when given, must rate every current activity.
    At least one of PGIC, scores or note must be given.
    """
    week_start = validate_week_start(week_start, today or local_today(profile))
    answer = validate_pgic(pgic)
    clean_note = validate_note(note).strip()
    activities = {activity.id: activity for activity in psfs_activities(store, profile.id)}
    clean_scores: dict[str, int] = {}
    if scores:
        unknown = [activity_id for activity_id in scores if activity_id not in activities]
        if unknown:
            raise ValidationError("One of the activities is no longer on your list; reload.")
        missing = [a.name for a in activities.values() if a.id not in scores]
        if missing:
            raise ValidationError(f"Rate every activity; {missing[0]!r} has no rating.")
        clean_scores = {
            activity_id: validate_psfs_score(value, repr(activities[activity_id].name))
            for activity_id, value in scores.items()
        }
    if answer is None and not clean_scores and not clean_note:
        raise ValidationError("Answer the question, rate your activities, or write a note.")
    stamp = now or utc_now()
    with store.writing(profile.id, atomic=True):
        store.con.execute(
            "INSERT OR REPLACE INTO weekly_checkins (profile_id, week_start, pgic, note, "
            "recorded_at) VALUES (?, ?, ?, ?, ?)",
            [profile.id, week_start, answer, clean_note, stamp],
        )
        for activity_id, value in sorted(clean_scores.items()):
            store.con.execute(
                "INSERT OR REPLACE INTO psfs_scores (activity_id, profile_id, week_start, "
                "score, recorded_at) VALUES (?, ?, ?, ?, ?)",
                [activity_id, profile.id, week_start, value, stamp],
            )
    saved = get_checkin(store, profile.id, week_start)
    assert saved is not None
    return saved
