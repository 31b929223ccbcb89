"""Stories: which articles report the same real-world event, clustered online.

Each article, taken in publication order, joins the story it fits best or founds one. After
Miranda et al. (2018), "Multilingual Clustering of Streaming News", with two changes that a dense
stream of look-alike events (a city's shootings, day after day, in the same words) demands:

- **What makes an event this event weighs most.** Two articles are compared on their sentence
  embeddings (title and lead), their TF-IDF term vectors and, weighted most, their specifics
  (link/specifics.py: the people, places, streets, ages and days they name), each specific
  weighted by its rarity in the store: the city a beat names every day counts for little, a
  victim's name for much.
- **An article joins a story by its members, never by their average.** Its fit to a story is
  its mean match with the members, one by one (the first reports and those nearest to it:
  average link), so a story of many shootings never becomes "the average shooting" that every
  new one matches, and a chain A~B~C of distinct events does not make one story: C must fit A
  too. And it must share the story's own specifics (those several members name), not merely the
  beat's: a roundup that joined one event does not open the story to the next.

Time is counted from each member, so a story stays anchored on its first reports: a member within
GRACE_DAYS costs nothing, then DAY_COST a day, and a member more than MAX_GAP_DAYS away costs
FAR_COST (the mean then keeps the article out). A follow-up that shares the specifics (an arrest,
a trial weeks later: the same names, the same street) is charged only FOLLOW_UP_COST, up to
FOLLOW_UP_DAYS. An undated article is judged on content, charged as if a week away, and bounded by
a year named in its page chrome.

Candidate stories come from usearch vector indexes over story centroids, one per period of
MAX_GAP_DAYS (an article looks at the periods next to its date), and from an inverted index of the
stories' rarest specifics (for follow-ups and for events the embedding tells apart poorly); so the
cost per article does not grow with the corpus. Stories older than the follow-up horizon can be
dropped from memory (Clusterer.retire) and loaded back from the store when a late article needs them.
"""

from __future__ import annotations

import hashlib
import math
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from usearch.index import Index

from storylens.clean.dates import latest_year
from storylens.clean.words import WORD, stopwords
from storylens.link.specifics import EPOCH, specifics

# Bump when the clustering rule changes: a store's stories of another version are clustered again.
VERSION = "2"  # 2: specifics, members not centroids, anchored time
DIMENSIONS = 384
TERM_BUCKETS = 1 << 20  # hashed vocabulary; collisions are rare and harmless for cosine
SPECIFIC_BUCKETS = 1 << 20
ARTICLE_TERMS = 120  # an article keeps its heaviest terms
TITLE_WEIGHT = 2  # title words count this many times

# How the three views of two articles are mixed (chosen on half of gva-dev's events, see README),
# and the bar an article's fit to a story must clear to join it.
W_EMBEDDING, W_TERMS, W_SPECIFICS = 0.2, 0.3, 0.5
THRESHOLD = 0.125
GATE = 0.2
CORE_SHARE = 0.3
BACKGROUND = 50
GRACE_DAYS = 3  # a member within this many days costs nothing
DAY_COST = 0.02  # per day beyond the grace period
MAX_GAP_DAYS = 21  # beyond this, a member costs FAR_COST...
FAR_COST = 1.0
FOLLOW_UP_SPECIFICS = 0.4  # ...unless the two share this much of their specifics, and one of
DETAILS = ("day:", "age:", "addr:")  # these details (a follow-up; actors alone are not enough):
FOLLOW_UP_COST = 0.1  # then this, at most,
FOLLOW_UP_DAYS = 90  # up to this many days apart
# Without a date on one side there is no evidence of closeness in time: the pair is charged as if
# it were a week apart, so content alone must clear a higher bar.
UNDATED_COST = DAY_COST * (7 - GRACE_DAYS)
CORE = 8  # an article is matched with a story's first reports...
NEAREST = 8  # ...and with the members nearest to it by embedding
CANDIDATES = 8  # nearest story centroids examined per period
RARE_SPECIFICS = 8  # an article's rarest specifics look up the stories that name them,
RARE_STORIES = 16  # unless more stories than this name one
PAIR_CHUNK = 65536  # pairs scored at once by dated_pair_scores (bounds its memory)
Sparse = tuple[np.ndarray, np.ndarray]  # sorted int64 keys, float32 weights (unit length)


@dataclass
class Features:
    """What the clusterer knows of one article."""

    article_id: str
    title: str
    outlet: str | None
    published: str | None
    vector: np.ndarray  # unit-length sentence embedding
    terms: dict[int, int]  # hashed term -> count (title words counted TITLE_WEIGHT times)
    entities: frozenset[str]  # resolved entity ids
    not_after: int | None = None  # for an undated article: the last day it can have appeared
    specifics: frozenset[str] = frozenset()  # link/specifics.py

    @property
    def day(self) -> int | None:
        return day_number(self.published)


@dataclass
class Signature:
    """One article as the clusterer compares it: its vectors weighted by the store's rarities."""

    vector: np.ndarray  # float32, unit length
    terms: Sparse
    specifics: Sparse
    day: int | None
    not_after: int | None = None
    details: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # sorted keys

    def shares_details(self, other: Signature) -> bool:
        """Whether both name one day, age or address: what a follow-up repeats of its event."""
        return bool(np.intersect1d(self.details, other.details, assume_unique=True).size)


@dataclass
class Story:
    id: str
    article_ids: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    published: list[str | None] = field(default_factory=list)
    outlets: list[str | None] = field(default_factory=list)
    vectors: list[np.ndarray] = field(default_factory=list)  # members' embeddings (float16)
    vector_sum: np.ndarray = field(default_factory=lambda: np.zeros(DIMENSIONS, dtype=np.float32))
    members: list[Signature] = field(default_factory=list)  # in the order they joined
    named: dict[int, list[float]] = field(default_factory=dict)  # specific -> [members, weight sum]
    similarity: list[float] = field(default_factory=list)  # each member's score when it joined
    bounds: list[int] = field(default_factory=list)  # undated members' last possible days
    first_day: int | None = None
    last_day: int | None = None

    def add_day(self, day: int | None) -> None:
        if day is not None:
            self.first_day = day if self.first_day is None else min(self.first_day, day)
            self.last_day = day if self.last_day is None else max(self.last_day, day)

    @property
    def first_published(self) -> str | None:
        dated = [p for p in self.published if p]
        return min(dated) if dated else None

    @property
    def last_published(self) -> str | None:
        dated = [p for p in self.published if p]
        return max(dated) if dated else None

    @property
    def centroid(self) -> np.ndarray:
        norm = float(np.linalg.norm(self.vector_sum))
        return self.vector_sum / norm if norm else self.vector_sum

    @property
    def title(self) -> str:
        """The most central headline: the member whose embedding is nearest the story's mean."""
        if not self.titles:
            return ""
        centroid = self.centroid
        scores = [float(np.dot(v.astype(np.float32), centroid)) for v in self.vectors]
        best = max(range(len(scores)), key=lambda i: (scores[i], -i))
        return self.titles[best]

    def in_time_order(self) -> list[str]:
        order = sorted(
            range(len(self.article_ids)),
            key=lambda i: (self.published[i] is None, self.published[i] or "", i),
        )
        return [self.article_ids[i] for i in order]


def day_number(published: str | None) -> int | None:
    """Days since 1970-01-01 of an ISO date or date-time, or None."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal() - EPOCH
    except ValueError:
        return None


def story_id(founder: str) -> str:
    return "t_" + hashlib.sha1(founder.encode()).hexdigest()[:16]


def _bucket(token: str, size: int) -> int:
    return zlib.crc32(token.encode()) % size


def term_counts(title: str, paragraphs: Iterable[str]) -> dict[int, int]:
    """Hashed content words of the title (counted TITLE_WEIGHT times) and the body."""
    stops = stopwords()
    counts: dict[int, int] = {}

    def add(text: str, weight: int) -> None:
        for word in WORD.findall(text):
            word = word.lower()
            if len(word) < 3 or word in stops:
                continue
            if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
                word = word[:-1]
            key = _bucket(word, TERM_BUCKETS)
            counts[key] = counts.get(key, 0) + weight

    add(title, TITLE_WEIGHT)
    for paragraph in paragraphs:
        add(paragraph, 1)
    return counts


@dataclass
class Frequencies:
    """Document frequencies of hashed terms and specifics over every article seen so far."""

    documents: int = 0
    terms: np.ndarray = field(default_factory=lambda: np.zeros(TERM_BUCKETS, dtype=np.int32))
    specifics: np.ndarray = field(default_factory=lambda: np.zeros(SPECIFIC_BUCKETS, dtype=np.int32))

    def count(self, features: Features) -> None:
        self.documents += 1
        if features.terms:
            self.terms[np.fromiter(features.terms, dtype=np.int64)] += 1
        if features.specifics:
            self.specifics[specific_keys(features.specifics)] += 1

    def merge(self, other: Frequencies) -> None:
        """Add another count (of other articles) to this one."""
        self.documents += other.documents
        self.terms += other.terms
        self.specifics += other.specifics

    def idf(self, df: int) -> float:
        return math.log((1 + self.documents) / (1 + df)) + 1.0

    def signature(self, features: Features) -> Signature:
        """The article's vectors, weighted by the rarities counted so far."""
        return Signature(
            features.vector.astype(np.float32),
            self.term_vector(features),
            self.specific_vector(features),
            features.day,
            features.not_after,
            np.unique(specific_keys(x for x in features.specifics if x.startswith(DETAILS))),
        )

    def term_vector(self, features: Features) -> Sparse:
        keys = np.fromiter(features.terms, dtype=np.int64, count=len(features.terms))
        counts = np.fromiter(features.terms.values(), dtype=np.float64, count=len(keys))
        weights = (1 + np.log(np.maximum(counts, 1))) * self._idf(self.terms[keys])
        if len(keys) > ARTICLE_TERMS:
            heaviest = np.argsort(-weights, kind="stable")[:ARTICLE_TERMS]
            keys, weights = keys[heaviest], weights[heaviest]
        return _sparse(keys, weights)

    def specific_vector(self, features: Features) -> Sparse:
        """Each specific weighted by its rarity (so a city named in every article of a beat
        weighs a fraction of a victim's name)."""
        keys = np.unique(specific_keys(features.specifics))
        df = self.specifics[keys].astype(np.float64)
        w = np.log((1 + self.documents + BACKGROUND) / (1 + df))
        return _sparse(keys, w)

    def _idf(self, df: np.ndarray) -> np.ndarray:
        return np.log((1 + self.documents) / (1 + df.astype(np.float64))) + 1.0

    def to_bytes(self) -> bytes:
        head = np.array([self.documents], dtype=np.int64).tobytes()
        return head + self.terms.tobytes() + self.specifics.tobytes()

    @classmethod
    def from_bytes(cls, blob: bytes) -> Frequencies:
        documents = int(np.frombuffer(blob[:8], dtype=np.int64)[0])
        terms = np.frombuffer(blob[8 : 8 + 4 * TERM_BUCKETS], dtype=np.int32).copy()
        found = np.frombuffer(blob[8 + 4 * TERM_BUCKETS :], dtype=np.int32).copy()
        if len(terms) != TERM_BUCKETS or len(found) != SPECIFIC_BUCKETS:
            return cls()
        return cls(documents, terms, found)


def specific_keys(found: Iterable[str]) -> np.ndarray:
    return np.fromiter((_bucket(x, SPECIFIC_BUCKETS) for x in found), dtype=np.int64)


def rarest(signature: Signature, n: int = RARE_SPECIFICS) -> list[int]:
    """The keys of the article's n rarest specifics (the heaviest ones)."""
    keys, weights = signature.specifics
    return keys[np.argsort(-weights, kind="stable")[:n]].tolist()


def _sparse(keys: np.ndarray, weights: np.ndarray) -> Sparse:
    """Sorted keys with unit-length weights (empty when every weight is 0)."""
    norm = float(np.sqrt(np.sum(weights * weights)))
    if not norm:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    order = np.argsort(keys, kind="stable")
    return keys[order].astype(np.int64), (weights[order] / norm).astype(np.float32)


def _cosine(a: Sparse, b: Sparse) -> float:
    if not len(a[0]) or not len(b[0]):
        return 0.0
    _, i, j = np.intersect1d(a[0], b[0], assume_unique=True, return_indices=True)
    return float(np.dot(a[1][i], b[1][j]))


def pair_score(a: Signature, b: Signature) -> float:
    """How likely two articles report one event: content, less what time says against it."""
    alike = W_EMBEDDING * float(np.dot(a.vector, b.vector)) + W_TERMS * _cosine(a.terms, b.terms)
    if not len(a.specifics[0]) or not len(b.specifics[0]):
        return alike - time_cost(gap_between(a, b), 0.0)  # nothing specific on one side
    shared = _cosine(a.specifics, b.specifics)
    content = alike * min(1.0, shared / GATE) + W_SPECIFICS * shared
    return content - time_cost(gap_between(a, b), shared if a.shares_details(b) else 0.0)


def gap_between(a: Signature, b: Signature) -> int | None:
    """Days between two articles; None when one is undated and nothing bounds it, else at
    least how far a year named in an undated page's chrome puts it."""
    if a.day is not None and b.day is not None:
        return abs(a.day - b.day)
    for undated, dated in ((a, b), (b, a)):
        if undated.day is None and undated.not_after is not None and dated.day is not None:
            if dated.day - undated.not_after > MAX_GAP_DAYS:
                return dated.day - undated.not_after
    return None


def time_cost(gap: int | None, shared_specifics: float) -> float:
    """What the days between two articles cost, given how much of their specifics (with a detail
    among them) they share."""
    if gap is None:
        return UNDATED_COST
    cost = DAY_COST * max(0, gap - GRACE_DAYS) if gap <= MAX_GAP_DAYS else FAR_COST
    if shared_specifics >= FOLLOW_UP_SPECIFICS and gap <= FOLLOW_UP_DAYS:
        cost = min(cost, FOLLOW_UP_COST)
    return cost


def fit(article: Signature, story: Story) -> float:
    """How well an article fits a story: its mean match with the members it is compared with (the
    first reports and those nearest to it: average link, which no chain of pairs fools), scaled
    down when it shares little of the story's own specifics (its core)."""
    members = story.members
    if len(members) > CORE + NEAREST:
        closeness = np.array([float(np.dot(article.vector, m.vector)) for m in members[CORE:]])
        nearest = np.argsort(-closeness, kind="stable")[:NEAREST] + CORE
        members = members[:CORE] + [members[i] for i in sorted(nearest)]
    scores = [pair_score(article, m) for m in members]
    joined = sum(scores) / len(scores)
    own = core(story)
    if not len(article.specifics[0]) or not len(own[0]):
        return joined  # nothing specific on one side: no evidence either way
    return joined * min(1.0, _cosine(article.specifics, own) / GATE)


def core(story: Story) -> Sparse:
    """The story's own specifics: those its founder names while alone, then those named by at
    least two members and CORE_SHARE of them (a roundup that joined names other events too, but
    only once)."""
    need = 1 if len(story.members) == 1 else max(2, math.ceil(CORE_SHARE * len(story.members)))
    kept = [(key, total / count) for key, (count, total) in story.named.items() if count >= need]
    if not kept:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    keys, weights = zip(*kept, strict=True)
    return _sparse(np.array(keys, dtype=np.int64), np.array(weights, dtype=np.float64))


def absorb(story: Story, f: Features, signature: Signature, similarity: float) -> None:
    """Add one article to a story's members."""
    story.article_ids.append(f.article_id)
    story.titles.append(f.title)
    story.published.append(f.published)
    story.add_day(f.day)
    story.outlets.append(f.outlet)
    story.vectors.append(f.vector.astype(np.float16))
    story.vector_sum = story.vector_sum + f.vector
    story.members.append(signature)
    for key, weight in zip(signature.specifics[0].tolist(), signature.specifics[1].tolist(), strict=True):
        entry = story.named.setdefault(key, [0, 0.0])
        entry[0] += 1
        entry[1] += weight
    story.similarity.append(round(similarity, 4))
    if f.day is None and f.not_after is not None:
        story.bounds.append(f.not_after)


class Clusterer:
    """Online story clustering; feed it articles in publication order with add()."""

    def __init__(self, frequencies: Frequencies | None = None, threshold: float = THRESHOLD):
        self.frequencies = frequencies or Frequencies()
        self.threshold = threshold
        self.stories: dict[str, Story] = {}
        self.changed: set[str] = set()
        self._keys: dict[str, int] = {}  # story id -> index key
        self._ids: dict[int, str] = {}
        self._periods: dict[int | None, Index] = {}  # period -> index of its stories' centroids
        self._story_periods: dict[str, set[int | None]] = {}
        self._naming: dict[int, set[str]] = {}  # specific key -> stories naming it
        self._named: dict[str, set[int]] = {}  # story -> the specific keys it is listed under

    # -- the indexes ---------------------------------------------------------------------

    def _index(self, period: int | None) -> Index:
        if period not in self._periods:
            self._periods[period] = Index(ndim=DIMENSIONS, metric="cos", dtype="f16")
        return self._periods[period]

    @staticmethod
    def _period(day: int | None) -> int | None:
        return None if day is None else day // MAX_GAP_DAYS

    def _register(self, story: Story, rare: Iterable[int] = ()) -> None:
        """(Re)place the story's centroid in the index of every period its articles fall in, and
        list it under the rare specifics of its new member."""
        key = self._keys.get(story.id)
        if key is None:
            key = len(self._keys) + 1
            while key in self._ids:
                key += 1
            self._keys[story.id], self._ids[key] = key, story.id
        if story.first_day is None or story.last_day is None:
            periods: set[int | None] = {None}
        else:
            periods = set(range(story.first_day // MAX_GAP_DAYS, story.last_day // MAX_GAP_DAYS + 1))
        centroid = story.centroid.astype(np.float32)
        for period in self._story_periods.get(story.id, set()) | periods:
            index = self._index(period)
            if key in index:
                index.remove(key)
            if period in periods:
                index.add(key, centroid)
        self._story_periods[story.id] = periods
        for specific in rare:
            self._naming.setdefault(specific, set()).add(story.id)
            self._named.setdefault(story.id, set()).add(specific)

    def _candidates(self, vector: np.ndarray, day: int | None, rare: Iterable[int] = ()) -> list[Story]:
        if day is None:
            periods = list(self._periods)  # undated: content decides, anywhere
        else:
            p = self._period(day)
            periods = [p - 1, p, p + 1, None]
        found: dict[str, Story] = {}
        for period in periods:
            index = self._periods.get(period)
            if index is None or len(index) == 0:
                continue
            matches = index.search(vector, CANDIDATES)
            for key in matches.keys:
                story_id_ = self._ids.get(int(key))
                if story_id_ in self.stories:
                    found[story_id_] = self.stories[story_id_]
        for specific in rare:
            naming = self._naming.get(specific, ())
            if len(naming) <= RARE_STORIES:  # a specific many stories name is not rare here
                for story_id_ in naming:
                    found.setdefault(story_id_, self.stories[story_id_])
        return list(found.values())

    # -- clustering ----------------------------------------------------------------------

    def add(self, features: Features, *, counted: bool = False) -> Story:
        """Put one article in its story (an existing one, or a new one it founds). `counted`:
        its words were already added to the document frequencies (as a batch does first)."""
        if not counted:
            self.frequencies.count(features)
        signature = self.frequencies.signature(features)
        rare = rarest(signature)
        best, best_score = None, self.threshold
        for story in self._candidates(signature.vector, signature.day, rare):
            s = fit(signature, story)
            if s >= best_score:
                best, best_score = story, s
        if best is None:
            best = Story(story_id(features.article_id))
            self.stories[best.id] = best
            best_score = 1.0
        absorb(best, features, signature, best_score)
        self.changed.add(best.id)
        self._register(best, rare)
        return best

    def load(self, story: Story) -> None:
        """Take back a story written earlier (its members' signatures restored)."""
        self.stories[story.id] = story
        self._register(story, {key for member in story.members for key in rarest(member)})

    def retire(self, before_day: int) -> list[Story]:
        """Drop from memory the stories whose last article is older than `before_day`."""
        old = [s for s in self.stories.values() if s.last_day is not None and s.last_day < before_day]
        for story in old:
            key = self._keys.pop(story.id)
            self._ids.pop(key, None)
            for period in self._story_periods.pop(story.id, set()):
                index = self._periods[period]
                if key in index:
                    index.remove(key)
            for specific in self._named.pop(story.id, set()):
                listed = self._naming[specific]
                listed.discard(story.id)
                if not listed:
                    del self._naming[specific]
            del self.stories[story.id]
            self.changed.discard(story.id)
        for period in [p for p, index in self._periods.items() if p is not None and len(index) == 0]:
            del self._periods[period]
        return old


def pair_scores(
    features: list[Features], pairs: Iterable[tuple[int, int]], frequencies: Frequencies
) -> list[float]:
    """For each pair (i, j) of indexes into `features`: pair_score of the two articles, as the
    clusterer computes it. The Spark engine links articles whose score clears a lower bar than
    THRESHOLD to find which may share a story (an article joins a story only if it scores at
    least THRESHOLD with one of its members)."""
    cache: dict[int, Signature] = {}

    def signature(i: int) -> Signature:
        if i not in cache:
            cache[i] = frequencies.signature(features[i])
        return cache[i]

    return [pair_score(signature(i), signature(j)) for i, j in pairs]


def dated_pair_scores(
    features: list[Features], first: np.ndarray, second: np.ndarray, frequencies: Frequencies
) -> np.ndarray:
    """pair_scores for dated articles, vectorised: for each pair (first[k], second[k]) of indexes
    into `features` (the Spark engine scores millions of pairs this way)."""
    from scipy import sparse

    def matrix(rows: list[Sparse], width: int):
        lengths = [len(keys) for keys, _ in rows]
        columns = np.concatenate([keys for keys, _ in rows] + [np.zeros(0, dtype=np.int64)])
        values = np.concatenate([values for _, values in rows] + [np.zeros(0, dtype=np.float32)])
        pointers = np.concatenate([[0], np.cumsum(lengths)])
        return sparse.csr_matrix((values.astype(np.float64), columns, pointers), shape=(len(rows), width))

    def rowwise(m, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        return np.asarray(m[i].multiply(m[j]).sum(axis=1)).ravel()

    signatures = [frequencies.signature(f) for f in features]
    vectors = np.stack([s.vector for s in signatures]).astype(np.float64)
    days = np.array([f.day for f in features], dtype=np.int64)
    terms = matrix([s.terms for s in signatures], TERM_BUCKETS)
    found = matrix([s.specifics for s in signatures], SPECIFIC_BUCKETS)
    named = np.diff(found.indptr) > 0
    details = matrix(
        [(s.details, np.ones(len(s.details), dtype=np.float32)) for s in signatures], SPECIFIC_BUCKETS
    )
    scores = np.empty(len(first))
    for start in range(0, len(first), PAIR_CHUNK):
        i, j = first[start : start + PAIR_CHUNK], second[start : start + PAIR_CHUNK]
        shared = rowwise(found, i, j)
        alike = W_EMBEDDING * np.einsum("ij,ij->i", vectors[i], vectors[j]) + W_TERMS * rowwise(terms, i, j)
        content = alike * np.minimum(1.0, shared / GATE) + W_SPECIFICS * shared
        content = np.where(named[i] & named[j], content, alike)
        gap = np.abs(days[i] - days[j])
        cost = np.where(gap <= MAX_GAP_DAYS, DAY_COST * np.maximum(0, gap - GRACE_DAYS), FAR_COST)
        follow_up = (shared >= FOLLOW_UP_SPECIFICS) & (gap <= FOLLOW_UP_DAYS) & (rowwise(details, i, j) > 0)
        cost = np.where(follow_up, np.minimum(cost, FOLLOW_UP_COST), cost)
        scores[start : start + PAIR_CHUNK] = content - cost
    return scores


def assemble(id_: str, members: list[Features], similarity: list[float], frequencies: Frequencies) -> Story:
    """A story with these members in this order, as the clusterer would have built it (for
    stories computed elsewhere, e.g. by the Spark engine, brought into a store)."""
    story = Story(id_)
    for member, joined in zip(members, similarity, strict=True):
        absorb(story, member, frequencies.signature(member), joined)
    return story


def cluster(features: list[Features], threshold: float = THRESHOLD) -> list[Story]:
    """Batch clustering: the online clusterer over the articles in publication order."""
    clusterer = Clusterer(Frequencies(), threshold)
    for f in features:
        clusterer.frequencies.count(f)
    for f in in_publication_order(features):
        clusterer.add(f, counted=True)
    return list(clusterer.stories.values())


def in_publication_order(features: list[Features]) -> list[Features]:
    """Dated articles by date, then undated ones (which then join stories by content)."""
    return sorted(features, key=lambda f: (f.published is None, (f.published or "")[:10], f.article_id))


def features_of(row: dict) -> Features | None:
    """Features from the store's story_inputs() row; None for an article without an embedding."""
    if row["vector"] is None:
        return None
    return Features(
        article_id=row["id"],
        title=row["title"],
        outlet=row["outlet"],
        published=row["published"],
        vector=np.frombuffer(row["vector"], dtype=np.float16).astype(np.float32),
        terms=term_counts(row["title"], row["paragraphs"]),
        entities=frozenset(row["entities"]),
        not_after=None if row["published"] else _last_day_of(latest_year(row.get("chrome", []))),
        specifics=specifics(row["title"], row["paragraphs"], row["published"], row["entities"]),
    )


def _last_day_of(year: int | None) -> int | None:
    return None if year is None else date(year, 12, 31).toordinal() - EPOCH


def restore(row: dict, members: list[Features], frequencies: Frequencies) -> Story:
    """A stored story (from stories_between()) with its members, ready to take new articles.
    The members' signatures are computed again with today's rarities."""
    by_id = {m.article_id: m for m in members}
    story = Story(row["id"])
    for aid, similarity in zip(row["members"], row["similarity"], strict=True):
        if aid in by_id:
            absorb(story, by_id[aid], frequencies.signature(by_id[aid]), similarity)
    return story
