"""The dashboards' tables: their rows in plain words, and plain, escaped HTML to draw them.

A page draws such a table as one element (``st.table`` makes a styled React node of every
cell, far slower for the browser to draw). The HTML is a real ``<table>`` with column
headers, so screen readers and printing read it as a table. The report uses the same.
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Mapping, Sequence

import pandas as pd

from core.domain.catalog import default_catalog
from core.domain.figures.show import figure_html
from core.domain.measures import PGIC_OPTIONS
from core.domain.wording import format_change, format_day, format_pain, format_sessions
from core.progress.weekly import WeeklyReview, format_day_pain, hurt_words, target_words

#: What a cell without a value shows (a static table would print "nan" or "None").
NO_VALUE = "–"
#: The class of every table this module writes, for the page's and the report's CSS.
TABLE_CLASS = "bot-table"
#: A table with more columns than this is wider than a phone's screen: it gets a cue.
WIDE_COLUMNS = 4
#: The class of the wrapper of such a table.
WIDE_CLASS = "bot-table-wide"
#: What a table says above itself on a phone, where it is wider than the screen.
SCROLL_CUE = "Scroll sideways for every column \\2192"
#: Page CSS for :data:`TABLE_CLASS`: readable in light and dark; on a phone it keeps its
#: columns readable and scrolls sideways, saying so above itself.
TABLE_CSS = f"""
.{TABLE_CLASS}-wrap {{ overflow-x: auto; margin-bottom: 0.5rem; }}
table.{TABLE_CLASS} {{ border-collapse: collapse; width: 100%; font-size: 0.875rem; }}
table.{TABLE_CLASS} th, table.{TABLE_CLASS} td {{
  padding: 0.3rem 0.6rem; border-bottom: 1px solid rgba(128, 128, 128, 0.3);
  text-align: left; vertical-align: top;
}}
table.{TABLE_CLASS} th {{ font-weight: 600; opacity: 0.85; }}
table.{TABLE_CLASS} .num {{ text-align: right; font-variant-numeric: tabular-nums; }}
table.{TABLE_CLASS} caption {{ caption-side: bottom; text-align: left; font-size: 0.8rem; }}
.{TABLE_CLASS}-wrap:focus-visible {{ outline: 2px solid currentColor; outline-offset: 2px; }}
@media (max-width: 640px) {{
  .{TABLE_CLASS}-wrap.{WIDE_CLASS}::before {{
    content: "{SCROLL_CUE}"; display: block; font-size: 0.8rem; opacity: 0.8;
    margin-bottom: 0.25rem; position: sticky; left: 0;
  }}
  .{TABLE_CLASS}-wrap.{WIDE_CLASS} table.{TABLE_CLASS} {{ min-width: 48rem; }}
}}
"""


_NUMBER_CELL = ' class="num"'


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def format_cell(value: object, places: int = 1) -> str:
    """A cell as text: whole numbers as they are, other numbers with ``places`` decimals,
    :data:`NO_VALUE` for a missing value; texts as they are (an empty one stays empty)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return NO_VALUE
    if _is_number(value):
        number = float(value)  # type: ignore[arg-type]
        if math.isnan(number):
            return NO_VALUE
        if isinstance(value, numbers.Integral):
            return str(int(value))  # type: ignore[call-overload]
        return f"{number:.{places}f}"
    return str(value)


def html_table(
    frame: pd.DataFrame,
    *,
    decimals: Mapping[str, int] | None = None,
    places: int = 1,
    caption: str = "",
    lead: Sequence[str] | None = None,
) -> str:
    """``frame`` as an escaped HTML ``<table>`` (no index): numbers right-aligned with
    ``decimals[column]`` places (``places`` for other columns), a dash where a number is
    missing. ``lead`` is HTML put first in each row's first cell, unescaped: only ever
    markup the app builds itself (an exercise's figure), never a person's text. The
    caller decides what an empty frame shows."""
    decimals = decimals or {}
    numeric = [pd.api.types.is_numeric_dtype(dtype) for dtype in frame.dtypes]
    head = "".join(
        f"<th scope='col'{_NUMBER_CELL if is_number else ''}>{html.escape(str(column))}</th>"
        for column, is_number in zip(frame.columns, numeric, strict=True)
    )
    column_places = [decimals.get(str(column), places) for column in frame.columns]
    rows = []
    for index, row in enumerate(frame.itertuples(index=False)):
        cells = [
            f"<td{_NUMBER_CELL if is_number else ''}>"
            f"{html.escape(format_cell(value, column_place))}</td>"
            for value, is_number, column_place in zip(row, numeric, column_places, strict=True)
        ]
        if lead is not None and cells:
            cells[0] = cells[0].replace(">", f">{lead[index]}", 1)
        rows.append(f"<tr>{''.join(cells)}</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        f"<table class='{TABLE_CLASS}'>{cap}<thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


#: What each column of :func:`exercise_table_display` means, for the page's column help.
EXERCISE_COLUMN_HELP: dict[str, str] = {
    "Discuss": "Stopped for pain in two sessions in a row: talk it over with your therapist.",
    "Sessions": "Sessions that had this exercise in their plan.",
    "Done": "Sessions in which you did at least one hold or repetition of it.",
    "Stopped": "Sessions in which you stopped it for pain.",
    "Pain during": "Average pain you rated while doing it, when it hurt (0-10).",
    "Before": "Average pain before sessions that included it (0-10).",
    "After": "Average pain after those sessions (0-10).",
    "Change": "After minus before: below zero means less pain after.",
}


def exercise_table_display(table: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """The exercise table in plain words for the page and the report, in the table's order;
    its index holds the exercise ids (no column shows it)."""
    return pd.DataFrame(
        index=pd.Index(table["exercise_id"].astype(str).to_numpy(), name="exercise_id"),
        data={
            "Exercise": [names.get(e, e) for e in table["exercise_id"]],
            "Discuss": ["Yes" if flag else "" for flag in table["discuss"]],
            "Sessions": table["sessions"].to_numpy(),
            "Done": table["times_done"].to_numpy(),
            "Stopped": table["times_stopped"].to_numpy(),
            "Pain during": table["exercise_pain"].round(1).to_numpy(),
            "Before": table["pain_before"].round(1).to_numpy(),
            "After": table["pain_after"].round(1).to_numpy(),
            "Change": table["pain_change"].round(1).to_numpy(),
        },
    )


def exercise_figures(table: pd.DataFrame, *, inline: bool) -> list[str]:
    """Each row's figure (start and end position) for :func:`exercise_table_display`'s
    table: inline SVG for the report, an image for a page; ``""`` for an exercise without
    one (an id the catalogue no longer has, or a figure that failed its checks)."""
    catalog = default_catalog()
    return [
        figure_html(catalog.get(exercise_id), "pair", size="row", css=False, inline=inline)
        if exercise_id in catalog
        else ""
        for exercise_id in table.index
    ]


def dose_table_display(dose: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """Dose adherence per exercise and side in plain words, for the page's table."""
    return pd.DataFrame(
        {
            "Exercise": [names.get(e, e) for e in dose["exercise_id"]],
            "Side": [
                "" if side == "none" else side.capitalize() for side in dose["side"].astype(str)
            ],
            "Prescribed": dose["prescribed"].to_numpy(),
            "Done": dose["done"].to_numpy(),
            "Done %": dose["dose_pct"].round(0).to_numpy(),
        }
    )


WEEKLY_COLUMNS: tuple[str, ...] = (
    "Week",
    "Sessions",
    "Target",
    "Average pain",
    "Vs previous week",
    "Right after sessions",
    "Best day",
    "Worst day",
    "PGIC",
    "PSFS",
    "Exercises that hurt",
)


def weekly_table(reviews: Sequence[WeeklyReview], names: Mapping[str, str]) -> pd.DataFrame:
    """One row per week in plain words (for the therapist view and the report)."""
    rows = [
        {
            "Week": f"{format_day(r.week_start)} to {format_day(r.week_end)}",
            "Sessions": format_sessions(r.sessions, r.target),
            "Target": target_words(r),
            "Average pain": format_pain(r.pain_mean),
            "Vs previous week": format_change(r.change_vs_previous),
            "Right after sessions": format_change(r.session_effect.change),
            "Best day": format_day_pain(r.best_day),
            "Worst day": format_day_pain(r.worst_day),
            "PGIC": "–" if r.pgic is None else PGIC_OPTIONS[r.pgic],
            "PSFS": format_pain(r.psfs_mean),
            "Exercises that hurt": "; ".join(hurt_words(h, names) for h in r.hurt) or "–",
        }
        for r in reviews
    ]
    return pd.DataFrame(rows, columns=list(WEEKLY_COLUMNS), dtype="str")
