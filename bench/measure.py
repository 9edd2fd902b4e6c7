"""Server-side measurements of one database, in this process (AppTest, no browser).

For the Progress and Weekly review pages: the metric queries alone, the figure building
alone, the page's run time in AppTest (the first run after the data changed, and reruns
after a click that changes no data), the same for the floor page drawing the results
computed beforehand, and the bytes each page sends to the browser. Then the time to write
one set record through :func:`core.db.session_records.record_outcome`, and (``--session``)
the Session page during a hold, with its exercise figure and without (bench/session_page.py).

``python -m bench.measure --db FILE --profile ID --out RESULT.json`` runs it on its own:
:mod:`bench.run` starts one such process per database, so that caches, connections and
file locks of one scale never touch the next.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import pickle
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.local_script_runner import LocalScriptRunner

from bench import _quiet, pages, session_page  # noqa: F401 (_quiet first: it silences Streamlit)
from bench.stats import summary, timed_ms
from core.db.session_records import record_outcome
from core.db.store import Store
from core.db.versions import bump
from core.domain.catalog import default_catalog
from core.domain.days import local_today, utc_now
from core.domain.session_plan import build_plan, prescribed_counts
from core.domain.session_runner import Outcome

REPO_ROOT = Path(__file__).resolve().parent.parent
APP = REPO_ROOT / "app.py"
FLOOR = Path(__file__).resolve().parent / "floor_page.py"
TIMEOUT_S = 300
PAGE_KEYS: dict[str, str] = {"progress": pages.PROGRESS_PAGE, "weekly_review": pages.REVIEW_PAGE}


@dataclass(frozen=True)
class Reps:
    """How many times each thing is measured."""

    core: int = 7  # metric queries, figure building
    first: int = 7  # first runs of each page (and of its floor)
    warm: int = 3  # warm reruns after each first run
    writes: int = 1000  # set records written


QUICK_REPS = Reps(core=1, first=1, warm=1, writes=20)


# --------------------------------------------------------------------------- plumbing


_SENT: dict[str, list[Any]] = {"messages": []}


def _hook_sent_messages() -> None:
    """Keep each AppTest run's forward messages, to count the bytes the page sends."""
    if getattr(LocalScriptRunner, "_bench_hooked", False):
        return
    original = LocalScriptRunner.run

    def run(self: LocalScriptRunner, *args: Any, **kwargs: Any) -> Any:
        tree = original(self, *args, **kwargs)
        _SENT["messages"] = list(self.forward_msgs())
        return tree

    LocalScriptRunner.run = run  # type: ignore[method-assign]
    LocalScriptRunner._bench_hooked = True  # type: ignore[attr-defined]


@contextmanager
def server_like_script_cache() -> Iterator[None]:
    """Compile each script once, as ``streamlit run`` does, while measuring.

    A server keeps one ScriptCache per process, so a rerun executes cached bytecode; AppTest
    makes a new one for every run and so recompiles (and rewrites for "magic") ``app.py``
    and the page on each run, a cost no user pays. One shared cache makes the measured runs
    the server's, for the pages and their floors alike.
    """
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    saved = (app_test.ScriptCache, local_script_runner.ScriptCache)
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared  # type: ignore[misc]
    try:
        yield
    finally:
        app_test.ScriptCache, local_script_runner.ScriptCache = saved  # type: ignore[misc]


def sent_bytes() -> int:
    """Serialized size of the last AppTest run's forward messages (what goes on the wire)."""
    return sum(message.ByteSize() for message in _SENT["messages"])


def quiet_streamlit() -> None:
    """AppTest outside `streamlit run` logs a warning per run; keep the output readable."""
    for name in ("streamlit", "streamlit.runtime"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from streamlit import logger

    logger.set_log_level("error")


def _check(at: AppTest, what: str) -> None:
    if at.exception:
        raise RuntimeError(f"{what} raised: {[e.value for e in at.exception]}")


def _timed_run(at: AppTest, action: Callable[[AppTest], AppTest]) -> tuple[float, AppTest]:
    """Milliseconds ``action`` takes on ``at`` (one AppTest run), and the AppTest after it."""
    start = time.perf_counter()
    after = action(at)
    return (time.perf_counter() - start) * 1000.0, after


def _click_same(at: AppTest, key: str) -> AppTest:
    """A click that changes no data: set the page's selectbox to the value it has."""
    box = at.selectbox(key=key)
    return box.set_value(box.value)


# --------------------------------------------------------------------------- measurements


def core_timings(
    store: Store, profile_id: str, reps: int, log: Callable[[str], None]
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Metric queries and figure building, each timed alone; and the floor pages' payloads."""
    profile = store.get_profile(profile_id)
    today = local_today(profile)
    names = pages.exercise_names()
    samples: dict[str, list[float]] = {
        "progress_metrics": [],
        "progress_figures": [],
        "review_metrics": [],
    }
    data = view = review = None
    for _ in range(reps):
        ms, data = timed_ms(lambda: pages.progress_metrics(store, profile, today))
        samples["progress_metrics"].append(ms)
        ms, view = timed_ms(lambda: pages.progress_view(data, profile, names))  # noqa: B023
        samples["progress_figures"].append(ms)
        ms, review = timed_ms(lambda: pages.review_metrics(store, profile, today))
        samples["review_metrics"].append(ms)
    assert data is not None and isinstance(review, dict)
    assert isinstance(view, pages.DashboardData)
    log(
        f"    metrics+figures: progress {summary(samples['progress_metrics'])['median']} ms + "
        f"{summary(samples['progress_figures'])['median']} ms, "
        f"weekly review {summary(samples['review_metrics'])['median']} ms"
    )
    payloads = {
        "progress": pages.progress_payload(view, profile),
        "weekly_review": pages.review_payload(review, profile, names),
    }
    facts = {
        "progress_points": {
            "pain_points": len(data.points),
            "pain_resolution": (
                str(data.points["resolution"].iloc[0]) if len(data.points) else None
            ),
            "rolling_points": len(data.rolling),
            "weeks": len(data.weeks),
            "days": len(data.days),
            "charts": len(view.figures),
            "figure_json_bytes": {
                name: len(json.dumps(figure, default=str)) for name, figure in view.figures.items()
            },
        },
        "review_weeks": len(review["weeks"]),
    }
    timings = {name: summary(values) for name, values in samples.items()}
    timings["facts"] = facts
    return timings, payloads


def page_timings(
    profile_id: str,
    page: str,
    payload: dict[str, Any],
    reps: Reps,
    log: Callable[[str], None],
) -> dict[str, Any]:
    """The page in the app, and its floor, each: first runs, warm reruns, bytes sent."""
    script = PAGE_KEYS[page]
    widget = pages.PAGE_WIDGETS[script]
    samples: dict[str, list[float]] = {"first": [], "warm": [], "floor_first": [], "floor_warm": []}
    sent: dict[str, int] = {}
    pages.PAYLOAD.clear()
    pages.PAYLOAD.update(payload)
    for _ in range(reps.first):
        # The page: the app is open on its default page; then a write bumps the data
        # version (as every write does), and the user opens the page.
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()
        _check(at, "the default page")
        if at.session_state["profile_id"] != profile_id:
            # The profile switcher in the sidebar, as a user would pick the profile.
            at.selectbox(key="sidebar_profile").set_value(profile_id).run()
            _check(at, "switching profile")
        bump(profile_id)
        ms, at = _timed_run(at, lambda app: app.switch_page(script).run())
        _check(at, page)
        if at.session_state["profile_id"] != profile_id:
            raise RuntimeError(f"{page} shows another profile than the one measured")
        samples["first"].append(ms)
        sent["page"] = sent_bytes()
        for _ in range(reps.warm):
            ms, at = _timed_run(at, lambda app: _click_same(app, widget).run())
            _check(at, page)
            samples["warm"].append(ms)
        sent["page_warm"] = sent_bytes()
        charts = len(at.get("plotly_chart"))

        # Its floor: the same drawing with everything computed beforehand.
        floor = AppTest.from_file(str(FLOOR), default_timeout=TIMEOUT_S)
        ms, floor = _timed_run(floor, lambda app: app.run())
        _check(floor, f"{page} floor")
        samples["floor_first"].append(ms)
        sent["floor"] = sent_bytes()
        for _ in range(reps.warm):
            ms, floor = _timed_run(floor, lambda app: _click_same(app, widget).run())
            _check(floor, f"{page} floor")
            samples["floor_warm"].append(ms)
        floor_charts = len(floor.get("plotly_chart"))
        del at, floor
        gc.collect()
    result = {name: summary(values) for name, values in samples.items()}
    result["bytes"] = sent
    result["charts"] = {"page": charts, "floor": floor_charts}
    log(
        f"    {page}: first {result['first']['median']} ms, warm {result['warm']['median']} ms,"
        f" floor {result['floor_warm']['median']} ms, {sent['page'] / 1024:.0f} KiB sent"
    )
    return result


def write_timings(store: Store, profile_id: str, count: int) -> dict[str, Any]:
    """Time ``count`` set records written as a session writes them (the bench plan)."""
    from bench.datagen import bench_programme

    catalog = default_catalog()
    items = bench_programme()
    plan = build_plan([(catalog.get(item.exercise_id), item) for item in items])
    plan_json = [{"exercise_id": i.exercise_id, "reps": i.reps, "hold_s": i.hold_s} for i in items]
    prescribed = prescribed_counts(plan)
    samples: list[float] = []
    session_id: str | None = None
    clock = utc_now()
    running = store.active_session(profile_id)
    if running is not None:  # left by an interrupted run on a kept database
        store.finish_session(profile_id, running.id, status="partial", now=clock)
    for n in range(count):
        step = plan[n % len(plan)]
        if step.index == 0:
            if session_id is not None:
                store.finish_session(profile_id, session_id, status="completed", now=clock)
            session_id = store.start_session(
                profile_id, plan_json, prescribed=prescribed, now=clock
            )
        assert session_id is not None
        outcome = Outcome(
            kind="set",
            step=step,
            status="done",
            started_at=clock,
            completed_at=clock + timedelta(seconds=step.duration_s),
            duration_s=float(step.duration_s),
        )
        clock += timedelta(seconds=step.duration_s + 1)
        ms, _ = timed_ms(lambda: record_outcome(store, profile_id, session_id, outcome))  # noqa: B023
        samples.append(ms)
    if session_id is not None:
        store.finish_session(profile_id, session_id, status="partial", now=clock)
    return summary(samples, digits=3)


def measure(
    db_path: Path,
    profile_id: str,
    reps: Reps,
    log: Callable[[str], None] = print,
    payload_out: Path | None = None,
    session: bool = False,
) -> dict[str, Any]:
    """Every server-side figure for one database and its measured profile (and, with
    ``session``, the Session page during a hold; it writes sessions, so it runs last)."""
    os.environ["BACKONTRACK_DB"] = str(db_path)
    quiet_streamlit()
    _hook_sent_messages()
    st.cache_data.clear()
    st.cache_resource.clear()
    ms, store = timed_ms(lambda: Store.open(db_path))
    log(f"    first open (migrations, sorting a shared file by profile): {ms / 1000:.1f} s")
    try:
        core, payloads = core_timings(store, profile_id, reps.core, log)
        if payload_out is not None:  # for the floor page served to Chromium
            payload_out.write_bytes(pickle.dumps(payloads["progress"]))
        result: dict[str, Any] = {"first_open_s": round(ms / 1000, 2), "core": core, "pages": {}}
        with server_like_script_cache():
            for page in PAGE_KEYS:
                result["pages"][page] = page_timings(profile_id, page, payloads[page], reps, log)
        result["write_set_ms"] = write_timings(store, profile_id, reps.writes)
        if session:
            # Twice the pages' first runs: a session's first run is short (tens of ms), so
            # one busy moment moves a median of seven; each run costs about a second.
            with server_like_script_cache():
                result["session"] = session_page.session_timings(
                    APP, store, profile_id, 2 * reps.first, reps.warm, sent_bytes, log
                )
        log(
            f"    record_set: median {result['write_set_ms']['median']} ms, "
            f"p95 {result['write_set_ms']['p95']} ms"
        )
    finally:
        store.close()
        pages.PAYLOAD.clear()
        st.cache_data.clear()
        st.cache_resource.clear()
        gc.collect()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.measure", description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--profile", required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--reps", default=json.dumps(asdict(Reps())), help="Reps as JSON")
    parser.add_argument("--payload-out", type=Path, help="pickle the Progress floor's data here")
    parser.add_argument("--session", action="store_true", help="also time the Session page")
    args = parser.parse_args(argv)
    reps = Reps(**json.loads(args.reps))
    quiet_streamlit()

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    result = measure(args.db, args.profile, reps, log, args.payload_out, args.session)
    args.out.write_text(json.dumps(result, indent=1, default=str))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
    raise SystemExit(main())
