"""Sharing in a real Chromium: a link opened by a second browser, revoked, and the report file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core import demo
from core.db.store import Store
from tests.e2e.conftest import (
    IDLE,
    WAIT_MS,
    full_screenshot,
    open_app,
    problems_on_page,
    wait_idle,
)
from tests.serving import Server, start_server
from ui.access import INVALID_LINK

PLOT = ".js-plotly-plot .main-svg"
LINK_CHECK_S = 3
# True once the report has charts and Plotly has drawn every one of them (its .main-svg).
EVERY_CHART_DRAWN = """() => {
  const charts = document.querySelectorAll('.plotly-graph-div');
  return charts.length > 0 && Array.from(charts).every(c => c.querySelector('.main-svg'));
}"""


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server on a file with eight demo weeks for Ann; open links re-check every 3 s."""
    workdir = tmp_path_factory.mktemp("sharing")
    db_path = workdir / "demo.duckdb"
    with Store.open(db_path) as store:
        demo.generate(store, seed=7, weeks=8, name="Ann")
    link_check = {"BACKONTRACK_LINK_CHECK_S": str(LINK_CHECK_S)}
    with start_server(db_path, workdir, extra_env=link_check) as server:
        yield server


def new_context(chromium, **options):
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, timezone_id="Europe/London", **options
    )
    context.set_default_timeout(WAIT_MS)
    context.set_default_navigation_timeout(WAIT_MS)
    return context


def create_link(page, server: Server, recipient: str) -> str:
    """Create a link on Share & export and return the URL the page shows once."""
    from playwright.sync_api import expect

    open_app(page, server, "share_export")
    expect(page.locator("h1").first).to_have_text("Share & export", timeout=WAIT_MS)
    page.get_by_label("Who is it for?").fill(recipient)
    page.get_by_role("button", name="Create link").click()
    code = page.locator('[data-testid="stCode"] code').filter(has_text="?share=")
    expect(code).to_have_count(1, timeout=WAIT_MS)
    wait_idle(page)
    return code.inner_text().strip()


def revoke_first_link(page) -> None:
    page.get_by_role("button", name="Revoke").first.click()
    wait_idle(page)
    page.get_by_role("button", name="Yes, revoke it").click()
    wait_idle(page)


def assert_read_only_dashboard(page) -> None:
    from playwright.sync_api import expect

    expect(page.locator("h1").first).to_have_text("Ann's progress", timeout=WAIT_MS)
    page.wait_for_selector(PLOT, timeout=WAIT_MS)
    wait_idle(page)
    # It opens on its summary, the only section built: sessions per week and the pain trend.
    assert page.locator(".js-plotly-plot").count() == 2
    assert page.get_by_role("tab", name="Summary", selected=True).count() == 1
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    assert page.locator('[data-testid="stSidebar"]').count() == 0
    assert page.locator("input, textarea, select").count() == 0, "nothing to type or pick"
    assert page.get_by_text("Shared by Ann, read-only, link expires").count() == 1
    assert problems_on_page(page) == []


@pytest.mark.e2e
def test_a_link_opens_a_read_only_dashboard_until_it_is_revoked(
    chromium, demo_server: Server, screenshots_dir: Path
) -> None:
    from playwright.sync_api import expect

    owner_context = new_context(chromium)
    therapist_context = new_context(chromium)
    try:
        owner = owner_context.new_page()
        url = create_link(owner, demo_server, "my physio")
        assert url.startswith(f"{demo_server.url}/?share=")
        token = url.split("=", 1)[1]

        therapist = therapist_context.new_page()
        therapist.goto(url, wait_until="domcontentloaded")
        assert_read_only_dashboard(therapist)
        assert therapist.url == url, "the address keeps the token (no redirect drops it)"
        assert token not in therapist.title()
        full_screenshot(therapist, screenshots_dir / "therapist.png")

        # The owner's list shows the opening.
        owner.reload(wait_until="domcontentloaded")
        wait_idle(owner)
        expect(owner.get_by_text("Opened once")).to_have_count(1, timeout=WAIT_MS)

        revoke_first_link(owner)
        expect(owner.get_by_text("is revoked.")).to_have_count(1, timeout=WAIT_MS)

        # The open page closes its view by itself, without a reload...
        expect(therapist.get_by_text(INVALID_LINK)).to_have_count(
            1, timeout=(LINK_CHECK_S + 20) * 1000
        )
        expect(therapist.locator(".js-plotly-plot")).to_have_count(0)
        # ...and opening the same URL again shows only the neutral message.
        therapist.goto(url, wait_until="domcontentloaded")
        wait_idle(therapist)
        expect(therapist.get_by_text(INVALID_LINK)).to_have_count(1, timeout=WAIT_MS)
        assert therapist.locator(".js-plotly-plot").count() == 0
        assert therapist.locator("h1").all_inner_texts() == ["Back on Track"]
        assert token not in demo_server.log()
    finally:
        owner_context.close()
        therapist_context.close()


def open_offline(chromium, path: Path) -> tuple[int, list[str]]:
    """Open a saved report from disk with every non-file request aborted; charts drawn, blocked."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    context = new_context(chromium)
    blocked: list[str] = []

    def guard(route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    try:
        context.route("**/*", guard)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(path.as_uri(), wait_until="load")
        try:
            page.wait_for_function(EVERY_CHART_DRAWN, polling=100, timeout=WAIT_MS)
        except PlaywrightTimeoutError:
            raise AssertionError(f"not every chart was drawn; page errors: {errors}") from None
        assert errors == []
        assert page.locator("h1").first.inner_text() == "Progress report: Ann"
        return page.locator(".js-plotly-plot .main-svg").count(), blocked
    finally:
        context.close()


@pytest.mark.e2e
def test_the_report_opens_from_disk_with_the_network_blocked(
    chromium, demo_server: Server, tmp_path: Path
) -> None:
    owner_context = new_context(chromium, accept_downloads=True)
    therapist_context = new_context(chromium, accept_downloads=True)
    try:
        owner = owner_context.new_page()
        url = create_link(owner, demo_server, "report test")
        with owner.expect_download() as download:
            owner.get_by_role("button", name="Download the report (HTML)").click()
        owner_report = tmp_path / download.value.suggested_filename
        download.value.save_as(owner_report)
        assert owner_report.name.startswith("back-on-track-report-")

        # The therapist view offers the same report as a download (it writes nothing).
        therapist = therapist_context.new_page()
        therapist.goto(url, wait_until="domcontentloaded")
        wait_idle(therapist)
        therapist.get_by_role("tab", name="Report").click()
        with therapist.expect_download() as download:
            therapist.get_by_role("button", name="Download the report (HTML)").click()
        shared_report = tmp_path / f"shared-{download.value.suggested_filename}"
        download.value.save_as(shared_report)
        revoke_first_link(owner)
    finally:
        owner_context.close()
        therapist_context.close()

    for report in (owner_report, shared_report):
        charts, blocked = open_offline(chromium, report)
        assert charts >= 4, report.name
        assert blocked == [], report.name


@pytest.mark.e2e
def test_a_made_up_link_shows_only_the_neutral_message(chromium, demo_server: Server) -> None:
    context = new_context(chromium)
    try:
        page = context.new_page()
        page.goto(f"{demo_server.url}/settings?share={'A' * 43}", wait_until="domcontentloaded")
        page.wait_for_selector(IDLE, timeout=WAIT_MS)
        assert page.get_by_text(INVALID_LINK).count() == 1
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0
        assert page.locator(".js-plotly-plot").count() == 0
        assert "Ann" not in page.locator('[data-testid="stMain"]').inner_text()
    finally:
        context.close()
