"""Access through the UI (RELIABILITY.md rows 9 and 10): AppTest on app.py, no browser.

The file holds two profiles with distinctive names, notes and rating times, and links:
Quillon's limited to 2-15 Nov 2026, Brindlewood's open, and a revoked and an expired one.

* Row 10: 1,000 malformed share tokens (plus the revoked and the expired one) through
  ``?share=``, each in a fresh browser session and then all in one session; then
  hypothesis-fuzzed query strings (derandomized): arbitrary keys and values, repeated
  ``share`` keys, empty, very long and control-character values, page-looking values and
  page paths, a valid token in another parameter or an earlier ``share``, behind the
  passphrase or not. Every page must be exactly the neutral message: no name, note or id,
  no chart, table, metric, download or input widget, no page but the message's.
* Row 9: a valid link shows its profile within its dates only (also with tweaked query
  strings and page paths), with no input widget; with an owner passphrase set, every owner
  page path and tweaked query string gives the login page only (also a query string over
  Streamlit's limits, which Streamlit drops whole); no token appears in any log record
  (every logger at DEBUG, Streamlit's too) nor in the access log. The server's own output
  in a real run is checked by
  ``tests/e2e/test_sharing_browser.py::test_a_link_opens_a_read_only_dashboard_until_it_is_revoked``.

Design: a fresh ``AppTest`` per token is a fresh browser session, as a new visitor is. Most
of a fresh AppTest's time (0.1-0.3 s) is Streamlit scanning every installed package's
metadata for v2 components; the answer is the same for the whole process, so it is
computed once, and a fresh session then costs about 10 ms. The bad-token throttle runs on
a virtual clock: ``ui.access.sleep`` is replaced by a function that records each wait and
moves that clock on, so the waits are counted and none is slept.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import string
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import streamlit.components.v2.manifest_scanner as manifest_scanner
import streamlit.logger as streamlit_logger
from hypothesis import assume, given
from hypothesis import strategies as st
from streamlit import config as streamlit_config
from streamlit.runtime.state.query_params import (
    CLIENT_STATE_QUERY_STRING_MAX_FIELDS,
    CLIENT_STATE_QUERY_STRING_MAX_LENGTH,
)
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Element, UnknownElement, Widget

from core import demo
from core.db.store import Store
from core.progress.charts.pain import REFERENCE_LABELS
from core.sharing.links import QUERY_PARAM, create_link, revoke
from core.sharing.throttle import BadTokenThrottle
from tests.app.conftest import (
    APP_PATH,
    NOW,
    TIMEOUT_S,
    TODAY,
    charts_on,
    nodes,
    open_url_path,
    pages_offered,
    tables_on,
    titles,
)
from tests.app.test_sharing_pages import (
    GATED,
    OLDER_WEEKS,
    PASSPHRASE,
    open_section,
    texts_on,
    widgets_on,
)
from tests.reliability.test_bad_input import MALFORMED_TOKENS, fuzz, malformed_tokens
from ui import access, theme
from ui import dashboard as ui_dashboard
from ui.registry import OWNER_URL_PATHS

pytestmark = pytest.mark.reliability

A_NAME, B_NAME = "Quillon", "Brindlewood"
A_RECIPIENT, B_RECIPIENT = "Dr Ravensworth", "Dr Hollowmere"
RANGE = (date(2026, 11, 2), date(2026, 11, 15))  # Monday to Sunday
# (UTC moment, note): ratings at seconds the demo data never uses, with marked notes.
A_IN = (datetime(2026, 11, 10, 4, 44, 44, tzinfo=UTC), "QNOTE-inside knees fine today")
A_BEFORE = (datetime(2026, 10, 20, 5, 55, 55, tzinfo=UTC), "QNOTE-before sore after gardening")
A_AFTER = (datetime(2026, 11, 20, 6, 6, 6, tzinfo=UTC), "QNOTE-after long drive again")
B_IN = (datetime(2026, 11, 10, 3, 33, 33, tzinfo=UTC), "BNOTE-inside twinge on stairs")

NEUTRAL_PAGE = "Back on Track"
#: The one page script each kind of visitor may open: a bad link, a valid link, while locked.
NEUTRAL_SCRIPT = "views/invalid_link.py"
THERAPIST_SCRIPT = "views/therapist.py"
LOGIN_SCRIPT = "views/login.py"
NEUTRAL = [("title", NEUTRAL_PAGE), ("info", access.INVALID_LINK)]
LOCKED = "Back on Track is locked"

#: Query keys worth trying besides arbitrary text: look-alikes of ``share``, Streamlit's own,
#: and names a page could be tempted to read.
KEY_LIKE = (
    "Share",
    "SHARE",
    "share ",
    " share",
    "share[]",
    "shares",
    "share_mode",
    "share_grant",
    "share_logged_links",
    "owner_unlocked",
    "profile",
    "profile_id",
    "page",
    "page_script_hash",
    "embed",
    "embed_options",
    "token",
    "link",
    "start",
    "end",
    "range_start",
    "range_end",
    "passphrase",
    "owner_passphrase_hash",
    "",
)
#: Paths a browser could ask for: every owner page, the view scripts, made-up ones.
PAGE_LIKE = (
    "",
    "/",
    *OWNER_URL_PATHS,
    "therapist",
    "shared_progress",
    "login",
    "unlock",
    "views/today.py",
    "views/therapist.py",
    "app.py",
    "../app.py",
    "Today",
    "no_such_page",
)
CONTROL_CHARS = "".join(chr(c) for c in (*range(32), 127, *range(0x80, 0xA0))) + (
    "\u2028\u2029\u202e\u2066\ufeff\ufffd"
)
#: Placeholders the strategies draw, replaced by the fixture's real values in the test.
VALID_A, VALID_B = "{token_a}", "{token_b}"
PLACEHOLDERS = (
    VALID_A,
    VALID_B,
    "{revoked}",
    "{expired}",
    "{a_id}",
    "{b_id}",
    "{damaged_a}",
    "{passphrase}",
    "{hash}",
)
ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})")
WORD_DAY = re.compile(
    r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{1,2}) "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4})\b"
)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_scan_once = functools.cache(manifest_scanner.scan_component_manifests)


# --------------------------------------------------------------------------- fixtures


@dataclass
class VirtualTime:
    """The bad-token throttle's clock: each replaced ``sleep`` is recorded and moves it on."""

    now_s: float = 10_000.0
    waits: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now_s

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now_s += max(0.0, seconds)


@pytest.fixture(autouse=True)
def fast_sessions(monkeypatch: pytest.MonkeyPatch, fixed_clock: datetime) -> None:
    """Pin the clock (at NOW) and scan installed packages for Streamlit components once per
    process."""
    monkeypatch.setattr(manifest_scanner, "scan_component_manifests", _scan_once)


@pytest.fixture(autouse=True)
def virtual_time(monkeypatch: pytest.MonkeyPatch) -> VirtualTime:
    """The real throttle class on a virtual clock; waits are recorded, never slept."""
    time = VirtualTime()
    throttle = BadTokenThrottle(clock=time.clock)
    monkeypatch.setattr(access, "sleep", time.sleep)
    monkeypatch.setattr(access, "bad_token_throttle", lambda: throttle)
    return time


@dataclass(frozen=True)
class Shared:
    """The file's two profiles, their links, and what each kind of page must not show."""

    a_id: str
    b_id: str
    token_a: str
    token_b: str
    revoked: str
    expired: str
    everything: dict[str, str]  # what a page without a valid link must not show
    not_in_a_view: dict[str, str]  # Brindlewood's values and Quillon's outside the dates
    not_in_b_view: dict[str, str]  # Quillon's values

    def resolve(self, value: str) -> str:
        """The real value of a placeholder; any other text unchanged."""
        damaged = ("B" if self.token_a[0] != "B" else "C") + self.token_a[1:]
        real = {
            VALID_A: self.token_a,
            VALID_B: self.token_b,
            "{revoked}": self.revoked,
            "{expired}": self.expired,
            "{a_id}": self.a_id,
            "{b_id}": self.b_id,
            "{damaged_a}": damaged,
            "{passphrase}": PASSPHRASE,
            "{hash}": str(GATED["owner_passphrase_hash"]),
        }
        return real.get(value, value)

    @property
    def tokens(self) -> tuple[str, ...]:
        return (self.token_a, self.token_b, self.revoked, self.expired)


def moment_text(moment: datetime) -> str:
    """How a rating's time appears in a chart's data (the profiles' zone is UTC+0 in Nov)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


@pytest.fixture
def shared(db_path: Path) -> Shared:
    """Quillon (eight demo weeks) and Brindlewood (three), marked notes, and four links."""
    with Store.open(db_path) as store:
        a_id = demo.generate(store, seed=7, weeks=8, today=TODAY, name=A_NAME).profile_id
        b_id = demo.generate(store, seed=11, weeks=3, today=TODAY, name=B_NAME).profile_id
        for profile_id, (moment, note) in (
            (a_id, A_IN),
            (a_id, A_BEFORE),
            (a_id, A_AFTER),
            (b_id, B_IN),
        ):
            store.add_pain_rating(profile_id, 4, recorded_at=moment, note=note)
        created = NOW - timedelta(days=1)
        _, token_a = create_link(
            store, a_id, A_RECIPIENT, range_start=RANGE[0], range_end=RANGE[1], now=created
        )
        _, token_b = create_link(store, b_id, B_RECIPIENT, now=created)
        old, revoked = create_link(store, a_id, "old physio", now=created)
        assert revoke(store, a_id, old.id, now=NOW - timedelta(hours=1))
        _, expired = create_link(store, b_id, "past physio", days=14, now=NOW - timedelta(days=20))
    a_values = {
        "A name": A_NAME,
        "A id": a_id,
        "A recipient": A_RECIPIENT,
        "A note inside": A_IN[1],
        "A rating inside": moment_text(A_IN[0]),
    }
    outside = {
        "A note before": A_BEFORE[1],
        "A note after": A_AFTER[1],
        "A rating before": moment_text(A_BEFORE[0]),
        "A rating after": moment_text(A_AFTER[0]),
    }
    b_values = {
        "B name": B_NAME,
        "B id": b_id,
        "B recipient": B_RECIPIENT,
        "B note": B_IN[1],
        "B rating": moment_text(B_IN[0]),
    }
    return Shared(
        a_id=a_id,
        b_id=b_id,
        token_a=token_a,
        token_b=token_b,
        revoked=revoked,
        expired=expired,
        everything={**a_values, **outside, **b_values},
        not_in_a_view={**outside, **b_values},
        not_in_b_view={**a_values, **outside},
    )


class LogCapture(logging.Handler):
    """Every log record, formatted with its traceback if any."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    def lines_with(self, tokens: Sequence[str]) -> list[str]:
        """Captured lines holding any of ``tokens`` (those long enough to mean something)."""
        wanted = [t for t in set(tokens) if len(t) >= 12 and t.strip() == t]
        blob = "\n".join(self.lines)
        if not any(t in blob for t in wanted):
            return []
        return [line for line in self.lines if any(t in line for t in wanted)]


@pytest.fixture
def logs() -> Iterator[LogCapture]:
    """Every log record of the test, from every logger, at DEBUG.

    Streamlit's loggers do not propagate to the root, and some are made during a run, so
    the capture sits in ``Logger.callHandlers``, which every record passes once. Every
    logger is lowered to DEBUG; Streamlit resets its own to its ``logger.level`` option
    on each AppTest run, so that option reads "debug" for the test.
    """
    capture = LogCapture()
    call_handlers = logging.Logger.callHandlers
    get_option = streamlit_config.get_option

    def capturing(self: logging.Logger, record: logging.LogRecord) -> None:
        capture.handle(record)
        call_handlers(self, record)

    def debug_level(name: str) -> Any:
        return "debug" if name == "logger.level" else get_option(name)

    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    levels = {logger: logger.level for logger in loggers}
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(streamlit_config, "get_option", debug_level)
            patch.setattr(logging.Logger, "callHandlers", capturing)
            for logger in loggers:
                logger.setLevel(logging.DEBUG)
            yield capture
    finally:
        streamlit_logger.set_log_level(str(get_option("logger.level")))
        for logger, level in levels.items():
            logger.setLevel(level)


# --------------------------------------------------------------------------- pages


def open_app(
    query: Mapping[str, str | list[str]],
    *,
    path: str | None = None,
    secrets: Mapping[str, object] | None = None,
) -> AppTest:
    """A fresh browser session of app.py with this query string, optionally at a page path."""
    at = AppTest.from_file(str(APP_PATH), default_timeout=TIMEOUT_S)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    at.query_params.update(query)
    return at.run() if path is None else open_url_path(at, path)


def elements(at: AppTest) -> list[tuple[str, str]]:
    """Every element on the page in order (blocks left out), as its type and text or label."""
    found: list[tuple[str, str]] = []
    for node in nodes(at):
        if not isinstance(node, Element):
            continue
        if isinstance(node, Widget):
            found.append((node.type, str(getattr(node.proto, "label", ""))))
        elif isinstance(node, UnknownElement):
            found.append((node.type, ""))
        else:
            value = getattr(node, "value", None)
            found.append((node.type, value if isinstance(value, str) else ""))
    return found


def data_shown(at: AppTest, values: Mapping[str, str]) -> list[str]:
    """What on the page is data: any of ``values``, charts, tables, metrics, downloads,
    input widgets, a sidebar, pages other than the neutral message's."""
    text = texts_on(at)
    found = [f"text:{name}" for name, value in values.items() if value in text]
    found += ["chart"] * bool(charts_on(at))
    kinds = ("dataframe", "table", "metric", "json")
    found += [kind for kind in kinds if getattr(at, kind)]
    found += ["html"] * any(element.value != theme.PAGE_STYLE for element in at.html)
    found += ["download"] * bool(at.get("download_button"))
    found += [f"widget:{kind}" for kind in widgets_on(at)]
    found += ["sidebar"] * bool(at.sidebar.children)
    found += [f"page:{script}" for script in pages_offered(at) if script != NEUTRAL_SCRIPT]
    return found


def not_neutral(at: AppTest) -> list[str]:
    """How the page differs from the neutral message alone (an exception, another element)."""
    found = [f"exception:{e.value[:200]}" for e in at.exception]
    shown = elements(at)
    if shown != NEUTRAL:
        found.append(f"elements:{shown[:6]}")
    if (offered := pages_offered(at)) != [NEUTRAL_SCRIPT]:
        found.append(f"pages:{offered}")
    return found


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def days_in(text: str) -> list[date]:
    """Every calendar date written in ``text`` (ISO or "Mon 2 Nov 2026")."""
    found = [date(int(y), int(m), int(d)) for y, m, d in ISO_DAY.findall(text)]
    found += [date(int(y), MONTHS.index(m) + 1, int(d)) for d, m, y in WORD_DAY.findall(text)]
    return found


def record_days(at: AppTest) -> list[date]:
    """The dates of the records a view shows: chart data, table cells, week labels and note
    headings (not the header's expiry date or the caption's programme start)."""
    texts: list[str] = []
    for chart in at.get("plotly_chart"):
        for trace in json.loads(chart.proto.spec).get("data", []):
            if trace.get("name") in REFERENCE_LABELS.values():
                continue  # the published course of recovery, not a record
            for key in ("x", "text", "customdata", "hovertext"):
                texts.extend(_strings(trace.get(key)))
    for frame in tables_on(at):
        texts.extend(str(cell) for cell in frame.to_numpy().ravel())
    texts.extend(expander.label for expander in at.expander)
    texts.extend(caption.value for caption in at.caption if " · " in caption.value)
    return [day for text in texts for day in days_in(text)]


def every_section(at: AppTest) -> Iterator[AppTest]:
    """The therapist view with each of its sections open in turn (only the open one is
    built), the weekly review with every week shown: older weeks asked for until none is
    left."""
    for label in [tab.label for tab in at.tabs]:
        open_section(at, label)
        while [b for b in at.button if b.key == OLDER_WEEKS]:
            at.button(key=OLDER_WEEKS).click().run()
        yield at


def view_signature(at: AppTest) -> list[object]:
    """Everything a therapist view shows in all its sections, to compare two openings of
    one link."""
    return [
        [
            elements(section),
            [chart.proto.spec for chart in section.get("plotly_chart")],
            [frame.to_csv() for frame in tables_on(section)],
            [expander.label for expander in section.expander],
            pages_offered(section),
        ]
        for section in every_section(at)
    ]


@dataclass
class ViewCheck:
    """What one therapist view showed that it must not, and how many record dates it showed."""

    forbidden: list[str]  # on the page or in the report it offers
    days: list[date]
    outside: list[date]
    widgets: dict[str, int]


def check_view(
    at: AppTest,
    *,
    name: str,
    must_show: Sequence[str],
    forbidden: Mapping[str, str],
    reports: Sequence[str],
    dates: tuple[date, date] | None = RANGE,
) -> ViewCheck:
    """A therapist view of ``name`` in all its sections: read-only, its own values shown,
    ``forbidden`` absent from the page and from the report it offers (the last of
    ``reports``, built as its download is drawn), every record date within ``dates``."""
    texts: list[str] = []
    days: list[date] = []
    widgets: dict[str, int] = {}
    downloads: list[str] = []
    for section in every_section(at):
        assert not section.exception, [e.value for e in section.exception]
        assert titles(section) == [f"{name}'s progress"]
        assert pages_offered(section) == [THERAPIST_SCRIPT]
        assert len(section.sidebar.children) == 0
        downloads += [b.key for b in section.download_button]
        texts.append(texts_on(section))
        days += record_days(section)
        for kind, count in widgets_on(section).items():
            widgets[kind] = widgets.get(kind, 0) + count
    assert downloads == ["therapist_report"]
    text = "\n".join(texts)
    missing = [value for value in must_show if value not in text]
    assert missing == [], "the view shows its own records (the check's positive control)"
    report = reports[-1]
    return ViewCheck(
        forbidden=[key for key, value in forbidden.items() if value in text or value in report],
        days=days,
        outside=[day for day in days if dates and not dates[0] <= day <= dates[1]],
        widgets=widgets,
    )


# --------------------------------------------------------------------------- row 10


def ui_tokens(shared: Shared) -> list[str]:
    """1,000 distinct malformed tokens as a URL carries them (text), then the revoked and
    the expired one: test_bad_input's list (other types as their text), topped up with
    URL-flavoured ones."""
    real = shared.token_a
    url_flavoured = [
        f"{real}&share={shared.token_b}",
        f"share={real}",
        f"{real}#",
        f"{real}?share={real}",
        f"{real}%00",
        f"%{real}",
        "".join(f"%{ord(c):02X}" for c in real),
        real.replace("_", "%5F").replace("-", "%2D") + "%41",
        f"{real}/",
        f"/{real}",
        f"{real};",
        f"{real},{shared.token_b}",
        f"{real} {shared.token_b}",
        f"{real}\t",
        f"\u200b{real}",
        f"{real}\u200b",
        real[:-1] + "\u0410",  # Cyrillic A
        real + "\r\nSet-Cookie: x=1",
        "null",
        "undefined",
    ]
    seen: set[str] = set()
    made: list[str] = []
    for token in [*malformed_tokens(real), *url_flavoured]:
        text = token if isinstance(token, str) else str(token)
        if text not in seen and text not in shared.tokens and len(made) < MALFORMED_TOKENS:
            seen.add(text)
            made.append(text)
    assert len(made) == MALFORMED_TOKENS
    return [*made, shared.revoked, shared.expired]


def test_a_thousand_malformed_share_tokens_through_the_ui_show_no_data(
    shared: Shared, figures: dict[str, Any], virtual_time: VirtualTime, logs: LogCapture
) -> None:
    tokens = ui_tokens(shared)
    with_data: list[tuple[str, list[str]]] = []
    not_plain: list[tuple[str, list[str]]] = []

    def judge(at: AppTest, token: str) -> None:
        shown = data_shown(at, shared.everything)
        other = not_neutral(at)
        if shown:
            with_data.append((token[:60], shown))
        if other:
            not_plain.append((token[:60], other))

    # A new browser session for each token, as each visitor of a link is.
    for token in tokens:
        judge(open_app({QUERY_PARAM: token}), token)
    fresh_waits = [w for w in virtual_time.waits if w > 0]
    fresh_calls = len(virtual_time.waits)

    # One session trying every token in turn (editing the address): the throttle's case.
    virtual_time.waits.clear()
    session = AppTest.from_file(str(APP_PATH), default_timeout=TIMEOUT_S)
    for token in tokens:
        session.query_params[QUERY_PARAM] = token
        judge(session.run(), token)
    session_waits = [w for w in virtual_time.waits if w > 0]

    leaked = logs.lines_with([*tokens, *shared.tokens])
    figures.update(
        tokens_tried=len(tokens),
        malformed_tokens=MALFORMED_TOKENS,
        fresh_sessions=len(tokens),
        one_session_runs=len(tokens),
        pages_judged=2 * len(tokens),
        pages_with_data=len(with_data),
        pages_not_neutral=len(not_plain),
        throttle_checks_fresh_sessions=fresh_calls,
        throttle_waits_fresh_sessions=len(fresh_waits),
        throttle_waits_one_session=len(session_waits),
        throttle_seconds_one_session=round(sum(session_waits)),
        throttle_longest_wait_s=max(session_waits, default=0),
        log_lines_captured=len(logs.lines),
        log_lines_with_a_token=len(leaked),
    )
    assert with_data == []
    assert not_plain == []
    assert fresh_waits == [], "a fresh session's first bad token is free"
    assert len(session_waits) == len(tokens) - 3, "three are free, then every one waits"
    assert max(session_waits) == BadTokenThrottle.default_max_delay_s
    assert leaked == []


# Strategies: a query value is a placeholder, page-looking, arbitrary, control characters,
# a well-formed-looking token, or very long; a parameter may repeat (a list of values).
_values = st.one_of(
    st.sampled_from(PLACEHOLDERS),
    st.sampled_from(PAGE_LIKE),
    st.text(max_size=60),
    st.text(alphabet=CONTROL_CHARS, max_size=20),
    st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=42, max_size=44),
    st.builds(
        lambda char, size: char * size,
        st.sampled_from(["A", "%", "&", "=", "\x00", "é", "😀"]),
        st.integers(1_000, 20_000),
    ),
)
_invalid_values = _values.filter(lambda v: v not in (VALID_A, VALID_B))
_param = st.one_of(_values, st.lists(_values, max_size=3))
_keys = st.one_of(st.sampled_from(KEY_LIKE), st.text(max_size=20)).filter(
    lambda key: key != QUERY_PARAM
)
_paths = st.one_of(st.none(), st.sampled_from(PAGE_LIKE), st.text(max_size=30))


def _resolved(shared: Shared, value: str | list[str]) -> str | list[str]:
    if isinstance(value, list):
        return [shared.resolve(v) for v in value]
    return shared.resolve(value)


def _query_length(query: Mapping[str, str | list[str]]) -> int:
    """The length of the query string a browser sends for ``query`` (percent-encoded)."""
    return len(urlencode(query, doseq=True))


@fuzz(400)
@given(
    extras=st.dictionaries(_keys, _param, max_size=5),
    earlier_shares=st.lists(_values, max_size=2),
    last_share=_invalid_values,
    path=_paths,
    gated=st.booleans(),
)
def test_fuzzed_query_strings_without_a_valid_last_share_show_no_data(
    shared: Shared,
    figures: dict[str, Any],
    virtual_time: VirtualTime,
    extras: dict[str, str | list[str]],
    earlier_shares: list[str],
    last_share: str,
    path: str | None,
    gated: bool,
) -> None:
    """Streamlit reads the last ``share`` value; any query whose last one is not a valid
    token, whatever else it carries, gets the neutral message only."""
    query = {key: _resolved(shared, value) for key, value in extras.items()}
    shares = [shared.resolve(v) for v in [*earlier_shares, last_share]]
    query[QUERY_PARAM] = shares if len(shares) > 1 else shares[0]
    # Streamlit drops a query string over its limits whole (then there is no share at all):
    # test_the_passphrase_gate_cannot_be_skipped_by_path_or_query covers that case.
    assume(_query_length(query) <= CLIENT_STATE_QUERY_STRING_MAX_LENGTH)
    at = open_app(query, path=path, secrets=GATED if gated else None)

    everywhere = [
        v for value in query.values() for v in (value if isinstance(value, list) else [value])
    ]
    for key, increment in (
        ("query_strings_tried", 1),
        ("repeated_share", len(shares) > 1),
        ("valid_token_elsewhere", any(t in everywhere for t in (shared.token_a, shared.token_b))),
        ("behind_the_gate", gated),
        ("with_a_page_path", path is not None),
        ("pages_with_data", 0),
        ("pages_not_neutral", 0),
    ):
        figures[key] = figures.get(key, 0) + int(increment)
    figures["longest_query_chars"] = max(
        figures.get("longest_query_chars", 0), _query_length(query)
    )
    figures["throttle_waits_fresh_sessions"] = len([w for w in virtual_time.waits if w > 0])

    shown = data_shown(at, shared.everything)
    other = not_neutral(at)
    figures["pages_with_data"] += bool(shown)
    figures["pages_not_neutral"] += bool(other)
    assert shown == [], (query, path)
    assert other == [], (query, path)


# --------------------------------------------------------------------------- row 9

#: Query strings and page paths that try to widen a valid link: another profile, other
#: dates, an owner page, another valid token before it.
LINK_TWEAKS: tuple[tuple[dict[str, str | list[str]], str | None], ...] = (
    ({"profile": "{b_id}"}, None),
    ({"profile_id": "{b_id}", "page": "today"}, None),
    ({"start": "2026-09-01", "end": "2026-11-30"}, None),
    ({"range_start": "2026-09-01", "range_end": "2026-11-30", "from": "2026-09-01"}, None),
    ({"share_mode": "0", "owner_unlocked": "1"}, None),
    ({"share": ["{token_b}", "{token_a}"]}, None),
    ({"share": ["{revoked}", "{token_a}"], "Share": "{token_b}"}, None),
    ({}, "today"),
    ({}, "share_export"),
    ({}, "settings"),
    ({"page": "progress"}, "progress"),
)


def _link_query(shared: Shared, tweak: Mapping[str, str | list[str]]) -> dict[str, Any]:
    query: dict[str, Any] = {QUERY_PARAM: shared.token_a}
    query.update({key: _resolved(shared, value) for key, value in tweak.items()})
    return query


def test_a_link_shows_only_its_profile_and_dates_and_no_input_widget(
    shared: Shared, figures: dict[str, Any], logs: LogCapture, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports: list[str] = []  # the HTML report each view offers (built here, as on a click)
    offer = ui_dashboard.report_download

    def keep(html_text: str | Callable[[], bytes], file_name: str, label: str, *, key: str) -> None:
        reports.append(html_text if isinstance(html_text, str) else html_text().decode("utf-8"))
        offer(html_text, file_name, label, key=key)

    monkeypatch.setattr(ui_dashboard, "report_download", keep)
    own = [A_IN[1], moment_text(A_IN[0])]

    def quillon(at: AppTest) -> ViewCheck:
        return check_view(
            at, name=A_NAME, must_show=own, forbidden=shared.not_in_a_view, reports=reports
        )

    plain = open_app({QUERY_PARAM: shared.token_a})
    checks = [quillon(plain)]
    assert A_IN[1] in reports[-1], "the report holds the link's records (positive control)"
    expected = view_signature(plain)

    differing: list[str] = []
    openings = [(_link_query(shared, query), path, None) for query, path in LINK_TWEAKS] + [
        ({QUERY_PARAM: shared.token_a}, "today", GATED)
    ]
    for query, path, secrets in openings:
        at = open_app(query, path=path, secrets=secrets)
        checks.append(quillon(at))
        if view_signature(at) != expected:
            differing.append(f"{sorted(query)} at {path!r}")

    # The same session, rerun and asked for owner pages: still the same view.
    for path in OWNER_URL_PATHS:
        checks.append(quillon(open_url_path(plain, path)))
        if view_signature(plain) != expected:
            differing.append(f"same session at {path!r}")

    # Brindlewood's open link shows nothing of Quillon's.
    other = open_app({QUERY_PARAM: shared.token_b})
    checks.append(
        check_view(
            other,
            name=B_NAME,
            must_show=[B_IN[1], moment_text(B_IN[0])],
            forbidden=shared.not_in_b_view,
            reports=reports,
            dates=None,  # an open link: all her records, and the published course ahead
        )
    )

    forbidden = [name for check in checks for name in check.forbidden]
    outside = [day for check in checks for day in check.outside]
    widgets = [check.widgets for check in checks if check.widgets]
    leaked = logs.lines_with(shared.tokens)
    figures.update(
        link_views=len(checks),
        link_tweaks=len(openings) + len(OWNER_URL_PATHS),
        views_identical_to_the_plain_link=len(openings) + len(OWNER_URL_PATHS) - len(differing),
        other_profile_values_shown=len([n for n in forbidden if n.startswith("B ")]),
        out_of_range_values_shown=len([n for n in forbidden if not n.startswith("B ")]),
        record_dates_shown=sum(len(check.days) for check in checks),
        record_dates_outside_range=len(outside),
        input_widgets=sum(sum(w.values()) for w in widgets),
        reports_checked=len(reports),
        log_lines_captured=len(logs.lines),
        log_lines_with_a_token=len(leaked),
    )
    assert forbidden == []
    assert outside == []
    assert widgets == []
    assert differing == []
    assert all(check.days for check in checks[:-1]), "the range check saw the records' dates"
    assert leaked == []


#: Query strings that try to get past the passphrase: the look-alikes of ``share``, the
#: passphrase itself, the session's own keys, a page name.
GATE_QUERIES: tuple[dict[str, str], ...] = (
    {},
    {"page": "today"},
    {"profile": "{a_id}"},
    {"owner_unlocked": "1"},
    {"share_mode": "0"},
    {"passphrase": "{passphrase}"},
    {"owner_passphrase_hash": "{hash}"},
    {"Share": "{token_a}"},
    {"SHARE": "{token_b}"},
    {"share ": "{token_a}"},
    {"embed": "true", "embed_options": "show_toolbar"},
)
GATE_PATHS: tuple[str | None, ...] = (None, *PAGE_LIKE)
#: The login page's own widgets (as widgets_on names them): the passphrase form.
LOGIN_WIDGETS = frozenset({"text_input", "button", "tree:TextInput", "tree:Button", "form"})


def test_the_passphrase_gate_cannot_be_skipped_by_path_or_query(
    shared: Shared, figures: dict[str, Any], logs: LogCapture
) -> None:
    reference = open_app({}, secrets=GATED)
    login = elements(reference)
    assert titles(reference) == [LOCKED]
    assert ("text_input", "Passphrase") in login

    def judge(at: AppTest) -> list[str]:
        found = [f"exception:{e.value[:200]}" for e in at.exception]
        found += [
            k for k in data_shown(at, shared.everything) if not k.startswith(("widget", "page"))
        ]
        if elements(at) != login:
            found.append(f"elements:{elements(at)[:6]}")
        if (offered := pages_offered(at)) != [LOGIN_SCRIPT]:
            found.append(f"pages:{offered}")
        return found

    problems: list[tuple[str, str | None, list[str]]] = []
    requests = 0
    for query in GATE_QUERIES:
        real = {key: shared.resolve(value) for key, value in query.items()}
        for path in GATE_PATHS:
            requests += 1
            found = judge(open_app(real, path=path, secrets=GATED))
            if found:
                problems.append((str(sorted(query)), path, found))

    # Query strings over Streamlit's limits are dropped whole, the link with them: with a
    # passphrase set that is the login page (without one, the same page as "/").
    oversized: list[dict[str, Any]] = [
        {
            QUERY_PARAM: shared.token_a,
            "x": "A" * CLIENT_STATE_QUERY_STRING_MAX_LENGTH,
        },
        {
            QUERY_PARAM: shared.token_a,
            **{f"k{n}": "" for n in range(CLIENT_STATE_QUERY_STRING_MAX_FIELDS)},
        },
    ]
    for query in oversized:
        requests += 1
        if found := judge(open_app(query, secrets=GATED)):
            problems.append((f"oversized {len(query)} keys", None, found))

    # One session walking every path in turn, then the query strings, as a visitor would.
    walker = open_app({}, secrets=GATED)
    for path in GATE_PATHS[1:]:
        requests += 1
        if found := judge(open_url_path(walker, path)):
            problems.append(("same session", path, found))
    for query in GATE_QUERIES[1:]:
        walker.query_params.clear()
        walker.query_params.update({key: shared.resolve(value) for key, value in query.items()})
        requests += 1
        if found := judge(walker.run()):
            problems.append((f"same session {sorted(query)}", None, found))

    leaked = logs.lines_with(shared.tokens)
    figures.update(
        gate_requests=requests,
        gate_paths=len(GATE_PATHS),
        gate_query_strings=len(GATE_QUERIES),
        gate_oversized_query_strings=len(oversized),
        gate_login_only=requests - len(problems),
        gate_pages_with_data=len(problems),
        log_lines_captured=len(logs.lines),
        log_lines_with_a_token=len(leaked),
    )
    assert problems == []
    assert leaked == []


@fuzz(200)
@given(extras=st.dictionaries(_keys, _param, max_size=5), path=_paths)
def test_fuzzed_query_strings_never_open_the_gate(
    shared: Shared,
    figures: dict[str, Any],
    extras: dict[str, str | list[str]],
    path: str | None,
) -> None:
    """Without ``share``, any query string (look-alike keys carrying valid tokens, the
    passphrase, page names, control characters, very long values) and page path gives the
    login page only."""
    query = {key: _resolved(shared, value) for key, value in extras.items()}
    at = open_app(query, path=path, secrets=GATED)
    figures["gate_fuzzed"] = figures.get("gate_fuzzed", 0) + 1
    found = [f"exception:{e.value[:200]}" for e in at.exception]
    found += [k for k in data_shown(at, shared.everything) if not k.startswith(("widget", "page"))]
    found += [] if titles(at) == [LOCKED] else [f"titles:{titles(at)}"]
    offered = pages_offered(at)
    found += [] if offered == [LOGIN_SCRIPT] else [f"pages:{offered}"]
    found += [f"widget:{k}" for k in widgets_on(at) if k not in LOGIN_WIDGETS]
    figures["gate_pages_with_data"] = figures.get("gate_pages_with_data", 0) + bool(found)
    assert found == [], (query, path)


def test_no_token_in_any_log_line_or_the_access_log(
    shared: Shared, figures: dict[str, Any], logs: LogCapture, db_path: Path
) -> None:
    """Every kind of link opened, with and without the gate, rerun, and a throttled session:
    no token in any log record (DEBUG included), in the share tables, or on any page."""
    openings = 0
    pages_echoing = 0
    for secrets in (None, GATED):
        for token in (*shared.tokens, shared.token_a + "x", shared.token_a[:-1]):
            at = open_app({QUERY_PARAM: token}, secrets=secrets)
            openings += 1
            assert not at.exception
            pages_echoing += token in texts_on(at)
            at.run()  # a rerun of the same session
            openings += 1
            pages_echoing += token in texts_on(at)
    throttled = AppTest.from_file(str(APP_PATH), default_timeout=TIMEOUT_S)
    for token in (*shared.tokens[2:], shared.token_b + "x") * 3:
        throttled.query_params[QUERY_PARAM] = token
        throttled.run()
        openings += 1
        pages_echoing += token in texts_on(throttled)

    with Store.open(db_path) as store:
        stored = {
            table: repr(store.con.execute(f"SELECT * FROM {table}").fetchall())
            for table in ("share_access_log", "share_links")
        }
    leaked = logs.lines_with(shared.tokens)
    in_tables = [t for t, rows in stored.items() for token in shared.tokens if token in rows]
    figures.update(
        openings_logged=openings,
        log_lines_captured=len(logs.lines),
        tokens_searched=len(shared.tokens),
        log_lines_with_a_token=len(leaked),
        tables_with_a_token=len(in_tables),
        pages_echoing_a_token=pages_echoing,
    )
    streamlit_debug = [
        line for line in logs.lines if line.startswith("streamlit.") and " DEBUG " in line
    ]
    assert streamlit_debug, "the capture sees Streamlit's own (non-propagating) DEBUG records"
    assert stored["share_access_log"] != "[]", "the valid openings were logged"
    assert leaked == []
    assert in_tables == []
    assert pages_echoing == 0
