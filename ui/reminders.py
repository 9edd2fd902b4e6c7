"""The reminder an open tab of the app shows at the session time, and Settings' line on what
this browser allows.

The page itself shows the browser's notification when the time comes (``new Notification``):
nothing is pushed from a server and no service worker runs, so it needs a tab of the app
open. The browser's permission is asked only when the person turns the reminder on in
Settings (on that click, as browsers require), never when a page loads. A day's reminder
is shown once, whatever the number of tabs: the first tab to show it notes it in the
browser's local storage.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.domain.reminders import BODY, TITLE, Reminder

_CLOCK_JS = """
export default function (component) {
  const { data } = component;
  const plan = window.__botReminder || (window.__botReminder = { timer: null });
  clearTimeout(plan.timer);
  plan.timer = null;
  plan.at_ms = data.at_ms;
  plan.id = data.id;
  if (typeof data.at_ms !== "number") return;
  const show = () => {
    plan.timer = null;
    if (typeof Notification === "undefined" || Notification.permission !== "granted") return;
    const storeKey = "backontrack-reminded:" + data.id;
    try {
      if (window.localStorage.getItem(storeKey)) return;
      window.localStorage.setItem(storeKey, "1");
    } catch (e) {}
    try { new Notification(data.title, { body: data.body, tag: data.id }); } catch (e) {}
  };
  // The server sends a time just passed too (a tab opened a little late): shown at once.
  plan.timer = setTimeout(show, Math.max(0, data.at_ms - Date.now()));
}
"""

_clock = st.components.v2.component(
    "backontrack_reminder_clock", html="<span></span>", js=_CLOCK_JS
)


def reminder_clock(reminder: Reminder | None, *, profile_id: str, key: str) -> None:
    """Hold the next reminder in this tab (none when ``reminder`` is None)."""
    data: dict[str, Any] = {"at_ms": None, "id": ""}
    if reminder is not None:
        data = {
            "at_ms": reminder.at.timestamp() * 1000,
            "id": f"{profile_id}:{reminder.day.isoformat()}",
            "title": TITLE,
            "body": BODY,
        }
    _clock(data=data, key=key, height=0)


_PERMISSION_JS = """
const WORDS = {
  unsupported: "This browser cannot show notifications here (a notification needs the app "
    + "opened at localhost or over https), so only the calendar file can remind you.",
  granted: "Notifications: allowed for this app in this browser.",
  denied: "Notifications: blocked for this app in this browser. To allow them, click the icon "
    + "left of the address, set Notifications to Allow in the site settings, then reload "
    + "this page.",
  default: "Notifications: not asked yet. The browser asks when you turn the reminder on.",
};

function state() {
  return typeof Notification === "undefined" ? "unsupported" : Notification.permission;
}

export default function (component) {
  const { parentElement, data } = component;
  const line = parentElement.querySelector(".bot-permission");
  const describe = () => {
    const now = state();
    line.textContent = WORDS[now] || WORDS.default;
    line.dataset.permission = now;
  };
  describe();
  window.__botDescribePermission = describe;
  if (window.__botPermissionHook) return;
  window.__botPermissionHook = true;
  // The toggle is Streamlit's: the click (or key) that turns it on is where the browser lets
  // a page ask. Its new state shows a moment after the event, well inside the time a browser
  // counts a click as the person's.
  const ask = (event) => {
    const toggle = event.target instanceof Element
      && event.target.closest(".st-key-" + data.toggle_key);
    if (!toggle) return;
    setTimeout(() => {
      const input = toggle.querySelector("input");
      if (!input || !input.checked || state() !== "default") return;
      Notification.requestPermission().then(
        () => window.__botDescribePermission(), () => window.__botDescribePermission());
    }, 50);
  };
  document.addEventListener("click", ask, true);
  document.addEventListener("keyup", ask, true);
}
"""

_permission = st.components.v2.component(
    "backontrack_notification_permission",
    html='<p class="bot-permission" aria-live="polite"></p>',
    css=".bot-permission { margin: 0; font-family: inherit; color: inherit; }",
    js=_PERMISSION_JS,
)


def notification_permission(*, toggle_key: str, key: str) -> None:
    """This browser's notification permission, in words; asks for it when the toggle keyed
    ``toggle_key`` is turned on (and only then)."""
    _permission(data={"toggle_key": toggle_key}, key=key, height="content")
