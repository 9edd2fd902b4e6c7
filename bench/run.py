"""``python -m bench``: build the benchmark databases, measure, print a table, write JSON.

Scales: one profile with 8 weeks; one profile with 5 years of daily sessions; a clinic file
of 1,000 profiles x 1 year, measured on one profile, beside a file holding that profile
alone. Databases live in a temporary directory that is removed afterwards (``--keep`` keeps
it). ``--quick`` runs every piece on tiny data in well under a minute, as a smoke test; its
JSON goes to ``bench/tmp/`` rather than over the committed ``bench/results.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from bench import _quiet, browser, speed  # noqa: F401 (_quiet first: it silences Streamlit)
from bench.measure import QUICK_REPS, Reps
from bench.pages import PAYLOAD_FILE_ENV
from bench.report import MB, format_results
from bench.stats import summary
from core.progress.dashboard import SECTIONS
from ui.dashboard import SECTION_TITLES

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results.json"
QUICK_RESULTS = BENCH_DIR / "tmp" / "results-quick.json"


@dataclass(frozen=True)
class Scale:
    key: str
    label: str
    profiles: int
    days: int


SCALES: tuple[Scale, ...] = (
    Scale("8w", "8 weeks", 1, 56),
    Scale("5y", "5 years", 1, 5 * 365 + 1),
    Scale("clinic", "clinic 1000x1y", 1000, 365),
    Scale("clinic_alone", "clinic profile alone", 1, 365),
)
QUICK_SCALES: tuple[Scale, ...] = (
    Scale("8w", "8 weeks (quick: 2)", 1, 14),
    Scale("5y", "5 years (quick: 8 weeks)", 1, 56),
    Scale("clinic", "clinic (quick: 5x4 weeks)", 5, 28),
    Scale("clinic_alone", "clinic profile alone (quick)", 1, 28),
)
BROWSER_REPS = 7
#: Server starts per page for the first page after a start (each start takes seconds).
STARTUP_REPS = 5
#: The Progress page's sections after the one it opens on, each timed as opened by its tab.
OTHER_SECTIONS: tuple[str, ...] = tuple(SECTIONS)[1:]
#: The long history whose page size has a budget (built and served once, not in AppTest).
LONG_SCALE = Scale("50y", "50 years", 1, 50 * 365 + 12)
QUICK_LONG_SCALE = Scale("50y", "50 years (quick: 1 year)", 1, 365)
#: Quick runs open these pages only (the pages the budgets are about).
QUICK_PAGES: tuple[str, ...] = ("progress", "weekly_review")


_STARTED = time.perf_counter()


def log(line: str) -> None:
    print(f"{time.perf_counter() - _STARTED:6.1f}s {line}", file=sys.stderr, flush=True)


def _python(*args: str) -> list[str]:
    return [sys.executable, "-m", *args]


def _run_json(command: list[str], out: Path, in_process: bool = False) -> dict[str, Any]:
    """Run a bench module (its progress lines pass through) and read the JSON it wrote.

    Full runs start one process per step, so that no cache, connection or file lock of one
    database survives into the next; quick runs save the start-up time and stay in this one.
    """
    if in_process:
        module = importlib.import_module(command[2])
        with contextlib.redirect_stdout(io.StringIO()):
            module.main(command[3:])
    else:
        subprocess.run(command, cwd=REPO_ROOT, check=True, stdout=subprocess.DEVNULL)
    return json.loads(out.read_text())


def generate(
    scale: Scale, workdir: Path, last_day: date, in_process: bool = False
) -> dict[str, Any]:
    db = workdir / f"{scale.key}.duckdb"
    out = workdir / f"{scale.key}-data.json"
    log(f"  generating {scale.label}: {scale.profiles} profile(s) x {scale.days} days ...")
    made = _run_json(
        _python(
            "bench.datagen",
            "--db",
            str(db),
            "--profiles",
            str(scale.profiles),
            "--days",
            str(scale.days),
            "--last-day",
            last_day.isoformat(),
            "--out",
            str(out),
        ),
        out,
        in_process,
    )
    made["db"] = str(db)
    made["label"] = scale.label
    made["db_mb"] = round(db.stat().st_size / MB, 1)
    log(
        f"    {made['rows']['set_records']:,} set rows, {made['rows']['pain_ratings']:,} pain "
        f"ratings, {made['db_mb']} MB, in {made['seconds']} s"
    )
    return made


#: The scale whose Session page is timed (it does not depend on how much data there is).
SESSION_SCALE = "8w"


def measure(
    scale: Scale, made: dict[str, Any], workdir: Path, reps: Reps, in_process: bool = False
) -> dict[str, Any]:
    out = workdir / f"{scale.key}-measure.json"
    log(f"  measuring {scale.label} in AppTest ...")
    command = _python(
        "bench.measure",
        "--db",
        made["db"],
        "--profile",
        made["profile_id"],
        "--out",
        str(out),
        "--reps",
        json.dumps(asdict(reps)),
        "--payload-out",
        str(workdir / f"{scale.key}-floor.pickle"),
    )
    if scale.key == SESSION_SCALE:
        command.append("--session")
    return _run_json(command, out, in_process)


def serve_and_visit(
    scale: Scale,
    made: dict[str, Any],
    charts: int,
    workdir: Path,
    context: Any,
    paths: tuple[str, ...] = browser.APP_PAGES,
) -> dict[str, Any]:
    """A real server on the scale's file: visit every page, read its peak RSS."""
    log(f"  serving {scale.label}: visiting every page in Chromium ...")
    with browser.server(browser.APP_SCRIPT, Path(made["db"]), workdir) as running:
        visited = browser.visit_every_page(context, running, {"progress": charts}, paths)
    visited["rss_peak_mb"] = round(visited.pop("rss_peak_mib") * 1024 * 1024 / MB, 1)
    visited["rss_end_mb"] = round(visited.pop("rss_end_mib") * 1024 * 1024 / MB, 1)
    log(
        f"    peak RSS {visited['rss_peak_mb']} MB; Progress sent "
        f"{visited['pages']['progress']['ws_bytes'] / 1000:.0f} kB over the websocket"
    )
    return visited


def chart_timings(
    scale: Scale, made: dict[str, Any], charts: int, workdir: Path, context: Any, reps: int
) -> dict[str, Any]:
    """Navigation to every Progress chart drawn, beside a page of one small chart.

    Also the Progress floor page (the same content, drawn from data computed beforehand,
    without the app around it), to tell the app's share from the content's.
    """
    log(f"  Chromium: Progress ({charts} charts) vs one small chart, {reps} runs each ...")
    runs: dict[str, list[dict[str, Any]]] = {"progress": [], "floor": [], "one_chart": []}
    floor_env = {PAYLOAD_FILE_ENV: str(workdir / f"{scale.key}-floor.pickle")}
    with (
        browser.server(browser.APP_SCRIPT, Path(made["db"]), workdir) as app,
        browser.server(browser.ONE_CHART_SCRIPT, None, workdir) as single,
        browser.server(browser.FLOOR_SCRIPT, None, workdir, floor_env) as floor,
    ):
        pages = {
            "progress": (f"{app.url}/progress", charts),
            "floor": (floor.url, charts),
            "one_chart": (single.url, 1),
        }
        # One visit each first: the browser's cache holds the app's static files after it.
        for url, count in pages.values():
            browser.open_and_time(context, url, count)
        for _ in range(reps):
            for name, (url, count) in pages.items():
                runs[name].append(browser.open_and_time(context, url, count))
        # The other sections of the page, each opened by a click on its tab.
        sections: dict[str, list[float]] = {name: [] for name in OTHER_SECTIONS}
        for _ in range(reps):
            for name in OTHER_SECTIONS:
                figures = SECTIONS[name]
                sections[name].append(
                    browser.open_section_and_time(
                        context,
                        f"{app.url}/progress",
                        charts,
                        SECTION_TITLES[name],
                        len(figures),
                        f".st-key-progress_{figures[0]}",
                    )
                )
    result: dict[str, Any] = {"charts": charts}
    for name, visits in runs.items():
        result[f"{name}_ms"] = summary([visit["ms"] for visit in visits])
        result[f"{name}_main_thread_ms"] = summary([visit["main_thread_ms"] for visit in visits])
    result["sections"] = {
        name: {"title": SECTION_TITLES[name], "charts": len(SECTIONS[name]), "ms": summary(ms)}
        for name, ms in sections.items()
    }
    log(
        f"    Progress {result['progress_ms']['median']} ms, floor "
        f"{result['floor_ms']['median']} ms, one chart {result['one_chart_ms']['median']} ms; "
        + ", ".join(
            f"{entry['title']} opened {entry['ms']['median']} ms"
            for entry in result["sections"].values()
        )
    )
    return result


def first_paint(
    made: dict[str, Any], charts: int, workdir: Path, context: Any, quick: bool
) -> dict[str, Any]:
    """A share link's first and repeated opening vs one chart; the first page after a server
    start vs a bare page (see :mod:`bench.speed`)."""
    reps = 1 if quick else BROWSER_REPS
    db_path = Path(made["db"])
    log(f"  Chromium: share link first and again vs one small chart, {reps} runs each ...")
    share = speed.share_timings(db_path, made["profile_id"], charts, workdir, context, reps)
    log(share.pop("log"))
    starts = 1 if quick else STARTUP_REPS
    log(f"  Chromium: first page after a server start vs a bare page, {starts} starts each ...")
    startup = speed.startup_timings(db_path, workdir, context, starts)
    log(startup.pop("log"))
    return {"label": made.get("label", "5 years"), "share": share, "startup": startup}


def long_history(
    scale: Scale, workdir: Path, last_day: date, context: Any, quick: bool
) -> dict[str, Any]:
    """Bytes sent by Progress and Weekly review for one very long history."""
    log(f"[{scale.label}]")
    made = generate(scale, workdir, last_day, quick)
    log("  Chromium: what Progress and Weekly review send ...")
    sent = speed.long_history_bytes(Path(made["db"]), 0, workdir, context)
    log(
        f"    Progress {sent['progress']['ws_bytes'] / 1000:.0f} kB, Weekly review "
        f"{sent['weekly_review']['ws_bytes'] / 1000:.0f} kB"
    )
    return {"label": scale.label, "days": scale.days, "rows": made["rows"], "pages": sent}


def caseload_timings(
    scale: Scale, made: dict[str, Any], workdir: Path, context: Any, reps: int
) -> dict[str, Any]:
    """The Caseload page of every profile on the clinic file, beside the one-chart page, in
    the same run (the issue's floor), and what the caseload sends."""
    from core.files.app_settings import AppSettings, write_settings

    write_settings(AppSettings(therapist=True), made["db"])
    log(f"  Chromium: Caseload of {scale.profiles} profiles vs one small chart, {reps} runs ...")
    runs: dict[str, list[dict[str, Any]]] = {"caseload": [], "one_chart": []}
    with (
        browser.server(browser.APP_SCRIPT, Path(made["db"]), workdir) as app,
        browser.server(browser.ONE_CHART_SCRIPT, None, workdir) as single,
    ):
        pages = {
            "caseload": (f"{app.url}/caseload", 0, browser.CASELOAD_DRAWN),
            "one_chart": (single.url, 1, None),
        }
        # One visit each first: the browser's cache holds the app's static files after it,
        # and the server has opened (and, once, sorted) the clinic file. The caseload's first
        # visit also computes every row (the later ones read them from the page's cache until
        # a write or the next quarter hour): it is kept as the cold figure.
        first = {
            name: browser.open_and_time(context, url, count, shown)
            for name, (url, count, shown) in pages.items()
        }
        for _ in range(reps):
            for name, (url, count, shown) in pages.items():
                runs[name].append(browser.open_and_time(context, url, count, shown))
    result: dict[str, Any] = {
        "profiles": scale.profiles,
        "caseload_cold_ms": round(first["caseload"]["ms"], 1),
        "one_chart_cold_ms": round(first["one_chart"]["ms"], 1),
    }
    for name, visits in runs.items():
        result[f"{name}_ms"] = summary([visit["ms"] for visit in visits])
        result[f"{name}_main_thread_ms"] = summary([visit["main_thread_ms"] for visit in visits])
    result["caseload_ws_bytes"] = max(visit["ws_bytes"] for visit in runs["caseload"])
    log(
        f"    Caseload {result['caseload_ms']['median']} ms (first, computing every row: "
        f"{result['caseload_cold_ms']} ms), one chart {result['one_chart_ms']['median']} ms; sent "
        f"{result['caseload_ws_bytes'] / 1000:.0f} kB"
    )
    return result


def environment() -> dict[str, Any]:
    packages = ("streamlit", "duckdb", "plotly", "pandas", "playwright")
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        **{name: version(name) for name in packages},
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    scales = QUICK_SCALES if args.quick else SCALES
    reps = QUICK_REPS if args.quick else Reps()
    if args.reps_first:
        reps = replace(reps, first=args.reps_first)
    use_browser = not args.no_browser and browser.chromium_available()
    if not args.no_browser and not use_browser:
        log("Chromium or Playwright is missing: the browser measurements are skipped.")
    last_day = date.today()
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="backontrack-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    log(f"Benchmark databases in {workdir}")
    results: dict[str, Any] = {
        "meta": {
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "quick": args.quick,
            "last_day": last_day.isoformat(),
            "reps": {**asdict(reps), "browser": 1 if args.quick else BROWSER_REPS},
            "environment": environment(),
            "load_average_start": [round(x, 2) for x in os.getloadavg()],
        },
        "scales": {},
    }
    try:
        with ExitStack() as stack:
            context = stack.enter_context(browser.chromium()) if use_browser else None
            for scale in scales:
                log(f"[{scale.label}]")
                made = generate(scale, workdir, last_day, args.quick)
                measured = measure(scale, made, workdir, reps, args.quick)
                entry: dict[str, Any] = {
                    "label": scale.label,
                    "profiles": scale.profiles,
                    "days": scale.days,
                    "rows": made["rows"],
                    "db_mb": made["db_mb"],
                    # After the app's first open (which sorts a shared file by profile).
                    "db_mb_after_open": round(Path(made["db"]).stat().st_size / MB, 1),
                    "generate_s": made["seconds"],
                    "measure": measured,
                }
                charts = measured["pages"]["progress"]["charts"]["page"]
                # Quick runs serve one scale only: a server and seven pages take ~20 s.
                if context is not None and (scale.key == "5y" or not args.quick):
                    paths = QUICK_PAGES if args.quick else browser.APP_PAGES
                    entry["server"] = serve_and_visit(scale, made, charts, workdir, context, paths)
                    if scale.key == "5y":
                        results["browser"] = chart_timings(
                            scale,
                            made,
                            charts,
                            workdir,
                            context,
                            1 if args.quick else BROWSER_REPS,
                        )
                        results["first_paint"] = first_paint(
                            made, charts, workdir, context, args.quick
                        )
                if context is not None and scale.key == "clinic":
                    results["caseload"] = caseload_timings(
                        scale, made, workdir, context, 1 if args.quick else BROWSER_REPS
                    )
                results["scales"][scale.key] = entry
                if not args.keep:
                    Path(made["db"]).unlink(missing_ok=True)
            if context is not None:
                results["long_history"] = long_history(
                    LONG_SCALE if not args.quick else QUICK_LONG_SCALE,
                    workdir,
                    last_day,
                    context,
                    args.quick,
                )
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    results["meta"]["seconds"] = round(time.perf_counter() - started, 1)
    results["meta"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny data, few runs: a smoke run")
    parser.add_argument("--no-browser", action="store_true", help="skip Chromium and servers")
    parser.add_argument("--workdir", help="put the databases here (kept) instead of a temp dir")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--reps-first", type=int, help="first runs per page (default 7)")
    parser.add_argument("--out", type=Path, help="JSON output (default: bench/results.json)")
    args = parser.parse_args(argv)
    results = run(args)
    from bench.report import budgets

    results["budgets"] = budgets(results)
    out = args.out or (QUICK_RESULTS if args.quick else RESULTS)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, default=str) + "\n")
    print(format_results(results))
    print(f"\nWritten to {out.relative_to(REPO_ROOT) if out.is_relative_to(REPO_ROOT) else out}")
    return 0
