"""When this episode of back pain began, and the published average course placed from it.

Menezes Costa et al. 2012 (CMAJ; 33 cohorts, 11,166 people) give mean pain on a 0-100
scale at 0, 6, 26 and 52 weeks: 52, 23, 12, 6 for cohorts whose pain had lasted under 12
weeks when they joined ("acute"), and 51, 33, 26, 23 for those at 12 weeks to 12 months
("persistent"). The course is a population average, never a forecast for one person.

How the curve is placed, in weeks since the pain began (``onset``):

* **Acute** (onset under 12 weeks before the programme start): course week = weeks since
  the onset.
* **Persistent** (12 weeks to a year before): course week = weeks since the onset minus 12,
  so week 0 is the earliest point at which the persistent cohorts' pain could have begun.
  "More than 3 months ago", without a date, counts as persistent with the onset exactly 12
  weeks before the programme start: the programme start is then course week 0.
* **None**: no answer, "I don't know", an onset a year or more before the programme
  start (beyond the cohorts), or after it (the baseline would predate the pain).

The curve starts at the programme start, at the course week the person was in then, and
is scaled so that it passes through the baseline there: ``baseline * C(week) / C(week at
start)``, linear between the published points, up to course week 52. It is not drawn
before the programme start or after course week 52.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from core.domain.validation import ValidationError, validate_date

OnsetKind = Literal["date", "over_3_months", "unknown"]
ONSET_KINDS: tuple[OnsetKind, ...] = ("date", "over_3_months", "unknown")
#: The answers to "when did this episode of back pain begin?", as the pages offer them.
ONSET_ANSWERS: dict[OnsetKind, str] = {
    "date": "On the date below",
    "over_3_months": "More than 3 months ago",
    "unknown": "I don't know",
}

Cohort = Literal["acute", "persistent"]
#: Mean pain (0-100) by course week, Menezes Costa et al. 2012.
COURSE: dict[Cohort, tuple[tuple[int, float], ...]] = {
    "acute": ((0, 52.0), (6, 23.0), (26, 12.0), (52, 6.0)),
    "persistent": ((0, 51.0), (6, 33.0), (26, 26.0), (52, 23.0)),
}
#: Pain that has lasted this many weeks is persistent rather than acute.
PERSISTENT_FROM_WEEKS = 12
#: An onset this many days or more before the programme start is beyond the cohorts.
BEYOND_COHORTS_DAYS = 365
LAST_COURSE_WEEK = 52

NoCourseReason = Literal["not_asked", "unknown", "over_a_year", "after_start", "no_baseline"]


def validate_onset(
    kind: object, day: object, *, today: date
) -> tuple[OnsetKind | None, date | None]:
    """The (kind, date) to store for the onset question, or a ValidationError to show.

    "date" needs ``day`` (not in the future), and a ``day`` given without a ``kind`` is that
    answer; the other answers take no date; neither leaves the question unanswered.
    """
    if kind is None:
        if day is None:
            return None, None
        kind = "date"
    if kind not in ONSET_KINDS:
        raise ValidationError(f"Unknown answer {kind!r} to when your pain began.")
    if kind != "date":
        if day is not None:
            raise ValidationError(
                "You gave a date and another answer to when your pain began: choose one."
            )
        return kind, None  # type: ignore[return-value]
    if day is None:
        raise ValidationError("Choose the date your back pain began, or pick another answer.")
    onset = validate_date(day, what="date your pain began")
    if onset > today:
        raise ValidationError("The date your pain began cannot be in the future.")
    return "date", onset


@dataclass(frozen=True)
class CoursePoint:
    """One point of the scaled course: a day, weeks since the onset then, and the pain."""

    day: date
    weeks_since_onset: float
    pain: float


@dataclass(frozen=True)
class ExpectedCourse:
    """The course to draw (``cohort`` and ``points``), or why there is none (``reason``).

    ``onset_is_estimate`` is True when the person said "more than 3 months ago": the
    onset is then taken to be 12 weeks before the programme start.
    """

    cohort: Cohort | None
    points: tuple[CoursePoint, ...]
    reason: NoCourseReason | None
    onset_is_estimate: bool = False


def cohort_for(onset_kind: str | None, onset: date | None, programme_start: date) -> Cohort | None:
    """Which cohorts a person's course follows, from their onset answer; None for none."""
    if onset_kind == "over_3_months":
        return "persistent"
    if onset_kind != "date" or onset is None:
        return None
    days = (programme_start - onset).days
    if days < 0 or days >= BEYOND_COHORTS_DAYS:
        return None
    return "acute" if days < 7 * PERSISTENT_FROM_WEEKS else "persistent"


def expected_course(
    onset_kind: str | None,
    onset: date | None,
    programme_start: date,
    baseline: float | None,
) -> ExpectedCourse:
    """The published average course for this person, placed and scaled (see the module)."""
    estimate = onset_kind == "over_3_months"
    if estimate:
        onset = programme_start - timedelta(weeks=PERSISTENT_FROM_WEEKS)
    cohort = cohort_for(onset_kind, onset, programme_start)
    if cohort is None or onset is None:
        return ExpectedCourse(None, (), _why_none(onset_kind, onset, programme_start))
    if baseline is None:
        return ExpectedCourse(None, (), "no_baseline", estimate)
    offset = 0 if cohort == "acute" else PERSISTENT_FROM_WEEKS
    weeks_at_start = (programme_start - onset).days / 7
    start_week = weeks_at_start - offset
    knots = COURSE[cohort]
    scale = baseline / interpolate(start_week, knots)
    # Whole weeks from the programme start, then the course's last published week.
    steps = [float(week) for week in range(int(LAST_COURSE_WEEK - start_week) + 1)]
    if start_week + steps[-1] < LAST_COURSE_WEEK:
        steps.append(LAST_COURSE_WEEK - start_week)
    points = tuple(
        CoursePoint(
            programme_start + timedelta(days=round(7 * step)),
            weeks_at_start + step,
            scale * interpolate(start_week + step, knots),
        )
        for step in steps
    )
    return ExpectedCourse(cohort, points, None, estimate)


def _why_none(onset_kind: str | None, onset: date | None, programme_start: date) -> NoCourseReason:
    if onset_kind is None:
        return "not_asked"
    if onset_kind != "date" or onset is None:
        return "unknown"
    return "after_start" if onset > programme_start else "over_a_year"


def interpolate(week: float, knots: Sequence[tuple[int, float]]) -> float:
    """The course's pain at ``week``, linear between the published points (flat outside)."""
    if week <= knots[0][0]:
        return knots[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(knots):
        if week <= x1:
            return y0 + (y1 - y0) * (week - x0) / (x1 - x0)
    return knots[-1][1]
