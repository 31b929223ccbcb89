"""Facts by words aligned one to one (compare/tokens.py): a happening told in other words is one
fact even when the two sentences' vectors are not close; a shared name alone is not, nor are two
claims that deny each other; the word pieces a comparison aligns are kept at ingest."""

from __future__ import annotations

import shutil

import numpy as np
from test_embed import claim_texts, linked, refuse_model  # noqa: F401 (linked: a fixture)

from storylens import open_store
from storylens.compare.claims import Claim
from storylens.compare.facts import ALIGNED, align, relation
from storylens.compare.tokens import token_scores
from storylens.pipeline import compare_stories
from storylens.understand import embed as embedding

STORY = [
    "The council of Quenby approved the new bridge over the estuary on Monday by nine votes to four.",
    "On Monday, Quenby's councillors voted nine to four for building a bridge across the estuary.",
    "The council of Quenby said the ferry to Marrow Island would stop running in the winter.",
    "Fishermen in Quenby have long complained about the cost of harbour fees.",
    "The harbour board, which opposed the bridge for a decade, did not comment.",
    "Tolls on the coast road will rise by a fifth from April, the county said.",
]


def claim(article: str, text: str, **parts) -> Claim:
    return Claim(article, article, None, 0, text, frozenset(parts.pop("entities", ())), frozenset(), **parts)


def test_pieces_keep_their_ids_and_the_direction_of_their_states():
    [blob] = embedding.token_rows([STORY[0]])
    ids, states = embedding.unpack_tokens(blob)
    expected = embedding.load_model().tokenizer(STORY[0])["input_ids"][1:-1]
    assert ids.tolist() == expected
    assert len(blob) == len(ids) * embedding.TOKEN_BYTES
    assert np.allclose(np.linalg.norm(states, axis=1), 1.0, atol=1e-5)


def test_the_same_happening_in_other_words_aligns_better_than_a_shared_name():
    scores = token_scores(embedding.token_rows(STORY), [(0, 1), (0, 2), (0, 5)])
    assert scores[0, 1] > scores[0, 2] > scores[0, 5]
    assert scores[0, 1] >= ALIGNED > scores[0, 2]


def test_aligned_words_make_one_fact_unless_the_claims_deny_each_other():
    a = claim("a", STORY[0], predicates=frozenset({"approve"}))
    b = claim("b", STORY[1], predicates=frozenset({"vote"}))
    assert relation(a, b, 0.5) is None  # neither close nor the same predicate
    assert relation(a, b, 0.5, aligned=ALIGNED).startswith("the same words aligned")
    denied = claim("b", STORY[1], predicates=frozenset({"approve"}), negated=frozenset({"approve"}))
    assert relation(a, denied, 0.5, aligned=0.95) is None


def test_aligned_words_of_different_days_are_two_happenings():
    struck = claim(
        "a", "Dockworkers in Port Ellis walked off the job on Tuesday.", dates=frozenset({"walk|2026-03-03"})
    )
    rejected = claim(
        "b",
        "Dockworkers in Port Ellis rejected an offer on Wednesday.",
        dates=frozenset({"reject|2026-03-04"}),
    )
    undated = claim("b", "Dockworkers in Port Ellis walked off the job.")
    assert relation(struck, rejected, 0.5, aligned=0.9) is None
    assert relation(struck, undated, 0.5, aligned=0.9).startswith("the same words aligned")


def test_align_joins_the_pairs_whose_words_align():
    claims = [claim("a", STORY[0]), claim("b", STORY[1])]
    vectors = np.array([[1.0, 0.0], [0.5, np.sqrt(0.75)]], dtype=np.float32)  # cosine 0.5
    assert len(align(claims, vectors)) == 2
    [fact] = align(claims, vectors, aligned={(0, 1): ALIGNED + 0.01})
    assert "the same words aligned" in fact.links[0]["why"]


def test_an_ingest_keeps_the_word_pieces_compare_aligns(linked, tmp_path, monkeypatch):  # noqa: F811
    db = tmp_path / "s.db"
    shutil.copy(linked, db)
    with open_store(db) as store:
        stories = [r["article_ids"] for r in store.story_rows() if len(r["article_ids"]) >= 2]
        texts = claim_texts(store, [a for ids in stories for a in ids])
        kept = store.word_pieces(embedding.text_key(t) for t in texts)
        assert texts and len(kept) == len(texts)
        monkeypatch.setattr(embedding, "load_model", refuse_model)
        computed, _ = compare_stories(store)
        assert computed >= 2
