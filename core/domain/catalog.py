"""The exercise catalogue: the article's 17 exercises, loaded from TOML and validated.

``data/exercises.toml`` holds the exercises (in our own words, with the article's figures)
and a few preset programmes. :func:`load_catalog` reads and checks it; every problem comes
back as a :class:`CatalogError` that names the exercise (or preset) and the field at fault.
The helpers below build, check, clamp, filter and time programme items against it.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.domain.models import (
    EQUIPMENT,
    GROUPS,
    LYING,
    SIDES,
    Dosage,
    DosageBounds,
    Exercise,
    Group,
    ProgrammeItem,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CATALOG_PATH = REPO_ROOT / "data" / "exercises.toml"

_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_EXERCISE_FIELDS = (
    "id",
    "number",
    "name",
    "group",
    "position",
    "equipment",
    "summary",
    "steps",
    "cautions",
    "arches_back",
    "arches_back_partly",
    "lying",
    "end_range_bend_or_twist",
    "standing",
    "article_dosage",
    "dosage",
    "bounds",
)
_DOSAGE_FIELDS = ("reps", "hold_s", "sides", "rest_s", "pace_s")
_BOUNDS_FIELDS = ("reps_min", "reps_max", "hold_min_s", "hold_max_s")
_PRESET_FIELDS = ("name", "description", "items")
_OVERRIDE_FIELDS = ("id", "reps", "hold_s")


class CatalogError(ValueError):
    """The catalogue (or a programme item checked against it) is invalid.

    The message names the exercise or preset and the field, e.g.
    ``exercise 'bridge' (#14): dosage.hold_s must be 0 or more, got -5``.
    """


@dataclass(frozen=True)
class Preset:
    """A ready-made programme: an ordered list of items with their reps and holds."""

    id: str
    name: str
    description: str
    items: tuple[ProgrammeItem, ...]


@dataclass(frozen=True)
class Catalog:
    """All exercises, in article order, and the preset programmes built from them."""

    exercises: tuple[Exercise, ...]
    presets: dict[str, Preset] = field(default_factory=dict, hash=False)
    _index: dict[str, Exercise] = field(
        init=False, repr=False, compare=False, hash=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {exercise.id: exercise for exercise in self.exercises})

    def get(self, exercise_id: str) -> Exercise:
        """The exercise with this id; ``KeyError`` naming the id if there is none."""
        try:
            return self._index[exercise_id]
        except (KeyError, TypeError):
            raise KeyError(f"no exercise with id {exercise_id!r} in the catalogue") from None

    def by_group(self, group: Group) -> tuple[Exercise, ...]:
        """The exercises of one group ("flexibility" or "strength"), in article order."""
        if group not in GROUPS:
            raise ValueError(f"unknown group {group!r}; expected one of {', '.join(GROUPS)}")
        return tuple(exercise for exercise in self.exercises if exercise.group == group)

    def __len__(self) -> int:
        return len(self.exercises)

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self.exercises)

    def __contains__(self, exercise_id: object) -> bool:
        return isinstance(exercise_id, str) and exercise_id in self._index


# ----------------------------------------------------------------------------- loading


def load_catalog(path: Path | None = None) -> Catalog:
    """Read and validate a catalogue file (default: ``data/exercises.toml`` in the repo).

    Raises :class:`CatalogError` naming the file for a missing or unreadable file, a TOML
    syntax error, or any validation problem found by :func:`parse_catalog`.
    """
    path = DEFAULT_CATALOG_PATH if path is None else Path(path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as err:
        raise CatalogError(f"{path}: not valid TOML: {err}") from err
    except UnicodeDecodeError as err:
        raise CatalogError(f"{path}: not valid UTF-8 text: {err}") from err
    except OSError as err:
        raise CatalogError(f"{path}: cannot read the catalogue file: {err}") from err
    try:
        return parse_catalog(data)
    except CatalogError as err:
        raise CatalogError(f"{path}: {err}") from err


@functools.cache
def default_catalog() -> Catalog:
    """The catalogue from ``data/exercises.toml``, loaded once per process."""
    return load_catalog()


def parse_catalog(data: Mapping[str, Any]) -> Catalog:
    """Validate already-parsed TOML data and build the :class:`Catalog`.

    Checks every field's presence and type, unique ids and numbers (which must run 1..N),
    known groups, sides and equipment, non-negative figures, defaults inside their bounds,
    and that presets name known exercises with overrides inside the bounds.
    """
    if not isinstance(data, Mapping):
        raise CatalogError(f"catalogue must be a table, got {_type_name(data)}")
    unknown = sorted(set(data) - {"exercises", "presets"})
    if unknown:
        raise CatalogError(f"catalogue: unknown top-level key {unknown[0]!r}")
    if "exercises" not in data:
        raise CatalogError("catalogue: missing field 'exercises'")
    raw_exercises = data["exercises"]
    if not isinstance(raw_exercises, list) or not raw_exercises:
        raise CatalogError("catalogue: 'exercises' must be a non-empty array of tables")

    exercises: list[Exercise] = []
    seen_ids: dict[str, int] = {}
    seen_numbers: dict[int, str] = {}
    for position, raw in enumerate(raw_exercises, start=1):
        exercise = _parse_exercise(raw, position)
        label = _label(exercise.id, exercise.number, position)
        if exercise.id in seen_ids:
            raise CatalogError(
                f"{label}: id {exercise.id!r} is already used by entry {seen_ids[exercise.id]}"
            )
        if exercise.number in seen_numbers:
            raise CatalogError(
                f"{label}: number {exercise.number} is already used by "
                f"exercise {seen_numbers[exercise.number]!r}"
            )
        seen_ids[exercise.id] = position
        seen_numbers[exercise.number] = exercise.id
        exercises.append(exercise)

    count = len(exercises)
    for exercise in exercises:
        if not 1 <= exercise.number <= count:
            raise CatalogError(
                f"{_label(exercise.id, exercise.number, None)}: number must run from 1 to "
                f"{count} (one per exercise, no gaps), got {exercise.number}"
            )
    exercises.sort(key=lambda exercise: exercise.number)
    catalog = Catalog(exercises=tuple(exercises))

    raw_presets = data.get("presets", {})
    if not isinstance(raw_presets, Mapping):
        raise CatalogError(f"catalogue: 'presets' must be a table, got {_type_name(raw_presets)}")
    presets = {
        preset_id: _parse_preset(preset_id, raw, catalog) for preset_id, raw in raw_presets.items()
    }
    return Catalog(exercises=catalog.exercises, presets=presets)


def _type_name(value: object) -> str:
    names = {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "text",
        list: "an array",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)


def _label(exercise_id: object, number: object, position: int | None) -> str:
    parts = ["exercise"]
    if isinstance(exercise_id, str) and exercise_id:
        parts.append(repr(exercise_id))
    extra = []
    if isinstance(number, int) and not isinstance(number, bool):
        extra.append(f"#{number}")
    if position is not None and not (isinstance(exercise_id, str) and exercise_id):
        extra.append(f"entry {position} in the file")
    text = " ".join(parts)
    return f"{text} ({', '.join(extra)})" if extra else text


class _Fields:
    """Typed field access on one raw table, raising CatalogError with a clear label."""

    def __init__(self, raw: Mapping[str, Any], label: str, prefix: str = "") -> None:
        self.raw = raw
        self.label = label
        self.prefix = prefix

    def fail(self, name: str, message: str) -> CatalogError:
        return CatalogError(f"{self.label}: {self.prefix}{name} {message}")

    def value(self, name: str) -> Any:
        if name not in self.raw:
            raise CatalogError(f"{self.label}: missing field '{self.prefix}{name}'")
        return self.raw[name]

    def text(self, name: str) -> str:
        value = self.value(name)
        if not isinstance(value, str):
            raise self.fail(name, f"must be text, got {_type_name(value)}")
        if not value.strip():
            raise self.fail(name, "must not be empty")
        return value.strip()

    def boolean(self, name: str) -> bool:
        value = self.value(name)
        if not isinstance(value, bool):
            raise self.fail(name, f"must be true or false, got {_type_name(value)}")
        return value

    def integer(self, name: str, minimum: int = 0) -> int:
        value = self.value(name)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(name, f"must be a whole number, got {_type_name(value)}")
        if value < minimum:
            raise self.fail(name, f"must be {minimum} or more, got {value}")
        return value

    def texts(self, name: str, *, allow_empty: bool = False) -> tuple[str, ...]:
        value = self.value(name)
        if not isinstance(value, list):
            raise self.fail(name, f"must be an array of text, got {_type_name(value)}")
        if not value and not allow_empty:
            raise self.fail(name, "must not be empty")
        items: list[str] = []
        for index, item in enumerate(value, start=1):
            if not isinstance(item, str):
                raise self.fail(f"{name}[{index}]", f"must be text, got {_type_name(item)}")
            if not item.strip():
                raise self.fail(f"{name}[{index}]", "must not be empty")
            items.append(item.strip())
        return tuple(items)

    def table(self, name: str) -> Mapping[str, Any]:
        value = self.value(name)
        if not isinstance(value, Mapping):
            raise self.fail(name, f"must be a table, got {_type_name(value)}")
        return value

    def reject_unknown(self, allowed: Iterable[str]) -> None:
        unknown = sorted(set(self.raw) - set(allowed))
        if unknown:
            raise CatalogError(f"{self.label}: unknown field '{self.prefix}{unknown[0]}'")


def _parse_exercise(raw: object, position: int) -> Exercise:
    if not isinstance(raw, Mapping):
        raise CatalogError(
            f"exercise (entry {position} in the file): must be a table, got {_type_name(raw)}"
        )
    raw_id, raw_number = raw.get("id"), raw.get("number")
    fields = _Fields(raw, _label(raw_id, raw_number, position))
    fields.reject_unknown(_EXERCISE_FIELDS)

    exercise_id = fields.text("id")
    if not _ID_PATTERN.match(exercise_id):
        raise fields.fail("id", f"must be a lower-case kebab-case slug, got {exercise_id!r}")
    number = fields.integer("number", minimum=1)
    name = fields.text("name")
    group = fields.text("group")
    if group not in GROUPS:
        raise fields.fail("group", f"must be one of {', '.join(GROUPS)}, got {group!r}")
    place = fields.text("position")
    equipment = fields.texts("equipment", allow_empty=True)
    for index, item in enumerate(equipment, start=1):
        if item not in EQUIPMENT:
            raise fields.fail(
                f"equipment[{index}]",
                f"must be one of {', '.join(EQUIPMENT)}, got {item!r}",
            )
    if len(set(equipment)) != len(equipment):
        raise fields.fail("equipment", "must not list the same item twice")
    summary = fields.text("summary")
    steps = fields.texts("steps")
    cautions = fields.texts("cautions")
    arches_back = fields.boolean("arches_back")
    arches_back_partly = fields.boolean("arches_back_partly")
    if arches_back and arches_back_partly:
        raise fields.fail(
            "arches_back_partly", "must be false when arches_back is true (it arches throughout)"
        )
    lying = fields.text("lying")
    if lying not in LYING:
        raise fields.fail("lying", f"must be one of {', '.join(LYING)}, got {lying!r}")
    end_range = fields.boolean("end_range_bend_or_twist")
    standing = fields.boolean("standing")
    if standing and lying != "no":
        raise fields.fail("standing", f"must be false for an exercise done lying ({lying!r})")
    article_dosage = fields.text("article_dosage")
    dosage = _parse_dosage(fields.table("dosage"), fields.label)
    bounds = _parse_bounds(fields.table("bounds"), fields.label)
    _check_dosage_in_bounds(dosage, bounds, fields.label)

    return Exercise(
        id=exercise_id,
        number=number,
        name=name,
        group=group,  # type: ignore[arg-type]  # checked against GROUPS above
        position=place,
        equipment=equipment,
        summary=summary,
        steps=steps,
        cautions=cautions,
        arches_back=arches_back,
        dosage=dosage,
        bounds=bounds,
        article_dosage=article_dosage,
        arches_back_partly=arches_back_partly,
        lying=lying,  # type: ignore[arg-type]  # checked against LYING above
        end_range_bend_or_twist=end_range,
        standing=standing,
    )


def _parse_dosage(raw: Mapping[str, Any], label: str) -> Dosage:
    fields = _Fields(raw, label, prefix="dosage.")
    fields.reject_unknown(_DOSAGE_FIELDS)
    reps = fields.integer("reps", minimum=1)
    hold_s = fields.integer("hold_s")
    sides = fields.text("sides")
    if sides not in SIDES:
        raise fields.fail("sides", f"must be one of {', '.join(SIDES)}, got {sides!r}")
    rest_s = fields.integer("rest_s")
    pace_s = fields.integer("pace_s") if "pace_s" in raw else 0
    if hold_s > 0 and pace_s > 0:
        raise fields.fail(
            "pace_s", f"must be 0 for a hold exercise (hold_s {hold_s}), got {pace_s}"
        )
    return Dosage(reps, hold_s, sides, rest_s, pace_s)  # type: ignore[arg-type]  # sides checked


def _parse_bounds(raw: Mapping[str, Any], label: str) -> DosageBounds:
    fields = _Fields(raw, label, prefix="bounds.")
    fields.reject_unknown(_BOUNDS_FIELDS)
    reps_min = fields.integer("reps_min", minimum=1)
    reps_max = fields.integer("reps_max", minimum=1)
    hold_min_s = fields.integer("hold_min_s")
    hold_max_s = fields.integer("hold_max_s")
    if reps_min > reps_max:
        raise fields.fail("reps_min", f"({reps_min}) must not exceed bounds.reps_max ({reps_max})")
    if hold_min_s > hold_max_s:
        raise fields.fail(
            "hold_min_s",
            f"({hold_min_s}) must not exceed bounds.hold_max_s ({hold_max_s})",
        )
    return DosageBounds(reps_min, reps_max, hold_min_s, hold_max_s)


def _outside_bounds(reps: int, hold_s: int, bounds: DosageBounds) -> tuple[str, int, int] | None:
    """The first of ``reps`` and ``hold_s`` outside ``bounds``: (field, low, high); else None."""
    for name, value, low, high in (
        ("reps", reps, bounds.reps_min, bounds.reps_max),
        ("hold_s", hold_s, bounds.hold_min_s, bounds.hold_max_s),
    ):
        if not low <= value <= high:
            return name, low, high
    return None


#: The bounds fields that limit each dosage field.
_BOUND_NAMES = {"reps": ("reps_min", "reps_max"), "hold_s": ("hold_min_s", "hold_max_s")}


def _check_dosage_in_bounds(dosage: Dosage, bounds: DosageBounds, label: str) -> None:
    outside = _outside_bounds(dosage.reps, dosage.hold_s, bounds)
    if outside is not None:
        field, low, high = outside
        lowest, highest = _BOUND_NAMES[field]
        raise CatalogError(
            f"{label}: dosage.{field} must be between bounds.{lowest} and bounds.{highest} "
            f"({low}-{high}), got {getattr(dosage, field)}"
        )
    # A hold exercise must never be adjusted down to a 0 s hold, and a repetition
    # exercise never up to a hold: the kind of exercise is fixed by the catalogue.
    if dosage.is_hold and bounds.hold_min_s < 1:
        raise CatalogError(
            f"{label}: bounds.hold_min_s must be 1 or more for a hold exercise, "
            f"got {bounds.hold_min_s}"
        )
    if not dosage.is_hold and bounds.hold_max_s != 0:
        raise CatalogError(
            f"{label}: bounds.hold_max_s must be 0 for a repetition exercise (hold_s 0), "
            f"got {bounds.hold_max_s}"
        )


def _parse_preset(preset_id: str, raw: object, catalog: Catalog) -> Preset:
    label = f"preset {preset_id!r}"
    if not _ID_PATTERN.match(preset_id):
        raise CatalogError(f"{label}: id must be a lower-case kebab-case slug")
    if not isinstance(raw, Mapping):
        raise CatalogError(f"{label}: must be a table, got {_type_name(raw)}")
    fields = _Fields(raw, label)
    fields.reject_unknown(_PRESET_FIELDS)
    name = fields.text("name")
    description = fields.text("description")
    raw_items = fields.value("items")
    if not isinstance(raw_items, list):
        raise fields.fail("items", f"must be an array, got {_type_name(raw_items)}")
    if not raw_items:
        raise fields.fail("items", "must not be empty")
    items = tuple(
        _parse_preset_item(raw_item, f"{label} items[{index}]", catalog)
        for index, raw_item in enumerate(raw_items, start=1)
    )
    return Preset(id=preset_id, name=name, description=description, items=items)


def _parse_preset_item(raw: object, label: str, catalog: Catalog) -> ProgrammeItem:
    if isinstance(raw, str):
        raw = {"id": raw}
    if not isinstance(raw, Mapping):
        raise CatalogError(
            f"{label}: must be an exercise id or an inline table, got {_type_name(raw)}"
        )
    fields = _Fields(raw, label)
    exercise_id = fields.text("id")
    if exercise_id not in catalog:
        raise CatalogError(f"{label}: unknown exercise {exercise_id!r}")
    exercise = catalog.get(exercise_id)
    item_label = f"{label} (exercise {exercise_id!r})"
    fields = _Fields(raw, item_label)
    fields.reject_unknown(_OVERRIDE_FIELDS)
    item = ProgrammeItem(
        exercise_id=exercise_id,
        reps=fields.integer("reps") if "reps" in raw else exercise.dosage.reps,
        hold_s=fields.integer("hold_s") if "hold_s" in raw else exercise.dosage.hold_s,
    )
    _check_item_bounds(item, exercise, item_label)
    return item


# ---------------------------------------------------------------------- programme items


def _check_item_bounds(item: ProgrammeItem, exercise: Exercise, label: str) -> None:
    bounds = exercise.bounds
    for name, value in (("reps", item.reps), ("hold_s", item.hold_s)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise CatalogError(f"{label}: {name} must be a whole number, got {_type_name(value)}")
    outside = _outside_bounds(item.reps, item.hold_s, bounds)
    if outside is not None:
        field, low, high = outside
        raise CatalogError(
            f"{label}: {field} must be between {low} and {high}, got {getattr(item, field)}"
        )


def programme_item(
    exercise: Exercise, reps: int | None = None, hold_s: int | None = None
) -> ProgrammeItem:
    """A programme item for ``exercise``, using its default dosage where a value is None.

    Raises :class:`CatalogError` if the chosen reps or hold fall outside the exercise's bounds.
    """
    item = ProgrammeItem(
        exercise_id=exercise.id,
        reps=exercise.dosage.reps if reps is None else reps,
        hold_s=exercise.dosage.hold_s if hold_s is None else hold_s,
    )
    _check_item_bounds(item, exercise, f"exercise {exercise.id!r} (#{exercise.number})")
    return item


def exercise_for(item: ProgrammeItem, catalog: Catalog) -> Exercise:
    """The catalogue's exercise of a programme item; CatalogError if there is none."""
    if item.exercise_id not in catalog:
        raise CatalogError(f"programme item: unknown exercise {item.exercise_id!r}")
    return catalog.get(item.exercise_id)


def clamp_item(item: ProgrammeItem, catalog: Catalog) -> ProgrammeItem:
    """Return ``item`` with reps and hold moved to the nearest value inside the bounds.

    Raises :class:`CatalogError` if the exercise is not in the catalogue.
    """
    exercise = exercise_for(item, catalog)
    bounds = exercise.bounds
    reps = min(max(int(item.reps), bounds.reps_min), bounds.reps_max)
    hold_s = min(max(int(item.hold_s), bounds.hold_min_s), bounds.hold_max_s)
    if reps == item.reps and hold_s == item.hold_s:
        return item
    return ProgrammeItem(exercise_id=item.exercise_id, reps=reps, hold_s=hold_s)
