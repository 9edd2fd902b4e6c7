"""What the session coach says in each timed phase, and when (core.domain.coach)."""

from __future__ import annotations

from core.domain.coach import Cue, closing_cue, phase_cues
from core.domain.session_plan import build_plan
from tests.unit.test_session import BIRD, CAT, CORE, HIP, item

# Hip flexor stretch, both sides, 2 reps of 10 s, then bird dog alternating, 3 reps of 4 s.
# Steps: 0 right rep 1, 1 right rep 2, 2 left rep 1, 3 left rep 2, 4-6 bird dog reps 1-3.
PLAN = build_plan([(HIP, item(HIP, 2, 10)), (BIRD, item(BIRD, 3, 4))])


def test_get_ready_names_the_exercise_and_its_side() -> None:
    assert phase_cues("get_ready", PLAN[0], 5.0, PLAN) == [
        Cue(0.0, "say", "Hip flexor stretch, right side")
    ]


def test_get_ready_of_a_one_sided_exercise_names_no_side() -> None:
    plan = build_plan([(CORE, item(CORE, 2, 0))])
    assert plan[0].side == "none"
    assert phase_cues("get_ready", plan[0], 5.0, plan) == [Cue(0.0, "say", "Core draw-in")]


def test_switch_names_the_new_side_and_rest_says_rest() -> None:
    assert phase_cues("switch_side", PLAN[2], 5.0, PLAN) == [
        Cue(0.0, "say", "Switch to the left side")
    ]
    assert phase_cues("rest", PLAN[1], 2.0, PLAN) == [Cue(0.0, "say", "Rest")]


def test_a_hold_says_hold_and_counts_its_last_three_seconds() -> None:
    # 10 s hold: "3" at 10 - 3 = 7 s, "2" at 8 s, "1" at 9 s.
    assert phase_cues("hold", PLAN[0], 10.0, PLAN) == [
        Cue(0.0, "say", "Hold"),
        Cue(7.0, "tick", "3"),
        Cue(8.0, "tick", "2"),
        Cue(9.0, "tick", "1"),
    ]


def test_the_last_rep_of_a_side_says_last_one() -> None:
    assert phase_cues("hold", PLAN[1], 10.0, PLAN)[0] == Cue(0.0, "say", "Last one, hold")


def test_a_short_hold_counts_only_what_fits_after_its_start() -> None:
    # 3.5 s: "3" would be at 0.5 s (too close to "hold"), "2" at 1.5 s, "1" at 2.5 s.
    assert phase_cues("hold", PLAN[4], 3.5, PLAN) == [
        Cue(0.0, "say", "Hold"),
        Cue(1.5, "tick", "2"),
        Cue(2.5, "tick", "1"),
    ]


def test_the_sessions_last_hold_ends_with_well_done() -> None:
    # Bird dog rep 3 of 3, 4 s: "3" at 1 s, "2" at 2 s, "1" at 3 s, "well done" at 4 s.
    assert phase_cues("hold", PLAN[6], 4.0, PLAN) == [
        Cue(0.0, "say", "Last one, hold"),
        Cue(1.0, "tick", "3"),
        Cue(2.0, "tick", "2"),
        Cue(3.0, "tick", "1"),
        Cue(4.0, "end", "Well done"),
    ]


def test_paced_reps_say_only_last_one_and_well_done() -> None:
    plan = build_plan([(CAT, item(CAT, 2, 0))])
    assert phase_cues("paced", plan[0], 4.0, plan) == []
    assert phase_cues("paced", plan[1], 4.0, plan) == [
        Cue(0.0, "say", "Last one"),
        Cue(4.0, "end", "Well done"),
    ]


def test_no_cues_without_a_step_or_a_length() -> None:
    assert phase_cues("hold", None, 10.0, PLAN) == []
    assert phase_cues("get_ready", PLAN[0], 0.0, PLAN) == []


def test_a_session_ending_on_a_tapped_rep_says_well_done_when_it_ends() -> None:
    # Bird dog 1 rep of 4 s (step 0), then core draw-in 2 tapped reps (steps 1 and 2).
    plan = build_plan([(BIRD, item(BIRD, 1, 4)), (CORE, item(CORE, 2, 0))])
    assert [step.kind for step in plan] == ["hold", "tap", "tap"]
    # A tap has no deadline, so no cue of its own phase says it.
    assert phase_cues("tap", plan[2], 0.0, plan) == []
    assert closing_cue(plan, {0: "done", 1: "done", 2: "done"}) == Cue(0.0, "end", "Well done")
    # An earlier step skipped still ends with the last tap done.
    assert closing_cue(plan, {0: "skipped", 2: "done"}) == Cue(0.0, "end", "Well done")


def test_no_closing_words_when_the_last_tap_was_not_done_or_the_last_step_is_timed() -> None:
    taps = build_plan([(CORE, item(CORE, 2, 0))])
    assert closing_cue(taps, {0: "done"}) is None  # ended before the last tap
    assert closing_cue(taps, {0: "done", 1: "skipped"}) is None
    assert closing_cue(taps, {0: "done", 1: "stopped_for_pain"}) is None
    # A hold says "well done" from its deadline (phase_cues); nothing more at the end.
    assert closing_cue(PLAN, dict.fromkeys(range(len(PLAN)), "done")) is None
    assert closing_cue((), {}) is None
