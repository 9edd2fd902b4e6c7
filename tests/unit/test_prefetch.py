"""ui.prefetch: which requests queue a share link's preparation, and how many may wait."""

from __future__ import annotations

import asyncio
import threading

from ui.prefetch import MAX_WAITING, Preparer, PrepareSharedViews, share_token


def test_the_token_is_read_from_the_query_string() -> None:
    assert share_token(b"share=abc") == "abc"
    assert share_token(b"page=progress&share=abc&x=1") == "abc"
    assert share_token(b"share=") is None
    assert share_token(b"page=progress") is None
    assert share_token(b"") is None


class FakePreparer:
    def __init__(self) -> None:
        self.tokens: list[str] = []

    def submit(self, token: str) -> bool:
        self.tokens.append(token)
        return True


def requests_through(scopes: list[dict[str, object]]) -> tuple[list[str], list[str]]:
    """The tokens queued and the paths the app itself was given, for these requests."""
    reached: list[str] = []

    async def app(scope, receive, send) -> None:
        reached.append(str(scope.get("path")))

    preparer = FakePreparer()
    middleware = PrepareSharedViews(app, preparer)  # type: ignore[arg-type]
    for scope in scopes:
        asyncio.run(middleware(scope, None, None))  # type: ignore[arg-type]
    return preparer.tokens, reached


def test_only_a_page_request_with_a_token_is_prepared_and_every_request_goes_on() -> None:
    tokens, reached = requests_through(
        [
            {"type": "http", "method": "GET", "path": "/", "query_string": b"share=t1"},
            {"type": "http", "method": "GET", "path": "/", "query_string": b""},
            {"type": "http", "method": "POST", "path": "/", "query_string": b"share=t2"},
            {"type": "websocket", "path": "/_stcore/stream", "query_string": b"share=t3"},
            {"type": "http", "method": "GET", "path": "/progress", "query_string": b"share=t4"},
        ]
    )
    assert tokens == ["t1", "t4"]
    assert reached == ["/", "/", "/", "/_stcore/stream", "/progress"]


def test_requests_beyond_the_waiting_limit_are_dropped() -> None:
    release = threading.Event()
    done: list[str] = []

    def work(token: str) -> None:
        release.wait(timeout=60)
        done.append(token)

    preparer = Preparer(work)
    accepted = [preparer.submit(f"t{n}") for n in range(MAX_WAITING + 2)]
    release.set()
    preparer.wait()
    assert accepted == [True] * MAX_WAITING + [False, False]
    assert done == [f"t{n}" for n in range(MAX_WAITING)]
