"""The browser benchmark's floor for a first page: a title and nothing else.

``python -m bench`` serves it right after starting its server, beside the app's first page
after a server start, so that Streamlit's own start-up and first page are the yardstick.
"""

from __future__ import annotations

import streamlit as st

st.title("Bare page")
