"""When the pain began, and the published average course placed from it (core.domain.course):
the cohort chosen, where the curve starts and ends, its scaling, and why there is none."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.domain import explain
from core.domain.course import (
    CoursePoint,
    ExpectedCourse,
    cohort_for,
    expected_course,
    interpolate,
    validate_onset,
)
from core.domain.validation import ValidationError

START = date(2026, 3, 2)


def weeks_before(weeks: float) -> date:
    return START - timedelta(days=round(7 * weeks))


@pytest.mark.parametrize(
    ("kind", "onset", "cohort"),
    [
        ("date", START, "acute"),  # began on the start date: week 0
        ("date", weeks_before(11), "acute"),
        ("date", START - timedelta(days=83), "acute"),  # 11 weeks and 6 days
        ("date", START - timedelta(days=84), "persistent"),  # 12 weeks exactly
        ("date", weeks_before(20), "persistent"),
        ("date", START - timedelta(days=364), "persistent"),
        ("date", START - timedelta(days=365), None),  # a year: beyond the cohorts
        ("date", START + timedelta(days=1), None),  # after the start
        ("over_3_months", None, "persistent"),
        ("unknown", None, None),
        (None, None, None),
    ],
)
def test_the_cohort_follows_the_time_since_the_pain_began(
    kind: str | None, onset: date | None, cohort: str | None
) -> None:
    assert cohort_for(kind, onset, START) == cohort


def test_acute_course_is_placed_in_weeks_since_onset_and_scaled_to_the_baseline() -> None:
    course = expected_course("date", weeks_before(2), START, 6.0)
    assert (course.cohort, course.reason, course.onset_is_estimate) == ("acute", None, False)
    # Course week 2 at the start: 52 + (23 - 52) * 2/6 = 42.333; scale = 6 / 42.333.
    scale = 6.0 / (52 - 29 * 2 / 6)
    assert course.points[0] == CoursePoint(START, 2.0, pytest.approx(6.0))
    # Four weeks on, course week 6: 23.
    assert course.points[4] == CoursePoint(date(2026, 3, 30), 6.0, pytest.approx(23 * scale))
    # It ends at course week 52 (50 weeks on): 6. No point before the start or after week 52.
    assert course.points[-1] == CoursePoint(
        START + timedelta(weeks=50), 52.0, pytest.approx(6 * scale)
    )
    assert len(course.points) == 51


def test_persistent_course_starts_twelve_weeks_after_onset() -> None:
    course = expected_course("date", weeks_before(20), START, 5.0)
    assert course.cohort == "persistent"
    # 20 weeks since onset is persistent course week 8: 33 + (26 - 33) * 2/20 = 32.3.
    assert course.points[0] == CoursePoint(START, 20.0, pytest.approx(5.0))
    # 18 weeks on: course week 26, 26/100; the last point is course week 52 (64 since onset).
    assert course.points[18].pain == pytest.approx(5.0 * 26 / 32.3)
    assert course.points[-1] == CoursePoint(
        START + timedelta(weeks=44), 64.0, pytest.approx(5.0 * 23 / 32.3)
    )


def test_more_than_three_months_without_a_date_starts_at_course_week_zero() -> None:
    course = expected_course("over_3_months", None, START, 6.0)
    assert (course.cohort, course.onset_is_estimate) == ("persistent", True)
    # The onset is taken as 12 weeks before the start: course week 0 (51) at the start.
    assert course.points[0] == CoursePoint(START, 12.0, pytest.approx(6.0))
    assert course.points[6].pain == pytest.approx(6.0 * 33 / 51)  # 3.88


def test_a_part_week_onset_ends_exactly_at_course_week_52() -> None:
    course = expected_course("date", START - timedelta(days=10), START, 6.0)
    assert course.points[-2].weeks_since_onset == pytest.approx(10 / 7 + 50)
    assert course.points[-1].weeks_since_onset == pytest.approx(52.0)


@pytest.mark.parametrize(
    ("kind", "onset", "baseline", "reason"),
    [
        (None, None, 6.0, "not_asked"),
        ("unknown", None, 6.0, "unknown"),
        ("date", START - timedelta(days=400), 6.0, "over_a_year"),
        ("date", START + timedelta(days=3), 6.0, "after_start"),
        ("date", weeks_before(2), None, "no_baseline"),
    ],
)
def test_no_curve_and_one_line_saying_why(
    kind: str | None, onset: date | None, baseline: float | None, reason: str
) -> None:
    course = expected_course(kind, onset, START, baseline)
    assert (course.cohort, course.points, course.reason) == (None, (), reason)
    note = explain.course_note(None, reason, False)
    assert note.startswith("No expected-course line") and note.count(".") <= 3


def test_the_caption_names_the_cohorts_their_numbers_and_says_not_a_forecast() -> None:
    acute = explain.course_note("acute", None, False)
    assert "under 12 weeks" in acute and "52/100" in acute and "6 after 52 weeks" in acute
    assert "Menezes Costa et al. 2012" in acute and "not a forecast" in acute
    persistent = explain.course_note("persistent", None, True)
    assert "12 weeks to a year" in persistent and "51/100" in persistent
    assert "12 weeks before the programme start" in persistent


def test_interpolation_between_the_published_points() -> None:
    knots = ((0, 52.0), (6, 23.0), (26, 12.0), (52, 6.0))
    assert interpolate(3, knots) == pytest.approx(37.5)  # halfway from 52 to 23
    assert interpolate(39, knots) == pytest.approx(9.0)  # halfway from 12 to 6
    assert (interpolate(-1, knots), interpolate(60, knots)) == (52.0, 6.0)


def test_onset_answers_are_checked() -> None:
    today = date(2026, 3, 10)
    assert validate_onset("date", date(2026, 1, 5), today=today) == ("date", date(2026, 1, 5))
    assert validate_onset(None, date(2026, 1, 5), today=today) == ("date", date(2026, 1, 5))
    assert validate_onset("over_3_months", None, today=today) == ("over_3_months", None)
    assert validate_onset(None, None, today=today) == (None, None)
    for kind, day, message in (
        ("date", None, "Choose the date your back pain began"),
        ("date", date(2026, 3, 11), "cannot be in the future"),
        ("unknown", date(2026, 1, 5), "choose one"),
        ("yesterday", None, "Unknown answer"),
    ):
        with pytest.raises(ValidationError, match=message):
            validate_onset(kind, day, today=today)


def test_an_expected_course_is_a_plain_value() -> None:
    assert ExpectedCourse(None, (), "unknown") == expected_course("unknown", None, START, 6.0)
