"""The Session page while a hold runs, in AppTest: with its exercise figure and without.

The page is opened as a user does (pain before, "Pick exercises for today", one held
exercise, Start session) on a clock the benchmark moves: the measured first run is the
click that starts the session and draws its get-ready screen, the warm reruns are the
page's runs during the hold (a browser reruns its body every second). The same steps run
with the figure switched off, interleaved, on the same data: that is the floor. Each
session is then ended and saved, so the next one starts clean. A first session, untimed in
the medians, warms what a server does once (reading the keyframes, drawing the figures);
its times are kept as the cold run.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from bench.stats import summary
from core.db.flags import active_flags
from core.db.store import Store
from core.domain.catalog import default_catalog
from core.domain.programme import pickable_exercises
from ui import clock, figures
from ui.registry import page

SESSION_PAGE = page("views/session.py").script
TIMEOUT_S = 300


@contextmanager
def moved_clock(start: datetime) -> Iterator[list[datetime]]:
    """The app's clock, set to ``start``; the caller moves it by changing ``now[0]``."""
    now = [start]
    saved = clock.now
    clock.now = lambda: now[0]  # type: ignore[assignment]
    try:
        yield now
    finally:
        clock.now = saved  # type: ignore[assignment]


@contextmanager
def figure_shown(shown: bool) -> Iterator[None]:
    """The page as it is, or with its figure switched off (the floor)."""
    saved = figures.session_figure_html
    if not shown:
        figures.session_figure_html = lambda *args, **kwargs: ""  # type: ignore[assignment]
    try:
        yield
    finally:
        figures.session_figure_html = saved  # type: ignore[assignment]


def held_exercise(store: Store, profile_id: str) -> str:
    """The first held exercise the profile may pick today (flagged ones are left out)."""
    profile = store.get_profile(profile_id)
    flags = active_flags(store, profile_id)
    options = pickable_exercises(
        default_catalog(), recent_surgery=profile.recent_surgery, flagged=flags
    )
    return next(exercise.id for exercise in options if exercise.dosage.is_hold)


def _check(at: AppTest, what: str) -> None:
    if at.exception:
        raise RuntimeError(f"{what} raised: {[e.value for e in at.exception]}")


def _timed(action: Callable[[], AppTest]) -> tuple[float, AppTest]:
    start = time.perf_counter()
    at = action()
    return (time.perf_counter() - start) * 1000.0, at


def one_session(
    app: Path,
    profile_id: str,
    exercise_id: str,
    lead_in_s: int,
    warm: int,
    sent_bytes: Callable[[], int],
) -> dict[str, Any]:
    """Start a session of one hold, time its first run and its reruns in the hold, end it."""
    with moved_clock(datetime.now(UTC)) as now:
        at = AppTest.from_file(str(app), default_timeout=TIMEOUT_S).run()
        _check(at, "the default page")
        if at.session_state["profile_id"] != profile_id:
            at.selectbox(key="sidebar_profile").set_value(profile_id).run()
        at.switch_page(SESSION_PAGE).run()
        _check(at, "the session page")
        at.radio(key="session_source").set_value("ad_hoc").run()
        at.multiselect(key="adhoc_exercises").set_value([exercise_id]).run()
        at.radio(key="pain_before").set_value(2).run()
        first, at = _timed(lambda: at.button(key="start_session").click().run())
        _check(at, "starting a session")
        now[0] += timedelta(seconds=lead_in_s + 0.5)
        reruns = []
        for _ in range(warm):
            now[0] += timedelta(seconds=0.5)
            ms, at = _timed(at.run)
            _check(at, "a rerun during the hold")
            reruns.append(ms)
        held = [h.value for h in at.header]
        sent = sent_bytes()
        keys = [block.key for block in at.container if block.key]
        at.button(key="end").click().run()
        at.button(key="end_confirm").click().run()
        at.radio(key="pain_after").set_value(2).run()
        at.button(key="finish_session").click().run()
        _check(at, "saving the session")
    return {"first": first, "warm": reruns, "bytes": sent, "header": held, "keys": keys}


def session_timings(
    app: Path,
    store: Store,
    profile_id: str,
    reps: int,
    warm: int,
    sent_bytes: Callable[[], int],
    log: Callable[[str], None],
) -> dict[str, Any]:
    """The session page in a hold, with its figure and (the floor) without, ``reps`` each."""
    exercise_id = held_exercise(store, profile_id)
    lead_in_s = store.get_profile(profile_id).lead_in_s
    samples: dict[str, list[float]] = {"first": [], "warm": [], "floor_first": [], "floor_warm": []}
    sent: dict[str, int] = {}
    shown: dict[str, bool] = {}
    # The first session after a start reads the keyframe file and draws the exercise's
    # figures (once per process): kept apart as the cold run, not mixed into the medians.
    cold = one_session(app, profile_id, exercise_id, lead_in_s, warm, sent_bytes)
    for rep in range(reps):
        # Which of the two goes first alternates, so that neither always follows the other.
        for with_figure in (True, False) if rep % 2 == 0 else (False, True):
            with figure_shown(with_figure):
                run = one_session(app, profile_id, exercise_id, lead_in_s, warm, sent_bytes)
            prefix = "" if with_figure else "floor_"
            samples[f"{prefix}first"].append(run["first"])
            samples[f"{prefix}warm"] += run["warm"]
            sent["page" if with_figure else "floor"] = run["bytes"]
            shown["page" if with_figure else "floor"] = "session_figure" in run["keys"]
            gc.collect()
    if shown != {"page": True, "floor": False}:
        raise RuntimeError(f"the session page did not show its figure as expected: {shown}")
    result: dict[str, Any] = {name: summary(values) for name, values in samples.items()}
    result["exercise"] = exercise_id
    result["bytes"] = sent
    result["cold_first_ms"] = round(cold["first"], 2)
    result["cold_rerun_ms"] = round(max(cold["warm"], default=0.0), 2)
    log(
        f"    session ({exercise_id}): cold first run {result['cold_first_ms']} ms, then "
        f"first {result['first']['median']} ms "
        f"(floor {result['floor_first']['median']} ms), hold rerun {result['warm']['median']} "
        f"ms (floor {result['floor_warm']['median']} ms), {sent['page'] / 1024:.0f} KiB sent"
    )
    return result
