"""Days and instants: the profile's local calendar, Monday weeks and programme weeks.

A record belongs to the calendar day of its timestamp in the profile's time zone; weeks
start on Monday of that local calendar; programme week 1 is the seven local days from the
programme start. Pure arithmetic, shared by the metrics, the check-ins and the pages.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.domain.models import Profile


def utc_now() -> datetime:
    """The current instant, timezone-aware UTC."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """An instant in UTC; a naive value (as DuckDB may return one) is taken to be UTC."""
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def local_today(profile: Profile, now: datetime | None = None) -> date:
    """Today's date in the profile's time zone."""
    moment = now or utc_now()
    return moment.astimezone(ZoneInfo(profile.time_zone)).date()


def monday(day: date) -> date:
    """The Monday starting the week of ``day``."""
    return day - timedelta(days=day.weekday())


def programme_week(profile: Profile, day: date) -> int:
    """The programme week ``day`` falls in: 1 for programme_start..+6; 0 or less before."""
    return (day - profile.programme_start).days // 7 + 1
