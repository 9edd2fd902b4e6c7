"""Progress dashboards (built in the dashboard issue)."""

from __future__ import annotations

import streamlit as st

from ui.state import get_store, require_profile

require_profile(get_store())
st.title("Progress")
st.info(
    "Coming soon: your adherence calendar, sessions per week against your target, and your "
    "pain trend against the six-week improvement window.",
    icon=":material/construction:",
)
