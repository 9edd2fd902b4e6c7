"""Who may see what: share links (the therapist view) and the owner passphrase gate.

``app.py`` asks three questions here before it builds the navigation:

1. Does this browser session come through a share link (``?share=...``)? Then it gets the
   therapist view for a valid token, or one neutral message for any other, and never an
   owner page: a session that came in through a link stays a share session.
2. Is an owner passphrase set in ``.streamlit/secrets.toml`` and this session not yet
   unlocked? Then the login page is the only page.
3. Otherwise: the owner's pages.

Nothing here logs, shows or stores the token; the session keeps only the link's id.
"""

from __future__ import annotations

import hashlib
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import streamlit as st

from core.db.store import Store
from core.domain.validation import ValidationError
from core.domain.wording import plural
from core.sharing import links as sharing
from core.sharing import passphrase as owner_passphrase
from core.sharing.links import ShareGrant
from core.sharing.throttle import BadTokenThrottle, LoginThrottle
from ui import clock
from ui.state import browser_key, get_store

INVALID_LINK = "This link is not valid. Ask for a new one."
BASE_URL_SECRET = "public_base_url"
LOGIN_THROTTLE_KEY = "owner"  # one process-wide key: a new browser session costs nothing

_SHARE_MODE = "share_mode"
_GRANT = "share_grant"
_LOGGED = "share_logged_links"
_UNLOCKED = "owner_unlocked"
_LOCAL_ADDRESSES = frozenset({"127.0.0.1", "localhost", "::1"})
_PROBE_TOKEN = "A" * sharing.TOKEN_CHARS
#: Seconds between checks of an open therapist view's link (tests shorten it).
LINK_CHECK_S = int(os.environ.get("BACKONTRACK_LINK_CHECK_S", "60"))
#: How the pages wait; tests replace it to count the waits instead of sleeping.
sleep: Callable[[float], None] = time.sleep


class SecretsUnreadable(Exception):
    """``.streamlit/secrets.toml`` exists but cannot be read, or holds a broken value."""


# --------------------------------------------------------------------------- secrets


def read_secret(name: str) -> object | None:
    """A value from ``st.secrets``; None when it is not set or there is no secrets file.

    Raises SecretsUnreadable when a secrets file exists but cannot be parsed: the gate
    then fails closed instead of guessing that no passphrase is set.
    """
    try:
        return st.secrets.get(name)
    except FileNotFoundError as error:  # StreamlitSecretNotFoundError
        if error.__cause__ is None and str(error).startswith("No secrets found"):
            return None
        raise SecretsUnreadable(
            "The secrets file (.streamlit/secrets.toml) cannot be read. Fix it or remove it, "
            "then restart the app."
        ) from None


def owner_hash() -> str | None:
    """The owner passphrase hash from secrets, or None if none is set.

    Raises SecretsUnreadable for a value that is not a hash made by
    ``python -m core.sharing.passphrase``.
    """
    stored = read_secret(owner_passphrase.SECRETS_KEY)
    if stored is None or stored == "":
        return None
    if not owner_passphrase.is_valid_hash(stored):
        raise SecretsUnreadable(
            f"The {owner_passphrase.SECRETS_KEY} in .streamlit/secrets.toml is not a passphrase "
            "hash. Make a new one with `python -m core.sharing.passphrase`, put its line in the "
            "file, and restart."
        )
    return str(stored).strip()


def stop_for_secrets(error: SecretsUnreadable) -> None:
    """Show why the app cannot start safely, and nothing else."""
    st.error(f"**Back on Track cannot start safely.**\n\n{error}", icon=":material/lock:")
    st.stop()


def public_base_url() -> str:
    """Where share links point: ``public_base_url`` from secrets, else this app's address.

    Raises ValidationError (in words) if the configured address is unusable.
    """
    configured = read_secret(BASE_URL_SECRET)
    if configured is not None and not isinstance(configured, str):
        raise ValidationError(f"{BASE_URL_SECRET} in .streamlit/secrets.toml must be text.")
    base = configured or _this_address() or sharing.DEFAULT_BASE_URL
    sharing.share_url(base, _PROBE_TOKEN)  # raises ValidationError for a bad address
    return base


def _this_address() -> str | None:
    url = st.context.url
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    prefix = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{parts.scheme}://{parts.netloc}" + (f"/{prefix}" if prefix else "")


def is_local_only(base_url: str) -> bool:
    """True when a link to ``base_url`` can only be opened on this computer."""
    return (urlsplit(base_url).hostname or "") in _LOCAL_ADDRESSES


# --------------------------------------------------------------------------- share links


def share_requested() -> bool:
    """True when this run must show the therapist view (or the neutral message) only."""
    return sharing.QUERY_PARAM in st.query_params or bool(st.session_state.get(_SHARE_MODE))


@st.cache_resource(show_spinner=False)
def bad_token_throttle() -> BadTokenThrottle:
    """One throttle for the whole process, keyed per browser session."""
    return BadTokenThrottle()


def resolve_share(store: Store) -> ShareGrant | None:
    """Check this run's token: the grant it gives, or None for any token that is not valid.

    Every bad token (unknown, malformed, expired, revoked, missing) takes the same path and
    gets the same answer; after a few in a row from one browser each one waits longer on
    the server before the neutral message. A valid opening is logged once per session.
    """
    st.session_state[_SHARE_MODE] = True
    token = st.query_params.get(sharing.QUERY_PARAM)
    throttle = bad_token_throttle()
    # Reloading the page starts a new session but keeps the browser: trying one token after
    # another by editing the address still counts against one browser.
    key = browser_key()
    pending = throttle.wait_remaining(key)
    if pending > 0:
        sleep(pending)
    grant = sharing.verify(store, token, now=clock.now())
    if grant is None:
        st.session_state[_GRANT] = None
        sleep(throttle.record_failure(key))
        return None
    logged: set[str] = st.session_state.setdefault(_LOGGED, set())
    if grant.link_id not in logged:
        sharing.record_access(store, grant, now=clock.now())
        logged.add(grant.link_id)
    st.session_state[_GRANT] = grant
    return grant


def current_grant() -> ShareGrant | None:
    """The grant ``app.py`` resolved for this run (None if the link is not valid)."""
    grant = st.session_state.get(_GRANT)
    return grant if isinstance(grant, ShareGrant) else None


@st.fragment(run_every=LINK_CHECK_S)
def watch_link() -> None:
    """While a therapist view is open, re-check its link every minute.

    The view has no widget, so nothing else reruns it: without this, a revoked or expired
    link would stay on screen until a reload. When the link is no longer valid the whole
    app reruns, which shows the neutral message instead.
    """
    token = st.query_params.get(sharing.QUERY_PARAM)
    if sharing.verify(get_store(), token, now=clock.now()) is None:
        st.rerun(scope="app")


def show_invalid_link() -> None:
    """The one answer to every token that is not valid: no data, no hint why."""
    st.title("Back on Track")
    st.info(INVALID_LINK, icon=":material/link_off:")


# --------------------------------------------------------------------------- owner gate


def _fingerprint(stored_hash: str) -> str:
    # Unlocking remembers which hash it matched: a new passphrase locks every session again.
    return hashlib.sha256(stored_hash.encode("utf-8")).hexdigest()


def is_unlocked(stored_hash: str) -> bool:
    """True once this browser session entered the passphrase that matches ``stored_hash``."""
    return st.session_state.get(_UNLOCKED) == _fingerprint(stored_hash)


@st.cache_resource(show_spinner=False)
def login_throttle() -> LoginThrottle:
    """One throttle for the whole process: wrong guesses slow every session down."""
    return LoginThrottle()


@dataclass(frozen=True)
class LoginOutcome:
    """What a passphrase attempt did: unlocked, or refused with a wait in seconds."""

    unlocked: bool
    checked: bool
    wait_s: int


def try_unlock(passphrase: str, stored_hash: str) -> LoginOutcome:
    """Check a passphrase unless a wait is pending; unlock this session when it matches."""
    throttle = login_throttle()
    pending = throttle.wait_remaining(LOGIN_THROTTLE_KEY)
    if pending > 0:
        return LoginOutcome(unlocked=False, checked=False, wait_s=math.ceil(pending))
    if owner_passphrase.verify_passphrase(passphrase, stored_hash):
        throttle.reset(LOGIN_THROTTLE_KEY)
        st.session_state[_UNLOCKED] = _fingerprint(stored_hash)
        return LoginOutcome(unlocked=True, checked=True, wait_s=0)
    delay = throttle.record_failure(LOGIN_THROTTLE_KEY)
    return LoginOutcome(unlocked=False, checked=True, wait_s=math.ceil(delay))


def seconds(count: int) -> str:
    """ "1 second", "5 seconds"."""
    return plural(count, "second")


def lock() -> None:
    """Forget this session's unlock: the login page comes back."""
    st.session_state.pop(_UNLOCKED, None)


def lock_button() -> None:
    """A sidebar button that locks the app again (shown only when a passphrase is set)."""
    with st.sidebar:
        if st.button("Lock", icon=":material/lock:", key="lock_app", help="Ask for the passphrase"):
            lock()
            st.rerun()


# --------------------------------------------------------------------------- settings


def binding_note() -> tuple[str, str]:
    """How reachable the app is, in words, and a tone ("info" or "warning") for Settings."""
    address = str(st.get_option("server.address") or "")
    try:
        protected = owner_hash() is not None
    except SecretsUnreadable:
        protected = False
    if address in _LOCAL_ADDRESSES:
        if protected:
            return "info", (
                f"This app only listens on this computer ({address}), and an owner passphrase "
                "protects every page except valid share links."
            )
        return "info", (
            f"This app only listens on this computer ({address}): nobody else can open it, "
            "so no passphrase is set. Before serving it where others can reach it (for a "
            "live link to your therapist), set an owner passphrase: see “Sharing with your "
            "therapist” in the README."
        )
    where = (
        "every network address of this computer" if address in ("", "0.0.0.0", "::") else address
    )
    if protected:
        return "info", (
            f"This app listens on {where}, so other devices can reach it. An owner passphrase "
            "protects every page except valid share links."
        )
    return "warning", (
        f"This app listens on {where} and no owner passphrase is set: anyone who can reach it "
        "sees and changes everything. Set a passphrase (`python -m core.sharing.passphrase`, see "
        "the README) or start it with `--server.address 127.0.0.1`."
    )
