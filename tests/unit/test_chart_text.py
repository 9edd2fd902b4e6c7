"""Each dashboard chart in words: its one-sentence summary and its data table, checked on
small frames whose numbers are worked out by hand in the comments."""

from __future__ import annotations

import dataclasses
from datetime import date

import pandas as pd
import pytest

from core.domain.course import CoursePoint, ExpectedCourse
from core.progress import chart_text
from core.progress.six_week import SixWeekStatus
from tests import factories

NAMES = {"cat-cow": "Cat and cow", "bird-dog": "Bird dog"}


def frame(rows: list[dict[str, object]], **dates: str) -> pd.DataFrame:
    """A frame from rows, the named columns turned into datetimes."""
    result = pd.DataFrame(rows)
    for column in dates:
        result[column] = pd.to_datetime(result[column])
    return result


def status(baseline: float | None) -> SixWeekStatus:
    """A six-week status; the pain summary reads only its baseline."""
    return factories.six_week(baseline, as_of=date(2026, 1, 18))


NO_COURSE = ExpectedCourse(cohort=None, points=(), reason="not_asked")


def test_the_calendar_counts_the_days_with_a_session_by_outcome() -> None:
    # Four days of one week: two completed days (one with 2 sessions), one stopped for
    # pain, one without a session: 3 of 4 days with a session.
    days = frame(
        [
            {"day": "2026-01-05", "sessions": 1, "category": "completed"},
            {"day": "2026-01-06", "sessions": 0, "category": "none"},
            {"day": "2026-01-07", "sessions": 2, "category": "completed"},
            {"day": "2026-01-08", "sessions": 1, "category": "stopped_for_pain"},
        ],
        day="",
    ).assign(week_start=pd.Timestamp("2026-01-05"))
    text = chart_text.calendar_text(days)
    assert text.summary == (
        "Days exercised, 1 week from Mon 5 Jan 2026 to Thu 8 Jan 2026: 3 of 4 days with a "
        "session (2 completed, 1 stopped for pain)."
    )
    assert text.table.to_dict("records") == [
        {"Day": "Mon 5 Jan 2026", "Sessions": 1, "Outcome": "Completed"},
        {"Day": "Wed 7 Jan 2026", "Sessions": 2, "Outcome": "Completed"},
        {"Day": "Thu 8 Jan 2026", "Sessions": 1, "Outcome": "Stopped for pain"},
    ]


def test_the_calendar_words_cover_only_the_weeks_it_draws() -> None:
    # 54 weeks with one session on each Monday: the calendar draws the newest 53.
    mondays = pd.date_range("2025-01-06", periods=54, freq="7D")
    days = pd.DataFrame(
        {"day": mondays, "week_start": mondays, "sessions": 1, "category": "completed"}
    )
    text = chart_text.calendar_text(days)
    assert text.summary.startswith("Days exercised, 53 weeks from Mon 13 Jan 2025 to ")
    assert len(text.table) == 53


def test_sessions_per_week_give_the_range_the_target_and_the_weeks_that_met_it() -> None:
    # Sessions 2, 6, 5 against a target of 5: weeks 2 and 3 met it (6 >= 5, 5 >= 5).
    weeks = frame(
        [
            {"week_start": "2026-01-05", "sessions": 2, "target": 5, "adherence_pct": 40.0,
             "dose_pct": 50.0},
            {"week_start": "2026-01-12", "sessions": 6, "target": 5, "adherence_pct": 120.0,
             "dose_pct": 100.0},
            {"week_start": "2026-01-19", "sessions": 5, "target": 5, "adherence_pct": 100.0,
             "dose_pct": 87.4},
        ],
        week_start="",
    )  # fmt: skip
    text = chart_text.weekly_text(weeks)
    assert text.summary == (
        "Sessions per week, 3 weeks from Mon 5 Jan 2026 to Mon 19 Jan 2026 (weeks starting "
        "Monday): 2 to 6 a week, target 5, met in 2 of 3; holds and repetitions done: 50 to "
        "100% of those prescribed."
    )
    assert text.table.to_dict("records")[2] == {
        "Week starting": "Mon 19 Jan 2026",
        "Sessions": 5,
        "Target": 5,
        "Done % of target": 100.0,
        "Holds and reps done %": 87.0,  # 87.4 rounded to whole percent
    }


def test_a_changed_target_shows_as_its_range() -> None:
    weeks = frame(
        [
            {"week_start": "2026-01-05", "sessions": 3, "target": 3, "adherence_pct": 100.0,
             "dose_pct": 100.0},
            {"week_start": "2026-01-12", "sessions": 3, "target": 5, "adherence_pct": 60.0,
             "dose_pct": 100.0},
        ],
        week_start="",
    )  # fmt: skip
    assert chart_text.weekly_text(weeks).summary == (
        "Sessions per week, 2 weeks from Mon 5 Jan 2026 to Mon 12 Jan 2026 (weeks starting "
        "Monday): 3 a week, target 3 to 5, met in 1 of 2; holds and repetitions done: 100% of "
        "those prescribed."
    )


def pain_points(resolution: str = "rating") -> pd.DataFrame:
    return frame(
        [
            {"at": "2026-01-05 08:00", "kind": "setup", "pain": 6.0, "n": 1, "is_flare": False},
            {"at": "2026-01-06 19:30", "kind": "before", "pain": 7.0, "n": 1, "is_flare": True},
            {"at": "2026-01-12 09:15", "kind": "checkin", "pain": 3.0, "n": 1, "is_flare": False},
        ],
        at="",
    ).assign(note="", resolution=resolution)


ROLLING = frame(
    [
        {"day": "2026-01-05", "mean_7d": 6.0, "ratings_7d": 1},
        {"day": "2026-01-06", "mean_7d": 6.5, "ratings_7d": 2},  # (6 + 7) / 2
        {"day": "2026-01-12", "mean_7d": 5.0, "ratings_7d": 2},  # (7 + 3) / 2
    ],
    day="",
)


def test_the_pain_trend_gives_the_ratings_the_average_and_the_baseline() -> None:
    text = chart_text.pain_text(pain_points(), ROLLING, status(6.5), NO_COURSE)
    assert text.summary == (
        "Pain trend from Mon 5 Jan 2026 to Mon 12 Jan 2026: 3 resting ratings, 3 to 7 of 10; "
        "7-day average 6.0 on Mon 5 Jan 2026 and 5.0 on Mon 12 Jan 2026; baseline 6.5."
    )
    assert text.table.to_dict("records") == [
        {"When": "Mon 5 Jan 2026, 08:00", "Rating": "At setup", "Pain (0-10)": 6.0,
         "Flare logged": ""},
        {"When": "Tue 6 Jan 2026, 19:30", "Rating": "Before a session", "Pain (0-10)": 7.0,
         "Flare logged": "Yes"},
        {"When": "Mon 12 Jan 2026, 09:15", "Rating": "Check-in", "Pain (0-10)": 3.0,
         "Flare logged": ""},
    ]  # fmt: skip
    assert text.decimals == {"Pain (0-10)": 0}


def test_the_pain_trend_names_the_published_course_as_a_population_average() -> None:
    course = ExpectedCourse(
        cohort="acute", points=(CoursePoint(date(2026, 1, 5), 3.0, 6.5),), reason=None
    )
    summary = chart_text.pain_text(pain_points(), ROLLING, status(6.5), course).summary
    assert summary.endswith(
        "baseline 6.5; the published average course for acute pain drawn for comparison "
        "(a population average, not a forecast)."
    )


def test_weekly_means_of_pain_are_described_and_tabled_as_means() -> None:
    points = pain_points("week")
    text = chart_text.pain_text(points, ROLLING.iloc[0:0], status(None), NO_COURSE)
    assert text.summary == (
        "Pain trend from Mon 5 Jan 2026 to Mon 12 Jan 2026: 3 weekly means of resting "
        "ratings, 3.0 to 7.0 of 10."
    )
    assert text.table["Rating"].tolist() == [
        "At setup (weekly mean)",
        "Before a session (weekly mean)",
        "Check-in (weekly mean)",
    ]
    assert text.table["When"].tolist()[0] == "Mon 5 Jan 2026"


def test_the_session_effect_gives_the_averages_and_the_counts_by_direction() -> None:
    # Before 6, 5, 4 (mean 5.0); after 4, 5, 4.5 (mean 4.5); changes -2, 0, +0.5.
    pairs = frame(
        [
            {"at": "2026-01-05 19:00", "before": 6.0, "after": 4.0, "change": -2.0},
            {"at": "2026-01-07 19:00", "before": 5.0, "after": 5.0, "change": 0.0},
            {"at": "2026-01-09 07:30", "before": 4.0, "after": 4.5, "change": 0.5},
        ],
        at="",
    ).assign(sessions=1, resolution="session")
    text = chart_text.effect_text(pairs)
    assert text.summary == (
        "Pain before and right after 3 sessions from Mon 5 Jan 2026 to Fri 9 Jan 2026: 5.0 "
        "before and 4.5 after on average; less pain after in 1, the same in 1, more in 1 of "
        "the sessions."
    )
    assert text.table.to_dict("records")[0] == {
        "Session": "Mon 5 Jan 2026, 19:00",
        "Before": 6.0,
        "Right after": 4.0,
        "Change": -2.0,
    }


def test_the_exercise_chart_names_the_one_whose_pain_rose_most() -> None:
    # Cat and cow: 4.0 -> 4.5 (+0.5); bird dog: 5.0 -> 3.0 (-2.0); an unrated one left out.
    table = pd.DataFrame(
        {
            "exercise_id": ["cat-cow", "bird-dog", "unrated"],
            "rated_sessions": [2, 3, 0],
            "pain_before": [4.0, 5.0, None],
            "pain_after": [4.5, 3.0, None],
            "exercise_pain": [6.0, None, None],
            "exercise_ratings": [1, 0, 0],
        }
    )
    text = chart_text.exercise_text(table, NAMES)
    assert text.summary == (
        "Mean pain before and after the sessions with each of 2 exercises: lower after for 1, "
        "higher after for 1 (most: Cat and cow, +0.5)."
    )
    records = text.table.to_dict("records")
    assert records[0] == {
        "Exercise": "Cat and cow",
        "Sessions with both ratings": 2,
        "Before": 4.0,
        "After": 4.5,
        "During (when it hurt)": 6.0,
    }
    assert pd.isna(records[1]["During (when it hurt)"])  # never rated during it: a dash


def test_check_ins_give_the_first_and_latest_answer_and_score() -> None:
    pgic = frame(
        [
            {"week_start": "2026-01-05", "pgic": 4, "answer": "No change"},
            {"week_start": "2026-01-12", "pgic": 2, "answer": "Much better"},
        ],
        week_start="",
    )
    assert chart_text.pgic_text(pgic).summary == (
        "How your back has changed overall, 2 weekly answers from Mon 5 Jan 2026 to Mon 12 "
        "Jan 2026: first “No change”, latest “Much better”."
    )
    # Two activities, week 1: 2 and 4 (mean 3.0); week 2: 5 and 8 (mean 6.5).
    psfs = frame(
        [
            {"week_start": "2026-01-05", "activity": "Walking", "position": 0, "score": 2.0,
             "is_mean": False},
            {"week_start": "2026-01-05", "activity": "Lifting", "position": 1, "score": 4.0,
             "is_mean": False},
            {"week_start": "2026-01-05", "activity": None, "position": -1, "score": 3.0,
             "is_mean": True},
            {"week_start": "2026-01-12", "activity": "Walking", "position": 0, "score": 5.0,
             "is_mean": False},
            {"week_start": "2026-01-12", "activity": "Lifting", "position": 1, "score": 8.0,
             "is_mean": False},
            {"week_start": "2026-01-12", "activity": None, "position": -1, "score": 6.5,
             "is_mean": True},
        ],
        week_start="",
    )  # fmt: skip
    text = chart_text.psfs_text(psfs)
    assert text.summary == (
        "Activities you named (PSFS, 0 = unable, 10 = as before), 2 activities over 2 weeks "
        "from Mon 5 Jan 2026 to Mon 12 Jan 2026: score 3.0 at first, 6.5 latest."
    )
    assert text.table.to_dict("records") == [
        {"Week starting": "Mon 5 Jan 2026", "Walking": 2.0, "Lifting": 4.0,
         "PSFS score (mean)": 3.0},
        {"Week starting": "Mon 12 Jan 2026", "Walking": 5.0, "Lifting": 8.0,
         "PSFS score (mean)": 6.5},
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("describe", "columns"),
    [
        (chart_text.calendar_text, ["day", "week_start", "sessions", "category"]),
        (chart_text.weekly_text, ["week_start", "sessions", "target", "dose_pct"]),
        (chart_text.effect_text, ["at", "before", "after", "change", "resolution"]),
        (chart_text.pgic_text, ["week_start", "pgic", "answer"]),
        (chart_text.psfs_text, ["week_start", "activity", "score", "is_mean"]),
    ],
)
def test_a_chart_without_data_says_so_and_has_no_table(describe, columns: list[str]) -> None:
    text = describe(pd.DataFrame(columns=columns))
    assert "yet." in text.summary and text.table.empty


def test_every_dashboard_figure_has_its_words(demo_dashboard) -> None:
    view = demo_dashboard
    assert set(view.texts) == set(view.figures)
    for text in view.texts.values():
        assert dataclasses.is_dataclass(text) and text.summary.endswith(".")


@pytest.fixture
def demo_dashboard(store):
    from core import demo
    from core.progress.dashboard import progress_view

    demo.generate(store, seed=7, weeks=3, name="Ann")
    profile = store.list_profiles()[0]
    end = profile.programme_start + pd.Timedelta(days=20)
    return progress_view(store, profile, profile.programme_start, end, end, NAMES)
