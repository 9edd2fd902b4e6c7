"""When an open tab reminds a person of their session (core.domain.reminders)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from core.domain.models import Profile
from core.domain.reminders import Reminder, next_reminder

LONDON = Profile(
    id="p1",
    name="Ann",
    time_zone="Europe/London",
    weekly_target=3,
    programme_start=date(2026, 1, 5),
    recent_surgery=False,
    reminder_on=True,
    reminder_time=time(18, 0),
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_no_reminder_when_off_or_without_a_time() -> None:
    now = utc(2026, 3, 10, 12, 0)
    assert next_reminder(replace(LONDON, reminder_on=False), now, done_today=False) is None
    assert next_reminder(replace(LONDON, reminder_time=None), now, done_today=False) is None


def test_todays_reminder_at_its_local_time_when_the_session_is_not_done() -> None:
    # 10 March: London is on GMT (UTC+0), so 18:00 local is 18:00 UTC.
    assert next_reminder(LONDON, utc(2026, 3, 10, 12, 0), done_today=False) == Reminder(
        utc(2026, 3, 10, 18, 0), date(2026, 3, 10)
    )


def test_a_day_whose_session_is_done_or_running_gets_none_tomorrows_comes_next() -> None:
    tomorrow = Reminder(utc(2026, 3, 11, 18, 0), date(2026, 3, 11))
    assert next_reminder(LONDON, utc(2026, 3, 10, 12, 0), done_today=True) == tomorrow
    now = utc(2026, 3, 10, 17, 59)
    assert next_reminder(LONDON, now, done_today=False, in_session=True) == tomorrow


def test_a_tab_opened_a_little_late_still_reminds_a_long_while_after_not() -> None:
    today = Reminder(utc(2026, 3, 10, 18, 0), date(2026, 3, 10))
    # 18:09:59 is 9 min 59 s late, inside the 10 minutes; 18:10 is not.
    assert next_reminder(LONDON, utc(2026, 3, 10, 18, 9, 59), done_today=False) == today
    assert next_reminder(LONDON, utc(2026, 3, 10, 18, 10), done_today=False) == Reminder(
        utc(2026, 3, 11, 18, 0), date(2026, 3, 11)
    )


def test_summer_time_and_another_zones_day() -> None:
    # 29 March 2026 London moves to BST (UTC+1) at 01:00 UTC: 18:00 local is 17:00 UTC.
    assert next_reminder(LONDON, utc(2026, 3, 29, 9, 0), done_today=False) == Reminder(
        utc(2026, 3, 29, 17, 0), date(2026, 3, 29)
    )
    # 23:30 UTC on 10 March is 00:30 on 11 March in Berlin (UTC+1): 07:00 there is 06:00 UTC.
    berlin = replace(LONDON, time_zone="Europe/Berlin", reminder_time=time(7, 0))
    assert next_reminder(berlin, utc(2026, 3, 10, 23, 30), done_today=False) == Reminder(
        utc(2026, 3, 11, 6, 0), date(2026, 3, 11)
    )


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_reminder(LONDON, datetime(2026, 3, 10, 12, 0), done_today=False)
