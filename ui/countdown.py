"""A client-side countdown with a sound at the end of each hold, and the session coach's cues.

The browser draws the seconds smoothly from the deadline the server computed (never from
counted ticks), and schedules the end-of-hold sound on the audio clock, which keeps time in a
hidden or throttled tab. Each render carries the server's clock reading (``server_now_ms``),
so a render that reaches a busy browser late does not shift the countdown (it would if "time
left" were taken to start when the render arrived). When the browser runs on the server's
computer (``same_clock``) both read one clock; otherwise the page estimates the difference
from the render with the least delay. When a countdown reaches zero it asks the server to
advance, and meanwhile shows the phase that follows (``data["next"]``, worked out by the
server's runner), so the next hold starts on screen at the deadline the server records
rather than one round trip later. Sound starts only after the user's first click on the
page (browser rule), and a sound that has not started yet is cancelled when the hold is
left early (pause, back, skip, "this hurts", end) but never cut off once it plays.

The coach's cues (``core.domain.coach``: the exercise and side at get-ready, "hold", the last
three seconds, "rest", the switch of sides, "well done") travel with each phase, placed in
seconds from its start; the page puts them on a dedicated worker's timers, which a hidden
tab does not throttle, and at each one speaks it with a local voice (never a remote one), or
plays a tone where the browser has none. A hold's end also vibrates where the device can.
The next phase also carries its exercise figure, which takes the shown one's place at the
deadline. A new session's get-ready starts when this page first shows it: the page reports
how late that was (trigger "shown") and the server moves the session's timeline to match,
so the first announcement is as punctual as the rest. The start screen mounts the
countdown empty (``warm_up``) to have its code, worker and voices ready; ``say_once`` says
the words that close a session ended by a tap.

For tests, the page keeps ``window.__botPhases`` (each phase as first shown:
cue, phase, started_wall_ms, shown_wall_ms), ``window.__botCues`` (each end-of-hold
sound: cue, scheduled_wall_ms, audio_state) and ``window.__botCoach`` (each coach cue as
fired: id, kind, text, due_wall_ms, fired_wall_ms, how: voice, tone, vibrate or none).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

import streamlit as st

from core.domain.catalog import Catalog
from core.domain.coach import Cue, phase_cues
from core.domain.figures.show import session_figure_html
from core.domain.models import Profile
from core.domain.session_plan import Step
from core.domain.session_runner import TIMED_PHASES, RunnerView, SessionRunner

PHASE_WORDS = {
    "get_ready": "Get ready",
    "switch_side": "Switch sides",
    "hold": "Hold",
    "rest": "Rest",
    "paced": "Breathe",
    "tap": "Your pace",
}

_HTML = """
<div class="bot-countdown" role="timer" aria-live="polite">
  <div class="bot-word"></div>
  <div class="bot-number"></div>
  <div class="bot-sub"></div>
  <div class="bot-bar"><div class="bot-fill"></div></div>
</div>
"""

_CSS = """
.bot-countdown { text-align: center; padding: 0.25rem 0 0.5rem; font-family: inherit; }
.bot-word { font-size: clamp(2rem, 8vw, 3rem); font-weight: 800; line-height: 1.1;
  color: #0f766e; }
.bot-number { font-size: clamp(8rem, 42vw, 15rem); font-weight: 800; line-height: 0.95;
  font-variant-numeric: tabular-nums; color: #111827; }
.bot-countdown.rest .bot-word, .bot-countdown.get_ready .bot-word,
.bot-countdown.switch_side .bot-word { color: #b45309; }
.bot-countdown.paused .bot-number, .bot-countdown.paused .bot-word { color: #6b7280; }
.bot-sub { font-size: clamp(1.4rem, 5.5vw, 2rem); font-weight: 600; color: #1f2937;
  min-height: 2rem; }
.bot-bar { height: 12px; background: #e5e7eb; border-radius: 6px; margin: 0.6rem auto 0;
  max-width: 32rem; overflow: hidden; }
.bot-fill { height: 100%; width: 0; background: #0f766e; transition: width 0.2s linear; }
"""

_JS = """
// A beep that is further away than this is cancelled when its hold is left; a nearer (or
// playing) one is left alone, so the natural end of a hold never cuts its own sound.
const CANCEL_MARGIN_S = 0.25;

function mayStartAudio() {
  const activation = navigator.userActivation;
  return !activation || activation.hasBeenActive;
}

function audioContext(create) {
  const Ctor = window.AudioContext || window.webkitAudioContext;
  if (!Ctor) return null;
  if (!window.__botAudio && create && mayStartAudio()) window.__botAudio = new Ctor();
  return window.__botAudio || null;
}

function scheduleBeep(ctx, when, volume) {
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = "sine";
  osc.frequency.setValueAtTime(880, when);
  osc.frequency.setValueAtTime(660, when + 0.18);
  gain.gain.setValueAtTime(0.0001, when);
  gain.gain.exponentialRampToValueAtTime(Math.max(0.0002, 0.4 * volume), when + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, when + 0.45);
  osc.connect(gain).connect(ctx.destination);
  osc.start(when);
  osc.stop(when + 0.5);
  return osc;
}

function unlockAudioOnGesture() {
  if (window.__botAudioUnlock) return;
  window.__botAudioUnlock = true;
  const unlock = () => {
    const ctx = audioContext(true);
    if (ctx && ctx.state === "suspended") ctx.resume();
  };
  document.addEventListener("pointerdown", unlock, { capture: true });
  document.addEventListener("keydown", unlock, { capture: true });
}

// The sound planned for the current hold lives on the page, not on the component's element:
// Streamlit may mount the countdown afresh (a layout change around it), and a new mount must
// see the sound the old one planned instead of planning it twice.
function beeps() {
  return window.__botBeeps || (window.__botBeeps = { current: null, mounts: 0 });
}

function cancelBeep() {
  // Stop a sound that is still well ahead; one about to play (or playing) is left to finish.
  const beep = beeps().current;
  if (!beep || beep.ctx.currentTime >= beep.when - CANCEL_MARGIN_S) return;
  try { beep.osc.stop(); } catch (e) {}
  beeps().current = null;
}

// The coach's clock: a dedicated worker's timers keep time in a hidden tab, where the page's
// own timers are throttled (measured in headless Chromium: page setTimeout up to ~1 s late
// behind another tab, the worker's within a few milliseconds).
function coachTimers() {
  if (window.__botTimers) return window.__botTimers;
  const callbacks = new Map();
  let worker = null;
  try {
    const source = "const t = new Map(); onmessage = (e) => { const m = e.data;"
      + " if (m.cancel !== undefined) { clearTimeout(t.get(m.cancel)); t.delete(m.cancel);"
      + " return; }"
      + " t.set(m.id, setTimeout(() => { t.delete(m.id); postMessage(m.id); }, m.delay)); };";
    worker = new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })));
    worker.onmessage = (event) => {
      const fn = callbacks.get(event.data);
      callbacks.delete(event.data);
      if (fn) fn();
    };
  } catch (e) { worker = null; }
  const handles = new Map();
  window.__botTimers = {
    at(id, perfMs, fn) {
      const delay = Math.max(0, perfMs - performance.now());
      if (worker) { callbacks.set(id, fn); worker.postMessage({ id: id, delay: delay }); }
      else handles.set(id, setTimeout(() => { handles.delete(id); fn(); }, delay));
    },
    cancel(id) {
      callbacks.delete(id);
      if (worker) worker.postMessage({ cancel: id });
      clearTimeout(handles.get(id));
      handles.delete(id);
    },
  };
  return window.__botTimers;
}

// A voice of this computer: speech that needs no server. None means "use tones instead".
function localVoice() {
  const synth = window.speechSynthesis;
  if (!synth || typeof SpeechSynthesisUtterance === "undefined") return null;
  const voices = synth.getVoices().filter((voice) => voice.localService);
  const lang = (document.documentElement.lang || navigator.language || "en").slice(0, 2);
  return voices.find((v) => v.lang.startsWith(lang) && v.default)
    || voices.find((v) => v.lang.startsWith(lang)) || voices.find((v) => v.default)
    || voices[0] || null;
}

function speak(text, volume, urgent) {
  const voice = localVoice();
  if (!voice) return false;
  // A count must not wait behind a longer sentence still being said.
  if (urgent) window.speechSynthesis.cancel();
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.voice = voice;
  utterance.lang = voice.lang;
  utterance.volume = volume;
  window.speechSynthesis.speak(utterance);
  return true;
}

// The tones that stand in for words: a short tick for a count, two notes for the rest.
function playTone(kind, volume) {
  const ctx = audioContext(true);
  if (!ctx || volume <= 0) return false;
  const play = () => {
    const notes = kind === "tick" ? [[1200, 0, 0.08]] : [[660, 0, 0.15], [880, 0.17, 0.2]];
    for (const [frequency, offset, length] of notes) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      const when = ctx.currentTime + 0.01 + offset;
      osc.frequency.setValueAtTime(frequency, when);
      gain.gain.setValueAtTime(0.0001, when);
      gain.gain.exponentialRampToValueAtTime(0.35 * volume, when + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, when + length);
      osc.connect(gain).connect(ctx.destination);
      osc.start(when);
      osc.stop(when + length + 0.02);
    }
  };
  if (ctx.state === "running") play();
  // A clock made a moment ago may still be starting: play as soon as it runs.
  else if (mayStartAudio()) ctx.resume().then(play, () => {});
  else return false;
  return true;
}

// Say one cue now (or play its tone, or vibrate), and note it in ``window.__botCoach``.
function sayCue(id, cue, dueAt, voiceOn, volume) {
  const record = { id: id, kind: cue.kind, text: cue.text || "", due_wall_ms:
    performance.timeOrigin + dueAt, fired_wall_ms: Date.now(), how: "none" };
  if (cue.kind === "vibrate") {
    record.how = navigator.vibrate(200) ? "vibrate" : "none";
  } else if (voiceOn && speak(cue.text, volume, cue.kind !== "say")) {
    record.how = "voice";
  } else if (voiceOn && playTone(cue.kind, volume)) {
    record.how = "tone";
  }
  (window.__botCoach = window.__botCoach || []).push(record);
}

// A cue said once when it first shows (the words that close a session ended by a tap): a
// rerun of the page, or a reload of the tab, does not say it again.
function sayOnce(order) {
  const said = window.__botSaidOnce || (window.__botSaidOnce = new Set());
  const storeKey = "backontrack-said:" + order.id;
  let stored = false;
  try { stored = window.sessionStorage.getItem(storeKey) === "1"; } catch (e) {}
  if (said.has(order.id) || stored) return;
  said.add(order.id);
  try { window.sessionStorage.setItem(storeKey, "1"); } catch (e) {}
  sayCue(order.id, order.cue, performance.now(), !!order.voice_on, order.volume);
}

// The page around the countdown (drawn by the server) follows the phase on screen at once:
// its heading, the line under it and "How to do it". Only the text of nodes already there
// changes, so the server's next render finds the page as it would have drawn it.
function setFirstText(element, text) {
  if (!element || !text) return;
  const node = document.createTreeWalker(element, NodeFilter.SHOW_TEXT).nextNode();
  if (node && node.nodeValue !== text) node.nodeValue = text;
}

// The exercise's figure beside the countdown changes with it too: the next phase's figure
// comes whole with it (``figure``), and takes the place of the one shown. An exercise with
// no figure sends "", and the old one is hidden rather than left standing for the wrong one.
function swapFigure(html) {
  const shown = document.querySelector(".st-key-session_figure .bot-fig");
  if (!shown || typeof html !== "string") return;
  const holder = document.createElement("template");
  holder.innerHTML = html;
  const fresh = holder.content.querySelector(".bot-fig");
  if (!fresh) shown.hidden = true;
  else if (fresh.outerHTML !== shown.outerHTML) shown.replaceWith(fresh);
}

function followPage(seg) {
  swapFigure(seg.figure);
  setFirstText(document.querySelector(".st-key-session_head h2"), seg.title);
  setFirstText(document.querySelector(".st-key-session_label p"), seg.label);
  const items = document.querySelectorAll(".st-key-session_howto li");
  if (items.length === seg.howto.length) {
    items.forEach((item, index) => setFirstText(item, seg.howto[index]));
  }
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const root = parentElement.querySelector(".bot-countdown");
  if (data.warm_up) {
    // Drawn on the start screen: load this code, start the coach's worker and ask for the
    // voices (a browser lists them only a while after the first ask), and make the audio clock
    // at the first click (choosing the pain), so that the session's first announcement is not
    // held up by any of it.
    root.hidden = true;
    coachTimers();
    localVoice();
    unlockAudioOnGesture();
    return;
  }
  if (data.say_once) {
    root.hidden = true;
    sayOnce(data.say_once);
    return;
  }
  const word = root.querySelector(".bot-word");
  const number = root.querySelector(".bot-number");
  const sub = root.querySelector(".bot-sub");
  const fill = root.querySelector(".bot-fill");
  beeps().mounts += 1;
  const state = parentElement.__botState || (parentElement.__botState = { fired: {} });
  if (state.interval) clearInterval(state.interval);
  window.__botCues = window.__botCues || [];
  window.__botPhases = window.__botPhases || [];

  const receivedAt = performance.now();
  // Server clock minus page clock, less the delivery delay: the largest value seen is the one
  // with the least delay. On one computer the true difference is 0, and a sample above 0 would
  // prove the clocks differ after all (then the estimate is used).
  if (typeof data.server_now_ms === "number") {
    const sample = data.server_now_ms - Date.now();
    const best = window.__botClockBest;
    window.__botClockBest = typeof best === "number" ? Math.max(best, sample) : sample;
    window.__botClockOffset = data.same_clock && window.__botClockBest <= 25
      ? 0 : window.__botClockBest;
  }
  let serverNow = typeof data.server_now_ms === "number"
    ? receivedAt + (data.server_now_ms - window.__botClockOffset - Date.now()) : receivedAt;
  // A new session's get-ready (``start_on_show``) starts when this page first shows it, a
  // moment after the server started it: the page moves its timeline by that much and tells
  // the server (trigger "shown", in ms), which moves the session's. Renders that come before
  // the server has done so are moved by the same amount.
  if (data.start_on_show && typeof data.remaining_s === "number") {
    const late = window.__botStartLate || (window.__botStartLate = new Map());
    if (!late.has(data.cue_id)) {
      const startedAt = serverNow - ((data.total_s || 0) - data.remaining_s) * 1000;
      const lateMs = Math.max(0, receivedAt - startedAt);
      late.set(data.cue_id, lateMs);
      setTriggerValue("shown", lateMs);
    }
    serverNow += late.get(data.cue_id);
  }
  const segment = (d, endAt) => ({
    cue: d.cue_id, phase: d.phase, word: d.word || "", sub: d.sub || "", big: d.big || "",
    total: d.total_s || 0, hasClock: typeof d.remaining_s === "number", endAt: endAt,
    cues: d.cues || [], title: d.title || "", label: d.label || "", howto: d.howto || [],
    figure: d.figure,
  });
  // A render computed just before a deadline can arrive after this page already moved on
  // to the next phase: keep the timeline this page is showing instead of stepping back.
  const stale = !data.paused && state.fired[data.cue_id] && data.next
    && state.cue === data.next.cue_id;
  if (!stale) {
    const hasClock = typeof data.remaining_s === "number";
    const current = segment(data, hasClock ? serverNow + data.remaining_s * 1000 : null);
    current.paused = !!data.paused;
    current.frozenLeft = hasClock ? data.remaining_s * 1000 : null;
    const next = data.next && !data.paused && hasClock
      ? segment(data.next, current.endAt + (data.next.total_s || 0) * 1000) : null;
    state.current = current;
    state.next = next;
    state.soundOn = !!data.sound_on;
    state.voiceOn = !!data.voice_on;
    state.volume = typeof data.volume === "number" ? data.volume : 0.8;
  }
  if (data.paused) cancelBeep();

  function show(seg, left, now) {
    const fresh = state.cue !== seg.cue;
    if (fresh) {
      // A new phase on screen: note when it began and when it was first shown.
      state.cue = seg.cue;
      const began = seg.hasClock ? Date.now() - (seg.total * 1000 - Math.max(0, left)) : Date.now();
      window.__botPhases.push({
        cue: seg.cue, phase: seg.phase, started_wall_ms: began, shown_wall_ms: Date.now(),
      });
      if (beeps().current && beeps().current.cue !== seg.cue) cancelBeep();
      followPage(seg);
    }
    const paused = seg === state.current && seg.paused;
    root.className = "bot-countdown " + seg.phase + (paused ? " paused" : "");
    word.textContent = seg.word;
    if (seg.phase === "paced" && seg.hasClock && seg.total > 0 && !paused) {
      word.textContent = left > (seg.total * 1000) / 2 ? "Breathe in" : "Breathe out";
    }
    number.textContent = seg.hasClock ? String(Math.ceil(Math.max(0, left) / 1000)) : seg.big;
    sub.textContent = seg.sub;
    // A new phase's bar starts from empty at once rather than sliding back from full.
    fill.style.transition = fresh ? "none" : "";
    fill.style.width = seg.hasClock && seg.total > 0
      ? (100 * (1 - Math.max(0, left) / (seg.total * 1000))) + "%" : "0";
    if (seg.phase === "hold" && seg.hasClock && !paused && state.soundOn && state.volume > 0) {
      planBeep(seg.cue, seg.endAt, now);
    }
  }

  function planBeep(cue, endAt, now) {
    if (beeps().current && beeps().current.cue === cue) return;
    const ctx = audioContext(false);
    // A suspended clock does not move: a sound put on it would play late. Wait for "running".
    if (!ctx || ctx.state !== "running") return;
    const inS = (endAt - now) / 1000;
    if (inS <= 0) return;
    const when = ctx.currentTime + inS;
    const osc = scheduleBeep(ctx, when, state.volume);
    beeps().current = { cue: cue, osc: osc, when: when, ctx: ctx };
    window.__botCues.push({
      cue: cue, scheduled_wall_ms: Date.now() + inS * 1000, audio_state: ctx.state,
    });
  }

  function expire(cue) {
    if (state.fired[cue]) return;
    state.fired[cue] = true;
    setTriggerValue("expired", cue);
  }

  function draw() {
    const now = performance.now();
    const cur = state.current;
    if (!cur.hasClock) return show(cur, 0, now);
    if (cur.paused) return show(cur, cur.frozenLeft, now);
    const left = cur.endAt - now;
    if (left > 0 || !state.next) {
      show(cur, left, now);
      if (left <= 0) expire(cur.cue);
      return;
    }
    expire(cur.cue);
    const nextLeft = state.next.endAt - now;
    show(state.next, nextLeft, now);
    if (nextLeft <= 0) expire(state.next.cue);
  }

  // The coach: every cue of the phase on screen and of the one after it, put on the worker's
  // clock from the deadline. A cue keeps its id across renders, so it is planned once and
  // said once; one no longer ahead (pause, back, skip) is taken off the clock.
  const timers = coachTimers();
  state.planned = state.planned || new Map();
  state.said = state.said || new Set();
  const wanted = new Map();
  const coachSegments = data.paused ? [] : [state.current, state.next];
  for (const seg of coachSegments) {
    if (!seg || !seg.hasClock || seg.paused || typeof seg.endAt !== "number") continue;
    const startAt = seg.endAt - seg.total * 1000;
    seg.cues.forEach((cue, index) => {
      const at = startAt + cue.at_s * 1000;
      wanted.set(seg.cue + "|" + index, { cue: cue, at: at, endAt: seg.endAt });
    });
    if (seg.phase === "hold" && navigator.vibrate) {
      const buzz = { cue: { kind: "vibrate" }, at: seg.endAt, endAt: seg.endAt };
      wanted.set(seg.cue + "|vibrate", buzz);
    }
  }
  for (const [id, planned] of state.planned) {
    const still = wanted.get(id);
    if (!still || Math.abs(still.at - planned.at) > 30) {
      timers.cancel(id);
      state.planned.delete(id);
    }
  }
  const fire = (id, entry) => {
    state.planned.delete(id);
    if (state.said.has(id)) return;
    state.said.add(id);
    sayCue(id, entry.cue, entry.at, state.voiceOn, state.volume);
  };
  const nowMs = performance.now();
  for (const [id, entry] of wanted) {
    if (state.said.has(id) || state.planned.has(id)) continue;
    // An announcement is still worth saying late while its phase lasts (the first render of
    // a session comes a moment after its start); a count only if it is barely late.
    const late = entry.cue.kind === "say" ? entry.endAt <= nowMs : entry.at < nowMs - 300;
    if (late) continue;
    // One due already (a new session's get-ready, which starts as its countdown is sent) is
    // said at once: a round trip through the worker would only make it later.
    if (entry.at <= nowMs) fire(id, entry);
    else {
      state.planned.set(id, { at: entry.at });
      timers.at(id, entry.at, () => fire(id, entry));
    }
  }

  unlockAudioOnGesture();
  if (state.soundOn || state.voiceOn) {
    // Warm the audio clock up before the first hold (allowed once the user has clicked); after
    // the cues above, as making it can take a tenth of a second.
    const ctx = audioContext(true);
    if (ctx && ctx.state === "suspended" && mayStartAudio()) ctx.resume();
  }
  draw();
  state.interval = setInterval(draw, 100);
  // Redraw exactly at each edge too, so a phase changes (and the server is asked to advance)
  // on time rather than at the next tick: on the worker's clock, which a hidden tab keeps.
  for (const id of state.edgeTimers || []) timers.cancel(id);
  state.edgeTimers = [];
  state.edgeCount = (state.edgeCount || 0) + 1;
  const edges = [state.current && state.current.endAt, state.next && state.next.endAt];
  edges.forEach((edge, index) => {
    if (typeof edge === "number" && edge > receivedAt) {
      const id = "edge|" + state.edgeCount + "|" + index;
      state.edgeTimers.push(id);
      timers.at(id, edge + 1, draw);
    }
  });
  return () => {
    clearInterval(state.interval);
    for (const timer of state.timers || []) clearTimeout(timer);
    // Leaving the page cancels the sound; a countdown mounted again at once keeps it.
    beeps().mounts -= 1;
    setTimeout(() => { if (beeps().mounts <= 0) cancelBeep(); }, 500);
    for (const id of state.edgeTimers || []) timers.cancel(id);
    // Cues are planned again by the next render; one due now is left to be said.
    for (const [id, planned] of state.planned) {
      if (planned.at - performance.now() > 250) {
        timers.cancel(id);
        state.planned.delete(id);
      }
    }
  };
}
"""

_countdown = st.components.v2.component("backontrack_countdown", html=_HTML, css=_CSS, js=_JS)


def countdown(
    data: dict[str, Any], *, key: str, on_expired: Any = None, on_shown: Any = None
) -> Any:
    """Mount the countdown; ``on_shown`` is called when the page reports how late (trigger
    "shown", in ms) it first showed a get-ready sent with ``start_on_show``.

    ``data`` holds phase, cue_id, remaining_s, total_s, word, sub, big, paused, sound_on,
    voice_on, volume (0 to 1), cues (``core.domain.coach.Cue`` as dicts: at_s, kind, text)
    and ``next``: the timed phase that follows this one (same keys, its full length in
    ``total_s``, and ``figure``: the exercise figure's HTML for it, "" for none), or None
    when what follows has no countdown.
    """
    return _countdown(
        data=data,
        key=key,
        on_expired_change=on_expired or (lambda: None),
        on_shown_change=on_shown or (lambda: None),
        height="content",
    )


def warm_up(*, key: str) -> None:
    """Mount the countdown with nothing to show, so the browser has its code, the coach's
    clock and its voices ready when a session starts (its first cue is then on time)."""
    _countdown(
        data={"warm_up": True},
        key=key,
        on_expired_change=lambda: None,
        on_shown_change=lambda: None,
        height=0,
    )


def say_once(cue: Cue, profile: Profile, *, cue_id: str, key: str) -> None:
    """Say ``cue`` now with the profile's coach settings, once for ``cue_id`` in this tab
    (the words that close a session whose last step was a tap)."""
    order = {
        "id": cue_id,
        "cue": asdict(cue),
        "voice_on": profile.voice_on,
        "volume": profile.cue_volume / 100,
    }
    _countdown(
        data={"say_once": order},
        key=key,
        on_expired_change=lambda: None,
        on_shown_change=lambda: None,
        height=0,
    )


def _run(cue_scope: str, step: Step) -> str:
    """The id of one showing of a step's figure, as the session page makes it."""
    return f"{cue_scope}:{step.index}"


def _phase_data(
    view: RunnerView,
    runner: SessionRunner,
    profile: Profile,
    catalog: Catalog,
    cue_scope: str,
    sent_at: datetime,
) -> dict[str, Any]:
    phase = view.paused_phase if view.is_paused else view.phase
    step = view.step
    sub = ""
    if phase == "get_ready" and step is not None:
        sub = f"Next: {step.exercise_name}" + (f", {step.side} side" if step.side != "none" else "")
    elif phase == "switch_side":
        sub = view.message or ""
    elif phase == "rest" and step is not None:
        sub = f"Next: rep {step.rep} of {step.reps_in_block}"
    elif phase == "hold" and step is not None and step.side != "none":
        sub = f"{step.side.capitalize()} side"
    cues = [] if view.is_paused else phase_cues(phase, step, view.phase_total_s or 0, runner.plan)
    return {
        "phase": phase,
        "paused": view.is_paused,
        "cue_id": f"{cue_scope}:{step.index if step else -1}:{phase}",
        "remaining_s": view.remaining_s,
        "total_s": view.phase_total_s,
        "word": "Paused" if view.is_paused else PHASE_WORDS.get(phase or "", ""),
        "sub": sub,
        "big": "",
        # What the page around the countdown shows for this phase (its heading, the line
        # under it, "How to do it"), so the browser changes them with the countdown.
        "title": step.exercise_name if step is not None else "",
        "label": view.label,
        "howto": list(catalog.get(step.exercise_id).steps) if step is not None else [],
        "sound_on": profile.sound_on,
        "voice_on": profile.voice_on,
        "volume": profile.cue_volume / 100,
        "cues": [asdict(cue) for cue in cues],
        # The instant remaining_s was read at, so the browser can place the deadline exactly;
        # a browser on this computer (no remote address) reads the same clock.
        "server_now_ms": sent_at.timestamp() * 1000,
        "same_clock": st.context.ip_address is None,
    }


def session_countdown_data(
    runner: SessionRunner,
    view: RunnerView,
    profile: Profile,
    catalog: Catalog,
    cue_scope: str,
    sent_at: datetime,
) -> dict[str, Any]:
    """The countdown's data for the runner's ``view`` read at ``sent_at``, with ``next``: the
    timed phase that follows, as the runner will show it at the deadline.

    The browser shows the next phase the moment the countdown reaches zero, so the next hold
    starts on screen when the runner starts (and records) it, not one server round trip
    later. It is read from a copy of the runner on a clock set just past the deadline: no
    rule is repeated here.
    """
    data = _phase_data(view, runner, profile, catalog, cue_scope, sent_at)
    data["next"] = None
    if view.is_paused or view.phase not in TIMED_PHASES or view.remaining_s is None:
        return data
    at = sent_at + timedelta(seconds=view.remaining_s + 0.001)
    preview = SessionRunner.from_dict(runner.to_dict(), clock=lambda: at)
    preview.tick()
    following = preview.view()
    if following.phase in TIMED_PHASES:
        data["next"] = _phase_data(following, runner, profile, catalog, cue_scope, at)
        data["next"]["remaining_s"] = following.phase_total_s
        # The figure the server will draw for it (the page draws the current one itself).
        step = following.step
        data["next"]["figure"] = (
            ""
            if step is None
            else session_figure_html(
                catalog.get(step.exercise_id),
                step.side,
                following.phase,
                None,
                _run(cue_scope, step),
            )
        )
    return data
