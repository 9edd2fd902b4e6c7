"""The Session page in AppTest, on a fake clock: whole sessions land in DuckDB as they happen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.db.store import Store
from core.domain import explain
from core.domain.models import ProgrammeItem
from tests.app.conftest import FakeClock, assert_both_tiers_listed, errors, titles
from tests.conftest import make_profile
from tests.factories import sessions_of

PROGRAMME = [ProgrammeItem("knee-to-chest", 1, 20), ProgrammeItem("supine-core", 2, 0)]


@pytest.fixture
def profile_id(db_path: Path) -> str:
    profile = make_profile(db_path, programme=PROGRAMME)
    with Store.open(db_path) as store:
        store.update_profile(profile.id, lead_in_s=0)
    return profile.id


def session_page(new_app: Callable[[], AppTest]) -> AppTest:
    at = new_app()
    at.switch_page("views/session.py").run()
    assert not at.exception, at.exception
    return at


def start(at: AppTest, pain: int = 5) -> AppTest:
    at.radio(key="pain_before").set_value(pain).run()
    at.button(key="start_session").click().run()
    assert not at.exception, at.exception
    return at


def button_keys(at: AppTest) -> list[str | None]:
    return [button.key for button in at.button]


def rows(db_path: Path, profile_id: str) -> tuple[list, list, list]:
    with Store.open(db_path) as store:
        sessions = sessions_of(store, profile_id)
        sets = [
            (r.step_index, r.exercise_id, r.side, r.status, r.duration_s)
            for s in sessions
            for r in store.set_records(profile_id, s.id)
        ]
        frame = store.pain_ratings(profile_id)[["pain", "kind", "exercise_id"]].astype(object)
        pain = frame.where(frame.notna(), None).to_dict("records")
    return sessions, sets, pain


def test_a_short_programme_completes_and_lands_with_statuses_and_durations(
    new_app, db_path: Path, profile_id: str, fake_clock: FakeClock
) -> None:
    at = session_page(new_app)
    assert at.button(key="start_session").disabled, "no pain chosen: cannot start"
    start(at, pain=5)
    assert [h.value for h in at.header] == ["Knee to chest"]

    # Right hold (20 s), switch sides (5 s), left hold (20 s): the clock, not ticks, decides.
    fake_clock.advance(45)
    at.run()
    assert [h.value for h in at.header] == ["Supine core"]
    fake_clock.advance(3)
    at.button(key="tap_done").click().run()
    fake_clock.advance(4)
    at.button(key="tap_done").click().run()
    assert [h.value for h in at.header] == ["Session done"]

    at.radio(key="pain_after").set_value(3).run()
    at.text_area(key="session_notes").input("<b>felt</b> good'); --").run()
    at.button(key="finish_session").click().run()
    assert not at.exception, at.exception

    sessions, sets, pain = rows(db_path, profile_id)
    assert [(s.status, s.notes, s.prescribed_sets) for s in sessions] == [
        ("completed", "<b>felt</b> good'); --", 4)
    ]
    assert sessions[0].ended_at == fake_clock.now
    assert sets == [
        (0, "knee-to-chest", "right", "done", 20.0),
        (1, "knee-to-chest", "left", "done", 20.0),
        (2, "supine-core", "none", "done", 3.0),
        (3, "supine-core", "none", "done", 4.0),
    ]
    assert pain == [
        {"pain": 5, "kind": "before", "exercise_id": None},
        {"pain": 3, "kind": "after", "exercise_id": None},
    ]


def test_this_hurts_records_the_stop_and_the_exercise_pain(
    new_app, db_path: Path, profile_id: str, fake_clock: FakeClock
) -> None:
    at = start(session_page(new_app))
    fake_clock.advance(7.5)
    at.button(key="hurts").click().run()
    assert at.button(key="pain_continue")
    at.button(key="pain_continue").click().run()
    assert "Choose how much it hurts" in " ".join(w.value for w in at.warning)

    at.radio(key="exercise_pain").set_value(6).run()
    at.button(key="pain_continue").click().run()
    assert [h.value for h in at.header] == ["Supine core"]
    fake_clock.advance(60)
    at.button(key="end").click().run()
    at.button(key="end_confirm").click().run()
    # The summary names the exercise stopped for pain with the pain rated then, in a plain
    # HTML table (no data-table toolbar).
    assert not at.dataframe
    summary = next(h.proto.body for h in at.get("html") if "<table" in h.proto.body)
    assert "stopped: it hurt (pain 6 of 10)" in summary
    at.radio(key="pain_after").set_value(4).run()
    at.button(key="finish_session").click().run()

    sessions, sets, pain = rows(db_path, profile_id)
    assert sessions[0].status == "stopped_for_pain"
    assert sets == [
        (0, "knee-to-chest", "right", "stopped_for_pain", 7.5),
        (1, "knee-to-chest", "left", "skipped", 0.0),
    ]
    assert pain == [
        {"pain": 5, "kind": "before", "exercise_id": None},
        {"pain": 6, "kind": "exercise", "exercise_id": "knee-to-chest"},
        {"pain": 4, "kind": "after", "exercise_id": None},
    ]


def test_pain_of_eight_or_more_shows_the_red_flags_and_asks_to_continue(
    new_app, profile_id: str
) -> None:
    at = session_page(new_app)
    at.radio(key="pain_before").set_value(8).run()
    assert errors(at) == [f"**You rated your pain 8.** {explain.SEVERE_PAIN}"]
    assert_both_tiers_listed(at)
    assert at.button(key="start_session").disabled
    at.checkbox(key="continue_severe").check().run()
    assert not at.button(key="start_session").disabled


def test_a_restart_offers_to_resume_where_it_stopped(
    new_app, db_path: Path, profile_id: str, fake_clock: FakeClock
) -> None:
    at = start(session_page(new_app))
    fake_clock.advance(21)
    at.run()  # the right hold is done and saved

    # A new browser session (a refresh, or the server restarted) sees the unfinished session.
    again = session_page(new_app)
    assert "1 of 4 holds and repetitions done" in " ".join(w.value for w in again.warning)
    again.button(key="resume_session").click().run()
    shown = [m.value for m in again.markdown if "Exercise" in m.value]
    assert shown[0] == "**Exercise 1 of 2 · rep 1 of 1 · left side**"
    # One step: the click resumes; the get-ready runs at once, not a paused screen.
    assert "pause" in button_keys(again) and "resume" not in button_keys(again)
    fake_clock.advance(30)
    again.run()
    assert [h.value for h in again.header] == ["Supine core"]
    _, sets, _ = rows(db_path, profile_id)
    assert [(s[0], s[3], s[4]) for s in sets] == [(0, "done", 20.0), (1, "done", 20.0)]


def test_end_session_asks_first_and_keep_going_carries_on(
    new_app, db_path: Path, profile_id: str, fake_clock: FakeClock
) -> None:
    at = start(session_page(new_app))
    fake_clock.advance(5)
    at.button(key="end").click().run()
    assert "End the session now?" in " ".join(w.value for w in at.warning)
    at.button(key="end_cancel").click().run()
    assert "end_confirm" not in button_keys(at)
    assert [h.value for h in at.header] == ["Knee to chest"]
    _, sets, _ = rows(db_path, profile_id)
    assert sets == [], "nothing ended: the first hold is still running"
    at.button(key="end").click().run()
    at.button(key="end_confirm").click().run()
    assert [h.value for h in at.header] == ["Session ended"]


def test_this_hurts_on_the_last_exercise_offers_only_to_end(
    new_app, db_path: Path, profile_id: str, fake_clock: FakeClock
) -> None:
    at = start(session_page(new_app))
    fake_clock.advance(45)
    at.run()
    assert [h.value for h in at.header] == ["Supine core"]
    at.button(key="hurts").click().run()
    assert "pain_end" in button_keys(at) and "pain_continue" not in button_keys(at)
    at.radio(key="exercise_pain").set_value(3).run()
    at.button(key="pain_end").click().run()
    assert [h.value for h in at.header] == ["Session ended"]


def test_back_within_a_block_goes_back_one_rep_and_the_bar_follows(
    new_app, db_path: Path, fake_clock: FakeClock
) -> None:
    # Bridge, 3 holds of 5 s with its 3 s rest between, no get-ready.
    profile = make_profile(db_path, programme=[ProgrammeItem("bridge", 3, 5)])
    with Store.open(db_path) as store:
        store.update_profile(profile.id, lead_in_s=0)
    at = start(session_page(new_app))
    # Hold 1 0-5, rest 5-8, hold 2 8-13: at 9 s two thirds are ahead, one behind.
    fake_clock.advance(9)
    at.run()
    labels = [m.value for m in at.markdown if "Exercise" in m.value]
    assert labels[0] == "**Exercise 1 of 1 · rep 2 of 3**"
    assert at.get("progress")[0].proto.value == 33  # 1 of 3 holds behind: 33 %
    at.button(key="back").click().run()
    # One rep back: hold 1's get-ready (no get-ready time: its hold at once), 0 of 3 behind.
    labels = [m.value for m in at.markdown if "Exercise" in m.value]
    assert labels[0] == "**Exercise 1 of 1 · rep 1 of 3**"
    assert at.get("progress")[0].proto.value == 0


def test_an_unfinished_session_can_be_ended_as_partial(
    new_app, db_path: Path, profile_id: str, fake_clock: FakeClock
) -> None:
    start(session_page(new_app))
    fake_clock.advance(21)
    again = session_page(new_app)
    again.button(key="end_unfinished").click().run()
    assert again.button(key="start_session"), "a new session can start"
    sessions, sets, _ = rows(db_path, profile_id)
    assert [s.status for s in sessions] == ["partial"]
    assert sets == []  # the tab that ran the hold never reran, so nothing was recorded


def test_a_session_whose_exercise_left_the_catalogue_is_explained_not_crashed(
    new_app, db_path: Path, profile_id: str
) -> None:
    with Store.open(db_path) as store:
        store.start_session(
            profile_id,
            [{"exercise_id": "handstand", "reps": 1, "hold_s": 5}],
            prescribed={("handstand", "none"): 1},
        )
    at = session_page(new_app)
    assert any("cannot be resumed" in e for e in errors(at))
    at.button(key="end_unfinished").click().run()
    assert not at.exception
    assert at.button(key="start_session")


def test_pain_of_8_after_a_session_shows_the_lists_then_today_leads_with_them(
    new_app, db_path: Path, profile_id: str, fake_clock: FakeClock
) -> None:
    at = start(session_page(new_app))
    fake_clock.advance(60)
    at.button(key="end").click().run()
    at.button(key="end_confirm").click().run()
    assert [h.value for h in at.header] == ["Session ended"]
    at.radio(key="pain_after").set_value(8).run()
    assert errors(at) == [f"**You rated your pain 8.** {explain.SEVERE_PAIN}"]
    assert_both_tiers_listed(at)

    at.button(key="finish_session").click().run()
    assert not at.exception, at.exception
    # Saved, and Today now leads with what to do: the severe block before the programme.
    assert titles(at) == ["Hello, Ann"]
    assert errors(at) == [f"**You rated your pain 8.** {explain.SEVERE_PAIN}"]
    assert_both_tiers_listed(at)
    assert at.button(key="today_start").proto.type == "secondary"


def test_pain_of_8_or_more_during_this_hurts_shows_the_lists_and_the_leg_advice(
    new_app, profile_id: str, fake_clock: FakeClock
) -> None:
    at = start(session_page(new_app))
    fake_clock.advance(5)
    at.button(key="hurts").click().run()
    assert explain.LEG_PAIN in [c.value for c in at.caption]
    at.radio(key="exercise_pain").set_value(7).run()
    assert not any("You rated your pain" in e for e in errors(at))
    at.radio(key="exercise_pain").set_value(9).run()
    assert f"**You rated your pain 9.** {explain.SEVERE_PAIN}" in errors(at)
    assert_both_tiers_listed(at)
