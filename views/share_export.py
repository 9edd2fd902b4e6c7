"""Share & export: links for a therapist, the report, export and import, the calendar file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

import streamlit as st

from core.db.flags import session_choice
from core.db.store import StoreError
from core.db.versions import data_version
from core.domain.days import local_today
from core.domain.programme import estimate_duration_s
from core.domain.validation import ValidationError
from core.domain.wording import WEEKDAY_NAMES, format_day, format_instant
from core.files import calendar as calendar_file
from core.files import export, merging
from core.files.export_format import export_file_name
from core.progress import report
from core.sharing import links as sharing
from core.sharing.links import range_words
from ui import access, clock, dashboard
from ui.inputs import whole_number
from ui.state import get_catalog, get_store, require_profile
from ui.text import md_escape

CONFIRM_KEY = "share_confirm_revoke"
DONE_KEY = "share_export_done"
IMPORT_PREVIEW_KEY = "import_preview"
IMPORT_ROUND_KEY = "import_round"
EXPORT_KEY = "export_ready"
STATUS_BADGE = {
    "active": ":green-badge[Active]",
    "expired": ":gray-badge[Expired]",
    "revoked": ":red-badge[Revoked]",
}
DAY_NAMES = dict(zip(calendar_file.WEEKDAYS, WEEKDAY_NAMES, strict=True))

store = get_store()
profile = require_profile(store)
catalog = get_catalog()
names = {exercise.id: exercise.name for exercise in catalog}
now = clock.now()
today = local_today(profile, now)
version = data_version(profile.id)


def progress_bar(text: str) -> tuple[Callable[[float, str], None], Callable[[], None]]:
    """A progress bar and the callback core functions report to; the second clears it."""
    bar = st.progress(0.0, text=text)
    return (lambda fraction, message: bar.progress(fraction, text=message)), bar.empty


st.title("Share & export")
if DONE_KEY in st.session_state:
    st.success(st.session_state.pop(DONE_KEY), icon=":material/check_circle:")
st.markdown(
    "Two ways to show your progress to your physical therapist: **a report file** you send "
    "or print yourself (works even when this app runs only on your own computer), or **a "
    "live link** they open in their browser (needs the app served where they can reach it)."
)

# --------------------------------------------------------------------------- share links

st.header("Share a read-only link", divider="gray")
with st.form("share_create", clear_on_submit=True):
    recipient = st.text_input(
        "Who is it for?",
        max_chars=sharing.RECIPIENT_MAX_CHARS,
        placeholder="my physio",
        key="share_recipient",
    )
    days = whole_number(
        "Valid for how many days",
        low=1,
        high=sharing.MAX_DAYS,
        value=sharing.DEFAULT_DAYS,
        key="share_days",
        help=f"At most {sharing.MAX_DAYS} days. You can revoke the link sooner at any time.",
    )
    from_column, until_column = st.columns(2)
    range_start = from_column.date_input(
        "Share records from (optional)", value=None, key="share_from", format="YYYY-MM-DD"
    )
    range_end = until_column.date_input(
        "Until (optional)", value=None, key="share_until", format="YYYY-MM-DD"
    )
    st.caption(
        "Leave the dates empty to share everything, up to the day they look. A range that "
        "leaves out your first programme week also leaves out your baseline."
    )
    create = st.form_submit_button(
        "Create link", type="primary", icon=":material/add_link:", key="share_create_submit"
    )

if create:
    try:
        base_url = access.public_base_url()
        created, token = sharing.create_link(
            store,
            profile.id,
            recipient,
            days=days,
            range_start=range_start,
            range_end=range_end,
            now=clock.now(),
        )
    except ValidationError as error:
        st.error(str(error), icon=":material/error:")
    else:
        st.success(
            f"Link for **{md_escape(created.recipient)}** created. Copy it now: it is shown only "
            "this once, and the app keeps no copy.",
            icon=":material/link:",
        )
        st.code(sharing.share_url(base_url, token), language=None, wrap_lines=True)
        if access.is_local_only(base_url):
            st.caption(
                "This address opens only on this computer. For your therapist to open it, the "
                "app must be served where they can reach it, with `public_base_url` set in "
                "`.streamlit/secrets.toml` (see the README). Until then, send the report."
            )
        del token


def link_card(link: sharing.LinkSummary) -> None:
    """One link: who, status, dates, openings; a revoke button (with confirmation) if active."""
    with st.container(border=True, key=f"share_link_{link.id}"):
        text_column, action_column = st.columns([4, 1], vertical_alignment="center")
        text_column.markdown(f"**{md_escape(link.recipient)}** {STATUS_BADGE[link.status]}")
        opened = {0: "Never opened", 1: "Opened once"}.get(
            link.times_opened, f"Opened {link.times_opened} times"
        )
        if link.last_opened_at is not None:
            opened += f", last {format_instant(link.last_opened_at, profile.time_zone)}"
        if link.revoked_at is not None:
            opened += f" · revoked {format_instant(link.revoked_at, profile.time_zone)}"
        text_column.caption(
            f"Created {format_instant(link.created_at, profile.time_zone)} · "
            f"expires {format_instant(link.expires_at, profile.time_zone)} · "
            f"dates: {range_words(link.range_start, link.range_end)}  \n{opened}"
        )
        if link.status != "active":
            return
        if st.session_state.get(CONFIRM_KEY) != link.id:
            if action_column.button("Revoke", key=f"revoke_{link.id}", icon=":material/link_off:"):
                st.session_state[CONFIRM_KEY] = link.id
                st.rerun()
            return
        st.warning(
            f"Revoke the link for **{md_escape(link.recipient)}**? It stops working at once: "
            "opening it again shows only “This link is not valid”, and a page already open "
            "closes its view within a minute. This cannot be undone.",
            icon=":material/warning:",
        )
        yes_column, no_column = st.columns(2)
        if yes_column.button("Yes, revoke it", type="primary", key=f"revoke_yes_{link.id}"):
            sharing.revoke(store, profile.id, link.id, now=clock.now())
            st.session_state.pop(CONFIRM_KEY, None)
            st.session_state[DONE_KEY] = f"The link for {md_escape(link.recipient)} is revoked."
            st.rerun()
        if no_column.button("Cancel", key=f"revoke_no_{link.id}"):
            st.session_state.pop(CONFIRM_KEY, None)
            st.rerun()


st.subheader("Your links")
links = sharing.list_links(store, profile.id, now=clock.now())
active = [link for link in links if link.status == "active"]
past = [link for link in links if link.status != "active"]
if not active:
    st.caption("No active links." if past else "No links yet.")
for link in active:
    link_card(link)
if past:
    with st.expander(f"Expired and revoked links ({len(past)})"):
        for link in past:
            link_card(link)

# --------------------------------------------------------------------------- report

st.header("Report to print or e-mail", divider="gray")
st.markdown(
    "One HTML file with your dashboard charts, six-week status and weekly summaries. It "
    "opens in any browser, works without a network connection, and prints well."
)
report_text = dashboard.report_html(
    store, profile, profile.id, version, None, None, today, False, names
)
st.download_button(
    "Download the report (HTML)",
    data=report_text,
    file_name=report.report_file_name(profile, today),
    mime="text/html",
    key="report_download",
    on_click="ignore",
    type="primary",
    icon=":material/download:",
)

# --------------------------------------------------------------------------- export

st.header("Export your data", divider="gray")
st.markdown(
    "All your records as a zip file, one table per file: **CSV** for spreadsheets, "
    "**Parquet** for data tools. Import either into this or another copy of Back on Track. "
    "Share links are not exported."
)
csv_column, parquet_column = st.columns(2)
for column, file_format, label in (
    (csv_column, "csv", "CSV"),
    (parquet_column, "parquet", "Parquet"),
):
    with column:
        if st.button(f"Prepare {label} export", key=f"export_prepare_{file_format}"):
            report_progress, clear = progress_bar(f"Exporting to {label}")
            data = export.export_profile(
                store,
                profile.id,
                file_format=file_format,  # type: ignore[arg-type]
                now=clock.now(),
                progress=report_progress,
            )
            clear()
            st.session_state[f"{EXPORT_KEY}_{file_format}"] = (
                profile.id,
                export_file_name(file_format, clock.now()),
                data,
            )
        ready = st.session_state.get(f"{EXPORT_KEY}_{file_format}")
        if ready is not None and ready[0] == profile.id:
            st.download_button(
                f"Download {label} zip",
                data=ready[2],
                file_name=ready[1],
                mime="application/zip",
                key=f"export_download_{file_format}",
                on_click="ignore",
                icon=":material/download:",
            )
st.caption("The columns of every file are described in docs/export-format.md.")

# --------------------------------------------------------------------------- import

st.header("Import an export", divider="gray")
import_round = st.session_state.get(IMPORT_ROUND_KEY, 0)
uploaded = st.file_uploader(
    "Choose an export zip file",
    type=["zip"],
    key=f"import_file_{import_round}",
    help="A file made by Export above, here or in another copy of Back on Track.",
)
if uploaded is None:
    st.session_state.pop(IMPORT_PREVIEW_KEY, None)
    st.caption(
        "You see what the file holds before anything is added. Records already here are kept "
        "as they are, so importing the same file twice adds nothing."
    )
else:
    checked = st.session_state.get(IMPORT_PREVIEW_KEY)
    if checked is None or checked[0] != uploaded.file_id:
        report_progress, clear = progress_bar("Checking the file")
        try:
            result: merging.ImportPreview | str = merging.preview_import(
                store, uploaded.getvalue(), progress=report_progress
            )
        except ValidationError as error:
            result = str(error)
        clear()
        checked = (uploaded.file_id, result)
        st.session_state[IMPORT_PREVIEW_KEY] = checked
    preview = checked[1]
    if isinstance(preview, str):
        st.error(
            f"**This file cannot be imported; nothing was changed.**\n\n{preview}",
            icon=":material/error:",
        )
    else:
        owner = md_escape(preview.profile_name) if preview.profile_name else "an unnamed profile"
        where = "already in this database" if preview.profile_exists else "new to this database"
        st.markdown(
            f"This file holds the records of **{owner}** ({where}), exported "
            f"{format_instant(preview.exported_at, profile.time_zone)}."
        )
        st.dataframe(
            {
                "Table": [t.table for t in preview.tables],
                "In the file": [t.rows_in_file for t in preview.tables],
                "New": [t.rows_new for t in preview.tables],
                "Already here": [t.rows_present for t in preview.tables],
                "Different here": [t.rows_different for t in preview.tables],
            },
            hide_index=True,
            key="import_preview_table",
        )
        if preview.rows_new == 0:
            st.info(
                "Everything in this file is already here: importing it would add nothing.",
                icon=":material/check:",
            )
        else:
            st.caption(
                "Rows already here are kept as they are, even where the file's copy differs."
            )
            if st.button(
                f"Import {preview.rows_new} new rows",
                type="primary",
                key="import_confirm",
                icon=":material/upload:",
            ):
                report_progress, clear = progress_bar("Importing")
                try:
                    done = merging.import_export(
                        store, uploaded.getvalue(), progress=report_progress
                    )
                except (ValidationError, StoreError) as error:
                    clear()
                    st.error(
                        f"**The import failed; nothing was changed.**\n\n{error}",
                        icon=":material/error:",
                    )
                else:
                    clear()
                    message = f"Imported {done.rows_added} rows from the file."
                    if not preview.profile_exists:
                        message += (
                            f" The profile {owner} is new here: "
                            "pick it in the sidebar's profile list."
                        )
                    st.session_state[DONE_KEY] = message
                    st.session_state.pop(IMPORT_PREVIEW_KEY, None)
                    st.session_state[IMPORT_ROUND_KEY] = import_round + 1
                    st.rerun()

# --------------------------------------------------------------------------- calendar

st.header("Calendar reminders", divider="gray")
st.markdown(
    "A calendar file (.ics) with your planned sessions, for your phone's or computer's "
    "calendar to remind you. The events say only “Exercise session”."
)
programme = session_choice(store, profile, catalog).items
weekdays = st.pills(
    "Days",
    options=list(calendar_file.WEEKDAYS),
    format_func=DAY_NAMES.__getitem__,
    selection_mode="multi",
    default=list(calendar_file.suggested_days(profile.weekly_target)),
    key="ics_days",
)
time_column, minutes_column, weeks_column = st.columns(3)
session_time = time_column.time_input("Time", value=time(18, 0), step=900, key="ics_time")
minutes = whole_number(
    "Minutes",
    low=1,
    high=calendar_file.MAX_DURATION_MIN,
    value=calendar_file.suggested_minutes(
        estimate_duration_s(programme, catalog, lead_in_s=profile.lead_in_s) if programme else None
    ),
    key="ics_minutes",
    where=minutes_column,
)
weeks = whole_number(
    "For how many weeks",
    low=1,
    high=calendar_file.MAX_WEEKS,
    value=calendar_file.DEFAULT_WEEKS,
    key="ics_weeks",
    where=weeks_column,
)
try:
    calendar_text = calendar_file.weekly_sessions_ics(
        profile,
        weekdays=weekdays,
        time_of_day=session_time,
        duration_min=minutes,
        weeks=weeks,
        now=clock.now(),
    )
except ValidationError as error:
    st.warning(str(error), icon=":material/event_busy:")
else:
    note = calendar_file.schedule_note(profile, weekdays)
    if note:
        st.caption(note)
    st.caption(
        f"First session on or after {format_day(today)}, in your time zone "
        f"({profile.time_zone}), with a reminder 10 minutes before."
    )
    st.download_button(
        "Download the calendar file (.ics)",
        data=calendar_text,
        file_name=calendar_file.FILE_NAME,
        mime="text/calendar",
        key="ics_download",
        on_click="ignore",
        icon=":material/calendar_add_on:",
    )
