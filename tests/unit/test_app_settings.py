"""The app's own settings beside the database file, and the file name for a therapist."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from core.files.app_settings import AppSettings, read_settings, settings_path, write_settings
from core.files.export_format import therapist_file_name


def test_settings_default_off_then_saved_beside_the_database(tmp_path: Path) -> None:
    database = str(tmp_path / "clinic.duckdb")
    assert read_settings(database) == AppSettings(therapist=False)
    write_settings(AppSettings(therapist=True), database)
    assert settings_path(database) == tmp_path / "clinic.duckdb.settings.json"
    assert read_settings(database) == AppSettings(therapist=True)
    assert [p.name for p in tmp_path.iterdir()] == ["clinic.duckdb.settings.json"]


def test_a_damaged_or_strange_settings_file_reads_as_the_defaults(tmp_path: Path) -> None:
    database = str(tmp_path / "clinic.duckdb")
    path = settings_path(database)
    assert path is not None
    for text in ("{not json", "[1, 2]", '{"therapist": "yes", "unknown": true}'):
        path.write_text(text, encoding="utf-8")
        assert read_settings(database) == AppSettings(therapist=False), text


def test_a_database_in_memory_keeps_its_settings_in_the_process() -> None:
    target = ":memory:wt16-settings-test"
    assert settings_path(target) is None
    write_settings(AppSettings(therapist=True), target)
    assert read_settings(target) == AppSettings(therapist=True)


def test_the_file_for_a_therapist_names_whose_and_when_safely() -> None:
    day = date(2026, 12, 2)
    assert therapist_file_name("Ana", day) == "back-on-track-Ana-2026-12-02.zip"
    assert therapist_file_name("Zoë O'Brien / test", day) == (
        "back-on-track-Zoë-O-Brien-test-2026-12-02.zip"
    )
    assert therapist_file_name("../..", day) == "back-on-track-records-2026-12-02.zip"
    assert therapist_file_name("", day) == "back-on-track-records-2026-12-02.zip"
    long_name = therapist_file_name("A" * 100, day)
    assert long_name == f"back-on-track-{'A' * 40}-2026-12-02.zip"
