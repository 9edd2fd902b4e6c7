"""Crash: the server is killed with SIGKILL in the middle of a guided session, 10 times at
random moments (seeded), and restarted on the same file each time.

Each cycle: start the server, open the Session page in a fresh browser context, resume the
unfinished session ("Resume where I stopped") or start one, do a random number of holds and
repetitions, then kill the server at a random moment (idle, just after a click, or while a
hold is running). After each kill:

* the file (copied with its ``.wal``, so the next start still sees what the kill left) opens,
  and the set records form the plan's prefix, in plan order, all "done";
* every hold or repetition the page had confirmed before the kill is there (the page's
  progress is the expected minimum), and nothing that was never done;
* the counts only ever grow from one cycle to the next;
* the next server starts on the file and its ``.wal`` leftovers, and its Session page offers
  to resume with the same count.
"""

from __future__ import annotations

import random
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from core.db.store import Store
from core.domain.catalog import default_catalog
from core.domain.models import ProgrammeItem
from core.domain.session_plan import build_plan
from tests import factories
from tests.e2e.conftest import WAIT_MS
from tests.reliability.browser import (
    POLL_MS,
    new_page,
    open_page,
    problems,
    start_server,
    stop_server,
)
from tests.reliability.conftest import ARTIFACTS

pytestmark = [pytest.mark.reliability, pytest.mark.e2e]

CRASHES = 10
SEED = 20261124
CLICK_MS = 15_000
PROGRAMME = [
    ProgrammeItem("prone-cobras", 2, 2),  # two 2 s holds with a 3 s rest between
    ProgrammeItem("supine-core", 20, 0),  # tapped repetitions
    ProgrammeItem("side-to-side", 30, 0),
]
PLAN = build_plan([(default_catalog().get(i.exercise_id), i) for i in PROGRAMME])
STEPS = len(PLAN)
# "Session N% done" -> recorded steps (N is round(done / STEPS * 100): distinct per count).
PERCENT_TO_DONE = {round(done / STEPS * 100): done for done in range(STEPS + 1)}
assert len(PERCENT_TO_DONE) == STEPS + 1

# What the Session page shows, once the run has finished and the screen differs from
# ``previous`` (a signature; "" accepts any): a dict, or false until then.
SESSION_STATE_JS = """(previous) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const text = document.body.innerText;
  const problem = !!document.querySelector(
    '[data-testid="stException"], [data-testid="stAlertContentError"]');
  const pct = text.match(/Session (\\d+)% done/);
  const unfinished = text.match(/(\\d+) of (\\d+) holds and repetitions done/);
  const buttons = Array.from(document.querySelectorAll('button')).map(b => b.innerText.trim());
  const state = {
    problem,
    percent: pct ? Number(pct[1]) : null,
    unfinished: unfinished ? Number(unfinished[1]) : null,
    tap: buttons.some(b => b.startsWith('Done · rep')),
    resume_offer: buttons.includes('Resume where I stopped'),
    paused: buttons.includes('Resume'),
    start: buttons.includes('Start session'),
    start_enabled: Array.from(document.querySelectorAll('button')).some(
      b => b.innerText.trim() === 'Start session' && !b.disabled),
    summary: buttons.includes('Save session'),
  };
  // Streamlit draws a run's elements one by one: a screen is read only once it is whole.
  const runner = buttons.some(b => b.includes('This hurts'));
  if (!problem) {
    if (state.resume_offer && state.unfinished === null) return false;
    if (runner && state.percent === null) return false;
    if (!(state.resume_offer || state.start || state.summary || runner)) return false;
  }
  state.signature = JSON.stringify(state);
  return state.signature === previous ? false : state;
}"""

# Wait until the page shows more done than ``before`` (or a screen that needs an answer).
PROGRESSED_JS = """(before) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stException"], [data-testid="stAlertContentError"]'))
    return 'problem';
  const text = document.body.innerText;
  if (text.includes('Save session')) return 'summary';
  const pct = text.match(/Session (\\d+)% done/);
  return pct && Number(pct[1]) > before ? 'progressed' : false;
}"""


def _state(page: Any, previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """The settled Session page; with ``previous``, wait until it differs from that."""
    signature = "" if previous is None else previous["signature"]
    handle = page.wait_for_function(
        SESSION_STATE_JS, arg=signature, polling=POLL_MS, timeout=WAIT_MS
    )
    return dict(handle.json_value())


def _seed(db_path: Path) -> str:
    with Store.open(db_path) as store:
        profile = factories.profile(store, programme_start=date(2026, 11, 2), programme=PROGRAMME)
        store.update_profile(profile.id, lead_in_s=0)
        return profile.id


def _recorded(db_path: Path, scratch: Path, profile_id: str) -> dict[str, Any]:
    """Open a copy of the file (with its .wal) and read the sessions and set records.

    A copy, so the next server start still meets the .wal exactly as the kill left it.
    """
    for old in scratch.glob("copy.duckdb*"):
        old.unlink()
    copy = scratch / "copy.duckdb"
    shutil.copy2(db_path, copy)
    wal = db_path.with_name(db_path.name + ".wal")
    if wal.exists():
        shutil.copy2(wal, copy.with_name(copy.name + ".wal"))
    with Store.open(copy) as store:
        sessions = factories.sessions_of(store, profile_id)
        running = [s for s in sessions if s.status == "in_progress"]
        sets = store.set_records(profile_id, running[0].id) if running else []
        return {
            "sessions": len(sessions),
            "running": len(running),
            "finished": len(sessions) - len(running),
            "sets": [(r.step_index, r.exercise_id, r.side, r.status) for r in sets],
            "befores": int((store.pain_ratings(profile_id)["kind"] == "before").sum()),
        }


def _consistent(sets: list[tuple[int, str, str, str]]) -> bool:
    """The records are the plan's first steps, in order, each as planned and done."""
    return all(
        (index, PLAN[index].exercise_id, PLAN[index].side, "done") == record
        for index, record in enumerate(sets)
    )


def _press(locator: Any) -> bool:
    """Click; False if the element kept moving or was replaced for CLICK_MS (a rerun under
    load re-renders it), so the caller reads the page again instead of failing."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        locator.click(timeout=CLICK_MS)
    except PlaywrightTimeout:
        return False
    return True


def _get_going(page: Any, figures: dict[str, int]) -> dict[str, Any]:
    """From whatever the Session page shows, get to a running session; return its state.

    Every click is followed by a wait for a different screen, so a state read before the
    click's rerun reached the browser is never taken for its result.
    """
    state = _state(page)
    for _ in range(12):  # bounded: each branch moves one screen on
        if state["problem"] or (state["percent"] is not None and not state["paused"]):
            return state
        if state["resume_offer"]:
            pressed = _press(page.get_by_role("button", name="Resume where I stopped"))
            figures["resumed"] += pressed
        elif state["paused"]:
            pressed = _press(page.get_by_role("button", name="Resume", exact=True))
        elif state["summary"]:
            page.locator('[data-testid="stRadio"]').last.get_by_text("2", exact=True).click()
            page.get_by_role("button", name="Save session").click()
            page.locator("h1", has_text="Hello").wait_for(timeout=WAIT_MS)
            page.locator('[data-testid="stSidebarNav"] a[href$="/session"]').click()
            page.locator("h1", has_text="Session").wait_for(timeout=WAIT_MS)
            figures["sessions_completed"] += 1
            pressed = True
        elif state["start"] and not state["start_enabled"]:
            pressed = _press(
                page.locator('[data-testid="stRadio"]').last.get_by_text("3", exact=True)
            )
        elif state["start"]:
            pressed = _press(page.get_by_role("button", name="Start session"))
            figures["sessions_started"] += pressed
        else:
            pressed = False  # a screen still drawing: read it again
        state = _state(page, state if pressed else None)
    return state


def _step(page: Any, state: dict[str, Any]) -> dict[str, Any]:
    """Do one hold or repetition: tap, or let a timed phase run out; wait for the page."""
    for _ in range(3):  # bounded: a press can miss a button that a rerun is redrawing
        if state["tap"] and not _press(page.locator("button", has_text="Done · rep")):
            state = _state(page)
            continue
        page.wait_for_function(
            PROGRESSED_JS, arg=state["percent"], polling=POLL_MS, timeout=WAIT_MS
        )
        return _state(page)
    raise AssertionError(f"could not press 'Done' on {state}")


def test_ten_sigkills_mid_session_lose_no_completed_hold_and_resume(
    chromium, tmp_path: Path, figures
) -> None:
    rng = random.Random(SEED)
    db_path = tmp_path / "crash.duckdb"
    wal = db_path.with_name(db_path.name + ".wal")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    profile_id = _seed(db_path)
    counts = {"resumed": 0, "sessions_started": 0, "sessions_completed": 0}
    figures.update(crashes_planned=CRASHES, plan_steps=STEPS, seed=SEED)
    history: list[dict[str, Any]] = []
    problems_seen: list[str] = []
    wal_at_restart = 0
    resume_offers_matching = 0
    running_at_restart = checked_only = 0
    previous = {"done": 0, "finished": 0, "running": 0}

    def report() -> None:
        figures.update(
            crashes_survived=len(history),
            restarts_with_wal_leftover=wal_at_restart,
            restarts_with_a_running_session=running_at_restart,
            resume_offers_matching_the_file=resume_offers_matching,
            holds_and_reps_recorded=previous["done"],
            holds_recorded=min(previous["done"], sum(step.kind == "hold" for step in PLAN)),
            confirmed_then_lost=sum(max(0, h["confirmed"] - h["in_file"]) for h in history),
            in_flight_at_kill_and_kept=sum(max(0, h["in_file"] - h["confirmed"]) for h in history),
            errors_reaching_a_user=len(problems_seen),
            **counts,
        )

    try:
        for cycle in range(CRASHES + 1):
            wal_at_restart += wal.exists()
            running_at_restart += previous["running"]
            server = start_server(db_path, tmp_path)
            page = new_page(chromium)
            moment, confirmed = "none", 0
            try:
                open_page(page, server, "session")
                first = _state(page)
                # A session that was running when the server died is offered for resuming,
                # with exactly the count the file holds.
                assert first["resume_offer"] == bool(previous["running"]), (cycle, first)
                if first["resume_offer"]:
                    assert first["unfinished"] == previous["done"], (cycle, first, previous)
                    resume_offers_matching += 1
                if cycle == CRASHES:  # the restart after the last kill: check, then stop
                    problems_seen += problems(page)
                    checked_only = previous["running"]
                    break
                state = _get_going(page, counts)
                assert not state["problem"], problems(page)
                confirmed = PERCENT_TO_DONE[state["percent"]]
                for _ in range(rng.randint(0, 5)):
                    state = _step(page, state)
                    if state["problem"] or state["summary"]:
                        break
                    confirmed = PERCENT_TO_DONE[state["percent"]]
                problems_seen += problems(page)
                # The random moment: idle, right after a click, or while a timer runs.
                moment = rng.choice(["idle", "after a click", "timer"])
                if moment != "idle" and state.get("tap"):
                    page.locator("button", has_text="Done · rep").click(no_wait_after=True)
                if moment != "idle":
                    page.wait_for_timeout(rng.uniform(0, 1500))  # the crash moment, not a wait
            except Exception:
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                shot = ARTIFACTS / f"crash-cycle-{cycle}-FAILED.png"
                page.screenshot(path=str(shot), full_page=True)
                raise
            finally:
                if cycle < CRASHES and server.proc.poll() is None:
                    server.proc.kill()  # SIGKILL
                    server.proc.wait(timeout=60)
                stop_server(server)  # the last one gracefully; a no-op for a killed one
                page.context.close()
            after = _recorded(db_path, scratch, profile_id)
            done = len(after["sets"]) if after["running"] else 0
            history.append(
                {
                    "cycle": cycle,
                    "moment": moment,
                    "confirmed": confirmed,
                    "in_file": done,
                    "sessions": after["sessions"],
                }
            )
            assert _consistent(after["sets"]), (cycle, after["sets"])
            assert after["running"] <= 1 and after["befores"] == after["sessions"]
            if after["finished"] == previous["finished"]:
                assert confirmed <= done <= confirmed + 2, history[-1]
                assert done >= previous["done"], history  # never shrinks
            previous = {"done": done, "finished": after["finished"], "running": after["running"]}
            print(f"cycle {cycle}: {history[-1]}", flush=True)
    finally:
        report()

    logs = "\n".join(path.read_text(errors="replace") for path in tmp_path.glob("streamlit-*.log"))
    final = _recorded(db_path, scratch, profile_id)
    print("crash history:", history)
    assert len(history) == CRASHES
    assert problems_seen == []
    assert "Traceback" not in logs, logs[-3000:]
    # Every running session met at a restart was resumed (the last restart only checks).
    assert counts["resumed"] == running_at_restart - checked_only
    # Stopped gracefully after the last restart: the file holds what the last kill left.
    assert (len(final["sets"]) if final["running"] else 0) == previous["done"]
