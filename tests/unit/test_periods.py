"""The one rule for long series (core.progress.periods): which period a span is drawn by, the
weekly frames regrouped by it, and the figures and words of a regrouped series, on small
fixtures worked out by hand (the threshold lowered where a fixture would otherwise need
hundreds of weeks)."""

from __future__ import annotations

import base64
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from core.progress import chart_text, periods
from core.progress.adherence import adherence_by_period
from core.progress.charts.adherence import weekly_adherence_chart
from core.progress.charts.checkins import pgic_chart, psfs_chart
from core.progress.charts.session_effect import session_effect_chart
from core.progress.checkin_series import PSFS_MEAN_LABEL, pgic_by_period, psfs_by_period
from core.progress.periods import period_for, period_label, periods_touching


def decode(value: Any) -> np.ndarray:
    """A figure array as numpy (Plotly's typed arrays decoded)."""
    if isinstance(value, dict) and "bdata" in value:
        dtype = np.dtype(value["dtype"]).newbyteorder("<")
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=dtype)
    return np.asarray(value)


def traces(fig: go.Figure) -> list[dict[str, Any]]:
    return fig.to_plotly_json()["data"]


def mondays(first: str, count: int) -> pd.Series:
    return pd.Series(pd.date_range(first, periods=count, freq="7D"), dtype="datetime64[us]")


@pytest.fixture
def four_points(monkeypatch: pytest.MonkeyPatch) -> None:
    """A trace may draw 4 points: five weeks make months."""
    monkeypatch.setattr(periods, "POINTS_PER_TRACE_MAX", 4)


# --------------------------------------------------------------------------- the rule


def test_a_span_is_drawn_by_the_finest_period_that_keeps_within_300_points() -> None:
    assert periods.POINTS_PER_TRACE_MAX == 300
    monday = date(2026, 3, 2)
    # 300 days, Mon 2 Mar 2026 .. Sat 26 Dec 2026: day by day; one more day: weeks.
    assert period_for(monday, date(2026, 12, 26)) == "day"
    assert period_for(monday, date(2026, 12, 27)) == "week"
    # Sun 30 Nov 2031 closes the 300th Monday week from 2 Mar 2026 (2099 days = 299 weeks
    # and 6 days); Mon 1 Dec 2031 opens the 301st: months.
    assert periods_touching(monday, date(2031, 11, 30), "week") == 300
    assert period_for(monday, date(2031, 11, 30), "week") == "week"
    assert period_for(monday, date(2031, 12, 1), "week") == "month"
    # Jan 2000 .. Dec 2024 is 25 x 12 = 300 months; Jan 2025 makes 301: quarters (101).
    assert period_for(date(2000, 1, 31), date(2024, 12, 1), "week") == "month"
    assert period_for(date(2000, 1, 31), date(2025, 1, 1), "week") == "quarter"
    # 50 years (Jan 1976 .. Dec 2025): 600 months, 200 quarters.
    assert period_for(date(1976, 1, 1), date(2025, 12, 31), "week") == "quarter"
    # 75 years are 300 quarters; a day more, years.
    assert period_for(date(2000, 1, 1), date(2074, 12, 31), "week") == "quarter"
    assert period_for(date(2000, 1, 1), date(2075, 1, 1), "week") == "year"


def test_periods_touching_count_partial_periods_at_a_month_boundary() -> None:
    tue, wed = date(2026, 3, 31), date(2026, 4, 1)  # the same Monday week, two months
    assert [periods_touching(tue, wed, p) for p in periods.PERIODS] == [2, 1, 2, 2, 1]
    assert periods_touching(wed, tue, "day") == 0


def test_period_labels_name_the_whole_period() -> None:
    thursday = pd.Timestamp("2026-05-14 12:00")
    assert [period_label(thursday, p) for p in periods.PERIODS] == [
        "Thu 14 May 2026",
        "week of Mon 11 May 2026",
        "May 2026",
        "Apr-Jun 2026",
        "2026",
    ]


# --------------------------------------------------------------------------- weekly frames


def adherence_weeks(count: int) -> pd.DataFrame:
    """Weeks from Mon 23 Mar 2026: sessions 2, 4, 5, then 3; target 5 then 3 from the
    third week; 10 of 20 sets done each week, none prescribed in the fourth."""
    sessions = [2, 4, 5, 3, 3][:count]
    targets = [5, 5, 3, 3, 3][:count]
    prescribed = [20, 20, 20, 0, 20][:count]
    done = [10, 10, 10, 0, 10][:count]
    return pd.DataFrame(
        {
            "week_start": mondays("2026-03-23", count),
            "sessions": sessions,
            "target": targets,
            "adherence_pct": [100 * s / t for s, t in zip(sessions, targets, strict=True)],
            "done_sets": done,
            "prescribed_sets": prescribed,
            "dose_pct": [
                100 * d / p if p else np.nan for d, p in zip(done, prescribed, strict=True)
            ],
        }
    )


def test_weeks_within_the_limit_stay_weeks(four_points: None) -> None:
    weeks = adherence_weeks(4)
    pd.testing.assert_frame_equal(adherence_by_period(weeks), weeks)


def test_weeks_beyond_the_limit_become_monthly_means_of_the_weeks_starting_in_each(
    four_points: None,
) -> None:
    # Mondays 23 Mar, 30 Mar (its week runs into April but starts in March), 6, 13, 20 Apr.
    result = adherence_by_period(adherence_weeks(5))
    expected = pd.DataFrame(
        {
            "period_start": pd.Series(
                pd.to_datetime(["2026-03-01", "2026-04-01"]), dtype="datetime64[us]"
            ),
            "weeks": [2, 3],
            "sessions": [(2 + 4) / 2, (5 + 3 + 3) / 3],  # 3.0 and 11/3 a week
            "target": [5.0, 3.0],
            "adherence_pct": [100 * 3.0 / 5, 100 * (11 / 3) / 3],  # 60% and 122.2%
            "done_sets": [20, 20],
            "prescribed_sets": [40, 40],
            "dose_pct": [50.0, 50.0],  # 20 of 40 each: totals, not a mean of percentages
            "period": ["month", "month"],
        }
    )
    pd.testing.assert_frame_equal(result, expected)


def test_pgic_becomes_the_median_answer_of_each_month(four_points: None) -> None:
    weekly = pd.DataFrame(
        {
            "week_start": mondays("2026-03-09", 5),  # 9, 16, 23, 30 Mar; 6 Apr
            "pgic": [1, 4, 2, 7, 3],
            "answer": ["", "", "", "", ""],
        }
    )
    result = pgic_by_period(weekly)
    # March: 1, 2, 4, 7 -> the better middle answer, 2; April: 3 alone.
    assert result.to_dict("records") == [
        {
            "period_start": pd.Timestamp("2026-03-01"),
            "weeks": 4,
            "pgic": 2,
            "answer": "Much better",
            "period": "month",
        },
        {
            "period_start": pd.Timestamp("2026-04-01"),
            "weeks": 1,
            "pgic": 3,
            "answer": "A little better",
            "period": "month",
        },
    ]


def psfs_weeks() -> pd.DataFrame:
    """Walking rated 2, 4, 6, 8, 9 on Mondays 9 Mar .. 6 Apr, Sitting 6 in the first two
    weeks only; the score is each week's mean."""
    walking = [2.0, 4.0, 6.0, 8.0, 9.0]
    rows = [
        {"week_start": week, "activity": "Walking", "position": 1, "score": score}
        for week, score in zip(mondays("2026-03-09", 5), walking, strict=True)
    ]
    rows += [
        {"week_start": week, "activity": "Sitting", "position": 2, "score": 6.0}
        for week in mondays("2026-03-09", 2)
    ]
    frame = pd.DataFrame(rows).assign(is_mean=False)
    means = frame.groupby("week_start", as_index=False)["score"].mean()
    means = means.assign(activity=PSFS_MEAN_LABEL, position=0, is_mean=True)
    return pd.concat([frame, means], ignore_index=True).astype({"week_start": "datetime64[us]"})


def test_psfs_becomes_monthly_means_per_activity_and_of_the_weekly_score(
    four_points: None,
) -> None:
    result = psfs_by_period(psfs_weeks())
    rows = {
        (str(row["period_start"].date()), row["activity"]): (row["weeks"], row["score"])
        for row in result.to_dict("records")
    }
    # Weekly scores: (2+6)/2 = 4, (4+6)/2 = 5, 6, 8, 9.
    assert rows == {
        ("2026-03-01", PSFS_MEAN_LABEL): (4, (4 + 5 + 6 + 8) / 4),  # 5.75
        ("2026-03-01", "Walking"): (4, (2 + 4 + 6 + 8) / 4),  # 5.0
        ("2026-03-01", "Sitting"): (2, 6.0),
        ("2026-04-01", PSFS_MEAN_LABEL): (1, 9.0),
        ("2026-04-01", "Walking"): (1, 9.0),
    }
    assert set(result["period"]) == {"month"}


# --------------------------------------------------------------------------- figures


def test_the_monthly_adherence_chart_draws_means_a_week_against_the_mean_target(
    four_points: None,
) -> None:
    fig = weekly_adherence_chart(adherence_by_period(adherence_weeks(5)))
    sessions, dose = traces(fig)
    assert sessions["name"] == "Sessions a week (monthly mean)"
    assert list(pd.to_datetime(sessions["x"])) == [
        pd.Timestamp("2026-03-01"),
        pd.Timestamp("2026-04-01"),
    ]
    np.testing.assert_allclose(decode(sessions["y"]), [3.0, 3.67])  # 11/3 to 2 places
    assert (sessions["xperiod"], sessions["xperiodalignment"]) == ("M1", "middle")
    assert decode(sessions["customdata"]).tolist() == [
        ["March 2026", "60", "5", "2"],
        ["April 2026", "122", "3", "3"],
    ]
    assert "mean of %{customdata[3]} weeks, monthly means" in sessions["hovertemplate"]
    np.testing.assert_allclose(decode(dose["y"]), [50.0, 50.0])
    # The target: 5 through March, 3 through April (to 1 May).
    shapes = fig.to_plotly_json()["layout"]["shapes"]
    targets = [(s["x0"], s["x1"], s["y0"]) for s in shapes if s["name"].startswith("Target")]
    assert [(str(x0)[:10], str(x1)[:10], y) for x0, x1, y in targets] == [
        ("2026-03-01", "2026-04-01", 5.0),
        ("2026-04-01", "2026-05-01", 3.0),
    ]


def test_the_monthly_pgic_and_psfs_charts_name_the_period_in_the_hover(
    four_points: None,
) -> None:
    weekly = pd.DataFrame(
        {"week_start": mondays("2026-03-09", 5), "pgic": [1, 4, 2, 7, 3], "answer": ""}
    )
    (pgic,) = traces(pgic_chart(pgic_by_period(weekly)))
    assert pgic["name"] == "Overall change (PGIC, monthly median)"
    np.testing.assert_array_equal(decode(pgic["y"]), [2, 3])
    assert decode(pgic["customdata"]).tolist() == [
        ["March 2026", "Much better", 4],
        ["April 2026", "A little better", 1],
    ]
    assert pgic["xperiodalignment"] == "middle"

    walking, sitting, score = traces(psfs_chart(psfs_by_period(psfs_weeks())))
    assert [walking["name"], sitting["name"], score["name"]] == [
        "Walking",
        "Sitting",
        "PSFS score (mean)",
    ]
    np.testing.assert_allclose(decode(walking["y"]), [5.0, 9.0])
    np.testing.assert_allclose(decode(score["y"]), [5.75, 9.0])
    assert list(score["customdata"]) == ["March 2026", "April 2026"]
    assert score["hovertemplate"] == (
        "PSFS score, %{customdata}: %{y:.1f} of 10 (monthly mean)<extra></extra>"
    )


def test_the_monthly_session_effect_chart_names_the_month() -> None:
    pairs = pd.DataFrame(
        {
            "at": pd.to_datetime(["2026-03-15 12:00", "2026-04-15 12:00"]),
            "before": [6.0, 5.0],
            "after": [4.5, 5.0],
            "change": [-1.5, 0.0],
            "sessions": [3, 1],
            "resolution": ["month", "month"],
        }
    )
    _join, before, after = traces(
        session_effect_chart(pairs, start=date(2000, 1, 1), end=date(2026, 4, 30))
    )
    assert (before["name"], after["name"]) == (
        "Before the session (monthly mean)",
        "Right after it (monthly mean)",
    )
    np.testing.assert_allclose(decode(after["y"]), [4.5, 5.0])
    assert decode(after["customdata"]).tolist() == [
        ["-1.5", "3", "", "March 2026"],
        ["0.0", "1", "no change", "April 2026"],
    ]
    assert after["hovertemplate"].startswith("%{customdata[3]}<br>Right after it: %{y:.1f}")


# --------------------------------------------------------------------------- words


def test_the_words_say_monthly_means_and_medians(four_points: None) -> None:
    weekly = chart_text.weekly_text(adherence_by_period(adherence_weeks(5)))
    assert weekly.summary == (
        "Sessions per week, monthly means over the weeks starting in each month, 2 months "
        "from March 2026 to April 2026: 3.0 to 3.7 a week on average, target 3 to 5, met on "
        "average in 1 of 2; holds and repetitions done: 50% of those prescribed."
    )
    assert weekly.table.to_dict("records")[1] == {
        "Month": "April 2026",
        "Weeks": 3,
        "Sessions a week (mean)": 3.7,
        "Target (mean)": 3.0,
        "Done % of target": 122.0,
        "Holds and reps done %": 50.0,
    }
    pgic = chart_text.pgic_text(
        pgic_by_period(
            pd.DataFrame(
                {"week_start": mondays("2026-03-09", 5), "pgic": [1, 4, 2, 7, 3], "answer": ""}
            )
        )
    )
    assert pgic.summary == (
        "How your back has changed overall, the median of the weekly answers in each month, "
        "2 months from March 2026 to April 2026: first “Much better”, latest “A little better”."
    )
    psfs = chart_text.psfs_text(psfs_by_period(psfs_weeks()))
    assert psfs.summary == (
        "Activities you named (PSFS, 0 = unable, 10 = as before), 2 activities over 2 months "
        "from March 2026 to April 2026 (monthly means): score 5.8 at first, 9.0 latest."
    )
    assert list(psfs.table.columns) == ["Month", "Walking", "Sitting", "PSFS score (mean)"]
    effect = chart_text.effect_text(
        pd.DataFrame(
            {
                "at": pd.to_datetime(["2026-03-15 12:00", "2026-04-15 12:00"]),
                "before": [6.0, 5.0],
                "after": [4.5, 5.0],
                "change": [-1.5, 0.0],
                "sessions": [3, 1],
                "resolution": ["month", "month"],
            }
        )
    )
    assert effect.summary == (
        "Pain before and right after the sessions of 2 months (monthly means, 4 sessions) "
        "from March 2026 to April 2026: 5.5 before and 4.8 after on average; less "
        "pain after in 1, the same in 1, more in 0 of the months."
    )
    assert effect.table["Month"].tolist() == ["March 2026", "April 2026"]


def test_fifty_years_of_weekly_series_draw_200_quarters_and_stay_small() -> None:
    # Mon 5 Jan 1976 .. Mon 29 Dec 2025: 2609 weeks, 600 months (over 300), 200 quarters.
    weeks = mondays("1976-01-05", 2609)
    assert weeks.iloc[-1] == pd.Timestamp("2025-12-29")
    adherence = pd.DataFrame(
        {
            "week_start": weeks,
            "sessions": 4,
            "target": 5,
            "adherence_pct": 80.0,
            "done_sets": 9,
            "prescribed_sets": 10,
            "dose_pct": 90.0,
        }
    )
    pgic = pd.DataFrame({"week_start": weeks, "pgic": 3, "answer": "A little better"})
    psfs = pd.DataFrame(
        {
            "week_start": list(weeks) * 2,
            "activity": ["Walking"] * 2609 + [PSFS_MEAN_LABEL] * 2609,
            "position": [1] * 2609 + [0] * 2609,
            "score": 6.0,
            "is_mean": [False] * 2609 + [True] * 2609,
        }
    )
    figures = {
        "weekly": weekly_adherence_chart(adherence_by_period(adherence)),
        "pgic": pgic_chart(pgic_by_period(pgic)),
        "psfs": psfs_chart(psfs_by_period(psfs)),
    }
    for fig in figures.values():
        assert all(len(trace["x"]) == 200 for trace in traces(fig))
    sizes = {name: len(fig.to_json()) for name, fig in figures.items()}
    # Drawn by week they were 352, 158 and 362 kB in the page; by quarter each is a fraction.
    assert all(size < 60_000 for size in sizes.values()), sizes
