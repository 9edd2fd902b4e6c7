"""First use: the setup form, its validation, and the red-flag path."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from core.db.answers import reported_signs
from core.db.store import Store
from core.domain import explain
from core.domain.safety import TIER_ACTION, WARNING_SIGNS
from core.progress.charts.pain import REFERENCE_LABELS
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
    # The optional questions were skipped: unanswered, not "no".
    assert (profile.pain_onset, profile.pregnant, profile.osteoporosis) == (None, None, None)


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


def reported(db_path: Path) -> list[tuple[str, str, bool]]:
    """The only profile's warning signs: (id, tier, cleared)."""
    with Store.open(db_path) as store:
        (profile,) = store.list_profiles()
        return [(s.sign.id, s.tier, s.cleared) for s in reported_signs(store, profile)]


CARE_NOW = f"**{TIER_ACTION['emergency']}.** {explain.CARE_FIRST}"


def test_setup_offers_every_warning_sign_under_its_action(new_app) -> None:
    at = new_app()
    assert [box.key for box in at.checkbox] == [f"setup_flag_{sign.id}" for sign in WARNING_SIGNS]
    headings = [md.value for md in at.markdown]
    assert f"_{TIER_ACTION['emergency']} if you have:_" in headings
    assert f"_{TIER_ACTION['urgent']} if you have:_" in headings


def test_a_warning_sign_at_setup_is_saved_and_today_sends_to_care(new_app, db_path: Path) -> None:
    at = fill_setup(new_app())
    at.checkbox(key="setup_flag_leg_weakness").check()
    at.button(key="setup_submit").click().run()

    assert not at.exception, [e.value for e in at.exception]
    assert reported(db_path) == [("leg_weakness", "emergency", False)]

    # Setup sends the person to Today, which leads with the action and nothing else.
    assert titles(at) == ["Hello, Ann"]
    at.switch_page("views/today.py").run()
    assert not at.exception
    assert titles(at) == ["Hello, Ann"]
    assert errors(at) == [CARE_NOW]
    assert "- Weakness in a leg that is severe or getting worse (reported " in " ".join(
        md.value for md in at.markdown
    )
    assert page_links(at) == ["settings"]
    assert not any("session" in link or "exercises" in link for link in page_links(at))
    assert not at.button


def test_an_urgent_sign_alone_asks_for_a_doctor_today(new_app, db_path: Path) -> None:
    at = fill_setup(new_app())
    at.checkbox(key="setup_flag_night_pain").check()
    at.button(key="setup_submit").click().run()
    assert reported(db_path) == [("night_pain", "urgent", False)]
    at.switch_page("views/today.py").run()
    assert errors(at) == [f"**{TIER_ACTION['urgent']}.** {explain.CARE_FIRST}"]


def test_red_flag_session_page_offers_no_exercise(new_app, db_path: Path) -> None:
    make_profile(db_path, red_flags=["leg_weakness"], programme=short_preset_items())
    at = new_app()
    at.switch_page("views/session.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert titles(at) == ["Session"]
    assert errors(at) == [CARE_NOW]
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


def test_the_new_questions_are_optional_and_saved_when_answered(new_app, db_path: Path) -> None:
    at = fill_setup(new_app())
    at.radio(key="setup_onset_kind").set_value("over_3_months")
    at.radio(key="setup_pregnant").set_value(False)
    at.radio(key="setup_osteoporosis").set_value(True)
    at.button(key="setup_submit").click().run()
    assert not at.exception and not at.error, errors(at)
    with Store.open(db_path) as store:
        (profile,) = store.list_profiles()
    assert (profile.pain_onset, profile.pain_onset_date) == ("over_3_months", None)
    assert (profile.pregnant, profile.osteoporosis) == (False, True)


def test_a_date_with_another_onset_answer_is_refused_in_words(new_app, db_path: Path) -> None:
    at = fill_setup(new_app())
    at.radio(key="setup_onset_kind").set_value("unknown")
    at.date_input(key="setup_onset_date").set_value(date.today() - timedelta(weeks=3))
    at.button(key="setup_submit").click().run()
    assert errors(at) == [
        "You gave a date and another answer to when your pain began: choose one. Your answers "
        "are still in the form."
    ]
    with Store.open(db_path) as store:
        assert store.list_profiles() == []


def test_setup_with_an_onset_20_weeks_ago_draws_the_persistent_curve(
    new_app, db_path: Path
) -> None:
    at = fill_setup(new_app(), time_zone="UTC")
    onset = at.date_input(key="setup_programme_start").value - timedelta(weeks=20)
    at.date_input(key="setup_onset_date").set_value(onset)  # a date alone answers "on a date"
    at.radio(key="setup_pain").set_value(6)
    at.button(key="setup_submit").click().run()
    assert not at.exception and not at.error, errors(at)

    at.switch_page("views/progress.py").run()
    assert not at.exception, [e.value for e in at.exception]
    (curve,) = [
        trace
        for chart in at.get("plotly_chart")
        for trace in json.loads(chart.proto.spec)["data"]
        if trace.get("name") == REFERENCE_LABELS["persistent"]
    ]
    # 20 weeks since the onset at the programme start, which is persistent course week 8,
    # scaled to the setup rating 6: the curve passes through 6 there.
    assert curve["customdata"][0] == 20.0
    assert curve["y"][0] == 6.0
    captions = " ".join(c.value for c in at.caption)
    assert "persistent cohorts; Menezes Costa et al. 2012" in captions
    assert "a population average, not a forecast" in captions
