"""The figure's body: segment lengths, joints and their limits, and forward kinematics.

An adult about 173 cm tall, in centimetres, as a tree of rigid segments hung from the
pelvis. A pose is a set of joint angles in degrees; :func:`forward` turns it into the 3-D
position of every named point. Lengths never come from a pose, only from :data:`OFFSETS`,
so every segment keeps its length in every frame by construction.

World axes: x along the floor (to the right of a side view), y up, z toward the viewer.
The body's own axes, before the root angles turn it: x forward (the chest's direction),
y up (toward the head), z to the body's right. Standing with ``turn = 0`` the figure faces
right and shows its right side to the viewer.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Vec = tuple[float, float, float]
Mat = tuple[Vec, Vec, Vec]
BodySide = Literal["right", "left"]
BODY_SIDES: tuple[BodySide, ...] = ("right", "left")

# ------------------------------------------------------------------------------- joints

#: The root angles place the whole body; they have no anatomical limit.
ROOT_ANGLES: tuple[str, ...] = ("turn", "pitch", "roll")
#: Joints of the midline: the spine (spread evenly over three segments) and the neck.
MIDLINE_JOINTS: tuple[str, ...] = (
    "spine_flex",
    "spine_bend",
    "spine_twist",
    "neck_flex",
    "neck_bend",
)
#: Joints of each limb, named ``right_<joint>`` and ``left_<joint>`` in a pose.
LIMB_JOINTS: tuple[str, ...] = (
    "hip_flex",
    "hip_abd",
    "hip_rot",
    "knee",
    "ankle",
    "shoulder_flex",
    "shoulder_abd",
    "shoulder_rot",
    "elbow",
    "wrist",
)
JOINTS: tuple[str, ...] = (
    *ROOT_ANGLES,
    *MIDLINE_JOINTS,
    *(f"{side}_{joint}" for side in BODY_SIDES for joint in LIMB_JOINTS),
)

#: Each joint's range in degrees (lowest, highest): typical adult ranges of motion,
#: rounded, with the passive end that a stretch reaches: hip flexion with the knee bent,
#: hip abduction with a leg up on a chair, knee flexion sitting on the heels, ankle (and
#: midfoot) plantarflexion kneeling on the tops of the feet, wrist extension with the palm
#: flat on the floor, spine extension in a press up. Positive is flexion, abduction (away
#: from the midline), external rotation, dorsiflexion (toes up), wrist extension (palm
#: flat on the floor), bending or turning toward the right; negative is the opposite.
JOINT_LIMITS: dict[str, tuple[float, float]] = {
    "spine_flex": (-40.0, 80.0),
    "spine_bend": (-35.0, 35.0),
    "spine_twist": (-45.0, 45.0),
    "neck_flex": (-60.0, 60.0),
    "neck_bend": (-40.0, 40.0),
    "hip_flex": (-30.0, 135.0),
    "hip_abd": (-30.0, 60.0),
    "hip_rot": (-45.0, 60.0),
    "knee": (0.0, 155.0),
    "ankle": (-65.0, 25.0),
    "shoulder_flex": (-60.0, 180.0),
    "shoulder_abd": (-40.0, 180.0),
    "shoulder_rot": (-70.0, 90.0),
    "elbow": (0.0, 150.0),
    "wrist": (-70.0, 90.0),
}

#: What a joint's name means in words, for error messages and the contact sheet.
JOINT_WORDS: dict[str, str] = {
    "spine_flex": "spine flexion (+) / extension (-)",
    "spine_bend": "spine side bend",
    "spine_twist": "spine twist",
    "neck_flex": "neck flexion (+) / extension (-)",
    "neck_bend": "neck side bend",
    "hip_flex": "hip flexion (+) / extension (-)",
    "hip_abd": "hip abduction (+) / adduction (-)",
    "hip_rot": "hip external (+) / internal (-) rotation",
    "knee": "knee flexion",
    "ankle": "ankle dorsiflexion (+) / plantarflexion (-)",
    "shoulder_flex": "shoulder flexion (+) / extension (-)",
    "shoulder_abd": "shoulder abduction (+) / adduction (-)",
    "shoulder_rot": "shoulder external (+) / internal (-) rotation",
    "elbow": "elbow flexion",
    "wrist": "wrist extension (+) / flexion (-)",
}


def joint_kind(joint: str) -> str:
    """The limit table's key of a pose's joint name: ``right_knee`` -> ``knee``."""
    for side in BODY_SIDES:
        if joint.startswith(f"{side}_"):
            return joint.removeprefix(f"{side}_")
    return joint


def joint_limits(joint: str) -> tuple[float, float] | None:
    """The range of a pose's joint, or None for a root angle (which has none)."""
    return JOINT_LIMITS.get(joint_kind(joint))


# ----------------------------------------------------------------------------- segments

#: Fixed offsets of each point from its parent joint, in the parent segment's frame (cm).
OFFSETS: dict[str, Vec] = {
    "hip": (0.0, 0.0, 9.0),  # each hip joint beside the pelvis centre
    "spine": (0.0, 50.0 / 3, 0.0),  # each of three spine segments, pelvis to neck base
    "shoulder": (-3.0, -5.0, 17.0),  # each shoulder joint from the neck base, set back
    "head": (2.0, 16.0, 0.0),  # neck base to the centre of the head
    "thigh": (0.0, -43.0, 0.0),
    "shin": (0.0, -43.0, 0.0),
    "heel": (-5.0, -6.0, 0.0),  # from the ankle, in the foot's frame
    "toe": (16.0, -6.0, 0.0),  # the ball of the foot, from the ankle
    "upper_arm": (0.0, -31.0, 0.0),
    "forearm": (0.0, -25.0, 0.0),
    "hand": (0.0, -12.0, 0.0),  # wrist to fingertips, in the hand's frame
}
HEAD_RADIUS = 11.0


@dataclass(frozen=True)
class Capsule:
    """A segment drawn as a round-ended stroke: two named points and a radius (cm)."""

    start: str
    end: str
    radius: float
    part: str  # "trunk", "head", or a limb such as "right_leg"


def _limb_capsules(side: BodySide) -> tuple[Capsule, ...]:
    arm, leg = f"{side}_arm", f"{side}_leg"
    return (
        Capsule(f"{side}_hip", f"{side}_knee", 7.0, leg),
        Capsule(f"{side}_knee", f"{side}_ankle", 5.0, leg),
        Capsule(f"{side}_ankle", f"{side}_heel", 3.0, leg),
        Capsule(f"{side}_heel", f"{side}_toe", 3.0, leg),
        Capsule(f"{side}_ankle", f"{side}_toe", 3.0, leg),
        Capsule(f"{side}_shoulder", f"{side}_elbow", 5.0, arm),
        Capsule(f"{side}_elbow", f"{side}_wrist", 4.0, arm),
        Capsule(f"{side}_wrist", f"{side}_hand", 4.0, arm),
    )


#: Every segment, trunk first. The head is a ball of :data:`HEAD_RADIUS` on its own point.
CAPSULES: tuple[Capsule, ...] = (
    Capsule("pelvis", "waist", 10.0, "trunk"),
    Capsule("waist", "midback", 10.0, "trunk"),
    Capsule("midback", "shoulders", 10.0, "trunk"),
    Capsule("left_hip", "right_hip", 8.0, "trunk"),
    Capsule("left_shoulder", "right_shoulder", 6.0, "trunk"),
    Capsule("shoulders", "head", 5.0, "trunk"),
    *_limb_capsules("right"),
    *_limb_capsules("left"),
)
#: The trunk's outline (hips to shoulders), filled so that a front view shows a torso.
TORSO: tuple[str, ...] = ("left_hip", "right_hip", "right_shoulder", "left_shoulder")

POINTS: tuple[str, ...] = tuple(
    dict.fromkeys(
        [name for capsule in CAPSULES for name in (capsule.start, capsule.end)] + ["head"]
    )
)


def point_radius(point: str) -> float:
    """How far the body's surface lies from a point: the widest segment (or head) there."""
    if point == "head":
        return HEAD_RADIUS
    return max(c.radius for c in CAPSULES if point in (c.start, c.end))


# ----------------------------------------------------------------------------- rotations


def _rot_x(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))


def _rot_y(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))


def _rot_z(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


def _mul(a: Mat, b: Mat) -> Mat:
    return tuple(  # type: ignore[return-value]
        tuple(sum(a[i][k] * b[k][j] for k in range(3)) for j in range(3)) for i in range(3)
    )


def _apply(m: Mat, v: Vec) -> Vec:
    return (
        m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
        m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
        m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2],
    )


def _add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def _chain(*mats: Mat) -> Mat:
    out = mats[0]
    for m in mats[1:]:
        out = _mul(out, m)
    return out


def rotate_view(point: Vec, turn: float, tilt: float) -> Vec:
    """A world point as a camera sees it: turned ``turn`` degrees about the vertical (the
    scene's right side toward the viewer), then tilted ``tilt`` degrees to look from above."""
    return _apply(_mul(_rot_x(tilt), _rot_y(-turn)), point)


# -------------------------------------------------------------------- forward kinematics


def full_pose(angles: Mapping[str, float]) -> dict[str, float]:
    """Every joint's angle: those given, 0 (standing straight, arms hanging) for the rest."""
    return {joint: float(angles.get(joint, 0.0)) for joint in JOINTS}


def forward(angles: Mapping[str, float]) -> dict[str, Vec]:
    """Each named point of the posed body, relative to the pelvis centre (at the origin).

    Joint order, from the parent segment outward: flexion about the segment's z axis, then
    abduction about x, then rotation about the limb's own long axis. Signs are chosen so
    that the same angle means the same movement on either side (the left side's
    abduction and rotation turn the other way in space).
    """
    a = full_pose(angles)
    root = _chain(_rot_y(-a["turn"]), _rot_z(-a["pitch"]), _rot_x(a["roll"]))
    third = _chain(
        _rot_z(-a["spine_flex"] / 3), _rot_x(a["spine_bend"] / 3), _rot_y(-a["spine_twist"] / 3)
    )
    points: dict[str, Vec] = {"pelvis": (0.0, 0.0, 0.0)}
    frame = root
    position = points["pelvis"]
    for name in ("waist", "midback", "shoulders"):
        frame = _mul(frame, third)
        position = _add(position, _apply(frame, OFFSETS["spine"]))
        points[name] = position
    chest = frame
    neck = _mul(chest, _mul(_rot_z(-a["neck_flex"]), _rot_x(a["neck_bend"])))
    points["head"] = _add(points["shoulders"], _apply(neck, OFFSETS["head"]))

    for side in BODY_SIDES:
        mirror = 1.0 if side == "right" else -1.0

        def joint(name: str, side: str = side) -> float:
            return a[f"{side}_{name}"]

        hip_offset = OFFSETS["hip"]
        hip = _apply(root, (hip_offset[0], hip_offset[1], mirror * hip_offset[2]))
        points[f"{side}_hip"] = hip
        thigh = _chain(
            root,
            _rot_z(joint("hip_flex")),
            _rot_x(-mirror * joint("hip_abd")),
            _rot_y(-mirror * joint("hip_rot")),
        )
        knee = _add(hip, _apply(thigh, OFFSETS["thigh"]))
        shin = _mul(thigh, _rot_z(-joint("knee")))
        ankle = _add(knee, _apply(shin, OFFSETS["shin"]))
        foot = _mul(shin, _rot_z(joint("ankle")))
        points[f"{side}_knee"] = knee
        points[f"{side}_ankle"] = ankle
        points[f"{side}_heel"] = _add(ankle, _apply(foot, OFFSETS["heel"]))
        points[f"{side}_toe"] = _add(ankle, _apply(foot, OFFSETS["toe"]))

        sx, sy, sz = OFFSETS["shoulder"]
        shoulder = _add(points["shoulders"], _apply(chest, (sx, sy, mirror * sz)))
        points[f"{side}_shoulder"] = shoulder
        upper = _chain(
            chest,
            _rot_z(joint("shoulder_flex")),
            _rot_x(-mirror * joint("shoulder_abd")),
            _rot_y(-mirror * joint("shoulder_rot")),
        )
        elbow = _add(shoulder, _apply(upper, OFFSETS["upper_arm"]))
        lower = _mul(upper, _rot_z(joint("elbow")))
        wrist = _add(elbow, _apply(lower, OFFSETS["forearm"]))
        hand = _mul(lower, _rot_z(joint("wrist")))
        points[f"{side}_elbow"] = elbow
        points[f"{side}_wrist"] = wrist
        points[f"{side}_hand"] = _add(wrist, _apply(hand, OFFSETS["hand"]))
    return points


def distance(a: Vec, b: Vec) -> float:
    """The straight-line distance between two points."""
    return math.dist(a, b)


def segment_lengths(points: Mapping[str, Vec]) -> dict[tuple[str, str], float]:
    """The length of every segment (and the head's distance from the neck base)."""
    return {(c.start, c.end): distance(points[c.start], points[c.end]) for c in CAPSULES}
