"""One browser session's store: a cursor per thread, so overlapping reruns never share one."""

from __future__ import annotations

import contextlib
import threading

import duckdb

from core.db.connection import cursor_for
from core.db.store import Store


class SessionStore(Store):
    """A store that the threads of one browser session share, each through a cursor of its own.

    Streamlit starts a rerun on a new thread while the run before it is still stopping, and
    callbacks and ticking fragments run on threads of their own; DuckDB refuses a second call
    on a cursor that is busy instead of waiting. A cursor is made on a thread's first query
    and closed once its thread has ended (or with the store).
    """

    def __init__(self, parent: duckdb.DuckDBPyConnection) -> None:
        self._parent = parent
        self._cursors: dict[threading.Thread, duckdb.DuckDBPyConnection] = {}
        self._cursors_lock = threading.Lock()

    @classmethod
    def sharing(cls, store: Store) -> SessionStore:
        """A session store whose cursors come from ``store``'s connection."""
        return cls(store.con)

    @property  # type: ignore[override]
    def con(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor."""
        thread = threading.current_thread()
        with self._cursors_lock:
            cursor = self._cursors.get(thread)
            if cursor is None:
                for ended in [t for t in self._cursors if not t.is_alive()]:
                    with contextlib.suppress(duckdb.Error):
                        self._cursors.pop(ended).close()
                cursor = self._cursors[thread] = cursor_for(self._parent)
            return cursor

    def close(self) -> None:
        """Close every thread's cursor."""
        with self._cursors_lock:
            cursors, self._cursors = list(self._cursors.values()), {}
        for cursor in cursors:
            with contextlib.suppress(duckdb.Error):
                cursor.close()
