"""A share link's view prepared while its page loads.

A browser asks for the page (an HTTP request whose address carries ``?share=``) some half a
second before the page's script first runs: it loads the app's code and opens its
websocket first. The first opening of a link builds a private copy of its records and the
summary's figures, a few hundred milliseconds for years of records. Started on that
request, in a worker thread, they are ready or under way when the script asks for them
(Streamlit's caches make a second caller wait for a computation under way instead of
starting another).

It answers nothing and records nothing: the request gets the same page whatever its token,
the opening is logged when the view's script runs (which checks the token again), a token
that is not valid is dropped, and no token is ever written to a log.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import parse_qs

from core.sharing import links

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Requests waiting for the worker beyond this are not prepared (their view is built when
#: it runs, as without this): a flood of requests cannot pile up work.
MAX_WAITING = 4


def share_token(query_string: bytes) -> str | None:
    """The share token of a request's query string, or None."""
    values = parse_qs(query_string.decode("latin-1"), max_num_fields=20).get(links.QUERY_PARAM)
    return values[0] if values else None


def prepare(token: str) -> None:
    """Build the view a valid ``token`` opens on into the caches; nothing for any other."""
    # Imported on the first request, once Streamlit's runtime (and its caches) exists.
    from core.db.session_store import SessionStore
    from ui import clock, dashboard
    from ui.state import get_catalog, process_store

    try:
        store = SessionStore.sharing(process_store())
    except Exception:  # the view's own run says what is wrong with the file
        return
    try:
        grant = links.verify(store, token, now=clock.now())
        if grant is not None:
            names = {exercise.id: exercise.name for exercise in get_catalog()}
            dashboard.prepare_shared_view(store, grant, names)
    except Exception:  # only ahead of time: the view's own run builds it and shows errors
        return
    finally:
        store.close()


class Preparer:
    """One worker thread that prepares links' views, dropping requests beyond MAX_WAITING."""

    def __init__(self, work: Callable[[str], None] = prepare) -> None:
        self._work = work
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="share-prepare")
        self._waiting = 0
        self._lock = threading.Lock()

    def submit(self, token: str) -> bool:
        """Queue ``token``; False when too many wait already."""
        with self._lock:
            if self._waiting >= MAX_WAITING:
                return False
            self._waiting += 1
        self._pool.submit(self._run, token)
        return True

    def _run(self, token: str) -> None:
        try:
            self._work(token)
        finally:
            with self._lock:
                self._waiting -= 1

    def wait(self) -> None:
        """Finish every queued preparation (tests, shutdown)."""
        self._pool.shutdown(wait=True)


class PrepareSharedViews:
    """ASGI middleware: every HTTP request with a share token queues its preparation, then
    goes on to the app unchanged."""

    def __init__(self, app: ASGIApp, preparer: Preparer | None = None) -> None:
        self.app = app
        self.preparer = preparer or Preparer()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method") == "GET":
            token = share_token(scope.get("query_string", b""))
            if token:
                self.preparer.submit(token)
        await self.app(scope, receive, send)
