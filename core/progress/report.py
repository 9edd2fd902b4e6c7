"""A self-contained HTML report of one profile's progress, to print or to e-mail.

One file with everything in it: the Progress dashboard's charts (plotly.js embedded once,
``include_plotlyjs=True``), the six-week status, the exercise table (each exercise with
its start and end position drawn as inline SVG), and the weekly
summaries with their notes. It makes no outside request of any kind: no CDN, no web
fonts (the system's own fonts), no images from elsewhere, and a Content-Security-Policy
that forbids loading anything at all, so the file opens the same on a computer with no
network. Plotly's "share to cloud" button and logo are off.

The report reads from a private copy of the profile's records within its date range
(:func:`core.db.scope.scoped_store`), so a report limited to a share link's range holds
nothing from outside it.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime

import pandas as pd
import plotly.graph_objects as go

from core.db.scope import scoped_store
from core.db.store import Store
from core.domain import explain
from core.domain.catalog import default_catalog
from core.domain.days import local_today, utc_now
from core.domain.figures.show import FIGURE_CSS
from core.domain.models import Profile
from core.domain.wording import format_day, format_pain
from core.progress.dashboard import ProgressView, progress_view, shared_range, weekly_reviews
from core.progress.tables import WIDE_COLUMNS, exercise_figures, html_table, weekly_table
from core.progress.weekly import WeeklyReview, note_heading

PLOTLY_CONFIG: dict[str, object] = {
    "showSendToCloud": False,
    "displaylogo": False,
    "responsive": True,
}
FILE_PREFIX = "back-on-track-report"
WEEKLY_CAPTION = (
    "Weeks start on Monday. Resting pain 0-10; changes are this week minus last week. Right "
    "after sessions: the week's average pain right after a session minus before it."
)
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'none'; form-action 'none'; "
    "base-uri 'none'"
)

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body {
  margin: 0 auto; max-width: 60rem; padding: 1.5rem 1.25rem 3rem;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    sans-serif;
  color: #1f2933; line-height: 1.45; background: #fff;
}
h1 { font-size: 1.7rem; margin: 0 0 .25rem; color: #0f766e; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #d5dde5;
  padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .4rem; }
p, li { margin: .3rem 0; }
.meta { color: #52606d; margin: 0; }
.status { border-radius: .5rem; padding: .75rem 1rem; margin: 1rem 0 .5rem; font-weight: 600; }
.status.success { background: #e3f4ea; border-left: .35rem solid #1b873f; }
.status.warning { background: #fff4da; border-left: .35rem solid #b7791f; }
.status.info { background: #e6f0fb; border-left: .35rem solid #2563a6; }
.small { font-size: .88rem; color: #52606d; }
.numbers { display: flex; flex-wrap: wrap; gap: .75rem; margin: .75rem 0; padding: 0; }
.numbers li { list-style: none; border: 1px solid #d5dde5; border-radius: .5rem;
  padding: .5rem .8rem; min-width: 9rem; }
.numbers b { display: block; font-size: 1.3rem; }
.chart { break-inside: avoid; page-break-inside: avoid; margin: .5rem 0 1rem; }
figcaption { margin-bottom: .25rem; }
details { margin: 0 0 1rem; }
summary { cursor: pointer; color: #0f766e; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; margin: .5rem 0 1rem; }
th, td { border: 1px solid #d5dde5; padding: .3rem .45rem; text-align: left;
  vertical-align: top; }
th { background: #f2f5f8; }
.num { text-align: right; }
caption { font-size: .88rem; color: #52606d; text-align: left; }
tr { break-inside: avoid; page-break-inside: avoid; }
.note-text { white-space: pre-wrap; margin: .1rem 0 .6rem; }
footer { margin-top: 2.5rem; border-top: 1px solid #d5dde5; padding-top: .6rem; }
.table-wrap:focus-visible { outline: 2px solid #0f766e; outline-offset: 2px; }
@media (max-width: 640px) {
  .table-wrap.wide::before { content: "Scroll sideways for every column \\2192";
    display: block; font-size: .8rem; color: #52606d; margin-bottom: .25rem;
    position: sticky; left: 0; }
  .table-wrap.wide table { min-width: 48rem; }
  .modebar-container { display: none !important; }
}
@media print {
  .table-wrap.wide::before { content: none; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .modebar-container { display: none !important; }
  .table-wrap { overflow: visible; }
}
"""


def report_file_name(profile: Profile, today: date) -> str:
    """A download name such as ``back-on-track-report-2026-11-24.html``."""
    return f"{FILE_PREFIX}-{today:%Y-%m-%d}.html"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _figure_html(figure: go.Figure, div_id: str, first: bool) -> str:
    return figure.to_html(
        full_html=False,
        include_plotlyjs=first,
        config=PLOTLY_CONFIG,
        div_id=div_id,
        default_width="100%",
        validate=False,
    )


def _table(
    frame: pd.DataFrame,
    caption: str = "",
    lead: Sequence[str] | None = None,
    decimals: Mapping[str, int] | None = None,
) -> str:
    """A table that scrolls sideways on a narrow screen instead of widening the page."""
    if frame.empty:
        return "<p>None in these dates.</p>"
    table = html_table(frame, caption=caption, lead=lead, decimals=decimals)
    wide = " wide" if len(frame.columns) > WIDE_COLUMNS else ""
    return (
        f"<div class='table-wrap{wide}' tabindex='0' role='region' aria-label='Table'>{table}</div>"
    )


def _numbers(view: ProgressView) -> str:
    status = view.status
    items = [
        ("Programme week", str(status.week) if status.week >= 1 else "not started"),
        ("Baseline pain (resting)", format_pain(status.baseline)),
        ("7-day average pain (resting)", format_pain(status.current)),
        (
            "Change from baseline",
            "–" if status.reduction_pct is None else f"{-status.reduction_pct:+.0f}%",
        ),
    ]
    return (
        "<ul class='numbers'>"
        + "".join(f"<li>{_e(label)}<b>{_e(value)}</b></li>" for label, value in items)
        + "</ul>"
    )


def _notes(reviews: Sequence[WeeklyReview]) -> str:
    parts: list[str] = []
    for review in sorted(reviews, key=lambda r: r.week_start):
        for note in review.notes:
            parts.append(
                f"<p class='small'>{_e(note_heading(note))}</p>"
                f"<p class='note-text'>{_e(note.text)}</p>"
            )
    return "".join(parts) or "<p>No notes in these dates.</p>"


def render_report(
    profile: Profile,
    view: ProgressView,
    reviews: Sequence[WeeklyReview],
    names: Mapping[str, str],
    *,
    made_at: datetime,
    limited: bool = False,
) -> str:
    """The report's HTML from a computed dashboard and weekly reviews (no database)."""
    status = view.status
    who = profile.name.strip() or "Back on Track user"
    made = made_at.astimezone(UTC)
    scope = (
        "Limited to the dates of a share link: records from before or after are left out, "
        "including any baseline from an earlier first programme week."
        if limited
        else "All records in these dates."
    )
    charts_html: list[str] = []
    titles = {
        "calendar": "Days exercised",
        "weekly": "Sessions per week",
        "pain": "Pain trend",
        "effect": "Pain before and right after sessions",
        "exercise": "Pain by exercise",
        "pgic": "Global impression of change (PGIC)",
        "psfs": "Patient-Specific Functional Scale (PSFS)",
    }
    shown = [
        key
        for key in titles
        if (key != "pgic" or view.has_pgic) and (key != "psfs" or view.has_psfs)
    ]
    sections = [
        (key, titles[key], explain.figure_caption(key, profile.weekly_target, view.course_note))
        for key in shown
    ]
    first = True
    for key, title, caption in sections:
        charts_html.append(f"<h3>{_e(title)}</h3>")
        if key == "effect":
            charts_html.append(f"<p>{_e(view.effect_line)}</p>")
        text = view.texts[key]
        # The figure is named by its one-sentence summary (its figcaption), and its data
        # follows as a table one click away: the words a screen reader reads for the chart.
        charts_html.append(
            f"<figure class='chart'><figcaption class='small'>{_e(text.summary)}</figcaption>"
            f"{_figure_html(view.figures[key], f'chart-{key}', first)}</figure>"
        )
        charts_html.append(f"<p class='small'>{_e(caption)}</p>")
        if not text.table.empty:
            charts_html.append(
                "<details><summary>The chart's data as a table</summary>"
                f"{_table(text.table, decimals=text.decimals)}</details>"
            )
        if key == "exercise":
            figures = exercise_figures(view.table, inline=True)
            charts_html.append(
                _table(view.table, f"{explain.DISCUSS} {explain.EXERCISE_TABLE}", figures)
            )
        first = False
    weekly = weekly_table(reviews, names)
    note = explain.baseline_note(profile.programme_start, view.start) if limited else None
    body = f"""
<header>
  <h1>Progress report: {_e(who)}</h1>
  <p class="meta">{_e(format_day(view.start))} to {_e(format_day(view.end))},
  in the time zone {_e(profile.time_zone)}. Programme started
  {_e(format_day(profile.programme_start))}; target {profile.weekly_target} sessions
  a week.</p>
  <p class="meta small">Made with Back on Track on {_e(f"{made:%Y-%m-%d %H:%M}")} UTC.
  {_e(scope)}</p>
</header>
<main>
  <h2>Six-week status</h2>
  <div class="status {_e(status.tone)}">{_e(status.line)}</div>
  <p><b>Next step:</b> {_e(status.next_step)}</p>
  {f'<p class="small">{_e(note)}</p>' if note else ""}
  {_numbers(view)}
  <p class="small">{_e(explain.MEANINGFUL)} {_e(explain.BASELINE)}
  {_e(explain.RESTING_RATINGS)} {_e(explain.SIX_WEEK_WINDOW)} {_e(explain.SEE_A_CLINICIAN)}</p>
  <h2>Dashboard</h2>
  {"".join(charts_html)}
  <h2>Weekly summaries</h2>
  {_table(weekly, WEEKLY_CAPTION)}
  <h3>Notes</h3>
  {_notes(reviews)}
</main>
<footer class="small">{_e(explain.NOT_ADVICE)}</footer>
"""
    return (
        "<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n"
        f"<meta http-equiv='Content-Security-Policy' content=\"{CONTENT_SECURITY_POLICY}\">\n"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>\n"
        "<meta name='referrer' content='no-referrer'>\n"
        f"<title>Back on Track progress report: {_e(who)}</title>\n"
        f"<style>{_CSS}{FIGURE_CSS}</style>\n</head>\n<body>{body}</body>\n</html>\n"
    )


def build_report(
    store: Store,
    profile: Profile,
    *,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
    now: datetime | None = None,
    names: Mapping[str, str] | None = None,
    limited: bool = False,
) -> str:
    """The HTML report of ``profile`` for local days ``start .. end`` (open ends: everything).

    ``today`` (default: today in the profile's zone at ``now``) caps the range and dates
    the six-week status. ``limited`` marks a report made for a share link's range.
    """
    made_at = now or utc_now()
    today = today or local_today(profile, made_at)
    if names is None:
        names = {exercise.id: exercise.name for exercise in default_catalog()}
    days = shared_range(store, profile, start, end, today)
    if days is None:
        raise ValueError("The report's range lies wholly after today.")
    first, last = days
    with scoped_store(store, profile.id, first, last) as scoped:
        # The copy's profile: its setup pain is masked when setup lies outside the range.
        profile = scoped.get_profile(profile.id)
        view = progress_view(scoped, profile, first, last, last, names)
        reviews = weekly_reviews(scoped, profile, first, last, last)
    return render_report(profile, view, reviews, names, made_at=made_at, limited=limited)
