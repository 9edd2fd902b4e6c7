"""First-use setup: a few questions, the red-flag check, then on to the programme."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import streamlit as st

from core.db.store import StoreError
from core.domain.safety import RED_FLAGS
from core.domain.validation import (
    NAME_MAX_CHARS,
    WEEKLY_TARGET_MAX,
    ValidationError,
    time_zone_choices,
)
from core.files import merging
from ui import importing
from ui.inputs import cut_long_texts, just_cut, limited_text, pain_scale, whole_number
from ui.state import get_store, go_to_after_rerun, leave_notice, list_profiles, select_profile

store = get_store()
first_profile = not list_profiles(store)

st.title("Welcome to Back on Track" if first_profile else "Add a profile")
st.write(
    "A guided home exercise programme for lower back pain, with your records kept in one "
    "file on this computer. Five short questions and you are ready."
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
        surgery = st.radio(
            "Have you had lower-back surgery recently?",
            ["No", "Yes"],
            index=None,
            horizontal=True,
            key="setup_surgery",
        )
        st.markdown("**Do any of these apply to you right now?**")
        ticked = [
            flag for flag, text in RED_FLAGS.items() if st.checkbox(text, key=f"setup_flag_{flag}")
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
            )
        except (ValidationError, StoreError) as error:
            st.error(f"{error} Your answers are still in the form.")
            st.stop()
        select_profile(profile.id)
        go_to_after_rerun("views/today.py" if profile.needs_care_first else "views/exercises.py")
