"""This browser's key: the token inside Streamlit's XSRF cookie, whatever mask a page load
wrote it under (the key that keeps a household's profile choice and slows bad tokens)."""

from __future__ import annotations

from ui.state import xsrf_token

# Three page loads of one Chromium profile (cookies copied from a real run): one token,
# three masks. Unmasked by hand: each byte XOR the 4-byte mask, repeated.
LOADS = (
    "2|a43bee94|d89028801d4ad9798c1ff2544c3fe303|1796216308",
    "2|e46f424c|98c484585d1e75a1cc4b5e8c0c6b4fdb|1796216308",
    "2|207fb43a|5cd4722e990e83d7085ba8fac87bb9ad|1796216308",
)
TOKEN = bytes.fromhex("7cabc614b97137ed28241cc0e8040d97")


def test_every_mask_of_one_token_gives_that_token() -> None:
    # d8 ^ a4 = 7c, 90 ^ 3b = ab, 28 ^ ee = c6, 80 ^ 94 = 14, then the mask repeats.
    assert {xsrf_token(cookie) for cookie in LOADS} == {TOKEN}


def test_a_version_one_cookie_is_its_token_and_junk_is_none() -> None:
    assert xsrf_token("7cabc614") == bytes.fromhex("7cabc614")
    for junk in ("", "2|zz|00|1", "2|a43bee|d890|1", "2|a43bee94||1", "not hex", "3|a|b|c"):
        assert xsrf_token(junk) is None, junk
