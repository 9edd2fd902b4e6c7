"""Accessibility and phones in a real Chromium: axe-core over every page, owner (the
passphrase login page included) and therapist (each section of the view), light and dark;
the phone-width fixes; charts that follow a theme switch; a whole session by keyboard alone.

One server with eight demo weeks serves every page test of this file, and one with an owner
passphrase set the login page. The axe results of each page go to the test output (the
terminal summary, with or without ``-s``) and to ``tests/output/axe-results.txt``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from core import demo
from core.db.store import Store
from core.domain.models import ProgrammeItem
from core.sharing import links
from tests.app.test_sharing_pages import FAST_HASH
from tests.e2e.axe import AXE_VERSION, RESULTS, Violation, run_axe, summary_row
from tests.e2e.conftest import (
    SCREENSHOTS,
    SECRETS_FILES_VARIABLE,
    WAIT_MS,
    full_screenshot,
    open_app,
    problems_on_page,
    wait_idle,
)
from tests.e2e.test_session_browser import records_of
from tests.serving import Server, start_server
from ui.theme import CAPTION_OPACITY

pytestmark = pytest.mark.e2e

OWNER_PAGES = (
    "",
    "exercises",
    "session",
    "progress",
    "weekly_review",
    "share_export",
    "records",
    "settings",
    "setup",
)
PLOT = ".js-plotly-plot .main-svg"
RESULTS_FILE = Path(__file__).resolve().parent.parent / "output" / "axe-results.txt"


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    """A server on eight demo weeks for Ann, and the address of a share link to them."""
    workdir = tmp_path_factory.mktemp("a11y")
    db_path = workdir / "demo.duckdb"
    with Store.open(db_path) as store:
        demo.generate(store, seed=7, weeks=8, name="Ann")
        (profile,) = store.list_profiles()
        _, token = links.create_link(store, profile.id, "Dr Lee")
    with start_server(db_path, workdir) as server:
        yield server, f"{server.url}/?share={token}"


@pytest.fixture(scope="module")
def locked_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with an owner passphrase set: every owner address shows the login page."""
    workdir = tmp_path_factory.mktemp("a11y-locked")
    secrets = workdir / "secrets.toml"
    secrets.write_text(f"owner_passphrase_hash = {json.dumps(FAST_HASH)}\n")
    env = {SECRETS_FILES_VARIABLE: str(secrets)}
    with start_server(workdir / "locked.duckdb", workdir, extra_env=env) as server:
        yield server


#: The sections after the first of the pages drawn in sections (tabs): only the open one
#: is built and drawn.
SECTIONS_AFTER_THE_FIRST = {
    "progress": ("Days and exercises", "Check-ins"),
    "therapist": ("Days and exercises", "Check-ins", "Weekly review", "Report"),
}


def new_context(chromium, scheme: str, width: int):
    context = chromium.new_context(
        viewport={"width": width, "height": 900},
        color_scheme=scheme,
        timezone_id="Europe/London",
    )
    context.set_default_timeout(WAIT_MS)
    context.set_default_navigation_timeout(WAIT_MS)
    return context


def settle(page) -> None:
    """Wait for the run to finish, the page's own style to apply and every chart to be drawn.

    The style arrives as an element of its own and can land after the captions it restyles
    have been drawn in Streamlit's fainter grey.
    """
    wait_idle(page)
    page.wait_for_function(
        """opacity => Array.from(document.querySelectorAll('[data-testid="stCaptionContainer"]'))
                   .every(c => getComputedStyle(c).opacity === opacity)""",
        arg=CAPTION_OPACITY,
        timeout=WAIT_MS,
    )
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
                   .every(c => c.querySelector('.main-svg'))""",
        timeout=WAIT_MS,
    )


def tables_open(page, label: str) -> list[Violation]:
    """Open every chart's data table of the section shown, run axe, record it as ``label``
    and return the violations that are ours. Each table is sent when it is opened (a
    rerun): they are opened one by one."""
    toggles = page.get_by_text("The chart's data as a table")
    for opened in range(1, toggles.count() + 1):
        toggles.nth(opened - 1).click()
        page.wait_for_function(
            "n => document.querySelectorAll('.bot-chart-data').length >= n",
            arg=opened,
            timeout=WAIT_MS,
        )
    wait_idle(page)
    found = run_axe(page)
    record(label, found)
    return [v for v in found if v.ours]


def record(label: str, violations: list[Violation]) -> None:
    line = summary_row(label, violations)
    RESULTS.append(line)
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS_FILE.open("a") as out:
        out.write(line + "\n")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation_of_ours_on_any_page(
    chromium, demo_site: tuple[Server, str], locked_site: Server, scheme: str
) -> None:
    server, share_url = demo_site
    if scheme == "light":
        RESULTS_FILE.unlink(missing_ok=True)
        RESULTS.append(f"axe-core {AXE_VERSION}, WCAG 2.1 A and AA, at 1280 px")
    context = new_context(chromium, scheme, 1280)
    page = context.new_page()
    ours: dict[str, list[Violation]] = {}
    try:
        visits = [(path or "today", f"{server.url}/{path}") for path in OWNER_PAGES]
        visits += [("therapist", share_url), ("invalid link", f"{server.url}/?share=nothing")]
        visits += [("login", f"{locked_site.url}/progress")]
        for name, url in visits:
            page.goto(url, wait_until="domcontentloaded")
            settle(page)
            assert problems_on_page(page) == [], name
            found = run_axe(page)
            record(f"{name} ({scheme})", found)
            ours[name] = [v for v in found if v.ours]
            if name == "login":
                assert page.locator("h1").all_inner_texts() == ["Back on Track is locked"]
                full_screenshot(page, SCREENSHOTS / f"a11y-login-{scheme}-1280.png")
            if name in SECTIONS_AFTER_THE_FIRST:
                # The charts' data tables too, open: real tables, readable in this theme.
                ours[f"{name}, tables open"] = tables_open(page, f"{name}, tables open ({scheme})")
                full_screenshot(page, SCREENSHOTS / f"a11y-{name}-{scheme}-1280.png")
                for section in SECTIONS_AFTER_THE_FIRST[name]:
                    page.get_by_role("tab", name=section).click()
                    page.get_by_role("tab", name=section, selected=True).wait_for()
                    # The section before, with its tables open, is gone once the run is over.
                    page.wait_for_function(
                        "() => !document.querySelector('.bot-chart-data')", timeout=WAIT_MS
                    )
                    settle(page)
                    assert problems_on_page(page) == [], section
                    found = run_axe(page)
                    record(f"{name}, {section} ({scheme})", found)
                    ours[f"{name}, {section}"] = [v for v in found if v.ours]
                    label = f"{name}, {section}, tables open"
                    ours[label] = tables_open(page, f"{label} ({scheme})")
                    slug = section.lower().replace(" ", "-")
                    full_screenshot(page, SCREENSHOTS / f"a11y-{name}-{slug}-{scheme}-1280.png")
    finally:
        context.close()
    assert {name: found for name, found in ours.items() if found} == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_at_phone_width_tables_say_they_scroll_and_nothing_is_cut_off(
    chromium, demo_site: tuple[Server, str], scheme: str
) -> None:
    server, share_url = demo_site
    context = new_context(chromium, scheme, 390)
    page = context.new_page()
    try:
        page.goto(share_url, wait_until="domcontentloaded")
        settle(page)
        page.get_by_role("tab", name="Weekly review").click()
        wait_idle(page)
        weeks = page.get_by_role("region", name="Weeks")
        # The therapist's weekly table: whole inside its scrolling box, the box inside the
        # screen, saying it scrolls, and reachable by keyboard.
        box = weeks.evaluate(
            """(e) => ({scroll: e.scrollWidth, client: e.clientWidth,
                        right: e.getBoundingClientRect().right,
                        cue: getComputedStyle(e, '::before').content,
                        tab: e.tabIndex})"""
        )
        assert box["scroll"] > box["client"], "11 columns are wider than a phone"
        assert box["right"] <= 390
        assert "Scroll sideways" in box["cue"]
        assert box["tab"] == 0
        weeks.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("(e) => e.scrollLeft > 0", arg=weeks.element_handle())
        full_screenshot(page, SCREENSHOTS / f"a11y-therapist-weeks-{scheme}-390.png")
        # No page wider than the phone; the chart toolbar is not drawn over the legends.
        open_app(page, server, "progress")
        settle(page)
        widths = page.evaluate(
            """() => ({page: document.documentElement.scrollWidth,
                       toolbars: Array.from(document.querySelectorAll('.modebar-container'))
                         .filter(e => getComputedStyle(e).display !== 'none').length})"""
        )
        assert widths == {"page": 390, "toolbars": 0}
        full_screenshot(page, SCREENSHOTS / f"a11y-progress-{scheme}-390.png")
    finally:
        context.close()


#: Each chart's paper and text colours (their luminance, 0-255) and whether it names black
#: (the light theme's lines) or its dark-theme stand-in; null while a run is going or a chart
#: is not drawn.
CHART_COLOURS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return null;
  const charts = Array.from(document.querySelectorAll('.js-plotly-plot'));
  if (!charts.length || !charts.every(g => g._fullLayout)) return null;
  const luminance = (colour) => {
    const probe = document.createElement('span');
    probe.style.color = colour;
    document.body.appendChild(probe);
    const [r, g, b] = getComputedStyle(probe).color.match(/[\\d.]+/g).map(Number);
    probe.remove();
    return Math.round(0.299 * r + 0.587 * g + 0.114 * b);
  };
  return charts.map(g => {
    const own = (JSON.stringify(g.data) + JSON.stringify(g.layout)).toLowerCase();
    return {paper: luminance(g._fullLayout.paper_bgcolor),
            text: luminance(g._fullLayout.font.color),
            black: own.includes('#000000'), stand_in: own.includes('#e6e6e6')};
  });
}"""


def switch_theme(page, name: str) -> None:
    """Choose Light or Dark in the app menu (top right), as a person does."""
    page.get_by_test_id("stMainMenuButton").click()
    page.get_by_test_id(f"stMainMenuItem-theme-{name}").click()
    page.keyboard.press("Escape")


def charts_drawn_for(page, scheme: str) -> list[dict[str, object]]:
    """Wait until every chart is drawn in ``scheme``'s colours; their colours."""
    dark = scheme == "dark"
    page.wait_for_function(
        f"""() => {{ const charts = ({CHART_COLOURS})();
          return charts !== null && charts.every(c => (c.paper < 128) === {str(dark).lower()}
            && c.black === {str(not dark).lower()}); }}""",
        timeout=WAIT_MS,
    )
    return page.evaluate(CHART_COLOURS)


def test_charts_follow_a_theme_switch_in_the_menu_without_a_reload(
    chromium, demo_site: tuple[Server, str]
) -> None:
    _, share_url = demo_site
    context = new_context(chromium, "light", 1280)
    page = context.new_page()
    try:
        page.goto(share_url, wait_until="domcontentloaded")
        settle(page)
        light = charts_drawn_for(page, "light")
        page.evaluate("() => { window.notReloaded = true; }")
        switch_theme(page, "Dark")
        dark = charts_drawn_for(page, "dark")
        assert page.evaluate("() => window.notReloaded === true")
        switch_theme(page, "Light")
        again = charts_drawn_for(page, "light")
    finally:
        context.close()
    # Light: light paper, dark text, the black lines. Dark: the reverse, black swapped for
    # its light stand-in (the weekly target line and the pain chart's 7-day average).
    assert [(c["paper"] > 200, c["text"] < 160, c["black"]) for c in light] == [(True,) * 3] * 2
    assert [(c["paper"] < 60, c["text"] > 200, c["stand_in"]) for c in dark] == [(True,) * 3] * 2
    assert again == light


#: One 10 s hold: time to pause and resume it by keyboard on a busy machine.
KEYBOARD_PROGRAMME = [ProgrammeItem("bridge", 1, 10)]


def focused(page) -> str:
    """The focused element's tag, role and text, for assertion messages."""
    return page.evaluate(
        """() => { const e = document.activeElement;
                   return `${e.tagName} ${e.getAttribute('role') || ''} ${e.innerText || ''}`
                     .slice(0, 80); }"""
    )


#: The focused element's name (its label's text for a radio) and whether its focus shows:
#: an outline or a ring (box shadow) on it, or on its label for a radio (whose input
#: Streamlit hides).
FOCUS = """() => {
  const e = document.activeElement;
  const shown = e.type === 'radio' ? e.closest('label') : e;
  const s = getComputedStyle(shown);
  const name = e.type === 'radio' ? shown.innerText : e.getAttribute('aria-label') || e.innerText;
  return {name: (name || '').trim(),
          visible: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                   || s.boxShadow !== 'none'};
}"""


def tab_to(page, name: str, most: int = 60) -> None:
    """Press Tab until the element named ``name`` has focus, and check that its focus shows;
    fail after ``most`` presses."""
    for _ in range(most):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS)
        if state["name"] == name:
            assert state["visible"], f"no visible focus on {name!r}"
            return
    raise AssertionError(f"Tab never reached {name!r}; last focus: {focused(page)}")


CHECKED = """(number) => {
  const e = document.activeElement;
  return e.type === 'radio' && e.checked && e.closest('label').innerText.trim() === number;
}"""


def choose_by_keyboard(page, pain: int) -> None:
    """On a focused 0-10 radio group: Space picks 0, each right arrow the next number; the
    focus stays on the scale while each choice reruns the page."""
    page.keyboard.press(" ")
    page.wait_for_function(CHECKED, arg="0", timeout=WAIT_MS)
    for number in range(1, pain + 1):
        page.keyboard.press("ArrowRight")
        page.wait_for_function(CHECKED, arg=str(number), timeout=WAIT_MS)
    wait_idle(page)
    assert page.evaluate(FOCUS)["name"] == str(pain), "focus stays on the scale over reruns"


def test_a_whole_session_by_keyboard_alone(chromium, session_server) -> None:
    from playwright.sync_api import expect

    app = session_server(KEYBOARD_PROGRAMME, lead_in_s=2)
    context = new_context(chromium, "light", 1280)
    page = context.new_page()
    try:
        open_app(page, app.server, "session")
        tab_to(page, "0")  # pain before: the 0-10 scale
        choose_by_keyboard(page, 3)
        # The button is enabled by the run the choice started (a disabled one takes no Tab).
        expect(page.get_by_role("button", name="Start session")).to_be_enabled()
        wait_idle(page)
        tab_to(page, "Start session")
        page.keyboard.press("Enter")
        page.get_by_role("button", name="Pause").wait_for(timeout=WAIT_MS)
        wait_idle(page)
        # While the countdown runs: pause and resume it from the keyboard.
        tab_to(page, "Pause")
        page.keyboard.press("Enter")
        page.get_by_role("button", name="Resume").wait_for(timeout=WAIT_MS)
        wait_idle(page)
        tab_to(page, "Resume")
        page.keyboard.press(" ")
        page.get_by_role("heading", name="Session done").wait_for(timeout=WAIT_MS)
        wait_idle(page)
        tab_to(page, "0")  # pain after
        choose_by_keyboard(page, 2)
        expect(page.get_by_role("button", name="Save session")).to_be_enabled()
        wait_idle(page)
        tab_to(page, "Save session")
        page.keyboard.press("Enter")
        page.get_by_role("heading", name="Hello, Ann").wait_for(timeout=WAIT_MS)
        wait_idle(page)
    finally:
        context.close()
    with app.stop_and_open_store() as store:
        sessions, sets, pain = records_of(store, app.profile_id)
    assert [s.status for s in sessions] == ["completed"]
    assert [(r.exercise_id, r.kind, r.status) for r in sets] == [("bridge", "hold", "done")]
    assert [(int(p), k) for p, k in zip(pain["pain"], pain["kind"], strict=True)] == [
        (3, "before"),
        (2, "after"),
    ]
