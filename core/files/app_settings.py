"""Settings of this copy of the app, not of any profile: kept in a small JSON file beside the
database file (``<database>.settings.json``).

Why a file and not a table: these are not anyone's health records (the schema's tables all
belong to one profile each, and are exported, copied and erased by profile), and, like the
owner passphrase in ``.streamlit/secrets.toml``, they describe how this copy is used. Today
there is one: whether the owner is a therapist who wants the Caseload page.

A missing, unreadable or damaged file reads as the defaults (never an error a page must
handle); a write replaces the file atomically, so a crash leaves the old or the new one.
For a database that is not a file (``:memory:``), the settings live in this process.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from core.db.connection import database_target, is_file_target

SUFFIX = ".settings.json"


@dataclass(frozen=True)
class AppSettings:
    """The app-wide settings. ``therapist``: show the Caseload page of every profile."""

    therapist: bool = False


def switched_on(settings: AppSettings) -> frozenset[str]:
    """The names of the settings that are on (the pages they show, ``ui.registry``)."""
    return frozenset(f.name for f in fields(settings) if getattr(settings, f.name) is True)


_in_memory: dict[str, AppSettings] = {}
_lock = threading.Lock()


def settings_path(target: str | None = None) -> Path | None:
    """The settings file of the database ``target`` (default: the app's), None if not a file."""
    resolved = database_target(target)
    return Path(resolved + SUFFIX) if is_file_target(resolved) else None


def read_settings(target: str | None = None) -> AppSettings:
    """The settings of the database ``target``; the defaults when there are none."""
    path = settings_path(target)
    if path is None:
        with _lock:
            return _in_memory.get(database_target(target), AppSettings())
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return AppSettings()
    if not isinstance(data, dict):
        return AppSettings()
    known = {f.name: f.type for f in fields(AppSettings)}
    values = {k: v for k, v in data.items() if k in known and isinstance(v, bool)}
    return AppSettings(**values)


def write_settings(settings: AppSettings, target: str | None = None) -> None:
    """Save the settings of the database ``target``, replacing the file in one step.

    Raises OSError when the folder cannot be written (the caller says it was not saved).
    """
    path = settings_path(target)
    if path is None:
        with _lock:
            _in_memory[database_target(target)] = settings
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(asdict(settings), indent=2) + "\n"
    with _lock:
        handle, temporary = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
