"""A private, in-memory copy of one profile's records within a date range.

The therapist view and a range-limited report read from this copy instead of the real
database, so the limits hold by construction: the copy holds one profile and only the
records of the local days ``start .. end`` (in the profile's time zone). Every metric,
chart and table computed from it, including derived numbers such as the baseline, the
streak or "vs previous week", can only see what the link shares.

What belongs to the range:

* sessions by the local day they started, with their prescriptions and set records;
* pain ratings by the local day they were given;
* weekly check-ins and PSFS scores by their week, when the Monday week overlaps the
  range (a check-in answers for its whole week), with the named PSFS activities they use;
* exercise flags raised within the range (a clearing after the range is left out);
* the weekly targets set up to the range's end (each week's adherence uses its own target);
* the profile row itself, with the setup pain only if setup happened within the range.

Share links, the access log, PINs, the saved programme and the warning signs reported (shown on
no shared page) are never copied.
"""

from __future__ import annotations

from datetime import date

import duckdb

from core.db.connection import configure
from core.db.schema import BY_NAME, TABLES, quote
from core.db.store import Store
from core.domain.days import monday

# Table -> WHERE clause over the source table (aliased ``t``); parameters are always
# (profile id, time zone, first day, last day, first Monday).
_FILTERS: dict[str, str] = {
    "sessions": (
        "t.profile_id = $pid AND CAST(timezone($tz, t.started_at) AS DATE) BETWEEN $start AND $end"
    ),
    "session_prescriptions": (
        "t.profile_id = $pid AND t.session_id IN (SELECT id FROM sessions WHERE profile_id = $pid "
        "AND CAST(timezone($tz, started_at) AS DATE) BETWEEN $start AND $end)"
    ),
    "set_records": (
        "t.profile_id = $pid AND t.session_id IN (SELECT id FROM sessions WHERE profile_id = $pid "
        "AND CAST(timezone($tz, started_at) AS DATE) BETWEEN $start AND $end)"
    ),
    "pain_ratings": (
        "t.profile_id = $pid AND CAST(timezone($tz, t.recorded_at) AS DATE) BETWEEN $start AND $end"
    ),
    "weekly_checkins": "t.profile_id = $pid AND t.week_start BETWEEN $first_week AND $end",
    "psfs_scores": "t.profile_id = $pid AND t.week_start BETWEEN $first_week AND $end",
    "psfs_activities": (
        "t.profile_id = $pid AND t.id IN (SELECT activity_id FROM psfs_scores "
        "WHERE profile_id = $pid AND week_start BETWEEN $first_week AND $end)"
    ),
    "exercise_flags": (
        "t.profile_id = $pid AND CAST(timezone($tz, t.flagged_at) AS DATE) BETWEEN $start AND $end"
    ),
    # The targets in force up to the range's end (a week before the range keeps its own).
    "weekly_targets": "t.profile_id = $pid AND t.week_start <= $end",
}

# Columns replaced in the copy: a value that would reveal something after or before the range.
_MASKED: dict[str, dict[str, str]] = {
    "profiles": {
        "setup_pain": (
            "CASE WHEN CAST(timezone($tz, t.created_at) AS DATE) BETWEEN $start AND $end "
            "THEN t.setup_pain END"
        ),
    },
    "exercise_flags": {
        "cleared_at": (
            "CASE WHEN CAST(timezone($tz, t.cleared_at) AS DATE) <= $end THEN t.cleared_at END"
        ),
    },
}

#: The tables the copy holds, in the schema's order: every table with a filter above.
COPIED_TABLES: tuple[str, ...] = tuple(
    spec.name for spec in TABLES if spec.name == "profiles" or spec.name in _FILTERS
)


def _select(table: str) -> str:
    spec = BY_NAME[table]
    masked = _MASKED.get(table, {})
    columns = ", ".join(
        f"{masked[c]} AS {quote(c)}" if c in masked else f"t.{quote(c)}" for c in spec.column_names
    )
    where = "t.id = $pid" if table == "profiles" else _FILTERS[table]
    return f"SELECT {columns} FROM {quote(table)} AS t WHERE {where}"


def scoped_store(store: Store, profile_id: str, start: date, end: date) -> Store:
    """A new in-memory store holding only ``profile_id``'s records of local days start..end.

    The caller closes it (``with scoped_store(...) as copy:``). Raises KeyError for an
    unknown profile and ValueError when ``start`` is after ``end``.
    """
    con = store.con
    if start > end:
        raise ValueError(f"The range starts on {start}, after it ends on {end}.")
    zone = con.execute("SELECT time_zone FROM profiles WHERE id = ?", [profile_id]).fetchone()
    if zone is None:
        raise KeyError(f"No profile {profile_id!r}.")
    params = {
        "pid": profile_id,
        "tz": str(zone[0]),
        "start": start,
        "end": end,
        "first_week": monday(start),
    }
    con.complete()  # finish any result the caller left open, so sql() may run
    target = Store(_bare_copy_of_schema(con))
    try:
        for table in COPIED_TABLES:
            sql = _select(table)
            used = {name: value for name, value in params.items() if f"${name}" in sql}
            rows = con.sql(sql, params=used).to_arrow_table()
            target.copy_in(table, rows)
    except BaseException:
        target.close()
        raise
    return target


def _bare_copy_of_schema(source: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A new in-memory database with every table of ``source``, its columns and their
    types only: the copy is read and never written, so it needs no key or constraint, and
    without them the rows go in about twice as fast."""
    columns = source.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = 'main' "
        "ORDER BY table_name, column_index"
    ).fetchall()
    tables: dict[str, list[str]] = {}
    for table, column, data_type in columns:
        tables.setdefault(str(table), []).append(f"{quote(str(column))} {data_type}")
    target = duckdb.connect(":memory:")
    try:
        configure(target)
        for table, definitions in tables.items():
            target.execute(f"CREATE TABLE {quote(table)} ({', '.join(definitions)})")
    except BaseException:
        target.close()
        raise
    return target
