"""The inputs several pages ask for, drawn the same everywhere: a 0-10 pain rating, a whole
number within its range, an optional yes or no, and text with a length limit.

Bad input says why where it happens. A number out of range keeps what was typed, shows the
allowed range in its label and the problem under the field, and adds the problem to the
page's list so its save button can say why it cannot save. A text field takes any length
(a browser-side cap made a paste over it arrive empty); text over the limit is cut in the
field, counted, and explained, and that save is held back so the person can check it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from core.domain.validation import count_words, cut_message, cut_to_limit, range_problem

PAIN_OPTIONS: list[int] = list(range(11))
#: A text's count is shown once it reaches this share of its limit.
_COUNT_FROM = 0.9


def pain_scale(
    label: str,
    *,
    key: str,
    collapsed: bool = False,
    where: Any = st,
    value: int | None = None,
) -> int | None:
    """A 0-10 pain rating in one row, with no default: the person has to choose a number
    (``value`` only to correct a rating already given).

    ``collapsed`` hides the label (a heading above says it); ``where`` is a column or form.
    """
    return where.radio(
        label,
        PAIN_OPTIONS,
        index=None if value is None else PAIN_OPTIONS.index(value),
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
    problems: list[str] | None = None,
    show_problem: bool = True,
) -> int:
    """A whole number from ``low`` to ``high`` (``where``: a column or form, else the page).

    The field keeps whatever is typed (a browser-side bound silently kept the old value);
    out of range, the problem is added to ``problems`` and shown under the field (unless
    ``show_problem`` is False: a narrow column whose page shows it under the row).
    """
    allowed = f"{low}–{high}"
    shown = f"{label[:-1]}, {allowed})" if label.endswith(")") else f"{label} ({allowed})"
    entered = where.number_input(shown, value=value, step=1, key=key, help=help)
    problem = range_problem(label, entered, low, high)
    if problem is not None:
        if show_problem:
            where.error(problem, icon=":material/error:")
        if problems is not None:
            problems.append(problem)
    return int(entered)


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


# --------------------------------------------------------------------------- limited text


def _cut_key(key: str) -> str:
    return f"{key}__cut"


def _just_cut_key(key: str) -> str:
    return f"{key}__just_cut"


def cut_long_texts(fields: Mapping[str, tuple[int, str]]) -> None:
    """A callback (a form's submit button, a field's change): cut each field ``key`` over
    its ``(limit, what)`` to the limit, and note why for :func:`limited_text` and
    :func:`just_cut`."""
    for key, (limit, what) in fields.items():
        value = st.session_state.get(key)
        if not isinstance(value, str) or len(value) <= limit:
            st.session_state.pop(_cut_key(key), None)
            continue
        cut, had = cut_to_limit(value, limit)
        st.session_state[key] = cut
        st.session_state[_cut_key(key)] = cut_message(what, limit, had)
        st.session_state[_just_cut_key(key)] = True


def just_cut(*keys: str) -> bool:
    """True when one of these fields was cut in this run's callbacks (then do not save)."""
    return any([bool(st.session_state.pop(_just_cut_key(key), False)) for key in keys])


def limited_text(
    label: str,
    *,
    key: str,
    limit: int,
    what: str,
    area: bool = False,
    in_form: bool = True,
    where: Any = st,
    **options: Any,
) -> str:
    """A text field holding at most ``limit`` characters once saved (``what`` names it in
    the message). In a form, pass the field to :func:`cut_long_texts` in the submit
    button's callback; outside one (``in_form=False``) it is cut as soon as it changes."""
    widget = where.text_area if area else where.text_input
    if not in_form:
        options |= {"on_change": cut_long_texts, "args": ({key: (limit, what)},)}
    value = widget(label, key=key, **options)
    message = st.session_state.get(_cut_key(key))
    if message:
        where.warning(message, icon=":material/content_cut:")
    if message or len(value or "") >= _COUNT_FROM * limit:
        where.caption(count_words(len(value or ""), limit))
    return value or ""
