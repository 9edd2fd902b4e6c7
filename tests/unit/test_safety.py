"""Warning signs in two tiers, reported and cleared over time, the first setup's answers still
read, severe pain today, and the cautions a person's answers bring up."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from core.db.answers import (
    SevereRating,
    care_first,
    clear_sign,
    open_signs,
    report_signs,
    reported_signs,
    set_pain_onset,
    severe_rating_today,
)
from core.db.migrations import MIGRATIONS, migrate
from core.db.store import Store
from core.domain import explain
from core.domain.catalog import default_catalog
from core.domain.cautions import below_article_dose, cautions_for, preset_below_dose
from core.domain.models import ProgrammeItem
from core.domain.safety import (
    SIGNS_BY_ID,
    TIER_ACTION,
    WARNING_SIGNS,
    is_severe,
    most_urgent,
    sign_for,
    signs_of,
)
from core.domain.validation import ValidationError
from tests import factories

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


# --------------------------------------------------------------------------- the two tiers


def test_two_tiers_with_the_full_lists_of_design_md() -> None:
    assert [sign.id for sign in signs_of("emergency")] == [
        "saddle_numbness",
        "bladder_bowel",
        "sexual_function",
        "both_legs",
        "leg_weakness",
        "trauma",
        "minor_trauma_fragile",
        "chest_pain",
    ]
    assert [sign.id for sign in signs_of("urgent")] == [
        "fever_unwell",
        "weight_loss",
        "cancer_history",
        "night_pain",
        "lump_or_shape",
        "unsteady_walking",
        "immune_or_injecting",
    ]
    assert len(SIGNS_BY_ID) == len(WARNING_SIGNS) == 15
    text = {sign.id: sign.text.lower() for sign in WARNING_SIGNS}
    assert "genitals, buttocks or inner thighs" in text["saddle_numbness"]
    assert "both legs" in text["both_legs"]
    assert "osteoporosis" in text["minor_trauma_fragile"]
    assert "steroids" in text["minor_trauma_fragile"]
    assert "night" in text["night_pain"] and "shape" in text["lump_or_shape"]
    assert TIER_ACTION == {
        "emergency": "Call your emergency number or go to an emergency department now",
        "urgent": "Get an urgent appointment with a doctor today",
    }


def test_the_first_setups_ids_still_read_and_unknown_ids_read_as_emergencies() -> None:
    first_setup = {
        "saddle_numbness": "emergency",
        "bladder_bowel": "emergency",
        "leg_weakness": "emergency",
        "trauma": "emergency",
        "fever_unwell": "urgent",
        "weight_loss": "urgent",
        "cancer_history": "urgent",
    }
    assert {flag: sign_for(flag).tier for flag in first_setup} == first_setup
    stranger = sign_for("from_a_newer_app")
    assert (stranger.tier, stranger.text) == (
        "emergency",
        "A warning sign you reported (from_a_newer_app)",
    )


def test_most_urgent_tier_and_the_severe_threshold() -> None:
    assert most_urgent(["urgent", "emergency", "urgent"]) == "emergency"
    assert most_urgent(["urgent"]) == "urgent"
    assert most_urgent([]) is None
    assert [is_severe(pain) for pain in (None, 0, 7, 8, 10)] == [False, False, False, True, True]


# --------------------------------------------------------------------------- reported signs


def test_a_sign_reported_later_is_stored_with_its_tier_and_time_and_cleared_alone(
    store: Store,
) -> None:
    ann = factories.profile(store, now=T0)
    assert care_first(store, ann) is None
    later = T0 + timedelta(days=10)
    assert report_signs(store, ann, ["night_pain", "both_legs"], now=later) == 2
    assert report_signs(store, ann, ["night_pain"], now=later + timedelta(hours=1)) == 0
    # Most urgent first: the emergency sign leads although both came at once.
    assert [(s.sign.id, s.tier, s.reported_at, s.cleared) for s in open_signs(store, ann)] == [
        ("both_legs", "emergency", later, False),
        ("night_pain", "urgent", later, False),
    ]
    assert care_first(store, ann) == "emergency"

    cleared_at = later + timedelta(days=1)
    clear_sign(store, ann, "both_legs", now=cleared_at)
    assert care_first(store, ann) == "urgent"
    assert sorted((s.sign.id, s.cleared, s.cleared_at) for s in reported_signs(store, ann)) == [
        ("both_legs", True, cleared_at),
        ("night_pain", False, None),
    ]
    clear_sign(store, ann, "night_pain", now=cleared_at)
    assert care_first(store, ann) is None
    # Reported again after it was cleared: a new report, open again.
    report_signs(store, ann, ["night_pain"], now=cleared_at + timedelta(days=3))
    assert [s.sign.id for s in open_signs(store, ann)] == ["night_pain"]


def test_reporting_nothing_or_an_unknown_sign_is_refused(store: Store) -> None:
    ann = factories.profile(store, now=T0)
    with pytest.raises(ValidationError, match="Tick the sign"):
        report_signs(store, ann, [])
    with pytest.raises(ValidationError, match="Unknown warning sign 'made_up'"):
        report_signs(store, ann, ["night_pain", "made_up"])
    assert reported_signs(store, ann) == []


def first_version_file(path: Path, red_flags: str, cleared: bool) -> str:
    """A database at schema version 1 holding one profile whose setup ticked ``red_flags``."""
    con = duckdb.connect(str(path))
    migrate(con, MIGRATIONS[:1])
    con.execute(
        "INSERT INTO profiles (id, name, time_zone, weekly_target, programme_start, "
        "recent_surgery, red_flags, red_flags_cleared, created_at, updated_at) "
        "VALUES ('old', 'Old', 'Europe/London', 5, DATE '2026-03-02', false, ?, ?, ?, ?)",
        [red_flags, cleared, T0, T0],
    )
    con.close()
    return "old"


def test_signs_ticked_at_the_first_setup_still_show_after_the_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "v1.duckdb"
    profile_id = first_version_file(path, "leg_weakness,fever_unwell", cleared=False)
    with Store.open(path) as store:
        old = store.get_profile(profile_id)
        signs = reported_signs(store, old)
        assert [(s.sign.id, s.tier, s.reported_at, s.from_first_setup) for s in signs] == [
            ("leg_weakness", "emergency", T0, True),
            ("fever_unwell", "urgent", T0, True),
        ]
        assert care_first(store, old) == "emergency"

        # Clearing one moves both into the table; the other stays open, with its first time.
        clear_sign(store, old, "leg_weakness", now=T0 + timedelta(days=5))
        old = store.get_profile(profile_id)
        assert old.red_flags == ()
        assert [(s.sign.id, s.reported_at, s.cleared) for s in open_signs(store, old)] == [
            ("fever_unwell", T0, False)
        ]
        assert care_first(store, old) == "urgent"


def test_signs_the_first_setup_cleared_stay_cleared(tmp_path: Path) -> None:
    path = tmp_path / "v1.duckdb"
    profile_id = first_version_file(path, "trauma", cleared=True)
    with Store.open(path) as store:
        old = store.get_profile(profile_id)
        assert [(s.sign.id, s.cleared) for s in reported_signs(store, old)] == [("trauma", True)]
        assert care_first(store, old) is None


# --------------------------------------------------------------------------- severe pain today


def test_the_latest_rating_of_the_day_decides_whether_severe_pain_leads(store: Store) -> None:
    ann = factories.profile(store, now=T0)
    day = date(2026, 3, 10)
    at = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    assert severe_rating_today(store, ann, day) is None
    factories.rating(store, ann, 9, at, "after")
    assert severe_rating_today(store, ann, day) == SevereRating(9, "after", at)
    assert severe_rating_today(store, ann, day + timedelta(days=1)) is None  # the next day
    factories.rating(store, ann, 5, at + timedelta(hours=3))  # a later check-in below 8
    assert severe_rating_today(store, ann, day) is None
    factories.rating(store, ann, 8, at + timedelta(hours=4), "exercise", exercise_id="bridge")
    assert severe_rating_today(store, ann, day) == SevereRating(
        8, "exercise", at + timedelta(hours=4)
    )


def test_severe_pain_today_is_the_local_day(store: Store) -> None:
    # 23:30 in New York on 9 Mar is 03:30 UTC on 10 Mar: it belongs to the 9th there.
    ny = factories.profile(store, time_zone="America/New_York", now=T0)
    factories.rating(store, ny, 8, datetime(2026, 3, 10, 3, 30, tzinfo=UTC))
    assert severe_rating_today(store, ny, date(2026, 3, 9)) is not None
    assert severe_rating_today(store, ny, date(2026, 3, 10)) is None


def test_the_onset_answer_can_be_changed_later(store: Store) -> None:
    ann = factories.profile(store, now=T0)
    updated = set_pain_onset(store, ann, "date", date(2026, 2, 1), today=date(2026, 3, 2))
    assert (updated.pain_onset, updated.pain_onset_date) == ("date", date(2026, 2, 1))
    assert set_pain_onset(store, updated, "unknown", None, today=date(2026, 3, 2)) == replace(
        updated, pain_onset="unknown", pain_onset_date=None
    )
    with pytest.raises(ValidationError, match="future"):
        set_pain_onset(store, ann, "date", date(2026, 3, 3), today=date(2026, 3, 2))


# --------------------------------------------------------------------------- cautions


def test_cautions_follow_the_exercise_and_the_answers(store: Store) -> None:
    catalog = default_catalog()
    nobody = factories.profile(store, now=T0)
    both = replace(nobody, pregnant=True, osteoporosis=True)
    surgery = replace(nobody, recent_surgery=True)

    def cautions(exercise_id: str, who: object) -> tuple[str, ...]:
        return cautions_for(catalog.get(exercise_id), who)  # type: ignore[arg-type]

    assert cautions("hamstring-stretch", nobody) == (explain.CAUTION_STANDING,)
    assert cautions("hamstring-stretch", both) == (
        explain.CAUTION_STANDING,
        explain.CAUTION_STANDING_FRAGILE,
    )
    assert cautions("knee-to-chest", nobody) == ()
    assert cautions("knee-to-chest", both) == (
        explain.CAUTION_LYING_BACK,
        explain.CAUTION_END_RANGE,
    )
    assert cautions("prone-bridge", both) == (explain.CAUTION_LYING_STOMACH,)
    assert cautions("side-bridge", both) == ()  # on the side: no lying caution
    assert cautions("childs-pose", both) == (explain.CAUTION_END_RANGE,)
    assert cautions("cat-cow", surgery) == (explain.CAUTION_ARCHES_PART,)
    assert cautions("cat-cow", nobody) == ()
    # Each says what to do instead.
    for text in (
        explain.CAUTION_LYING_BACK,
        explain.CAUTION_LYING_STOMACH,
        explain.CAUTION_END_RANGE,
        explain.CAUTION_ARCHES_PART,
    ):
        assert any(word in text for word in ("instead", "only", "Raise", "Go only")), text


def test_the_short_preset_says_where_it_is_below_the_articles_dose() -> None:
    catalog = default_catalog()
    assert preset_below_dose(catalog.presets["short"], catalog) == (
        "Side-to-side: 20 repetitions · alternating sides (the article: 25-30 repetitions, "
        "alternating)",
        "Figure 4: Hold 30 s · 2 times each side · rest 10 s (the article: hold 20-30 s, 3 "
        "times each side)",
        "Knee to chest: Hold 30 s · 2 times each side · rest 10 s (the article: hold 20-30 s, 3 "
        "times each side)",
        "Supine core: 10 repetitions (the article: 15-20 repetitions)",
    )
    assert preset_below_dose(catalog.presets["full"], catalog) == ()
    bridge = catalog.get("bridge")
    assert below_article_dose(ProgrammeItem("bridge", 15, 5), bridge) is None
    assert below_article_dose(ProgrammeItem("bridge", 14, 10), bridge) == (
        "Bridge: Hold 10 s · 14 times · rest 3 s (the article: hold 5-10 s, 15-20 repetitions; "
        "harder with arms crossed)"
    )
