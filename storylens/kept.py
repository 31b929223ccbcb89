"""What the store keeps once computed, so that later rounds read it instead of computing it
again: embeddings by text (a vector per distinct text and model), what the clusterer reads of an
article's text, and the signatures text reuse buckets an article's paragraphs by. An article's
text never changes, so what derives from the text alone is computed once, at the version of the
code that computed it (another version computes it again)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from storylens.compare.claims import VERSION as CLAIMS_VERSION
from storylens.compare.claims import ParsedClaim, from_row, parse_articles, to_row
from storylens.link.features import FEATURES_VERSION, features_of, kept_features, text_features
from storylens.link.pairs import Features
from storylens.link.reuse import REUSE_CHUNK, SIGNATURES_VERSION, kept_rows, read_rows, signature_rows
from storylens.model import Article
from storylens.store import Store
from storylens.understand import embed as embedding
from storylens.understand.embed import DIMENSIONS, from_blob, text_key, to_blob


def stored_vectors(store: Store, texts: list[str]) -> np.ndarray:
    """Embeddings of the texts, computed only for texts the store has never embedded."""
    keys = [text_key(t) for t in texts]
    known = store.embeddings(keys)
    known.update(embed_missing(store, dict(zip(keys, texts, strict=True)), known))
    return from_blob(b"".join(known[k] for k in keys)).reshape(len(keys), DIMENSIONS)


def embed_missing(
    store: Store, wanted: dict[str, str], known: dict[str, bytes], pieces: bool = False
) -> dict[str, bytes]:
    """Embed and store, a part at a time (embed_parts), the texts (by key) not in `known`; returns
    them. With `pieces`, their word pieces too, from the same pass (embed.token_rows: claims)."""
    missing = sorted((k, t) for k, t in wanted.items() if k not in known)
    fresh: dict[str, bytes] = {}
    for indexes, rows, blobs in embedding.embed_with_pieces([t for _, t in missing], pieces=pieces):
        part = {missing[i][0]: to_blob(row) for i, row in zip(indexes, rows, strict=True)}
        store.put_embeddings(part)
        if blobs:
            store.put_word_pieces({missing[i][0]: b for i, b in zip(indexes, blobs, strict=True)})
        fresh.update(part)
    return fresh


def stored_pieces(store: Store, texts: list[str]) -> list[bytes]:
    """The texts' word pieces (embed.token_rows), computed only for texts the store has none of."""
    keys = [text_key(t) for t in texts]
    kept = store.word_pieces(keys)
    missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in kept}.items())
    if missing:
        fresh = dict(zip([k for k, _ in missing], embedding.token_rows([t for _, t in missing]), strict=True))
        store.put_word_pieces(fresh)
        kept.update(fresh)
    return [kept[k] for k in keys]


def story_features(store: Store, article_ids: list[str]) -> list[Features]:
    """The clusterer's Features of these articles (none for an article without an embedding). What
    it reads of their text is kept in the store once computed (an article's text never changes),
    so that a round reads the stories within reach without reading their members' text again."""
    rows = store.story_inputs(article_ids, FEATURES_VERSION)
    fresh = {}
    for row in rows:
        if row["kept"] is None and row["vector"] is not None:
            found = text_features(row["title"], row["paragraphs"], row["published"])
            row["kept"] = fresh[row["id"]] = kept_features(*found)
    if fresh:
        store.keep_article_features(fresh, FEATURES_VERSION)
    return [f for f in map(features_of, rows) if f]


def signed_articles(store: Store, article_ids: list[str]) -> Iterator[tuple[str, np.ndarray]]:
    """(id, signature_rows) of the articles, read from the store where kept, else signed and kept."""
    for start in range(0, len(article_ids), REUSE_CHUNK):
        chunk = article_ids[start : start + REUSE_CHUNK]
        kept = store.kept_signatures(chunk, SIGNATURES_VERSION)
        fresh = {i: kept_rows(signature_rows(store.article(i))) for i in chunk if i not in kept}
        if fresh:
            store.keep_signatures(fresh, SIGNATURES_VERSION)
        kept.update(fresh)  # an article with no paragraph long enough to be copied keeps b""
        yield from ((i, read_rows(kept[i])) for i in chunk)


def stored_claims(store: Store, articles: list[Article]) -> dict[str, list[ParsedClaim]]:
    """article id -> its claims as the analysis stored them; an article with none (analysed by an
    older storylens, or not analysed) is parsed now and its claims kept."""
    rows = store.stored_claims([a.id for a in articles], CLAIMS_VERSION)
    found = {aid: [from_row(r) for r in found] for aid, found in rows.items()}
    missing = [a for a in articles if a.id not in found]
    if missing:
        fresh = parse_articles(missing, store.mention_offsets([a.id for a in missing]))
        store.write_claims(
            {aid: [to_row(c) for c in claims] for aid, claims in fresh.items()}, CLAIMS_VERSION
        )
        found.update(fresh)
    return found
