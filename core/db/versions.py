"""Data versions: counters that every write bumps, the keys of the pages' caches.

A cached dashboard is keyed on its profile's version, so a new record shows at once. The
store bumps them in one place (:meth:`core.db.store.Store.writing`) after each write.
"""

from __future__ import annotations

import threading

_versions: dict[str, int] = {}
_writes = [0]  # every bump, whichever the profile
_versions_lock = threading.Lock()


def data_version(profile_id: str) -> int:
    """A counter bumped by every write for the profile: the key for page caches."""
    with _versions_lock:
        return _versions.get(profile_id, 0)


def file_version() -> int:
    """A counter bumped by every write for any profile: the key for caches of reads across
    profiles (the profile list)."""
    with _versions_lock:
        return _writes[0]


def bump(profile_id: str) -> None:
    """Mark the profile's data as changed, so page caches keyed on data_version refresh."""
    with _versions_lock:
        _versions[profile_id] = _versions.get(profile_id, 0) + 1
        _writes[0] += 1
