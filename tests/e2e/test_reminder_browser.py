"""The reminder an open tab shows at the session time, in a real headless Chromium.

An init script replaces ``Notification`` with a recorder (its permission "default" until
asked, then granted), and Playwright's clock drives the page's time, so the test jumps to the
reminder's time instead of waiting for it.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from core.db.store import Store
from core.domain.reminders import BODY, TITLE
from tests import factories
from tests.e2e.conftest import WAIT_MS, open_app, wait_idle
from tests.serving import Server, start_server

NOTIFICATIONS = """
(() => {
  const rec = (window.__notes = { requested: 0, shown: [] });
  class Recorder {
    constructor(title, options) {
      rec.shown.push({ title, body: options.body, tag: options.tag, wall_ms: Date.now() });
    }
  }
  Recorder.permission = window.__testPermission || "default";
  Recorder.requestPermission = async () => {
    rec.requested += 1;
    Recorder.permission = "granted";
    return "granted";
  };
  window.Notification = Recorder;
})();
"""
PLAN = "window.__botReminder && typeof window.__botReminder.at_ms === 'number'"


def reminder_server(tmp_path: Path, name: str, *, on: bool, at: time, done: bool) -> Server:
    """A server on a profile (in London) whose reminder is ``on`` at ``at``; with a session
    done a minute ago when ``done``."""
    db_path = tmp_path / f"{name}.duckdb"
    with Store.open(db_path) as store:
        profile = factories.profile(store)
        store.update_profile(profile.id, reminder_on=on, reminder_time=at)
        if done:
            when = datetime.now(UTC) - timedelta(minutes=1)
            factories.session(store, profile, when, [("bridge", "none", "done")])
    return start_server(db_path, tmp_path)


def two_minutes_ahead() -> tuple[time, float]:
    """A London time of day two minutes or less ahead (whole minutes), and its instant in ms."""
    london = datetime.now(ZoneInfo("Europe/London")) + timedelta(minutes=2)
    due = london.replace(second=0, microsecond=0)
    return due.time(), due.timestamp() * 1000


@pytest.mark.e2e
def test_a_reminder_asks_permission_on_turning_it_on_and_comes_once_unless_done_today(
    page, tmp_path: Path
) -> None:
    """Settings asks for the permission only when the toggle is turned on; the tab then
    shows one notification at the set time. A profile whose session today is done gets
    none: its tab plans tomorrow's instead."""
    at, due_ms = two_minutes_ahead()
    page.clock.install()
    page.add_init_script(NOTIFICATIONS)
    server = reminder_server(tmp_path, "off", on=False, at=at, done=False)
    try:
        open_app(page, server, "settings")
        permission = page.locator(".bot-permission")
        expect(permission).to_contain_text("not asked yet", timeout=WAIT_MS)
        assert page.evaluate("window.__notes.requested") == 0
        page.locator(".st-key-settings_reminder_on label").click()
        page.wait_for_function("window.__notes.requested === 1")
        expect(permission).to_contain_text("allowed", timeout=WAIT_MS)
        page.wait_for_function(PLAN)
        wait_idle(page)
        assert page.evaluate("window.__botReminder.at_ms") == due_ms
        assert page.evaluate("window.__notes.shown") == []
        page.clock.fast_forward(int(due_ms - page.evaluate("Date.now()")) + 1000)
        page.wait_for_function("window.__notes.shown.length > 0")
        shown = page.evaluate("window.__notes.shown")
        assert [(s["title"], s["body"]) for s in shown] == [(TITLE, BODY)]
        assert shown[0]["wall_ms"] >= due_ms
        page.clock.fast_forward(60_000)
        assert len(page.evaluate("window.__notes.shown")) == 1
    finally:
        server.stop()

    done_server = reminder_server(tmp_path, "done", on=True, at=at, done=True)
    try:
        page.add_init_script("window.__testPermission = 'granted';")
        open_app(page, done_server, "")
        page.wait_for_function(PLAN)
        # Today's session is done: the next reminder is tomorrow's, and today's time (the
        # page's clock is past it since the first part) passes without one.
        assert page.evaluate("window.__botReminder.at_ms") == due_ms + 24 * 3600 * 1000
        assert page.evaluate("Date.now()") > due_ms
        assert page.evaluate("window.__notes.shown") == []
        assert page.evaluate("window.__notes.requested") == 0
    finally:
        done_server.stop()
