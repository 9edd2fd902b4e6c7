"""Disk full or read-only file: a write that fails says it was not saved, keeps what the user
entered on screen, and damages nothing already saved.

Two ways in:

* **AppTest, injected.** As root, ``chmod`` does not stop writes, so the pages run with the
  store's cursor wrapped: while a failure is switched on, every statement that writes raises
  DuckDB's own ``duckdb.IOException`` with the text of a full disk, inside the store's real
  write path (``Store`` methods and their ``_write`` wrapper, transactions and rollbacks
  included). Each page is checked for the message, the widget values, and every row of every
  table before and after; then the failure is switched off and the same input is saved.
* **A real full and read-only file system** (``test_real_full_then_read_only_disk``): a
  3 MB tmpfs mounted in a private mount namespace (``unshare``), filled to the last byte, then
  remounted read-only. Skipped where mounting is not permitted.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from core.db import session_store
from core.db.connection import cursor_for
from core.db.schema import TABLES as SCHEMA_TABLES
from core.db.store import Store
from core.domain.models import ProgrammeItem
from tests.app.conftest import CLOCK_START as START
from tests.app.conftest import FakeClock, errors, titles
from tests.conftest import make_profile, short_preset_items
from tests.factories import sessions_of
from ui import clock

pytestmark = pytest.mark.reliability

DISK_FULL = 'IO Error: Could not write to file "{path}.wal": No space left on device'
NOT_SAVED = "Not saved: the disk is full"
_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|COPY|CHECKPOINT)\b", re.I)
TABLES = (*(spec.name for spec in SCHEMA_TABLES), "schema_migrations")


class Injector:
    """Switches write failures on and off; counts the writes it refused."""

    def __init__(self, path: Path) -> None:
        self.message = DISK_FULL.format(path=path)
        self.on = False
        self.refused = 0

    @contextmanager
    def failing(self) -> Iterator[None]:
        self.on = True
        try:
            yield
        finally:
            self.on = False

    def check(self, sql: object) -> None:
        if self.on and isinstance(sql, str) and _WRITE.match(sql):
            self.refused += 1
            raise duckdb.IOException(self.message)


class FailingCursor:
    """A DuckDB cursor whose writes raise while the injector says so; reads pass through."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, injector: Injector) -> None:
        self._cursor = cursor
        self._injector = injector

    def execute(self, query: object, *args: object, **kwargs: object):
        self._injector.check(query)
        return self._cursor.execute(query, *args, **kwargs)

    def executemany(self, query: object, *args: object, **kwargs: object):
        self._injector.check(query)
        return self._cursor.executemany(query, *args, **kwargs)

    def sql(self, query: object, *args: object, **kwargs: object):
        self._injector.check(query)
        return self._cursor.sql(query, *args, **kwargs)

    def __getattr__(self, name: str) -> object:
        return getattr(self._cursor, name)


@pytest.fixture
def injector(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Injector:
    """Every Store the app makes, and every cursor a browser session's store makes for a
    thread of its own, works through a FailingCursor."""
    made = Injector(db_path)
    original = Store.__init__

    def init(self: Store, con: duckdb.DuckDBPyConnection) -> None:
        original(self, FailingCursor(con, made))  # type: ignore[arg-type]

    def thread_cursor(con: duckdb.DuckDBPyConnection) -> FailingCursor:
        return FailingCursor(cursor_for(con), made)

    monkeypatch.setattr(Store, "__init__", init)
    monkeypatch.setattr(session_store, "cursor_for", thread_cursor)
    return made


@pytest.fixture
def tally(figures) -> Iterator[dict[str, int]]:
    counts = {"failed_writes_tried": 0, "not_saved_messages": 0, "inputs_kept": 0}
    counts |= {"rows_changed_by_a_failed_write": 0, "exceptions_reaching_a_user": 0}
    yield counts
    figures.update(counts)


def snapshot(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted: what "nothing already saved is damaged" compares."""
    with Store.open(path) as store:
        return {t: store.con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}


def fail_once(
    at: AppTest,
    injector: Injector,
    db_path: Path,
    tally: dict[str, int],
    action: Callable[[AppTest], object],
) -> None:
    """Run ``action`` with writes failing; check the message and that no row changed."""
    before = snapshot(db_path)
    refused = injector.refused
    with injector.failing():
        action(at)
    tally["failed_writes_tried"] += 1
    tally["exceptions_reaching_a_user"] += len(at.exception)
    assert not at.exception, [e.value for e in at.exception]
    assert injector.refused > refused, "the action did try to write"
    shown = " ".join(errors(at))
    assert NOT_SAVED in shown, errors(at)
    tally["not_saved_messages"] += 1
    after = snapshot(db_path)
    tally["rows_changed_by_a_failed_write"] += sum(before[t] != after[t] for t in TABLES)
    assert after == before


def kept(tally: dict[str, int], *pairs: tuple[object, object]) -> None:
    for shown, entered in pairs:
        assert shown == entered
        tally["inputs_kept"] += 1


# ------------------------------------------------------------------------------ the pages


def test_a_pain_check_in_that_cannot_be_saved_keeps_the_form(
    new_app, db_path: Path, injector: Injector, tally
) -> None:
    profile = make_profile(db_path, name="Ann")
    at = new_app()
    assert titles(at) == ["Hello, Ann"]
    at.radio(key="checkin_pain").set_value(4)
    at.text_area(key="checkin_note").input("Stiff after gardening")
    at.checkbox(key="checkin_flare").check()

    fail_once(at, injector, db_path, tally, lambda a: a.button(key="checkin_submit").click().run())
    assert any("still in the form" in e for e in errors(at))
    kept(
        tally,
        (at.radio(key="checkin_pain").value, 4),
        (at.text_area(key="checkin_note").value, "Stiff after gardening"),
        (at.checkbox(key="checkin_flare").value, True),
    )

    # The disk has room again: the same input is saved, once.
    at.button(key="checkin_submit").click().run()
    assert not at.exception and not at.error, errors(at)
    with Store.open(db_path) as store:
        rows = store.pain_ratings(profile.id)[["pain", "note", "is_flare"]].to_dict("records")
    assert rows == [{"pain": 4, "note": "Stiff after gardening", "is_flare": True}]


def test_a_programme_that_cannot_be_saved_stays_as_a_draft(
    new_app, db_path: Path, injector: Injector, tally
) -> None:
    profile = make_profile(db_path, programme=[ProgrammeItem("cat-cow", 10, 0)])
    at = new_app()
    at.switch_page("views/exercises.py").run()
    at.selectbox(key="preset_choice").set_value("short").run()
    at.button(key="use_preset").click().run()
    first = short_preset_items()[0]
    at.number_input(key=f"dose_reps_{first.exercise_id}").set_value(first.reps - 1).run()
    draft = [(n.key, n.value) for n in at.number_input if n.key.startswith("dose_")]

    fail_once(at, injector, db_path, tally, lambda a: a.button(key="save_programme").click().run())
    assert any("Your changes are still here" in e for e in errors(at))
    kept(tally, ([(n.key, n.value) for n in at.number_input if n.key.startswith("dose_")], draft))
    assert any("not saved yet" in c.value for c in at.caption)
    assert not at.button(key="save_programme").disabled

    at.button(key="save_programme").click().run()
    assert not at.exception and not at.error, errors(at)
    with Store.open(db_path) as store:
        saved = store.get_programme(profile.id)
    assert saved[0] == ProgrammeItem(first.exercise_id, first.reps - 1, first.hold_s)
    assert [item.exercise_id for item in saved] == [i.exercise_id for i in short_preset_items()]


def test_settings_that_cannot_be_saved_stay_in_the_form(
    new_app, db_path: Path, injector: Injector, tally
) -> None:
    profile = make_profile(db_path, name="Ann")
    at = new_app()
    at.switch_page("views/settings.py").run()
    at.text_input(key="settings_name").input("Annie")
    at.number_input(key="settings_weekly_target").set_value(3)
    at.number_input(key="settings_lead_in").set_value(12)
    at.toggle(key="settings_sound_on").set_value(False)

    fail_once(at, injector, db_path, tally, lambda a: a.button(key="settings_save").click().run())
    assert any("still in the form" in e for e in errors(at))
    kept(
        tally,
        (at.text_input(key="settings_name").value, "Annie"),
        (at.number_input(key="settings_weekly_target").value, 3),
        (at.number_input(key="settings_lead_in").value, 12),
        (at.toggle(key="settings_sound_on").value, False),
    )

    at.button(key="settings_save").click().run()
    assert not at.exception and not at.error, errors(at)
    with Store.open(db_path) as store:
        saved = store.get_profile(profile.id)
    assert (saved.name, saved.weekly_target, saved.lead_in_s, saved.sound_on) == (
        "Annie",
        3,
        12,
        False,
    )


def test_first_use_setup_that_cannot_be_saved_keeps_the_answers(
    new_app, db_path: Path, injector: Injector, tally
) -> None:
    at = new_app()
    assert titles(at) == ["Welcome to Back on Track"]
    at.text_input(key="setup_name").input("Bea")
    at.radio(key="setup_surgery").set_value("No")
    at.number_input(key="setup_weekly_target").set_value(4)

    fail_once(at, injector, db_path, tally, lambda a: a.button(key="setup_submit").click().run())
    kept(
        tally,
        (at.text_input(key="setup_name").value, "Bea"),
        (at.radio(key="setup_surgery").value, "No"),
        (at.number_input(key="setup_weekly_target").value, 4),
    )

    at.button(key="setup_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert titles(at) == ["Exercises"]


def _session_profile(db_path: Path) -> str:
    profile = make_profile(db_path, programme=[ProgrammeItem("supine-core", 3, 0)])
    with Store.open(db_path) as store:
        store.update_profile(profile.id, lead_in_s=0)
    return profile.id


def _sets(db_path: Path, profile_id: str) -> list[tuple[int, str]]:
    with Store.open(db_path) as store:
        return [
            (r.step_index, r.status)
            for s in sessions_of(store, profile_id)
            for r in store.set_records(profile_id, s.id)
        ]


def test_sets_that_cannot_be_saved_are_kept_and_saved_when_the_disk_has_room(
    new_app, db_path: Path, injector: Injector, fake_clock: FakeClock, tally
) -> None:
    profile_id = _session_profile(db_path)
    at = new_app()
    at.switch_page("views/session.py").run()
    at.radio(key="pain_before").set_value(3).run()

    # The session cannot even start: it says so and keeps the pain rating chosen.
    fail_once(at, injector, db_path, tally, lambda a: a.button(key="start_session").click().run())
    assert any("This session cannot start" in e for e in errors(at))
    kept(tally, (at.radio(key="pain_before").value, 3))

    at.button(key="start_session").click().run()
    assert not at.exception and not at.error, errors(at)
    fake_clock.advance(1)
    at.run()
    assert at.button(key="tap_done").label == "Done · rep 1 of 3"

    # A rep done while the disk is full: the page says it is not saved and moves on.
    fake_clock.advance(3)
    fail_once(at, injector, db_path, tally, lambda a: a.button(key="tap_done").click().run())
    assert any("Your progress is kept on this screen" in e for e in errors(at))
    kept(tally, (at.button(key="tap_done").label, "Done · rep 2 of 3"))
    assert _sets(db_path, profile_id) == []

    # Room again: the next rep saves the waiting one too, in order.
    fake_clock.advance(3)
    at.button(key="tap_done").click().run()
    assert not at.exception and not at.error, errors(at)
    assert _sets(db_path, profile_id) == [(0, "done"), (1, "done")]

    # The last rep, then the summary: saving the session fails, the answers stay.
    fake_clock.advance(3)
    at.button(key="tap_done").click().run()
    at.radio(key="pain_after").set_value(2).run()
    at.text_area(key="session_notes").input("Easier than Monday")

    fail_once(at, injector, db_path, tally, lambda a: a.button(key="finish_session").click().run())
    kept(
        tally,
        (at.radio(key="pain_after").value, 2),
        (at.text_area(key="session_notes").value, "Easier than Monday"),
    )
    at.button(key="finish_session").click().run()
    assert not at.exception, [e.value for e in at.exception]
    with Store.open(db_path) as store:
        (session,) = sessions_of(store, profile_id)
    assert (session.status, session.notes) == ("completed", "Easier than Monday")
    assert _sets(db_path, profile_id) == [(0, "done"), (1, "done"), (2, "done")]


def test_ending_an_unfinished_session_on_a_full_disk_says_it_was_not_saved(
    new_app, db_path: Path, injector: Injector, fake_clock: FakeClock, tally
) -> None:
    profile_id = _session_profile(db_path)
    with Store.open(db_path) as store:
        store.start_session(
            profile_id,
            [{"exercise_id": "supine-core", "reps": 3, "hold_s": 0}],
            prescribed={("supine-core", "none"): 3},
            now=START,
        )
    at = new_app()
    at.switch_page("views/session.py").run()
    fail_once(at, injector, db_path, tally, lambda a: a.button(key="end_unfinished").click().run())


def test_a_weekly_check_in_on_a_full_disk_says_it_was_not_saved(
    new_app, db_path: Path, injector: Injector, tally, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "now", lambda: START)
    make_profile(db_path, programme_start=date(2026, 11, 2))
    at = new_app()
    at.switch_page("views/weekly_review.py").run()
    week = f"{at.selectbox(key='review_week').value:%Y%m%d}"
    at.radio(key=f"checkin_pgic_{week}").set_value(2)
    at.text_area(key=f"checkin_note_{week}").input("Sitting is easier")
    fail_once(
        at, injector, db_path, tally, lambda a: a.button(key=f"checkin_save_{week}").click().run()
    )
    kept(tally, (at.text_area(key=f"checkin_note_{week}").value, "Sitting is easier"))


# --------------------------------------------------------------------- a real full disk

_REAL_DISK = textwrap.dedent(
    """
    import json, os, subprocess, sys
    sys.path.insert(0, sys.argv[2])
    import duckdb
    from datetime import UTC, date, datetime, timedelta
    from core.domain.models import ProgrammeItem
    from core.db.rows import SetRecord
    from core.db.store import Store, StoreError

    mount = sys.argv[1]
    path = os.path.join(mount, "full.duckdb")
    t0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    BIG = "x" * 990  # a 1 KB note: more than the free space left in the WAL's last block
    store = Store.open(path)
    profile = store.create_profile(name="Ann", time_zone="UTC", programme_start=date(2026, 3, 2),
                                   recent_surgery=False, now=t0)
    store.save_programme(profile.id, [ProgrammeItem("cat-cow", 10, 0)])
    session = store.start_session(profile.id, [], prescribed={("press-ups", "none"): 50}, now=t0)
    for i in range(40):
        store.add_pain_rating(profile.id, i % 11, note=f"saved before {i}", recorded_at=t0)

    def rows():
        return {t: store.con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                for t in ("profiles", "programme_items", "sessions", "set_records",
                          "pain_ratings")}

    def one_set(i):
        return SetRecord(session, i, "press-ups", "none", i + 1, "hold", 5.0, 5.0, "done",
                         t0, t0 + timedelta(seconds=5))

    writes = [
        ("pain rating", lambda i: store.add_pain_rating(profile.id, 5, note=f"{i:04d}" + BIG)),
        ("set", lambda i: store.record_set(profile.id, one_set(i))),
        ("programme", lambda i: store.save_programme(
            profile.id, [ProgrammeItem("bridge", 10 + i % 5, 5)])),
        ("settings", lambda i: store.update_profile(profile.id, weekly_target=1 + i % 7)),
    ]

    def attempt(n):
        messages = []
        for i in range(n):
            kind, write = writes[i % len(writes)]
            try:
                write(i)
                messages.append([kind, "stored"])
            except StoreError as error:
                messages.append([kind, str(error)])
            except Exception as error:
                messages.append([kind, f"UNEXPECTED {type(error).__name__}: {error}"])
        return messages

    before = rows()
    filler = os.path.join(mount, "filler")
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\\0" * 65536)
        except OSError:
            pass
    full = attempt(16)
    during = rows()
    kept_when_full = all(set(before[t]) <= set(during[t]) for t in ("pain_ratings", "set_records"))
    acknowledged_when_full = len(during["pain_ratings"]) + len(during["set_records"]) - len(
        before["pain_ratings"]) - len(before["set_records"])
    os.remove(filler)
    after_full = attempt(1)

    store.close()

    # Read-only media: the file system goes read-only while the app is closed.
    subprocess.run(["mount", "-o", "remount,ro", mount], check=True)
    try:
        Store.open(path).close()
        open_error = "opened"
    except StoreError as error:
        open_error = str(error)
    store = Store(duckdb.connect(path, read_only=True))
    before_ro = rows()
    read_only = attempt(8)
    during_ro = rows()
    store.close()
    subprocess.run(["mount", "-o", "remount,rw", mount], check=True)
    with Store.open(path) as store:
        after_ro = attempt(1)
        final = rows()
    with Store.open(path) as reopened:
        reopened_rows = {t: reopened.con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                         for t in final}
    print(json.dumps({
        "full": full, "after_full": after_full, "read_only": read_only, "after_ro": after_ro,
        "open_read_only_media": open_error,
        "kept_when_full": kept_when_full, "unchanged_when_ro": before_ro == during_ro,
        "appended_when_full": acknowledged_when_full,
        "reopened_equals_final": reopened_rows == final,
        "saved_before_kept": all(r in final["pain_ratings"] for r in before["pain_ratings"]),
    }))
    """
)


def _unshare() -> list[str]:
    """A private mount namespace; without root, inside a user namespace mapped to root."""
    user = [] if os.geteuid() == 0 else ["--user", "--map-root-user"]
    return ["unshare", *user, "--mount", "--propagation", "private"]


def _can_mount(tmp_path: Path) -> str | None:
    """None if a private tmpfs can be mounted here, else the reason it cannot."""
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return "unshare or mount is not installed"
    probe = subprocess.run(
        [
            *_unshare(),
            "mount",
            "-t",
            "tmpfs",
            "-o",
            "size=1m",
            "tmpfs",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if probe.returncode != 0:
        return f"cannot mount a tmpfs in a private mount namespace: {probe.stderr.strip()}"
    return None


@pytest.fixture(scope="module")
def real_disk(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run the real-disk script once: a 3 MB tmpfs in a private mount namespace (gone when
    the process ends) is filled to the last byte, freed, then remounted read-only."""
    workdir = tmp_path_factory.mktemp("real_disk")
    mount = workdir / "disk"
    mount.mkdir()
    reason = _can_mount(mount)
    if reason:
        pytest.skip(reason)
    repo = str(Path(__file__).resolve().parents[2])
    script = workdir / "real_disk.py"
    script.write_text(_REAL_DISK)
    done = subprocess.run(
        [
            *_unshare(),
            "sh",
            "-c",
            f'mount -t tmpfs -o size=3m tmpfs "{mount}" && exec "{sys.executable}" "{script}" '
            f'"{mount}" "{repo}"',
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_real_full_then_read_only_disk(real_disk: dict[str, Any], figures) -> None:
    """Each refused write says "Not saved", every earlier row survives, the first write after
    room returns is stored without a restart, and a reopen shows exactly what was stored."""
    result = real_disk
    full, read_only = result["full"], result["read_only"]
    refused = [(kind, m) for kind, m in full if m != "stored"]
    figures.update(
        disk_full_writes_tried=len(full),
        disk_full_refused=len(refused),
        disk_full_stored_in_slack=len(full) - len(refused),
        read_only_writes_tried=len(read_only),
        read_only_refused=sum("cannot be written (it is read-only)" in m for _, m in read_only),
        unexpected_errors=sum(m.startswith("UNEXPECTED") for _, m in full + read_only),
        saved_rows_damaged=int(not result["kept_when_full"]) + int(not result["unchanged_when_ro"]),
        writes_after_recovery_stored=[
            m for _, m in result["after_full"] + result["after_ro"]
        ].count("stored"),
    )
    # A full disk refuses what does not fit (a write that fits in a block the WAL already
    # has is stored, and counted as stored), always with a "Not saved" message.
    assert all(m.startswith("Not saved: ") for _, m in refused), full
    assert sum(kind == "pain rating" for kind, _ in refused) >= 2, full
    # Stored writes appended rows; refused ones left no trace; earlier rows all survive.
    appended = sum(1 for kind, m in full if m == "stored" and kind in ("pain rating", "set"))
    assert result["appended_when_full"] == appended
    assert result["kept_when_full"]
    assert all(
        m == "Not saved: the data file cannot be written (it is read-only). Nothing saved "
        "earlier was changed."
        for _, m in read_only
    ), read_only
    assert result["unchanged_when_ro"]
    assert [m for _, m in result["after_full"] + result["after_ro"]] == ["stored", "stored"]
    # Every acknowledged write is in the file after a reopen, nothing else.
    assert result["saved_before_kept"] and result["reopened_equals_final"]
    # Opening a file on read-only media for writing is refused with a message naming it.
    assert result["open_read_only_media"].startswith("Could not open the database"), result
    assert "full.duckdb" in result["open_read_only_media"]


def test_a_programme_refused_by_a_full_disk_says_the_disk_is_full(
    real_disk: dict[str, Any], figures
) -> None:
    refused = [m for kind, m in real_disk["full"] if kind == "programme" and m != "stored"]
    figures.update(
        programme_saves_refused=len(refused),
        said_disk_full=sum(m.startswith(NOT_SAVED) for m in refused),
    )
    assert refused
    assert all(m.startswith(NOT_SAVED) for m in refused), refused
