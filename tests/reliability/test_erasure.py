"""Deleted means gone from the file: after a record, a session or a profile is deleted (or a
value corrected), no byte of what it held is left in the database file or its write-ahead
log, the rows are gone from every table, and what was not deleted is intact.

A file holds two demo profiles (eight and three weeks). Every text that can hold a person's
words carries a unique random marker (notes of check-ins, sessions and weekly check-ins,
PSFS activity names, the profile name, a share link's recipient), so finding a marker's
bytes in the file proves a copy survived. A concurrent browser session's read transaction
is held open during some deletions: those erasings must wait and then finish at the next
write. Figures: what was deleted, markers found after (0), and how long each erasing took
(reported, never asserted).
"""

from __future__ import annotations

import random
import secrets
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from core import demo
from core.db import records
from core.db.checkins import save_checkin, set_psfs_activities
from core.db.connection import cursor_for, open_database
from core.db.erasure import is_pending
from core.db.schema import TABLES
from core.db.store import Store
from core.sharing.links import create_link
from tests import factories

pytestmark = pytest.mark.reliability

TODAY = date(2026, 11, 24)
RNG_SEED = 15
CHECKINS_DELETED = 20
SESSIONS_DELETED = 5
CORRECTIONS = 10


def marked(tag: str) -> str:
    return f"{tag}-{secrets.token_hex(12)}"


def file_bytes(path: Path) -> bytes:
    wal = Path(f"{path}.wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def found(path: Path, markers: list[str]) -> int:
    data = file_bytes(path)
    return sum(marker.encode() in data for marker in markers)


@pytest.fixture
def household(tmp_path: Path) -> Iterator[tuple[Path, Store, Store, str, str]]:
    """The file, a session's store and another session's, and the two profile ids."""
    path = tmp_path / "erase.duckdb"
    con = open_database(path)
    try:
        with Store(cursor_for(con)) as mine, Store(cursor_for(con)) as theirs:
            ann = demo.generate(mine, seed=7, weeks=8, today=TODAY, name="Ann").profile_id
            bea = demo.generate(mine, seed=11, weeks=3, today=TODAY, name="Bea").profile_id
            yield path, mine, theirs, ann, bea
    finally:
        con.close()


def test_deleted_records_sessions_and_a_profile_leave_no_byte_in_the_file(
    household, figures
) -> None:
    path, mine, theirs, ann_id, bea_id = household
    rng = random.Random(RNG_SEED)
    ann = mine.get_profile(ann_id)
    timings: list[float] = []

    def timed(action):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        result = action()
        timings.append(time.perf_counter() - started)
        return result

    # Marked check-ins, of which some are deleted.
    checkins = {
        factories.rating(
            mine,
            ann,
            rng.randrange(11),
            datetime(2026, 11, 1, tzinfo=UTC) + timedelta(hours=i),
            note=marked("CHECKIN"),
        ): None
        for i in range(CHECKINS_DELETED * 2)
    }
    notes = dict(
        mine.con.execute(
            "SELECT id, note FROM pain_ratings WHERE id IN (SELECT unnest(?))", [list(checkins)]
        ).fetchall()
    )
    # Marked session notes: the demo's sessions get one each.
    sessions = [s.id for s in records.recent_sessions(mine, ann_id, limit=100)]
    session_notes = {sid: marked("SESSION") for sid in sessions}
    for sid, note in session_notes.items():
        records.edit_session(mine, ann, sid, notes=note, pains={})
    # Bea's words everywhere a person types.
    bea_words = [
        marked("BEA-NAME"),
        marked("BEA-ACT1"),
        marked("BEA-ACT2"),
        marked("BEA-ACT3"),
    ]
    mine.update_profile(bea_id, name=bea_words[0])
    bea = mine.get_profile(bea_id)
    set_psfs_activities(mine, bea_id, bea_words[1:])
    bea_note = marked("BEA-WEEK")
    save_checkin(mine, bea, date(2026, 11, 16), pgic=3, note=bea_note, today=TODAY)
    bea_recipient = marked("BEA-LINK")
    create_link(mine, bea_id, bea_recipient)
    bea_rating_note = marked("BEA-RATING")
    factories.rating(mine, bea, 4, datetime(2026, 11, 20, tzinfo=UTC), note=bea_rating_note)
    mine.con.execute("CHECKPOINT")
    everything = [
        *notes.values(),
        *session_notes.values(),
        *bea_words,
        bea_note,
        bea_recipient,
        bea_rating_note,
    ]
    assert found(path, everything) == len(everything), "every marker is in the file first"

    deleted_checkins = rng.sample(sorted(checkins), CHECKINS_DELETED)
    deleted_sessions = rng.sample(sessions, SESSIONS_DELETED)
    corrected = rng.sample(sorted(set(checkins) - set(deleted_checkins)), CORRECTIONS)
    gone = [notes[i] for i in deleted_checkins + corrected]
    gone += [session_notes[s] for s in deleted_sessions]
    waited = 0
    for number, rating_id in enumerate(deleted_checkins):
        busy = number % 5 == 0  # another session mid-page at the moment of every fifth
        if busy:
            theirs.con.begin()
            theirs.con.execute("SELECT count(*) FROM pain_ratings").fetchall()
        timed(lambda r=rating_id: records.delete_checkin(mine, ann, r))
        if busy:
            waited += is_pending(mine.con)
            theirs.con.commit()
    for rating_id in corrected:
        timed(
            lambda r=rating_id: records.edit_checkin(mine, ann, r, pain=1, note="", is_flare=False)
        )
    for session_id in deleted_sessions:
        timed(lambda s=session_id: records.delete_session(mine, ann, s))
    timed(lambda: records.delete_profile(mine, bea, bea_words[0]))
    gone += [*bea_words, bea_note, bea_recipient, bea_rating_note]
    pending_after = is_pending(mine.con)  # finished by the last erasing, nothing open

    left = [m for m in everything if m not in gone]
    figures.update(
        checkins_deleted=len(deleted_checkins),
        values_corrected=len(corrected),
        sessions_deleted=len(deleted_sessions),
        profiles_deleted=1,
        markers_checked=len(everything),
        markers_of_deleted_found=found(path, gone),
        markers_kept_found=found(path, left),
        markers_kept=len(left),
        erasings_that_waited=waited,
        erasings_still_owed=int(pending_after),
        bea_rows_left=sum(mine.table_counts(bea_id).values()),
        erase_ms_median=round(sorted(timings)[len(timings) // 2] * 1000),
        erase_ms_max=round(max(timings) * 1000),
        file_mb=round(path.stat().st_size / 1e6, 1),
    )
    assert found(path, gone) == 0
    assert found(path, left) == len(left), "what was not deleted is intact"
    assert waited == CHECKINS_DELETED // 5 and not pending_after
    assert mine.table_counts(bea_id) == {spec.name: 0 for spec in TABLES}
    assert mine.con.execute(
        "SELECT count(*) FROM pain_ratings WHERE id IN (SELECT unnest(?))", [deleted_checkins]
    ).fetchone() == (0,)
