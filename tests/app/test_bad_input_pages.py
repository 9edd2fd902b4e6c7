"""Bad input says why, where it happens (AppTest): text over a limit is cut with a count and a
message and held back once; numbers out of range show their range and keep the save button
from saving, saying why; a form that fails keeps what was entered. Also the restore of an
empty app, and weekly targets that keep their history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from core.db.store import Store
from core.files.export import export_profile
from core.sharing.links import list_links
from tests import factories
from tests.app.conftest import NOW, callouts, errors, titles
from tests.conftest import make_profile, short_preset_items


def warnings(at) -> list[str]:
    return [w.value for w in at.warning]


# --------------------------------------------------------------------------- text


def test_a_pasted_note_over_the_limit_is_cut_counted_and_saved_once_checked(
    new_app, db_path: Path
) -> None:
    profile = make_profile(db_path, name="Ann")
    at = new_app()
    at.radio(key="checkin_pain").set_value(3)
    at.text_area(key="checkin_note").input("y" * 1500)
    at.button(key="checkin_submit").click().run()

    with Store.open(db_path) as store:
        assert store.pain_ratings(profile.id).empty, "held back: the person checks first"
    assert at.text_area(key="checkin_note").value == "y" * 1000
    assert warnings(at) == [
        "A note can be at most 1,000 characters; it had 1,500, so it was cut to the first "
        "1,000. Nothing was saved yet: check the end, then save again."
    ]
    assert "1,000 of 1,000 characters" in [c.value for c in at.caption]
    assert at.radio(key="checkin_pain").value == 3, "the rating stays too"

    at.button(key="checkin_submit").click().run()
    with Store.open(db_path) as store:
        saved = store.pain_ratings(profile.id)
    assert saved[["pain", "note"]].to_dict("records") == [{"pain": 3, "note": "y" * 1000}]
    assert "Pain 3 logged." in callouts(at)
    assert warnings(at) == []


def test_a_name_over_the_limit_in_settings_is_cut_and_not_saved_yet(new_app, db_path: Path) -> None:
    profile = make_profile(db_path, name="Ann")
    at = new_app()
    at.switch_page("views/settings.py").run()
    at.text_input(key="settings_name").input("A" * 75)
    at.button(key="settings_save").click().run()
    with Store.open(db_path) as store:
        assert store.get_profile(profile.id).name == "Ann"
    assert at.text_input(key="settings_name").value == "A" * 60
    assert any("it had 75, so it was cut to the first 60" in w for w in warnings(at))


# --------------------------------------------------------------------------- numbers


def test_a_dose_out_of_range_shows_the_range_and_the_save_button_says_why(
    new_app, db_path: Path
) -> None:
    profile = make_profile(db_path, name="Ann", programme=short_preset_items())
    at = new_app()
    at.switch_page("views/exercises.py").run()
    hold = at.number_input(key="dose_hold_knee-to-chest")
    assert hold.label == "Hold (seconds, 10–30)", "the range beside the field"
    hold.set_value(200).run()

    assert at.number_input(key="dose_hold_knee-to-chest").value == 200, "what was typed stays"
    problem = "Hold (seconds): 200 is more than 30; allowed is 10 to 30."
    assert problem in errors(at)
    save = at.button(key="save_programme")
    assert save.disabled
    assert save.help == f"Cannot save yet. Knee to chest, {problem}"
    assert any(
        e.startswith("**Cannot save the programme yet**: Knee to chest, Hold (seconds): 200")
        for e in errors(at)
    )
    with Store.open(db_path) as store:
        assert store.get_programme(profile.id) == short_preset_items()

    at.button(key="discard_programme").click().run()
    assert at.number_input(key="dose_hold_knee-to-chest").value == 30
    assert not errors(at) and at.button(key="save_programme").disabled


def test_a_weekly_target_out_of_range_is_not_saved_and_says_why(new_app, db_path: Path) -> None:
    profile = make_profile(db_path, name="Ann", weekly_target=4)
    at = new_app()
    at.switch_page("views/settings.py").run()
    at.number_input(key="settings_weekly_target").set_value(200)
    at.button(key="settings_save").click().run()
    with Store.open(db_path) as store:
        assert store.get_profile(profile.id).weekly_target == 4
    problem = "Sessions a week you aim for: 200 is more than 14; allowed is 1 to 14."
    assert errors(at) == [
        problem,
        f"Not saved: {problem} Your changes are still in the form.",
    ]
    assert at.number_input(key="settings_weekly_target").value == 200


def test_setup_refuses_a_target_of_zero_in_words(new_app, db_path: Path) -> None:
    at = new_app()
    at.text_input(key="setup_name").input("Ann")
    at.number_input(key="setup_weekly_target").set_value(0)
    at.radio(key="setup_surgery").set_value("No")
    at.button(key="setup_submit").click().run()
    assert "Sessions a week you aim for: 0 is less than 1; allowed is 1 to 14." in errors(at)
    with Store.open(db_path) as store:
        assert store.list_profiles() == []
    assert at.text_input(key="setup_name").value == "Ann"


# --------------------------------------------------------------------------- a failing form


def test_a_backwards_date_range_keeps_the_share_form_and_a_good_one_clears_it(
    new_app, db_path: Path, fixed_clock
) -> None:
    profile = make_profile(db_path, name="Ann")
    at = new_app()
    at.switch_page("views/share_export.py").run()
    at.text_input(key="share_recipient").input("Dr Lee")
    at.number_input(key="share_days").set_value(30)
    at.date_input(key="share_from").set_value(date(2026, 11, 15))
    at.date_input(key="share_until").set_value(date(2026, 11, 2))
    at.button(key="share_create_submit").click().run()

    assert any("Swap the dates" in e and "still in the form" in e for e in errors(at))
    kept = (
        at.text_input(key="share_recipient").value,
        at.number_input(key="share_days").value,
        at.date_input(key="share_from").value,
        at.date_input(key="share_until").value,
    )
    assert kept == ("Dr Lee", 30, date(2026, 11, 15), date(2026, 11, 2))
    with Store.open(db_path) as store:
        assert list_links(store, profile.id) == []

    at.date_input(key="share_from").set_value(date(2026, 11, 2))
    at.date_input(key="share_until").set_value(date(2026, 11, 15))
    at.button(key="share_create_submit").click().run()
    assert len(at.code) == 1 and "?share=" in at.code[0].value
    with Store.open(db_path) as store:
        (link,) = list_links(store, profile.id)
    assert (link.recipient, link.range_start) == ("Dr Lee", date(2026, 11, 2))
    assert at.text_input(key="share_recipient").value == "", "cleared once the link exists"
    assert at.date_input(key="share_from").value is None


# --------------------------------------------------------------------------- restore


def an_export(tmp_path: Path) -> tuple[bytes, str, dict[str, int]]:
    """Ann's export (a session with a rating), her id and her rows per table."""
    with Store.open(tmp_path / "elsewhere.duckdb") as store:
        ann = factories.profile(store, name="Ann")
        session = factories.session(
            store, ann, factories.SET_START, [("bridge", "none", "done")], notes="first"
        )
        factories.rating(store, ann, 4, factories.SET_START, kind="before", session_id=session)
        counts = {table: n for table, n in store.table_counts(ann.id).items() if n}
        return export_profile(store, ann.id, file_format="parquet"), ann.id, counts


def test_an_empty_app_restores_and_the_same_file_twice_adds_nothing(
    new_app, db_path: Path, tmp_path: Path
) -> None:
    data, ann_id, counts = an_export(tmp_path)
    at = new_app()
    assert titles(at) == ["Welcome to Back on Track"]
    at.file_uploader(key="restore_file_0").upload("ann.zip", data, "application/zip").run()
    assert at.button(key="restore_confirm").label == f"Restore {sum(counts.values())} rows"
    at.button(key="restore_confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert titles(at) == ["Hello, Ann"]
    assert f"Restored {sum(counts.values())} rows: the records of Ann." in callouts(at)
    with Store.open(db_path) as store:
        assert {t: n for t, n in store.table_counts(ann_id).items() if n} == counts

    at.switch_page("views/share_export.py").run()
    at.file_uploader(key="import_file_0").upload("ann.zip", data, "application/zip").run()
    assert "Everything in this file is already here: importing it would add nothing." in (
        callouts(at)
    )
    assert not [b for b in at.button if b.key == "import_confirm"]
    with Store.open(db_path) as store:
        assert {t: n for t, n in store.table_counts(ann_id).items() if n} == counts


def test_a_damaged_file_restores_nothing_and_says_why(new_app, db_path: Path) -> None:
    at = new_app()
    at.file_uploader(key="restore_file_0").upload("x.zip", b"not a zip", "application/zip")
    at.run()
    assert any("This file cannot be imported; nothing was changed." in e for e in errors(at))
    with Store.open(db_path) as store:
        assert store.list_profiles() == []


# --------------------------------------------------------------------------- weekly target


def test_raising_the_target_in_settings_leaves_past_weeks_as_they_were(
    new_app, db_path: Path, fixed_clock
) -> None:
    """Target 4 from Mon 2 Nov 2026; four sessions in the week of 9 Nov (4 of 4, met). On
    Tue 24 Nov (the clock) the target becomes 5: that week still reads 4 of 4."""
    with Store.open(db_path) as store:
        ann = factories.profile(
            store,
            name="Ann",
            weekly_target=4,
            programme_start=date(2026, 11, 2),
            now=datetime(2026, 11, 2, 8, tzinfo=UTC),
        )
        for day in range(4):
            when = datetime(2026, 11, 9, 9, tzinfo=UTC) + timedelta(days=day)
            factories.session(store, ann, when, [("bridge", "none", "done")])
    at = new_app()
    at.switch_page("views/settings.py").run()
    at.number_input(key="settings_weekly_target").set_value(5)
    at.button(key="settings_save").click().run()
    assert not errors(at), errors(at)

    at.switch_page("views/weekly_review.py").run()
    at.selectbox(key="review_week").set_value(date(2026, 11, 9)).run()
    sessions = next(m for m in at.metric if m.label == "Sessions")
    assert (sessions.value, sessions.delta) == ("4 of 4", "Target met")
    at.selectbox(key="review_week").set_value(date(2026, 11, 23)).run()
    assert next(m.value for m in at.metric if m.label == "Sessions") == "0 of 5"
    assert NOW.date() == date(2026, 11, 24)
