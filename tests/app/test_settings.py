"""Settings: saving the profile's answers, and reporting and clearing warning signs."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from core.db.answers import open_signs
from core.db.store import Store
from core.domain import explain, reminders
from core.domain.models import Profile
from core.domain.safety import TIER_ACTION
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


def open_signs_of(path: Path, profile_id: str) -> list[str]:
    with Store.open(path) as store:
        return [item.sign.id for item in open_signs(store, store.get_profile(profile_id))]


def test_each_sign_is_cleared_by_confirming_a_clinician_checked_it(new_app, db_path: Path) -> None:
    profile = make_profile(db_path, red_flags=["leg_weakness", "fever_unwell"])
    at = new_app()
    assert errors(at)[0].startswith(f"**{TIER_ACTION['emergency']}.**")

    at.switch_page("views/settings.py").run()
    listed = " ".join(md.value for md in at.markdown)
    assert "**Weakness in a leg that is severe or getting worse**" in listed
    assert "**A fever, or feeling generally unwell**" in listed
    clear = at.button(key="clear_sign_leg_weakness")
    assert clear.label == "A clinician has checked me for this"
    clear.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert open_signs_of(db_path, profile.id) == ["fever_unwell"]
    assert "Cleared on " in " ".join(c.value for c in at.caption)
    assert "you confirmed a clinician has checked you for this" in " ".join(
        c.value for c in at.caption
    )

    # Today still sends the person to care, now for the urgent sign: a doctor today.
    at.switch_page("views/today.py").run()
    assert errors(at) == [f"**{TIER_ACTION['urgent']}.** {explain.CARE_FIRST}"]

    at.switch_page("views/settings.py").run()
    at.button(key="clear_sign_fever_unwell").click().run()
    assert open_signs_of(db_path, profile.id) == []
    at.switch_page("views/today.py").run()
    assert not at.error, errors(at)


def test_a_sign_reported_from_settings_puts_care_first(new_app, db_path: Path) -> None:
    profile = make_profile(db_path)
    at = open_settings(new_app)
    at.checkbox(key="settings_signs_both_legs").check()
    at.button(key="settings_signs_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert open_signs_of(db_path, profile.id) == ["both_legs"]
    # Saved once: the box is cleared, so pressing again cannot report it twice.
    assert at.checkbox(key="settings_signs_both_legs").value is False
    at.switch_page("views/today.py").run()
    assert errors(at) == [f"**{TIER_ACTION['emergency']}.** {explain.CARE_FIRST}"]


def test_onset_pregnancy_and_osteoporosis_are_answered_in_settings(new_app, db_path: Path) -> None:
    profile = make_profile(db_path)
    at = open_settings(new_app)
    assert at.radio(key="settings_onset_kind").value is None
    at.radio(key="settings_onset_kind").set_value("date")
    at.date_input(key="settings_onset_date").set_value(date(2026, 1, 5))
    at.radio(key="settings_pregnant").set_value(True)
    at.radio(key="settings_osteoporosis").set_value(None)  # "Prefer not to say"
    at.button(key="settings_save").click().run()
    assert not at.exception and not at.error, errors(at)
    saved = stored_profile(db_path, profile.id)
    assert (saved.pain_onset, saved.pain_onset_date) == ("date", date(2026, 1, 5))
    assert (saved.pregnant, saved.osteoporosis) == (True, None)
    assert at.radio(key="settings_onset_kind").value == "date"
    assert at.radio(key="settings_pregnant").value is True

    # A date with "I don't know" saves nothing at all, and says why.
    at.radio(key="settings_onset_kind").set_value("unknown")
    at.number_input(key="settings_weekly_target").set_value(2)
    at.button(key="settings_save").click().run()
    assert errors(at) == [
        "You gave a date and another answer to when your pain began: choose one. Your "
        "changes are still in the form."
    ]
    assert stored_profile(db_path, profile.id) == saved


def test_no_warning_sign_no_clear_button(new_app, db_path: Path) -> None:
    make_profile(db_path)
    at = open_settings(new_app)
    assert "You have not reported any warning sign." in [c.value for c in at.caption]
    assert not [b for b in at.button if str(b.key).startswith("clear_sign_")]


def test_the_coachs_voice_and_volume_are_saved(new_app, db_path: Path) -> None:
    profile = make_profile(db_path, name="Ann")
    at = open_settings(new_app)
    assert at.toggle(key="settings_voice_on").value is True
    assert at.slider(key="settings_cue_volume").value == 80
    at.toggle(key="settings_voice_on").set_value(False)
    at.slider(key="settings_cue_volume").set_value(40)
    at.button(key="settings_save").click().run()
    assert not at.exception
    saved = stored_profile(db_path, profile.id)
    assert (saved.voice_on, saved.cue_volume, saved.sound_on) == (False, 40, True)


def test_the_reminder_is_turned_on_at_a_chosen_time_and_says_what_each_kind_needs(
    new_app, db_path: Path
) -> None:
    profile = make_profile(db_path, name="Ann")
    at = open_settings(new_app)
    # Off until turned on, offering the calendar file's default time.
    assert at.toggle(key="settings_reminder_on").value is False
    assert at.time_input(key="settings_reminder_time").value == time(18, 0)
    page_text = " ".join(md.value for md in at.markdown)
    assert reminders.NEEDS_TAB in page_text and reminders.NEEDS_CALENDAR in page_text

    at.time_input(key="settings_reminder_time").set_value(time(7, 30)).run()
    at.toggle(key="settings_reminder_on").set_value(True).run()

    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, errors(at)
    saved = stored_profile(db_path, profile.id)
    assert (saved.reminder_on, saved.reminder_time) == (True, time(7, 30))
    at.toggle(key="settings_reminder_on").set_value(False).run()
    saved = stored_profile(db_path, profile.id)
    assert (saved.reminder_on, saved.reminder_time) == (False, time(7, 30))
