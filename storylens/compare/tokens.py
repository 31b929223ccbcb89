"""Token alignment: how much of what two claims say lies in the other, word piece by word piece.

Each claim's word pieces carry the sentence encoder's last-layer states (embed.token_rows). Every
piece of one claim is matched to its nearest piece of the other (cosine of the states), and the
matches are averaged, each piece weighed by its rarity among the story's claims (the log of the
claims over the claims using it), in both directions: the harmonic mean of the two averages is
the score (BERTScore's F over MiniLM's states, story-local weights). The same happening told in
other words scores high even when one claim says more than the other; a shared name or topic
alone does not (its words are a few pieces of many, and common in the story).
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
from threadpoolctl import threadpool_limits

from storylens.understand.embed import unpack_tokens


def token_scores(rows: list[bytes], pairs: list[tuple[int, int]]) -> dict[tuple[int, int], float]:
    """F of each pair (i, j) of claims, their token_rows given in `rows` (one BLAS thread: more
    only spin on products this small)."""
    unpacked = [unpack_tokens(r) for r in rows]
    weights = _rarity([ids for ids, _ in unpacked])
    with threadpool_limits(limits=1, user_api="blas"):
        return {(i, j): _f_score(unpacked[i][1], weights[i], unpacked[j][1], weights[j]) for i, j in pairs}


def _rarity(ids: list[np.ndarray]) -> list[np.ndarray]:
    """Each piece's weight: the log of the claims (plus one) over the claims using it (plus one)."""
    used = Counter(piece for found in ids for piece in set(found.tolist()))
    n = len(ids) + 1
    return [np.array([math.log(n / (used[p] + 1)) for p in found.tolist()]) for found in ids]


def _f_score(a: np.ndarray, wa: np.ndarray, b: np.ndarray, wb: np.ndarray) -> float:
    if not len(a) or not len(b) or wa.sum() <= 0 or wb.sum() <= 0:
        return 0.0
    similarity = a @ b.T
    recall = float(similarity.max(axis=1) @ wa / wa.sum())
    precision = float(similarity.max(axis=0) @ wb / wb.sum())
    return 2 * recall * precision / (recall + precision) if recall + precision > 0 else 0.0
