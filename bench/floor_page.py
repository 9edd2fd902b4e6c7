"""The floor page: Progress or Weekly review drawn from results computed beforehand.

It draws what ``views/progress.py`` and ``views/weekly_review.py`` draw, with the same
Streamlit calls (the pages' own drawing functions in ``ui/dashboard.py`` where they have
them), from :data:`bench.pages.PAYLOAD` and nothing else: no database, no metrics, no
figure building, no cache. Its run time is what Streamlit and Plotly alone cost to draw
the page.
"""

from __future__ import annotations

import os
import pickle
from typing import Any

import streamlit as st

from bench.pages import PAYLOAD, PAYLOAD_FILE_ENV
from core.db.checkins import PsfsActivity, WeeklyCheckin
from core.domain import explain
from core.domain.measures import (
    PGIC_OPTIONS,
    PGIC_QUESTION,
    PSFS_MAX_ACTIVITIES,
    PSFS_MAX_SCORE,
    PSFS_MIN_SCORE,
    PSFS_QUESTION,
)
from core.progress.ranges import RANGE_PRESETS
from core.progress.weekly import WeeklyReview
from ui import dashboard


def draw_progress(payload: dict[str, Any]) -> None:
    st.title("Progress")
    presets = {**RANGE_PRESETS, "custom": "Choose dates"}
    left, _right = st.columns([1, 1])
    with left:
        st.selectbox(
            "Show", options=list(presets), format_func=presets.__getitem__, key="progress_range"
        )
    view, profile = payload["view"], payload["profile"]
    dashboard.range_caption(view.start, view.end, profile)
    titles = list(dashboard.SECTION_TITLES.values())
    tabs = st.tabs(titles, key="progress_section", on_change="rerun")
    with tabs[0]:
        dashboard.section_body(view, profile, "summary", key_prefix="progress")
    st.caption("Fill in the weekly check-in on the Weekly review page.")


def draw_weekly_review(payload: dict[str, Any]) -> None:
    review: WeeklyReview = payload["review"]
    st.title("Weekly review")
    week = st.selectbox(
        "Week",
        options=payload["weeks"],
        format_func=payload["labels"].__getitem__,
        key="review_week",
    )
    st.caption(f"Weeks start on Monday in your time zone ({payload['profile'].time_zone}).")
    week_key = f"{week:%Y%m%d}"
    dashboard.six_week_status(review.six_week)
    st.caption(f"{explain.SIX_WEEK_WINDOW} {explain.MEANINGFUL}")
    if payload["has_data"]:
        dashboard.week_summary(review, payload["names"])
    st.subheader("Weekly check-in")
    activities: list[PsfsActivity] = payload["activities"]
    saved: WeeklyCheckin | None = payload["saved"]
    with st.form(f"checkin_form_{week_key}"):
        st.radio(
            PGIC_QUESTION,
            options=list(PGIC_OPTIONS),
            format_func=PGIC_OPTIONS.__getitem__,
            index=None if saved is None or saved.pgic is None else saved.pgic - 1,
            key=f"checkin_pgic_{week_key}",
        )
        if activities:
            st.markdown(PSFS_QUESTION)
            previous = saved.score_map if saved else {}
            for activity in activities:
                st.pills(
                    activity.name,
                    options=list(range(PSFS_MIN_SCORE, PSFS_MAX_SCORE + 1)),
                    default=previous.get(activity.id),
                    key=f"checkin_psfs_{activity.position}_{week_key}",
                )
        st.text_area(
            "Anything to remember about this week? (optional)",
            value=saved.note if saved else "",
            max_chars=1000,
            key=f"checkin_note_{week_key}",
        )
        st.form_submit_button("Save check-in", type="primary", key=f"checkin_save_{week_key}")
    st.caption(f"{explain.PGIC} {explain.PSFS}")
    if activities:
        with st.expander("Change my activities"), st.form("psfs_activities_edit"):
            st.markdown(
                "Name 3 to 5 everyday activities your back makes hard, for example putting on "
                "socks or sitting for an hour. You will rate each one every week."
            )
            for position in range(1, PSFS_MAX_ACTIVITIES + 1):
                st.text_input(
                    f"Activity {position}",
                    value=activities[position - 1].name if position <= len(activities) else "",
                    max_chars=60,
                    key=f"psfs_activities_edit_{position}",
                )
            st.form_submit_button("Save my activities", key="psfs_activities_edit_save")


if not PAYLOAD and os.environ.get(PAYLOAD_FILE_ENV):
    # Served by `streamlit run` (the browser measurements): the payload comes pickled.
    with open(os.environ[PAYLOAD_FILE_ENV], "rb") as payload_file:
        PAYLOAD.update(pickle.load(payload_file))

if PAYLOAD.get("page") == "progress":
    draw_progress(PAYLOAD)
elif PAYLOAD.get("page") == "weekly_review":
    draw_weekly_review(PAYLOAD)
else:
    st.error("No payload: the benchmark sets bench.pages.PAYLOAD before running this page.")
