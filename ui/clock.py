"""The app's clock. Tests replace ``now`` to run sessions without waiting."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def runner_clock() -> datetime:
    """What the session runner calls; it looks ``now`` up on each call so a patch applies."""
    return now()
