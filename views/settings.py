"""Settings: the profile's answers, warning signs reported and cleared, sound and timing, and
where the data lives."""

from __future__ import annotations

import streamlit as st

from core.db.answers import clear_sign, reported_signs, set_pain_onset
from core.db.connection import database_target, is_file_target
from core.db.migrations import LATEST_VERSION
from core.db.store import StoreError
from core.domain.course import ONSET_ANSWERS, validate_onset
from core.domain.days import local_today
from core.domain.safety import TIER_ACTION
from core.domain.validation import (
    LEAD_IN_MAX_S,
    WEEKLY_TARGET_MAX,
    ValidationError,
    time_zone_choices,
)
from core.domain.wording import format_instant
from ui import access, clock
from ui.inputs import whole_number, yes_no
from ui.safety import report_signs_form
from ui.state import get_store, require_profile

store = get_store()
profile = require_profile(store)
zones = time_zone_choices()
today = local_today(profile, clock.now())

st.title("Settings")

with st.form("settings_form"):
    name = st.text_input("First name", value=profile.name, max_chars=60, key="settings_name")
    time_zone = st.selectbox(
        "Time zone", zones, index=zones.index(profile.time_zone), key="settings_time_zone"
    )
    weekly_target = whole_number(
        "Sessions a week you aim for",
        low=1,
        high=WEEKLY_TARGET_MAX,
        value=profile.weekly_target,
        key="settings_weekly_target",
    )
    programme_start = st.date_input(
        "Programme start date", value=profile.programme_start, key="settings_programme_start"
    )
    onset_kind = st.radio(
        "When did this episode of back pain begin?",
        list(ONSET_ANSWERS),
        format_func=ONSET_ANSWERS.__getitem__,
        index=None if profile.pain_onset is None else list(ONSET_ANSWERS).index(profile.pain_onset),
        horizontal=True,
        key="settings_onset_kind",
        help="Places the published average course on your pain chart.",
    )
    onset_date = st.date_input(
        "Date it began",
        value=profile.pain_onset_date,
        max_value=today,
        key="settings_onset_date",
        format="YYYY-MM-DD",
    )
    recent_surgery = st.toggle(
        "I had lower-back surgery recently",
        value=profile.recent_surgery,
        key="settings_recent_surgery",
        help="Hides press ups and prone cobras from your programme and marks cat and cow.",
    )
    pregnant = yes_no("Are you pregnant?", value=profile.pregnant, key="settings_pregnant")
    osteoporosis = yes_no(
        "Have you been told you have osteoporosis (thin, fragile bones)?",
        value=profile.osteoporosis,
        key="settings_osteoporosis",
    )
    sound_on = st.toggle(
        "Play a sound at the end of each hold", value=profile.sound_on, key="settings_sound_on"
    )
    lead_in_s = whole_number(
        "Get-ready time before each exercise (seconds)",
        low=0,
        high=LEAD_IN_MAX_S,
        value=profile.lead_in_s,
        key="settings_lead_in",
    )
    saved = st.form_submit_button("Save settings", type="primary", key="settings_save")

if saved:
    try:
        # The onset is checked before anything is written, so a wrong date saves nothing.
        validate_onset(onset_kind, onset_date, today=today)
        store.update_profile(
            profile.id,
            name=name,
            time_zone=time_zone,
            weekly_target=weekly_target,
            programme_start=programme_start,
            recent_surgery=recent_surgery,
            sound_on=sound_on,
            lead_in_s=lead_in_s,
            pregnant=pregnant,
            osteoporosis=osteoporosis,
        )
        set_pain_onset(store, profile, onset_kind, onset_date, today=today)
    except (ValidationError, StoreError) as error:
        st.error(f"{error} Your changes are still in the form.")
    else:
        st.toast("Settings saved.", icon=":material/check:")
        st.rerun()

st.subheader("Warning signs")
signs = sorted(reported_signs(store, profile), key=lambda item: item.cleared)  # open first
if not signs:
    st.caption("You have not reported any warning sign.")
tz = profile.time_zone
for item in signs:
    when = format_instant(item.reported_at, tz)
    with st.container(border=True):
        st.markdown(f"**{item.sign.text}**  \nReported {when}.")
        if item.cleared:
            on = "" if item.cleared_at is None else f" on {format_instant(item.cleared_at, tz)}"
            st.caption(f"Cleared{on}: you confirmed a clinician has checked you for this.")
        else:
            st.caption(f"{TIER_ACTION[item.tier]}. Until then, the app offers no exercise.")
            if st.button(
                "A clinician has checked me for this",
                key=f"clear_sign_{item.sign.id}",
                help="Press this only once a doctor or physical therapist has checked you for "
                "this sign and said home exercise is fine.",
            ):
                try:
                    clear_sign(store, profile, item.sign.id)
                except StoreError as error:
                    st.error(str(error))
                else:
                    st.rerun()
with st.expander("Report a warning sign", icon=":material/emergency:"):
    report_signs_form(store, profile, key="settings_signs")

st.subheader("Your data")
target = database_target()
if is_file_target(target):
    st.write(
        f"Everything you record is kept in one file on this computer: `{target}`. "
        "Copy that file to back it up; nothing is sent anywhere."
    )
else:
    st.write(f"Your records are kept in the database `{target}`.")
st.caption(f"Data format version {LATEST_VERSION}.")
st.page_link("views/setup.py", label="Add another profile", icon=":material/person_add:")
tone, reach = access.binding_note()
if tone == "warning":
    st.warning(reach, icon=":material/public:")
else:
    st.caption(reach)
