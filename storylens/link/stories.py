"""Stories: which articles report the same real-world event, clustered online.

Each article, taken in publication order, joins the most similar story or founds one. Similarity
to a story mixes three views of content with time, after Miranda et al. (2018), "Multilingual
Clustering of Streaming News":

- the article's sentence embedding (title and lead) against the story's mean embedding;
- TF-IDF of title and body (hashed terms, document frequencies counted as the stream goes)
  against the story's summed term vector;
- the resolved named entities (so Qassem and Ghasem count as one), weighted by rarity;

and the gap in days between the article and the story's dates: free within a few days, then
costly, and beyond MAX_GAP_DAYS no join at all, so the same actors months apart make two
stories. An undated article (or story) is judged on content alone.

Candidate stories come from a usearch vector index over story centroids, one index per period
of MAX_GAP_DAYS: an article only looks at the periods next to its date, so the cost per article
does not grow with the corpus. Stories whose dates fall out of the window can be dropped from
memory (Clusterer.retire) and loaded back from the store when a late article needs them.
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

DIMENSIONS = 384
TERM_BUCKETS = 1 << 20  # hashed vocabulary; collisions are rare and harmless for cosine
ENTITY_BUCKETS = 1 << 18
ARTICLE_TERMS = 120  # an article keeps its heaviest terms
STORY_TERMS = 400  # a story keeps the heaviest terms of its members' sum
TITLE_WEIGHT = 2  # title words count this many times

# How the three content views are mixed, and the bar a story must clear to take an article.
W_EMBEDDING, W_TERMS, W_ENTITIES = 0.45, 0.35, 0.20
THRESHOLD = 0.30
GRACE_DAYS = 3  # a follow-up within this many days of the story costs nothing
DAY_COST = 0.02  # per day beyond the grace period
# Without a date on one side there is no evidence of closeness in time: the pair is charged as if
# it were a week apart, so content alone must clear a higher bar.
UNDATED_COST = DAY_COST * (7 - GRACE_DAYS)
MAX_GAP_DAYS = 21  # never join a story this many days away from all of its articles
PAIR_CHUNK = 65536  # pairs scored at once by dated_pair_scores (bounds its memory)
CANDIDATES = 8  # nearest story centroids examined per period


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

    @property
    def day(self) -> int | None:
        return day_number(self.published)


@dataclass
class Story:
    id: str
    article_ids: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    published: list[str | None] = field(default_factory=list)
    outlets: list[str | None] = field(default_factory=list)
    vectors: list[np.ndarray] = field(default_factory=list)  # members' embeddings (float16)
    vector_sum: np.ndarray = field(default_factory=lambda: np.zeros(DIMENSIONS, dtype=np.float32))
    terms: dict[int, float] = field(default_factory=dict)  # summed member term weights (pruned)
    entities: dict[int, float] = field(default_factory=dict)  # summed member entity weights
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
        return date.fromisoformat(published[:10]).toordinal() - 719163
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
    """Document frequencies of hashed terms and entities over every article seen so far."""

    documents: int = 0
    terms: np.ndarray = field(default_factory=lambda: np.zeros(TERM_BUCKETS, dtype=np.int32))
    entities: np.ndarray = field(default_factory=lambda: np.zeros(ENTITY_BUCKETS, dtype=np.int32))

    def count(self, features: Features) -> None:
        self.documents += 1
        if features.terms:
            self.terms[np.fromiter(features.terms, dtype=np.int64)] += 1
        for entity in features.entities:
            self.entities[_bucket(entity, ENTITY_BUCKETS)] += 1

    def idf(self, df: int) -> float:
        return math.log((1 + self.documents) / (1 + df)) + 1.0

    def term_vector(self, features: Features) -> dict[int, float]:
        weights = {k: (1 + math.log(n)) * self.idf(int(self.terms[k])) for k, n in features.terms.items()}
        return _unit(_top(weights, ARTICLE_TERMS))

    def entity_vector(self, features: Features) -> dict[int, float]:
        weights: dict[int, float] = {}
        for entity in features.entities:
            key = _bucket(entity, ENTITY_BUCKETS)
            weights[key] = self.idf(int(self.entities[key]))
        return _unit(weights)

    def to_bytes(self) -> bytes:
        head = np.array([self.documents], dtype=np.int64).tobytes()
        return head + self.terms.tobytes() + self.entities.tobytes()

    @classmethod
    def from_bytes(cls, blob: bytes) -> Frequencies:
        documents = int(np.frombuffer(blob[:8], dtype=np.int64)[0])
        terms = np.frombuffer(blob[8 : 8 + 4 * TERM_BUCKETS], dtype=np.int32).copy()
        entities = np.frombuffer(blob[8 + 4 * TERM_BUCKETS :], dtype=np.int32).copy()
        if len(terms) != TERM_BUCKETS or len(entities) != ENTITY_BUCKETS:
            return cls()
        return cls(documents, terms, entities)


def _top(weights: dict[int, float], n: int) -> dict[int, float]:
    if len(weights) <= n:
        return weights
    return dict(sorted(weights.items(), key=lambda kv: -kv[1])[:n])


def _unit(weights: dict[int, float]) -> dict[int, float]:
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {k: w / norm for k, w in weights.items()} if norm else {}


def _cosine(a: dict[int, float], b: dict[int, float]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(k, 0.0) for k, w in a.items())
    norm = math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def time_gap(day: int | None, story: Story) -> int | None:
    """Days from `day` to the nearest end of the story's date range (0 inside it); None if
    either side is undated."""
    if day is None or story.first_day is None or story.last_day is None:
        return None
    return max(story.first_day - day, day - story.last_day, 0)


def bound_gap(day: int | None, not_after: int | None, story: Story) -> int | None:
    """For an undated side with a last possible day: how many days at least lie between the
    article and the story (None when nothing is known)."""
    gaps = []
    if day is None and not_after is not None and story.first_day is not None:
        gaps.append(story.first_day - not_after)
    if day is not None and story.bounds:
        gaps.append(day - min(story.bounds))
    return max(gaps) if gaps else None


def score(
    vector: np.ndarray,
    terms: dict[int, float],
    entities: dict[int, float],
    day: int | None,
    story: Story,
    not_after: int | None = None,
) -> float:
    """How well an article fits a story; below THRESHOLD it does not join. -inf when too far in time."""
    gap = time_gap(day, story)
    least = bound_gap(day, not_after, story) if gap is None else None
    if (gap is not None and gap > MAX_GAP_DAYS) or (least is not None and least > MAX_GAP_DAYS):
        return -math.inf
    content = (
        W_EMBEDDING * float(np.dot(vector, story.centroid))
        + W_TERMS * _cosine(terms, story.terms)
        + W_ENTITIES * _cosine(entities, story.entities)
    )
    if not entities or not story.entities:
        # Without entities on one side, judge on the other two views, rescaled.
        content = content / (W_EMBEDDING + W_TERMS)
    penalty = DAY_COST * max(0, gap - GRACE_DAYS) if gap is not None else UNDATED_COST
    return content - penalty


def absorb(
    story: Story, f: Features, terms: dict[int, float], entities: dict[int, float], similarity: float
) -> None:
    """Add one article to a story's members and sums."""
    story.article_ids.append(f.article_id)
    story.titles.append(f.title)
    story.published.append(f.published)
    story.add_day(f.day)
    story.outlets.append(f.outlet)
    story.vectors.append(f.vector.astype(np.float16))
    story.vector_sum = story.vector_sum + f.vector
    story.similarity.append(round(similarity, 4))
    if f.day is None and f.not_after is not None:
        story.bounds.append(f.not_after)
    for k, w in terms.items():
        story.terms[k] = story.terms.get(k, 0.0) + w
    story.terms = _top(story.terms, STORY_TERMS)
    for k, w in entities.items():
        story.entities[k] = story.entities.get(k, 0.0) + w


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

    # -- the index -----------------------------------------------------------------------

    def _index(self, period: int | None) -> Index:
        if period not in self._periods:
            self._periods[period] = Index(ndim=DIMENSIONS, metric="cos", dtype="f16")
        return self._periods[period]

    @staticmethod
    def _period(day: int | None) -> int | None:
        return None if day is None else day // MAX_GAP_DAYS

    def _register(self, story: Story) -> None:
        """(Re)place the story's centroid in the index of every period its articles fall in."""
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

    def _candidates(self, vector: np.ndarray, day: int | None) -> list[Story]:
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
        return list(found.values())

    # -- clustering ----------------------------------------------------------------------

    def add(self, features: Features, *, counted: bool = False) -> Story:
        """Put one article in its story (an existing one, or a new one it founds). `counted`:
        its words were already added to the document frequencies (as a batch does first)."""
        if not counted:
            self.frequencies.count(features)
        terms = self.frequencies.term_vector(features)
        entities = self.frequencies.entity_vector(features)
        day = features.day
        best, best_score = None, self.threshold
        for story in self._candidates(features.vector, day):
            s = score(features.vector, terms, entities, day, story, features.not_after)
            if s >= best_score:
                best, best_score = story, s
        if best is None:
            best = Story(story_id(features.article_id))
            self.stories[best.id] = best
            best_score = 1.0
        self._join(best, features, terms, entities, best_score)
        return best

    def _join(self, story: Story, f: Features, terms, entities, similarity: float) -> None:
        absorb(story, f, terms, entities, similarity)
        self.changed.add(story.id)
        self._register(story)

    def load(self, story: Story) -> None:
        """Take back a story written earlier (its centroid state restored by the store)."""
        self.stories[story.id] = story
        self._register(story)

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
            del self.stories[story.id]
            self.changed.discard(story.id)
        for period in [p for p, index in self._periods.items() if p is not None and len(index) == 0]:
            del self._periods[period]
        return old


def pair_scores(
    features: list[Features], pairs: Iterable[tuple[int, int]], frequencies: Frequencies
) -> list[float]:
    """For each pair (i, j) of indexes into `features`: how well article i fits the story that
    article j alone would found, as the clusterer scores it. The Spark engine links articles
    whose score clears a lower bar than THRESHOLD to find which may share a story."""
    cache: dict[int, tuple[dict[int, float], dict[int, float]]] = {}
    alone: dict[int, Story] = {}

    def vectors(i: int) -> tuple[dict[int, float], dict[int, float]]:
        if i not in cache:
            cache[i] = frequencies.term_vector(features[i]), frequencies.entity_vector(features[i])
        return cache[i]

    scores = []
    for i, j in pairs:
        if j not in alone:
            alone[j] = Story(story_id(features[j].article_id))
            absorb(alone[j], features[j], *vectors(j), 1.0)
        x = features[i]
        scores.append(score(x.vector, *vectors(i), x.day, alone[j], x.not_after))
    return scores


def dated_pair_scores(
    features: list[Features], first: np.ndarray, second: np.ndarray, frequencies: Frequencies
) -> np.ndarray:
    """pair_scores for dated articles, vectorised, and for both directions at once: for each pair
    (first[k], second[k]) of indexes into `features`, the better of either article joining the
    story the other alone would found (the Spark engine scores millions of pairs this way)."""
    from scipy import sparse

    def matrix(rows: list[dict[int, float]], width: int):
        lengths = [len(r) for r in rows]
        columns = np.fromiter((k for r in rows for k in r), dtype=np.int64, count=sum(lengths))
        values = np.fromiter((w for r in rows for w in r.values()), dtype=np.float64, count=len(columns))
        pointers = np.concatenate([[0], np.cumsum(lengths)])
        return sparse.csr_matrix((values, columns, pointers), shape=(len(rows), width))

    def rowwise(m, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        return np.asarray(m[i].multiply(m[j]).sum(axis=1)).ravel()

    vectors = np.stack([f.vector for f in features]).astype(np.float64)
    norms = np.linalg.norm(vectors, axis=1)
    norms[norms == 0] = 1.0
    days = np.array([f.day for f in features], dtype=np.int64)
    terms = matrix([frequencies.term_vector(f) for f in features], TERM_BUCKETS)
    entities = matrix([frequencies.entity_vector(f) for f in features], ENTITY_BUCKETS)
    named = np.diff(entities.indptr) > 0
    scores = np.empty(len(first))
    for start in range(0, len(first), PAIR_CHUNK):
        i, j = first[start : start + PAIR_CHUNK], second[start : start + PAIR_CHUNK]
        dot = np.einsum("ij,ij->i", vectors[i], vectors[j])
        # score() divides by the story's norm: the better direction divides by the smaller one.
        smaller, larger = np.minimum(norms[i], norms[j]), np.maximum(norms[i], norms[j])
        embedding = np.where(dot >= 0, dot / smaller, dot / larger)
        content = (
            W_EMBEDDING * embedding + W_TERMS * rowwise(terms, i, j) + W_ENTITIES * rowwise(entities, i, j)
        )
        content = np.where(named[i] & named[j], content, content / (W_EMBEDDING + W_TERMS))
        gap = np.abs(days[i] - days[j])
        score_ = content - DAY_COST * np.maximum(0, gap - GRACE_DAYS)
        scores[start : start + PAIR_CHUNK] = np.where(gap > MAX_GAP_DAYS, -math.inf, score_)
    return scores


def assemble(id_: str, members: list[Features], similarity: list[float], frequencies: Frequencies) -> Story:
    """A story with these members in this order, as the clusterer would have built it (for
    stories computed elsewhere, e.g. by the Spark engine, brought into a store)."""
    story = Story(id_)
    for member, joined in zip(members, similarity, strict=True):
        absorb(story, member, frequencies.term_vector(member), frequencies.entity_vector(member), joined)
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
    )


def _last_day_of(year: int | None) -> int | None:
    return None if year is None else date(year, 12, 31).toordinal() - 719163


def restore(row: dict, members: list[Features], frequencies: Frequencies) -> Story:
    """A stored story (from stories_between()) with its members, ready to take new articles.
    Entity weights are recomputed, because entity ids change as resolution learns more."""
    story = Story(row["id"])
    by_id = {m.article_id: m for m in members}
    for aid, similarity in zip(row["members"], row["similarity"], strict=True):
        member = by_id.get(aid)
        if member is None:
            continue
        story.article_ids.append(aid)
        story.titles.append(member.title)
        story.published.append(member.published)
        story.add_day(member.day)
        story.outlets.append(member.outlet)
        story.vectors.append(member.vector.astype(np.float16))
        story.similarity.append(similarity)
        if member.day is None and member.not_after is not None:
            story.bounds.append(member.not_after)
        for k, w in frequencies.entity_vector(member).items():
            story.entities[k] = story.entities.get(k, 0.0) + w
    story.vector_sum = np.frombuffer(row["centroid"], dtype=np.float32).copy()
    half = len(row["terms"]) // 2
    keys = np.frombuffer(row["terms"][:half], dtype=np.int32)
    values = np.frombuffer(row["terms"][half:], dtype=np.float32)
    story.terms = {int(k): float(v) for k, v in zip(keys, values, strict=True)}
    return story
