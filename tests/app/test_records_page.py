"""Your records (AppTest): editing and deleting check-ins and sessions, and undoing it, with
the rows, the data version and the numbers other pages show checked before and after."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.db.store import Store
from core.db.versions import data_version
from tests import factories
from tests.app.conftest import errors, open_progress_section, tables_on, titles

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # London is on UTC in November
TUESDAY = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
BRIDGE = [("bridge", "none", "done")]


@dataclass(frozen=True)
class Household:
    """Ann's records this week: two sessions and two check-ins."""

    profile_id: str
    monday_session: str
    tuesday_session: str
    monday_checkin: str
    tuesday_checkin: str


@pytest.fixture
def ann(db_path: Path, fixed_clock: datetime) -> Household:
    """Mon 23 Nov: a bridge session rated 5 before and 3 after, noted "fine", and a check-in
    of 4 at 20:00 ("stiff"). Tue 24 Nov: a bridge session rated 6 and 4, a check-in of 6."""
    with Store.open(db_path) as store:
        profile = factories.profile(
            store,
            name="Ann",
            programme_start=date(2026, 11, 2),
            now=datetime(2026, 11, 2, tzinfo=UTC),
        )
        monday = factories.session(store, profile, MONDAY, BRIDGE, notes="fine")
        factories.rating(store, profile, 5, MONDAY, kind="before", session_id=monday)
        factories.rating(
            store, profile, 3, MONDAY.replace(hour=10), kind="after", session_id=monday
        )
        tuesday = factories.session(store, profile, TUESDAY, BRIDGE)
        factories.rating(store, profile, 6, TUESDAY, kind="before", session_id=tuesday)
        factories.rating(
            store, profile, 4, TUESDAY.replace(hour=10), kind="after", session_id=tuesday
        )
        first = factories.rating(store, profile, 4, MONDAY.replace(hour=20), note="stiff")
        second = factories.rating(store, profile, 6, TUESDAY.replace(hour=18))
    return Household(profile.id, monday, tuesday, first, second)


def rows(db_path: Path, table: str, where: str, params: list[object]) -> list[tuple]:
    with Store.open(db_path) as store:
        return store.con.execute(
            f"SELECT * FROM {table} WHERE {where} ORDER BY ALL", params
        ).fetchall()


def records_page(new_app: Callable[[], AppTest]) -> AppTest:
    at = new_app()
    at.switch_page("views/records.py").run()
    assert titles(at) == ["Your records"]
    return at


def sessions_this_week(at: AppTest) -> str:
    """The weekly review's sessions for the week of Mon 23 Nov (the clock's week)."""
    at.switch_page("views/weekly_review.py").run()
    assert at.selectbox(key="review_week").value == date(2026, 11, 23)
    return next(m.value for m in at.metric if m.label == "Sessions")


def bridge_before_after(at: AppTest) -> tuple[str, str]:
    at.switch_page("views/progress.py").run()
    (exercises,) = tables_on(open_progress_section(at, "Days and exercises"))
    row = exercises[exercises["Exercise"] == "Bridge"].iloc[0]
    return row["Before"], row["After"]


def undo_text(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown if "check_circle" in m.value)


def test_a_checkin_is_corrected_and_the_correction_undone(
    new_app, db_path: Path, ann: Household
) -> None:
    key = f"rec_checkin_{ann.monday_checkin}"
    before = rows(db_path, "pain_ratings", "id = ?", [ann.monday_checkin])
    at = records_page(new_app)
    at.button(key=f"{key}_edit").click().run()
    assert at.radio(key=f"{key}_pain").value == 4
    assert at.text_area(key=f"{key}_note").value == "stiff"
    version = data_version(ann.profile_id)

    at.radio(key=f"{key}_pain").set_value(2)
    at.text_area(key=f"{key}_note").input("better after a walk")
    at.checkbox(key=f"{key}_flare").check()
    at.button(key=f"{key}_save").click().run()

    assert not at.exception and not errors(at), errors(at)
    (after,) = rows(db_path, "pain_ratings", "id = ?", [ann.monday_checkin])
    assert (after[3], after[7], after[8]) == (2, "better after a walk", True)
    assert after[:3] == before[0][:3], "same id, profile and time"
    assert data_version(ann.profile_id) == version + 1
    assert "Changed the check-in of Mon 23 Nov 2026, 20:00." in undo_text(at)

    at.button(key="undo").click().run()
    assert rows(db_path, "pain_ratings", "id = ?", [ann.monday_checkin]) == before
    assert data_version(ann.profile_id) == version + 2
    assert [s.value for s in at.success] == [
        "Undone: the check-in of Mon 23 Nov 2026, 20:00 is back as it was."
    ]
    assert not [b for b in at.button if b.key == "undo"], "an undo is used once"


def test_a_checkin_is_deleted_and_brought_back(new_app, db_path: Path, ann: Household) -> None:
    at = records_page(new_app)
    at.button(key=f"rec_checkin_{ann.tuesday_checkin}_delete").click().run()
    assert rows(db_path, "pain_ratings", "id = ?", [ann.tuesday_checkin]) == []
    assert not [b for b in at.button if b.key == f"rec_checkin_{ann.tuesday_checkin}_edit"]
    at.button(key="undo").click().run()
    assert len(rows(db_path, "pain_ratings", "id = ?", [ann.tuesday_checkin])) == 1


def test_deleting_a_session_changes_today_and_progress_and_undo_restores_them(
    new_app, db_path: Path, ann: Household
) -> None:
    at = records_page(new_app)
    assert sessions_this_week(at) == "2 of 5"
    # Bridge's sessions: before (5 + 6) / 2 = 5.5, after (3 + 4) / 2 = 3.5.
    assert bridge_before_after(at) == ("5.5", "3.5")
    where = "session_id = ?"
    session_rows = {
        table: rows(db_path, table, where, [ann.tuesday_session])
        for table in ("session_prescriptions", "set_records", "pain_ratings")
    }
    assert all(session_rows.values())
    version = data_version(ann.profile_id)

    at.switch_page("views/records.py").run()
    at.button(key=f"rec_session_{ann.tuesday_session}_delete").click().run()

    assert rows(db_path, "sessions", "id = ?", [ann.tuesday_session]) == []
    for table in session_rows:
        assert rows(db_path, table, where, [ann.tuesday_session]) == [], table
    assert data_version(ann.profile_id) == version + 1
    assert "Deleted the session of Tue 24 Nov 2026, 09:00." in undo_text(at)
    assert sessions_this_week(at) == "1 of 5"
    assert bridge_before_after(at) == ("5.0", "3.0")  # Monday's session alone

    at.switch_page("views/records.py").run()
    at.button(key="undo").click().run()
    for table, expected in session_rows.items():
        assert rows(db_path, table, where, [ann.tuesday_session]) == expected, table
    assert sessions_this_week(at) == "2 of 5"
    assert bridge_before_after(at) == ("5.5", "3.5")


def test_a_sessions_ratings_and_notes_are_corrected(new_app, db_path: Path, ann: Household) -> None:
    key = f"rec_session_{ann.monday_session}"
    at = records_page(new_app)
    at.button(key=f"{key}_edit").click().run()
    (before_id,) = [
        r[0]
        for r in rows(
            db_path, "pain_ratings", "session_id = ? AND kind = 'before'", [ann.monday_session]
        )
    ]
    assert at.radio(key=f"{key}_{before_id}").value == 5
    at.radio(key=f"{key}_{before_id}").set_value(8)
    at.text_area(key=f"{key}_notes").input("it was harder than I wrote")
    at.button(key=f"{key}_save").click().run()
    assert not errors(at), errors(at)

    (session,) = rows(db_path, "sessions", "id = ?", [ann.monday_session])
    assert session[9] == "it was harder than I wrote"
    (rating,) = rows(db_path, "pain_ratings", "id = ?", [before_id])
    assert rating[3] == 8
    # Before: (8 + 6) / 2 = 7.0; after unchanged (3 + 4) / 2 = 3.5.
    assert bridge_before_after(at) == ("7.0", "3.5")


def test_a_note_over_the_limit_is_cut_shown_and_not_saved_until_checked(
    new_app, db_path: Path, ann: Household
) -> None:
    key = f"rec_checkin_{ann.monday_checkin}"
    at = records_page(new_app)
    at.button(key=f"{key}_edit").click().run()
    at.text_area(key=f"{key}_note").input("x" * 1200)
    at.button(key=f"{key}_save").click().run()
    assert rows(db_path, "pain_ratings", "id = ?", [ann.monday_checkin])[0][7] == "stiff"
    assert at.text_area(key=f"{key}_note").value == "x" * 1000
    assert any("it had 1,200, so it was cut to the first 1,000" in w.value for w in at.warning)
    at.button(key=f"{key}_save").click().run()
    assert rows(db_path, "pain_ratings", "id = ?", [ann.monday_checkin])[0][7] == "x" * 1000
    assert not [f for f in at.text_area if f.key == f"{key}_note"], "the form closes once saved"


def test_an_empty_profile_says_there_is_nothing_yet(new_app, db_path: Path, fixed_clock) -> None:
    with Store.open(db_path) as store:
        factories.profile(store, name="Ann")
    at = records_page(new_app)
    assert [i.value for i in at.info] == [
        "No finished sessions yet.",
        "No pain check-ins yet. Log one on Today.",
    ]
