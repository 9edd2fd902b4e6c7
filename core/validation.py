"""Validators for everything a user types: each returns the clean value or raises a clear error."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

NOTE_MAX_CHARS = 1000
NAME_MAX_CHARS = 60
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
WEEKLY_TARGET_MAX = 14
PAIN_SEVERE = 8
# Bidirectional overrides, embeddings and isolates can make a name display as something else.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class ValidationError(ValueError):
    """Input a user gave that cannot be saved; the message is fit to show them."""


def _is_whole_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def validate_pain(value: object) -> int:
    """A pain rating on the 0-10 Numeric Pain Rating Scale: a whole number, nothing else."""
    if value is None:
        raise ValidationError("Choose a pain rating from 0 to 10.")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not _is_whole_number(value) or not 0 <= value <= 10:  # type: ignore[operator]
        raise ValidationError(f"Pain must be a whole number from 0 to 10, not {value!r}.")
    return int(value)  # type: ignore[arg-type]


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
    """An optional display name: trimmed, at most NAME_MAX_CHARS characters, one line.

    Control characters (C0, DEL and C1), line and paragraph separators and bidirectional
    controls are refused: a name is shown in titles and pickers, where they would break the
    line or make the name display as something else.
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError("A name must be text.")
    name = value.strip()
    if len(name) > NAME_MAX_CHARS:
        raise ValidationError(f"A name can be at most {NAME_MAX_CHARS} characters.")
    for ch in name:
        if unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in _BIDI_CONTROLS:
            raise ValidationError("A name cannot contain control characters or line breaks.")
    return name


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
    if not _is_whole_number(value) or not 1 <= value <= WEEKLY_TARGET_MAX:  # type: ignore[operator]
        raise ValidationError(
            f"The weekly target must be a whole number from 1 to {WEEKLY_TARGET_MAX}."
        )
    return int(value)  # type: ignore[arg-type]


def validate_date(value: object, *, what: str = "date") -> date:
    """A calendar date (not a date and time) within the years this app can sensibly hold."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError(f"The {what} must be a date.")
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            f"The {what} must be between {EARLIEST_DATE:%Y-%m-%d} and {LATEST_DATE:%Y-%m-%d}."
        )
    return value


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def time_zone_choices() -> list[str]:
    """Every IANA zone name, sorted, for a picker."""
    return sorted(_zone_names())
