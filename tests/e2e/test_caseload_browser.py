"""The Caseload in Chromium: two demo exports (seeds 7 and 11) taken into an empty copy give
two rows with the numbers each person's own Progress shows; a newer export updates its row;
a damaged file changes nothing. One server, one browser walk (a lean e2e test)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.db.store import Store
from core.demo import generate
from core.files.app_settings import AppSettings, write_settings
from core.files.export import export_profile
from tests import factories
from tests.e2e.conftest import (
    WAIT_MS,
    click_nav,
    full_screenshot,
    open_app,
    problems_on_page,
    wait_idle,
)
from tests.serving import start_server

STATUS_NUMBERS = re.compile(r"pain (\d+\.\d), (?:down|up) \d+\.\d from baseline (\d+\.\d)")
ROWS = '[data-testid="stDataFrame"] [role="row"]'


def export_of(path: Path, seed: int, name: str, out: Path, extra_rating: bool = False) -> Path:
    """A demo person's export ending today (their 8 weeks), written to ``out``."""
    with Store.open(path) as store:
        if not store.list_profiles():
            generate(store, seed=seed, name=name)
        person = store.list_profiles()[0]
        if extra_rating:
            factories.rating(store, person, 10, datetime.now(UTC) - timedelta(minutes=5))
        out.write_bytes(export_profile(store, person.id))
    return out


def caseload_rows(page) -> dict[str, dict[str, str]]:
    """The caseload table's cells by person and column (the grid draws on a canvas and keeps
    an invisible table of the cells in view for screen readers; the first columns are)."""
    page.wait_for_selector(ROWS, state="attached", timeout=WAIT_MS)
    header = page.locator(ROWS).first.locator('[role="columnheader"]')
    names = {
        th.get_attribute("aria-colindex"): (th.text_content() or "").strip() for th in header.all()
    }
    rows: dict[str, dict[str, str]] = {}
    for row in page.locator(ROWS).all()[1:]:
        cells = {
            names.get(cell.get_attribute("aria-colindex"), "?"): (cell.text_content() or "").strip()
            for cell in row.locator('[role="gridcell"]').all()
        }
        if cells.get("Person"):
            rows[cells["Person"]] = cells
    return rows


def pain_cell(page, person: str) -> str:
    return caseload_rows(page)[person]["Pain, 7-day mean"]


def own_progress_numbers(page, server) -> str:
    """The current person's pain mean and baseline on their own Progress page."""
    from playwright.sync_api import expect

    click_nav(page, server, "progress", "Progress")
    status = page.locator('[data-testid="stAlert"]').filter(has_text="baseline").first
    expect(status).to_be_visible(timeout=WAIT_MS)
    found = STATUS_NUMBERS.search(status.inner_text())
    assert found is not None, status.inner_text()
    return f"{found.group(1)} (baseline {found.group(2)})"


def upload(page, round_: int, file: Path) -> None:
    page.locator(f'.st-key-caseload_import_file_{round_} input[type="file"]').set_input_files(
        str(file)
    )


@pytest.mark.e2e
def test_two_patients_files_make_two_rows_a_newer_one_updates_and_a_damaged_one_does_not(
    browser_context, tmp_path: Path, screenshots_dir: Path
) -> None:
    from playwright.sync_api import expect

    ana = export_of(tmp_path / "ana.duckdb", 7, "Ana", tmp_path / "ana.zip")
    ben = export_of(tmp_path / "ben.duckdb", 11, "Ben", tmp_path / "ben.zip")
    newer = export_of(tmp_path / "ben.duckdb", 11, "Ben", tmp_path / "ben-2.zip", True)
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(newer.read_bytes()[: newer.stat().st_size // 2])
    empty = tmp_path / "therapist.duckdb"
    write_settings(AppSettings(therapist=True), str(empty))

    server = start_server(empty, tmp_path)
    try:
        page = browser_context.new_page()
        open_app(page, server)
        page.get_by_role("tab", name="Restore from an export file").click()
        restore = page.locator(".st-key-restore")
        restore.locator('input[type="file"]').set_input_files(str(ana))
        restore.get_by_role("button", name="Restore").click()
        expect(page.locator("h1").first).to_have_text("Hello, Ana", timeout=WAIT_MS)

        click_nav(page, server, "caseload", "Caseload")
        upload(page, 0, ben)
        expect(page.get_by_text("(new to this database), from")).to_be_visible(timeout=WAIT_MS)
        page.get_by_role("button", name="Add Ben").click()
        expect(page.get_by_text("Added Ben:")).to_be_visible(timeout=WAIT_MS)
        wait_idle(page)
        assert sorted(caseload_rows(page)) == ["Ana", "Ben"]
        ana_pain, ben_pain = pain_cell(page, "Ana"), pain_cell(page, "Ben")
        full_screenshot(page, screenshots_dir / "caseload-two-rows.png")

        assert own_progress_numbers(page, server) == ana_pain  # Ana is the current profile
        page.get_by_role("combobox", name="Profile").click()
        page.get_by_role("option", name="Ben", exact=True).click()
        wait_idle(page)
        assert own_progress_numbers(page, server) == ben_pain

        click_nav(page, server, "caseload", "Caseload")
        upload(page, 1, newer)
        page.get_by_role("button", name="Update Ben's records").click()
        expect(page.get_by_text("Updated Ben's records: 1 new")).to_be_visible(timeout=WAIT_MS)
        wait_idle(page)
        updated = pain_cell(page, "Ben")
        assert sorted(caseload_rows(page)) == ["Ana", "Ben"]
        assert (pain_cell(page, "Ana"), updated != ben_pain) == (ana_pain, True)
        assert own_progress_numbers(page, server) == updated  # Ben is still current

        click_nav(page, server, "caseload", "Caseload")
        before = caseload_rows(page)
        upload(page, 2, damaged)
        expect(
            page.get_by_text("This file cannot be imported; nothing was changed.")
        ).to_be_visible(timeout=WAIT_MS)
        assert caseload_rows(page) == before
        assert not [p for p in problems_on_page(page) if "cannot be imported" not in p]
        full_screenshot(page, screenshots_dir / "caseload-damaged-file.png")
    finally:
        server.stop()
    with Store.open(empty) as store:
        assert sorted(p.name for p in store.list_profiles()) == ["Ana", "Ben"]
