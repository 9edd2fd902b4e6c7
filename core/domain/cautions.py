"""Cautions that follow from what an exercise asks of the body and what a person told us, and
where a programme item is below the source article's dose.

An exercise's fields (``data/exercises.toml``: ``lying``, ``end_range_bend_or_twist``,
``standing``, ``arches_back_partly``) meet the profile's answers (pregnancy, osteoporosis,
recent back surgery); each caution says what to do instead. Texts are in
:mod:`core.domain.explain`.
"""

from __future__ import annotations

from core.domain import explain
from core.domain.catalog import Catalog, Preset
from core.domain.models import Exercise, Profile, ProgrammeItem
from core.domain.wording import describe_item


def cautions_for(exercise: Exercise, profile: Profile) -> tuple[str, ...]:
    """The cautions for this exercise and this person, most general first.

    Standing stretches: hold on to something steady (everyone; more so with osteoporosis).
    In pregnancy: lying on the back or stomach. With osteoporosis: bending or twisting
    toward the end of the range. After recent back surgery: the arching part of an
    exercise that arches the back in part (those that arch throughout are left out).
    """
    found: list[str] = []
    if exercise.standing:
        found.append(explain.CAUTION_STANDING)
        if profile.osteoporosis:
            found.append(explain.CAUTION_STANDING_FRAGILE)
    if profile.pregnant and exercise.lying == "back":
        found.append(explain.CAUTION_LYING_BACK)
    if profile.pregnant and exercise.lying == "stomach":
        found.append(explain.CAUTION_LYING_STOMACH)
    if profile.osteoporosis and exercise.end_range_bend_or_twist:
        found.append(explain.CAUTION_END_RANGE)
    if profile.recent_surgery and exercise.arches_back_partly:
        found.append(explain.CAUTION_ARCHES_PART)
    return tuple(found)


def below_article_dose(item: ProgrammeItem, exercise: Exercise) -> str | None:
    """Where an item asks for fewer repetitions than the source article, in words; else None.

    An exercise's default repetitions are the article's lower figure (see the catalogue),
    so fewer is below the article's dose. Holds are not compared: for stretches the
    article gives 20-30 s and the default is its upper figure.
    """
    if item.reps >= exercise.dosage.reps:
        return None
    return (
        f"{exercise.name}: {describe_item(exercise, item)} (the article: {exercise.article_dosage})"
    )


def preset_below_dose(preset: Preset, catalog: Catalog) -> tuple[str, ...]:
    """Each item of a preset that is below the article's dose, in words, in preset order."""
    found = (below_article_dose(item, catalog.get(item.exercise_id)) for item in preset.items)
    return tuple(text for text in found if text is not None)
