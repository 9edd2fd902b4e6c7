"""The private copy a share link reads (core.scope) and the therapist view's helpers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from core import demo
from core.db.flags import clear_flag, flag_exercise
from core.db.schema import TABLES
from core.db.scope import COPIED_TABLES, scoped_store
from core.db.store import Store
from core.domain.wording import format_instant
from core.files.calendar import (
    DEFAULT_DURATION_MIN,
    SUGGESTED_DAYS,
    suggested_days,
    suggested_minutes,
)
from core.progress.dashboard import shared_range, weeks_between
from core.sharing.links import create_link, range_words, shared_header
from tests import factories
from ui.text import md_escape

TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
ZONE = "America/New_York"  # UTC-5 in November: a day ends at 05:00 UTC the next day


def counts(store: Store, profile_id: str) -> dict[str, int]:
    return store.table_counts(profile_id)


def test_the_copy_holds_one_profile_and_only_its_range(store: Store) -> None:
    ann = demo.generate(store, seed=7, weeks=8, today=TODAY, name="Ann").profile_id
    bea = demo.generate(store, seed=11, weeks=3, today=TODAY, name="Bea").profile_id
    create_link(store, ann, "physio", now=NOW)
    start, end = date(2026, 11, 2), date(2026, 11, 15)
    with scoped_store(store, ann, start, end) as scoped:
        assert [p.id for p in scoped.list_profiles()] == [ann]
        assert counts(scoped, bea) == dict.fromkeys(counts(scoped, bea), 0)
        copied = counts(scoped, ann)
        assert copied["share_links"] == copied["share_access_log"] == 0
        assert copied["programme_items"] == 0
        days = scoped.con.execute(
            "SELECT min(CAST(timezone('Europe/London', started_at) AS DATE)), "
            "max(CAST(timezone('Europe/London', started_at) AS DATE)) FROM sessions"
        ).fetchone()
        assert days is not None and start <= days[0] and days[1] <= end
        rated = scoped.con.execute(
            "SELECT min(CAST(timezone('Europe/London', recorded_at) AS DATE)), "
            "max(CAST(timezone('Europe/London', recorded_at) AS DATE)) FROM pain_ratings"
        ).fetchone()
        assert rated is not None and start <= rated[0] and rated[1] <= end
        # Every set record and prescription belongs to a copied session.
        orphans = scoped.con.execute(
            "SELECT count(*) FROM set_records WHERE session_id NOT IN (SELECT id FROM sessions)"
        ).fetchone()
        assert orphans == (0,)
        full = store.con.execute(
            "SELECT count(*) FROM sessions WHERE profile_id = ? "
            "AND CAST(timezone('Europe/London', started_at) AS DATE) BETWEEN ? AND ?",
            [ann, start, end],
        ).fetchone()
        assert full == (copied["sessions"],) and copied["sessions"] > 0


def test_days_are_the_profiles_local_days(store: Store) -> None:
    profile = factories.profile(
        store,
        time_zone=ZONE,
        programme_start=date(2026, 11, 2),
        now=datetime(2026, 11, 2, 14, 0, tzinfo=UTC),
    )
    late_evening = datetime(2026, 11, 11, 4, 30, tzinfo=UTC)  # 23:30 on 10 Nov in New York
    next_morning = datetime(2026, 11, 11, 5, 30, tzinfo=UTC)  # 00:30 on 11 Nov
    factories.rating(store, profile, 3, late_evening)
    factories.rating(store, profile, 4, next_morning)
    with scoped_store(store, profile.id, date(2026, 11, 2), date(2026, 11, 10)) as scoped:
        rows = scoped.con.execute("SELECT pain FROM pain_ratings").fetchall()
    assert rows == [(3,)]


def test_what_would_reveal_other_dates_is_masked(store: Store) -> None:
    profile = factories.profile(
        store,
        programme_start=date(2026, 10, 5),
        setup_pain=7,
        now=datetime(2026, 10, 5, 9, 0, tzinfo=UTC),
    )
    flag_exercise(
        store,
        profile.id,
        "bridge",
        reason="Stopped twice",
        now=datetime(2026, 11, 3, 9, tzinfo=UTC),
    )
    clear_flag(store, profile.id, "bridge", now=datetime(2026, 11, 20, 9, tzinfo=UTC))
    with scoped_store(store, profile.id, date(2026, 11, 2), date(2026, 11, 15)) as scoped:
        copy = scoped.get_profile(profile.id)
        flags = scoped.con.execute("SELECT exercise_id, cleared_at FROM exercise_flags").fetchall()
        setup = scoped.con.execute("SELECT count(*) FROM pain_ratings").fetchone()
    assert copy.setup_pain is None, "setup happened before the range"
    assert flags == [("bridge", None)], "the clearing after the range is left out"
    assert setup == (0,)

    with scoped_store(store, profile.id, date(2026, 10, 1), date(2026, 11, 30)) as whole:
        assert whole.get_profile(profile.id).setup_pain == 7


def test_copied_tables_cover_every_per_profile_table_but_the_links() -> None:
    per_profile = {spec.name for spec in TABLES}
    left_out = per_profile - set(COPIED_TABLES)
    # Warning signs are not on the therapist's dashboard or in the report: never copied.
    assert left_out == {
        "share_links",
        "share_access_log",
        "programme_items",
        "warning_signs",
        "profile_pins",
    }


def test_bad_ranges_and_profiles_are_refused(store: Store) -> None:
    profile = factories.profile(store, programme_start=TODAY, now=NOW)
    with pytest.raises(ValueError, match="after it ends"):
        scoped_store(store, profile.id, TODAY, TODAY - timedelta(days=1))
    with pytest.raises(KeyError):
        scoped_store(store, "nobody", TODAY, TODAY)


# --------------------------------------------------------------------------- helpers


def test_shared_range_fills_open_ends_and_never_passes_today(store: Store) -> None:
    ann_id = demo.generate(store, seed=7, weeks=8, today=TODAY, name="Ann").profile_id
    ann = store.get_profile(ann_id)
    first = ann.programme_start
    assert shared_range(store, ann, None, None, TODAY) == (first, TODAY)
    assert shared_range(store, ann, date(2026, 11, 2), None, TODAY) == (
        date(2026, 11, 2),
        TODAY,
    )
    assert shared_range(store, ann, date(2026, 11, 2), date(2026, 12, 31), TODAY) == (
        date(2026, 11, 2),
        TODAY,
    )
    assert shared_range(store, ann, date(2026, 12, 1), None, TODAY) is None


def test_words_for_the_therapist_view() -> None:
    expires = datetime(2026, 12, 8, 3, 30, tzinfo=UTC)
    assert (
        shared_header("Ann", expires, "Europe/London")
        == "Shared by Ann, read-only, link expires Tue 8 Dec 2026"
    )
    # The expiry day is the owner's local day: 03:30 UTC is still 7 Dec in New York.
    assert shared_header(" ", expires, ZONE).endswith("expires Mon 7 Dec 2026")
    assert shared_header("", expires, ZONE).startswith("Shared by your patient")
    assert range_words(None, None) == "all dates"
    assert range_words(date(2026, 11, 2), None) == "from Mon 2 Nov 2026"
    assert range_words(None, date(2026, 11, 2)) == "until Mon 2 Nov 2026"
    assert format_instant(None, ZONE) == "–"
    assert format_instant(expires, ZONE) == "Mon 7 Dec 2026, 22:30"
    assert weeks_between(date(2026, 11, 4), date(2026, 11, 17)) == [
        date(2026, 11, 16),
        date(2026, 11, 9),
        date(2026, 11, 2),
    ]


def test_calendar_suggestions() -> None:
    assert suggested_days(3) == ("MO", "WE", "FR")
    assert suggested_days(14) == SUGGESTED_DAYS[7]
    assert suggested_minutes(None) == DEFAULT_DURATION_MIN
    assert suggested_minutes(61) == 2
    assert suggested_minutes(10**6) == 240


def test_names_cannot_format_or_link() -> None:
    assert md_escape("Ann") == "Ann"
    assert md_escape("[x](javascript:alert(1)) **b** :red[c] $x$") == (
        r"\[x\]\(javascript\:alert\(1\)\) \*\*b\*\* \:red\[c\] \$x\$"
    )
