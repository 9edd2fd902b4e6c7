"""The session plan: a programme expanded into steps, and what a finished session adds up to.

``build_plan`` expands a programme into a flat tuple of ``Step``s (one per hold or
repetition, per side). The runner (:mod:`core.domain.session_runner`) walks that plan;
:func:`session_status` and :func:`dose_summary` sum up what was recorded against it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal, get_args

from core.domain.models import Exercise, ProgrammeItem, Side
from core.domain.validation import is_whole_number

StepKind = Literal["hold", "paced", "tap"]
Status = Literal["done", "skipped", "stopped_for_pain"]

STEP_KINDS: tuple[StepKind, ...] = get_args(StepKind)
STATUSES: tuple[Status, ...] = get_args(Status)
_SIDE_VALUES: tuple[Side, ...] = get_args(Side)


class SessionError(ValueError):
    """A call the runner cannot accept in its current phase, or invalid input."""


@dataclass(frozen=True)
class Step:
    """One hold or repetition of the flat session plan.

    ``rep`` counts within the exercise+side block for sides "both"/"none" and overall
    for "alternating"; ``reps_in_block`` is the matching total. ``duration_s`` is the
    hold length for holds, the pace for paced reps and 0 for tapped reps.
    ``rest_after_s`` is the rest before the next step when that step is in the same
    block (always 0 for paced and tapped reps).
    """

    index: int
    item_index: int
    exercise_id: str
    exercise_name: str
    side: Side
    rep: int
    reps_in_block: int
    kind: StepKind
    duration_s: int
    rest_after_s: int


def build_plan(items: Sequence[tuple[Exercise, ProgrammeItem]]) -> tuple[Step, ...]:
    """Expand programme items into the flat, ordered tuple of steps.

    The item gives reps and hold_s; the exercise's dosage gives sides, rest_s and pace_s.
    Sides "both": every rep on the right, then every rep on the left. "alternating":
    ``reps`` in total, right, left, right... "none": side "none".
    """
    steps: list[Step] = []
    for item_index, (exercise, item) in enumerate(items):
        if exercise.id != item.exercise_id:
            raise SessionError(
                f"Programme item {item_index + 1} is for {item.exercise_id!r} "
                f"but was paired with exercise {exercise.id!r}."
            )
        if not is_whole_number(item.reps) or item.reps < 0:
            raise SessionError(f"Reps for {exercise.name} must be a whole number of 0 or more.")
        if not is_whole_number(item.hold_s) or item.hold_s < 0:
            raise SessionError(f"Hold for {exercise.name} must be a whole number of 0 or more.")
        dosage = exercise.dosage
        kind: StepKind
        if item.hold_s > 0:
            kind, duration = "hold", item.hold_s
        elif dosage.pace_s > 0:
            kind, duration = "paced", dosage.pace_s
        else:
            kind, duration = "tap", 0
        rest = dosage.rest_s if kind == "hold" else 0

        # Each block is a list of sides; rest is taken only between steps of one block.
        blocks: list[list[Side]]
        if dosage.sides == "both":
            blocks = [["right"] * item.reps, ["left"] * item.reps]
        elif dosage.sides == "alternating":
            blocks = [["right" if i % 2 == 0 else "left" for i in range(item.reps)]]
        else:
            blocks = [["none"] * item.reps]
        for block in blocks:
            for rep_index, side in enumerate(block):
                is_last_in_block = rep_index == len(block) - 1
                steps.append(
                    Step(
                        index=len(steps),
                        item_index=item_index,
                        exercise_id=exercise.id,
                        exercise_name=exercise.name,
                        side=side,
                        rep=rep_index + 1,
                        reps_in_block=len(block),
                        kind=kind,
                        duration_s=duration,
                        rest_after_s=0 if is_last_in_block else rest,
                    )
                )
    return tuple(steps)


def prescribed_counts(plan: Sequence[Step]) -> dict[tuple[str, str], int]:
    """How many holds/reps the plan prescribes per (exercise_id, side), for dose adherence."""
    return dict(Counter((step.exercise_id, step.side) for step in plan))


def step_from_dict(raw: Mapping[str, Any]) -> Step:
    step = Step(
        index=raw["index"],
        item_index=raw["item_index"],
        exercise_id=raw["exercise_id"],
        exercise_name=raw["exercise_name"],
        side=raw["side"],
        rep=raw["rep"],
        reps_in_block=raw["reps_in_block"],
        kind=raw["kind"],
        duration_s=raw["duration_s"],
        rest_after_s=raw["rest_after_s"],
    )
    if step.side not in _SIDE_VALUES or step.kind not in STEP_KINDS:
        raise SessionError(f"Invalid step {raw!r}.")
    return step


# ------------------------------------------------------------------ summaries


@dataclass(frozen=True)
class ExerciseDose:
    """Holds or repetitions done against those prescribed, for one exercise and side."""

    exercise_id: str
    exercise_name: str
    side: Side
    done: int
    prescribed: int
    stopped_for_pain: bool


def plan_items_json(items: Sequence[ProgrammeItem]) -> list[dict[str, Any]]:
    """The programme snapshot a session stores, so the plan can be rebuilt after a restart."""
    return [asdict(item) for item in items]


def items_from_json(raw: Sequence[Mapping[str, Any]]) -> list[ProgrammeItem]:
    """Inverse of :func:`plan_items_json`."""
    return [
        ProgrammeItem(
            exercise_id=str(item["exercise_id"]), reps=int(item["reps"]), hold_s=int(item["hold_s"])
        )
        for item in raw
    ]


def session_status(plan: Sequence[Step], recorded: Mapping[int, Status]) -> str:
    """How a finished session is filed.

    "stopped_for_pain" if any hold or repetition was stopped for pain; "completed" if every
    step of the plan was done; otherwise "partial" (skipped steps, or ended early).
    """
    if any(status == "stopped_for_pain" for status in recorded.values()):
        return "stopped_for_pain"
    if plan and all(recorded.get(step.index) == "done" for step in plan):
        return "completed"
    return "partial"


def dose_summary(plan: Sequence[Step], recorded: Mapping[int, Status]) -> list[ExerciseDose]:
    """Per exercise and side, in plan order: how much was done of what was prescribed."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for step in plan:
        row = rows.setdefault(
            (step.exercise_id, step.side),
            {"name": step.exercise_name, "done": 0, "prescribed": 0, "pain": False},
        )
        row["prescribed"] += 1
        status = recorded.get(step.index)
        row["done"] += status == "done"
        row["pain"] = row["pain"] or status == "stopped_for_pain"
    return [
        ExerciseDose(
            exercise_id=exercise_id,
            exercise_name=row["name"],
            side=side,  # type: ignore[arg-type]
            done=row["done"],
            prescribed=row["prescribed"],
            stopped_for_pain=row["pain"],
        )
        for (exercise_id, side), row in rows.items()
    ]
