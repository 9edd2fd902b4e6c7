"""The patient-reported outcome measures of the weekly check-in: their questions, answers and
validation. Both are free to use (the Oswestry and Roland-Morris texts are not, and are not
shipped).

* **PGIC**, Patient Global Impression of Change (one question, 7 points): 1 "Very much
  better" .. 4 "No change" .. 7 "Very much worse".
* **PSFS**, Patient-Specific Functional Scale: the person names 3-5 activities their back
  makes hard, once, and rates each every week from 0 (unable to do it) to 10 (able to do it
  as well as before the problem). The weekly score is the mean; a change of about 2 points
  is meaningful (Stratford et al. 1995, Physiotherapy Canada).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from core.domain.days import monday
from core.domain.validation import ValidationError, is_whole_number, validate_name

PGIC_QUESTION = (
    "Since you started the programme, how would you describe the change in your back "
    "overall: your pain, what you can do, and how you feel?"
)
#: Patient Global Impression of Change, 1-7; 1 is the best answer, 4 is no change.
PGIC_OPTIONS: dict[int, str] = {
    1: "Very much better",
    2: "Much better",
    3: "A little better",
    4: "No change",
    5: "A little worse",
    6: "Much worse",
    7: "Very much worse",
}

PSFS_MIN_ACTIVITIES = 3
PSFS_MAX_ACTIVITIES = 5
PSFS_MIN_SCORE = 0
PSFS_MAX_SCORE = 10

PSFS_QUESTION = (
    "How well can you do this activity this week? 0 = unable to do it, 10 = able to do it as "
    "well as before your back problem."
)


def validate_pgic(value: object) -> int | None:
    """A PGIC answer: a whole number 1-7, or None when the question was left out."""
    if value is None:
        return None
    if not is_whole_number(value) or value not in PGIC_OPTIONS:
        raise ValidationError("Choose one of the seven answers about how your back has changed.")
    return int(value)  # type: ignore[arg-type]


def validate_psfs_score(value: object, activity: str = "an activity") -> int:
    """A PSFS rating: a whole number from 0 to 10."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not is_whole_number(value) or not PSFS_MIN_SCORE <= value <= PSFS_MAX_SCORE:  # type: ignore[operator]
        raise ValidationError(
            f"Rate {activity} with a whole number from {PSFS_MIN_SCORE} to {PSFS_MAX_SCORE}."
        )
    return int(value)  # type: ignore[arg-type]


def validate_activity_names(names: Sequence[object]) -> list[str]:
    """3-5 distinct, non-empty activity names (blank entries are ignored), trimmed."""
    cleaned = [validate_name(name) for name in names if name is not None]
    cleaned = [name for name in cleaned if name]
    if not PSFS_MIN_ACTIVITIES <= len(cleaned) <= PSFS_MAX_ACTIVITIES:
        raise ValidationError(
            f"Name {PSFS_MIN_ACTIVITIES} to {PSFS_MAX_ACTIVITIES} activities; you named "
            f"{len(cleaned)}."
        )
    seen: set[str] = set()
    for name in cleaned:
        key = name.casefold()
        if key in seen:
            raise ValidationError(f"You named {name!r} twice; name each activity once.")
        seen.add(key)
    return cleaned


def validate_week_start(week_start: object, today: date) -> date:
    """A Monday no later than the current week (check-ins are about a week lived)."""
    if not isinstance(week_start, date) or isinstance(week_start, datetime):
        raise ValidationError("Pick the week to check in for.")
    if week_start.weekday() != 0:
        raise ValidationError("A week starts on a Monday; pick the week again.")
    if week_start > monday(today):
        raise ValidationError("You can check in for this week or an earlier one, not a future one.")
    return week_start
