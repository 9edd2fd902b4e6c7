"""Your records: correct or delete a session or a pain check-in, with an undo."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from core.db import records
from core.db.store import StoreError
from core.domain.validation import NOTE_MAX_CHARS, ValidationError
from core.domain.wording import format_instant
from ui.inputs import cut_long_texts, just_cut, limited_text, pain_scale
from ui.state import get_catalog, get_store, require_profile
from ui.text import md_escape

UNDO_KEY = "records_undo"
DONE_KEY = "records_done"
STATUS_WORDS = {
    "completed": "completed",
    "partial": "partly done",
    "stopped_for_pain": "stopped for pain",
}

store = get_store()
profile = require_profile(store)
names = {exercise.id: exercise.name for exercise in get_catalog()}


def when(instant) -> str:  # type: ignore[no-untyped-def]
    return format_instant(instant, profile.time_zone)


def change(make: Callable[[], records.Undo]) -> None:
    """Make a change, keep its undo for this profile (until the next change), and rerun."""
    try:
        with st.spinner("Saving, and erasing what it replaces from the data file..."):
            undo = make()
    except (ValidationError, StoreError) as error:
        st.error(f"{error} Nothing was changed.", icon=":material/error:")
        return
    except KeyError:
        st.error("That record is no longer there (changed in another tab?).")
        return
    st.session_state[UNDO_KEY] = undo
    st.rerun()


st.title("Your records")
st.caption(
    "Correct or delete a session or a pain check-in. You can undo a change until you make the "
    "next one. Deleted records and replaced values are erased from the data file; copies "
    "made before (backups, exports) keep them. The list of when your share links were "
    "opened is kept."
)

if (done := st.session_state.pop(DONE_KEY, None)) is not None:
    st.success(done, icon=":material/undo:")
pending: records.Undo | None = st.session_state.get(UNDO_KEY)
if pending is not None and pending.profile_id == profile.id:
    with st.container(border=True, key="undo_box"):
        text_column, button_column = st.columns([4, 1], vertical_alignment="center")
        text_column.markdown(f":material/check_circle: {pending.message}")
        if button_column.button("Undo", key="undo", icon=":material/undo:", width="stretch"):
            try:
                records.undo(store, pending)
            except StoreError as error:
                st.error(f"{error} Nothing was changed.")
            else:
                st.session_state.pop(UNDO_KEY, None)
                st.session_state[DONE_KEY] = pending.undone
                st.rerun()

EDITING_KEY = "records_editing"


def row(key: str, summary: str, noun: str) -> tuple[bool, bool]:
    """One record's line with its Edit and Delete buttons: (being edited, Delete pressed).
    Deleting happens at once; the undo above brings it back."""
    editing = st.session_state.get(EDITING_KEY) == key
    with st.container(border=True, key=f"{key}_row"):
        text_column, buttons = st.columns([3, 2], vertical_alignment="center")
        text_column.markdown(summary)
        with buttons.container(horizontal=True, horizontal_alignment="right", gap="small"):
            if st.button(
                "Close" if editing else "Edit",
                key=f"{key}_edit",
                icon=":material/close:" if editing else ":material/edit:",
            ):
                st.session_state[EDITING_KEY] = None if editing else key
                st.rerun()
            deleted = st.button(
                "Delete", key=f"{key}_delete", icon=":material/delete:", help=f"Delete this {noun}"
            )
    if deleted:
        st.session_state[EDITING_KEY] = None
    return editing and not deleted, deleted


def session_form(session: records.SessionSummary, key: str) -> None:
    """The one open session's ratings and notes, to correct."""
    with st.form(key):
        pains: dict[str, int | None] = {}
        for rating in session.ratings:
            label = {"before": "Pain before the session", "after": "Pain after the session"}.get(
                rating.kind, f"Pain during {names.get(rating.exercise_id or '', 'an exercise')}"
            )
            pains[rating.id] = pain_scale(label, key=f"{key}_{rating.id}", value=rating.pain)
        added = None
        if session.rating("after") is None:
            added = pain_scale("Pain after the session (not given)", key=f"{key}_after")
        notes = limited_text(
            "Notes",
            value=session.notes,
            key=f"{key}_notes",
            limit=NOTE_MAX_CHARS,
            what="A note",
            area=True,
        )
        saved = st.form_submit_button(
            "Save changes",
            type="primary",
            key=f"{key}_save",
            on_click=cut_long_texts,
            args=({f"{key}_notes": (NOTE_MAX_CHARS, "A note")},),
        )
    st.caption("Deleting a session deletes its holds and repetitions and its pain ratings.")
    if saved and not just_cut(f"{key}_notes"):
        st.session_state[EDITING_KEY] = None
        change(
            lambda: records.edit_session(
                store,
                profile,
                session.id,
                notes=notes,
                pains={k: v for k, v in pains.items() if v is not None},
                pain_after=added,
            )
        )


def checkin_form(checkin: records.CheckinRow, key: str) -> None:
    """The one open check-in, to correct."""
    with st.form(key):
        pain = pain_scale("Pain", key=f"{key}_pain", value=checkin.pain)
        note = limited_text(
            "Note",
            value=checkin.note,
            key=f"{key}_note",
            limit=NOTE_MAX_CHARS,
            what="A note",
            area=True,
        )
        is_flare = st.checkbox("This was a flare-up", value=checkin.is_flare, key=f"{key}_flare")
        saved = st.form_submit_button(
            "Save changes",
            type="primary",
            key=f"{key}_save",
            on_click=cut_long_texts,
            args=({f"{key}_note": (NOTE_MAX_CHARS, "A note")},),
        )
    if saved and not just_cut(f"{key}_note"):
        st.session_state[EDITING_KEY] = None
        change(
            lambda: records.edit_checkin(
                store, profile, checkin.id, pain=pain, note=note, is_flare=is_flare
            )
        )


sessions_tab, checkins_tab = st.tabs(["Sessions", "Pain check-ins"])

with sessions_tab:
    sessions = records.recent_sessions(store, profile.id)
    if not sessions:
        st.info("No finished sessions yet.", icon=":material/timer:")
    for session in sessions:
        before, after = session.rating("before"), session.rating("after")
        key = f"rec_session_{session.id}"
        summary = (
            f"**{when(session.started_at)}**  \n"
            f"{STATUS_WORDS.get(session.status, session.status)} · {session.done_sets} of "
            f"{session.prescribed_sets} done · pain {before.pain if before else '–'} → "
            f"{after.pain if after else '–'}"
        )
        editing, deleted = row(key, summary, "session")
        if editing:
            session_form(session, key)
        if deleted:
            change(lambda s=session: records.delete_session(store, profile, s.id))

with checkins_tab:
    checkins = records.recent_checkins(store, profile.id)
    if not checkins:
        st.info("No pain check-ins yet. Log one on Today.", icon=":material/healing:")
    for checkin in checkins:
        key = f"rec_checkin_{checkin.id}"
        flare = " · flare-up" if checkin.is_flare else ""
        note = f" · “{md_escape(checkin.note[:60])}{'…' if len(checkin.note) > 60 else ''}”"
        summary = (
            f"**{when(checkin.recorded_at)}**  \npain {checkin.pain}{flare}"
            f"{note if checkin.note else ''}"
        )
        editing, deleted = row(key, summary, "check-in")
        if editing:
            checkin_form(checkin, key)
        if deleted:
            change(lambda c=checkin: records.delete_checkin(store, profile, c.id))
