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

import numpy as np
from datasketch import MinHash

from storylens.link.reuse import (
    MAX_NEIGHBOURS,
    REUSE_WINDOW_DAYS,
    Tokens,
    bands,
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


class BandIndex:
    """The window's paragraphs by the LSH bands of their MinHash signatures, compact: what
    datasketch's MinHashLSH answers (every paragraph sharing a band's values with the one asked
    about), held in a few numpy arrays instead of a Python set per band and value. Each entry is
    one band of one paragraph: its band number, its values (two uint32 rows to a uint64 word,
    exact) and a 64-bit key mixing them, sorted by that key; the latest entries wait in a small
    dict until there are enough of them to merge. Paragraphs are numbered by their article's
    serial (articles leave in the order they came: those below `oldest` are gone)."""

    MIX = np.uint64(0x9E3779B97F4A7C15)
    MERGE_AT = 1 << 16  # entries waiting in the dict before they are merged into the arrays

    def __init__(self):
        self.count, self.rows = bands()
        self.words = (self.rows + 1) // 2
        self.keys = np.zeros(0, dtype=np.uint64)
        self.values = np.zeros((0, self.words + 1), dtype=np.uint64)  # band number, then words
        self.paragraphs = np.zeros((0, 2), dtype=np.int32)  # article serial, paragraph number
        self.waiting: dict[int, list[tuple[bytes, int, int]]] = {}
        self.waited = 0
        self.oldest = 0  # the lowest serial still in the window

    def band_values(self, signature: MinHash) -> tuple[np.ndarray, np.ndarray]:
        """(keys, values): a row per band, as bands() cuts the signature."""
        used = signature.hashvalues[: self.count * self.rows].reshape(self.count, self.rows)
        if used.max(initial=0) >> 32:
            raise ValueError("MinHash values wider than 32 bits")
        padded = np.zeros((self.count, 2 * self.words), dtype=np.uint32)
        padded[:, : self.rows] = used
        values = np.empty((self.count, self.words + 1), dtype=np.uint64)
        values[:, 0] = np.arange(self.count, dtype=np.uint64)
        values[:, 1:] = padded.view(np.uint64)
        keys = np.zeros(self.count, dtype=np.uint64)
        for column in values.T:
            keys = (keys ^ column) * self.MIX
        return keys, values

    def add(self, serial: int, paragraph: int, signature: MinHash) -> None:
        keys, values = self.band_values(signature)
        for key, row in zip(keys.tolist(), values, strict=True):
            self.waiting.setdefault(key, []).append((row.tobytes(), serial, paragraph))
        self.waited += len(keys)
        if self.waited >= self.MERGE_AT:
            self.merge()

    def merge(self) -> None:
        """Take the waiting entries into the sorted arrays, and drop those of gone articles."""
        live = self.paragraphs[:, 0] >= self.oldest
        entries = [(k, v, s, p) for k, found in self.waiting.items() for v, s, p in found if s >= self.oldest]
        keys = np.array([e[0] for e in entries], dtype=np.uint64)
        order = np.argsort(keys, kind="stable")
        values = np.frombuffer(b"".join(e[1] for e in entries), dtype=np.uint64)
        values = values.reshape(len(entries), self.words + 1)[order]
        paragraphs = np.array([(e[2], e[3]) for e in entries], dtype=np.int32).reshape(-1, 2)[order]
        self.keys, self.values, self.paragraphs = self.keys[live], self.values[live], self.paragraphs[live]
        at = np.searchsorted(self.keys, keys[order])
        self.keys = np.insert(self.keys, at, keys[order])
        self.values = np.insert(self.values, at, values, axis=0)
        self.paragraphs = np.insert(self.paragraphs, at, paragraphs, axis=0)
        self.waiting, self.waited = {}, 0

    def query(self, signature: MinHash) -> set[tuple[int, int]]:
        """(serial, paragraph number) of every paragraph in the window sharing a band with it."""
        keys, values = self.band_values(signature)
        found = set()
        starts = np.searchsorted(self.keys, keys, side="left")
        ends = np.searchsorted(self.keys, keys, side="right")
        for band, (start, end) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
            if end > start:
                same = np.all(self.values[start:end] == values[band], axis=1)
                same &= self.paragraphs[start:end, 0] >= self.oldest
                found.update(map(tuple, self.paragraphs[start:end][same].tolist()))
        for key, row in zip(keys.tolist(), values, strict=True):
            row_bytes = row.tobytes()
            for v, serial, paragraph in self.waiting.get(key, ()):
                if v == row_bytes and serial >= self.oldest:
                    found.add((serial, paragraph))
        return found


class ReuseWindow:
    """Streaming reuse detection for long feeds: each new article is compared only with the
    articles of the last REUSE_WINDOW_DAYS, so memory and cost per article stay flat however long
    the stream. Candidates are link.reuse's (paragraphs sharing an LSH band, the first
    MAX_NEIGHBOURS by key), looked up in a BandIndex. Direction is decided per pair (dates, else
    containment); shared descent needs the whole picture and is left to find_reuse /
    find_new_reuse."""

    def __init__(self, window_days: int = REUSE_WINDOW_DAYS):
        self.window = window_days
        self.bands = BandIndex()
        self.kept: dict[str, tuple[Article, int]] = {}  # article id -> (article, serial)
        self.ids: dict[int, str] = {}  # serial -> article id
        self.order: deque[tuple[int, str]] = deque()
        self.latest: int | None = None

    def __len__(self) -> int:
        return len(self.kept)

    def add(self, article: Article, day: int | None) -> list[Reuse]:
        """Reuse between this article and the window's articles; then it joins the window."""
        signatures = paragraph_signatures(article)
        others: set[str] = set()
        for signature in signatures:
            keys = [f"{self.ids[serial]}#{i}" for serial, i in self.bands.query(signature)]
            for key in sorted(keys)[:MAX_NEIGHBOURS]:
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
            serial = len(self.ids) + self.bands.oldest
            for i, signature in enumerate(signatures):
                self.bands.add(serial, i, signature)
            self.kept[article.id] = (article, serial)
            self.ids[serial] = article.id
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
            _, serial = self.kept.pop(article_id)
            del self.ids[serial]  # articles leave in the order they came: serial is the oldest
            self.bands.oldest = serial + 1
