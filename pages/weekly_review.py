"""The weekly review (built in the dashboard issue)."""

from __future__ import annotations

import streamlit as st

from ui.state import get_store, require_profile

require_profile(get_store())
st.title("Weekly review")
st.info(
    "Coming soon: each week summed up: sessions done against your target, how your pain "
    "changed, the exercises that hurt, and a short weekly check-in.",
    icon=":material/construction:",
)
