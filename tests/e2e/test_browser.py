"""The app in a real headless Chromium: every page, no outside requests, first use."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from core.db.store import Store
from tests.e2e.conftest import (
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
APP_NAV_LABELS = [
    "Today",
    "Exercises",
    "Session",
    "Progress",
    "Weekly review",
    "Share & export",
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
    server = server_factory(True)
    open_app(page, server, "settings")
    labels = nav_labels(page)
    assert labels == APP_NAV_LABELS
