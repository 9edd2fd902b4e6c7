"""Notes that look like SQL, HTML or markdown are stored and shown verbatim, never executed
or rendered as markup.

A check-in note is typed into the Today form (AppTest) and a session note saved; the
weekly review shows the week's notes: each must be an ``st.text`` element (plain text) with
exactly the note, and no markdown element may carry it. The Progress page's pain chart puts
the note in the hover label: the figure the page sends is drawn by plotly.js in Chromium and
the hover label read back. A PSFS activity named with tags and a hover placeholder is read
back from the PSFS chart's legend and hover label the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import plotly
import pytest
from streamlit.testing.v1 import AppTest

from core.db.store import Store
from tests.app.conftest import open_progress_section, titles
from tests.conftest import make_profile
from tests.factories import sessions_of
from ui import clock
from ui.text import md_escape

pytestmark = pytest.mark.reliability

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
MARK = "ZQX"
CHECKIN_NOTE = (
    f"{MARK} <script>alert('x')</script> **bold** _it_ <b>tag</b> [link](javascript:alert(1)) "
    ":red[red] $x^2$ '); DROP TABLE pain_ratings; --"
)
SESSION_NOTE = f"{MARK}2 <img src=x onerror=alert(2)> # heading\n- item\n\x1b[31mansi"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

# Element types whose body Streamlit renders as markdown.
MARKDOWN_TYPES = (
    "markdown",
    "caption",
    "title",
    "header",
    "subheader",
    "info",
    "warning",
    "error",
    "success",
    "toast",
    "latex",
    "code",
)


@pytest.fixture
def noted(db_path: Path, new_app: Callable[[], AppTest], monkeypatch: pytest.MonkeyPatch):
    """A profile with a check-in note typed into the Today form and a finished session with a
    note; returns the AppTest (on Today) and the profile id."""
    monkeypatch.setattr(clock, "now", lambda: NOW)
    profile = make_profile(db_path, name="Ann", programme_start=date(2026, 11, 2))
    with Store.open(db_path) as store:
        session_id = store.start_session(profile.id, [], prescribed={}, now=NOW)
        store.finish_session(
            profile.id, session_id, status="completed", notes=SESSION_NOTE, now=NOW
        )
    at = new_app()
    at.radio(key="checkin_pain").set_value(3)
    at.text_area(key="checkin_note").input(CHECKIN_NOTE)
    at.button(key="checkin_submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at, profile.id


def _markdown_bodies(at: AppTest) -> list[str]:
    bodies: list[str] = []
    for kind in MARKDOWN_TYPES:
        bodies += [str(getattr(element, "value", "")) for element in at.get(kind)]
    return bodies


def test_notes_are_stored_and_shown_as_plain_text(noted, db_path: Path, figures) -> None:
    at, profile_id = noted
    with Store.open(db_path) as store:
        stored = store.pain_ratings(profile_id)["note"].tolist()
        sessions = [s.notes for s in sessions_of(store, profile_id)]
    assert stored == [CHECKIN_NOTE] and sessions == [SESSION_NOTE], "stored verbatim"

    at.switch_page("views/weekly_review.py").run()
    assert not at.exception, [e.value for e in at.exception]
    shown_as_text = [t.value for t in at.text if MARK in t.value]
    in_markdown = [body for body in _markdown_bodies(at) if MARK in body]
    figures.update(
        notes=2,
        shown_as_plain_text=len(shown_as_text),
        shown_through_markdown=len(in_markdown),
    )
    assert sorted(shown_as_text) == sorted([CHECKIN_NOTE, SESSION_NOTE])
    assert in_markdown == []


def _pain_figure(at: AppTest) -> tuple[dict[str, Any], int, int]:
    """The Progress chart whose hover carries the note: (spec, trace, point)."""
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        for trace_index, trace in enumerate(spec["data"]):
            for point, custom in enumerate(trace.get("customdata") or []):
                if MARK in json.dumps(custom):
                    return spec, trace_index, point
    raise AssertionError("no chart on the Progress page carries the note")


def _hover_label(chromium, spec: dict[str, Any], trace: int, point: int) -> tuple[str, str]:
    """Draw the figure with plotly.js in Chromium, hover the point: (text, markup) of the label."""
    context = chromium.new_context(viewport={"width": 1000, "height": 700})
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.set_content("<div id='chart' style='width:900px;height:600px'></div>")
        page.add_script_tag(path=str(PLOTLY_JS))
        page.evaluate(
            "([data, layout]) => Plotly.newPlot('chart', data, layout)",
            [spec["data"], spec.get("layout", {})],
        )
        page.evaluate(
            "([trace, point]) => "
            "Plotly.Fx.hover('chart', [{curveNumber: trace, pointNumber: point}])",
            [trace, point],
        )
        label = page.locator("g.hovertext").first
        label.wait_for(state="attached")
        return label.text_content() or "", label.inner_html()
    finally:
        context.close()


@pytest.mark.e2e
def test_a_note_in_the_pain_chart_hover_is_shown_as_written(noted, chromium, figures) -> None:
    at, _ = noted
    at.switch_page("views/progress.py").run()
    assert not at.exception, [e.value for e in at.exception]
    spec, trace, point = _pain_figure(at)
    text, markup = _hover_label(chromium, spec, trace, point)
    figures.update(hover_text=text, bold_markup="font-weight:bold" in markup.replace(" ", ""))
    assert "<b>tag</b>" in text and "<script>alert('x')</script>" in text, text


def test_a_profile_name_with_markdown_is_shown_as_written(
    db_path: Path, new_app: Callable[[], AppTest], figures
) -> None:
    """Today's title carries the name escaped, so it cannot format, colour or link."""
    name = "**Ann** [me](https://x.example) :red[A]"
    make_profile(db_path, name=name)
    at = new_app()
    assert titles(at) == [f"Hello, {md_escape(name)}"]
    # By hand: each character Markdown or Streamlit acts on (here * [ ] ( ) : .) is escaped.
    assert titles(at) == [r"Hello, \*\*Ann\*\* \[me\]\(https\://x\.example\) \:red\[A\]"]
    figures.update(names=1, escaped_in_title=1)


ACTIVITY = f"{MARK} <b>x</b> %{{y}} <i>socks</i> & co"


def _legend_and_hover(chromium, spec: dict[str, Any], trace: int) -> tuple[list[str], str, str]:
    """Draw the figure with plotly.js in Chromium: (legend texts, legend markup, hover text
    of the trace's first point)."""
    context = chromium.new_context(viewport={"width": 1000, "height": 700})
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.set_content("<div id='chart' style='width:900px;height:600px'></div>")
        page.add_script_tag(path=str(PLOTLY_JS))
        page.evaluate(
            "([data, layout]) => Plotly.newPlot('chart', data, layout)",
            [spec["data"], spec.get("layout", {})],
        )
        legend = page.locator("g.legend")
        legend.wait_for(state="attached")
        texts = [t.text_content() or "" for t in page.locator("g.legend text.legendtext").all()]
        page.evaluate(
            "(trace) => Plotly.Fx.hover('chart', [{curveNumber: trace, pointNumber: 0}])", trace
        )
        label = page.locator("g.hovertext").first
        label.wait_for(state="attached")
        return texts, legend.inner_html(), label.text_content() or ""
    finally:
        context.close()


@pytest.mark.e2e
def test_a_psfs_activity_in_the_chart_legend_is_shown_as_written(
    db_path: Path,
    new_app: Callable[[], AppTest],
    monkeypatch: pytest.MonkeyPatch,
    chromium,
    figures,
) -> None:
    from core.db.checkins import save_checkin, set_psfs_activities

    monkeypatch.setattr(clock, "now", lambda: NOW)
    profile = make_profile(db_path, name="Ann", programme_start=date(2026, 11, 2))
    with Store.open(db_path) as store:
        activities = set_psfs_activities(store, profile.id, [ACTIVITY, "Stairs", "Bus"])
        scores = {activity.id: 4 for activity in activities}
        save_checkin(store, profile, date(2026, 11, 16), pgic=3, scores=scores, today=NOW.date())
        store.add_pain_rating(profile.id, 4, recorded_at=NOW)  # Progress draws from a record
    at = new_app()
    at.switch_page("views/progress.py").run()
    open_progress_section(at, "Check-ins")
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        names = [trace.get("name", "") for trace in spec["data"]]
        if any(MARK in name for name in names):
            break
    else:
        raise AssertionError("no chart names the activity")
    trace = next(i for i, name in enumerate(names) if MARK in name)
    texts, markup, hover = _legend_and_hover(chromium, spec, trace)
    shown = [text for text in texts if MARK in text]
    figures.update(
        legend_names=1,
        legend_shown_as_written=int(shown == [ACTIVITY]),
        legend_bold=int("font-weight:bold" in markup.replace(" ", "")),
        hover_shown_as_written=int(ACTIVITY in hover),
    )
    assert shown == [ACTIVITY]
    assert "font-weight:bold" not in markup.replace(" ", "")
    assert ACTIVITY in hover, hover
