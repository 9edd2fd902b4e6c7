"""Correcting and deleting records: a pain check-in, a session's ratings and notes, a whole
session, a profile, or everything in the file.

Every change goes through :meth:`Store.writing` (so every page's numbers refresh at once)
and returns an :class:`Undo`: the rows it touched as they were, which :func:`undo` puts
back. The undo lives only in the browser session that made the change (the pages keep it
until the next change); the file keeps no copy. Deleted and replaced values are then
erased from the file itself (:mod:`core.db.erasure`).

A profile or the whole file is deleted only when the person types the confirmation word
(:func:`confirmation_word`); that cannot be undone. Deleting a record keeps the access
log of share links (who opened a link when is the owner's audit trail, not a record);
deleting the profile removes it with everything else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa

from core.db.erasure import erase_deleted
from core.db.flags import pain_stop_streak
from core.db.schema import TABLES, quote
from core.db.store import Store
from core.domain.days import as_utc, utc_now
from core.domain.models import Profile
from core.domain.safety import PAIN_STOPS_TO_FLAG
from core.domain.validation import ValidationError, validate_note, validate_pain
from core.domain.wording import format_instant

#: Typed to confirm deleting every profile and record in the file.
DELETE_EVERYTHING_WORD = "delete everything"
#: The tables a session's records live in, besides its pain ratings and flags.
_SESSION_TABLES = ("sessions", "session_prescriptions", "set_records")


@dataclass(frozen=True)
class Touched:
    """Rows one change touched: ``table`` rows matching ``where`` (SQL written in this
    module over the table's own columns, ``?`` for each of ``params``)."""

    table: str
    where: str
    params: tuple[object, ...]


@dataclass(frozen=True)
class Undo:
    """What a change did (``action`` to ``subject``) and the rows it touched as they were."""

    profile_id: str
    action: str
    subject: str
    before: tuple[tuple[Touched, pa.Table], ...]

    @property
    def message(self) -> str:
        """For example "Deleted the check-in of Tue 3 Mar 2026, 20:00."."""
        return f"{self.action} {self.subject}."

    @property
    def undone(self) -> str:
        """What undoing it did, in words."""
        return f"Undone: {self.subject} is back as it was."


@dataclass(frozen=True)
class CheckinRow:
    """A pain check-in as the records page lists it."""

    id: str
    recorded_at: datetime
    pain: int
    note: str
    is_flare: bool


@dataclass(frozen=True)
class SessionRating:
    """One pain rating given in a session: before, after, or during one exercise."""

    id: str
    kind: str
    pain: int
    exercise_id: str | None
    recorded_at: datetime


@dataclass(frozen=True)
class SessionSummary:
    """A session as the records page lists it: when, how it ended, its dose, its ratings."""

    id: str
    started_at: datetime
    status: str
    notes: str
    done_sets: int
    prescribed_sets: int
    ratings: tuple[SessionRating, ...]

    def rating(self, kind: str) -> SessionRating | None:
        """The first rating of ``kind`` ("before" or "after"), if the session has one."""
        return next((r for r in self.ratings if r.kind == kind), None)


# --------------------------------------------------------------------------- reading


def recent_checkins(store: Store, profile_id: str, limit: int = 50) -> list[CheckinRow]:
    """The profile's latest pain check-ins, newest first."""
    rows = store.con.execute(
        "SELECT id, recorded_at, pain, note, is_flare FROM pain_ratings "
        "WHERE profile_id = ? AND kind = 'checkin' ORDER BY recorded_at DESC, id LIMIT ?",
        [profile_id, limit],
    ).fetchall()
    return [CheckinRow(r[0], as_utc(r[1]), int(r[2]), str(r[3]), bool(r[4])) for r in rows]


def recent_sessions(store: Store, profile_id: str, limit: int = 30) -> list[SessionSummary]:
    """The profile's latest ended sessions, newest first, with their ratings."""
    rows = store.con.execute(
        """
        WITH latest AS (
            SELECT id, started_at, status, notes, prescribed_sets FROM sessions
            WHERE profile_id = ? AND status <> 'in_progress'
            ORDER BY started_at DESC, id LIMIT ?
        ),
        done AS (
            SELECT session_id, count(*) AS done FROM set_records
            WHERE profile_id = ? AND status = 'done'
              AND session_id IN (SELECT id FROM latest)
            GROUP BY session_id
        )
        SELECT l.id, l.started_at, l.status, l.notes, coalesce(d.done, 0), l.prescribed_sets
        FROM latest l LEFT JOIN done d ON d.session_id = l.id
        ORDER BY l.started_at DESC, l.id
        """,
        [profile_id, limit, profile_id],
    ).fetchall()
    ratings: dict[str, list[SessionRating]] = {}
    for r in store.con.execute(
        "SELECT session_id, id, kind, pain, exercise_id, recorded_at FROM pain_ratings "
        "WHERE profile_id = ? AND session_id IN (SELECT unnest(?)) "
        "ORDER BY recorded_at, id",
        [profile_id, [row[0] for row in rows]],
    ).fetchall():
        ratings.setdefault(r[0], []).append(
            SessionRating(r[1], r[2], int(r[3]), r[4], as_utc(r[5]))
        )
    return [
        SessionSummary(
            id=r[0],
            started_at=as_utc(r[1]),
            status=r[2],
            notes=r[3],
            done_sets=int(r[4]),
            prescribed_sets=int(r[5]),
            ratings=tuple(ratings.get(r[0], ())),
        )
        for r in rows
    ]


# --------------------------------------------------------------------------- changes


def _capture(store: Store, touched: list[Touched]) -> tuple[tuple[Touched, pa.Table], ...]:
    store.con.complete()  # finish any result left open, so sql() may run
    return tuple(
        (
            item,
            store.con.sql(
                f"SELECT * FROM {quote(item.table)} WHERE {item.where}", params=list(item.params)
            ).to_arrow_table(),
        )
        for item in touched
    )


def _change(
    store: Store,
    profile_id: str,
    touched: list[Touched],
    action: str,
    subject: str,
    apply: Callable[[], None],
) -> Undo:
    """Capture the touched rows, run ``apply`` in one transaction, then erase what it
    replaced or deleted from the file."""
    before = _capture(store, touched)
    with store.writing(profile_id, atomic=True):
        apply()
    erase_deleted(store.con, [item.table for item in touched])
    return Undo(profile_id=profile_id, action=action, subject=subject, before=before)


def undo(store: Store, change: Undo) -> None:
    """Put back the rows a change touched, as they were before it (in one transaction)."""
    with store.writing(change.profile_id, atomic=True):
        for item, rows in change.before:
            store.con.execute(
                f"DELETE FROM {quote(item.table)} WHERE {item.where}", list(item.params)
            )
            if rows.num_rows:
                store.copy_in(item.table, rows)
    erase_deleted(store.con, [item.table for item, _ in change.before])


def _checkin(store: Store, profile_id: str, rating_id: str) -> CheckinRow:
    row = store.con.execute(
        "SELECT id, recorded_at, pain, note, is_flare FROM pain_ratings "
        "WHERE id = ? AND profile_id = ? AND kind = 'checkin'",
        [rating_id, profile_id],
    ).fetchone()
    if row is None:
        raise KeyError(f"No check-in {rating_id!r} for this profile.")
    return CheckinRow(row[0], as_utc(row[1]), int(row[2]), str(row[3]), bool(row[4]))


def edit_checkin(
    store: Store,
    profile: Profile,
    rating_id: str,
    *,
    pain: object,
    note: object,
    is_flare: bool,
) -> Undo:
    """Correct a pain check-in's rating, note and flare-up mark."""
    current = _checkin(store, profile.id, rating_id)
    values = [validate_pain(pain), validate_note(note), bool(is_flare)]
    touched = [Touched("pain_ratings", "id = ? AND profile_id = ?", (rating_id, profile.id))]

    def apply() -> None:
        store.con.execute(
            "UPDATE pain_ratings SET pain = ?, note = ?, is_flare = ? WHERE id = ?",
            [*values, rating_id],
        )

    when = format_instant(current.recorded_at, profile.time_zone)
    return _change(store, profile.id, touched, "Changed", f"the check-in of {when}", apply)


def delete_checkin(store: Store, profile: Profile, rating_id: str) -> Undo:
    """Delete a pain check-in."""
    current = _checkin(store, profile.id, rating_id)
    touched = [Touched("pain_ratings", "id = ? AND profile_id = ?", (rating_id, profile.id))]

    def apply() -> None:
        store.con.execute("DELETE FROM pain_ratings WHERE id = ?", [rating_id])

    when = format_instant(current.recorded_at, profile.time_zone)
    return _change(store, profile.id, touched, "Deleted", f"the check-in of {when}", apply)


def _ended_session(store: Store, profile_id: str, session_id: str) -> tuple[datetime, datetime]:
    """The session's start and last change; KeyError if it is not the profile's, and a
    ValidationError while it still runs (a browser may be recording into it)."""
    row = store.con.execute(
        "SELECT profile_id, status, started_at, updated_at FROM sessions WHERE id = ?",
        [session_id],
    ).fetchone()
    if row is None or row[0] != profile_id:
        raise KeyError(f"No session {session_id!r} for this profile.")
    if row[1] == "in_progress":
        raise ValidationError("This session is still running. End it on the Session page first.")
    return as_utc(row[2]), as_utc(row[3])


def edit_session(
    store: Store,
    profile: Profile,
    session_id: str,
    *,
    notes: object,
    pains: Mapping[str, object],
    pain_after: object = None,
) -> Undo:
    """Correct a session's notes and pain ratings.

    ``pains`` maps the id of each of the session's ratings to change to its new 0-10 value;
    ``pain_after`` adds the after-session rating to a session that has none.
    """
    started, _ = _ended_session(store, profile.id, session_id)
    clean_notes = validate_note(notes)
    session_ratings = {
        str(r[0]): str(r[1])
        for r in store.con.execute(
            "SELECT id, kind FROM pain_ratings WHERE profile_id = ? AND session_id = ?",
            [profile.id, session_id],
        ).fetchall()
    }
    unknown = [rating_id for rating_id in pains if rating_id not in session_ratings]
    if unknown:
        raise KeyError(f"No rating {unknown[0]!r} in this session.")
    new_values = {rating_id: validate_pain(value) for rating_id, value in pains.items()}
    add_after = None if pain_after is None else validate_pain(pain_after)
    if add_after is not None and "after" in session_ratings.values():
        raise ValidationError("This session already has a pain rating for after it.")
    touched = [
        Touched("sessions", "id = ? AND profile_id = ?", (session_id, profile.id)),
        Touched("pain_ratings", "session_id = ? AND profile_id = ?", (session_id, profile.id)),
    ]

    def apply() -> None:
        store.con.execute(
            "UPDATE sessions SET notes = ?, updated_at = ? WHERE id = ?",
            [clean_notes, utc_now(), session_id],
        )
        for rating_id, value in new_values.items():
            store.con.execute("UPDATE pain_ratings SET pain = ? WHERE id = ?", [value, rating_id])
        if add_after is not None:
            store.add_pain_rating(
                profile.id, add_after, kind="after", session_id=session_id, recorded_at=utc_now()
            )

    when = format_instant(started, profile.time_zone)
    return _change(store, profile.id, touched, "Changed", f"the session of {when}", apply)


def delete_session(store: Store, profile: Profile, session_id: str) -> Undo:
    """Delete a whole session: its sets, prescriptions and pain ratings, and an exercise flag
    it raised when, without it, the exercise was no longer stopped in sessions in a row."""
    started, last_change = _ended_session(store, profile.id, session_id)
    raised = [
        (str(r[0]), r[1])
        for r in store.con.execute(
            "SELECT exercise_id, flagged_at FROM exercise_flags "
            "WHERE profile_id = ? AND flagged_at BETWEEN ? AND ?",
            [profile.id, started, last_change],
        ).fetchall()
    ]
    key = (session_id, profile.id)
    touched = [
        Touched("sessions", "id = ? AND profile_id = ?", key),
        Touched("session_prescriptions", "session_id = ? AND profile_id = ?", key),
        Touched("set_records", "session_id = ? AND profile_id = ?", key),
        Touched("pain_ratings", "session_id = ? AND profile_id = ?", key),
        *(
            Touched(
                "exercise_flags",
                "profile_id = ? AND exercise_id = ? AND flagged_at = ?",
                (profile.id, exercise_id, flagged_at),
            )
            for exercise_id, flagged_at in raised
        ),
    ]

    def apply() -> None:
        for table in (*_SESSION_TABLES, "pain_ratings"):
            column = "id" if table == "sessions" else "session_id"
            store.con.execute(
                f"DELETE FROM {quote(table)} WHERE {column} = ? AND profile_id = ?", list(key)
            )
        for exercise_id, flagged_at in raised:
            if pain_stop_streak(store, profile.id, exercise_id) < PAIN_STOPS_TO_FLAG:
                store.con.execute(
                    "DELETE FROM exercise_flags "
                    "WHERE profile_id = ? AND exercise_id = ? AND flagged_at = ?",
                    [profile.id, exercise_id, flagged_at],
                )

    when = format_instant(started, profile.time_zone)
    return _change(store, profile.id, touched, "Deleted", f"the session of {when}", apply)


# --------------------------------------------------------------------------- whole profiles


def confirmation_word(profile: Profile) -> str:
    """What to type to delete the profile: its name, or "delete" for an unnamed one."""
    return profile.name or "delete"


def _confirmed(typed: object, word: str) -> bool:
    return isinstance(typed, str) and typed.strip().casefold() == word.strip().casefold()


def delete_profile(store: Store, profile: Profile, typed: object) -> None:
    """Delete the profile and every row of it in every table (its share links and their
    access log included), once ``typed`` matches :func:`confirmation_word`."""
    if not _confirmed(typed, confirmation_word(profile)):
        raise ValidationError(
            f"Type {confirmation_word(profile)!r} to confirm; nothing was deleted."
        )
    with store.writing(profile.id, atomic=True):
        for spec in TABLES:
            store.con.execute(
                f"DELETE FROM {quote(spec.name)} WHERE {quote(spec.profile_column)} = ?",
                [profile.id],
            )
    erase_deleted(store.con, [spec.name for spec in TABLES])


def delete_everything(store: Store, typed: object) -> int:
    """Delete every profile and record in the file, once ``typed`` is
    :data:`DELETE_EVERYTHING_WORD`. Returns how many profiles were deleted."""
    if not _confirmed(typed, DELETE_EVERYTHING_WORD):
        raise ValidationError(f"Type {DELETE_EVERYTHING_WORD!r} to confirm; nothing was deleted.")
    profile_ids = [profile.id for profile in store.list_profiles()]
    with store.writing(*profile_ids, atomic=True):
        for spec in TABLES:
            store.con.execute(f"DELETE FROM {quote(spec.name)}")
    erase_deleted(store.con, [spec.name for spec in TABLES])
    return len(profile_ids)
