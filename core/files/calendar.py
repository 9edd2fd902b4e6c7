"""A calendar file (RFC 5545 iCalendar) of the planned weekly sessions, for reminders, and
sensible first answers for its form (which days, how long a session).

One recurring event (``RRULE:FREQ=WEEKLY;BYDAY=...``) at the user's chosen time in the
profile's time zone, with a matching ``VTIMEZONE`` built from the IANA zone data, an
optional reminder alarm, CRLF line endings and lines folded at 75 octets. The text
says only "Exercise session" by default: calendars are often synced to a cloud, so no
health detail goes in unless the caller puts it there.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.domain.days import utc_now
from core.domain.models import Profile
from core.domain.validation import ValidationError, validate_date, validate_whole

WEEKDAYS: tuple[str, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
PRODID = "-//Back on Track//Weekly sessions//EN"
FILE_NAME = "back-on-track-sessions.ics"
DEFAULT_WEEKS = 6
MAX_WEEKS = 52
MAX_DURATION_MIN = 240
MAX_REMINDER_MIN = 1440
DEFAULT_SUMMARY = "Exercise session"
LINE_OCTETS = 75
CRLF = "\r\n"


def validate_weekdays(weekdays: Iterable[str]) -> tuple[str, ...]:
    """The chosen days as RFC 5545 codes (``MO`` .. ``SU``), once each, in week order."""
    if isinstance(weekdays, str):
        weekdays = [weekdays]
    chosen = set()
    for day in weekdays:
        if not isinstance(day, str) or day.upper() not in WEEKDAYS:
            raise ValidationError(
                f"Unknown weekday {day!r}: use {', '.join(WEEKDAYS)} (Monday to Sunday)."
            )
        chosen.add(day.upper())
    if not chosen:
        raise ValidationError("Pick at least one day of the week for your sessions.")
    return tuple(day for day in WEEKDAYS if day in chosen)


def schedule_note(profile: Profile, weekdays: Iterable[str]) -> str | None:
    """A gentle note when the chosen days differ from the weekly target, else None."""
    days = validate_weekdays(weekdays)
    if len(days) == profile.weekly_target:
        return None
    return (
        f"You picked {len(days)} day{'s' if len(days) != 1 else ''} a week; your weekly "
        f"target is {profile.weekly_target} session{'s' if profile.weekly_target != 1 else ''}."
    )


def escape_text(value: str) -> str:
    """An RFC 5545 TEXT value: backslash, semicolon, comma and newlines escaped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(ch for ch in value if ch == "\n" or ch == "\t" or ord(ch) >= 32)
    value = value.replace("\x7f", "")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold_line(line: str) -> str:
    """Fold one content line at 75 octets (CRLF + space), never inside a UTF-8 character."""
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    limit = LINE_OCTETS
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(ch)
        size += width
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces)


def _format_local(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%S")


def _format_utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _format_offset(offset: timedelta) -> str:
    seconds = int(offset.total_seconds())
    sign = "+" if seconds >= 0 else "-"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")


def _offset(zone: ZoneInfo, instant: datetime) -> timedelta:
    return instant.astimezone(zone).utcoffset() or timedelta(0)


def _observance(zone: ZoneInfo, instant: datetime, offset_from: timedelta) -> list[str]:
    local = instant.astimezone(zone)
    kind = "DAYLIGHT" if local.dst() else "STANDARD"
    lines = [
        f"BEGIN:{kind}",
        # The onset in local time as it was just before the change (RFC 5545 3.6.5).
        f"DTSTART:{_format_local((instant + offset_from).replace(tzinfo=None))}",
        f"TZOFFSETFROM:{_format_offset(offset_from)}",
        f"TZOFFSETTO:{_format_offset(local.utcoffset() or timedelta(0))}",
    ]
    name = local.tzname()
    if name:
        lines.append(f"TZNAME:{escape_text(name)}")
    lines.append(f"END:{kind}")
    return lines


def _transitions(zone: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    """Instants (UTC, to the second) in [start, end) where the zone's offset changes."""
    found: list[datetime] = []
    step = timedelta(hours=6)
    probe = start
    while probe < end:
        following = min(probe + step, end)
        if _offset(zone, probe) != _offset(zone, following):
            low, high = probe, following  # offset(low) != offset(high)
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if middle <= low:
                    middle = low + timedelta(seconds=1)
                if _offset(zone, middle) == _offset(zone, low):
                    low = middle
                else:
                    high = middle
            found.append(high)
        probe = following
    return found


def vtimezone(time_zone: str, first_day: date, last_day: date) -> list[str]:
    """A VTIMEZONE for ``time_zone`` covering ``first_day`` to ``last_day`` (content lines)."""
    zone = ZoneInfo(time_zone)
    start = datetime.combine(first_day - timedelta(days=1), time(0), zone).astimezone(UTC)
    end = datetime.combine(last_day + timedelta(days=2), time(0), zone).astimezone(UTC)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{time_zone}"]
    lines += _observance(zone, start, _offset(zone, start))
    for instant in _transitions(zone, start, end):
        lines += _observance(zone, instant, _offset(zone, instant - timedelta(seconds=1)))
    lines.append("END:VTIMEZONE")
    return lines


def _whole(value: object, what: str, low: int, high: int) -> int:
    return validate_whole(
        value, low, high, f"The {what} must be a whole number from {low} to {high}."
    )


def _occurrence_days(first: date, days: tuple[str, ...], count: int) -> list[date]:
    wanted = {WEEKDAYS.index(day) for day in days}
    found: list[date] = []
    day = first
    while len(found) < count:
        if day.weekday() in wanted:
            found.append(day)
        day += timedelta(days=1)
    return found


def weekly_sessions_ics(
    profile: Profile,
    *,
    weekdays: Iterable[str],
    time_of_day: time,
    duration_min: int,
    weeks: int = DEFAULT_WEEKS,
    start: date | None = None,
    now: datetime | None = None,
    reminder_min: int | None = 10,
    summary: str = DEFAULT_SUMMARY,
) -> str:
    """An iCalendar file with one weekly recurring session event for the profile.

    The series starts on the first chosen weekday on or after ``start`` (default: today
    in the profile's zone) and has ``weeks`` x (days chosen) occurrences. ``now`` sets
    DTSTAMP (default: the current time). ``reminder_min`` adds a display alarm that many
    minutes before each session (None for no alarm).
    """
    days = validate_weekdays(weekdays)
    if not isinstance(time_of_day, time) or time_of_day.tzinfo is not None:
        raise ValidationError("The session time must be a time of day without a time zone.")
    minutes = _whole(duration_min, "session length in minutes", 1, MAX_DURATION_MIN)
    week_count = _whole(weeks, "number of weeks", 1, MAX_WEEKS)
    alarm = None if reminder_min is None else _whole(reminder_min, "reminder", 0, MAX_REMINDER_MIN)
    if not isinstance(summary, str) or not summary.strip() or len(summary) > 200:
        raise ValidationError("The event title must be 1 to 200 characters.")
    if now is not None and (now.tzinfo is None or now.utcoffset() is None):
        raise ValueError("now must be a timezone-aware datetime.")
    stamp = (now or utc_now()).astimezone(UTC).replace(microsecond=0)
    zone = ZoneInfo(profile.time_zone)
    first_from = stamp.astimezone(zone).date() if start is None else start
    validate_date(first_from, what="start date")
    occurrences = _occurrence_days(first_from, days, week_count * len(days))
    starts_at = datetime.combine(occurrences[0], time_of_day.replace(microsecond=0))
    title = escape_text(summary.strip())
    description = escape_text(
        f"Your planned exercise session, about {minutes} minutes. Open Back on Track to start it."
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        *vtimezone(profile.time_zone, occurrences[0], occurrences[-1]),
        "BEGIN:VEVENT",
        f"UID:weekly-sessions-{profile.id}@back-on-track",
        f"DTSTAMP:{_format_utc(stamp)}",
        f"DTSTART;TZID={profile.time_zone}:{_format_local(starts_at)}",
        f"DURATION:PT{minutes}M",
        f"RRULE:FREQ=WEEKLY;COUNT={len(occurrences)};BYDAY={','.join(days)}",
        f"SUMMARY:{title}",
        f"DESCRIPTION:{description}",
    ]
    if alarm is not None:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{title}",
            f"TRIGGER:-PT{alarm}M",
            "END:VALARM",
        ]
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold_line(line) + CRLF for line in lines)


# -- first answers for the form ----------------------------------------------------------

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
