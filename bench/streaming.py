"""Linking a stream held in memory, for the benchmarks and their tests: the stages' own rules
(link.reuse's candidates, alignment and direction; link.stories' online Clusterer) over articles
that never enter a store. The library links through the store instead (pipeline.link_reuse and
link_stories, an ingest at a time); these keep the streaming measurements (bench/scale.py,
spark_scale.py, stories.py, web_routes.py) and the rules' tests free of a store.

    from streaming import ReuseWindow, cluster        (a bench script: bench/ is on its path)
    from bench.streaming import ReuseWindow, cluster  (a test: the repository root is on its path)
"""

from __future__ import annotations

from collections import deque

from datasketch import MinHashLSH

from storylens.link.reuse import (
    LSH_THRESHOLD,
    MAX_NEIGHBOURS,
    NUM_PERM,
    REUSE_WINDOW_DAYS,
    Tokens,
    compare,
    decide_direction,
    paragraph_signatures,
)
from storylens.link.stories import THRESHOLD, Clusterer, Features, Frequencies, Story, in_publication_order
from storylens.model import Article, Reuse


def cluster(features: list[Features], threshold: float = THRESHOLD) -> list[Story]:
    """Batch clustering: the online clusterer over the articles in publication order, the
    document frequencies counted over all of them first."""
    clusterer = Clusterer(Frequencies(), threshold)
    for f in features:
        clusterer.frequencies.count(f)
    for f in in_publication_order(features):
        clusterer.add(f, counted=True)
    return list(clusterer.stories.values())


class ReuseWindow:
    """Streaming reuse detection for long feeds: each new article is compared only with the
    articles of the last REUSE_WINDOW_DAYS, so memory and cost per article stay flat however long
    the stream. Direction is decided per pair (dates, else containment); shared descent needs the
    whole picture and is left to find_reuse / find_new_reuse."""

    def __init__(self, window_days: int = REUSE_WINDOW_DAYS):
        self.window = window_days
        self.lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self.kept: dict[str, tuple[Article, list[str]]] = {}
        self.order: deque[tuple[int, str]] = deque()
        self.latest: int | None = None

    def __len__(self) -> int:
        return len(self.kept)

    def add(self, article: Article, day: int | None) -> list[Reuse]:
        """Reuse between this article and the window's articles; then it joins the window."""
        signatures = paragraph_signatures(article)
        others: set[str] = set()
        for signature in signatures:
            for key in sorted(self.lsh.query(signature))[:MAX_NEIGHBOURS]:
                others.add(key.split("#", 1)[0])
        others.discard(article.id)
        found = []
        if others:
            tokens = {article.id: Tokens.of(article)}
            for other_id in sorted(others):
                other = self.kept[other_id][0]
                tokens[other_id] = Tokens.of(other)
                reuse = compare(article, other, tokens)
                if reuse:
                    pair = (article, other) if reuse.a == article.id else (other, article)
                    decide_direction(reuse, *pair, {})
                    found.append(reuse)
        if article.id not in self.kept:
            keys = [f"{article.id}#{i}" for i in range(len(signatures))]
            for key, signature in zip(keys, signatures, strict=True):
                self.lsh.insert(key, signature)
            self.kept[article.id] = (article, keys)
            if day is not None:
                self.latest = day if self.latest is None else max(self.latest, day)
            self.order.append((day if day is not None else (self.latest or 0), article.id))
            self._evict()
        return found

    def _evict(self) -> None:
        if self.latest is None:
            return
        while self.order and self.order[0][0] < self.latest - self.window:
            _, article_id = self.order.popleft()
            _, keys = self.kept.pop(article_id)
            for key in keys:
                self.lsh.remove(key)
