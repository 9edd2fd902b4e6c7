"""Small helpers for showing user text (names, recipients) safely in Streamlit markdown."""

from __future__ import annotations

_MARKDOWN_SPECIAL = frozenset("\\`*_{}[]()#+-.!|~<>:$&=")


def md_escape(text: str) -> str:
    """``text`` with every markdown-significant character escaped, to show it as written.

    Covers CommonMark's punctuation plus Streamlit's own syntax (``:red[...]``,
    ``:material/icon:`` and ``$`` for LaTeX), so a name cannot format or link anything.
    """
    return "".join(f"\\{ch}" if ch in _MARKDOWN_SPECIAL else ch for ch in text)
