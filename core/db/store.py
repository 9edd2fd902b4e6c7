"""The store: typed reads and writes of one person's records, over one DuckDB cursor.

Every write goes through :meth:`Store.writing`, the one place that turns a refused write
into a message people read (:class:`~core.db.writes.StoreError`) and bumps the profile's
data version (:mod:`core.db.versions`) so cached pages refresh. Single writes autocommit
(they survive ``kill -9``); writes of several rows run in one explicit transaction. Every
query takes a profile id: nothing reads across profiles. A ``Store`` is a context manager
that closes its cursor.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Self
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd
import pyarrow as pa

from core.db.connection import cursor_for, open_database
from core.db.erasure import finish_pending
from core.db.rows import PROFILE_COLUMNS, SessionRow, SetRecord, profile_from_row
from core.db.schema import BY_NAME, TABLES, quote
from core.db.versions import bump
from core.db.writes import StoreError, not_saved, transaction
from core.domain.course import validate_onset
from core.domain.days import as_utc, local_today, monday, utc_now
from core.domain.models import Profile, ProgrammeItem
from core.domain.safety import SIGNS_BY_ID
from core.domain.validation import (
    ValidationError,
    optional_answer,
    validate_cue_volume,
    validate_date,
    validate_lead_in,
    validate_name,
    validate_note,
    validate_pain,
    validate_reminder_time,
    validate_time_zone,
    validate_weekly_target,
)

SESSION_STATUSES = ("in_progress", "completed", "partial", "stopped_for_pain")
PAIN_KINDS = ("setup", "checkin", "before", "after", "exercise")


class ActiveSessionError(StoreError):
    """The profile already has a session running; ``session_id`` names it."""

    def __init__(self, session_id: str) -> None:
        super().__init__("A session is already running for this profile. Resume it or end it.")
        self.session_id = session_id


def new_id() -> str:
    """A new record id (a random UUID, as text)."""
    return str(uuid.uuid4())


class Store:
    """Typed reads and writes over one cursor. Make one per thread or browser session."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    @classmethod
    def open(cls, target: str | os.PathLike[str] | None = None) -> Store:
        """A store on its own freshly opened database (scripts and tests); use it in ``with``."""
        return cls(open_database(target))

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the cursor (or connection) this store works through."""
        with contextlib.suppress(duckdb.Error):
            self.con.close()

    def cursor(self) -> Store:
        """A store on a new cursor of the same database, for another thread; close it after."""
        return Store(cursor_for(self.con))

    @contextlib.contextmanager
    def writing(self, *profile_ids: str, atomic: bool = False) -> Iterator[None]:
        """The one way records are written: run the block, then bump the profiles' versions.

        With ``atomic`` the block runs in one transaction (committed at the end, rolled back
        on any error). A write DuckDB refuses (a full disk, a read-only file, a lost lock)
        becomes a StoreError saying it was not saved; nothing is bumped then.
        """
        try:
            with transaction(self.con) if atomic else contextlib.nullcontext():
                yield
        except duckdb.Error as error:
            raise not_saved(error) from error
        for profile_id in profile_ids:
            bump(profile_id)
        with contextlib.suppress(duckdb.Error):  # inside an outer transaction: later
            finish_pending(self.con)  # an erasing that had to wait (core.db.erasure)

    def release(self) -> None:
        """Finish any result left open: an idle cursor then holds no transaction (one would
        keep DuckDB from checkpointing after a deletion)."""
        with contextlib.suppress(duckdb.Error):
            self.con.complete()

    # -- profiles ---------------------------------------------------------------------

    def create_profile(
        self,
        *,
        name: str = "",
        time_zone: str,
        weekly_target: int = 5,
        programme_start: date,
        recent_surgery: bool,
        red_flags: Iterable[str] = (),
        setup_pain: int | None = None,
        pain_onset: str | None = None,
        pain_onset_date: date | None = None,
        pregnant: bool | None = None,
        osteoporosis: bool | None = None,
        now: datetime | None = None,
    ) -> Profile:
        """Save a new profile from the first-use setup and return it; ``red_flags`` are the
        ids of the warning signs ticked (core.domain.safety), reported now."""
        flags = tuple(dict.fromkeys(red_flags))
        unknown = [flag for flag in flags if flag not in SIGNS_BY_ID]
        if unknown:
            raise ValidationError(f"Unknown warning sign {unknown[0]!r}.")
        pain = None if setup_pain is None else validate_pain(setup_pain)
        stamp = now or utc_now()
        zone = ZoneInfo(validate_time_zone(time_zone))
        onset = validate_onset(pain_onset, pain_onset_date, today=stamp.astimezone(zone).date())
        row = [
            profile_id := new_id(),
            validate_name(name),
            validate_time_zone(time_zone),
            validate_weekly_target(weekly_target),
            validate_date(programme_start, what="programme start date"),
            bool(recent_surgery),
            pain,
            stamp,
            stamp,
            *onset,
            optional_answer(pregnant),
            optional_answer(osteoporosis),
        ]
        with self.writing(profile_id, atomic=True):
            self.con.execute(
                "INSERT INTO profiles (id, name, time_zone, weekly_target, programme_start, "
                "recent_surgery, setup_pain, created_at, updated_at, pain_onset, "
                "pain_onset_date, pregnant, osteoporosis) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            self._set_weekly_target(profile_id, row[3], monday(row[4]), stamp)
            if pain is not None:
                self._insert_pain_rating(profile_id, pain, kind="setup", recorded_at=stamp)
            for flag in flags:
                self.con.execute(
                    "INSERT INTO warning_signs (id, profile_id, sign, tier, reported_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [new_id(), profile_id, flag, SIGNS_BY_ID[flag].tier, stamp],
                )
        return self.get_profile(profile_id)

    def get_profile(self, profile_id: str) -> Profile:
        """The profile with this id; KeyError if there is none."""
        row = self.con.execute(
            f"SELECT {PROFILE_COLUMNS} FROM profiles WHERE id = ?",
            [profile_id],
        ).fetchone()
        if row is None:
            raise KeyError(f"No profile {profile_id!r}.")
        return profile_from_row(row)

    def list_profiles(self) -> list[Profile]:
        """Every profile in the file, oldest first (a household or clinic may hold several)."""
        rows = self.con.execute(
            f"SELECT {PROFILE_COLUMNS} FROM profiles ORDER BY created_at, id"
        ).fetchall()
        return [profile_from_row(row) for row in rows]

    def update_profile(
        self, profile_id: str, *, now: datetime | None = None, **fields: object
    ) -> Profile:
        """Change settings of a profile; only the named, validated fields are written. A new
        weekly target applies from this week (``now``, locally) on; past weeks keep theirs."""
        validators = {
            "name": validate_name,
            "time_zone": validate_time_zone,
            "weekly_target": validate_weekly_target,
            "programme_start": lambda v: validate_date(v, what="programme start date"),
            "recent_surgery": bool,
            "sound_on": bool,
            "voice_on": bool,
            "cue_volume": validate_cue_volume,
            "reminder_on": bool,
            "reminder_time": validate_reminder_time,
            "red_flags_cleared": bool,
            "lead_in_s": validate_lead_in,
            "pregnant": optional_answer,
            "osteoporosis": optional_answer,
        }
        unknown = set(fields) - set(validators)
        if unknown:
            raise ValueError(f"Cannot update {sorted(unknown)} on a profile.")
        if not fields:
            return self.get_profile(profile_id)
        current = self.get_profile(profile_id)
        columns = sorted(fields)
        values = [validators[column](fields[column]) for column in columns]
        assignments = ", ".join(f"{column} = ?" for column in columns)
        stamp = now or utc_now()
        new_target = dict(zip(columns, values, strict=True)).get("weekly_target")
        retarget = new_target is not None and new_target != current.weekly_target
        with self.writing(profile_id, atomic=retarget):
            self.con.execute(
                f"UPDATE profiles SET {assignments}, updated_at = ? WHERE id = ?",
                [*values, stamp, profile_id],
            )
            if retarget:
                week = monday(local_today(self.get_profile(profile_id), stamp))
                self._set_weekly_target(profile_id, new_target, week, stamp)
        return self.get_profile(profile_id)

    def _set_weekly_target(self, profile_id: str, target: object, week: date, at: datetime) -> None:
        """The target in force from the Monday ``week`` on: it replaces one set that same week
        and any set for a later week (a programme start in the future)."""
        self.con.execute(
            "DELETE FROM weekly_targets WHERE profile_id = ? AND week_start > ?", [profile_id, week]
        )
        self.con.execute(
            "INSERT OR REPLACE INTO weekly_targets (profile_id, week_start, target, recorded_at) "
            "VALUES (?, ?, ?, ?)",
            [profile_id, week, target, at],
        )

    # -- programme --------------------------------------------------------------------

    def save_programme(self, profile_id: str, items: Sequence[ProgrammeItem]) -> None:
        """Replace the profile's programme with ``items``, in order, in one transaction."""
        stamp = utc_now()
        rows = [
            [profile_id, position, item.exercise_id, item.reps, item.hold_s, stamp]
            for position, item in enumerate(items)
        ]
        with self.writing(profile_id, atomic=True):
            self.con.execute("DELETE FROM programme_items WHERE profile_id = ?", [profile_id])
            if rows:
                self.con.executemany("INSERT INTO programme_items VALUES (?, ?, ?, ?, ?, ?)", rows)

    def get_programme(self, profile_id: str) -> list[ProgrammeItem]:
        """The profile's saved programme in order; empty if none was saved."""
        rows = self.con.execute(
            "SELECT exercise_id, reps, hold_s FROM programme_items "
            "WHERE profile_id = ? ORDER BY position",
            [profile_id],
        ).fetchall()
        return [ProgrammeItem(exercise_id=r[0], reps=int(r[1]), hold_s=int(r[2])) for r in rows]

    # -- sessions ---------------------------------------------------------------------

    def start_session(
        self,
        profile_id: str,
        plan: Sequence[dict[str, object]],
        *,
        prescribed: Mapping[tuple[str, str], int],
        source: str = "programme",
        now: datetime | None = None,
    ) -> str:
        """Open a session; raise ActiveSessionError if one is already running for the profile.

        ``plan`` is the programme snapshot (exercise id, reps, hold) and ``prescribed`` the
        holds or repetitions it asks for per (exercise id, side), for dose adherence.
        """
        if source not in ("programme", "ad_hoc"):
            raise ValidationError(f"Unknown session source {source!r}.")
        prescribed_sets = sum(prescribed.values())
        running = self.active_session(profile_id)
        if running is not None:
            raise ActiveSessionError(running.id)
        session_id = new_id()
        stamp = now or utc_now()
        try:
            with self.writing(profile_id, atomic=True):
                self.con.execute(
                    "INSERT INTO sessions (id, profile_id, active_profile_id, started_at, "
                    "status, source, plan_json, prescribed_sets, updated_at) "
                    "VALUES (?, ?, ?, ?, 'in_progress', ?, ?, ?, ?)",
                    [
                        session_id,
                        profile_id,
                        profile_id,
                        stamp,
                        source,
                        json.dumps(list(plan)),
                        prescribed_sets,
                        stamp,
                    ],
                )
                if prescribed:
                    self.con.executemany(
                        "INSERT INTO session_prescriptions VALUES (?, ?, ?, ?, ?)",
                        [
                            [session_id, profile_id, exercise_id, side, count]
                            for (exercise_id, side), count in sorted(prescribed.items())
                        ],
                    )
        except StoreError as error:
            # Another tab started one between the check above and the insert.
            running = self.active_session(profile_id)
            if isinstance(error.__cause__, duckdb.ConstraintException) and running is not None:
                raise ActiveSessionError(running.id) from error
            raise
        return session_id

    def active_session(self, profile_id: str) -> SessionRow | None:
        """The session still running for the profile, if any (to offer resuming it)."""
        rows = self._sessions("WHERE profile_id = ? AND status = 'in_progress'", [profile_id])
        return rows[0] if rows else None

    def get_session(self, profile_id: str, session_id: str) -> SessionRow:
        """One session of the profile; KeyError if it is not this profile's."""
        # Looked up by id alone, so DuckDB uses the primary-key index (with the profile in
        # the filter too it scans the whole table, slow in a clinic's file).
        rows = self._sessions("WHERE id = ?", [session_id])
        if not rows or rows[0].profile_id != profile_id:
            raise KeyError(f"No session {session_id!r} for this profile.")
        return rows[0]

    def _check_session(self, profile_id: str, session_id: str) -> None:
        """KeyError unless the session exists and is the profile's (an index lookup)."""
        row = self.con.execute(
            "SELECT profile_id FROM sessions WHERE id = ?", [session_id]
        ).fetchone()
        if row is None or row[0] != profile_id:
            raise KeyError(f"No session {session_id!r} for this profile.")

    def _sessions(self, where: str, params: list[object]) -> list[SessionRow]:
        rows = self.con.execute(
            "SELECT id, profile_id, started_at, ended_at, status, source, plan_json, "
            f"prescribed_sets, notes FROM sessions {where} ORDER BY started_at DESC, id",
            params,
        ).fetchall()
        return [
            SessionRow(
                id=r[0],
                profile_id=r[1],
                started_at=as_utc(r[2]),
                ended_at=None if r[3] is None else as_utc(r[3]),
                status=r[4],
                source=r[5],
                plan=json.loads(r[6]),
                prescribed_sets=int(r[7]),
                notes=r[8],
            )
            for r in rows
        ]

    def record_set(self, profile_id: str, record: SetRecord) -> None:
        """Write one hold or repetition the moment it ends (replacing a redone step)."""
        if record.status not in ("done", "skipped", "stopped_for_pain"):
            raise ValidationError(f"Unknown set status {record.status!r}.")
        if not math.isfinite(record.duration_s) or record.duration_s < 0:
            raise ValidationError("A duration must be a number of seconds, 0 or more.")
        self._check_session(profile_id, record.session_id)
        row = [
            record.session_id,
            profile_id,
            record.step_index,
            record.exercise_id,
            record.side,
            record.rep,
            record.kind,
            record.prescribed_s,
            record.duration_s,
            record.status,
            record.started_at,
            record.completed_at,
        ]
        with self.writing(profile_id):
            try:
                # A plain insert is the common case, and cheaper than an upsert.
                self.con.execute(
                    "INSERT INTO set_records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row
                )
            except duckdb.ConstraintException:
                # The step was recorded before (redone after "back"): replace that record.
                self.con.execute(
                    "INSERT OR REPLACE INTO set_records "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    row,
                )

    def set_records(self, profile_id: str, session_id: str) -> list[SetRecord]:
        """The session's recorded holds and repetitions in plan order."""
        rows = self.con.execute(
            "SELECT session_id, step_index, exercise_id, side, rep, kind, prescribed_s, "
            "duration_s, status, started_at, completed_at FROM set_records "
            "WHERE profile_id = ? AND session_id = ? ORDER BY step_index",
            [profile_id, session_id],
        ).fetchall()
        return [
            SetRecord(
                session_id=r[0],
                step_index=int(r[1]),
                exercise_id=r[2],
                side=r[3],
                rep=int(r[4]),
                kind=r[5],
                prescribed_s=float(r[6]),
                duration_s=float(r[7]),
                status=r[8],
                started_at=as_utc(r[9]),
                completed_at=as_utc(r[10]),
            )
            for r in rows
        ]

    def finish_session(
        self,
        profile_id: str,
        session_id: str,
        *,
        status: str,
        notes: str = "",
        now: datetime | None = None,
    ) -> None:
        """Close a running session as completed, partial or stopped for pain."""
        if status not in SESSION_STATUSES or status == "in_progress":
            raise ValidationError(f"A session cannot end as {status!r}.")
        clean_notes = validate_note(notes)
        self.get_session(profile_id, session_id)
        stamp = now or utc_now()
        with self.writing(profile_id):
            self.con.execute(
                "UPDATE sessions SET status = ?, notes = ?, ended_at = ?, updated_at = ?, "
                "active_profile_id = NULL WHERE id = ? AND profile_id = ?",
                [status, clean_notes, stamp, stamp, session_id, profile_id],
            )

    # -- pain -------------------------------------------------------------------------

    def add_pain_rating(
        self,
        profile_id: str,
        pain: object,
        *,
        kind: str = "checkin",
        recorded_at: datetime | None = None,
        note: str = "",
        session_id: str | None = None,
        exercise_id: str | None = None,
        is_flare: bool = False,
    ) -> str:
        """Record a 0-10 pain rating (a check-in, before/after a session, or one exercise)."""
        with self.writing(profile_id):
            return self._insert_pain_rating(
                profile_id,
                pain,
                kind=kind,
                recorded_at=recorded_at,
                note=note,
                session_id=session_id,
                exercise_id=exercise_id,
                is_flare=is_flare,
            )

    def _insert_pain_rating(
        self,
        profile_id: str,
        pain: object,
        *,
        kind: str,
        recorded_at: datetime | None,
        note: str = "",
        session_id: str | None = None,
        exercise_id: str | None = None,
        is_flare: bool = False,
    ) -> str:
        if kind not in PAIN_KINDS:
            raise ValidationError(f"Unknown kind of pain rating {kind!r}.")
        row = [
            rating_id := new_id(),
            profile_id,
            recorded_at or utc_now(),
            validate_pain(pain),
            kind,
            session_id,
            exercise_id,
            validate_note(note),
            bool(is_flare),
        ]
        self.con.execute("INSERT INTO pain_ratings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
        return rating_id

    def pain_ratings(self, profile_id: str) -> pd.DataFrame:
        """Every pain rating of the profile, oldest first."""
        return self.con.execute(
            "SELECT recorded_at, pain, kind, session_id, exercise_id, note, is_flare "
            "FROM pain_ratings WHERE profile_id = ? ORDER BY recorded_at, id",
            [profile_id],
        ).df()

    def insert_frame(self, table: str, frame: pd.DataFrame) -> int:
        """Append a data frame's rows to one of the record tables in one transaction.

        For bulk writers (the demo generator, imports): the frame's columns must be the
        table's, by name. Returns the number of rows written.
        """
        spec = BY_NAME.get(table)
        if spec is None:
            raise ValueError(f"Cannot bulk-insert into {table!r}.")
        if frame.empty:
            return 0
        profiles = [str(p) for p in frame[spec.profile_column].unique()]
        with self.writing(*profiles, atomic=True):
            self.copy_in(table, frame)
        return len(frame)

    def copy_in(self, table: str, rows: pd.DataFrame | pa.Table) -> None:
        """Append rows (columns named as the table's) without marking any profile changed.

        For a store that is a private copy (:func:`core.db.scope.scoped_store`); records a
        person makes are written through :meth:`insert_frame` and the other writers.
        """
        names = rows.column_names if isinstance(rows, pa.Table) else list(rows.columns)
        columns = ", ".join(quote(str(name)) for name in names)
        self.con.register("_incoming_rows", rows)
        try:
            self.con.execute(
                f"INSERT INTO {quote(table)} ({columns}) SELECT {columns} FROM _incoming_rows"
            )
        finally:
            self.con.unregister("_incoming_rows")

    def table_counts(self, profile_id: str) -> dict[str, int]:
        """How many rows each per-profile table holds for the profile (Settings, tests)."""
        counts: dict[str, int] = {}
        for spec in TABLES:
            row = self.con.execute(
                f"SELECT count(*) FROM {quote(spec.name)} WHERE {quote(spec.profile_column)} = ?",
                [profile_id],
            ).fetchone()
            counts[spec.name] = int(row[0]) if row else 0
        return counts
