"""Writing an export: one profile's records as a zip of CSV or Parquet files.

Decisions: every table of :data:`core.db.schema.EXPORTED` is written, share links and their
access log never (see :mod:`core.db.schema`); one consistent snapshot is read (a read-only
transaction); the zip's entries carry the export time, so the same records exported at the
same time give the same bytes.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from core.db.migrations import LATEST_VERSION
from core.db.schema import EXPORTED, TableSpec, quote
from core.db.store import Store
from core.domain.days import utc_now
from core.files.export_format import (
    ARROW_TYPES,
    FILE_FORMATS,
    FORMAT_NAME,
    FORMAT_VERSION,
    MANIFEST_NAME,
    TIMESTAMP_FORMAT,
    FileFormat,
    Progress,
    reporter,
)


def _csv_select(spec: TableSpec) -> str:
    parts: list[str] = []
    for column in spec.columns:
        name = quote(column.name)
        if column.type == "VARCHAR":
            parts.append(name)
        elif column.type == "TIMESTAMPTZ":
            parts.append(f"strftime(make_timestamp(epoch_us({name})), '{TIMESTAMP_FORMAT}')")
        else:
            parts.append(f"CAST({name} AS VARCHAR)")
    return ", ".join(
        f"{expr} AS {quote(c.name)}" for expr, c in zip(parts, spec.columns, strict=True)
    )


def _fetch(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, profile_id: str, file_format: str
) -> pa.Table:
    select = _csv_select(spec) if file_format == "csv" else ", ".join(map(quote, spec.column_names))
    order = ", ".join(map(quote, spec.primary_key))
    return con.sql(
        f"SELECT {select} FROM {quote(spec.name)} WHERE {quote(spec.profile_column)} = ? "
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
    schema = pa.schema([pa.field(c.name, ARROW_TYPES[c.type]) for c in spec.columns])
    buffer = io.BytesIO()
    pq.write_table(table.cast(schema), buffer, compression="snappy")
    return buffer.getvalue()


def export_profile(
    store: Store,
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
    report = reporter(progress)
    files: list[tuple[str, bytes]] = []
    tables: list[dict[str, Any]] = []
    con = store.con
    con.complete()  # finish any result the caller left open, so sql() may run
    con.begin()
    try:
        found = con.execute("SELECT count(*) FROM profiles WHERE id = ?", [profile_id]).fetchall()
        if found[0][0] == 0:
            raise KeyError(f"No profile {profile_id!r}.")
        for index, spec in enumerate(EXPORTED):
            report(index / (len(EXPORTED) + 1), f"Exporting {spec.name}")
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
    report(len(EXPORTED) / (len(EXPORTED) + 1), "Packing the zip file")
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
