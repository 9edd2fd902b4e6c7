"""What the session coach says, and when, for one timed phase of the runner.

People do their exercises lying on a mat, away from the screen: the browser speaks these
cues (or plays a tone for each where it has no local voice). Each cue is placed by seconds
from the phase's start, so the browser can put it on the clock from the phase's deadline,
the same way it places the end-of-hold sound. The words are ours and stay short: a cue that
takes longer to say than the gap to the next one would run late.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.domain.session_plan import Status, Step

#: "say" is an announcement at a phase's start; "tick" is one number of the last seconds'
#: count, and "end" is said when the whole session's last hold ends.
CueKind = Literal["say", "tick", "end"]

#: The last seconds of a hold or paced rep are counted down, if the phase is long enough
#: to leave a moment after its start announcement.
COUNTDOWN_FROM = 3

#: A sentence the test button in Settings says.
TEST_PHRASE = "This is how the session coach sounds."


@dataclass(frozen=True)
class Cue:
    """One thing to say, ``at_s`` seconds after its phase starts."""

    at_s: float
    kind: CueKind
    text: str


def _side_words(step: Step) -> str:
    return f", {step.side} side" if step.side in ("left", "right") else ""


def phase_cues(phase: str, step: Step | None, total_s: float, plan: tuple[Step, ...]) -> list[Cue]:
    """The cues of one timed phase lasting ``total_s`` seconds, in time order.

    ``step`` is the runner's step for the phase: the one being done in a hold or paced rep,
    the one coming next in a get-ready, switch or rest. A get-ready names the exercise and
    its side; a switch names the new side; a hold starts with "hold" ("last one, hold" for
    the last rep of its side's block) and counts its last three seconds; a paced rep says
    only "last one"; the session's last hold or rep ends with "well done".
    """
    if step is None or total_s <= 0:
        return []
    cues: list[Cue] = []
    if phase == "get_ready":
        cues.append(Cue(0.0, "say", f"{step.exercise_name}{_side_words(step)}"))
    elif phase == "switch_side":
        cues.append(Cue(0.0, "say", f"Switch to the {step.side} side"))
    elif phase == "rest":
        cues.append(Cue(0.0, "say", "Rest"))
    elif phase in ("hold", "paced"):
        last = step.rep == step.reps_in_block
        if phase == "hold":
            cues.append(Cue(0.0, "say", "Last one, hold" if last else "Hold"))
            for number in range(COUNTDOWN_FROM, 0, -1):
                at = total_s - number
                # Never on top of the start announcement: a short hold counts fewer seconds.
                if at >= 1.0:
                    cues.append(Cue(at, "tick", str(number)))
        elif last:
            cues.append(Cue(0.0, "say", "Last one"))
        if step.index == len(plan) - 1:
            cues.append(Cue(total_s, "end", "Well done"))
    return cues


def closing_cue(plan: tuple[Step, ...], recorded: dict[int, Status]) -> Cue | None:
    """ "Well done" for a session that ended with its last step tapped done, else None.

    A tapped repetition has no deadline to plan the words from, so they are said when the
    tap ends the session (the summary shows); a hold or paced rep says them from its own
    deadline (:func:`phase_cues`). A session ended early, or whose last tap was skipped,
    gets none.
    """
    if not plan or plan[-1].kind != "tap" or recorded.get(plan[-1].index) != "done":
        return None
    return Cue(0.0, "end", "Well done")
