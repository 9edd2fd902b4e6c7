"""The Caseload page in AppTest: off until Settings turns it on; two patients' exports taken
into an empty copy give two rows with the numbers each person's own Progress shows; a newer
export updates its row; a damaged or foreign file changes nothing; a PIN hides a row."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.db.store import Store
from core.demo import generate
from core.files.export import export_profile
from core.sharing.pins import set_pin
from tests import factories
from tests.app.conftest import NOW, TODAY, callouts, errors, titles
from tests.conftest import make_profile

#: "pain 4.1, down 1.9 from baseline 6.0": the six-week status line on Progress.
STATUS_NUMBERS = re.compile(r"pain (\d+\.\d), (?:down|up) \d+\.\d from baseline (\d+\.\d)")


def demo_export(path: Path, seed: int, name: str, extra_rating: int | None = None) -> bytes:
    """A demo person's export (8 weeks ending on TODAY), with one more check-in if asked."""
    with Store.open(path) as store:
        if not store.list_profiles():
            generate(store, seed=seed, today=TODAY, name=name, now=NOW - timedelta(hours=2))
        person = store.list_profiles()[0]
        if extra_rating is not None:
            factories.rating(store, person, extra_rating, NOW - timedelta(hours=1))
        return export_profile(store, person.id, now=NOW)


def therapist_on(at: AppTest) -> AppTest:
    at.switch_page("views/settings.py").run()
    assert titles(at) == ["Settings"], (titles(at), callouts(at))
    at.toggle(key="settings_therapist").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "The Caseload page is in the menu." in callouts(at)
    return at.switch_page("views/caseload.py").run()


def caseload_frame(at: AppTest) -> pd.DataFrame:
    """The caseload table, by person (AppTest keeps no key for data frames)."""
    (frame,) = [df.value for df in at.dataframe if "Needs attention" in df.value]
    return frame.set_index("Person")


def progress_numbers(at: AppTest) -> str:
    """The pain mean and baseline of the current person's own Progress page, as the
    caseload writes them."""
    at.switch_page("views/progress.py").run()
    lines = [m.group(0) for m in map(STATUS_NUMBERS.search, callouts(at)) if m]
    assert len(lines) == 1, callouts(at)
    found = STATUS_NUMBERS.search(lines[0])
    assert found is not None
    return f"{found.group(1)} (baseline {found.group(2)})"


def upload(at: AppTest, round_: int, data: bytes) -> AppTest:
    uploader = at.file_uploader(key=f"caseload_import_file_{round_}")
    return uploader.upload("patient.zip", data, "application/zip").run()


def test_the_caseload_is_off_until_settings_turns_it_on(new_app, db_path: Path) -> None:
    make_profile(db_path, name="Ann")
    at = new_app()
    with pytest.raises(ValueError, match="Known pages"):
        at.switch_page("views/caseload.py")
    at = therapist_on(at)
    assert titles(at) == ["Caseload"]
    assert caseload_frame(at).index.tolist() == ["Ann"]

    at.switch_page("views/settings.py").run()
    assert titles(at) == ["Settings"], (titles(at), callouts(at))
    at.toggle(key="settings_therapist").set_value(False).run()
    with pytest.raises(ValueError, match="Known pages"):
        at.switch_page("views/caseload.py")


def test_two_exports_give_two_rows_with_each_persons_numbers_and_a_newer_one_updates(
    new_app, db_path: Path, tmp_path: Path, fixed_clock: object
) -> None:
    ana = demo_export(tmp_path / "ana.duckdb", 7, "Ana")
    ben = demo_export(tmp_path / "ben.duckdb", 11, "Ben")
    at = new_app()
    at.file_uploader(key="restore_file_0").upload("ana.zip", ana, "application/zip").run()
    at.button(key="restore_confirm").click().run()
    assert titles(at) == ["Hello, Ana"]
    at = therapist_on(at)
    upload(at, 0, ben)
    assert any("**Ben** (new to this database), from" in m.value for m in at.markdown)
    assert at.button(key="caseload_import_confirm").label == "Add Ben"
    at.button(key="caseload_import_confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(text.startswith("Added Ben:") for text in callouts(at))

    rows = caseload_frame(at)
    assert sorted(rows.index) == ["Ana", "Ben"]
    ana_row = rows.loc["Ana", "Pain, 7-day mean"]
    ben_row = rows.loc["Ben", "Pain, 7-day mean"]
    assert ana_row == progress_numbers(at)  # Ana is the current profile
    ben_id = next(p.id for p in Store.open(db_path).list_profiles() if p.name == "Ben")
    at.sidebar.selectbox(key=at.sidebar.selectbox[0].key).set_value(ben_id).run()
    assert ben_row == progress_numbers(at)

    # Opening Ben's row shows his Progress and Weekly review, read-only.
    at.switch_page("views/caseload.py").run()
    at.selectbox(key="caseload_open").set_value(ben_id).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [tab.label for tab in at.tabs] == ["Progress", "Weekly review"]
    assert at.get("plotly_chart")

    # Ben rates his pain 10 an hour before now: a newer file updates his row only (one new
    # rating; nothing he had changed).
    newer = demo_export(tmp_path / "ben.duckdb", 11, "Ben", extra_rating=10)
    at.switch_page("views/caseload.py").run()
    upload(at, 1, newer)
    assert at.button(key="caseload_import_confirm").label == "Update Ben's records"
    at.button(key="caseload_import_confirm").click().run()
    assert "Updated Ben's records: 1 new, 0 changed, 0 deleted." in callouts(at)
    updated = caseload_frame(at)
    assert sorted(updated.index) == ["Ana", "Ben"]
    assert updated.loc["Ana"].equals(rows.loc["Ana"])
    assert updated.loc["Ben", "Pain, 7-day mean"] != ben_row
    assert updated.loc["Ben", "Pain, 7-day mean"] == progress_numbers(at)
    with Store.open(db_path) as store:
        assert len(store.list_profiles()) == 2


@pytest.mark.parametrize("kind", ["damaged", "foreign"])
def test_a_damaged_or_foreign_file_changes_nothing(
    new_app, db_path: Path, tmp_path: Path, fixed_clock: object, kind: str
) -> None:
    make_profile(db_path, name="Ann")
    ana = demo_export(tmp_path / "ana.duckdb", 7, "Ana")
    if kind == "damaged":
        data = ana[: len(ana) // 2]
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("photos/cat.txt", "not an export")
        data = buffer.getvalue()
    at = therapist_on(new_app())
    before = caseload_frame(at)
    upload(at, 0, data)
    assert not at.exception, [e.value for e in at.exception]
    assert any("This file cannot be imported; nothing was changed." in e for e in errors(at))
    assert not [b for b in at.button if b.key == "caseload_import_confirm"]
    assert caseload_frame(at).equals(before)
    with Store.open(db_path) as store:
        assert [p.name for p in store.list_profiles()] == ["Ann"]


def test_a_profile_with_a_pin_shows_its_name_only_until_unlocked(
    new_app, db_path: Path, fixed_clock: object
) -> None:
    make_profile(db_path, name="Ann", now=NOW - timedelta(days=2))  # listed first
    with Store.open(db_path) as store:
        bo = factories.profile(store, name="Bo", setup_pain=7, now=NOW - timedelta(days=1))
        set_pin(store, bo.id, "4321", repeated="4321", iterations=1_000)
    at = therapist_on(new_app())
    rows = caseload_frame(at)
    assert rows.loc["Bo", "Needs attention"] == "PIN: unlock to see"
    assert set(rows.loc["Bo"].drop("Needs attention")) == {""}
    at.selectbox(key="caseload_open").set_value(bo.id).run()
    assert any("This profile has a PIN." in text for text in callouts(at))
    assert not at.get("plotly_chart")

    at.sidebar.selectbox(key=at.sidebar.selectbox[0].key).set_value(bo.id).run()
    at.text_input(key="pin_entry").input("4321")
    at.button(key="pin_unlock_submit").click().run()
    at.switch_page("views/caseload.py").run()
    # Bo's only rating is the setup's 7, a day ago: both his 7-day mean and his baseline.
    assert caseload_frame(at).loc["Bo", "Pain, 7-day mean"] == "7.0 (baseline 7.0)"


def test_send_to_my_therapist_names_the_file_with_whose_and_when(
    new_app, db_path: Path, fixed_clock: object
) -> None:
    make_profile(db_path, name="Zoë")
    at = new_app()
    at.switch_page("views/share_export.py").run()
    at.button(key="send_prepare").click().run()
    assert not at.exception, [e.value for e in at.exception]
    (download,) = [
        b for b in at.get("download_button") if b.proto.id and "send_download" in b.proto.id
    ]
    # TODAY is Tue 24 Nov 2026 in London, the profile's zone.
    assert download.proto.label == "Download back-on-track-Zoë-2026-11-24.zip"
