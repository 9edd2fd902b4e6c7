"""Page-wide style the theme settings cannot express, and charts that follow a theme switch.

Captions: Streamlit draws them in a faded grey that falls under 4.5:1 against the light
theme's background (3.9:1). Here a caption takes the text colour of its theme, light or
dark, and fades it less, to 7:1 or more in both, so it still reads as secondary text.

Keyboard: a focused choice of a radio group (the pain scales) shows a ring. Streamlit
hides the radio input itself, and with it the browser's own focus ring.

Phones: the charts' toolbar (zoom, download) would sit on top of their legends at phone
width, where the charts neither zoom nor pan anyway; it is left out there.

Theme switch: the charts' own colours (black lines, grey labels) are picked on the server
from the theme the browser last reported (``st.context.theme``), and a switch in the app
menu's settings reports nothing until the next run. A small script watches the page's
background and asks for a run when its theme is no longer the one the charts were drawn
for; the run then draws them in the new theme's colours.
"""

from __future__ import annotations

import streamlit as st

#: How much a caption's text colour is faded: 7:1 or more against either theme's background.
CAPTION_OPACITY = "0.78"
CAPTION_CSS = (
    f'[data-testid="stCaptionContainer"] {{ color: inherit; opacity: {CAPTION_OPACITY}; }}'
)
PAGE_CSS = (
    CAPTION_CSS
    + """
[data-testid="stRadio"] label:has(input:focus-visible) {
  outline: 2px solid currentColor; outline-offset: 2px; border-radius: 0.25rem;
}
@media (max-width: 640px) {
  .js-plotly-plot .modebar-container { display: none !important; }
}
.st-key-theme_watch { display: none; }
"""
)
#: The style element itself (no data: the access tests tell it from the page's content).
PAGE_STYLE = f"<style>{PAGE_CSS}</style>"

#: Asks for a run once the page's theme (its background: dark or light, as Streamlit
#: infers it) differs from the one reported to the server, once per theme shown.
_WATCH_JS = """
export default function (component) {
  const { data, setTriggerValue } = component;
  const reported = (data || {}).theme;
  const shown = () => {
    const app = document.querySelector('[data-testid="stApp"]') || document.body;
    const parts = (getComputedStyle(app).backgroundColor.match(/[\\d.]+/g) || []).map(Number);
    if (parts.length < 3 || parts[3] === 0) return reported;
    const [r, g, b] = parts;
    return 0.299 * r + 0.587 * g + 0.114 * b < 128 ? "dark" : "light";
  };
  if (shown() === reported) window.__botThemeAsked = null;
  window.clearInterval(window.__botThemeWatch);
  window.__botThemeWatch = window.setInterval(() => {
    const now = shown();
    if (now !== reported && now !== window.__botThemeAsked) {
      window.__botThemeAsked = now;
      setTriggerValue("switched", now);
    }
  }, 250);
  return () => window.clearInterval(window.__botThemeWatch);
}
"""
#: The watcher's component name (it is no input: it sends only the theme the page shows).
WATCH_COMPONENT = "backontrack_theme_watch"
_watch = st.components.v2.component(WATCH_COMPONENT, html="<span></span>", js=_WATCH_JS)


def chart_theme() -> str:
    """The theme the charts are drawn for: the one the browser reported, light until it has."""
    return st.context.theme.type or "light"


def _switched() -> None:
    """Nothing to do: the run the switch asks for draws the charts again."""


def style() -> None:
    """Add the page-wide style alone (a page without charts: the login page)."""
    st.html(PAGE_STYLE)


def apply() -> None:
    """Add the page-wide style and the theme watcher (neither takes room on the page)."""
    style()
    _watch(
        data={"theme": chart_theme()},
        key="theme_watch",
        on_switched_change=_switched,
        height=0,
    )
