"""A browser session's store: overlapping runs on different threads never share a cursor."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import duckdb
import pytest

from core.db.connection import open_database
from core.db.session_store import SessionStore

WAIT_S = 30


class HeldQuery:
    """A query that stays running on a thread of its own until ``finish`` is called: the
    state a stopping Streamlit run is in when the next run starts."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.entered, self.go = threading.Event(), threading.Event()
        self.result: list[tuple[int]] = []

        def held(value: int) -> int:
            self.entered.set()
            self.go.wait(WAIT_S)
            return value

        con.create_function("held", held)

    def start(self, cursor_of_this_thread: Callable[[], duckdb.DuckDBPyConnection]) -> None:
        def run() -> None:
            self.result = cursor_of_this_thread().execute("SELECT held(1)").fetchall()

        self.thread = threading.Thread(target=run)
        self.thread.start()
        assert self.entered.wait(WAIT_S)

    def finish(self) -> None:
        self.go.set()
        self.thread.join(WAIT_S)
        assert self.result == [(1,)]


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = open_database(None)
    yield connection
    connection.close()


def test_one_cursor_shared_by_two_threads_refuses_the_second_call(con) -> None:
    """The hazard itself: DuckDB refuses, rather than waits, on a busy cursor."""
    shared = con.cursor()
    query = HeldQuery(con)
    query.start(lambda: shared)
    with pytest.raises(duckdb.Error, match="busy"):
        shared.execute("SELECT 2").fetchall()
    query.finish()


def test_a_second_thread_queries_while_the_first_is_still_running(con) -> None:
    store = SessionStore(con)
    query = HeldQuery(con)
    query.start(lambda: store.con)
    assert store.con.execute("SELECT 2").fetchall() == [(2,)]
    query.finish()


def test_a_thread_keeps_its_cursor_and_an_ended_threads_cursor_is_closed(con) -> None:
    store = SessionStore(con)
    mine = store.con
    assert store.con is mine
    theirs: list[duckdb.DuckDBPyConnection] = []
    thread = threading.Thread(target=lambda: theirs.append(store.con))
    thread.start()
    thread.join(WAIT_S)
    assert theirs[0] is not mine
    # The next thread to make a cursor closes the ended thread's.
    later = threading.Thread(target=lambda: store.con)
    later.start()
    later.join(WAIT_S)
    with pytest.raises(duckdb.ConnectionException):
        theirs[0].execute("SELECT 1")
    assert mine.execute("SELECT 1").fetchall() == [(1,)]


def test_closing_the_store_closes_every_cursor_but_not_the_connection(con) -> None:
    store = SessionStore(con)
    mine = store.con
    store.close()
    with pytest.raises(duckdb.ConnectionException):
        mine.execute("SELECT 1")
    assert con.execute("SELECT 1").fetchall() == [(1,)]
