"""Exercise figures on the pages: each one ``st.html`` block in a container with a key.

The figure itself (SVG, sizes, the still pair for reduced motion and print) comes whole
from :mod:`core.domain.figures.show`; an exercise without a valid figure draws nothing,
so the page shows its text steps alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from core.domain.figures.motion import Mode
from core.domain.figures.show import Size, figure_html, session_figure_html
from core.domain.models import Exercise, Side


def figure(
    exercise: Exercise, mode: Mode = "loop", side: Side = "none", *, size: Size, key: str
) -> bool:
    """Draw an exercise's figure in a container keyed ``key``; False when it has none."""
    body = figure_html(exercise, mode, side, size=size)
    if not body:
        return False
    with st.container(key=key):
        st.html(body)
    return True


@contextmanager
def session_stage(
    exercise: Exercise | None, side: Side, phase: str | None, paused_phase: str | None, run: str
) -> Iterator[None]:
    """The session's large figure of the current exercise, side and phase (in a container
    keyed ``session_figure``), with what the block draws beside it: on a laptop the figure
    stands left of the countdown, on a phone the columns stack and it comes above. Above
    it on a laptop too would push the controls below the fold of a 900 px screen."""
    body = "" if exercise is None else session_figure_html(exercise, side, phase, paused_phase, run)
    if not body:
        yield
        return
    picture, beside = st.columns([1, 1], vertical_alignment="center")
    with picture, st.container(key="session_figure"):
        st.html(body)
    with beside:
        yield
