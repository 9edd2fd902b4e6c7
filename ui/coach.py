"""The session coach's browser side outside the countdown: the screen kept on, and Settings'
check of what this browser supports with a button to hear the coach.

The Screen Wake Lock keeps a phone or laptop from dimming while a session runs: taken when
the session page shows a running session, taken again when the tab comes back into view (the
browser drops it whenever the tab is hidden), and released when the session ends, when the
person opens another page of the app mid-session, and when the tab is closed or left. Nothing
here sends anything anywhere: speech uses a local voice only (``localService``).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

_WAKE_JS = """
export default function (component) {
  const { data } = component;
  const lock = window.__botWake
    || (window.__botWake = { sentinel: null, wanted: false, mounts: 0 });
  async function take() {
    if (!lock.wanted || lock.sentinel || !navigator.wakeLock) return;
    if (document.visibilityState !== "visible") return;
    try {
      lock.sentinel = await navigator.wakeLock.request("screen");
      lock.sentinel.addEventListener("release", () => { lock.sentinel = null; });
    } catch (e) { lock.sentinel = null; }
  }
  function release() {
    if (!lock.sentinel) return;
    const held = lock.sentinel;
    lock.sentinel = null;
    held.release().catch(() => {});
  }
  if (!lock.listening) {
    lock.listening = true;
    document.addEventListener("visibilitychange", take);
    // Leaving the app (closing the tab, going to another site) lets the screen sleep.
    window.addEventListener("pagehide", release);
  }
  lock.mounts += 1;
  lock.wanted = !!data.active;
  if (lock.wanted) take();
  else release();
  return () => {
    // Gone from the page (another page of the app opened mid-session): let the screen
    // sleep, unless the lock is mounted again at once (Streamlit redrawing around it).
    lock.mounts -= 1;
    setTimeout(() => {
      if (lock.mounts > 0) return;
      lock.wanted = false;
      release();
    }, 300);
  };
}
"""

_wake = st.components.v2.component("backontrack_wake_lock", html="<span></span>", js=_WAKE_JS)


def keep_screen_on(active: bool, *, key: str) -> None:
    """Hold the screen on while ``active`` (a session runs); release it when called with False."""
    _wake(data={"active": active}, key=key, height=0)


_SUPPORT_HTML = """
<div class="bot-support">
  <ul class="bot-list"></ul>
  <button type="button" class="bot-test">Test the coach</button>
  <p class="bot-said" aria-live="polite"></p>
</div>
"""

_SUPPORT_CSS = """
.bot-support { font-family: inherit; color: inherit; }
.bot-list { margin: 0 0 0.75rem 1.1rem; padding: 0; line-height: 1.6; }
.bot-test { font: inherit; padding: 0.45rem 1rem; border-radius: 0.5rem; cursor: pointer;
  border: 1px solid rgba(49, 51, 63, 0.3); background: transparent; color: inherit;
  min-height: 2.75rem; }
.bot-test:focus-visible { outline: 2px solid #0f766e; outline-offset: 2px; }
.bot-said { margin: 0.5rem 0 0; min-height: 1.5rem; }
"""

_SUPPORT_JS = """
function localVoices() {
  const synth = window.speechSynthesis;
  if (!synth || typeof SpeechSynthesisUtterance === "undefined") return [];
  return synth.getVoices().filter((voice) => voice.localService);
}

function tone(volume) {
  const Ctor = window.AudioContext || window.webkitAudioContext;
  if (!Ctor || volume <= 0) return false;
  const ctx = window.__botAudio || (window.__botAudio = new Ctor());
  if (ctx.state === "suspended") ctx.resume();
  for (const [frequency, offset] of [[660, 0], [880, 0.17]]) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    const when = ctx.currentTime + 0.02 + offset;
    osc.frequency.setValueAtTime(frequency, when);
    gain.gain.setValueAtTime(0.0001, when);
    gain.gain.exponentialRampToValueAtTime(0.35 * volume, when + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, when + 0.2);
    osc.connect(gain).connect(ctx.destination);
    osc.start(when);
    osc.stop(when + 0.22);
  }
  return true;
}

export default function (component) {
  const { data, parentElement } = component;
  const list = parentElement.querySelector(".bot-list");
  const said = parentElement.querySelector(".bot-said");
  const button = parentElement.querySelector(".bot-test");
  function describe() {
    const voices = localVoices();
    const rows = [
      voices.length
        ? "Speech: yes, with a voice of this device (" + voices[0].name + ")."
        : "Speech: no voice on this device, so the coach plays tones instead.",
      navigator.wakeLock
        ? "Keeping the screen on during a session: yes."
        : "Keeping the screen on during a session: not in this browser.",
      typeof navigator.vibrate === "function"
        ? "Vibration at the end of each hold: yes, where the device can vibrate."
        : "Vibration at the end of each hold: not in this browser.",
    ];
    list.replaceChildren(...rows.map((text) => {
      const item = document.createElement("li");
      item.textContent = text;
      return item;
    }));
  }
  describe();
  if (window.speechSynthesis && !parentElement.__botListening) {
    parentElement.__botListening = true;
    window.speechSynthesis.addEventListener("voiceschanged", describe);
  }
  button.onclick = () => {
    const volume = typeof data.volume === "number" ? data.volume : 0.8;
    const voices = data.voice_on ? localVoices() : [];
    if (voices.length) {
      const utterance = new SpeechSynthesisUtterance(data.phrase);
      utterance.voice = voices[0];
      utterance.lang = voices[0].lang;
      utterance.volume = volume;
      window.speechSynthesis.cancel();
      window.speechSynthesis.speak(utterance);
      said.textContent = "Said: \u201c" + data.phrase + "\u201d";
    } else if ((data.voice_on || data.sound_on) && tone(volume)) {
      said.textContent = data.voice_on
        ? "No voice on this device: this tone stands in for the coach's words."
        : "The voice is off: this is the tone the coach plays.";
    } else {
      said.textContent = "The voice and the tones are both off (or the volume is 0).";
    }
  };
}
"""

_support = st.components.v2.component(
    "backontrack_coach_support", html=_SUPPORT_HTML, css=_SUPPORT_CSS, js=_SUPPORT_JS
)


def coach_support(*, voice_on: bool, sound_on: bool, volume: int, phrase: str, key: str) -> Any:
    """What this browser supports for the coach, and a button that says ``phrase`` (or plays
    a tone) with the saved settings."""
    return _support(
        data={"voice_on": voice_on, "sound_on": sound_on, "volume": volume / 100, "phrase": phrase},
        key=key,
        height="content",
    )
