"""How every write reaches DuckDB: in one transaction, and failing with a message people read.

Shared by the store, the check-ins, the migrations and the clustering of big files, so a
failed commit (disk full, read-only file, lost lock) reads the same wherever it happens.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

import duckdb

P = ParamSpec("P")
R = TypeVar("R")


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


def reports_failed_writes(method: Callable[P, R]) -> Callable[P, R]:
    """Turn a failed write into a StoreError the user can read; validation errors and other
    exceptions pass through unchanged."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except duckdb.Error as error:
            raise not_saved(error) from error

    return wrapper


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
