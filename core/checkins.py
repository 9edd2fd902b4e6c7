"""The weekly check-in: Patient Global Impression of Change and Patient-Specific Functional Scale.

Writes and reads of ``weekly_checkins``, ``psfs_activities`` and ``psfs_scores``, with
validation whose messages are fit to show the user. Every write bumps the profile's data
version so cached dashboards refresh at once.

* **PGIC** (one question, 7 points): 1 "Very much better" .. 4 "No change" .. 7 "Very much
  worse" (wording in :data:`core.metrics.PGIC_OPTIONS`).
* **PSFS**: the user names 3-5 activities their back makes hard, once, and rates each every
  week from 0 (unable to do it) to 10 (able to do it as well as before the problem). The
  weekly score is the mean; a change of about 2 points is meaningful.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from core.metrics import PGIC_OPTIONS, local_today, monday
from core.models import Profile
from core.store import bump, new_id, utc_now
from core.validation import ValidationError, validate_name, validate_note
from core.writes import reports_failed_writes, transaction

PSFS_MIN_ACTIVITIES = 3
PSFS_MAX_ACTIVITIES = 5
PSFS_MIN_SCORE = 0
PSFS_MAX_SCORE = 10

PSFS_QUESTION = (
    "How well can you do this activity this week? 0 = unable to do it, 10 = able to do it as "
    "well as before your back problem."
)


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


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def validate_pgic(value: object) -> int | None:
    """A PGIC answer: a whole number 1-7, or None when the question was left out."""
    if value is None:
        return None
    if not _whole(value) or value not in PGIC_OPTIONS:
        raise ValidationError("Choose one of the seven answers about how your back has changed.")
    return int(value)  # type: ignore[arg-type]


def validate_psfs_score(value: object, activity: str = "an activity") -> int:
    """A PSFS rating: a whole number from 0 to 10."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not _whole(value) or not PSFS_MIN_SCORE <= value <= PSFS_MAX_SCORE:  # type: ignore[operator]
        raise ValidationError(
            f"Rate {activity} with a whole number from {PSFS_MIN_SCORE} to {PSFS_MAX_SCORE}."
        )
    return int(value)  # type: ignore[arg-type]


def validate_activity_names(names: Sequence[object]) -> list[str]:
    """3-5 distinct, non-empty activity names (blank entries are ignored), trimmed."""
    cleaned = [validate_name(name) for name in names if name is not None]
    cleaned = [name for name in cleaned if name]
    if not PSFS_MIN_ACTIVITIES <= len(cleaned) <= PSFS_MAX_ACTIVITIES:
        raise ValidationError(
            f"Name {PSFS_MIN_ACTIVITIES} to {PSFS_MAX_ACTIVITIES} activities; you named "
            f"{len(cleaned)}."
        )
    seen: set[str] = set()
    for name in cleaned:
        key = name.casefold()
        if key in seen:
            raise ValidationError(f"You named {name!r} twice; name each activity once.")
        seen.add(key)
    return cleaned


def validate_week_start(week_start: object, today: date) -> date:
    """A Monday no later than the current week (check-ins are about a week lived)."""
    if not isinstance(week_start, date) or isinstance(week_start, datetime):
        raise ValidationError("Pick the week to check in for.")
    if week_start.weekday() != 0:
        raise ValidationError("A week starts on a Monday; pick the week again.")
    if week_start > monday(today):
        raise ValidationError("You can check in for this week or an earlier one, not a future one.")
    return week_start


def psfs_activities(con: duckdb.DuckDBPyConnection, profile_id: str) -> list[PsfsActivity]:
    """The profile's current (not archived) PSFS activities in order."""
    rows = con.execute(
        "SELECT id, position, name FROM psfs_activities "
        "WHERE profile_id = ? AND archived_at IS NULL ORDER BY position, name",
        [profile_id],
    ).fetchall()
    return [PsfsActivity(str(r[0]), int(r[1]), str(r[2])) for r in rows]


@reports_failed_writes
def set_psfs_activities(
    con: duckdb.DuckDBPyConnection,
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
    current = {activity.name.casefold(): activity for activity in psfs_activities(con, profile_id)}
    with transaction(con):
        kept: set[str] = set()
        for position, name in enumerate(cleaned, 1):
            existing = current.get(name.casefold())
            if existing is not None:
                kept.add(existing.id)
                con.execute(
                    "UPDATE psfs_activities SET position = ?, name = ? WHERE id = ?",
                    [position, name, existing.id],
                )
            else:
                con.execute(
                    "INSERT INTO psfs_activities (id, profile_id, position, name, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [new_id(), profile_id, position, name, stamp],
                )
        for activity in current.values():
            if activity.id not in kept:
                con.execute(
                    "UPDATE psfs_activities SET archived_at = ? WHERE id = ?",
                    [stamp, activity.id],
                )
    bump(profile_id)
    return psfs_activities(con, profile_id)


def get_checkin(
    con: duckdb.DuckDBPyConnection, profile_id: str, week_start: date
) -> WeeklyCheckin | None:
    """The check-in saved for the week starting ``week_start``, or None."""
    # One query: the check-in's row (activity NULL) first, then its PSFS scores.
    rows = con.execute(
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


@reports_failed_writes
def save_checkin(
    con: duckdb.DuckDBPyConnection,
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
    activities = {activity.id: activity for activity in psfs_activities(con, profile.id)}
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
    with transaction(con):
        con.execute(
            "INSERT OR REPLACE INTO weekly_checkins (profile_id, week_start, pgic, note, "
            "recorded_at) VALUES (?, ?, ?, ?, ?)",
            [profile.id, week_start, answer, clean_note, stamp],
        )
        for activity_id, value in sorted(clean_scores.items()):
            con.execute(
                "INSERT OR REPLACE INTO psfs_scores (activity_id, profile_id, week_start, "
                "score, recorded_at) VALUES (?, ?, ?, ?, ?)",
                [activity_id, profile.id, week_start, value, stamp],
            )
    bump(profile.id)
    saved = get_checkin(con, profile.id, week_start)
    assert saved is not None
    return saved
