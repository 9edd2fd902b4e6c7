"""Figure builders (core.charts): trace types, the decoded data, shapes and annotations, size."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from core.db.store import Store
from core.domain.catalog import default_catalog
from core.domain.course import ExpectedCourse, expected_course
from core.domain.days import monday
from core.domain.measures import PGIC_OPTIONS
from core.domain.models import Profile
from core.progress import pain as pain_metrics
from core.progress.adherence import session_days, weekly_adherence
from core.progress.charts.adherence import adherence_calendar, weekly_adherence_chart
from core.progress.charts.checkins import pgic_chart, psfs_chart
from core.progress.charts.exercises import exercise_pain_chart
from core.progress.charts.pain import REFERENCE_LABELS, pain_trend_chart
from core.progress.charts.session_effect import session_effect_chart
from core.progress.charts.style import BLUE, LIGHT_GREY, SKY_BLUE, VERMILLION
from core.progress.checkin_series import PSFS_MEAN_LABEL
from core.progress.exercises import exercise_table
from core.progress.pain import pain_rolling
from core.progress.session_effect import session_pairs
from core.progress.six_week import SixWeekStatus, six_week_status
from core.progress.tables import EXERCISE_COLUMN_HELP, dose_table_display, exercise_table_display
from tests import factories

START = date(2026, 3, 2)  # a Monday
MB = 1_000_000


# --------------------------------------------------------------------------- helpers


def decode(value: Any) -> np.ndarray:
    """A figure array as numpy: Plotly's typed arrays ({"dtype", "bdata"}) decoded per dtype."""
    if isinstance(value, dict) and "bdata" in value:
        dtype = np.dtype(value["dtype"]).newbyteorder("<")
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=dtype)
        if "shape" in value:
            shape = value["shape"]
            dims = shape if isinstance(shape, list) else str(shape).split(",")
            array = array.reshape([int(dim) for dim in dims])
        return array
    return np.asarray(value)


def traces(fig: go.Figure) -> list[dict[str, Any]]:
    return fig.to_plotly_json()["data"]


def layout(fig: go.Figure) -> dict[str, Any]:
    return fig.to_plotly_json()["layout"]


def by_name(items: list[dict[str, Any]], name: str) -> dict[str, Any]:
    matches = [item for item in items if item.get("name") == name]
    assert len(matches) == 1, f"{name!r}: {[item.get('name') for item in items]}"
    return matches[0]


def named(items: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [item for item in items if item.get("name") == name]


def stamps(*values: str) -> np.ndarray:
    return np.array(pd.to_datetime(list(values)), dtype="datetime64[us]")


def as_stamps(value: Any) -> np.ndarray:
    return np.array(pd.to_datetime(decode(value)), dtype="datetime64[us]")


NO_COURSE = ExpectedCourse(None, (), "not_asked")


def status_for(base: float | None, *, fraction: float = 0.3, points: float = 2.0) -> SixWeekStatus:
    """A status whose thresholds (the fraction and points below ``base``) the chart draws."""
    return factories.six_week(
        base, as_of=START + timedelta(days=30), fraction=fraction, points=points
    )


def json_size(fig: go.Figure) -> int:
    return len(pio.to_json(fig, validate=False).encode())


# --------------------------------------------------------------------------- calendar


def days_frame(first: date, rows: list[tuple[int, int, int, int]]) -> pd.DataFrame:
    """(completed, partial, stopped, _) per consecutive day, as session_days gives."""
    records = []
    for offset, (completed, partial, stopped, _) in enumerate(rows):
        day = first + timedelta(days=offset)
        sessions = completed + partial + stopped
        category = (
            "stopped_for_pain"
            if stopped
            else "partial"
            if partial
            else "completed"
            if completed
            else "none"
        )
        records.append(
            {
                "day": pd.Timestamp(day),
                "week_start": pd.Timestamp(monday(day)),
                "weekday": day.weekday(),
                "sessions": sessions,
                "completed": completed,
                "partial": partial,
                "stopped_for_pain": stopped,
                "category": category,
            }
        )
    columns = ["day", "week_start", "weekday", "sessions", "completed", "partial"]
    columns += ["stopped_for_pain", "category"]
    return pd.DataFrame(records, columns=columns).astype(
        {"day": "datetime64[us]", "week_start": "datetime64[us]"}
    )


def test_adherence_calendar_grid_colours_and_hover() -> None:
    # Wed 4 Mar .. Tue 10 Mar: completed, nothing, partial+stopped, ..., completed x2.
    rows = [(1, 0, 0, 0), (0, 0, 0, 0), (0, 1, 1, 0), (0, 0, 0, 0), (0, 0, 0, 0)]
    rows += [(0, 1, 0, 0), (2, 0, 0, 0)]
    fig = adherence_calendar(days_frame(date(2026, 3, 4), rows))
    data = traces(fig)
    assert [trace["type"] for trace in data] == ["heatmap"] + ["scatter"] * 4
    heat = data[0]
    assert heat["y"] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    np.testing.assert_array_equal(as_stamps(heat["x"]), stamps("2026-03-02", "2026-03-09"))
    nan = np.nan
    expected = np.array(
        [
            [nan, 2],  # Mon: -, partial (9 Mar)
            [nan, 1],  # Tue: -, completed x2 (10 Mar)
            [1, nan],  # Wed 4 Mar: completed
            [0, nan],  # Thu 5 Mar: none
            [3, nan],  # Fri 6 Mar: partial + stopped -> stopped for pain
            [0, nan],
            [0, nan],
        ]
    )
    np.testing.assert_array_equal(decode(heat["z"]), expected)
    text = decode(heat["text"])
    assert text[4][0] == "Fri 6 Mar 2026: 2 sessions (1 partial, 1 stopped for pain)"
    assert text[1][1] == "Tue 10 Mar 2026: 2 sessions (2 completed)"
    assert text[3][0] == "Thu 5 Mar 2026: no session"
    assert [trace["name"] for trace in data[1:]] == [
        "No session",
        "Completed",
        "Partial",
        "Stopped for pain",
    ]
    assert [trace["marker"]["color"] for trace in data[1:]] == [
        LIGHT_GREY,
        BLUE,
        SKY_BLUE,
        VERMILLION,
    ]
    assert layout(fig)["legend"]["orientation"] == "h"


def test_adherence_calendar_keeps_only_the_last_weeks() -> None:
    rows = [(1, 0, 0, 0)] * 700
    fig = adherence_calendar(days_frame(START, rows), max_weeks=53)
    heat = traces(fig)[0]
    assert decode(heat["z"]).shape == (7, 53)
    assert as_stamps(heat["x"])[-1] == np.datetime64(monday(START + timedelta(days=699)))


# --------------------------------------------------------------------------- weekly adherence


def test_weekly_adherence_chart_bars_target_and_dose() -> None:
    weeks = pd.DataFrame(
        {
            "week_start": pd.to_datetime(["2026-03-02", "2026-03-09", "2026-03-16"]),
            "sessions": [4, 0, 3],
            "target": [5, 5, 5],
            "adherence_pct": [80.0, 0.0, 60.0],
            "done_sets": [40, 0, 27],
            "prescribed_sets": [40, 0, 30],
            "dose_pct": [100.0, np.nan, 90.0],
        }
    ).astype({"week_start": "datetime64[us]"})
    fig = weekly_adherence_chart(weeks)
    sessions, dose = traces(fig)
    assert (sessions["type"], dose["type"]) == ("bar", "bar")
    np.testing.assert_array_equal(
        as_stamps(sessions["x"]), stamps("2026-03-02", "2026-03-09", "2026-03-16")
    )
    np.testing.assert_array_equal(decode(sessions["y"]), [4, 0, 3])
    assert list(sessions["text"]) == ["80%", "0%", "60%"]
    assert decode(sessions["customdata"])[2].tolist() == ["Mon 16 Mar 2026", "60", "5"]
    np.testing.assert_array_equal(decode(dose["y"]), [100.0, np.nan, 90.0])
    assert (dose["xaxis"], dose["yaxis"]) == ("x2", "y2")
    shapes = layout(fig)["shapes"]
    target = by_name(shapes, "Target: 5 a week")
    assert (target["y0"], target["y1"], target["yref"], target["showlegend"]) == (5, 5, "y", True)
    assert by_name(shapes, "dose 100%")["y0"] == 100
    axis = layout(fig)["xaxis2"]
    assert [pd.Timestamp(v) for v in axis["tickvals"]] == [
        pd.Timestamp("2026-03-02"),
        pd.Timestamp("2026-03-09"),
        pd.Timestamp("2026-03-16"),
    ]
    assert list(axis["ticktext"]) == ["2 Mar<br>2026", "9 Mar", "16 Mar"]


def test_a_target_changed_mid_range_is_drawn_per_week() -> None:
    """Targets 4, 4, 5: one piece at 4 from 2 Mar to 16 Mar, one at 5 from 16 to 23 Mar."""
    weeks = pd.DataFrame(
        {
            "week_start": pd.to_datetime(["2026-03-02", "2026-03-09", "2026-03-16"]),
            "sessions": [4, 2, 5],
            "target": [4, 4, 5],
            "adherence_pct": [100.0, 50.0, 100.0],
            "done_sets": [40, 20, 50],
            "prescribed_sets": [40, 20, 50],
            "dose_pct": [100.0, 100.0, 100.0],
        }
    ).astype({"week_start": "datetime64[us]"})
    fig = weekly_adherence_chart(weeks)
    sessions, _ = traces(fig)
    assert [row[2] for row in decode(sessions["customdata"]).tolist()] == ["4", "4", "5"]
    pieces = [s for s in layout(fig)["shapes"] if s.get("name") == "Target in force each week"]
    assert [
        (pd.Timestamp(p["x0"]), pd.Timestamp(p["x1"]), p["y0"], p["y1"], p["showlegend"])
        for p in pieces
    ] == [
        (pd.Timestamp("2026-03-02"), pd.Timestamp("2026-03-16"), 4, 4, True),
        (pd.Timestamp("2026-03-16"), pd.Timestamp("2026-03-23"), 5, 5, False),
    ]


# --------------------------------------------------------------------------- pain trend


def pain_points(rows: list[tuple[str, str, float, int]], resolution: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "at": pd.to_datetime([row[0] for row in rows]),
            "kind": [row[1] for row in rows],
            "pain": [row[2] for row in rows],
            "n": [row[3] for row in rows],
            "is_flare": [False] * len(rows),
            "note": [""] * len(rows),
            "resolution": [resolution] * len(rows),
        }
    ).astype({"at": "datetime64[us]"})


def rolling_frame(days: list[str], means: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "day": pd.to_datetime(days),
            "mean_7d": means,
            "ratings_7d": [1] * len(days),
        }
    ).astype({"day": "datetime64[us]"})


def test_pain_trend_points_line_thresholds_window_and_reference() -> None:
    points = pain_points(
        [
            ("2026-03-02 08:00", "before", 6, 1),
            ("2026-03-03 21:00", "checkin", 6, 1),
            ("2026-03-10 08:00", "before", 4, 1),
        ],
        "rating",
    )
    rolling = rolling_frame(
        ["2026-03-02", "2026-03-03", "2026-03-10", "2026-03-11"], [6.0, 6.0, 4.0, 4.0]
    )
    # The pain began two weeks before the programme: the acute cohorts' course.
    course = expected_course("date", START - timedelta(weeks=2), START, 6.0)
    fig = pain_trend_chart(
        points,
        rolling,
        status_for(6.0),
        course,
        programme_start=START,
        start=START,
        end=date(2026, 4, 30),
    )
    data = traces(fig)
    assert [(trace["type"], trace.get("mode")) for trace in data] == [
        ("scatter", "markers"),
        ("scatter", "markers"),
        ("scatter", "lines"),
        ("scatter", "lines"),
    ]
    before = by_name(data, "Before a session")
    np.testing.assert_array_equal(
        as_stamps(before["x"]), stamps("2026-03-02 08:00", "2026-03-10 08:00")
    )
    np.testing.assert_array_equal(decode(before["y"]), [6.0, 4.0])
    np.testing.assert_array_equal(decode(by_name(data, "Check-in")["y"]), [6.0])
    # Ratings right after a session are not part of the trend.
    assert named(data, "After a session") == []
    line = by_name(data, "7-day average")
    # A blank point breaks the line over the days without any 7-day mean (4-9 Mar).
    np.testing.assert_array_equal(
        as_stamps(line["x"]),
        stamps("2026-03-02", "2026-03-03", "2026-03-09", "2026-03-10", "2026-03-11"),
    )
    np.testing.assert_array_equal(decode(line["y"]), [6.0, 6.0, np.nan, 4.0, 4.0])

    curve = by_name(data, REFERENCE_LABELS["acute"])
    assert curve["name"] == "Average course, acute pain<br>(population, not a forecast)"
    assert "Menezes Costa" in curve["hovertemplate"]
    assert "pain under 12 weeks" in curve["hovertemplate"]
    assert curve["line"]["dash"] == "longdash"
    curve_x = as_stamps(curve["x"])
    curve_y = decode(curve["y"])
    # Week 2 since onset at the start: 52 + (23 - 52) * 2/6 = 42.33; week 6 (4 weeks on): 23.
    assert curve_x[0] == np.datetime64(START) and curve_x[4] == np.datetime64(date(2026, 3, 30))
    assert curve_y[0] == pytest.approx(6.0)
    assert curve_y[4] == pytest.approx(6.0 * 23 / (52 - 29 * 2 / 6), abs=1e-3)
    np.testing.assert_array_equal(decode(curve["customdata"])[:5], [2.0, 3.0, 4.0, 5.0, 6.0])

    shapes = layout(fig)["shapes"]
    window = by_name(shapes, "weeks 1-6")
    assert window["type"] == "rect"
    assert (pd.Timestamp(window["x0"]), pd.Timestamp(window["x1"])) == (
        pd.Timestamp(START),
        pd.Timestamp(START + timedelta(weeks=6)),
    )
    assert by_name(shapes, "baseline")["y0"] == 6.0
    assert by_name(shapes, "30% below baseline")["y0"] == pytest.approx(4.2)
    assert by_name(shapes, "2 points below baseline")["y0"] == 4.0
    annotations = layout(fig)["annotations"]
    assert by_name(annotations, "weeks 1-6")["text"] == "Programme weeks 1-6"
    # The article's 80-90% is quoted in the caption, never drawn at the user's week 6.
    assert not any("80" in str(a.get("text")) for a in annotations)
    assert by_name(annotations, "baseline")["text"] == "Baseline 6.0"
    thirty = by_name(annotations, "30% below baseline")
    two = by_name(annotations, "2 points below baseline")
    assert thirty["text"] == "30% below: 4.2"
    assert two["text"] == "2 points below: 4.0"
    # The lower of the two close lines (4.0) has its label below it: no overlap.
    assert (thirty["yanchor"], two["yanchor"]) == ("bottom", "top")
    x_range = layout(fig)["xaxis"]["range"]
    assert [pd.Timestamp(x) for x in x_range] == [
        pd.Timestamp(START),
        pd.Timestamp(date(2026, 5, 1)),
    ]


def test_pain_trend_without_baseline_and_with_daily_means() -> None:
    points = pain_points(
        [("2026-03-02 12:00", "before", 5.5, 2), ("2026-09-18 12:00", "before", 2.0, 1)], "day"
    )
    fig = pain_trend_chart(
        points,
        rolling_frame([], []),
        status_for(None),
        ExpectedCourse(None, (), "no_baseline"),
        programme_start=START,
        start=START,
        end=date(2026, 9, 30),
    )
    data = traces(fig)
    assert [trace["name"] for trace in data] == ["Before a session (daily mean)"]
    np.testing.assert_array_equal(decode(data[0]["customdata"])[:, 0].astype(int), [2, 1])
    # The hover names the period in words (the chart's point sits in its middle).
    assert data[0]["hovertemplate"].startswith("Before a session, daily mean, %{customdata[2]}")
    assert list(decode(data[0]["customdata"])[:, 2]) == ["Mon 2 Mar 2026", "Fri 18 Sep 2026"]
    names = {shape["name"] for shape in layout(fig)["shapes"]}
    assert names == {"weeks 1-6"}


# --------------------------------------------------------------------------- exercises


def test_exercise_pain_chart_and_tables() -> None:
    table = pd.DataFrame(
        {
            "exercise_id": ["side-bridge", "bridge", "cat-cow"],
            "sessions": [4, 4, 2],
            "times_done": [2, 4, 0],
            "times_stopped": [2, 0, 0],
            "exercise_pain": [6.5, np.nan, np.nan],
            "exercise_ratings": [2, 0, 0],
            "pain_before": [5.0, 4.5, np.nan],
            "pain_after": [4.0, 3.0, np.nan],
            "pain_change": [-1.0, -1.5, np.nan],
            "rated_sessions": [3, 2, 0],
            "discuss": [True, False, False],
        }
    )
    names = {exercise.id: exercise.name for exercise in default_catalog()}
    fig = exercise_pain_chart(table, names)
    data = traces(fig)
    assert [trace["name"] for trace in data] == [
        "change",
        "Before a session",
        "After a session",
        "During the exercise (when it hurt)",
    ]
    before = by_name(data, "Before a session")
    assert list(before["y"]) == ["Side bridge", "Bridge"]
    np.testing.assert_array_equal(decode(before["x"]), [5.0, 4.5])
    np.testing.assert_array_equal(decode(by_name(data, "After a session")["x"]), [4.0, 3.0])
    assert list(data[0]["x"]) == [5.0, 4.0, None, 4.5, 3.0, None]
    np.testing.assert_array_equal(decode(data[3]["x"]), [6.5])

    shown = exercise_table_display(table, names)
    assert shown.columns.tolist() == [
        "Exercise",
        "Discuss",
        "Sessions",
        "Done",
        "Stopped",
        "Pain during",
        "Before",
        "After",
        "Change",
    ]
    assert set(EXERCISE_COLUMN_HELP) == set(shown.columns) - {"Exercise"}
    assert shown.iloc[0].tolist()[:5] == ["Side bridge", "Yes", 4, 2, 2]
    assert shown["Discuss"].tolist() == ["Yes", "", ""]
    np.testing.assert_array_equal(shown["Change"], [-1.0, -1.5, np.nan])
    dose = pd.DataFrame(
        {
            "exercise_id": ["bridge", "side-bridge"],
            "side": ["none", "left"],
            "sessions": [1, 2],
            "prescribed": [3, 4],
            "done": [1, 1],
            "dose_pct": [100 / 3, 25.0],
        }
    )
    assert dose_table_display(dose, names).values.tolist() == [
        ["Bridge", "", 3, 1, 33.0],
        ["Side bridge", "Left", 4, 1, 25.0],
    ]


# --------------------------------------------------------------------------- check-ins


def test_pgic_and_psfs_charts() -> None:
    pgic = pd.DataFrame(
        {
            "week_start": pd.to_datetime(["2026-03-02", "2026-03-09"]),
            "pgic": [4, 2],
            "answer": ["No change", "Much better"],
        }
    ).astype({"week_start": "datetime64[us]"})
    fig = pgic_chart(pgic)
    (trace,) = traces(fig)
    np.testing.assert_array_equal(decode(trace["y"]), [4, 2])
    axis = layout(fig)["yaxis"]
    assert list(axis["ticktext"]) == list(PGIC_OPTIONS.values())
    assert list(axis["range"]) == [7.5, 0.5]  # better is up
    assert decode(trace["customdata"])[1].tolist() == ["Mon 9 Mar 2026", "Much better"]
    # Margins come from the labels ("Very much better": 16 characters at 7.5 px, plus the
    # 8 px gap; under the plot two lines of dates and the axis title), not from Plotly's
    # automargin, which measures them in the browser and lays the chart out again.
    assert layout(fig)["margin"] == {"l": 128, "r": 16, "t": 16, "b": 64}
    assert not [name for name, value in layout(fig).items() if "automargin" in str(value)]

    psfs = pd.DataFrame(
        {
            "week_start": pd.to_datetime(["2026-03-02"] * 3 + ["2026-03-09"] * 3),
            "activity": ["Socks", "Sitting", PSFS_MEAN_LABEL] * 2,
            "position": [1, 2, 0] * 2,
            "score": [2.0, 4.0, 3.0, 4.0, 6.0, 5.0],
            "is_mean": [False, False, True] * 2,
        }
    ).astype({"week_start": "datetime64[us]"})
    data = traces(psfs_chart(psfs))
    assert [trace["name"] for trace in data] == ["Socks", "Sitting", "PSFS score (mean)"]
    np.testing.assert_array_equal(decode(data[1]["y"]), [4.0, 6.0])
    np.testing.assert_array_equal(decode(data[2]["y"]), [3.0, 5.0])
    assert data[2]["line"]["width"] == 3


def test_empty_inputs_give_a_figure_that_says_what_will_appear() -> None:
    empties = {
        "calendar": adherence_calendar(days_frame(START, [])),
        "pgic": pgic_chart(
            pd.DataFrame({"week_start": [], "pgic": [], "answer": []}).astype(
                {"week_start": "datetime64[us]"}
            )
        ),
    }
    for fig in empties.values():
        assert len(traces(fig)) == 1  # Streamlit refuses a figure without any trace
        (note,) = layout(fig)["annotations"]
        assert note["name"] == "empty" and "will" in note["text"]


# --------------------------------------------------------------------------- five years


def five_years_of_daily_sessions(store: Store, years: int = 5) -> Profile:
    """A profile with a full session every day for ``years`` years, written in bulk."""
    end = date(2026, 11, 24)
    start = end - timedelta(days=365 * years)
    profile = factories.profile(
        store,
        programme_start=start,
        setup_pain=7,
        now=datetime.combine(start, time(8), UTC),
    )
    rng = np.random.default_rng(7)
    count = (end - start).days + 1
    starts = pd.date_range(start, periods=count, freq="D", tz="UTC") + pd.Timedelta(hours=8)
    ids = [str(uuid.uuid4()) for _ in range(count)]
    blocks = [(exercise, side) for exercise in ("bridge", "side-bridge") for side in ("left",)]
    blocks += [("bird-dog", "right"), ("cat-cow", "none")]
    reps = 14
    store.insert_frame(
        "sessions",
        pd.DataFrame(
            {
                "id": ids,
                "profile_id": profile.id,
                "active_profile_id": None,
                "started_at": starts,
                "ended_at": starts + pd.Timedelta(minutes=30),
                "status": rng.choice(["completed"] * 8 + ["partial", "stopped_for_pain"], count),
                "source": "programme",
                "plan_json": "[]",
                "prescribed_sets": reps * len(blocks),
                "notes": "",
                "updated_at": starts,
            }
        ),
    )
    store.insert_frame(
        "session_prescriptions",
        pd.DataFrame(
            [
                {
                    "session_id": session_id,
                    "profile_id": profile.id,
                    "exercise_id": exercise,
                    "side": side,
                    "prescribed": reps,
                }
                for session_id in ids
                for exercise, side in blocks
            ]
        ),
    )
    per_session = reps * len(blocks)
    store.insert_frame(
        "set_records",
        pd.DataFrame(
            {
                "session_id": np.repeat(ids, per_session),
                "profile_id": profile.id,
                "step_index": np.tile(np.arange(per_session), count),
                "exercise_id": np.tile(np.repeat([b[0] for b in blocks], reps), count),
                "side": np.tile(np.repeat([b[1] for b in blocks], reps), count),
                "rep": np.tile(np.arange(per_session) % reps + 1, count),
                "kind": "hold",
                "prescribed_s": 10.0,
                "duration_s": 10.0,
                "status": rng.choice(["done"] * 18 + ["skipped", "stopped_for_pain"], count * 56),
                "started_at": np.repeat(starts, per_session),
                "completed_at": np.repeat(starts, per_session),
            }
        ),
    )
    levels = np.clip(np.round(7 - 4 * np.arange(count) / count + rng.normal(0, 1, count)), 0, 10)
    at = np.concatenate(
        [starts, starts + pd.Timedelta(minutes=31), starts + pd.Timedelta(hours=12)]
    )
    store.insert_frame(
        "pain_ratings",
        pd.DataFrame(
            {
                "id": [str(uuid.uuid4()) for _ in range(3 * count)],
                "profile_id": profile.id,
                "recorded_at": at,
                "pain": np.concatenate([levels, np.maximum(levels - 1, 0), levels]).astype(int),
                "kind": ["before"] * count + ["after"] * count + ["checkin"] * count,
                "session_id": ids + ids + [None] * count,
                "exercise_id": None,
                "note": "",
                "is_flare": False,
            }
        ),
    )
    return profile


def test_five_years_of_data_make_figures_well_under_a_megabyte(store: Store) -> None:
    profile = five_years_of_daily_sessions(store)
    assert store.table_counts(profile.id)["set_records"] > 100_000
    start, end = profile.programme_start, date(2026, 11, 24)
    status = six_week_status(store, profile, end)
    names = {exercise.id: exercise.name for exercise in default_catalog()}
    points = pain_metrics.pain_points(store, profile, start, end)
    rolling = pain_rolling(store, profile, start, end)
    # Thu 25 Nov 2021 to Tue 24 Nov 2026 touch 262 Monday weeks (from Mon 22 Nov 2021 to
    # Mon 23 Nov 2026: 1827 days / 7 = 261, plus the first), within the 300 points a trace
    # may draw: weekly means (months, 61 points, before the shared rule), and the 7-day
    # mean on Sundays (261) and the last day.
    assert points["resolution"].unique().tolist() == ["week"]
    assert points["at"].nunique() == 262
    assert points.groupby("kind").size().max() <= 262 and len(rolling) == 262
    figures = {
        "calendar": adherence_calendar(session_days(store, profile, start, end)),
        "weekly": weekly_adherence_chart(weekly_adherence(store, profile, start, end)),
        "pain": pain_trend_chart(
            points,
            rolling,
            status,
            expected_course(
                "date",
                profile.programme_start - timedelta(weeks=20),
                profile.programme_start,
                status.baseline,
            ),
            programme_start=profile.programme_start,
            start=start,
            end=end,
        ),
        "effect": session_effect_chart(
            session_pairs(store, profile, start, end), start=start, end=end
        ),
        "exercise": exercise_pain_chart(exercise_table(store, profile, start, end), names),
    }
    sizes = {name: json_size(fig) for name, fig in figures.items()}
    assert all(size < 200_000 for size in sizes.values()), sizes
    assert sum(sizes.values()) < MB, sizes
    # Even drawn day by day (no resampling), five years of ratings stay under a megabyte.
    daily = pain_points(
        [
            (f"{day:%Y-%m-%d} 12:00", kind, 5.0, 1)
            for day in pd.date_range(start, end, freq="D")
            for kind in ("before", "checkin", "setup")
        ],
        "day",
    )
    assert (
        json_size(
            pain_trend_chart(
                daily, rolling, status, NO_COURSE, programme_start=start, start=start, end=end
            )
        )
        < MB
    )


def test_quarterly_pain_means_keep_the_six_week_window_and_the_threshold_lines() -> None:
    # 50 years drawn by quarter: each point in its quarter's middle, the hover naming it.
    points = pain_points(
        [("1976-02-15 12:00", "before", 6.25, 40), ("2026-11-15 12:00", "before", 2.5, 12)],
        "quarter",
    )
    rolling = rolling_frame(["1976-03-31", "2026-12-02"], [6.0, 2.0])
    fig = pain_trend_chart(
        points,
        rolling,
        status_for(6.0),
        NO_COURSE,
        programme_start=date(1976, 1, 5),
        start=date(1976, 1, 5),
        end=date(2026, 12, 2),
    )
    before, line = traces(fig)
    assert before["name"] == "Before a session (quarterly mean)"
    np.testing.assert_array_equal(
        as_stamps(before["x"]), stamps("1976-02-15 12:00", "2026-11-15 12:00")
    )
    np.testing.assert_allclose(decode(before["y"]), [6.25, 2.5])
    assert decode(before["customdata"]).tolist() == [
        ["40", "", "Jan-Mar 1976"],
        ["12", "", "Oct-Dec 2026"],
    ]
    assert before["hovertemplate"].startswith("Before a session, quarterly mean, %{customdata[2]}")
    # Two quarter ends 50 years apart: the 7-day line breaks between them; drawn thinner
    # than the means, under year ticks.
    assert np.isnan(decode(line["y"])[1])
    assert line["line"]["width"] == 1.5
    assert layout(fig)["xaxis"]["tickformat"] == "%Y"
    shapes = layout(fig)["shapes"]
    window = by_name(shapes, "weeks 1-6")
    assert (str(window["x0"])[:10], str(window["x1"])[:10]) == ("1976-01-05", "1976-02-16")
    assert by_name(shapes, "baseline")["y0"] == 6.0
    assert by_name(shapes, "30% below baseline")["y0"] == pytest.approx(4.2)  # 6 * 0.7
    assert by_name(shapes, "2 points below baseline")["y0"] == 4.0  # 6 - 2


def test_threshold_lines_and_labels_are_read_from_the_status() -> None:
    points = pain_points([("2026-03-02 08:00", "before", 8, 1)], "rating")
    fig = pain_trend_chart(
        points,
        rolling_frame([], []),
        status_for(8.0, fraction=0.5, points=3.0),
        NO_COURSE,
        programme_start=START,
        start=START,
        end=date(2026, 4, 30),
    )
    shapes, annotations = layout(fig)["shapes"], layout(fig)["annotations"]
    assert by_name(shapes, "50% below baseline")["y0"] == 4.0  # 8 * (1 - 0.5)
    assert by_name(shapes, "3 points below baseline")["y0"] == 5.0  # 8 - 3
    assert by_name(annotations, "50% below baseline")["text"] == "50% below: 4.0"
    assert by_name(annotations, "3 points below baseline")["text"] == "3 points below: 5.0"
    assert [trace["name"] for trace in traces(fig)] == ["Before a session"]  # no course line


def test_persistent_course_is_named_by_its_cohorts_and_placed_from_twelve_weeks() -> None:
    # Pain began 20 weeks before the start: persistent course week 8 at the start.
    course = expected_course("date", START - timedelta(weeks=20), START, 5.0)
    fig = pain_trend_chart(
        pain_points([("2026-03-02 08:00", "before", 5, 1)], "rating"),
        rolling_frame([], []),
        status_for(5.0),
        course,
        programme_start=START,
        start=START,
        end=date(2026, 9, 30),
    )
    curve = by_name(traces(fig), REFERENCE_LABELS["persistent"])
    assert "12 weeks to a year" in curve["hovertemplate"]
    customdata, pain = decode(curve["customdata"]), decode(curve["y"])
    assert (customdata[0], customdata[18]) == (20.0, 38.0)
    # Course week 8: 33 + (26 - 33) * 2/20 = 32.3; week 26 (18 weeks on): 26.
    assert pain[18] == pytest.approx(5.0 * 26 / 32.3, abs=1e-3)


def effect_frame(rows: list[tuple[str, float, float, int]], resolution: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "at": pd.to_datetime([row[0] for row in rows]),
            "before": [row[1] for row in rows],
            "after": [row[2] for row in rows],
            "change": [row[2] - row[1] for row in rows],
            "sessions": [row[3] for row in rows],
            "resolution": [resolution] * len(rows),
        }
    ).astype({"at": "datetime64[us]"})


def test_session_effect_joins_before_and_after_of_each_session() -> None:
    pairs = effect_frame(
        [("2026-03-02 08:00", 6.0, 4.0, 1), ("2026-03-04 18:00", 5.0, 5.0, 1)], "session"
    )
    fig = session_effect_chart(pairs, start=START, end=date(2026, 3, 31))
    join, before, after = traces(fig)
    assert [trace["name"] for trace in (before, after)] == [
        "Before the session",
        "Right after it",
    ]
    assert list(decode(join["y"])) == [6.0, 4.0, None, 5.0, 5.0, None]
    np.testing.assert_array_equal(decode(before["y"]), [6.0, 5.0])
    np.testing.assert_array_equal(decode(after["y"]), [4.0, 5.0])
    changes = decode(after["customdata"])
    assert [float(value) for value in changes[:, 0]] == [-2.0, 0.0]
    assert list(changes[:, 2]) == ["", "no change"]


def test_session_effect_weekly_means_and_no_sessions() -> None:
    weekly = session_effect_chart(
        effect_frame([("2026-03-05 12:00", 5.5, 4.25, 4)], "week"),
        start=START,
        end=date(2027, 3, 31),
    )
    before = traces(weekly)[1]
    assert before["name"] == "Before the session (weekly mean)"
    assert "mean of %{customdata[1]} sessions" in before["hovertemplate"]
    empty = session_effect_chart(effect_frame([], "session"), start=START, end=START)
    assert layout(empty)["annotations"][0]["name"] == "empty"


def test_psfs_activity_names_are_plain_text_in_the_legend_and_hover() -> None:
    """A name with tags and a template placeholder: escaped for the legend (plotly.js turns
    &lt; back into <), and the hover refers to the name rather than holding it."""
    name = "<b>x</b> %{y} & co"
    series = pd.DataFrame(
        {
            "week_start": pd.to_datetime(["2026-03-02", "2026-03-02"]),
            "activity": [name, None],
            "position": [1, 0],
            "score": [4.0, 4.0],
            "is_mean": [False, True],
        }
    ).astype({"week_start": "datetime64[us]"})
    activity, _mean = traces(psfs_chart(series))
    assert activity["name"] == "&lt;b&gt;x&lt;/b&gt; %{y} &amp; co"
    assert activity["hovertemplate"].startswith("%{fullData.name}<br>")
    assert name not in activity["hovertemplate"]


@pytest.mark.parametrize("days", [56, 4 * 365])
def test_every_dashboard_figure_passes_plotlys_check_unchanged(
    store: Store, monkeypatch: pytest.MonkeyPatch, days: int
) -> None:
    """The figures are built without Plotly's check of every property (it cost more than
    the rest of their building): each one the dashboard builds, from 8 weeks (a point a
    day) and 4 years (weekly and monthly means) of records with check-ins, is accepted by
    the check and comes out of it the same."""
    from bench import datagen
    from core.progress import dashboard
    from core.progress.charts import style

    built: list[tuple[list[dict[str, Any]], dict[str, Any]]] = []
    unchecked = style.build_figure

    def recorded(traces: list[dict[str, Any]], layout: dict[str, Any]) -> go.Figure:
        built.append((traces, layout))
        return unchecked(traces, layout)

    monkeypatch.setattr(style, "build_figure", recorded)
    made = datagen.generate(store.con, profiles=1, days=days, last_day=date(2026, 11, 30))
    profile = store.get_profile(made.profile_id)
    names = {exercise.id: exercise.name for exercise in default_catalog()}
    end = date(2026, 11, 30)
    view = dashboard.progress_view(store, profile, end - timedelta(days=days - 1), end, end, names)
    assert len(built) == len(view.figures) == 7
    for traces, layout in built:
        checked = go.Figure(data=traces, layout=layout)  # raises on any wrong property
        sent = pio.to_json(go.Figure(data=traces, layout=layout, _validate=False), validate=False)
        assert json.loads(sent) == json.loads(pio.to_json(checked, validate=False))
