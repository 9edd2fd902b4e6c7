"""Reading an export file: the zip, its manifest and each table's file, checked as it goes.

Every problem is an :class:`~core.files.export_format.ExportFileError` naming the file
(and the row and column where there is one), fit to show a person.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from core.db.schema import EXPORTED, TableSpec
from core.files.export_format import (
    MANIFEST_NAME,
    MAX_MEMBER_BYTES,
    MAX_TOTAL_BYTES,
    ExportFileError,
    Manifest,
    Progress,
    check_header,
    parse_manifest,
    short_error,
)


@dataclass(frozen=True)
class Loaded:
    manifest: Manifest
    tables: Mapping[str, pa.Table]


_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)


def open_zip(data: bytes) -> zipfile.ZipFile:
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


def read_member(archive: zipfile.ZipFile, name: str) -> bytes:
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


def _csv_header(file: str, content: bytes) -> list[str]:
    line = content.split(b"\n", 1)[0].removesuffix(b"\r")
    try:
        return next(csv.reader([line.decode("utf-8")]), [])
    except (UnicodeDecodeError, csv.Error) as error:
        raise _damaged(file, "CSV", error) from error


def _damaged(file: str, kind: str, error: Exception) -> ExportFileError:
    return ExportFileError(f"{file} is damaged or not a {kind} file: {short_error(error)}")


def _checked(spec: TableSpec, file: str, table: pa.Table) -> pa.Table:
    """The table's columns in the spec's order, once its header is checked."""
    check_header(spec, file, table.column_names)
    return table.select(list(spec.column_names))


def _decode_csv(spec: TableSpec, file: str, content: bytes) -> pa.Table:
    content = content.removeprefix(b"\xef\xbb\xbf")  # a BOM some spreadsheets add
    if not content.strip():
        raise ExportFileError(f"{file} is empty; it should at least have a header row.")
    # Check the header first, so a missing column is named rather than reported as a
    # parse error on the first data row.
    check_header(spec, file, _csv_header(file, content))
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
        raise _damaged(file, "CSV", error) from error
    return _checked(spec, file, table)


def _decode_parquet(spec: TableSpec, file: str, content: bytes) -> pa.Table:
    try:
        table = pq.read_table(io.BytesIO(content))
    except (pa.ArrowException, ValueError, OSError) as error:
        raise _damaged(file, "Parquet", error) from error
    return _checked(spec, file, table)


def _empty(spec: TableSpec) -> pa.Table:
    """No rows, with the table's columns (as text: every file's cells are typed on import)."""
    return pa.table({name: pa.array([], type=pa.string()) for name in spec.column_names})


def load_export(data: bytes, report: Progress) -> Loaded:
    with open_zip(data) as archive:
        manifest, _ = parse_manifest(read_member(archive, MANIFEST_NAME))
        tables: dict[str, pa.Table] = {}
        for index, spec in enumerate(EXPORTED):
            file = spec.file_name(manifest.file_format)
            if spec.name not in manifest.rows:
                # Made before this table existed (parse_manifest allows only that).
                tables[spec.name] = _empty(spec)
                continue
            report(0.5 * index / len(EXPORTED), f"Reading {file}")
            content = read_member(archive, file)
            decode = _decode_csv if manifest.file_format == "csv" else _decode_parquet
            table = decode(spec, file, content)
            expected = manifest.rows[spec.name]
            if table.num_rows != expected:
                raise ExportFileError(
                    f"{file} has {table.num_rows} rows but {MANIFEST_NAME} says {expected}: "
                    "the file is incomplete or was edited."
                )
            tables[spec.name] = table
    return Loaded(manifest=manifest, tables=tables)
