"""The session coach in a real headless Chromium: speech, tones, the wake lock and vibration.

An init script (``RECORDERS``) replaces ``speechSynthesis.speak``, ``getVoices``,
``navigator.wakeLock.request`` and ``navigator.vibrate`` with recorders that note every call
on the page's wall clock, and counts the oscillators started; the tests compare those calls
with the holds the server recorded. Nothing here reads the product's own bookkeeping
(``window.__botCoach``) for a measurement.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from playwright.sync_api import expect

from core.domain.models import ProgrammeItem
from tests.e2e.conftest import WAIT_MS, SessionServer, click_nav, open_app
from tests.e2e.test_session_browser import (
    ACCURACY_S,
    TWO_EXERCISES,
    records_of,
    save_session,
    start_session,
    wait_for_summary,
    wait_for_visibility,
)

ONE_HOLD = [ProgrammeItem("bridge", 1, 3)]
LEAD_IN_S = 5

RECORDERS = """
(() => {
  if (window.__rec) return;
  const rec = (window.__rec = { speech: [], wake: [], vibrate: [], oscillators: 0 });
  const wall = () => Date.now();
  // "local" (the default) offers one voice of this device; "remote" only a network voice.
  const kind = window.__botTestVoices || "local";
  const voices = [{ name: "Test voice", lang: "en-GB", default: true, voiceURI: "test",
    localService: kind === "local" }];
  class Utterance { constructor(text) { this.text = text; this.volume = 1; this.voice = null; } }
  window.SpeechSynthesisUtterance = Utterance;
  const synth = window.speechSynthesis;
  synth.getVoices = () => voices;
  synth.speak = (u) => rec.speech.push({
    text: u.text, wall_ms: wall(), volume: u.volume, voice: u.voice && u.voice.name,
    visibility: document.visibilityState,
  });
  synth.cancel = () => {};
  // Like a browser's, a lock held is let go when the tab is hidden.
  const held = new Set();
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") held.forEach((sentinel) => sentinel.release());
  });
  const wakeLock = {
    request: async (type) => {
      const entry = { type, taken_wall_ms: wall(), released_wall_ms: null };
      rec.wake.push(entry);
      const listeners = [];
      const sentinel = {
        type, released: false,
        addEventListener: (name, fn) => { if (name === "release") listeners.push(fn); },
        release: async function () {
          if (this.released) return;
          this.released = true;
          held.delete(this);
          entry.released_wall_ms = wall();
          listeners.forEach((fn) => fn());
        },
      };
      held.add(sentinel);
      return sentinel;
    },
  };
  Object.defineProperty(navigator, "wakeLock", { value: wakeLock, configurable: true });
  Navigator.prototype.vibrate = function (pattern) {
    rec.vibrate.push({ pattern, wall_ms: wall() });
    return true;
  };
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function () {
    rec.oscillators += 1;
    return start.apply(this, arguments);
  };
})();
"""


def wall_ms(moment: datetime) -> float:
    return moment.timestamp() * 1000


def recorded(page) -> dict[str, Any]:
    return page.evaluate("window.__rec")


def expected_cues(sets: list[Any], lead_in_s: float) -> list[tuple[str, float]]:
    """What the coach should say for TWO_EXERCISES and when, from the recorded holds.

    Bridge: 2 holds of 3 s with a 3 s rest; prone bridge: 1 hold of 5 s. A 3 s hold counts
    "2" and "1" only ("3" would fall on "hold" at its start).
    """
    first, second, third = ((wall_ms(r.started_at), wall_ms(r.completed_at)) for r in sets)
    # The get-ready before the first hold began lead_in_s before it.
    return [
        ("Bridge", first[0] - lead_in_s * 1000),
        ("Hold", first[0]),
        ("2", first[0] + 1000),
        ("1", first[0] + 2000),
        ("Rest", first[1]),
        ("Last one, hold", second[0]),
        ("2", second[0] + 1000),
        ("1", second[0] + 2000),
        ("Prone bridge", second[1]),
        ("Last one, hold", third[0]),
        ("3", third[0] + 2000),
        ("2", third[0] + 3000),
        ("1", third[0] + 4000),
        ("Well done", third[1]),
    ]


@pytest.mark.e2e
def test_the_coach_speaks_a_session_in_order_and_on_time_also_from_a_hidden_tab(
    backgroundable_context, session_server, capsys
) -> None:
    """Every utterance of a two-exercise session, in order, each within 0.5 s of its deadline
    (placed from the holds the server recorded); the tab is behind another one from the first
    hold's count to the second exercise's get-ready. The wake lock is taken at the start,
    taken again when the tab shows again (the browser drops it when hidden) and released at
    the end; the device vibrates at each hold's end."""
    context = backgroundable_context
    app: SessionServer = session_server(TWO_EXERCISES, lead_in_s=LEAD_IN_S, voice_on=True)
    context.add_init_script(RECORDERS)
    page = context.pages[0]
    open_app(page, app.server, "session")
    clicked_start = page.evaluate("Date.now()")
    start_session(page, pain=3)

    page.wait_for_function("window.__rec.speech.some((s) => s.text === 'Hold')")
    other = context.new_page()
    wait_for_visibility(page, "hidden")
    page.wait_for_function(
        "window.__rec.speech.some((s) => s.text === 'Prone bridge')", polling=100
    )
    shown_again = page.evaluate("Date.now()")
    page.bring_to_front()
    wait_for_visibility(page, "visible")
    other.close()
    wait_for_summary(page)
    log = recorded(page)
    fired = page.evaluate("window.__botCoach")  # only to explain a failure
    save_session(page)
    with app.stop_and_open_store() as store:
        _, sets, _ = records_of(store, app.profile_id)

    expected = expected_cues(sets, lead_in_s=LEAD_IN_S)
    said = log["speech"]
    assert [s["text"] for s in said] == [text for text, _ in expected], fired
    assert all(s["voice"] == "Test voice" and s["volume"] == 0.8 for s in said)
    lines = ["cue               late_ms  tab"]
    for (text, due), utterance in zip(expected, said, strict=True):
        lines.append(f"{text:<16} {utterance['wall_ms'] - due:>+8.0f}  {utterance['visibility']}")
    with capsys.disabled():
        print("\nCoach utterances vs their deadlines (Chromium, page wall clock):")
        print("\n".join(lines))
    hidden = [s for s in said if s["visibility"] == "hidden"]
    assert len(hidden) >= 5, "\n".join(lines)
    # The first announcement too: the get-ready starts as its countdown is sent.
    for (_, due), utterance in zip(expected, said, strict=True):
        assert abs(utterance["wall_ms"] - due) <= ACCURACY_S * 1000, "\n".join(lines)

    # The lock was taken once the session started, let go with the hidden tab, taken again
    # when it showed, and let go when the session ended; nothing holds it.
    locks = log["wake"]
    assert locks and locks[0]["taken_wall_ms"] >= clicked_start
    assert locks[0]["released_wall_ms"] is not None and len(locks) == 2, locks
    assert locks[1]["taken_wall_ms"] >= shown_again, locks
    assert all(lock["released_wall_ms"] is not None for lock in locks), locks
    assert locks[-1]["released_wall_ms"] >= wall_ms(sets[-1].completed_at) - 100
    ends = [wall_ms(r.completed_at) for r in sets]
    assert len(log["vibrate"]) == len(ends)
    for buzz, end in zip(log["vibrate"], ends, strict=True):
        assert abs(buzz["wall_ms"] - end) <= ACCURACY_S * 1000, (buzz, end)


@pytest.mark.e2e
def test_tones_stand_in_without_a_local_voice_and_nothing_is_said_with_the_voice_off(
    page, session_server
) -> None:
    """With only a network voice the coach says nothing and plays a tone for each cue; with
    the voice off in the profile it says nothing either, and plays only the end-of-hold
    sound."""
    # A 5 s get-ready: its announcement (said when the page first shows the session, which
    # can take a second or two on a loaded machine) is still inside it.
    voiced: SessionServer = session_server(ONE_HOLD, lead_in_s=5, voice_on=True)
    port = voiced.url.rsplit(":", 1)[1].strip("/")
    page.add_init_script(
        f"window.__botTestVoices = location.port === '{port}' ? 'remote' : 'local';"
    )
    page.add_init_script(RECORDERS)
    open_app(page, voiced.server, "session")
    start_session(page, pain=3)
    wait_for_summary(page)
    remote_only = recorded(page)
    remote_fired = page.evaluate("window.__botCoach")  # only to explain a failure
    save_session(page)

    quiet: SessionServer = session_server(ONE_HOLD, lead_in_s=5, voice_on=False)
    open_app(page, quiet.server, "session")
    start_session(page, pain=3)
    wait_for_summary(page)
    voice_off = recorded(page)
    off_fired = page.evaluate("window.__botCoach")  # only to explain a failure

    # One 3 s bridge hold: "Bridge", "Hold", "2", "1", "Well done" as tones (the two
    # announcements and "well done" as two notes each, the counts as one), plus the end beep:
    # 2 + 2 + 1 + 1 + 2 + 1 = 9 oscillators.
    assert remote_only["speech"] == []
    assert remote_only["oscillators"] == 9, remote_fired
    # The voice off: only the end-of-hold sound, as before the coach.
    assert voice_off["speech"] == []
    assert voice_off["oscillators"] == 1, off_fired
    # Both pages still held the screen on during the session and let it go after.
    assert voice_off["wake"] and voice_off["wake"][-1]["released_wall_ms"] is not None


# Each change of the countdown's phase, with the heading's side line at that same instant.
FOLLOW = """
(() => {
  if (window.__follow) return;
  const seen = (window.__follow = []);
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    new MutationObserver(() => {
      const box = root.querySelector(".bot-countdown");
      const label = document.querySelector(".st-key-session_label p");
      if (!box || !label) return;
      const phase = box.className.replace("bot-countdown", "").trim();
      const last = seen[seen.length - 1];
      if (!last || last.phase !== phase || last.label !== label.innerText) {
        seen.push({ phase, label: label.innerText, wall_ms: Date.now() });
      }
    }).observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
    return root;
  };
})();
"""


@pytest.mark.e2e
def test_the_side_changes_with_the_countdown_and_end_asks_first(page, session_server) -> None:
    """Side bridge, one 5 s hold a side: from the first frame of "Switch sides" the line under
    the heading names the left side (it used to say "right" until the server's next render).
    Then "End session" asks first: "No" keeps the session, "Yes" ends it, and the summary
    is a plain table."""
    app: SessionServer = session_server([ProgrammeItem("side-bridge", 1, 5)], lead_in_s=2)
    page.add_init_script(FOLLOW)
    open_app(page, app.server, "session")
    start_session(page, pain=3)
    wait_for_summary(page)
    frames = page.evaluate("window.__follow")
    switching = [f for f in frames if f["phase"] == "switch_side"]
    assert switching, frames
    assert all(f["label"].endswith("left side") for f in switching), frames
    holds = [f for f in frames if f["phase"] == "hold"]
    assert holds[0]["label"].endswith("right side") and holds[-1]["label"].endswith("left side")
    save_session(page)

    open_app(page, app.server, "session")
    start_session(page, pain=3)
    page.get_by_role("button", name="End session").click()
    page.get_by_role("button", name="No, keep going").click()
    expect(page.get_by_role("button", name="Yes, end the session")).to_have_count(0)
    expect(page.get_by_role("button", name="Pause")).to_be_visible(timeout=WAIT_MS)
    page.get_by_role("button", name="End session").click()
    page.get_by_role("button", name="Yes, end the session").click()
    page.get_by_role("heading", name="Session ended").wait_for()
    expect(page.locator(".st-key-session_summary_table table")).to_have_count(1, timeout=WAIT_MS)
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(0)


@pytest.mark.e2e
def test_back_one_rep_then_this_hurts_on_the_last_exercise_and_today_is_done(
    page, session_server
) -> None:
    """Bridge, 2 holds of 10 s: Back in the second hold goes to the first one's get-ready
    and the bar to 0 %; "This hurts" there (the only, so last, exercise) offers only to end;
    the summary shows the pain rated, in a plain table; Today then says the day is done."""
    app: SessionServer = session_server([ProgrammeItem("bridge", 2, 10)], lead_in_s=2)
    open_app(page, app.server, "session")
    start_session(page, pain=3)
    label = page.locator(".st-key-session_label p")
    expect(label).to_have_text("Exercise 1 of 1 · rep 2 of 2", timeout=WAIT_MS)
    page.get_by_role("button", name="Back").click()
    expect(label).to_have_text("Exercise 1 of 1 · rep 1 of 2", timeout=WAIT_MS)
    expect(page.get_by_text("Session 0% done")).to_be_visible(timeout=WAIT_MS)

    page.get_by_role("button", name="This hurts – stop").click()
    page.locator(".st-key-exercise_pain").get_by_text("4", exact=True).click()
    page.get_by_role("button", name="Save and end the session").wait_for()
    expect(page.get_by_role("button", name="Save and skip to the next exercise")).to_have_count(0)
    page.get_by_role("button", name="Save and end the session").click()
    page.get_by_role("heading", name="Session ended").wait_for()
    # Rated in the get-ready after Back: nothing was stopped, the pain is still shown.
    expect(page.get_by_role("cell", name="it hurt (pain 4 of 10)", exact=True)).to_have_count(
        1, timeout=WAIT_MS
    )
    page.locator(".st-key-pain_after").get_by_text("2", exact=True).click()
    page.get_by_role("button", name="Save session").click()
    page.get_by_role("heading", name="Hello, Ann").wait_for()
    expect(page.get_by_text("Done for today.")).to_be_visible(timeout=WAIT_MS)


# Each (heading, figure) pair the page shows, as it changes: the figure is the one not hidden.
FIGURES = """
(() => {
  if (window.__figures) return;
  const seen = (window.__figures = []);
  new MutationObserver(() => {
    const heading = document.querySelector(".st-key-session_head h2");
    const figure = document.querySelector(".st-key-session_figure .bot-fig:not([hidden])");
    if (!heading) return;
    const frame = { heading: heading.innerText, figure: figure && figure.dataset.figure };
    const last = seen[seen.length - 1];
    if (!last || last.heading !== frame.heading || last.figure !== frame.figure) {
      seen.push(frame);
    }
  }).observe(document, {
    subtree: true, childList: true, characterData: true, attributes: true,
  });
})();
"""


@pytest.mark.e2e
def test_the_figure_changes_with_the_heading_and_a_last_tap_ends_with_well_done(
    page, session_server
) -> None:
    """Bridge, one 3 s hold, then one tapped rep of supine core: at the bridge's end the
    figure beside the countdown is supine core's in the very change that puts its name in the
    heading (it used to wait for the server's next render); the tap ends the session with
    "well done"."""
    app: SessionServer = session_server(
        [ProgrammeItem("bridge", 1, 3), ProgrammeItem("supine-core", 1, 0)],
        lead_in_s=2,
        voice_on=True,
    )
    page.add_init_script(RECORDERS)
    page.add_init_script(FIGURES)
    open_app(page, app.server, "session")
    start_session(page, pain=3)
    done = page.get_by_role("button", name="Done · rep 1 of 1")
    done.wait_for(timeout=WAIT_MS)
    before_tap = page.evaluate("Date.now()")
    done.click()
    page.get_by_role("heading", name="Session done").wait_for(timeout=WAIT_MS)
    page.wait_for_function("window.__rec.speech.some((s) => s.text === 'Well done')")
    frames = page.evaluate("window.__figures")
    said = recorded(page)["speech"]

    assert {"heading": "Bridge", "figure": "bridge"} in frames, frames
    core_frames = [f for f in frames if f["heading"] == "Supine core"]
    assert core_frames and all(f["figure"] == "supine-core" for f in core_frames), frames
    assert [s["text"] for s in said] == [
        "Bridge",
        "Last one, hold",
        "2",
        "1",
        "Supine core",
        "Well done",
    ]
    assert said[-1]["wall_ms"] >= before_tap


@pytest.mark.e2e
def test_opening_another_page_mid_session_lets_the_screen_sleep(page, session_server) -> None:
    """The wake lock taken by a running session is released when the person opens Settings
    in the middle of a hold (it used to be held until the tab closed)."""
    app: SessionServer = session_server([ProgrammeItem("bridge", 1, 10)], lead_in_s=2)
    page.add_init_script(RECORDERS)
    open_app(page, app.server, "session")
    start_session(page, pain=3)
    page.wait_for_function("window.__rec.wake.length === 1")
    expect(page.locator(".st-key-session_label p")).to_be_visible(timeout=WAIT_MS)
    click_nav(page, app.server, "settings", "Settings")
    page.wait_for_function("window.__rec.wake.every((lock) => lock.released_wall_ms !== null)")
    assert len(recorded(page)["wake"]) == 1
