"""The demo generator: deterministic, realistic, and readable by the store."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd

from core.db.flags import active_flags, session_choice
from core.db.store import Store
from core.demo import PROVOKING, generate
from core.domain.catalog import default_catalog
from core.progress.exercises import exercise_table

TODAY = date(2026, 11, 24)


def _content(store: Store, profile_id: str) -> dict[str, pd.DataFrame]:
    """Row content that does not depend on generated ids."""
    con = store.con
    return {
        "sessions": con.execute(
            "SELECT started_at, ended_at, status, prescribed_sets, notes FROM sessions "
            "WHERE profile_id = ? ORDER BY started_at",
            [profile_id],
        ).df(),
        "sets": con.execute(
            "SELECT s.started_at AS session_start, r.step_index, r.status, r.duration_s "
            "FROM set_records r JOIN sessions s ON s.id = r.session_id "
            "WHERE r.profile_id = ? ORDER BY session_start, r.step_index",
            [profile_id],
        ).df(),
        "pain": con.execute(
            "SELECT recorded_at, pain, kind, is_flare FROM pain_ratings "
            "WHERE profile_id = ? ORDER BY recorded_at, kind",
            [profile_id],
        ).df(),
    }


def test_the_same_seed_gives_the_same_rows() -> None:
    with Store.open(":memory:") as first, Store.open(":memory:") as second:
        a = generate(first, seed=3, today=TODAY)
        b = generate(second, seed=3, today=TODAY)
        assert (a.sessions, a.set_records, a.pain_ratings) == (
            b.sessions,
            b.set_records,
            b.pain_ratings,
        )
        for name, frame in _content(first, a.profile_id).items():
            pd.testing.assert_frame_equal(frame, _content(second, b.profile_id)[name], obj=name)


def test_demo_has_gaps_falling_pain_and_exercises_that_hurt(store: Store) -> None:
    summary = generate(store, seed=7, today=TODAY)
    con = store.con
    weekly = con.execute(
        "SELECT date_trunc('week', started_at) AS week, count(*) FROM sessions "
        "WHERE profile_id = ? GROUP BY ALL ORDER BY week",
        [summary.profile_id],
    ).fetchall()
    assert min(count for _, count in weekly) <= 2, "one thin week"
    assert 20 <= summary.sessions <= 40
    first_week, last_week = con.execute(
        "SELECT avg(pain) FILTER (WHERE recorded_at < ?::TIMESTAMPTZ + INTERVAL 14 DAY), "
        "avg(pain) FILTER (WHERE recorded_at >= ?::TIMESTAMPTZ - INTERVAL 14 DAY) "
        "FROM pain_ratings WHERE profile_id = ? AND kind IN ('before', 'after', 'checkin')",
        ["2026-09-29", "2026-11-24", summary.profile_id],
    ).fetchone()
    assert 5.0 <= first_week <= 7.0
    assert 2.0 <= last_week <= 4.0
    hurt = {
        row[0]
        for row in con.execute(
            "SELECT DISTINCT exercise_id FROM set_records "
            "WHERE profile_id = ? AND status = 'stopped_for_pain'",
            [summary.profile_id],
        ).fetchall()
    }
    assert hurt and hurt <= set(PROVOKING)
    assert store.active_session(summary.profile_id) is None
    counts = store.table_counts(summary.profile_id)
    assert counts["set_records"] == summary.set_records
    assert counts["pain_ratings"] == summary.pain_ratings


def latest_instants(store: Store, profile_id: str) -> dict[str, object]:
    """The latest time in every timestamp column the demo writes."""
    return {
        column: store.con.execute(
            f"SELECT max({column}) FROM {table} WHERE profile_id = ?", [profile_id]
        ).fetchone()[0]
        for table, column in (
            ("sessions", "started_at"),
            ("sessions", "ended_at"),
            ("set_records", "completed_at"),
            ("pain_ratings", "recorded_at"),
        )
    }


def test_no_record_is_later_than_the_moment_the_demo_is_made() -> None:
    # 20:00 on the last day, London (UTC+0 in November); seed 7's last session that day
    # starts before and ends after it (20:21), so it is left out whole.
    now = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
    with Store.open(":memory:") as whole_day, Store.open(":memory:") as until_now:
        full = generate(whole_day, seed=7, today=TODAY)
        cut = generate(until_now, seed=7, today=TODAY, now=now)
        assert max(latest_instants(whole_day, full.profile_id).values()) > now
        assert max(latest_instants(until_now, cut.profile_id).values()) <= now
        assert cut.sessions == full.sessions - 1
        assert until_now.table_counts(cut.profile_id)["sessions"] == cut.sessions


def test_without_a_day_the_demo_ends_now(store: Store) -> None:
    before = datetime.now(UTC)
    summary = generate(store, seed=7)
    assert max(latest_instants(store, summary.profile_id).values()) <= datetime.now(UTC)
    assert max(latest_instants(store, summary.profile_id).values()) > before - timedelta(days=3)


def test_discuss_on_progress_is_what_a_session_leaves_out() -> None:
    """Seed 7 stops side bridge in two sessions in a row, the second ending at 08:28 on
    17 Nov; its therapist clears it before the next session. Made at noon that day, the
    flag is still open: Progress marks it, and a session of the programme leaves it out."""
    now = datetime(2026, 11, 17, 12, 0, tzinfo=UTC)
    with Store.open(":memory:") as store:
        summary = generate(store, seed=7, today=TODAY, now=now)
        profile = store.get_profile(summary.profile_id)
        table = exercise_table(store, profile, profile.programme_start, date(2026, 11, 17))
        discussed = set(table[table["discuss"]]["exercise_id"])
        left_out = set(session_choice(store, profile, default_catalog()).flagged)
        assert discussed == left_out == set(active_flags(store, profile.id)) == {"side-bridge"}
        # Made at the end of the day, after the clearing: nothing to discuss, nothing left out.
        later = generate(store, seed=7, today=TODAY)
        profile = store.get_profile(later.profile_id)
        table = exercise_table(store, profile, profile.programme_start, TODAY)
        assert not table["discuss"].any()
        assert session_choice(store, profile, default_catalog()).flagged == ()
