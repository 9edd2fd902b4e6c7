"""Erasing what was deleted from the data file itself, not only from the tables.

DuckDB marks a deleted row as deleted and keeps its bytes: the block holding it stays in
use while the row group's other rows live, and a block that falls free is put on a free
list as it was. After a deletion (or a correction, which replaces a value) the touched
tables are therefore rewritten into new blocks, the checkpoint moves everything out of
the write-ahead log, and every free block is then overwritten with random numbers, so no
byte of a deleted record is left in the file. Copies made before (backups, exports) are
not touched: the pages say so.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from core.db.clustering import rewrite_table
from core.db.schema import BY_NAME

#: The scratch table that overwrites free blocks; it exists only while erasing.
_FILLER = "erase_free_blocks"
#: Random 64-bit numbers do not compress, so each takes its 8 bytes in a block.
_BYTES_PER_VALUE = 8


def is_file_database(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the connection's database is a file on this computer (not in memory)."""
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return bool(row and row[0])


def erase_deleted(con: duckdb.DuckDBPyConnection, tables: Iterable[str]) -> bool:
    """Leave no byte of the deleted or replaced rows of ``tables`` in the file.

    Call it after the deletion is committed. Returns False (and does nothing) for a
    database that is not a local file, where there are no blocks to overwrite. A running
    write of another browser session into one of these tables may be refused meanwhile
    (it then says "not saved", and the person saves again).
    """
    if not is_file_database(con):
        return False
    for table in dict.fromkeys(tables):
        if table not in BY_NAME:
            raise ValueError(f"Unknown table {table!r}.")
        rewrite_table(con, table)
    con.execute("CHECKPOINT")
    overwrite_free_blocks(con)
    return True


def overwrite_free_blocks(con: duckdb.DuckDBPyConnection) -> int:
    """Fill every free block of the file with random numbers, then free them again.

    DuckDB hands out free blocks before it grows the file, so a table as large as the free
    space lands on exactly those blocks. Returns how many blocks were free.
    """
    row = con.execute("SELECT free_blocks, block_size FROM pragma_database_size()").fetchone()
    free_blocks, block_size = (int(row[0]), int(row[1])) if row else (0, 0)
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
