"""The exercise catalogue: the shipped file, its validation, and the programme helpers."""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from core.domain.catalog import (
    DEFAULT_CATALOG_PATH,
    Catalog,
    CatalogError,
    Preset,
    clamp_item,
    default_catalog,
    exercise_for,
    load_catalog,
    parse_catalog,
    programme_item,
)
from core.domain.models import ProgrammeItem
from core.domain.programme import (
    eligible_exercises,
    estimate_duration_s,
    excluded_for_surgery,
    filter_programme,
)

# (id, number, group, reps, hold_s, sides, reps_max, hold_max_s), derived from the seed
# README's dosage table: default reps = the article's low end, stretch holds = 30 s,
# strength holds = the article's lower figure; maxima = the article's maxima, except
# child's pose 120 s, side bridge 60 s, prone bridge 90 s.
EXPECTED_ROWS = [
    ("hip-flexor-stretch", 1, "flexibility", 3, 30, "both", 3, 30),
    ("hip-adductor-stretch", 2, "flexibility", 3, 30, "both", 3, 30),
    ("hamstring-stretch", 3, "flexibility", 3, 30, "both", 3, 30),
    ("glute-stretch", 4, "flexibility", 3, 30, "both", 3, 30),
    ("cat-cow", 5, "flexibility", 15, 0, "none", 20, 0),
    ("side-to-side", 6, "flexibility", 25, 0, "alternating", 30, 0),
    ("figure-4", 7, "flexibility", 3, 30, "both", 3, 30),
    ("knee-to-chest", 8, "flexibility", 3, 30, "both", 3, 30),
    ("childs-pose", 9, "flexibility", 1, 30, "none", 1, 120),
    ("supine-core", 10, "strength", 15, 0, "none", 20, 0),
    ("supine-core-leg-draw", 11, "strength", 15, 0, "both", 20, 0),
    ("press-ups", 12, "strength", 15, 5, "none", 20, 5),
    ("prone-cobras", 13, "strength", 10, 3, "none", 15, 5),
    ("bridge", 14, "strength", 15, 5, "none", 20, 10),
    ("side-bridge", 15, "strength", 10, 15, "both", 15, 60),
    ("bird-dog", 16, "strength", 15, 10, "alternating", 20, 15),
    ("prone-bridge", 17, "strength", 1, 15, "none", 1, 90),
]

ARTICLE_DOSAGE = {
    1: "hold 30 s, 3 times each side",
    2: "hold 20-30 s, 3 times each side",
    5: "15-20 slow repetitions with breathing",
    6: "25-30 repetitions, alternating",
    9: "hold 30 s, or as long as it relieves",
    11: "15-20 repetitions each leg",
    14: "hold 5-10 s, 15-20 repetitions; harder with arms crossed",
    15: "hold 15 s (longer as comfortable), 10-15 times each side",
    16: "hold 10-15 s, 15-20 repetitions, alternating sides",
    17: "hold 15 s, progressing up to 90 s",
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def _raw_data() -> dict[str, Any]:
    with DEFAULT_CATALOG_PATH.open("rb") as handle:
        return tomllib.load(handle)


@pytest.fixture
def raw(_raw_data: dict[str, Any]) -> dict[str, Any]:
    """A fresh, mutable copy of the shipped catalogue data."""
    return copy.deepcopy(_raw_data)


def _exercise(raw: dict[str, Any], exercise_id: str) -> dict[str, Any]:
    return next(entry for entry in raw["exercises"] if entry["id"] == exercise_id)


# ------------------------------------------------------------------------ shipped file


def test_all_17_load_in_article_order(catalog: Catalog) -> None:
    assert len(catalog) == 17
    assert [exercise.number for exercise in catalog] == list(range(1, 18))
    assert tuple(exercise.id for exercise in catalog) == tuple(row[0] for row in EXPECTED_ROWS)


def test_ids_are_unique(catalog: Catalog) -> None:
    assert (
        len(set(tuple(exercise.id for exercise in catalog)))
        == len(tuple(exercise.id for exercise in catalog))
        == 17
    )


@pytest.mark.parametrize("row", EXPECTED_ROWS, ids=[row[0] for row in EXPECTED_ROWS])
def test_exercise_row_matches_article(catalog: Catalog, row: tuple[Any, ...]) -> None:
    exercise = catalog.get(row[0])
    actual = (
        exercise.id,
        exercise.number,
        exercise.group,
        exercise.dosage.reps,
        exercise.dosage.hold_s,
        exercise.dosage.sides,
        exercise.bounds.reps_max,
        exercise.bounds.hold_max_s,
    )
    assert actual == row


@pytest.mark.parametrize(("number", "text"), sorted(ARTICLE_DOSAGE.items()))
def test_article_dosage_text(catalog: Catalog, number: int, text: str) -> None:
    assert catalog.exercises[number - 1].article_dosage == text


def test_only_cat_cow_is_paced(catalog: Catalog) -> None:
    paced = {exercise.id: exercise.dosage.pace_s for exercise in catalog if exercise.dosage.pace_s}
    assert paced == {"cat-cow": 6}


def test_defaults_sit_inside_bounds_and_rep_exercises_cannot_hold(
    catalog: Catalog,
) -> None:
    for exercise in catalog:
        bounds, dosage = exercise.bounds, exercise.dosage
        assert bounds.reps_min == 1, exercise.id
        assert bounds.reps_min <= dosage.reps <= bounds.reps_max, exercise.id
        assert bounds.hold_min_s <= dosage.hold_s <= bounds.hold_max_s, exercise.id
        if dosage.hold_s == 0:
            assert (bounds.hold_min_s, bounds.hold_max_s) == (0, 0), exercise.id
            assert dosage.rest_s == 0, exercise.id


def test_arching_exercises_are_exactly_press_ups_and_cobras(catalog: Catalog) -> None:
    arching = [exercise.id for exercise in catalog if exercise.arches_back]
    assert arching == ["press-ups", "prone-cobras"]
    assert [exercise.number for exercise in excluded_for_surgery(catalog)] == [12, 13]
    # Cat and cow arches the back in its cow half: marked, not left out.
    assert [exercise.id for exercise in catalog if exercise.arches_back_partly] == ["cat-cow"]


#: What each exercise asks of the body, read from the steps: (lying, end-range bending or
#: twisting, standing). Cat and cow rounds the spine fully in its cat half; knee to chest,
#: child's pose and side-to-side are DESIGN.md's own examples for osteoporosis.
BODY = {
    "hip-flexor-stretch": ("no", False, False),
    "hip-adductor-stretch": ("no", False, True),
    "hamstring-stretch": ("no", False, True),
    "glute-stretch": ("no", False, True),
    "cat-cow": ("no", True, False),
    "side-to-side": ("back", True, False),
    "figure-4": ("back", False, False),
    "knee-to-chest": ("back", True, False),
    "childs-pose": ("no", True, False),
    "supine-core": ("back", False, False),
    "supine-core-leg-draw": ("back", False, False),
    "press-ups": ("stomach", False, False),
    "prone-cobras": ("stomach", False, False),
    "bridge": ("back", False, False),
    "side-bridge": ("side", False, False),
    "bird-dog": ("no", False, False),
    "prone-bridge": ("stomach", False, False),
}


def test_what_each_exercise_asks_of_the_body(catalog: Catalog) -> None:
    assert {e.id: (e.lying, e.end_range_bend_or_twist, e.standing) for e in catalog} == BODY
    for exercise in catalog:
        lies = exercise.position.startswith("Lying on your")
        assert (exercise.lying != "no") == lies, exercise.id
        assert exercise.standing == (exercise.position == "Standing"), exercise.id


def test_body_fields_are_checked(raw: dict[str, Any]) -> None:
    _exercise(raw, "bridge")["lying"] = "upside down"
    assert "lying must be one of back, stomach, side, no" in _error(raw)
    _exercise(raw, "bridge")["lying"] = "back"
    _exercise(raw, "bridge")["standing"] = True
    assert "'bridge' (#14): standing must be false for an exercise done lying" in _error(raw)
    _exercise(raw, "bridge")["standing"] = False
    _exercise(raw, "press-ups")["arches_back_partly"] = True
    assert "'press-ups' (#12): arches_back_partly must be false" in _error(raw)


def test_standing_stretches_use_a_table_or_chair(catalog: Catalog) -> None:
    for exercise in catalog:
        if exercise.number in (2, 3, 4):
            assert exercise.equipment == ("table", "chair")
            assert exercise.position == "Standing"
        else:
            assert exercise.equipment == ("mat",), exercise.id


def test_steps_are_short_lists(catalog: Catalog) -> None:
    for exercise in catalog:
        assert 3 <= len(exercise.steps) <= 6, exercise.id
        assert all(len(step) <= 90 for step in exercise.steps), exercise.id


def test_cautions(catalog: Catalog) -> None:
    for exercise in catalog:
        text = " ".join(exercise.cautions).lower()
        assert "stop if it hurts" in text and "pain is not" in text, exercise.id
        assert ("belly button in" in text) == (exercise.number >= 10), exercise.id
        assert ("surgery" in text) == (exercise.number in (5, 12, 13)), exercise.id


def test_get_by_group_contains(catalog: Catalog) -> None:
    assert catalog.get("bridge").number == 14
    with pytest.raises(KeyError, match="no-such-thing"):
        catalog.get("no-such-thing")
    assert [e.number for e in catalog.by_group("flexibility")] == list(range(1, 10))
    assert [e.number for e in catalog.by_group("strength")] == list(range(10, 18))
    with pytest.raises(ValueError, match="unknown group"):
        catalog.by_group("cardio")  # type: ignore[arg-type]
    assert "cat-cow" in catalog
    assert "cow-cat" not in catalog
    assert 5 not in catalog


def test_default_catalog_is_cached_and_equal_to_a_fresh_load(catalog: Catalog) -> None:
    assert default_catalog() is default_catalog()
    assert default_catalog() == catalog


# -------------------------------------------------------------------------- validation


def _error(data: dict[str, Any]) -> str:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(data)
    return str(caught.value)


def test_hold_minus_five_message(raw: dict[str, Any]) -> None:
    _exercise(raw, "bridge")["dosage"]["hold_s"] = -5
    assert _error(raw) == "exercise 'bridge' (#14): dosage.hold_s must be 0 or more, got -5"


def test_missing_field(raw: dict[str, Any]) -> None:
    del _exercise(raw, "figure-4")["summary"]
    message = _error(raw)
    assert "'figure-4'" in message and "missing field 'summary'" in message


def test_missing_nested_field(raw: dict[str, Any]) -> None:
    del _exercise(raw, "bird-dog")["dosage"]["rest_s"]
    message = _error(raw)
    assert "'bird-dog'" in message and "missing field 'dosage.rest_s'" in message


def test_missing_id_names_the_entry(raw: dict[str, Any]) -> None:
    del raw["exercises"][2]["id"]
    message = _error(raw)
    assert "entry 3 in the file" in message and "missing field 'id'" in message


def test_wrong_type(raw: dict[str, Any]) -> None:
    _exercise(raw, "cat-cow")["dosage"]["reps"] = "15"
    message = _error(raw)
    assert "'cat-cow'" in message and "dosage.reps must be a whole number" in message


def test_boolean_is_not_a_number(raw: dict[str, Any]) -> None:
    _exercise(raw, "cat-cow")["number"] = True
    message = _error(raw)
    assert "'cat-cow'" in message and "number must be a whole number" in message


def test_duplicate_id(raw: dict[str, Any]) -> None:
    _exercise(raw, "side-bridge")["id"] = "bridge"
    message = _error(raw)
    assert "'bridge' (#15)" in message and "id 'bridge' is already used" in message


def test_duplicate_number(raw: dict[str, Any]) -> None:
    _exercise(raw, "side-bridge")["number"] = 14
    message = _error(raw)
    assert "'side-bridge' (#14)" in message and "number 14 is already used" in message


def test_numbers_must_run_one_to_n(raw: dict[str, Any]) -> None:
    _exercise(raw, "prone-bridge")["number"] = 18
    message = _error(raw)
    assert "'prone-bridge'" in message and "number must run from 1 to 17" in message


def test_unknown_group(raw: dict[str, Any]) -> None:
    _exercise(raw, "bridge")["group"] = "cardio"
    message = _error(raw)
    assert "'bridge'" in message and "group must be one of" in message and "'cardio'" in message


def test_unknown_side(raw: dict[str, Any]) -> None:
    _exercise(raw, "figure-4")["dosage"]["sides"] = "sideways"
    message = _error(raw)
    assert "'figure-4' (#7)" in message
    assert "dosage.sides must be one of both, alternating, none" in message
    assert "'sideways'" in message


def test_unknown_equipment(raw: dict[str, Any]) -> None:
    _exercise(raw, "bridge")["equipment"] = ["mat", "ball"]
    message = _error(raw)
    assert "'bridge'" in message and "equipment[2] must be one of" in message
    assert "'ball'" in message


def test_reps_zero(raw: dict[str, Any]) -> None:
    _exercise(raw, "bridge")["dosage"]["reps"] = 0
    message = _error(raw)
    assert "'bridge'" in message and "dosage.reps must be 1 or more, got 0" in message


@pytest.mark.parametrize("name", ["rest_s", "pace_s"])
def test_negative_rest_or_pace(raw: dict[str, Any], name: str) -> None:
    _exercise(raw, "cat-cow")["dosage"][name] = -1
    message = _error(raw)
    assert "'cat-cow'" in message and f"dosage.{name} must be 0 or more, got -1" in message


def test_default_outside_bounds(raw: dict[str, Any]) -> None:
    _exercise(raw, "bridge")["dosage"]["reps"] = 25
    message = _error(raw)
    assert "'bridge'" in message and "dosage.reps must be between" in message
    assert "got 25" in message


def test_bounds_min_above_max(raw: dict[str, Any]) -> None:
    _exercise(raw, "bridge")["bounds"]["hold_min_s"] = 12
    message = _error(raw)
    assert "'bridge'" in message and "bounds.hold_min_s (12) must not exceed" in message


def test_empty_steps(raw: dict[str, Any]) -> None:
    _exercise(raw, "childs-pose")["steps"] = []
    message = _error(raw)
    assert "'childs-pose'" in message and "steps must not be empty" in message


def test_unknown_field_is_rejected(raw: dict[str, Any]) -> None:
    _exercise(raw, "bridge")["dosage"]["hold"] = 5
    message = _error(raw)
    assert "'bridge'" in message and "unknown field 'dosage.hold'" in message


def test_preset_naming_unknown_exercise(raw: dict[str, Any]) -> None:
    raw["presets"]["short"]["items"].append("cow-cat")
    message = _error(raw)
    assert "preset 'short'" in message and "unknown exercise 'cow-cat'" in message


def test_preset_override_out_of_bounds(raw: dict[str, Any]) -> None:
    raw["presets"]["short"]["items"][2] = {"id": "figure-4", "reps": 9}
    message = _error(raw)
    assert "preset 'short' items[3]" in message and "'figure-4'" in message
    assert "reps must be between 1 and 3, got 9" in message


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(exercises=None),
        lambda d: d.update(exercises=[]),
        lambda d: d["exercises"].__setitem__(0, "not a table"),
        lambda d: d["exercises"][0].update(dosage=[1, 2]),
        lambda d: d["exercises"][0].update(steps="one long string"),
        lambda d: d["exercises"][0].update(steps=["ok", 3]),
        lambda d: d["exercises"][0].update(id=["list"]),
        lambda d: d["exercises"][0].update(id="Hip Flexor"),
        lambda d: d["exercises"][0]["bounds"].update(reps_max=None),
        lambda d: d["exercises"][0].update(arches_back="no"),
        lambda d: d["exercises"][4]["dosage"].update(hold_s=5),
        lambda d: d.update(presets=[]),
        lambda d: d["presets"]["short"].update(items=[]),
        lambda d: d["presets"]["short"]["items"].append(7),
        lambda d: d["presets"]["short"]["items"].append({"reps": 2}),
        lambda d: d["presets"]["short"]["items"].append({"id": "cat-cow", "sets": 2}),
        lambda d: d.update(extra=1),
    ],
)
def test_malformed_data_gives_catalog_error_only(
    raw: dict[str, Any], mutate: Callable[[dict[str, Any]], object]
) -> None:
    mutate(raw)
    assert _error(raw)  # a CatalogError with a message, never a KeyError or TypeError


def test_toml_syntax_error_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('[[exercises]]\nid = "bridge\nnumber = 14\n', encoding="utf-8")
    with pytest.raises(CatalogError, match=r"broken\.toml: not valid TOML"):
        load_catalog(path)


def test_validation_error_from_file_names_file_and_exercise(tmp_path: Path) -> None:
    text = DEFAULT_CATALOG_PATH.read_text(encoding="utf-8")
    text = text.replace('sides = "alternating"', 'sides = "sideways"', 1)
    path = tmp_path / "exercises.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    message = str(caught.value)
    assert str(path) in message and "'side-to-side' (#6)" in message
    assert "dosage.sides" in message


def test_missing_file_is_a_catalog_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="cannot read"):
        load_catalog(tmp_path / "nope.toml")


# ----------------------------------------------------------------------------- presets


def test_presets(catalog: Catalog) -> None:
    assert set(catalog.presets) == {"flexibility", "strength", "full", "short"}
    assert all(isinstance(preset, Preset) for preset in catalog.presets.values())

    def ids(preset_id: str) -> list[str]:
        return [item.exercise_id for item in catalog.presets[preset_id].items]

    assert ids("flexibility") == [e.id for e in catalog.by_group("flexibility")]
    assert ids("strength") == [e.id for e in catalog.by_group("strength")]
    assert ids("full") == list(tuple(exercise.id for exercise in catalog))
    assert len(catalog.presets["full"].items) == 17
    assert catalog.presets["short"].name == "Short routine, about 10 minutes"


def test_preset_items_default_to_exercise_dosage(catalog: Catalog) -> None:
    for item in catalog.presets["full"].items:
        dosage = catalog.get(item.exercise_id).dosage
        assert (item.reps, item.hold_s) == (dosage.reps, dosage.hold_s)


def test_short_routine(catalog: Catalog) -> None:
    short = catalog.presets["short"].items
    assert 5 <= len(short) <= 6
    assert 480 <= estimate_duration_s(short, catalog) <= 720
    assert not any(catalog.get(item.exercise_id).arches_back for item in short)
    assert all(programme_item(catalog.get(i.exercise_id), i.reps, i.hold_s) == i for i in short)
    reduced = [
        item
        for item in short
        if item.reps < catalog.get(item.exercise_id).dosage.reps  # fewer reps than default
    ]
    assert len(reduced) >= 3


# ------------------------------------------------------------------------------ timing


def test_estimate_two_item_fixture(catalog: Catalog) -> None:
    items = [
        ProgrammeItem("knee-to-chest", reps=2, hold_s=20),  # both sides, rest 10
        ProgrammeItem("cat-cow", reps=10, hold_s=0),  # paced, 6 s per rep
    ]
    # knee to chest: 2 lead-ins (10) + 4 holds x 20 (80) + 1 rest per side x 10 x 2 (20) = 110
    # cat and cow:   1 lead-in (5) + 10 reps x 6 s (60)                                 = 65
    assert estimate_duration_s(items, catalog) == 175


@pytest.mark.parametrize(
    ("item", "lead_in_s", "tap_rep_s", "expected"),
    [
        # tapped, no sides: 1 lead-in + 10 x 3
        (ProgrammeItem("supine-core", 10, 0), 2, 3, 2 + 30),
        # tapped, both legs: 2 lead-ins + 2 x 5 x 4
        (ProgrammeItem("supine-core-leg-draw", 5, 0), 5, 4, 10 + 40),
        # alternating hold: 1 lead-in + 4 x 10 + 3 rests x 5
        (ProgrammeItem("bird-dog", 4, 10), 5, 4, 5 + 40 + 15),
        # single hold, no rest
        (ProgrammeItem("prone-bridge", 1, 90), 0, 4, 90),
    ],
)
def test_estimate_per_kind(
    catalog: Catalog, item: ProgrammeItem, lead_in_s: int, tap_rep_s: int, expected: int
) -> None:
    assert estimate_duration_s([item], catalog, lead_in_s, tap_rep_s) == expected


def test_estimate_empty_and_unknown(catalog: Catalog) -> None:
    assert estimate_duration_s([], catalog) == 0
    with pytest.raises(CatalogError, match="unknown exercise 'nope'"):
        estimate_duration_s([ProgrammeItem("nope", 1, 0)], catalog)


# ------------------------------------------------------------ items: build, check, clamp


def test_programme_item_defaults_and_overrides(catalog: Catalog) -> None:
    bridge = catalog.get("bridge")
    assert programme_item(bridge) == ProgrammeItem("bridge", 15, 5)
    assert programme_item(bridge, reps=20, hold_s=10) == ProgrammeItem("bridge", 20, 10)
    with pytest.raises(CatalogError, match=r"'bridge' \(#14\): hold_s must be between 3 and 10"):
        programme_item(bridge, hold_s=11)


def test_programme_item_bounds(catalog: Catalog) -> None:
    side_bridge = catalog.get("side-bridge")
    assert programme_item(side_bridge, 15, 60) == ProgrammeItem("side-bridge", 15, 60)
    with pytest.raises(CatalogError, match=r"'side-bridge'.*reps must be between 1 and 15, got 16"):
        programme_item(side_bridge, 16, 15)
    with pytest.raises(
        CatalogError, match=r"'side-bridge'.*hold_s must be between 5 and 60, got 4"
    ):
        programme_item(side_bridge, 10, 4)
    with pytest.raises(CatalogError, match=r"'cat-cow'.*hold_s must be between 0 and 0, got 5"):
        programme_item(catalog.get("cat-cow"), 10, 5)
    with pytest.raises(CatalogError, match="unknown exercise 'yoga'"):
        exercise_for(ProgrammeItem("yoga", 1, 0), catalog)


def test_clamp_item(catalog: Catalog) -> None:
    assert clamp_item(ProgrammeItem("side-bridge", 40, 200), catalog) == ProgrammeItem(
        "side-bridge", 15, 60
    )
    assert clamp_item(ProgrammeItem("side-bridge", 0, 1), catalog) == ProgrammeItem(
        "side-bridge", 1, 5
    )
    inside = ProgrammeItem("side-bridge", 12, 30)
    assert clamp_item(inside, catalog) == inside
    assert clamp_item(ProgrammeItem("cat-cow", 99, 8), catalog) == ProgrammeItem("cat-cow", 20, 0)
    with pytest.raises(CatalogError, match="unknown exercise"):
        clamp_item(ProgrammeItem("yoga", 1, 0), catalog)


# ----------------------------------------------------------------------- surgery filter


def test_eligible_exercises(catalog: Catalog) -> None:
    assert eligible_exercises(catalog, recent_surgery=False) == catalog.exercises
    after_surgery = eligible_exercises(catalog, recent_surgery=True)
    assert [e.number for e in after_surgery] == [*range(1, 12), *range(14, 18)]


def test_filter_programme(catalog: Catalog) -> None:
    full = catalog.presets["full"].items
    assert filter_programme(full, catalog, recent_surgery=False) == list(full)
    kept = filter_programme(full, catalog, recent_surgery=True)
    assert len(kept) == 15
    assert {item.exercise_id for item in full} - {item.exercise_id for item in kept} == {
        "press-ups",
        "prone-cobras",
    }
    assert kept == [item for item in full if item.exercise_id not in ("press-ups", "prone-cobras")]
