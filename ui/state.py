"""Where pages get the store and the current profile, with clear messages instead of tracebacks.

One DuckDB connection per process (``cache_resource``), one store per browser session
(``scope="session"``) with a cursor per thread (:class:`~core.db.session_store.SessionStore`):
DuckDB 2.0 refuses a second call on a busy cursor, a single shared cursor fails as soon as two
browser sessions run at once, and one session's runs overlap while a stopped run winds down.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import threading
from collections.abc import Iterator

import streamlit as st

from core.db.connection import database_target
from core.db.migrations import SchemaTooNewError
from core.db.session_store import SessionStore
from core.db.store import Store, StoreError
from core.db.versions import file_version
from core.domain.catalog import Catalog, CatalogError, default_catalog
from core.domain.models import Profile
from core.sharing import pins
from ui import memo

PROFILE_KEY = "profile_id"
#: The cookie that remembers, in this browser, the profile last chosen or recorded for.
PROFILE_COOKIE = "backontrack_profile"
_COOKIE_WRITE_KEY = "profile_cookie_write"
_XSRF_COOKIE = "_streamlit_xsrf"
_SESSION_BROWSER_KEY = "browser_session_key"


# Opening is instant, except the first time a big shared file written profile by profile in
# turn is sorted by profile (core.db.clustering), which takes a while: say so meanwhile.
@st.cache_resource(show_spinner="Opening your data file...")
def _database(target: str) -> Store:
    store = Store.open(target)
    memo.forget(target)  # a file opened anew may hold other profiles than the last read
    return store


@st.cache_resource(scope="session", on_release=Store.close, show_spinner=False)
def _session_store(target: str) -> Store:
    return SessionStore.sharing(_database(target))


def process_store() -> Store:
    """The process's own store of the data file, for work outside any browser session (a
    share link's view prepared ahead, ui/prefetch.py); raises StoreError if it cannot open."""
    return _database(database_target())


def _stop_with(title: str, message: str) -> None:
    st.error(f"**{title}**\n\n{message}", icon=":material/error:")
    st.button("Try again", key="retry_database", type="primary")
    st.stop()


def get_store() -> Store:
    """This browser session's store; stops the page with a clear message if the file is unusable."""
    try:
        return _session_store(database_target())
    except SchemaTooNewError as error:
        _stop_with("This data file is from a newer version", str(error))
    except StoreError as error:
        _stop_with("The data file cannot be opened", str(error))
    raise AssertionError("unreachable")


@contextlib.contextmanager
def released(store: Store) -> Iterator[None]:
    """Run a page, then let the session's cursor finish any result it left open, however
    the run ends (st.stop and st.rerun included): an idle session holds no transaction,
    which would keep a deletion's checkpoint waiting (core.db.erasure)."""
    try:
        yield
    finally:
        store.release()


def get_catalog() -> Catalog:
    """The exercise catalogue; a broken catalogue file stops the page with its error."""
    try:
        return default_catalog()
    except CatalogError as error:
        _stop_with("The exercise list is damaged", str(error))
    raise AssertionError("unreachable")


def list_profiles(store: Store) -> list[Profile]:
    """The file's profiles, read again only after a write: app.py, the sidebar and every
    page ask for them on each rerun, and a clinic file holds a thousand (profiles are
    frozen, so the remembered tuple is shared safely)."""
    return list(_profiles(store, file_version()))


@memo.memo(entries=4)
def _profiles(_store: Store, version: int) -> tuple[Profile, ...]:
    return tuple(_store.list_profiles())


def pin_hashes(store: Store) -> dict[str, str]:
    """Every profile's PIN hash, read again only after a write: the sidebar and the lock
    check ask on every run. Shared: not to be changed."""
    return _pin_hashes(store, file_version())


def pin_hash(store: Store, profile_id: str) -> str | None:
    """The profile's PIN hash, None without a PIN (see :func:`pin_hashes`)."""
    return pin_hashes(store).get(profile_id)


@memo.memo(entries=4)
def _pin_hashes(_store: Store, version: int) -> dict[str, str]:
    return pins.pin_hashes(_store)


# --------------------------------------------------------------------------- this browser


def xsrf_token(cookie: str) -> bytes | None:
    """The token inside Streamlit's XSRF cookie (Tornado's format), or None.

    The browser keeps one token, but every page load writes it again under a new random
    mask ("2|mask|masked token|time"), so the cookie's text differs from tab to tab and
    reload to reload; the unmasked token is the same.
    """
    parts = cookie.split("|")
    try:
        if len(parts) == 4 and parts[0] == "2":
            mask, masked = bytes.fromhex(parts[1]), bytes.fromhex(parts[2])
            if len(mask) != 4 or not masked:
                return None
            return bytes(byte ^ mask[i % 4] for i, byte in enumerate(masked))
        return bytes.fromhex(cookie) or None  # version 1: the token in hex
    except ValueError:
        return None


def browser_key() -> str:
    """A key for this browser: the token of its XSRF cookie (the same across reloads and
    tabs), hashed; else this session's own random key (no cookies, as in AppTest)."""
    cookie = st.context.cookies.get(_XSRF_COOKIE)
    token = xsrf_token(cookie) if isinstance(cookie, str) else None
    if token is not None:
        return "browser:" + hashlib.sha256(token).hexdigest()[:32]
    if _SESSION_BROWSER_KEY not in st.session_state:
        st.session_state[_SESSION_BROWSER_KEY] = "session:" + secrets.token_hex(16)
    return str(st.session_state[_SESSION_BROWSER_KEY])


@st.cache_resource(show_spinner=False)
def _last_used_by_browser() -> tuple[dict[str, str], threading.Lock]:
    """Browser key -> the profile last chosen or recorded for in any of its tabs (this
    server's memory; the cookie carries it over a restart)."""
    return {}, threading.Lock()


def last_used_profile() -> str | None:
    """The profile this browser last chose or recorded for, in any tab: the server's memory,
    else the cookie the browser sent when this session began."""
    memory, lock = _last_used_by_browser()
    with lock:
        remembered = memory.get(browser_key())
    if remembered is None:
        cookie = st.context.cookies.get(PROFILE_COOKIE)
        remembered = cookie if isinstance(cookie, str) and cookie else None
    return remembered


def mark_used(profile_id: str) -> None:
    """Remember ``profile_id`` as this browser's profile: in the server's memory at once, and
    in the browser's cookie (written by :func:`pending_cookie`'s component) for a restart."""
    memory, lock = _last_used_by_browser()
    with lock:
        memory[browser_key()] = profile_id
    previous = st.session_state.get(_COOKIE_WRITE_KEY)
    serial = 1 if previous is None else int(previous[1]) + 1
    st.session_state[_COOKIE_WRITE_KEY] = (profile_id, serial)


def pending_cookie() -> tuple[str, int] | None:
    """The profile id this session last marked as used and a serial number (the cookie's
    writer writes each serial once), or None while this session marked none."""
    pending = st.session_state.get(_COOKIE_WRITE_KEY)
    return None if pending is None else (str(pending[0]), int(pending[1]))


def current_profile(store: Store) -> Profile | None:
    """The profile this browser session works on: the one chosen in it; else the one this
    browser last used (another tab's choice, or the cookie after a reload or a restart);
    else the first in the file."""
    profiles = list_profiles(store)
    if not profiles:
        return None
    by_id = {profile.id: profile for profile in profiles}
    chosen = st.session_state.get(PROFILE_KEY)
    if chosen in by_id:
        return by_id[chosen]
    remembered = last_used_profile()
    profile = by_id.get(remembered or "", profiles[0])
    st.session_state[PROFILE_KEY] = profile.id
    return profile


def needs_profile_confirmation(profile: Profile, store: Store) -> str | None:
    """The other profile this browser last used, when it is not ``profile`` (recording for
    ``profile`` should then be confirmed once); None when there is nothing to ask."""
    remembered = last_used_profile()
    if remembered is None or remembered == profile.id:
        return None
    return remembered if remembered in {p.id for p in list_profiles(store)} else None


def require_profile(store: Store) -> Profile:
    """The current profile; pages behind setup call this and never see None."""
    profile = current_profile(store)
    if profile is None:
        st.info("Set up your profile first.")
        st.page_link("views/setup.py", label="Start the setup", icon=":material/arrow_forward:")
        st.stop()
    return profile


def select_profile(profile_id: str) -> None:
    """Work on ``profile_id`` from the next run on, in this tab and as this browser's choice
    (the sidebar's switcher, setup, a restore)."""
    st.session_state[PROFILE_KEY] = profile_id
    mark_used(profile_id)


_NOTICE_KEY = "page_notice"


def leave_notice(text: str) -> None:
    """Show ``text`` (plain words, already escaped) at the top of the next page drawn."""
    st.session_state[_NOTICE_KEY] = text


def show_notice() -> None:
    """Called by app.py above every page: the notice a previous run left, once."""
    text = st.session_state.pop(_NOTICE_KEY, None)
    if text:
        st.success(text, icon=":material/check_circle:")


_SWITCH_KEY = "switch_to_page"


def go_to_after_rerun(page: str) -> None:
    """Rerun the app, then open ``page`` (which may only exist in the next run's navigation)."""
    st.session_state[_SWITCH_KEY] = page
    st.rerun()


def follow_pending_switch() -> None:
    """Called by app.py once the navigation is built: open a page a previous run asked for."""
    page = st.session_state.pop(_SWITCH_KEY, None)
    if page:
        st.switch_page(page)
