"""Correcting and deleting records (core.db.records): rows before and after, the data version,
the dashboards' numbers, undo, and deletion that leaves nothing behind in the file.

Every expected number is worked out by hand in a comment next to it.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from core.db import records
from core.db.flags import active_flags, flag_exercise
from core.db.schema import TABLES
from core.db.store import Store
from core.db.versions import data_version
from core.domain.models import Profile
from core.domain.validation import ValidationError
from core.progress.adherence import weekly_adherence
from core.progress.exercises import exercise_table
from core.progress.weekly import weekly_review
from core.sharing.links import create_link, record_access, verify
from tests import factories

MONDAY = date(2026, 3, 2)
SUNDAY = MONDAY + timedelta(days=6)


def at(day: int, hour: int) -> datetime:
    """``hour`` o'clock on 2 + ``day`` March 2026 in London (UTC+0 then)."""
    return datetime(2026, 3, 2 + day, hour, tzinfo=UTC)


def rows(store: Store, table: str, where: str = "true", params: list[object] | None = None):
    return store.con.execute(
        f"SELECT * FROM {table} WHERE {where} ORDER BY ALL", params or []
    ).fetchall()


def week_pain(store: Store, profile: Profile) -> tuple[float | None, int]:
    review = weekly_review(store, profile, MONDAY, today=SUNDAY)
    return review.pain_mean, review.pain_ratings


# --------------------------------------------------------------------------- check-ins


@pytest.fixture
def checkins(store: Store) -> tuple[Profile, str, str]:
    """Ann with two check-ins in the week of 2 March: 4 on Tuesday, 6 on Wednesday."""
    ann = factories.profile(store, now=at(0, 7))
    first = factories.rating(store, ann, 4, at(1, 20), note="stiff")
    second = factories.rating(store, ann, 6, at(2, 20))
    return ann, first, second


def test_editing_a_checkin_changes_its_row_the_version_and_the_week(
    store: Store, checkins: tuple[Profile, str, str]
) -> None:
    ann, first, _ = checkins
    before = rows(store, "pain_ratings", "id = ?", [first])
    assert week_pain(store, ann) == (5.0, 2)  # (4 + 6) / 2
    version = data_version(ann.id)

    change = records.edit_checkin(store, ann, first, pain=2, note="much better", is_flare=True)

    assert rows(store, "pain_ratings", "id = ?", [first]) == [
        (first, ann.id, at(1, 20), 2, "checkin", None, None, "much better", True)
    ]
    assert data_version(ann.id) == version + 1
    assert week_pain(store, ann) == (4.0, 2)  # (2 + 6) / 2
    assert change.message == "Changed the check-in of Tue 3 Mar 2026, 20:00."

    records.undo(store, change)
    assert rows(store, "pain_ratings", "id = ?", [first]) == before
    assert data_version(ann.id) == version + 2
    assert week_pain(store, ann) == (5.0, 2)


def test_deleting_a_checkin_removes_it_and_undo_brings_it_back(
    store: Store, checkins: tuple[Profile, str, str]
) -> None:
    ann, first, second = checkins
    all_before = rows(store, "pain_ratings")
    version = data_version(ann.id)

    change = records.delete_checkin(store, ann, second)

    assert [row[0] for row in rows(store, "pain_ratings")] == [first]
    assert data_version(ann.id) == version + 1
    assert week_pain(store, ann) == (4.0, 1)  # only the 4 is left
    assert change.message == "Deleted the check-in of Wed 4 Mar 2026, 20:00."

    records.undo(store, change)
    assert rows(store, "pain_ratings") == all_before
    assert week_pain(store, ann) == (5.0, 2)


def test_a_checkin_edit_is_validated_and_changes_nothing_when_refused(
    store: Store, checkins: tuple[Profile, str, str]
) -> None:
    ann, first, _ = checkins
    before = rows(store, "pain_ratings")
    version = data_version(ann.id)
    with pytest.raises(ValidationError, match="from 0 to 10"):
        records.edit_checkin(store, ann, first, pain=11, note="", is_flare=False)
    with pytest.raises(ValidationError, match="at most 1000"):
        records.edit_checkin(store, ann, first, pain=3, note="x" * 1001, is_flare=False)
    assert rows(store, "pain_ratings") == before
    assert data_version(ann.id) == version


def test_another_profiles_checkin_cannot_be_touched(
    store: Store, checkins: tuple[Profile, str, str]
) -> None:
    _, first, _ = checkins
    bob = factories.profile(store, name="Bob")
    with pytest.raises(KeyError):
        records.delete_checkin(store, bob, first)
    with pytest.raises(KeyError):
        records.edit_checkin(store, bob, first, pain=1, note="", is_flare=False)
    assert len(rows(store, "pain_ratings", "kind = 'checkin'")) == 2


# --------------------------------------------------------------------------- sessions


@pytest.fixture
def two_sessions(store: Store) -> tuple[Profile, str, str]:
    """Ann's two sessions of the week: Thursday (before 5, after 3, bridge done) and Friday
    (before 6, after 4, bridge done and side bridge stopped for pain, rated 7 during it)."""
    ann = factories.profile(store, now=at(0, 7))
    thursday = factories.session(store, ann, at(3, 9), [("bridge", "none", "done")], notes="fine")
    factories.rating(store, ann, 5, at(3, 9), kind="before", session_id=thursday)
    factories.rating(store, ann, 3, at(3, 10), kind="after", session_id=thursday)
    friday = factories.session(
        store,
        ann,
        at(4, 9),
        [("bridge", "none", "done"), ("side-bridge", "left", "stopped_for_pain")],
        status="stopped_for_pain",
    )
    factories.rating(store, ann, 6, at(4, 9), kind="before", session_id=friday)
    factories.rating(
        store, ann, 7, at(4, 9), kind="exercise", session_id=friday, exercise_id="side-bridge"
    )
    factories.rating(store, ann, 4, at(4, 10), kind="after", session_id=friday)
    return ann, thursday, friday


def bridge_row(store: Store, profile: Profile) -> dict[str, object]:
    table = exercise_table(store, profile, MONDAY, SUNDAY)
    row = table[table["exercise_id"] == "bridge"].iloc[0]
    return {
        "sessions": int(row["sessions"]),
        "before": float(row["pain_before"]),
        "after": float(row["pain_after"]),
    }


def test_editing_a_sessions_ratings_and_notes(
    store: Store, two_sessions: tuple[Profile, str, str]
) -> None:
    ann, thursday, _ = two_sessions
    assert bridge_row(store, ann) == {"sessions": 2, "before": 5.5, "after": 3.5}  # 5,6 / 3,4
    summary = next(s for s in records.recent_sessions(store, ann.id) if s.id == thursday)
    before_rating, after_rating = summary.rating("before"), summary.rating("after")
    assert (before_rating.pain, after_rating.pain, summary.notes) == (5, 3, "fine")
    session_before = rows(store, "sessions", "id = ?", [thursday])
    ratings_before = rows(store, "pain_ratings", "session_id = ?", [thursday])
    version = data_version(ann.id)

    change = records.edit_session(
        store,
        ann,
        thursday,
        notes="hurt a bit at the end",
        pains={before_rating.id: 7, after_rating.id: 1},
    )

    assert data_version(ann.id) == version + 1
    assert bridge_row(store, ann) == {"sessions": 2, "before": 6.5, "after": 2.5}  # 7,6 / 1,4
    assert sorted(
        (r[4], r[3]) for r in rows(store, "pain_ratings", "session_id = ?", [thursday])
    ) == [("after", 1), ("before", 7)]
    assert rows(store, "sessions", "id = ?", [thursday])[0][9] == "hurt a bit at the end"
    assert change.message == "Changed the session of Thu 5 Mar 2026, 09:00."

    records.undo(store, change)
    assert rows(store, "sessions", "id = ?", [thursday]) == session_before
    assert rows(store, "pain_ratings", "session_id = ?", [thursday]) == ratings_before
    assert bridge_row(store, ann) == {"sessions": 2, "before": 5.5, "after": 3.5}


def test_a_session_without_an_after_rating_can_get_one_and_lose_it_by_undo(
    store: Store,
) -> None:
    ann = factories.profile(store, now=at(0, 7))
    session = factories.session(store, ann, at(3, 9), [("bridge", "none", "done")])
    factories.rating(store, ann, 5, at(3, 9), kind="before", session_id=session)
    change = records.edit_session(store, ann, session, notes="", pains={}, pain_after=2)
    kinds = [(r[3], r[4]) for r in rows(store, "pain_ratings", "session_id = ?", [session])]
    assert sorted(kinds) == [(2, "after"), (5, "before")]
    with pytest.raises(ValidationError, match="already has a pain rating for after"):
        records.edit_session(store, ann, session, notes="", pains={}, pain_after=3)
    records.undo(store, change)
    assert [(r[3], r[4]) for r in rows(store, "pain_ratings", "session_id = ?", [session])] == [
        (5, "before")
    ]


def test_deleting_a_whole_session_removes_every_row_of_it_and_keeps_the_access_log(
    store: Store, two_sessions: tuple[Profile, str, str]
) -> None:
    ann, thursday, friday = two_sessions
    _, token = create_link(store, ann.id, "physio", now=at(4, 12))
    grant = verify(store, token, now=at(4, 13))
    assert grant is not None
    record_access(store, grant, now=at(4, 13))
    log_before = rows(store, "share_access_log")
    session_tables = ("sessions", "session_prescriptions", "set_records", "pain_ratings")
    before = {table: rows(store, table) for table in session_tables}
    # Week of 2 Mar: 2 counted sessions of the target 5 = 40%.
    assert weekly_adherence(store, ann, MONDAY, SUNDAY)["sessions"].tolist() == [2]
    version = data_version(ann.id)

    change = records.delete_session(store, ann, friday)

    assert data_version(ann.id) == version + 1
    assert rows(store, "sessions", "id = ?", [friday]) == []
    for table in ("session_prescriptions", "set_records", "pain_ratings"):
        assert rows(store, table, "session_id = ?", [friday]) == [], table
    assert len(rows(store, "set_records", "session_id = ?", [thursday])) == 1
    weeks = weekly_adherence(store, ann, MONDAY, SUNDAY)
    assert weeks[["sessions", "adherence_pct"]].to_dict("records") == [
        {"sessions": 1, "adherence_pct": 20.0}  # 1 of 5
    ]
    assert bridge_row(store, ann) == {"sessions": 1, "before": 5.0, "after": 3.0}
    assert rows(store, "share_access_log") == log_before
    assert change.message == "Deleted the session of Fri 6 Mar 2026, 09:00."

    records.undo(store, change)
    assert {table: rows(store, table) for table in session_tables} == before
    assert weekly_adherence(store, ann, MONDAY, SUNDAY)["sessions"].tolist() == [2]


def test_deleting_the_session_that_raised_a_flag_clears_it_and_undo_restores_it(
    store: Store,
) -> None:
    ann = factories.profile(store, now=at(0, 7))
    stopped = [("side-bridge", "left", "stopped_for_pain")]
    factories.session(store, ann, at(3, 9), stopped, status="stopped_for_pain")
    second = factories.session(store, ann, at(4, 9), stopped, status="stopped_for_pain")
    # Raised at the end of the second session, as the Session page does.
    flag_exercise(
        store, ann.id, "side-bridge", reason="two in a row", now=at(4, 9) + timedelta(1 / 24 / 6)
    )
    flags_before = rows(store, "exercise_flags")
    assert set(active_flags(store, ann.id)) == {"side-bridge"}

    change = records.delete_session(store, ann, second)
    assert active_flags(store, ann.id) == {}  # one stop left: no longer two in a row

    records.undo(store, change)
    assert rows(store, "exercise_flags") == flags_before


def test_a_flag_that_still_holds_without_the_session_stays(store: Store) -> None:
    ann = factories.profile(store, now=at(0, 7))
    stopped = [("side-bridge", "left", "stopped_for_pain")]
    factories.session(store, ann, at(1, 9), stopped, status="stopped_for_pain")
    factories.session(store, ann, at(2, 9), stopped, status="stopped_for_pain")
    third = factories.session(store, ann, at(3, 9), stopped, status="stopped_for_pain")
    flag_exercise(
        store, ann.id, "side-bridge", reason="two in a row", now=at(3, 9) + timedelta(minutes=10)
    )
    records.delete_session(store, ann, third)
    assert set(active_flags(store, ann.id)) == {"side-bridge"}  # days 1 and 2: still two


def test_a_running_session_cannot_be_deleted_or_edited(store: Store) -> None:
    ann = factories.profile(store, now=at(0, 7))
    running = factories.session(store, ann, at(3, 9), [("bridge", "none", "done")], finish=False)
    with pytest.raises(ValidationError, match="still running"):
        records.delete_session(store, ann, running)
    with pytest.raises(ValidationError, match="still running"):
        records.edit_session(store, ann, running, notes="x", pains={})
    assert len(rows(store, "sessions")) == 1


# --------------------------------------------------------------------------- profiles


def test_deleting_a_profile_leaves_no_row_of_it_in_any_table(store: Store) -> None:
    ann = factories.profile(store, name="Ann", now=at(0, 7))
    bob = factories.profile(store, name="Bob", now=at(0, 8))
    factories.every_table(store, ann, at=at(3, 9))
    factories.every_table(store, bob, at=at(3, 9))
    counts = store.table_counts(ann.id)
    assert set(counts) == {spec.name for spec in TABLES}
    assert all(count > 0 for count in counts.values()), counts
    bob_before = {
        spec.name: rows(store, spec.name, f"{spec.profile_column} = ?", [bob.id]) for spec in TABLES
    }
    version = data_version(ann.id)

    with pytest.raises(ValidationError, match="Type 'Ann' to confirm"):
        records.delete_profile(store, ann, "Bob")
    assert store.table_counts(ann.id) == counts

    records.delete_profile(store, ann, "  ann ")

    assert store.table_counts(ann.id) == {spec.name: 0 for spec in TABLES}
    assert data_version(ann.id) == version + 1
    assert {
        spec.name: rows(store, spec.name, f"{spec.profile_column} = ?", [bob.id]) for spec in TABLES
    } == bob_before
    assert [p.name for p in store.list_profiles()] == ["Bob"]


def test_an_unnamed_profile_is_confirmed_with_the_word_delete(store: Store) -> None:
    nameless = factories.profile(store, name="")
    assert records.confirmation_word(nameless) == "delete"
    records.delete_profile(store, nameless, "Delete")
    assert store.list_profiles() == []


def test_deleting_everything_empties_every_table(store: Store) -> None:
    ann = factories.profile(store, name="Ann", now=at(0, 7))
    bob = factories.profile(store, name="Bob", now=at(0, 8))
    factories.every_table(store, ann, at=at(3, 9))
    factories.every_table(store, bob, at=at(3, 9))
    with pytest.raises(ValidationError, match="Type 'delete everything'"):
        records.delete_everything(store, "delete")
    assert records.delete_everything(store, "Delete everything") == 2
    for spec in TABLES:
        assert rows(store, spec.name) == [], spec.name
    assert store.con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] >= 1


# --------------------------------------------------------------------------- the file itself


def file_holds(path: Path, text: str) -> bool:
    return text.encode("utf-8") in path.read_bytes()


def test_a_deleted_note_is_gone_from_the_file_not_only_from_the_table(tmp_path: Path) -> None:
    path = tmp_path / "erase.duckdb"
    marker = "MARKER-" + secrets.token_hex(16)
    with Store.open(path) as store:
        ann = factories.profile(store, name="Ann", now=at(0, 7))
        for hour in range(200):  # other rows in the same blocks
            factories.rating(
                store, ann, 3, at(0, 8) + timedelta(hours=hour), note=secrets.token_hex(12)
            )
        doomed = factories.rating(store, ann, 5, at(1, 20), note=marker)
        store.con.execute("CHECKPOINT")
        assert file_holds(path, marker), "the note is in the file before"

        records.delete_checkin(store, ann, doomed)

        assert not file_holds(path, marker)
        assert not Path(f"{path}.wal").exists() or not file_holds(Path(f"{path}.wal"), marker)
        assert len(rows(store, "pain_ratings", "kind = 'checkin'")) == 200


def test_a_replaced_note_and_a_deleted_profile_are_gone_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "erase.duckdb"
    old_note, profile_note = ("OLD-" + secrets.token_hex(16), "BOB-" + secrets.token_hex(16))
    with Store.open(path) as store:
        ann = factories.profile(store, name="Ann", now=at(0, 7))
        bob = factories.profile(store, name="Bob", now=at(0, 7))
        rating = factories.rating(store, ann, 5, at(1, 20), note=old_note)
        factories.session(store, bob, at(2, 9), [("bridge", "none", "done")], notes=profile_note)
        store.con.execute("CHECKPOINT")
        assert file_holds(path, old_note) and file_holds(path, profile_note)

        records.edit_checkin(store, ann, rating, pain=5, note="new words", is_flare=False)
        records.delete_profile(store, bob, "Bob")

        assert not file_holds(path, old_note)
        assert not file_holds(path, profile_note)
    with Store.open(path) as reopened:  # the file is whole and keeps what was not deleted
        assert [p.name for p in reopened.list_profiles()] == ["Ann"]
        assert rows(reopened, "pain_ratings", "id = ?", [rating])[0][7] == "new words"


def test_an_erasing_that_must_wait_finishes_at_the_next_write_or_opening(tmp_path: Path) -> None:
    """Another session reading at the moment of the deletion keeps DuckDB from checkpointing:
    the row is gone from the table at once, its bytes once that session is done (the next
    write) or, if the app stops first, when the file is opened again."""
    from core.db.connection import cursor_for, open_database
    from core.db.erasure import is_pending, marker

    path = tmp_path / "busy.duckdb"
    first, second = "FIRST-" + secrets.token_hex(16), "SECOND-" + secrets.token_hex(16)
    con = open_database(path)
    try:
        with Store(cursor_for(con)) as mine, Store(cursor_for(con)) as theirs:
            ann = factories.profile(mine, name="Ann", now=at(0, 7))
            doomed = factories.rating(mine, ann, 5, at(1, 20), note=first)
            mine.con.execute("CHECKPOINT")
            theirs.con.begin()  # another browser session, mid-page
            theirs.con.execute("SELECT count(*) FROM pain_ratings").fetchall()

            records.delete_checkin(mine, ann, doomed)

            assert rows(mine, "pain_ratings", "id = ?", [doomed]) == []
            assert is_pending(mine.con) and marker(path).exists()
            assert file_holds(path, first), "still in the old blocks while it waits"
            theirs.con.commit()
            factories.rating(mine, ann, 2, at(2, 20))  # the next write finishes it
            assert not is_pending(mine.con)
            assert not file_holds(path, first)

            # Waiting again, and the app stops before any other write.
            later = factories.rating(mine, ann, 5, at(3, 20), note=second)
            mine.con.execute("CHECKPOINT")
            theirs.con.begin()
            theirs.con.execute("SELECT count(*) FROM pain_ratings").fetchall()
            records.delete_checkin(mine, ann, later)
            assert marker(path).exists()
            theirs.con.rollback()
    finally:
        con.close()
    assert file_holds(path, second)
    with Store.open(path) as reopened:  # opening finishes what was owed
        assert not marker(path).exists()
        assert [r[3] for r in rows(reopened, "pain_ratings", "kind = 'checkin'")] == [2]
    assert not file_holds(path, second)
