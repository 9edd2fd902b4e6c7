"""Plain words for numbers, dates and dosages, shared by the pages, the therapist view and
the report: "Hold 30 s · 3 times each side", "Mon 2 Nov 2026", "4.1", "+1.2"."""

from __future__ import annotations

import math
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.domain.models import Dosage, Exercise, ProgrammeItem

#: Weekday names, Monday first (English whatever the locale: a table lookup).
WEEKDAY_NAMES: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_NAMES: tuple[str, ...] = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)

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


def format_day(day: date) -> str:
    """A date in words, for example "Mon 2 Nov 2026"."""
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def format_pain(value: float | None) -> str:
    """A pain level with one decimal ("4.1"); "–" when there is none."""
    if value is None or math.isnan(value):
        return "–"
    return f"{value:.1f}"


def format_change(value: float | None) -> str:
    """A signed change in pain points ("-0.8", "+1.2", "0.0"); "–" when there is none."""
    if value is None or math.isnan(value):
        return "–"
    rounded = round(value, 1)
    if rounded == 0:
        return "0.0"
    return f"{rounded:+.1f}"


def format_sessions(sessions: int, target: int) -> str:
    """For example "3 of 5"."""
    return f"{sessions} of {target}"


def format_streak(weeks: int) -> str:
    """For example "1 week", "3 weeks"."""
    return f"{weeks} week" if weeks == 1 else f"{weeks} weeks"


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    """For example "1 second", "5 seconds", "2 sessions"."""
    return f"{count} {noun if count == 1 else plural_noun or noun + 's'}"


def format_instant(value: datetime | None, time_zone: str) -> str:
    """An instant in the profile's zone, for example "Tue 24 Nov 2026, 09:00"; "–" if none."""
    if value is None:
        return "–"
    local = value.astimezone(ZoneInfo(time_zone))
    return f"{format_day(local.date())}, {local:%H:%M}"
