"""Every page of the navigation runs without an exception, on an empty file and a set-up one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.conftest import errors, open_url_path, titles
from tests.conftest import make_profile, short_preset_items

# page file -> (url path, title with a profile named "Ann")
PAGES: dict[str, tuple[str, str]] = {
    "views/today.py": ("today", "Hello, Ann"),
    "views/exercises.py": ("exercises", "Exercises"),
    "views/session.py": ("session", "Session"),
    "views/progress.py": ("progress", "Progress"),
    "views/weekly_review.py": ("weekly_review", "Weekly review"),
    "views/share_export.py": ("share_export", "Share & export"),
    "views/records.py": ("records", "Your records"),
    "views/settings.py": ("settings", "Settings"),
    "views/setup.py": ("setup", "Add a profile"),
}
# Pages that are never in the owner's navigation: the passphrase gate's login page and the
# therapist view of a share link (tests/app/test_sharing_pages.py covers both).
ACCESS_PAGES = {"views/login.py", "views/therapist.py", "views/invalid_link.py"}
# Pages in the navigation only once an app setting is on (tests/app/test_caseload.py).
SWITCHED_PAGES = {"views/caseload.py"}


def test_every_page_file_is_covered() -> None:
    from tests.conftest import REPO_ROOT

    on_disk = {f"views/{path.name}" for path in (REPO_ROOT / "views").glob("*.py")}
    assert on_disk == set(PAGES) | ACCESS_PAGES | SWITCHED_PAGES


def test_empty_database_opens_on_the_welcome_page(new_app) -> None:
    at = new_app()
    assert not at.exception
    assert not at.error
    assert titles(at) == ["Welcome to Back on Track"]


@pytest.mark.parametrize("page", list(PAGES))
def test_page_on_empty_database_shows_welcome(new_app, page: str) -> None:
    """Without a profile only setup is in the navigation; any other page URL falls back to it."""
    at = new_app()
    if page == "views/setup.py":
        at.switch_page(page).run()
    else:
        with pytest.raises(ValueError, match="Known pages"):
            at.switch_page(page)
        open_url_path(at, PAGES[page][0])
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, errors(at)
    assert titles(at) == ["Welcome to Back on Track"]


@pytest.mark.parametrize("page", list(PAGES))
def test_page_with_profile_and_programme(new_app, db_path: Path, page: str) -> None:
    make_profile(db_path, name="Ann", programme=short_preset_items())
    at = new_app()
    assert titles(at) == ["Hello, Ann"], "the default page with a profile is Today"
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, errors(at)
    assert titles(at) == [PAGES[page][1]]
    # app.py's sidebar ran too (the not-medical-advice line is on every page).
    assert any("not medical advice" in caption.value for caption in at.sidebar.caption)
