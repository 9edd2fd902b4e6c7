"""Validators for everything a user types: each returns the clean value or raises a clear error."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

NOTE_MAX_CHARS = 1000
NAME_MAX_CHARS = 60
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
WEEKLY_TARGET_MAX = 14
LEAD_IN_MAX_S = 30
# Bidirectional overrides, embeddings and isolates can make a name display as something else.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class ValidationError(ValueError):
    """Input a user gave that cannot be saved; the message is fit to show them."""


def is_whole_number(value: object) -> bool:
    """True for an int that is not a bool (``True`` is an int in Python, never a count here)."""
    return isinstance(value, int) and not isinstance(value, bool)


def optional_answer(value: object) -> bool | None:
    """An optional yes/no answer: None stays None (skipped), anything else becomes a bool."""
    return None if value is None else bool(value)


def validate_whole(value: object, low: int, high: int, message: str) -> int:
    """``value`` if it is a whole number from ``low`` to ``high``; else ``message`` as the error."""
    if not is_whole_number(value) or not low <= value <= high:  # type: ignore[operator]
        raise ValidationError(message)
    return int(value)  # type: ignore[arg-type]


def validate_line(value: object, *, what: str, max_chars: int, required: bool = False) -> str:
    """One line of text a person typed (a name, a recipient): trimmed, at most ``max_chars``.

    Control characters (C0, DEL and C1), line and paragraph separators and bidirectional
    controls are refused: such a line is shown in titles and pickers, where they would break
    the line or make it display as something else. ``what`` names it in the messages.
    """
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"{what.capitalize()} must be text.")
    line = value.strip()
    if required and not line:
        raise ValidationError(f"{what.capitalize()} cannot be empty.")
    if len(line) > max_chars:
        raise ValidationError(
            f"{what.capitalize()} can be at most {max_chars} characters; this one has {len(line)}."
        )
    for ch in line:
        if unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in _BIDI_CONTROLS:
            raise ValidationError(
                f"{what.capitalize()} cannot contain control characters or line breaks."
            )
    return line


def validate_pain(value: object) -> int:
    """A pain rating on the 0-10 Numeric Pain Rating Scale: a whole number, nothing else."""
    if value is None:
        raise ValidationError("Choose a pain rating from 0 to 10.")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return validate_whole(value, 0, 10, f"Pain must be a whole number from 0 to 10, not {value!r}.")


def validate_note(value: object, *, max_chars: int = NOTE_MAX_CHARS) -> str:
    """Free text kept verbatim: at most ``max_chars`` characters and no NUL bytes."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError("A note must be text.")
    if "\x00" in value:
        raise ValidationError("A note cannot contain a NUL character.")
    if len(value) > max_chars:
        raise ValidationError(
            f"A note can be at most {max_chars} characters; this one has {len(value)}."
        )
    return value


def validate_name(value: object) -> str:
    """An optional display name: one line (:func:`validate_line`) of at most NAME_MAX_CHARS."""
    return validate_line(value, what="a name", max_chars=NAME_MAX_CHARS)


def validate_time_zone(value: object) -> str:
    """An IANA time zone name such as ``Europe/Berlin``."""
    if not isinstance(value, str) or not value or value not in _zone_names():
        raise ValidationError(f"Unknown time zone {value!r}. Pick one from the list.")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(f"Unknown time zone {value!r}.") from error
    return value


def validate_weekly_target(value: object) -> int:
    """Sessions a week the user aims for: 1 to WEEKLY_TARGET_MAX."""
    return validate_whole(
        value,
        1,
        WEEKLY_TARGET_MAX,
        f"The weekly target must be a whole number from 1 to {WEEKLY_TARGET_MAX}.",
    )


def validate_lead_in(value: object) -> int:
    """Seconds of get-ready before each exercise: 0 to LEAD_IN_MAX_S."""
    return validate_whole(
        value,
        0,
        LEAD_IN_MAX_S,
        f"The get-ready time must be a whole number of seconds, 0 to {LEAD_IN_MAX_S}.",
    )


def validate_cue_volume(value: object) -> int:
    """How loud the session's spoken and sounded cues are: 0 (silent) to 100."""
    return validate_whole(value, 0, 100, "The volume must be a whole number from 0 to 100.")


def validate_reminder_time(value: object) -> str | None:
    """A reminder's time of day as stored ("HH:MM", minutes only), or None for none chosen."""
    if value is None:
        return None
    if not isinstance(value, time) or value.tzinfo is not None:
        raise ValidationError("The reminder time must be a time of day.")
    return f"{value.hour:02d}:{value.minute:02d}"


def validate_date(value: object, *, what: str = "date") -> date:
    """A calendar date (not a date and time) within the years this app can sensibly hold."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError(f"The {what} must be a date.")
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            f"The {what} must be between {EARLIEST_DATE:%Y-%m-%d} and {LATEST_DATE:%Y-%m-%d}."
        )
    return value


def cut_to_limit(text: str, limit: int) -> tuple[str, int]:
    """``text`` cut to its first ``limit`` characters, and how many it had before."""
    return text[:limit], len(text)


def cut_message(what: str, limit: int, had: int) -> str:
    """Why a text was cut, and what to do: check it, then save again."""
    return (
        f"{what} can be at most {limit:,} characters; it had {had:,}, so it was cut to the "
        f"first {limit:,}. Nothing was saved yet: check the end, then save again."
    )


def count_words(length: int, limit: int) -> str:
    """A text's length against its limit, for under the field: "980 of 1,000 characters"."""
    return f"{length:,} of {limit:,} characters"


def range_problem(what: str, value: object, low: int, high: int) -> str | None:
    """Why ``value`` cannot be saved as ``what`` (a whole number from low to high), or None."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not is_whole_number(value):
        return f"{what} must be a whole number from {low} to {high}."
    if value < low:  # type: ignore[operator]
        return f"{what}: {value} is less than {low}; allowed is {low} to {high}."
    if value > high:  # type: ignore[operator]
        return f"{what}: {value} is more than {high}; allowed is {low} to {high}."
    return None


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def time_zone_choices() -> list[str]:
    """Every IANA zone name, sorted, for a picker."""
    return sorted(_zone_names())
