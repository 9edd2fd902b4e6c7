"""First-use setup: a few questions, the warning-sign check, then on to the programme."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import streamlit as st

from core.db.answers import care_first
from core.db.store import StoreError
from core.domain.course import ONSET_ANSWERS
from core.domain.safety import TIER_ACTION, TIERS, signs_of
from core.domain.validation import (
    NAME_MAX_CHARS,
    WEEKLY_TARGET_MAX,
    ValidationError,
    time_zone_choices,
)
from core.files import merging
from ui import importing
from ui.inputs import cut_long_texts, just_cut, limited_text, pain_scale, whole_number, yes_no
from ui.state import get_store, go_to_after_rerun, leave_notice, list_profiles, select_profile

store = get_store()
first_profile = not list_profiles(store)

st.title("Welcome to Back on Track" if first_profile else "Add a profile")
st.write(
    "A guided home exercise programme for lower back pain, with your records kept in one "
    "file on this computer. A few short questions and you are ready; the ones marked "
    "optional can be skipped."
    + (
        " Used it before? Restore your records from an export file instead."
        if first_profile
        else ""
    )
)

zones = time_zone_choices()
browser_zone = st.context.timezone or "UTC"
default_zone = browser_zone if browser_zone in zones else "UTC"


def _restored(done: merging.ImportResult, preview: merging.ImportPreview) -> None:
    select_profile(done.profile_id)
    leave_notice(
        f"Restored {done.rows_added} rows: the records of {importing.owner_words(preview)}."
    )
    go_to_after_rerun("views/today.py")


if first_profile:
    setup_tab, restore_tab = st.tabs(["Set up", "Restore from an export file"])
    with restore_tab, st.container(key="restore"):
        st.write(
            "Used Back on Track before, here or on another computer? Choose the export file "
            "you made on Share & export (CSV or Parquet): your profile and records come back "
            "as they were."
        )
        importing.import_section(
            store,
            key="restore",
            time_zone=default_zone,
            button="Restore {rows} rows",
            done=_restored,
            help="A zip file made by Export in Back on Track.",
        )
else:
    setup_tab = st.container()

with setup_tab:
    problems: list[str] = []
    with st.form("setup_form"):
        name = limited_text(
            "Your first name (optional)", key="setup_name", limit=NAME_MAX_CHARS, what="A name"
        )
        time_zone = st.selectbox(
            "Time zone",
            zones,
            index=zones.index(default_zone),
            key="setup_time_zone",
            help="Days and weeks in your charts start at midnight in this zone.",
        )
        today = datetime.now(ZoneInfo(default_zone)).date()
        weekly_target = whole_number(
            "Sessions a week you aim for",
            low=1,
            high=WEEKLY_TARGET_MAX,
            value=5,
            key="setup_weekly_target",
            help="The source article suggests exercising 30 minutes, 5 times a week.",
            problems=problems,
        )
        programme_start = st.date_input(
            "Programme start date", value=today, key="setup_programme_start"
        )
        onset_kind = st.radio(
            "When did this episode of back pain begin? (optional)",
            list(ONSET_ANSWERS),
            format_func=ONSET_ANSWERS.__getitem__,
            index=None,
            horizontal=True,
            key="setup_onset_kind",
            help="Your pain chart shows the published average course for people whose pain "
            "began about as long ago as yours. It is an average, not a forecast.",
        )
        onset_date = st.date_input(
            "Date it began",
            value=None,
            max_value=today,
            key="setup_onset_date",
            format="YYYY-MM-DD",
        )
        surgery = st.radio(
            "Have you had lower-back surgery recently?",
            ["No", "Yes"],
            index=None,
            horizontal=True,
            key="setup_surgery",
        )
        pregnant = yes_no("Are you pregnant? (optional)", key="setup_pregnant")
        osteoporosis = yes_no(
            "Have you been told you have osteoporosis (thin, fragile bones)? (optional)",
            key="setup_osteoporosis",
        )
        st.caption("Your answers bring up cautions for the exercises they affect.")
        st.markdown("**Do any of these apply to you right now?**")
        ticked: list[str] = []
        for tier in TIERS:
            st.markdown(f"_{TIER_ACTION[tier]} if you have:_")
            ticked += [
                sign.id
                for sign in signs_of(tier)
                if st.checkbox(sign.text, key=f"setup_flag_{sign.id}")
            ]
        pain = pain_scale(
            "How much does your back hurt today? 0 is no pain, 10 is the worst imaginable "
            "(optional; it becomes your starting point until you log more).",
            key="setup_pain",
        )
        submitted = st.form_submit_button(
            "Save and continue",
            type="primary",
            key="setup_submit",
            on_click=cut_long_texts,
            args=({"setup_name": (NAME_MAX_CHARS, "A name")},),
        )

    if submitted and not just_cut("setup_name"):
        if problems:
            st.error(f"Not saved: {' '.join(problems)} Your answers are still in the form.")
            st.stop()
        if surgery is None:
            st.error("Please answer whether you had lower-back surgery recently.")
            st.stop()
        try:
            profile = store.create_profile(
                name=name,
                time_zone=time_zone,
                weekly_target=weekly_target,
                programme_start=programme_start,
                recent_surgery=surgery == "Yes",
                red_flags=ticked,
                setup_pain=pain,
                pain_onset=onset_kind,
                pain_onset_date=onset_date,
                pregnant=pregnant,
                osteoporosis=osteoporosis,
            )
        except (ValidationError, StoreError) as error:
            st.error(f"{error} Your answers are still in the form.")
            st.stop()
        select_profile(profile.id)
        care = care_first(store, profile)
        go_to_after_rerun("views/today.py" if care is not None else "views/exercises.py")
