"""Real servers and a real headless Chromium for the end-to-end tests.

Every server is ``python -m streamlit run serve.py`` on a free port of 127.0.0.1 with its own
``BACKONTRACK_DB`` (started by tests/serving.py); a fixture fills the file through the Store
API (then closes it) before the server starts, because a running server holds the file's lock.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.db.store import Store
from core.domain.models import ProgrammeItem
from tests import factories
from tests.conftest import REPO_ROOT, make_profile, short_preset_items
from tests.serving import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SERVER_STOP_TIMEOUT_S,
    Server,
    start_server,
)

WAIT_MS = 60_000
#: The environment form of Streamlit's ``secrets.files`` option (the secrets files it reads).
SECRETS_FILES_VARIABLE = "STREAMLIT_SECRETS_FILES"
SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
NAV_LINKS = '[data-testid="stSidebarNav"] a'

# url path -> page title for the seeded profile (named "Ann"); "" is the default page, Today.
SEEDED_PAGES: dict[str, str] = {
    "": "Hello, Ann",
    "exercises": "Exercises",
    "session": "Session",
    "progress": "Progress",
    "weekly_review": "Weekly review",
    "share_export": "Share & export",
    "records": "Your records",
    "settings": "Settings",
}


def pytest_terminal_summary(terminalreporter) -> None:
    """The axe results of every page checked in this run (tests/e2e/axe.py), with or
    without ``-s``."""
    from tests.e2e.axe import RESULTS

    if RESULTS:
        terminalreporter.section("axe-core results per page")
        for line in RESULTS:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def seeded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server on a file with one profile ("Ann") and the saved "short" programme."""
    workdir = tmp_path_factory.mktemp("seeded")
    db_path = workdir / "seeded.duckdb"
    make_profile(db_path, name="Ann", programme=short_preset_items())
    with start_server(db_path, workdir) as server:
        yield server


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start extra servers for one test: ``start(seeded, secrets=None)`` on an empty file or
    on a seeded one, with its own secrets file when ``secrets`` are given (flat string keys,
    as .streamlit/secrets.toml holds them); every server started is stopped after the test."""
    started: list[Server] = []

    def start(seeded: bool, *, secrets: Mapping[str, str] | None = None) -> Server:
        number = len(started)
        db_path = tmp_path / f"db{number}.duckdb"
        if seeded:
            make_profile(db_path, name="Ann", programme=short_preset_items())
        env = {}
        if secrets is not None:
            secrets_file = tmp_path / f"secrets{number}.toml"
            secrets_file.write_text("".join(f"{k} = {json.dumps(v)}\n" for k, v in secrets.items()))
            # Streamlit reads secrets only from the files this option names (the user's
            # ~/.streamlit/secrets.toml and the repository's are then left out).
            env[SECRETS_FILES_VARIABLE] = str(secrets_file)
        server = start_server(db_path, tmp_path, extra_env=env)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@dataclass
class SessionServer:
    """A running server whose file holds one profile ("Ann") with a given programme."""

    server: Server
    profile_id: str

    @property
    def url(self) -> str:
        return self.server.url

    def stop_and_open_store(self) -> Store:
        """Stop the server (it holds the file's lock), then open the file (use it in ``with``)."""
        self.server.stop()
        return Store.open(self.server.db_path)


@pytest.fixture
def session_server(
    tmp_path: Path,
) -> Iterator[Callable[..., SessionServer]]:
    """Start a server on a fresh file with a profile, its programme and session settings.

    Call it as ``session_server(programme, lead_in_s=2, sound_on=True, voice_on=False)``;
    every server it started is stopped after the test. The coach's voice is off unless asked
    for (tests/e2e/test_coach_browser.py): where Chromium has no local voice it plays tones,
    which the end-of-hold sound tests would otherwise count.
    """
    started: list[Server] = []

    def start(
        programme: Sequence[ProgrammeItem],
        *,
        lead_in_s: int = 2,
        sound_on: bool = True,
        voice_on: bool = False,
    ) -> SessionServer:
        db_path = tmp_path / f"session{len(started)}.duckdb"
        with Store.open(db_path) as store:
            profile = factories.profile(store, programme=programme)
            store.update_profile(
                profile.id, lead_in_s=lead_in_s, sound_on=sound_on, voice_on=voice_on
            )
        server = start_server(db_path, tmp_path)
        started.append(server)
        return SessionServer(server, profile.id)

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def backgroundable_context(chromium, tmp_path: Path) -> Iterator[object]:
    """A Chromium page context in which a tab can really go to the background.

    Pages that Playwright creates in its own contexts keep ``document.visibilityState``
    "visible" whatever happens (Playwright turns focus emulation on for them, which keeps them
    "captured"), and Playwright's launch turns background throttling off. So this fixture
    starts its own headless Chromium, with throttling left on, and attaches to its default
    context without Playwright's defaults (``no_defaults=True``): there, opening a second tab
    hides the first one (visibilityState "hidden", timers throttled to once a second) and
    ``bring_to_front`` shows it again. Yields the context; ``context.pages[0]`` is a blank tab.
    """
    profile_dir = tmp_path / "chromium-profile"
    port_file = profile_dir / "DevToolsActivePort"
    proc = subprocess.Popen(
        [
            str(CHROMIUM),
            "--headless",
            *CHROMIUM_ARGS,
            "--mute-audio",
            "--no-first-run",
            "--no-default-browser-check",
            "--window-size=1280,900",
            "--remote-debugging-port=0",
            f"--user-data-dir={profile_dir}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    browser = None
    try:
        deadline = time.monotonic() + WAIT_MS / 1000
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline:
                raise RuntimeError("Chromium did not open its DevTools port in time")
            try:
                proc.wait(timeout=0.1)  # doubles as the poll interval and the liveness check
            except subprocess.TimeoutExpired:
                continue
            raise RuntimeError(f"Chromium exited with {proc.returncode}")
        port = port_file.read_text().split()[0]
        browser = chromium.browser_type.connect_over_cdp(
            f"http://127.0.0.1:{port}", timeout=WAIT_MS, no_defaults=True
        )
        context = browser.contexts[0]
        context.set_default_timeout(WAIT_MS)
        context.set_default_navigation_timeout(WAIT_MS)
        yield context
    finally:
        if browser is not None:
            browser.close()
        proc.terminate()
        try:
            proc.wait(timeout=SERVER_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=SERVER_STOP_TIMEOUT_S)


@pytest.fixture
def browser_context(chromium) -> Iterator[object]:
    """A fresh browser profile (cookies, storage) per test, in the London time zone."""
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, timezone_id="Europe/London"
    )
    context.set_default_timeout(WAIT_MS)
    context.set_default_navigation_timeout(WAIT_MS)
    yield context
    context.close()


@pytest.fixture
def page(browser_context) -> object:
    return browser_context.new_page()


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


# ---------------------------------------------------------------------------- page helpers


def wait_idle(page) -> None:
    """Wait until the Streamlit script run has finished."""
    page.wait_for_selector(IDLE, timeout=WAIT_MS)


def open_app(page, server: Server, url_path: str = "") -> None:
    page.goto(f"{server.url}/{url_path}", wait_until="domcontentloaded")
    wait_idle(page)


def nav_paths(page, server: Server) -> list[str]:
    """The url path of every sidebar navigation link, in order ("" for the default page)."""
    page.wait_for_selector(NAV_LINKS, timeout=WAIT_MS)
    hrefs = [link.get_attribute("href") or "" for link in page.locator(NAV_LINKS).all()]
    return [href.removeprefix(server.url).strip("/") for href in hrefs]


def nav_labels(page) -> list[str]:
    """The visible text of every sidebar link (the icon's ligature name is dropped)."""
    page.wait_for_selector(NAV_LINKS, timeout=WAIT_MS)
    return [
        link.locator('[data-testid="stSidebarNavLinkContainer"], span').last.inner_text().strip()
        for link in page.locator(NAV_LINKS).all()
    ]


def click_nav(page, server: Server, url_path: str, title: str) -> None:
    """Click the sidebar link to ``url_path`` and wait for that page's run to finish."""
    from playwright.sync_api import expect

    page.locator(f'{NAV_LINKS}[href="{server.url}/{url_path}"]').click()
    page.wait_for_url(f"{server.url}/{url_path}", timeout=WAIT_MS)
    expect(page.locator("h1").first).to_have_text(title, timeout=WAIT_MS)
    wait_idle(page)


def problems_on_page(page) -> list[str]:
    """Texts of any exception box or error alert on the page."""
    found = []
    for selector in ('[data-testid="stException"]', '[data-testid="stAlertContentError"]'):
        found += [f"{selector}: {text}" for text in page.locator(selector).all_inner_texts()]
    return found


def full_screenshot(page, path: Path) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main block, not the body,
    so the viewport is grown to the content's height first."""
    height = page.evaluate(
        "() => Math.max(document.body.scrollHeight, "
        '...Array.from(document.querySelectorAll(\'[data-testid="stMain"], '
        '[data-testid="stAppViewContainer"], section.main\')).map(e => e.scrollHeight))'
    )
    size = page.viewport_size or {"width": 1280, "height": 900}
    page.set_viewport_size({"width": size["width"], "height": max(int(height), size["height"])})
    wait_idle(page)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
