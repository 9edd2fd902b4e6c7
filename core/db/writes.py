"""Failed writes in words people read, and the transaction the schema's own changes run in.

:class:`StoreError` and :func:`not_saved` are what :meth:`core.db.store.Store.writing`
raises for a refused write; the migrations and the sorting of big files run in
:func:`transaction`, so a crash leaves the file as it was.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import duckdb


class StoreError(RuntimeError):
    """A problem with the database that the user can act on; the message says how."""


def not_saved(error: duckdb.Error) -> StoreError:
    """The plain-words StoreError for a write DuckDB refused."""
    lowered = str(error).lower()
    if "no space" in lowered or "disk full" in lowered:
        reason = "the disk is full"
    elif "read-only" in lowered or "read only" in lowered or "permission denied" in lowered:
        reason = "the data file cannot be written (it is read-only)"
    elif "lock" in lowered:
        reason = "another program is holding the data file"
    else:
        reason = "the database refused the write"
    return StoreError(f"Not saved: {reason}. Nothing saved earlier was changed.")


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run the block in one transaction: commit at the end, roll back on any error.

    A commit that fails (a full disk) may already have ended the transaction; the rollback
    then raises too, and must not hide the real error.
    """
    con.begin()
    try:
        yield
        con.commit()
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.rollback()
        raise
