"""Export one profile's records as a zip of CSV or Parquet files, and import such a zip.

The layout is a stable, documented contract (``docs/export-format.md``): one file per
table, named ``<table>.csv`` or ``<table>.parquet``, plus ``manifest.json`` with the
format name and version, the schema version, the export time, and each table's row
count and columns. :data:`EXPORT_TABLES` is the single source of that layout; a unit
test pins it to the database schema.

Decisions:

* Every per-profile table is exported except ``share_links`` and ``share_access_log``.
  Those are access credentials and their audit trail for one running server, not
  health records: importing them elsewhere would silently re-enable links (even ones
  revoked after the export), and a file meant to be e-mailed or backed up has no
  business carrying credential material, even hashed.
* Import is idempotent: a row is added only if its key is not in the database yet
  (the table's primary key; for ``programme_items`` the profile, because a programme is
  saved as a whole and must not be merged item by item). Rows already present are
  kept as they are in the database; the preview counts the ones whose content differs.
* Everything is checked before anything is written, and all tables are written in one
  transaction: a wrong or damaged file changes nothing.
* CSV: UTF-8, comma-separated, CRLF, a header row; text always quoted, so an empty text
  is ``""`` and an empty, unquoted field is a missing value (NULL); times are UTC as
  ``2026-01-31T08:00:00.000000Z`` (microseconds kept); dates ``2026-01-31``; booleans
  ``true``/``false``; numbers as DuckDB writes them, which round-trips exactly.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from core.migrations import LATEST_VERSION
from core.store import bump, utc_now
from core.validation import ValidationError

FORMAT_NAME = "back-on-track-export"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
FILE_FORMATS: tuple[str, ...] = ("csv", "parquet")
EXCLUDED_TABLES: tuple[str, ...] = ("share_links", "share_access_log")
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

FileFormat = Literal["csv", "parquet"]
Progress = Callable[[float, str], None]


class ExportFileError(ValidationError):
    """A file that is not a valid export, or is damaged; the message names what and where."""


@dataclass(frozen=True)
class Column:
    """One column of an exported table: name, DuckDB type, and whether it may be empty."""

    name: str
    type: str
    nullable: bool = False
    # Text columns whose default is '' read a missing value as '' (spreadsheets drop "").
    empty_default: bool = False


@dataclass(frozen=True)
class TableSpec:
    """An exported table: its columns in order, primary key, and the key imports merge on."""

    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    profile_column: str = "profile_id"
    merge_key: tuple[str, ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def import_key(self) -> tuple[str, ...]:
        """The columns that decide whether a row is already present."""
        return self.merge_key or self.primary_key

    def file_name(self, file_format: str) -> str:
        return f"{self.name}.{file_format}"


def _c(name: str, kind: str, *, null: bool = False, empty: bool = False) -> Column:
    return Column(name, kind, nullable=null, empty_default=empty)


EXPORT_TABLES: tuple[TableSpec, ...] = (
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
)

_SPECS: dict[str, TableSpec] = {spec.name: spec for spec in EXPORT_TABLES}

_ARROW_TYPES: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(),
    "INTEGER": pa.int32(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "DATE": pa.date32(),
    "TIMESTAMPTZ": pa.timestamp("us", tz="UTC"),
}

_TYPE_WORDS: dict[str, str] = {
    "VARCHAR": "text",
    "INTEGER": "a whole number",
    "DOUBLE": "a number",
    "BOOLEAN": "true or false",
    "DATE": "a date like 2026-01-31",
    "TIMESTAMPTZ": "a time like 2026-01-31T08:00:00.000000Z",
}


@dataclass(frozen=True)
class TableCounts:
    """Rows of one table in the file: new ones (added), and ones the database already has.

    ``rows_different`` counts rows already present whose content in the file differs
    from the database's; the database's version is kept.
    """

    table: str
    file: str
    rows_in_file: int
    rows_new: int
    rows_present: int
    rows_different: int


@dataclass(frozen=True)
class ImportPreview:
    """What importing a file would do, without doing it."""

    profile_id: str
    profile_name: str
    profile_exists: bool
    file_format: str
    format_version: int
    schema_version: int
    exported_at: datetime
    tables: tuple[TableCounts, ...]

    @property
    def rows_in_file(self) -> int:
        return sum(t.rows_in_file for t in self.tables)

    @property
    def rows_new(self) -> int:
        return sum(t.rows_new for t in self.tables)

    @property
    def rows_present(self) -> int:
        return sum(t.rows_present for t in self.tables)


@dataclass(frozen=True)
class ImportResult:
    """What an import added, per table."""

    profile_id: str
    tables: tuple[TableCounts, ...]

    @property
    def rows_added(self) -> int:
        return sum(t.rows_new for t in self.tables)

    def added(self) -> dict[str, int]:
        """Rows added per table."""
        return {t.table: t.rows_new for t in self.tables}


def _reporter(progress: Progress | None) -> Progress:
    def report(fraction: float, message: str) -> None:
        if progress is not None:
            progress(min(1.0, max(0.0, fraction)), message)

    return report


def _q(identifier: str) -> str:
    """Quote an identifier from EXPORT_TABLES (never from a file) for SQL."""
    return '"' + identifier.replace('"', '""') + '"'


# -- export -------------------------------------------------------------------------------


def export_file_name(file_format: str, exported_at: datetime | None = None) -> str:
    """A download name such as ``back-on-track-export-2026-11-24-csv.zip``."""
    stamp = (exported_at or utc_now()).astimezone(UTC)
    return f"back-on-track-export-{stamp:%Y-%m-%d}-{file_format}.zip"


def _csv_select(spec: TableSpec) -> str:
    parts: list[str] = []
    for column in spec.columns:
        name = _q(column.name)
        if column.type == "VARCHAR":
            parts.append(name)
        elif column.type == "TIMESTAMPTZ":
            parts.append(f"strftime(make_timestamp(epoch_us({name})), '{TIMESTAMP_FORMAT}')")
        else:
            parts.append(f"CAST({name} AS VARCHAR)")
    return ", ".join(f"{expr} AS {_q(c.name)}" for expr, c in zip(parts, spec.columns, strict=True))


def _fetch(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, profile_id: str, file_format: str
) -> pa.Table:
    select = _csv_select(spec) if file_format == "csv" else ", ".join(map(_q, spec.column_names))
    order = ", ".join(map(_q, spec.primary_key))
    return con.sql(
        f"SELECT {select} FROM {_q(spec.name)} WHERE {_q(spec.profile_column)} = ? "
        f"ORDER BY {order}",
        params=[profile_id],
    ).to_arrow_table()


def _csv_field(value: object, quoted: bool) -> str:
    if value is None:
        return ""
    text = str(value)
    return '"' + text.replace('"', '""') + '"' if quoted else text


def _encode_csv(spec: TableSpec, table: pa.Table) -> bytes:
    out = io.StringIO(newline="")
    out.write(",".join(spec.column_names) + "\r\n")
    quoted = [column.type == "VARCHAR" for column in spec.columns]
    values = [table.column(name).to_pylist() for name in spec.column_names]
    for row in zip(*values, strict=True):
        out.write(",".join(_csv_field(v, q) for v, q in zip(row, quoted, strict=True)))
        out.write("\r\n")
    return out.getvalue().encode("utf-8")


def _encode_parquet(spec: TableSpec, table: pa.Table) -> bytes:
    schema = pa.schema([pa.field(c.name, _ARROW_TYPES[c.type]) for c in spec.columns])
    buffer = io.BytesIO()
    pq.write_table(table.cast(schema), buffer, compression="snappy")
    return buffer.getvalue()


def export_profile(
    con: duckdb.DuckDBPyConnection,
    profile_id: str,
    *,
    file_format: FileFormat = "csv",
    now: datetime | None = None,
    progress: Progress | None = None,
) -> bytes:
    """Every exported table's rows of one profile, as a zip of CSV or Parquet files.

    Reads one consistent snapshot (a read-only transaction). ``progress`` is called with
    (fraction done, message). Raises KeyError for an unknown profile.
    """
    if file_format not in FILE_FORMATS:
        raise ValueError(f"Unknown export format {file_format!r}; use 'csv' or 'parquet'.")
    if now is not None and (now.tzinfo is None or now.utcoffset() is None):
        raise ValueError("now must be a timezone-aware datetime.")
    stamp = (now or utc_now()).astimezone(UTC)
    report = _reporter(progress)
    files: list[tuple[str, bytes]] = []
    tables: list[dict[str, Any]] = []
    con.complete()  # finish any result the caller left open, so sql() may run
    con.begin()
    try:
        found = _first(con, "SELECT count(*) FROM profiles WHERE id = ?", [profile_id])
        if not found or found[0] == 0:
            raise KeyError(f"No profile {profile_id!r}.")
        for index, spec in enumerate(EXPORT_TABLES):
            report(index / (len(EXPORT_TABLES) + 1), f"Exporting {spec.name}")
            table = _fetch(con, spec, profile_id, file_format)
            encode = _encode_csv if file_format == "csv" else _encode_parquet
            files.append((spec.file_name(file_format), encode(spec, table)))
            tables.append(
                {
                    "name": spec.name,
                    "file": spec.file_name(file_format),
                    "rows": table.num_rows,
                    "primary_key": list(spec.primary_key),
                    "columns": [
                        {"name": c.name, "type": c.type, "nullable": c.nullable}
                        for c in spec.columns
                    ],
                }
            )
    finally:
        con.rollback()
    manifest = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "schema_version": LATEST_VERSION,
        "file_format": file_format,
        "exported_at": stamp.strftime(TIMESTAMP_FORMAT),
        "profile_id": profile_id,
        "tables": tables,
    }
    report(len(EXPORT_TABLES) / (len(EXPORT_TABLES) + 1), "Packing the zip file")
    manifest_bytes = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    buffer = io.BytesIO()
    zip_time = max(stamp, datetime(1980, 1, 1, tzinfo=UTC)).timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in [(MANIFEST_NAME, manifest_bytes), *files]:
            info = zipfile.ZipInfo(name, date_time=zip_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    report(1.0, "Export ready")
    return buffer.getvalue()


def export_csv(
    con: duckdb.DuckDBPyConnection,
    profile_id: str,
    *,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The profile's data as a zip of CSV files (see :func:`export_profile`)."""
    return export_profile(con, profile_id, file_format="csv", now=now, progress=progress)


def export_parquet(
    con: duckdb.DuckDBPyConnection,
    profile_id: str,
    *,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The profile's data as a zip of Parquet files (see :func:`export_profile`)."""
    return export_profile(con, profile_id, file_format="parquet", now=now, progress=progress)


# -- reading a file -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Manifest:
    file_format: str
    format_version: int
    schema_version: int
    exported_at: datetime
    profile_id: str
    rows: Mapping[str, int]


@dataclass(frozen=True)
class _Loaded:
    manifest: _Manifest
    tables: Mapping[str, pa.Table]


_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)


def _open_zip(data: bytes) -> zipfile.ZipFile:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("Pass the file's content as bytes.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    except _DAMAGED as error:
        raise ExportFileError(
            "This file is not a Back on Track export: it is not a zip file, or it is "
            "damaged (for example cut short while downloading)."
        ) from error
    total = sum(info.file_size for info in archive.infolist())
    if total > MAX_TOTAL_BYTES:
        raise ExportFileError("This export is too large to import.")
    return archive


def _read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        if name == MANIFEST_NAME:
            raise ExportFileError(
                "This zip file is not a Back on Track export: manifest.json is missing."
            ) from None
        raise ExportFileError(f"The export is missing the file {name}.") from None
    if info.file_size > MAX_MEMBER_BYTES:
        raise ExportFileError(f"{name} is too large to import.")
    try:
        with archive.open(info) as member:
            content = member.read(MAX_MEMBER_BYTES + 1)
    except _DAMAGED as error:
        raise ExportFileError(
            f"{name} inside the export is damaged and cannot be read ({error})."
        ) from error
    if len(content) > MAX_MEMBER_BYTES:
        raise ExportFileError(f"{name} is too large to import.")
    return content


def _whole_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _parse_manifest(content: bytes) -> tuple[_Manifest, dict[str, dict[str, Any]]]:
    where = MANIFEST_NAME
    try:
        manifest = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ExportFileError(f"{where} is damaged: it is not valid JSON.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise ExportFileError(
            f"This zip file is not a Back on Track export ({where} names another format)."
        )
    version = manifest.get("format_version")
    if not _whole_number(version) or version < 1:
        raise ExportFileError(f"{where}: unknown format version {version!r}.")
    if version > FORMAT_VERSION:
        raise ExportFileError(
            f"This export uses format version {version}, made by a newer version of Back on "
            f"Track; this one reads version {FORMAT_VERSION}. Update the app to import it."
        )
    schema = manifest.get("schema_version")
    if not _whole_number(schema) or schema < 1:
        raise ExportFileError(f"{where}: unknown schema version {schema!r}.")
    if schema > LATEST_VERSION:
        raise ExportFileError(
            f"This export comes from a newer version of Back on Track (schema version "
            f"{schema}; this app knows up to {LATEST_VERSION}). Update the app to import it."
        )
    file_format = manifest.get("file_format")
    if file_format not in FILE_FORMATS:
        raise ExportFileError(f"{where}: unknown file format {file_format!r}.")
    profile_id = manifest.get("profile_id")
    if not isinstance(profile_id, str) or not profile_id:
        raise ExportFileError(f"{where}: the profile id is missing.")
    try:
        exported_at = datetime.fromisoformat(str(manifest.get("exported_at")))
    except ValueError as error:
        raise ExportFileError(f"{where}: exported_at is not a time.") from error
    if exported_at.tzinfo is None:
        exported_at = exported_at.replace(tzinfo=UTC)
    entries = manifest.get("tables")
    if not isinstance(entries, list):
        raise ExportFileError(f"{where}: the list of tables is missing.")
    by_name: dict[str, dict[str, Any]] = {}
    for entry in entries:
        name = entry.get("name") if isinstance(entry, dict) else None
        if name not in _SPECS:
            raise ExportFileError(f"{where}: unknown table {name!r}.")
        if name in by_name:
            raise ExportFileError(f"{where}: the table {name} is listed twice.")
        by_name[name] = entry
    for spec in EXPORT_TABLES:
        _check_manifest_entry(spec, by_name.get(spec.name), file_format)
    return (
        _Manifest(
            file_format=file_format,
            format_version=version,
            schema_version=schema,
            exported_at=exported_at.astimezone(UTC),
            profile_id=profile_id,
            rows={name: int(entry["rows"]) for name, entry in by_name.items()},
        ),
        by_name,
    )


def _check_manifest_entry(spec: TableSpec, entry: dict[str, Any] | None, file_format: str) -> None:
    where = MANIFEST_NAME
    if entry is None:
        raise ExportFileError(f"{where}: the table {spec.name} is missing.")
    if entry.get("file") != spec.file_name(file_format):
        raise ExportFileError(
            f"{where}: the table {spec.name} should be in {spec.file_name(file_format)}."
        )
    rows = entry.get("rows")
    if not _whole_number(rows) or rows < 0:
        raise ExportFileError(f"{where}: the row count of {spec.name} is missing.")
    columns = entry.get("columns")
    if not isinstance(columns, list):
        raise ExportFileError(f"{where}: the columns of {spec.name} are missing.")
    listed = {c.get("name"): c.get("type") for c in columns if isinstance(c, dict) and "name" in c}
    for column in spec.columns:
        if column.name not in listed:
            raise ExportFileError(f"{where}: the table {spec.name} lacks the column {column.name}.")
        if listed[column.name] != column.type:
            raise ExportFileError(
                f"{where}: the column {spec.name}.{column.name} has type "
                f"{listed[column.name]!r}; expected {column.type}."
            )
    for name in listed:
        if name not in spec.column_names:
            raise ExportFileError(f"{where}: the table {spec.name} has an unknown column {name!r}.")


def _check_header(spec: TableSpec, file: str, names: list[str]) -> None:
    if len(set(names)) != len(names):
        raise ExportFileError(f"{file}: a column name appears twice in the header.")
    for name in spec.column_names:
        if name not in names:
            raise ExportFileError(f"{file}: the column {name} is missing.")
    for name in names:
        if name not in spec.column_names:
            raise ExportFileError(f"{file}: unexpected column {name!r}.")


def _short(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__


def _csv_header(file: str, content: bytes) -> list[str]:
    line = content.split(b"\n", 1)[0].removesuffix(b"\r")
    try:
        return next(csv.reader([line.decode("utf-8")]), [])
    except (UnicodeDecodeError, csv.Error) as error:
        raise ExportFileError(f"{file} is damaged or not a CSV file: {_short(error)}") from error


def _decode_csv(spec: TableSpec, file: str, content: bytes) -> pa.Table:
    content = content.removeprefix(b"\xef\xbb\xbf")  # a BOM some spreadsheets add
    if not content.strip():
        raise ExportFileError(f"{file} is empty; it should at least have a header row.")
    # Check the header first, so a missing column is named rather than reported as a
    # parse error on the first data row.
    _check_header(spec, file, _csv_header(file, content))
    try:
        table = pa_csv.read_csv(
            io.BytesIO(content),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(
                column_types={name: pa.string() for name in spec.column_names},
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
                check_utf8=True,
            ),
        )
    except (pa.ArrowException, ValueError, OSError) as error:
        raise ExportFileError(f"{file} is damaged or not a CSV file: {_short(error)}") from error
    _check_header(spec, file, table.column_names)
    return table.select(list(spec.column_names))


def _decode_parquet(spec: TableSpec, file: str, content: bytes) -> pa.Table:
    try:
        table = pq.read_table(io.BytesIO(content))
    except (pa.ArrowException, ValueError, OSError) as error:
        raise ExportFileError(
            f"{file} is damaged or not a Parquet file: {_short(error)}"
        ) from error
    _check_header(spec, file, table.column_names)
    return table.select(list(spec.column_names))


def _load(data: bytes, report: Progress) -> _Loaded:
    with _open_zip(data) as archive:
        manifest, _ = _parse_manifest(_read_member(archive, MANIFEST_NAME))
        tables: dict[str, pa.Table] = {}
        for index, spec in enumerate(EXPORT_TABLES):
            file = spec.file_name(manifest.file_format)
            report(0.5 * index / len(EXPORT_TABLES), f"Reading {file}")
            content = _read_member(archive, file)
            decode = _decode_csv if manifest.file_format == "csv" else _decode_parquet
            table = decode(spec, file, content)
            expected = manifest.rows[spec.name]
            if table.num_rows != expected:
                raise ExportFileError(
                    f"{file} has {table.num_rows} rows but {MANIFEST_NAME} says {expected}: "
                    "the file is incomplete or was edited."
                )
            tables[spec.name] = table
    return _Loaded(manifest=manifest, tables=tables)


# -- checking and importing ---------------------------------------------------------------


def _source(column: Column, file_format: str) -> str:
    name = _q(column.name)
    if file_format == "csv" and column.type != "VARCHAR":
        return f"NULLIF(TRIM({name}), '')"
    return name


def _typed(column: Column, file_format: str) -> str:
    source = _source(column, file_format)
    if column.type == "VARCHAR":
        expr = f"CAST({source} AS VARCHAR)"
        return f"coalesce({expr}, '')" if column.empty_default else expr
    if column.type == "INTEGER":
        # TRY_CAST('1.5' AS INTEGER) rounds to 2: accept only values that are whole.
        return (
            f"CASE WHEN TRY_CAST({source} AS DOUBLE) = TRY_CAST({source} AS INTEGER) "
            f"THEN TRY_CAST({source} AS INTEGER) END"
        )
    return f"TRY_CAST({source} AS {column.type})"


def _typed_relation(spec: TableSpec, staged: str, file_format: str) -> str:
    columns = ", ".join(f"{_typed(c, file_format)} AS {_q(c.name)}" for c in spec.columns)
    return f"(SELECT __row, {columns} FROM {staged})"


def _first(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> Any:
    # fetchall, not fetchone: DuckDB 2.0 refuses sql() and register() while a result from
    # execute() is unfinished.
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def _shown(value: object) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _check_rules(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, list[str]]]:
    """The table's CHECK expressions and their columns, from this database's catalogue."""
    rows = con.execute(
        "SELECT expression, constraint_column_names FROM duckdb_constraints() "
        "WHERE database_name = current_database() AND schema_name = current_schema() "
        "AND table_name = ? AND constraint_type = 'CHECK' ORDER BY constraint_index",
        [table],
    ).fetchall()
    return [(str(expression), list(names)) for expression, names in rows if expression]


def _check_table(
    con: duckdb.DuckDBPyConnection,
    spec: TableSpec,
    staged: str,
    file_format: str,
    profile_id: str,
) -> None:
    """Raise ExportFileError for the first problem in one table's rows, naming row and column.

    One scan finds, in this order of precedence: values that are not of the column's type,
    missing required values, values the schema's CHECK rules refuse, rows of another
    profile, and repeated keys. The CHECK expressions come from this database's own
    catalogue (never from the file) and are evaluated on the file's typed rows.
    """
    file = spec.file_name(file_format)
    rules = [
        (expression, [n for n in names if n in spec.column_names])
        for expression, names in _check_rules(con, spec.name)
    ]
    rules = [(expression, names) for expression, names in rules if names]
    raw = ", ".join(f"{_source(c, file_format)} AS __raw_{i}" for i, c in enumerate(spec.columns))
    typed = ", ".join(f"{_typed(c, file_format)} AS {_q(c.name)}" for c in spec.columns)
    key = ", ".join(map(_q, spec.primary_key))
    relation = (
        f"(SELECT *, count(*) OVER (PARTITION BY {key}) AS __repeats FROM "
        f"(SELECT __row, {raw}, {typed} FROM {staged}))"
    )
    findings: list[tuple[str, object]] = []
    parts: list[str] = []
    for i, column in enumerate(spec.columns):
        if column.type != "VARCHAR":
            findings.append(("type", column))
            parts.append(f"__raw_{i} IS NOT NULL AND {_q(column.name)} IS NULL")
    for column in spec.columns:
        if not column.nullable:
            findings.append(("missing", column))
            parts.append(f"{_q(column.name)} IS NULL")
    for rule in rules:
        findings.append(("rule", rule))
        parts.append(f"({rule[0]}) IS FALSE")
    findings.append(("owner", None))
    parts.append(f"{_q(spec.profile_column)} IS DISTINCT FROM ?")
    findings.append(("repeat", None))
    parts.append("__repeats > 1")
    aggregates = ", ".join(f"min(__row) FILTER (WHERE {part})" for part in parts)
    first_rows = _first(con, f"SELECT {aggregates} FROM {relation}", [profile_id])
    for (kind, detail), row in zip(findings, first_rows, strict=True):
        if row is None:
            continue
        if kind == "type":
            column = detail
            assert isinstance(column, Column)
            value = _first(
                con,
                f"SELECT CAST({_q(column.name)} AS VARCHAR) FROM {staged} WHERE __row = ?",
                [row],
            )[0]
            raise ExportFileError(
                f"{file}, row {row}, column {column.name}: {_shown(value)} is not "
                f"{_TYPE_WORDS[column.type]}."
            )
        if kind == "missing":
            assert isinstance(detail, Column)
            raise ExportFileError(
                f"{file}, row {row}, column {detail.name}: the value is missing, "
                "but this column must have one."
            )
        if kind == "rule":
            expression, names = detail  # type: ignore[misc]
            values = _first(
                con,
                f"SELECT {', '.join(map(_q, names))} FROM {relation} WHERE __row = ?",
                [row],
            )
            shown = ", ".join(
                f"{name} {_shown(value)}" for name, value in zip(names, values, strict=True)
            )
            raise ExportFileError(
                f"{file}, row {row}: {shown} is not allowed (the rule is {expression})."
            )
        if kind == "owner":
            raise ExportFileError(
                f"{file}, row {row}: the row belongs to another profile than the export's. "
                "An export holds one profile."
            )
        raise ExportFileError(
            f"{file}, row {row}: another row has the same {', '.join(spec.primary_key)}."
        )


def _match(columns: tuple[str, ...], left: str = "cur", right: str = "s") -> str:
    return " AND ".join(f"{left}.{_q(c)} = {right}.{_q(c)}" for c in columns)


def _count_and_insert(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, staged: str, file_format: str, rows: int
) -> TableCounts:
    typed = _typed_relation(spec, staged, file_format)
    table = _q(spec.name)
    same = " AND ".join(f"cur.{_q(c)} IS NOT DISTINCT FROM s.{_q(c)}" for c in spec.column_names)
    identical = _first(
        con,
        f"SELECT count(*) FROM {typed} AS s WHERE EXISTS (SELECT 1 FROM {table} AS cur "
        f"WHERE {_match(spec.primary_key)} AND {same})",
    )[0]
    present = f"EXISTS (SELECT 1 FROM {table} AS cur WHERE {_match(spec.import_key)})"
    if spec.name == "sessions":
        clash = _first(
            con,
            f"SELECT min(s.__row) FROM {typed} AS s WHERE NOT {present} "
            "AND s.active_profile_id IS NOT NULL AND EXISTS (SELECT 1 FROM sessions AS cur "
            "WHERE cur.active_profile_id = s.active_profile_id)",
        )
        if clash is not None and clash[0] is not None:
            raise ExportFileError(
                f"{spec.file_name(file_format)}, row {clash[0]}: this session was still "
                "running when exported, and this database has another running session for "
                "the profile. Finish that session, then import again."
            )
    columns = ", ".join(map(_q, spec.column_names))
    selected = ", ".join(f"s.{_q(c)}" for c in spec.column_names)
    try:
        inserted = _first(
            con,
            f"INSERT INTO {table} ({columns}) SELECT {selected} FROM {typed} AS s "
            f"WHERE NOT {present}",
        )[0]
    except duckdb.ConstraintException as error:
        raise ExportFileError(
            f"{spec.file_name(file_format)}: its rows cannot be added to this database "
            f"({_short(error)})."
        ) from error
    return TableCounts(
        table=spec.name,
        file=spec.file_name(file_format),
        rows_in_file=rows,
        rows_new=int(inserted),
        rows_present=rows - int(inserted),
        rows_different=rows - int(inserted) - int(identical),
    )


def _apply(
    con: duckdb.DuckDBPyConnection, loaded: _Loaded, *, commit: bool, report: Progress
) -> tuple[TableCounts, ...]:
    manifest = loaded.manifest
    staged: dict[str, str] = {}
    con.complete()  # finish any result the caller left open, so register() may run
    try:
        for spec in EXPORT_TABLES:
            table = loaded.tables[spec.name]
            rows = pa.array(range(1, table.num_rows + 1), type=pa.int64())
            name = f"_backontrack_import_{spec.name}"
            con.register(name, table.append_column("__row", rows))
            staged[spec.name] = name
        for index, spec in enumerate(EXPORT_TABLES):
            report(0.5 + 0.25 * index / len(EXPORT_TABLES), f"Checking {spec.name}")
            _check_table(con, spec, staged[spec.name], manifest.file_format, manifest.profile_id)
        profiles = loaded.tables["profiles"].num_rows
        if profiles != 1:
            raise ExportFileError(
                f"profiles.{manifest.file_format} must hold exactly one profile; it has {profiles}."
            )
        counts: list[TableCounts] = []
        con.begin()
        try:
            for index, spec in enumerate(EXPORT_TABLES):
                report(0.75 + 0.25 * index / len(EXPORT_TABLES), f"Importing {spec.name}")
                counts.append(
                    _count_and_insert(
                        con,
                        spec,
                        staged[spec.name],
                        manifest.file_format,
                        loaded.tables[spec.name].num_rows,
                    )
                )
            if commit:
                con.commit()
            else:
                con.rollback()
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                con.rollback()
            raise
    finally:
        for name in staged.values():
            con.unregister(name)
    return tuple(counts)


def preview_import(
    con: duckdb.DuckDBPyConnection, data: bytes, *, progress: Progress | None = None
) -> ImportPreview:
    """Check a file completely and count what importing it would add; change nothing.

    Raises ExportFileError, naming the file, row and column, for a wrong or damaged file.
    """
    report = _reporter(progress)
    loaded = _load(data, report)
    profile_id = loaded.manifest.profile_id
    exists = _first(con, "SELECT count(*) FROM profiles WHERE id = ?", [profile_id])
    counts = _apply(con, loaded, commit=False, report=report)
    names = loaded.tables["profiles"].column("name").to_pylist()
    report(1.0, "Checked")
    return ImportPreview(
        profile_id=profile_id,
        profile_name=str(names[0] or "") if names else "",
        profile_exists=bool(exists and exists[0]),
        file_format=loaded.manifest.file_format,
        format_version=loaded.manifest.format_version,
        schema_version=loaded.manifest.schema_version,
        exported_at=loaded.manifest.exported_at,
        tables=counts,
    )


def import_export(
    con: duckdb.DuckDBPyConnection, data: bytes, *, progress: Progress | None = None
) -> ImportResult:
    """Import a CSV or Parquet export: add the rows the database lacks, in one transaction.

    Importing the same file twice adds nothing the second time. On any error nothing is
    written; a wrong or damaged file raises ExportFileError with a message fit to show.
    """
    report = _reporter(progress)
    loaded = _load(data, report)
    counts = _apply(con, loaded, commit=True, report=report)
    bump(loaded.manifest.profile_id)
    report(1.0, "Import finished")
    return ImportResult(profile_id=loaded.manifest.profile_id, tables=counts)
