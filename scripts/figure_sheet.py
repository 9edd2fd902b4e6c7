"""Write the contact sheet of all 17 exercise figures and screenshot it in Chromium.

    python3 scripts/figure_sheet.py artifacts/figures.html --png artifacts/figures.png

The HTML comes from ``python -m core.domain.figures.sheet`` (every keyframe beside the
exercise's steps, the movement, any figure the keyframe file gets wrong); ``--png`` also
opens it in Debian's Chromium (Playwright, no browser download, no network) and saves a
full-page screenshot, to look at all 17 at once.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from core.domain.figures import sheet  # noqa: E402
from tests.serving import CHROMIUM, CHROMIUM_ARGS  # noqa: E402


def screenshot(html: Path, png: Path, width: int) -> None:
    """A full-page screenshot of the sheet; every request other than the file is refused."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url == html.resolve().as_uri()
                    else route.abort()
                ),
            )
            page.goto(html.resolve().as_uri(), wait_until="load")
            page.screenshot(path=str(png), full_page=True)
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the HTML file to write")
    parser.add_argument("--png", type=Path, help="also save a screenshot of it here")
    parser.add_argument("--width", type=int, default=1600, help="page width in pixels")
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    status = sheet.main([str(args.out)])
    if args.png:
        screenshot(args.out, args.png, args.width)
        print(f"screenshot in {args.png}")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
