"""Browser helpers shared by the reliability tests that drive real Streamlit servers.

Waits are Playwright waits with generous timeouts (never sleeps), and in-page waits poll
every 100 ms rather than on every animation frame: eight pages polling on every frame cost
more CPU than the app itself on a 2-core machine.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.conftest import REPO_ROOT
from tests.e2e.conftest import (
    IDLE,
    SERVER_START_TIMEOUT_S,
    WAIT_MS,
    Server,
    _free_port,
    _port_answers,
)

POLL_MS = 100

# In-page checks. Each returns a string once the page has settled, or false while it runs.
PROBLEMS_JS = """() => Array.from(document.querySelectorAll(
    '[data-testid="stException"], [data-testid="stAlertContentError"]'
)).map(e => e.innerText.trim())"""

CHECKIN_SETTLED_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stException"], [data-testid="stAlertContentError"]'))
    return 'problem';
  const note = document.querySelector('[data-testid="stForm"] textarea');
  // The form is cleared (by the app, through Session State) only once the rating is saved.
  return note && note.value === '' ? 'saved' : false;
}"""

TAP_SETTLED_JS = """(expected) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stException"], [data-testid="stAlertContentError"]'))
    return 'problem';
  const text = document.body.innerText;
  return text.includes(expected) ? 'saved' : false;
}"""


def settle(page: Any, script: str, arg: object = None) -> str:
    """Wait until ``script`` reports the page settled; return what it reported."""
    handle = page.wait_for_function(script, arg=arg, polling=POLL_MS, timeout=WAIT_MS)
    return str(handle.json_value())


def problems(page: Any) -> list[str]:
    return list(page.evaluate(PROBLEMS_JS))


def wait_idle(page: Any) -> None:
    page.wait_for_selector(IDLE, timeout=WAIT_MS)


def open_page(page: Any, server: Server, url_path: str = "") -> None:
    page.goto(f"{server.url}/{url_path}", wait_until="domcontentloaded", timeout=WAIT_MS)
    wait_idle(page)


def choose_profile(page: Any, name: str) -> None:
    """Pick a profile in the sidebar selectbox (shown when the file holds several)."""
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').click()
    page.get_by_role("option", name=name, exact=True).click()
    page.locator("h1", has_text=f"Hello, {name}").wait_for(timeout=WAIT_MS)
    wait_idle(page)


def send_checkin(page: Any, pain: int, note: str) -> None:
    """Fill the Today form (pain radio, note) and press "Log pain"; does not wait."""
    form = page.locator('[data-testid="stForm"]')
    form.locator('[data-testid="stRadio"]').get_by_text(str(pain), exact=True).click()
    form.locator("textarea").fill(note)
    form.get_by_role("button", name="Log pain").click()


def start_server(db_path: Path, workdir: Path) -> Server:
    """``python -m streamlit run app.py`` as tests/e2e/conftest.py starts it, plus one flag:
    no file watcher. The suite runs in a working tree others may be editing; a watched file
    that changes makes Streamlit drop modules from ``sys.modules`` mid-run, which is a
    development feature, not what these tests measure. Returns once the port answers."""
    port = _free_port()
    log_path = workdir / f"streamlit-{port}.log"
    env = {**os.environ, "BACKONTRACK_DB": str(db_path)}
    with log_path.open("ab") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", db_path, log_path, proc)
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while not _port_answers(port):
        if time.monotonic() > deadline:
            stop_server(server)
            raise RuntimeError(f"streamlit did not answer on {port} in time:\n{server.log()}")
        try:
            proc.wait(timeout=0.25)  # the poll interval, and a check that it is still alive
        except subprocess.TimeoutExpired:
            continue
        raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{server.log()}")
    return server


def stop_server(server: Server) -> None:
    """Stop gracefully; kill if it does not go. Safe to call on a dead server."""
    server.stop()
    if server.proc.poll() is None:  # pragma: no cover - stop() kills as a last resort
        server.proc.kill()
        server.proc.wait(timeout=30)


@contextlib.contextmanager
def running_server(db_path: Path, workdir: Path) -> Iterator[Server]:
    """A server that is stopped when the block ends, also on failure."""
    server = start_server(db_path, workdir)
    try:
        yield server
    finally:
        stop_server(server)


def new_page(browser: Any) -> Any:
    context = browser.new_context(
        viewport={"width": 1000, "height": 800}, timezone_id="Europe/London"
    )
    context.set_default_timeout(WAIT_MS)
    context.set_default_navigation_timeout(WAIT_MS)
    return context.new_page()
