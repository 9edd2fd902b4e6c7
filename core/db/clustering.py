"""Physical order of a file shared by many profiles: its big tables kept sorted by profile.

Rows are appended in time order, so in a file shared by many profiles (a clinic) every
block holds rows of every profile, and one profile's query must read them all. Sorted by
profile, DuckDB skips every block whose profile range excludes the one asked for.
"""

from __future__ import annotations

import duckdb

from core.db.writes import transaction

#: The tables that grow with every session, in the order they are worth sorting.
CLUSTERED_TABLES: tuple[str, ...] = (
    "set_records",
    "session_prescriptions",
    "pain_ratings",
    "sessions",
)
#: Tables smaller than this are scanned in a few milliseconds whatever their order.
CLUSTER_MIN_ROWS = 250_000
#: Windows of rows probed along a table to see whether its profiles are interleaved.
_PROBES = 8
_PROBE_ROWS = 2048
#: A window is interleaved when one of its profiles comes back after another's rows, or
#: when the profiles whose ids fall between its lowest and highest (those whose queries
#: must read its block) outnumber twice the profiles it holds, and 8.
_MIXED_PROFILES = 8


def cluster_by_profile(
    con: duckdb.DuckDBPyConnection, *, min_rows: int = CLUSTER_MIN_ROWS
) -> list[str]:
    """Sort the big per-profile tables by profile when the profiles' rows are interleaved.

    Rows are appended in time order, so in a file shared by many profiles (a clinic) every
    block holds rows of every profile, and one profile's query must read them all (the
    benchmark's clinic file shows by how much). Sorted by profile, DuckDB skips every block
    whose profile range excludes the one asked for.

    Runs when the database opens; cheap (a few small queries) unless a table of at least
    ``min_rows`` rows has more than half its blocks interleaved, which a busy clinic file
    reaches again only once its size has about doubled since the last sort. Each table is
    rewritten in one transaction (same definition, constraints and rows), so a crash leaves
    it as it was. Returns the tables it sorted.
    """
    row = con.execute("SELECT count(*) FROM profiles").fetchone()
    if row is None or row[0] < 2:
        return []
    sorted_tables = []
    for table in CLUSTERED_TABLES:
        if _interleaved(con, table, min_rows) and _rewrite_by_profile(con, table):
            sorted_tables.append(table)
    if sorted_tables:
        con.execute("CHECKPOINT")
    return sorted_tables


def _interleaved(con: duckdb.DuckDBPyConnection, table: str, min_rows: int) -> bool:
    """True if the table is big and more than half of the probed windows are interleaved.

    Sorted by profile, each profile in a window is one run of rows, and the window's lowest
    and highest profile ids enclose just the profiles it holds, however small each profile
    is. Interleaved, profiles come back (few profiles), or the window's ids span nearly
    every profile (many profiles, each writing a session's rows at a time).
    """
    row = con.execute(f"SELECT count(*), max(rowid) FROM {table}").fetchone()
    if row is None or row[0] < min_rows or row[1] is None:
        return False
    last = int(row[1])
    mixed = 0
    for probe in range(_PROBES):
        first = (last - _PROBE_ROWS) * probe // max(1, _PROBES - 1)
        found = con.execute(
            f"""
            WITH r AS (
                SELECT profile_id, lag(profile_id) OVER (ORDER BY rowid) AS previous
                FROM {table} WHERE rowid BETWEEN ? AND ?
            ),
            w AS (
                SELECT min(profile_id) AS lo, max(profile_id) AS hi,
                       count(DISTINCT profile_id) AS held,
                       count(*) FILTER (WHERE profile_id IS DISTINCT FROM previous) AS runs
                FROM r
            )
            SELECT held, runs,
                   (SELECT count(*) FROM profiles, w WHERE id BETWEEN w.lo AND w.hi)
            FROM w
            """,
            [first, first + _PROBE_ROWS - 1],
        ).fetchone()
        if found is not None and found[0]:
            held, runs, spanned = (int(value) for value in found)
            mixed += runs > held or spanned > max(_MIXED_PROFILES, 2 * held)
    return mixed * 2 > _PROBES


def _rewrite_by_profile(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Rewrite ``table`` sorted by profile (keeping insertion order within one profile)."""
    return rewrite_table(con, table, "profile_id, rowid")


def rewrite_table(con: duckdb.DuckDBPyConnection, table: str, order_by: str = "rowid") -> bool:
    """Rewrite ``table`` into new blocks in one transaction: same definition, constraints and
    rows, in the order ``order_by`` (column names from this package, never from input).

    False, and nothing done, for a table whose definition is not the plain CREATE TABLE
    this package wrote.
    """
    row = con.execute(
        "SELECT sql FROM duckdb_tables() WHERE table_name = ? AND schema_name = current_schema()",
        [table],
    ).fetchone()
    prefix = f"CREATE TABLE {table}("
    if row is None or not str(row[0]).startswith(prefix):
        return False
    staging = f"{table}__by_profile"
    with transaction(con):
        con.execute(f"DROP TABLE IF EXISTS {staging}")
        con.execute(f"CREATE TABLE {staging}(" + str(row[0])[len(prefix) :])
        con.execute(f"INSERT INTO {staging} SELECT * FROM {table} ORDER BY {order_by}")
        con.execute(f"DROP TABLE {table}")
        con.execute(f"ALTER TABLE {staging} RENAME TO {table}")
    return True
