"""Every page on the demo database, and clear messages instead of tracebacks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import core.domain.catalog
from core.db.store import Store
from core.demo import generate
from core.domain.catalog import CatalogError
from tests.app.conftest import errors, titles

OWNER_PAGES = (
    "views/today.py",
    "views/exercises.py",
    "views/session.py",
    "views/progress.py",
    "views/weekly_review.py",
    "views/share_export.py",
    "views/settings.py",
    "views/setup.py",
)


@pytest.fixture
def demo_db(db_path: Path) -> Path:
    with Store.open(db_path) as store:
        generate(store, seed=7, today=date(2026, 11, 24))
    return db_path


@pytest.mark.parametrize("page", OWNER_PAGES)
def test_every_page_runs_on_the_demo_database(new_app, demo_db: Path, page: str) -> None:
    at = new_app()
    assert titles(at) == ["Hello, Sam"]
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, errors(at)


def test_a_damaged_catalogue_shows_its_error_not_a_traceback(
    new_app, demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> None:
        raise CatalogError("exercise 'bridge' (#14): dosage.hold_s must be 0 or more, got -5")

    monkeypatch.setattr(core.domain.catalog, "default_catalog", broken)
    monkeypatch.setattr("ui.state.default_catalog", broken)
    at = new_app()
    at.switch_page("views/exercises.py").run()
    assert not at.exception
    assert errors(at) == [
        "**The exercise list is damaged**\n\n"
        "exercise 'bridge' (#14): dosage.hold_s must be 0 or more, got -5"
    ]
