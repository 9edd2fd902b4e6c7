"""The HTML report (core.report): self-contained, the charts' data, escaping, date limits."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import numpy as np
import plotly.io as pio
import pytest

from core import demo
from core.db.store import Store
from core.domain.catalog import default_catalog
from core.domain.models import Profile
from core.progress.adherence import weekly_adherence
from core.progress.dashboard import DOSE, FIGURES, SECTIONS, progress_view
from core.progress.ranges import data_extent
from core.progress.report import build_report, report_file_name
from core.progress.six_week import six_week_status
from tests import factories

TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
NAMES = {exercise.id: exercise.name for exercise in default_catalog()}
NEW_PLOT = re.compile(r'Plotly\.newPlot\(\s*"(chart-[a-z]+)",\s*')


@pytest.fixture(scope="module")
def demo_store() -> Iterator[tuple[Store, Profile, Profile]]:
    """Ann (eight demo weeks with check-ins) and Bea (three weeks) in one database."""
    with Store.open(":memory:") as store:
        ann_id = demo.generate(store, seed=7, weeks=8, today=TODAY, name="Ann").profile_id
        bea_id = demo.generate(store, seed=11, weeks=3, today=TODAY, name="Bea").profile_id
        ann = store.get_profile(ann_id)
        for offset, (pgic, score) in enumerate(((3, 4), (2, 6))):
            factories.checkin(
                store,
                ann,
                date(2026, 11, 9) + timedelta(weeks=offset),
                pgic=pgic,
                scores=dict.fromkeys(("Socks", "Sitting", "Walking"), score),
                note=f"Check-in note {offset}",
                today=TODAY,
                now=NOW,
            )
        yield store, ann, store.get_profile(bea_id)


@pytest.fixture(scope="module")
def full_report(demo_store: tuple[Store, Profile, Profile]) -> str:
    store, ann, _ = demo_store
    return build_report(store, ann, today=TODAY, now=NOW, names=NAMES)


def plotted(html: str) -> dict[str, dict[str, object]]:
    """Every figure the report draws, decoded: chart id -> {"data", "layout", "config"}."""
    decoder = json.JSONDecoder()
    figures = {}
    for match in NEW_PLOT.finditer(html):
        position = match.end()
        parts = []
        for _ in ("data", "layout", "config"):
            while html[position] in " \n\t,":
                position += 1
            value, position = decoder.raw_decode(html, position)
            parts.append(value)
        figures[match.group(1)] = dict(zip(("data", "layout", "config"), parts, strict=True))
    return figures


def markup(html: str) -> str:
    """The report without its inline scripts (plotly.js holds URLs as plain strings)."""
    return re.sub(r"(<script[^>]*>).*?(</script>)", r"\1\2", html, flags=re.DOTALL)


def same_times(text: str) -> str:
    """JSON with times written one way (pandas may add ``.000000`` depending on the unit)."""
    compact = json.dumps(json.loads(text), separators=(",", ":"))
    return re.sub(r"(\d{2}:\d{2}:\d{2})\.0+\b", r"\1", compact)


def numbers(value: object) -> list[float]:
    """A plotly JSON array, plain or typed (``{"dtype", "bdata"}``), as a flat list."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    return list(value)  # type: ignore[call-overload]


# --------------------------------------------------------------------------- self-contained


def test_the_report_is_one_file_that_loads_nothing_from_outside(full_report: str) -> None:
    html = full_report
    assert html.startswith("<!DOCTYPE html>")
    lowered = markup(html).lower()
    # No element loads anything: no external script, stylesheet, font, image or frame.
    assert re.findall(r"<script[^>]*\ssrc\s*=", lowered) == []
    assert re.findall(r"<link[^>]*>", lowered) == []
    assert re.findall(r"<(?:img|iframe|object|embed|source|video|audio)\b", lowered) == []
    assert "@import" not in lowered and "@font-face" not in lowered
    assert re.findall(r"url\(\s*['\"]?(?:https?:)?//", lowered) == []
    assert re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", lowered) == []
    # plotly.js is inside, once, and the page forbids loading anything even if asked.
    assert html.count("plotly.js v") >= 1
    assert html.count("window.PlotlyConfig") == 1
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert "connect-src 'none'" in html
    assert "<meta name='referrer' content='no-referrer'>" in html


def test_no_share_to_cloud_button_and_no_plotly_logo(full_report: str) -> None:
    figures = plotted(full_report)
    assert figures, "the report draws its charts"
    for chart_id, figure in figures.items():
        config = figure["config"]
        assert config["showSendToCloud"] is False, chart_id
        assert config["displaylogo"] is False, chart_id


def test_the_report_holds_every_chart_with_its_data(
    demo_store: tuple[Store, Profile, Profile], full_report: str
) -> None:
    store, ann, _ = demo_store
    figures = plotted(full_report)
    assert list(figures) == [f"chart-{name}" for name in FIGURES]

    start = min(data_extent(store, ann)[0], ann.programme_start)
    expected = progress_view(store, ann, start, TODAY, TODAY, NAMES)
    for name in FIGURES:
        wanted = expected.figures[name].to_json()
        drawn = json.dumps(figures[f"chart-{name}"]["data"], separators=(",", ":"))
        assert same_times(drawn) == same_times(json.dumps(json.loads(wanted)["data"])), name

    weekly = weekly_adherence(store, ann, start, TODAY)
    bars = figures["chart-weekly"]["data"][0]
    assert numbers(bars["y"]) == weekly["sessions"].tolist()


def test_each_section_builds_its_own_figures_and_no_other(
    demo_store: tuple[Store, Profile, Profile],
) -> None:
    """A share link builds only the open section: each section's figures, texts and tables
    are the whole dashboard's, and nothing of another section is read or drawn."""
    store, ann, _ = demo_store
    start = min(data_extent(store, ann)[0], ann.programme_start)
    whole = progress_view(store, ann, start, TODAY, TODAY, NAMES)
    assert sorted(name for names in SECTIONS.values() for name in names) == sorted(FIGURES)
    for section, names in SECTIONS.items():
        part = progress_view(store, ann, start, TODAY, TODAY, NAMES, names)
        assert list(part.figures) == list(names), section
        assert list(part.texts) == list(names), section
        for name in names:
            assert part.figures[name].to_json() == whole.figures[name].to_json(), name
            assert part.texts[name].summary == whole.texts[name].summary, name
            assert part.texts[name].table.equals(whole.texts[name].table), name
        assert part.status == whole.status and part.course_note == whole.course_note
        assert part.dose.empty, section  # the dose table is asked for on its own
        assert part.table.equals(whole.table) == ("exercise" in names), section
        assert (part.effect_line == whole.effect_line) == ("effect" in names), section
        assert (part.has_pgic, part.has_psfs) == ("pgic" in names, "psfs" in names), section
    assert whole.has_pgic and whole.has_psfs and whole.effect_line
    dose = progress_view(store, ann, start, TODAY, TODAY, NAMES, (DOSE,))
    assert not whole.dose.empty and dose.dose.equals(whole.dose)
    assert dose.figures == {} and dose.table.empty


def test_the_report_has_the_status_the_weeks_and_the_notes(
    demo_store: tuple[Store, Profile, Profile], full_report: str
) -> None:
    store, ann, _ = demo_store
    status = six_week_status(store, ann, TODAY)
    assert f'<div class="status {status.tone}">{status.line}</div>' in full_report
    assert "Progress report: Ann" in full_report
    assert "Ostelo et al. 2008" in full_report and "Menezes Costa et al. 2012" in full_report
    assert "not medical advice" in full_report.lower()
    for week in ("Mon 23 Nov 2026 to Sun 29 Nov 2026", "Mon 5 Oct 2026 to Sun 11 Oct 2026"):
        assert f"<td>{week}</td>" in full_report
    assert "Check-in note 0" in full_report and "Check-in note 1" in full_report
    assert "<td>Much better</td>" in full_report  # the PGIC answer of the week of 16 Nov
    assert "Bea" not in markup(full_report)


def test_a_report_for_a_link_range_holds_nothing_from_outside(
    demo_store: tuple[Store, Profile, Profile],
) -> None:
    store, ann, _ = demo_store
    html = build_report(
        store,
        ann,
        start=date(2026, 11, 9),
        end=date(2026, 11, 15),
        today=TODAY,
        now=NOW,
        names=NAMES,
        limited=True,
    )
    assert "Mon 9 Nov 2026 to Sun 15 Nov 2026" in html
    assert "Limited to the dates of a share link" in html
    assert "which these dates do not cover" in html  # no baseline from week 1
    # The weekly summaries' rows (the charts' data tables above them list days too).
    weekly_section = html.split("<h2>Weekly summaries</h2>", 1)[1]
    rows = re.findall(r"<tr><td>(Mon [^<]+)</td>", weekly_section)
    assert rows == ["Mon 9 Nov 2026 to Sun 15 Nov 2026"]
    assert "Check-in note 0" in html and "Check-in note 1" not in html
    figures = plotted(html)
    calendar = pio.from_json(json.dumps({"data": figures["chart-calendar"]["data"]}))
    assert [str(week)[:10] for week in calendar.data[0].x] == ["2026-11-09"]


def test_user_text_is_escaped(store: Store) -> None:
    profile = factories.profile(
        store, name="<b>Eve</b>", programme_start=date(2026, 11, 2), now=NOW - timedelta(days=20)
    )
    factories.rating(
        store, profile, 5, NOW - timedelta(days=1), note="<script>alert('x')</script> & more"
    )
    html = build_report(store, profile, today=TODAY, now=NOW, names=NAMES)
    assert "<b>Eve</b>" not in html and "&lt;b&gt;Eve&lt;/b&gt;" in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in html


def test_a_report_without_any_record_still_opens(store: Store) -> None:
    profile = factories.profile(
        store, name="", time_zone="America/New_York", programme_start=TODAY, now=NOW
    )
    html = build_report(store, profile, today=TODAY, now=NOW, names=NAMES)
    assert "Progress report: Back on Track user" in html
    assert "No notes in these dates." in html
    # calendar, weekly, pain, session effect, exercises; no check-ins
    assert len(plotted(html)) == 5


def test_a_range_wholly_after_today_is_refused(
    demo_store: tuple[Store, Profile, Profile],
) -> None:
    store, ann, _ = demo_store
    with pytest.raises(ValueError, match="after today"):
        build_report(store, ann, start=date(2026, 12, 1), today=TODAY, names=NAMES)


def test_report_file_name(demo_store: tuple[Store, Profile, Profile]) -> None:
    _, ann, _ = demo_store
    assert report_file_name(ann, TODAY) == "back-on-track-report-2026-11-24.html"
