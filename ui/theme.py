"""Page-wide style the theme settings cannot express.

Captions: Streamlit draws them in a faded grey that falls under 4.5:1 against the light
theme's background (3.9:1). Here a caption takes the text colour of its theme, light or
dark, and fades it less, to 7:1 or more in both, so it still reads as secondary text.

Keyboard: a focused choice of a radio group (the pain scales) shows a ring. Streamlit
hides the radio input itself, and with it the browser's own focus ring.

Phones: the charts' toolbar (zoom, download) would sit on top of their legends at phone
width, where the charts neither zoom nor pan anyway; it is left out there.
"""

from __future__ import annotations

import streamlit as st

PAGE_CSS = """
[data-testid="stCaptionContainer"] { color: inherit; opacity: 0.78; }
[data-testid="stRadio"] label:has(input:focus-visible) {
  outline: 2px solid currentColor; outline-offset: 2px; border-radius: 0.25rem;
}
@media (max-width: 640px) {
  .js-plotly-plot .modebar-container { display: none !important; }
}
"""


def apply() -> None:
    """Add the page-wide style (takes no room on the page)."""
    st.html(f"<style>{PAGE_CSS}</style>")
