"""The Progress dashboard and the weekly summary, drawn the same for the owner and a therapist.

The numbers come from :mod:`core.dashboard`; this module only caches them at the page
boundary (keyed on the profile, its data version and the range) and renders them. Nothing
here writes: the therapist view is built from these functions alone.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.db import checkins
from core.db.scope import scoped_store
from core.db.store import Store
from core.db.versions import data_version
from core.domain import explain
from core.domain.days import local_today
from core.domain.figures.show import FIGURE_CSS
from core.domain.models import Profile
from core.domain.wording import (
    format_change,
    format_day,
    format_pain,
    format_sessions,
    format_streak,
)
from core.progress import dashboard, report
from core.progress.chart_text import ChartText
from core.progress.charts import CHART_CONFIG
from core.progress.charts.themes import for_theme
from core.progress.ranges import data_extent, weeks_since
from core.progress.six_week import SixWeekStatus
from core.progress.tables import (
    EXERCISE_COLUMN_HELP,
    TABLE_CLASS,
    TABLE_CSS,
    WIDE_CLASS,
    WIDE_COLUMNS,
    exercise_figures,
    html_table,
    weekly_table,
)
from core.progress.weekly import (
    WeeklyReview,
    change_words,
    format_day_pain,
    hurt_words,
    note_heading,
    target_words,
    week_label,
    weekly_review,
)
from core.sharing.links import ShareGrant
from ui import clock, theme
from ui.memo import memo
from ui.text import md_escape

#: Therapist views kept built (one per link, data version and range), so memory stays bounded.
SHARED_VIEWS_KEPT = 16


@dataclass(frozen=True)
class DashboardData:
    """A computed dashboard, ready to draw: figures as plain dicts (cheap to copy from a cache)."""

    start: date
    end: date
    status: SixWeekStatus
    course_note: str
    effect_line: str
    figures: dict[str, dict[str, Any]]
    table: pd.DataFrame
    dose: pd.DataFrame
    has_pgic: bool
    has_psfs: bool
    texts: dict[str, ChartText]


@dataclass(frozen=True)
class SharedData:
    """What a read-only view of one person shows: the dashboard and the weeks reviewed (with
    their table), from its range only."""

    profile: Profile
    has_data: bool
    dashboard: DashboardData
    reviews: tuple[WeeklyReview, ...]
    weekly: pd.DataFrame


def plain(view: dashboard.ProgressView) -> DashboardData:
    """The dashboard with its figures as plain dicts, as the pages cache and draw it."""
    return DashboardData(
        start=view.start,
        end=view.end,
        status=view.status,
        course_note=view.course_note,
        effect_line=view.effect_line,
        figures={name: figure.to_dict() for name, figure in view.figures.items()},
        table=view.table,
        dose=view.dose,
        has_pgic=view.has_pgic,
        has_psfs=view.has_psfs,
        texts=view.texts,
    )


#: The dashboard's sections (:data:`core.progress.dashboard.SECTIONS`) as the tabs of the
#: owner's Progress page and of a therapist's view name them.
SECTION_TITLES: dict[str, str] = {
    "summary": "Summary",
    "days": "Days and exercises",
    "checkins": "Check-ins",
}


@st.cache_data(show_spinner=False, max_entries=32 * len(dashboard.SECTIONS))
def owner_section(
    _store: Store,
    _profile: Profile,
    profile_id: str,
    version: int,
    start: date,
    end: date,
    today: date,
    section: str,
    with_dose: bool,
    _names: Mapping[str, str],
) -> DashboardData:
    """One section of the owner's dashboard (and the dose table while it is open), built
    when it is opened and cached on (profile, data version, range, today, section): the
    page opens on its summary without computing or drawing the rest."""
    figures = parts(section, with_dose)
    return plain(dashboard.progress_view(_store, _profile, start, end, today, _names, figures))


def parts(section: str, with_dose: bool) -> tuple[str, ...]:
    """The dashboard parts a section builds: its figures, and the dose table if asked."""
    return dashboard.SECTIONS[section] + ((dashboard.DOSE,) if with_dose else ())


def dose_open(key_prefix: str) -> bool:
    """True while the dose table's expander is open (its rows are read only then)."""
    return bool(st.session_state.get(f"{key_prefix}_dose"))


@st.cache_data(show_spinner=False, max_entries=SHARED_VIEWS_KEPT)
def shared_dashboard(
    _store: Store,
    link_id: str,
    profile_id: str,
    version: int,
    start: date,
    end: date,
    _names: Mapping[str, str],
) -> SharedData:
    """The whole dashboard and every week of a read-only view (the caseload's person), read
    from a private copy of the range's records.

    Built once per view, data version and range. A write for the profile (a revocation
    included) changes the version, so an entry is never served again after its data
    changed; the bounded cache lets it age out.
    """
    with scoped_store(_store, profile_id, start, end) as scoped:
        profile = scoped.get_profile(profile_id)
        view = dashboard.progress_view(scoped, profile, start, end, end, _names)
        reviews = _newest_reviews(scoped, profile, start, end, None)
        return SharedData(
            profile=profile,
            has_data=dashboard.has_data(scoped, profile),
            dashboard=plain(view),
            reviews=reviews,
            weekly=weekly_table(reviews, _names),
        )


def _newest_reviews(
    store: Store, profile: Profile, start: date, end: date, count: int | None
) -> tuple[WeeklyReview, ...]:
    weeks = dashboard.weeks_between(start, end)
    return tuple(weekly_review(store, profile, week, end) for week in weeks[:count])


#: Private copies of a share link's records kept for its other sections, and for how long
#: after their last use (each holds the link's whole range in memory).
SHARED_COPIES_KEPT = 4
SHARED_COPY_TTL_S = 600


@st.cache_resource(show_spinner=False, max_entries=SHARED_COPIES_KEPT, ttl=SHARED_COPY_TTL_S)
def shared_copy(
    _store: Store, link_id: str, profile_id: str, version: int, start: date, end: date
) -> Store:
    """The private, in-memory copy of a share link's records (:func:`scoped_store`), made
    once per link, data version and range and read by every section of its view, each
    through a cursor of its own."""
    return scoped_store(_store, profile_id, start, end)


@dataclass(frozen=True)
class SharedHeader:
    """What a read-only view shows above its sections: the profile as the copy holds it,
    and whether the range has any session or pain rating."""

    profile: Profile
    has_data: bool


@st.cache_data(show_spinner=False, max_entries=SHARED_VIEWS_KEPT)
def shared_header(
    _store: Store, link_id: str, profile_id: str, version: int, start: date, end: date
) -> SharedHeader:
    """A share link's profile and whether it has data, from its private copy."""
    with shared_copy(_store, link_id, profile_id, version, start, end).cursor() as scoped:
        profile = scoped.get_profile(profile_id)
        return SharedHeader(profile=profile, has_data=dashboard.has_data(scoped, profile))


def shared_opening(store: Store, grant: ShareGrant) -> tuple[Profile, tuple[date, date] | None]:
    """A share link's profile and the days it shows as of today (None while its range has
    not started)."""
    owner = store.get_profile(grant.profile_id)
    today = local_today(owner, clock.now())
    return owner, dashboard.shared_range(store, owner, grant.range_start, grant.range_end, today)


def prepare_shared_view(store: Store, grant: ShareGrant, names: Mapping[str, str]) -> None:
    """Build what a link's view opens on (its header and summary) into the caches, as the
    view itself would: ahead of the view's first run (ui/prefetch.py)."""
    owner, days = shared_opening(store, grant)
    if days is None:
        return
    start, end = days
    version = data_version(owner.id)
    shared_header(store, grant.link_id, owner.id, version, start, end)
    shared_section(store, grant.link_id, owner.id, version, start, end, "summary", False, names)


@st.cache_data(show_spinner=False, max_entries=SHARED_VIEWS_KEPT * len(dashboard.SECTIONS))
def shared_section(
    _store: Store,
    link_id: str,
    profile_id: str,
    version: int,
    start: date,
    end: date,
    section: str,
    with_dose: bool,
    _names: Mapping[str, str],
) -> DashboardData:
    """One section of a share link's dashboard (:data:`core.progress.dashboard.SECTIONS`,
    and the dose table while it is open), built from its private copy when the section is
    first opened, once per link, data version and range: a link opens on its summary
    without computing the rest."""
    with shared_copy(_store, link_id, profile_id, version, start, end).cursor() as scoped:
        profile = scoped.get_profile(profile_id)
        figures = parts(section, with_dose)
        return plain(dashboard.progress_view(scoped, profile, start, end, end, _names, figures))


@st.cache_data(show_spinner="Reading the weeks...", max_entries=SHARED_VIEWS_KEPT)
def shared_weeks(
    _store: Store,
    link_id: str,
    profile_id: str,
    version: int,
    start: date,
    end: date,
    count: int,
    _names: Mapping[str, str],
) -> tuple[tuple[WeeklyReview, ...], pd.DataFrame]:
    """A share link's newest ``count`` weeks reviewed, and their table: read when the weekly
    review is opened, a page at a time, so that a link of years opens as fast as one of
    weeks (from the link's private copy, as :func:`shared_section`)."""
    with shared_copy(_store, link_id, profile_id, version, start, end).cursor() as scoped:
        reviews = _newest_reviews(scoped, scoped.get_profile(profile_id), start, end, count)
    return reviews, weekly_table(reviews, _names)


#: Weeks the therapist's weekly review reads and shows at a time, newest first.
SHARED_WEEKS_PAGE = 4
#: Session-state key of how many weeks the therapist's weekly review shows.
SHARED_WEEKS_SHOWN = "shared_weeks_shown"


def _show_older_weeks() -> None:
    shown = st.session_state.get(SHARED_WEEKS_SHOWN, SHARED_WEEKS_PAGE)
    st.session_state[SHARED_WEEKS_SHOWN] = shown + SHARED_WEEKS_PAGE


def shared_weeks_section(
    store: Store,
    link_id: str,
    profile_id: str,
    version: int,
    start: date,
    end: date,
    names: Mapping[str, str],
) -> None:
    """A share link's weekly review: the newest weeks as a table and a summary each (the
    newest open), and a button for older ones, read only when asked for."""
    shown = st.session_state.get(SHARED_WEEKS_SHOWN, SHARED_WEEKS_PAGE)
    reviews, table = shared_weeks(store, link_id, profile_id, version, start, end, shown, names)
    show_table(table, label="Weeks")
    for index, review in enumerate(reviews):
        with st.expander(week_label(review.week_start, end), expanded=index == 0):
            week_summary(review, names)
    weeks = len(dashboard.weeks_between(start, end))
    if weeks > len(reviews):
        st.caption(f"The newest {len(reviews)} of {weeks} weeks are shown.")
        more = min(weeks - len(reviews), SHARED_WEEKS_PAGE)
        label = f"Show {more} older week{'s' if more > 1 else ''}"
        st.button(
            label, key="shared_older_weeks", on_click=_show_older_weeks, icon=":material/history:"
        )


def later_report(
    store: Store, profile: Profile, start: date, end: date, names: Mapping[str, str]
) -> Callable[[], bytes]:
    """The share range's HTML report, built only when its download is clicked.

    Building it reads every week of the range, which would otherwise hold up the opening of
    the therapist view. Streamlit runs the callable in a worker thread, so it reads through
    a cursor of its own (a DuckDB cursor belongs to one thread).
    """
    frozen_names = dict(names)

    def build() -> bytes:
        with store.cursor() as own:
            html_text = report.build_report(
                own, profile, start=start, end=end, today=end, names=frozen_names, limited=True
            )
        return html_text.encode("utf-8")

    return build


@st.cache_data(show_spinner=False, max_entries=16)
def report_html(
    _store: Store,
    _profile: Profile,
    profile_id: str,
    version: int,
    start: date | None,
    end: date | None,
    today: date,
    limited: bool,
    _names: Mapping[str, str],
) -> str:
    """The HTML report, cached on (profile, data version, range, today)."""
    return report.build_report(
        _store, _profile, start=start, end=end, today=today, names=_names, limited=limited
    )


@dataclass(frozen=True)
class ReviewWeeks:
    """The weeks the weekly review offers, newest first, each with its label."""

    weeks: list[date]
    labels: dict[date, str]
    has_data: bool


@memo(entries=32)
def review_weeks(
    _store: Store, _profile: Profile, profile_id: str, version: int, today: date
) -> ReviewWeeks:
    """The review's weeks and labels, cached on (profile, data version, today): the week
    picker holds one option per week, five years of them for a long-time user."""
    first, _ = data_extent(_store, _profile)
    weeks = weeks_since(first, _profile, today)
    labels = {week: week_label(week, today) for week in weeks}
    return ReviewWeeks(weeks=weeks, labels=labels, has_data=first is not None)


@dataclass(frozen=True)
class WeekView:
    """One week on the weekly review page: its numbers, the PSFS activities and the saved
    check-in (the form's starting values)."""

    review: WeeklyReview
    activities: list[checkins.PsfsActivity]
    saved: checkins.WeeklyCheckin | None


@memo(entries=64)
def week_view(
    _store: Store, _profile: Profile, profile_id: str, version: int, week: date, today: date
) -> WeekView:
    """The week's review and check-in, cached on (profile, data version, week, today)."""
    return WeekView(
        review=weekly_review(_store, _profile, week, today),
        activities=checkins.psfs_activities(_store, profile_id),
        saved=checkins.get_checkin(_store, profile_id, week),
    )


def report_download(
    html_text: str | Callable[[], bytes], file_name: str, label: str, *, key: str
) -> None:
    """Offer the report as a file (its text, or a callable that builds it on the click). A
    download button writes nothing and asks for nothing; its bytes are fetched only when
    clicked, so the page itself stays small."""
    st.download_button(
        label,
        data=html_text.encode("utf-8") if isinstance(html_text, str) else html_text,
        file_name=file_name,
        mime="text/html",
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )


# --------------------------------------------------------------------------- drawing

#: The class of the wrapper of a chart's data table (the tests tell them from the others).
CHART_DATA_CLASS = "bot-chart-data"
#: The label of the expander that holds a chart's data table.
CHART_DATA_LABEL = "The chart's data as a table"


def show_table(
    frame: pd.DataFrame,
    decimals: Mapping[str, int] | None = None,
    lead: Sequence[str] | None = None,
    *,
    chart_data: bool = False,
    label: str = "Table",
) -> None:
    """A table as one HTML element (numbers with ``decimals`` places, a dash for none;
    ``lead``: figures built by core, first in each row; ``chart_data``: a chart's data,
    marked with :data:`CHART_DATA_CLASS`; ``label``: the scrolling region's name, plain
    words of ours, never a person's text).

    Plain HTML rather than ``st.table``: the browser draws it in a fraction of the time,
    and it is still a real table for screen readers and printing.
    """
    if frame.empty:
        st.caption("None in these dates.")
        return
    css = TABLE_CSS + (FIGURE_CSS if lead else "")
    table = html_table(frame, decimals=decimals, lead=lead)
    wrap = f"{TABLE_CLASS}-wrap" + (f" {CHART_DATA_CLASS}" if chart_data else "")
    if len(frame.columns) > WIDE_COLUMNS:
        wrap += f" {WIDE_CLASS}"
    # Focusable and named: a table that scrolls sideways can be scrolled by keyboard.
    st.html(
        f"<style>{css}</style>"
        f"<div class='{wrap}' tabindex='0' role='region' "
        f'aria-label="{html.escape(label, quote=True)}">{table}</div>'
    )


def as_checked_figure(figure: dict[str, Any]) -> go.Figure:
    """A figure plotly checked when core built it (the dict is its ``to_dict()``, perhaps
    with the dark theme's colours), wrapped without checking it again: given a dict,
    ``st.plotly_chart`` checks every property anew, about 12 ms a chart on every run."""
    return go.Figure(figure, _validate=False)


def chart(figure: dict[str, Any], text: ChartText, *, key: str, note: str = "") -> None:
    """A chart with its words: the one-sentence summary shown above it and given to the
    chart as its accessible name, ``note`` (what the chart shows and its sources) under
    it, and its data as a table in an expander (an HTML table a screen reader can walk,
    not a drawn grid)."""
    st.caption(md_escape(text.summary))
    themed = for_theme(figure, theme.chart_theme())
    st.plotly_chart(as_checked_figure(themed), config=CHART_CONFIG, key=key, alt=text.summary)
    if note:
        st.caption(note)
    if not text.table.empty:
        # Its rows are sent when it is opened: hidden tables would cost every opening of
        # the page their drawing (the browser sanitises each HTML block it is sent).
        data = st.expander(CHART_DATA_LABEL, key=f"{key}_data", on_change="rerun")
        if data.open:
            with data:
                show_table(text.table, text.decimals, chart_data=True, label="The chart's data")


def six_week_status(status: SixWeekStatus) -> None:
    """The six-week status line in its tone."""
    show = {"success": st.success, "warning": st.warning, "info": st.info}[status.tone]
    show(f"**{status.line}**", icon=":material/flag:")


def next_step(status: SixWeekStatus) -> None:
    """The one plain next step that follows from the status (the end of Today and Progress)."""
    st.markdown(f"**Next step:** {status.next_step}")


def _caption(data: DashboardData, profile: Profile, figure: str, more: str = "") -> str:
    """A chart's note: what it shows and its sources, then ``more``."""
    text = explain.figure_caption(figure, profile.weekly_target, data.course_note)
    return f"{text} {more}".strip()


DOSE_LABEL = "Dose by exercise and side"


def range_caption(start: date, end: date, profile: Profile) -> None:
    """The days the dashboard shows, above its sections (they all show the same days)."""
    st.caption(
        f"Showing {format_day(start)} to {format_day(end)}, in your time zone "
        f"({profile.time_zone})."
    )


def status_section(data: DashboardData, profile: Profile) -> None:
    """The six-week status and what it rests on."""
    six_week_status(data.status)
    st.caption(
        f"{explain.MEANINGFUL} {explain.BASELINE} {explain.SIX_WEEK_WINDOW} "
        f"{explain.SEE_A_CLINICIAN}"
    )
    if data.status.state == "first_week":
        st.info(
            "This is your first programme week: your resting ratings in these seven days set "
            "your baseline. From programme week 2 the pain chart compares your 7-day average "
            "with it.",
            icon=":material/hourglass_top:",
        )


def calendar_section(data: DashboardData, profile: Profile, *, key_prefix: str) -> None:
    """The calendar of the days exercised."""
    st.subheader("Days you exercised")
    chart(
        data.figures["calendar"],
        data.texts["calendar"],
        key=f"{key_prefix}_calendar",
        note=_caption(data, profile, "calendar", "The last 12 months of the range are shown."),
    )


def sessions_and_pain_section(data: DashboardData, profile: Profile, *, key_prefix: str) -> None:
    """Sessions per week against the target, the dose by exercise and side, the pain trend."""
    st.subheader("Sessions per week")
    chart(
        data.figures["weekly"],
        data.texts["weekly"],
        key=f"{key_prefix}_weekly",
        note=_caption(data, profile, "weekly"),
    )
    # Sent when opened, as the charts' data tables: a hidden table still costs the browser.
    dose = st.expander(DOSE_LABEL, key=f"{key_prefix}_dose", on_change="rerun")
    if dose.open:
        with dose:
            show_table(data.dose, {"Done %": 0}, label=DOSE_LABEL)
    st.subheader("Pain trend")
    chart(
        data.figures["pain"],
        data.texts["pain"],
        key=f"{key_prefix}_pain",
        note=_caption(data, profile, "pain"),
    )


def effect_section(data: DashboardData, profile: Profile, *, key_prefix: str) -> None:
    """Pain right after a session against right before it."""
    st.subheader("Right after a session")
    st.markdown(data.effect_line)
    chart(
        data.figures["effect"],
        data.texts["effect"],
        key=f"{key_prefix}_effect",
        note=_caption(data, profile, "effect"),
    )


def exercises_section(
    data: DashboardData, profile: Profile, *, key_prefix: str, exercise_figures_shown: bool
) -> None:
    """The exercise table (with ``exercise_figures_shown``, each exercise's start and end
    position drawn) and pain by exercise."""
    st.subheader("Exercises")
    drawn = exercise_figures(data.table, inline=False) if exercise_figures_shown else None
    show_table(data.table, lead=drawn, label="Exercises")
    with st.expander("What the columns mean"):
        st.markdown(
            "\n".join(f"- **{name}**: {text}" for name, text in EXERCISE_COLUMN_HELP.items())
        )
    st.caption(f"{explain.DISCUSS} {explain.EXERCISE_TABLE}")
    chart(
        data.figures["exercise"],
        data.texts["exercise"],
        key=f"{key_prefix}_exercise_pain",
        note=_caption(data, profile, "exercise"),
    )


def checkins_section(data: DashboardData, profile: Profile, *, key_prefix: str) -> None:
    """The weekly check-ins: overall change (PGIC) and the named activities (PSFS)."""
    st.subheader("Weekly check-ins")
    for column, figure, title, shown, empty in zip(
        st.columns(2),
        ("pgic", "psfs"),
        ("How your back has changed overall (PGIC)", "Activities you named (PSFS)"),
        (data.has_pgic, data.has_psfs),
        (
            "Your weekly answers to “how has your back changed?” will appear here.",
            "Your weekly ratings of the activities you named will appear here.",
        ),
        strict=True,
    ):
        with column:
            st.markdown(f"**{title}**")
            if shown:
                chart(
                    data.figures[figure],
                    data.texts[figure],
                    key=f"{key_prefix}_{figure}",
                    note=_caption(data, profile, figure),
                )
            else:
                st.caption(empty)


def section_body(
    data: DashboardData,
    profile: Profile,
    section: str,
    *,
    key_prefix: str,
    exercise_figures_shown: bool = False,
) -> None:
    """One section of the Progress dashboard (a key of :data:`SECTION_TITLES`); with
    ``exercise_figures_shown`` (a therapist's view) the exercise table shows each
    exercise's start and end position."""
    if section == "summary":
        status_section(data, profile)
        sessions_and_pain_section(data, profile, key_prefix=key_prefix)
    elif section == "days":
        calendar_section(data, profile, key_prefix=key_prefix)
        effect_section(data, profile, key_prefix=key_prefix)
        exercises_section(
            data, profile, key_prefix=key_prefix, exercise_figures_shown=exercise_figures_shown
        )
    else:
        checkins_section(data, profile, key_prefix=key_prefix)


def progress_body(
    data: DashboardData, profile: Profile, *, key_prefix: str, exercise_figures_shown: bool = False
) -> None:
    """Every section of the Progress dashboard, one after the other (the caseload's person)."""
    range_caption(data.start, data.end, profile)
    for section in SECTION_TITLES:
        section_body(
            data,
            profile,
            section,
            key_prefix=key_prefix,
            exercise_figures_shown=exercise_figures_shown,
        )


def week_summary(review: WeeklyReview, names: Mapping[str, str]) -> None:
    """One week's sessions, pain, exercises that hurt and notes (the weekly review's body)."""
    st.subheader("Sessions")
    sessions_column, streak_column = st.columns(2)
    sessions_column.metric(
        "Sessions",
        format_sessions(review.sessions, review.target),
        delta=target_words(review),
        delta_color="normal" if review.met_target else "off",
        delta_arrow="off",
    )
    streak_column.metric(
        "Streak",
        format_streak(review.streak),
        help="Weeks in a row that met your target. A week with a logged flare that missed it "
        "neither breaks nor extends the streak; nor does this week while it is still going.",
    )

    st.subheader("Pain")
    mean_column, previous_column, baseline_column = st.columns(3)
    mean_column.metric(
        "Average pain",
        format_pain(review.pain_mean),
        help=f"Mean of {review.pain_ratings} resting ratings this week (0-10): at check-ins, "
        "before sessions and at setup.",
    )
    for column, label, change, help_text in (
        (
            previous_column,
            "Vs previous week",
            review.change_vs_previous,
            f"Previous week's average: {format_pain(review.previous_pain_mean)}.",
        ),
        (
            baseline_column,
            "Vs baseline",
            review.change_vs_baseline,
            f"Baseline: {format_pain(review.baseline)}.",
        ),
    ):
        words = change_words(change)
        column.metric(
            label,
            format_change(change),
            delta=words[0] if words else None,
            delta_color=words[1] if words else "off",  # type: ignore[arg-type]
            delta_arrow=words[2] if words else "off",  # type: ignore[arg-type]
            help=help_text,
        )
    best_column, worst_column = st.columns(2)
    best_column.metric("Best day", format_day_pain(review.best_day))
    worst_column.metric("Worst day", format_day_pain(review.worst_day))
    st.caption("Best and worst day: the lowest and highest daily average of your resting ratings.")
    effect = review.session_effect
    words = change_words(effect.change)
    st.metric(
        "Right after sessions",
        format_change(effect.change),
        delta=words[0] if words else None,
        delta_color=words[1] if words else "off",  # type: ignore[arg-type]
        delta_arrow=words[2] if words else "off",  # type: ignore[arg-type]
        help=f"Average pain right after a session minus before it, over the week's "
        f"{effect.sessions} sessions with both ratings. Exercise often eases pain for a while; "
        "these ratings are kept out of the average above.",
    )

    st.subheader("Exercises that hurt")
    if review.hurt:
        st.markdown("\n".join(f"- {hurt_words(item, names)}" for item in review.hurt))
    else:
        st.markdown("No exercise was stopped for pain this week.")

    st.subheader("Notes")
    if review.notes:
        for note in review.notes:
            st.caption(note_heading(note))
            st.text(note.text)
    else:
        st.markdown("No notes this week.")
