"""Bad input in a real Chromium: a paste over a text limit arrives whole and is cut with a
message, and a number over its range stays on screen, says why and keeps Save from saving
(in the browser, a capped field ignored the whole paste and a bounded number field kept
its old value behind the new digits)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import WAIT_MS, full_screenshot, open_app, wait_idle


@pytest.mark.e2e
def test_a_paste_over_the_note_limit_is_cut_and_explained(
    page, server_factory, screenshots_dir
) -> None:
    from playwright.sync_api import expect

    server = server_factory(seeded=True)
    open_app(page, server)
    form = page.locator('[data-testid="stForm"]').filter(has_text="Pain right now")
    form.locator("label").filter(has_text="3").first.click()
    note = form.get_by_label("Note (optional)")
    note.click()
    page.keyboard.insert_text("z" * 1500)  # what a paste does: one input of all the text
    form.get_by_role("button", name="Log pain").click()
    expect(page.get_by_text("it had 1,500, so it was cut to the first 1,000")).to_be_visible(
        timeout=WAIT_MS
    )
    wait_idle(page)
    assert note.input_value() == "z" * 1000
    expect(page.get_by_text("1,000 of 1,000 characters")).to_be_visible()
    full_screenshot(page, screenshots_dir / "note-cut.png")
    form.get_by_role("button", name="Log pain").click()
    expect(page.get_by_text("Pain 3 logged.")).to_be_visible(timeout=WAIT_MS)


@pytest.mark.e2e
def test_a_hold_over_its_range_says_why_save_cannot_save(
    page, server_factory, screenshots_dir
) -> None:
    from playwright.sync_api import expect

    server = server_factory(seeded=True)
    open_app(page, server, "exercises")
    hold = page.get_by_label("Hold (seconds, 10–30)").nth(1)  # knee to chest, the second hold
    hold.fill("200")
    hold.press("Tab")
    expect(
        page.get_by_text("Hold (seconds): 200 is more than 30; allowed is 10 to 30.").first
    ).to_be_visible(timeout=WAIT_MS)
    wait_idle(page)
    assert hold.input_value() == "200", "what was typed stays on screen"
    expect(page.get_by_role("button", name="Save programme")).to_be_disabled()
    expect(page.get_by_text("Cannot save the programme yet")).to_be_visible()
    full_screenshot(page, screenshots_dir / "hold-out-of-range.png")
