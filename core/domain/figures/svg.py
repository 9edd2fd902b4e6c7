"""Drawing a figure as SVG: place and project the body, sort it by depth, write strokes.

Everything is built here from numbers: no image file, no font, no reference to anything
outside the SVG. A moving figure is a SMIL animation of each stroke's path through poses
computed by forward kinematics along the way (one every few degrees of joint movement,
so no limb visibly shrinks in between); a still is one frame, or two side by side.

The figure stands on its own light card, so it reads the same on a light or a dark page:
the body in dark slate, the limbs of the far side lighter, the working side in orange,
each at least 3:1 against the card (the body 9.9:1). Every stroke has a thin halo of the
card's colour, so a limb in front of the trunk or of the other limb stays visible.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.domain.figures.body import CAPSULES, HEAD_RADIUS, TORSO, Vec, rotate_view
from core.domain.figures.motion import Mode, Motion, motion_for
from core.domain.figures.poses import Figure, interpolate, place
from core.domain.models import Exercise, Side

#: The card the figure stands on, and its edge.
CARD = "#f8fafc"
CARD_EDGE = "#d5dde5"
#: Inks as (near side, far side): the body, the working side; the props and the floor.
BODY_INK = ("#334155", "#7b8aa0")
WORK_INK = ("#c2410c", "#ea580c")
PROP_INK = "#7b8aa0"
#: The halo drawn around every stroke, in the card's colour (cm, both sides together).
HALO = 2.5
#: Drawing units per centimetre: coordinates are written as whole half centimetres, and
#: one unit is one pixel of the SVG's own size (pages scale it with CSS).
UNITS_PER_CM = 2
#: Margin around the drawing, and the gap between the two frames of a pair (cm).
MARGIN = 8.0
PAIR_GAP = 36.0
#: The largest joint turn between two drawn poses of a movement (degrees).
MAX_STEP_DEG = 20.0
#: The torso's outline is drawn this wide (cm), so that a front view has a body.
TORSO_WIDTH = 12.0

#: Each point's screen x and y (y down), depth (toward the viewer) and height above the floor.
Projected = dict[str, tuple[float, float, float, float]]
Box = tuple[float, float, float, float]


def _ease(t: float) -> float:
    """Slow out and slow in: every movement starts and ends gently, as the steps ask."""
    return t * t * (3 - 2 * t)


def _fmt(value: float) -> str:
    """A length in drawing units (half centimetres), as a whole number."""
    return str(round(value * UNITS_PER_CM) + 0)


def _fmt_time(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


# --------------------------------------------------------------------------- projection


def project(points: dict[str, Vec], figure: Figure, mirror: bool) -> Projected:
    """Screen x and y (y down, cm), depth (toward the viewer) and height of each point;
    the left side is the right side's mirror image."""
    out: Projected = {}
    for name, point in points.items():
        x, y, z = rotate_view(point, figure.camera_turn, figure.camera_tilt)
        out[name] = (-x if mirror else x, -y, z, point[1])
    return out


def pose_points(figure: Figure, angles: dict[str, float], mirror: bool) -> Projected:
    """A pose placed on the floor and projected."""
    return project(place(angles, figure.anchor), figure, mirror)


def sample_motion(figure: Figure, motion: Motion) -> list[tuple[float, Projected]]:
    """Projected poses along a motion with their times (s): each key, and in-between
    poses by forward kinematics so that no joint turns more than :data:`MAX_STEP_DEG`
    between two drawn ones."""
    samples: list[tuple[float, Projected]] = []
    keys = motion.keys
    for index, key in enumerate(keys):
        b = figure.frame(key.frame).angles
        if index == 0:
            samples.append((key.at_s, pose_points(figure, b, key.mirror)))
            continue
        previous = keys[index - 1]
        a = figure.frame(previous.frame).angles
        if (previous.frame, previous.mirror) == (key.frame, key.mirror):
            samples.append((key.at_s, samples[-1][1]))
            continue
        turn = max(abs(b[joint] - a[joint]) for joint in a)
        steps = 1 if previous.mirror != key.mirror else max(2, math.ceil(turn / MAX_STEP_DEG))
        span = key.at_s - previous.at_s
        for step in range(1, steps + 1):
            t = step / steps
            angles = b if step == steps else interpolate(a, b, _ease(t))
            samples.append((previous.at_s + span * t, pose_points(figure, angles, key.mirror)))
    return samples


# ------------------------------------------------------------------------------ layers


@dataclass(frozen=True)
class Layer:
    """Segments drawn as one path of one ink and width; the head when ``segments`` is
    empty; with ``torso`` the trunk's filled outline goes under the segments. ``under``:
    the segments stay below the table's top in every pose (drawn before the table)."""

    ink: str
    width: float
    segments: tuple[tuple[str, str], ...]
    torso: bool = False
    under: bool = False
    trunk: bool = False


def _far_parts(poses: Sequence[Projected]) -> set[str]:
    """Limbs whose root joint lies behind the body's midline (on average over ``poses``)."""
    far = set()
    for side in ("right", "left"):
        for limb, root in (("arm", "shoulder"), ("leg", "hip")):
            behind = [p[f"{side}_{root}"][2] - p["pelvis"][2] for p in poses]
            if sum(behind) / len(behind) < -4.0:
                far.add(f"{side}_{limb}")
    return far


def layers(figure: Figure, poses: Sequence[Projected]) -> list[Layer]:
    """Every segment grouped by ink and width, sorted from far to near (the mean depth
    over ``poses``: a figure keeps its drawing order while it moves), the head last."""
    far = _far_parts(poses)
    top = figure.table.top if figure.table is not None else None
    items: list[tuple[bool, float, Layer]] = []

    def depth_of(a: str, b: str) -> float:
        return sum(p[a][2] + p[b][2] for p in poses) / (2 * len(poses))

    # The trunk is drawn as one piece, at its mean depth: its halos never cross it.
    trunk = [c for c in CAPSULES if c.part == "trunk"]
    trunk_depth = sum(depth_of(c.start, c.end) for c in trunk) / len(trunk)
    for capsule in CAPSULES:
        depth = trunk_depth if capsule.part == "trunk" else depth_of(capsule.start, capsule.end)
        inks = WORK_INK if capsule.part in figure.working else BODY_INK
        under = top is not None and all(
            max(p[capsule.start][3], p[capsule.end][3]) + capsule.radius < top for p in poses
        )
        layer = Layer(
            inks[1] if capsule.part in far else inks[0],
            2 * capsule.radius,
            ((capsule.start, capsule.end),),
            torso=capsule.start == "pelvis",
            under=under,
            trunk=capsule.part == "trunk",
        )
        items.append((not under, depth, layer))
    items.sort(key=lambda item: (item[0], item[1]))
    # The head goes last: a limb beside it (an arm reaching overhead) would otherwise
    # cross the ball that stands for it, and a figure without a head reads wrong.
    items.append((True, math.inf, Layer(BODY_INK[0], 0.0, ())))
    out: list[Layer] = []
    for _, _, layer in items:
        last = out[-1] if out else None
        same = (layer.ink, layer.width, layer.under, layer.trunk)
        if (
            last
            and last.segments
            and layer.segments
            and (last.ink, last.width, last.under, last.trunk) == same
        ):
            out[-1] = Layer(
                last.ink,
                last.width,
                (*last.segments, *layer.segments),
                last.torso or layer.torso,
                last.under,
                last.trunk,
            )
        else:
            out.append(layer)
    return out


def chains(segments: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Segments joined end to end into as few polylines as possible (a path per chain)."""
    left = list(segments)
    out: list[list[str]] = []
    while left:
        chain = list(left.pop(0))
        grown = True
        while grown:
            grown = False
            for index, (a, b) in enumerate(left):
                if a == chain[-1] or b == chain[-1]:
                    chain.append(b if a == chain[-1] else a)
                    del left[index]
                    grown = True
                    break
        out.append(chain)
    return out


def _numbers(values: Iterable[float]) -> str:
    """Numbers of a path, with a space only where the next one has no minus sign."""
    text = ""
    for value in values:
        number = _fmt(value)
        text += number if not text or number.startswith("-") else " " + number
    return text


def _d(layer: Layer, points: Projected, dx: float) -> str:
    """A layer's path: each chain of segments as one polyline (``M`` then its points)."""
    return "".join(
        "M" + _numbers(v for name in chain for v in (points[name][0] + dx, points[name][1]))
        for chain in chains(layer.segments)
    )


def _torso_d(points: Projected, dx: float) -> str:
    return "M" + _numbers(v for n in TORSO for v in (points[n][0] + dx, points[n][1])) + "Z"


# -------------------------------------------------------------------------------- props


def _box_corners(figure: Figure, mirror: bool, box: tuple[float, ...]) -> Projected:
    """The eight corners of a box (x0, x1, z0, z1, top) standing on the floor, projected.
    Corner names are three digits: x (0 low, 1 high), y (0 floor, 1 top), z."""
    x0, x1, z0, z1, top = box
    corners = {
        f"{ix}{iy}{iz}": (x, y, z)
        for ix, x in enumerate((x0, x1))
        for iy, y in enumerate((0.0, top))
        for iz, z in enumerate((z0, z1))
    }
    return project(corners, figure, mirror)


def _polygon(points: Projected, names: Sequence[str], dx: float) -> str:
    corners = "L".join(f"{_fmt(points[n][0] + dx)} {_fmt(points[n][1])}" for n in names)
    return f"M{corners}Z"


def _table(figure: Figure, mirror: bool, dx: float) -> tuple[str, list[tuple[float, float]]]:
    """The table as legs and a top (its visible faces), and the points it covers."""
    table = figure.table
    if table is None:
        return "", []
    p = _box_corners(figure, mirror, (*table.x, *table.z, table.top))
    legs = "".join(
        f"M{_fmt(p[f'{ix}0{iz}'][0] + dx)} {_fmt(p[f'{ix}0{iz}'][1])}"
        f"L{_fmt(p[f'{ix}1{iz}'][0] + dx)} {_fmt(p[f'{ix}1{iz}'][1])}"
        for ix in "01"
        for iz in "01"
    )
    top = _polygon(p, ["010", "110", "111", "011"], dx)
    svg = (
        f'<path d="{legs}" stroke="{PROP_INK}" stroke-width="{_fmt(3.5)}" '
        'stroke-linecap="round"/>'
        f'<path d="{top}" fill="{PROP_INK}" fill-opacity=".3" stroke="{PROP_INK}" '
        f'stroke-width="{_fmt(3)}" stroke-linejoin="round"/>'
    )
    return svg, [(x + dx, y) for x, y, _, _ in p.values()]


def _mat(
    figure: Figure, mirror: bool, extent: tuple[float, float], dx: float
) -> tuple[str, list[tuple[float, float]]]:
    """The mat seen from above (a tilted view), under the figure; and the points it covers."""
    if not (figure.mat and figure.camera_tilt):
        return "", []
    p = _box_corners(figure, mirror, (*extent, -45.0, 45.0, 0.0))
    svg = (
        f'<path d="{_polygon(p, ["000", "100", "101", "001"], dx)}" fill="{PROP_INK}" '
        f'fill-opacity=".2" stroke="{PROP_INK}" stroke-width="{_fmt(2)}" '
        'stroke-linejoin="round"/>'
    )
    return svg, [(x + dx, y) for x, y, _, _ in p.values()]


def _floor(figure: Figure, x0: float, x1: float) -> str:
    """The floor line of a level view (a mat drawn as a thicker band on it)."""
    if figure.camera_tilt:
        return ""
    width = 4.0 if figure.mat else 2.5
    return (
        f'<path d="M{_fmt(x0)} {_fmt(width / 2)}H{_fmt(x1)}" stroke="{PROP_INK}" '
        f'stroke-width="{_fmt(width)}"/>'
    )


def _reach(figure: Figure, frames: Iterable[str]) -> tuple[float, float]:
    """The body's reach along the world's x axis over some frames, with room (cm)."""
    xs = [
        point[0]
        for name in frames
        for point in place(figure.frame(name).angles, figure.anchor).values()
    ]
    return min(xs) - 20.0, max(xs) + 20.0


def _bounds(poses: Iterable[Projected], covered: Iterable[tuple[float, float]]) -> Box:
    reach = max(HEAD_RADIUS, *(c.radius for c in CAPSULES)) + HALO / 2
    xs: list[float] = []
    ys: list[float] = [0.0]
    for points in poses:
        for x, y, _, _ in points.values():
            xs += [x - reach, x + reach]
            ys += [y - reach, y + reach]
    for x, y in covered:
        xs.append(x)
        ys.append(y)
    return min(xs) - MARGIN, min(ys) - MARGIN, max(xs) + MARGIN, max(ys) + MARGIN


# ---------------------------------------------------------------------------------- svg


def _svg_open(box: Box, label: str) -> str:
    x0, y0, x1, y1 = box
    width, height = x1 - x0, y1 - y0
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{_fmt(x0)} {_fmt(y0)} '
        f'{_fmt(width)} {_fmt(height)}" width="{_fmt(width)}" height="{_fmt(height)}" '
        f'role="img" aria-label="{html.escape(label)}"><title>{html.escape(label)}</title>'
        f'<rect x="{_fmt(x0 + 1)}" y="{_fmt(y0 + 1)}" width="{_fmt(width - 2)}" '
        f'height="{_fmt(height - 2)}" rx="{_fmt(8)}" fill="{CARD}" stroke="{CARD_EDGE}" '
        f'stroke-width="{_fmt(1.5)}"/>'
    )


_ROUND = 'fill="none" stroke-linecap="round" stroke-linejoin="round"'


@dataclass(frozen=True)
class _Drawn:
    """One layer as SVG: its halo and its ink, kept apart so that the trunk's halos can all
    go under the trunk's inks (no halo line across the body itself)."""

    layer: Layer
    halo: str
    ink: str


def _compose(drawn: Sequence[_Drawn], table: str) -> str:
    """Layers in order, the table between those below its top and the rest; within a run
    of trunk layers every halo first."""
    out: list[str] = []
    index = 0
    placed_table = False
    while index < len(drawn):
        item = drawn[index]
        if not item.layer.under and not placed_table:
            out.append(table)
            placed_table = True
        if item.layer.trunk:
            run = [item]
            while index + 1 < len(drawn) and drawn[index + 1].layer.trunk:
                index += 1
                run.append(drawn[index])
            out += [d.halo for d in run] + [d.ink for d in run]
        else:
            out += [item.halo, item.ink]
        index += 1
    if not placed_table:
        out.append(table)
    return "".join(out)


def _still_layer(layer: Layer, points: Projected, dx: float) -> _Drawn:
    if not layer.segments:
        x, y = points["head"][0] + dx, points["head"][1]
        circle = f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(HEAD_RADIUS)}" fill="{layer.ink}"'
        halo = f'{circle} stroke="{CARD}" stroke-width="{_fmt(HALO)}"/>'
        return _Drawn(layer, halo, f"{circle}/>")
    d = _d(layer, points, dx)
    halo = f'<path d="{d}" stroke="{CARD}" stroke-width="{_fmt(layer.width + HALO)}"/>'
    ink = f'<path d="{d}" stroke="{layer.ink}" stroke-width="{_fmt(layer.width)}"/>'
    if layer.torso:
        torso = _torso_d(points, dx)
        halo = (
            f'<path d="{torso}" fill="{CARD}" stroke="{CARD}" '
            f'stroke-width="{_fmt(TORSO_WIDTH + HALO)}"/>{halo}'
        )
        ink = (
            f'<path d="{torso}" fill="{layer.ink}" stroke="{layer.ink}" '
            f'stroke-width="{_fmt(TORSO_WIDTH)}"/>{ink}'
        )
    return _Drawn(layer, halo, ink)


def still_svg(figure: Figure, frames: Sequence[str], mirror: bool, label: str) -> str:
    """One frame, or frames side by side with an arrow between them, drawn still."""
    reach = _reach(figure, frames)
    pieces: list[str] = []
    boxes: list[Box] = []
    offset = 0.0
    for index, frame in enumerate(frames):
        points = pose_points(figure, figure.frame(frame).angles, mirror)
        _, table_covers = _table(figure, mirror, 0.0)
        _, mat_covers = _mat(figure, mirror, reach, 0.0)
        x0, y0, x1, y1 = _bounds([points], table_covers + mat_covers)
        dx = offset - x0
        boxes.append((x0 + dx, y0, x1 + dx, y1))
        drawn = [_still_layer(layer, points, dx) for layer in layers(figure, [points])]
        pieces.append(_mat(figure, mirror, reach, dx)[0])
        pieces.append(f"<g {_ROUND}>{_compose(drawn, _table(figure, mirror, dx)[0])}</g>")
        pieces.append(_floor(figure, x0 + dx + 2, x1 + dx - 2))
        offset = x1 + dx
        if index < len(frames) - 1:
            pieces.append(_arrow(offset, offset + PAIR_GAP, (y0 + y1) / 2))
            offset += PAIR_GAP
    box = (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
    return _svg_open(box, label) + "".join(pieces) + "</svg>"


def _arrow(x0: float, x1: float, y: float) -> str:
    a, b = x0 + 6, x1 - 6
    return (
        f'<path d="M{_fmt(a)} {_fmt(y)}H{_fmt(b)}M{_fmt(b - 8)} {_fmt(y - 8)}L{_fmt(b)} '
        f'{_fmt(y)}L{_fmt(b - 8)} {_fmt(y + 8)}" fill="none" stroke="{BODY_INK[0]}" '
        f'stroke-width="{_fmt(3.5)}" stroke-linecap="round" stroke-linejoin="round"/>'
    )


def _animated(values: Sequence[str], timing: str, attribute: str = "d") -> str:
    """An ``<animate>`` of one attribute; nothing when the value never changes."""
    if len(set(values)) == 1:
        return ""
    return f'<animate attributeName="{attribute}" {timing} values="{";".join(values)}"/>'


def moving_svg(figure: Figure, motion: Motion, label: str) -> str:
    """The motion as one SVG whose strokes move by SMIL: looping, or stopping on the
    last key. Each moving path is defined once and drawn twice (halo, then ink)."""
    samples = sample_motion(figure, motion)
    poses = [points for _, points in samples]
    mirrors = {key.mirror for key in motion.keys}
    mirror = next(iter(mirrors)) if len(mirrors) == 1 else False
    reach = _reach(figure, {key.frame for key in motion.keys})
    table, table_covers = _table(figure, mirror, 0.0) if len(mirrors) == 1 else ("", [])
    mat, mat_covers = _mat(figure, mirror, reach, 0.0)
    box = _bounds(poses, table_covers + mat_covers)
    duration = motion.duration_s
    times = ";".join(_fmt_time(at / duration) for at, _ in samples)
    timing = f'dur="{_fmt_time(duration)}s" keyTimes="{times}" ' + (
        'repeatCount="indefinite"' if motion.repeat else 'fill="freeze"'
    )
    defs: list[str] = []
    drawn: list[_Drawn] = []
    for index, layer in enumerate(layers(figure, poses)):
        ref = f"p{index}"
        if not layer.segments:
            moves = _animated([_fmt(p["head"][0]) for p in poses], timing, "cx") + _animated(
                [_fmt(p["head"][1]) for p in poses], timing, "cy"
            )
            x, y = poses[0]["head"][0], poses[0]["head"][1]
            circle = f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(HEAD_RADIUS)}" '
            drawn.append(
                _Drawn(
                    layer,
                    f'{circle}fill="{CARD}" stroke="{CARD}" stroke-width="{_fmt(HALO)}">'
                    f"{moves}</circle>",
                    f'{circle}fill="{layer.ink}">{moves}</circle>',
                )
            )
            continue
        halo, ink = "", ""
        if layer.torso:
            values = [_torso_d(points, 0.0) for points in poses]
            defs.append(f'<path id="{ref}t" d="{values[0]}">{_animated(values, timing)}</path>')
            halo = (
                f'<use href="#{ref}t" fill="{CARD}" stroke="{CARD}" '
                f'stroke-width="{_fmt(TORSO_WIDTH + HALO)}"/>'
            )
            ink = (
                f'<use href="#{ref}t" fill="{layer.ink}" stroke="{layer.ink}" '
                f'stroke-width="{_fmt(TORSO_WIDTH)}"/>'
            )
        values = [_d(layer, points, 0.0) for points in poses]
        defs.append(f'<path id="{ref}" d="{values[0]}">{_animated(values, timing)}</path>')
        halo += f'<use href="#{ref}" stroke="{CARD}" stroke-width="{_fmt(layer.width + HALO)}"/>'
        ink += f'<use href="#{ref}" stroke="{layer.ink}" stroke-width="{_fmt(layer.width)}"/>'
        drawn.append(_Drawn(layer, halo, ink))
    return (
        _svg_open(box, label)
        + mat
        + f"<defs>{''.join(defs)}</defs><g {_ROUND}>{_compose(drawn, table)}</g>"
        + _floor(figure, box[0] + 3, box[2] - 3)
        + "</svg>"
    )


# ----------------------------------------------------------------------------- the api

SIDE_WORDS = {"right": "right side", "left": "left side"}
MODE_WORDS: dict[Mode, str] = {
    "loop": "how it moves",
    "into_hold": "moving into the held position",
    "still_start": "the start position",
    "still_hold": "the held position",
    "pair": "the start position, then the end position",
}


def figure_label(exercise: Exercise, mode: Mode, side: Side = "none") -> str:
    """The text alternative: exercise, position, what the figure shows, and the side."""
    side_words = f", {SIDE_WORDS[side]}" if side in SIDE_WORDS else ""
    return f"{exercise.name}, {exercise.position.lower()}: {MODE_WORDS[mode]}{side_words}"


def figure_svg(figure: Figure, exercise: Exercise, mode: Mode, side: Side = "none") -> str:
    """One exercise's figure in one mode, for one side (``none``, as on the Exercises
    page: the right side, and for side-to-side both sides in turn)."""
    label = figure_label(exercise, mode, side)
    mirror = side == "left"
    if mode == "pair":
        return still_svg(figure, figure.still, mirror, label)
    if mode == "still_start":
        return still_svg(figure, ("start",), mirror, label)
    if mode == "still_hold":
        return still_svg(figure, (figure.hold,), mirror, label)
    return moving_svg(figure, motion_for(figure, exercise.dosage, mode, side), label)


def data_uri(svg: str) -> str:
    """The SVG as a ``data:`` address for an ``<img>``: nothing is fetched to show it."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
