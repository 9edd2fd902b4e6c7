"""Back on Track: page configuration, who may see what, and navigation; nothing else.

A share link (``?share=...``) gets the therapist view or the neutral message and nothing
more; with an owner passphrase set, the login page is the only page until it is entered;
otherwise the owner's pages (``ui/access.py`` decides, ``ui/registry.py`` lists the pages),
each headed by whose record it is, or the PIN form for a profile with a PIN
(``ui/household.py``).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.files import app_settings
from ui import access, household, theme
from ui.layout import sidebar
from ui.registry import OWNER_URL_PATHS, PageSpec, pages_for
from ui.state import current_profile, follow_pending_switch, get_store, released, show_notice

ICON = Path(__file__).resolve().parent / "assets" / "icon.png"
ABOUT = "Back on Track: a local-first tracker for a home exercise programme for back pain."
# An "About" item shows the app menu (the toolbar is otherwise minimal), and with it
# Streamlit's own choice of Light, Dark or the system's theme.
st.set_page_config(page_title="Back on Track", page_icon=str(ICON), menu_items={"About": ABOUT})


def page(spec: PageSpec, **overrides: object) -> st.Page:
    """The ``st.Page`` of a registry entry (``overrides`` for the login page's extra addresses)."""
    options: dict[str, object] = {
        "title": spec.title,
        "icon": spec.icon,
        "url_path": spec.url_path,
        "default": spec.default,
        "visibility": "visible" if spec.in_menu else "hidden",
    }
    return st.Page(spec.script, **(options | overrides))  # type: ignore[arg-type]


if access.share_requested():
    audience = "therapist" if access.resolve_share(get_store()) is not None else "bad_link"
    if audience == "therapist":
        theme.apply()  # the neutral message stays one element, nothing else
    with released(get_store()):
        st.navigation([page(spec) for spec in pages_for(audience)], position="hidden").run()
    st.stop()

try:
    passphrase_hash = access.owner_hash()
except access.SecretsUnreadable as error:
    access.stop_for_secrets(error)
    raise AssertionError("unreachable") from None

if passphrase_hash is not None and not access.is_unlocked(passphrase_hash):
    # Only the login page, also at every owner page's address: a deep link asks for the
    # passphrase first, then opens the page it named.
    (login,) = pages_for("locked")
    theme.style()  # its captions read at 4.5:1 too; no chart, so no theme watcher
    extra = [
        page(login, url_path=path, default=False, visibility="hidden") for path in OWNER_URL_PATHS
    ]
    st.navigation([page(login), *extra], position="hidden").run()
    st.stop()

theme.apply()
store = get_store()
with released(store):
    profile = current_profile(store)
    switched_on = app_settings.switched_on(app_settings.read_settings())
    navigation = st.navigation(
        [
            page(spec)
            for spec in pages_for("newcomer" if profile is None else "owner")
            if spec.switch is None or spec.switch in switched_on
        ]
    )
    follow_pending_switch()
    sidebar(store, profile)
    if passphrase_hash is not None:
        access.lock_button()
    if profile is not None:
        if household.is_locked(store, profile):
            # A profile with a PIN: no page of it runs until the PIN is entered.
            household.unlock_form(store, profile)
            st.stop()
        household.recording_for(store, profile)
    show_notice()
    navigation.run()
