"""The web app in a real browser: Debian's chromium driven by Playwright, against the real server."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# In CI the browser must be there (make test installs it); elsewhere its absence skips these tests.
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (make browser)",
)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def page(web_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": 1100, "height": 900})
        tab = context.new_page()
        tab.set_default_timeout(60_000)
        tab.base = web_server
        yield tab
        browser.close()


def test_a_reader_searches_opens_a_story_and_follows_a_citation(page):
    page.goto(page.base + "/")
    assert page.locator("li.story").count() >= 6
    page.fill("input[name=q]", "air defence")
    page.click("button[type=submit]")
    assert page.locator("li.story").count() == 1
    page.click("li.story > a")
    assert page.locator("h1").inner_text() == "Valdria and Kelmar sign air defence pact in Ruskor"
    # The coverage matrix: one row per shared fact, one column per outlet, the top fact (the
    # signers, TRUTH.md) carried by all seven, two of them (Meridian and Northgate, wholly derived
    # from the Harbor Wire story: TRUTH.md's reuse table) by reprinting it (◑).
    assert page.locator("table.matrix thead th.src").count() == 7
    top = page.locator("table.matrix tbody tr").first
    assert top.locator("td.has").count() + top.locator("td.reprint").count() == 7
    assert top.locator("td.reprint").count() == 2
    # The copy graph: one arrow per reuse pair listed beneath it, each ending in an arrowhead.
    pairs = page.locator("#copies li").count()
    assert pairs >= 1 and page.locator("svg.graph line.edge").count() == pairs
    assert page.locator("svg.graph line.edge[marker-end]").count() >= 1
    assert page.locator("svg.graph").bounding_box()["width"] > 100
    sentence = page.locator("#summary li").first
    words = {w.strip('.,"“”').lower() for w in sentence.inner_text().split() if len(w) > 4}
    citation = sentence.locator("a.cite").first
    target = citation.get_attribute("href")
    assert "#p" in target  # the citation lands on the paragraph, not just the article
    citation.click()
    assert page.url.endswith(target)
    landed = {w.strip('.,"“”').lower() for w in page.locator("article.body p:target").inner_text().split()}
    assert len(words & landed) >= 3  # the paragraph carrying the fact, in that outlet's words


def test_an_article_shows_its_reused_passage_highlighted_and_linked(page):
    page.goto(page.base + "/")
    page.click("text=Valdria and Kelmar sign air defence pact in Ruskor")
    page.click("#articles a:has-text('Valdria, Kelmar ink air defence agreement')")
    mark = page.locator("article.body mark").first
    assert mark.is_visible()
    source = mark.locator("a").get_attribute("href")
    assert re.fullmatch(r"/articles/a_[0-9a-f]{16}", source)


def test_hostile_text_runs_no_script(page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(page.base + "/?q=onerror")
    page.click("li.story > a")
    page.click("#articles a")
    assert "<script>" in page.locator("h1").inner_text()  # shown as text
    assert dialogs == [] and page.locator("article.body iframe").count() == 0


def test_the_pages_work_at_phone_width(page):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(page.base + "/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380
    page.set_viewport_size({"width": 1100, "height": 900})


def test_the_report_opens_from_disk(page, web_db, tmp_path):
    from storylens.web.report import write_report

    write_report(web_db, tmp_path / "report")
    refused: list[str] = []  # what the page's own CSP <meta> blocked
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security" in message.text else None,
    )
    page.goto((tmp_path / "report" / "index.html").as_uri())
    page.click("text=Valdria and Kelmar sign air defence pact in Ruskor")
    assert page.locator("h1").inner_text() == "Valdria and Kelmar sign air defence pact in Ruskor"
    assert page.locator("table.matrix tbody tr").count() >= 5
    # The stylesheet from the folder still applies under the CSP; nothing was refused.
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "" and refused == []
    assert page.evaluate("document.styleSheets.length") >= 1


def test_a_reader_finds_the_blindspot_and_follows_an_outlet(page, outlets_db):
    from storylens.web.serving import serving

    with serving(outlets_db) as base:  # the sample as `make demo` leaves it (TRUTH.md)
        reader_finds_the_blindspot_and_follows_an_outlet(page, base)


def reader_finds_the_blindspot_and_follows_an_outlet(page, base: str) -> None:
    refused: list[str] = []  # anything the server's CSP blocked (an inline style or script)
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security" in message.text else None,
    )
    page.goto(base + "/")
    assert page.locator("li.story svg.cover").count() >= 6  # a coverage bar by lean on each story
    assert page.locator("li.story svg.cover rect").first.bounding_box()["width"] > 0
    page.select_option("select[name=blindspot]", "lean")
    page.click("button[type=submit]")
    # TRUTH.md: the tax-data breach is the one blindspot, covered only by left-leaning outlets.
    assert page.locator("li.story").count() == 1
    assert (
        page.locator("li.story > a").inner_text() == "Hackers steal data of two million Osterland taxpayers"
    )
    page.click("p.hint a[href='/blindspots']")
    assert page.locator("li.blindspot .missing").inner_text() == "center, right"
    page.goto(base + "/outlets")
    pairs = page.locator("#network ul.copies li").count()
    assert pairs == 5 and page.locator("svg.network line.edge[marker-end]").count() == pairs
    assert page.locator("svg.network").bounding_box()["width"] > 100
    assert page.locator("#matrix tbody tr").count() == 6
    page.click("#outlets a:has-text('Harbor Wire')")
    assert page.locator("h1").inner_text() == "Harbor Wire"
    assert page.locator(".first-count").inner_text() == "5"
    assert page.locator("#copies ul.copier > li").count() == 4  # taken by four outlets
    with page.expect_download() as download:
        page.click("#weeks a:has-text('CSV')")
    lines = open(download.value.path(), encoding="utf-8").read().splitlines()
    assert lines[0] == "week,articles" and sum(int(line.split(",")[1]) for line in lines[1:]) == 5
    assert page.locator("#weeks svg.columns rect").count() == len(lines) - 1
    page.goto(base + "/framing?by=lean")
    assert page.locator("section.framing-value h2").all_inner_texts() == ["center", "left", "right"]
    page.goto(base + "/attention?q=Tamsin&by=lean&period=day")
    assert page.locator("svg.lines polyline").count() >= 2
    assert refused == []
    page.set_viewport_size({"width": 375, "height": 800})
    for path in ("/outlets", "/outlets/harbor-wire", "/blindspots", "/attention", "/framing"):
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 380, path
    page.set_viewport_size({"width": 1100, "height": 900})


def test_the_report_carries_the_outlet_pages(page, outlets_db, tmp_path):
    from storylens.web.report import write_report

    write_report(outlets_db, tmp_path / "report")
    page.goto((tmp_path / "report" / "outlets.html").as_uri())
    page.click("#outlets a:has-text('Northgate Daily')")
    assert page.locator("h1").inner_text() == "Northgate Daily"
    assert page.locator("#copies ul.source > li").count() == 1  # it takes from Harbor Wire alone
    assert (tmp_path / "report" / "charts" / "network.csv").read_text().startswith("source,copier")
