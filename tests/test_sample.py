"""The bundled sample corpus comes out as its truth.json says, with every bad file reported."""

from __future__ import annotations

import json

from conftest import SAMPLE


def by_source(sample_export):
    root = str(sample_export["root"]) + "/"
    found = {}
    for article in sample_export["export"]["articles"]:
        for source in article["sources"]:
            found[source.replace(root, "")] = article
    return found


def truth():
    return json.loads((SAMPLE / "truth.json").read_text(encoding="utf-8"))


def test_every_sample_article_is_read_with_its_title_date_dateline_outlet_and_clean_body(
    sample_export,
):
    articles = by_source(sample_export)
    for key, expected in truth()["articles"].items():
        article = articles.get(expected["source"])
        assert article is not None, f"{key} not ingested from {expected['source']}"
        assert article["title"] == expected["title"], key
        assert article["outlet"] == expected["outlet"], key
        assert (article["published"] or "").startswith(expected["published_date"]), key
        assert article["dateline"] == expected["dateline"], key
        assert article["paragraphs"] == expected["paragraphs"], key
        assert article["language"] == "en", key


def test_chrome_is_kept_as_boilerplate_with_a_reason(sample_export):
    articles = by_source(sample_export)
    eastbrook = next(a for s, a in articles.items() if "eastbrook/A3" in s)
    assert "Select Page" in eastbrook["boilerplate"]
    assert "Check Also" in eastbrook["boilerplate"]
    assert len(eastbrook["boilerplate"]) == len(eastbrook["boilerplate_reasons"])
    assert all(reason for reason in eastbrook["boilerplate_reasons"])


def test_a_related_teaser_date_is_never_the_publication_date(sample_export):
    # Eastbrook pages end with a "Check Also" teaser carrying another article's date.
    for source, article in by_source(sample_export).items():
        if "eastbrook/" in source:
            assert article["published_evidence"].startswith("Published:"), source


def test_the_same_wire_story_from_two_places_is_one_article_with_two_sources(sample_export):
    articles = by_source(sample_export)
    for first, second in truth()["duplicates"]:
        assert articles[first]["id"] == articles[second]["id"]
        assert len(articles[first]["sources"]) == 2


def test_every_broken_file_is_reported_with_its_reason_and_none_becomes_an_article(sample_export):
    errors = sample_export["errors"]
    lines = {
        line.split(": ", 1)[0].replace(str(sample_export["root"]) + "/", ""): line
        for line in errors.splitlines()
    }
    for path, reason in truth()["broken"].items():
        assert path in lines, f"{path} not reported"
        assert reason.lower() in lines[path].lower(), lines[path]
    sources = {s for a in sample_export["export"]["articles"] for s in a["sources"]}
    assert not any("/broken/" in s for s in sources)
    assert len(sample_export["export"]["articles"]) == len(truth()["articles"])
