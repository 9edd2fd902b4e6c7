"""Concurrent browser sessions: 8 Playwright browser contexts (8 Streamlit sessions) against
one real ``streamlit run`` server, all writing at the same time.

* **One profile**: every session logs WRITES pain check-ins through the Today form, all for
  the same profile.
* **A profile each**: the file holds 8 profiles; every session picks its own in the sidebar,
  logs WRITES - WRITES // 2 check-ins through the Today form, then runs a session on the
  Session page and taps WRITES // 2 repetitions (one set record each).

WRITES is ``$RELIABILITY_BROWSER_WRITES``: by default 50, the issue's full 8 x 50 in each
variant; a smaller number makes a quicker local run.

The sessions advance in rounds: each submits, then the test waits for each page to settle,
so up to eight script runs are in flight in the server at once. Afterwards the server is
stopped and the file read: every write is there exactly once, for the right profile, and no
page ever showed an error element.
"""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from core.db.store import Store
from core.domain.models import ProgrammeItem
from tests import factories
from tests.e2e.conftest import WAIT_MS
from tests.reliability.browser import (
    CHECKIN_SETTLED_JS,
    TAP_SETTLED_JS,
    choose_profile,
    new_page,
    open_page,
    problems,
    running_server,
    send_checkin,
    settle,
)

pytestmark = [pytest.mark.reliability, pytest.mark.e2e]

SESSIONS = 8
WRITES = int(os.environ.get("RELIABILITY_BROWSER_WRITES", "50"))
TAPS = WRITES // 2
REPS_EXERCISE = "side-to-side"  # counted repetitions (tapped), no holds, no rests


def _seed(db_path: Path, names: list[str]) -> dict[str, str]:
    """Profiles by name, each with a programme of TAPS tapped repetitions and no lead-in."""
    with Store.open(db_path) as store:
        ids = {}
        for name in names:
            profile = factories.profile(
                store,
                name=name,
                programme_start=date(2026, 11, 2),
                programme=[ProgrammeItem(REPS_EXERCISE, max(TAPS, 1), 0)],
            )
            store.update_profile(profile.id, lead_in_s=0)
            ids[name] = profile.id
        return ids


def _note(session: int, number: int) -> str:
    return f"session {session} check-in {number} <b>'); --"


def _run_checkins(pages: list[Any], count: int, seen: list[str]) -> int:
    """Every page logs ``count`` check-ins, in rounds; returns how many the pages confirmed."""
    confirmed = 0
    for number in range(count):
        for session, page in enumerate(pages):
            send_checkin(page, pain=(session + number) % 8, note=_note(session, number))
        for page in pages:
            outcome = settle(page, CHECKIN_SETTLED_JS)
            if outcome == "saved":
                confirmed += 1
            else:
                seen.extend(problems(page))
    return confirmed


def _run_sets(pages: list[Any], seen: list[str]) -> int:
    """Every page starts a session and taps through its TAPS repetitions, in rounds."""
    for page in pages:
        page.locator('[data-testid="stSidebarNav"] a[href$="/session"]').click()
        page.locator('[data-testid="stRadio"]').filter(has_text="0").first.wait_for()
        page.locator("h1", has_text="Session").wait_for(timeout=WAIT_MS)
    for page in pages:
        page.locator('[data-testid="stRadio"]').last.get_by_text("2", exact=True).click()
        page.get_by_role("button", name="Start session").click()
    for page in pages:
        if settle(page, TAP_SETTLED_JS, f"rep 1 of {TAPS}") != "saved":
            seen.extend(problems(page))
    confirmed = 0
    for rep in range(1, TAPS + 1):
        for page in pages:
            page.get_by_role("button", name=f"Done · rep {rep} of {TAPS}").click()
        expected = f"rep {rep + 1} of {TAPS}" if rep < TAPS else "Session done"
        for page in pages:
            if settle(page, TAP_SETTLED_JS, expected) == "saved":
                confirmed += 1
            else:
                seen.extend(problems(page))
    return confirmed


@pytest.mark.parametrize("profiles", ["one profile", "a profile each"])
def test_eight_browser_sessions_write_at_once_and_every_write_lands_once(
    profiles: str, chromium, tmp_path: Path, figures
) -> None:
    names = ["Ann"] if profiles == "one profile" else [f"P{n}" for n in range(SESSIONS)]
    db_path = tmp_path / "browsers.duckdb"
    ids = _seed(db_path, names)
    checkins_each = WRITES if profiles == "one profile" else WRITES - TAPS
    seen: list[str] = []
    confirmed_checkins = confirmed_sets = 0
    started = time.monotonic()
    with running_server(db_path, tmp_path) as server:
        pages = [new_page(chromium) for _ in range(SESSIONS)]
        try:
            for session, page in enumerate(pages):
                open_page(page, server)
                if len(names) > 1:
                    choose_profile(page, names[session])
            confirmed_checkins = _run_checkins(pages, checkins_each, seen)
            if len(names) > 1:
                confirmed_sets = _run_sets(pages, seen)
            for page in pages:
                seen.extend(problems(page))
        finally:
            for page in pages:
                page.context.close()
        server_log = server.log()

    with Store.open(db_path) as store:
        rows = store.con.execute(
            "SELECT profile_id, note, pain FROM pain_ratings WHERE kind = 'checkin'"
        ).fetchall()
        sets = store.con.execute(
            "SELECT profile_id, session_id, step_index, status FROM set_records"
        ).fetchall()

    expected_checkins = {
        (ids[names[0] if len(names) == 1 else names[s]], _note(s, n), (s + n) % 8)
        for s in range(SESSIONS)
        for n in range(checkins_each)
    }
    stored_checkins = [tuple(row) for row in rows]
    expected_sets = SESSIONS * TAPS if len(names) > 1 else 0
    figures.update(
        browser_sessions=SESSIONS,
        writes_per_session=WRITES,
        profiles=len(names),
        writes_attempted=SESSIONS * checkins_each + expected_sets,
        checkins_attempted=SESSIONS * checkins_each,
        checkins_stored=len(stored_checkins),
        sets_attempted=expected_sets,
        sets_stored=len(sets),
        writes_confirmed_on_screen=confirmed_checkins + confirmed_sets,
        duplicates=len(stored_checkins) - len(set(stored_checkins)),
        errors_reaching_a_user=len(seen),
        seconds=round(time.monotonic() - started),  # information only, never asserted
    )
    assert seen == [], seen[:5]
    assert "Traceback" not in server_log, server_log[-3000:]
    assert len(stored_checkins) == len(set(stored_checkins)), "a check-in was stored twice"
    assert set(stored_checkins) == expected_checkins
    if len(names) > 1:
        by_profile: dict[str, list[tuple[int, str]]] = {}
        for profile_id, _session_id, step, status in sets:
            by_profile.setdefault(profile_id, []).append((step, status))
        assert {p: sorted(v) for p, v in by_profile.items()} == {
            ids[name]: [(step, "done") for step in range(TAPS)] for name in names
        }
    assert confirmed_checkins + confirmed_sets == SESSIONS * checkins_each + expected_sets
