"""Plain typed records shared across the core: exercises, dosages, programmes, profiles.

They hold no behaviour beyond small derived values, so every module (catalogue,
store, session runner, metrics) can agree on one shape without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal

Group = Literal["flexibility", "strength"]
Sides = Literal["both", "alternating", "none"]
Side = Literal["right", "left", "none"]

Lying = Literal["back", "stomach", "side", "no"]

GROUPS: tuple[Group, ...] = ("flexibility", "strength")
LYING: tuple[Lying, ...] = ("back", "stomach", "side", "no")
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
    """One exercise of the catalogue, in our own words, with the article's figures.

    ``arches_back``: the whole exercise bends the back backward (left out after recent back
    surgery); ``arches_back_partly``: part of it does. ``lying``, ``end_range_bend_or_twist``
    and ``standing`` say what else it asks of the body, for the cautions a person's answers
    bring up (core.domain.cautions).
    """

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
    arches_back_partly: bool = False
    lying: Lying = "no"
    end_range_bend_or_twist: bool = False
    standing: bool = False


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
    #: Warning signs ticked at the first version's setup, and whether a clinician cleared
    #: them all; later reports live in the warning_signs table (core.db.warning_signs).
    red_flags: tuple[str, ...] = ()
    red_flags_cleared: bool = False
    sound_on: bool = True
    setup_pain: int | None = None
    created_at: datetime | None = None
    lead_in_s: int = 5
    #: When this episode of back pain began: "date" (then ``pain_onset_date``),
    #: "over_3_months" or "unknown"; None until asked (see core.domain.course).
    pain_onset: str | None = None
    pain_onset_date: date | None = None
    #: Optional answers that bring up exercise cautions; None when skipped.
    pregnant: bool | None = None
    osteoporosis: bool | None = None
    #: The session coach: speak the cues, and how loud cues are (0 to 100).
    voice_on: bool = True
    cue_volume: int = 80
    #: A notification in an open tab of the app at ``reminder_time`` (local time of day).
    reminder_on: bool = False
    reminder_time: time | None = None
