"""First paint in Chromium: share links, the first page after a server start, long histories.

Every visit here opens in a new browser context (no cookie, no HTTP cache: a therapist's or a
new user's first visit), and every comparison measures its floor page in the same run:

* a share link opened the first time (a link never opened before, so the therapist view is
  built) and again (another browser opening the same link) vs the one-chart page;
* the app's first page right after its server started vs a bare page right after its own
  server started (each visit a new server process);
* what Progress sends over the websocket for 50 years of one profile.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import browser
from bench.stats import summary
from core.db.store import Store
from core.sharing.links import MAX_DAYS, create_link, share_url

BARE_SCRIPT = "bench/bare_page.py"


def make_share_links(db_path: Path, profile_id: str, count: int) -> list[str]:
    """``count`` share links of the whole history (the form's default); their tokens.

    Made before the server opens the file (DuckDB lets one process write it), each used for
    one first opening.
    """
    with Store.open(db_path) as store:
        return [
            create_link(store, profile_id, f"bench {n}", days=MAX_DAYS, now=datetime.now(UTC))[1]
            for n in range(count)
        ]


def fresh_visit(context: Any, url: str, charts: int) -> dict[str, Any]:
    """Open ``url`` in a new browser context of the same Chromium, timed by
    :func:`bench.browser.open_and_time`, and close the context."""
    fresh = context.browser.new_context(
        viewport={"width": 1280, "height": 900}, timezone_id="Europe/London"
    )
    fresh.set_default_timeout(browser.WAIT_MS)
    try:
        return browser.open_and_time(fresh, url, charts)
    finally:
        fresh.close()


def _medians(runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, visits in runs.items():
        result[f"{name}_ms"] = summary([visit["ms"] for visit in visits])
        result[f"{name}_bytes"] = max((visit["ws_bytes"] for visit in visits), default=0)
    return result


def share_timings(
    db_path: Path, profile_id: str, charts: int, workdir: Path, context: Any, reps: int
) -> dict[str, Any]:
    """A share link's first and repeated opening vs the one-chart page, ``reps`` rounds.

    Every visit waits for as many charts drawn as the untimed first one showed (at least
    one when ``charts`` is more than zero): the charts of the section the view opens on (its
    summary), the only one it builds and draws until another is chosen.
    """
    tokens = make_share_links(db_path, profile_id, reps + 1)
    runs: dict[str, list[dict[str, Any]]] = {"share_first": [], "share_repeat": [], "one_chart": []}
    with (
        browser.server(browser.APP_SCRIPT, db_path, workdir) as app,
        browser.server(browser.ONE_CHART_SCRIPT, None, workdir) as single,
    ):
        # A first round untimed, as the other Chromium lines: Python's first imports of
        # the pages' modules are the start-up line's subject, not this one's.
        warm = fresh_visit(context, share_url(app.url, tokens[0]), min(charts, 1))
        fresh_visit(context, single.url, 1)
        for token in tokens[1:]:
            link = share_url(app.url, token)
            runs["share_first"].append(fresh_visit(context, link, warm["charts"]))
            runs["share_repeat"].append(fresh_visit(context, link, warm["charts"]))
            runs["one_chart"].append(fresh_visit(context, single.url, 1))
    result = {"charts": warm["charts"], **_medians(runs)}
    browser_log = (
        f"    share link first {result['share_first_ms']['median']} ms, again "
        f"{result['share_repeat_ms']['median']} ms, one chart {result['one_chart_ms']['median']} ms"
    )
    return result | {"log": browser_log}


def startup_timings(db_path: Path, workdir: Path, context: Any, reps: int) -> dict[str, Any]:
    """The app's first page (Today) right after its server started, as the README starts it
    (serve.py: app.py run once before the port opens) and app.py served alone, vs a bare
    page right after its own server started; a new server process for every visit."""
    runs: dict[str, list[dict[str, Any]]] = {
        "first_page": [],
        "first_page_unwarmed": [],
        "bare": [],
    }
    pages: dict[str, tuple[str, Path | None]] = {
        "first_page": (browser.APP_SCRIPT, db_path),
        "first_page_unwarmed": ("app.py", db_path),
        "bare": (BARE_SCRIPT, None),
    }
    for _ in range(reps):
        for name, (script, db) in pages.items():
            with browser.server(script, db, workdir) as running:
                runs[name].append(fresh_visit(context, f"{running.url}/", 0))
    result = _medians(runs)
    browser_log = (
        f"    first page after a server start {result['first_page_ms']['median']} ms (app.py "
        f"without the warm-up {result['first_page_unwarmed_ms']['median']} ms), bare page "
        f"{result['bare_ms']['median']} ms"
    )
    return result | {"log": browser_log}


def long_history_bytes(db_path: Path, charts: int, workdir: Path, context: Any) -> dict[str, Any]:
    """What Progress (its default range: the whole history) and Weekly review send, in
    bytes, and their charts.

    The share view of such a history is left out: it builds a review of every week (2,600
    of them), minutes of work that this line would only repeat.
    """
    with browser.server(browser.APP_SCRIPT, db_path, workdir) as app:
        visits = {
            page: fresh_visit(context, f"{app.url}/{page}", charts)
            for page in ("progress", "weekly_review")
        }
    return {
        page: {key: visit[key] for key in ("ws_bytes", "charts", "ms")}
        for page, visit in visits.items()
    }
