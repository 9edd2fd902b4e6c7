"""When an open tab of the app reminds a person of their session, and what it says.

The reminder is the browser's own notification, shown by a tab of the app that is open at
the chosen time of day (in the profile's time zone). Nothing is sent from anywhere: the page
holds the time and shows the notification itself, so it needs that tab open. A day whose
session is already done (or running) gets none; a tab opened a little after the time still
shows that day's, since the person may have just sat down at the computer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.domain.models import Profile

#: How long after its time a day's reminder is still shown (a tab opened a little late).
LATE_GRACE = timedelta(minutes=10)

#: The session time offered until the person chooses one (the calendar file's too).
DEFAULT_SESSION_TIME = time(18, 0)

#: What each kind of reminder needs, as Settings says it.
NEEDS_TAB = (
    "In this browser: a notification at your session time on days your session is not done "
    "yet. It needs a tab of this app open (it may be in the background) and the browser "
    "allowing notifications for the app."
)
NEEDS_CALENDAR = (
    "In your calendar: the calendar file on Share & export puts your session days in your "
    "own calendar with an alarm, which works with this app and browser closed."
)

#: What the notification says: short, and with no health detail on a screen others may see.
TITLE = "Back on Track"
BODY = "Time for today's exercises."


@dataclass(frozen=True)
class Reminder:
    """The next reminder: its instant (UTC) and the local day it is for."""

    at: datetime
    day: date


def next_reminder(
    profile: Profile, now: datetime, *, done_today: bool, in_session: bool = False
) -> Reminder | None:
    """The next reminder an open tab should show, or None when reminders are off.

    Today's when its time is ahead (or passed less than ``LATE_GRACE`` ago) and today's
    session is neither done nor running; otherwise tomorrow's.
    """
    if not profile.reminder_on or profile.reminder_time is None:
        return None
    if now.tzinfo is None:
        raise ValueError("now must be a timezone-aware datetime.")
    zone = ZoneInfo(profile.time_zone)
    today = now.astimezone(zone).date()

    def on(day: date) -> Reminder:
        local = datetime.combine(day, profile.reminder_time, zone)  # type: ignore[arg-type]
        return Reminder(local.astimezone(ZoneInfo("UTC")), day)

    todays = on(today)
    if not done_today and not in_session and now - todays.at < LATE_GRACE:
        return todays
    return on(today + timedelta(days=1))
