"""Progress metrics (core.progress) and weekly check-ins (core.db.checkins) on hand-computed data.

Every fixture is built through the Store API; every expectation was worked out by hand and is
compared whole (full data frames, full dataclasses).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from core.db.checkins import WeeklyCheckin, get_checkin, save_checkin, set_psfs_activities
from core.db.flags import active_flags, clear_flag, flag_exercise, pain_stop_streak
from core.db.store import Store
from core.db.versions import data_version
from core.domain.models import Profile
from core.domain.validation import ValidationError
from core.domain.wording import format_change, format_pain, format_streak
from core.progress.adherence import (
    done_for_today,
    dose_by_exercise,
    session_days,
    weekly_adherence,
)
from core.progress.checkin_series import pgic_series, psfs_series
from core.progress.exercises import exercise_table
from core.progress.pain import Baseline, baseline, pain_points, pain_rolling
from core.progress.ranges import data_extent, preset_range, weeks_since
from core.progress.session_effect import (
    EffectSummary,
    effect_summary,
    effect_words,
    session_pairs,
)
from core.progress.six_week import SixWeekStatus, six_week_status
from core.progress.weekly import (
    DayPain,
    HurtExercise,
    Note,
    PsfsScore,
    WeeklyReview,
    change_words,
    format_day_pain,
    hurt_words,
    target_words,
    week_label,
    weekly_review,
)
from tests import factories

LONDON = "Europe/London"
START = date(2026, 3, 2)  # a Monday
NAN = np.nan


# --------------------------------------------------------------------------- helpers


def local(tz: str, year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A wall-clock time in ``tz``, as an aware UTC datetime (what the app stores)."""
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def on(day: date, hour: int = 12, minute: int = 0, tz: str = LONDON) -> datetime:
    return local(tz, day.year, day.month, day.day, hour, minute)


def d(offset: int) -> date:
    """The programme day ``offset`` days after START."""
    return START + timedelta(days=offset)


def profile_set_up_a_month_early(
    store: Store,
    *,
    tz: str = LONDON,
    start: date = START,
    target: int = 3,
    setup_pain: int | None = None,
) -> Profile:
    """Ann, aiming at ``target`` sessions a week, set up at 08:00 local a month before her
    programme starts: a setup rating lies before week one, whatever today's date is."""
    return factories.profile(
        store,
        time_zone=tz,
        programme_start=start,
        weekly_target=target,
        setup_pain=setup_pain,
        now=local(tz, start.year, start.month, start.day, 8) - timedelta(days=30),
    )


def dates(*values: str) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values)), dtype="datetime64[us]")


def frame(columns: dict[str, object], dtypes: dict[str, str]) -> pd.DataFrame:
    data = pd.DataFrame(columns)
    return data.astype({name: dtype for name, dtype in dtypes.items() if name in data})


DONE = [("bridge", "none", "done")]


# --------------------------------------------------------------------------- calendar


def test_session_days_tells_outcomes_apart_and_counts_only_sessions_with_a_done_set(
    store: Store,
) -> None:
    p = profile_set_up_a_month_early(store)
    factories.session(store, p, on(d(0), 9), [*DONE, *DONE])
    factories.session(
        store, p, on(d(1), 9), [*DONE, ("bridge", "none", "skipped")], status="partial"
    )
    factories.session(
        store,
        p,
        on(d(1), 18),
        [*DONE, ("side-bridge", "left", "stopped_for_pain")],
        status="stopped_for_pain",
    )
    # Ended without a single done set: does not count.
    factories.session(store, p, on(d(2), 9), [("bridge", "none", "skipped")], status="partial")
    # Still running: does not count.
    factories.session(store, p, on(d(3), 9), DONE, finish=False)

    result = session_days(store, p, d(0), d(3))

    expected = frame(
        {
            "day": dates("2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"),
            "week_start": dates(*["2026-03-02"] * 4),
            "weekday": [0, 1, 2, 3],
            "sessions": [1, 2, 0, 0],
            "completed": [1, 0, 0, 0],
            "partial": [0, 1, 0, 0],
            "stopped_for_pain": [0, 1, 0, 0],
            "category": ["completed", "stopped_for_pain", "none", "none"],
        },
        {"weekday": "int64", "sessions": "int64", "category": "str"},
    )
    pd.testing.assert_frame_equal(result, expected)


# --------------------------------------------------------------------------- adherence


def test_weekly_adherence_with_extra_sessions_a_missed_week_and_partial_dose(
    store: Store,
) -> None:
    p = profile_set_up_a_month_early(store, target=3)
    # Week of 2 Mar: four sessions (one more than the target), each 2 of 2 sets done.
    for offset in (0, 1, 3, 5):
        factories.session(store, p, on(d(offset), 9), [*DONE, *DONE])
    # Week of 9 Mar: nothing at all.
    # Week of 16 Mar: one counted session (2 of 4 done), one ended with 0 of 4 done
    # (not counted, but its prescription is in the dose), one still running (left out).
    four = {("bridge", "none"): 2, ("side-bridge", "left"): 2}
    factories.session(
        store,
        p,
        on(d(14), 9),
        [*DONE, ("bridge", "none", "done"), ("side-bridge", "left", "skipped")],
        prescribed=four,
        status="partial",
    )
    factories.session(
        store, p, on(d(16), 9), [("bridge", "none", "skipped")], prescribed=four, status="partial"
    )
    factories.session(store, p, on(d(18), 9), DONE, prescribed=four, finish=False)

    result = weekly_adherence(store, p, d(2), d(15))

    expected = frame(
        {
            "week_start": dates("2026-03-02", "2026-03-09", "2026-03-16"),
            "sessions": [4, 0, 1],
            "target": [3, 3, 3],
            "adherence_pct": [400 / 3, 0.0, 100 / 3],
            "done_sets": [8, 0, 2],
            "prescribed_sets": [8, 0, 8],
            "dose_pct": [100.0, NAN, 25.0],
        },
        {"sessions": "int64", "target": "int64", "done_sets": "int64", "prescribed_sets": "int64"},
    )
    pd.testing.assert_frame_equal(result, expected)


def test_dose_by_exercise_and_side(store: Store) -> None:
    p = profile_set_up_a_month_early(store)
    factories.session(
        store,
        p,
        on(d(0)),
        [
            ("side-bridge", "right", "done"),
            ("side-bridge", "right", "done"),
            ("side-bridge", "left", "done"),
            ("side-bridge", "left", "stopped_for_pain"),
        ],
        status="stopped_for_pain",
    )
    factories.session(
        store,
        p,
        on(d(1)),
        [("side-bridge", "right", "done"), ("bridge", "none", "done")],
        prescribed={("side-bridge", "right"): 2, ("side-bridge", "left"): 2, ("bridge", "none"): 3},
        status="partial",
    )
    result = dose_by_exercise(store, p, d(0), d(6))
    expected = frame(
        {
            "exercise_id": ["bridge", "side-bridge", "side-bridge"],
            "side": ["none", "left", "right"],
            "sessions": [1, 2, 2],
            "prescribed": [3, 4, 4],
            "done": [1, 1, 3],
            "dose_pct": [100 / 3, 25.0, 75.0],
        },
        {"sessions": "int64", "prescribed": "int64", "done": "int64"},
    )
    pd.testing.assert_frame_equal(result, expected)


# --------------------------------------------------------------------------- weeks across DST


@pytest.mark.parametrize(
    ("tz", "first_monday"),
    [
        # Europe/London leaves summer time on Sunday 25 Oct 2026 (UTC+1 -> UTC+0).
        (LONDON, date(2026, 10, 19)),
        # America/New_York leaves it on Sunday 1 Nov 2026 (UTC-4 -> UTC-5).
        ("America/New_York", date(2026, 10, 26)),
    ],
)
def test_weeks_and_days_across_the_end_of_summer_time(
    store: Store, tz: str, first_monday: date
) -> None:
    sunday = first_monday + timedelta(days=6)
    next_monday = first_monday + timedelta(days=7)
    p = profile_set_up_a_month_early(store, tz=tz, start=first_monday)
    # 00:30 local on the first Monday (the previous Sunday in UTC for London in summer).
    factories.session(store, p, on(first_monday, 0, 30, tz), DONE)
    # 00:30 and 23:30 local on the Sunday the clocks go back: both that Sunday.
    factories.session(store, p, on(sunday, 0, 30, tz), DONE)
    factories.session(store, p, on(sunday, 23, 30, tz), DONE)
    # 00:30 local on the next Monday: the next week.
    factories.session(store, p, on(next_monday, 0, 30, tz), DONE)
    factories.rating(store, p, 6, on(sunday, 23, 30, tz))
    factories.rating(store, p, 2, on(next_monday, 0, 30, tz))

    weeks = weekly_adherence(store, p, first_monday, next_monday)
    assert weeks["week_start"].tolist() == [pd.Timestamp(first_monday), pd.Timestamp(next_monday)]
    assert weeks["sessions"].tolist() == [3, 1]

    days = session_days(store, p, first_monday, next_monday)
    assert days["sessions"].tolist() == [1, 0, 0, 0, 0, 0, 2, 1]
    assert days["week_start"].tolist() == [pd.Timestamp(first_monday)] * 7 + [
        pd.Timestamp(next_monday)
    ]

    review = weekly_review(store, p, next_monday, next_monday + timedelta(days=6))
    assert (review.sessions, review.pain_mean, review.previous_pain_mean) == (1, 2.0, 6.0)
    assert review.best_day == DayPain(next_monday, 2.0, 1)


def test_a_week_spanning_new_year(store: Store) -> None:
    tz = "Europe/Berlin"
    p = profile_set_up_a_month_early(store, tz=tz, start=date(2026, 12, 28), target=4)
    factories.session(store, p, local(tz, 2026, 12, 28, 0, 10), DONE)  # 27 Dec 23:10 UTC
    factories.session(store, p, local(tz, 2026, 12, 31, 23, 30), DONE)
    factories.session(store, p, local(tz, 2027, 1, 1, 0, 30), DONE)  # 31 Dec 23:30 UTC
    factories.session(store, p, local(tz, 2027, 1, 3, 23, 30), DONE)
    factories.session(store, p, local(tz, 2027, 1, 4, 0, 30), DONE)  # 3 Jan 23:30 UTC
    factories.session(store, p, local(tz, 2026, 12, 27, 23, 50), DONE)  # the week before

    weeks = weekly_adherence(store, p, date(2026, 12, 21), date(2027, 1, 4))
    expected = frame(
        {
            "week_start": dates("2026-12-21", "2026-12-28", "2027-01-04"),
            "sessions": [1, 4, 1],
            "target": [4, 4, 4],
            "adherence_pct": [25.0, 100.0, 25.0],
            "done_sets": [1, 4, 1],
            "prescribed_sets": [1, 4, 1],
            "dose_pct": [100.0, 100.0, 100.0],
        },
        {"sessions": "int64", "target": "int64", "done_sets": "int64", "prescribed_sets": "int64"},
    )
    pd.testing.assert_frame_equal(weeks, expected)
    days = session_days(store, p, date(2026, 12, 31), date(2027, 1, 4))
    assert days["sessions"].tolist() == [1, 1, 0, 1, 1]
    assert days["week_start"].dt.date.tolist() == [date(2026, 12, 28)] * 4 + [date(2027, 1, 4)]
    review = weekly_review(store, p, date(2026, 12, 30), date(2027, 1, 6))
    assert (review.week_start, review.week_end, review.sessions, review.met_target) == (
        date(2026, 12, 28),
        date(2027, 1, 3),
        4,
        True,
    )
    assert weeks_since(data_extent(store, p)[0], p, date(2027, 1, 6)) == [
        date(2027, 1, 4),
        date(2026, 12, 28),
        date(2026, 12, 21),
    ]


# --------------------------------------------------------------------------- pain trend


def test_pain_points_are_resting_ratings_one_by_one_over_a_short_span(store: Store) -> None:
    p = profile_set_up_a_month_early(store)
    factories.rating(store, p, 5, on(d(0), 8, 15), "before")
    # Not resting ratings: right after a session, and during one exercise.
    factories.rating(store, p, 3, on(d(0), 8, 45), "after")
    factories.rating(store, p, 7, on(d(0), 8, 30), "exercise", exercise_id="bridge")
    factories.rating(store, p, 6, on(d(2), 21), "checkin", note="Long drive.", is_flare=True)
    factories.rating(store, p, 9, on(d(9), 21))  # outside the range
    result = pain_points(store, p, d(0), d(6))
    expected = frame(
        {
            "at": pd.Series(
                pd.to_datetime(["2026-03-02 08:15", "2026-03-04 21:00"]),
                dtype="datetime64[us]",
            ),
            "kind": ["before", "checkin"],
            "pain": [5.0, 6.0],
            "n": [1, 1],
            "is_flare": [False, True],
            "note": ["", "Long drive."],
            "resolution": ["rating"] * 2,
        },
        {"n": "int64"},
    )
    pd.testing.assert_frame_equal(result, expected)


def test_pain_points_become_daily_weekly_then_monthly_means_by_the_shared_rule(
    store: Store,
) -> None:
    p = profile_set_up_a_month_early(store)
    factories.rating(store, p, 4, on(d(0), 8), "before")
    factories.rating(store, p, 6, on(d(0), 18), "before")
    factories.rating(store, p, 2, on(d(200), 8), "before", is_flare=True)
    daily = pain_points(store, p, d(0), d(200))
    expected = frame(
        {
            "at": dates("2026-03-02 12:00", "2026-09-18 12:00"),
            "kind": ["before", "before"],
            "pain": [5.0, 2.0],
            "n": [2, 1],
            "is_flare": [False, True],
            "note": ["", ""],
            "resolution": ["day", "day"],
        },
        {"n": "int64"},
    )
    pd.testing.assert_frame_equal(daily, expected)

    factories.rating(store, p, 8, on(d(3), 8), "before")  # the same week as day 0
    factories.rating(store, p, 1, on(d(800), 8), "before")
    weekly = pain_points(store, p, d(0), d(800))
    assert weekly["resolution"].unique().tolist() == ["week"]
    assert weekly["at"].tolist()[0] == pd.Timestamp("2026-03-05 12:00")  # Thursday noon
    assert weekly["pain"].tolist() == [6.0, 2.0, 1.0]
    assert weekly["n"].tolist() == [3, 1, 1]

    # 1200 days touch 172 Monday weeks, within the 300 points a trace may draw: still weeks
    # (until the shared rule of core.progress.periods, months began beyond three years).
    factories.rating(store, p, 5, on(d(1200), 8), "before")
    assert pain_points(store, p, d(0), d(1200))["resolution"].unique().tolist() == ["week"]

    # Day 2099 (Sun 30 Nov 2031) closes the 300th Monday week: weeks. Day 2100 opens the
    # 301st: one point per calendar month, on the 15th at noon.
    factories.rating(store, p, 3, on(d(29), 8), "before")  # 31 Mar 2026: month of days 0, 3
    factories.rating(store, p, 7, on(d(2099), 8), "before")
    just_under = pain_points(store, p, d(0), d(2099))
    assert just_under["resolution"].unique().tolist() == ["week"]
    assert len(just_under) == 6  # the weeks of days 0 (and 3), 29, 200, 800, 1200, 2099
    factories.rating(store, p, 9, on(d(2100), 8), "before")
    monthly = pain_points(store, p, d(0), d(2100))
    expected = frame(
        {
            "at": dates(
                "2026-03-15 12:00",
                "2026-09-15 12:00",
                "2028-05-15 12:00",
                "2029-06-15 12:00",
                "2031-11-15 12:00",
                "2031-12-15 12:00",
            ),
            "kind": ["before"] * 6,
            "pain": [(4 + 6 + 8 + 3) / 4, 2.0, 1.0, 5.0, 7.0, 9.0],
            "n": [4, 1, 1, 1, 1, 1],
            "is_flare": [False, True, False, False, False, False],
            "note": [""] * 6,
            "resolution": ["month"] * 6,
        },
        {"n": "int64"},
    )
    pd.testing.assert_frame_equal(monthly, expected)


def test_rolling_mean_uses_every_resting_rating_of_the_trailing_seven_local_days(
    store: Store,
) -> None:
    p = profile_set_up_a_month_early(store)
    factories.rating(store, p, 10, on(d(-1), 21))  # before the range: still in the first windows
    factories.rating(store, p, 4, on(d(0), 8), "before")
    factories.rating(store, p, 6, on(d(0), 9), "after")
    factories.rating(store, p, 9, on(d(0), 8, 30), "exercise", exercise_id="bridge")  # ignored
    factories.rating(store, p, 2, on(d(2), 23, 30))
    factories.rating(store, p, 8, on(d(9), 7))
    result = pain_rolling(store, p, d(0), d(16))
    # Resting ratings only (the 6 right after the session is left out):
    # d0, d1: window holds 10, 4 -> 7; d2..d5: 10, 4, 2 -> 16/3.
    # d6: window d0..d6 = 4, 2 -> 3. d7, d8: only 2 (d2). d9..d15: only 8. d16: empty.
    expected_days = [d(i) for i in range(16)]
    expected = frame(
        {
            "day": pd.Series(pd.to_datetime(expected_days), dtype="datetime64[us]"),
            "mean_7d": [7.0] * 2 + [16 / 3] * 4 + [3.0, 2.0, 2.0] + [8.0] * 7,
            "ratings_7d": [2, 2, 3, 3, 3, 3, 2, 1, 1] + [1] * 7,
        },
        {"ratings_7d": "int64"},
    )
    pd.testing.assert_frame_equal(result, expected)


# --------------------------------------------------------------------------- baseline


def test_baseline_is_the_mean_of_programme_week_one(store: Store) -> None:
    p = profile_set_up_a_month_early(store, setup_pain=9)  # setup rating 30 days before the start
    factories.rating(store, p, 6, on(d(0), 8), "before")
    factories.rating(store, p, 5, on(d(3), 8), "after")
    factories.rating(store, p, 4, on(d(6), 23, 59))
    # Not a trend rating:
    factories.rating(store, p, 10, on(d(2), 8), "exercise", exercise_id="bridge")
    factories.rating(store, p, 1, on(d(7), 0, 1))  # week 2
    factories.rating(store, p, 1, on(d(-1), 23, 59))  # before the start
    # Resting ratings of week 1: 6 (before) and 4 (check-in); the 5 right after is left out.
    assert baseline(store, p) == Baseline(5.0, "first_week", 2)


def test_baseline_so_far_uses_only_what_was_known_on_the_day(store: Store) -> None:
    p = profile_set_up_a_month_early(store, setup_pain=9)  # set up 30 days before the start
    factories.rating(store, p, 6, on(d(1), 8), "before")
    factories.rating(store, p, 2, on(d(4), 21))
    # On day 3 of week 1 only the 6 is known; by its end, (6 + 2) / 2 = 4.
    assert baseline(store, p, as_of=d(2)) == Baseline(6.0, "first_week", 1)
    assert baseline(store, p, as_of=d(6)) == Baseline(4.0, "first_week", 2)
    assert baseline(store, p, as_of=d(30)) == Baseline(4.0, "first_week", 2)
    # Before the start: only the setup rating, given 30 days before it.
    assert baseline(store, p, as_of=d(-1)) == Baseline(9.0, "setup", 1)
    assert baseline(store, p, as_of=d(-31)) == Baseline(None, None, 0)


def test_baseline_falls_back_to_the_setup_rating_then_to_none(store: Store) -> None:
    with_setup = profile_set_up_a_month_early(store, setup_pain=7)
    factories.rating(store, with_setup, 3, on(d(8)))  # only in week 2
    assert baseline(store, with_setup) == Baseline(7.0, "setup", 1)

    without = profile_set_up_a_month_early(store)
    factories.rating(store, without, 3, on(d(8)))
    assert baseline(store, without) == Baseline(None, None, 0)


# --------------------------------------------------------------------------- six-week status


#: The end of programme week 6: Mon 2 Mar 2026 + 41 days.
END = "Sun 12 Apr 2026"
KEEP_RATING = (
    "Keep going, and rate your pain before your sessions and at check-ins: the trend follows "
    "those ratings."
)
MEANINGFUL_WORDS = "meaningful improvement (30% or more below baseline)"
NOT_YET_STEP = (
    f"Keep going. If you are not better by {END}, the end of programme week 6, see a doctor "
    "or physical therapist."
)
SEE_SOMEONE = (
    "See a doctor or physical therapist about your back: not better after about six weeks is "
    "the usual point to get checked again (NHS back pain guidance)."
)


def status(
    as_of: date,
    week: int,
    state: str,
    line: str,
    next_step: str,
    tone: str,
    *,
    current: float | None,
    ratings: int,
    change: str | None = None,
    base: float | None = 6.0,
    source: str | None = "first_week",
) -> SixWeekStatus:
    """The expected status, with every derived number computed as the code must."""
    reduction = None if base is None or current is None else base - current
    return SixWeekStatus(
        as_of=as_of,
        week=week,
        state=state,  # type: ignore[arg-type]
        line=line,
        next_step=next_step,
        tone=tone,  # type: ignore[arg-type]
        baseline=base,
        baseline_source=source,  # type: ignore[arg-type]
        current=current,
        current_ratings=ratings,
        reduction=reduction,
        reduction_pct=None if reduction is None or not base else 100.0 * reduction / base,
        change=change,  # type: ignore[arg-type]
        meaningful=reduction is not None and bool(base) and reduction >= 0.3 * base - 1e-9,
        two_points=reduction is not None and reduction >= 2.0 - 1e-9,
        threshold_30=None if base is None else base * (1 - 0.3),
        threshold_2=None if base is None else base - 2.0,
    )


@pytest.fixture
def six(store: Store) -> Profile:
    """Baseline 6.0: two ratings of 6 in programme week 1."""
    p = profile_set_up_a_month_early(store)
    factories.rating(store, p, 6, on(d(0)))
    factories.rating(store, p, 6, on(d(1)))
    return p


def ratings_on(store: Store, p: Profile, day: date, values: Sequence[int]) -> None:
    for minute, value in enumerate(values):
        factories.rating(store, p, value, on(day, 9, minute))


def test_meaningful_improvement_on_both_sides_of_the_30_percent_threshold(
    store: Store, six: Profile
) -> None:
    ratings_on(store, six, d(23), [4] * 9 + [5])  # mean 4.1: 32% below 6.0
    assert six_week_status(store, six, d(23)) == status(
        d(23),
        4,
        "compared",
        f"Programme week 4 of 6: pain 4.1, down 1.9 from baseline 6.0 (32%): {MEANINGFUL_WORDS}",
        "Keep going with your programme.",
        "success",
        change="meaningful",
        current=4.1,
        ratings=10,
    )
    ratings_on(store, six, d(30), [4, 4, 4, 5, 4])  # mean 4.2: exactly 30% below
    result = six_week_status(store, six, d(30))
    assert (result.change, result.line) == (
        "meaningful",
        f"Programme week 5 of 6: pain 4.2, down 1.8 from baseline 6.0 (30%): {MEANINGFUL_WORDS}",
    )
    ratings_on(store, six, d(16), [4, 5, 4, 5, 4])  # mean 4.4: 27% below, 1.6 points
    assert six_week_status(store, six, d(16)) == status(
        d(16),
        3,
        "compared",
        "Programme week 3 of 6: pain 4.4, down 1.6 from baseline 6.0 (27%): not yet 2 points or "
        "30% better",
        NOT_YET_STEP,
        "info",
        change="not_yet",
        current=4.4,
        ratings=5,
    )


def test_two_points_better_but_not_yet_30_percent_names_the_threshold_met(store: Store) -> None:
    p = profile_set_up_a_month_early(store)
    ratings_on(store, p, d(0), [9, 9])
    ratings_on(store, p, d(10), [7])  # 2.0 points: 9 -> 7 is 22%, under 30%
    assert six_week_status(store, p, d(10)) == status(
        d(10),
        2,
        "compared",
        "Programme week 2 of 6: pain 7.0, down 2.0 from baseline 9.0 (22%): 2 points better (one "
        "published threshold); not yet 30%",
        f"Keep going. If you are not 30% better by {END}, the end of programme week 6, talk to "
        "your physical therapist about your programme.",
        "info",
        change="two_points",
        current=7.0,
        ratings=1,
        base=9.0,
    )
    ratings_on(store, p, d(45), [7])  # programme week 7, still 2 points and 22%
    after = six_week_status(store, p, d(45))
    assert (after.change, after.tone, after.line, after.next_step) == (
        "two_points",
        "info",
        "Programme week 7: pain 7.0, down 2.0 from baseline 9.0 (22%): 2 points better (one "
        "published threshold); not yet 30%",
        "Talk to your physical therapist about your programme: you are 2 points better than "
        "your baseline, but not yet 30%.",
    )
    # Never called "not meaningfully better" when 2 points better.
    assert "not meaningfully" not in after.line + after.next_step


def test_six_week_status_before_at_and_after_week_six(store: Store, six: Profile) -> None:
    ratings_on(store, six, d(33), [5])  # week 5
    ratings_on(store, six, d(41), [5])  # the last day of week 6
    ratings_on(store, six, d(42), [5])  # the first day of week 7
    not_yet = "pain 5.0, down 1.0 from baseline 6.0 (17%): not yet 2 points or 30% better"
    assert six_week_status(store, six, d(33)) == status(
        d(33),
        5,
        "compared",
        f"Programme week 5 of 6: {not_yet}",
        NOT_YET_STEP,
        "info",
        change="not_yet",
        current=5.0,
        ratings=1,
    )
    assert six_week_status(store, six, d(41)).line == f"Programme week 6 of 6: {not_yet}"
    assert six_week_status(store, six, d(42)) == status(
        d(42),
        7,
        "compared",
        f"Programme week 7: {not_yet} after six weeks",
        SEE_SOMEONE,
        "warning",
        change="not_yet",
        current=5.0,
        ratings=2,
    )
    ratings_on(store, six, d(50), [3])
    assert six_week_status(store, six, d(50)) == status(
        d(50),
        8,
        "compared",
        f"Programme week 8: pain 3.0, down 3.0 from baseline 6.0 (50%): {MEANINGFUL_WORDS}",
        "Keep going with your programme. Tell your physical therapist how it is going.",
        "success",
        change="meaningful",
        current=3.0,
        ratings=1,
    )


def test_a_page_of_monday_weeks_counts_programme_days(store: Store, six: Profile) -> None:
    ratings_on(store, six, d(41), [5])
    by_days = six_week_status(store, six, d(41), counting="days")
    assert by_days.line == (
        "Programme day 42 of 42: pain 5.0, down 1.0 from baseline 6.0 (17%): not yet 2 points or "
        "30% better"
    )
    ratings_on(store, six, d(50), [5])
    assert six_week_status(store, six, d(50), counting="days").line.startswith(
        "Programme day 51: pain 5.0"
    )
    ratings_on(store, six, d(3), [6])
    assert six_week_status(store, six, d(3), counting="days").line == (
        "Programme day 4 of 42: building your baseline (pain 6.0 so far). From programme day 8 "
        "your pain is compared with it."
    )


def test_six_week_status_worse_no_change_and_no_recent_ratings(store: Store, six: Profile) -> None:
    ratings_on(store, six, d(15), [7])
    assert six_week_status(store, six, d(15)) == status(
        d(15),
        3,
        "compared",
        "Programme week 3 of 6: pain 7.0, up 1.0 from baseline 6.0 (17%): worse than at the start",
        "If your pain keeps rising, talk to your physical therapist or doctor; get help at once "
        "if a warning sign appears.",
        "warning",
        change="not_yet",
        current=7.0,
        ratings=1,
    )
    ratings_on(store, six, d(25), [6])
    assert six_week_status(store, six, d(25)).line == (
        "Programme week 4 of 6: pain 6.0, same as baseline 6.0: no change yet"
    )
    assert six_week_status(store, six, d(35)) == status(
        d(35),
        6,
        "no_recent_ratings",
        "Programme week 6 of 6: no pain ratings in the 7 days to Mon 6 Apr 2026. Rate your pain "
        "to compare it with your baseline 6.0.",
        "Rate your pain today, so that it can be compared with your baseline.",
        "info",
        current=None,
        ratings=0,
    )


def test_six_week_status_without_data_before_the_start_and_in_week_one(store: Store) -> None:
    p = profile_set_up_a_month_early(store)
    assert six_week_status(store, p, d(3)) == status(
        d(3),
        1,
        "no_data",
        "No pain ratings yet: rate your pain before a session or at a check-in, and your trend "
        "and six-week status will appear here.",
        "Rate your pain now (0 to 10), then before each session.",
        "info",
        current=None,
        ratings=0,
        base=None,
        source=None,
    )
    assert six_week_status(store, p, d(-1)).line == (
        "Your programme starts on Mon 2 Mar 2026: the six-week window begins then."
    )
    ratings_on(store, p, d(1), [5, 6])
    ratings_on(store, p, d(5), [10])  # later in week 1: not known on day 3
    assert six_week_status(store, p, d(2)) == status(
        d(2),
        1,
        "first_week",
        "Programme week 1 of 6: building your baseline (pain 5.5 so far). From programme week 2 "
        "your pain is compared with it.",
        KEEP_RATING,
        "info",
        current=5.5,
        ratings=2,
        base=5.5,
    )
    with_setup = profile_set_up_a_month_early(store, setup_pain=7)
    assert six_week_status(store, with_setup, d(0)).line == (
        "Programme week 1 of 6: your starting pain is 7.0 (from setup). Rate your pain in the "
        "programme's first seven days to set your baseline."
    )


def test_resting_ratings_only_on_a_small_fixture(store: Store, six: Profile) -> None:
    """The rule of the demo's check in the issue: the 7-day mean, the baseline and the status
    use resting ratings only."""
    day = d(20)
    s1 = factories.session(store, six, on(day, 8), DONE)
    factories.rating(store, six, 4, on(day, 8), "before", session_id=s1)
    factories.rating(store, six, 1, on(day, 8, 25), "after", session_id=s1)
    factories.rating(store, six, 5, on(day, 21))  # a check-in
    # Resting: (4 + 5) / 2 = 4.5 (with the 1 right after, it would be 10 / 3 = 3.33).
    result = six_week_status(store, six, day)
    assert (result.current, result.current_ratings, result.baseline) == (4.5, 2, 6.0)
    # 6.0 -> 4.5 is 1.5 points, 25%: not yet (with the after rating it would look meaningful).
    assert result.change == "not_yet"


# --------------------------------------------------------------------------- exercises


def test_exercise_table_counts_pain_and_the_discuss_rule(store: Store) -> None:
    p = profile_set_up_a_month_early(store)
    a, b, c, e = "bridge", "side-bridge", "bird-dog", "cat-cow"
    every = {(a, "none"): 1, (b, "left"): 1, (c, "right"): 1, (e, "none"): 1}
    no_c = {(a, "none"): 1, (b, "left"): 1, (e, "none"): 1}
    no_ce = {(a, "none"): 1, (b, "left"): 1}
    sessions = [
        # s1: b and c and e stopped for pain; pain 5 -> 4; b hurt 6 during it.
        (
            [
                (a, "none", "done"),
                (b, "left", "stopped_for_pain"),
                (c, "right", "stopped_for_pain"),
                (e, "none", "stopped_for_pain"),
            ],
            every,
            (5, 4),
        ),
        # s2: b stopped again (second in a row: discuss); c not prescribed; e only skipped.
        (
            [(a, "none", "done"), (b, "left", "stopped_for_pain"), (e, "none", "skipped")],
            no_c,
            (6, 6),
        ),
        # s3: c stopped again (the next session prescribing it: discuss); e stopped again,
        # but s2 prescribed e without stopping it: no discuss for e.
        (
            [
                (a, "none", "done"),
                (b, "left", "done"),
                (c, "right", "stopped_for_pain"),
                (e, "none", "stopped_for_pain"),
            ],
            every,
            (4, 2),
        ),
        # s4: before rating only: not paired.
        ([(a, "none", "done"), (b, "left", "done")], no_ce, (3, None)),
    ]
    for offset, (sets, prescribed, (before, after)) in enumerate(sessions):
        when = on(d(offset), 9)
        session_id = factories.session(store, p, when, sets, prescribed=prescribed)
        # As the Session page does after each stop: flag at two sessions in a row.
        for exercise_id, _, status in sets:
            if status == "stopped_for_pain" and pain_stop_streak(store, p.id, exercise_id) >= 2:
                flag_exercise(store, p.id, exercise_id, reason="two in a row", now=when)
        factories.rating(store, p, before, when, "before", session_id=session_id)
        if after is not None:
            factories.rating(
                store, p, after, when + timedelta(minutes=19), "after", session_id=session_id
            )
        if offset < 2:
            factories.rating(
                store, p, 6 + offset, when, "exercise", session_id=session_id, exercise_id=b
            )
    # A running session that stopped b: left out.
    factories.session(store, p, on(d(5), 9), [(b, "left", "stopped_for_pain")], finish=False)

    result = exercise_table(store, p, d(0), d(6))
    expected = frame(
        {
            "exercise_id": [b, c, e, a],
            "sessions": [4, 2, 3, 4],
            "times_done": [2, 0, 0, 4],
            "times_stopped": [2, 2, 2, 0],
            "exercise_pain": [6.5, NAN, NAN, NAN],
            "exercise_ratings": [2, 0, 0, 0],
            "pain_before": [5.0, 4.5, 4.5, 5.0],
            "pain_after": [4.0, 3.0, 3.0, 4.0],
            "pain_change": [-1.0, -1.5, -1.5, -1.0],
            "rated_sessions": [3, 2, 2, 3],
            "discuss": [True, True, False, False],
        },
        {
            "sessions": "int64",
            "times_done": "int64",
            "times_stopped": "int64",
            "exercise_ratings": "int64",
            "rated_sessions": "int64",
        },
    )
    pd.testing.assert_frame_equal(result, expected)
    assert set(result[result["discuss"]]["exercise_id"]) == set(active_flags(store, p.id))


def test_discuss_is_the_flag_in_force_at_the_ranges_end(store: Store) -> None:
    """Flagged on day 1, cleared on day 3: discussed in a range ending on day 1 or 2, not in
    one ending on day 3; a flagged exercise with no record in the range is listed too."""
    p = profile_set_up_a_month_early(store)
    factories.session(store, p, on(d(0), 9), DONE)  # bridge done on day 0
    flag_exercise(store, p.id, "bird-dog", reason="two in a row", now=on(d(1), 10))
    clear_flag(store, p.id, "bird-dog", now=on(d(3), 10))

    def discussed(end: date) -> dict[str, bool]:
        table = exercise_table(store, p, d(0), end)
        return dict(zip(table["exercise_id"], table["discuss"], strict=True))

    assert discussed(d(0)) == {"bridge": False}
    assert discussed(d(1)) == {"bird-dog": True, "bridge": False}
    assert discussed(d(2)) == {"bird-dog": True, "bridge": False}
    assert discussed(d(3)) == {"bridge": False}
    assert active_flags(store, p.id) == {}


# --------------------------------------------------------------------------- weekly review


def test_weekly_review_numbers(store: Store) -> None:
    p = profile_set_up_a_month_early(store, target=2)
    week = d(14)  # Monday 16 Mar 2026, programme week 3
    # Week 1: two sessions (target met), baseline ratings 6 and 6.
    factories.session(store, p, on(d(0), 9), DONE)
    factories.session(store, p, on(d(2), 9), DONE)
    ratings_on(store, p, d(0), [6, 6])
    # Week 2: no session but a flare: neither breaks nor extends the streak.
    factories.rating(store, p, 5, on(d(8), 21), is_flare=True, note="Flare after gardening.")
    factories.rating(store, p, 4, on(d(10), 21))
    # The week under review.
    tuesday = factories.session(
        store,
        p,
        on(d(15), 8),
        [*DONE, ("side-bridge", "left", "stopped_for_pain")],
        notes="Felt stiff.",
        status="stopped_for_pain",
    )
    factories.rating(store, p, 4, on(d(15), 8), "before", session_id=tuesday)
    factories.rating(
        store, p, 6, on(d(15), 8, 10), "exercise", session_id=tuesday, exercise_id="side-bridge"
    )
    factories.rating(store, p, 2, on(d(15), 8, 20), "after", session_id=tuesday)
    factories.rating(store, p, 5, on(d(17), 21), note="Slept badly.")
    factories.session(store, p, on(d(19), 10), DONE)
    factories.rating(store, p, 2, on(d(19), 21))
    factories.rating(store, p, 4, on(d(19), 22))
    factories.checkin(
        store,
        p,
        week,
        pgic=3,
        scores={"Putting on socks": 4, "Sitting an hour": 6, "Walking 30 minutes": 5},
        note="A better week.",
        today=d(23),
        now=on(d(20), 20),
    )

    review = weekly_review(store, p, d(17), today=d(23))  # any day of the week

    assert review == WeeklyReview(
        week_start=week,
        week_end=d(20),
        is_current=False,
        sessions=2,
        target=2,
        met_target=True,
        adherence_pct=100.0,
        flare=False,
        streak=2,
        # Resting ratings 4 (before), 5, 2 and 4; the 2 right after the session is left out.
        pain_mean=15 / 4,
        pain_ratings=4,
        previous_pain_mean=4.5,
        change_vs_previous=15 / 4 - 4.5,
        baseline=6.0,
        change_vs_baseline=15 / 4 - 6.0,
        best_day=DayPain(d(19), 3.0, 2),
        worst_day=DayPain(d(17), 5.0, 1),
        hurt=(HurtExercise("side-bridge", 1, 1, 6),),
        notes=(
            Note(datetime(2026, 3, 17, 8, 0), "session", "Felt stiff."),
            Note(datetime(2026, 3, 19, 21, 0), "pain rating", "Slept badly."),
            Note(datetime(2026, 3, 22, 20, 0), "weekly check-in", "A better week."),
        ),
        # Monday weeks on this page: the status counts programme days (Sun 22 Mar is day 21).
        six_week=status(
            d(20),
            3,
            "compared",
            f"Programme day 21 of 42: pain 3.8, down 2.2 from baseline 6.0 (38%): "
            f"{MEANINGFUL_WORDS}",
            "Keep going with your programme.",
            "success",
            change="meaningful",
            current=15 / 4,
            ratings=4,
        ),
        # The Tuesday session: 4 before, 2 right after.
        session_effect=EffectSummary(1, 4.0, 2.0),
        pgic=3,
        psfs=(
            PsfsScore("Putting on socks", 4),
            PsfsScore("Sitting an hour", 6),
            PsfsScore("Walking 30 minutes", 5),
        ),
        psfs_mean=5.0,
    )
    assert week_label(week, d(23)) == "Mon 16 Mar 2026 to Sun 22 Mar 2026"
    assert target_words(review) == "Target met"


def test_streak_with_missed_and_flare_weeks_and_the_current_week(store: Store) -> None:
    p = profile_set_up_a_month_early(store, target=1)
    factories.session(store, p, on(d(0)), DONE)  # week 1: met
    # week 2: missed, no flare: breaks
    factories.session(store, p, on(d(14)), DONE)  # week 3: met
    factories.rating(store, p, 8, on(d(22)), is_flare=True)  # week 4: missed with a flare
    factories.session(store, p, on(d(28)), DONE)  # week 5: met
    factories.rating(store, p, 8, on(d(36)), is_flare=True)  # week 6: met with a flare
    factories.session(store, p, on(d(36)), DONE)

    def streak(week: int, today: date | None = None) -> int:
        as_of = today or d(60)
        return weekly_review(store, p, d(7 * (week - 1)), as_of).streak

    assert [streak(week) for week in range(1, 7)] == [1, 0, 1, 1, 2, 3]
    # Week 7 missed and over: breaks. Week 7 still under way: the streak so far stands.
    assert streak(7) == 0
    assert streak(7, today=d(44)) == 3
    flare_week = weekly_review(store, p, d(21), d(60))
    assert (flare_week.flare, flare_week.met_target, target_words(flare_week)) == (
        True,
        False,
        "Target missed (flare logged)",
    )


def test_review_weeks_and_range_presets(store: Store) -> None:
    p = profile_set_up_a_month_early(store)
    factories.rating(store, p, 5, on(d(-10)))  # data from before the programme start
    assert weeks_since(data_extent(store, p)[0], p, d(9)) == [d(7), d(0), d(-7), d(-14)]
    today = d(100)
    assert preset_range("programme", p, today, d(-10)) == (START, today)
    assert preset_range("4w", p, today, d(-10)) == (d(73), today)
    assert preset_range("all", p, today, d(-10)) == (d(-10), today)
    with pytest.raises(ValueError, match="preset"):
        preset_range("decade", p, today, None)


# --------------------------------------------------------------------------- check-ins


def test_pgic_and_psfs_series(store: Store) -> None:
    p = profile_set_up_a_month_early(store)
    factories.checkin(store, p, d(0), pgic=4, scores={"Socks": 2, "Sitting": 3, "Walking": 7})
    factories.checkin(store, p, d(7), pgic=2)
    pgic = pgic_series(store, p, d(0), d(20))
    expected_pgic = frame(
        {
            "week_start": dates("2026-03-02", "2026-03-09"),
            "pgic": [4, 2],
            "answer": ["No change", "Much better"],
        },
        {"pgic": "int64", "answer": "str"},
    )
    pd.testing.assert_frame_equal(pgic, expected_pgic)
    psfs = psfs_series(store, p, d(0), d(20))
    expected_psfs = frame(
        {
            "week_start": dates(*["2026-03-02"] * 4),
            "activity": ["Socks", "Sitting", "Walking", "PSFS score (mean)"],
            "position": [1, 2, 3, 0],
            "score": [2.0, 3.0, 7.0, 4.0],
            "is_mean": [False, False, False, True],
        },
        {"position": "int64"},
    )
    pd.testing.assert_frame_equal(psfs, expected_psfs)


def test_checkin_validation_and_replacement(store: Store) -> None:
    p = profile_set_up_a_month_early(store)
    before = data_version(p.id)
    with pytest.raises(ValidationError, match="3 to 5"):
        set_psfs_activities(store, p.id, ["Socks", "", "  "])
    with pytest.raises(ValidationError, match="twice"):
        set_psfs_activities(store, p.id, ["Socks", "socks", "Walking"])
    first = set_psfs_activities(store, p.id, ["Socks", "Sitting", "Walking"])
    assert data_version(p.id) == before + 1
    ids = {activity.name: activity.id for activity in first}

    with pytest.raises(ValidationError, match="seven answers"):
        save_checkin(store, p, d(0), pgic=8, today=d(3))
    with pytest.raises(ValidationError, match="Monday"):
        save_checkin(store, p, d(1), pgic=1, today=d(3))
    with pytest.raises(ValidationError, match="future"):
        save_checkin(store, p, d(7), pgic=1, today=d(3))
    with pytest.raises(ValidationError, match="Answer the question"):
        save_checkin(store, p, d(0), pgic=None, today=d(3))
    with pytest.raises(ValidationError, match="'Walking' has no rating"):
        save_checkin(
            store, p, d(0), pgic=1, scores={ids["Socks"]: 1, ids["Sitting"]: 2}, today=d(3)
        )
    with pytest.raises(ValidationError, match="0 to 10"):
        save_checkin(store, p, d(0), pgic=1, scores=dict.fromkeys(ids.values(), 11), today=d(3))
    assert get_checkin(store, p.id, d(0)) is None

    save_checkin(
        store, p, d(0), pgic=5, scores=dict.fromkeys(ids.values(), 3), note=" x ", today=d(3)
    )
    saved = save_checkin(store, p, d(0), pgic=3, scores=dict.fromkeys(ids.values(), 4), today=d(3))
    assert saved == WeeklyCheckin(
        week_start=d(0), pgic=3, note="", scores=tuple(sorted((i, 4) for i in ids.values()))
    )
    # Renaming keeps kept activities (their ids and history) and archives the dropped one.
    second = set_psfs_activities(store, p.id, ["sitting", "Socks", "Lifting"])
    assert [(a.position, a.name) for a in second] == [(1, "sitting"), (2, "Socks"), (3, "Lifting")]
    assert second[0].id == ids["Sitting"] and second[1].id == ids["Socks"]
    assert ids["Walking"] not in {a.id for a in second}
    history = psfs_series(store, p, d(0), d(3))
    assert history["activity"].tolist() == ["sitting", "Socks", "Walking", "PSFS score (mean)"]


def test_words_for_the_pages() -> None:
    assert format_pain(None) == "–"
    assert format_pain(4.16) == "4.2"
    assert format_change(-1.04) == "-1.0"
    assert format_change(0.04) == "0.0"
    assert format_change(1.25) == "+1.2"
    assert format_streak(1) == "1 week"
    assert change_words(-0.8) == ("less pain", "green", "down")
    assert change_words(0.04) == ("no change", "gray", "off")
    assert change_words(1.2) == ("more pain", "orange", "up")
    assert change_words(None) is None
    assert format_day_pain(DayPain(date(2026, 11, 18), 1.5, 2)) == "Wed 18 Nov: 1.5"
    assert hurt_words(HurtExercise("side-bridge", 2, 1, 6), {"side-bridge": "Side bridge"}) == (
        "Side bridge: stopped for pain in 2 sessions; pain up to 6 during it"
    )


def test_rolling_mean_over_a_long_range_keeps_sundays_and_the_last_day(store: Store) -> None:
    p = profile_set_up_a_month_early(store)
    factories.rating(store, p, 4, on(d(0)))  # Monday
    factories.rating(store, p, 8, on(d(5)))  # Saturday
    factories.rating(store, p, 2, on(d(800)))  # a Wednesday
    result = pain_rolling(store, p, d(0), d(802))
    expected = frame(
        {
            "day": pd.Series(pd.to_datetime([d(6), d(802)]), dtype="datetime64[us]"),
            "mean_7d": [6.0, 2.0],
            "ratings_7d": [2, 1],
        },
        {"ratings_7d": "int64"},
    )
    pd.testing.assert_frame_equal(result, expected)


# --------------------------------------------------------------------------- "so far"


def test_rolling_mean_over_a_range_of_months_keeps_month_ends_and_the_last_day(
    store: Store,
) -> None:
    p = profile_set_up_a_month_early(store)
    factories.rating(store, p, 4, on(d(0)))  # Mon 2 Mar 2026: no month end within 7 days
    factories.rating(store, p, 8, on(d(29)))  # Tue 31 Mar 2026, a month end
    factories.rating(store, p, 2, on(d(2100)))  # Mon 1 Dec 2031, the range's last day
    # Days 0 .. 2100 touch 301 Monday weeks: drawn by month, so the 7-day line keeps the
    # last day of each month that has a window with ratings, and the last day.
    result = pain_rolling(store, p, d(0), d(2100))
    expected = frame(
        {
            "day": pd.Series(pd.to_datetime([d(29), d(2100)]), dtype="datetime64[us]"),
            "mean_7d": [8.0, 2.0],  # 25-31 Mar holds only the 8; 25 Nov - 1 Dec the 2
            "ratings_7d": [1, 1],
        },
        {"ratings_7d": "int64"},
    )
    pd.testing.assert_frame_equal(result, expected)


def test_session_pairs_as_monthly_means_split_at_the_month_boundary(store: Store) -> None:
    p = profile_set_up_a_month_early(store)
    # Mon 30 Mar and Tue 31 Mar (March), Wed 1 Apr (April): one Monday week, two months.
    for day, before, after in [(d(28), 6, 4), (d(29), 5, 4), (d(30), 7, 7)]:
        session_id = factories.session(store, p, on(day, 9), DONE)
        factories.rating(store, p, before, on(day, 9), "before", session_id=session_id)
        factories.rating(store, p, after, on(day, 9, 25), "after", session_id=session_id)
    monthly = session_pairs(store, p, d(0), d(60), resolution="month")
    expected = frame(
        {
            # March's point on its 15th at noon; April's too (within the range's 1 May end).
            "at": dates("2026-03-15 12:00", "2026-04-15 12:00"),
            "before": [5.5, 7.0],  # (6 + 5) / 2
            "after": [4.0, 7.0],  # (4 + 4) / 2
            "change": [-1.5, 0.0],  # (-2 + -1) / 2
            "sessions": [2, 1],
            "resolution": ["month", "month"],
        },
        {"sessions": "int64"},
    )
    pd.testing.assert_frame_equal(monthly, expected)
    # As one week: all three sessions together.
    weekly = session_pairs(store, p, d(0), d(60), resolution="week")
    assert weekly[["before", "sessions"]].values.tolist() == [[6.0, 3]]  # (6 + 5 + 7) / 3


def test_a_past_weeks_review_uses_only_ratings_up_to_its_end(store: Store) -> None:
    thursday = date(2026, 3, 5)  # the programme starts on a Thursday
    p = profile_set_up_a_month_early(store, start=thursday)
    factories.rating(store, p, 6, on(thursday + timedelta(days=1)))  # Fri, in the week under review
    factories.rating(store, p, 2, on(thursday + timedelta(days=5)))  # Tue, after that week ended
    review = weekly_review(store, p, date(2026, 3, 2), today=date(2026, 3, 20))
    # The Monday week of 2-8 Mar ends on programme day 4: only the 6 was known by then.
    assert (review.baseline, review.pain_mean) == (6.0, 6.0)
    assert review.six_week.line == (
        "Programme day 4 of 42: building your baseline (pain 6.0 so far). From programme day 8 "
        "your pain is compared with it."
    )
    # The next week's review knows both: (6 + 2) / 2 = 4.
    assert weekly_review(store, p, date(2026, 3, 9), today=date(2026, 3, 20)).baseline == 4.0


# --------------------------------------------------------------------------- session effect


def test_session_pairs_one_by_one_and_as_weekly_means(store: Store) -> None:
    p = profile_set_up_a_month_early(store)
    rated = [(d(0), 6, 4), (d(2), 5, 5), (d(8), 7, 4)]
    for day, before, after in rated:
        session_id = factories.session(store, p, on(day, 9), DONE)
        factories.rating(store, p, before, on(day, 9), "before", session_id=session_id)
        factories.rating(store, p, after, on(day, 9, 25), "after", session_id=session_id)
    # A session with only a before rating is no pair; a check-in is no part of one.
    lone = factories.session(store, p, on(d(3), 9), DONE)
    factories.rating(store, p, 8, on(d(3), 9), "before", session_id=lone)
    factories.rating(store, p, 1, on(d(3), 21))

    per_session = session_pairs(store, p, d(0), d(13))
    expected = frame(
        {
            "at": dates("2026-03-02 09:00", "2026-03-04 09:00", "2026-03-10 09:00"),
            "before": [6.0, 5.0, 7.0],
            "after": [4.0, 5.0, 4.0],
            "change": [-2.0, 0.0, -3.0],
            "sessions": [1, 1, 1],
            "resolution": ["session"] * 3,
        },
        {"sessions": "int64"},
    )
    pd.testing.assert_frame_equal(per_session, expected)

    weekly = session_pairs(store, p, d(0), d(13), resolution="week")
    # Week of 2 Mar: (6 + 5) / 2 before, (4 + 5) / 2 after, (-2 + 0) / 2 change; 9 Mar: one.
    expected_weekly = frame(
        {
            "at": dates("2026-03-05 12:00", "2026-03-12 12:00"),
            "before": [5.5, 7.0],
            "after": [4.5, 4.0],
            "change": [-1.0, -3.0],
            "sessions": [2, 1],
            "resolution": ["week", "week"],
        },
        {"sessions": "int64"},
    )
    pd.testing.assert_frame_equal(weekly, expected_weekly)
    # A range ending on Tue 10 Mar: that week's point stays inside it, at its last day's noon.
    clipped = session_pairs(store, p, d(0), d(8), resolution="week")
    assert list(clipped["at"]) == list(dates("2026-03-05 12:00", "2026-03-10 12:00"))

    summary = effect_summary(store, p, d(0), d(13))
    # (6 + 5 + 7) / 3 = 6 before, (4 + 5 + 4) / 3 = 13/3 after.
    assert summary == EffectSummary(3, 6.0, 13 / 3)
    assert effect_words(summary) == (
        "Right after a session pain was 1.7 lower on average than before it (6.0 before, 4.3 "
        "after; 3 sessions)."
    )
    assert effect_words(effect_summary(store, p, d(20), d(21))) == (
        "No session in these dates has a rating both before and after it."
    )


def test_done_for_today_says_what_comes_next() -> None:
    assert done_for_today(0, 2, 3) is None
    # 2 of 3 this week: 3 - 2 = 1 more.
    assert done_for_today(1, 2, 3) == (
        "Done for today. 1 more this week reaches your target of 3; your next session can "
        "be tomorrow."
    )
    # Two today make 4 of 3: met.
    assert done_for_today(2, 4, 3) == (
        "Done for today: 2 sessions. This week's target of 3 is met; another session is up "
        "to you, and resting is fine too."
    )
