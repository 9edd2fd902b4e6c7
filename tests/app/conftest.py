"""AppTest helpers: build the app from the repo root, whatever directory pytest runs from.

The page scripts live in ``views/``, not ``pages/``: Streamlit treats a folder named
``pages/`` next to the entry point as a v1 multipage app, which bypasses ``st.navigation``
(in a real server until the root URL is opened once, and in AppTest on every run).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Node
from streamlit.util import calc_hash

from core.domain import explain
from core.domain.safety import TIER_ACTION, TIERS, signs_of
from tests.conftest import REPO_ROOT
from ui.dashboard import CHART_DATA_CLASS
from ui.registry import SCRIPTS

APP_PATH = REPO_ROOT / "app.py"
TIMEOUT_S = 60
#: When the pages believe it is, for tests that pin the clock: a Tuesday evening in London
#: (UTC+0 in November), the last day of the demo data the tests generate.
NOW = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
TODAY = NOW.date()
#: Where a fake clock starts: that Tuesday morning.
CLOCK_START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.fixture
def new_app(db_path: object) -> Callable[[], AppTest]:
    """A factory of fresh AppTests of app.py on the test's database (already run once)."""

    def make() -> AppTest:
        return AppTest.from_file(str(APP_PATH), default_timeout=TIMEOUT_S).run()

    return make


@pytest.fixture
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Pages read the time from ``ui.clock``: pin it at NOW (so the demo's last day is today
    and links expire when the test says)."""
    monkeypatch.setattr("ui.clock.now", lambda: NOW)
    return NOW


class FakeClock:
    """The time the pages read: starts at CLOCK_START and moves only when told to."""

    def __init__(self) -> None:
        self.now = CLOCK_START

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def fake_clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """A FakeClock in place of ``ui.clock.now`` for the whole test."""
    fake = FakeClock()
    monkeypatch.setattr("ui.clock.now", lambda: fake.now)
    return fake


def open_url_path(at: AppTest, url_path: str) -> AppTest:
    """Run the session as a browser asking for ``http://host/<url_path>``, and return it.

    The one place a test sets a private AppTest attribute, because streamlit 1.67's AppTest
    has no public way to do this: ``switch_page`` takes a script and refuses any script the
    current navigation does not list, while a browser can ask for any address (a deep link,
    an owner page while locked or through a share link, a made-up path). ``st.Page`` hashes
    its url path, so the request is the hash of the path, kept in ``_page_hash`` until
    ``switch_page`` or this function sets another.
    """
    at._page_hash = calc_hash(url_path)
    return at.run()


def pages_offered(at: AppTest) -> list[str]:
    """The page scripts (of ui/registry.py) the last run's navigation lets the session open.

    AppTest keeps the navigation's pages to itself, but its public ``switch_page`` refuses
    (ValueError) every script the navigation does not list, so each script is tried. One
    that is accepted becomes the page the session's next run asks for, as following its
    link would: for a navigation of one page, the page the session is already on.
    """
    offered = []
    for script in SCRIPTS:
        try:
            at.switch_page(script)
        except ValueError:
            continue
        offered.append(script)
    return offered


def nodes(at: AppTest) -> list[Node]:
    """Every node of the page, blocks and elements, in order: AppTest iterates its whole
    element tree (main body, sidebar and event block)."""
    return list(at)


def callouts(at: AppTest) -> list[str]:
    """The texts of every success, info, warning and error box, in that order."""
    return [e.value for e in [*at.success, *at.info, *at.warning, *at.error]]


def charts_on(at: AppTest) -> int:
    return len(at.get("plotly_chart"))


#: The Progress page's sections (its tabs), in order; only the open one is drawn.
PROGRESS_SECTIONS = ("Summary", "Days and exercises", "Check-ins")


def open_progress_section(at: AppTest, label: str) -> AppTest:
    """The Progress page with its section ``label`` open, as a click on its tab does."""
    at.session_state["progress_section"] = label
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def charts_by_section(at: AppTest) -> dict[str, int]:
    """The charts each section of the Progress page draws (it is left on the first)."""
    counts = {label: charts_on(open_progress_section(at, label)) for label in PROGRESS_SECTIONS}
    open_progress_section(at, PROGRESS_SECTIONS[0])
    return counts


def titles(at: AppTest) -> list[str]:
    return [title.value for title in at.title]


def errors(at: AppTest) -> list[str]:
    return [error.value for error in at.error]


def page_links(at: AppTest) -> list[str]:
    """The url path of the page every st.page_link on the page points to."""
    return [link.proto.page for link in at.get("page_link")]


class _TableReader(HTMLParser):
    """Every ``<table>`` of an HTML text as rows of cell texts (header row first)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.tables:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def read_tables(html_text: str) -> list[pd.DataFrame]:
    """The tables of an HTML text as the browser shows them: every cell as text."""
    reader = _TableReader()
    reader.feed(html_text)
    return [pd.DataFrame(rows[1:], columns=rows[0]) for rows in reader.tables if rows]


def tables_on(at: AppTest) -> list[pd.DataFrame]:
    """Every table the page draws (``st.html`` tables, and any ``st.table``/``st.dataframe``
    values as text), but the charts' data tables (:func:`chart_tables_on`)."""
    found = [
        table
        for element in at.html
        if CHART_DATA_CLASS not in element.value
        for table in read_tables(element.value)
    ]
    found += [frame.value.astype(str) for frame in [*at.dataframe, *at.table]]
    return found


def chart_tables_on(at: AppTest) -> list[pd.DataFrame]:
    """The data table of every chart on the page, in the page's order."""
    return [
        table
        for element in at.html
        if CHART_DATA_CLASS in element.value
        for table in read_tables(element.value)
    ]


def assert_both_tiers_listed(at: AppTest) -> None:
    """The shared warning-sign block is on the page: both headings with their action, every
    sign under its own, and the stay-active advice (never "rest")."""
    texts = [m.value for m in at.markdown]
    for tier in TIERS:
        heading = texts.index(f"**{TIER_ACTION[tier]} if you have:**")
        assert texts[heading + 1] == "\n".join(f"- {sign.text}" for sign in signs_of(tier))
    assert explain.STAY_ACTIVE in [info.value for info in at.info]
