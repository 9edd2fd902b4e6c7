"""Back on Track: page configuration, who may see what, and navigation; nothing else.

A share link (``?share=...``) gets the therapist view or the neutral message and nothing
more; with an owner passphrase set, the login page is the only page until it is entered;
otherwise the owner's pages. See ``ui/access.py``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui import access
from ui.layout import sidebar
from ui.state import current_profile, follow_pending_switch, get_store

ICON = Path(__file__).resolve().parent / "assets" / "icon.png"
st.set_page_config(page_title="Back on Track", page_icon=str(ICON))

if access.share_requested():
    grant = access.resolve_share(get_store())
    shared = (
        st.Page("views/therapist.py", title="Shared progress", default=True)
        if grant is not None
        else st.Page(access.invalid_link_page, title="Back on Track", default=True)
    )
    st.navigation([shared], position="hidden").run()
    st.stop()

try:
    passphrase_hash = access.owner_hash()
except access.SecretsUnreadable as error:
    access.stop_for_secrets(error)
    raise AssertionError("unreachable") from None

if passphrase_hash is not None and not access.is_unlocked(passphrase_hash):
    # Only the login page, also at every owner page's address: a deep link asks for the
    # passphrase first, then opens the page it named.
    login = [
        st.Page("views/login.py", title="Unlock", icon=":material/lock:", default=True),
        *(
            st.Page("views/login.py", title="Unlock", url_path=path, visibility="hidden")
            for path in access.OWNER_URL_PATHS
        ),
    ]
    st.navigation(login, position="hidden").run()
    st.stop()

store = get_store()
profile = current_profile(store)

if profile is None:
    pages = [
        st.Page("views/setup.py", title="Welcome", icon=":material/waving_hand:", default=True)
    ]
else:
    pages = [
        st.Page("views/today.py", title="Today", icon=":material/today:", default=True),
        st.Page("views/exercises.py", title="Exercises", icon=":material/fitness_center:"),
        st.Page("views/session.py", title="Session", icon=":material/timer:"),
        st.Page("views/progress.py", title="Progress", icon=":material/monitoring:"),
        st.Page("views/weekly_review.py", title="Weekly review", icon=":material/event_note:"),
        st.Page("views/share_export.py", title="Share & export", icon=":material/ios_share:"),
        st.Page("views/settings.py", title="Settings", icon=":material/settings:"),
        st.Page(
            "views/setup.py",
            title="Add a profile",
            icon=":material/person_add:",
            url_path="setup",
            visibility="hidden",
        ),
    ]

navigation = st.navigation(pages)
follow_pending_switch()
sidebar(store, profile)
if passphrase_hash is not None:
    access.lock_button()
navigation.run()
