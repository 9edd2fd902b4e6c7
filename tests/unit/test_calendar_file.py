"""Tests for the calendar file (core.calendar_file): RFC 5545 text, folding, recurrence."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr

from core.domain.models import Profile
from core.domain.validation import ValidationError
from core.files.calendar import (
    escape_text,
    fold_line,
    schedule_note,
    validate_weekdays,
    vtimezone,
    weekly_sessions_ics,
)

NOW = datetime(2027, 3, 1, 12, 0, 5, 123, tzinfo=UTC)


def unsaved_profile(time_zone: str = "America/New_York", weekly_target: int = 2) -> Profile:
    """Sam's profile as a value, never stored: the calendar file needs no database."""
    return Profile(
        id="p-123",
        name="Sam",
        time_zone=time_zone,
        weekly_target=weekly_target,
        programme_start=date(2027, 3, 1),
        recent_surgery=False,
    )


EXPECTED = (
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//Back on Track//Weekly sessions//EN\r\n"
    "CALSCALE:GREGORIAN\r\n"
    "METHOD:PUBLISH\r\n"
    "BEGIN:VTIMEZONE\r\n"
    "TZID:America/New_York\r\n"
    "BEGIN:STANDARD\r\n"
    "DTSTART:20270303T000000\r\n"
    "TZOFFSETFROM:-0500\r\n"
    "TZOFFSETTO:-0500\r\n"
    "TZNAME:EST\r\n"
    "END:STANDARD\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "DTSTART:20270314T020000\r\n"
    "TZOFFSETFROM:-0500\r\n"
    "TZOFFSETTO:-0400\r\n"
    "TZNAME:EDT\r\n"
    "END:DAYLIGHT\r\n"
    "END:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:weekly-sessions-p-123@back-on-track\r\n"
    "DTSTAMP:20270301T120005Z\r\n"
    "DTSTART;TZID=America/New_York:20270304T073000\r\n"
    "DURATION:PT15M\r\n"
    "RRULE:FREQ=WEEKLY;COUNT=4;BYDAY=MO,TH\r\n"
    "SUMMARY:Exercise session\r\n"
    "DESCRIPTION:Your planned exercise session\\, about 15 minutes. Open Back on \r\n"
    " Track to start it.\r\n"
    "BEGIN:VALARM\r\n"
    "ACTION:DISPLAY\r\n"
    "DESCRIPTION:Exercise session\r\n"
    "TRIGGER:-PT10M\r\n"
    "END:VALARM\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def small_calendar(**overrides: object) -> str:
    options: dict[str, object] = {
        "weekdays": ["TH", "MO"],
        "time_of_day": time(7, 30),
        "duration_min": 15,
        "weeks": 2,
        "start": date(2027, 3, 3),
        "now": NOW,
    }
    options.update(overrides)
    return weekly_sessions_ics(unsaved_profile(), **options)  # type: ignore[arg-type]


def test_small_calendar_is_exact() -> None:
    assert small_calendar() == EXPECTED


def test_every_line_ends_with_crlf_and_fits_75_octets() -> None:
    text = small_calendar(summary="Rücken-Übungen: " + "sehr ausführlich, " * 10)
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n")[:-1]:
        assert len(line.encode("utf-8")) <= 75, line


def test_folding_splits_on_characters_and_unfolds_back() -> None:
    line = "SUMMARY:" + "é" * 80 + "✓" * 30
    folded = fold_line(line)
    pieces = folded.split("\r\n")
    assert [len(p.encode()) for p in pieces] == [74, 75, 75, 37]
    assert all(p.startswith(" ") for p in pieces[1:])
    assert folded.replace("\r\n ", "") == line
    assert fold_line("SHORT:x") == "SHORT:x"
    assert fold_line("X" * 75) == "X" * 75
    assert fold_line("X" * 76) == "X" * 75 + "\r\n X"


def test_text_is_escaped() -> None:
    assert (
        escape_text('a\\b;c,d\ne\r\nf\rg"h:i\x01j\x7fk') == 'a\\\\b\\;c\\,d\\ne\\nf\\ng"h:ij' + "k"
    )
    text = small_calendar(summary="Stretch; rest, repeat\\now\nsecond line", reminder_min=None)
    assert "SUMMARY:Stretch\\; rest\\, repeat\\\\now\\nsecond line\r\n" in text
    assert "VALARM" not in text


def test_recurrence_expands_to_the_planned_sessions_at_local_time() -> None:
    text = weekly_sessions_ics(
        unsaved_profile(),
        weekdays=["MO", "WE", "FR"],
        time_of_day=time(18, 45),
        duration_min=20,
        weeks=6,
        start=date(2027, 3, 1),
        now=NOW,
    )
    unfolded = text.replace("\r\n ", "")
    lines = unfolded.split("\r\n")
    start = next(line for line in lines if line.startswith("DTSTART;TZID="))
    rule = next(line for line in lines if line.startswith("RRULE:"))
    assert start == "DTSTART;TZID=America/New_York:20270301T184500"
    assert rule == "RRULE:FREQ=WEEKLY;COUNT=18;BYDAY=MO,WE,FR"
    zone = ZoneInfo("America/New_York")
    first = datetime(2027, 3, 1, 18, 45, tzinfo=zone)
    occurrences = list(rrulestr(rule.removeprefix("RRULE:"), dtstart=first))
    assert len(occurrences) == 18
    assert {o.strftime("%a %H:%M") for o in occurrences} == {
        "Mon 18:45",
        "Wed 18:45",
        "Fri 18:45",
    }
    assert (occurrences[0].date(), occurrences[-1].date()) == (date(2027, 3, 1), date(2027, 4, 9))
    # Across the DST change the wall-clock time holds, so the UTC time moves by an hour.
    utc_hours = {o.astimezone(UTC).hour for o in occurrences}
    assert utc_hours == {23, 22}


def test_vtimezone_lists_both_changes_of_a_year() -> None:
    assert vtimezone("Europe/London", date(2027, 3, 1), date(2027, 11, 30)) == [
        "BEGIN:VTIMEZONE",
        "TZID:Europe/London",
        "BEGIN:STANDARD",
        "DTSTART:20270228T000000",
        "TZOFFSETFROM:+0000",
        "TZOFFSETTO:+0000",
        "TZNAME:GMT",
        "END:STANDARD",
        "BEGIN:DAYLIGHT",
        "DTSTART:20270328T010000",
        "TZOFFSETFROM:+0000",
        "TZOFFSETTO:+0100",
        "TZNAME:BST",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "DTSTART:20271031T020000",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0000",
        "TZNAME:GMT",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]


def test_vtimezone_of_a_zone_without_daylight_saving() -> None:
    assert vtimezone("Asia/Kolkata", date(2027, 1, 4), date(2027, 12, 27)) == [
        "BEGIN:VTIMEZONE",
        "TZID:Asia/Kolkata",
        "BEGIN:STANDARD",
        "DTSTART:20270103T000000",
        "TZOFFSETFROM:+0530",
        "TZOFFSETTO:+0530",
        "TZNAME:IST",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]


def test_default_start_is_today_in_the_profiles_zone() -> None:
    # 23:30 UTC on Monday 1 March is already Tuesday 2 March in Tokyo.
    text = weekly_sessions_ics(
        unsaved_profile("Asia/Tokyo"),
        weekdays=["MO", "TU"],
        time_of_day=time(7, 0),
        duration_min=15,
        now=datetime(2027, 3, 1, 23, 30, tzinfo=UTC),
    )
    assert "DTSTART;TZID=Asia/Tokyo:20270302T070000\r\n" in text
    assert "RRULE:FREQ=WEEKLY;COUNT=12;BYDAY=MO,TU\r\n" in text
    assert "DTSTAMP:20270301T233000Z\r\n" in text


def test_weekdays_are_normalised() -> None:
    assert validate_weekdays(["su", "MO", "mo", "WE"]) == ("MO", "WE", "SU")
    assert validate_weekdays("FR") == ("FR",)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"weekdays": []}, "Pick at least one day of the week for your sessions."),
        (
            {"weekdays": ["MO", "XX"]},
            "Unknown weekday 'XX': use MO, TU, WE, TH, FR, SA, SU (Monday to Sunday).",
        ),
        (
            {"weekdays": [1]},
            "Unknown weekday 1: use MO, TU, WE, TH, FR, SA, SU (Monday to Sunday).",
        ),
        (
            {"time_of_day": time(7, 0, tzinfo=UTC)},
            "The session time must be a time of day without a time zone.",
        ),
        (
            {"time_of_day": "07:00"},
            "The session time must be a time of day without a time zone.",
        ),
        (
            {"duration_min": 0},
            "The session length in minutes must be a whole number from 1 to 240.",
        ),
        ({"weeks": 0}, "The number of weeks must be a whole number from 1 to 52."),
        ({"weeks": 53}, "The number of weeks must be a whole number from 1 to 52."),
        ({"reminder_min": -1}, "The reminder must be a whole number from 0 to 1440."),
        ({"summary": "  "}, "The event title must be 1 to 200 characters."),
    ],
)
def test_bad_inputs_are_refused(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        small_calendar(**overrides)
    assert str(caught.value) == message


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError):
        small_calendar(now=datetime(2027, 3, 1, 12))


def test_schedule_note() -> None:
    assert schedule_note(unsaved_profile(weekly_target=3), ["MO", "WE", "FR"]) is None
    assert schedule_note(unsaved_profile(weekly_target=5), ["MO", "WE", "FR"]) == (
        "You picked 3 days a week; your weekly target is 5 sessions."
    )
    assert schedule_note(unsaved_profile(weekly_target=1), ["MO", "TU"]) == (
        "You picked 2 days a week; your weekly target is 1 session."
    )


def test_dtstamp_drops_microseconds_and_converts_to_utc() -> None:
    text = small_calendar(now=datetime(2027, 3, 1, 13, 0, 5, 999, tzinfo=ZoneInfo("Europe/Paris")))
    assert "DTSTAMP:20270301T120005Z\r\n" in text
    assert small_calendar(now=NOW + timedelta(microseconds=5)) == EXPECTED
