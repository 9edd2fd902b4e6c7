"""Which frames a figure shows, in what order and at what pace, from the exercise's dosage.

The pace follows the exercise: into a hold and stay there, one movement per repetition,
one breath per round for a paced exercise (the first half of each round breathes in, as
the session's countdown says). A :class:`Motion` is a list of keys (a time, a frame, and
whether it is the mirror image); the figure moves smoothly from one key to the next and
stays where two keys name the same frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from core.domain.figures.poses import Figure
from core.domain.models import Dosage, Side

#: How long a figure takes to move into a hold, and to come back out of it.
MOVE_S = 2.0
#: How long the looping demonstration stays in a hold before coming back.
DEMO_HOLD_S = 3.0
#: A pause at the start position between two rounds of the demonstration.
DEMO_REST_S = 1.0
#: One movement of a repetition exercise counted by taps (out, or back).
REP_MOVE_S = 1.5
#: A short stop at each end of a repetition.
REP_STAY_S = 0.5

#: What a figure shows: its demonstration loop, one move into the hold that then stays,
#: a single still frame, or the start and held frames side by side.
Mode = Literal["loop", "into_hold", "still_start", "still_hold", "pair"]
MODES: tuple[Mode, ...] = ("loop", "into_hold", "still_start", "still_hold", "pair")


@dataclass(frozen=True)
class Key:
    """The figure is in ``frame`` (mirrored for the left side) at ``at_s`` seconds."""

    at_s: float
    frame: str
    mirror: bool = False


@dataclass(frozen=True)
class Motion:
    """Keys in time order; ``repeat`` loops them, otherwise the last one stays."""

    keys: tuple[Key, ...]
    repeat: bool

    @property
    def duration_s(self) -> float:
        return self.keys[-1].at_s

    @property
    def moves(self) -> bool:
        return len({(key.frame, key.mirror) for key in self.keys}) > 1


def _timeline(steps: list[tuple[str, float, float]], mirror: bool) -> list[Key]:
    """Keys from (frame, seconds to move there, seconds to stay) steps."""
    keys: list[Key] = []
    at = 0.0
    for index, (frame, move_s, stay_s) in enumerate(steps):
        if index:
            at += move_s
        keys.append(Key(at, frame, mirror))
        if stay_s > 0:
            at += stay_s
            keys.append(Key(at, frame, mirror))
    return keys


def demo_steps(
    figure: Figure, dosage: Dosage, cycle: Sequence[str]
) -> list[tuple[str, float, float]]:
    """One round of a cycle of frames as (frame, move s, stay s) at the exercise's pace."""
    cycle = list(cycle)
    if dosage.pace_s > 0:
        step = dosage.pace_s / (len(cycle) - 1)
        return [(frame, step, 0.0) for frame in cycle]
    if dosage.is_hold:
        held = [(frame, MOVE_S, DEMO_HOLD_S if frame == figure.hold else 0.0) for frame in cycle]
        return [*held[:-1], (cycle[-1], MOVE_S, DEMO_REST_S)]
    return [(frame, REP_MOVE_S, REP_STAY_S) for frame in cycle]


def motion_for(figure: Figure, dosage: Dosage, mode: Mode, side: Side = "right") -> Motion:
    """The motion of one figure in one mode, for one side.

    ``none`` is the demonstration on the Exercises page: the figure's whole cycle (for
    side-to-side, a tip to each side), drawn as the right side. A session's side plays
    the figure's ``side_cycle``, mirrored for the left side.
    """
    mirror = side == "left"
    if mode == "still_start":
        return Motion((Key(0.0, "start", mirror),), repeat=False)
    if mode == "still_hold":
        return Motion((Key(0.0, figure.hold, mirror),), repeat=False)
    if mode == "pair":
        return Motion(
            (Key(0.0, figure.still[0], mirror), Key(1.0, figure.still[1], mirror)), repeat=False
        )
    if mode == "into_hold":
        steps = [("start", 0.0, REP_STAY_S), (figure.hold, MOVE_S, 0.0)]
        return Motion(tuple(_timeline(steps, mirror)), repeat=False)
    cycle = figure.cycle if side == "none" else figure.side_cycle
    return Motion(tuple(_timeline(demo_steps(figure, dosage, cycle), mirror)), repeat=True)


def session_mode(phase: str | None, paused_phase: str | None = None) -> Mode:
    """What the session page shows in a phase: the start position while getting ready,
    resting or switching sides; the move into the hold during a hold; the exercise's own
    movement during repetitions; the position reached when paused."""
    if phase == "paused":
        return "still_hold" if paused_phase == "hold" else "still_start"
    if phase == "hold":
        return "into_hold"
    if phase in ("tap", "paced"):
        return "loop"
    return "still_start"
