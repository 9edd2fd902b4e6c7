"""Plain-words descriptions of dosages and durations, shared by pages and reports."""

from __future__ import annotations

from core.models import Dosage, Exercise, ProgrammeItem

SIDE_WORDS = {
    "both": "each side",
    "alternating": "alternating sides",
    "none": "",
}

EQUIPMENT_WORDS = {"mat": "a mat", "table": "a table or bed", "chair": "a tall chair"}


def describe_dosage(dosage: Dosage, *, reps: int | None = None, hold_s: int | None = None) -> str:
    """For example "Hold 30 s · 3 times each side · rest 10 s" or "15 slow repetitions"."""
    reps = dosage.reps if reps is None else reps
    hold_s = dosage.hold_s if hold_s is None else hold_s
    parts: list[str] = []
    side = SIDE_WORDS[dosage.sides]
    if hold_s > 0:
        parts.append(f"Hold {hold_s} s")
        count = f"{reps} time{'s' if reps != 1 else ''}"
        parts.append(f"{count} {side}".strip())
        if dosage.rest_s and reps > 1:
            parts.append(f"rest {dosage.rest_s} s")
    else:
        noun = "repetition" if reps == 1 else "repetitions"
        if dosage.pace_s > 0:
            parts.append(f"{reps} slow {noun}, one every {dosage.pace_s} s")
        else:
            parts.append(f"{reps} {noun}")
        if side:
            parts.append(side)
    return " · ".join(parts)


def describe_item(exercise: Exercise, item: ProgrammeItem) -> str:
    """The dosage a programme item asks for, in words."""
    return describe_dosage(exercise.dosage, reps=item.reps, hold_s=item.hold_s)


def describe_equipment(equipment: tuple[str, ...]) -> str:
    """For example "a table or bed, or a tall chair"; "nothing" for an empty list."""
    words = [EQUIPMENT_WORDS.get(thing, thing) for thing in equipment]
    if not words:
        return "nothing"
    if set(equipment) == {"table", "chair"}:
        return "a table, bed or tall chair"
    return ", ".join(words[:-1]) + (" and " if len(words) > 1 else "") + words[-1]


def format_minutes(seconds: float) -> str:
    """A rounded duration for people: "about 12 minutes", "under a minute"."""
    if seconds < 60:
        return "under a minute"
    minutes = round(seconds / 60)
    return f"about {minutes} minute{'s' if minutes != 1 else ''}"
