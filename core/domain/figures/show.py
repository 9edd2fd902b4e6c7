"""What the pages show of an exercise's figure: the SVG as an ``<img>``, ready to insert.

A moving figure comes with its still pair (start and end side by side) in a second image;
the CSS shows the pair instead when the reader asks for reduced motion, and when the page
is printed. The SVG goes in as a ``data:`` address, so nothing is fetched to show it and
the page's HTML sanitiser (which drops inline SVG) leaves it alone. Figures are drawn once
per exercise, mode and side in a process; an exercise whose keyframes failed their checks
gets an empty string, and the page shows its text steps alone.
"""

from __future__ import annotations

import functools
import html
from typing import Literal

from core.domain.catalog import default_catalog
from core.domain.figures import poses
from core.domain.figures.motion import Mode, session_mode
from core.domain.figures.svg import data_uri, figure_label, figure_svg
from core.domain.models import Exercise, Side

#: How large a figure is drawn: a thumbnail in a list, a start and end pair in a table's
#: row, beside the steps, or the session's.
Size = Literal["thumb", "row", "small", "large"]
MOVING: frozenset[Mode] = frozenset({"loop", "into_hold"})

#: The page CSS of every figure (each snippet carries it: an ``st.html`` block stands alone).
FIGURE_CSS = """
.bot-fig img { display: block; height: auto; max-width: 100%; }
.bot-fig-thumb img { height: 4rem; width: auto; object-fit: contain; }
.bot-fig-row { display: inline-block; vertical-align: middle; margin: 0 .5rem .2rem 0; }
.bot-fig-row img, .bot-fig-row svg { display: block; width: 8.5rem; height: auto; }
.bot-fig-small img { width: 100%; max-width: 20rem; }
.bot-fig-large { display: flex; justify-content: center; }
.bot-fig-large img { width: 100%; max-height: 22rem; object-fit: contain; }
@media (max-width: 640px) { .bot-fig-large img { width: auto; max-height: 6.5rem; } }
.bot-fig .bot-fig-pair { display: none; }
@media (prefers-reduced-motion: reduce), print {
  .bot-fig .bot-fig-move { display: none; }
  .bot-fig .bot-fig-pair { display: block; }
}
"""


@functools.lru_cache(maxsize=512)
def cached_svg(exercise_id: str, mode: Mode, side: Side) -> str | None:
    """The SVG of a catalogue exercise's figure (None when it has none), drawn once."""
    figure = poses.default_figures().get(exercise_id)
    if figure is None:
        return None
    return figure_svg(figure, default_catalog().get(exercise_id), mode, side)


def clear_cache() -> None:
    """Forget every figure drawn and the keyframe file read (for tests that swap it)."""
    cached_svg.cache_clear()
    poses.clear_cache()


def has_figure(exercise_id: str) -> bool:
    """True when the exercise's keyframes passed their checks (the app then draws it)."""
    return poses.default_figures().get(exercise_id) is not None


def _img(svg: str, css_class: str, alt: str) -> str:
    return f'<img class="{css_class}" src="{data_uri(svg)}" alt="{html.escape(alt)}">'


def figure_html(
    exercise: Exercise,
    mode: Mode = "loop",
    side: Side = "none",
    *,
    size: Size = "small",
    run: str = "",
    css: bool = True,
    inline: bool = False,
) -> str:
    """The figure as HTML, or ``""`` when the exercise has none.

    ``run`` marks one showing of a figure that moves once (a hold): the browser keeps an
    image's animation clock per address, so a new hold needs a new address to start its
    movement again. ``css=False`` leaves out the stylesheet (a page that already has it).
    ``inline`` writes a still's SVG into the HTML itself rather than as an image (for the
    report, a file that holds no ``<img>``); a still has no ``<style>`` and no ids, so
    many sit in one page without touching each other.
    """
    svg = cached_svg(exercise.id, mode, side)
    if svg is None:
        return ""
    if run:
        svg = svg.replace("<svg ", f'<svg data-run="{html.escape(run)}" ', 1)
    images = []
    if mode in MOVING and inline:
        raise ValueError("only a still figure can be written inline")
    if mode in MOVING:
        images.append(_img(svg, "bot-fig-move", figure_label(exercise, mode, side)))
        pair = cached_svg(exercise.id, "pair", side)
        if pair is not None:
            images.append(_img(pair, "bot-fig-pair", figure_label(exercise, "pair", side)))
    elif inline:
        images.append(svg)
    else:
        images.append(_img(svg, "bot-fig-still", figure_label(exercise, mode, side)))
    style = f"<style>{FIGURE_CSS}</style>" if css else ""
    return (
        f'{style}<div class="bot-fig bot-fig-{size}" data-figure="{exercise.id}" '
        f'data-mode="{mode}" data-side="{side}">{"".join(images)}</div>'
    )


def session_figure_html(
    exercise: Exercise, side: Side, phase: str | None, paused_phase: str | None, run: str
) -> str:
    """The session page's figure for the current exercise, side and phase (see
    :func:`~core.domain.figures.motion.session_mode`), large."""
    mode = session_mode(phase, paused_phase)
    return figure_html(exercise, mode, side, size="large", run=run if mode == "into_hold" else "")
