"""Editing a programme draft: pure list operations the Exercises page forwards clicks to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from core.models import ProgrammeItem


def move(items: Sequence[ProgrammeItem], index: int, offset: int) -> list[ProgrammeItem]:
    """The items with the one at ``index`` moved by ``offset`` places (clamped to the ends)."""
    result = list(items)
    if not 0 <= index < len(result):
        return result
    target = min(max(index + offset, 0), len(result) - 1)
    result.insert(target, result.pop(index))
    return result


def remove(items: Sequence[ProgrammeItem], index: int) -> list[ProgrammeItem]:
    """The items without the one at ``index``."""
    return [item for position, item in enumerate(items) if position != index]


def add(items: Sequence[ProgrammeItem], item: ProgrammeItem) -> list[ProgrammeItem]:
    """The items with ``item`` appended, unless that exercise is already in the programme."""
    if any(existing.exercise_id == item.exercise_id for existing in items):
        return list(items)
    return [*items, item]


def set_dose(
    items: Sequence[ProgrammeItem], index: int, *, reps: int, hold_s: int
) -> list[ProgrammeItem]:
    """The items with new reps and hold time for the one at ``index``."""
    return [
        replace(item, reps=reps, hold_s=hold_s) if position == index else item
        for position, item in enumerate(items)
    ]
