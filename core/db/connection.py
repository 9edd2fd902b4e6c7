"""Opening the DuckDB file: where it is, migrating it, and a cursor per thread.

One process-wide connection is opened with :func:`open_database`; every thread or browser
session works through its own cursor (:func:`cursor_for`), because DuckDB 2.0 refuses to
share one connection between threads. A second process opening the same file is refused
with :class:`DatabaseLockedError`, whose message names the file.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from core.db.clustering import cluster_by_profile
from core.db.erasure import finish_pending
from core.db.migrations import migrate
from core.db.writes import StoreError

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB_PATH = REPO_ROOT / "data" / "backontrack.duckdb"
ENV_VAR = "BACKONTRACK_DB"


class DatabaseLockedError(StoreError):
    """Another process holds the database file."""


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
    configure(con)
    migrate(con)
    if is_file_target(resolved):
        cluster_by_profile(con)
        # Alone on the file now: finish an erasing a busy moment left owed.
        finish_pending(con)
    con.complete()  # hold no result open: it would keep a transaction (and checkpoints) waiting
    return con


def configure(con: duckdb.DuckDBPyConnection) -> None:
    """Set a connection or cursor to UTC: every instant is stored and compared in UTC."""
    con.execute("SET TimeZone = 'UTC'")


def cursor_for(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor of its own for one thread or browser session, set to UTC."""
    cur = con.cursor()
    configure(cur)
    return cur
