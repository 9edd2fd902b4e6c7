"""The exercise figures (core.domain.figures): kinematics, keyframes, contacts, drawing.

The contacts below are written out again from each exercise's steps, apart from the
keyframe file, so that a keyframe file that drops a contact (or names the wrong one) fails
here as well as on load.
"""

from __future__ import annotations

import base64
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from core.domain.catalog import default_catalog
from core.domain.figures import body, poses, show
from core.domain.figures.body import CAPSULES, JOINT_LIMITS, forward, joint_limits
from core.domain.figures.motion import MODES, motion_for, session_mode
from core.domain.figures.poses import (
    DEFAULT_POSES_PATH,
    LIFT_GAP,
    SINK,
    TOUCH_GAP,
    Figure,
    gap,
    load_figures,
    place,
)
from core.domain.figures.svg import (
    BODY_INK,
    CARD,
    PROP_INK,
    WORK_INK,
    figure_svg,
    pose_points,
    sample_motion,
)

CATALOG = default_catalog()
BOOK = load_figures()
SVG_NS = "{http://www.w3.org/2000/svg}"


def close(a: tuple[float, ...], b: tuple[float, ...], tolerance: float = 1e-6) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def figure(exercise_id: str) -> Figure:
    found = BOOK.get(exercise_id)
    assert found is not None, BOOK.errors.get(exercise_id)
    return found


def placed(exercise_id: str, frame: str) -> dict[str, tuple[float, float, float]]:
    fig = figure(exercise_id)
    return place(fig.frame(frame).angles, fig.anchor)


# ----------------------------------------------------------------- forward kinematics


def test_standing_straight_is_the_model_worked_out_by_hand() -> None:
    p = forward({})
    assert close(p["pelvis"], (0, 0, 0))
    assert close(p["right_hip"], (0, 0, 9)) and close(p["left_hip"], (0, 0, -9))
    assert close(p["right_knee"], (0, -43, 9))
    assert close(p["right_ankle"], (0, -86, 9))
    assert close(p["right_heel"], (-5, -92, 9)) and close(p["right_toe"], (16, -92, 9))
    assert close(p["shoulders"], (0, 50, 0))
    assert close(p["head"], (2, 66, 0))
    assert close(p["right_shoulder"], (-3, 45, 17)) and close(p["left_shoulder"], (-3, 45, -17))
    assert close(p["right_elbow"], (-3, 14, 17))
    assert close(p["right_wrist"], (-3, -11, 17))
    assert close(p["right_hand"], (-3, -23, 17))


def test_single_joints_turn_the_way_their_names_say() -> None:
    # Hip flexion 90: the thigh points forward (+x); the knee straight, the ankle beyond.
    p = forward({"right_hip_flex": 90})
    assert close(p["right_knee"], (43, 0, 9)) and close(p["right_ankle"], (86, 0, 9))
    # Knee flexion 90: the shin swings back (-x) from the knee.
    p = forward({"right_knee": 90})
    assert close(p["right_ankle"], (-43, -43, 9))
    # Elbow flexion 90: the forearm points forward from the elbow.
    p = forward({"right_elbow": 90})
    assert close(p["right_wrist"], (22, 14, 17))
    # Shoulder flexion 180: the arm straight up.
    p = forward({"right_shoulder_flex": 180})
    assert close(p["right_elbow"], (-3, 76, 17))
    # Dorsiflexion 90: the toes point up along the shin.
    p = forward({"right_ankle": 90})
    assert close(p["right_toe"], (6, -70, 9))


def test_abduction_and_rotation_mirror_between_the_sides() -> None:
    right = forward({"right_hip_abd": 30, "right_hip_rot": 40, "right_knee": 90})
    left = forward({"left_hip_abd": 30, "left_hip_rot": 40, "left_knee": 90})
    # 30 degrees out to each side: 43 sin 30 beyond the hip.
    assert right["right_knee"][2] == pytest.approx(9 + 43 * math.sin(math.radians(30)))
    for name in ("knee", "ankle", "heel", "toe"):
        x, y, z = right[f"right_{name}"]
        assert close(left[f"left_{name}"], (x, y, -z)), name


def test_spine_flexion_spreads_over_three_segments() -> None:
    # 60 degrees in three steps of 20: the neck base by hand.
    p = forward({"spine_flex": 60})
    third = 50 / 3
    x = third * sum(math.sin(math.radians(20 * k)) for k in (1, 2, 3))
    y = third * sum(math.cos(math.radians(20 * k)) for k in (1, 2, 3))
    assert close(p["shoulders"], (x, y, 0))


def test_root_angles_lay_the_body_down_and_turn_it() -> None:
    assert close(forward({"pitch": 90})["shoulders"], (50, 0, 0))  # face down, head to +x
    assert close(forward({"pitch": -90})["shoulders"], (-50, 0, 0))  # on the back
    facing = forward({"turn": 90})  # facing the viewer: the right side on the viewer's left
    assert close(facing["right_hip"], (-9, 0, 0))


# --------------------------------------------------------------------- the 17 figures


def test_every_exercise_has_a_valid_figure() -> None:
    assert BOOK.errors == {}
    assert set(BOOK.figures) == {exercise.id for exercise in CATALOG}


def every_frame() -> list[tuple[str, str]]:
    return [(eid, name) for eid, fig in BOOK.figures.items() for name in fig.frames]


@pytest.mark.parametrize(("exercise_id", "frame"), every_frame())
def test_every_keyframe_is_inside_the_joint_limits(exercise_id: str, frame: str) -> None:
    for joint, value in figure(exercise_id).frame(frame).angles.items():
        limits = joint_limits(joint)
        if limits is not None:
            assert limits[0] <= value <= limits[1], (exercise_id, frame, joint, value)


def test_the_limit_table_covers_the_joints_the_issue_names() -> None:
    for joint in ("hip_flex", "knee", "shoulder_flex", "elbow", "spine_flex"):
        low, high = JOINT_LIMITS[joint]
        assert low <= 0 < high


@pytest.mark.parametrize("exercise_id", sorted(BOOK.figures))
def test_segment_lengths_are_equal_in_every_drawn_pose(exercise_id: str) -> None:
    """Every keyframe and every in-between pose of the movement, projected and not."""
    fig = figure(exercise_id)
    exercise = CATALOG.get(exercise_id)
    neutral = body.segment_lengths(forward({}))
    for frame in fig.frames.values():
        lengths = body.segment_lengths(place(frame.angles, fig.anchor))
        for segment, length in neutral.items():
            assert lengths[segment] == pytest.approx(length, abs=1e-6), (frame.name, segment)
    # Every pose drawn along the movement (the camera only turns the body: lengths stay).
    motion = motion_for(fig, exercise.dosage, "loop")
    for _, points in sample_motion(fig, motion):
        for (a, b), length in neutral.items():
            drawn = math.dist(points[a][:3], points[b][:3])
            assert drawn == pytest.approx(length, abs=1e-6), (a, b)


@pytest.mark.parametrize("exercise_id", sorted(BOOK.figures))
def test_no_part_goes_below_the_floor_in_any_pose(exercise_id: str) -> None:
    fig = figure(exercise_id)
    motion = motion_for(fig, CATALOG.get(exercise_id).dosage, "loop")
    for frame in fig.frames.values():
        points = place(frame.angles, fig.anchor)
        assert min(gap(points, name) for name in body.POINTS) >= -SINK, frame.name
    for _, points in sample_motion(fig, motion):
        heights = {name: (0.0, p[3], 0.0) for name, p in points.items()}
        assert min(gap(heights, name) for name in body.POINTS) >= -SINK


FLOOR, TABLE, OFF = "floor", "table", "off"
#: What each exercise's steps say touches the floor or the table, or is off the floor,
#: in its held (or end) frame and, where the steps say, its start frame.
CONTACTS: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "hip-flexor-stretch": {
        "start": {FLOOR: ("right_knee", "right_toe", "left_heel", "left_toe")},
        "end": {FLOOR: ("right_knee", "right_toe", "left_heel", "left_toe")},
    },
    "hip-adductor-stretch": {
        "start": {FLOOR: ("left_heel", "left_toe"), TABLE: ("right_ankle",)},
        "end": {FLOOR: ("left_heel", "left_toe"), TABLE: ("right_ankle",)},
    },
    "hamstring-stretch": {
        "start": {FLOOR: ("left_heel", "left_toe"), TABLE: ("right_heel",)},
        "end": {FLOOR: ("left_heel", "left_toe"), TABLE: ("right_heel",)},
    },
    "glute-stretch": {
        "start": {FLOOR: ("left_heel", "left_toe"), TABLE: ("right_knee", "right_ankle")},
        "end": {FLOOR: ("left_heel", "left_toe"), TABLE: ("right_knee", "right_ankle")},
    },
    "cat-cow": {
        frame: {FLOOR: ("right_knee", "left_knee", "right_hand", "left_hand")}
        for frame in ("start", "cow", "cat")
    },
    "side-to-side": {
        "start": {FLOOR: ("head", "shoulders", "pelvis", "right_heel", "left_heel")},
        "end": {FLOOR: ("shoulders", "pelvis")},
    },
    "figure-4": {"end": {FLOOR: ("head", "shoulders", "pelvis", "left_heel", "left_toe")}},
    "knee-to-chest": {
        "end": {FLOOR: ("head", "shoulders", "pelvis", "left_heel"), OFF: ("right_knee",)}
    },
    "childs-pose": {
        "start": {FLOOR: ("right_knee", "left_knee", "right_toe")},
        "end": {FLOOR: ("head", "right_knee", "left_knee", "right_hand", "left_hand")},
    },
    "supine-core": {"end": {FLOOR: ("head", "shoulders", "waist", "pelvis", "right_heel")}},
    "supine-core-leg-draw": {
        "end": {FLOOR: ("shoulders", "pelvis", "left_heel"), OFF: ("right_heel", "right_knee")}
    },
    "press-ups": {
        "start": {FLOOR: ("head", "pelvis", "right_knee", "right_hand")},
        "end": {FLOOR: ("pelvis", "right_knee", "right_toe", "right_hand"), OFF: ("shoulders",)},
    },
    "prone-cobras": {
        "start": {FLOOR: ("head", "pelvis", "right_knee")},
        "end": {FLOOR: ("pelvis", "right_knee", "right_toe"), OFF: ("shoulders", "head")},
    },
    "bridge": {
        "start": {FLOOR: ("head", "shoulders", "pelvis", "right_heel", "left_heel")},
        "end": {
            FLOOR: ("head", "shoulders", "right_heel", "right_toe", "left_heel", "left_toe"),
            OFF: ("pelvis",),
        },
    },
    "side-bridge": {
        "start": {FLOOR: ("right_elbow", "right_wrist", "right_hip")},
        "end": {
            FLOOR: ("right_elbow", "right_wrist", "right_heel", "right_toe"),
            OFF: ("pelvis", "right_hip", "right_knee", "left_heel"),
        },
    },
    "bird-dog": {
        "end": {
            FLOOR: ("right_knee", "left_hand", "left_wrist"),
            OFF: ("right_hand", "left_heel", "left_knee"),
        }
    },
    "prone-bridge": {
        "start": {FLOOR: ("right_elbow", "right_wrist", "pelvis", "right_toe")},
        "end": {
            FLOOR: ("right_elbow", "right_wrist", "left_elbow", "left_wrist", "right_toe"),
            OFF: ("pelvis", "right_knee", "left_knee"),
        },
    },
}


def test_the_contact_table_covers_all_17() -> None:
    assert set(CONTACTS) == {exercise.id for exercise in CATALOG}


@pytest.mark.parametrize(
    ("exercise_id", "frame"),
    [(eid, frame) for eid, frames in CONTACTS.items() for frame in frames],
)
def test_the_contacts_the_steps_name_really_touch(exercise_id: str, frame: str) -> None:
    fig = figure(exercise_id)
    points = placed(exercise_id, frame)
    expected = CONTACTS[exercise_id][frame]
    for point in expected.get(FLOOR, ()):
        assert -SINK <= gap(points, point) <= TOUCH_GAP, (frame, point, gap(points, point))
    for point in expected.get(OFF, ()):
        assert gap(points, point) >= LIFT_GAP, (frame, point, gap(points, point))
    for point in expected.get(TABLE, ()):
        assert fig.table is not None and fig.table.holds(points[point]), (frame, point)
        assert abs(gap(points, point, fig.table.top)) <= TOUCH_GAP, (frame, point)


def test_standing_stretches_keep_one_foot_down_and_the_other_up_on_the_table() -> None:
    for exercise_id in ("hip-adductor-stretch", "hamstring-stretch", "glute-stretch"):
        fig = figure(exercise_id)
        assert fig.table is not None and fig.table.top > 30, exercise_id
        for frame in fig.frames:
            points = placed(exercise_id, frame)
            assert gap(points, "left_heel") <= TOUCH_GAP, (exercise_id, frame)
            assert min(gap(points, p) for p in ("right_heel", "right_ankle")) > 30


# ---------------------------------------------------------------------- validation


def write_poses(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "poses.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_keyframe_outside_a_limit_fails_naming_exercise_frame_and_joint(
    tmp_path: Path,
) -> None:
    text = DEFAULT_POSES_PATH.read_text(encoding="utf-8")
    broken = text.replace(
        "[figures.bridge.frames.end]\n", '[figures.bridge.frames.end]\nbase = "start"\n', 1
    ).replace("knee = 77", "knee = 170", 1)
    book = load_figures(write_poses(tmp_path, broken))
    assert "bridge" not in book.figures
    message = book.errors["bridge"]
    assert "'bridge'" in message and "'end'" in message and "right_knee 170°" in message
    assert "knee range 0° to 155°" in message
    assert len(book.figures) == 16, "the others are still drawn"


def test_an_unknown_joint_fails_naming_exercise_and_joint(tmp_path: Path) -> None:
    text = DEFAULT_POSES_PATH.read_text(encoding="utf-8")
    broken = text.replace(
        "angles = { pitch = -90, neck_flex", "angles = { pitch = -90, tail = 5, neck_flex", 1
    )
    book = load_figures(write_poses(tmp_path, broken))
    (failed,) = book.errors
    assert "unknown joint 'tail'" in book.errors[failed] and f"'{failed}'" in book.errors[failed]


def test_a_contact_that_floats_fails(tmp_path: Path) -> None:
    text = DEFAULT_POSES_PATH.read_text(encoding="utf-8")
    start = text.index("[figures.bridge.frames.end]")
    angles = text.index("neck_flex = 24", start)
    broken = text[:angles] + "neck_flex = -40" + text[angles + len("neck_flex = 24") :]
    book = load_figures(write_poses(tmp_path, broken))
    assert "should touch the floor but is" in book.errors["bridge"]


def test_an_unreadable_file_leaves_every_exercise_without_a_figure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(poses, "DEFAULT_POSES_PATH", write_poses(tmp_path, "[figures\n"))
    show.clear_cache()
    try:
        assert poses.default_figures().figures == {}
        assert show.figure_html(CATALOG.get("bridge")) == ""
    finally:
        monkeypatch.undo()
        show.clear_cache()
    assert show.figure_html(CATALOG.get("bridge")) != ""


# -------------------------------------------------------------------------- mirroring


@pytest.mark.parametrize("exercise_id", ["hip-flexor-stretch", "side-to-side", "glute-stretch"])
def test_the_left_side_is_the_mirror_image_of_the_right(exercise_id: str) -> None:
    fig = figure(exercise_id)
    for frame in fig.frames.values():
        right = pose_points(fig, frame.angles, mirror=False)
        left = pose_points(fig, frame.angles, mirror=True)
        for name, (x, y, z, h) in right.items():
            assert close(left[name], (-x, y, z, h)), name
    exercise = CATALOG.get(exercise_id)
    right_svg = figure_svg(fig, exercise, "still_hold", "right")
    left_svg = figure_svg(fig, exercise, "still_hold", "left")
    assert "right side" in right_svg and "left side" in left_svg
    # The same drawing turned over: the same box, the head as far from the other edge.
    box = [float(v) for v in re.search(r'viewBox="([^"]+)"', right_svg)[1].split()]
    assert (
        re.search(r'viewBox="([^"]+)"', left_svg)[1]
        == re.search(r'viewBox="([^"]+)"', right_svg)[1]
    )
    head_right = float(re.search(r'<circle cx="([-\d]+)"', right_svg)[1])
    head_left = float(re.search(r'<circle cx="([-\d]+)"', left_svg)[1])
    assert head_left - box[0] == pytest.approx(box[0] + box[2] - head_right, abs=1)


# ---------------------------------------------------------------------------- drawing


def all_svgs() -> list[tuple[str, str, str]]:
    return [
        (exercise.id, mode, side)
        for exercise in CATALOG
        for mode in MODES
        for side in (("right", "left") if exercise.dosage.sides != "none" else ("none",))
    ]


@pytest.mark.parametrize(("exercise_id", "mode", "side"), all_svgs())
def test_every_svg_is_well_formed_self_contained_small_and_labelled(
    exercise_id: str, mode: str, side: str
) -> None:
    exercise = CATALOG.get(exercise_id)
    svg = figure_svg(figure(exercise_id), exercise, mode, side)  # type: ignore[arg-type]
    assert len(svg.encode("utf-8")) < 20_000, len(svg)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    # Nothing from outside: no image, script, foreign object, style sheet or link.
    tags = {element.tag.removeprefix(SVG_NS) for element in root.iter()}
    assert tags <= {"svg", "title", "rect", "path", "circle", "g", "defs", "use", "animate"}
    for element in root.iter():
        for name, value in element.attrib.items():
            if name in ("href", "{http://www.w3.org/1999/xlink}href"):
                assert value.startswith("#"), value
            assert "url(" not in value and "//" not in value, value
    # The text alternative names the exercise and its position.
    label = root.attrib["aria-label"]
    assert label == root.find(f"{SVG_NS}title").text
    assert exercise.name in label and exercise.position.lower() in label
    moving = root.findall(f".//{SVG_NS}animate")
    assert bool(moving) == (mode in ("loop", "into_hold")), mode


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_inks_contrast_with_the_card_and_the_card_with_a_dark_page() -> None:
    assert contrast(BODY_INK[0], CARD) >= 7
    for ink in (*BODY_INK, *WORK_INK, PROP_INK):
        assert contrast(ink, CARD) >= 3, ink
    assert contrast(CARD, "#0e1117") >= 3 and contrast(CARD, "#ffffff") < 1.1
    assert WORK_INK[0] not in BODY_INK, "one colour for the working side"


def test_the_working_side_is_drawn_in_its_own_colour() -> None:
    svg = figure_svg(figure("bird-dog"), CATALOG.get("bird-dog"), "still_hold", "right")
    assert WORK_INK[0] in svg and WORK_INK[1] in svg  # the near arm, the far leg
    svg = figure_svg(figure("bridge"), CATALOG.get("bridge"), "still_hold", "none")
    assert WORK_INK[0] not in svg and WORK_INK[1] not in svg  # both sides work alike


# --------------------------------------------------------------------------- motion


def test_the_pace_follows_the_exercise() -> None:
    cat_cow = motion_for(figure("cat-cow"), CATALOG.get("cat-cow").dosage, "loop")
    assert cat_cow.duration_s == CATALOG.get("cat-cow").dosage.pace_s
    assert [key.frame for key in cat_cow.keys] == ["cat", "cow", "cat"]
    assert cat_cow.keys[1].at_s == pytest.approx(cat_cow.duration_s / 2)  # breathe in first
    bridge = motion_for(figure("bridge"), CATALOG.get("bridge").dosage, "loop")
    held = [key.at_s for key in bridge.keys if key.frame == "end"]
    assert held[1] - held[0] > 0 and bridge.repeat  # into the hold, stays, comes back
    into = motion_for(figure("bridge"), CATALOG.get("bridge").dosage, "into_hold")
    assert not into.repeat and into.keys[-1].frame == "end"
    side = motion_for(figure("side-to-side"), CATALOG.get("side-to-side").dosage, "loop", "none")
    assert {"end", "away"} <= {key.frame for key in side.keys}  # both sides in the demo
    left = motion_for(figure("side-to-side"), CATALOG.get("side-to-side").dosage, "loop", "left")
    assert {key.frame for key in left.keys} == {"start", "end"} and left.keys[0].mirror


def test_the_session_shows_the_start_getting_ready_and_the_hold_while_holding() -> None:
    assert session_mode("get_ready") == "still_start"
    assert session_mode("rest") == "still_start"
    assert session_mode("switch_side") == "still_start"
    assert session_mode("hold") == "into_hold"
    assert session_mode("paced") == session_mode("tap") == "loop"
    assert session_mode("paused", "hold") == "still_hold"
    assert session_mode("paused", "get_ready") == "still_start"


def decoded_images(html_text: str) -> dict[str, str]:
    """The SVG of each ``<img>`` in a figure's HTML, by its class."""
    found = re.findall(r'<img class="([^"]+)" src="data:image/svg\+xml;base64,([^"]+)"', html_text)
    return {css: base64.b64decode(data).decode("utf-8") for css, data in found}


def test_a_moving_figure_carries_its_still_pair_for_reduced_motion_and_print() -> None:
    html_text = show.figure_html(CATALOG.get("bridge"), "loop")
    images = decoded_images(html_text)
    assert set(images) == {"bot-fig-move", "bot-fig-pair"}
    assert "<animate" in images["bot-fig-move"] and "<animate" not in images["bot-fig-pair"]
    assert "prefers-reduced-motion: reduce), print" in html_text
    still = decoded_images(show.figure_html(CATALOG.get("bridge"), "still_start"))
    assert set(still) == {"bot-fig-still"}
    # A new hold gets a new image, so that its movement starts again.
    first = show.session_figure_html(CATALOG.get("bridge"), "none", "hold", None, "s:0:3")
    again = show.session_figure_html(CATALOG.get("bridge"), "none", "hold", None, "s:0:4")
    assert decoded_images(first)["bot-fig-move"] != decoded_images(again)["bot-fig-move"]


def test_the_report_draws_each_row_of_the_exercise_table_inline() -> None:
    import pandas as pd

    from core.progress.tables import exercise_figures

    table = pd.DataFrame(index=pd.Index(["bridge", "bird-dog", "gone"], name="exercise_id"))
    inline = exercise_figures(table, inline=True)
    assert inline[2] == ""
    for html_text, name in zip(inline[:2], ("Bridge", "Bird dog"), strict=True):
        assert "<img" not in html_text and html_text.count("<svg") == 1
        assert f"{name}, " in html_text
    pages = exercise_figures(table, inline=False)
    assert all("<svg" not in text for text in pages) and pages[0].count("<img") == 1


def test_the_contact_sheet_shows_all_17(tmp_path: Path) -> None:
    from core.domain.figures import sheet

    out = tmp_path / "sheet.html"
    assert sheet.main([str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.count("<section id=") == 17
    assert all(f"id='{exercise.id}'" in text for exercise in CATALOG)


def test_every_capsule_has_a_positive_radius() -> None:
    assert all(capsule.radius > 0 for capsule in CAPSULES)
