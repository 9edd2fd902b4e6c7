"""The date ranges the dashboards show: where a profile's data starts, the range presets,
the weeks a weekly review offers."""

from __future__ import annotations

from datetime import date, timedelta

from core.db.store import Store
from core.domain.days import local_today, monday
from core.domain.models import Profile
from core.progress.queries import run

RANGE_PRESETS: dict[str, str] = {
    "programme": "Since the programme started",
    "4w": "Last 4 weeks",
    "12w": "Last 12 weeks",
    "1y": "Last 12 months",
    "all": "All my data",
}


def data_extent(store: Store, profile: Profile) -> tuple[date | None, date | None]:
    """First and last local day holding a session or a pain rating; (None, None) if none."""
    row = run(
        store,
        """
        WITH t AS (
            SELECT min(started_at) AS lo, max(started_at) AS hi
            FROM sessions WHERE profile_id = $pid
            UNION ALL
            SELECT min(recorded_at), max(recorded_at) FROM pain_ratings WHERE profile_id = $pid
        )
        SELECT CAST(timezone($tz, min(lo)) AS DATE), CAST(timezone($tz, max(hi)) AS DATE) FROM t
        """,
        {"pid": profile.id, "tz": profile.time_zone},
    ).fetchone()
    if row is None:
        return None, None
    return row[0], row[1]


def resolve_range(
    store: Store,
    profile: Profile,
    start: date | None,
    end: date | None,
    today: date | None = None,
) -> tuple[date, date]:
    """Fill a missing range end: start at the first data (or programme start), end today."""
    if start is None:
        first, _ = data_extent(store, profile)
        start = min(first, profile.programme_start) if first else profile.programme_start
    if end is None:
        end = today or local_today(profile)
    return start, max(start, end)


def preset_range(
    preset: str, profile: Profile, today: date, first_day: date | None
) -> tuple[date, date]:
    """The local days a range preset (a key of :data:`RANGE_PRESETS`) covers, ending today."""
    if preset == "programme":
        return min(profile.programme_start, today), today
    if preset == "4w":
        return today - timedelta(days=27), today
    if preset == "12w":
        return today - timedelta(days=83), today
    if preset == "1y":
        return today - timedelta(days=364), today
    if preset == "all":
        first = min(first_day, profile.programme_start) if first_day else profile.programme_start
        return min(first, today), today
    raise ValueError(f"Unknown range preset {preset!r}.")


def weeks_since(first_day: date | None, profile: Profile, today: date) -> list[date]:
    """:func:`review_weeks` for a known first day of data (None: no data yet)."""
    earliest = min(first_day, profile.programme_start) if first_day else profile.programme_start
    newest = monday(today)
    oldest = min(monday(earliest), newest)
    count = (newest - oldest).days // 7 + 1
    return [newest - timedelta(weeks=i) for i in range(count)]
