"""``python -m bench.capacity``: how many people can run sessions on one server at once.

Run by hand (minutes; not part of ``python -m bench`` or CI). One server on a clinic file
of one demo profile per person; at each level N, N Chromium pages run a guided session
(each in its own browser context, as its own person: the profile cookie set) and N // 2 more
keep reopening Progress, as people looking at their dashboard. Every page measures each
server round trip it waits for: from a message the page sends (the countdown asking for the
next phase, a click, the page's first request) to the end of the run that answers it
(Streamlit's script state back to "not running"). The level's tick p95 is the 95th
percentile of the session pages' round trips after a warm-up; N rises until it passes
:data:`TICK_P95_LIMIT_MS`, and the last level within it is the knee.

The figure depends on the machine: the report names its cores and memory, and the load
average before and after, since other work on the machine lowers it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench import _quiet, browser  # noqa: F401 (_quiet first: it silences Streamlit)
from bench.stats import summary
from core import demo
from core.db.store import Store
from ui.state import PROFILE_COOKIE

TICK_P95_LIMIT_MS = 250.0
DEFAULT_LEVELS = (1, 2, 4, 6, 8, 12, 16)
#: Round trips in the first seconds of a level (pages opening, sessions starting) are left out.
WARM_UP_S = 15.0

#: Installed in every page before it loads: times each round trip with the server.
_ROUND_TRIPS = """
(() => {
  window.__capacity = {sent: null, trips: []};
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (window.__capacity.sent === null) window.__capacity.sent = performance.now();
    return send.call(this, data);
  };
  const watch = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app) { setTimeout(watch, 50); return; }
    new MutationObserver(() => {
      const c = window.__capacity;
      if (app.getAttribute('data-test-script-state') === 'notRunning' && c.sent !== null) {
        c.trips.push({at: Date.now(), ms: performance.now() - c.sent});
        c.sent = null;
      }
    }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  };
  watch();
})();
"""


def make_clinic(db_path: Path, people: int, today: date) -> list[str]:
    """A file of ``people`` demo profiles (eight weeks each); their ids."""
    with Store.open(db_path) as store:
        return [
            demo.generate(store, seed=n, weeks=8, today=today, name=f"Person {n + 1}").profile_id
            for n in range(people)
        ]


@contextmanager
def person(chromium_context: Any, url: str, profile_id: str) -> Iterator[Any]:
    """A page in a browser context of its own, working on ``profile_id``."""
    context = chromium_context.browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(browser.WAIT_MS)
    host = url.split("//", 1)[1].split(":", 1)[0]
    cookie = {"name": PROFILE_COOKIE, "value": profile_id, "domain": host, "path": "/"}
    context.add_cookies([cookie])
    context.add_init_script(_ROUND_TRIPS)
    try:
        yield context.new_page()
    finally:
        context.close()


def start_session(page: Any, url: str) -> None:
    """Open the Session page and start the programme's session with a pain of 3."""
    page.goto(f"{url}/session", wait_until="domcontentloaded")
    page.wait_for_selector('[data-test-script-state="notRunning"]')
    page.locator(".st-key-pain_before").get_by_text("3", exact=True).click()
    page.get_by_role("button", name="Start session").click()


def trips_since(page: Any, since_wall_ms: float) -> list[float]:
    trips = page.evaluate("() => window.__capacity ? window.__capacity.trips : []")
    return [trip["ms"] for trip in trips if trip["at"] >= since_wall_ms]


def run_level(
    chromium_context: Any, url: str, profiles: list[str], people: int, seconds: float
) -> dict[str, Any]:
    """``people`` sessions and ``people // 2`` dashboard viewers for ``seconds``."""
    viewers = people // 2
    with ExitStack() as stack:
        sessions = [
            stack.enter_context(person(chromium_context, url, profile))
            for profile in profiles[:people]
        ]
        for page in sessions:
            start_session(page, url)
        watching = [
            stack.enter_context(person(chromium_context, url, profile))
            for profile in profiles[people : people + viewers]
        ]
        since = time.time() * 1000 + WARM_UP_S * 1000
        deadline = time.monotonic() + WARM_UP_S + seconds
        dashboard_trips: list[float] = []
        while time.monotonic() < deadline:
            for page in watching:  # each viewer reopens Progress as soon as it has drawn
                page.goto(f"{url}/progress", wait_until="domcontentloaded")
                page.wait_for_selector('[data-test-script-state="notRunning"]')
                dashboard_trips += trips_since(page, since)
            if not watching:
                sessions[0].wait_for_timeout(1000)  # nothing to drive: let the sessions run
        ticks = [ms for page in sessions for ms in trips_since(page, since)]
    return {
        "people": people,
        "viewers": viewers,
        "ticks": summary(ticks) if ticks else None,
        "dashboard": summary(dashboard_trips) if dashboard_trips else None,
    }


def machine() -> dict[str, Any]:
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return {"cpus": os.cpu_count(), "memory_gb": round(pages / 1e9, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.capacity", description=__doc__)
    parser.add_argument("--levels", default=",".join(map(str, DEFAULT_LEVELS)))
    parser.add_argument("--seconds", type=float, default=45.0, help="measured time per level")
    parser.add_argument("--out", type=Path, default=Path("bench/tmp/capacity.json"))
    args = parser.parse_args(argv)
    levels = [int(level) for level in args.levels.split(",")]
    workdir = Path(tempfile.mkdtemp(prefix="backontrack-capacity-"))
    db_path = workdir / "clinic.duckdb"
    # Every level gets people of its own: a session left running by the level before
    # would greet its person with a resume offer instead of the start screen.
    needed = sum(people + people // 2 for people in levels)
    profiles = make_clinic(db_path, needed, date.today() - timedelta(days=1))
    result: dict[str, Any] = {
        "machine": machine(),
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
        "limit_ms": TICK_P95_LIMIT_MS,
        "levels": [],
        "knee": None,
    }
    try:
        with (
            browser.chromium() as context,
            browser.server(browser.APP_SCRIPT, db_path, workdir) as app,
        ):
            for people in levels:
                level = run_level(context, app.url, profiles, people, args.seconds)
                profiles = profiles[people + people // 2 :]
                result["levels"].append(level)
                p95 = level["ticks"]["p95"] if level["ticks"] else None
                print(f"{people} sessions + {level['viewers']} viewers: tick p95 {p95} ms")
                if p95 is not None and p95 > TICK_P95_LIMIT_MS:
                    break
                result["knee"] = people
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    result["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"Knee: {result['knee']} concurrent sessions on {result['machine']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
