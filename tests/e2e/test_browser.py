"""The app in a real headless Chromium: every page, no outside requests, first use."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from core.db.store import Store
from core.sharing.passphrase import hash_passphrase
from tests.e2e.conftest import (
    NAV_LINKS,
    SEEDED_PAGES,
    WAIT_MS,
    click_nav,
    full_screenshot,
    nav_labels,
    nav_paths,
    open_app,
    problems_on_page,
    wait_idle,
)

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
PASSPHRASE = "correct horse battery staple"
FAST_HASH = hash_passphrase(PASSPHRASE, iterations=1_000)  # fast to check; the format is real
APP_NAV_LABELS = [
    "Today",
    "Exercises",
    "Session",
    "Progress",
    "Weekly review",
    "Share & export",
    "Your records",
    "Settings",
]


@pytest.mark.e2e
def test_every_page_renders_without_errors(page, seeded_server, screenshots_dir) -> None:
    open_app(page, seeded_server)
    paths = nav_paths(page, seeded_server)
    assert paths == list(SEEDED_PAGES), "the sidebar lists the pages in order, setup hidden"
    assert nav_labels(page) == APP_NAV_LABELS

    # Visit them all, starting away from the default page so its click navigates too.
    for url_path in [*paths[1:], paths[0]]:
        name = url_path or "today"
        try:
            click_nav(page, seeded_server, url_path, SEEDED_PAGES[url_path])
            exceptions = page.locator('[data-testid="stException"]')
            assert exceptions.count() == 0, problems_on_page(page)
            error_alerts = page.locator('[data-testid="stAlertContentError"]')
            assert error_alerts.count() == 0, problems_on_page(page)
        except Exception:  # a failed check or a Playwright timeout: keep what the page showed
            page.screenshot(path=str(screenshots_dir / f"FAILED-{name}.png"), full_page=True)
            raise
        full_screenshot(page, screenshots_dir / f"{name}.png")


def outside_requests(page, server) -> list[str]:
    """Visit every page with every non-local request blocked; return the blocked URLs."""
    outside: list[str] = []

    def guard(route) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if host in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    def websocket(ws) -> None:
        if urlsplit(ws.url).hostname not in LOCAL_HOSTS:
            outside.append(ws.url)

    page.route("**/*", guard)
    page.on("websocket", websocket)
    open_app(page, server)
    paths = nav_paths(page, server)
    for url_path in [*paths[1:], paths[0]]:
        click_nav(page, server, url_path, SEEDED_PAGES[url_path])
    # The catalogue tabs hold the most content (icons, markdown).
    click_nav(page, server, "exercises", "Exercises")
    page.get_by_role("tab", name="Strength (10–17)").click()
    wait_idle(page)
    return outside


@pytest.mark.e2e
def test_no_request_leaves_the_computer(page, seeded_server) -> None:
    """Local-first: no page asks any host but this computer for anything (fonts, icons...)."""
    outside = outside_requests(page, seeded_server)
    assert outside == [], "\n".join(outside)


@pytest.mark.e2e
def test_first_use_lands_on_exercises(page, server_factory, screenshots_dir) -> None:
    from playwright.sync_api import expect

    server = server_factory(False)
    open_app(page, server)
    expect(page.locator("h1").first).to_have_text("Welcome to Back on Track", timeout=WAIT_MS)

    page.get_by_label("Your first name (optional)").fill("Bea")
    surgery = page.locator('[data-testid="stRadio"]').filter(has_text="surgery recently")
    surgery.get_by_text("No", exact=True).click()
    page.get_by_role("button", name="Save and continue").click()

    # Setup reruns the app (so the navigation lists Exercises), then switches page.
    landed = "(no title)"
    try:
        expect(page.locator("h1").first).to_have_text("Exercises", timeout=WAIT_MS)
        wait_idle(page)
    finally:
        titles = page.locator("h1").all_inner_texts()
        landed = f"titles {titles} at {page.url}"
        full_screenshot(page, screenshots_dir / "first_use.png")
    assert page.url == f"{server.url}/exercises", landed
    assert problems_on_page(page) == []
    assert nav_labels(page) == APP_NAV_LABELS

    # The browser's time zone became the profile's default.
    click_nav(page, server, "settings", "Settings")
    zone = page.get_by_role("combobox", name="Time zone")
    expect(zone).to_have_value("Europe/London", timeout=WAIT_MS)

    server.stop()
    with Store.open(server.db_path) as store:
        (profile,) = store.list_profiles()
    assert (profile.name, profile.time_zone, profile.weekly_target) == ("Bea", "Europe/London", 5)


@pytest.mark.e2e
def test_deep_link_as_first_request_uses_the_app_navigation(page, server_factory) -> None:
    """The first request after a server start, to an owner page's address, goes through
    app.py: with an owner passphrase set it gets the unlock page and none of the data, and
    once unlocked the page the address named, in the app's own navigation.

    This is why the page scripts live in ``views/``: Streamlit treats a folder named
    ``pages/`` beside ``app.py`` as a legacy multipage app, and until the root address has
    been opened once after a start it answers ``/progress`` with ``pages/progress.py`` itself,
    skipping app.py's navigation and its passphrase gate: that layout fails exactly this.
    """
    from playwright.sync_api import expect

    server = server_factory(True, secrets={"owner_passphrase_hash": FAST_HASH})
    open_app(page, server, "progress")  # the server's first page request
    title = page.locator("h1").first
    expect(title).to_have_text("Back on Track is locked", timeout=WAIT_MS)
    assert page.locator("h1").all_inner_texts() == ["Back on Track is locked"]
    shown = page.locator("body").inner_text()
    assert "Ann" not in shown and "Progress" not in shown, "no name, no page title"
    assert page.locator(NAV_LINKS).count() == 0, "no navigation while locked"
    assert page.locator(".js-plotly-plot").count() == 0, "no chart"
    assert problems_on_page(page) == []

    page.get_by_label("Passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Unlock").click()
    expect(title).to_have_text("Progress", timeout=WAIT_MS)
    wait_idle(page)
    assert page.url == f"{server.url}/progress"
    assert nav_labels(page) == APP_NAV_LABELS
