"""Screenshots of the main pages on the bundled sample, for the README (make screenshots).

Serves demo.db (made by make demo) on a free loopback port and photographs it in Debian's
chromium through Playwright.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storylens.web.serving import serving  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic"]  # fmt: skip


def main() -> None:
    db = ROOT / "demo.db"
    out = ROOT / "docs" / "screenshots"
    with serving(db) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.set_default_timeout(120_000)
        page.goto(base + "/")
        page.screenshot(path=str(out / "stories.png"), full_page=True)
        page.click("text=Valdria and Kelmar sign air defence pact in Ruskor")
        page.screenshot(path=str(out / "story.png"), full_page=True)
        page.locator("#copies").screenshot(path=str(out / "copy-graph.png"))
        page.locator("#coverage").screenshot(path=str(out / "coverage.png"))
        page.click("#articles a:has-text('Valdria, Kelmar ink air defence agreement')")
        page.screenshot(path=str(out / "article.png"), full_page=True)
        browser.close()
    print(f"screenshots written to {out}")


if __name__ == "__main__":
    main()
