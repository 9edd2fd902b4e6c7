"""Plain typed records shared across the core: exercises, dosages, programmes, profiles.

They hold no behaviour beyond small derived values, so every module (catalogue,
store, session runner, metrics) can agree on one shape without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

Group = Literal["flexibility", "strength"]
Sides = Literal["both", "alternating", "none"]
Side = Literal["right", "left", "none"]

GROUPS: tuple[Group, ...] = ("flexibility", "strength")
SIDES: tuple[Sides, ...] = ("both", "alternating", "none")
EQUIPMENT: tuple[str, ...] = ("mat", "table", "chair")


@dataclass(frozen=True)
class Dosage:
    """How much of one exercise a programme asks for.

    ``reps`` counts repetitions per side when ``sides == "both"``, and in total otherwise.
    ``hold_s`` is the length of each hold; 0 means a movement counted by repetitions.
    ``pace_s`` > 0 makes a repetition exercise a steady paced count (breathing exercises).
    """

    reps: int
    hold_s: int
    sides: Sides
    rest_s: int
    pace_s: int = 0

    @property
    def is_hold(self) -> bool:
        return self.hold_s > 0

    @property
    def total_reps(self) -> int:
        """Every hold or repetition the dosage prescribes, across both sides."""
        return self.reps * 2 if self.sides == "both" else self.reps


@dataclass(frozen=True)
class DosageBounds:
    """The safe range a user may adjust reps and hold time within."""

    reps_min: int
    reps_max: int
    hold_min_s: int
    hold_max_s: int


@dataclass(frozen=True)
class Exercise:
    """One exercise of the catalogue, in our own words, with the article's figures."""

    id: str
    number: int
    name: str
    group: Group
    position: str
    equipment: tuple[str, ...]
    summary: str
    steps: tuple[str, ...]
    cautions: tuple[str, ...]
    arches_back: bool
    dosage: Dosage
    bounds: DosageBounds
    article_dosage: str


@dataclass(frozen=True)
class ProgrammeItem:
    """One exercise in a user's programme with the reps and hold they chose."""

    exercise_id: str
    reps: int
    hold_s: int


@dataclass(frozen=True)
class Profile:
    """The person using the app; every record is scoped to one profile."""

    id: str
    name: str
    time_zone: str
    weekly_target: int
    programme_start: date
    recent_surgery: bool
    red_flags: tuple[str, ...] = ()
    red_flags_cleared: bool = False
    sound_on: bool = True
    setup_pain: int | None = None
    created_at: datetime | None = None
    lead_in_s: int = 5

    @property
    def needs_care_first(self) -> bool:
        """True while a red flag was ticked and no clinician has cleared the user to exercise."""
        return bool(self.red_flags) and not self.red_flags_cleared
