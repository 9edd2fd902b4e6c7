"""Tables as escaped HTML (core.html_table): the whole text, on small frames."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from core.progress.tables import NO_VALUE, TABLE_CLASS, format_cell, html_table
from tests.app.conftest import read_tables


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (3, 1, "3"),
        (np.int64(1725), 1, "1725"),
        (2.45, 1, "2.5"),
        (np.float64(-1.04), 1, "-1.0"),
        (66.6, 0, "67"),
        (float("nan"), 1, NO_VALUE),
        (None, 1, NO_VALUE),
        (pd.NA, 1, NO_VALUE),
        (math.inf, 1, "inf"),
        ("Bird dog", 1, "Bird dog"),
        ("", 1, ""),
        (True, 1, "True"),
    ],
)
def test_format_cell(value: object, places: int, shown: str) -> None:
    assert format_cell(value, places) == shown


def test_a_frame_becomes_a_whole_table_with_numbers_right_aligned() -> None:
    frame = pd.DataFrame(
        {
            "Exercise": ["Bridge", "Bird dog"],
            "Discuss": ["Yes", ""],
            "Sessions": [12, 3],
            "Before": [4.25, float("nan")],
            "Done %": [66.6, 100.0],
        }
    )
    assert html_table(frame, decimals={"Done %": 0}) == (
        f"<table class='{TABLE_CLASS}'><thead><tr>"
        "<th scope='col'>Exercise</th><th scope='col'>Discuss</th>"
        "<th scope='col' class=\"num\">Sessions</th><th scope='col' class=\"num\">Before</th>"
        "<th scope='col' class=\"num\">Done %</th></tr></thead><tbody>"
        '<tr><td>Bridge</td><td>Yes</td><td class="num">12</td><td class="num">4.2</td>'
        '<td class="num">67</td></tr>'
        '<tr><td>Bird dog</td><td></td><td class="num">3</td><td class="num">–</td>'
        '<td class="num">100</td></tr>'
        "</tbody></table>"
    )


def test_markup_in_a_cell_or_a_header_or_the_caption_is_text() -> None:
    frame = pd.DataFrame({"<b>Name</b>": ["<script>alert(1)</script> & 'x'"]})
    assert html_table(frame, caption="<i>c</i>") == (
        f"<table class='{TABLE_CLASS}'><caption>&lt;i&gt;c&lt;/i&gt;</caption>"
        "<thead><tr><th scope='col'>&lt;b&gt;Name&lt;/b&gt;</th></tr></thead><tbody>"
        "<tr><td>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#x27;x&#x27;</td></tr>"
        "</tbody></table>"
    )
    # Read back as a browser would: the same text, not markup.
    (shown,) = read_tables(html_table(frame))
    assert shown.to_dict("records") == [{"<b>Name</b>": "<script>alert(1)</script> & 'x'"}]


def test_an_empty_frame_keeps_its_headers() -> None:
    frame = pd.DataFrame({"Exercise": pd.Series([], dtype=str), "Done": pd.Series([], dtype=int)})
    assert html_table(frame) == (
        f"<table class='{TABLE_CLASS}'><thead><tr><th scope='col'>Exercise</th>"
        "<th scope='col' class=\"num\">Done</th></tr></thead><tbody></tbody></table>"
    )
