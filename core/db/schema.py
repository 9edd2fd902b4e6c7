"""The one list of the database's tables: each with its columns, keys and owner column.

Every table holds the records of one profile (``profile_column`` says which column names
it). The store counts and bulk-writes by this list, the export writes the ``exported``
tables in this order, the scoped copy copies from it, and a unit test pins it to the
schema the migrations build. A new table or column goes here and in a new migration.

Share links, their access log and profile PINs are not exported: they are access
credentials and their audit trail for one running server, not health records. Importing
them elsewhere would silently re-enable links (even ones revoked after the export).

A table added by a later migration names it (``since``): an export made before it
existed has no file for it, and reads as empty.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column of an exported table: name, DuckDB type, and whether it may be empty."""

    name: str
    type: str
    nullable: bool = False
    # Text columns whose default is '' read a missing value as '' (spreadsheets drop "").
    empty_default: bool = False
    #: The schema version that added the column: an export from before it lacks the column,
    #: which then imports as NULL (so every column added later must be nullable).
    since: int = 1


@dataclass(frozen=True)
class TableSpec:
    """An exported table: its columns in order, primary key, and the key imports merge on."""

    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    profile_column: str = "profile_id"
    merge_key: tuple[str, ...] = ()
    exported: bool = True
    #: The schema version that added the table: an export from before it has no file for it.
    since: int = 1

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def columns_in(self, schema_version: int) -> tuple[Column, ...]:
        """The columns an export written at ``schema_version`` holds."""
        return tuple(column for column in self.columns if column.since <= schema_version)

    @property
    def import_key(self) -> tuple[str, ...]:
        """The columns that decide whether a row is already present."""
        return self.merge_key or self.primary_key

    def file_name(self, file_format: str) -> str:
        """The table's file in an export: ``<table>.csv`` or ``<table>.parquet``."""
        return f"{self.name}.{file_format}"


def _c(name: str, kind: str, *, null: bool = False, empty: bool = False, since: int = 1) -> Column:
    return Column(name, kind, nullable=null, empty_default=empty, since=since)


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "profiles",
        (
            _c("id", "VARCHAR"),
            _c("name", "VARCHAR", empty=True),
            _c("time_zone", "VARCHAR"),
            _c("weekly_target", "INTEGER"),
            _c("programme_start", "DATE"),
            _c("recent_surgery", "BOOLEAN"),
            _c("red_flags", "VARCHAR", empty=True),
            _c("red_flags_cleared", "BOOLEAN"),
            _c("sound_on", "BOOLEAN"),
            _c("lead_in_s", "INTEGER"),
            _c("setup_pain", "INTEGER", null=True),
            _c("created_at", "TIMESTAMPTZ"),
            _c("updated_at", "TIMESTAMPTZ"),
            _c("pain_onset", "VARCHAR", null=True, since=2),
            _c("pain_onset_date", "DATE", null=True, since=2),
            _c("pregnant", "BOOLEAN", null=True, since=2),
            _c("osteoporosis", "BOOLEAN", null=True, since=2),
            _c("voice_on", "BOOLEAN", null=True, since=4),
            _c("cue_volume", "INTEGER", null=True, since=4),
            _c("reminder_on", "BOOLEAN", null=True, since=5),
            _c("reminder_time", "VARCHAR", null=True, since=5),
        ),
        primary_key=("id",),
        profile_column="id",
    ),
    TableSpec(
        "programme_items",
        (
            _c("profile_id", "VARCHAR"),
            _c("position", "INTEGER"),
            _c("exercise_id", "VARCHAR"),
            _c("reps", "INTEGER"),
            _c("hold_s", "INTEGER"),
            _c("updated_at", "TIMESTAMPTZ"),
        ),
        primary_key=("profile_id", "position"),
        merge_key=("profile_id",),
    ),
    TableSpec(
        "sessions",
        (
            _c("id", "VARCHAR"),
            _c("profile_id", "VARCHAR"),
            _c("active_profile_id", "VARCHAR", null=True),
            _c("started_at", "TIMESTAMPTZ"),
            _c("ended_at", "TIMESTAMPTZ", null=True),
            _c("status", "VARCHAR"),
            _c("source", "VARCHAR"),
            _c("plan_json", "VARCHAR"),
            _c("prescribed_sets", "INTEGER"),
            _c("notes", "VARCHAR", empty=True),
            _c("updated_at", "TIMESTAMPTZ"),
        ),
        primary_key=("id",),
    ),
    TableSpec(
        "session_prescriptions",
        (
            _c("session_id", "VARCHAR"),
            _c("profile_id", "VARCHAR"),
            _c("exercise_id", "VARCHAR"),
            _c("side", "VARCHAR"),
            _c("prescribed", "INTEGER"),
        ),
        primary_key=("session_id", "exercise_id", "side"),
    ),
    TableSpec(
        "set_records",
        (
            _c("session_id", "VARCHAR"),
            _c("profile_id", "VARCHAR"),
            _c("step_index", "INTEGER"),
            _c("exercise_id", "VARCHAR"),
            _c("side", "VARCHAR"),
            _c("rep", "INTEGER"),
            _c("kind", "VARCHAR"),
            _c("prescribed_s", "DOUBLE"),
            _c("duration_s", "DOUBLE"),
            _c("status", "VARCHAR"),
            _c("started_at", "TIMESTAMPTZ"),
            _c("completed_at", "TIMESTAMPTZ"),
        ),
        primary_key=("session_id", "step_index"),
    ),
    TableSpec(
        "pain_ratings",
        (
            _c("id", "VARCHAR"),
            _c("profile_id", "VARCHAR"),
            _c("recorded_at", "TIMESTAMPTZ"),
            _c("pain", "INTEGER"),
            _c("kind", "VARCHAR"),
            _c("session_id", "VARCHAR", null=True),
            _c("exercise_id", "VARCHAR", null=True),
            _c("note", "VARCHAR", empty=True),
            _c("is_flare", "BOOLEAN"),
        ),
        primary_key=("id",),
    ),
    TableSpec(
        "weekly_checkins",
        (
            _c("profile_id", "VARCHAR"),
            _c("week_start", "DATE"),
            _c("pgic", "INTEGER", null=True),
            _c("note", "VARCHAR", empty=True),
            _c("recorded_at", "TIMESTAMPTZ"),
        ),
        primary_key=("profile_id", "week_start"),
    ),
    TableSpec(
        "psfs_activities",
        (
            _c("id", "VARCHAR"),
            _c("profile_id", "VARCHAR"),
            _c("position", "INTEGER"),
            _c("name", "VARCHAR"),
            _c("created_at", "TIMESTAMPTZ"),
            _c("archived_at", "TIMESTAMPTZ", null=True),
        ),
        primary_key=("id",),
    ),
    TableSpec(
        "psfs_scores",
        (
            _c("activity_id", "VARCHAR"),
            _c("profile_id", "VARCHAR"),
            _c("week_start", "DATE"),
            _c("score", "INTEGER"),
            _c("recorded_at", "TIMESTAMPTZ"),
        ),
        primary_key=("activity_id", "week_start"),
    ),
    TableSpec(
        "exercise_flags",
        (
            _c("profile_id", "VARCHAR"),
            _c("exercise_id", "VARCHAR"),
            _c("flagged_at", "TIMESTAMPTZ"),
            _c("reason", "VARCHAR"),
            _c("cleared_at", "TIMESTAMPTZ", null=True),
        ),
        primary_key=("profile_id", "exercise_id", "flagged_at"),
    ),
    TableSpec(
        "warning_signs",
        (
            _c("id", "VARCHAR"),
            _c("profile_id", "VARCHAR"),
            _c("sign", "VARCHAR"),
            _c("tier", "VARCHAR"),
            _c("reported_at", "TIMESTAMPTZ"),
            _c("cleared_at", "TIMESTAMPTZ", null=True),
        ),
        primary_key=("id",),
        since=2,
    ),
    TableSpec(
        "weekly_targets",
        (
            _c("profile_id", "VARCHAR"),
            _c("week_start", "DATE"),
            _c("target", "INTEGER"),
            _c("recorded_at", "TIMESTAMPTZ"),
        ),
        primary_key=("profile_id", "week_start"),
        since=3,
    ),
    TableSpec(
        "share_links",
        (
            _c("id", "VARCHAR"),
            _c("profile_id", "VARCHAR"),
            _c("recipient", "VARCHAR"),
            _c("token_hash", "VARCHAR"),
            _c("created_at", "TIMESTAMPTZ"),
            _c("expires_at", "TIMESTAMPTZ"),
            _c("range_start", "DATE", null=True),
            _c("range_end", "DATE", null=True),
            _c("revoked_at", "TIMESTAMPTZ", null=True),
        ),
        primary_key=("id",),
        exported=False,
    ),
    TableSpec(
        "share_access_log",
        (
            _c("id", "VARCHAR"),
            _c("link_id", "VARCHAR"),
            _c("profile_id", "VARCHAR"),
            _c("opened_at", "TIMESTAMPTZ"),
        ),
        primary_key=("id",),
        exported=False,
    ),
    TableSpec(
        "profile_pins",
        (
            _c("profile_id", "VARCHAR"),
            _c("pin_hash", "VARCHAR"),
            _c("updated_at", "TIMESTAMPTZ"),
        ),
        primary_key=("profile_id",),
        exported=False,
        since=3,
    ),
)


#: Tables by name.
BY_NAME: dict[str, TableSpec] = {spec.name: spec for spec in TABLES}
#: The tables an export holds, in file order (every one but the share tables and PINs).
EXPORTED: tuple[TableSpec, ...] = tuple(spec for spec in TABLES if spec.exported)


def quote(identifier: str) -> str:
    """An identifier from this module (never from a file or a person) quoted for SQL."""
    return '"' + identifier.replace('"', '""') + '"'
