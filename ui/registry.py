"""The one table of pages: script, title, icon, address and who sees it.

``app.py`` builds its navigation from it, ``ui/access.py`` takes the owner's addresses from
it (the login page answers at each of them while the app is locked), and the benchmark and
the tests read it instead of listing pages again. Plain data: no Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Audience = Literal["owner", "newcomer", "locked", "therapist", "bad_link"]
#: Who sees a page: the owner once a profile exists; a newcomer (no profile yet); anyone
#: while an owner passphrase is set and not entered; a valid share link; any other link.
AUDIENCES: tuple[Audience, ...] = ("owner", "newcomer", "locked", "therapist", "bad_link")


@dataclass(frozen=True)
class PageSpec:
    """One page: its script in ``views/``, its title and icon, its address and audience.

    ``url_path`` is the address a browser asks for (``http://host/<url_path>``); the
    ``default`` page of an audience is also served at the root address. A page that is not
    ``in_menu`` is reachable by its address and by links, but not listed in the sidebar.
    A page with a ``switch`` is in the navigation only while that app setting is on
    (:mod:`core.files.app_settings`).
    """

    script: str
    title: str
    icon: str | None
    url_path: str
    audience: Audience
    default: bool = False
    in_menu: bool = True
    switch: Literal["therapist"] | None = None


PAGES: tuple[PageSpec, ...] = (
    PageSpec("views/today.py", "Today", ":material/today:", "today", "owner", default=True),
    PageSpec("views/exercises.py", "Exercises", ":material/fitness_center:", "exercises", "owner"),
    PageSpec("views/session.py", "Session", ":material/timer:", "session", "owner"),
    PageSpec("views/progress.py", "Progress", ":material/monitoring:", "progress", "owner"),
    PageSpec(
        "views/weekly_review.py", "Weekly review", ":material/event_note:", "weekly_review", "owner"
    ),
    PageSpec(
        "views/share_export.py", "Share & export", ":material/ios_share:", "share_export", "owner"
    ),
    PageSpec("views/records.py", "Your records", ":material/edit_note:", "records", "owner"),
    PageSpec("views/settings.py", "Settings", ":material/settings:", "settings", "owner"),
    PageSpec(
        "views/caseload.py",
        "Caseload",
        ":material/groups:",
        "caseload",
        "owner",
        switch="therapist",
    ),
    PageSpec(
        "views/setup.py",
        "Add a profile",
        ":material/person_add:",
        "setup",
        "owner",
        in_menu=False,
    ),
    PageSpec("views/setup.py", "Welcome", ":material/waving_hand:", "setup", "newcomer", True),
    PageSpec("views/login.py", "Unlock", ":material/lock:", "login", "locked", default=True),
    PageSpec("views/therapist.py", "Shared progress", None, "therapist", "therapist", True),
    PageSpec("views/invalid_link.py", "Back on Track", None, "invalid_link", "bad_link", True),
)


def pages_for(audience: Audience) -> tuple[PageSpec, ...]:
    """The pages one audience sees, in menu order (the default page first among equals)."""
    return tuple(page for page in PAGES if page.audience == audience)


def page(script: str, audience: Audience = "owner") -> PageSpec:
    """The page of ``script`` for ``audience``; KeyError if there is none."""
    for spec in pages_for(audience):
        if spec.script == script:
            return spec
    raise KeyError(f"No {audience} page {script!r}.")


#: The owner's addresses: while the app is locked, the login page answers at each of them.
OWNER_URL_PATHS: tuple[str, ...] = tuple(spec.url_path for spec in pages_for("owner"))
#: Every page script, once.
SCRIPTS: tuple[str, ...] = tuple(dict.fromkeys(spec.script for spec in PAGES))
