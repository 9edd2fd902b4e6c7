"""Share & export: links for a therapist, the report, export and import, the calendar file."""

from __future__ import annotations

import streamlit as st

from core.db.flags import session_choice
from core.db.versions import data_version
from core.domain.days import local_today
from core.domain.programme import estimate_duration_s
from core.domain.reminders import DEFAULT_SESSION_TIME
from core.domain.validation import ValidationError
from core.domain.wording import WEEKDAY_NAMES, format_day, format_instant
from core.files import calendar as calendar_file
from core.files import export, merging
from core.files.export_format import export_file_name, therapist_file_name
from core.progress import report
from core.sharing import links as sharing
from core.sharing.links import range_words
from ui import access, clock, dashboard, importing
from ui.inputs import cut_long_texts, just_cut, limited_text, whole_number
from ui.state import get_catalog, get_store, require_profile
from ui.text import md_escape

CONFIRM_KEY = "share_confirm_revoke"
SHARE_ERROR_KEY = "share_create_error"
SHARE_MADE_KEY = "share_created"
DONE_KEY = "share_export_done"
EXPORT_KEY = "export_ready"
SEND_KEY = "send_ready"
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
SHARE_FIELDS = ("share_recipient", "share_days", "share_from", "share_until")


def _create_link() -> None:
    """Create the link from the form; clear the form only once the link exists, so a refused
    one (a backwards date range, say) keeps everything that was entered."""
    cut_long_texts({"share_recipient": (sharing.RECIPIENT_MAX_CHARS, "Who it is for")})
    if just_cut("share_recipient"):
        return
    state = st.session_state
    try:
        base_url = access.public_base_url()
        created, token = sharing.create_link(
            store,
            profile.id,
            state.get("share_recipient", ""),
            days=state.get("share_days"),  # type: ignore[arg-type]
            range_start=state.get("share_from"),
            range_end=state.get("share_until"),
            now=clock.now(),
        )
    except ValidationError as error:
        state[SHARE_ERROR_KEY] = f"{error} What you entered is still in the form."
        return
    # Shown once on the next run, then dropped: the app keeps no copy of the token.
    state[SHARE_MADE_KEY] = (created.recipient, sharing.share_url(base_url, token), base_url)
    del token
    for key, empty in zip(SHARE_FIELDS, ("", sharing.DEFAULT_DAYS, None, None), strict=True):
        state[key] = empty


with st.form("share_create"):
    limited_text(
        "Who is it for?",
        placeholder="my physio",
        key="share_recipient",
        limit=sharing.RECIPIENT_MAX_CHARS,
        what="Who it is for",
    )
    whole_number(
        "Valid for how many days",
        low=1,
        high=sharing.MAX_DAYS,
        value=sharing.DEFAULT_DAYS,
        key="share_days",
        help=f"At most {sharing.MAX_DAYS} days. You can revoke the link sooner at any time.",
    )
    from_column, until_column = st.columns(2)
    from_column.date_input(
        "Share records from (optional)", value=None, key="share_from", format="YYYY-MM-DD"
    )
    until_column.date_input("Until (optional)", value=None, key="share_until", format="YYYY-MM-DD")
    st.caption(
        "Leave the dates empty to share everything, up to the day they look. A range that "
        "leaves out your first programme week also leaves out your baseline."
    )
    st.form_submit_button(
        "Create link",
        type="primary",
        icon=":material/add_link:",
        key="share_create_submit",
        on_click=_create_link,
    )

if (share_error := st.session_state.pop(SHARE_ERROR_KEY, None)) is not None:
    st.error(share_error, icon=":material/error:")
if (made := st.session_state.pop(SHARE_MADE_KEY, None)) is not None:
    made_for, url, base_url = made
    st.success(
        f"Link for **{md_escape(made_for)}** created. Copy it now: it is shown only "
        "this once, and the app keeps no copy.",
        icon=":material/link:",
    )
    st.code(url, language=None, wrap_lines=True)
    if access.is_local_only(base_url):
        st.caption(
            "This address opens only on this computer. For your therapist to open it, the "
            "app must be served where they can reach it, with `public_base_url` set in "
            "`.streamlit/secrets.toml` (see the README). Until then, send the report."
        )
    del made, url


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
            report_progress, clear = importing.progress_bar(f"Exporting to {label}")
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

st.subheader("Send to my therapist")
st.markdown(
    "If your therapist runs Back on Track for their patients, send them this file (by e-mail "
    "or on a USB stick): it is the CSV export above, named with your name and today's date. "
    "A newer file later updates what they have; nothing is sent from this app itself."
)
if st.button("Send to my therapist", key="send_prepare", icon=":material/outgoing_mail:"):
    send_progress, clear_send = importing.progress_bar("Making the file")
    sent = export.export_profile(store, profile.id, now=clock.now(), progress=send_progress)
    clear_send()
    st.session_state[SEND_KEY] = (profile.id, therapist_file_name(profile.name, today), sent)
sending = st.session_state.get(SEND_KEY)
if sending is not None and sending[0] == profile.id:
    st.download_button(
        f"Download {sending[1]}",
        data=sending[2],
        file_name=sending[1],
        mime="application/zip",
        key="send_download",
        on_click="ignore",
        icon=":material/download:",
    )
    st.caption("Attach the downloaded file to a message to your therapist.")

# --------------------------------------------------------------------------- import

st.header("Import an export", divider="gray")


def _imported(done: merging.ImportResult, preview: merging.ImportPreview) -> None:
    message = f"Imported {done.rows_added} rows from the file."
    if not preview.profile_exists:
        message += (
            f" The profile {importing.owner_words(preview)} is new here: "
            "pick it in the sidebar's profile list."
        )
    st.session_state[DONE_KEY] = message
    st.rerun()


importing.import_section(
    store,
    key="import",
    time_zone=profile.time_zone,
    button="Import {rows} new rows",
    done=_imported,
    help="A file made by Export above, here or in another copy of Back on Track.",
)

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
session_time = time_column.time_input(
    "Time", value=profile.reminder_time or DEFAULT_SESSION_TIME, step=900, key="ics_time"
)
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
