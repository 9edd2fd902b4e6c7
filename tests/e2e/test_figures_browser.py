"""The exercise figures in a real headless Chromium: they move, reduced motion and print show
the two still frames instead, the session's figure follows the exercise and side, and the
report shows every figure with the network blocked.

"Moves" is seen, not read from the markup: the figure's image is screenshotted until it
looks different (the test waits for that, and fails if it never happens). Screenshots at
1280 px and 390 px go to ``artifacts/screenshots``.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from core import demo
from core.db.store import Store
from core.domain.catalog import default_catalog
from core.domain.models import ProgrammeItem
from core.progress.report import build_report
from tests.e2e.conftest import WAIT_MS, SessionServer, full_screenshot, open_app, wait_idle
from tests.e2e.test_session_browser import start_session, wait_for_countdown

pytestmark = pytest.mark.e2e

CATALOG = default_catalog()
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
TABS = {"flexibility": "Flexibility (1–9)", "strength": "Strength (10–17)"}
#: Each figure's images, how the page shows them now: class, display and drawn size.
IMAGES_JS = """
(selector) => [...document.querySelectorAll(selector)].map((img) => {
  const box = img.getBoundingClientRect();
  return { css: img.className, display: getComputedStyle(img).display,
           width: box.width, height: box.height, complete: img.complete,
           natural: img.naturalWidth };
})
"""


def wait_until_it_moves(locator, timeout_s: float = WAIT_MS / 1000) -> None:
    """Wait until the element looks different from how it first looked (each screenshot is
    a fresh look at the page; the deadline only turns "never" into a failure)."""
    deadline = time.monotonic() + timeout_s
    first = _look(locator, deadline)
    while _look(locator, deadline) == first:
        assert time.monotonic() < deadline, "the figure never changed: it does not move"


def _look(locator, deadline: float) -> bytes:
    """A screenshot of the element, taken again if the page swapped the element for a new
    one while it was being taken (the session's figure is replaced at each phase's deadline
    and again when the server redraws it)."""
    from playwright.sync_api import Error

    while True:
        try:
            return locator.screenshot()
        except Error as error:
            if "not attached" not in str(error) or time.monotonic() >= deadline:
                raise


def open_exercise(page, exercise_id: str) -> None:
    """Open the tab and the expander of an exercise on the Exercises page, and wait for its
    figure's images to be loaded (the page draws an expander's content once it opens)."""
    exercise = CATALOG.get(exercise_id)
    page.get_by_role("tab", name=TABS[exercise.group]).click()
    summary = page.get_by_text(f"{exercise.number}. {exercise.name}", exact=True)
    summary.click()
    page.wait_for_function(
        "(s) => { const i = [...document.querySelectorAll(s)];"
        " return i.length === 2 && i.every((img) => img.complete && img.naturalWidth > 0); }",
        arg=f".st-key-figure_{exercise_id} img",
        timeout=WAIT_MS,
    )


def test_every_figure_on_the_exercises_page_moves(page, seeded_server, screenshots_dir) -> None:
    open_app(page, seeded_server, "exercises")
    full_screenshot(page, screenshots_dir / "figures_exercises_laptop.png")
    for exercise in CATALOG:
        open_exercise(page, exercise.id)
        figure = page.locator(f".st-key-figure_{exercise.id} img.bot-fig-move")
        expect(figure).to_be_visible(timeout=WAIT_MS)
        wait_until_it_moves(figure)
        if exercise.id in ("bridge", "side-bridge"):
            figure.scroll_into_view_if_needed()
            page.screenshot(path=str(screenshots_dir / f"figures_{exercise.id}_laptop.png"))
    page.set_viewport_size(PHONE)
    wait_idle(page)
    page.locator(".st-key-figure_bird-dog").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots_dir / "figures_exercises_phone.png"))


@pytest.mark.parametrize("media", ["reduced-motion", "print"])
def test_reduced_motion_and_print_show_the_two_still_frames(
    page, seeded_server, screenshots_dir, media: str
) -> None:
    if media == "print":
        page.emulate_media(media="print")
    else:
        page.emulate_media(reduced_motion="reduce")
    open_app(page, seeded_server, "exercises")
    # Every figure: the moving image is not shown, its still pair is.
    for exercise in CATALOG:
        open_exercise(page, exercise.id)
        images = page.evaluate(IMAGES_JS, f".st-key-figure_{exercise.id} img")
        shown = {image["css"]: image["display"] for image in images}
        assert shown == {"bot-fig-move": "none", "bot-fig-pair": "block"}, exercise.id
        (pair,) = [image for image in images if image["css"] == "bot-fig-pair"]
        assert pair["width"] > 100 and pair["height"] > 20, exercise.id
    pair = page.locator(".st-key-figure_bridge img.bot-fig-pair")
    pair.scroll_into_view_if_needed()
    # Still: two looks at it are the same picture.
    assert pair.screenshot() == pair.screenshot()
    pair.screenshot(path=str(screenshots_dir / f"figures_pair_{media}.png"))


SESSION = [ProgrammeItem("knee-to-chest", 1, 10), ProgrammeItem("hamstring-stretch", 1, 10)]


def wait_for_figure(page, exercise: str, mode: str, side: str) -> None:
    expect(page.locator(".st-key-session_figure .bot-fig")).to_have_attribute(
        "data-figure", exercise, timeout=WAIT_MS
    )
    selector = (
        f'.st-key-session_figure .bot-fig[data-figure="{exercise}"][data-mode="{mode}"]'
        f'[data-side="{side}"]'
    )
    page.wait_for_selector(selector, timeout=WAIT_MS)


@pytest.mark.parametrize(("size", "viewport"), [("laptop", LAPTOP), ("phone", PHONE)])
def test_the_session_figure_shows_the_current_exercise_side_and_phase(
    page, session_server, screenshots_dir, size: str, viewport: dict[str, int]
) -> None:
    app: SessionServer = session_server(SESSION, lead_in_s=4)
    page.set_viewport_size(viewport)
    open_app(page, app.server, "session")
    start_session(page, pain=1)

    wait_for_countdown(page, "c.phase === 'get_ready'")
    wait_for_figure(page, "knee-to-chest", "still_start", "right")
    still = page.locator(".st-key-session_figure img.bot-fig-still")
    expect(still).to_be_visible(timeout=WAIT_MS)
    page.screenshot(path=str(screenshots_dir / f"figures_session_ready_{size}.png"))

    wait_for_countdown(page, "c.phase === 'hold'")
    wait_for_figure(page, "knee-to-chest", "into_hold", "right")
    moving = page.locator(".st-key-session_figure img.bot-fig-move")
    expect(moving).to_be_visible(timeout=WAIT_MS)
    wait_until_it_moves(moving)
    page.screenshot(path=str(screenshots_dir / f"figures_session_hold_{size}.png"))

    wait_for_countdown(page, "c.phase === 'hold' && c.sub === 'Left side'")
    wait_for_figure(page, "knee-to-chest", "into_hold", "left")
    wait_for_countdown(page, "c.phase === 'get_ready' && c.sub.includes('Hamstring')")
    # The wait is the check: the figure now changes at the deadline in the browser, so a
    # second look after it may already find the hold that follows.
    wait_for_figure(page, "hamstring-stretch", "still_start", "right")
    wait_idle(page)
    assert page.locator(".st-key-hurts button").bounding_box()["y"] < viewport["height"]


def test_the_session_hold_shows_the_two_frames_with_reduced_motion(page, session_server) -> None:
    app: SessionServer = session_server(SESSION[:1], lead_in_s=2)
    page.emulate_media(reduced_motion="reduce")
    open_app(page, app.server, "session")
    start_session(page, pain=1)
    wait_for_countdown(page, "c.phase === 'hold'")
    wait_for_figure(page, "knee-to-chest", "into_hold", "right")
    images = page.evaluate(IMAGES_JS, ".st-key-session_figure img")
    assert {image["css"]: image["display"] for image in images} == {
        "bot-fig-move": "none",
        "bot-fig-pair": "block",
    }


def test_the_report_shows_every_figure_with_the_network_blocked(
    browser_context, tmp_path: Path, screenshots_dir
) -> None:
    store = Store.open(":memory:")
    try:
        profile_id = demo.generate(
            store, seed=7, weeks=8, today=date(2026, 11, 24), name="Ann"
        ).profile_id
        report = build_report(store, store.get_profile(profile_id), today=date(2026, 11, 24))
    finally:
        store.con.close()
    path = tmp_path / "report.html"
    path.write_text(report, encoding="utf-8")
    asked: list[str] = []

    def block(route) -> None:
        if route.request.url == path.as_uri():
            route.continue_()
        else:
            asked.append(route.request.url)
            route.abort()

    browser_context.route("**/*", block)
    page = browser_context.new_page()
    for size, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.goto(path.as_uri(), wait_until="load")
        # The exercise table: the one whose rows hold figures (charts' data tables do not).
        table = page.locator("table", has=page.locator("tbody tr svg")).first
        rows = table.locator("tbody tr")
        figures = table.locator("tbody tr svg")
        assert rows.count() > 5 and figures.count() == rows.count()
        for index in range(figures.count()):
            box = figures.nth(index).bounding_box()
            assert box and box["width"] > 50 and box["height"] > 10, index
            label = figures.nth(index).get_attribute("aria-label") or ""
            name = rows.nth(index).locator("td").first.inner_text().strip()
            assert label.startswith(f"{name}, "), (label, name)
        table.screenshot(path=str(screenshots_dir / f"figures_report_table_{size}.png"))
    assert asked == [], "the report asked for something from outside"
