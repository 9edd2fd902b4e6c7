"""Erasing what was deleted from the data file itself, not only from the tables.

DuckDB marks a deleted row as deleted and keeps its bytes: the block holding it stays in
use while the row group's other rows live, and a block that falls free is put on a free
list as it was. After a deletion (or a correction, which replaces a value) the touched
tables are therefore rewritten into new blocks, a checkpoint moves everything out of the
write-ahead log and lets the old blocks go, and every free block is then overwritten with
random numbers, so no byte of a deleted record is left in the file. Copies made before
(backups, exports) are not touched: the pages say so.

A checkpoint cannot run while another connection's transaction that began before the
rewrite is still open (another browser session in the middle of a page). The last two
steps are then owed: a marker file beside the database (``<file>.erase-pending``, empty)
says so, every later write tries again, and opening the file finishes them before
anything else.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path

import duckdb

from core.db.clustering import rewrite_table
from core.db.schema import BY_NAME

#: The scratch table that overwrites free blocks; it exists only while erasing.
_FILLER = "erase_free_blocks"
#: Random 64-bit numbers do not compress, so each takes its 8 bytes in a block.
_BYTES_PER_VALUE = 8
MARKER_SUFFIX = ".erase-pending"


def database_file(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file of the connection's database; None when it is not a file (in memory)."""
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchall()
    return Path(row[0][0]) if row and row[0][0] else None


def marker(path: Path) -> Path:
    """The file that says the erasing of ``path`` still owes its last steps."""
    return path.with_name(path.name + MARKER_SUFFIX)


def is_pending(con: duckdb.DuckDBPyConnection) -> bool:
    """True while an erasing of this database waits for its checkpoint."""
    path = database_file(con)
    return path is not None and marker(path).exists()


def erase_deleted(con: duckdb.DuckDBPyConnection, tables: Iterable[str]) -> bool:
    """Leave no byte of the deleted or replaced rows of ``tables`` in the file.

    Call it after the deletion is committed. True when done; False when the database is
    not a local file (nothing to overwrite) or when its last steps are owed (see the
    module's docstring). A write of another browser session into one of these tables
    at this very moment may be refused (it then says "not saved", and is saved again).
    """
    path = database_file(con)
    if path is None:
        return False
    for table in dict.fromkeys(tables):
        if table not in BY_NAME:
            raise ValueError(f"Unknown table {table!r}.")
        rewrite_table(con, table)
    marker(path).touch()
    return finish_pending(con)


def finish_pending(con: duckdb.DuckDBPyConnection) -> bool:
    """Checkpoint and overwrite the free blocks if an erasing owes it; True once nothing is
    owed. Cheap when nothing is: one look for the marker file."""
    path = database_file(con)
    if path is None or not marker(path).exists():
        return True
    try:
        con.execute("CHECKPOINT")
        overwrite_free_blocks(con)
    except duckdb.TransactionException:
        return False  # another transaction is open; the next write or opening tries again
    with contextlib.suppress(FileNotFoundError):
        marker(path).unlink()
    return True


def overwrite_free_blocks(con: duckdb.DuckDBPyConnection) -> int:
    """Fill every free block of the file with random numbers, then free them again.

    DuckDB hands out free blocks before it grows the file, so a table as large as the free
    space lands on exactly those blocks. Returns how many blocks were free.
    """
    row = con.execute("SELECT free_blocks, block_size FROM pragma_database_size()").fetchall()
    free_blocks, block_size = (int(row[0][0]), int(row[0][1])) if row else (0, 0)
    if free_blocks == 0:
        return 0
    values = free_blocks * block_size // _BYTES_PER_VALUE + 1
    con.execute(f"DROP TABLE IF EXISTS {_FILLER}")
    con.execute(
        f"CREATE TABLE {_FILLER} AS SELECT CAST(random() * 9.2e18 AS BIGINT) AS noise "
        "FROM range(?)",
        [values],
    )
    con.execute("CHECKPOINT")
    con.execute(f"DROP TABLE {_FILLER}")
    con.execute("CHECKPOINT")
    return free_blocks
