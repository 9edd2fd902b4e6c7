"""Sharing with a therapist, reports and export (built in the sharing issue)."""

from __future__ import annotations

import streamlit as st

from ui.state import get_store, require_profile

require_profile(get_store())
st.title("Share & export")
st.info(
    "Coming soon: a read-only link for your physical therapist, a printable report, and "
    "export of all your data as CSV or Parquet.",
    icon=":material/construction:",
)
