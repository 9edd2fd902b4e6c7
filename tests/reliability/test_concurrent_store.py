"""Concurrent use at the store level: 8 threads x 500 writes through the app's own
connection handling (one process-wide connection, ``cursor_for(con)`` per thread), for one
profile shared by every thread and for a profile per thread. Every write is stored exactly
once and no thread sees an exception.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.db.connection import cursor_for, open_database
from core.db.store import Store
from core.db.versions import data_version
from tests import factories

pytestmark = pytest.mark.reliability

THREADS = 8
WRITES_PER_THREAD = 500
READ_EVERY = 50
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
JOIN_TIMEOUT_S = 300


@dataclass
class Worker:
    """What one thread wrote, saw and suffered."""

    number: int
    profile_id: str
    session_id: str
    pain_notes: list[str] = field(default_factory=list)
    set_steps: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seen_counts: list[int] = field(default_factory=list)


def _work(con, worker: Worker, start: threading.Barrier) -> None:
    """Half pain ratings, half set records, alternating; a read every READ_EVERY writes."""
    try:
        store = Store(cursor_for(con))
    except Exception as error:  # pragma: no cover - reported by the assertions
        worker.errors.append(f"cursor: {error!r}")
        return
    with store:
        start.wait(timeout=JOIN_TIMEOUT_S)
        for i in range(WRITES_PER_THREAD):
            moment = T0 + timedelta(seconds=i)
            try:
                if i % 2 == 0:
                    note = f"thread {worker.number} write {i} '); DROP TABLE pain_ratings; --"
                    store.add_pain_rating(worker.profile_id, i % 11, note=note, recorded_at=moment)
                    worker.pain_notes.append(note)
                else:
                    # Distinct step indices per thread: a shared session stays one session.
                    step = worker.number * 10_000 + i
                    done = factories.a_set(
                        worker.session_id,
                        step,
                        exercise_id="press-ups",
                        side="none",
                        prescribed_s=5.0,
                        started_at=moment,
                    )
                    store.record_set(worker.profile_id, done)
                    worker.set_steps.append(step)
                if i % READ_EVERY == READ_EVERY - 1:
                    counts = store.table_counts(worker.profile_id)
                    worker.seen_counts.append(counts["pain_ratings"] + counts["set_records"])
            except Exception as error:
                worker.errors.append(f"write {i}: {type(error).__name__}: {error}")


def _seed(store: Store, names: list[str]) -> list[tuple[str, str]]:
    """A profile (and its running session) per name: [(profile id, session id)]."""
    made = []
    for name in names:
        profile = factories.profile(store, name=name, time_zone="Europe/Berlin", now=T0)
        session_id = factories.session(
            store, profile, T0, prescribed={("press-ups", "none"): 15}, finish=False
        )
        made.append((profile.id, session_id))
    return made


@pytest.mark.parametrize("profiles", ["one profile", "a profile per thread"])
def test_eight_threads_write_500_times_each_and_every_write_is_stored_once(
    tmp_path: Path, profiles: str, figures
) -> None:
    with open_database(tmp_path / "concurrent.duckdb") as con, Store(cursor_for(con)) as setup:
        names = ["Shared"] if profiles == "one profile" else [f"P{n}" for n in range(THREADS)]
        seeded = _seed(setup, names)
        workers = [Worker(n, *seeded[0 if len(seeded) == 1 else n]) for n in range(THREADS)]
        versions_before = {pid: data_version(pid) for pid, _ in seeded}
        start = threading.Barrier(THREADS)
        threads = [
            threading.Thread(target=_work, args=(con, w, start), name=f"writer-{w.number}")
            for w in workers
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=JOIN_TIMEOUT_S)
        hung = [thread.name for thread in threads if thread.is_alive()]

        errors = [e for w in workers for e in w.errors]
        attempted = THREADS * WRITES_PER_THREAD
        expected_notes = Counter(note for w in workers for note in w.pain_notes)
        expected_steps = Counter((w.session_id, step) for w in workers for step in w.set_steps)
        stored_notes = Counter(
            row[0]
            for row in setup.con.execute(
                "SELECT note FROM pain_ratings WHERE kind = 'checkin'"
            ).fetchall()
        )
        stored_steps = Counter(
            (row[0], row[1])
            for row in setup.con.execute(
                "SELECT session_id, step_index FROM set_records"
            ).fetchall()
        )
        stored = sum(stored_notes.values()) + sum(stored_steps.values())
        bumps = sum(data_version(pid) - versions_before[pid] for pid, _ in seeded)
        figures.update(
            threads=THREADS,
            writes_attempted=attempted,
            writes_acknowledged=sum(len(w.pain_notes) + len(w.set_steps) for w in workers),
            writes_stored=stored,
            duplicates=sum(c - 1 for c in (stored_notes + stored_steps).values() if c > 1),
            exceptions=len(errors),
            data_version_bumps=bumps,
        )

        assert not hung, f"threads still running after {JOIN_TIMEOUT_S} s: {hung}"
        assert errors == [], errors[:10]
        assert stored_notes == expected_notes
        assert stored_steps == expected_steps
        assert stored == attempted
        # Every thread's own reads only ever grew (it never saw a write disappear).
        for worker in workers:
            assert worker.seen_counts == sorted(worker.seen_counts), worker.number
        # Each write bumped its profile's data version exactly once (the caches' key).
        assert bumps == attempted
        # Rows belong to the profile that wrote them, and nothing else was written.
        for profile_id, session_id in seeded:
            counts = setup.table_counts(profile_id)
            mine = [w for w in workers if w.profile_id == profile_id]
            assert counts["pain_ratings"] == sum(len(w.pain_notes) for w in mine)
            assert counts["set_records"] == sum(len(w.set_steps) for w in mine)
            assert counts["sessions"] == 1
            assert setup.active_session(profile_id).id == session_id  # type: ignore[union-attr]

    # The file reopens with every row (what a restart would see).
    with Store.open(tmp_path / "concurrent.duckdb") as again:
        total = sum(
            sum(again.table_counts(pid)[t] for t in ("pain_ratings", "set_records"))
            for pid, _ in seeded
        )
    figures["writes_after_reopen"] = total
    assert total == attempted
