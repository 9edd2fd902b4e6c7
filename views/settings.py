"""Settings: the profile's answers, warning signs reported and cleared, sound and timing, the
reminder in an open tab, a PIN, where the data lives, and deleting the profile or everything."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from core.db import records
from core.db.answers import clear_sign, reported_signs, set_pain_onset
from core.db.connection import database_target, is_file_target
from core.db.migrations import LATEST_VERSION
from core.db.store import StoreError
from core.domain import reminders
from core.domain.coach import TEST_PHRASE
from core.domain.course import ONSET_ANSWERS, validate_onset
from core.domain.days import local_today
from core.domain.safety import TIER_ACTION
from core.domain.validation import (
    LEAD_IN_MAX_S,
    NAME_MAX_CHARS,
    WEEKLY_TARGET_MAX,
    ValidationError,
    time_zone_choices,
)
from core.domain.wording import format_instant
from core.files import app_settings, export
from core.files.export_format import export_file_name
from core.sharing import pins
from ui import access, clock, household
from ui.coach import coach_support
from ui.inputs import cut_long_texts, just_cut, limited_text, whole_number, yes_no
from ui.reminders import notification_permission
from ui.safety import report_signs_form
from ui.state import (
    get_store,
    go_to_after_rerun,
    leave_notice,
    list_profiles,
    require_profile,
    select_profile,
)
from ui.text import md_escape

DONE_KEY = "settings_done"
EXPORT_KEY = "settings_export"

store = get_store()
profile = require_profile(store)
zones = time_zone_choices()
today = local_today(profile, clock.now())
label = household.profile_labels(store)[profile.id]

st.title("Settings")
if DONE_KEY in st.session_state:
    st.success(st.session_state.pop(DONE_KEY), icon=":material/check_circle:")

problems: list[str] = []
with st.form("settings_form"):
    name = limited_text(
        "First name",
        value=profile.name,
        key="settings_name",
        limit=NAME_MAX_CHARS,
        what="A name",
    )
    time_zone = st.selectbox(
        "Time zone", zones, index=zones.index(profile.time_zone), key="settings_time_zone"
    )
    weekly_target = whole_number(
        "Sessions a week you aim for",
        low=1,
        high=WEEKLY_TARGET_MAX,
        value=profile.weekly_target,
        key="settings_weekly_target",
        help="A new target counts from this week on; earlier weeks keep the target they had.",
        problems=problems,
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
    st.markdown("**During a session**")
    voice_on = st.toggle(
        "Say the exercise, “hold”, the last seconds and “rest” out loud",
        value=profile.voice_on,
        key="settings_voice_on",
        help="Uses a voice of this device only; where it has none, tones stand in for the words.",
    )
    sound_on = st.toggle(
        "Play a sound at the end of each hold", value=profile.sound_on, key="settings_sound_on"
    )
    cue_volume = st.slider(
        "Volume of the voice and sounds",
        0,
        100,
        value=profile.cue_volume,
        step=10,
        key="settings_cue_volume",
    )
    lead_in_s = whole_number(
        "Get-ready time before each exercise (seconds)",
        low=0,
        high=LEAD_IN_MAX_S,
        value=profile.lead_in_s,
        key="settings_lead_in",
        problems=problems,
    )
    saved = st.form_submit_button(
        "Save settings",
        type="primary",
        key="settings_save",
        on_click=cut_long_texts,
        args=({"settings_name": (NAME_MAX_CHARS, "A name")},),
    )

if saved and problems:
    st.error(f"Not saved: {' '.join(problems)} Your changes are still in the form.")
elif saved and not just_cut("settings_name"):
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
            voice_on=voice_on,
            cue_volume=cue_volume,
            lead_in_s=lead_in_s,
            pregnant=pregnant,
            osteoporosis=osteoporosis,
            now=clock.now(),
        )
        set_pain_onset(store, profile, onset_kind, onset_date, today=today)
    except (ValidationError, StoreError) as error:
        st.error(f"{error} Your changes are still in the form.")
    else:
        st.toast("Settings saved.", icon=":material/check:")
        st.rerun()

st.subheader("The session coach on this device")
st.caption("What this browser can do during a session. The button uses your saved settings.")
coach_support(
    voice_on=profile.voice_on,
    sound_on=profile.sound_on,
    volume=profile.cue_volume,
    phrase=TEST_PHRASE,
    key="settings_coach_support",
)

st.subheader("Reminders")
REMINDER_ERROR_KEY = "settings_reminder_error"


def _save_reminder() -> None:
    try:
        store.update_profile(
            profile.id,
            reminder_on=bool(st.session_state.get("settings_reminder_on")),
            reminder_time=st.session_state.get("settings_reminder_time")
            or reminders.DEFAULT_SESSION_TIME,
            now=clock.now(),
        )
    except (ValidationError, StoreError) as error:
        st.session_state[REMINDER_ERROR_KEY] = f"Not saved: {error}"


st.toggle(
    "Remind me in this browser at my session time",
    value=profile.reminder_on,
    key="settings_reminder_on",
    on_change=_save_reminder,
    help="A notification from this app's tab on each day your session is not done yet.",
)
st.time_input(
    "Session time",
    value=profile.reminder_time or reminders.DEFAULT_SESSION_TIME,
    step=900,
    width=220,
    key="settings_reminder_time",
    on_change=_save_reminder,
    help="Also the time the calendar file on Share & export suggests.",
)
if REMINDER_ERROR_KEY in st.session_state:
    st.error(st.session_state.pop(REMINDER_ERROR_KEY), icon=":material/error:")
notification_permission(toggle_key="settings_reminder_on", key="settings_notification_permission")
st.markdown(f"- {reminders.NEEDS_TAB}\n- {reminders.NEEDS_CALENDAR}")

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

# --------------------------------------------------------------------------- PIN

st.subheader("PIN for this profile")
has_pin = pins.pin_hash(store, profile.id) is not None
st.caption(
    "With a PIN, this profile's records open only after the PIN is entered in each browser "
    "session, so others sharing this computer's app cannot see or add to them. It does not "
    "encrypt the data file. A PIN is not part of an export."
)
with st.form("pin_form"):
    current = st.text_input("Current PIN", type="password", key="pin_current") if has_pin else None
    new_pin = st.text_input(
        "New PIN (4 to 12 digits)", type="password", key="pin_new", max_chars=pins.PIN_MAX_DIGITS
    )
    repeated = st.text_input(
        "New PIN again", type="password", key="pin_repeat", max_chars=pins.PIN_MAX_DIGITS
    )
    left, right = st.columns(2)
    set_clicked = left.form_submit_button(
        "Change the PIN" if has_pin else "Set the PIN", type="primary", key="pin_set"
    )
    remove_clicked = has_pin and right.form_submit_button("Remove the PIN", key="pin_remove")
try:
    if set_clicked:
        pins.set_pin(store, profile.id, new_pin, repeated=repeated, current=current)
        household.remember_unlocked(store, profile.id)
        st.session_state[DONE_KEY] = f"The PIN of {label} is set."
        st.rerun()
    if remove_clicked:
        pins.remove_pin(store, profile.id, current=current)
        st.session_state[DONE_KEY] = f"{label} has no PIN any more."
        st.rerun()
except (ValidationError, StoreError) as error:
    st.error(str(error), icon=":material/error:")

# --------------------------------------------------------------------------- therapist

st.subheader("For therapists")
THERAPIST_KEY = "settings_therapist"


def _set_therapist() -> None:
    wanted = bool(st.session_state.get(THERAPIST_KEY))
    try:
        app_settings.write_settings(replace(app_settings.read_settings(), therapist=wanted))
    except OSError:
        st.session_state[THERAPIST_ERROR_KEY] = (
            "Not saved: the folder of the data file cannot be written."
        )
        return
    st.session_state[DONE_KEY] = (
        "The Caseload page is in the menu." if wanted else "The Caseload page is hidden again."
    )


THERAPIST_ERROR_KEY = "settings_therapist_error"
st.toggle(
    "I am a therapist: show my patients",
    value=app_settings.read_settings().therapist,
    key=THERAPIST_KEY,
    on_change=_set_therapist,
    help="A setting of this copy of the app, for every profile in it.",
)
st.caption(
    "Adds the Caseload page: everyone in this file on one screen, who needs attention first, "
    "and patients' files taken in as updates. Profiles with a PIN stay hidden until it is "
    "entered."
)
if THERAPIST_ERROR_KEY in st.session_state:
    st.error(st.session_state.pop(THERAPIST_ERROR_KEY), icon=":material/error:")

# --------------------------------------------------------------------------- data

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
st.page_link("views/records.py", label="Correct or delete a record", icon=":material/edit_note:")
tone, reach = access.binding_note()
if tone == "warning":
    st.warning(reach, icon=":material/public:")
else:
    st.caption(reach)

word = records.confirmation_word(profile)
with st.expander(f"Delete {label}'s profile", icon=":material/person_remove:"):
    st.markdown(
        f"Deletes **{md_escape(label)}** and every record of the profile: sessions, pain "
        "ratings, check-ins, the programme, share links and the list of when they were "
        "opened. They are erased from the data file, not hidden; copies you made earlier "
        "(backups, exports) keep them. This cannot be undone."
    )
    st.markdown("**First, keep a copy** you can restore from later:")
    if st.button("Prepare my export (CSV)", key="delete_export_prepare"):
        st.session_state[EXPORT_KEY] = (
            profile.id,
            export_file_name("csv", clock.now()),
            export.export_profile(store, profile.id, file_format="csv", now=clock.now()),
        )
    ready = st.session_state.get(EXPORT_KEY)
    if ready is not None and ready[0] == profile.id:
        st.download_button(
            "Download my export",
            data=ready[2],
            file_name=ready[1],
            mime="application/zip",
            key="delete_export_download",
            on_click="ignore",
            icon=":material/download:",
        )
    typed = st.text_input(f"Type “{md_escape(word)}” to confirm", key="delete_profile_typed")
    if st.button("Delete this profile", type="primary", key="delete_profile"):
        try:
            records.delete_profile(store, profile, typed)
        except (ValidationError, StoreError) as error:
            st.error(str(error), icon=":material/error:")
        else:
            household.lock(profile.id)
            st.session_state.pop(EXPORT_KEY, None)
            st.session_state.pop("delete_profile_typed", None)
            remaining = list_profiles(store)
            if remaining:
                select_profile(remaining[0].id)
            leave_notice(f"{md_escape(label)}'s profile and records are deleted.")
            go_to_after_rerun("views/today.py" if remaining else "views/setup.py")

with st.expander("Delete all data in this file", icon=":material/delete_forever:"):
    count = len(list_profiles(store))
    st.markdown(
        f"Deletes all {count} profile{'s' if count != 1 else ''} in this file and every record "
        "of each, erased from the file. Export each profile first (Share & export) to keep a "
        "copy. This cannot be undone."
    )
    typed_all = st.text_input(
        f"Type “{records.DELETE_EVERYTHING_WORD}” to confirm", key="delete_all_typed"
    )
    if st.button("Delete everything", type="primary", key="delete_all"):
        try:
            records.delete_everything(store, typed_all)
        except (ValidationError, StoreError) as error:
            st.error(str(error), icon=":material/error:")
        else:
            st.session_state.clear()
            leave_notice("Everything in the data file is deleted.")
            go_to_after_rerun("views/setup.py")
