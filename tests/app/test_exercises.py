"""The programme builder on the Exercises page: presets, doses, order, save and discard."""

from __future__ import annotations

from pathlib import Path

from core.db.store import Store
from core.domain import explain
from core.domain.models import ProgrammeItem
from tests.app.conftest import errors, titles
from tests.conftest import make_profile, short_preset_items


def saved_programme(path: Path, profile_id: str) -> list[ProgrammeItem]:
    with Store.open(path) as store:
        return store.get_programme(profile_id)


def dose_keys(at) -> list[str]:
    """The exercise ids of the draft on screen, in order (one reps input per item)."""
    return [
        n.key.removeprefix("dose_reps_") for n in at.number_input if n.key.startswith("dose_reps_")
    ]


def open_exercises(new_app):
    at = new_app()
    at.switch_page("views/exercises.py").run()
    assert titles(at) == ["Exercises"]
    return at


def assert_clean(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, errors(at)


def item(exercise_id: str, reps: int, hold_s: int) -> ProgrammeItem:
    return ProgrammeItem(exercise_id=exercise_id, reps=reps, hold_s=hold_s)


def test_preset_edit_save_and_discard(new_app, db_path: Path) -> None:
    profile = make_profile(db_path)
    at = open_exercises(new_app)
    assert_clean(at)
    assert at.button(key="save_programme").disabled, "nothing to save yet"

    # Choose the short preset, use it, save it.
    at.selectbox(key="preset_choice").set_value("short").run()
    at.button(key="use_preset").click().run()
    assert_clean(at)
    assert not at.button(key="save_programme").disabled
    at.button(key="save_programme").click().run()
    assert_clean(at)
    assert saved_programme(db_path, profile.id) == short_preset_items()
    assert dose_keys(at) == [entry.exercise_id for entry in short_preset_items()]
    assert at.button(key="save_programme").disabled, "saved: nothing left to save"

    # Change a dose, move knee-to-chest up above figure-4, remove cat-cow, save.
    at.number_input(key="dose_reps_figure-4").set_value(3).run()
    assert_clean(at)
    at.button(key="up_knee-to-chest").click().run()
    assert_clean(at)
    at.button(key="remove_cat-cow").click().run()
    assert_clean(at)
    # The dose widget kept its value across the move and the removal.
    assert at.number_input(key="dose_reps_figure-4").value == 3
    at.button(key="save_programme").click().run()
    assert_clean(at)
    edited = [
        item("side-to-side", 20, 0),
        item("knee-to-chest", 2, 30),
        item("figure-4", 3, 30),
        item("childs-pose", 1, 60),
        item("supine-core", 10, 0),
    ]
    assert saved_programme(db_path, profile.id) == edited

    # Unsaved changes, then Discard: the saved programme comes back, widgets included.
    at.number_input(key="dose_hold_childs-pose").set_value(90).run()
    at.button(key="down_side-to-side").click().run()
    at.selectbox(key="add_choice").set_value("bridge").run()
    at.button(key="add_exercise").click().run()
    assert_clean(at)
    assert not at.button(key="discard_programme").disabled
    at.button(key="discard_programme").click().run()
    assert_clean(at)
    assert at.button(key="discard_programme").disabled
    assert at.button(key="save_programme").disabled
    assert at.number_input(key="dose_hold_childs-pose").value == 60
    assert dose_keys(at) == [entry.exercise_id for entry in edited]
    assert saved_programme(db_path, profile.id) == edited

    # A fresh browser session shows the saved programme, in its order.
    fresh = open_exercises(new_app)
    assert dose_keys(fresh) == [entry.exercise_id for entry in edited]
    assert fresh.number_input(key="dose_reps_figure-4").value == 3


def test_add_and_save_single_exercises(new_app, db_path: Path) -> None:
    profile = make_profile(db_path)
    at = open_exercises(new_app)
    at.selectbox(key="add_choice").set_value("bridge").run()
    at.button(key="add_exercise").click().run()
    at.selectbox(key="add_choice").set_value("bird-dog").run()
    at.button(key="add_exercise").click().run()
    assert_clean(at)
    # The options are shown as "<number>. <name>": exercises in the draft are not offered.
    offered = at.selectbox(key="add_choice").options
    assert "14. Bridge" not in offered
    assert "16. Bird dog" not in offered
    assert len(offered) == 15
    at.button(key="up_bird-dog").click().run()
    at.button(key="save_programme").click().run()
    assert_clean(at)
    assert saved_programme(db_path, profile.id) == [
        item("bird-dog", 15, 10),
        item("bridge", 15, 5),
    ]


def test_recent_surgery_never_offers_back_arching_exercises(new_app, db_path: Path) -> None:
    make_profile(db_path, recent_surgery=True)
    at = open_exercises(new_app)
    assert_clean(at)
    # The whole programme follows the surgical team's plan; arching exercises are left out.
    assert [w.value for w in at.warning] == [explain.SURGERY]

    def offered() -> list[str]:
        return list(at.selectbox(key="add_choice").options)

    assert len(offered()) == 15
    assert not any("Press ups" in option or "Prone cobras" in option for option in offered())

    # The strength preset lists both; using it must leave them out as well.
    at.selectbox(key="preset_choice").set_value("strength").run()
    at.button(key="use_preset").click().run()
    assert_clean(at)
    assert dose_keys(at) == [
        "supine-core",
        "supine-core-leg-draw",
        "bridge",
        "side-bridge",
        "bird-dog",
        "prone-bridge",
    ]
    assert not any("Press ups" in option or "Prone cobras" in option for option in offered())


def test_no_surgery_offers_every_exercise(new_app, db_path: Path) -> None:
    make_profile(db_path, recent_surgery=False)
    at = open_exercises(new_app)
    assert len(at.selectbox(key="add_choice").options) == 17
    assert not any("lower-back surgery recently" in info.value for info in at.info)


def test_the_short_preset_says_where_it_is_below_the_articles_dose(new_app, db_path: Path) -> None:
    make_profile(db_path)
    at = open_exercises(new_app)
    at.selectbox(key="preset_choice").set_value("short").run()
    note = next(c.value for c in at.caption if c.value.startswith("Below the source article"))
    for part in (
        "Side-to-side: 20 repetitions · alternating sides (the article: 25-30 repetitions",
        "Supine core: 10 repetitions (the article: 15-20 repetitions)",
        explain.SHORT_SESSIONS,
    ):
        assert part in note
    assert "Cat and cow" not in note  # at the article's dose
    at.selectbox(key="preset_choice").set_value("full").run()
    assert not [c for c in at.caption if c.value.startswith("Below the source article")]


def test_answers_bring_up_cautions_that_say_what_to_do_instead(new_app, db_path: Path) -> None:
    profile = make_profile(db_path, programme=[item("knee-to-chest", 3, 30)])
    with Store.open(db_path) as store:
        store.update_profile(profile.id, pregnant=True, osteoporosis=True)
    at = open_exercises(new_app)
    assert_clean(at)
    # On the programme's own item, and in the exercise's card.
    captions = [c.value for c in at.caption]
    markdown = [m.value for m in at.markdown]
    for caution in (explain.CAUTION_LYING_BACK, explain.CAUTION_END_RANGE):
        assert f":orange[:material/warning:] {caution}" in captions
        assert f":orange[:material/warning:] {caution}" in markdown
    assert f":orange[:material/warning:] {explain.CAUTION_STANDING_FRAGILE}" in markdown
    assert f":orange[:material/warning:] {explain.CAUTION_LYING_STOMACH}" in markdown
    assert explain.LEG_PAIN in captions


def test_recent_surgery_marks_cat_and_cow(new_app, db_path: Path) -> None:
    make_profile(db_path, recent_surgery=True, programme=[item("cat-cow", 15, 0)])
    at = open_exercises(new_app)
    assert f":orange[:material/warning:] {explain.CAUTION_ARCHES_PART}" in [
        c.value for c in at.caption
    ]
