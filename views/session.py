"""The guided session: pain before, timed holds and counted reps, pain after.

The page only draws the runner's state and forwards clicks; the rules live in
core.session and every hold or rep is written to the store the moment it ends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from core.db.answers import care_first, open_signs
from core.db.flags import active_flags, clear_flag, session_choice
from core.db.session_records import record_outcome
from core.db.store import ActiveSessionError, StoreError
from core.domain import explain
from core.domain.catalog import CatalogError, programme_item
from core.domain.cautions import cautions_for
from core.domain.coach import closing_cue
from core.domain.models import ProgrammeItem
from core.domain.programme import estimate_duration_s, pickable_exercises
from core.domain.safety import is_severe
from core.domain.session_plan import (
    SessionError,
    build_plan,
    dose_summary,
    items_from_json,
    plan_items_json,
    prescribed_counts,
    session_status,
)
from core.domain.session_runner import TIMED_PHASES, Outcome, SessionRunner
from core.domain.validation import NOTE_MAX_CHARS, ValidationError
from core.domain.wording import format_minutes
from ui import clock, household
from ui.coach import keep_screen_on
from ui.countdown import countdown, say_once, session_countdown_data, warm_up
from ui.dashboard import show_table
from ui.figures import session_stage
from ui.inputs import just_cut, limited_text, pain_scale
from ui.safety import care_first_panel, severe_pain_block
from ui.state import get_catalog, get_store, require_profile

store = get_store()
catalog = get_catalog()
profile = require_profile(store)
RUN_KEY = f"session_run_{profile.id}"

if (tier := care_first(store, profile)) is not None:
    st.title("Session")
    care_first_panel(tier, open_signs(store, profile), profile.time_zone)
    st.stop()


# ----------------------------------------------------------------------------- helpers


def _plan_for(items: list[ProgrammeItem]):
    return build_plan([(catalog.get(item.exercise_id), item) for item in items])


def _persist(run: dict[str, Any], outcomes: list[Outcome]) -> None:
    """Write outcomes now; keep any that fail in a queue and retry on the next run."""
    queue: list[Outcome] = [*run["pending"], *outcomes]
    run["pending"] = []
    for position, outcome in enumerate(queue):
        try:
            record_outcome(store, profile.id, run["session_id"], outcome)
        except (StoreError, ValidationError, OSError, RuntimeError) as error:
            run["pending"] = queue[position:]
            run["save_error"] = str(error)
            return
    run["save_error"] = None


def _act(action: Callable[[SessionRunner], list[Outcome]]) -> None:
    run = st.session_state[RUN_KEY]
    try:
        outcomes = action(run["runner"])
    except SessionError as error:
        run["action_error"] = str(error)
        return
    run["action_error"] = None
    run["confirm_end"] = False
    run["start_on_show"] = False
    # Every user action starts new countdown cues: a phase met again after "Back" (the same
    # step and phase) is a new countdown, with its own end and its own sound.
    run["actions"] = run.get("actions", 0) + 1
    _persist(run, outcomes)


def _record_pain_and(then: str) -> None:
    run = st.session_state[RUN_KEY]
    pain = st.session_state.get("exercise_pain")
    if pain is None:
        run["action_error"] = "Choose how much it hurts (0 to 10) first."
        return
    step = run["runner"].view().step
    if step is not None:
        run.setdefault("exercise_pain", {})[(step.exercise_id, step.side)] = int(pain)
    _act(lambda runner: runner.record_exercise_pain(int(pain)))
    _act(lambda runner: runner.continue_after_pain() if then == "next" else runner.end())
    st.session_state.pop("exercise_pain", None)


def _start_when_shown() -> None:
    """The page first showed the new session ``shown`` ms after its get-ready began here:
    the get-ready (and the session's timeline) starts then, so its announcement is on time."""
    run = st.session_state.get(RUN_KEY)
    late_ms = (st.session_state.get("session_countdown") or {}).get("shown")
    if run is None or not run.get("start_on_show") or not isinstance(late_ms, int | float):
        return
    run["start_on_show"] = False
    run["runner"].shift_start(late_ms / 1000)


def _ask_to_end(asking: bool) -> None:
    st.session_state[RUN_KEY]["confirm_end"] = asking


def _open_run(session_id: str, runner: SessionRunner) -> None:
    st.session_state[RUN_KEY] = {
        "session_id": session_id,
        "runner": runner,
        "pending": [],
        "save_error": None,
        "action_error": None,
    }


def _restore(session_id: str, plan_json: list[dict[str, Any]]) -> SessionRunner:
    plan = _plan_for(items_from_json(plan_json))
    recorded = {r.step_index: r.status for r in store.set_records(profile.id, session_id)}
    return SessionRunner.restore(
        plan, recorded, clock=clock.runner_clock, lead_in_s=profile.lead_in_s
    )


# --------------------------------------------------------------------- unfinished session

active = store.active_session(profile.id)
run: dict[str, Any] | None = st.session_state.get(RUN_KEY)
if run is not None and (active is None or active.id != run["session_id"]):
    st.session_state.pop(RUN_KEY, None)
    run = None
if run is None:
    st.title("Session")

if active is not None and run is None:
    try:
        restored = _restore(active.id, active.plan)
    except (KeyError, CatalogError, SessionError) as error:
        st.error(f"Your unfinished session cannot be resumed: {error}. End it to start a new one.")
        restored = None
    started_local = active.started_at.astimezone(ZoneInfo(profile.time_zone))
    done = 0 if restored is None else restored.done_count
    total = 0 if restored is None else len(restored.plan)
    st.warning(
        f"You have an unfinished session from {started_local:%A %d %B, %H:%M}: "
        f"{done} of {total} holds and repetitions done.",
        icon=":material/pause_circle:",
    )
    left, right = st.columns(2)
    if restored is not None and left.button(
        "Resume where I stopped", type="primary", key="resume_session", width="stretch"
    ):
        # One step: the restored runner waits paused, and the click is the resume.
        restored.resume()
        _open_run(active.id, restored)
        st.rerun()
    if right.button("End it as partial", key="end_unfinished", width="stretch"):
        recorded = {} if restored is None else restored.recorded_statuses
        plan = () if restored is None else restored.plan
        try:
            store.finish_session(profile.id, active.id, status=session_status(plan, recorded))
        except StoreError as error:
            st.error(str(error))
        else:
            st.toast("The unfinished session was saved as it stood.", icon=":material/check:")
            st.rerun()
    st.stop()


# ------------------------------------------------------------------------- start screen

if run is None:
    flags = active_flags(store, profile.id)
    programme = list(session_choice(store, profile, catalog).items)

    if flags:
        st.warning(
            "Talk to your physical therapist before doing these again: they hurt in two "
            "sessions in a row. They are left out of your sessions until you clear them.",
            icon=":material/flag:",
        )
        for exercise_id in flags:
            name = catalog.get(exercise_id).name if exercise_id in catalog else exercise_id
            cols = st.columns([3, 2], vertical_alignment="center")
            cols[0].markdown(f"**{name}**")
            if cols[1].button("My therapist cleared it", key=f"clear_flag_{exercise_id}"):
                try:
                    clear_flag(store, profile.id, exercise_id)
                except StoreError as error:
                    st.error(str(error))
                else:
                    st.rerun()

    source = st.radio(
        "What would you like to do?",
        ["programme", "ad_hoc"],
        format_func={
            "programme": "My programme",
            "ad_hoc": "Pick exercises for today",
        }.__getitem__,
        horizontal=True,
        key="session_source",
    )
    if source == "ad_hoc":
        options = [
            e.id
            for e in pickable_exercises(
                catalog, recent_surgery=profile.recent_surgery, flagged=flags
            )
        ]
        picked = st.multiselect(
            "Exercises",
            options,
            format_func=lambda key: f"{catalog.get(key).number}. {catalog.get(key).name}",
            key="adhoc_exercises",
        )
        items = [programme_item(catalog.get(key)) for key in picked]
    else:
        items = programme
        if not items:
            st.info(
                "Your programme is empty. Build it on the Exercises page, or pick exercises "
                "for today above.",
                icon=":material/playlist_add:",
            )
            st.page_link("views/exercises.py", label="Build my programme", icon=":material/add:")

    if items:
        minutes = format_minutes(estimate_duration_s(items, catalog, lead_in_s=profile.lead_in_s))
        names = ", ".join(catalog.get(item.exercise_id).name for item in items)
        st.markdown(f"**{len(items)} exercises, {minutes}:** {names}")

    st.markdown("#### How much does your back hurt right now?")
    st.caption("0 is no pain at all, 10 is the worst pain you can imagine.")
    pain_before = pain_scale("Pain right now (0 to 10)", key="pain_before", collapsed=True)
    confirmed = True
    if is_severe(pain_before):
        severe_pain_block(pain_before)
        confirmed = st.checkbox(
            "None of these apply; I want to try gentle exercise and will stop if it hurts",
            key="continue_severe",
        )
    st.caption(
        "None of these exercises should hurt. Mild stretch or effort is fine; "
        "if something hurts, press “This hurts – stop”."
    )
    ready = bool(items) and pain_before is not None and confirmed
    warm_up(key="session_countdown_warm_up")
    clicked = st.button(
        "Start session", type="primary", key="start_session", disabled=not ready, width="stretch"
    )
    # Asked once when this browser last recorded for another profile of the file.
    start = clicked and household.may_record(store, profile, "start_session")
    if household.confirm_box(store, profile, "start_session") and ready:
        start = True
    if start:
        try:
            plan = _plan_for(items)
            session_id = store.start_session(
                profile.id,
                plan_items_json(items),
                prescribed=prescribed_counts(plan),
                source=source,
                now=clock.now(),
            )
            store.add_pain_rating(
                profile.id,
                pain_before,
                kind="before",
                session_id=session_id,
                recorded_at=clock.now(),
            )
        except ActiveSessionError:
            st.error("A session is already running for you (perhaps in another tab).")
            st.button("Show it", key="show_running")
            st.stop()
        except (KeyError, CatalogError, SessionError, ValidationError, StoreError) as error:
            st.error(f"This session cannot start: {error}")
            st.stop()
        # Started by the run that first draws it, so the get-ready (and its announcement)
        # starts when it is on screen rather than a page load earlier.
        runner = SessionRunner(plan, clock=clock.runner_clock, lead_in_s=profile.lead_in_s)
        _open_run(session_id, runner)
        for key in ("pain_before", "continue_severe", "adhoc_exercises"):
            st.session_state.pop(key, None)
        st.rerun()
    st.stop()


# ----------------------------------------------------------------------------- running

# Read from an exercise mat two metres away, on a laptop or a phone: a big name and
# progress line, the countdown (ui/countdown.py), a red "this hurts" button right under it,
# then the other controls in one row that wraps instead of stacking on a phone.
RUNNING_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 4rem; }
.st-key-session_head h2 { font-size: clamp(2rem, 8vw, 3rem); line-height: 1.15; padding: 0; }
.st-key-session_label p { font-size: clamp(1.3rem, 5vw, 1.9rem); line-height: 1.3; }
.st-key-hurts button {
  background-color: #b91c1c; border-color: #b91c1c; color: #ffffff; min-height: 3.5rem; }
.st-key-hurts button:hover, .st-key-hurts button:focus:not(:active) {
  background-color: #991b1b; border-color: #991b1b; color: #ffffff; }
.st-key-hurts button p, .st-key-hurts button span { font-size: 1.35rem; font-weight: 700; }
.st-key-session_controls button { min-height: 3rem; }
.st-key-session_controls button p { font-size: 1.1rem; }
.st-key-session_controls > div { flex: 1 1 8rem; }
</style>
"""


def _running_body(ticking: bool) -> None:
    run = st.session_state.get(RUN_KEY)
    if run is None:
        st.rerun(scope="app")
    runner: SessionRunner = run["runner"]
    # A new session's get-ready starts just before its countdown is sent (below), not at the
    # top of this run: the page above it takes a moment to draw, and its announcement is
    # said when the countdown arrives, which must be when the get-ready starts.
    starting = runner.phase == "not_started"
    _persist(run, runner.tick())
    sent_at = clock.now()
    view = runner.view()
    if view.phase == "finished" or (view.phase in TIMED_PHASES or starting) != ticking:
        st.rerun(scope="app")

    st.html(RUNNING_CSS)
    keep_screen_on(True, key="session_wake_lock")
    if run.get("save_error"):
        st.error(
            f"Not saved yet: {run['save_error']} Your progress is kept on this screen and "
            "will be saved as soon as the database is reachable.",
            icon=":material/cloud_off:",
        )
    if run.get("action_error"):
        st.warning(run["action_error"])

    step = view.step
    with st.container(key="session_head", gap="small"):
        if step is not None:
            exercise = catalog.get(step.exercise_id)
            st.header(exercise.name)
            with st.container(key="session_label"):
                st.markdown(f"**{view.label}**")
        st.progress(view.progress, text=f"Session {round(view.progress * 100)}% done")

    if view.phase == "pain_check":
        st.error(view.message or "", icon=":material/back_hand:")
        hurt = pain_scale("How much does it hurt? (0 to 10)", key="exercise_pain")
        if is_severe(hurt):
            severe_pain_block(hurt)
        st.caption(explain.LEG_PAIN)
        # On the last exercise there is no next one to offer: saving ends the session.
        last = view.next_label == "Last exercise"
        left, right = st.columns(2)
        if not last:
            left.button(
                "Save and skip to the next exercise",
                type="primary",
                key="pain_continue",
                on_click=_record_pain_and,
                args=("next",),
                width="stretch",
            )
        (left if last else right).button(
            "Save and end the session",
            type="primary" if last else "secondary",
            key="pain_end",
            on_click=_record_pain_and,
            args=("end",),
            width="stretch",
        )
        return

    # The figure of the exercise, side and phase on screen (beside or above what follows).
    # A new id per hold, so that each hold shows the move into it from the start.
    figure_run = f"{run['session_id']}:{run.get('actions', 0)}:{step.index if step else -1}"
    with session_stage(
        catalog.get(step.exercise_id) if step is not None else None,
        step.side if step is not None else "none",
        "get_ready" if starting else view.phase,
        view.paused_phase,
        figure_run,
    ):
        if view.phase == "tap" and step is not None:
            st.markdown(
                f"<div style='text-align:center;font-size:clamp(1.4rem,5vw,2.2rem)'>"
                f"Rep <b>{step.rep}</b> of {step.reps_in_block}"
                f"{' · ' + step.side + ' side' if step.side != 'none' else ''}</div>",
                unsafe_allow_html=True,
            )
            st.button(
                f"Done · rep {step.rep} of {step.reps_in_block}",
                type="primary",
                key="tap_done",
                on_click=_act,
                args=(lambda r: r.tap(),),
                width="stretch",
            )
        else:
            if starting:
                _persist(run, runner.start())
                sent_at = clock.now()
                view = runner.view()
                if view.phase not in TIMED_PHASES:
                    st.rerun(scope="app")
                run["start_on_show"] = True
            cue_scope = f"{run['session_id']}:{run.get('actions', 0)}"
            data = session_countdown_data(runner, view, profile, catalog, cue_scope, sent_at)
            # Until the page has said when it first showed the session (_start_when_shown).
            data["start_on_show"] = bool(run.get("start_on_show")) and view.phase == "get_ready"
            countdown(
                data, key="session_countdown", on_expired=lambda: None, on_shown=_start_when_shown
            )

    st.button(
        "This hurts – stop",
        key="hurts",
        type="primary",
        on_click=_act,
        args=(lambda r: r.hurts(),),
        width="stretch",
        icon=":material/back_hand:",
    )
    with st.container(key="session_controls", horizontal=True, gap="small"):
        if view.is_paused:
            st.button(
                "Resume", key="resume", on_click=_act, args=(lambda r: r.resume(),), width="stretch"
            )
        else:
            st.button(
                "Pause", key="pause", on_click=_act, args=(lambda r: r.pause(),), width="stretch"
            )
        st.button("Back", key="back", on_click=_act, args=(lambda r: r.back(),), width="stretch")
        st.button(
            "Skip exercise",
            key="skip",
            on_click=_act,
            args=(lambda r: r.skip_exercise(),),
            width="stretch",
        )
        st.button("End session", key="end", on_click=_ask_to_end, args=(True,), width="stretch")
    if run.get("confirm_end"):
        with st.container(key="confirm_end_box"):
            st.warning(
                "End the session now? What you have done so far is kept.",
                icon=":material/help:",
            )
            yes, no = st.columns(2)
            yes.button(
                "Yes, end the session",
                type="primary",
                key="end_confirm",
                on_click=_act,
                args=(lambda r: r.end(),),
                width="stretch",
            )
            no.button(
                "No, keep going",
                key="end_cancel",
                on_click=_ask_to_end,
                args=(False,),
                width="stretch",
            )
    if step is not None:
        with (
            st.container(key="session_howto"),
            st.expander("How to do it", expanded=view.phase in ("get_ready", "tap", "paced")),
        ):
            exercise = catalog.get(step.exercise_id)
            st.markdown("\n".join(f"{i}. {text}" for i, text in enumerate(exercise.steps, 1)))
            for caution in cautions_for(exercise, profile):
                st.caption(f":orange[:material/warning:] {caution}")
        if view.next_label == "Last exercise":
            st.caption("This is the last exercise of the session.")
        else:
            st.caption(f"Coming up after this exercise: {view.next_label}")


ticking_body = st.fragment(run_every=1.0)(lambda: _running_body(True))
static_body = st.fragment(lambda: _running_body(False))

runner: SessionRunner = run["runner"]
_persist(run, runner.tick())
view = runner.view()

if view.phase != "finished":
    # A session not started yet starts in the ticking body, as its countdown is drawn.
    timed = view.phase in TIMED_PHASES or view.phase == "not_started"
    (ticking_body if timed else static_body)()
    st.stop()


# ----------------------------------------------------------------------------- summary

st.title("Session")
keep_screen_on(False, key="session_wake_lock")
recorded = runner.recorded_statuses
status = session_status(runner.plan, recorded)
st.header("Session done" if status == "completed" else "Session ended")
if (closing := closing_cue(runner.plan, recorded)) is not None:
    say_once(closing, profile, cue_id=f"{run['session_id']}:end", key="session_closing_cue")
rows = dose_summary(runner.plan, recorded)
pains = run.get("exercise_pain", {})


def _pain_note(row: Any) -> str:
    # A pain rated in a get-ready (nothing stopped yet) is shown too.
    pain = pains.get((row.exercise_id, row.side))
    rated = "" if pain is None else f" (pain {pain} of 10)"
    if row.stopped_for_pain:
        return "stopped: it hurt" + rated
    return "it hurt" + rated if rated else ""


with st.container(key="session_summary_table"):
    show_table(
        pd.DataFrame(
            {
                "Exercise": [row.exercise_name for row in rows],
                "Side": ["" if row.side == "none" else row.side for row in rows],
                "Done": [row.done for row in rows],
                "Prescribed": [row.prescribed for row in rows],
                "Note": [_pain_note(row) for row in rows],
            }
        )
    )
done_total = sum(row.done for row in rows)
prescribed_total = sum(row.prescribed for row in rows)
st.markdown(f"**{done_total} of {prescribed_total}** holds and repetitions done.")
if run.get("save_error"):
    st.error(f"Some of this session is not saved yet: {run['save_error']}")

st.markdown("#### How much does your back hurt now?")
pain_after = pain_scale("Pain now (0 to 10)", key="pain_after", collapsed=True)
if is_severe(pain_after):
    severe_pain_block(pain_after)
notes = limited_text(
    "Notes (optional)",
    key="session_notes",
    limit=NOTE_MAX_CHARS,
    what="A note",
    area=True,
    in_form=False,
    placeholder="How did it go? Anything to tell your therapist?",
)
save = st.button("Save session", type="primary", key="finish_session", disabled=pain_after is None)
if save and not just_cut("session_notes"):
    try:
        _persist(run, [])
        if run["pending"]:
            raise StoreError(run["save_error"] or "the database is not reachable.")
        store.add_pain_rating(
            profile.id,
            pain_after,
            kind="after",
            session_id=run["session_id"],
            recorded_at=clock.now(),
        )
        store.finish_session(
            profile.id, run["session_id"], status=status, notes=notes, now=clock.now()
        )
    except (StoreError, ValidationError) as error:
        st.error(f"{error} Your answers are still here; try again.")
        st.stop()
    st.session_state.pop(RUN_KEY, None)
    for key in ("pain_after", "session_notes"):
        st.session_state.pop(key, None)
    st.session_state["session_saved"] = True
    st.switch_page("views/today.py")
