"""Tables as plain, escaped HTML: the dashboards' tables and the report's.

A page draws such a table as one element; ``st.table`` made a styled React node of every
cell, which took as long in the browser as drawing two more charts. The HTML is a real
``<table>`` with column headers, so screen readers and printing read it as a table.
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Mapping

import pandas as pd

#: What a cell without a value shows (a static table would print "nan" or "None").
NO_VALUE = "–"
#: The class of every table this module writes, for the page's and the report's CSS.
TABLE_CLASS = "bot-table"
#: Page CSS for :data:`TABLE_CLASS`: readable in the light theme, scrolls sideways on a phone.
TABLE_CSS = f"""
.{TABLE_CLASS}-wrap {{ overflow-x: auto; margin-bottom: 0.5rem; }}
table.{TABLE_CLASS} {{ border-collapse: collapse; width: 100%; font-size: 0.875rem; }}
table.{TABLE_CLASS} th, table.{TABLE_CLASS} td {{
  padding: 0.3rem 0.6rem; border-bottom: 1px solid rgba(49, 51, 63, 0.12);
  text-align: left; vertical-align: top;
}}
table.{TABLE_CLASS} th {{ font-weight: 600; color: rgba(49, 51, 63, 0.75); }}
table.{TABLE_CLASS} .num {{ text-align: right; font-variant-numeric: tabular-nums; }}
table.{TABLE_CLASS} caption {{ caption-side: bottom; text-align: left; font-size: 0.8rem; }}
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
) -> str:
    """``frame`` as an escaped HTML ``<table>`` (no index): numbers right-aligned with
    ``decimals[column]`` places (``places`` for other columns), a dash where a number is
    missing. The caller decides what an empty frame shows."""
    decimals = decimals or {}
    numeric = [pd.api.types.is_numeric_dtype(dtype) for dtype in frame.dtypes]
    head = "".join(
        f"<th scope='col'{_NUMBER_CELL if is_number else ''}>{html.escape(str(column))}</th>"
        for column, is_number in zip(frame.columns, numeric, strict=True)
    )
    column_places = [decimals.get(str(column), places) for column in frame.columns]
    rows = []
    for row in frame.itertuples(index=False):
        cells = "".join(
            f"<td{_NUMBER_CELL if is_number else ''}>"
            f"{html.escape(format_cell(value, column_place))}</td>"
            for value, is_number, column_place in zip(row, numeric, column_places, strict=True)
        )
        rows.append(f"<tr>{cells}</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        f"<table class='{TABLE_CLASS}'>{cap}<thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
