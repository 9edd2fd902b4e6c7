"""The one answer to every share link that is not valid: no data, no hint why."""

from __future__ import annotations

from ui.access import show_invalid_link

show_invalid_link()
