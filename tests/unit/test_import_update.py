"""A newer export from the same person updates that person's profile in a therapist's copy:
no duplicate person, nothing added twice, changed rows taken from the newer file, and the
rows the newer file lacks deleted only when asked (core.files.merging, ``update=True``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from core.db import records
from core.db.schema import EXPORTED
from core.db.store import Store
from core.domain.models import ProgrammeItem
from core.files.export import export_profile
from core.files.export_format import ExportFileError
from core.files.merging import import_export, preview_import
from tests import factories

FIRST_EXPORT = datetime(2026, 3, 20, 18, 0, tzinfo=UTC)
SECOND_EXPORT = datetime(2026, 3, 27, 18, 0, tzinfo=UTC)
MORNING = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
SET_UP_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def therapist() -> Iterator[Store]:
    """The therapist's own copy of the app, empty at first."""
    with Store.open(":memory:") as copy:
        yield copy


def rows_of(store: Store, profile_id: str) -> dict[str, list[tuple[object, ...]]]:
    """Every exported table's rows of the profile, in a fixed order."""
    return {
        spec.name: store.con.execute(
            f"SELECT * FROM {spec.name} WHERE {spec.profile_column} = ? ORDER BY ALL",
            [profile_id],
        ).fetchall()
        for spec in EXPORTED
    }


def test_a_newer_file_updates_the_same_profile_and_deletes_only_when_asked(
    store: Store, therapist: Store
) -> None:
    ann = factories.profile(store, name="Ana", setup_pain=6, now=SET_UP_AT)
    kept = factories.session(store, ann, MORNING, [("knee-to-chest", "right", "done")])
    dropped = factories.session(
        store, ann, MORNING + timedelta(days=1), [("pelvic-tilt", "none", "done")]
    )
    checkin = factories.rating(store, ann, 5, MORNING + timedelta(days=2), note="stiff")
    import_export(therapist, export_profile(store, ann.id, now=FIRST_EXPORT))
    assert rows_of(therapist, ann.id) == rows_of(store, ann.id)

    # A week later Ana corrects a check-in, deletes a session and adds a rating.
    records.edit_checkin(store, ann, checkin, pain=4, note="less stiff", is_flare=False)
    records.delete_session(store, ann, dropped)
    factories.rating(store, ann, 3, MORNING + timedelta(days=9))
    newer = export_profile(store, ann.id, now=SECOND_EXPORT)

    preview = preview_import(therapist, newer, update=True)
    by_table = {t.table: t for t in preview.tables}
    # pain_ratings: the file has 1 setup + 1 check-in (changed) + 1 new = 3 rows;
    # the deleted session's rows (1 session, 1 set, 1 prescription) are missing from it.
    assert (preview.profile_name, preview.profile_exists) == ("Ana", True)
    assert (by_table["pain_ratings"].rows_new, by_table["pain_ratings"].rows_changed) == (1, 1)
    assert (by_table["sessions"].rows_missing, by_table["set_records"].rows_missing) == (1, 1)
    assert by_table["session_prescriptions"].rows_missing == 1
    assert preview.rows_missing == 3
    # The setup rating is the first record, the new rating the last.
    assert (preview.first_record, preview.last_record) == (SET_UP_AT, MORNING + timedelta(days=9))
    assert therapist.con.execute("SELECT count(*) FROM pain_ratings").fetchone() == (2,)

    done = import_export(therapist, newer, update=True)
    assert (done.rows_added, done.rows_deleted) == (1, 0)
    assert therapist.con.execute("SELECT count(*) FROM profiles").fetchone() == (1,)
    notes = therapist.con.execute(
        "SELECT pain, note FROM pain_ratings WHERE id = ?", [checkin]
    ).fetchall()
    assert notes == [(4, "less stiff")]
    assert therapist.get_session(ann.id, dropped).id == dropped  # kept: nobody said delete

    again = import_export(therapist, newer, update=True, delete_missing=True)
    assert (again.rows_added, again.rows_changed, again.rows_deleted) == (0, 0, 3)
    assert rows_of(therapist, ann.id) == rows_of(store, ann.id)
    assert therapist.get_session(ann.id, kept).id == kept


def test_an_update_replaces_a_changed_programme_as_a_whole(store: Store, therapist: Store) -> None:
    ann = factories.profile(store, programme=[ProgrammeItem("knee-to-chest", 1, 20)] * 1)
    import_export(therapist, export_profile(store, ann.id, now=FIRST_EXPORT))
    store.save_programme(
        ann.id, [ProgrammeItem("pelvic-tilt", 10, 0), ProgrammeItem("side-bridge", 3, 10)]
    )
    newer = export_profile(store, ann.id, now=SECOND_EXPORT)

    plain = preview_import(therapist, newer)
    updated = preview_import(therapist, newer, update=True)
    programme = {t.table: t for t in updated.tables}["programme_items"]

    # Without update a programme already here is kept; with it, the file's two items
    # replace the one here (2 rows changed, nothing "missing": it is one programme).
    assert {t.table: t for t in plain.tables}["programme_items"].rows_new == 0
    assert (programme.rows_new, programme.rows_changed, programme.rows_missing) == (0, 2, 0)
    import_export(therapist, newer, update=True)
    assert therapist.get_programme(ann.id) == store.get_programme(ann.id)


def test_importing_the_same_file_as_an_update_changes_nothing(
    store: Store, therapist: Store
) -> None:
    ann = factories.profile(store)
    factories.every_table(store, ann)
    data = export_profile(store, ann.id, now=FIRST_EXPORT)
    import_export(therapist, data, update=True)
    before = rows_of(therapist, ann.id)

    preview = preview_import(therapist, data, update=True)
    done = import_export(therapist, data, update=True, delete_missing=True)

    assert (preview.rows_new, preview.rows_changed, preview.rows_missing) == (0, 0, 0)
    assert (done.rows_added, done.rows_changed, done.rows_deleted) == (0, 0, 0)
    assert rows_of(therapist, ann.id) == before


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: b"PK\x03\x04 not really a zip",
    ],
    ids=["cut short", "foreign"],
)
def test_a_damaged_or_foreign_file_changes_nothing_in_an_update(
    store: Store, therapist: Store, damage: object
) -> None:
    ann = factories.profile(store)
    factories.session(store, ann, MORNING, [("knee-to-chest", "right", "done")])
    import_export(therapist, export_profile(store, ann.id, now=FIRST_EXPORT))
    before = rows_of(therapist, ann.id)
    factories.rating(store, ann, 2, MORNING + timedelta(days=3))
    broken = damage(export_profile(store, ann.id, now=SECOND_EXPORT))  # type: ignore[operator]

    with pytest.raises(ExportFileError):
        import_export(therapist, broken, update=True, delete_missing=True)
    assert rows_of(therapist, ann.id) == before


def test_delete_missing_needs_an_update(store: Store, therapist: Store) -> None:
    ann = factories.profile(store)
    with pytest.raises(ValueError, match="update"):
        import_export(therapist, export_profile(store, ann.id), delete_missing=True)


def test_a_file_without_sessions_or_ratings_has_no_record_span(
    store: Store, therapist: Store
) -> None:
    ann = factories.profile(store, programme_start=date(2026, 3, 2))
    preview = preview_import(therapist, export_profile(store, ann.id, now=FIRST_EXPORT))
    assert (preview.first_record, preview.last_record) == (None, None)
