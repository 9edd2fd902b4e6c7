"""A client-side countdown with a sound at the end of each hold.

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

For tests, the page keeps ``window.__botPhases`` (each phase as first shown:
cue, phase, started_wall_ms, shown_wall_ms) and ``window.__botCues`` (each end-of-hold
sound: cue, scheduled_wall_ms, audio_state).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

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
.bot-number { font-size: clamp(8rem, 46vw, 15rem); font-weight: 800; line-height: 0.95;
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

function scheduleBeep(ctx, when) {
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = "sine";
  osc.frequency.setValueAtTime(880, when);
  osc.frequency.setValueAtTime(660, when + 0.18);
  gain.gain.setValueAtTime(0.0001, when);
  gain.gain.exponentialRampToValueAtTime(0.4, when + 0.02);
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

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const root = parentElement.querySelector(".bot-countdown");
  const word = root.querySelector(".bot-word");
  const number = root.querySelector(".bot-number");
  const sub = root.querySelector(".bot-sub");
  const fill = root.querySelector(".bot-fill");
  beeps().mounts += 1;
  const state = parentElement.__botState || (parentElement.__botState = { fired: {} });
  for (const timer of state.timers || []) clearTimeout(timer);
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
  const serverNow = typeof data.server_now_ms === "number"
    ? receivedAt + (data.server_now_ms - window.__botClockOffset - Date.now()) : receivedAt;
  const segment = (d, endAt) => ({
    cue: d.cue_id, phase: d.phase, word: d.word || "", sub: d.sub || "", big: d.big || "",
    total: d.total_s || 0, hasClock: typeof d.remaining_s === "number", endAt: endAt,
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
  }
  if (data.paused) cancelBeep();
  unlockAudioOnGesture();
  if (state.soundOn) {
    // Warm the audio clock up before the first hold (allowed once the user has clicked).
    const ctx = audioContext(true);
    if (ctx && ctx.state === "suspended" && mayStartAudio()) ctx.resume();
  }

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
    if (seg.phase === "hold" && seg.hasClock && !paused && state.soundOn) {
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
    beeps().current = { cue: cue, osc: scheduleBeep(ctx, when), when: when, ctx: ctx };
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

  draw();
  state.interval = setInterval(draw, 100);
  // Redraw exactly at each edge too, so a phase changes on time rather than at the next tick.
  state.timers = [];
  const edges = [state.current && state.current.endAt, state.next && state.next.endAt];
  for (const edge of edges) {
    if (typeof edge === "number" && edge > receivedAt) {
      state.timers.push(setTimeout(draw, edge - receivedAt + 1));
    }
  }
  return () => {
    clearInterval(state.interval);
    for (const timer of state.timers || []) clearTimeout(timer);
    // Leaving the page cancels the sound; a countdown mounted again at once keeps it.
    beeps().mounts -= 1;
    setTimeout(() => { if (beeps().mounts <= 0) cancelBeep(); }, 500);
  };
}
"""

_countdown = st.components.v2.component("backontrack_countdown", html=_HTML, css=_CSS, js=_JS)


def countdown(data: dict[str, Any], *, key: str, on_expired: Any = None) -> Any:
    """Mount the countdown.

    ``data`` holds phase, cue_id, remaining_s, total_s, word, sub, big, paused, sound_on and
    ``next``: the timed phase that follows this one (same keys, its full length in
    ``total_s``), or None when what follows has no countdown.
    """
    return _countdown(
        data=data, key=key, on_expired_change=on_expired or (lambda: None), height="content"
    )
