"""First use: the setup form, its validation, and the red-flag path."""

from __future__ import annotations

from pathlib import Path

from core.db.store import Store
from tests.app.conftest import errors, page_links, titles
from tests.conftest import make_profile, short_preset_items


def fill_setup(at, *, name: str = "Ann", surgery: str | None = "No", time_zone: str | None = None):
    at.text_input(key="setup_name").input(name)
    if time_zone is not None:
        at.selectbox(key="setup_time_zone").set_value(time_zone)
    if surgery is not None:
        at.radio(key="setup_surgery").set_value(surgery)
    return at


def test_first_use_saves_the_profile_and_opens_exercises(new_app, db_path: Path) -> None:
    at = new_app()
    assert titles(at) == ["Welcome to Back on Track"]
    # AppTest has no browser time zone, so the form defaults to UTC.
    assert at.selectbox(key="setup_time_zone").value == "UTC"
    assert at.number_input(key="setup_weekly_target").value == 5

    fill_setup(at, name="Ann", time_zone="Europe/London")
    at.button(key="setup_submit").click().run()

    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, errors(at)
    # go_to_after_rerun: the app reran (so the navigation lists Exercises) and switched.
    assert titles(at) == ["Exercises"]

    with Store.open(db_path) as store:
        profiles = store.list_profiles()
    assert len(profiles) == 1
    profile = profiles[0]
    assert profile.name == "Ann"
    assert profile.time_zone == "Europe/London"
    assert profile.weekly_target == 5
    assert profile.recent_surgery is False
    assert profile.red_flags == ()
    assert profile.setup_pain is None


def test_setup_pain_is_saved_as_a_rating(new_app, db_path: Path) -> None:
    at = fill_setup(new_app(), surgery="Yes")
    at.radio(key="setup_pain").set_value(4)
    at.button(key="setup_submit").click().run()
    assert not at.exception
    with Store.open(db_path) as store:
        (profile,) = store.list_profiles()
        ratings = store.pain_ratings(profile.id)
    assert profile.recent_surgery is True
    assert profile.setup_pain == 4
    assert list(ratings["pain"]) == [4]
    assert list(ratings["kind"]) == ["setup"]


def test_setup_without_the_surgery_answer_shows_an_error_and_saves_nothing(
    new_app, db_path: Path
) -> None:
    at = fill_setup(new_app(), surgery=None)
    at.button(key="setup_submit").click().run()

    assert not at.exception
    assert errors(at) == ["Please answer whether you had lower-back surgery recently."]
    assert titles(at) == ["Welcome to Back on Track"]
    with Store.open(db_path) as store:
        assert store.list_profiles() == []


def test_red_flag_saves_the_flag_and_today_sends_to_care(new_app, db_path: Path) -> None:
    at = fill_setup(new_app())
    at.checkbox(key="setup_flag_leg_weakness").check()
    at.button(key="setup_submit").click().run()

    assert not at.exception, [e.value for e in at.exception]
    with Store.open(db_path) as store:
        (profile,) = store.list_profiles()
    assert profile.red_flags == ("leg_weakness",)
    assert profile.red_flags_cleared is False

    # Setup sends a red-flag user to Today, which shows the seek-care panel and nothing else.
    assert titles(at) == ["Hello, Ann"]
    at.switch_page("views/today.py").run()
    assert not at.exception
    assert titles(at) == ["Hello, Ann"]
    assert len(at.error) == 1
    assert "Please get medical help now" in at.error[0].value
    assert page_links(at) == ["settings"]
    assert not any("session" in link or "exercises" in link for link in page_links(at))
    assert not at.button


def test_red_flag_session_page_offers_no_exercise(new_app, db_path: Path) -> None:
    make_profile(db_path, red_flags=["leg_weakness"], programme=short_preset_items())
    at = new_app()
    at.switch_page("views/session.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert titles(at) == ["Session"]
    assert len(at.error) == 1
    assert "Please get medical help now" in at.error[0].value
    # Nothing to start, rate or pick: only the way to Settings.
    assert not at.button
    assert not at.number_input
    assert not at.radio
    assert not at.multiselect
    assert page_links(at) == ["settings"]

    # The Exercises page still lets them plan, but Today offers no way into a session.
    at.switch_page("views/today.py").run()
    assert not at.button
    assert page_links(at) == ["settings"]
