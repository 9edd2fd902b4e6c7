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

sessions_tab, checkins_tab = st.tabs(["Sessions", "Pain check-ins"])

with sessions_tab:
    sessions = records.recent_sessions(store, profile.id)
    if not sessions:
        st.info("No finished sessions yet.", icon=":material/timer:")
    for session in sessions:
        before, after = session.rating("before"), session.rating("after")
        pain = f" · pain {before.pain if before else '–'} → {after.pain if after else '–'}"
        title = (
            f"{when(session.started_at)} · {STATUS_WORDS.get(session.status, session.status)} · "
            f"{session.done_sets} of {session.prescribed_sets} done{pain}"
        )
        key = f"rec_session_{session.id}"
        with st.expander(title):
            with st.form(key):
                pains: dict[str, int | None] = {}
                for rating in session.ratings:
                    label = {
                        "before": "Pain before the session",
                        "after": "Pain after the session",
                    }.get(
                        rating.kind,
                        f"Pain during {names.get(rating.exercise_id or '', 'an exercise')}",
                    )
                    pains[rating.id] = pain_scale(
                        label, key=f"{key}_{rating.id}", value=rating.pain
                    )
                added = None
                if after is None:
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
            if saved and not just_cut(f"{key}_notes"):
                change(
                    lambda s=session, p=pains, n=notes, a=added: records.edit_session(
                        store,
                        profile,
                        s.id,
                        notes=n,
                        pains={k: v for k, v in p.items() if v is not None},
                        pain_after=a,
                    )
                )
            if st.button("Delete this session", key=f"{key}_delete", icon=":material/delete:"):
                change(lambda s=session: records.delete_session(store, profile, s.id))
            st.caption("Deleting a session deletes its holds and repetitions and its pain ratings.")

with checkins_tab:
    checkins = records.recent_checkins(store, profile.id)
    if not checkins:
        st.info("No pain check-ins yet. Log one on Today.", icon=":material/healing:")
    for checkin in checkins:
        flare = " · flare-up" if checkin.is_flare else ""
        key = f"rec_checkin_{checkin.id}"
        with st.expander(f"{when(checkin.recorded_at)} · pain {checkin.pain}{flare}"):
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
                is_flare = st.checkbox(
                    "This was a flare-up", value=checkin.is_flare, key=f"{key}_flare"
                )
                saved = st.form_submit_button(
                    "Save changes",
                    type="primary",
                    key=f"{key}_save",
                    on_click=cut_long_texts,
                    args=({f"{key}_note": (NOTE_MAX_CHARS, "A note")},),
                )
            if saved and not just_cut(f"{key}_note"):
                change(
                    lambda c=checkin, p=pain, n=note, f=is_flare: records.edit_checkin(
                        store, profile, c.id, pain=p, note=n, is_flare=f
                    )
                )
            if st.button("Delete this check-in", key=f"{key}_delete", icon=":material/delete:"):
                change(lambda c=checkin: records.delete_checkin(store, profile, c.id))
