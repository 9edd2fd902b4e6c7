"""Unlock: the owner passphrase, asked before any page when one is set in secrets."""

from __future__ import annotations

import streamlit as st

from ui import access

stored_hash = access.owner_hash()
if stored_hash is None:  # the passphrase was removed since the page was built
    st.rerun()

st.title("Back on Track is locked")
st.write("Enter the owner passphrase to open it.")
with st.form("login_form", clear_on_submit=True, enter_to_submit=True):
    passphrase = st.text_input(
        "Passphrase", type="password", key="login_passphrase", autocomplete="current-password"
    )
    submitted = st.form_submit_button(
        "Unlock", type="primary", icon=":material/lock_open:", key="login_submit"
    )

if submitted:
    outcome = access.try_unlock(passphrase, stored_hash)
    if outcome.unlocked:
        st.rerun()
    elif not outcome.checked:
        st.warning(
            f"Too many wrong tries. Wait {access.seconds(outcome.wait_s)}, then try again.",
            icon=":material/hourglass_top:",
        )
    else:
        wait = f" Wait {access.seconds(outcome.wait_s)} before the next try."
        wait = wait if outcome.wait_s else ""
        st.error(f"That passphrase is not right.{wait}", icon=":material/error:")
st.caption(
    "Someone who was sent a share link does not need the passphrase: the link opens their "
    "read-only view directly."
)
