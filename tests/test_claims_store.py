"""One parse per article: the analysis pass stores each article's claims, `compare` only reads
them; a store analysed by an older storylens is migrated, compares all the same (parsing the
articles with no stored claims, once) and `analyze --all` fills its claims in."""

from __future__ import annotations

import shutil
import sqlite3
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from conftest import SAMPLE

from storylens import ingest, open_store, pipeline
from storylens.compare import compare_story, to_json
from storylens.compare.claims import VERSION, claims_of, from_row, parse_articles, to_row
from storylens.ingest.manifest import read_manifest
from storylens.kept import stored_claims
from storylens.pipeline import compare, compare_stories, stored_vectors
from storylens.store.db import SCHEMA_VERSION
from storylens.understand import analyze, quote_id


@pytest.fixture(scope="module")
def analysed(tmp_path_factory) -> Path:
    """A store of the whole sample, ingested (analysed and linked) once, never compared."""
    folder = tmp_path_factory.mktemp("claims")
    db = folder / "sample.db"
    with open_store(db) as store:
        ingest([SAMPLE / "corpus"], store, manifest=read_manifest(SAMPLE / "manifest.csv"))
    return db


def copy_of(db: Path, tmp_path: Path) -> Path:
    target = tmp_path / db.name
    shutil.copy(db, target)
    return target


def as_an_older_store(db: Path) -> None:
    """Turn a store into what storylens left before claims were stored (version 10)."""
    raw = sqlite3.connect(db)
    raw.executescript(
        "DROP TABLE claims; ALTER TABLE analyses DROP COLUMN claims; DELETE FROM comparisons; "
        "PRAGMA user_version = 10;"
    )
    raw.close()


@pytest.fixture
def no_parsing(monkeypatch):
    refuse_parsing(monkeypatch)


def refuse_parsing(monkeypatch) -> None:
    """Any attempt to load or run spaCy from now on fails the test."""
    import spacy

    import storylens.compare.claims
    import storylens.understand.nlp

    def refuse(*args, **kwargs):
        raise AssertionError("spaCy was asked to parse at compare time")

    monkeypatch.setattr(spacy, "load", refuse)
    for module in (storylens.understand.nlp, storylens.compare.claims):
        monkeypatch.setattr(module, "parse", refuse)
    monkeypatch.setattr(storylens.understand.nlp, "load_nlp", refuse)


def stories_of(store) -> list[str]:
    return [row["id"] for row in store.story_rows() if len(row["article_ids"]) >= 2]


def test_the_analysis_stores_every_articles_claims(analysed):
    with open_store(analysed) as store:
        ids = [row.id for row in store.article_rows()]
        stored = store.stored_claims(ids, VERSION)
        assert sorted(stored) == sorted(ids)
        assert all(stored.values()) and sum(map(len, stored.values())) > 3 * len(ids)
        text = " ".join(row[3] for rows in stored.values() for row in rows)
        assert "Tamsin" in text


def test_a_store_analysed_once_compares_without_parsing(analysed, tmp_path, no_parsing):
    with open_store(copy_of(analysed, tmp_path)) as store:
        computed, fresh = compare_stories(store)
        assert computed >= 5 and fresh == 0
        facts = [f for sid in stories_of(store) for f in compare(store, sid).facts]
        assert any("Tamsin" in f.text for f in facts)


def test_stored_claims_are_the_claims_a_fresh_parse_gives(analysed):
    with open_store(analysed) as store:
        for story_id in stories_of(store):
            [row] = store.story_rows(story_id)
            articles = [store.article(a) for a in row["article_ids"]]
            mentions = store.resolved_mentions(row["article_ids"])
            stored = stored_claims(store, articles)
            # Through the store's rows and back, field by field.
            assert {a: [from_row(to_row(c)) for c in cs] for a, cs in stored.items()} == stored
            offsets = store.mention_offsets(row["article_ids"])
            assert parse_articles(articles, offsets) == stored
            assert claims_of(articles, mentions, stored) == claims_of(articles, mentions)
            embed = lambda texts: stored_vectors(store, texts)  # noqa: E731
            assert to_json(compare_story(articles, mentions, embed, stored)) == to_json(
                compare_story(articles, mentions, embed)
            )


class CountedPool(ProcessPoolExecutor):
    chunks: list[int] = []

    def map(self, fn, *iterables, **kwargs):
        chunks = list(iterables[0])
        CountedPool.chunks.extend(len(c) for c in chunks)
        return super().map(fn, chunks, **kwargs)


def test_articles_understood_in_worker_processes_are_understood_as_in_this_one(analysed, monkeypatch):
    with open_store(analysed) as store:
        articles = [store.article(row.id) for row in store.article_rows()][:10]
    here = pipeline.understand_articles(articles)  # ten articles: this process alone
    monkeypatch.setattr(pipeline, "processes_for", lambda count: 2)
    monkeypatch.setattr(pipeline, "UNDERSTAND_CHUNK", 3)
    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", CountedPool)
    forked = pipeline.understand_articles(articles)
    assert CountedPool.chunks == [3, 3, 3, 1]  # four chunks, to the workers
    assert [a.article_id for a in forked[0]] == [a.id for a in articles]
    assert forked[0] == here[0] and forked[1] == here[1]  # mentions, entities, quotes, claims


def test_an_older_store_is_migrated_and_compares_as_a_new_one(analysed, tmp_path):
    with open_store(analysed) as store:
        expected = {sid: to_json(compare(store, sid)) for sid in stories_of(store)}
        store.forget_comparisons()
    old = copy_of(analysed, tmp_path)
    as_an_older_store(old)
    with open_store(old) as store:
        assert store.version == SCHEMA_VERSION
        ids = [row.id for row in store.article_rows()]
        assert store.stored_claims(ids, VERSION) == {}
        assert {sid: to_json(compare(store, sid)) for sid in stories_of(store)} == expected
        # The articles it had to parse keep their claims: the next comparison only reads.
        compared = {a for sid in stories_of(store) for a in store.story_rows(sid)[0]["article_ids"]}
        assert set(store.stored_claims(ids, VERSION)) == compared


def test_analyze_all_fills_in_an_older_stores_claims(analysed, tmp_path, cli, monkeypatch):
    old = copy_of(analysed, tmp_path)
    as_an_older_store(old)
    cli("analyze", "--all", "--db", str(old))
    refuse_parsing(monkeypatch)
    with open_store(old) as store:
        ids = [row.id for row in store.article_rows()]
        assert sorted(store.stored_claims(ids, VERSION)) == sorted(ids)
        assert compare_stories(store)[0] >= 5


def test_a_new_analysis_replaces_the_stored_claims(analysed, tmp_path):
    with open_store(copy_of(analysed, tmp_path)) as store:
        article = store.article(store.article_rows()[0].id)
        before = store.stored_claims([article.id], VERSION)[article.id]
        [analysis] = analyze([article])
        store.write_analyses([analysis], "x", [[quote_id(article.id, q) for q in analysis.quotes]])
        assert store.stored_claims([article.id], VERSION) == {}  # stale until claims are written
        store.write_claims({article.id: before}, VERSION)
        assert store.stored_claims([article.id], VERSION) == {article.id: before}
