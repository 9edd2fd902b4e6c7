"""How the metric modules talk to DuckDB: named parameters, UTC bounds, a query beside others.

Every metric is DuckDB SQL over the store's tables (aggregated in the database, never by
loading every row into pandas), written with ``$name`` parameters. A record belongs to
the local day of its timestamp in the profile's zone (``timezone($tz, ts)``); the UTC
bounds from :func:`bounds` only let DuckDB skip rows early.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

import duckdb
import pandas as pd

from core.db.store import Store
from core.domain.models import Profile

T = TypeVar("T")


def utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """UTC instants safely around local days start..end (every zone is within 26 h of UTC).

    Used only to let DuckDB skip rows early; the exact filter is on the local day.
    """
    return (
        datetime.combine(start - timedelta(days=2), time(), UTC),
        datetime.combine(end + timedelta(days=2), time(), UTC),
    )


#: A lower bound before any record (the earliest date the app accepts is 2000-01-01).
ALL_HISTORY = datetime(1, 1, 1, tzinfo=UTC)


def range_params(profile: Profile, start: date, end: date, **extra: object) -> dict[str, object]:
    """The parameters every range query takes: zone, profile, local days and their UTC bounds."""
    lo, hi = utc_bounds(start, end)
    return {
        "tz": profile.time_zone,
        "pid": profile.id,
        "start": start,
        "end": end,
        "lo": lo,
        "hi": hi,
        **extra,
    }


def on_local_days(column: str, first: str = "start", last: str = "end") -> str:
    """SQL: the instant in ``column`` falls on the profile's local days ``$first .. $last``.

    The UTC bounds ``$lo``/``$hi`` (:func:`range_params`) come first, so that DuckDB skips
    rows before it converts any time to a local day.
    """
    return (
        f"{column} >= $lo AND {column} < $hi "
        f"AND CAST(timezone($tz, {column}) AS DATE) BETWEEN ${first} AND ${last}"
    )


def date_series(column: str, first: str, last: str, step_days: int = 1) -> str:
    """SQL for one row per date from parameter ``$first`` to ``$last``, every ``step_days``,
    in a column named ``column`` (names from this module's callers, never from input)."""
    return (
        f"SELECT CAST(g AS DATE) AS {column} FROM generate_series("
        f"CAST(${first} AS DATE), CAST(${last} AS DATE), INTERVAL {step_days} DAY) t(g)"
    )


_PARAMETER = re.compile(r"\$([a-z_]+)")


def run(store: Store, sql: str, params: Mapping[str, object]) -> duckdb.DuckDBPyConnection:
    """Execute ``sql`` with the named parameters it uses (DuckDB rejects unused ones)."""
    used = set(_PARAMETER.findall(sql))
    return store.con.execute(sql, {name: value for name, value in params.items() if name in used})


def fetch_frame(store: Store, sql: str, params: Mapping[str, object]) -> pd.DataFrame:
    """:func:`run`, with the result as a data frame."""
    return run(store, sql, params).df()


#: Threads for a query that runs beside a page's other queries (see :func:`beside`).
_BESIDE_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="metrics-beside")


def beside(store: Store, query: Callable[[Store], T]) -> Future[T]:
    """Start ``query`` on a cursor of its own in another thread; ``.result()`` collects it.

    DuckDB works without the GIL, so on two cores a slow query costs nothing extra while the
    caller runs its others on ``store``. The cursor is made here (a connection is not shared
    between threads) and closed by the thread when the query is done.
    """
    own = store.cursor()

    def work() -> T:
        try:
            return query(own)
        finally:
            own.close()

    return _BESIDE_POOL.submit(work)


# --------------------------------------------------------------------------- all profiles

#: SQL: one row per profile asked about (``profile_id``, its local ``today``), from the
#: parameters :func:`profile_days` makes. Queries over every profile at once start here.
PROFILE_DAYS = """
    asked AS (
        SELECT a.profile_id, CAST(a.today AS DATE) AS today, p.time_zone, p.weekly_target,
               p.programme_start
        FROM (SELECT unnest($ids) AS profile_id, unnest($days) AS today) a
        JOIN profiles p ON p.id = a.profile_id
    )
"""


def profile_days(days: Mapping[str, date]) -> dict[str, object]:
    """The parameters of :data:`PROFILE_DAYS`: each profile's id and local today, and a UTC
    instant before which nothing of the last ``LOOKBACK_DAYS`` can lie (to skip rows early)."""
    earliest = min(days.values(), default=date(2000, 1, 1))
    return {
        "ids": list(days),
        "days": list(days.values()),
        "lo": utc_bounds(earliest - timedelta(days=LOOKBACK_DAYS), earliest)[0],
    }


#: How far back the queries over every profile look for recent records (the caseload's
#: four weeks before this one, with room to spare).
LOOKBACK_DAYS = 60
