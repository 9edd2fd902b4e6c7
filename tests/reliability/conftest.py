"""Shared pieces of the reliability layer: the figures each test reports, and the fixtures
borrowed from the app and end-to-end layers.

Every reliability test records its figures (writes attempted and stored, crashes survived,
inputs tried, errors that reached a user) with the ``figures`` fixture. They are printed in
a "reliability figures" section at the end of the run and written to
``artifacts/reliability/<test>.json``; ``python -m tests.reliability.report`` copies the
latest ones into RELIABILITY.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

# The app layer's fixtures, re-exported for this folder.
from tests.app.conftest import fake_clock, fixed_clock, new_app  # noqa: F401
from tests.conftest import REPO_ROOT

ARTIFACTS = REPO_ROOT / "artifacts" / "reliability"
_REPORTED: list[tuple[str, dict[str, Any]]] = []


class Figures(dict[str, Any]):
    """The figures of one test: a dict, written out when the test ends (also on failure)."""


def artifact_name(nodeid: str) -> str:
    """``tests/reliability/test_x.py::test_y[a-b]`` -> ``test_x__test_y[a-b]``."""
    path, _, name = nodeid.partition("::")
    stem = Path(path).stem
    return re.sub(r"[^A-Za-z0-9_.\[\]-]+", "_", f"{stem}__{name}")


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Iterator[Figures]:
    found = Figures()
    yield found
    report = getattr(request.node, "rep_call", None)
    outcome = report.outcome if report is not None else "error"
    if report is not None and getattr(report, "wasxfail", None) is not None:
        outcome = "xfailed" if report.skipped else "xpassed"
    record = {
        "test": request.node.nodeid,
        "outcome": outcome,
        "finished_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "figures": dict(found),
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{artifact_name(request.node.nodeid)}.json"
    path.write_text(json.dumps(record, indent=2, sort_keys=True, default=str) + "\n")
    print(f"\nreliability figures {request.node.nodeid}: {json.dumps(dict(found), default=str)}")
    _REPORTED.append((request.node.nodeid, dict(found)))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _REPORTED:
        return
    terminalreporter.section("reliability figures")
    for nodeid, values in _REPORTED:
        shown = ", ".join(f"{key}={value}" for key, value in values.items())
        terminalreporter.write_line(f"{nodeid}: {shown}")
