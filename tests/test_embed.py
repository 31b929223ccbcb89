"""Embeddings: the int8 encoder still tells a paraphrase from an unrelated sentence, keeps its
vectors apart from fp32's, and only the claims a comparison will read are embedded, ahead of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE

import storylens.pipeline as pipeline
from storylens import ingest, open_store
from storylens.compare import to_json
from storylens.compare.claims import VERSION
from storylens.pipeline import compare, compare_articles, read_manifest
from storylens.understand import embed as embedding

SENTENCES = [
    "The council voted to close the bridge for repairs next month.",
    "Next month the bridge will shut for repairs after a vote by the council.",
    "The striker scored twice in the second half of the cup final.",
    "Heavy rain is expected across the north of the country on Friday.",
]


@pytest.mark.parametrize("kind", embedding.ENCODERS)
def test_each_encoder_ranks_a_paraphrase_above_unrelated_sentences(kind, monkeypatch):
    monkeypatch.setenv("STORYLENS_ENCODER", kind)
    vectors = embedding.embed(SENTENCES)
    assert vectors.shape == (4, embedding.DIMENSIONS)
    assert abs(float(vectors[0] @ vectors[0]) - 1.0) < 1e-3
    paraphrase, unrelated = float(vectors[0] @ vectors[1]), max(float(vectors[0] @ v) for v in vectors[2:])
    assert paraphrase > 0.7 and paraphrase > unrelated + 0.4


def test_int8_is_the_default_and_close_to_the_model_as_shipped(monkeypatch):
    monkeypatch.delenv("STORYLENS_ENCODER", raising=False)
    assert embedding.encoder() == "int8"
    fast, key = embedding.embed(SENTENCES), embedding.text_key(SENTENCES[0])
    monkeypatch.setenv("STORYLENS_ENCODER", "fp32")
    shipped = embedding.embed(SENTENCES)
    assert key != embedding.text_key(SENTENCES[0])  # a store never mixes the two
    assert min(float(a @ b) for a, b in zip(fast, shipped, strict=True)) > 0.9


def test_an_unknown_encoder_is_refused(monkeypatch):
    monkeypatch.setenv("STORYLENS_ENCODER", "fp8")
    with pytest.raises(ValueError, match="STORYLENS_ENCODER"):
        embedding.embed(SENTENCES)


@pytest.fixture(scope="module")
def linked(tmp_path_factory) -> Path:
    """The sample, ingested (analysed and linked) once, never compared."""
    db = tmp_path_factory.mktemp("embed") / "sample.db"
    with open_store(db) as store:
        ingest([SAMPLE / "corpus"], store, manifest=read_manifest(SAMPLE / "manifest.csv"))
    return db


def claim_texts(store, article_ids) -> set[str]:
    return {row[3] for rows in store.stored_claims(article_ids, VERSION).values() for row in rows}


def has_vector(store, texts) -> dict[str, bool]:
    known = store.embeddings(embedding.text_key(t) for t in texts)
    return {t: embedding.text_key(t) in known for t in texts}


def test_only_claims_of_stories_to_compare_are_embedded_at_ingest(linked, tmp_path, monkeypatch):
    db = tmp_path / "s.db"
    shutil.copy(linked, db)
    with open_store(db) as store:
        rows = store.story_rows()
        shared = [a for r in rows if len(r["article_ids"]) >= 2 for a in r["article_ids"]]
        alone = [r["article_ids"][0] for r in rows if len(r["article_ids"]) == 1]
        assert shared and alone
        assert all(has_vector(store, claim_texts(store, shared)).values())
        lonely = claim_texts(store, alone) - claim_texts(store, shared)
        assert lonely and not any(has_vector(store, lonely).values())
        # Comparing the stories embeds none of their claims again: they are all stored.
        embedded: list[str] = []
        real = pipeline.embed
        monkeypatch.setattr(pipeline, "embed", lambda texts: embedded.extend(texts) or real(texts))
        pipeline.compare_stories(store)
        assert not set(embedded) & claim_texts(store, shared)
        # An article alone in its story, compared with another, gets its claims' vectors then.
        compare_articles(store, [alone[0], shared[0]])
        assert all(has_vector(store, claim_texts(store, [alone[0]])).values())


def test_claims_embedded_ahead_compare_as_claims_embedded_at_compare_time(linked, tmp_path):
    with open_store(linked) as store:
        stories = [r["id"] for r in store.story_rows() if len(r["article_ids"]) >= 2]
        ahead = {sid: to_json(compare(store, sid)) for sid in stories}
        store.forget_comparisons()
    db = tmp_path / "late.db"
    shutil.copy(linked, db)
    with open_store(db) as store:
        ids = [row.id for row in store.article_rows()]
        late = [embedding.text_key(t) for t in claim_texts(store, ids)]
        store.db.executemany("DELETE FROM embeddings WHERE key = ?", [(k,) for k in late])
        assert {sid: to_json(compare(store, sid)) for sid in stories} == ahead
