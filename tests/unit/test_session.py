"""Tests for the guided session runner (core.session): plan building and the state machine."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.domain.models import Dosage, DosageBounds, Exercise, ProgrammeItem, Sides
from core.domain.session_plan import SessionError, Step, build_plan, prescribed_counts
from core.domain.session_runner import Outcome, RunnerView, SessionRunner

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def make_exercise(
    exercise_id: str,
    name: str,
    *,
    sides: Sides,
    reps: int = 2,
    hold_s: int = 0,
    rest_s: int = 0,
    pace_s: int = 0,
) -> Exercise:
    return Exercise(
        id=exercise_id,
        number=1,
        name=name,
        group="flexibility",
        position="standing",
        equipment=(),
        summary="A test exercise.",
        steps=("Do it.",),
        cautions=(),
        arches_back=False,
        dosage=Dosage(reps=reps, hold_s=hold_s, sides=sides, rest_s=rest_s, pace_s=pace_s),
        bounds=DosageBounds(reps_min=1, reps_max=30, hold_min_s=0, hold_max_s=90),
        article_dosage="test",
    )


HIP = make_exercise("hip", "Hip flexor stretch", sides="both", reps=2, hold_s=3, rest_s=2)
CORE = make_exercise("core", "Core draw-in", sides="none", reps=2)
BIRD = make_exercise("bird", "Bird dog", sides="alternating", reps=3, hold_s=4, rest_s=1)
CAT = make_exercise("cat", "Cat and cow", sides="none", reps=2, pace_s=4, rest_s=3)


def item(exercise: Exercise, reps: int, hold_s: int) -> ProgrammeItem:
    return ProgrammeItem(exercise_id=exercise.id, reps=reps, hold_s=hold_s)


def step(
    index: int,
    item_index: int,
    exercise: Exercise,
    side: str,
    rep: int,
    reps_in_block: int,
    kind: str,
    duration_s: int,
    rest_after_s: int,
) -> Step:
    return Step(
        index=index,
        item_index=item_index,
        exercise_id=exercise.id,
        exercise_name=exercise.name,
        side=side,  # type: ignore[arg-type]
        rep=rep,
        reps_in_block=reps_in_block,
        kind=kind,  # type: ignore[arg-type]
        duration_s=duration_s,
        rest_after_s=rest_after_s,
    )


# The two-exercise programme used by most runner tests.
PLAN = build_plan([(HIP, item(HIP, 2, 3)), (CORE, item(CORE, 2, 0))])
S0, S1, S2, S3, S4, S5 = PLAN
EXPECTED_PLAN = (
    step(0, 0, HIP, "right", 1, 2, "hold", 3, 2),
    step(1, 0, HIP, "right", 2, 2, "hold", 3, 0),
    step(2, 0, HIP, "left", 1, 2, "hold", 3, 2),
    step(3, 0, HIP, "left", 2, 2, "hold", 3, 0),
    step(4, 1, CORE, "none", 1, 2, "tap", 0, 0),
    step(5, 1, CORE, "none", 2, 2, "tap", 0, 0),
)
# Timeline with lead-in 5 s and switch 5 s, starting at 0:
#   get_ready 0-5, hold S0 5-8, rest 8-10, hold S1 10-13, switch_side 13-18,
#   hold S2 18-21, rest 21-23, hold S3 23-26, get_ready 26-31, tap S4 from 31.


def done(s: Step, start: float, end: float, duration: float | None = None) -> Outcome:
    return Outcome(
        kind="set",
        step=s,
        status="done",
        started_at=at(start),
        completed_at=at(end),
        duration_s=float(end - start if duration is None else duration),
    )


def skipped(s: Step, when: float) -> Outcome:
    return Outcome(
        kind="set",
        step=s,
        status="skipped",
        started_at=at(when),
        completed_at=at(when),
        duration_s=0.0,
    )


def stopped(s: Step, start: float, end: float, duration: float) -> Outcome:
    return Outcome(
        kind="set",
        step=s,
        status="stopped_for_pain",
        started_at=at(start),
        completed_at=at(end),
        duration_s=duration,
    )


def pain_outcome(s: Step, when: float, pain: int) -> Outcome:
    return Outcome(
        kind="exercise_pain",
        step=s,
        status="stopped_for_pain",
        started_at=at(when),
        completed_at=at(when),
        duration_s=0.0,
        pain=pain,
    )


HIP_NEXT = "Core draw-in"
PAIN_MESSAGE = "Stop this exercise. Rate the pain, then continue or end the session."


def hip_view(
    phase: str,
    s: Step,
    remaining: float | None,
    total: float | None,
    progress: float,
    *,
    paused_phase: str | None = None,
    message: str | None = None,
) -> RunnerView:
    return RunnerView(
        phase=phase,  # type: ignore[arg-type]
        step=s,
        remaining_s=remaining,
        phase_total_s=total,
        exercise_number=1,
        exercise_count=2,
        label=f"Exercise 1 of 2 · rep {s.rep} of 2 · {s.side} side",
        next_label=HIP_NEXT,
        progress=progress,
        is_paused=phase == "paused",
        message=message,
        paused_phase=paused_phase,  # type: ignore[arg-type]
    )


def core_view(
    phase: str,
    s: Step,
    remaining: float | None,
    total: float | None,
    progress: float,
    *,
    paused_phase: str | None = None,
    message: str | None = None,
) -> RunnerView:
    return RunnerView(
        phase=phase,  # type: ignore[arg-type]
        step=s,
        remaining_s=remaining,
        phase_total_s=total,
        exercise_number=2,
        exercise_count=2,
        label=f"Exercise 2 of 2 · rep {s.rep} of 2",
        next_label="Last exercise",
        progress=progress,
        is_paused=phase == "paused",
        message=message,
        paused_phase=paused_phase,  # type: ignore[arg-type]
    )


def finished_view(progress: float, count: int = 2) -> RunnerView:
    return RunnerView(
        phase="finished",
        step=None,
        remaining_s=None,
        phase_total_s=None,
        exercise_number=0,
        exercise_count=count,
        label="",
        next_label="",
        progress=progress,
        is_paused=False,
        message=None,
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def runner(clock: FakeClock) -> SessionRunner:
    return SessionRunner(PLAN, clock=clock, lead_in_s=5, switch_s=5)


def run_to(runner: SessionRunner, clock: FakeClock, seconds: float) -> list[Outcome]:
    """Start at T0 (if needed) and tick once at ``seconds``."""
    out = runner.start() if runner.phase == "not_started" else []
    clock.now = at(seconds)
    return out + runner.tick()


# ------------------------------------------------------------------------ plans


def test_build_plan_both_sides_hold_with_rest() -> None:
    assert PLAN == EXPECTED_PLAN


def test_build_plan_alternating_none_paced_and_tap() -> None:
    plan = build_plan(
        [
            (BIRD, item(BIRD, 3, 4)),
            (CAT, item(CAT, 2, 0)),
            (CORE, item(CORE, 1, 0)),
            (HIP, item(HIP, 1, 0)),  # hold 0 and no pace: a tapped "both" exercise
        ]
    )
    assert plan == (
        step(0, 0, BIRD, "right", 1, 3, "hold", 4, 1),
        step(1, 0, BIRD, "left", 2, 3, "hold", 4, 1),
        step(2, 0, BIRD, "right", 3, 3, "hold", 4, 0),
        step(3, 1, CAT, "none", 1, 2, "paced", 4, 0),
        step(4, 1, CAT, "none", 2, 2, "paced", 4, 0),
        step(5, 2, CORE, "none", 1, 1, "tap", 0, 0),
        step(6, 3, HIP, "right", 1, 1, "tap", 0, 0),
        step(7, 3, HIP, "left", 1, 1, "tap", 0, 0),
    )


def test_build_plan_none_side_hold_uses_item_reps_and_hold() -> None:
    plank = make_exercise("plank", "Prone bridge", sides="none", reps=1, hold_s=15, rest_s=10)
    assert build_plan([(plank, item(plank, 2, 20))]) == (
        step(0, 0, plank, "none", 1, 2, "hold", 20, 10),
        step(1, 0, plank, "none", 2, 2, "hold", 20, 0),
    )


def test_build_plan_empty_and_zero_reps() -> None:
    assert build_plan([]) == ()
    assert build_plan([(HIP, item(HIP, 0, 3))]) == ()


def test_build_plan_rejects_mismatched_item() -> None:
    with pytest.raises(SessionError, match="'core' but was paired with exercise 'hip'"):
        build_plan([(HIP, item(CORE, 2, 0))])


@pytest.mark.parametrize(
    ("reps", "hold_s", "message"),
    [(-1, 3, "Reps for Hip flexor stretch"), (2, -3, "Hold for Hip flexor stretch")],
)
def test_build_plan_rejects_negative_dosage(reps: int, hold_s: int, message: str) -> None:
    with pytest.raises(SessionError, match=message):
        build_plan([(HIP, ProgrammeItem(exercise_id="hip", reps=reps, hold_s=hold_s))])


def test_prescribed_counts() -> None:
    plan = build_plan([(HIP, item(HIP, 3, 3)), (BIRD, item(BIRD, 3, 4)), (CORE, item(CORE, 5, 0))])
    assert prescribed_counts(plan) == {
        ("hip", "right"): 3,
        ("hip", "left"): 3,
        ("bird", "right"): 2,
        ("bird", "left"): 1,
        ("core", "none"): 5,
    }
    assert prescribed_counts(()) == {}


# ------------------------------------------------------------------- full run


def test_full_two_exercise_run(runner: SessionRunner, clock: FakeClock) -> None:
    assert runner.view() == hip_view("not_started", S0, None, None, 0.0)
    assert runner.start() == []
    assert runner.view() == hip_view("get_ready", S0, 5.0, 5.0, 0.0)

    clock.advance(4.5)
    assert runner.tick() == []
    assert runner.view() == hip_view("get_ready", S0, 0.5, 5.0, 0.0)

    clock.now = at(6)
    assert runner.tick() == []
    assert runner.view() == hip_view("hold", S0, 2.0, 3.0, 0.0)

    clock.now = at(8.5)
    assert runner.tick() == [done(S0, 5, 8)]
    assert runner.view() == hip_view("rest", S1, 1.5, 2.0, 1 / 6)

    clock.now = at(10)
    assert runner.tick() == []
    assert runner.view() == hip_view("hold", S1, 3.0, 3.0, 1 / 6)

    clock.now = at(14)
    assert runner.tick() == [done(S1, 10, 13)]
    assert runner.view() == hip_view(
        "switch_side", S2, 4.0, 5.0, 2 / 6, message="Switch to the left side"
    )

    clock.now = at(19)
    assert runner.tick() == []
    assert runner.view() == hip_view("hold", S2, 2.0, 3.0, 2 / 6)

    clock.now = at(22)
    assert runner.tick() == [done(S2, 18, 21)]
    clock.now = at(27)
    assert runner.tick() == [done(S3, 23, 26)]
    assert runner.view() == core_view("get_ready", S4, 4.0, 5.0, 4 / 6)

    clock.now = at(31)
    assert runner.tick() == []
    assert runner.view() == core_view("tap", S4, None, None, 4 / 6)

    clock.now = at(34)
    assert runner.tap() == [done(S4, 31, 34)]
    assert runner.view() == core_view("tap", S5, None, None, 5 / 6)

    clock.now = at(36)
    assert runner.tap() == [done(S5, 34, 36)]
    assert runner.view() == finished_view(1.0)
    assert runner.done_count == 6
    assert runner.recorded_indices == frozenset(range(6))
    assert runner.tick() == []


def test_catch_up_after_long_gap_in_one_tick(runner: SessionRunner, clock: FakeClock) -> None:
    runner.start()
    clock.advance(1000)
    assert runner.tick() == [
        done(S0, 5, 8),
        done(S1, 10, 13),
        done(S2, 18, 21),
        done(S3, 23, 26),
    ]
    assert runner.view() == core_view("tap", S4, None, None, 4 / 6)
    assert runner.tap() == [done(S4, 31, 1000)]


def test_catch_up_through_paced_reps_and_finish(clock: FakeClock) -> None:
    plan = build_plan([(CAT, item(CAT, 2, 0))])
    runner = SessionRunner(plan, clock=clock, lead_in_s=3)
    runner.start()
    clock.now = at(5)
    assert runner.tick() == []
    assert runner.view().phase == "paced"
    assert runner.view().remaining_s == 2.0
    clock.now = at(500)
    # Paced reps follow each other directly: 3-7 and 7-11, no rest.
    assert runner.tick() == [done(plan[0], 3, 7), done(plan[1], 7, 11)]
    assert runner.view() == finished_view(1.0, count=1)


def test_zero_lead_in_starts_the_first_step_at_once(clock: FakeClock) -> None:
    runner = SessionRunner(PLAN, clock=clock, lead_in_s=0, switch_s=0)
    assert runner.start() == []
    assert runner.view() == hip_view("hold", S0, 3.0, 3.0, 0.0)
    clock.now = at(8)
    assert runner.tick() == [done(S0, 0, 3), done(S1, 5, 8)]
    assert runner.view() == hip_view("hold", S2, 3.0, 3.0, 2 / 6)


def test_empty_plan_finishes_at_start(clock: FakeClock) -> None:
    runner = SessionRunner((), clock=clock)
    assert runner.view() == RunnerView(
        phase="not_started",
        step=None,
        remaining_s=None,
        phase_total_s=None,
        exercise_number=0,
        exercise_count=0,
        label="",
        next_label="",
        progress=0.0,
        is_paused=False,
        message=None,
    )
    assert runner.start() == []
    assert runner.view() == finished_view(1.0, count=0)


# -------------------------------------------------------------------- pausing


def test_pause_during_hold(runner: SessionRunner, clock: FakeClock) -> None:
    run_to(runner, clock, 6)
    assert runner.pause() == []
    assert runner.view() == hip_view("paused", S0, 2.0, 3.0, 0.0, paused_phase="hold")
    clock.advance(100)
    assert runner.tick() == []
    assert runner.view() == hip_view("paused", S0, 2.0, 3.0, 0.0, paused_phase="hold")
    assert runner.resume() == []
    assert runner.view() == hip_view("hold", S0, 2.0, 3.0, 0.0)
    clock.advance(1.5)
    assert runner.tick() == []
    clock.advance(0.5)  # t = 108: the hold ends 2 s of active time after resuming
    assert runner.tick() == [done(S0, 5, 108, duration=3.0)]
    assert runner.view() == hip_view("rest", S1, 2.0, 2.0, 1 / 6)


def test_pause_twice_in_one_hold_and_hurt_excludes_paused_time(
    runner: SessionRunner, clock: FakeClock
) -> None:
    run_to(runner, clock, 5.5)
    runner.pause()
    clock.now = at(50)
    runner.resume()
    clock.now = at(51)
    runner.pause()
    assert runner.view().remaining_s == 1.5
    clock.now = at(70)
    assert runner.hurts() == [stopped(S0, 5, 70, 1.5)]


def test_pause_during_rest(runner: SessionRunner, clock: FakeClock) -> None:
    assert run_to(runner, clock, 9) == [done(S0, 5, 8)]
    runner.pause()
    assert runner.view() == hip_view("paused", S1, 1.0, 2.0, 1 / 6, paused_phase="rest")
    clock.now = at(59)
    assert runner.tick() == []
    runner.resume()
    clock.now = at(60)
    assert runner.tick() == []
    assert runner.view() == hip_view("hold", S1, 3.0, 3.0, 1 / 6)
    clock.now = at(63)
    assert runner.tick() == [done(S1, 60, 63)]


def test_pause_during_get_ready(runner: SessionRunner, clock: FakeClock) -> None:
    run_to(runner, clock, 2)
    runner.pause()
    assert runner.view() == hip_view("paused", S0, 3.0, 5.0, 0.0, paused_phase="get_ready")
    clock.now = at(32)
    runner.resume()
    clock.now = at(35)
    assert runner.tick() == []
    assert runner.view() == hip_view("hold", S0, 3.0, 3.0, 0.0)
    clock.now = at(38)
    assert runner.tick() == [done(S0, 35, 38)]


def test_pause_during_switch_side_keeps_message(runner: SessionRunner, clock: FakeClock) -> None:
    run_to(runner, clock, 15)
    runner.pause()
    assert runner.view() == hip_view(
        "paused",
        S2,
        3.0,
        5.0,
        2 / 6,
        paused_phase="switch_side",
        message="Switch to the left side",
    )


def test_pause_during_tap_excludes_paused_time(runner: SessionRunner, clock: FakeClock) -> None:
    run_to(runner, clock, 32)
    runner.pause()
    assert runner.view() == core_view("paused", S4, None, None, 4 / 6, paused_phase="tap")
    clock.now = at(42)
    runner.resume()
    clock.now = at(44)
    assert runner.tap() == [done(S4, 31, 44, duration=3.0)]


def test_pause_after_missed_deadline_catches_up_first(
    runner: SessionRunner, clock: FakeClock
) -> None:
    runner.start()
    clock.now = at(9)  # the hold ended at 8, nobody ticked
    assert runner.pause() == [done(S0, 5, 8)]
    assert runner.view() == hip_view("paused", S1, 1.0, 2.0, 1 / 6, paused_phase="rest")


# ----------------------------------------------------------------- skip, back


def test_skip_mid_hold_records_rest_of_exercise_as_skipped(
    runner: SessionRunner, clock: FakeClock
) -> None:
    run_to(runner, clock, 11)
    assert runner.skip_exercise() == [skipped(S1, 11), skipped(S2, 11), skipped(S3, 11)]
    assert runner.view() == core_view("get_ready", S4, 5.0, 5.0, 4 / 6)
    assert runner.done_count == 1
    assert runner.recorded_statuses == {
        0: "done",
        1: "skipped",
        2: "skipped",
        3: "skipped",
    }


def test_skip_on_last_exercise_finishes(runner: SessionRunner, clock: FakeClock) -> None:
    run_to(runner, clock, 33)
    assert runner.tap() == [done(S4, 31, 33)]
    clock.now = at(34)
    assert runner.skip_exercise() == [skipped(S5, 34)]
    assert runner.view() == finished_view(1.0)
    assert runner.done_count == 5


def test_skip_while_paused_stays_paused_at_next_get_ready(
    runner: SessionRunner, clock: FakeClock
) -> None:
    run_to(runner, clock, 2)
    runner.pause()
    clock.now = at(3)
    assert runner.skip_exercise() == [skipped(s, 3) for s in (S0, S1, S2, S3)]
    assert runner.view() == core_view("paused", S4, 5.0, 5.0, 4 / 6, paused_phase="get_ready")


def test_back_at_the_first_rep_of_the_second_side_restarts_the_exercise(
    runner: SessionRunner, clock: FakeClock
) -> None:
    run_to(runner, clock, 19)  # hold S2: rep 1 of the left side's block
    assert runner.back() == []
    # Back to S0's get-ready; S0 and S1 stay recorded but are ahead again: 0 of 6 behind.
    assert runner.view() == hip_view("get_ready", S0, 5.0, 5.0, 0.0)
    assert runner.recorded_indices == frozenset({0, 1})
    # Get-ready 19-24, hold S0 24-27: the redone S0 replaces its record, 1 of 6 behind.
    clock.now = at(27)
    assert runner.tick() == [done(S0, 24, 27)]
    assert runner.view() == hip_view("rest", S1, 2.0, 2.0, 1 / 6)


def test_back_in_a_hold_within_a_block_goes_back_one_rep(
    runner: SessionRunner, clock: FakeClock
) -> None:
    run_to(runner, clock, 24)  # hold S3 (rep 2 of 2, left), 23-26; S0-S2 done
    assert runner.view().progress == 3 / 6
    assert runner.back() == []
    # To S2's get-ready (rep 1 of 2, left): S0 and S1 are behind, 2 of 6.
    assert runner.view() == hip_view("get_ready", S2, 5.0, 5.0, 2 / 6)
    assert runner.recorded_indices == frozenset({0, 1, 2})
    # Get-ready 24-29, hold S2 29-32, rest 32-34, hold S3 34-37, then CORE's get-ready.
    clock.now = at(32.5)
    assert runner.tick() == [done(S2, 29, 32)]
    assert runner.view() == hip_view("rest", S3, 1.5, 2.0, 3 / 6)
    clock.now = at(38)
    assert runner.tick() == [done(S3, 34, 37)]
    assert runner.view() == core_view("get_ready", S4, 4.0, 5.0, 4 / 6)


def test_back_in_a_rest_goes_back_to_the_rep_just_done(
    runner: SessionRunner, clock: FakeClock
) -> None:
    assert run_to(runner, clock, 9) == [done(S0, 5, 8)]  # rest before S1, 8-10
    assert runner.view().progress == 1 / 6
    assert runner.back() == []
    # S1 (rep 2) was coming, so one rep back is S0: nothing behind it, 0 of 6.
    assert runner.view() == hip_view("get_ready", S0, 5.0, 5.0, 0.0)


def test_back_twice_within_a_block_of_three_walks_back_rep_by_rep(clock: FakeClock) -> None:
    # Bird dog alternates sides and counts reps over the whole block: right, left, right.
    plan = build_plan([(BIRD, item(BIRD, 3, 4))])
    runner = SessionRunner(plan, clock=clock, lead_in_s=2)
    # Get-ready 0-2, hold 0 2-6, rest 6-7, hold 1 7-11, rest 11-12, hold 2 12-16.
    assert run_to(runner, clock, 13) == [done(plan[0], 2, 6), done(plan[1], 7, 11)]
    assert (runner.view().step, runner.view().progress) == (plan[2], 2 / 3)
    runner.back()
    assert (runner.view().phase, runner.view().step, runner.view().progress) == (
        "get_ready",
        plan[1],
        1 / 3,
    )
    runner.back()  # a get-ready of rep 2: one more rep back
    assert (runner.view().phase, runner.view().step, runner.view().progress) == (
        "get_ready",
        plan[0],
        0.0,
    )
    runner.back()  # the exercise's start, and the first exercise: the lead-in restarts
    assert (runner.view().phase, runner.view().step, runner.view().remaining_s) == (
        "get_ready",
        plan[0],
        2.0,
    )


def test_back_at_exercise_start_goes_to_previous_exercise(
    runner: SessionRunner, clock: FakeClock
) -> None:
    run_to(runner, clock, 27)  # get_ready before CORE
    assert runner.back() == []
    # S0-S3 stay recorded but are all ahead of S0 again.
    assert runner.view() == hip_view("get_ready", S0, 5.0, 5.0, 0.0)


def test_back_during_the_second_tap_goes_back_one_rep(
    runner: SessionRunner, clock: FakeClock
) -> None:
    run_to(runner, clock, 32)
    clock.now = at(33)
    runner.tap()  # S4 done; tapping S5 (rep 2 of 2)
    assert runner.view().progress == 5 / 6
    assert runner.back() == []
    # S4's get-ready: S0-S3 behind, 4 of 6.
    assert runner.view() == core_view("get_ready", S4, 5.0, 5.0, 4 / 6)


def test_back_during_the_first_tap_restarts_the_exercise(
    runner: SessionRunner, clock: FakeClock
) -> None:
    run_to(runner, clock, 32)  # tapping S4, rep 1 of 2
    assert runner.back() == []
    assert runner.view() == core_view("get_ready", S4, 5.0, 5.0, 4 / 6)


def test_back_at_first_exercise_start_restarts_lead_in(
    runner: SessionRunner, clock: FakeClock
) -> None:
    run_to(runner, clock, 3)
    assert runner.back() == []
    assert runner.view() == hip_view("get_ready", S0, 5.0, 5.0, 0.0)


def test_back_while_paused_stays_paused(runner: SessionRunner, clock: FakeClock) -> None:
    run_to(runner, clock, 11)  # hold S1, rep 2 of 2 on the right
    runner.pause()
    assert runner.back() == []
    # One rep back, to S0, still paused; nothing behind S0.
    assert runner.view() == hip_view("paused", S0, 5.0, 5.0, 0.0, paused_phase="get_ready")


# ----------------------------------------------------------------------- pain


def test_hurts_during_hold_then_pain_then_continue(runner: SessionRunner, clock: FakeClock) -> None:
    run_to(runner, clock, 6.5)
    assert runner.hurts() == [stopped(S0, 5, 6.5, 1.5)]
    assert runner.view() == hip_view("pain_check", S0, None, None, 1 / 6, message=PAIN_MESSAGE)
    clock.advance(600)  # waiting in pain_check lets no time run out
    assert runner.tick() == []
    assert runner.record_exercise_pain(4) == [pain_outcome(S0, 606.5, 4)]
    assert runner.exercise_pain == {0: 4}
    assert runner.record_exercise_pain(5) == [pain_outcome(S0, 606.5, 5)]
    assert runner.exercise_pain == {0: 5}
    assert runner.continue_after_pain() == [
        skipped(S1, 606.5),
        skipped(S2, 606.5),
        skipped(S3, 606.5),
    ]
    assert runner.view() == core_view("get_ready", S4, 5.0, 5.0, 4 / 6)
    assert runner.recorded_statuses == {
        0: "stopped_for_pain",
        1: "skipped",
        2: "skipped",
        3: "skipped",
    }


def test_hurts_during_tap_then_end(runner: SessionRunner, clock: FakeClock) -> None:
    run_to(runner, clock, 35)
    assert runner.hurts() == [stopped(S4, 31, 35, 4.0)]
    assert runner.end() == []
    assert runner.view() == finished_view(5 / 6)
    assert runner.recorded_statuses == {
        0: "done",
        1: "done",
        2: "done",
        3: "done",
        4: "stopped_for_pain",
    }
    assert runner.exercise_pain == {}


def test_hurts_during_rest_records_no_step(runner: SessionRunner, clock: FakeClock) -> None:
    assert run_to(runner, clock, 9) == [done(S0, 5, 8)]
    assert runner.hurts() == []
    assert runner.view() == hip_view("pain_check", S1, None, None, 1 / 6, message=PAIN_MESSAGE)
    assert runner.record_exercise_pain(7) == [pain_outcome(S1, 9, 7)]
    assert runner.continue_after_pain() == [
        skipped(S1, 9),
        skipped(S2, 9),
        skipped(S3, 9),
    ]


def test_hurts_while_paused_in_hold_uses_frozen_active_time(
    runner: SessionRunner, clock: FakeClock
) -> None:
    run_to(runner, clock, 7)
    runner.pause()
    clock.now = at(40)
    assert runner.hurts() == [stopped(S0, 5, 40, 2.0)]
    assert runner.view().phase == "pain_check"
    assert runner.view().paused_phase is None


def test_continue_after_pain_on_last_exercise_finishes(
    runner: SessionRunner, clock: FakeClock
) -> None:
    run_to(runner, clock, 32)
    assert runner.hurts() == [stopped(S4, 31, 32, 1.0)]
    assert runner.continue_after_pain() == [skipped(S5, 32)]
    assert runner.view() == finished_view(1.0)


@pytest.mark.parametrize("bad", [-1, 11, 2.5, True, "3", None])
def test_invalid_pain_values_are_refused(
    runner: SessionRunner, clock: FakeClock, bad: object
) -> None:
    run_to(runner, clock, 6)
    runner.hurts()
    before = runner.to_dict()
    with pytest.raises(SessionError, match="Pain must be a whole number from 0 to 10"):
        runner.record_exercise_pain(bad)  # type: ignore[arg-type]
    assert runner.to_dict() == before
    assert runner.exercise_pain == {}


@pytest.mark.parametrize("good", [0, 10])
def test_pain_bounds_are_accepted(runner: SessionRunner, clock: FakeClock, good: int) -> None:
    run_to(runner, clock, 6)
    runner.hurts()
    assert runner.record_exercise_pain(good) == [pain_outcome(S0, 6, good)]


# -------------------------------------------------------------- invalid calls

ACTIONS: dict[str, Callable[[SessionRunner], list[Outcome]]] = {
    "start": lambda r: r.start(),
    "tap": lambda r: r.tap(),
    "pause": lambda r: r.pause(),
    "resume": lambda r: r.resume(),
    "skip_exercise": lambda r: r.skip_exercise(),
    "back": lambda r: r.back(),
    "hurts": lambda r: r.hurts(),
    "record_exercise_pain": lambda r: r.record_exercise_pain(3),
    "continue_after_pain": lambda r: r.continue_after_pain(),
}


def _in_phase(phase: str, clock: FakeClock) -> SessionRunner:
    runner = SessionRunner(PLAN, clock=clock, lead_in_s=5, switch_s=5)
    if phase == "not_started":
        return runner
    seconds = {
        "get_ready": 1,
        "hold": 6,
        "rest": 9,
        "switch_side": 14,
        "tap": 32,
        "paused": 6,
        "pain_check": 6,
        "finished": 1,
    }[phase]
    run_to(runner, clock, seconds)
    if phase == "paused":
        runner.pause()
    elif phase == "pain_check":
        runner.hurts()
    elif phase == "finished":
        runner.end()
    assert runner.phase == phase
    return runner


INVALID: list[tuple[str, str, str]] = [
    (phase, action, message)
    for phase, cases in {
        "not_started": {
            "tap": "no repetition to tap during not_started",
            "pause": "Nothing to pause during not_started",
            "resume": "not paused",
            "skip_exercise": "Cannot skip an exercise during not_started",
            "back": "Cannot go back during not_started",
            "hurts": 'Cannot say "this hurts" during not_started',
            "record_exercise_pain": "only rated after",
            "continue_after_pain": "only offered after",
        },
        "get_ready": {
            "start": "already started",
            "tap": "no repetition to tap during get_ready",
            "resume": "not paused",
            "record_exercise_pain": "only rated after",
            "continue_after_pain": "only offered after",
        },
        "hold": {
            "start": "already started",
            "tap": "no repetition to tap during hold",
            "resume": "not paused",
            "record_exercise_pain": "only rated after",
            "continue_after_pain": "only offered after",
        },
        "rest": {
            "tap": "no repetition to tap during rest",
            "resume": "not paused",
            "record_exercise_pain": "only rated after",
        },
        "switch_side": {
            "tap": "no repetition to tap during switch_side",
            "resume": "not paused",
            "continue_after_pain": "only offered after",
        },
        "tap": {
            "start": "already started",
            "resume": "not paused",
            "record_exercise_pain": "only rated after",
            "continue_after_pain": "only offered after",
        },
        "paused": {
            "start": "already started",
            "tap": "no repetition to tap during paused",
            "pause": "Nothing to pause during paused",
            "record_exercise_pain": "only rated after",
            "continue_after_pain": "only offered after",
        },
        "pain_check": {
            "start": "already started",
            "tap": "no repetition to tap during pain_check",
            "pause": "Nothing to pause during pain_check",
            "resume": "not paused",
            "skip_exercise": "Cannot skip an exercise during pain_check",
            "back": "Cannot go back during pain_check",
            "hurts": 'Cannot say "this hurts" during pain_check',
        },
        "finished": {
            "start": "already started",
            "tap": "no repetition to tap during finished",
            "pause": "Nothing to pause during finished",
            "resume": "not paused",
            "skip_exercise": "Cannot skip an exercise during finished",
            "back": "Cannot go back during finished",
            "hurts": 'Cannot say "this hurts" during finished',
            "record_exercise_pain": "only rated after",
            "continue_after_pain": "only offered after",
        },
    }.items()
    for action, message in cases.items()
]


@pytest.mark.parametrize(("phase", "action", "message"), INVALID)
def test_invalid_calls_raise_and_change_nothing(
    clock: FakeClock, phase: str, action: str, message: str
) -> None:
    runner = _in_phase(phase, clock)
    before_state, before_view = runner.to_dict(), runner.view()
    with pytest.raises(SessionError, match=message):
        ACTIONS[action](runner)
    assert runner.to_dict() == before_state
    assert runner.view() == before_view


def test_invalid_call_does_not_lose_caught_up_outcomes(
    runner: SessionRunner, clock: FakeClock
) -> None:
    runner.start()
    clock.now = at(9)  # S0 ended at 8 without a tick
    with pytest.raises(SessionError, match="no repetition to tap during rest"):
        runner.tap()
    assert runner.tick() == [done(S0, 5, 8)]


def test_end_from_any_phase_and_again(runner: SessionRunner) -> None:
    assert runner.end() == []
    assert runner.view() == finished_view(0.0)
    assert runner.end() == []
    assert runner.tick() == []


def test_end_catches_up_completed_holds_first(runner: SessionRunner, clock: FakeClock) -> None:
    runner.start()
    clock.now = at(12)
    assert runner.end() == [done(S0, 5, 8)]
    assert runner.view() == finished_view(1 / 6)


def test_clock_must_be_timezone_aware() -> None:
    runner = SessionRunner(PLAN, clock=lambda: datetime(2025, 3, 3, 9, 0))
    with pytest.raises(SessionError, match="timezone-aware"):
        runner.start()
    assert runner.phase == "not_started"


@pytest.mark.parametrize("bad", [-1, 2.5, True])
def test_lead_in_must_be_whole_seconds(clock: FakeClock, bad: object) -> None:
    with pytest.raises(SessionError, match="lead_in_s must be a whole number"):
        SessionRunner(PLAN, clock=clock, lead_in_s=bad)  # type: ignore[arg-type]


def test_plan_with_wrong_indices_is_refused(clock: FakeClock) -> None:
    with pytest.raises(SessionError, match="Step at position 0 has index 1"):
        SessionRunner((S1,), clock=clock)


# -------------------------------------------------------------------- restore


def test_restore_after_restart_mid_exercise(clock: FakeClock) -> None:
    clock.now = at(1000)
    runner = SessionRunner.restore(PLAN, [0, 1], clock=clock, lead_in_s=5, switch_s=5)
    assert runner.view() == hip_view("paused", S2, 5.0, 5.0, 2 / 6, paused_phase="get_ready")
    assert runner.tick() == []
    clock.now = at(1100)
    assert runner.resume() == []
    clock.now = at(1108)
    assert runner.tick() == [done(S2, 1105, 1108)]
    assert runner.view() == hip_view("rest", S3, 2.0, 2.0, 3 / 6)
    assert runner.done_count == 3


def test_restore_with_statuses_and_gaps(clock: FakeClock) -> None:
    runner = SessionRunner.restore(PLAN, {0: "done", 2: "skipped"}, clock=clock)
    assert runner.view().step == S1
    assert runner.done_count == 1
    assert runner.recorded_indices == frozenset({0, 2})


def test_restore_when_all_recorded_is_finished(clock: FakeClock) -> None:
    runner = SessionRunner.restore(PLAN, range(6), clock=clock)
    assert runner.view() == finished_view(1.0)


@pytest.mark.parametrize("bad", [[6], [-1], {0: "maybe"}])
def test_restore_refuses_unknown_records(clock: FakeClock, bad: object) -> None:
    with pytest.raises(SessionError):
        SessionRunner.restore(PLAN, bad, clock=clock)  # type: ignore[arg-type]


# ------------------------------------------------------------------ to/from dict


def test_round_trip_mid_hold_gives_same_view(runner: SessionRunner, clock: FakeClock) -> None:
    run_to(runner, clock, 19.25)
    data = json.loads(json.dumps(runner.to_dict()))
    copy = SessionRunner.from_dict(data, clock=clock)
    assert copy.view() == runner.view() == hip_view("hold", S2, 1.75, 3.0, 2 / 6)
    assert copy.to_dict() == runner.to_dict()
    clock.now = at(40)
    assert copy.tick() == runner.tick() == [done(S2, 18, 21), done(S3, 23, 26)]
    assert copy.view() == runner.view()


def test_round_trip_paused_with_pain_and_records(runner: SessionRunner, clock: FakeClock) -> None:
    run_to(runner, clock, 6.5)
    runner.hurts()
    runner.record_exercise_pain(6)
    data = json.loads(json.dumps(runner.to_dict()))
    copy = SessionRunner.from_dict(data, clock=clock)
    assert copy.exercise_pain == {0: 6}
    assert copy.recorded_statuses == {0: "stopped_for_pain"}
    assert copy.view() == runner.view()
    assert copy.continue_after_pain() == runner.continue_after_pain()


def test_to_dict_shape(runner: SessionRunner, clock: FakeClock) -> None:
    run_to(runner, clock, 7)
    runner.pause()
    data = runner.to_dict()
    assert {k: v for k, v in data.items() if k != "plan"} == {
        "version": 1,
        "lead_in_s": 5,
        "switch_s": 5,
        "phase": "paused",
        "pos": 0,
        "phase_total_s": 3.0,
        "segment_start": None,
        "active_prior_s": 2.0,
        "step_started_at": "2025-03-03T09:00:05+00:00",
        "paused_phase": "hold",
        "recorded": [],
        "exercise_pain": [],
    }
    assert len(data["plan"]) == 6


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.pop("phase"),
        lambda d: d.update(phase="dancing"),
        lambda d: d.update(version=99),
        lambda d: d.update(segment_start="not a date"),
        lambda d: d.update(segment_start="2025-03-03T09:00:05"),
        lambda d: d.update(recorded=[[99, "done"]]),
        lambda d: d.update(exercise_pain=[[0, 11]]),
        lambda d: d.update(pos=42),
        lambda d: d["plan"][0].update(kind="jump"),
    ],
)
def test_from_dict_refuses_malformed_state(
    runner: SessionRunner, clock: FakeClock, mutate: Callable[[dict], object]
) -> None:
    run_to(runner, clock, 6)
    data = json.loads(json.dumps(runner.to_dict()))
    mutate(data)
    with pytest.raises(SessionError):
        SessionRunner.from_dict(data, clock=clock)


# ------------------------------------------------------------ progress, labels


def test_labels_for_alternating_and_next_exercise(clock: FakeClock) -> None:
    plan = build_plan([(BIRD, item(BIRD, 3, 4)), (CORE, item(CORE, 1, 0))])
    runner = SessionRunner(plan, clock=clock, lead_in_s=2)
    runner.start()
    clock.now = at(2)
    runner.tick()
    assert runner.view() == RunnerView(
        phase="hold",
        step=plan[0],
        remaining_s=4.0,
        phase_total_s=4.0,
        exercise_number=1,
        exercise_count=2,
        label="Exercise 1 of 2 · rep 1 of 3 · right side",
        next_label="Core draw-in",
        progress=0.0,
        is_paused=False,
        message=None,
    )
    clock.now = at(7)  # hold 2-6, rest 6-7, second hold from 7
    assert runner.tick() == [done(plan[0], 2, 6)]
    view = runner.view()
    assert (view.label, view.progress) == (
        "Exercise 1 of 2 · rep 2 of 3 · left side",
        0.25,
    )


def test_exercise_numbers_skip_items_without_steps(clock: FakeClock) -> None:
    plan = build_plan([(HIP, item(HIP, 0, 3)), (CORE, item(CORE, 1, 0))])
    runner = SessionRunner(plan, clock=clock)
    view = runner.view()
    assert (view.exercise_number, view.exercise_count, view.label, view.next_label) == (
        1,
        1,
        "Exercise 1 of 1 · rep 1 of 1",
        "Last exercise",
    )
    assert view.step == step(0, 1, CORE, "none", 1, 1, "tap", 0, 0)


@given(st.lists(st.floats(min_value=0, max_value=20, allow_nan=False), max_size=40))
def test_outcomes_do_not_depend_on_how_often_it_ticks(gaps: list[float]) -> None:
    plan = build_plan([(HIP, item(HIP, 2, 3)), (CAT, item(CAT, 2, 0))])
    often_clock, once_clock = FakeClock(), FakeClock()
    often = SessionRunner(plan, clock=often_clock)
    once = SessionRunner(plan, clock=once_clock)
    collected = often.start()
    once.start()
    for gap in gaps:
        often_clock.advance(gap)
        collected += often.tick()
    once_clock.now = often_clock.now
    assert collected == once.tick()
    assert often.view() == once.view()
    once_clock.now = often_clock.now = at(10_000)
    assert collected + often.tick() == [
        done(plan[0], 5, 8),
        done(plan[1], 10, 13),
        done(plan[2], 18, 21),
        done(plan[3], 23, 26),
        done(plan[4], 31, 35),
        done(plan[5], 35, 39),
    ]


def test_shift_start_moves_the_first_get_ready_to_when_the_page_showed_it(
    runner: SessionRunner, clock: FakeClock
) -> None:
    # Started at T0 with a 5 s get-ready; the page showed it 0.4 s later and says so at 0.6 s.
    runner.start()
    clock.now = at(0.6)
    assert runner.shift_start(0.4) == []
    # The get-ready now ends at 0.4 + 5 = 5.4 s: 5.4 - 0.6 = 4.8 s left.
    assert runner.view().remaining_s == pytest.approx(4.8)
    clock.now = at(5.3)
    assert runner.tick() == [] and runner.phase == "get_ready"
    # The first 3 s hold runs from 5.4 s to 8.4 s.
    clock.now = at(8.4)
    assert runner.tick() == [done(PLAN[0], 5.4, 8.4)]


def test_shift_start_changes_nothing_after_the_first_get_ready_or_beyond_its_length(
    runner: SessionRunner, clock: FakeClock
) -> None:
    runner.start()
    clock.now = at(1.0)
    runner.shift_start(5.0)  # as long as the whole get-ready: not a page's lateness
    runner.shift_start(-1.0)
    assert runner.view().remaining_s == pytest.approx(4.0)  # 5 - 1
    clock.now = at(6.0)  # in the first hold (5 s to 8 s)
    runner.tick()
    runner.shift_start(0.5)
    assert runner.phase == "hold" and runner.view().remaining_s == pytest.approx(2.0)
