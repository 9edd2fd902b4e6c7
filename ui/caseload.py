"""The caseload's rows at the page boundary: computed once per write and quarter hour, and the
read-only view of one person opened from it (the therapist view's drawing, reused)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import streamlit as st

from core.db.store import Store
from core.domain.days import local_today
from core.domain.models import Profile
from core.domain.wording import format_day
from core.progress import caseload, caseload_data
from core.progress.dashboard import shared_range
from core.progress.weekly import week_label
from ui import dashboard
from ui.text import md_escape

#: Every time zone's offset is a whole number of quarter hours: rows made at a quarter hour
#: hold every person's local day until the next one.
_QUARTER_S = 15 * 60


def quarter_hour(now: datetime) -> datetime:
    """``now`` rounded down to its quarter hour (the cache key of the rows)."""
    return datetime.fromtimestamp(now.timestamp() // _QUARTER_S * _QUARTER_S, tz=now.tzinfo)


@st.cache_data(show_spinner="Reading every person's records...", max_entries=8)
def entries(
    _store: Store,
    _profiles: tuple[Profile, ...],
    version: int,
    at: datetime,
    hidden: frozenset[str],
    _names: Mapping[str, str],
) -> list[caseload.CaseloadEntry]:
    """Everyone on the caseload with their reasons, cached on (file version, quarter hour,
    the profiles whose PIN was not entered)."""
    rows = caseload_data.caseload_rows(_store, _profiles, at, hidden)
    return caseload.attention_order(rows, _names)


def read_only_person(
    store: Store, profile: Profile, version: int, now: datetime, names: Mapping[str, str]
) -> None:
    """One person's Progress and Weekly review, read-only, from their first record to today."""
    today = local_today(profile, now)
    days = shared_range(store, profile, None, None, today)
    if days is None:
        st.info("This person's programme has not started yet.", icon=":material/event:")
        return
    start, end = days
    # Cached like a share link's view, under a key of its own for the caseload.
    view_key = f"caseload:{profile.id}"
    shared = dashboard.shared_dashboard(store, view_key, profile.id, version, start, end, names)
    who = md_escape(profile.name) if profile.name.strip() else "this person"
    st.caption(
        f"A read-only copy of what {who} sees, from {format_day(start)} to {format_day(end)} "
        f"in {who}'s time zone ({profile.time_zone}); the texts speak to {who}."
    )
    if not shared.has_data:
        st.info("No sessions or pain ratings yet.", icon=":material/monitoring:")
        return
    progress_tab, weeks_tab = st.tabs(["Progress", "Weekly review"])
    with progress_tab:
        dashboard.progress_body(
            shared.dashboard, shared.profile, key_prefix="caseload", exercise_figures_shown=True
        )
    with weeks_tab:
        st.dataframe(shared.weekly, hide_index=True, key="caseload_weekly_table")
        for index, review in enumerate(shared.reviews[:12]):
            with st.expander(week_label(review.week_start, end), expanded=index == 0):
                dashboard.week_summary(review, names)
        if len(shared.reviews) > 12:
            st.caption("The table above has every week; the newest 12 are summed up here.")
