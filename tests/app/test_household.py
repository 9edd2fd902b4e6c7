"""A household in one file (AppTest): the profile a browser chose, asking once before recording
for another, the PIN gate, and deleting a profile or everything from Settings.

Every AppTest is a browser session; sessions of one browser share its key (the XSRF cookie
in a real browser), set here by replacing ``ui.state.browser_key``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.db.schema import TABLES
from core.db.store import Store
from core.db.versions import data_version
from core.sharing import pins
from tests import factories
from tests.app.conftest import callouts, charts_on, errors, titles
from tests.conftest import short_preset_items

FAST_PIN = 1_000  # PBKDF2 iterations for PINs set by the tests themselves


@pytest.fixture
def household(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """Ann (the file's first profile) and Bea, both with the short programme; one browser."""
    monkeypatch.setattr("ui.state.browser_key", lambda: "browser:test")
    with Store.open(db_path) as store:
        ann = factories.profile(store, name="Ann", programme=short_preset_items())
        bea = factories.profile(store, name="Bea", programme=short_preset_items())
    return ann.id, bea.id


def recording_for(at: AppTest) -> str:
    (line,) = [m.value for m in at.markdown if m.value.startswith("You are recording for")]
    return line


def choose(at: AppTest, current_id: str, other_id: str) -> AppTest:
    at.selectbox(key=f"sidebar_profile_{current_id}").set_value(other_id).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def ratings(db_path: Path, profile_id: str) -> list[tuple[int, str]]:
    with Store.open(db_path) as store:
        frame = store.pain_ratings(profile_id)
    return list(zip(frame["pain"].tolist(), frame["kind"].tolist(), strict=True))


def log_pain(at: AppTest, pain: int) -> AppTest:
    at.radio(key="checkin_pain").set_value(pain)
    at.button(key="checkin_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_page_names_whose_record_it_is(new_app, household) -> None:
    at = new_app()
    assert titles(at) == ["Hello, Ann"]
    assert recording_for(at) == (
        "You are recording for :blue-badge[:material/person: **Ann**] "
        ":gray[· Not you? Choose your profile in the sidebar.]"
    )
    for page in ("views/progress.py", "views/records.py", "views/settings.py"):
        at.switch_page(page).run()
        assert "**Ann**" in recording_for(at), page


def test_a_new_session_of_the_browser_starts_on_the_profile_it_chose(new_app, household) -> None:
    ann, bea = household
    first = choose(new_app(), ann, bea)
    assert titles(first) == ["Hello, Bea"]
    again = new_app()  # a reload or a new tab of the same browser
    assert titles(again) == ["Hello, Bea"]
    assert "**Bea**" in recording_for(again)


def test_recording_for_another_profile_than_the_browsers_last_asks_once(
    new_app, household, db_path: Path
) -> None:
    ann, bea = household
    ann_tab = new_app()  # Ann's tab, still open
    bea_tab = choose(new_app(), ann, bea)  # then someone chose Bea in another tab
    assert titles(bea_tab) == ["Hello, Bea"]

    log_pain(ann_tab, 3)
    assert ratings(db_path, ann) == [], "nothing saved before the answer"
    assert "This browser was last used for **Bea**. Is this for **Ann**?" in callouts(ann_tab)
    assert ann_tab.radio(key="checkin_pain").value == 3, "the form keeps the rating"
    ann_tab.button(key="confirm_yes_checkin").click().run()
    assert ratings(db_path, ann) == [(3, "checkin")]
    assert ratings(db_path, bea) == []
    assert "Pain 3 logged." in callouts(ann_tab)

    log_pain(ann_tab, 4)  # asked once: Ann is now this browser's profile
    assert ratings(db_path, ann) == [(3, "checkin"), (4, "checkin")]
    assert not [b for b in ann_tab.button if b.key == "confirm_yes_checkin"]


def test_no_means_switch_to_the_browsers_profile_and_save_nothing(
    new_app, household, db_path: Path
) -> None:
    ann, bea = household
    ann_tab = new_app()
    choose(new_app(), ann, bea)
    ann_tab.switch_page("views/session.py").run()
    ann_tab.radio(key="pain_before").set_value(4).run()
    ann_tab.button(key="start_session").click().run()
    assert "This browser was last used for **Bea**. Is this for **Ann**?" in callouts(ann_tab)
    ann_tab.button(key="confirm_no_start_session").click().run()
    assert "**Bea**" in recording_for(ann_tab)
    with Store.open(db_path) as store:
        assert store.table_counts(ann)["sessions"] == 0
        assert store.table_counts(bea)["sessions"] == 0


def test_yes_starts_the_session_for_the_profile_on_the_page(
    new_app, household, db_path: Path
) -> None:
    ann, bea = household
    ann_tab = new_app()
    choose(new_app(), ann, bea)
    ann_tab.switch_page("views/session.py").run()
    ann_tab.radio(key="pain_before").set_value(4).run()
    ann_tab.button(key="start_session").click().run()
    ann_tab.button(key="confirm_yes_start_session").click().run()
    assert not ann_tab.exception, [e.value for e in ann_tab.exception]
    with Store.open(db_path) as store:
        assert store.active_session(ann) is not None
        assert store.active_session(bea) is None
    assert ratings(db_path, ann) == [(4, "before")]


# --------------------------------------------------------------------------- PIN


def test_a_profile_with_a_pin_shows_nothing_until_it_is_entered(
    new_app, household, db_path: Path
) -> None:
    ann, bea = household
    with Store.open(db_path) as store:
        pins.set_pin(store, ann, "2468", repeated="2468", iterations=FAST_PIN)
        factories.rating(store, store.get_profile(ann), 6, datetime(2026, 3, 3, tzinfo=UTC))
    at = new_app()
    assert titles(at) == ["Ann's records are locked"]
    assert charts_on(at) == 0 and not at.metric and not at.dataframe
    for page in ("views/progress.py", "views/records.py", "views/share_export.py"):
        at.switch_page(page).run()
        assert titles(at) == ["Ann's records are locked"], page

    for _ in range(3):
        at.text_input(key="pin_entry").input("1111")
        at.button(key="pin_unlock_submit").click().run()
        assert errors(at) == ["That PIN is not right."]
    at.text_input(key="pin_entry").input("1111")
    at.button(key="pin_unlock_submit").click().run()
    assert errors(at) == ["That PIN is not right. Wait 1 s before the next try."]
    assert titles(at) == ["Ann's records are locked"]

    choose(at, ann, bea)  # someone else in the household: their own records open
    assert titles(at) == ["Share & export"]
    assert "**Bea**" in recording_for(at)


def test_the_right_pin_opens_the_profile_for_this_session_only(
    new_app, household, db_path: Path
) -> None:
    ann, _ = household
    with Store.open(db_path) as store:
        pins.set_pin(store, ann, "2468", repeated="2468", iterations=FAST_PIN)
    at = new_app()
    at.text_input(key="pin_entry").input("2468")
    at.button(key="pin_unlock_submit").click().run()
    assert titles(at) == ["Hello, Ann"]
    assert not [t for t in at.text_input if t.key == "pin_entry"], "the form is gone"
    assert titles(new_app()) == ["Ann's records are locked"], "another session asks again"
    at.button(key="lock_profile").click().run()
    assert titles(at) == ["Ann's records are locked"]


def test_a_pin_is_set_in_settings_and_stored_only_as_a_hash(
    new_app, household, db_path: Path
) -> None:
    ann, _ = household
    at = new_app()
    at.switch_page("views/settings.py").run()
    at.text_input(key="pin_new").input("13579")
    at.text_input(key="pin_repeat").input("13570")
    at.button(key="pin_set").click().run()
    assert errors(at) == ["The two PINs differ; nothing was changed."]
    at.text_input(key="pin_new").input("13579")
    at.text_input(key="pin_repeat").input("13579")
    at.button(key="pin_set").click().run()
    assert not errors(at), errors(at)
    with Store.open(db_path) as store:
        stored = pins.pin_hash(store, ann)
    assert stored is not None and "13579" not in stored
    assert titles(at) == ["Settings"], "the session that set it stays open"
    assert titles(new_app()) == ["Ann's records are locked"]


# --------------------------------------------------------------------------- deleting


def fill(db_path: Path, profile_id: str) -> None:
    """A row of the profile in every table of the schema."""
    with Store.open(db_path) as store:
        factories.every_table(store, store.get_profile(profile_id))


def unlock(at: AppTest) -> AppTest:
    at.text_input(key="pin_entry").input("2468")
    at.button(key="pin_unlock_submit").click().run()
    return at


def test_deleting_a_profile_offers_its_export_and_leaves_no_row_in_any_table(
    new_app: Callable[[], AppTest], household, db_path: Path
) -> None:
    ann, bea = household
    fill(db_path, ann)
    fill(db_path, bea)
    with Store.open(db_path) as store:
        assert all(store.table_counts(ann).values()), store.table_counts(ann)
        bea_counts = store.table_counts(bea)
    at = unlock(new_app())
    at.switch_page("views/settings.py").run()
    at.button(key="delete_export_prepare").click().run()
    assert at.get("download_button"), "the export is offered first"
    version = data_version(ann)

    at.text_input(key="delete_profile_typed").input("Bea")
    at.button(key="delete_profile").click().run()
    assert errors(at) == ["Type 'Ann' to confirm; nothing was deleted."]
    with Store.open(db_path) as store:
        assert all(store.table_counts(ann).values())

    at.text_input(key="delete_profile_typed").input("ann")
    at.button(key="delete_profile").click().run()
    assert not at.exception, [e.value for e in at.exception]
    with Store.open(db_path) as store:
        assert store.table_counts(ann) == {spec.name: 0 for spec in TABLES}
        assert store.table_counts(bea) == bea_counts
        assert [p.name for p in store.list_profiles()] == ["Bea"]
    assert data_version(ann) == version + 1
    assert titles(at) == ["Bea's records are locked"], "on to the profile left, behind its PIN"
    unlock(at)
    assert "**Bea**" in recording_for(at)
    assert "Ann's profile and records are deleted." in callouts(at)


def test_deleting_everything_leaves_an_empty_file_and_the_welcome_page(
    new_app, household, db_path: Path
) -> None:
    _, bea = household
    fill(db_path, bea)
    at = new_app()
    at.switch_page("views/settings.py").run()
    at.text_input(key="delete_all_typed").input("delete")
    at.button(key="delete_all").click().run()
    assert errors(at) == ["Type 'delete everything' to confirm; nothing was deleted."]
    at.text_input(key="delete_all_typed").input("Delete everything")
    at.button(key="delete_all").click().run()
    assert not at.exception, [e.value for e in at.exception]
    with Store.open(db_path) as store:
        for spec in TABLES:
            assert store.con.execute(f"SELECT count(*) FROM {spec.name}").fetchone() == (0,)
    assert titles(at) == ["Welcome to Back on Track"]
    assert "Everything in the data file is deleted." in callouts(at)
