"""The weekly review: one Monday week summed up, and the weekly check-in (PGIC and PSFS)."""

from __future__ import annotations

import streamlit as st

from core.db import checkins
from core.db.store import StoreError
from core.db.versions import data_version
from core.domain import explain
from core.domain.days import local_today
from core.domain.measures import (
    PGIC_OPTIONS,
    PGIC_QUESTION,
    PSFS_MAX_ACTIVITIES,
    PSFS_MAX_SCORE,
    PSFS_MIN_SCORE,
    PSFS_QUESTION,
)
from core.domain.validation import NAME_MAX_CHARS, NOTE_MAX_CHARS, ValidationError
from ui import clock, dashboard, household
from ui.inputs import cut_long_texts, just_cut, limited_text
from ui.state import get_catalog, get_store, require_profile
from ui.text import md_escape

SAVED_KEY = "weekly_review_saved"


store = get_store()
profile = require_profile(store)
names = {exercise.id: exercise.name for exercise in get_catalog()}
today = local_today(profile, clock.now())
version = data_version(profile.id)
weeks = dashboard.review_weeks(store, profile, profile.id, version, today)

st.title("Weekly review")
week = st.selectbox(
    "Week",
    options=weeks.weeks,
    format_func=weeks.labels.__getitem__,
    key="review_week",
)
st.caption(f"Weeks start on Monday in your time zone ({profile.time_zone}).")
view = dashboard.week_view(store, profile, profile.id, version, week, today)
review, activities, saved = view.review, view.activities, view.saved
week_key = f"{week:%Y%m%d}"

if SAVED_KEY in st.session_state:
    st.success(st.session_state.pop(SAVED_KEY), icon=":material/check_circle:")

dashboard.six_week_status(review.six_week)
st.caption(
    f"{explain.six_week_window_days(profile.programme_start)} {explain.MEANINGFUL} "
    f"{explain.SEE_A_CLINICIAN}"
)

if not weeks.has_data:
    st.info(
        "**No sessions or pain ratings yet.** Once you have some, this page sums up each week: "
        "sessions against your target, your streak, your average pain and how it changed, your "
        "best and worst days, exercises that hurt, and your notes. You can fill in the weekly "
        "check-in below already.",
        icon=":material/event_note:",
    )
else:
    dashboard.week_summary(review, names)

st.subheader("Weekly check-in")


def _activities_form(form_key: str, current: list[checkins.PsfsActivity]) -> None:
    with st.form(form_key):
        st.markdown(
            "Name 3 to 5 everyday activities your back makes hard, for example putting on "
            "socks or sitting for an hour. You will rate each one every week."
        )
        fields = {
            f"{form_key}_{position}": (NAME_MAX_CHARS, f"Activity {position}")
            for position in range(1, PSFS_MAX_ACTIVITIES + 1)
        }
        entered = [
            limited_text(
                f"Activity {position}",
                value=current[position - 1].name if position <= len(current) else "",
                key=f"{form_key}_{position}",
                limit=NAME_MAX_CHARS,
                what=f"Activity {position}",
            )
            for position in range(1, PSFS_MAX_ACTIVITIES + 1)
        ]
        if st.form_submit_button(
            "Save my activities",
            key=f"{form_key}_save",
            on_click=cut_long_texts,
            args=(fields,),
        ) and not just_cut(*fields):
            try:
                checkins.set_psfs_activities(store, profile.id, entered)
            except (ValidationError, StoreError) as error:
                st.error(str(error))
            else:
                st.session_state[SAVED_KEY] = "Your activities are saved."
                st.rerun()


if not activities:
    _activities_form("psfs_activities", activities)

with st.form(f"checkin_form_{week_key}"):
    pgic = st.radio(
        PGIC_QUESTION,
        options=list(PGIC_OPTIONS),
        format_func=PGIC_OPTIONS.__getitem__,
        index=None if saved is None or saved.pgic is None else saved.pgic - 1,
        key=f"checkin_pgic_{week_key}",
    )
    scores: dict[str, int | None] = {}
    if activities:
        st.markdown(PSFS_QUESTION)
        previous = saved.score_map if saved else {}
        for activity in activities:
            scores[activity.id] = st.pills(
                md_escape(activity.name),
                options=list(range(PSFS_MIN_SCORE, PSFS_MAX_SCORE + 1)),
                default=previous.get(activity.id),
                key=f"checkin_psfs_{activity.position}_{week_key}",
            )
    note_key = f"checkin_note_{week_key}"
    note = limited_text(
        "Anything to remember about this week? (optional)",
        value=saved.note if saved else "",
        key=note_key,
        limit=NOTE_MAX_CHARS,
        what="A note",
        area=True,
    )
    submitted = st.form_submit_button(
        "Save check-in",
        type="primary",
        key=f"checkin_save_{week_key}",
        on_click=cut_long_texts,
        args=({note_key: (NOTE_MAX_CHARS, "A note")},),
    )
# Ratings for another profile than this browser's last are confirmed once first.
save = (
    submitted and not just_cut(note_key) and household.may_record(store, profile, "weekly_checkin")
)
if household.confirm_box(store, profile, "weekly_checkin"):
    save = True
if save:
    rated = {activity_id: score for activity_id, score in scores.items() if score is not None}
    try:
        checkins.save_checkin(store, profile, week, pgic=pgic, scores=rated, note=note, today=today)
    except (ValidationError, StoreError) as error:
        st.error(str(error))
    else:
        st.session_state[SAVED_KEY] = "Check-in saved."
        st.rerun()
st.caption(f"{explain.PGIC} {explain.PSFS}")
if activities:
    with st.expander("Change my activities"):
        _activities_form("psfs_activities_edit", activities)
