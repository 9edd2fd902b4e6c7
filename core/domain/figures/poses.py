"""The keyframes of every exercise's figure: read from ``data/poses.toml`` and checked.

Each exercise has named frames (``start``, ``end``, and more where the movement needs
them), each a set of joint angles with the contacts its steps name: the points that
touch the floor (``touch``) or the prop (``on_table``), and those that must be clear of
the floor (``lift``). :func:`load_figures` checks every frame: known joints, every angle
inside :data:`~core.domain.figures.body.JOINT_LIMITS`, no part below the floor or inside
the table, and every named contact touching. A figure that fails is left out, with a
message naming the exercise, the frame and the joint or point, so that the app shows the
text steps rather than a wrong picture.

Frames are authored for the right side (the figure faces right and the right side is
nearer the viewer); the left side is their mirror image.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.domain.catalog import REPO_ROOT, Catalog, default_catalog
from core.domain.figures.body import (
    BODY_SIDES,
    CAPSULES,
    JOINTS,
    LIMB_JOINTS,
    POINTS,
    Vec,
    distance,
    forward,
    full_pose,
    joint_kind,
    joint_limits,
    point_radius,
)

DEFAULT_POSES_PATH = REPO_ROOT / "data" / "poses.toml"

#: A named contact touches when its surface is this close to the floor or prop (cm).
TOUCH_GAP = 2.0
#: No surface may sink further than this into the floor or the prop (cm).
SINK = 0.5
#: A lifted point's surface is at least this far above the floor (cm).
LIFT_GAP = 8.0
#: Samples along each segment checked against the prop (the ends included).
_PROP_SAMPLES = 6
#: The thickness of the table's top: below it there is room for a foot (cm).
TABLE_SLAB = 6.0

#: Contacts that name a body part rather than one point.
CONTACT_GROUPS: dict[str, tuple[str, ...]] = {
    **{f"{side}_forearm": (f"{side}_elbow", f"{side}_wrist") for side in BODY_SIDES},
    **{f"{side}_foot": (f"{side}_heel", f"{side}_toe") for side in BODY_SIDES},
    **{f"{side}_shin": (f"{side}_knee", f"{side}_ankle") for side in BODY_SIDES},
    **{f"{side}_palm": (f"{side}_wrist", f"{side}_hand") for side in BODY_SIDES},
}
#: Parts of the body a figure may colour as working.
PARTS: tuple[str, ...] = tuple(f"{side}_{limb}" for side in BODY_SIDES for limb in ("arm", "leg"))

_FIGURE_FIELDS = (
    "anchor",
    "camera",
    "mat",
    "table",
    "working",
    "hold",
    "cycle",
    "side_cycle",
    "still",
    "frames",
)
_FRAME_FIELDS = ("base", "angles", "touch", "on_table", "lift", "meet")


class PoseError(ValueError):
    """A keyframe file or one figure in it is invalid; the message names exercise and joint."""


@dataclass(frozen=True)
class Table:
    """The table, bed or chair of the standing stretches: a box on the floor (cm)."""

    x: tuple[float, float]
    z: tuple[float, float]
    top: float

    def holds(self, point: Vec) -> bool:
        """True when a point lies over the table's top (inside its footprint)."""
        return self.x[0] <= point[0] <= self.x[1] and self.z[0] <= point[2] <= self.z[1]


@dataclass(frozen=True)
class Frame:
    """One keyframe: every joint's angle and the contacts the exercise's steps name."""

    name: str
    angles: dict[str, float]
    touch: tuple[str, ...] = ()
    on_table: tuple[str, ...] = ()
    lift: tuple[str, ...] = ()
    meet: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Figure:
    """One exercise's figure: its frames (right side), how to view and place it, props."""

    exercise_id: str
    frames: dict[str, Frame]
    anchor: str = "pelvis"
    camera_turn: float = 0.0
    camera_tilt: float = 0.0
    mat: bool = True
    table: Table | None = None
    working: tuple[str, ...] = ()
    hold: str = "end"
    cycle: tuple[str, ...] = ("start", "end", "start")
    side_cycle: tuple[str, ...] = ("start", "end", "start")
    still: tuple[str, str] = ("start", "end")

    def frame(self, name: str) -> Frame:
        return self.frames[name]


@dataclass(frozen=True)
class FigureBook:
    """Every valid figure by exercise id, and why each invalid one was left out.

    ``drafts`` keeps the invalid figures that could still be read, for the contact sheet
    to show beside their errors; the app never draws them.
    """

    figures: dict[str, Figure]
    errors: dict[str, str]
    drafts: dict[str, Figure] = field(default_factory=dict)

    def get(self, exercise_id: str) -> Figure | None:
        return self.figures.get(exercise_id)


# ------------------------------------------------------------------------------ placing


def place(angles: Mapping[str, float], anchor: str) -> dict[str, Vec]:
    """The posed body on the floor: the anchor point at x = z = 0 and the lowest surface
    of any segment (or the head) exactly on the floor (y = 0)."""
    points = forward(angles)
    ax, _, az = points[anchor]
    lowest = min(points[name][1] - point_radius(name) for name in POINTS)
    return {name: (x - ax, y - lowest, z - az) for name, (x, y, z) in points.items()}


def interpolate(a: Mapping[str, float], b: Mapping[str, float], t: float) -> dict[str, float]:
    """The pose a fraction ``t`` of the way from ``a`` to ``b``, joint by joint."""
    return {joint: a[joint] + (b[joint] - a[joint]) * t for joint in JOINTS}


def gap(points: Mapping[str, Vec], point: str, surface: float = 0.0) -> float:
    """How far a point's body surface lies above a horizontal surface at ``surface`` cm."""
    return points[point][1] - point_radius(point) - surface


def contact_points(name: str) -> tuple[str, ...]:
    """The points a named contact stands for (a group such as ``right_forearm``, or one)."""
    return CONTACT_GROUPS.get(name, (name,))


# ----------------------------------------------------------------------------- checking


def frame_problems(figure: Figure, frame: Frame) -> list[str]:
    """Everything wrong with one placed frame, as sentences; empty when it is right."""
    problems: list[str] = []
    for joint, value in frame.angles.items():
        limits = joint_limits(joint)
        if limits is not None and not limits[0] <= value <= limits[1]:
            problems.append(
                f"{joint} {value:g}° is outside the {joint_kind(joint)} range "
                f"{limits[0]:g}° to {limits[1]:g}°"
            )
    points = place(frame.angles, figure.anchor)
    problems += _floor_problems(points)
    if figure.table is not None:
        problems += _table_problems(points, figure.table, frame.on_table)
    for name in frame.touch:
        for point in contact_points(name):
            if gap(points, point) > TOUCH_GAP:
                problems.append(
                    f"{point} should touch the floor but is {gap(points, point):.1f} cm above it"
                )
    for name in frame.lift:
        for point in contact_points(name):
            if gap(points, point) < LIFT_GAP:
                problems.append(
                    f"{point} should be off the floor but is {gap(points, point):.1f} cm above it"
                )
    for a, b in frame.meet:
        apart = distance(points[a], points[b]) - point_radius(a) - point_radius(b)
        if apart > TOUCH_GAP:
            problems.append(f"{a} should rest against {b} but is {apart:.1f} cm away")
    return problems


def _floor_problems(points: Mapping[str, Vec]) -> list[str]:
    low = [name for name in POINTS if gap(points, name) < -SINK]
    return [f"{name} is {-gap(points, name):.1f} cm below the floor" for name in low]


def _table_problems(points: Mapping[str, Vec], table: Table, on_table: Iterable[str]) -> list[str]:
    problems: list[str] = []
    for capsule in CAPSULES:
        a, b = points[capsule.start], points[capsule.end]
        for step in range(_PROP_SAMPLES):
            t = step / (_PROP_SAMPLES - 1)
            p = (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)
            inside = (
                p[1] - capsule.radius < table.top - SINK
                and p[1] + capsule.radius > table.top - TABLE_SLAB
            )
            if table.holds(p) and inside:
                problems.append(f"the {capsule.start}-{capsule.end} segment goes into the table")
                break
    for name in on_table:
        for point in contact_points(name):
            where = points[point]
            if not table.holds(where):
                problems.append(f"{point} should rest on the table but is not over it")
            elif abs(gap(points, point, table.top)) > TOUCH_GAP:
                problems.append(
                    f"{point} should rest on the table but is "
                    f"{gap(points, point, table.top):.1f} cm from its top"
                )
    return problems


def figure_problems(figure: Figure) -> list[str]:
    """Every problem of every frame of a figure, each naming its frame."""
    return [
        f"frame {frame.name!r}: {problem}"
        for frame in figure.frames.values()
        for problem in frame_problems(figure, frame)
    ]


# ------------------------------------------------------------------------------ loading


def load_figures(path: Path | None = None, catalog: Catalog | None = None) -> FigureBook:
    """Read and check a keyframe file (default ``data/poses.toml``).

    A file that cannot be read or parsed raises :class:`PoseError`. Each figure is then
    checked on its own: a valid one is kept, an invalid one is left out and its first
    problems are kept in ``errors``, each naming the exercise, frame and joint or point.
    """
    path = DEFAULT_POSES_PATH if path is None else Path(path)
    catalog = default_catalog() if catalog is None else catalog
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise PoseError(f"{path}: cannot read the keyframe file: {err}") from err
    raw_figures = data.get("figures")
    if not isinstance(raw_figures, Mapping):
        raise PoseError(f"{path}: expected a [figures.<exercise id>] table per exercise")
    figures: dict[str, Figure] = {}
    errors: dict[str, str] = {}
    drafts: dict[str, Figure] = {}
    for exercise_id, raw in raw_figures.items():
        label = _label(exercise_id, catalog)
        try:
            if exercise_id not in catalog:
                raise PoseError(f"{label}: no such exercise in the catalogue")
            figure = parse_figure(exercise_id, raw, label)
        except PoseError as err:
            errors[exercise_id] = str(err)
            continue
        problems = figure_problems(figure)
        if problems:
            errors[exercise_id] = f"{label}: " + "; ".join(problems[:3])
            drafts[exercise_id] = figure
            continue
        figures[exercise_id] = figure
    return FigureBook(figures=figures, errors=errors, drafts=drafts)


@functools.cache
def _cached_book(path: Path) -> FigureBook:
    return load_figures(path)


def clear_cache() -> None:
    """Forget the keyframe file read by :func:`default_figures` (it is read again)."""
    _cached_book.cache_clear()


def default_figures() -> FigureBook:
    """The figures of ``data/poses.toml``, loaded once per process; none if it is unreadable.

    An unreadable file leaves every exercise without a figure (its error under ``"*"``):
    the pages then show the text steps alone.
    """
    try:
        return _cached_book(DEFAULT_POSES_PATH)
    except PoseError as err:
        return FigureBook(figures={}, errors={"*": str(err)})


def _label(exercise_id: str, catalog: Catalog) -> str:
    if exercise_id in catalog:
        return f"figure {exercise_id!r} (#{catalog.get(exercise_id).number})"
    return f"figure {exercise_id!r}"


def _names(raw: Any, label: str, field: str, allowed: Iterable[str]) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise PoseError(f"{label}: {field} must be an array of names")
    known = set(allowed)
    for item in raw:
        if item not in known:
            raise PoseError(f"{label}: {field} names an unknown point or part {item!r}")
    return tuple(raw)


def _pairs(raw: Any, label: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, list) or not all(
        isinstance(pair, list) and len(pair) == 2 and all(p in POINTS for p in pair) for pair in raw
    ):
        raise PoseError(f"{label}: meet must be an array of [point, point] pairs")
    return tuple((a, b) for a, b in raw)


def _number(raw: Any, label: str, field: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise PoseError(f"{label}: {field} must be a number, got {raw!r}")
    return float(raw)


def expand_angles(raw: Mapping[str, Any], label: str) -> dict[str, float]:
    """A frame's angles with ``<joint>`` (both sides) expanded into ``right_`` and ``left_``.

    A sided name wins over the shared one. Unknown joints raise :class:`PoseError`.
    """
    shared: dict[str, float] = {}
    sided: dict[str, float] = {}
    for joint, value in raw.items():
        number = _number(value, label, joint)
        if joint in LIMB_JOINTS:
            shared.update({f"{side}_{joint}": number for side in BODY_SIDES})
        elif joint in JOINTS:
            sided[joint] = number
        else:
            raise PoseError(f"{label}: unknown joint {joint!r}")
    return {**shared, **sided}


def parse_figure(exercise_id: str, raw: Any, label: str) -> Figure:
    """One ``[figures.<id>]`` table as a :class:`Figure` (shape only; see figure_problems)."""
    if not isinstance(raw, Mapping):
        raise PoseError(f"{label}: must be a table")
    unknown = sorted(set(raw) - set(_FIGURE_FIELDS))
    if unknown:
        raise PoseError(f"{label}: unknown field {unknown[0]!r}")
    contacts = (*POINTS, *CONTACT_GROUPS)
    raw_frames = raw.get("frames")
    if not isinstance(raw_frames, Mapping) or not raw_frames:
        raise PoseError(f"{label}: needs a [frames] table with at least a start and an end")
    frames: dict[str, Frame] = {}
    for name, raw_frame in raw_frames.items():
        where = f"{label}, frame {name!r}"
        if not isinstance(raw_frame, Mapping):
            raise PoseError(f"{where}: must be a table")
        extra = sorted(set(raw_frame) - set(_FRAME_FIELDS))
        if extra:
            raise PoseError(f"{where}: unknown field {extra[0]!r}")
        base: dict[str, float] = {}
        if "base" in raw_frame:
            if raw_frame["base"] not in frames:
                raise PoseError(f"{where}: base {raw_frame['base']!r} is not an earlier frame")
            base = frames[raw_frame["base"]].angles
        raw_angles = raw_frame.get("angles", {})
        if not isinstance(raw_angles, Mapping):
            raise PoseError(f"{where}: angles must be a table")
        angles = full_pose({**base, **expand_angles(raw_angles, where)})
        frames[name] = Frame(
            name=name,
            angles=angles,
            touch=_names(raw_frame.get("touch", []), where, "touch", contacts),
            on_table=_names(raw_frame.get("on_table", []), where, "on_table", contacts),
            lift=_names(raw_frame.get("lift", []), where, "lift", contacts),
            meet=_pairs(raw_frame.get("meet", []), where),
        )
    camera = raw.get("camera", {})
    if not isinstance(camera, Mapping) or set(camera) - {"turn", "tilt"}:
        raise PoseError(f"{label}: camera must be a table of turn and tilt")
    table = _table(raw.get("table"), label)
    figure = Figure(
        exercise_id=exercise_id,
        frames=frames,
        anchor=raw.get("anchor", "pelvis"),
        camera_turn=_number(camera.get("turn", 0), label, "camera.turn"),
        camera_tilt=_number(camera.get("tilt", 0), label, "camera.tilt"),
        mat=bool(raw.get("mat", table is None)),
        table=table,
        working=_names(raw.get("working", []), label, "working", PARTS),
        hold=raw.get("hold", "end"),
        cycle=tuple(raw.get("cycle", ("start", "end", "start"))),
        side_cycle=tuple(raw.get("side_cycle", raw.get("cycle", ("start", "end", "start")))),
        still=tuple(raw.get("still", ("start", raw.get("hold", "end")))),  # type: ignore[arg-type]
    )
    if "start" not in frames:
        raise PoseError(f"{label}: needs a frame named 'start' (the start position)")
    if figure.anchor not in POINTS:
        raise PoseError(f"{label}: anchor names an unknown point {figure.anchor!r}")
    for name_of, names in (
        ("hold", (figure.hold,)),
        ("cycle", figure.cycle),
        ("side_cycle", figure.side_cycle),
        ("still", figure.still),
    ):
        for name in names:
            if name not in frames:
                raise PoseError(f"{label}: {name_of} names an unknown frame {name!r}")
    if len(figure.still) != 2:
        raise PoseError(f"{label}: still must name two frames")
    if any(frame.on_table for frame in frames.values()) and table is None:
        raise PoseError(f"{label}: a frame rests on the table but the figure has none")
    return figure


def _table(raw: Any, label: str) -> Table | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or set(raw) != {"x", "z", "top"}:
        raise PoseError(f"{label}: table needs x = [from, to], z = [from, to] and top")
    spans = []
    for axis in ("x", "z"):
        span = raw[axis]
        if not isinstance(span, list) or len(span) != 2:
            raise PoseError(f"{label}: table.{axis} must be [from, to]")
        low, high = (_number(v, label, f"table.{axis}") for v in span)
        if low >= high:
            raise PoseError(f"{label}: table.{axis} must run from low to high")
        spans.append((low, high))
    return Table(x=spans[0], z=spans[1], top=_number(raw["top"], label, "table.top"))
