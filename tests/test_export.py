"""The export contract (shared/EXPORT.md): its keys, its order, its stable ids."""

from __future__ import annotations

from conftest import SAMPLE

ARTICLE_KEYS = {
    "id",
    "source",
    "outlet",
    "title",
    "published",
    "published_evidence",
    "language",
    "dateline",
    "paragraphs",
    "boilerplate",
}


def test_the_document_has_every_section_and_articles_have_every_contract_field(sample_export):
    document = sample_export["export"]
    assert document["format"] == "storylens-export/1"
    for section in ("articles", "entities", "quotes", "reuse", "stories"):
        assert isinstance(document[section], list)
    for article in document["articles"]:
        assert ARTICLE_KEYS <= set(article)
        assert article["id"].startswith("a_")
        assert all(isinstance(p, str) and p for p in article["paragraphs"])


def test_articles_are_sorted_by_id(sample_export):
    ids = [a["id"] for a in sample_export["export"]["articles"]]
    assert ids == sorted(ids) and len(ids) == len(set(ids))


def test_ids_are_stable_across_runs_and_stores(tmp_path, cli, export_of, sample_export):
    cli("ingest", SAMPLE, "--manifest", SAMPLE / "manifest.csv", "--db", tmp_path / "again.db")
    again = export_of(tmp_path / "again.db")
    assert [a["id"] for a in again["articles"]] == [a["id"] for a in sample_export["export"]["articles"]]


def test_export_without_comparison_keeps_the_stories_and_leaves_their_comparison_empty(cli, db):
    import json

    cli("ingest", SAMPLE / "corpus" / "northgate", SAMPLE / "corpus" / "eastbrook", "--db", db)
    fast = json.loads(cli("export", "--db", db, "--no-compare").stdout)
    full = json.loads(cli("export", "--db", db).stdout)
    assert [s["article_ids"] for s in fast["stories"]] == [s["article_ids"] for s in full["stories"]]
    assert all(s["facts"] == [] and s["summary"] == [] for s in fast["stories"])
    assert any(s["facts"] for s in full["stories"])
