"""Importing an export file: check every row, then add what the database lacks, in one go.

* Import is idempotent: a row is added only if its key is not in the database yet (the
  table's primary key; for ``programme_items`` the profile, because a programme is saved
  as a whole and must not be merged item by item). Rows already present are kept as they
  are in the database; the preview counts the ones whose content differs.
* An **update** (a therapist's copy taking a newer file from the same person) also takes
  the file's version of rows whose key is present but whose content differs, and counts the
  rows here that the file lacks; those are deleted only when the caller says so
  (``delete_missing``), after asking. A programme is replaced as a whole.
* Everything is checked before anything is written, and all tables are written in one
  transaction: a wrong or damaged file changes nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa

from core.db.schema import BY_NAME, EXPORTED, Column, TableSpec, quote
from core.db.store import Store
from core.domain.wording import format_day
from core.files.export_format import (
    TYPE_WORDS,
    ExportFileError,
    Progress,
    reporter,
    short_error,
)
from core.files.reading import Loaded, load_export


@dataclass(frozen=True)
class TableCounts:
    """Rows of one table in the file: new ones (added), and ones the database already has.

    ``rows_different`` counts rows already present whose content in the file differs
    from the database's; the database's version is kept, except in an update, where
    ``rows_changed`` of them are taken from the file. ``rows_missing`` (updates only) counts
    the profile's rows here that the file lacks; ``rows_deleted`` how many of those went.
    """

    table: str
    file: str
    rows_in_file: int
    rows_new: int
    rows_present: int
    rows_different: int
    rows_changed: int = 0
    rows_missing: int = 0
    rows_deleted: int = 0


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
    #: The first and last session or pain rating in the file (None for a file without any).
    first_record: datetime | None = None
    last_record: datetime | None = None
    #: The person's time zone as the file gives it (their local days).
    time_zone: str = "UTC"

    @property
    def rows_in_file(self) -> int:
        return sum(t.rows_in_file for t in self.tables)

    @property
    def rows_new(self) -> int:
        return sum(t.rows_new for t in self.tables)

    @property
    def rows_present(self) -> int:
        return sum(t.rows_present for t in self.tables)

    @property
    def rows_changed(self) -> int:
        return sum(t.rows_changed for t in self.tables)

    def span_words(self) -> str:
        """ "from Mon 2 Mar 2026 to Fri 27 Mar 2026": the file's first and last session or
        rating, as local days in the person's time zone."""
        if self.first_record is None or self.last_record is None:
            return "no sessions or pain ratings"
        zone = ZoneInfo(self.time_zone)
        first = self.first_record.astimezone(zone).date()
        last = self.last_record.astimezone(zone).date()
        return f"from {format_day(first)} to {format_day(last)}"

    @property
    def rows_missing(self) -> int:
        return sum(t.rows_missing for t in self.tables)


@dataclass(frozen=True)
class ImportResult:
    """What an import added, per table."""

    profile_id: str
    tables: tuple[TableCounts, ...]

    @property
    def rows_added(self) -> int:
        return sum(t.rows_new for t in self.tables)

    @property
    def rows_changed(self) -> int:
        return sum(t.rows_changed for t in self.tables)

    @property
    def rows_deleted(self) -> int:
        return sum(t.rows_deleted for t in self.tables)

    def added(self) -> dict[str, int]:
        """Rows added per table."""
        return {t.table: t.rows_new for t in self.tables}


def _source(column: Column, file_format: str) -> str:
    name = quote(column.name)
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
    columns = ", ".join(f"{_typed(c, file_format)} AS {quote(c.name)}" for c in spec.columns)
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
    typed = ", ".join(f"{_typed(c, file_format)} AS {quote(c.name)}" for c in spec.columns)
    key = ", ".join(map(quote, spec.primary_key))
    relation = (
        f"(SELECT *, count(*) OVER (PARTITION BY {key}) AS __repeats FROM "
        f"(SELECT __row, {raw}, {typed} FROM {staged}))"
    )
    findings: list[tuple[str, object]] = []
    parts: list[str] = []
    for i, column in enumerate(spec.columns):
        if column.type != "VARCHAR":
            findings.append(("type", column))
            parts.append(f"__raw_{i} IS NOT NULL AND {quote(column.name)} IS NULL")
    for column in spec.columns:
        if not column.nullable:
            findings.append(("missing", column))
            parts.append(f"{quote(column.name)} IS NULL")
    for rule in rules:
        findings.append(("rule", rule))
        parts.append(f"({rule[0]}) IS FALSE")
    findings.append(("owner", None))
    parts.append(f"{quote(spec.profile_column)} IS DISTINCT FROM ?")
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
                f"SELECT CAST({quote(column.name)} AS VARCHAR) FROM {staged} WHERE __row = ?",
                [row],
            )[0]
            raise ExportFileError(
                f"{file}, row {row}, column {column.name}: {_shown(value)} is not "
                f"{TYPE_WORDS[column.type]}."
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
                f"SELECT {', '.join(map(quote, names))} FROM {relation} WHERE __row = ?",
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
    return " AND ".join(f"{left}.{quote(c)} = {right}.{quote(c)}" for c in columns)


@dataclass(frozen=True)
class _Update:
    """An update's profile, and whether the rows the file lacks are to be deleted."""

    profile_id: str
    delete_missing: bool


@dataclass(frozen=True)
class _Updated:
    """What an update did to one table before the new rows go in."""

    changed: int = 0
    missing: int = 0
    deleted: int = 0


def _update_rows(
    con: duckdb.DuckDBPyConnection,
    spec: TableSpec,
    typed: str,
    same: str,
    profile_id: str,
    *,
    delete_missing: bool,
) -> _Updated:
    """Remove the rows the file replaces (so that the insert takes the file's version), and
    count (and with ``delete_missing`` remove) the profile's rows the file lacks."""
    table, owner = quote(spec.name), quote(spec.profile_column)
    mine = f"cur.{owner} = ?"
    in_file = f"EXISTS (SELECT 1 FROM {typed} AS s WHERE {_match(spec.primary_key)})"
    here = int(_first(con, f"SELECT count(*) FROM {table} AS cur WHERE {mine}", [profile_id])[0])
    if spec.merge_key:
        # Saved as a whole (a programme): the file's whole replaces ours when they differ.
        kept = f"EXISTS (SELECT 1 FROM {typed} AS s WHERE {_match(spec.primary_key)} AND {same})"
        rows_in_file = int(_first(con, f"SELECT count(*) FROM {typed}")[0])
        unchanged = int(
            _first(
                con, f"SELECT count(*) FROM {table} AS cur WHERE {mine} AND {kept}", [profile_id]
            )[0]
        )
        if rows_in_file == 0 or (unchanged == here == rows_in_file):
            return _Updated()
        con.execute(f"DELETE FROM {table} AS cur WHERE {mine}", [profile_id])
        return _Updated(changed=here)
    differs = (
        f"EXISTS (SELECT 1 FROM {typed} AS s WHERE {_match(spec.primary_key)} AND NOT ({same}))"
    )
    changed = int(
        _first(
            con, f"SELECT count(*) FROM {table} AS cur WHERE {mine} AND {differs}", [profile_id]
        )[0]
    )
    if changed:
        con.execute(f"DELETE FROM {table} AS cur WHERE {mine} AND {differs}", [profile_id])
    missing = int(
        _first(
            con, f"SELECT count(*) FROM {table} AS cur WHERE {mine} AND NOT {in_file}", [profile_id]
        )[0]
    )
    if missing and delete_missing:
        con.execute(f"DELETE FROM {table} AS cur WHERE {mine} AND NOT {in_file}", [profile_id])
        return _Updated(changed=changed, missing=missing, deleted=missing)
    return _Updated(changed=changed, missing=missing)


def _count_and_insert(
    con: duckdb.DuckDBPyConnection,
    spec: TableSpec,
    staged: str,
    file_format: str,
    rows: int,
    *,
    update: _Update | None = None,
) -> TableCounts:
    typed = _typed_relation(spec, staged, file_format)
    table = quote(spec.name)
    same = " AND ".join(
        f"cur.{quote(c)} IS NOT DISTINCT FROM s.{quote(c)}" for c in spec.column_names
    )
    identical = _first(
        con,
        f"SELECT count(*) FROM {typed} AS s WHERE EXISTS (SELECT 1 FROM {table} AS cur "
        f"WHERE {_match(spec.primary_key)} AND {same})",
    )[0]
    updated = _Updated()
    if update is not None:
        updated = _update_rows(
            con, spec, typed, same, update.profile_id, delete_missing=update.delete_missing
        )
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
    columns = ", ".join(map(quote, spec.column_names))
    selected = ", ".join(f"s.{quote(c)}" for c in spec.column_names)
    try:
        inserted = _first(
            con,
            f"INSERT INTO {table} ({columns}) SELECT {selected} FROM {typed} AS s "
            f"WHERE NOT {present}",
        )[0]
    except duckdb.ConstraintException as error:
        raise ExportFileError(
            f"{spec.file_name(file_format)}: its rows cannot be added to this database "
            f"({short_error(error)})."
        ) from error
    # Rows the update replaced were inserted again: they are changed rows, not new ones.
    if spec.merge_key and updated.changed:
        new, replaced = 0, int(inserted)  # a programme replaced as a whole
    else:
        new, replaced = int(inserted) - updated.changed, updated.changed
    return TableCounts(
        table=spec.name,
        file=spec.file_name(file_format),
        rows_in_file=rows,
        rows_new=new,
        rows_present=rows - new,
        rows_different=rows - new - int(identical),
        rows_changed=replaced,
        rows_missing=updated.missing,
        rows_deleted=updated.deleted,
    )


def _record_span(
    con: duckdb.DuckDBPyConnection, staged: Mapping[str, str], file_format: str
) -> tuple[datetime | None, datetime | None]:
    """The first and last session start or pain rating in the file's (checked) rows."""
    sessions = _typed_relation(BY_NAME["sessions"], staged["sessions"], file_format)
    ratings = _typed_relation(BY_NAME["pain_ratings"], staged["pain_ratings"], file_format)
    first, last = _first(
        con,
        f"SELECT min(t), max(t) FROM (SELECT started_at AS t FROM {sessions} "
        f"UNION ALL SELECT recorded_at FROM {ratings})",
    )
    return first, last


def _apply(
    con: duckdb.DuckDBPyConnection,
    loaded: Loaded,
    *,
    commit: bool,
    report: Progress,
    update: _Update | None = None,
) -> tuple[tuple[TableCounts, ...], tuple[datetime | None, datetime | None]]:
    manifest = loaded.manifest
    staged: dict[str, str] = {}
    con.complete()  # finish any result the caller left open, so register() may run
    try:
        for spec in EXPORTED:
            table = loaded.tables[spec.name]
            rows = pa.array(range(1, table.num_rows + 1), type=pa.int64())
            name = f"_backontrack_import_{spec.name}"
            con.register(name, table.append_column("__row", rows))
            staged[spec.name] = name
        for index, spec in enumerate(EXPORTED):
            report(0.5 + 0.25 * index / len(EXPORTED), f"Checking {spec.name}")
            _check_table(con, spec, staged[spec.name], manifest.file_format, manifest.profile_id)
        profiles = loaded.tables["profiles"].num_rows
        if profiles != 1:
            raise ExportFileError(
                f"profiles.{manifest.file_format} must hold exactly one profile; it has {profiles}."
            )
        span = _record_span(con, staged, manifest.file_format)
        counts: list[TableCounts] = []
        con.begin()
        try:
            for index, spec in enumerate(EXPORTED):
                report(0.75 + 0.25 * index / len(EXPORTED), f"Importing {spec.name}")
                counts.append(
                    _count_and_insert(
                        con,
                        spec,
                        staged[spec.name],
                        manifest.file_format,
                        loaded.tables[spec.name].num_rows,
                        update=update,
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
    return tuple(counts), span


def preview_import(
    store: Store, data: bytes, *, update: bool = False, progress: Progress | None = None
) -> ImportPreview:
    """Check a file completely and count what importing it would add; change nothing.

    With ``update`` it counts what an update would change and which rows here the file
    lacks (``rows_missing``). Raises ExportFileError, naming the file, row and column, for
    a wrong or damaged file.
    """
    report = reporter(progress)
    loaded = load_export(data, report)
    profile_id = loaded.manifest.profile_id
    exists = _first(store.con, "SELECT count(*) FROM profiles WHERE id = ?", [profile_id])
    counts, (first, last) = _apply(
        store.con,
        loaded,
        commit=False,
        report=report,
        update=_Update(profile_id, delete_missing=False) if update else None,
    )
    names = loaded.tables["profiles"].column("name").to_pylist()
    zones = loaded.tables["profiles"].column("time_zone").to_pylist()
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
        first_record=first,
        last_record=last,
        time_zone=str(zones[0]) if zones and zones[0] else "UTC",
    )


def import_export(
    store: Store,
    data: bytes,
    *,
    update: bool = False,
    delete_missing: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a CSV or Parquet export: add the rows the database lacks, in one transaction.

    Importing the same file twice adds nothing the second time. With ``update`` the file's
    version of a row replaces a different one here, and with ``delete_missing`` the
    profile's rows the file lacks are deleted (only after the person was asked). On any
    error nothing is written; a wrong or damaged file raises ExportFileError with a message
    fit to show.
    """
    if delete_missing and not update:
        raise ValueError("delete_missing applies to an update only.")
    report = reporter(progress)
    loaded = load_export(data, report)
    profile_id = loaded.manifest.profile_id
    with store.writing(profile_id):
        counts, _ = _apply(
            store.con,
            loaded,
            commit=True,
            report=report,
            update=_Update(profile_id, delete_missing) if update else None,
        )
    report(1.0, "Import finished")
    return ImportResult(profile_id=loaded.manifest.profile_id, tables=counts)
