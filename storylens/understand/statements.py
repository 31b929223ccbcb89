"""The same statement across articles: quotes by one speaker whose meaning matches.

Two quotes are one statement when they come from the same resolved speaker and their embeddings
or their content words agree (a translation, a paraphrase, a direct quote and its reported form);
quotes of the same document or group with no entity match only when nearly identical.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from storylens.clean.words import content_keys
from storylens.model import QuoteRef
from storylens.understand.embed import DIMENSIONS

SAME_SPEAKER_COSINE = 0.58
# Remarks of very different lengths are rarely one statement: the score loses this much per
# unit of |log(length ratio)| (a 17-word and a 40-word quote lose 0.086).
LENGTH_PENALTY = 0.1
SAME_SPEAKER_OVERLAP = 0.4
NO_SPEAKER_COSINE = 0.85


def overlap(a: str, b: str) -> float:
    """Jaccard overlap of the two texts' content words."""
    ka, kb = _keys(a), _keys(b)
    return len(ka & kb) / max(1, len(ka | kb))


# A quote is compared with every other of its speaker: its words are read once, not per pair.
@lru_cache(maxsize=1 << 16)
def _keys(text: str) -> frozenset[str]:
    return frozenset(content_keys(text))


@lru_cache(maxsize=1 << 16)
def _words(text: str) -> int:
    return max(1, len(text.split()))


def _block(quote: QuoteRef) -> tuple[str, str]:
    return ("entity", quote.speaker_id) if quote.speaker_id else ("kind", quote.speaker_kind)


def comparable(quotes: list[QuoteRef]) -> list[int]:
    """Indexes of the quotes that share a speaker block with a quote of another article: the
    only ones group_statements compares, so the only ones that need embeddings."""
    articles: dict[tuple, set[str]] = defaultdict(set)
    for quote in quotes:
        if _block(quote)[1] != "unknown":
            articles[_block(quote)].add(quote.article_id)
    return [i for i, q in enumerate(quotes) if len(articles.get(_block(q), ())) > 1]


def group_statements(quotes: list[QuoteRef], vectors: np.ndarray) -> dict[str, str]:
    """statement id for every quote id (a quote no other matches is a statement of its own).

    Pairs are joined best-first, and a statement never takes two quotes from one article: two
    remarks of one speaker in one article stay two statements even if each matches a third.
    """
    parent = list(range(len(quotes)))
    articles = [{q.article_id} for q in quotes]

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    blocks: dict[tuple, list[int]] = defaultdict(list)
    for i in comparable(quotes):
        blocks[_block(quotes[i])].append(i)
    pairs = []
    for (mode, _), members in blocks.items():
        for a_pos, a in enumerate(members):
            for b in members[a_pos + 1 :]:
                cosine = float(vectors[a] @ vectors[b]) - LENGTH_PENALTY * _length_gap(
                    quotes[a].text, quotes[b].text
                )
                if quotes[a].article_id != quotes[b].article_id and _same(
                    quotes[a], quotes[b], cosine, mode == "entity"
                ):
                    pairs.append((cosine, a, b))
    for _, a, b in sorted(pairs, reverse=True):
        ra, rb = find(a), find(b)
        if ra != rb and not articles[ra] & articles[rb]:
            parent[rb] = ra
            articles[ra] |= articles[rb]
    groups: dict[int, list[str]] = defaultdict(list)
    for i, quote in enumerate(quotes):
        groups[find(i)].append(quote.id)
    statement = {}
    for ids in groups.values():
        digest = hashlib.sha1(min(ids).encode()).hexdigest()[:16]
        for quote_id in ids:
            statement[quote_id] = f"s_{digest}"
    return statement


def link_statements(quotes: list[QuoteRef], vectors_of: Callable[[list[str]], np.ndarray]) -> dict[str, str]:
    """group_statements over `quotes`, with vectors (from `vectors_of`, given texts) for only the
    quotes comparable() says another article's quote could match; both engines link so."""
    wanted = comparable(quotes)
    vectors = np.zeros((len(quotes), DIMENSIONS), dtype=np.float32)
    if wanted:
        vectors[wanted] = vectors_of([quotes[i].text for i in wanted])
    return group_statements(quotes, vectors)


def _length_gap(a: str, b: str) -> float:
    return abs(math.log(_words(a) / _words(b)))


def _same(a: QuoteRef, b: QuoteRef, cosine: float, same_entity: bool) -> bool:
    if same_entity:
        return cosine >= SAME_SPEAKER_COSINE or overlap(a.text, b.text) >= SAME_SPEAKER_OVERLAP
    return a.speaker_kind in ("document", "group") and cosine >= NO_SPEAKER_COSINE
