"""A person's programme: which exercises they may pick, which a session runs, how long it takes,
and the list edits the Exercises page forwards clicks to. Pure functions over the catalogue."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from core.domain.catalog import Catalog, exercise_for
from core.domain.models import Exercise, ProgrammeItem

LeftOutReason = Literal["unknown", "arches_back", "flagged"]


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


def eligible_exercises(catalog: Catalog, recent_surgery: bool) -> tuple[Exercise, ...]:
    """Exercises a user may pick: all of them, minus back-arching ones after recent surgery."""
    if not recent_surgery:
        return catalog.exercises
    return tuple(exercise for exercise in catalog.exercises if not exercise.arches_back)


def excluded_for_surgery(catalog: Catalog) -> tuple[Exercise, ...]:
    """The back-arching exercises left out for anyone who recently had lower-back surgery."""
    return tuple(exercise for exercise in catalog.exercises if exercise.arches_back)


def filter_programme(
    items: Iterable[ProgrammeItem], catalog: Catalog, recent_surgery: bool
) -> list[ProgrammeItem]:
    """The programme without back-arching exercises when ``recent_surgery`` is true.

    Order is kept. Raises :class:`CatalogError` for an item whose exercise is unknown.
    """
    kept: list[ProgrammeItem] = []
    for item in items:
        exercise = exercise_for(item, catalog)
        if recent_surgery and exercise.arches_back:
            continue
        kept.append(item)
    return kept


def estimate_duration_s(
    items: Iterable[ProgrammeItem],
    catalog: Catalog,
    lead_in_s: int = 5,
    tap_rep_s: int = 4,
) -> int:
    """Estimated seconds a programme takes, from each item's reps and hold.

    Per item, with ``blocks`` = 2 when the exercise's sides are "both" (all reps on the
    right, then all on the left), else 1, and ``total_reps`` = reps * blocks:

    - lead-in: ``blocks * lead_in_s`` (one get-ready countdown per side block);
    - hold exercise (hold_s > 0):
      ``total_reps * hold_s + blocks * (reps - 1) * rest_s`` (rests between holds
      within a block; none after the last hold of a block);
    - paced repetitions (pace_s > 0): ``total_reps * pace_s``;
    - tapped repetitions (the user taps each one): ``total_reps * tap_rep_s``.

    The sum over all items is returned. Unknown exercises raise :class:`CatalogError`.
    """
    if lead_in_s < 0 or tap_rep_s < 0:
        raise ValueError("lead_in_s and tap_rep_s must be 0 or more")
    total = 0
    for item in items:
        exercise = exercise_for(item, catalog)
        dosage = exercise.dosage
        blocks = 2 if dosage.sides == "both" else 1
        total_reps = item.reps * blocks
        total += blocks * lead_in_s
        if dosage.is_hold:
            total += total_reps * item.hold_s + blocks * max(item.reps - 1, 0) * dosage.rest_s
        elif dosage.pace_s > 0:
            total += total_reps * dosage.pace_s
        else:
            total += total_reps * tap_rep_s
    return total


@dataclass(frozen=True)
class LeftOut:
    """An exercise of the saved programme that a session leaves out, and why."""

    exercise_id: str
    reason: LeftOutReason


@dataclass(frozen=True)
class SessionChoice:
    """What a session of the saved programme runs (in order), and what it leaves out."""

    items: tuple[ProgrammeItem, ...]
    left_out: tuple[LeftOut, ...]

    @property
    def flagged(self) -> tuple[str, ...]:
        """The exercises left out until the person's therapist clears them."""
        return tuple(item.exercise_id for item in self.left_out if item.reason == "flagged")


def session_exercises(
    items: Iterable[ProgrammeItem],
    catalog: Catalog,
    *,
    recent_surgery: bool,
    flagged: Mapping[str, str] | Iterable[str] = (),
) -> SessionChoice:
    """The one rule for which of the saved programme's exercises a session runs.

    Left out, in this order of reasons: an exercise the catalogue no longer has; one that
    arches the back, after recent back surgery; one flagged to discuss with a therapist
    (stopped for pain in two sessions in a row). Today, the Session page and the calendar
    file all ask this function, so they agree on the count and the length.
    """
    flagged_ids = set(flagged)
    kept: list[ProgrammeItem] = []
    left_out: list[LeftOut] = []
    for item in items:
        if item.exercise_id not in catalog:
            left_out.append(LeftOut(item.exercise_id, "unknown"))
        elif recent_surgery and catalog.get(item.exercise_id).arches_back:
            left_out.append(LeftOut(item.exercise_id, "arches_back"))
        elif item.exercise_id in flagged_ids:
            left_out.append(LeftOut(item.exercise_id, "flagged"))
        else:
            kept.append(item)
    return SessionChoice(items=tuple(kept), left_out=tuple(left_out))


def pickable_exercises(
    catalog: Catalog, *, recent_surgery: bool, flagged: Iterable[str] = ()
) -> tuple[Exercise, ...]:
    """Exercises a person may pick for a session of their own choosing, in article order."""
    flagged_ids = set(flagged)
    return tuple(
        exercise
        for exercise in eligible_exercises(catalog, recent_surgery)
        if exercise.id not in flagged_ids
    )
