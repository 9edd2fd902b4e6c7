"""The caseload's set-based queries give, for every profile, the numbers of the per-profile
metric each one mirrors (one query over all profiles, not one per person)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest

from core.db.answers import care_first, care_first_all, report_signs
from core.db.flags import active_flags, active_flags_all, pain_stop_streak, pain_stop_streaks
from core.db.store import Store
from core.demo import generate
from core.domain.days import local_today, monday
from core.domain.models import Profile
from core.progress.adherence import (
    last_session_day,
    last_session_days,
    weekly_adherence,
    weekly_adherence_all,
)
from core.progress.caseload_data import caseload_rows, last_updated_all
from core.progress.pain import baseline, resting_pain_all, settled_baseline, window_mean
from core.progress.six_week import six_week_status
from tests import factories

#: A Wednesday evening in UTC: already Thursday in Auckland, still Wednesday in Los Angeles.
NOW = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
DEMO_TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def clinic() -> Iterator[tuple[Store, list[Profile]]]:
    """Four people: two demo profiles in far-apart zones, one with every table filled and a
    target changed, and one set up yesterday with nothing else."""
    with Store.open(":memory:") as store:
        generate(store, seed=7, today=DEMO_TODAY, name="Ana", time_zone="Pacific/Auckland")
        generate(store, seed=11, today=DEMO_TODAY, name="Ben", time_zone="America/Los_Angeles")
        cleo = factories.profile(
            store,
            name="Cleo",
            programme_start=date(2026, 10, 26),
            weekly_target=3,
            setup_pain=6,
            now=datetime(2026, 10, 26, 8, 0, tzinfo=UTC),
        )
        factories.every_table(store, cleo, at=datetime(2026, 11, 16, 9, 0, tzinfo=UTC))
        store.update_profile(cleo.id, weekly_target=5, now=datetime(2026, 11, 23, 9, tzinfo=UTC))
        report_signs(store, cleo, ["saddle_numbness"], now=datetime(2026, 11, 24, tzinfo=UTC))
        factories.profile(store, name="Dev", now=NOW - timedelta(days=1), setup_pain=4)
        yield store, store.list_profiles()


def days_of(profiles: list[Profile]) -> dict[str, date]:
    return {p.id: local_today(p, NOW) for p in profiles}


def test_the_clinic_spans_two_local_days(clinic: tuple[Store, list[Profile]]) -> None:
    _, profiles = clinic
    assert set(days_of(profiles).values()) == {date(2026, 11, 25), date(2026, 11, 26)}


def test_weekly_adherence_of_all_equals_each_profiles_own(
    clinic: tuple[Store, list[Profile]],
) -> None:
    store, profiles = clinic
    days = days_of(profiles)
    together = weekly_adherence_all(store, days, 5)
    assert len(together) == 5 * len(profiles)
    for profile in profiles:
        today = days[profile.id]
        own = weekly_adherence(store, profile, monday(today) - timedelta(weeks=4), today)
        mine = together[together["profile_id"] == profile.id].drop(columns="profile_id")
        pd.testing.assert_frame_equal(
            mine.reset_index(drop=True), own.reset_index(drop=True), check_dtype=False
        )
    assert together["sessions"].sum() > 0  # the demo profiles did exercise


def test_last_session_day_of_all_equals_each_profiles_own(
    clinic: tuple[Store, list[Profile]],
) -> None:
    store, profiles = clinic
    together = last_session_days(store, days_of(profiles))
    own = {p.id: last_session_day(store, p) for p in profiles}
    assert together == {pid: day for pid, day in own.items() if day is not None}
    # Cleo's one session was stopped with no set done, so it does not count; Dev has none.
    assert len(together) == 2


def test_resting_pain_of_all_gives_each_profiles_window_and_baseline(
    clinic: tuple[Store, list[Profile]],
) -> None:
    store, profiles = clinic
    days = days_of(profiles)
    together = resting_pain_all(store, days)
    for profile in profiles:
        today = days[profile.id]
        resting = together[profile.id]
        assert resting.window == pytest.approx(window_mean(store, profile, today))
        settled = settled_baseline(profile, today, resting.first_week, resting.setup_rating)
        assert settled == baseline(store, profile, as_of=today)
        quick = six_week_status(store, profile, today, base=settled, window=resting.window)
        assert quick == six_week_status(store, profile, today)


def test_flags_stops_and_warning_signs_of_all_equal_each_profiles_own(
    clinic: tuple[Store, list[Profile]],
) -> None:
    store, profiles = clinic
    flags, stops, signs = (
        active_flags_all(store),
        pain_stop_streaks(store),
        care_first_all(store, profiles),
    )
    exercises = {
        row[0]
        for row in store.con.execute("SELECT exercise_id FROM session_prescriptions").fetchall()
    }
    for profile in profiles:
        assert flags.get(profile.id, []) == list(active_flags(store, profile.id))
        for exercise in exercises:
            assert stops.get(profile.id, {}).get(exercise, 0) == pain_stop_streak(
                store, profile.id, exercise
            )
        assert signs.get(profile.id) == care_first(store, profile)
    cleo = next(p for p in profiles if p.name == "Cleo")
    # every_table stops side bridge once and reports night pain; saddle numbness is an
    # emergency sign, so that tier decides.
    assert (stops[cleo.id], signs[cleo.id]) == ({"side-bridge": 1}, "emergency")


def test_last_updated_is_the_latest_write_of_any_table(
    clinic: tuple[Store, list[Profile]],
) -> None:
    store, profiles = clinic
    dev = next(p for p in profiles if p.name == "Dev")
    # Dev was set up (profile, target, setup rating) at 14:00 UTC on 24 Nov: London's
    # 24 Nov too, in winter; nothing was written for Dev since.
    assert last_updated_all(store, days_of(profiles))[dev.id] == date(2026, 11, 24)


def test_the_caseload_rows_carry_the_numbers_of_each_persons_pages(
    clinic: tuple[Store, list[Profile]],
) -> None:
    store, profiles = clinic
    rows = {row.name: row for row in caseload_rows(store, profiles, NOW)}
    for profile in profiles:
        row, today = rows[profile.name], local_today(profile, NOW)
        status = six_week_status(store, profile, today)
        weeks = weekly_adherence(store, profile, monday(today), today)
        assert (row.pain_mean, row.pain_baseline, row.change) == (
            status.current,
            status.baseline,
            status.change,
        )
        assert (row.sessions_this_week, row.target_this_week) == (
            int(weeks["sessions"].iloc[0]),
            int(weeks["target"].iloc[0]),
        )
        assert row.last_session == last_session_day(store, profile)
    # Cleo: started Mon 26 Oct with target 3, raised to 5 from Mon 23 Nov. The four whole
    # weeks before this one (26 Oct .. 16 Nov) keep target 3: 4 x 3 = 12; her one session
    # (16 Nov, stopped for pain, no set done) does not count.
    cleo = rows["Cleo"]
    assert (cleo.sessions_4_weeks, cleo.target_4_weeks, cleo.target_this_week) == (0, 12, 5)
    assert (cleo.flagged, cleo.warning, cleo.hidden) == (("side-bridge",), "emergency", False)


def test_hidden_profiles_give_their_name_and_nothing_else(
    clinic: tuple[Store, list[Profile]],
) -> None:
    store, profiles = clinic
    ana = next(p for p in profiles if p.name == "Ana")
    rows = {row.name: row for row in caseload_rows(store, profiles, NOW, hidden={ana.id})}
    assert rows["Ana"].hidden and rows["Ana"].last_session is None
    assert rows["Ana"].pain_mean is None and rows["Ana"].sessions_4_weeks == 0
    assert not rows["Ben"].hidden
