"""A household in one file, in a real Chromium: the chosen profile survives a reload, a new
tab and a server restart, is named on the page, and receives the ratings saved there;
recording for it after another tab chose someone else asks once; an empty app restores
from an export file."""

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


def wait_for_cookie(page, profile_id: str) -> None:
    """Wait until the page has written ``profile_id`` into the profile cookie."""
    page.wait_for_function(
        "([name, value]) => document.cookie.split('; ').includes(name + '=' + value)",
        arg=[PROFILE_COOKIE, profile_id],
        timeout=WAIT_MS,
    )


def log_pain(page, pain: int, note: str, confirm: str | None = None) -> None:
    """Log a check-in on Today; ``confirm`` is the answer to the question whose record it is,
    which must then come up (and must not, without it)."""
    from playwright.sync_api import expect

    form = page.locator('[data-testid="stForm"]').filter(has_text="Pain right now")
    form.locator("label").filter(has_text=str(pain)).first.click()
    form.get_by_label("Note (optional)").fill(note)
    form.get_by_role("button", name="Log pain").click()
    question = page.get_by_text("This browser was last used for")
    if confirm is not None:
        expect(question).to_be_visible(timeout=WAIT_MS)
        page.get_by_role("button", name=confirm).click()
    expect(page.get_by_text(f"Pain {pain} logged.")).to_be_visible(timeout=WAIT_MS)
    expect(question).to_have_count(0)
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
        wait_for_cookie(page, bea.id)

        page.reload(wait_until="domcontentloaded")
        wait_idle(page)
        assert recording_for(page) == "Bea", "after a reload"

        second_tab = browser_context.new_page()
        open_app(second_tab, server, "progress")
        assert recording_for(second_tab) == "Bea", "in a new tab"
        choose_profile(second_tab, "Ann")  # someone else takes the computer in that tab
        second_tab.close()

        # Back in the first tab, still on Bea: recording for her now asks once.
        page.bring_to_front()
        log_pain(page, 7, "saved as Bea", confirm="Yes, it is for Bea")
        wait_for_cookie(page, bea.id)  # "yes" made Bea this browser's profile again
        full_screenshot(page, screenshots_dir / "household-asked-once.png")

        port = int(server.url.rsplit(":", 1)[1])
        server.stop()
        server = start_server(db_path, tmp_path, port=port)
        page.reload(wait_until="domcontentloaded")
        wait_idle(page)
        assert recording_for(page) == "Bea", "after the server restarted"
        assert page.locator("h1").first.inner_text() == "Hello, Bea"
        full_screenshot(page, screenshots_dir / "household-after-restart.png")

        log_pain(page, 5, "no question this time")
        assert problems_on_page(page) == []
    finally:
        server.stop()
    with Store.open(db_path) as store:
        assert store.pain_ratings(ann.id).empty, "nothing landed in Ann's record"
        bea_ratings = store.pain_ratings(bea.id)
        assert bea_ratings[["pain", "kind", "note"]].to_dict("records") == [
            {"pain": 7, "kind": "checkin", "note": "saved as Bea"},
            {"pain": 5, "kind": "checkin", "note": "no question this time"},
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
