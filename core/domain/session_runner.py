"""The guided session runner: a pure state machine driven by an injectable clock.

``SessionRunner`` walks a plan (:mod:`core.domain.session_plan`) through timed phases
(lead-in, hold, paced rep, tap, rest, side switch) and hands back ``Outcome``s for the
caller to persist (:func:`core.db.session_records.record_outcome`); it does no I/O itself.

Time is never counted by calls: every phase stores when it began and how much active
time it had before any pause, and each call compares that with the clock. A ``tick()``
after a long gap (a hidden, throttled browser tab) therefore catches up through every
deadline that passed, completing holds at their deadlines, not at the tick.

The runner is one piece, though long: its actions, its view and its saving and restoring
all read and write the same private state, and splitting them would expose that state.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Concatenate, Literal, ParamSpec, get_args

from core.domain.session_plan import (
    STATUSES,
    SessionError,
    Status,
    Step,
    step_from_dict,
)
from core.domain.validation import is_whole_number

Phase = Literal[
    "not_started",
    "get_ready",
    "switch_side",
    "hold",
    "paced",
    "tap",
    "rest",
    "paused",
    "pain_check",
    "finished",
]
P = ParamSpec("P")
OutcomeKind = Literal["set", "exercise_pain"]

PHASES: tuple[Phase, ...] = get_args(Phase)

#: Phases that end by themselves at a deadline.
TIMED_PHASES: frozenset[Phase] = frozenset({"get_ready", "switch_side", "hold", "paced", "rest"})
#: Phases in which one step is being performed.
STEP_PHASES: frozenset[Phase] = frozenset({"hold", "paced", "tap"})
#: Phases the user can pause, skip, go back or say "this hurts" from.
ACTIVE_PHASES: frozenset[Phase] = TIMED_PHASES | {"tap"}

STATE_VERSION = 1
PAIN_MIN = 0
PAIN_MAX = 10


# ------------------------------------------------------------------ outcomes, view


@dataclass(frozen=True)
class Outcome:
    """Something the caller should persist.

    ``kind == "set"``: one step was recorded (``status`` says how); a redone step's
    outcome replaces the earlier one (upsert by ``step.index``).
    ``kind == "exercise_pain"``: the pain rating given after "this hurts"; ``step`` is the
    step the user stopped at, ``status`` is "stopped_for_pain" and ``pain`` holds the rating.
    ``duration_s`` is active time only (pauses excluded); a done hold records exactly its
    ``duration_s`` and completes at its deadline.
    """

    kind: OutcomeKind
    step: Step | None
    status: Status
    started_at: datetime
    completed_at: datetime
    duration_s: float
    pain: int | None = None


@dataclass(frozen=True)
class RunnerView:
    """Everything a page needs to draw the runner at one instant.

    ``step`` is the step being performed, or the one coming next during get_ready,
    switch_side and rest. ``remaining_s``/``phase_total_s`` are None where there is no
    countdown (tap, not_started, pain_check, finished); while paused they show the
    frozen values of the paused phase (``paused_phase``).
    """

    phase: Phase
    step: Step | None
    remaining_s: float | None
    phase_total_s: float | None
    exercise_number: int
    exercise_count: int
    label: str
    next_label: str
    progress: float
    is_paused: bool
    message: str | None
    paused_phase: Phase | None = None


# ------------------------------------------------------------------------ runner


@dataclass
class _State:
    phase: Phase = "not_started"
    pos: int = 0
    phase_total_s: float = 0.0
    segment_start: datetime | None = None
    active_prior_s: float = 0.0
    step_started_at: datetime | None = None
    paused_phase: Phase | None = None
    recorded: dict[int, Status] = field(default_factory=dict)
    exercise_pain: dict[int, int] = field(default_factory=dict)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _parse_dt(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise SessionError(f"Expected an ISO datetime string, got {value!r}.")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise SessionError(f"Datetime {value!r} has no time zone.")
    return parsed.astimezone(UTC)


def _action(
    method: Callable[Concatenate[SessionRunner, datetime, list[Outcome], P], None],
) -> Callable[Concatenate[SessionRunner, P], list[Outcome]]:
    """A runner action: run at the clock's time, all or nothing, returning its outcomes.

    The decorated method gets ``now`` and the list to append outcomes to (see
    :meth:`SessionRunner._transact`); callers call it without them.
    """

    @functools.wraps(method)
    def run(runner: SessionRunner, *args: P.args, **kwargs: P.kwargs) -> list[Outcome]:
        return runner._transact(lambda now, out: method(runner, now, out, *args, **kwargs))

    return run


class SessionRunner:
    """The guided session as a state machine; every action returns the outcomes it caused.

    Construct with the plan and a clock returning timezone-aware datetimes. Call
    ``start()``, then ``tick()`` regularly (and on every rerun); user actions are
    ``tap``, ``pause``, ``resume``, ``skip_exercise``, ``back``, ``hurts``,
    ``record_exercise_pain``, ``continue_after_pain`` and ``end``. A call that is not
    valid in the current phase raises ``SessionError`` and changes nothing.
    """

    def __init__(
        self,
        plan: Sequence[Step],
        *,
        clock: Callable[[], datetime],
        lead_in_s: int = 5,
        switch_s: int = 5,
    ) -> None:
        for name, value in (("lead_in_s", lead_in_s), ("switch_s", switch_s)):
            if not is_whole_number(value) or value < 0:
                raise SessionError(f"{name} must be a whole number of seconds, 0 or more.")
        self._plan: tuple[Step, ...] = tuple(plan)
        self._clock = clock
        self._lead_in_s = lead_in_s
        self._switch_s = switch_s
        self._s = _State()
        self._bounds: dict[int, tuple[int, int]] = {}
        self._ordinal: dict[int, int] = {}
        for position, step in enumerate(self._plan):
            if step.index != position:
                raise SessionError(f"Step at position {position} has index {step.index}.")
            if step.item_index in self._bounds:
                start, end = self._bounds[step.item_index]
                if end != position:
                    raise SessionError(
                        f"Steps of programme item {step.item_index} are not contiguous."
                    )
                self._bounds[step.item_index] = (start, position + 1)
            else:
                self._bounds[step.item_index] = (position, position + 1)
                self._ordinal[step.item_index] = len(self._ordinal) + 1

    # ---------------------------------------------------------------- properties

    @property
    def plan(self) -> tuple[Step, ...]:
        """The flat plan the runner walks."""
        return self._plan

    @property
    def phase(self) -> Phase:
        """The current phase."""
        return self._s.phase

    @property
    def lead_in_s(self) -> int:
        """Seconds of get-ready before each exercise."""
        return self._lead_in_s

    @property
    def switch_s(self) -> int:
        """Seconds given to switch to the left side."""
        return self._switch_s

    @property
    def done_count(self) -> int:
        """How many steps are recorded with status "done"."""
        return sum(1 for status in self._s.recorded.values() if status == "done")

    @property
    def recorded_indices(self) -> frozenset[int]:
        """Step indices that have a record (any status)."""
        return frozenset(self._s.recorded)

    @property
    def recorded_statuses(self) -> dict[int, Status]:
        """Step index -> latest recorded status (a copy)."""
        return dict(self._s.recorded)

    @property
    def exercise_pain(self) -> dict[int, int]:
        """Programme item index -> pain rated after "this hurts" (a copy)."""
        return dict(self._s.exercise_pain)

    # ------------------------------------------------------------------- actions

    @_action
    def start(self, now: datetime, out: list[Outcome]) -> None:
        """Begin: lead-in before step 0 (or finished at once for an empty plan)."""
        if self._s.phase != "not_started":
            raise SessionError(f"The session has already started (phase {self._s.phase}).")
        if not self._plan:
            self._finish()
        else:
            self._enter_timed("get_ready", 0, now, self._lead_in_s)

    @_action
    def shift_start(self, now: datetime, out: list[Outcome], late_s: float) -> None:
        """Begin the first get-ready ``late_s`` seconds later than it began here.

        The page first shows a new session a moment after the runner starts it; the page
        reports how late, and the session's lead-in (and its announcement) is taken to start
        when the person saw it. Only the first get-ready moves, before anything else has
        happened and by less than it lasts; otherwise the call changes nothing.
        """
        s = self._s
        if s.phase != "get_ready" or s.pos != 0 or s.recorded or s.active_prior_s:
            return
        if s.segment_start is None or not 0 < late_s < s.phase_total_s:
            return
        s.segment_start += timedelta(seconds=late_s)

    @_action
    def tick(self, now: datetime, out: list[Outcome]) -> None:
        """Advance by the clock, catching up through every deadline that has passed (the
        catching up is what every action does first; a tick does only that)."""

    @_action
    def tap(self, now: datetime, out: list[Outcome]) -> None:
        """Complete the current tapped repetition and move on."""
        s = self._s
        if s.phase != "tap":
            raise SessionError(f"There is no repetition to tap during {s.phase}.")
        assert s.step_started_at is not None
        self._record(
            out,
            s.pos,
            "done",
            s.step_started_at,
            now,
            s.active_prior_s + self._elapsed(now),
        )
        self._after_step(s.pos, now)

    @_action
    def pause(self, now: datetime, out: list[Outcome]) -> None:
        """Freeze the current phase with its remaining (or elapsed) time."""
        s = self._s
        if s.phase not in ACTIVE_PHASES:
            raise SessionError(f"Nothing to pause during {s.phase}.")
        self._pause_at(now)

    @_action
    def resume(self, now: datetime, out: list[Outcome]) -> None:
        """Continue the paused phase with the same remaining time."""
        s = self._s
        if s.phase != "paused":
            raise SessionError(f"The session is not paused (phase {s.phase}).")
        assert s.paused_phase is not None
        s.phase = s.paused_phase
        s.paused_phase = None
        s.segment_start = now

    @_action
    def skip_exercise(self, now: datetime, out: list[Outcome]) -> None:
        """Record the current exercise's unrecorded steps as skipped; go to the next one.

        When paused, the runner stays paused at the next exercise's get-ready.
        """
        was_paused = self._require_movable("skip an exercise")
        end = self._skip_rest_of_exercise(now, out)
        self._go_to_get_ready(end, now, paused=was_paused)

    @_action
    def back(self, now: datetime, out: list[Outcome]) -> None:
        """Go back one repetition within a block, else restart the exercise, else go to the
        previous exercise.

        Within a block of repetitions (the current or coming step is rep 2 or later of its
        side's block) it goes to the get-ready of the repetition before. Otherwise (rep 1:
        the first of a block, or the switch to the second side) it restarts the exercise,
        and from the get-ready before an exercise's first step it goes to the previous
        exercise's start; at the first exercise's start the lead-in restarts. Existing
        records stay until the redone steps replace them; the progress counts only the
        steps behind the new position. When paused, the runner stays paused at the chosen
        get-ready.
        """
        was_paused = self._require_movable("go back")
        s = self._s
        current = s.paused_phase if was_paused else s.phase
        step = self._plan[s.pos]
        start, _ = self._bounds[step.item_index]
        if step.rep > 1:
            target = s.pos - 1
        elif s.pos == start and current == "get_ready" and start > 0:
            target = self._bounds[self._plan[start - 1].item_index][0]
        else:
            target = start
        self._go_to_get_ready(target, now, paused=was_paused)

    @_action
    def hurts(self, now: datetime, out: list[Outcome]) -> None:
        """Stop at once: record the current step as stopped for pain; ask for a rating."""
        was_paused = self._require_movable('say "this hurts"')
        s = self._s
        current = s.paused_phase if was_paused else s.phase
        if current in STEP_PHASES:
            active = s.active_prior_s + (0.0 if was_paused else self._elapsed(now))
            if current != "tap":
                active = min(active, s.phase_total_s)
            assert s.step_started_at is not None
            self._record(out, s.pos, "stopped_for_pain", s.step_started_at, now, active)
        self._clear_timing()
        s.phase = "pain_check"

    @_action
    def record_exercise_pain(self, now: datetime, out: list[Outcome], pain: int) -> None:
        """Store the pain (0-10 whole number) for the exercise that hurt."""
        s = self._s
        if s.phase != "pain_check":
            raise SessionError(f'Exercise pain is only rated after "this hurts" (phase {s.phase}).')
        if not is_whole_number(pain) or not PAIN_MIN <= pain <= PAIN_MAX:
            raise SessionError(
                f"Pain must be a whole number from {PAIN_MIN} to {PAIN_MAX}, not {pain!r}."
            )
        step = self._plan[s.pos]
        s.exercise_pain[step.item_index] = pain
        out.append(
            Outcome(
                kind="exercise_pain",
                step=step,
                status="stopped_for_pain",
                started_at=now,
                completed_at=now,
                duration_s=0.0,
                pain=pain,
            )
        )

    @_action
    def continue_after_pain(self, now: datetime, out: list[Outcome]) -> None:
        """Skip the rest of the exercise that hurt and go to the next exercise."""
        if self._s.phase != "pain_check":
            raise SessionError(
                f'Continue is only offered after "this hurts" (phase {self._s.phase}).'
            )
        end = self._skip_rest_of_exercise(now, out)
        self._go_to_get_ready(end, now, paused=False)

    @_action
    def end(self, now: datetime, out: list[Outcome]) -> None:
        """Finish now from any phase; unrecorded steps stay unrecorded (a partial session)."""
        if self._s.phase != "finished":
            self._finish()

    # ---------------------------------------------------------------------- view

    def view(self) -> RunnerView:
        """A snapshot for display. Call ``tick()`` first so the state is current."""
        s = self._s
        now = self._now()
        step = self._plan[s.pos] if s.phase != "finished" and s.pos < len(self._plan) else None
        remaining: float | None = None
        total: float | None = None
        if s.phase in TIMED_PHASES:
            total = s.phase_total_s
            remaining = max(0.0, total - s.active_prior_s - self._elapsed(now))
        elif s.phase == "paused" and s.paused_phase != "tap":
            total = s.phase_total_s
            remaining = max(0.0, total - s.active_prior_s)
        effective = s.paused_phase if s.phase == "paused" else s.phase

        label = ""
        next_label = ""
        number = 0
        if step is not None:
            number = self._ordinal[step.item_index]
            label = (
                f"Exercise {number} of {len(self._ordinal)} · rep {step.rep} of "
                f"{step.reps_in_block}"
            )
            if step.side != "none":
                label += f" · {step.side} side"
            _, end = self._bounds[step.item_index]
            next_label = self._plan[end].exercise_name if end < len(self._plan) else "Last exercise"

        message: str | None = None
        if effective == "switch_side" and step is not None:
            message = f"Switch to the {step.side} side"
        elif effective == "pain_check":
            message = "Stop this exercise. Rate the pain, then continue or end the session."

        if self._plan:
            # The recorded steps behind the position (and the one stopped for pain): after
            # "Back", the steps ahead count again once they are redone.
            behind = s.pos + 1 if s.phase == "pain_check" else s.pos
            progress = sum(1 for index in s.recorded if index < behind) / len(self._plan)
        else:
            progress = 1.0 if s.phase == "finished" else 0.0
        return RunnerView(
            phase=s.phase,
            step=step,
            remaining_s=remaining,
            phase_total_s=total,
            exercise_number=number,
            exercise_count=len(self._ordinal),
            label=label,
            next_label=next_label,
            progress=progress,
            is_paused=s.phase == "paused",
            message=message,
            paused_phase=s.paused_phase,
        )

    # ------------------------------------------------------------- persistence

    @classmethod
    def restore(
        cls,
        plan: Sequence[Step],
        recorded_indices: Iterable[int] | Mapping[int, Status],
        *,
        clock: Callable[[], datetime],
        lead_in_s: int = 5,
        switch_s: int = 5,
    ) -> SessionRunner:
        """Rebuild a runner after a restart from the step indices already recorded.

        It starts paused at the get-ready of the first unrecorded step (finished if none
        is left). Pass a mapping index -> status for an exact ``done_count``; a plain
        iterable of indices counts them all as "done".
        """
        runner = cls(plan, clock=clock, lead_in_s=lead_in_s, switch_s=switch_s)
        if isinstance(recorded_indices, Mapping):
            recorded = dict(recorded_indices)
        else:
            recorded = dict.fromkeys(recorded_indices, "done")
        for index, status in recorded.items():
            if not is_whole_number(index) or not 0 <= index < len(runner._plan):
                raise SessionError(f"Recorded step index {index!r} is not in the plan.")
            if status not in STATUSES:
                raise SessionError(f"Unknown step status {status!r}.")
        runner._s.recorded = recorded
        first = next((i for i in range(len(runner._plan)) if i not in recorded), None)
        if first is None:
            runner._finish()
        else:
            runner._s.phase = "paused"
            runner._s.paused_phase = "get_ready"
            runner._s.pos = first
            runner._s.phase_total_s = float(lead_in_s)
        return runner

    def to_dict(self) -> dict[str, Any]:
        """The full runner state as JSON-serialisable primitives (ISO datetimes)."""
        s = self._s
        return {
            "version": STATE_VERSION,
            "plan": [asdict(step) for step in self._plan],
            "lead_in_s": self._lead_in_s,
            "switch_s": self._switch_s,
            "phase": s.phase,
            "pos": s.pos,
            "phase_total_s": s.phase_total_s,
            "segment_start": _iso(s.segment_start),
            "active_prior_s": s.active_prior_s,
            "step_started_at": _iso(s.step_started_at),
            "paused_phase": s.paused_phase,
            "recorded": [[index, status] for index, status in sorted(s.recorded.items())],
            "exercise_pain": [[item, pain] for item, pain in sorted(s.exercise_pain.items())],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, clock: Callable[[], datetime]) -> SessionRunner:
        """Rebuild a runner from ``to_dict()`` output; raises SessionError if malformed."""
        try:
            if data["version"] != STATE_VERSION:
                raise SessionError(f"Unsupported runner state version {data['version']!r}.")
            plan = tuple(step_from_dict(raw) for raw in data["plan"])
            runner = cls(
                plan,
                clock=clock,
                lead_in_s=data["lead_in_s"],
                switch_s=data["switch_s"],
            )
            phase = data["phase"]
            paused_phase = data["paused_phase"]
            if phase not in PHASES or (paused_phase is not None and paused_phase not in PHASES):
                raise SessionError(f"Unknown phase {phase!r}/{paused_phase!r}.")
            pos = data["pos"]
            if not is_whole_number(pos) or not 0 <= pos <= len(plan):
                raise SessionError(f"Position {pos!r} is outside the plan.")
            recorded: dict[int, Status] = {}
            for index, status in data["recorded"]:
                if (
                    not is_whole_number(index)
                    or not 0 <= index < len(plan)
                    or status not in STATUSES
                ):
                    raise SessionError(f"Invalid record {index!r}: {status!r}.")
                recorded[index] = status
            exercise_pain: dict[int, int] = {}
            for item, pain in data["exercise_pain"]:
                if (
                    not is_whole_number(item)
                    or not is_whole_number(pain)
                    or not PAIN_MIN <= pain <= PAIN_MAX
                ):
                    raise SessionError(f"Invalid exercise pain {item!r}: {pain!r}.")
                exercise_pain[item] = pain
            runner._s = _State(
                phase=phase,
                pos=pos,
                phase_total_s=float(data["phase_total_s"]),
                segment_start=_parse_dt(data["segment_start"]),
                active_prior_s=float(data["active_prior_s"]),
                step_started_at=_parse_dt(data["step_started_at"]),
                paused_phase=paused_phase,
                recorded=recorded,
                exercise_pain=exercise_pain,
            )
        except SessionError:
            raise
        except (KeyError, TypeError, ValueError) as error:
            raise SessionError(f"Runner state is malformed: {error!r}") from error
        return runner

    # ---------------------------------------------------------------- internals

    def _now(self) -> datetime:
        now = self._clock()
        if not isinstance(now, datetime) or now.tzinfo is None:
            raise SessionError("The clock must return timezone-aware datetimes.")
        return now.astimezone(UTC)

    def _transact(self, action: Callable[[datetime, list[Outcome]], None]) -> list[Outcome]:
        """Catch up by the clock, apply ``action``, catch up again; all or nothing."""
        now = self._now()
        snapshot = copy.deepcopy(self._s)
        out: list[Outcome] = []
        try:
            self._advance(now, out)
            action(now, out)
            self._advance(now, out)
        except SessionError:
            self._s = snapshot
            raise
        return out

    def _elapsed(self, now: datetime) -> float:
        if self._s.segment_start is None:
            return 0.0
        return max(0.0, (now - self._s.segment_start).total_seconds())

    def _deadline(self) -> datetime:
        s = self._s
        assert s.segment_start is not None
        return s.segment_start + timedelta(seconds=s.phase_total_s - s.active_prior_s)

    def _advance(self, now: datetime, out: list[Outcome]) -> None:
        """Pass every deadline up to ``now``, each transition starting at its deadline."""
        while self._s.phase in TIMED_PHASES:
            deadline = self._deadline()
            if deadline > now:
                return
            s = self._s
            if s.phase in STEP_PHASES:
                assert s.step_started_at is not None
                self._record(out, s.pos, "done", s.step_started_at, deadline, s.phase_total_s)
                self._after_step(s.pos, deadline)
            else:
                self._enter_step(s.pos, deadline)

    def _record(
        self,
        out: list[Outcome],
        index: int,
        status: Status,
        started_at: datetime,
        completed_at: datetime,
        duration_s: float,
    ) -> None:
        self._s.recorded[index] = status
        out.append(
            Outcome(
                kind="set",
                step=self._plan[index],
                status=status,
                started_at=started_at,
                completed_at=completed_at,
                duration_s=float(duration_s),
            )
        )

    def _clear_timing(self) -> None:
        s = self._s
        s.phase_total_s = 0.0
        s.segment_start = None
        s.active_prior_s = 0.0
        s.step_started_at = None
        s.paused_phase = None

    def _enter_timed(self, phase: Phase, pos: int, at: datetime, total: float) -> None:
        self._clear_timing()
        s = self._s
        s.phase = phase
        s.pos = pos
        s.phase_total_s = float(total)
        s.segment_start = at

    def _enter_step(self, pos: int, at: datetime) -> None:
        step = self._plan[pos]
        self._enter_timed(step.kind, pos, at, step.duration_s)
        self._s.step_started_at = at

    def _after_step(self, index: int, at: datetime) -> None:
        """Move on from step ``index``, completed at ``at``."""
        if index + 1 >= len(self._plan):
            self._finish()
            return
        current, following = self._plan[index], self._plan[index + 1]
        if following.item_index != current.item_index:
            self._enter_timed("get_ready", index + 1, at, self._lead_in_s)
        elif following.rep == 1:  # a new side block of a "both" exercise
            self._enter_timed("switch_side", index + 1, at, self._switch_s)
        elif current.rest_after_s > 0:
            self._enter_timed("rest", index + 1, at, current.rest_after_s)
        else:
            self._enter_step(index + 1, at)

    def _finish(self) -> None:
        self._clear_timing()
        self._s.phase = "finished"
        self._s.pos = len(self._plan)

    def _pause_at(self, now: datetime) -> None:
        s = self._s
        s.active_prior_s += self._elapsed(now)
        s.paused_phase = s.phase
        s.phase = "paused"
        s.segment_start = None

    def _require_movable(self, what: str) -> bool:
        """Raise unless in an active or paused phase; return whether paused."""
        s = self._s
        if s.phase == "paused":
            return True
        if s.phase not in ACTIVE_PHASES:
            raise SessionError(f"Cannot {what} during {s.phase}.")
        return False

    def _skip_rest_of_exercise(self, now: datetime, out: list[Outcome]) -> int:
        """Record the current exercise's unrecorded steps as skipped; return its end."""
        start, end = self._bounds[self._plan[self._s.pos].item_index]
        for index in range(start, end):
            if index not in self._s.recorded:
                self._record(out, index, "skipped", now, now, 0.0)
        return end

    def _go_to_get_ready(self, index: int, now: datetime, *, paused: bool) -> None:
        if index >= len(self._plan):
            self._finish()
            return
        self._enter_timed("get_ready", index, now, self._lead_in_s)
        if paused:
            self._pause_at(now)
