"""Sensible first answers for the calendar file form: which days, how long a session."""

from __future__ import annotations

import math

from core.calendar_file import MAX_DURATION_MIN

#: Days to suggest for a weekly target, spread over the week (RFC 5545 codes).
SUGGESTED_DAYS: dict[int, tuple[str, ...]] = {
    1: ("WE",),
    2: ("TU", "FR"),
    3: ("MO", "WE", "FR"),
    4: ("MO", "TU", "TH", "FR"),
    5: ("MO", "TU", "WE", "TH", "FR"),
    6: ("MO", "TU", "WE", "TH", "FR", "SA"),
    7: ("MO", "TU", "WE", "TH", "FR", "SA", "SU"),
}
DEFAULT_DURATION_MIN = 15


def suggested_days(weekly_target: int) -> tuple[str, ...]:
    """The weekdays to suggest for ``weekly_target`` sessions (every day from 7 on)."""
    return SUGGESTED_DAYS[max(1, min(7, weekly_target))]


def suggested_minutes(programme_seconds: float | None) -> int:
    """A session length in whole minutes for the calendar: the programme's, rounded up."""
    if not programme_seconds or programme_seconds <= 0:
        return DEFAULT_DURATION_MIN
    return max(1, min(MAX_DURATION_MIN, math.ceil(programme_seconds / 60)))
