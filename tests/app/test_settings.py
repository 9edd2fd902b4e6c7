"""Settings: saving the profile's answers, and clearing the red flags."""

from __future__ import annotations

from pathlib import Path

from core.db.store import Store
from core.domain.models import Profile
from tests.app.conftest import errors, titles
from tests.conftest import make_profile


def stored_profile(path: Path, profile_id: str) -> Profile:
    with Store.open(path) as store:
        return store.get_profile(profile_id)


def open_settings(new_app):
    at = new_app()
    at.switch_page("views/settings.py").run()
    assert titles(at) == ["Settings"]
    return at


def test_weekly_target_and_name_are_saved(new_app, db_path: Path) -> None:
    profile = make_profile(db_path, name="Ann")
    assert profile.weekly_target == 5
    at = open_settings(new_app)
    assert at.number_input(key="settings_weekly_target").value == 5
    assert at.selectbox(key="settings_time_zone").value == "Europe/London"
    # Settings names the data file.
    assert any(str(db_path) in md.value for md in at.markdown)

    at.number_input(key="settings_weekly_target").set_value(3)
    at.text_input(key="settings_name").input("Annie")
    at.button(key="settings_save").click().run()

    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, errors(at)
    saved = stored_profile(db_path, profile.id)
    assert saved.weekly_target == 3
    assert saved.name == "Annie"
    assert saved.time_zone == "Europe/London"
    assert at.number_input(key="settings_weekly_target").value == 3
    at.switch_page("views/today.py").run()
    assert titles(at) == ["Hello, Annie"]


def test_red_flags_cleared_checkbox_updates_the_profile(new_app, db_path: Path) -> None:
    profile = make_profile(db_path, red_flags=["leg_weakness", "fever_unwell"])
    at = new_app()
    assert any("Please get medical help now" in error for error in errors(at))

    at.switch_page("views/settings.py").run()
    assert any("New or worsening weakness in a leg" in md.value for md in at.markdown), (
        "the reported warning signs are listed"
    )
    box = at.checkbox(key="settings_red_flags_cleared")
    assert box.value is False
    box.check().run()
    assert not at.exception, [e.value for e in at.exception]
    assert stored_profile(db_path, profile.id).red_flags_cleared is True
    assert at.checkbox(key="settings_red_flags_cleared").value is True

    # Today no longer sends the user to care: it offers the programme instead.
    at.switch_page("views/today.py").run()
    assert not at.error, errors(at)

    # Unticking puts the seek-care panel back.
    at.switch_page("views/settings.py").run()
    at.checkbox(key="settings_red_flags_cleared").uncheck().run()
    assert stored_profile(db_path, profile.id).red_flags_cleared is False
    at.switch_page("views/today.py").run()
    assert any("Please get medical help now" in error for error in errors(at))


def test_no_red_flags_no_checkbox(new_app, db_path: Path) -> None:
    make_profile(db_path)
    at = open_settings(new_app)
    assert "settings_red_flags_cleared" not in [box.key for box in at.checkbox]
