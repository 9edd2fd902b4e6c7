"""Today: a greeting, what to do first after severe pain or a warning sign, today's
programme, one click into a session, a pain check-in, and the next step."""

from __future__ import annotations

import streamlit as st

from core.db.answers import care_first, open_signs, severe_rating_today
from core.db.flags import session_choice
from core.db.store import StoreError
from core.domain import explain
from core.domain.days import local_today, monday
from core.domain.programme import estimate_duration_s
from core.domain.safety import PAIN_SEVERE
from core.domain.validation import NOTE_MAX_CHARS, ValidationError
from core.domain.wording import describe_item, format_minutes
from core.progress.adherence import done_for_today, sessions_on
from core.progress.six_week import six_week_status
from core.progress.weekly import weekly_review
from ui import clock, household
from ui.dashboard import next_step
from ui.inputs import cut_long_texts, just_cut, limited_text, pain_scale
from ui.safety import care_first_panel, report_signs_form, severe_pain_block
from ui.state import get_catalog, get_store, require_profile
from ui.text import md_escape

CHECKIN_ERROR_KEY = "checkin_error"

store = get_store()
catalog = get_catalog()
profile = require_profile(store)

# A name is shown as written: escaped, so "**Ann**" or "[x](y)" cannot format or link.
st.title(f"Hello, {md_escape(profile.name)}" if profile.name else "Today")

if (tier := care_first(store, profile)) is not None:
    care_first_panel(tier, open_signs(store, profile), profile.time_zone)
    st.stop()

today = local_today(profile, clock.now())
if st.session_state.pop("session_saved", False):
    st.success("Session saved. Well done.", icon=":material/check_circle:")
if (logged_pain := st.session_state.pop("checkin_logged", None)) is not None:
    st.success(f"Pain {logged_pain} logged.", icon=":material/check:")
severe = severe_rating_today(store, profile, today)
if severe is not None:
    severe_pain_block(severe.pain)

if store.active_session(profile.id) is not None:
    st.warning("You have an unfinished session.", icon=":material/pause_circle:")
    st.page_link("views/session.py", label="Resume or end it", icon=":material/play_arrow:")

week = weekly_review(store, profile, monday(today), today)
running = store.active_session(profile.id) is not None
done_line = (
    None
    if running
    else done_for_today(sessions_on(store, profile, today), week.sessions, week.target)
)
if done_line is not None:
    st.success(done_line, icon=":material/task_alt:")

programme = session_choice(store, profile, catalog).items
if programme:
    minutes = format_minutes(estimate_duration_s(programme, catalog, lead_in_s=profile.lead_in_s))
    st.subheader(f"Today's programme: {len(programme)} exercises, {minutes}")
    if severe is not None:
        st.caption(f"Leave the session until the pain has eased below {PAIN_SEVERE}.")
    if st.button(
        "Start another session" if done_line is not None else "Start today's session",
        type="secondary" if severe is not None or done_line is not None else "primary",
        key="today_start",
        icon=":material/play_arrow:",
    ):
        st.session_state["session_source"] = "programme"
        st.switch_page("views/session.py")
    with st.expander("What's in it"):
        for position, item in enumerate(programme, 1):
            exercise = catalog.get(item.exercise_id)
            st.markdown(f"{position}. **{exercise.name}** · {describe_item(exercise, item)}")
    st.page_link("views/exercises.py", label="Change my programme", icon=":material/edit:")
    if profile.recent_surgery:
        st.caption(explain.SURGERY)
else:
    st.info(
        "You have no programme yet. Choose a preset or pick exercises on the Exercises page.",
        icon=":material/playlist_add:",
    )
    st.page_link("views/exercises.py", label="Build my programme", icon=":material/add:")

status = six_week_status(store, profile, today)
left, right = st.columns(2)
left.metric("Sessions this week", f"{week.sessions} of {week.target}")
right.metric("Weeks in a row on target", week.streak)
st.caption(f"{status.line.rstrip('.')}. {explain.THRESHOLD_SOURCES}")
st.page_link("views/progress.py", label="See my progress", icon=":material/monitoring:")

st.subheader("How is your back?")
st.caption("Log your pain any time, as often as you like. 0 is none, 10 the worst imaginable.")


def _log_checkin() -> None:
    """Save the check-in before the page reruns; clear the form only once it is saved.

    A callback may set the form's widgets through Session State, and only a value set that
    way reaches the browser: popping the keys left the logged rating and note on screen,
    and the next "Log pain" sent them again as a second check-in.
    """
    pain = st.session_state.get("checkin_pain")
    if pain is None:
        st.session_state[CHECKIN_ERROR_KEY] = "Choose a number from 0 to 10 first."
        return
    cut_long_texts({"checkin_note": (NOTE_MAX_CHARS, "A note")})
    if just_cut("checkin_note") or not household.may_record(store, profile, "checkin"):
        return  # the field says why, or the question whose record it is comes up
    try:
        store.add_pain_rating(
            profile.id,
            pain,
            kind="checkin",
            note=st.session_state.get("checkin_note", ""),
            is_flare=bool(st.session_state.get("checkin_flare", False)),
            recorded_at=clock.now(),
        )
    except (ValidationError, StoreError) as error:
        st.session_state[CHECKIN_ERROR_KEY] = f"{error} What you entered is still in the form."
        return
    st.session_state["checkin_pain"] = None
    st.session_state["checkin_note"] = ""
    st.session_state["checkin_flare"] = False
    st.session_state["checkin_logged"] = pain


with st.form("checkin_form"):
    pain_scale("Pain right now (0 to 10)", key="checkin_pain")
    limited_text(
        "Note (optional)",
        key="checkin_note",
        limit=NOTE_MAX_CHARS,
        what="A note",
        area=True,
        height=80,
    )
    st.checkbox("This is a flare-up", key="checkin_flare")
    st.form_submit_button("Log pain", key="checkin_submit", on_click=_log_checkin)

household.confirm_box(store, profile, "checkin", on_yes=_log_checkin)

if (checkin_error := st.session_state.pop(CHECKIN_ERROR_KEY, None)) is not None:
    st.error(checkin_error)

with st.expander("Report a warning sign", icon=":material/emergency:"):
    report_signs_form(store, profile, key="today_signs")

if severe is not None:
    st.markdown(f"**Next step:** {explain.AFTER_SEVERE_PAIN}")
else:
    next_step(status)
