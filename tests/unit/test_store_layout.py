"""A file shared by many profiles is kept sorted by profile (core.db.clustering)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from core.db.clustering import cluster_by_profile
from core.db.connection import open_database
from core.db.store import Store
from tests import factories

PROFILES = 12
SETS_PER_PROFILE = 400


def write_interleaved_profiles(
    store: Store, profiles: int = PROFILES, sets: int = SETS_PER_PROFILE
) -> None:
    """Profiles whose set records were written turn by turn, as a clinic writes them."""
    ids = []
    start = datetime(2026, 3, 2, 8, tzinfo=UTC)
    for number in range(profiles):
        moment = start + timedelta(seconds=number)
        profile = factories.profile(store, name=f"P{number}", now=moment)
        session = factories.session(store, profile, moment, prescribed={("bridge", "none"): 1})
        ids.append((profile.id, session))
    rows = [
        {
            "session_id": session,
            "profile_id": profile_id,
            "step_index": step,
            "exercise_id": "bridge",
            "side": "none",
            "rep": 1,
            "kind": "hold",
            "prescribed_s": 5.0,
            "duration_s": 5.0,
            "status": "done",
            "started_at": start + timedelta(seconds=step),
            "completed_at": start + timedelta(seconds=step + 5),
        }
        for step in range(sets)
        for profile_id, session in ids
    ]
    store.insert_frame("set_records", pd.DataFrame(rows))


def _all_sets(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return con.execute("SELECT * FROM set_records ORDER BY session_id, step_index").fetchall()


def test_interleaved_profiles_are_sorted_by_profile_and_nothing_else_changes(
    tmp_path: Path,
) -> None:
    with Store.open(tmp_path / "clinic.duckdb") as store:
        write_interleaved_profiles(store)
        con = store.con
        before = _all_sets(con)
        assert cluster_by_profile(con, min_rows=1000) == ["set_records"]

        assert _all_sets(con) == before
        in_file_order = con.execute("SELECT profile_id FROM set_records ORDER BY rowid").fetchall()
        changes = sum(1 for a, b in itertools.pairwise(in_file_order) if a != b)
        assert changes == PROFILES - 1  # each profile's rows now sit together
        # The table keeps its definition: primary key and checks still hold.
        first = before[0]
        with pytest.raises(duckdb.ConstraintException):
            con.execute(
                "INSERT INTO set_records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", first
            )
        bad = (first[0], first[1], 10_000, *first[3:9], "nonsense", *first[10:])
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO set_records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", bad)
        # Sorted once, it is left alone.
        assert cluster_by_profile(con, min_rows=1000) == []


def test_small_or_single_profile_files_are_left_as_they_are(tmp_path: Path) -> None:
    with Store.open(tmp_path / "small.duckdb") as store:
        write_interleaved_profiles(store)
        assert cluster_by_profile(store.con) == []  # below CLUSTER_MIN_ROWS
    single = open_database(tmp_path / "single.duckdb")
    assert cluster_by_profile(single, min_rows=0) == []
    single.close()


def test_many_small_profiles_once_sorted_stay_sorted(tmp_path: Path) -> None:
    # 60 profiles of 50 rows: a sorted window of 2,048 rows still holds ~40 profiles.
    with Store.open(tmp_path / "small-profiles.duckdb") as store:
        write_interleaved_profiles(store, profiles=60, sets=50)
        assert cluster_by_profile(store.con, min_rows=1000) == ["set_records"]
        assert cluster_by_profile(store.con, min_rows=1000) == []
