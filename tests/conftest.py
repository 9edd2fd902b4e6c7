"""Fixtures every test layer shares: a database (in memory or a fresh file), clean Streamlit
caches, and a profile in a file (records themselves are built by tests/factories.py).

Streamlit caches (``st.cache_resource``, ``st.cache_data``) are process-wide, so AppTest runs
in one pytest process would otherwise share the cached DuckDB connection of an earlier test.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st

from core.db.store import Store
from core.domain.catalog import default_catalog
from core.domain.models import Profile, ProgrammeItem
from tests import factories

REPO_ROOT = Path(__file__).resolve().parent.parent


def clear_streamlit_caches() -> None:
    """Empty ``st.cache_resource`` (the app's DuckDB connection) and ``st.cache_data``."""
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture(autouse=True)
def clean_streamlit_caches(request: pytest.FixtureRequest) -> Iterator[None]:
    """Clear Streamlit's process-wide caches before and after every test.

    After a test that used ``db_path`` (an app test), a garbage collection also drops the
    cached DuckDB connection and the AppTest objects that point at its session cursor, so
    the file is closed before the next test. Only there: it costs ~0.1 s a test.
    """
    clear_streamlit_caches()
    yield
    clear_streamlit_caches()
    if "db_path" in request.fixturenames:
        gc.collect()


@pytest.fixture
def store() -> Iterator[Store]:
    """A fresh in-memory database for one test, closed when the test ends."""
    with Store.open(":memory:") as store:
        yield store


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh (not yet created) DuckDB file that the app under test will use."""
    path = tmp_path / "test.duckdb"
    monkeypatch.setenv("BACKONTRACK_DB", str(path))
    return path


def make_profile(path: Path | str, **fields: Any) -> Profile:
    """A profile (``factories.profile`` with ``fields``) in the database file, closed again.

    Opening a file this process already has open (the app's cached connection) is fine:
    DuckDB hands out a new connection to the same database instance.
    """
    with Store.open(path) as store:
        return factories.profile(store, **fields)


def short_preset_items() -> list[ProgrammeItem]:
    """The "short" preset's items, as the catalogue defines them."""

    return list(default_catalog().presets["short"].items)


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """One headless Debian Chromium for the whole run, shared by every browser layer.

    It lives here, once: Playwright's sync API refuses a second instance in the same
    process, so the e2e and reliability layers must not each start their own.
    """
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: the browser tests need Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
