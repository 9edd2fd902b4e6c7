"""Settings: the profile's answers, sound and timing, and where the data lives."""

from __future__ import annotations

import streamlit as st

from core.db.connection import database_target, is_file_target
from core.db.migrations import LATEST_VERSION
from core.db.store import StoreError
from core.domain.safety import RED_FLAGS
from core.domain.validation import (
    LEAD_IN_MAX_S,
    WEEKLY_TARGET_MAX,
    ValidationError,
    time_zone_choices,
)
from ui import access
from ui.inputs import whole_number
from ui.state import get_store, require_profile

store = get_store()
profile = require_profile(store)
zones = time_zone_choices()

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
    recent_surgery = st.toggle(
        "I had lower-back surgery recently",
        value=profile.recent_surgery,
        key="settings_recent_surgery",
        help="Hides press ups and prone cobras from your programme.",
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
        store.update_profile(
            profile.id,
            name=name,
            time_zone=time_zone,
            weekly_target=weekly_target,
            programme_start=programme_start,
            recent_surgery=recent_surgery,
            sound_on=sound_on,
            lead_in_s=lead_in_s,
        )
    except (ValidationError, StoreError) as error:
        st.error(f"{error} Your changes are still in the form.")
    else:
        st.toast("Settings saved.", icon=":material/check:")
        st.rerun()

if profile.red_flags:
    st.subheader("Warning signs you reported")
    st.markdown("\n".join(f"- {RED_FLAGS[flag]}" for flag in profile.red_flags))
    cleared = st.checkbox(
        "A doctor or physical therapist has checked me and said home exercise is fine",
        value=profile.red_flags_cleared,
        key="settings_red_flags_cleared",
    )
    if cleared != profile.red_flags_cleared:
        try:
            store.update_profile(profile.id, red_flags_cleared=cleared)
        except StoreError as error:
            st.error(str(error))
        else:
            st.rerun()

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
