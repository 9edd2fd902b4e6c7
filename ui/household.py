"""A household sharing one file: whose record this is, asking before recording for another
profile, the cookie that remembers the profile, and the optional PIN gate.

* :func:`recording_for` names the current profile on every owner page.
* :func:`may_record` / :func:`confirm_box`: starting a session or saving a rating for a
  profile other than the one this browser last used asks once.
* :func:`write_profile_cookie` writes the browser's choice into a cookie, which
  ``ui.state.current_profile`` reads after a reload, in a new tab and after a restart.
* :func:`is_locked` / :func:`unlock_form`: a profile with a PIN shows nothing of its
  records until the PIN is entered in this browser session. The PIN is never logged.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import streamlit as st

from core.db.store import Store
from core.domain.models import Profile
from core.sharing import pins
from core.sharing.throttle import LoginThrottle
from ui.state import (
    PROFILE_COOKIE,
    list_profiles,
    mark_used,
    needs_profile_confirmation,
    pending_cookie,
    pin_hash,
    pin_hashes,
    select_profile,
)
from ui.text import md_escape

_PENDING = "recording_confirm_pending"
_CONFIRMED = "recording_confirmed"
_UNLOCKED = "pin_unlocked"
_PIN_FIELD = "pin_entry"
_PIN_MESSAGE = "pin_message"
#: A year: the browser keeps the choice while the app is used now and then.
_COOKIE_MAX_AGE_S = 365 * 24 * 3600

_COOKIE_JS = f"""
export default function (component) {{
  const data = component.data || {{}};
  // Each choice is written once per page, however often the element is drawn again.
  if (!data.profile_id || window.__botProfileSerial === data.serial) return;
  window.__botProfileSerial = data.serial;
  document.cookie = "{PROFILE_COOKIE}=" + encodeURIComponent(data.profile_id) +
    "; path=/; max-age={_COOKIE_MAX_AGE_S}; SameSite=Strict";
}}
"""
_cookie_writer = st.components.v2.component(
    "backontrack_profile_cookie", html="<span></span>", js=_COOKIE_JS
)


def profile_labels(store: Store) -> dict[str, str]:
    """Each profile's name as shown in pickers and headings ("Profile 2" when unnamed)."""
    return {p.id: p.name or f"Profile {i + 1}" for i, p in enumerate(list_profiles(store))}


def write_profile_cookie() -> None:
    """Draw the cookie writer while this session has a choice to remember (see mark_used)."""
    pending = pending_cookie()
    if pending is not None:
        _cookie_writer(
            data={"profile_id": pending[0], "serial": pending[1]},
            key="profile_cookie_writer",
            height=0,
        )


def recording_for(store: Store, profile: Profile) -> None:
    """ "You are recording for Ana", at the top of every owner page."""
    labels = profile_labels(store)
    text = (
        f"You are recording for :blue-badge[:material/person: **{md_escape(labels[profile.id])}**]"
    )
    if len(labels) > 1:
        text += " :gray[· Not you? Choose your profile in the sidebar.]"
    with st.container(key="recording_for"):
        st.markdown(text)


# --------------------------------------------------------------------------- asking once


def may_record(store: Store, profile: Profile, action: str) -> bool:
    """Called when the person asks to record for ``profile`` (``action`` names the button).

    True: go ahead (the profile becomes this browser's). False: this browser last used
    another profile, so the question is put up instead (:func:`confirm_box` draws it).
    """
    if needs_profile_confirmation(profile, store) is None:
        mark_used(profile.id)
        return True
    st.session_state[_PENDING] = (action, profile.id)
    return False


def confirm_box(
    store: Store, profile: Profile, action: str, on_yes: Callable[[], None] | None = None
) -> bool:
    """The question for a pending ``action``; True on the run after its "yes" was pressed
    (then record), unless ``on_yes`` was given: it then runs in the button's callback
    instead (for a form whose values a callback saves).
    """
    if st.session_state.get(_CONFIRMED) == (action, profile.id):
        del st.session_state[_CONFIRMED]
        return True
    pending = st.session_state.get(_PENDING)
    if pending != (action, profile.id):
        return False
    other = needs_profile_confirmation(profile, store)
    if other is None:
        st.session_state.pop(_PENDING, None)
        return False
    labels = profile_labels(store)
    mine, theirs = md_escape(labels[profile.id]), md_escape(labels[other])

    def yes() -> None:
        st.session_state.pop(_PENDING, None)
        mark_used(profile.id)
        if on_yes is None:
            st.session_state[_CONFIRMED] = (action, profile.id)
        else:
            on_yes()

    with st.container(border=True, key=f"confirm_profile_{action}"):
        st.warning(
            f"This browser was last used for **{theirs}**. Is this for **{mine}**?",
            icon=":material/group:",
        )
        left, right = st.columns(2)
        left.button(
            f"Yes, it is for {labels[profile.id]}",
            type="primary",
            key=f"confirm_yes_{action}",
            on_click=yes,
            width="stretch",
        )
        if right.button(
            f"No, switch to {labels[other]}", key=f"confirm_no_{action}", width="stretch"
        ):
            st.session_state.pop(_PENDING, None)
            select_profile(other)
            st.rerun()
    return False


# --------------------------------------------------------------------------- PIN


@st.cache_resource(show_spinner=False)
def pin_throttle() -> LoginThrottle:
    """One throttle for the process, keyed by profile: a new tab costs a guesser nothing."""
    return LoginThrottle()


def is_locked(store: Store, profile: Profile) -> bool:
    """True while the profile has a PIN that was not entered in this browser session (or
    was changed since)."""
    stored = pin_hash(store, profile.id)
    if stored is None:
        return False
    return st.session_state.get(_UNLOCKED, {}).get(profile.id) != pins.fingerprint(stored)


def locked_profiles(store: Store) -> set[str]:
    """The profiles with a PIN not entered in this browser session (one query for all)."""
    unlocked = st.session_state.get(_UNLOCKED, {})
    return {
        profile_id
        for profile_id, stored in pin_hashes(store).items()
        if unlocked.get(profile_id) != pins.fingerprint(stored)
    }


def lock(profile_id: str) -> None:
    """Forget this session's unlock of the profile."""
    st.session_state.get(_UNLOCKED, {}).pop(profile_id, None)


def remember_unlocked(store: Store, profile_id: str) -> None:
    """Mark the profile unlocked in this session (after its PIN was set or entered)."""
    stored = pins.pin_hash(store, profile_id)
    if stored is not None:
        st.session_state.setdefault(_UNLOCKED, {})[profile_id] = pins.fingerprint(stored)


def _try_unlock(store: Store, profile_id: str) -> None:
    entered = st.session_state.get(_PIN_FIELD, "")
    st.session_state[_PIN_FIELD] = ""
    throttle, key = pin_throttle(), f"pin:{profile_id}"
    pending = throttle.wait_remaining(key)
    if pending > 0:
        st.session_state[_PIN_MESSAGE] = (
            f"Too many wrong PINs. Try again in {math.ceil(pending)} s."
        )
        return
    if pins.pin_matches(entered, pins.pin_hash(store, profile_id)):
        throttle.reset(key)
        remember_unlocked(store, profile_id)
        st.session_state.pop(_PIN_MESSAGE, None)
        return
    delay = throttle.record_failure(key)
    wait = f" Wait {math.ceil(delay)} s before the next try." if delay else ""
    st.session_state[_PIN_MESSAGE] = f"That PIN is not right.{wait}"


def unlock_form(store: Store, profile: Profile) -> None:
    """The only thing a locked profile shows: who it is and where to enter its PIN."""
    name = md_escape(profile_labels(store)[profile.id])
    st.title(f"{name}'s records are locked")
    st.write(
        "This profile has a PIN. Enter it to see and add to its records in this browser "
        "session. Someone else? Choose your own profile in the sidebar."
    )
    with st.form("pin_unlock", border=True):
        st.text_input("PIN", type="password", key=_PIN_FIELD, max_chars=pins.PIN_MAX_DIGITS)
        st.form_submit_button(
            "Unlock",
            type="primary",
            key="pin_unlock_submit",
            on_click=_try_unlock,
            args=(store, profile.id),
        )
    message = st.session_state.pop(_PIN_MESSAGE, None)
    if message:
        st.error(message, icon=":material/lock:")
    st.caption(
        "A PIN keeps others in your household out of your records in this app. It does not "
        "encrypt the data file: keep the computer's own account private too."
    )
