"""The DuckDB store: connection handling, and reads and writes of every record.

One process-wide connection is opened with :func:`open_database`; every thread or
browser session works through its own cursor (``Store(database.cursor())``), because
DuckDB 2.0 refuses to share one connection between threads. Single writes autocommit
(they survive ``kill -9``); writes of several rows run in one explicit transaction.
Every query takes a profile id: nothing reads across profiles.
"""

from __future__ import annotations

import json
import math
import os
import threading
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from core.migrations import migrate
from core.models import Profile, ProgrammeItem
from core.validation import (
    ValidationError,
    validate_date,
    validate_name,
    validate_note,
    validate_pain,
    validate_time_zone,
    validate_weekly_target,
)
from core.writes import StoreError, reports_failed_writes, transaction

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = REPO_ROOT / "data" / "backontrack.duckdb"
ENV_VAR = "BACKONTRACK_DB"

RED_FLAGS: dict[str, str] = {
    "saddle_numbness": "Numbness in the saddle area (between the legs) or the genitals",
    "bladder_bowel": "New trouble controlling your bladder or bowel",
    "leg_weakness": "New or worsening weakness in a leg",
    "trauma": "Back pain that started after a major accident, fall or injury",
    "fever_unwell": "Fever, or feeling generally unwell, together with the back pain",
    "weight_loss": "Weight loss you cannot explain",
    "cancer_history": "A history of cancer",
}

SESSION_STATUSES = ("in_progress", "completed", "partial", "stopped_for_pain")
PAIN_KINDS = ("setup", "checkin", "before", "after", "exercise")


class DatabaseLockedError(StoreError):
    """Another process holds the database file."""


class ActiveSessionError(StoreError):
    """The profile already has a session running; ``session_id`` names it."""

    def __init__(self, session_id: str) -> None:
        super().__init__("A session is already running for this profile. Resume it or end it.")
        self.session_id = session_id


def database_target(target: str | os.PathLike[str] | None = None) -> str:
    """Where the data lives: the argument, else ``$BACKONTRACK_DB``, else ``data/``'s file."""
    if target is not None:
        return os.fspath(target)
    return os.environ.get(ENV_VAR) or os.fspath(DEFAULT_DB_PATH)


def is_file_target(target: str) -> bool:
    """True for a path on disk; False for ``:memory:`` and connection strings like ``md:x``."""
    if target.startswith(":memory:"):
        return False
    head, sep, _ = target.partition(":")
    # A one-letter head is a Windows drive letter, not a scheme.
    return not (sep and len(head) > 1 and "/" not in head and "\\" not in head)


def open_database(target: str | os.PathLike[str] | None = None) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) and migrate the database; raise a clear error if locked."""
    resolved = database_target(target)
    if is_file_target(resolved):
        Path(resolved).parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(resolved)
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            raise DatabaseLockedError(
                f"The database file {resolved} is in use by another program (another copy "
                "of Back on Track, or a DuckDB shell). Close that program, then reload this "
                "page. Nothing was changed."
            ) from error
        raise StoreError(f"Could not open the database {resolved}: {error}") from error
    _configure(con)
    migrate(con)
    if is_file_target(resolved):
        cluster_by_profile(con)
    return con


# -- physical order ------------------------------------------------------------------------

#: The tables that grow with every session, in the order they are worth sorting.
CLUSTERED_TABLES: tuple[str, ...] = (
    "set_records",
    "session_prescriptions",
    "pain_ratings",
    "sessions",
)
#: Tables smaller than this are scanned in a few milliseconds whatever their order.
CLUSTER_MIN_ROWS = 250_000
#: Windows of rows probed along a table to see whether its profiles are interleaved.
_PROBES = 8
_PROBE_ROWS = 2048
#: A window is interleaved when one of its profiles comes back after another's rows, or
#: when the profiles whose ids fall between its lowest and highest (those whose queries
#: must read its block) outnumber twice the profiles it holds, and 8.
_MIXED_PROFILES = 8


def cluster_by_profile(
    con: duckdb.DuckDBPyConnection, *, min_rows: int = CLUSTER_MIN_ROWS
) -> list[str]:
    """Sort the big per-profile tables by profile when the profiles' rows are interleaved.

    Rows are appended in time order, so in a file shared by many profiles (a clinic) every
    block holds rows of every profile, and one profile's query must read them all: at 1,000
    profiles and 20 million set records, ~80 ms per query instead of ~2 ms. Sorted by
    profile, DuckDB skips every block whose profile range excludes the one asked for.

    Runs when the database opens; cheap (a few small queries) unless a table of at least
    ``min_rows`` rows has more than half its blocks interleaved, which a busy clinic file
    reaches again only once its size has about doubled since the last sort. Each table is
    rewritten in one transaction (same definition, constraints and rows), so a crash leaves
    it as it was. Returns the tables it sorted.
    """
    row = con.execute("SELECT count(*) FROM profiles").fetchone()
    if row is None or row[0] < 2:
        return []
    sorted_tables = []
    for table in CLUSTERED_TABLES:
        if _interleaved(con, table, min_rows) and _rewrite_by_profile(con, table):
            sorted_tables.append(table)
    if sorted_tables:
        con.execute("CHECKPOINT")
    return sorted_tables


def _interleaved(con: duckdb.DuckDBPyConnection, table: str, min_rows: int) -> bool:
    """True if the table is big and more than half of the probed windows are interleaved.

    Sorted by profile, each profile in a window is one run of rows, and the window's lowest
    and highest profile ids enclose just the profiles it holds, however small each profile
    is. Interleaved, profiles come back (few profiles), or the window's ids span nearly
    every profile (many profiles, each writing a session's rows at a time).
    """
    row = con.execute(f"SELECT count(*), max(rowid) FROM {table}").fetchone()
    if row is None or row[0] < min_rows or row[1] is None:
        return False
    last = int(row[1])
    mixed = 0
    for probe in range(_PROBES):
        first = (last - _PROBE_ROWS) * probe // max(1, _PROBES - 1)
        found = con.execute(
            f"""
            WITH r AS (
                SELECT profile_id, lag(profile_id) OVER (ORDER BY rowid) AS previous
                FROM {table} WHERE rowid BETWEEN ? AND ?
            ),
            w AS (
                SELECT min(profile_id) AS lo, max(profile_id) AS hi,
                       count(DISTINCT profile_id) AS held,
                       count(*) FILTER (WHERE profile_id IS DISTINCT FROM previous) AS runs
                FROM r
            )
            SELECT held, runs,
                   (SELECT count(*) FROM profiles, w WHERE id BETWEEN w.lo AND w.hi)
            FROM w
            """,
            [first, first + _PROBE_ROWS - 1],
        ).fetchone()
        if found is not None and found[0]:
            held, runs, spanned = (int(value) for value in found)
            mixed += runs > held or spanned > max(_MIXED_PROFILES, 2 * held)
    return mixed * 2 > _PROBES


def _rewrite_by_profile(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Rewrite ``table`` sorted by profile (keeping insertion order within one profile)."""
    row = con.execute(
        "SELECT sql FROM duckdb_tables() WHERE table_name = ? AND schema_name = current_schema()",
        [table],
    ).fetchone()
    prefix = f"CREATE TABLE {table}("
    if row is None or not str(row[0]).startswith(prefix):
        return False
    staging = f"{table}__by_profile"
    with transaction(con):
        con.execute(f"DROP TABLE IF EXISTS {staging}")
        con.execute(f"CREATE TABLE {staging}(" + str(row[0])[len(prefix) :])
        con.execute(f"INSERT INTO {staging} SELECT * FROM {table} ORDER BY profile_id, rowid")
        con.execute(f"DROP TABLE {table}")
        con.execute(f"ALTER TABLE {staging} RENAME TO {table}")
    return True


def _configure(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("SET TimeZone = 'UTC'")


def cursor_for(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor of its own for one thread or browser session, set to UTC."""
    cur = con.cursor()
    _configure(cur)
    return cur


_versions: dict[str, int] = {}
_writes = [0]  # every bump, whichever the profile
_versions_lock = threading.Lock()


def data_version(profile_id: str) -> int:
    """A counter bumped by every write for the profile: the key for page caches."""
    with _versions_lock:
        return _versions.get(profile_id, 0)


def file_version() -> int:
    """A counter bumped by every write for any profile: the key for caches of reads across
    profiles (the profile list)."""
    with _versions_lock:
        return _writes[0]


def bump(profile_id: str) -> None:
    """Mark the profile's data as changed, so page caches keyed on data_version refresh."""
    with _versions_lock:
        _versions[profile_id] = _versions.get(profile_id, 0) + 1
        _writes[0] += 1


def new_id() -> str:
    return str(uuid.uuid4())


def utc_now() -> datetime:
    return datetime.now(UTC)


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


class Store:
    """Typed reads and writes over one cursor. Make one per thread or browser session."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    @classmethod
    def open(cls, target: str | os.PathLike[str] | None = None) -> Store:
        """A store on its own freshly opened database (scripts and tests)."""
        return cls(open_database(target))

    # -- profiles ---------------------------------------------------------------------

    @reports_failed_writes
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
        now: datetime | None = None,
    ) -> Profile:
        """Save a new profile from the first-use setup and return it."""
        flags = tuple(red_flags)
        unknown = [flag for flag in flags if flag not in RED_FLAGS]
        if unknown:
            raise ValidationError(f"Unknown red flag {unknown[0]!r}.")
        pain = None if setup_pain is None else validate_pain(setup_pain)
        profile_id = new_id()
        stamp = now or utc_now()
        self.con.execute(
            "INSERT INTO profiles (id, name, time_zone, weekly_target, programme_start, "
            "recent_surgery, red_flags, setup_pain, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                profile_id,
                validate_name(name),
                validate_time_zone(time_zone),
                validate_weekly_target(weekly_target),
                validate_date(programme_start, what="programme start date"),
                bool(recent_surgery),
                ",".join(flags),
                pain,
                stamp,
                stamp,
            ],
        )
        if pain is not None:
            self.add_pain_rating(profile_id, pain, kind="setup", recorded_at=stamp)
        bump(profile_id)
        return self.get_profile(profile_id)

    def get_profile(self, profile_id: str) -> Profile:
        """The profile with this id; KeyError if there is none."""
        row = self.con.execute(
            f"SELECT {_PROFILE_COLUMNS} FROM profiles WHERE id = ?",
            [profile_id],
        ).fetchone()
        if row is None:
            raise KeyError(f"No profile {profile_id!r}.")
        return _profile_from_row(row)

    def list_profiles(self) -> list[Profile]:
        """Every profile in the file, oldest first (a household or clinic may hold several)."""
        rows = self.con.execute(
            f"SELECT {_PROFILE_COLUMNS} FROM profiles ORDER BY created_at, id"
        ).fetchall()
        return [_profile_from_row(row) for row in rows]

    @reports_failed_writes
    def update_profile(self, profile_id: str, **fields: object) -> Profile:
        """Change settings of a profile; only the named, validated fields are written."""
        validators = {
            "name": validate_name,
            "time_zone": validate_time_zone,
            "weekly_target": validate_weekly_target,
            "programme_start": lambda v: validate_date(v, what="programme start date"),
            "recent_surgery": bool,
            "sound_on": bool,
            "red_flags_cleared": bool,
            "lead_in_s": _validate_lead_in,
        }
        unknown = set(fields) - set(validators)
        if unknown:
            raise ValueError(f"Cannot update {sorted(unknown)} on a profile.")
        if not fields:
            return self.get_profile(profile_id)
        self.get_profile(profile_id)
        columns = sorted(fields)
        values = [validators[column](fields[column]) for column in columns]
        assignments = ", ".join(f"{column} = ?" for column in columns)
        self.con.execute(
            f"UPDATE profiles SET {assignments}, updated_at = ? WHERE id = ?",
            [*values, utc_now(), profile_id],
        )
        bump(profile_id)
        return self.get_profile(profile_id)

    # -- programme --------------------------------------------------------------------

    @reports_failed_writes
    def save_programme(self, profile_id: str, items: Sequence[ProgrammeItem]) -> None:
        """Replace the profile's programme with ``items``, in order, in one transaction."""
        stamp = utc_now()
        rows = [
            [profile_id, position, item.exercise_id, item.reps, item.hold_s, stamp]
            for position, item in enumerate(items)
        ]
        with transaction(self.con):
            self.con.execute("DELETE FROM programme_items WHERE profile_id = ?", [profile_id])
            if rows:
                self.con.executemany("INSERT INTO programme_items VALUES (?, ?, ?, ?, ?, ?)", rows)
        bump(profile_id)

    def get_programme(self, profile_id: str) -> list[ProgrammeItem]:
        """The profile's saved programme in order; empty if none was saved."""
        rows = self.con.execute(
            "SELECT exercise_id, reps, hold_s FROM programme_items "
            "WHERE profile_id = ? ORDER BY position",
            [profile_id],
        ).fetchall()
        return [ProgrammeItem(exercise_id=r[0], reps=int(r[1]), hold_s=int(r[2])) for r in rows]

    # -- sessions ---------------------------------------------------------------------

    @reports_failed_writes
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
            self.con.execute(
                "INSERT INTO sessions (id, profile_id, active_profile_id, started_at, status, "
                "source, plan_json, prescribed_sets, updated_at) "
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
        except duckdb.ConstraintException as error:
            running = self.active_session(profile_id)
            if running is not None:
                raise ActiveSessionError(running.id) from error
            raise
        if prescribed:
            self.con.executemany(
                "INSERT INTO session_prescriptions VALUES (?, ?, ?, ?, ?)",
                [
                    [session_id, profile_id, exercise_id, side, count]
                    for (exercise_id, side), count in sorted(prescribed.items())
                ],
            )
        bump(profile_id)
        return session_id

    def active_session(self, profile_id: str) -> SessionRow | None:
        """The session still running for the profile, if any (to offer resuming it)."""
        rows = self._sessions("WHERE profile_id = ? AND status = 'in_progress'", [profile_id])
        return rows[0] if rows else None

    def get_session(self, profile_id: str, session_id: str) -> SessionRow:
        """One session of the profile; KeyError if it is not this profile's."""
        # Looked up by id alone, so DuckDB uses the primary-key index (with the profile in
        # the filter too it scans the whole table: ~10 ms in a 1,000-profile file).
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

    def list_sessions(self, profile_id: str) -> list[SessionRow]:
        """Every session of the profile, newest first."""
        return self._sessions("WHERE profile_id = ?", [profile_id])

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
                started_at=_utc(r[2]),
                ended_at=None if r[3] is None else _utc(r[3]),
                status=r[4],
                source=r[5],
                plan=json.loads(r[6]),
                prescribed_sets=int(r[7]),
                notes=r[8],
            )
            for r in rows
        ]

    @reports_failed_writes
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
        try:
            # A plain insert is the common case and costs half an upsert.
            self.con.execute(
                "INSERT INTO set_records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row
            )
        except duckdb.ConstraintException:
            # The step was recorded before (redone after "back"): replace that record.
            self.con.execute(
                "INSERT OR REPLACE INTO set_records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
        bump(profile_id)

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
                started_at=_utc(r[9]),
                completed_at=_utc(r[10]),
            )
            for r in rows
        ]

    @reports_failed_writes
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
        self.con.execute(
            "UPDATE sessions SET status = ?, notes = ?, ended_at = ?, updated_at = ?, "
            "active_profile_id = NULL WHERE id = ? AND profile_id = ?",
            [status, clean_notes, stamp, stamp, session_id, profile_id],
        )
        bump(profile_id)

    # -- exercise flags -----------------------------------------------------------------

    def pain_stop_streak(self, profile_id: str, exercise_id: str) -> int:
        """In how many of the latest sessions that prescribed the exercise, in a row, it was
        stopped for pain (in-progress sessions included, so the current one counts)."""
        row = self.con.execute(
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

    @reports_failed_writes
    def flag_exercise(
        self, profile_id: str, exercise_id: str, *, reason: str, now: datetime | None = None
    ) -> None:
        """Mark an exercise to discuss with a therapist before doing it again (once)."""
        if exercise_id in self.active_flags(profile_id):
            return
        self.con.execute(
            "INSERT INTO exercise_flags VALUES (?, ?, ?, ?, NULL)",
            [profile_id, exercise_id, now or utc_now(), validate_note(reason)],
        )
        bump(profile_id)

    def active_flags(self, profile_id: str) -> dict[str, str]:
        """Flagged exercises not yet cleared: exercise id -> reason."""
        rows = self.con.execute(
            "SELECT exercise_id, reason FROM exercise_flags "
            "WHERE profile_id = ? AND cleared_at IS NULL ORDER BY flagged_at",
            [profile_id],
        ).fetchall()
        return {row[0]: row[1] for row in rows}

    @reports_failed_writes
    def clear_flag(self, profile_id: str, exercise_id: str, *, now: datetime | None = None) -> None:
        """The user's therapist cleared the exercise: it may go back into sessions."""
        self.con.execute(
            "UPDATE exercise_flags SET cleared_at = ? "
            "WHERE profile_id = ? AND exercise_id = ? AND cleared_at IS NULL",
            [now or utc_now(), profile_id, exercise_id],
        )
        bump(profile_id)

    # -- pain -------------------------------------------------------------------------

    @reports_failed_writes
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
        if kind not in PAIN_KINDS:
            raise ValidationError(f"Unknown kind of pain rating {kind!r}.")
        rating_id = new_id()
        self.con.execute(
            "INSERT INTO pain_ratings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                rating_id,
                profile_id,
                recorded_at or utc_now(),
                validate_pain(pain),
                kind,
                session_id,
                exercise_id,
                validate_note(note),
                bool(is_flare),
            ],
        )
        bump(profile_id)
        return rating_id

    def pain_ratings(self, profile_id: str) -> pd.DataFrame:
        """Every pain rating of the profile, oldest first."""
        return self.con.execute(
            "SELECT recorded_at, pain, kind, session_id, exercise_id, note, is_flare "
            "FROM pain_ratings WHERE profile_id = ? ORDER BY recorded_at, id",
            [profile_id],
        ).df()

    @reports_failed_writes
    def insert_frame(self, table: str, frame: pd.DataFrame) -> int:
        """Append a data frame's rows to one of the record tables in one transaction.

        For bulk writers (the demo generator, imports): the frame's columns must be the
        table's, by name. Returns the number of rows written.
        """
        if table not in _BULK_TABLES:
            raise ValueError(f"Cannot bulk-insert into {table!r}.")
        if frame.empty:
            return 0
        columns = ", ".join(f'"{name}"' for name in frame.columns)
        with transaction(self.con):
            self.con.register("_incoming_frame", frame)
            try:
                self.con.execute(
                    f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _incoming_frame"
                )
            finally:
                self.con.unregister("_incoming_frame")
        for profile_id in frame["profile_id" if "profile_id" in frame else "id"].unique():
            bump(str(profile_id))
        return len(frame)

    def table_counts(self, profile_id: str) -> dict[str, int]:
        """How many rows each per-profile table holds for the profile (Settings, tests)."""
        counts: dict[str, int] = {}
        for table, column in PROFILE_TABLES:
            row = self.con.execute(
                f"SELECT count(*) FROM {table} WHERE {column} = ?", [profile_id]
            ).fetchone()
            counts[table] = int(row[0]) if row else 0
        return counts


PROFILE_TABLES: tuple[tuple[str, str], ...] = (
    ("profiles", "id"),
    ("programme_items", "profile_id"),
    ("sessions", "profile_id"),
    ("session_prescriptions", "profile_id"),
    ("set_records", "profile_id"),
    ("pain_ratings", "profile_id"),
    ("weekly_checkins", "profile_id"),
    ("psfs_activities", "profile_id"),
    ("psfs_scores", "profile_id"),
    ("exercise_flags", "profile_id"),
    ("share_links", "profile_id"),
    ("share_access_log", "profile_id"),
)


_BULK_TABLES = frozenset(table for table, _ in PROFILE_TABLES)


def _validate_lead_in(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 30:
        raise ValidationError("The get-ready time must be a whole number of seconds, 0 to 30.")
    return value


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


#: The columns _profile_from_row reads. The creation time comes as microseconds since the
#: epoch: DuckDB hands a TIMESTAMPTZ to Python through a time zone lookup that made listing
#: a clinic file's 1,000 profiles (three times a page run) twice as slow.
_PROFILE_COLUMNS = (
    "id, name, time_zone, weekly_target, programme_start, recent_surgery, red_flags, "
    "red_flags_cleared, sound_on, setup_pain, epoch_us(created_at), lead_in_s"
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _profile_from_row(row: tuple[object, ...]) -> Profile:
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
    )
