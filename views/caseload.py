"""Caseload: every person in this file, who needs attention first and why, a person's records
read-only, and a patient's newer file taken in as an update.

Only in the navigation once the owner says they are a therapist (Settings); a profile with a
PIN shows its name alone until the PIN is entered in this browser session.
"""

from __future__ import annotations

import streamlit as st

from core.db.versions import data_version, file_version
from core.domain import explain
from core.files import merging
from core.files.app_settings import read_settings
from core.progress.caseload import REASON_LABELS, caseload_table, matching
from ui import caseload, clock, household, importing
from ui.state import get_catalog, get_store, list_profiles, require_profile
from ui.text import md_escape

DONE_KEY = "caseload_done"

st.set_page_config(layout="wide")  # a dozen columns, one row per person
store = get_store()
current = require_profile(store)
st.title("Caseload")
if not read_settings().therapist:
    st.info(
        "The caseload is off. Turn on “I am a therapist: show my patients” in Settings.",
        icon=":material/groups:",
    )
    st.page_link("views/settings.py", label="Open Settings", icon=":material/settings:")
    st.stop()

if DONE_KEY in st.session_state:
    st.success(st.session_state.pop(DONE_KEY), icon=":material/check_circle:")
names = {exercise.id: exercise.name for exercise in get_catalog()}
now = clock.now()
profiles = tuple(list_profiles(store))
hidden = frozenset(household.locked_profiles(store))
everyone = caseload.entries(
    store, profiles, file_version(), caseload.quarter_hour(now), hidden, names
)

st.caption(
    "Everyone in this file, who needs attention first. Pick a person below the table to see "
    "their Progress and Weekly review, read-only."
)
with st.expander("How the list is sorted, and where the numbers come from"):
    st.markdown(f"{explain.CASELOAD_ORDER}\n\n{explain.CASELOAD_SAME_NUMBERS}")
chosen = st.multiselect(
    "Show only people with",
    options=list(REASON_LABELS),
    format_func=REASON_LABELS.__getitem__,
    key="caseload_filter",
    placeholder="Any reason, or none (everyone)",
)
shown = matching(everyone, chosen)
waiting = sum(1 for entry in everyone if entry.reasons)
st.markdown(
    f"**{len(shown)} of {len(everyone)} people shown** · {waiting} need attention "
    f"· {len(hidden)} with a PIN not entered here"
)
if shown:
    st.dataframe(caseload_table(shown, names), hide_index=True, key="caseload_table")
else:
    st.info("Nobody matches these reasons.", icon=":material/filter_alt_off:")

labels = household.profile_labels(store)
opened = st.selectbox(
    "Open a person's records",
    options=[entry.row.profile_id for entry in shown],
    format_func=lambda profile_id: labels.get(profile_id, "Unnamed profile"),
    index=None,
    placeholder="Choose a person",
    key="caseload_open",
)
if opened is not None:
    st.subheader(f"{md_escape(labels.get(opened, 'Unnamed profile'))}'s records")
    if opened in hidden:
        st.warning(
            "This profile has a PIN. Choose it in the sidebar and enter its PIN to see its "
            "figures here in this browser session.",
            icon=":material/lock:",
        )
    else:
        person = next(p for p in profiles if p.id == opened)
        caseload.read_only_person(store, person, data_version(opened), now, names)

st.header("Add or update a patient", divider="gray")
st.markdown(
    "Your patient makes the file with **Send to my therapist** on their Share & export page. "
    "A newer file from the same person updates their row: nothing is added twice, and records "
    "the newer file no longer has are deleted only if you say so."
)


def _imported(done: merging.ImportResult, preview: merging.ImportPreview) -> None:
    who = preview.profile_name or "an unnamed profile"
    message = (
        f"Updated {who}'s records: {done.rows_added} new, {done.rows_changed} changed, "
        f"{done.rows_deleted} deleted."
        if preview.profile_exists
        else f"Added {who}: {done.rows_added} records."
    )
    st.session_state[DONE_KEY] = message
    st.rerun()


importing.import_section(
    store,
    key="caseload_import",
    time_zone=current.time_zone,
    button="",
    done=_imported,
    help="The zip file your patient sent (Send to my therapist, or any export).",
    update=True,
)
