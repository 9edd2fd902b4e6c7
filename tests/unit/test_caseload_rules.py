"""The caseload's attention rules and their order, on hand-built rows (core.progress.caseload)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from core.progress.caseload import (
    CaseloadRow,
    Reason,
    attention_order,
    caseload_table,
    matching,
    reasons_for,
)

TODAY = date(2026, 12, 2)
NAMES = {"side-bridge": "Side bridge", "bird-dog": "Bird dog"}
#: Someone doing well: programme week 5, exercised yesterday, on target, pain down.
WELL = CaseloadRow(
    profile_id="p-well",
    name="Wes",
    today=TODAY,
    programme_week=5,
    last_session=date(2026, 12, 1),
    sessions_this_week=2,
    target_this_week=3,
    sessions_4_weeks=12,
    target_4_weeks=12,
    dose_pct=95.0,
    pain_mean=3.0,
    pain_baseline=6.0,
    change="meaningful",
    programme_start=date(2026, 10, 28),
)


def words(row: CaseloadRow) -> list[str]:
    return [reason.words for reason in reasons_for(row, NAMES)]


def test_someone_doing_well_needs_no_attention() -> None:
    assert reasons_for(WELL, NAMES) == ()


def test_no_session_counts_days_from_the_last_session_and_starts_at_seven() -> None:
    # 2 Dec - 23 Nov = 9 days; 2 Dec - 26 Nov = 6 days (under 7: no reason).
    assert words(replace(WELL, last_session=date(2026, 11, 23))) == ["no session for 9 days"]
    assert words(replace(WELL, last_session=date(2026, 11, 25))) == ["no session for 7 days"]
    assert words(replace(WELL, last_session=date(2026, 11, 26))) == []


def test_no_session_yet_counts_from_the_programme_start_and_not_before_it() -> None:
    never = replace(WELL, last_session=None, programme_start=date(2026, 11, 20))
    # 2 Dec - 20 Nov = 12 days into the programme.
    assert words(never) == ["no session yet, 12 days into the programme"]
    not_started = replace(never, programme_week=0, programme_start=date(2026, 12, 7))
    assert words(not_started) == []


def test_pain_up_two_points_or_more_since_baseline() -> None:
    # 6.0 - 4.0 = 2 points up: the threshold itself; 6.4 - 4.0 = 2.4; 5.9 - 4.0 = 1.9: no.
    assert words(replace(WELL, pain_mean=6.0, pain_baseline=4.0, change="not_yet")) == [
        "pain up 2 points since baseline"
    ]
    assert words(replace(WELL, pain_mean=6.4, pain_baseline=4.0)) == [
        "pain up 2.4 points since baseline"
    ]
    assert words(replace(WELL, pain_mean=5.9, pain_baseline=4.0)) == []
    assert words(replace(WELL, pain_mean=None, pain_baseline=4.0)) == []


def test_an_exercise_stopped_twice_in_a_row_or_flagged() -> None:
    stopped = replace(WELL, pain_stops={"side-bridge": 2, "bird-dog": 1}, flagged=("side-bridge",))
    assert words(stopped) == ["stopped side bridge twice"]
    flagged_only = replace(WELL, flagged=("bird-dog",))
    assert words(flagged_only) == ["bird dog flagged to discuss"]
    three = replace(WELL, pain_stops={"side-bridge": 3})
    assert words(three) == ["stopped side bridge 3 times"]


def test_behind_target_is_under_half_of_four_weeks() -> None:
    # 5 of 12 < 6 (half): behind; 6 of 12 is not.
    assert words(replace(WELL, sessions_4_weeks=5)) == ["5 of 12 sessions in the last 4 weeks"]
    assert words(replace(WELL, sessions_4_weeks=6)) == []
    assert words(replace(WELL, sessions_4_weeks=0, target_4_weeks=0)) == []


def test_a_warning_sign_names_its_tier() -> None:
    assert words(replace(WELL, warning="emergency")) == ["emergency warning sign"]
    assert words(replace(WELL, warning="urgent")) == ["urgent warning sign"]


def test_reasons_come_most_serious_first() -> None:
    everything = replace(
        WELL,
        warning="urgent",
        pain_mean=8.5,
        pain_baseline=6.0,
        pain_stops={"bird-dog": 2},
        last_session=date(2026, 11, 20),
        sessions_4_weeks=2,
    )
    assert reasons_for(everything, NAMES) == (
        Reason("warning_sign", "urgent warning sign", 1.0),
        Reason("pain_up", "pain up 2.5 points since baseline", 2.5),
        Reason("exercise", "stopped bird dog twice", 2.0),
        Reason("no_session", "no session for 12 days", 12.0),
        # 1 - 2/12 = 0.8333...
        Reason("behind_target", "2 of 12 sessions in the last 4 weeks", 1 - 2 / 12),
    )


def test_who_needs_attention_first() -> None:
    rows = [
        replace(WELL, profile_id="a", name="Ada"),  # fine
        replace(WELL, profile_id="b", name="Bo", last_session=date(2026, 11, 22)),  # 10 days
        replace(WELL, profile_id="c", name="Cy", last_session=date(2026, 11, 18)),  # 14 days
        replace(WELL, profile_id="d", name="Di", warning="urgent"),
        replace(WELL, profile_id="e", name="Ed", warning="emergency"),
        replace(WELL, profile_id="f", name="Fi", pain_mean=8.0, pain_baseline=5.0),
        replace(  # pain up as well as no session: two reasons before one
            WELL,
            profile_id="g",
            name="Gus",
            pain_mean=7.0,
            pain_baseline=5.0,
            last_session=date(2026, 11, 22),
        ),
        replace(WELL, profile_id="h", name="Hal", hidden=True),
        replace(WELL, profile_id="i", name="al"),  # fine; names sort without case
    ]
    order = [entry.row.name for entry in attention_order(rows, NAMES)]
    # Emergency, urgent; pain up with two reasons, then pain up by 3 alone; no session for
    # 14 days, then 10; then everyone fine by name (case ignored); a hidden row last.
    assert order == ["Ed", "Di", "Gus", "Fi", "Cy", "Bo", "Ada", "al", "Hal"]


def test_filters_keep_rows_with_any_chosen_reason() -> None:
    rows = [
        replace(WELL, profile_id="a", name="Ada"),
        replace(WELL, profile_id="b", name="Bo", last_session=date(2026, 11, 22)),
        replace(WELL, profile_id="d", name="Di", warning="urgent"),
    ]
    entries = attention_order(rows, NAMES)
    assert [e.row.name for e in matching(entries, ["no_session"])] == ["Bo"]
    assert [e.row.name for e in matching(entries, ["no_session", "warning_sign"])] == ["Di", "Bo"]
    assert [e.row.name for e in matching(entries, [])] == ["Di", "Bo", "Ada"]


def test_the_table_says_each_figure_and_hides_a_locked_one() -> None:
    entries = attention_order(
        [
            replace(WELL, flagged=("side-bridge",), last_updated=date(2026, 12, 1)),
            replace(WELL, profile_id="h", name="Hal", hidden=True),
        ],
        NAMES,
    )
    table = caseload_table(entries, NAMES)
    assert table.iloc[0].to_dict() == {
        "Person": "Wes",
        "Needs attention": "side bridge flagged to discuss",
        "Last session": "Tue 1 Dec 2026",
        "This week": "2 of 3",
        "Last 4 weeks": "12 of 12",
        "Dose done": "95%",
        "Pain, 7-day mean": "3.0 (baseline 6.0)",
        "Change": "meaningful improvement",
        "Programme week": "5",
        "Exercises flagged": "Side bridge",
        "Warning sign": "–",
        "Records updated": "Tue 1 Dec 2026",
    }
    hidden = table.iloc[1].to_dict()
    assert (hidden["Person"], hidden["Needs attention"]) == ("Hal", "PIN: unlock to see")
    assert {value for key, value in hidden.items() if key not in ("Person", "Needs attention")} == {
        ""
    }
