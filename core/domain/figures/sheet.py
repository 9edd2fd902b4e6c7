"""A contact sheet of every exercise's figure, to check them all at once against the steps.

``python -m core.domain.figures.sheet out.html`` writes one self-contained page: for each
of the 17 exercises, its steps beside every keyframe (right side, and the left side's
mirror image), the looping movement and the joint angles of each frame; and, at the top,
any figure the keyframe file gets wrong, with the reason. ``scripts/figure_sheet.py``
also screenshots it in Chromium.
"""

from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path

from core.domain.catalog import Catalog, default_catalog
from core.domain.figures.body import JOINT_LIMITS
from core.domain.figures.poses import FigureBook, load_figures
from core.domain.figures.svg import data_uri, figure_svg, still_svg

_CSS = """
body { font-family: system-ui, sans-serif; margin: 1rem; color: #1f2933; background: #fff; }
section { display: grid; grid-template-columns: 18rem 1fr; gap: 1rem; padding: .8rem 0;
  border-top: 1px solid #d5dde5; break-inside: avoid; }
h2 { font-size: 1.1rem; margin: 0 0 .3rem; }
ol { margin: .3rem 0; padding-left: 1.2rem; font-size: .9rem; }
.frames { display: flex; flex-wrap: wrap; gap: .6rem; align-items: flex-end; }
figure { margin: 0; text-align: center; font-size: .8rem; }
figure img { height: 230px; width: auto; max-width: 420px; border: 1px solid #eef1f4; }
.dark img { background: #0e1117; }
.angles { font: .7rem/1.3 monospace; color: #52606d; max-width: 18rem; }
.error { color: #b91c1c; font-weight: 600; }
"""


def _angles(angles: dict[str, float]) -> str:
    shown = [f"{joint} {value:g}" for joint, value in angles.items() if value]
    return ", ".join(shown) or "all joints at 0"


def sheet_html(book: FigureBook, catalog: Catalog) -> str:
    """The contact sheet's HTML: every exercise with its frames, movement and steps."""
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<title>Back on Track: exercise figures</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Exercise figures: every keyframe beside the steps</h1>",
        f"<p>Joint ranges (degrees): {html.escape(str(JOINT_LIMITS))}</p>",
    ]
    for exercise_id, error in book.errors.items():
        parts.append(f"<p class='error'>{html.escape(exercise_id)}: {html.escape(error)}</p>")
    for exercise in catalog:
        figure = book.get(exercise.id) or book.drafts.get(exercise.id)
        steps = "".join(f"<li>{html.escape(step)}</li>" for step in exercise.steps)
        parts.append(
            f"<section id='{exercise.id}'><div><h2>{exercise.number}. "
            f"{html.escape(exercise.name)}</h2><p>{html.escape(exercise.position)} · "
            f"{html.escape(exercise.dosage.sides)}</p><ol>{steps}</ol></div><div "
            "class='frames'>"
        )
        if exercise.id in book.errors:
            parts.append(
                "<p class='error'>Not shown in the app (the page shows the steps alone): "
                f"{html.escape(book.errors[exercise.id])}</p>"
            )
        if figure is not None:
            for name, frame in figure.frames.items():
                for mirror in (False, True) if exercise.dosage.sides != "none" else (False,):
                    label = f"{exercise.name}: {name}{' (left side)' if mirror else ''}"
                    svg = still_svg(figure, (name,), mirror, label)
                    parts.append(
                        f"<figure><img src='{data_uri(svg)}' alt='{html.escape(label)}'>"
                        f"<figcaption>{html.escape(name)}{' · left' if mirror else ''}"
                        "</figcaption></figure>"
                    )
                parts.append(
                    f"<div class='angles'>{html.escape(name)}: "
                    f"{html.escape(_angles(frame.angles))}</div>"
                )
            loop = figure_svg(figure, exercise, "loop")
            parts.append(
                f"<figure class='dark'><img src='{data_uri(loop)}' alt='movement'>"
                f"<figcaption>movement ({len(loop) / 1000:.1f} kB), on a dark page"
                "</figcaption></figure>"
            )
        parts.append("</div></section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m core.domain.figures.sheet", description=__doc__
    )
    parser.add_argument("out", type=Path, help="the HTML file to write")
    parser.add_argument("--poses", type=Path, help="a keyframe file (default data/poses.toml)")
    args = parser.parse_args(argv)
    catalog = default_catalog()
    book = load_figures(args.poses, catalog)
    args.out.write_text(sheet_html(book, catalog), encoding="utf-8")
    for exercise_id, error in book.errors.items():
        print(f"{exercise_id}: {error}", file=sys.stderr)
    print(f"{len(book.figures)} of {len(catalog)} figures drawn; wrote {args.out}")
    return 1 if book.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
