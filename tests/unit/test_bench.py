"""Smoke test of the benchmark (``python -m bench``): its pieces on tiny data.

Structure only: what the generator writes, what each measurement returns, the budget lines
and the JSON. Never timing: these tests must pass on any machine, however slow or busy.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import duckdb
import pytest

from bench import browser, datagen, measure, report, run, stats
from core.db.store import PAIN_KINDS, Store
from core.domain.catalog import default_catalog

LAST_DAY = date(2026, 11, 24)


def _generate(path: Path, profiles: int, days: int) -> datagen.Summary:
    with Store.open(path) as store:
        return datagen.generate(store.con, profiles=profiles, days=days, last_day=LAST_DAY)


@pytest.fixture(scope="module")
def tiny_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, datagen.Summary]:
    path = tmp_path_factory.mktemp("bench") / "tiny.duckdb"
    return path, _generate(path, profiles=3, days=42)


def test_generator_writes_every_kind_of_record(tiny_db: tuple[Path, datagen.Summary]) -> None:
    path, summary = tiny_db
    assert summary.first_day == date(2026, 10, 14)
    assert summary.last_day == LAST_DAY
    assert summary.rows["profiles"] == 3
    assert summary.rows["programme_items"] == 3 * 17
    for table in (
        "sessions",
        "session_prescriptions",
        "set_records",
        "pain_ratings",
        "weekly_checkins",
        "psfs_activities",
        "psfs_scores",
    ):
        assert summary.rows[table] > 0, table
    con = duckdb.connect(str(path), read_only=True)
    try:
        kinds = {row[0] for row in con.execute("SELECT DISTINCT kind FROM pain_ratings").fetchall()}
        assert kinds == set(PAIN_KINDS)
        statuses = {
            row[0] for row in con.execute("SELECT DISTINCT status FROM set_records").fetchall()
        }
        assert {"done", "skipped", "stopped_for_pain"} <= statuses
        orphans = con.execute(
            "SELECT count(*) FROM set_records r LEFT JOIN sessions s "
            "ON s.id = r.session_id AND s.profile_id = r.profile_id WHERE s.id IS NULL"
        ).fetchone()
        assert orphans == (0,)
        # Every session prescribes the whole plan, and no set lies outside it.
        per_session = con.execute(
            "SELECT DISTINCT sum(prescribed) FROM session_prescriptions GROUP BY session_id"
        ).fetchall()
        steps = len(datagen.plan_frame(datagen.bench_programme())[0])
        assert per_session == [(steps,)]
        assert con.execute("SELECT max(step_index) FROM set_records").fetchone() == (steps - 1,)
        assert con.execute(
            "SELECT count(*) FROM sessions WHERE status = 'in_progress'"
        ).fetchone() == (0,)
    finally:
        con.close()


def test_profile_zero_is_the_same_alone_and_among_others(
    tiny_db: tuple[Path, datagen.Summary], tmp_path: Path
) -> None:
    clinic_path, clinic = tiny_db
    alone_path = tmp_path / "alone.duckdb"
    alone = _generate(alone_path, profiles=1, days=42)
    assert alone.profile_id == clinic.profile_id
    query = (
        "SELECT session_id, step_index, status, duration_s, started_at FROM set_records "
        "WHERE profile_id = ? ORDER BY session_id, step_index"
    )
    rows = []
    for path in (clinic_path, alone_path):
        con = duckdb.connect(str(path), read_only=True)
        try:
            rows.append(con.execute(query, [clinic.profile_id]).fetchall())
        finally:
            con.close()
    assert rows[0] == rows[1]
    assert len(rows[0]) > 0


def test_measure_returns_every_figure(
    tiny_db: tuple[Path, datagen.Summary], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, summary = tiny_db
    monkeypatch.setenv("BACKONTRACK_DB", str(path))
    reps = measure.Reps(core=1, first=1, warm=1, writes=5)
    result = measure.measure(path, summary.profile_id, reps, log=lambda line: None)

    for name in ("progress_metrics", "progress_figures", "review_metrics"):
        assert result["core"][name]["n"] == 1
        assert result["core"][name]["median"] >= 0
    assert result["core"]["facts"]["progress_points"]["charts"] == 7
    for page in ("progress", "weekly_review"):
        entry = result["pages"][page]
        for run_kind in ("first", "warm", "floor_first", "floor_warm"):
            assert entry[run_kind]["n"] == 1, (page, run_kind)
        assert entry["bytes"]["page"] > 0
        assert entry["bytes"]["floor"] > 0
    # The page opens on its summary: sessions per week and the pain trend.
    assert result["pages"]["progress"]["charts"] == {"page": 2, "floor": 2}
    assert result["pages"]["weekly_review"]["charts"] == {"page": 0, "floor": 0}
    assert result["write_set_ms"]["n"] == 5
    assert os.environ["BACKONTRACK_DB"] == str(path)


def test_the_session_page_is_timed_with_its_figure_and_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "session.duckdb"
    summary = _generate(path, profiles=1, days=14)
    monkeypatch.setenv("BACKONTRACK_DB", str(path))
    reps = measure.Reps(core=1, first=1, warm=2, writes=1)
    result = measure.measure(path, summary.profile_id, reps, log=lambda line: None, session=True)

    session = result["session"]
    for run_kind, count in (("first", 2), ("floor_first", 2), ("warm", 4), ("floor_warm", 4)):
        assert session[run_kind]["n"] == count, run_kind
    assert default_catalog().get(session["exercise"]).dosage.is_hold
    # The figure is what the page sends beyond its floor.
    assert session["bytes"]["page"] > session["bytes"]["floor"] > 0
    with Store.open(path) as store:
        assert store.active_session(summary.profile_id) is None, "every session was ended"
    lines = {
        line["budget"]: line
        for line in report.budgets({"scales": {"8w": {"label": "8 weeks", "measure": result}}})
    }
    assert any(name.startswith("Session page in a hold") for name in lines)
    assert "Session page in a hold" in report.format_results(
        {
            "scales": {
                "8w": {
                    "label": "8 weeks",
                    "measure": result,
                    "rows": {"set_records": 0},
                    "db_mb": 1,
                }
            }
        }
    )


def test_quick_run_writes_json_and_budgets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKONTRACK_DB", str(tmp_path / "unused.duckdb"))
    monkeypatch.setattr(
        run,
        "QUICK_SCALES",
        (
            run.Scale("5y", "tiny single", 1, 14),
            run.Scale("clinic", "tiny clinic", 2, 14),
            run.Scale("clinic_alone", "tiny alone", 1, 14),
        ),
    )
    out = tmp_path / "results.json"
    assert run.main(["--quick", "--no-browser", "--out", str(out), "--workdir", str(tmp_path)]) == 0

    results = json.loads(out.read_text())
    assert results["meta"]["quick"] is True
    assert set(results["scales"]) == {"5y", "clinic", "clinic_alone"}
    names = [line["budget"] for line in results["budgets"]]
    assert any("warm rerun / floor" in name for name in names)
    assert any("clinic file / the profile alone" in name for name in names)
    assert sum("Writing a set" in name for name in names) == 3
    assert {line["result"] for line in results["budgets"]} <= {"pass", "miss", "n/a"}
    assert "Budgets" in report.format_results(results)


def test_budget_lines_compare_value_and_limit() -> None:
    page = {
        "first": {"median": 300.0},
        "warm": {"median": 90.0},
        "floor_warm": {"median": 60.0},
        "bytes": {"page": 2_000_000},
    }
    scale = {
        "label": "5 years",
        "measure": {
            "pages": {"progress": page, "weekly_review": page},
            "write_set_ms": {"p95": 4.0},
        },
        "server": {"rss_peak_mb": 450.0, "pages": {}},
    }
    results = {
        "scales": {"5y": scale},
        "browser": {"progress_ms": {"median": 140.0}, "one_chart_ms": {"median": 100.0}},
    }
    lines = {line["budget"]: line for line in report.budgets(results)}
    assert lines["Progress at 5 years: warm rerun / floor"]["result"] == "pass"  # 1.5x
    assert lines["Progress at 5 years: first run / floor"]["result"] == "pass"  # 5x
    assert lines["Server peak RSS after every page, 5 years"]["result"] == "miss"
    assert lines["Writing a set, p95, 5 years"]["result"] == "pass"
    sent = [line for name, line in lines.items() if name.startswith("Page sent")]
    assert [line["result"] for line in sent] == ["miss"]
    chromium = lines[
        "Chromium, 5 years: Progress drawn (the section it opens on) / one small chart"
    ]
    assert chromium["value"] == 1.4


def test_first_paint_and_long_history_budget_lines() -> None:
    results = {
        "scales": {},
        "first_paint": {
            "label": "5 years",
            "share": {
                "share_first_ms": stats.summary([1300.0]),
                "share_repeat_ms": stats.summary([1400.0]),
                "one_chart_ms": stats.summary([1000.0]),
            },
            "startup": {
                "first_page_ms": stats.summary([1500.0]),
                "first_page_unwarmed_ms": stats.summary([4000.0]),
                "bare_ms": stats.summary([1000.0]),
            },
        },
        "long_history": {
            "label": "50 years",
            "pages": {"progress": {"ws_bytes": 500_001}, "weekly_review": {"ws_bytes": 104_000}},
        },
    }
    lines = {line["budget"]: (line["value"], line["result"]) for line in report.budgets(results)}
    assert lines == {
        # 1300 / 1000 = 1.3, at the limit; 1400 / 1000 = 1.4, over it.
        "Chromium, 5 years: a share link opened the first time / one small chart": (1.3, "pass"),
        "Chromium, 5 years: a share link opened again / one small chart": (1.4, "miss"),
        # The start as served (serve.py) is the one with a budget: 1500 / 1000 = 1.5.
        "Chromium, 5 years: first page after a server start (serve.py) / a bare page "
        "after its start": (1.5, "pass"),
        "Progress sent to the browser, 50 years": (500_001, "miss"),  # one byte over 500 kB
        "Weekly review sent to the browser, 50 years": (104_000, "pass"),
    }
    table = report.format_results(results)
    assert "the same, app.py served without warm-up" in table


def test_summary_and_percentiles() -> None:
    result = stats.summary([4.0, 1.0, 3.0, 2.0, 5.0])
    assert result == {"median": 3.0, "min": 1.0, "max": 5.0, "iqr": 2.0, "p95": 4.8, "n": 5}
    assert stats.summary([])["n"] == 0
    assert stats.ratio(3.0, 2.0) == 1.5
    assert stats.ratio(3.0, None) is None


def test_memory_is_read_from_proc() -> None:
    memory = browser.read_memory_kib(os.getpid())
    assert set(memory) == {"VmHWM", "VmRSS"}
    assert memory["VmHWM"] >= memory["VmRSS"] > 0
