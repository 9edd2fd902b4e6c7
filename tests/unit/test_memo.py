"""ui.memo: reads kept per database file and keyed arguments, most recent first."""

from __future__ import annotations

import pytest

from core.db.connection import ENV_VAR
from ui import memo


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    monkeypatch.setenv(ENV_VAR, "/data/a.duckdb")
    return []


def make_read(reads: list[tuple[str, int]], entries: int = 2):
    @memo.memo(entries=entries)
    def read(_store: object, profile_id: str, version: int) -> tuple[str, int, int]:
        reads.append((profile_id, version))
        return (profile_id, version, len(reads))

    return read


def test_the_same_keyed_arguments_read_once_whatever_the_underscored_ones(reads) -> None:
    read = make_read(reads)
    first = read("store 1", "ann", 3)
    again = read("store 2", "ann", 3)
    assert first == ("ann", 3, 1)
    assert again is first
    assert reads == [("ann", 3)]


def test_a_new_version_or_profile_reads_again(reads) -> None:
    read = make_read(reads, entries=4)
    assert read(None, "ann", 3) == ("ann", 3, 1)
    assert read(None, "ann", 4) == ("ann", 4, 2)
    assert read(None, "bob", 4) == ("bob", 4, 3)
    assert reads == [("ann", 3), ("ann", 4), ("bob", 4)]


def test_another_database_file_reads_again(reads, monkeypatch: pytest.MonkeyPatch) -> None:
    read = make_read(reads)
    read(None, "ann", 3)
    monkeypatch.setenv(ENV_VAR, "/data/b.duckdb")
    assert read(None, "ann", 3) == ("ann", 3, 2)
    assert reads == [("ann", 3), ("ann", 3)]


def test_only_the_most_recent_entries_are_kept(reads) -> None:
    read = make_read(reads, entries=2)
    read(None, "ann", 1)
    read(None, "ann", 2)
    read(None, "ann", 1)  # used again: now the most recent
    read(None, "ann", 3)  # pushes out version 2, the least recent
    read(None, "ann", 1)
    read(None, "ann", 2)
    assert reads == [("ann", 1), ("ann", 2), ("ann", 3), ("ann", 2)]


def test_forget_drops_one_files_results_only(reads, monkeypatch: pytest.MonkeyPatch) -> None:
    read = make_read(reads, entries=4)
    read(None, "ann", 1)
    monkeypatch.setenv(ENV_VAR, "/data/b.duckdb")
    read(None, "ann", 1)
    memo.forget("/data/a.duckdb")
    read(None, "ann", 1)  # b's is kept
    monkeypatch.setenv(ENV_VAR, "/data/a.duckdb")
    read(None, "ann", 1)  # a's was dropped
    assert reads == [("ann", 1), ("ann", 1), ("ann", 1)]
