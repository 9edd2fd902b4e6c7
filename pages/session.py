"""The guided, timed session (built in the session issue)."""

from __future__ import annotations

import streamlit as st

from ui.state import get_store, require_profile

require_profile(get_store())
st.title("Session")
st.info(
    "Coming soon: a guided session with a countdown for every hold, a sound when each hold "
    'ends, rests, side switches, pain ratings before and after, and a "This hurts - stop" '
    "button. Until then, your programme is on the Today page.",
    icon=":material/construction:",
)
