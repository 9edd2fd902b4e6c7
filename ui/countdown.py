"""A client-side countdown with a sound at the end of each hold.

The browser draws the seconds smoothly from the time left that the server computed (never
from counted ticks), and schedules the end-of-hold sound on the audio clock, which keeps
time in a hidden or throttled tab. When a countdown reaches zero it asks the server to
advance. Sound starts only after the user's first click on the page (browser rule).
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
.bot-countdown { text-align: center; padding: 0.5rem 0 1rem; font-family: inherit; }
.bot-word { font-size: clamp(1.6rem, 6vw, 2.6rem); font-weight: 700; color: #0f766e; }
.bot-number { font-size: clamp(5rem, 28vw, 11rem); font-weight: 800; line-height: 1;
  font-variant-numeric: tabular-nums; color: #111827; }
.bot-countdown.rest .bot-word, .bot-countdown.get_ready .bot-word { color: #b45309; }
.bot-countdown.paused .bot-number { color: #9ca3af; }
.bot-sub { font-size: clamp(1.1rem, 4vw, 1.5rem); color: #374151; min-height: 1.6rem; }
.bot-bar { height: 10px; background: #e5e7eb; border-radius: 5px; margin: 0.8rem auto 0;
  max-width: 32rem; overflow: hidden; }
.bot-fill { height: 100%; width: 0; background: #0f766e; transition: width 0.2s linear; }
"""

_JS = """
function audioContext() {
  const Ctor = window.AudioContext || window.webkitAudioContext;
  if (!Ctor) return null;
  if (!window.__botAudio) window.__botAudio = new Ctor();
  return window.__botAudio;
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
    const ctx = audioContext();
    if (ctx && ctx.state === "suspended") ctx.resume();
  };
  document.addEventListener("pointerdown", unlock, { capture: true });
  document.addEventListener("keydown", unlock, { capture: true });
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const root = parentElement.querySelector(".bot-countdown");
  const word = root.querySelector(".bot-word");
  const number = root.querySelector(".bot-number");
  const sub = root.querySelector(".bot-sub");
  const fill = root.querySelector(".bot-fill");
  const state = parentElement.__botState || (parentElement.__botState = { fired: {} });
  if (state.timer) clearInterval(state.timer);
  window.__botCues = window.__botCues || [];
  window.__botPhases = window.__botPhases || [];

  root.className = "bot-countdown " + data.phase + (data.paused ? " paused" : "");
  const receivedAt = performance.now();
  const hasClock = typeof data.remaining_s === "number";
  const endAt = hasClock ? receivedAt + data.remaining_s * 1000 : null;
  const total = data.total_s || 0;

  if (state.cue !== data.cue_id) {
    // A new phase: record when it began (wall clock) and cancel a beep meant for the last one.
    state.cue = data.cue_id;
    const startedWall = Date.now() - (hasClock ? (total - data.remaining_s) * 1000 : 0);
    window.__botPhases.push({ cue: data.cue_id, phase: data.phase, started_wall_ms: startedWall });
    if (state.osc && state.oscCue !== data.cue_id) {
      try { state.osc.stop(); } catch (e) {}
      state.osc = null;
    }
  }
  if (data.paused && state.osc) {
    try { state.osc.stop(); } catch (e) {}
    state.osc = null;
    state.oscCue = null;
  }

  unlockAudioOnGesture();
  if (data.sound_on && data.phase === "hold" && !data.paused && hasClock
      && state.oscCue !== data.cue_id) {
    const ctx = audioContext();
    if (ctx) {
      if (ctx.state === "suspended") ctx.resume();
      const when = ctx.currentTime + data.remaining_s;
      state.osc = scheduleBeep(ctx, when);
      state.oscCue = data.cue_id;
      window.__botCues.push({
        cue: data.cue_id,
        scheduled_wall_ms: Date.now() + data.remaining_s * 1000,
        audio_state: ctx.state,
      });
    }
  }

  function draw() {
    const now = data.paused ? receivedAt : performance.now();
    const left = hasClock ? Math.max(0, endAt - now) : null;
    word.textContent = data.word || "";
    if (data.phase === "paced" && hasClock && total > 0) {
      word.textContent = left > (total * 1000) / 2 ? "Breathe in" : "Breathe out";
    }
    number.textContent = hasClock ? String(Math.ceil(left / 1000)) : (data.big || "");
    sub.textContent = data.sub || "";
    fill.style.width = hasClock && total > 0 ? (100 * (1 - left / (total * 1000))) + "%" : "0";
    if (hasClock && !data.paused && left <= 0 && !state.fired[data.cue_id]) {
      state.fired[data.cue_id] = true;
      setTriggerValue("expired", data.cue_id);
    }
  }
  draw();
  state.timer = setInterval(draw, 100);
  return () => clearInterval(state.timer);
}
"""

_countdown = st.components.v2.component("backontrack_countdown", html=_HTML, css=_CSS, js=_JS)


def countdown(data: dict[str, Any], *, key: str, on_expired: Any = None) -> Any:
    """Mount the countdown; ``data`` holds phase, cue_id, remaining_s, total_s, words, sound."""
    return _countdown(
        data=data, key=key, on_expired_change=on_expired or (lambda: None), height="content"
    )
