"""The export file format: a zip of one file per table plus ``manifest.json``.

The layout is a stable, documented contract (``docs/export-format.md``): one file per
table of :data:`core.db.schema.EXPORTED`, named ``<table>.csv`` or ``<table>.parquet``,
plus ``manifest.json`` with the format name and version, the schema version, the export
time, and each table's row count and columns. This module holds the format's names and
types, and checks a manifest and a header; :mod:`.export` writes files, :mod:`.reading`
reads them and :mod:`.merging` imports them.

* CSV: UTF-8, comma-separated, CRLF, a header row; text always quoted, so an empty text
  is ``""`` and an empty, unquoted field is a missing value (NULL); times are UTC as
  ``2026-01-31T08:00:00.000000Z`` (microseconds kept); dates ``2026-01-31``; booleans
  ``true``/``false``; numbers as DuckDB writes them, which round-trips exactly.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

import pyarrow as pa

from core.db.migrations import LATEST_VERSION
from core.db.schema import EXPORTED, TableSpec
from core.domain.days import utc_now
from core.domain.validation import ValidationError, is_whole_number

FORMAT_NAME = "back-on-track-export"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
FILE_FORMATS: tuple[str, ...] = ("csv", "parquet")
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

FileFormat = Literal["csv", "parquet"]
Progress = Callable[[float, str], None]


class ExportFileError(ValidationError):
    """A file that is not a valid export, or is damaged; the message names what and where."""


ARROW_TYPES: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(),
    "INTEGER": pa.int32(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "DATE": pa.date32(),
    "TIMESTAMPTZ": pa.timestamp("us", tz="UTC"),
}

TYPE_WORDS: dict[str, str] = {
    "VARCHAR": "text",
    "INTEGER": "a whole number",
    "DOUBLE": "a number",
    "BOOLEAN": "true or false",
    "DATE": "a date like 2026-01-31",
    "TIMESTAMPTZ": "a time like 2026-01-31T08:00:00.000000Z",
}


def reporter(progress: Progress | None) -> Progress:
    """A progress callback that clamps the fraction to 0..1 (a no-op without ``progress``)."""

    def report(fraction: float, message: str) -> None:
        if progress is not None:
            progress(min(1.0, max(0.0, fraction)), message)

    return report


def export_file_name(file_format: str, exported_at: datetime | None = None) -> str:
    """A download name such as ``back-on-track-export-2026-11-24-csv.zip``."""
    stamp = (exported_at or utc_now()).astimezone(UTC)
    return f"back-on-track-export-{stamp:%Y-%m-%d}-{file_format}.zip"


#: Longest name part of a file for a therapist (the rest of the name is fixed).
SENT_NAME_MAX_CHARS = 40


def therapist_file_name(name: str, day: date) -> str:
    """A download name that says whose and when (``day``: the person's local date), e.g.
    ``back-on-track-Ana-2026-12-02.zip``.

    The name is made safe for any file system: letters and digits are kept (accents too),
    anything else becomes one hyphen; an empty result reads "records".
    """
    safe = "".join(ch if ch.isalnum() else "-" for ch in unicodedata.normalize("NFC", name))
    safe = "-".join(part for part in safe.split("-") if part)[:SENT_NAME_MAX_CHARS].strip("-")
    return f"back-on-track-{safe or 'records'}-{day:%Y-%m-%d}.zip"


@dataclass(frozen=True)
class Manifest:
    file_format: str
    format_version: int
    schema_version: int
    exported_at: datetime
    profile_id: str
    rows: Mapping[str, int]


def _version(manifest: dict[str, Any], key: str, newest: int, too_new: str) -> int:
    """A version number from the manifest: a whole number from 1 to ``newest``.

    ``too_new`` is the message for a newer one, with ``{found}`` where its number goes.
    """
    found = manifest.get(key)
    if not is_whole_number(found) or found < 1:  # type: ignore[operator]
        raise ExportFileError(f"{MANIFEST_NAME}: unknown {key.replace('_', ' ')} {found!r}.")
    if found > newest:  # type: ignore[operator]
        raise ExportFileError(too_new.format(found=found))
    return int(found)  # type: ignore[arg-type]


def parse_manifest(content: bytes) -> tuple[Manifest, dict[str, dict[str, Any]]]:
    where = MANIFEST_NAME
    try:
        manifest = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ExportFileError(f"{where} is damaged: it is not valid JSON.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise ExportFileError(
            f"This zip file is not a Back on Track export ({where} names another format)."
        )
    version = _version(
        manifest,
        "format_version",
        FORMAT_VERSION,
        f"This export uses format version {{found}}, made by a newer version of Back on Track; "
        f"this one reads version {FORMAT_VERSION}. Update the app to import it.",
    )
    schema = _version(
        manifest,
        "schema_version",
        LATEST_VERSION,
        "This export comes from a newer version of Back on Track (schema version {found}; "
        f"this app knows up to {LATEST_VERSION}). Update the app to import it.",
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
    exported = {spec.name for spec in EXPORTED}
    for entry in entries:
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or name not in exported:
            raise ExportFileError(f"{where}: unknown table {name!r}.")
        if name in by_name:
            raise ExportFileError(f"{where}: the table {name} is listed twice.")
        by_name[name] = entry
    for spec in EXPORTED:
        check_manifest_entry(spec, by_name.get(spec.name), file_format, schema)
    return (
        Manifest(
            file_format=file_format,
            format_version=version,
            schema_version=schema,
            exported_at=exported_at.astimezone(UTC),
            profile_id=profile_id,
            rows={
                spec.name: int(by_name[spec.name]["rows"]) if spec.name in by_name else 0
                for spec in EXPORTED
            },
        ),
        by_name,
    )


def check_manifest_entry(
    spec: TableSpec, entry: dict[str, Any] | None, file_format: str, schema_version: int
) -> None:
    """Check one table's manifest entry against the columns it had at ``schema_version``: an
    export made before a table or column was added lacks it (see ``Column.since``)."""
    where = MANIFEST_NAME
    if entry is None:
        if spec.since > schema_version:
            return
        raise ExportFileError(f"{where}: the table {spec.name} is missing.")
    if entry.get("file") != spec.file_name(file_format):
        raise ExportFileError(
            f"{where}: the table {spec.name} should be in {spec.file_name(file_format)}."
        )
    rows = entry.get("rows")
    if not is_whole_number(rows) or rows < 0:
        raise ExportFileError(f"{where}: the row count of {spec.name} is missing.")
    columns = entry.get("columns")
    if not isinstance(columns, list):
        raise ExportFileError(f"{where}: the columns of {spec.name} are missing.")
    listed = {
        c["name"]: c.get("type")
        for c in columns
        if isinstance(c, dict) and isinstance(c.get("name"), str)
    }
    for column in spec.columns_in(schema_version):
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


def check_header(spec: TableSpec, file: str, names: list[str], schema_version: int) -> None:
    if len(set(names)) != len(names):
        raise ExportFileError(f"{file}: a column name appears twice in the header.")
    for name in (column.name for column in spec.columns_in(schema_version)):
        if name not in names:
            raise ExportFileError(f"{file}: the column {name} is missing.")
    for name in names:
        if name not in spec.column_names:
            raise ExportFileError(f"{file}: unexpected column {name!r}.")


def short_error(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__
