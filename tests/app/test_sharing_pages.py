"""AppTest of sharing: Share & export, the therapist view, bad links and the passphrase gate.

The therapist view's numbers are the metric functions' numbers for the shared records, and
on a profile small enough to work out by hand, the numbers worked out by hand.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, UnknownElement, Widget

from core import demo
from core.db.schema import EXPORTED
from core.db.scope import scoped_store
from core.db.store import Store
from core.domain.catalog import default_catalog
from core.progress.dashboard import weekly_reviews
from core.progress.six_week import six_week_status
from core.progress.tables import weekly_table
from core.sharing.links import (
    DEFAULT_BASE_URL,
    DEFAULT_DAYS,
    QUERY_PARAM,
    LinkSummary,
    ShareGrant,
    ShareLink,
    create_link,
    list_links,
    revoke,
    share_url,
    shared_header,
    verify,
)
from core.sharing.passphrase import hash_passphrase
from core.sharing.throttle import LoginThrottle
from tests import factories
from tests.app.conftest import (
    APP_PATH,
    NOW,
    TIMEOUT_S,
    TODAY,
    callouts,
    charts_on,
    nodes,
    open_url_path,
    read_tables,
    titles,
)
from tests.app.test_pages_smoke import PAGES
from tests.conftest import clear_streamlit_caches, make_profile
from ui import access, prefetch, theme
from ui import dashboard as ui_dashboard
from ui.dashboard import CHART_DATA_LABEL
from ui.text import md_escape

PASSPHRASE = "correct horse battery staple"
FAST_HASH = hash_passphrase(PASSPHRASE, iterations=1_000)

pytestmark = pytest.mark.usefixtures("fixed_clock")

#: The key of the therapist view's section tabs (only the open section is built).
THERAPIST_SECTIONS = "shared_section"
#: The key of the therapist's weekly review's button for older weeks.
OLDER_WEEKS = "shared_older_weeks"

#: Every widget list AppTest offers: the therapist view must leave each one empty.
WIDGET_LISTS = (
    "audio_input",
    "button",
    "button_group",
    "camera_input",
    "chat_input",
    "checkbox",
    "color_picker",
    "date_input",
    "datetime_input",
    "feedback",
    "file_uploader",
    "menu_button",
    "multiselect",
    "number_input",
    "pagination",
    "pills",
    "radio",
    "segmented_control",
    "select_slider",
    "selectbox",
    "slider",
    "text_area",
    "text_input",
    "time_input",
    "toggle",
)


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the server-side waits for bad tokens instead of sleeping through them."""
    waits: list[float] = []
    monkeypatch.setattr(access, "sleep", waits.append)
    return waits


def open_section(at: AppTest, label: str) -> AppTest:
    """The therapist view with its section ``label`` open, as a click on its tab does."""
    at.session_state[THERAPIST_SECTIONS] = label
    return at.run()


def make_app(
    *, token: str | None = None, secrets: dict[str, object] | None = None, run: bool = True
) -> AppTest:
    """A fresh browser session of app.py, optionally opened with ``?share=`` and secrets."""
    at = AppTest.from_file(str(APP_PATH), default_timeout=TIMEOUT_S)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    if token is not None:
        at.query_params[QUERY_PARAM] = token
    return at.run() if run else at


def widgets_on(at: AppTest) -> dict[str, int]:
    """Every input widget on the page, by kind (empty for a page without any).

    Download buttons are left out: they write nothing and ask for nothing. Tests that
    allow one (the therapist's report) check it by key. So is the theme watcher, which
    sends only the theme the page shows (to draw the charts in its colours).
    """
    found = {name: len(getattr(at, name)) for name in WIDGET_LISTS if len(getattr(at, name))}
    for node in nodes(at):
        if isinstance(node, Widget) and type(node).__name__ != "DownloadButton":
            found[f"tree:{type(node).__name__}"] = found.get(f"tree:{type(node).__name__}", 0) + 1
        if isinstance(node, Block) and getattr(node, "type", "") == "form":
            found["form"] = found.get("form", 0) + 1
        if getattr(getattr(node, "proto", None), "component_name", None) == theme.WATCH_COMPONENT:
            continue
        if isinstance(node, UnknownElement) and node.type != "plotly_chart":
            found[f"unknown:{node.type}"] = found.get(f"unknown:{node.type}", 0) + 1
    found.update({"page_link": len(at.get("page_link"))} if at.get("page_link") else {})
    found.update({"link_button": len(at.get("link_button"))} if at.get("link_button") else {})
    return found


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    """The one data frame or table with this column (AppTest keeps no key for either)."""
    frames = [df.value for df in at.dataframe if column in df.value]
    (frame,) = frames or [
        table
        for element in at.html
        for table in read_tables(element.value)
        if column in table.columns
    ]
    return frame


def texts_on(at: AppTest) -> str:
    """Every visible text of the page, joined (markdown, captions, alerts, titles, tables)."""
    parts: list[str] = []
    for node in nodes(at):
        value = getattr(node, "value", None)
        if isinstance(value, str):
            parts.append(value)
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
    return "\n".join(parts)


# --------------------------------------------------------------------------- data


def two_profiles(db_path: Path) -> tuple[str, str]:
    """Ann (eight demo weeks, the file's first profile) and Bea (three weeks); their ids."""
    with Store.open(db_path) as store:
        ann = demo.generate(store, seed=7, weeks=8, today=TODAY, name="Ann").profile_id
        bea = demo.generate(store, seed=11, weeks=3, today=TODAY, name="Bea").profile_id
    return ann, bea


def small_profile_with_a_link(db_path: Path) -> str:
    """Cy, small enough to work out by hand, and a link to her records; the link's token.

    Her programme starts on Mon 2 Nov 2026; she rates 6 on Mon 2 and Wed 4 Nov, 3 on Mon 23
    Nov, and on Tue 24 Nov does one session: a bridge hold, then a left side bridge stopped
    for pain (rated 5 during it), rated 4 after it. In London, UTC+0 in November.
    """
    with Store.open(db_path) as store:
        cy = factories.profile(store, name="Cy", programme_start=date(2026, 11, 2))
        for pain, day in ((6, 2), (6, 4), (3, 23)):
            factories.rating(store, cy, pain, datetime(2026, 11, day, 9, 0, tzinfo=UTC))
        tuesday = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
        sets = [("bridge", "none", "done"), ("side-bridge", "left", "stopped_for_pain")]
        session_id = factories.session(store, cy, tuesday, sets, status="stopped_for_pain")
        during = {"session_id": session_id, "exercise_id": "side-bridge"}
        factories.rating(store, cy, 5, tuesday, "exercise", **during)
        after = tuesday + timedelta(minutes=25)
        factories.rating(store, cy, 4, after, "after", session_id=session_id)
        _, token = create_link(store, cy.id, "my physio", now=NOW - timedelta(days=1))
    return token


def new_link(
    db_path: Path,
    profile_id: str,
    *,
    created: datetime = NOW - timedelta(days=1),
    days: int = 14,
    range_start: date | None = None,
    range_end: date | None = None,
) -> tuple[ShareLink, str]:
    with Store.open(db_path) as store:
        return create_link(
            store,
            profile_id,
            "my physio",
            days=days,
            range_start=range_start,
            range_end=range_end,
            now=created,
        )


def revoke_link(db_path: Path, profile_id: str, link_id: str) -> None:
    with Store.open(db_path) as store:
        assert revoke(store, profile_id, link_id, now=NOW - timedelta(hours=1))


def links_of(db_path: Path, profile_id: str) -> list[LinkSummary]:
    with Store.open(db_path) as store:
        return list_links(store, profile_id, now=NOW)


def verified(db_path: Path, token: str) -> ShareGrant | None:
    with Store.open(db_path) as store:
        return verify(store, token, now=NOW)


def open_share_page(secrets: dict[str, object] | None = None) -> AppTest:
    at = make_app(secrets=secrets)
    at.switch_page("views/share_export.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert titles(at) == ["Share & export"]
    return at


# --------------------------------------------------------------------------- share & export


def test_owner_creates_a_link_and_sees_the_full_url_once(db_path: Path) -> None:
    ann, _ = two_profiles(db_path)
    at = open_share_page()
    assert "Coming soon" not in texts_on(at)
    assert at.number_input(key="share_days").value == DEFAULT_DAYS
    assert "No links yet." in [c.value for c in at.caption]

    at.text_input(key="share_recipient").input("my physio")
    at.button(key="share_create_submit").click().run()
    assert not at.exception
    (code,) = at.code
    url = code.value
    assert url.startswith(f"{DEFAULT_BASE_URL}/?{QUERY_PARAM}=")
    token = url.split("=", 1)[1]
    grant = verified(db_path, token)
    assert grant is not None and grant.profile_id == ann
    assert (grant.recipient, grant.range_start, grant.range_end) == ("my physio", None, None)
    assert grant.expires_at == NOW + timedelta(days=DEFAULT_DAYS)
    (link,) = links_of(db_path, ann)
    assert (link.recipient, link.status, link.times_opened) == ("my physio", "active", 0)
    assert any("my physio" in m.value and "Active" in m.value for m in at.markdown)

    at.run()  # any later run: the URL is gone, the link stays listed
    assert len(at.code) == 0
    assert token not in texts_on(at)
    assert at.button(key=f"revoke_{link.id}")


def test_link_with_a_date_range_and_the_public_address_from_secrets(db_path: Path) -> None:
    ann, _ = two_profiles(db_path)
    at = open_share_page({"public_base_url": "https://physio.example.org/"})
    at.text_input(key="share_recipient").input("Dr Lee")
    at.number_input(key="share_days").set_value(30)
    at.date_input(key="share_from").set_value(date(2026, 11, 2))
    at.date_input(key="share_until").set_value(date(2026, 11, 15))
    at.button(key="share_create_submit").click().run()
    assert not at.exception
    url = at.code[0].value
    assert url.startswith("https://physio.example.org/?share=")
    grant = verified(db_path, url.split("=", 1)[1])
    assert grant is not None
    assert (grant.range_start, grant.range_end) == (date(2026, 11, 2), date(2026, 11, 15))
    assert grant.expires_at == NOW + timedelta(days=30)
    assert not any("opens only on this computer" in c.value for c in at.caption)
    assert links_of(db_path, ann)[0].range_start == date(2026, 11, 2)


@pytest.mark.parametrize(
    ("recipient", "start", "end", "message"),
    [
        ("", None, None, "Name who the link is for"),
        ("physio", date(2026, 11, 15), date(2026, 11, 2), "Swap the dates"),
    ],
)
def test_bad_link_input_shows_an_error_and_creates_nothing(
    db_path: Path, recipient: str, start: date | None, end: date | None, message: str
) -> None:
    ann, _ = two_profiles(db_path)
    at = open_share_page()
    at.text_input(key="share_recipient").input(recipient)
    at.date_input(key="share_from").set_value(start)
    at.date_input(key="share_until").set_value(end)
    at.button(key="share_create_submit").click().run()
    assert not at.exception
    assert any(message in e.value for e in at.error)
    assert len(at.code) == 0
    assert links_of(db_path, ann) == []


def test_a_broken_public_address_is_refused_before_a_link_is_made(db_path: Path) -> None:
    ann, _ = two_profiles(db_path)
    at = open_share_page({"public_base_url": "physio.example.org"})
    at.text_input(key="share_recipient").input("physio")
    at.button(key="share_create_submit").click().run()
    assert any("must start with http:// or https://" in e.value for e in at.error)
    assert links_of(db_path, ann) == []


def test_revoking_needs_confirmation_and_works_at_once(db_path: Path) -> None:
    ann, _ = two_profiles(db_path)
    link, token = new_link(db_path, ann)
    at = open_share_page()

    at.button(key=f"revoke_{link.id}").click().run()
    assert any("Revoke the link for **my physio**?" in w.value for w in at.warning)
    assert verified(db_path, token) is not None, "one click alone revokes nothing"

    at.button(key=f"revoke_no_{link.id}").click().run()
    assert not at.warning
    assert verified(db_path, token) is not None

    at.button(key=f"revoke_{link.id}").click().run()
    at.button(key=f"revoke_yes_{link.id}").click().run()
    assert not at.exception
    assert verified(db_path, token) is None
    assert "The link for my physio is revoked." in callouts(at)
    (summary,) = links_of(db_path, ann)
    assert summary.status == "revoked"
    assert f"revoke_{link.id}" not in [b.key for b in at.button]

    # The therapist's next opening shows only the neutral message.
    therapist = make_app(token=token)
    assert callouts(therapist) == [access.INVALID_LINK]
    assert charts_on(therapist) == 0


def test_report_and_calendar_are_offered_as_downloads(db_path: Path) -> None:
    two_profiles(db_path)
    at = open_share_page()
    assert at.download_button(key="report_download").label == "Download the report (HTML)"
    assert at.download_button(key="ics_download")
    assert at.pills(key="ics_days").value == ["MO", "TU", "WE", "TH", "FR"]

    at.pills(key="ics_days").set_value([]).run()
    assert any("Pick at least one day" in w.value for w in at.warning)
    assert not [b for b in at.download_button if b.key == "ics_download"]

    at.pills(key="ics_days").set_value(["MO", "WE", "FR"]).run()
    assert any("You picked 3 days a week; your weekly target is 5" in c.value for c in at.caption)
    assert at.download_button(key="ics_download")


# --------------------------------------------------------------------------- export, import


def export_through_the_page(file_format: str) -> tuple[bytes, AppTest]:
    at = open_share_page()
    at.button(key=f"export_prepare_{file_format}").click().run()
    assert not at.exception
    assert at.download_button(key=f"export_download_{file_format}")
    _, file_name, data = at.session_state[f"export_ready_{file_format}"]
    assert file_name == f"back-on-track-export-2026-11-24-{file_format}.zip"
    return data, at


def rows_of(path: Path, profile_id: str) -> dict[str, list[tuple[object, ...]]]:
    with Store.open(path) as store:
        return {
            spec.name: store.con.execute(
                f"SELECT * FROM {spec.name} WHERE {spec.profile_column} = ? "
                f"ORDER BY {', '.join(spec.primary_key)}",
                [profile_id],
            ).fetchall()
            for spec in EXPORTED
        }


def use_database(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Point the app at another file, as a second copy of Back on Track would be."""
    monkeypatch.setenv("BACKONTRACK_DB", str(path))
    clear_streamlit_caches()


@pytest.mark.parametrize("file_format", ["csv", "parquet"])
def test_export_then_import_through_the_page_is_a_round_trip(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file_format: str
) -> None:
    ann, _ = two_profiles(db_path)
    data, _ = export_through_the_page(file_format)
    expected = rows_of(db_path, ann)

    other = tmp_path / "other.duckdb"
    make_profile(other, name="Zed")
    use_database(monkeypatch, other)
    at = open_share_page()
    at.file_uploader(key="import_file_0").upload("export.zip", data, "application/zip").run()
    assert not at.exception
    assert any("**Ann** (new to this database)" in m.value for m in at.markdown)
    preview = frame_with(at, "Already here")
    assert preview["Table"].tolist() == [spec.name for spec in EXPORTED]
    assert preview["New"].tolist() == preview["In the file"].tolist()
    assert preview["In the file"].tolist() == [len(rows) for rows in expected.values()]
    assert rows_of(other, ann)["profiles"] == [], "the preview changes nothing"

    at.button(key="import_confirm").click().run()
    assert not at.exception
    assert any(
        text.startswith(f"Imported {sum(map(len, expected.values()))} rows")
        for text in callouts(at)
    )
    assert rows_of(other, ann) == expected

    # The same file again: everything is already here, nothing to import.
    at.file_uploader(key="import_file_1").upload("export.zip", data, "application/zip").run()
    assert "Everything in this file is already here: importing it would add nothing." in callouts(
        at
    )
    assert not [b for b in at.button if b.key == "import_confirm"]
    assert rows_of(other, ann) == expected


@pytest.mark.parametrize("damage", ["not_a_zip", "cut_short", "wrong_zip"])
def test_a_damaged_upload_shows_a_clear_error_and_changes_nothing(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    ann, _ = two_profiles(db_path)
    data, _ = export_through_the_page("csv")
    if damage == "not_a_zip":
        upload = b"name,pain\nAnn,4\n"
    elif damage == "cut_short":
        upload = data[: len(data) // 2]
    else:
        import io
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("notes.txt", "hello")
        upload = buffer.getvalue()

    other = tmp_path / "other.duckdb"
    zed = make_profile(other, name="Zed")
    before = {**rows_of(other, zed.id), **{f"ann:{k}": v for k, v in rows_of(other, ann).items()}}
    use_database(monkeypatch, other)
    at = open_share_page()
    at.file_uploader(key="import_file_0").upload("export.zip", upload, "application/zip").run()
    assert not at.exception
    (error,) = at.error
    assert error.value.startswith("**This file cannot be imported; nothing was changed.**")
    assert "Back on Track export" in error.value or "damaged" in error.value
    assert not [b for b in at.button if b.key == "import_confirm"]
    after = {**rows_of(other, zed.id), **{f"ann:{k}": v for k, v in rows_of(other, ann).items()}}
    assert after == before


# --------------------------------------------------------------------------- therapist view


def test_therapist_view_shows_the_right_profile_and_no_input_widgets(db_path: Path) -> None:
    _, bea = two_profiles(db_path)
    link, token = new_link(db_path, bea)
    at = make_app(token=token)
    assert not at.exception, [e.value for e in at.exception]

    assert titles(at) == ["Bea's progress"]
    header = shared_header("Bea", link.expires_at, "Europe/London")
    assert header == "Shared by Bea, read-only, link expires Mon 7 Dec 2026"
    assert any(md_escape(header) in m.value for m in at.markdown)
    # The summary only is built on opening: its two charts, not the other sections' five.
    assert charts_on(at) == 2
    assert widgets_on(at) == {}
    assert len(at.sidebar.children) == 0
    assert "Ann" not in texts_on(at)
    assert [e.label for e in at.expander if e.label != CHART_DATA_LABEL] == [
        "Dose by exercise and side"
    ]
    open_section(at, "Days and exercises")
    assert charts_on(at) == 3  # the calendar, right after a session, pain by exercise
    assert [e.label for e in at.expander if e.label != CHART_DATA_LABEL] == [
        "What the columns mean"
    ]
    assert widgets_on(at) == {}

    # The numbers are Bea's: the six-week status and every week of her three.
    with (
        Store.open(db_path) as store,
        scoped_store(store, bea, date(2026, 11, 4), TODAY) as scoped,
    ):
        profile = scoped.get_profile(bea)
        status = six_week_status(scoped, profile, TODAY)
        reviews = weekly_reviews(scoped, profile, date(2026, 11, 4), TODAY, TODAY)
    open_section(at, "Summary")
    assert f"**{status.line}**" in callouts(at)
    open_section(at, "Weekly review")
    assert charts_on(at) == 0
    assert widgets_on(at) == {}  # four weeks: one page, no button for older ones
    table = frame_with(at, "Exercises that hurt")
    names = {exercise.id: exercise.name for exercise in default_catalog()}
    assert table.to_dict("list") == weekly_table(reviews, names).to_dict("list")
    assert [e.label for e in at.expander] == [
        "Mon 23 Nov 2026 to Sun 29 Nov 2026 (this week)",
        "Mon 16 Nov 2026 to Sun 22 Nov 2026",
        "Mon 9 Nov 2026 to Sun 15 Nov 2026",
        "Mon 2 Nov 2026 to Sun 8 Nov 2026",
    ]
    open_section(at, "Report")
    # The report is the one download button; nothing else can be pressed or typed in.
    assert [b.key for b in at.download_button] == ["therapist_report"]

    # Cy's numbers, worked out by hand. Baseline: programme week 1 (2-8 Nov) rated 6 and 6,
    # 6.0. The last seven days (18-24 Nov): the resting 3 only (the 4 right after Tuesday's
    # session and the 5 during the side bridge are not resting ratings): down 3.0, 3.0 / 6.0
    # = 50%, at least 30%. 24 Nov is day 23 of the programme: programme week 4. She aims at
    # 5 sessions a week (the default). The session has no rating before it: no pair.
    cy = make_app(token=small_profile_with_a_link(db_path))
    assert titles(cy) == ["Cy's progress"]
    assert callouts(cy) == [
        "**Programme week 4 of 6: pain 3.0, down 3.0 from baseline 6.0 (50%): meaningful "
        "improvement (30% or more below baseline)**"
    ]
    assert "Ann" not in texts_on(cy) and "Bea" not in texts_on(cy)
    open_section(cy, "Weekly review")
    none = dict.fromkeys(("Vs previous week", "Right after sessions", "PGIC", "PSFS"), "–")
    empty = {**none, "Average pain": "–", "Best day": "–", "Worst day": "–"}
    missed = {"Sessions": "0 of 5", "Target": "Target missed", "Exercises that hurt": "–"}
    assert frame_with(cy, "Exercises that hurt").to_dict("records") == [
        {
            "Week": "Mon 23 Nov 2026 to Sun 29 Nov 2026",
            "Sessions": "1 of 5",
            "Target": "4 to go",
            "Average pain": "3.0",  # the resting 3 alone
            "Best day": "Mon 23 Nov: 3.0",
            "Worst day": "Mon 23 Nov: 3.0",
            "Exercises that hurt": "Side bridge: stopped for pain in 1 session; pain up to 5 "
            "during it",
            **none,
        },
        {"Week": "Mon 16 Nov 2026 to Sun 22 Nov 2026", **missed, **empty},
        {"Week": "Mon 9 Nov 2026 to Sun 15 Nov 2026", **missed, **empty},
        {
            "Week": "Mon 2 Nov 2026 to Sun 8 Nov 2026",
            **missed,
            **none,
            "Average pain": "6.0",
            "Best day": "Mon 2 Nov: 6.0",  # both days 6.0: the first
            "Worst day": "Mon 2 Nov: 6.0",
        },
    ]


def test_therapist_view_is_limited_to_the_link_dates(db_path: Path) -> None:
    ann, _ = two_profiles(db_path)
    _, token = new_link(db_path, ann, range_start=date(2026, 11, 2), range_end=date(2026, 11, 15))
    at = make_app(token=token)
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "Records from Mon 2 Nov 2026 to Sun 15 Nov 2026" in captions
    assert "Showing Mon 2 Nov 2026 to Sun 15 Nov 2026" in captions
    assert "which these dates do not cover" in captions  # the baseline's first week
    open_section(at, "Weekly review")
    weeks = frame_with(at, "Exercises that hurt")["Week"].tolist()
    assert weeks == ["Mon 9 Nov 2026 to Sun 15 Nov 2026", "Mon 2 Nov 2026 to Sun 8 Nov 2026"]
    # Notes from outside the dates do not appear (the demo writes one on its last day).
    assert "Tue 24 Nov 2026" not in texts_on(at)
    assert widgets_on(at) == {}


def test_each_opening_is_logged_once_per_browser_session(db_path: Path) -> None:
    _, bea = two_profiles(db_path)
    _, token = new_link(db_path, bea)
    at = make_app(token=token)
    at.run()
    at.run()
    (summary,) = links_of(db_path, bea)
    assert (summary.times_opened, summary.last_opened_at) == (1, NOW)
    make_app(token=token)  # a second browser session
    assert links_of(db_path, bea)[0].times_opened == 2
    with Store.open(db_path) as store:
        logged = store.con.execute("SELECT * FROM share_access_log").fetchall()
    assert token not in repr(logged)


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[tuple[date, date]]:
    """The date ranges of every private copy of a link's records made from now on."""
    made: list[tuple[date, date]] = []

    def counted_copy(store: Store, profile_id: str, start: date, end: date) -> Store:
        made.append((start, end))
        return scoped_store(store, profile_id, start, end)

    monkeypatch.setattr(ui_dashboard, "scoped_store", counted_copy)
    return made


def test_the_therapist_view_is_built_once_per_link_and_data_version(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, built: list[tuple[date, date]]
) -> None:
    _, bea = two_profiles(db_path)
    link, token = new_link(db_path, bea)
    _, other_token = new_link(db_path, bea)
    drawn: list[tuple[str, ...]] = []
    whole_view = ui_dashboard.dashboard.progress_view

    def counted_view(*args: object, **kwargs: object) -> object:
        drawn.append(tuple(args[6]) if len(args) > 6 else ("all",))
        return whole_view(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ui_dashboard.dashboard, "progress_view", counted_view)
    reports: list[str] = []
    monkeypatch.setattr(ui_dashboard.report, "build_report", lambda *a, **k: reports.append("x"))
    first = make_app(token=token)
    make_app(token=token)  # a second browser opens the same link: its opening is logged...
    make_app(token=token)
    assert len(built) == 1  # ...and the view built for the first one is read again
    assert drawn == [("weekly", "pain")]  # the summary's figures only, once
    opened = {summary.id: summary.times_opened for summary in links_of(db_path, bea)}
    assert opened[link.id] == 3
    make_app(token=other_token)  # another link: a view of its own
    assert len(built) == 2
    with Store.open(db_path) as store:  # a new rating: the view is built again
        factories.rating(store, store.get_profile(bea), 2, NOW - timedelta(hours=2))
    again = make_app(token=token)
    assert len(built) == 3
    assert not first.exception and not again.exception
    # Every other section is built when it is first opened, from the same private copy,
    # once per link and data version.
    drawn.clear()
    for section in ("Days and exercises", "Check-ins", "Weekly review"):
        open_section(again, section)
        open_section(make_app(token=token), section)
    assert drawn == [("calendar", "effect", "exercise"), ("pgic", "psfs")]
    assert len(built) == 3
    # The report is built only when its download is clicked, never to open the view.
    open_section(again, "Report")
    assert [b.key for b in again.download_button] == ["therapist_report"]
    assert reports == []


def test_a_view_prepared_ahead_is_not_built_again_and_preparing_is_no_opening(
    db_path: Path, built: list[tuple[date, date]]
) -> None:
    _, bea = two_profiles(db_path)
    _, token = new_link(db_path, bea)
    prefetch.prepare("not-a-token")  # what a request with any other token gets: nothing
    assert built == []
    prefetch.prepare(token)  # as the request for the page does, before its script runs
    assert len(built) == 1
    assert links_of(db_path, bea)[0].times_opened == 0  # prepared, not opened
    at = make_app(token=token)
    assert not at.exception, [e.value for e in at.exception]
    assert titles(at) == ["Bea's progress"] and charts_on(at) == 2
    assert len(built) == 1  # the view read what was prepared
    assert links_of(db_path, bea)[0].times_opened == 1


def test_the_weekly_review_shows_the_newest_weeks_and_older_ones_on_request(
    db_path: Path,
) -> None:
    ann, _ = two_profiles(db_path)
    _, token = new_link(db_path, ann, range_start=date(2026, 10, 1))
    at = open_section(make_app(token=token), "Weekly review")
    assert not at.exception, [e.value for e in at.exception]
    # 1 Oct (a Thursday) to Tue 24 Nov: the weeks of Mondays 28 Sep to 23 Nov, nine of them.
    newest = [f"Mon {day} Nov 2026" for day in (23, 16, 9, 2)]
    assert [w.split(" to ")[0] for w in frame_with(at, "Exercises that hurt")["Week"]] == newest
    assert len(at.expander) == 4 and at.expander[0].label.endswith("(this week)")
    assert "The newest 4 of 9 weeks are shown." in texts_on(at)
    at.button(key=OLDER_WEEKS).click().run()
    older = [f"Mon {day} Oct 2026" for day in (26, 19, 12, 5)]
    weeks = [w.split(" to ")[0] for w in frame_with(at, "Exercises that hurt")["Week"]]
    assert weeks == newest + older
    assert at.button(key=OLDER_WEEKS).label == "Show 1 older week"
    at.button(key=OLDER_WEEKS).click().run()
    weeks = [w.split(" to ")[0] for w in frame_with(at, "Exercises that hurt")["Week"]]
    assert weeks == [*newest, *older, "Mon 28 Sep 2026"]
    assert len(at.expander) == 9
    assert widgets_on(at) == {}  # every week shown: the button is gone


def bad_tokens(db_path: Path) -> dict[str, str]:
    """One token of each kind that must not open anything."""
    ann, bea = two_profiles(db_path)
    _, expired = new_link(db_path, bea, created=NOW - timedelta(days=15), days=14)
    revoked_link, revoked = new_link(db_path, bea)
    revoke_link(db_path, bea, revoked_link.id)
    _, ends_now = new_link(db_path, ann, created=NOW - timedelta(days=14), days=14)
    return {
        "unknown": share_url(None, "A" * 43).split("=", 1)[1],
        "malformed": "not-a-token",
        "too_long": "B" * 44,
        "empty": "",
        "expired": expired,
        "expires_this_second": ends_now,
        "revoked": revoked,
    }


def test_every_bad_token_gets_the_same_neutral_answer(db_path: Path) -> None:
    answers = {}
    for kind, token in bad_tokens(db_path).items():
        at = make_app(token=token)
        assert not at.exception, kind
        answers[kind] = (
            titles(at),
            callouts(at),
            [m.value for m in at.markdown],
            [c.value for c in at.caption],
            charts_on(at),
            widgets_on(at),
        )
        if token:
            assert token not in texts_on(at), kind
    expected = (["Back on Track"], [access.INVALID_LINK], [], [], 0, {})
    assert answers == dict.fromkeys(answers, expected)


def test_repeated_bad_tokens_from_one_session_are_slowed(
    db_path: Path, no_waiting: list[float]
) -> None:
    two_profiles(db_path)
    at = make_app(token="A" * 43)
    for _ in range(5):
        at.run()
    assert no_waiting[:3] == [0.0, 0.0, 0.0], "three bad tokens are free"
    assert max(no_waiting) >= 2.0, "then each one waits longer"
    assert callouts(at) == [access.INVALID_LINK]

    # Another browser session starts free.
    no_waiting.clear()
    make_app(token="A" * 43)
    assert no_waiting == [0.0]


def test_a_share_session_never_turns_into_an_owner_session(db_path: Path) -> None:
    _, bea = two_profiles(db_path)
    _, token = new_link(db_path, bea)
    at = make_app(token=token)
    assert titles(at) == ["Bea's progress"]
    del at.query_params[QUERY_PARAM]
    at.run()
    assert callouts(at) == [access.INVALID_LINK]
    assert charts_on(at) == 0
    for url_path in ("today", "settings", "share_export"):
        open_url_path(at, url_path)
        assert titles(at) == ["Back on Track"] and charts_on(at) == 0


# --------------------------------------------------------------------------- passphrase gate

GATED = {"owner_passphrase_hash": FAST_HASH}


def test_the_gate_blocks_every_page_until_the_right_passphrase(db_path: Path) -> None:
    two_profiles(db_path)
    at = make_app(secrets=GATED)
    assert not at.exception
    assert titles(at) == ["Back on Track is locked"]
    assert len(at.sidebar.children) == 0
    assert "Ann" not in texts_on(at)
    for page, (url_path, _) in PAGES.items():
        with pytest.raises(ValueError, match="Known pages"):
            at.switch_page(page)
        open_url_path(at, url_path)
        assert titles(at) == ["Back on Track is locked"], page
        at.query_params["page"] = url_path  # tweaking query parameters changes nothing
        at.run()
        assert titles(at) == ["Back on Track is locked"], page
        del at.query_params["page"]

    open_url_path(at, "weekly_review")
    at.text_input(key="login_passphrase").input("wrong passphrase here")
    at.button(key="login_submit").click().run()
    assert [e.value for e in at.error] == ["That passphrase is not right."]
    assert titles(at) == ["Back on Track is locked"]

    at.text_input(key="login_passphrase").input(PASSPHRASE)
    at.button(key="login_submit").click().run()
    assert not at.exception
    assert titles(at) == ["Weekly review"], "unlocking opens the page the address named"
    open_url_path(at, "settings")
    assert titles(at) == ["Settings"]
    for page, (_, title) in PAGES.items():
        at.switch_page(page).run()
        assert not at.exception, page
        assert titles(at) == [title], page

    # Lock again: back to the login page.
    at.button(key="lock_app").click().run()
    assert titles(at) == ["Back on Track is locked"]


def test_a_deep_link_asks_for_the_passphrase_then_opens_its_page(db_path: Path) -> None:
    two_profiles(db_path)
    at = make_app(secrets=GATED, run=False)
    open_url_path(at, "progress")
    assert titles(at) == ["Back on Track is locked"]
    at.text_input(key="login_passphrase").input(PASSPHRASE)
    at.button(key="login_submit").click().run()
    assert titles(at) == ["Progress"]


def test_wrong_passphrases_are_slowed_down(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The throttle's clock stands still, so the wait cannot run out while a slow machine
    # starts the second session.
    throttle = LoginThrottle(clock=lambda: 1000.0)
    monkeypatch.setattr(access, "login_throttle", lambda: throttle)
    two_profiles(db_path)
    at = make_app(secrets=GATED)
    for _ in range(3):
        at.text_input(key="login_passphrase").input("wrong passphrase here")
        at.button(key="login_submit").click().run()
        assert [e.value for e in at.error] == ["That passphrase is not right."]
    at.text_input(key="login_passphrase").input("wrong passphrase here")
    at.button(key="login_submit").click().run()
    assert [e.value for e in at.error] == [
        "That passphrase is not right. Wait 1 second before the next try."
    ]
    # While the wait lasts even the right passphrase is not checked, in any session.
    other = make_app(secrets=GATED)
    other.text_input(key="login_passphrase").input(PASSPHRASE)
    other.button(key="login_submit").click().run()
    assert [w.value for w in other.warning] == [
        "Too many wrong tries. Wait 1 second, then try again."
    ]
    assert titles(other) == ["Back on Track is locked"]


def test_share_links_work_behind_the_gate_and_bad_ones_show_only_the_message(
    db_path: Path,
) -> None:
    _, bea = two_profiles(db_path)
    _, token = new_link(db_path, bea)
    at = make_app(token=token, secrets=GATED)
    assert titles(at) == ["Bea's progress"]
    assert widgets_on(at) == {}
    bad = make_app(token="A" * 43, secrets=GATED)
    assert (titles(bad), callouts(bad), charts_on(bad)) == (
        ["Back on Track"],
        [access.INVALID_LINK],
        0,
    )


@pytest.mark.parametrize("stored", ["not-a-hash", "pbkdf2_sha256$1000$bad$bad"])
def test_a_broken_passphrase_hash_fails_closed(db_path: Path, stored: str) -> None:
    two_profiles(db_path)
    at = make_app(secrets={"owner_passphrase_hash": stored})
    assert not at.exception
    assert titles(at) == []
    (error,) = at.error
    assert (
        "cannot start safely" in error.value and "python -m core.sharing.passphrase" in error.value
    )
    assert "Ann" not in texts_on(at)


def test_settings_says_how_reachable_the_app_is(db_path: Path) -> None:
    two_profiles(db_path)
    at = make_app()
    at.switch_page("views/settings.py").run()
    assert any(
        c.value.startswith("This app only listens on this computer (127.0.0.1): nobody else")
        for c in at.caption
    )
    gated = make_app(secrets=GATED)
    gated.text_input(key="login_passphrase").input(PASSPHRASE)
    gated.button(key="login_submit").click().run()
    gated.switch_page("views/settings.py").run()
    assert any("an owner passphrase protects every page" in c.value for c in gated.caption)
