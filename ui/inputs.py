"""The inputs several pages ask for, drawn the same everywhere: a 0-10 pain rating, a whole
number within its allowed range, and an optional yes or no."""

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


YES_NO: dict[bool | None, str] = {False: "No", True: "Yes", None: "Prefer not to say"}


def yes_no(label: str, *, key: str, value: bool | None = None, where: Any = st) -> bool | None:
    """An optional yes or no: None when skipped or answered "Prefer not to say".

    ``value`` None starts with nothing chosen (a first answer); pass the saved answer when
    editing, where "Prefer not to say" is how an answer is taken back.
    """
    return where.radio(
        label,
        list(YES_NO),
        format_func=YES_NO.__getitem__,
        index=None if value is None else list(YES_NO).index(value),
        horizontal=True,
        key=key,
    )
