"""Today: a warning sign reported from the page, severe pain leading with what to do, and the
next step that ends the page."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.db.answers import open_signs
from core.db.store import Store
from core.domain import explain
from core.domain.safety import TIER_ACTION
from core.progress.six_week import six_week_status
from tests import factories
from tests.app.conftest import NOW, TODAY, assert_both_tiers_listed, errors, page_links, titles
from tests.conftest import make_profile, short_preset_items

pytestmark = pytest.mark.usefixtures("fixed_clock")


def today_page(new_app) -> AppTest:
    at = new_app()
    at.switch_page("views/today.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def profile_id(db_path: Path) -> str:
    return make_profile(
        db_path, programme=short_preset_items(), programme_start=TODAY - timedelta(weeks=3)
    ).id


def element_order(at: AppTest) -> list[str]:
    """The main body's elements in order, as "error", "button:<key>" and the like."""
    order = []
    for node in at.main:
        kind = node.type
        order.append(f"{kind}:{node.key}" if kind == "button" else kind)
    return order


def test_a_warning_sign_reported_from_today_puts_care_first(
    new_app, db_path: Path, profile_id: str
) -> None:
    at = today_page(new_app)
    assert not at.error
    at.checkbox(key="today_signs_saddle_numbness").check()
    at.checkbox(key="today_signs_night_pain").check()
    at.button(key="today_signs_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]

    with Store.open(db_path) as store:
        profile = store.get_profile(profile_id)
        signs = [(s.sign.id, s.tier, s.reported_at) for s in open_signs(store, profile)]
    assert [(sign, tier) for sign, tier, _ in signs] == [
        ("saddle_numbness", "emergency"),
        ("night_pain", "urgent"),
    ]
    # Care first: the emergency action leads, each sign under the action it asks for.
    assert errors(at) == [f"**{TIER_ACTION['emergency']}.** {explain.CARE_FIRST}"]
    texts = [md.value for md in at.markdown]
    assert texts[texts.index(f"**{TIER_ACTION['urgent']}:**") + 1].startswith(
        "- Pain that does not ease when you rest, or is much worse at night (reported "
    )
    assert not at.button and page_links(at) == ["settings"]


def test_reporting_with_nothing_ticked_says_so(new_app, profile_id: str) -> None:
    at = today_page(new_app)
    at.button(key="today_signs_submit").click().run()
    assert errors(at) == ["Tick the sign or signs you have first."]


def test_today_after_a_severe_rating_leads_with_what_to_do(
    new_app, db_path: Path, profile_id: str
) -> None:
    at = today_page(new_app)
    assert at.button(key="today_start").proto.type == "primary"
    at.radio(key="checkin_pain").set_value(9)
    at.button(key="checkin_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]

    assert errors(at) == [f"**You rated your pain 9.** {explain.SEVERE_PAIN}"]
    assert_both_tiers_listed(at)
    order = element_order(at)
    assert order.index("error") < order.index("button:today_start")
    assert at.button(key="today_start").proto.type == "secondary"
    assert "Leave the session until the pain has eased below 8." in [c.value for c in at.caption]
    # Stay-active advice, never advice to rest.
    advice = " ".join([*errors(at), *(i.value for i in at.info)])
    assert not re.search(r"\brest\b", advice, re.IGNORECASE)
    assert at.markdown.values[-1] == f"**Next step:** {explain.AFTER_SEVERE_PAIN}"

    # A later rating below 8 the same day: the programme leads again.
    with Store.open(db_path) as store:
        factories.rating(store, store.get_profile(profile_id), 5, NOW + timedelta(minutes=5))
    at.run()
    assert not at.error
    assert at.button(key="today_start").proto.type == "primary"


def test_a_severe_rating_after_a_session_earlier_today_leads_too(
    new_app, db_path: Path, profile_id: str
) -> None:
    with Store.open(db_path) as store:
        profile = store.get_profile(profile_id)
        factories.rating(store, profile, 8, NOW - timedelta(hours=2), "after")
    at = today_page(new_app)
    assert errors(at) == [f"**You rated your pain 8.** {explain.SEVERE_PAIN}"]


def test_today_ends_with_the_next_step_of_the_status(
    new_app, db_path: Path, profile_id: str
) -> None:
    with Store.open(db_path) as store:
        profile = store.get_profile(profile_id)
        factories.rating(store, profile, 6, NOW - timedelta(weeks=3))  # programme week 1
        factories.rating(store, profile, 5, NOW - timedelta(days=1))
        status = six_week_status(store, profile, TODAY)
    at = today_page(new_app)
    assert titles(at) == ["Hello, Ann"]
    assert status.change == "not_yet"
    assert at.markdown.values[-1] == f"**Next step:** {status.next_step}"
    assert status.next_step.startswith("Keep going. If you are not better by ")
    # The status names the sources of its numbers beside it.
    assert f"{status.line}. {explain.THRESHOLD_SOURCES}" in [c.value for c in at.caption]


def test_today_says_done_for_today_once_the_days_session_is_in(
    new_app, db_path: Path, profile_id: str
) -> None:
    at = today_page(new_app)
    assert not at.success
    assert at.button(key="today_start").label == "Start today's session"

    with Store.open(db_path) as store:
        profile = store.get_profile(profile_id)
        factories.session(store, profile, NOW - timedelta(hours=2), [("bridge", "none", "done")])
    at = today_page(new_app)
    # One session this week (Monday 23 to today, Tuesday 24 November) of the default 5.
    assert [s.value for s in at.success] == [
        "Done for today. 4 more this week reaches your target of 5; your next session can "
        "be tomorrow."
    ]
    start = at.button(key="today_start")
    assert (start.label, start.proto.type) == ("Start another session", "secondary")
