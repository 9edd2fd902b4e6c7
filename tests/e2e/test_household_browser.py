"""A household in one file, in a real Chromium: the chosen profile survives a reload, a new
tab and a server restart, is named on the page, and receives the ratings saved there;
an empty app restores from an export file."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.db.store import Store
from core.files.export import export_profile
from tests import factories
from tests.e2e.conftest import WAIT_MS, full_screenshot, open_app, problems_on_page, wait_idle
from tests.serving import start_server
from ui.state import PROFILE_COOKIE

RECORDING_FOR = ".st-key-recording_for"


def recording_for(page) -> str:
    """The name the page says it records for."""
    from playwright.sync_api import expect

    block = page.locator(RECORDING_FOR)
    expect(block).to_have_count(1, timeout=WAIT_MS)
    return block.locator("strong").first.inner_text().strip()


def choose_profile(page, name: str) -> None:
    """Pick ``name`` in the sidebar's profile list and wait for the page to say so."""
    from playwright.sync_api import expect

    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').click()
    page.get_by_role("option", name=name, exact=True).click()
    expect(page.locator(f"{RECORDING_FOR} strong").first).to_have_text(name, timeout=WAIT_MS)
    wait_idle(page)


def log_pain(page, pain: int, note: str) -> None:
    from playwright.sync_api import expect

    form = page.locator('[data-testid="stForm"]').filter(has_text="Pain right now")
    form.locator("label").filter(has_text=str(pain)).first.click()
    form.get_by_label("Note (optional)").fill(note)
    form.get_by_role("button", name="Log pain").click()
    expect(page.get_by_text(f"Pain {pain} logged.")).to_be_visible(timeout=WAIT_MS)
    wait_idle(page)


@pytest.mark.e2e
def test_the_chosen_profile_survives_reload_new_tab_and_restart(
    browser_context, tmp_path: Path, screenshots_dir: Path
) -> None:
    db_path = tmp_path / "household.duckdb"
    with Store.open(db_path) as store:
        ann = factories.profile(store, name="Ann")
        bea = factories.profile(store, name="Bea")
    server = start_server(db_path, tmp_path)
    try:
        page = browser_context.new_page()
        open_app(page, server)
        assert recording_for(page) == "Ann", "a new browser starts on the first profile"
        choose_profile(page, "Bea")
        cookies = {c["name"]: c["value"] for c in browser_context.cookies()}
        assert cookies.get(PROFILE_COOKIE) == bea.id

        page.reload(wait_until="domcontentloaded")
        wait_idle(page)
        assert recording_for(page) == "Bea", "after a reload"

        second_tab = browser_context.new_page()
        open_app(second_tab, server, "progress")
        assert recording_for(second_tab) == "Bea", "in a new tab"
        second_tab.close()

        port = int(server.url.rsplit(":", 1)[1])
        server.stop()
        server = start_server(db_path, tmp_path, port=port)
        page.reload(wait_until="domcontentloaded")
        wait_idle(page)
        assert recording_for(page) == "Bea", "after the server restarted"
        assert page.locator("h1").first.inner_text() == "Hello, Bea"
        full_screenshot(page, screenshots_dir / "household-after-restart.png")

        log_pain(page, 7, "saved as Bea")
        assert problems_on_page(page) == []
    finally:
        server.stop()
    with Store.open(db_path) as store:
        assert store.pain_ratings(ann.id).empty, "nothing landed in Ann's record"
        bea_ratings = store.pain_ratings(bea.id)
        assert bea_ratings[["pain", "kind", "note"]].to_dict("records") == [
            {"pain": 7, "kind": "checkin", "note": "saved as Bea"}
        ]


@pytest.mark.e2e
def test_an_empty_app_restores_from_an_export_file(
    browser_context, tmp_path: Path, screenshots_dir: Path
) -> None:
    source = tmp_path / "source.duckdb"
    with Store.open(source) as store:
        ann = factories.profile(store, name="Ann")
        session = factories.session(
            store, ann, factories.SET_START, [("bridge", "none", "done")], notes="first"
        )
        factories.rating(store, ann, 4, factories.SET_START, kind="before", session_id=session)
        export_file = tmp_path / "ann-export.zip"
        export_file.write_bytes(export_profile(store, ann.id, file_format="csv"))
        before = {name: n for name, n in store.table_counts(ann.id).items() if n}

    empty = tmp_path / "empty.duckdb"
    server = start_server(empty, tmp_path)
    try:
        from playwright.sync_api import expect

        page = browser_context.new_page()
        open_app(page, server)
        expect(page.locator("h1").first).to_have_text("Welcome to Back on Track")
        page.get_by_role("tab", name="Restore from an export file").click()
        restore = page.locator(".st-key-restore")
        restore.locator('input[type="file"]').set_input_files(str(export_file))
        button = restore.get_by_role("button", name="Restore")
        expect(button).to_be_visible(timeout=WAIT_MS)
        full_screenshot(page, screenshots_dir / "restore-preview.png")
        button.click()
        expect(page.locator("h1").first).to_have_text("Hello, Ann", timeout=WAIT_MS)
        expect(page.get_by_text("Restored")).to_be_visible(timeout=WAIT_MS)
        assert recording_for(page) == "Ann"
        assert problems_on_page(page) == []
        full_screenshot(page, screenshots_dir / "restore-done.png")
    finally:
        server.stop()
    with Store.open(empty) as store:
        assert {name: n for name, n in store.table_counts(ann.id).items() if n} == before
