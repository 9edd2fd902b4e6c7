"""Real servers and a real headless Chromium: chart drawing time, bytes on the wire, RSS.

Each server is ``python -m streamlit run <script>`` on a free port of 127.0.0.1 with its
own ``BACKONTRACK_DB``, started by tests/serving.py (shared with the browser tests);
Chromium is Debian's ``/usr/bin/chromium`` driven by Playwright for Python (no browser
download).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.serving import CHROMIUM, CHROMIUM_ARGS, Server, start_server

WAIT_MS = 180_000
#: Every page of the app for a set-up profile, by url path ("" is the default page, Today).
APP_PAGES: tuple[str, ...] = (
    "",
    "exercises",
    "session",
    "progress",
    "weekly_review",
    "share_export",
    "settings",
)
#: The app as the README starts it (warmed before its port opens).
APP_SCRIPT = "serve.py"
ONE_CHART_SCRIPT = "bench/one_chart_page.py"
#: The caseload is drawn once its table is on the page (a data grid, not a Plotly chart).
CASELOAD_DRAWN = '[data-testid="stDataFrame"] canvas'
FLOOR_SCRIPT = "bench/floor_page.py"

#: True once the page's script run is over, at least ``n`` Plotly charts are drawn and the
#: element of ``shown`` (a CSS selector, or null) is on the page.
_DRAWN = """
([n, shown]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!document.querySelector('h1')) return false;
  if (shown && !document.querySelector(shown)) return false;
  const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
  if (charts.length < n) return false;
  for (const chart of charts) {
    if (!chart.querySelector('.main-svg')) return false;
  }
  return true;
}
"""


def chromium_available() -> bool:
    if not CHROMIUM.exists():
        return False
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def read_memory_kib(pid: int) -> dict[str, int]:
    """VmHWM (peak RSS) and VmRSS of a process from /proc, in KiB."""
    values: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            values[key] = int(rest.split()[0])
    return values


def server(
    script: str, db_path: Path | None, workdir: Path, extra_env: Mapping[str, str] | None = None
) -> Server:
    """A ``streamlit run`` server of ``script`` (relative to the repo) on a free port; use it
    as ``with server(...) as running:`` so that it is stopped at the end.

    Its file watcher stays on, as when a user runs the app: that is what the figures measure.
    """
    return start_server(db_path, workdir, script=script, extra_env=extra_env, watch_files=True)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium with one browser context (its HTTP cache shared by its pages)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, timezone_id="Europe/London"
        )
        context.set_default_timeout(WAIT_MS)
        try:
            yield context
        finally:
            context.close()
            browser.close()


def open_and_time(context: Any, url: str, charts: int, shown: str | None = None) -> dict[str, Any]:
    """Open ``url`` in a new tab; time navigation until the run ends, ``charts`` are drawn
    and the element ``shown`` (a CSS selector) is there.

    Also counts the bytes the server sent over the websocket for the page.
    """
    page = context.new_page()
    received: list[int] = []

    def on_socket(socket: Any) -> None:
        socket.on("framereceived", lambda payload: received.append(len(payload)))

    page.on("websocket", on_socket)
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    try:
        before = _busy(cdp)
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_function(_DRAWN, arg=[charts, shown], polling="raf", timeout=WAIT_MS)
        elapsed = (time.perf_counter() - start) * 1000.0
        busy = {name: value - before.get(name, 0.0) for name, value in _busy(cdp).items()}
        problems = page.locator('[data-testid="stException"]').count()
        drawn = page.locator('[data-testid="stPlotlyChart"]').count()
    finally:
        cdp.detach()
        page.close()
    if problems:
        raise RuntimeError(f"{url} shows an exception")
    return {
        "ms": elapsed,
        "main_thread_ms": busy.get("TaskDuration", 0.0),
        "script_ms": busy.get("ScriptDuration", 0.0),
        "ws_bytes": sum(received),
        "charts": drawn,
    }


def open_section_and_time(
    context: Any, url: str, charts: int, tab: str, section_charts: int, shown: str
) -> float:
    """Open ``url`` and wait for its ``charts``; then click the tab named ``tab`` and time
    until its ``section_charts`` are drawn and ``shown`` (a CSS selector of the section) is
    on the page: what opening another section of the page costs (ms)."""
    page = context.new_page()
    try:
        page.goto(url, wait_until="commit")
        page.wait_for_function(_DRAWN, arg=[charts, None], polling="raf", timeout=WAIT_MS)
        start = time.perf_counter()
        page.get_by_role("tab", name=tab).click()
        page.wait_for_function(_DRAWN, arg=[section_charts, shown], polling="raf", timeout=WAIT_MS)
        return (time.perf_counter() - start) * 1000.0
    finally:
        page.close()


def _busy(cdp: Any) -> dict[str, float]:
    """The page's main-thread busy time so far (ms): less sensitive to a loaded machine than
    the wall clock, since it leaves out the time spent waiting for a CPU."""
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    wanted = ("TaskDuration", "ScriptDuration")
    return {m["name"]: m["value"] * 1000.0 for m in metrics if m["name"] in wanted}


def visit_every_page(
    context: Any, running: Server, charts: dict[str, int], paths: tuple[str, ...] = APP_PAGES
) -> dict[str, Any]:
    """Open every page of the app once; return what each sent and the server's peak RSS."""
    visited: dict[str, Any] = {}
    for path in paths:
        result = open_and_time(context, f"{running.url}/{path}", charts.get(path, 0))
        visited[path or "today"] = {"ws_bytes": result["ws_bytes"], "charts": result["charts"]}
    memory = read_memory_kib(running.proc.pid)
    return {
        "pages": visited,
        "rss_peak_mib": round(memory["VmHWM"] / 1024, 1),
        "rss_end_mib": round(memory["VmRSS"] / 1024, 1),
    }
