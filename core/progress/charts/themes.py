"""The dashboard's figures in the dark theme: the few colours drawn for a light page,
swapped for ones that read on a dark one.

The figures are built once, for the light theme (and the report, which is always light).
Streamlit's chart theme already draws the background, axes, grid and legend text in the
page's theme; what it leaves are the colours a figure names itself: the black lines and
markers (the 7-day average, the target, the PSFS score), the dark grey labels, the light
grey of a day without a session and the white boxes behind line labels. The Okabe-Ito
colours of the data read on both backgrounds and stay as they are.
"""

from __future__ import annotations

from typing import Any

from core.progress.charts.style import BLACK, DARK_GREY, LIGHT_GREY

#: Light-theme colour (lower case) -> its dark-theme stand-in.
DARK_SWAPS: dict[str, str] = {
    BLACK.lower(): "#e6e6e6",
    DARK_GREY.lower(): "#b3b3b3",
    LIGHT_GREY.lower(): "#3d3d3d",
    "white": "#171614",
    "rgba(255,255,255,0.8)": "rgba(23,22,20,0.85)",
}


def _swap(value: Any, swaps: dict[str, str]) -> Any:
    if isinstance(value, str):
        return swaps.get(value.lower(), value)
    if isinstance(value, dict):
        return {key: _swap(item, swaps) for key, item in value.items()}
    if isinstance(value, list):
        return [_swap(item, swaps) for item in value]
    return value  # numbers, arrays of data: never colours


def for_theme(figure: dict[str, Any], theme: str) -> dict[str, Any]:
    """``figure`` (a plain dict) for the page's ``theme``: as it is for "light", with the
    colours of :data:`DARK_SWAPS` swapped for "dark". The figure passed in is not changed."""
    if theme != "dark":
        return figure
    return _swap(figure, DARK_SWAPS)
