"""The inputs several pages ask for, drawn the same everywhere: a 0-10 pain rating and a
whole number within its allowed range."""

from __future__ import annotations

from typing import Any

import streamlit as st

PAIN_OPTIONS: list[int] = list(range(11))


def pain_scale(label: str, *, key: str, collapsed: bool = False, where: Any = st) -> int | None:
    """A 0-10 pain rating in one row, with no default: the person has to choose a number.

    ``collapsed`` hides the label (a heading above says it); ``where`` is a column or form.
    """
    return where.radio(
        label,
        PAIN_OPTIONS,
        index=None,
        horizontal=True,
        key=key,
        label_visibility="collapsed" if collapsed else "visible",
    )


def whole_number(
    label: str,
    *,
    low: int,
    high: int,
    value: int,
    key: str,
    help: str | None = None,
    where: Any = st,
) -> int:
    """A whole number from ``low`` to ``high`` (``where``: a column or form, else the page)."""
    return int(
        where.number_input(
            label, min_value=low, max_value=high, value=value, step=1, key=key, help=help
        )
    )
