"""History stays true: each week's adherence uses the weekly target in force that week.

A target change applies from the Monday of the week it is made in; earlier weeks keep the
target they had (``weekly_targets``). Every expected value is worked out by hand below.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest

from core.db.migrations import LATEST_VERSION
from core.db.store import Store
from core.files.export import export_profile
from core.files.export_format import ExportFileError
from core.files.merging import import_export
from core.progress.adherence import target_in_force, weekly_adherence
from core.progress.weekly import weekly_review
from tests import factories

START = date(2026, 3, 2)  # a Monday
DONE = [("bridge", "none", "done")]


def at(day: date, hour: int = 9) -> datetime:
    """A time on ``day`` in London (UTC+0 in March, before summer time)."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def targets_table(store: Store, profile_id: str) -> list[tuple[date, int]]:
    return [
        (row[0], int(row[1]))
        for row in store.con.execute(
            "SELECT week_start, target FROM weekly_targets WHERE profile_id = ? ORDER BY 1",
            [profile_id],
        ).fetchall()
    ]


def test_raising_the_target_leaves_past_weeks_as_they_were(store: Store) -> None:
    ann = factories.profile(store, weekly_target=4, now=at(START, 8))
    # Four sessions in each of the weeks of 2 and 9 March: 4 of 4, 100% each.
    for week in (0, 7):
        for day in range(4):
            factories.session(store, ann, at(START + timedelta(days=week + day)), DONE)
    # On Wednesday 18 March the target goes from 4 to 5; that week has five sessions.
    ann = store.update_profile(ann.id, weekly_target=5, now=at(date(2026, 3, 18), 10))
    for day in range(5):
        factories.session(store, ann, at(date(2026, 3, 16) + timedelta(days=day), 7), DONE)

    assert targets_table(store, ann.id) == [(date(2026, 3, 2), 4), (date(2026, 3, 16), 5)]
    weeks = weekly_adherence(store, ann, START, date(2026, 3, 22))
    # 4/4 = 100%, 4/4 = 100%, 5/5 = 100% (with today's target for all: 80%, 80%, 100%).
    assert weeks[["sessions", "target", "adherence_pct"]].to_dict("records") == [
        {"sessions": 4, "target": 4, "adherence_pct": 100.0},
        {"sessions": 4, "target": 4, "adherence_pct": 100.0},
        {"sessions": 5, "target": 5, "adherence_pct": 100.0},
    ]
    old_week = weekly_review(store, ann, date(2026, 3, 9), today=date(2026, 3, 22))
    assert (old_week.target, old_week.met_target, old_week.adherence_pct) == (4, True, 100.0)
    # Three weeks in a row met the target that each of them had.
    this_week = weekly_review(store, ann, date(2026, 3, 16), today=date(2026, 3, 22))
    assert (this_week.target, this_week.streak) == (5, 3)


def test_lowering_the_target_does_not_turn_old_weeks_into_125_percent(store: Store) -> None:
    ann = factories.profile(store, weekly_target=5, now=at(START, 8))
    for day in range(5):
        factories.session(store, ann, at(START + timedelta(days=day)), DONE)
    ann = store.update_profile(ann.id, weekly_target=4, now=at(date(2026, 3, 10)))
    weeks = weekly_adherence(store, ann, START, date(2026, 3, 15))
    # Week of 2 Mar: 5 of its own 5 = 100% (5 of today's 4 would read 125%).
    assert weeks[["target", "adherence_pct"]].to_dict("records") == [
        {"target": 5, "adherence_pct": 100.0},
        {"target": 4, "adherence_pct": 0.0},
    ]


def test_two_changes_in_one_week_keep_the_last_and_a_future_start_is_superseded(
    store: Store,
) -> None:
    later = date(2026, 4, 6)  # a programme that starts in five weeks
    ann = factories.profile(store, weekly_target=3, programme_start=later, now=at(START))
    assert targets_table(store, ann.id) == [(later, 3)]
    store.update_profile(ann.id, weekly_target=6, now=at(date(2026, 3, 4)))
    store.update_profile(ann.id, weekly_target=2, now=at(date(2026, 3, 5)))
    # One row for the week of 2 March (the last choice); the row for April is gone, or it
    # would bring back 3 from then on.
    assert targets_table(store, ann.id) == [(START, 2)]
    ann = store.get_profile(ann.id)
    assert [target_in_force(store, ann, day) for day in (date(2026, 1, 5), later)] == [2, 2]


def test_saving_other_settings_records_no_target_change(store: Store) -> None:
    ann = factories.profile(store, weekly_target=4, now=at(START))
    store.update_profile(ann.id, weekly_target=4, sound_on=False, now=at(date(2026, 5, 6)))
    assert targets_table(store, ann.id) == [(START, 4)]


def test_a_profile_without_target_rows_uses_its_current_target(store: Store) -> None:
    """Files written before the table existed (or by a bulk writer) have no rows."""
    ann = factories.profile(store, weekly_target=2, now=at(START))
    store.con.execute("DELETE FROM weekly_targets")
    factories.session(store, ann, at(START), DONE)
    weeks = weekly_adherence(store, ann, START, START)
    assert weeks[["target", "adherence_pct"]].to_dict("records") == [
        {"target": 2, "adherence_pct": 50.0}
    ]


def without_targets(data: bytes, schema_version: int = 1) -> bytes:
    """The export as an app of ``schema_version`` 1 wrote it: no weekly_targets file."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            if name.startswith("weekly_targets."):
                continue
            content = source.read(name)
            if name == "manifest.json":
                manifest = json.loads(content)
                manifest["schema_version"] = schema_version
                manifest["tables"] = [
                    t for t in manifest["tables"] if t["name"] != "weekly_targets"
                ]
                content = json.dumps(manifest).encode()
            target.writestr(name, content)
    return out.getvalue()


def test_an_export_from_before_the_table_imports_and_uses_the_profiles_target(
    store: Store,
) -> None:
    ann = factories.profile(store, weekly_target=3, now=at(START))
    factories.session(store, ann, at(START), DONE)
    old = without_targets(export_profile(store, ann.id, file_format="csv", now=at(START, 20)))
    with Store.open(":memory:") as fresh:
        result = import_export(fresh, old)
        assert result.added()["weekly_targets"] == 0
        assert result.added()["sessions"] == 1
        imported = fresh.get_profile(ann.id)
        weeks = weekly_adherence(fresh, imported, START, START)
        assert weeks[["target", "sessions"]].to_dict("records") == [{"target": 3, "sessions": 1}]


def test_a_current_export_missing_the_table_is_refused(store: Store) -> None:
    ann = factories.profile(store, now=at(START))
    data = export_profile(store, ann.id, file_format="csv", now=at(START, 20))
    broken = without_targets(data, schema_version=LATEST_VERSION)
    with Store.open(":memory:") as fresh:
        with pytest.raises(ExportFileError, match="the table weekly_targets is missing"):
            import_export(fresh, broken)
        assert fresh.list_profiles() == []
