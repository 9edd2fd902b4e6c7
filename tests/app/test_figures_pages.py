"""The exercise figures on the pages in AppTest: the Exercises page, the programme list, the
session page as it moves through exercises, sides and phases, and a broken keyframe file.

Each figure is one ``st.html`` block in a container with an explicit key; its ``data-*``
attributes say which exercise, mode and side it shows, and its images are decoded to
check that the SVG inside moves (``<animate>``) or stands still.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.db.store import Store
from core.domain.catalog import default_catalog
from core.domain.figures import poses, show
from core.domain.models import ProgrammeItem
from tests.app.conftest import open_progress_section
from tests.conftest import REPO_ROOT, make_profile, short_preset_items
from ui import clock

CATALOG = default_catalog()
START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
FIGURE = re.compile(r'data-figure="([^"]+)" data-mode="([^"]+)" data-side="([^"]+)"')
IMAGE = re.compile(r'<img class="([^"]+)" src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)"')


def shown(at: AppTest, key: str) -> dict[str, object]:
    """The figure in the container keyed ``key``: exercise, mode, side and its images."""
    (element,) = at.container(key=key).html
    exercise_id, mode, side = FIGURE.search(element.value).groups()
    images = {
        css: (base64.b64decode(data).decode("utf-8"), html.unescape(alt))
        for css, data, alt in IMAGE.findall(element.value)
    }
    return {"exercise": exercise_id, "mode": mode, "side": side, "images": images}


def figure_keys(at: AppTest, prefix: str) -> list[str]:
    return [block.key for block in at.container if block.key and block.key.startswith(prefix)]


def open_exercises(new_app: Callable[[], AppTest]) -> AppTest:
    at = new_app()
    at.switch_page("views/exercises.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_exercises_page_shows_all_17_figures_each_moving(
    new_app: Callable[[], AppTest], db_path: Path
) -> None:
    make_profile(db_path)
    at = open_exercises(new_app)
    keys = figure_keys(at, "figure_")
    assert keys == [f"figure_{exercise.id}" for exercise in CATALOG]
    for exercise in CATALOG:
        figure = shown(at, f"figure_{exercise.id}")
        assert (figure["exercise"], figure["mode"], figure["side"]) == (exercise.id, "loop", "none")
        images = figure["images"]
        assert isinstance(images, dict) and set(images) == {"bot-fig-move", "bot-fig-pair"}
        moving, alt = images["bot-fig-move"]
        assert "<animate" in moving and 'repeatCount="indefinite"' in moving
        assert alt.startswith(f"{exercise.name}, {exercise.position.lower()}")
        still, _ = images["bot-fig-pair"]
        assert "<animate" not in still, "reduced motion and print show two still frames"


def test_the_programme_list_has_a_thumbnail_per_exercise(
    new_app: Callable[[], AppTest], db_path: Path
) -> None:
    make_profile(db_path, programme=short_preset_items())
    at = open_exercises(new_app)
    expected = [f"thumb_{item.exercise_id}" for item in short_preset_items()]
    assert figure_keys(at, "thumb_") == expected
    figure = shown(at, "thumb_childs-pose")
    assert figure["mode"] == "still_hold"
    # Removing an exercise from the draft removes its thumbnail.
    at.button(key="remove_cat-cow").click().run()
    assert figure_keys(at, "thumb_") == expected[1:]


@pytest.fixture
def broken_poses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A keyframe file whose bridge bends a knee past its limit."""
    text = poses.DEFAULT_POSES_PATH.read_text(encoding="utf-8")
    start = text.index("[figures.bridge.frames.end]")
    knee = text.index("knee = 77", start)
    path = tmp_path / "poses.toml"
    path.write_text(text[:knee] + "knee = 170" + text[knee + len("knee = 77") :])
    monkeypatch.setattr(poses, "DEFAULT_POSES_PATH", path)
    show.clear_cache()
    yield
    monkeypatch.undo()
    show.clear_cache()


def test_a_figure_that_fails_its_checks_leaves_the_text_steps_alone(
    new_app: Callable[[], AppTest], db_path: Path, broken_poses: None
) -> None:
    make_profile(db_path, programme=[ProgrammeItem("bridge", 15, 5)])
    at = open_exercises(new_app)
    assert "figure_bridge" not in figure_keys(at, "figure_")
    assert len(figure_keys(at, "figure_")) == 16
    assert figure_keys(at, "thumb_") == []
    steps = "\n".join(f"{i}. {step}" for i, step in enumerate(CATALOG.get("bridge").steps, 1))
    assert steps in [markdown.value for markdown in at.markdown]
    assert not at.error


# ------------------------------------------------------------------------------ session


class FakeClock:
    def __init__(self) -> None:
        self.now = START

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def fake_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeClock]:
    fake = FakeClock()
    monkeypatch.setattr(clock, "now", lambda: fake.now)
    yield fake


def test_the_session_figure_follows_the_exercise_the_side_and_the_phase(
    new_app: Callable[[], AppTest], db_path: Path, fake_clock: FakeClock
) -> None:
    # Knee to chest: 1 hold of 20 s each side (get ready 3 s, switch sides 5 s); then
    # cat and cow, one paced round of 6 s.
    programme = [ProgrammeItem("knee-to-chest", 1, 20), ProgrammeItem("cat-cow", 1, 0)]
    profile = make_profile(db_path, programme=programme)
    store = Store.open(db_path)
    store.update_profile(profile.id, lead_in_s=3)
    store.con.close()
    at = new_app()
    at.switch_page("views/session.py").run()
    at.radio(key="pain_before").set_value(2).run()
    at.button(key="start_session").click().run()
    assert not at.exception, [e.value for e in at.exception]

    def now() -> tuple[object, object, object]:
        figure = shown(at, "session_figure")
        return figure["exercise"], figure["side"], figure["mode"]

    assert now() == ("knee-to-chest", "right", "still_start")  # get ready: the start
    assert "the start position" in next(iter(shown(at, "session_figure")["images"].values()))[1]
    fake_clock.advance(4)
    at.run()
    assert now() == ("knee-to-chest", "right", "into_hold")  # hold: into the held position
    hold = shown(at, "session_figure")["images"]
    assert isinstance(hold, dict)
    moving, alt = hold["bot-fig-move"]
    assert 'fill="freeze"' in moving and "right side" in alt
    fake_clock.advance(20)
    at.run()
    assert now() == ("knee-to-chest", "left", "still_start")  # switch sides: the other side
    fake_clock.advance(6)
    at.run()
    assert now() == ("knee-to-chest", "left", "into_hold")
    assert shown(at, "session_figure")["images"] != hold
    at.button(key="pause").click().run()
    assert now() == ("knee-to-chest", "left", "still_hold")  # paused in the hold
    at.button(key="resume").click().run()
    fake_clock.advance(21)
    at.run()
    assert now()[0] == "cat-cow"  # the next exercise
    fake_clock.advance(3.5)
    at.run()
    assert now() == ("cat-cow", "none", "loop")  # the paced breath
    paced = shown(at, "session_figure")["images"]
    assert isinstance(paced, dict)
    assert 'dur="6s"' in paced["bot-fig-move"][0]


def test_a_session_exercise_without_a_figure_shows_the_countdown_alone(
    new_app: Callable[[], AppTest], db_path: Path, fake_clock: FakeClock, broken_poses: None
) -> None:
    make_profile(db_path, programme=[ProgrammeItem("bridge", 1, 5)])
    at = new_app()
    at.switch_page("views/session.py").run()
    at.radio(key="pain_before").set_value(2).run()
    at.button(key="start_session").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [h.value for h in at.header] == ["Bridge"]
    assert "session_figure" not in [block.key for block in at.container]


# ----------------------------------------------------------------------- exercise table


def exercise_rows(at: AppTest) -> list[str]:
    """The rows of the exercise table (the HTML table with a Discuss column)."""
    (table,) = [e.value for e in at.html if "<th scope='col'>Discuss</th>" in e.value]
    return re.findall(r"<tr><td>.*?</tr>", table)


def test_the_therapist_view_shows_each_exercise_with_its_start_and_end(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.app.test_sharing_pages import NOW, make_app, new_link, open_section, two_profiles

    monkeypatch.setattr(clock, "now", lambda: NOW)
    _, bea = two_profiles(db_path)
    _, token = new_link(db_path, bea)
    at = open_section(make_app(token=token), "Days and exercises")
    assert not at.exception, [e.value for e in at.exception]
    rows = exercise_rows(at)
    assert len(rows) >= 5
    for row in rows:
        (exercise_id, mode, side) = FIGURE.search(row).groups()
        assert (mode, side) == ("pair", "none")
        ((css, data, alt),) = IMAGE.findall(row)
        assert css == "bot-fig-still" and "<animate" not in base64.b64decode(data).decode()
        name = CATALOG.get(exercise_id).name
        assert html.unescape(alt).startswith(f"{name}, ") and f"{html.escape(name)}</td>" in row

    # The owner's own Progress page keeps its table plain (its benchmark counts its bytes).
    owner = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60).run()
    owner.switch_page("views/progress.py").run()
    own_rows = exercise_rows(open_progress_section(owner, "Days and exercises"))
    assert len(own_rows) >= 5 and all("<img" not in row for row in own_rows)
