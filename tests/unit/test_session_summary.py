"""What a finished session is filed as, and the done-vs-prescribed summary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.db.flags import active_flags, clear_flag, flag_exercise, pain_stop_streak
from core.db.store import Store
from core.domain.catalog import default_catalog
from core.domain.models import ProgrammeItem
from core.domain.session_plan import (
    ExerciseDose,
    build_plan,
    dose_summary,
    items_from_json,
    plan_items_json,
    prescribed_counts,
    session_status,
)
from tests import factories

CATALOG = default_catalog()
ITEMS = [ProgrammeItem("knee-to-chest", 2, 20), ProgrammeItem("supine-core", 3, 0)]
PLAN = build_plan([(CATALOG.get(item.exercise_id), item) for item in ITEMS])


def test_the_plan_expands_sides_and_reps_in_order() -> None:
    assert [(s.exercise_id, s.side, s.rep, s.kind) for s in PLAN] == [
        ("knee-to-chest", "right", 1, "hold"),
        ("knee-to-chest", "right", 2, "hold"),
        ("knee-to-chest", "left", 1, "hold"),
        ("knee-to-chest", "left", 2, "hold"),
        ("supine-core", "none", 1, "tap"),
        ("supine-core", "none", 2, "tap"),
        ("supine-core", "none", 3, "tap"),
    ]
    assert prescribed_counts(PLAN) == {
        ("knee-to-chest", "right"): 2,
        ("knee-to-chest", "left"): 2,
        ("supine-core", "none"): 3,
    }


def test_plan_json_round_trips() -> None:
    assert items_from_json(plan_items_json(ITEMS)) == ITEMS


@pytest.mark.parametrize(
    ("recorded", "expected"),
    [
        (dict.fromkeys(range(7), "done"), "completed"),
        ({**dict.fromkeys(range(7), "done"), 3: "skipped"}, "partial"),
        (dict.fromkeys(range(4), "done"), "partial"),
        ({0: "done", 1: "stopped_for_pain", 2: "skipped", 3: "skipped"}, "stopped_for_pain"),
        ({}, "partial"),
    ],
)
def test_session_status(recorded: dict, expected: str) -> None:
    assert session_status(PLAN, recorded) == expected


def test_dose_summary_counts_done_against_prescribed_per_exercise_and_side() -> None:
    recorded = {0: "done", 1: "stopped_for_pain", 2: "skipped", 3: "skipped", 4: "done"}
    assert dose_summary(PLAN, recorded) == [
        ExerciseDose("knee-to-chest", "Knee to chest", "right", 1, 2, True),
        ExerciseDose("knee-to-chest", "Knee to chest", "left", 0, 2, False),
        ExerciseDose("supine-core", "Supine core", "none", 1, 3, False),
    ]


def sets(exercise: str, status: str) -> list[tuple[str, str, str]]:
    return [(exercise, "none", status)]


def day(number: int) -> datetime:
    return datetime(2026, 3, 2, 8, tzinfo=UTC) + timedelta(days=number)


def test_pain_stop_streak_counts_the_latest_sessions_in_a_row(store: Store) -> None:
    profile = factories.profile(store, time_zone="UTC")
    assert pain_stop_streak(store, profile.id, "bridge") == 0
    factories.session(store, profile, day(0), sets("bridge", "stopped_for_pain"))
    factories.session(store, profile, day(1), sets("bridge", "done"))
    factories.session(store, profile, day(2), sets("bridge", "stopped_for_pain"))
    assert pain_stop_streak(store, profile.id, "bridge") == 1
    factories.session(store, profile, day(3), sets("cat-cow", "done"))
    factories.session(store, profile, day(4), sets("bridge", "stopped_for_pain"))
    assert pain_stop_streak(store, profile.id, "bridge") == 2


def test_flags_are_set_once_listed_and_cleared(store: Store) -> None:
    profile = factories.profile(store, time_zone="UTC")
    flag_exercise(store, profile.id, "bridge", reason="twice")
    flag_exercise(store, profile.id, "bridge", reason="again")
    assert active_flags(store, profile.id) == {"bridge": "twice"}
    assert store.table_counts(profile.id)["exercise_flags"] == 1
    clear_flag(store, profile.id, "bridge")
    assert active_flags(store, profile.id) == {}
