"""AppTest of the Progress and Weekly review pages: empty, one-day and demo databases.

The pages' numbers must be the metric functions' numbers for the same profile and week, and
on records small enough to work out by hand (the one-day profile, a week added before the
demo's programme starts, a check-in typed in), the numbers worked out by hand.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core import demo
from core.db.checkins import get_checkin
from core.db.flags import active_flags
from core.db.store import Store
from core.domain.days import monday
from core.domain.wording import format_change, format_pain, format_sessions, format_streak
from core.progress.six_week import SixWeekStatus, six_week_status
from core.progress.weekly import (
    WeeklyReview,
    change_words,
    format_day_pain,
    target_words,
    weekly_review,
)
from tests import factories
from tests.app.conftest import (
    NOW,
    PROGRESS_SECTIONS,
    TODAY,
    callouts,
    chart_tables_on,
    charts_by_section,
    charts_on,
    open_progress_section,
    tables_on,
)
from tests.conftest import make_profile
from ui.text import md_escape

pytestmark = pytest.mark.usefixtures("fixed_clock")


def open_page(new_app: Callable[[], AppTest], page: str) -> AppTest:
    at = new_app()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def exercise_table(at: AppTest) -> pd.DataFrame:
    """The exercise table as the page shows it, every cell as text (tables carry no key:
    found by its columns)."""
    (table,) = [table for table in tables_on(at) if "Discuss" in table.columns]
    return table


def _numbers(values: object) -> list[float]:
    """A trace's numbers as Plotly sends them: a list, or a typed array in base64."""
    if isinstance(values, dict):
        raw = base64.b64decode(values["bdata"])
        return [float(v) for v in np.frombuffer(raw, dtype=values["dtype"])]
    return [float(v) for v in values]  # type: ignore[attr-defined]


def plotted(at: AppTest, trace: str) -> list[tuple[str, float]]:
    """The points (day, value) of the chart trace named ``trace``, as the page sends them."""
    found = [
        (str(x)[:10], y)
        for chart in at.get("plotly_chart")
        for data in json.loads(chart.proto.spec)["data"]
        if data.get("name") == trace
        for x, y in zip(data["x"], _numbers(data["y"]), strict=True)
    ]
    return found


def demo_profile(db_path: Path) -> str:
    with Store.open(db_path) as store:
        return demo.generate(store, seed=7, weeks=8, today=TODAY).profile_id


def expected_review(db_path: Path, week: date) -> WeeklyReview:
    with Store.open(db_path) as store:
        profile = store.list_profiles()[0]
        return weekly_review(store, profile, week, TODAY)


def expected_status(db_path: Path) -> SixWeekStatus:
    with Store.open(db_path) as store:
        return six_week_status(store, store.list_profiles()[0], TODAY)


def assert_review_shown(at: AppTest, review: WeeklyReview) -> None:
    """The page's numbers are exactly the metric function's, formatted."""
    shown = metric_values(at)
    assert shown == {
        "Sessions": format_sessions(review.sessions, review.target),
        "Streak": format_streak(review.streak),
        "Average pain": format_pain(review.pain_mean),
        "Vs previous week": format_change(review.change_vs_previous),
        "Vs baseline": format_change(review.change_vs_baseline),
        "Best day": format_day_pain(review.best_day),
        "Worst day": format_day_pain(review.worst_day),
        "Right after sessions": format_change(review.session_effect.change),
    }
    assert f"**{review.six_week.line}**" in callouts(at)
    sessions = next(m for m in at.metric if m.label == "Sessions")
    assert sessions.delta == target_words(review)
    for label, change in (
        ("Vs previous week", review.change_vs_previous),
        ("Vs baseline", review.change_vs_baseline),
    ):
        words = change_words(change)
        shown_delta = next(m for m in at.metric if m.label == label).delta
        assert shown_delta == (words[0] if words else "")
    texts = [t.value for t in at.text]
    assert texts == [note.text for note in review.notes]


# --------------------------------------------------------------------------- empty


def test_pages_on_an_empty_profile(new_app: Callable[[], AppTest], db_path: Path) -> None:
    make_profile(db_path, programme_start=TODAY - timedelta(days=3))

    at = open_page(new_app, "views/progress.py")
    assert [t.value for t in at.title] == ["Progress"]
    assert any("Nothing to show yet" in text for text in callouts(at))
    assert charts_on(at) == 0
    assert "Coming soon" not in " ".join(callouts(at))

    at.switch_page("views/weekly_review.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Weekly review"]
    assert at.selectbox(key="review_week").value == monday(TODAY)
    assert "Weeks start on Monday in your time zone (Europe/London)." in [
        c.value for c in at.caption
    ]
    lines = callouts(at)
    assert (
        "**No pain ratings yet: rate your pain before a session or at a check-in, and your "
        "trend and six-week status will appear here.**"
    ) in lines
    assert any("No sessions or pain ratings yet" in text for text in lines)
    assert metric_values(at) == {}
    # The check-in is there from the start: name the activities first.
    assert at.text_input(key="psfs_activities_1").value == ""


# --------------------------------------------------------------------------- one day


def one_day_profile(db_path: Path) -> None:
    """Today: a bridge done then stopped for pain, rated 6 before, 7 during and 5 after (the
    ratings carry no session id)."""
    with Store.open(db_path) as store:
        profile = factories.profile(store, programme_start=TODAY)
        started = NOW - timedelta(hours=2)
        bridge = [("bridge", "none", "done"), ("bridge", "none", "stopped_for_pain")]
        factories.session(
            store, profile, started, bridge, status="stopped_for_pain", notes="Bridge hurt."
        )
        factories.rating(store, profile, 6, started, "before")
        factories.rating(store, profile, 7, started, "exercise", exercise_id="bridge")
        factories.rating(store, profile, 5, started, "after")


def test_pages_on_a_one_day_profile(new_app: Callable[[], AppTest], db_path: Path) -> None:
    one_day_profile(db_path)
    at = open_page(new_app, "views/progress.py")
    # Resting ratings only: the 6 before the session; the 5 right after it is left out.
    line = (
        "Programme week 1 of 6: building your baseline (pain 6.0 so far). From programme week 2 "
        "your pain is compared with it."
    )
    assert f"**{line}**" in callouts(at)
    assert expected_status(db_path).line == line
    assert any("first programme week" in text for text in callouts(at))
    # Sessions per week and pain; the calendar, session effect and exercises; no check-in.
    assert charts_by_section(at) == {"Summary": 2, "Days and exercises": 3, "Check-ins": 0}
    open_progress_section(at, "Days and exercises")
    # Pain levels with one decimal and a dash for none, as text.
    assert exercise_table(at).to_dict("records") == [
        {
            "Exercise": "Bridge",
            "Discuss": "",
            "Sessions": "1",
            "Done": "1",
            "Stopped": "1",
            "Pain during": "7.0",
            # The before and after ratings carry no session id here: nothing to average.
            "Before": "–",
            "After": "–",
            "Change": "–",
        }
    ]

    at.switch_page("views/weekly_review.py").run()
    assert not at.exception
    # By hand: 1 session of the 5 a week a profile aims at by default, 4 to go and no week
    # finished yet for a streak; resting pain 6 before the session (the 5 right after it and
    # the 7 during the bridge are not resting ratings), on the week's only day, so its best
    # and worst; the baseline is this first programme week itself: no change; no week before
    # it; the two ratings carry no session id, so no before-and-after pair.
    assert {m.label: (m.value, m.delta) for m in at.metric} == {
        "Sessions": ("1 of 5", "4 to go"),
        "Streak": ("0 weeks", ""),
        "Average pain": ("6.0", ""),
        "Vs previous week": ("–", ""),
        "Vs baseline": ("0.0", "no change"),
        "Best day": ("Tue 24 Nov: 6.0", ""),
        "Worst day": ("Tue 24 Nov: 6.0", ""),
        "Right after sessions": ("–", ""),
    }
    review = expected_review(db_path, TODAY)
    assert (review.sessions, review.pain_mean, review.streak) == (1, 6.0, 0)
    assert_review_shown(at, review)
    assert at.markdown.values.count(
        "- Bridge: stopped for pain in 1 session; pain up to 7 during it"
    )


# --------------------------------------------------------------------------- demo

HAND_WEEK = date(2026, 9, 7)  # a Monday, three weeks before the demo's programme starts


def add_a_week_by_hand(db_path: Path) -> None:
    """The week of Mon 7 Sep 2026 for the demo profile, before its programme starts (Wed 30
    Sep): on Tue 8 Sep a session of two bridge holds, both done, rated 6 before and 4 after;
    on Thu 10 Sep a check-in rated 3."""
    with Store.open(db_path) as store:
        (profile,) = store.list_profiles()
        tuesday = datetime(2026, 9, 8, 8, 0, tzinfo=UTC)  # 09:00 in London (summer time)
        bridge = [("bridge", "none", "done"), ("bridge", "none", "done")]
        session_id = factories.session(store, profile, tuesday, bridge)
        factories.rating(store, profile, 6, tuesday, "before", session_id=session_id)
        after = tuesday + timedelta(minutes=25)
        factories.rating(store, profile, 4, after, "after", session_id=session_id)
        factories.rating(store, profile, 3, datetime(2026, 9, 10, 19, 0, tzinfo=UTC))


def test_progress_on_the_demo_database(new_app: Callable[[], AppTest], db_path: Path) -> None:
    demo_profile(db_path)
    add_a_week_by_hand(db_path)
    status = expected_status(db_path)
    at = open_page(new_app, "views/progress.py")
    assert f"**{status.line}**" in callouts(at)
    assert status.line.startswith("Programme week 8: pain ")
    # The page opens on its summary, and draws only the open section.
    assert charts_on(at) == 2
    assert charts_by_section(at) == {"Summary": 2, "Days and exercises": 3, "Check-ins": 0}
    captions = " ".join(
        c.value for label in PROGRESS_SECTIONS for c in open_progress_section(at, label).caption
    )
    for source in (
        "Ostelo et al. 2008",
        "Menezes Costa et al. 2012",
        "acute cohorts",
        "the article's claim",
        "NHS back pain guidance",
    ):
        assert source in captions
    # The page ends with the next step that follows from the status.
    assert at.markdown.values[-1] == f"**Next step:** {status.next_step}"
    assert "Showing Wed 30 Sep 2026 to Tue 24 Nov 2026" in captions
    table = exercise_table(open_progress_section(at, "Days and exercises"))
    # The demo's person had side bridge cleared before each next session, so nothing is left
    # out of a session today, and Progress marks nothing to discuss (one rule for both).
    assert table["Discuss"].tolist() == [""] * len(table)
    with Store.open(db_path) as store:
        (profile,) = store.list_profiles()
        assert active_flags(store, profile.id) == {}

    at.selectbox(key="progress_range").set_value("4w").run()
    assert not at.exception
    assert "Showing Wed 28 Oct 2026 to Tue 24 Nov 2026" in " ".join(c.value for c in at.caption)

    at.selectbox(key="progress_range").set_value("custom").run()
    at.date_input(key="progress_custom_range").set_value((date(2026, 11, 2), date(2026, 11, 15)))
    at.run()
    assert not at.exception
    assert "Showing Mon 2 Nov 2026 to Sun 15 Nov 2026" in " ".join(c.value for c in at.caption)
    assert charts_on(at) == 3  # the section left open: days and exercises

    # The week added by hand, alone in its range: one session prescribing two bridge holds,
    # both done (100%); rated 6 before and 4 after it: change 4 - 6 = -2.0.
    at.date_input(key="progress_custom_range").set_value((HAND_WEEK, HAND_WEEK + timedelta(6)))
    at.run()
    assert not at.exception
    (exercises,) = tables_on(at)
    open_progress_section(at, "Summary")
    assert tables_on(at) == []  # the dose table is sent once it is opened
    at.session_state["progress_dose"] = True
    (dose,) = tables_on(at.run())
    assert dose.to_dict("records") == [
        {"Exercise": "Bridge", "Side": "", "Prescribed": "2", "Done": "2", "Done %": "100"}
    ]
    assert exercises.to_dict("records") == [
        {
            "Exercise": "Bridge",
            "Discuss": "",
            "Sessions": "1",
            "Done": "1",
            "Stopped": "0",
            "Pain during": "–",
            "Before": "6.0",
            "After": "4.0",
            "Change": "-2.0",
        }
    ]
    # Each chart is named by its summary (the caption above it) and has its data table:
    # the session effect's one pair, 6 before and 4 after.
    for label, charts in (("Summary", 2), ("Days and exercises", 3)):
        open_progress_section(at, label)
        alts = [chart.proto.alt for chart in at.get("plotly_chart")]
        assert len(alts) == charts and all(alts)
        shown = [c.value for c in at.caption]
        assert all(md_escape(alt) in shown for alt in alts)
    # Its rows are sent once the table is opened (one click, a rerun), not before.
    assert chart_tables_on(at) == []
    at.session_state["progress_effect_data"] = True
    at.run()
    (effect,) = [table for table in chart_tables_on(at) if "Right after" in table.columns]
    assert effect[["Before", "Right after", "Change"]].to_dict("records") == [
        {"Before": "6.0", "Right after": "4.0", "Change": "-2.0"}
    ]


def test_weekly_review_on_the_demo_database_matches_the_metrics(
    new_app: Callable[[], AppTest], db_path: Path
) -> None:
    demo_profile(db_path)
    add_a_week_by_hand(db_path)
    at = open_page(new_app, "views/weekly_review.py")
    weeks = at.selectbox(key="review_week")
    assert weeks.value == date(2026, 11, 23)
    assert weeks.options[0] == "Mon 23 Nov 2026 to Sun 29 Nov 2026 (this week)"
    assert_review_shown(at, expected_review(db_path, date(2026, 11, 23)))

    for week in (date(2026, 11, 16), date(2026, 10, 26), date(2026, 9, 28), HAND_WEEK):
        at.selectbox(key="review_week").set_value(week).run()
        assert not at.exception
        assert_review_shown(at, expected_review(db_path, week))

    # The week added by hand: 1 session of the demo's 5 a week; resting ratings 6 before it
    # on Tuesday and 3 on Thursday: (6 + 3) / 2 = 4.5; no week before. The 4 right after the
    # session is its short-term effect: 4 - 6 = -2.0.
    shown = metric_values(at)
    assert at.selectbox(key="review_week").options[-1] == "Mon 7 Sep 2026 to Sun 13 Sep 2026"
    assert (shown["Sessions"], shown["Average pain"], shown["Vs previous week"]) == (
        "1 of 5",
        "4.5",
        "–",
    )
    assert (shown["Best day"], shown["Worst day"]) == ("Thu 10 Sep: 3.0", "Tue 8 Sep: 6.0")
    assert shown["Right after sessions"] == "-2.0"


def test_weekly_check_in_is_saved_and_shown(new_app: Callable[[], AppTest], db_path: Path) -> None:
    demo_profile(db_path)
    at = open_page(new_app, "views/weekly_review.py")
    at.selectbox(key="review_week").set_value(date(2026, 11, 16)).run()

    # Too few activities: a clear error, nothing saved.
    at.text_input(key="psfs_activities_1").input("Putting on socks")
    at.button(key="psfs_activities_save").click().run()
    assert "Name 3 to 5 activities; you named 1." in [e.value for e in at.error]

    for position, name in enumerate(("Putting on socks", "Sitting an hour", "Walking"), 1):
        at.text_input(key=f"psfs_activities_{position}").input(name)
    at.button(key="psfs_activities_save").click().run()
    assert not at.exception
    assert "Your activities are saved." in callouts(at)

    at.radio(key="checkin_pgic_20261116").set_value(2)
    for position, score in ((1, 4), (2, 6), (3, 8)):
        at.pills(key=f"checkin_psfs_{position}_20261116").set_value(score)
    at.text_area(key="checkin_note_20261116").input("Sitting is easier.")
    at.button(key="checkin_save_20261116").click().run()
    assert not at.exception
    assert "Check-in saved." in callouts(at)

    review = expected_review(db_path, date(2026, 11, 16))
    assert (review.pgic, review.psfs_mean) == (2, 6.0)
    assert [(s.activity, s.score) for s in review.psfs] == [
        ("Putting on socks", 4),
        ("Sitting an hour", 6),
        ("Walking", 8),
    ]
    assert review.notes[-1].text == "Sitting is easier."
    assert_review_shown(at, review)
    assert at.radio(key="checkin_pgic_20261116").value == 2

    with Store.open(db_path) as store:
        saved = get_checkin(store, review_profile_id(store), date(2026, 11, 16))
    assert saved is not None and saved.pgic == 2 and sorted(s for _, s in saved.scores) == [4, 6, 8]

    at.switch_page("views/progress.py").run()
    assert not at.exception
    # Now with the PGIC and PSFS trends.
    assert charts_by_section(at) == {"Summary": 2, "Days and exercises": 3, "Check-ins": 2}
    open_progress_section(at, "Check-ins")
    # By hand: the week of 16 Nov answered 2 and rated 4, 6 and 8: PSFS (4 + 6 + 8) / 3 = 6.0.
    week = "2026-11-16"
    assert plotted(at, "Overall change (PGIC)") == [(week, 2.0)]
    assert plotted(at, "Putting on socks") == [(week, 4.0)]
    assert plotted(at, "Walking") == [(week, 8.0)]
    assert plotted(at, "PSFS score (mean)") == [(week, 6.0)]
    assert not [c.value for c in at.caption if "will appear here" in c.value]


def review_profile_id(store: Store) -> str:
    return store.list_profiles()[0].id


# --------------------------------------------------------------------------- tables


def _draw_tables() -> None:
    import pandas as pd

    from ui.dashboard import show_table

    show_table(pd.DataFrame({"Exercise": ["Bridge"], "Done %": [66.6], "Before": [None]}))
    show_table(pd.DataFrame({"Exercise": pd.Series([], dtype=str)}))


def test_a_table_is_one_html_element_and_an_empty_one_says_so() -> None:
    at = AppTest.from_function(_draw_tables).run()
    assert not at.exception
    assert len(at.html) == 1
    (table,) = tables_on(at)
    assert table.to_dict("records") == [{"Exercise": "Bridge", "Done %": "66.6", "Before": "–"}]
    assert [caption.value for caption in at.caption] == ["None in these dates."]
