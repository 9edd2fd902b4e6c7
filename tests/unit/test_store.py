"""The store: migrations, profile scoping, validation, sessions and the locked-file message."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, time
from pathlib import Path

import duckdb
import pytest

from core.db.answers import care_first, reported_signs
from core.db.connection import DatabaseLockedError, is_file_target, open_database
from core.db.migrations import LATEST_VERSION, MIGRATIONS, SchemaTooNewError, current_version
from core.db.store import ActiveSessionError, Store
from core.db.versions import data_version
from core.domain.models import ProgrammeItem
from core.domain.validation import ValidationError
from tests import factories
from tests.fixtures.make_fixture import FIXTURE_DIR

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TABLES = (
    "profiles",
    "programme_items",
    "sessions",
    "session_prescriptions",
    "set_records",
    "pain_ratings",
    "weekly_checkins",
    "psfs_activities",
    "psfs_scores",
    "exercise_flags",
    "warning_signs",
    "weekly_targets",
    "share_links",
    "share_access_log",
    "profile_pins",
)


def table_names(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()
    return {row[0] for row in rows}


def test_migrations_create_every_table_once_on_an_empty_file(tmp_path: Path) -> None:
    con = open_database(tmp_path / "new.duckdb")
    assert table_names(con) == {*TABLES, "schema_migrations"}
    assert con.execute("SELECT version, name FROM schema_migrations ORDER BY 1").fetchall() == [
        (1, "initial schema"),
        (2, "pain onset, pregnancy and osteoporosis answers, warning signs reported over time"),
        (3, "weekly target history and profile PINs"),
        (4, "the session coach's voice and volume"),
        (5, "a reminder in an open tab at the session time"),
    ]
    con.close()
    again = open_database(tmp_path / "new.duckdb")
    assert again.execute("SELECT count(*) FROM schema_migrations").fetchone() == (5,)
    again.close()


def test_migration_numbers_are_consecutive_from_one() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, LATEST_VERSION + 1))


@pytest.mark.parametrize("fixture", sorted(FIXTURE_DIR.glob("schema_v*.duckdb")), ids=str)
def test_every_committed_schema_version_upgrades_and_keeps_its_rows(
    fixture: Path, tmp_path: Path
) -> None:
    copy = tmp_path / fixture.name
    shutil.copy(fixture, copy)
    before = duckdb.connect(str(copy), read_only=True)
    counts_before = {
        table: before.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
        for table in table_names(before) - {"schema_migrations"}
    }
    before.close()
    assert counts_before["set_records"] == 2

    with Store(open_database(copy)) as store:
        assert current_version(store.con) == LATEST_VERSION
        for table, count in counts_before.items():
            assert store.con.execute(f"SELECT count(*) FROM {table}").fetchone() == (count,), table
        (upgraded,) = store.list_profiles()
        assert (upgraded.name, upgraded.time_zone, upgraded.setup_pain) == (
            "Fixture",
            "Europe/Berlin",
            6,
        )
        assert store.get_programme(upgraded.id) == [ProgrammeItem("knee-to-chest", 1, 20)]


def test_a_fixture_exists_for_the_latest_schema_version() -> None:
    assert (FIXTURE_DIR / f"schema_v{LATEST_VERSION}.duckdb").exists()


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.duckdb"
    open_database(path).close()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_migrations VALUES (999, 'from the future', now())")
    con.close()
    size_before = path.read_bytes()
    with pytest.raises(SchemaTooNewError, match="schema version 999"):
        open_database(path)
    assert path.read_bytes() == size_before


def test_a_second_process_holding_the_file_gives_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "held.duckdb"
    open_database(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import duckdb, sys
                con = duckdb.connect({str(path)!r})
                print("holding", flush=True)
                sys.stdin.readline()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(DatabaseLockedError) as caught:
            open_database(path)
        message = str(caught.value)
        assert str(path) in message
        assert "Close that program, then reload this page" in message
    finally:
        holder.communicate("\n", timeout=60)
    open_database(path).close()


def test_profiles_are_scoped_so_one_never_sees_anothers_rows(store: Store) -> None:
    ann = factories.profile(store, name="Ann")
    bob = factories.profile(store, name="Bob", time_zone="America/New_York")
    store.save_programme(ann.id, [ProgrammeItem("cat-cow", 15, 0)])
    ann_session = store.start_session(
        ann.id, [{"exercise_id": "knee-to-chest"}], prescribed={("knee-to-chest", "right"): 1}
    )
    store.record_set(ann.id, factories.a_set(ann_session, 0))
    store.add_pain_rating(ann.id, 4, note="only Ann's")

    assert store.get_programme(bob.id) == []
    assert store.table_counts(bob.id)["sessions"] == 0
    assert store.active_session(bob.id) is None
    assert store.pain_ratings(bob.id).empty
    assert store.set_records(bob.id, ann_session) == []
    with pytest.raises(KeyError):
        store.get_session(bob.id, ann_session)
    with pytest.raises(KeyError):
        store.record_set(bob.id, factories.a_set(ann_session, 1))
    # A profile starts with its own row and its weekly target; nothing of Ann's.
    assert store.table_counts(bob.id) == {
        table: (1 if table in ("profiles", "weekly_targets") else 0) for table in TABLES
    }
    assert store.table_counts(ann.id)["set_records"] == 1


def test_create_profile_round_trips_every_field(store: Store) -> None:
    made = factories.profile(
        store,
        name="  Ann  ",
        now=T0,
        weekly_target=3,
        recent_surgery=True,
        red_flags=["leg_weakness"],
        setup_pain=7,
        pain_onset="date",
        pain_onset_date=date(2026, 1, 5),
        pregnant=False,
        osteoporosis=True,
    )
    assert store.get_profile(made.id) == made
    assert (made.name, made.weekly_target, made.recent_surgery) == ("Ann", 3, True)
    assert (made.pain_onset, made.pain_onset_date) == ("date", date(2026, 1, 5))
    assert (made.pregnant, made.osteoporosis) == (False, True)
    # Signs ticked at setup are reported in their own table, not in the first version's column.
    assert made.red_flags == ()
    assert [(s.sign.id, s.tier, s.reported_at, s.cleared) for s in reported_signs(store, made)] == [
        ("leg_weakness", "emergency", T0, False)
    ]
    assert care_first(store, made) == "emergency"
    assert made.created_at == T0
    ratings = store.pain_ratings(made.id)
    assert ratings[["pain", "kind"]].to_dict("records") == [{"pain": 7, "kind": "setup"}]


def test_optional_answers_left_out_are_stored_as_unanswered(store: Store) -> None:
    made = factories.profile(store)
    assert (made.pain_onset, made.pain_onset_date, made.pregnant, made.osteoporosis) == (
        None,
        None,
        None,
        None,
    )
    assert reported_signs(store, made) == []
    assert care_first(store, made) is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_zone", "Mars/Olympus", "Unknown time zone"),
        ("weekly_target", 0, "weekly target"),
        ("weekly_target", 15, "weekly target"),
        ("programme_start", date(1899, 1, 1), "between 2000-01-01"),
        ("setup_pain", 11, "Pain must be a whole number"),
        ("setup_pain", 2.5, "Pain must be a whole number"),
        ("red_flags", ["made_up"], "Unknown warning sign"),
        ("pain_onset", "last_tuesday", "Unknown answer"),
        ("pain_onset_date", date(2999, 1, 1), "between 2000-01-01"),
        ("name", "x" * 61, "at most 60"),
    ],
)
def test_create_profile_rejects_bad_input_with_a_clear_message(
    store: Store, field: str, value: object, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        factories.profile(store, **{field: value})
    assert store.list_profiles() == []


def test_update_profile_validates_and_writes_only_named_fields(store: Store) -> None:
    ann = factories.profile(store)
    updated = store.update_profile(ann.id, weekly_target=3, sound_on=False)
    assert (updated.weekly_target, updated.sound_on, updated.name) == (3, False, "Ann")
    with pytest.raises(ValidationError):
        store.update_profile(ann.id, lead_in_s=99)
    with pytest.raises(ValueError, match="Cannot update"):
        store.update_profile(ann.id, id="other")
    assert store.get_profile(ann.id) == updated


def test_the_coach_settings_default_save_and_read_an_out_of_range_volume_as_its_bound(
    store: Store,
) -> None:
    ann = factories.profile(store)
    # A profile from before schema version 4 has NULLs: voice on, volume 80.
    assert (ann.voice_on, ann.cue_volume) == (True, 80)
    updated = store.update_profile(ann.id, voice_on=False, cue_volume=30)
    assert (updated.voice_on, updated.cue_volume) == (False, 30)
    for wrong in (101, -1, 2.5):
        with pytest.raises(ValidationError, match="volume"):
            store.update_profile(ann.id, cue_volume=wrong)
    # DuckDB adds no CHECK with a column, so an imported 250 can be in the file: read as 100.
    store.con.execute("UPDATE profiles SET cue_volume = 250 WHERE id = ?", [ann.id])
    assert store.get_profile(ann.id).cue_volume == 100


def test_save_programme_replaces_the_whole_programme_in_order(store: Store) -> None:
    ann = factories.profile(store)
    store.save_programme(ann.id, [ProgrammeItem("cat-cow", 15, 0)])
    new = [ProgrammeItem("bridge", 15, 5), ProgrammeItem("cat-cow", 20, 0)]
    store.save_programme(ann.id, new)
    assert store.get_programme(ann.id) == new
    store.save_programme(ann.id, [])
    assert store.get_programme(ann.id) == []


def test_only_one_session_runs_per_profile(store: Store) -> None:
    ann = factories.profile(store)
    first = store.start_session(ann.id, [], prescribed={("cat-cow", "none"): 15}, now=T0)
    with pytest.raises(ActiveSessionError) as caught:
        store.start_session(ann.id, [], prescribed={})
    assert caught.value.session_id == first
    store.finish_session(ann.id, first, status="partial", notes="tired", now=T0)
    second = store.start_session(ann.id, [], prescribed={})
    sessions = {sid: store.get_session(ann.id, sid) for sid in (first, second)}
    assert sessions[first].status == "partial"
    assert sessions[first].ended_at == T0
    assert sessions[first].notes == "tired"
    assert sessions[first].prescribed_sets == 15
    assert store.active_session(ann.id) == sessions[second]


def test_record_set_replaces_a_redone_step(store: Store) -> None:
    ann = factories.profile(store)
    session_id = store.start_session(ann.id, [], prescribed={})
    store.record_set(
        ann.id, factories.a_set(session_id, 0, status="stopped_for_pain", duration_s=4.5)
    )
    store.record_set(ann.id, factories.a_set(session_id, 0))
    store.record_set(ann.id, factories.a_set(session_id, 1, status="skipped"))
    assert store.set_records(ann.id, session_id) == [
        factories.a_set(session_id, 0),
        factories.a_set(session_id, 1, status="skipped"),
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"status": "in_progress"}, "cannot end as"),
        ({"status": "done"}, "cannot end as"),
        ({"status": "completed", "notes": "x" * 1001}, "at most 1000"),
        ({"status": "completed", "notes": "a\x00b"}, "NUL"),
    ],
)
def test_finish_session_rejects_bad_input(store: Store, kwargs: dict, message: str) -> None:
    ann = factories.profile(store)
    session_id = store.start_session(ann.id, [], prescribed={})
    with pytest.raises(ValidationError, match=message):
        store.finish_session(ann.id, session_id, **kwargs)
    assert store.active_session(ann.id) is not None


def test_notes_that_look_like_sql_or_html_are_stored_verbatim(store: Store) -> None:
    ann = factories.profile(store)
    note = "'); DROP TABLE profiles; -- <script>alert(1)</script> \u2603"
    store.add_pain_rating(ann.id, 3, note=note)
    assert store.pain_ratings(ann.id)["note"].tolist() == [note]
    assert len(store.list_profiles()) == 1


def test_every_write_bumps_the_profiles_data_version(store: Store) -> None:
    ann = factories.profile(store)
    seen = [data_version(ann.id)]
    store.add_pain_rating(ann.id, 3)
    seen.append(data_version(ann.id))
    store.save_programme(ann.id, [])
    seen.append(data_version(ann.id))
    store.update_profile(ann.id, name="Ann B")
    seen.append(data_version(ann.id))
    assert seen == sorted(set(seen))


def test_insert_frame_refuses_tables_outside_the_record_tables(store: Store) -> None:
    import pandas as pd

    with pytest.raises(ValueError, match="Cannot bulk-insert"):
        store.insert_frame("schema_migrations", pd.DataFrame({"version": [2]}))


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("data/backontrack.duckdb", True),
        ("/tmp/x.duckdb", True),
        ("C:/data/x.duckdb", True),
        (":memory:", False),
        (":memory:shared", False),
        ("md:my_database", False),
    ],
)
def test_connection_strings_pass_through_and_paths_are_files(target: str, expected: bool) -> None:
    assert is_file_target(target) is expected


def test_the_database_path_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "nested" / "env.duckdb"
    monkeypatch.setenv("BACKONTRACK_DB", str(path))
    open_database().close()
    assert path.exists()


def test_the_reminder_setting_defaults_off_saves_minutes_only_and_reads_a_bad_time_as_none(
    store: Store,
) -> None:
    ann = factories.profile(store)
    # A profile from before schema version 5 has NULLs: no reminder, no time chosen.
    assert (ann.reminder_on, ann.reminder_time) == (False, None)
    updated = store.update_profile(ann.id, reminder_on=True, reminder_time=time(7, 30, 45))
    assert (updated.reminder_on, updated.reminder_time) == (True, time(7, 30))
    stored = store.con.execute("SELECT reminder_time FROM profiles WHERE id = ?", [ann.id])
    assert stored.fetchall() == [("07:30",)]
    with pytest.raises(ValidationError, match="reminder time"):
        store.update_profile(ann.id, reminder_time="07:30")
    store.con.execute("UPDATE profiles SET reminder_time = '25:99' WHERE id = ?", [ann.id])
    assert store.get_profile(ann.id).reminder_time is None
