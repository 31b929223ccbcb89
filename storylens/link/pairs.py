"""Two articles: how likely they report one event.

Each article is seen three ways: its sentence embedding (title and lead), its TF-IDF term vector
and, weighted most, its specifics (link/specifics.py: the people, places, streets, ages and days it
names), each specific weighted by its rarity in the store, so the city a beat names every day
counts for little and a victim's name for much. The words count in full only when the specifics
agree: the same words with different names are another event. Two articles that each name an age
(or each an address) but share no age and no address are charged CONFLICT_COST: two victims, or
two places, however alike the rest (two shootings in one neighbourhood on one day). Two reports by
one outlet (one domain) that share no day, age or address are charged SAME_OUTLET_COST: what they
share may be the outlet's own (its masthead, its city, its template, its footer), rare in the
store only because no other outlet names it; so are two by one outlet that each name an address
and share none, whatever day or age they share (an outlet retelling its event repeats its address,
and reports several shootings a day, of victims of the same few ages). A page whose body names
none of its headline's words kept another text than its article (a sign-up form, a video
playlist, a weather alert): its words and capitalised words are not read, its headline is
(link/features.py, `tells_another_story`).

Time is then charged against the pair: nothing within GRACE_DAYS, DAY_COST a day beyond, and
FAR_COST (out of reach) beyond MAX_GAP_DAYS, except for a follow-up that shares the specifics and
a detail (an arrest, a trial weeks later: the same names, the same street), charged at most
FOLLOW_UP_COST up to FOLLOW_UP_DAYS (and, by the clusterer, every member of a story whose one
member it follows up: `parts_with` says which). An undated article is charged as if a week away, and bounded
by a year named in its page chrome.

`pair_score` is the one rule; `dated_pair_scores` is the same rule over millions of pairs at once
(the Spark engine), tested equal to it.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from storylens.link.specifics import EPOCH

TERM_BUCKETS = 1 << 20  # hashed vocabulary; collisions are rare and harmless for cosine
SPECIFIC_BUCKETS = 1 << 20
ARTICLE_TERMS = 120  # an article keeps its heaviest terms

# How the three views of two articles are mixed (chosen on half of gva-dev's events, see README).
W_EMBEDDING, W_TERMS, W_SPECIFICS = 0.2, 0.3, 0.5
GATE = 0.2  # the words count in full only when the specifics agree this much
BACKGROUND = 50  # rarities smoothed as if the store held this many more articles naming none
GRACE_DAYS = 3  # a member within this many days costs nothing
DAY_COST = 0.02  # per day beyond the grace period
MAX_GAP_DAYS = 21  # beyond this, a member costs FAR_COST...
FAR_COST = 1.0
FOLLOW_UP_SPECIFICS = 0.25  # ...unless the two share this much of their specifics, and one of
DETAILS = ("day:", "age:", "addr:")  # these details (a follow-up; actors alone are not enough):
FOLLOW_UP_COST = 0.1  # then this, at most,
FOLLOW_UP_DAYS = 365  # up to this many days apart (a sentence months later; 90 before rules 5)
# Two articles that each name an age, or each an address, and share neither age nor address tell
# of two victims or two places: another event, however alike their words (rules version 6).
CONFLICT_COST = 0.1
# Two reports by one outlet that share no day, age or address are charged SAME_OUTLET_COST: an
# outlet's reports of different events share its masthead, its city, its hospitals and its
# template, which its rarities cannot tell from an event's (rules version 7: 0.15; version 8: 0.2,
# chosen on gva-dev's tune half with the other half's members counted wrong, bench/stories.py tune×).
# So are two reports by one outlet that each name an address and share none, whatever day or age
# they share: an outlet retelling its event repeats its address (rules version 8).
SAME_OUTLET_COST = 0.2
DAY, AGE, ADDRESS = 1, 2, 3  # a detail's kind, kept in the low bits of its key (details_of)
# Without a date on one side there is no evidence of closeness in time: the pair is charged as if
# it were a week apart, so content alone must clear a higher bar.
UNDATED_COST = DAY_COST * (7 - GRACE_DAYS)
PAIR_CHUNK = 65536  # pairs scored at once by dated_pair_scores (bounds its memory)
Sparse = tuple[np.ndarray, np.ndarray]  # sorted int64 keys (int32 in a story), float32 weights (unit length)


@dataclass
class Features:
    """What the clusterer knows of one article."""

    article_id: str
    title: str
    outlet: str | None
    published: str | None
    vector: np.ndarray  # unit-length sentence embedding
    terms: dict[int, int]  # hashed term -> count (link/features.py: term_counts)
    entities: frozenset[str]  # resolved entity ids
    not_after: int | None = None  # for an undated article: the last day it can have appeared
    specifics: frozenset[str] = frozenset()  # link/specifics.py

    @property
    def day(self) -> int | None:
        return day_number(self.published)


@dataclass(slots=True)
class Signature:
    """One article as the clusterer compares it: its vectors weighted by the store's rarities."""

    vector: np.ndarray  # float32, unit length (float16 in a story's members: stories.kept)
    terms: Sparse
    specifics: Sparse
    day: int | None
    not_after: int | None = None
    details: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # sorted keys
    # The specifics' keys, rarest first, but those other articles name before those none does
    # (a name no other article gives finds nothing): how the clusterer looks stories up.
    rare: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    source: int = 0  # its outlet, hashed (0: unknown)

    def shares_details(self, other: Signature) -> bool:
        """Whether both name one day, age or address: what a follow-up repeats of its event."""
        return bool(np.intersect1d(self.details, other.details, assume_unique=True).size)

    def contradicts(self, other: Signature) -> bool:
        """Whether both name an age (or both an address) but they share no age and no address."""
        return bool(detail_parts(self, [other])[1][0])

    def outlet_alone(self, other: Signature) -> bool:
        """Whether both come from one outlet and share no day, age or address, or each names an
        address and they share none: what they share may be the outlet's, not the event's."""
        if not self.source or self.source != other.source:
            return False
        shared, _, elsewhere = detail_parts(self, [other])
        return not shared[0] or bool(elsewhere[0])


def day_number(published: str | None) -> int | None:
    """Days since 1970-01-01 of an ISO date or date-time, or None."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal() - EPOCH
    except ValueError:
        return None


def day_iso(day: int) -> str:
    """The ISO date of a day number (day_number's inverse)."""
    return date.fromordinal(day + EPOCH).isoformat()


def bucket(token: str, size: int) -> int:
    """The bucket of `size` a term or a specific is counted in (crc32)."""
    return zlib.crc32(token.encode()) % size


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
        found = self.specific_vector(features)
        keys, weights = found
        alone = self.specifics[keys] <= 1
        return Signature(
            features.vector.astype(np.float16).astype(np.float32),  # as the store keeps it
            self.term_vector(features),
            found,
            features.day,
            features.not_after,
            details_of(features.specifics),
            keys[np.lexsort((-weights, alone))],
            source_of(features.outlet),
        )

    def term_vector(self, features: Features) -> Sparse:
        keys = np.fromiter(features.terms, dtype=np.int64, count=len(features.terms))
        counts = np.fromiter(features.terms.values(), dtype=np.float64, count=len(keys))
        weights = (1 + np.log(np.maximum(counts, 1))) * self._idf(self.terms[keys])
        if len(keys) > ARTICLE_TERMS:
            heaviest = np.argsort(-weights, kind="stable")[:ARTICLE_TERMS]
            keys, weights = keys[heaviest], weights[heaviest]
        return unit_sparse(keys, weights)

    def specific_vector(self, features: Features) -> Sparse:
        """Each specific weighted by its rarity (so a city named in every article of a beat
        weighs a fraction of a victim's name)."""
        keys = np.unique(specific_keys(features.specifics))
        df = self.specifics[keys].astype(np.float64)
        w = np.log((1 + self.documents + BACKGROUND) / (1 + df))
        return unit_sparse(keys, w)

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


def source_of(outlet: str | None) -> int:
    """An outlet as a signature keeps it: a positive hash of its domain (the last two labels of a
    host name, so one publisher's local sites, chicago.cbslocal.com and miami.cbslocal.com, share
    their template and footer as one outlet), 0 when unknown."""
    return zlib.crc32(".".join(outlet.lower().split(".")[-2:]).encode()) + 1 if outlet else 0


def specific_keys(found: Iterable[str]) -> np.ndarray:
    return np.fromiter((bucket(x, SPECIFIC_BUCKETS) for x in found), dtype=np.int64)


def details_of(found: Iterable[str]) -> np.ndarray:
    """The sorted keys of the days, ages and addresses among an article's specifics, each with
    its kind (DAY, AGE, ADDRESS) in its two low bits."""
    kinds = dict(zip(DETAILS, (DAY, AGE, ADDRESS), strict=True))
    details = [(x, kinds[x[: x.index(":") + 1]]) for x in found if x.startswith(DETAILS)]
    keys = specific_keys(x for x, _ in details) * 4 + np.array([k for _, k in details], dtype=np.int64)
    return np.unique(keys)


def detail_parts(article: Signature, members: list[Signature]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each member: whether the article shares one of its details (a day, an age or an
    address), whether the two contradict each other (each names an age, or each an address,
    and they share no age and no address: two victims, two places), and whether each names an
    address and they share none."""
    lengths = [len(m.details) for m in members]
    keys = np.concatenate([m.details for m in members] + [np.zeros(0, dtype=np.int64)])
    row = np.repeat(np.arange(len(members)), lengths)
    kind = keys & 3
    hit = np.isin(keys, article.details, assume_unique=False)
    shared = np.bincount(row[hit], minlength=len(members)) > 0
    told = np.bincount(row[hit & (kind != DAY)], minlength=len(members)) > 0
    mine = article.details & 3
    both = np.zeros(len(members), dtype=bool)
    places = np.zeros(len(members), dtype=bool)  # both name an address
    for k in (AGE, ADDRESS):
        if (mine == k).any():
            named = np.bincount(row[kind == k], minlength=len(members)) > 0
            both |= named
            places = named if k == ADDRESS else places
    placed = np.bincount(row[hit & (kind == ADDRESS)], minlength=len(members)) > 0
    return shared, both & ~told, places & ~placed


def unit_sparse(keys: np.ndarray, weights: np.ndarray) -> Sparse:
    """Sorted keys with unit-length weights (empty when every weight is 0)."""
    norm = float(np.sqrt(np.sum(weights * weights)))
    if not norm:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    order = np.argsort(keys, kind="stable")
    return keys[order].astype(np.int64), (weights[order] / norm).astype(np.float32)


def cosine(a: Sparse, b: Sparse) -> float:
    if not len(a[0]) or not len(b[0]):
        return 0.0
    _, i, j = np.intersect1d(a[0], b[0], assume_unique=True, return_indices=True)
    return float(np.dot(a[1][i], b[1][j]))


def pair_score(a: Signature, b: Signature) -> float:
    """How likely two articles report one event: content, less what time says against it."""
    alike = W_EMBEDDING * float(np.dot(a.vector, b.vector)) + W_TERMS * cosine(a.terms, b.terms)
    if not len(a.specifics[0]) or not len(b.specifics[0]):
        return alike - time_cost(gap_between(a, b), 0.0)  # nothing specific on one side
    shared = cosine(a.specifics, b.specifics)
    content = alike * min(1.0, shared / GATE) + W_SPECIFICS * shared - CONFLICT_COST * a.contradicts(b)
    content -= SAME_OUTLET_COST * a.outlet_alone(b)
    return content - time_cost(gap_between(a, b), shared if a.shares_details(b) else 0.0)


def scores_with(article: Signature, members: list[Signature]) -> np.ndarray:
    """pair_score(article, m) for each member, computed at once (how the clusterer fits an
    article to a story)."""
    content, cost, _ = parts_with(article, members)
    return content - cost


def parts_with(article: Signature, members: list[Signature]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each member: what the content of the pair says for it, what time charges against it,
    and whether the article follows the member up (shares its specifics and a detail, within
    FOLLOW_UP_DAYS). pair_score is the first less the second."""
    vectors = np.stack([m.vector for m in members]).astype(np.float32)  # members keep float16
    alike = W_EMBEDDING * (vectors @ article.vector.astype(np.float32)).astype(np.float64)
    alike += W_TERMS * dots(article.terms, [m.terms for m in members])
    shared = dots(article.specifics, [m.specifics for m in members])
    named = np.array([len(m.specifics[0]) > 0 for m in members]) & (len(article.specifics[0]) > 0)
    detailed, contradicted, elsewhere = detail_parts(article, members)
    one_outlet = (np.array([m.source for m in members]) == article.source) & (article.source != 0)
    alone = one_outlet & (~detailed | elsewhere)
    content = alike * np.minimum(1.0, shared / GATE) + W_SPECIFICS * shared
    content -= CONFLICT_COST * contradicted + SAME_OUTLET_COST * alone
    content = np.where(named, content, alike)
    follows = np.where(named & detailed, shared, 0.0)
    if article.day is not None and all(m.day is not None for m in members):
        gaps = np.abs(np.array([m.day for m in members]) - article.day)
        cost = np.where(gaps <= MAX_GAP_DAYS, DAY_COST * np.maximum(0, gaps - GRACE_DAYS), FAR_COST)
        follow_up = (follows >= FOLLOW_UP_SPECIFICS) & (gaps <= FOLLOW_UP_DAYS)
        cost = np.where(follow_up, np.minimum(cost, FOLLOW_UP_COST), cost)
    else:
        gaps = [gap_between(article, m) for m in members]
        cost = np.array([time_cost(g, f) for g, f in zip(gaps, follows, strict=True)])
        reach = np.array([g is not None and g <= FOLLOW_UP_DAYS for g in gaps], dtype=bool)
        follow_up = reach & (follows >= FOLLOW_UP_SPECIFICS)
    return content, cost, follow_up


def dots(a: Sparse, rows: list[tuple[np.ndarray, np.ndarray | None]]) -> np.ndarray:
    """The dot product of one sparse vector with each of several (sorted keys on each side; a
    row's weights None: all 1)."""
    lengths = [len(keys) for keys, _ in rows]
    if not len(a[0]) or not sum(lengths):
        return np.zeros(len(rows))
    keys = np.concatenate([keys for keys, _ in rows])
    at = np.minimum(np.searchsorted(a[0], keys), len(a[0]) - 1)
    hit = a[0][at] == keys
    weights = a[1][at[hit]]
    if rows[0][1] is not None:
        weights = weights * np.concatenate([values for _, values in rows])[hit]
    row = np.repeat(np.arange(len(rows)), lengths)
    return np.bincount(row[hit], weights=weights, minlength=len(rows))


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
        [(s.details, np.ones(len(s.details), dtype=np.float32)) for s in signatures], 4 * SPECIFIC_BUCKETS
    )
    told = [s.details[s.details & 3 != DAY] for s in signatures]  # ages and addresses
    told = matrix([(keys, np.ones(len(keys), dtype=np.float32)) for keys in told], 4 * SPECIFIC_BUCKETS)
    places = [s.details[s.details & 3 == ADDRESS] for s in signatures]
    places = matrix([(keys, np.ones(len(keys), dtype=np.float32)) for keys in places], 4 * SPECIFIC_BUCKETS)
    ages, addresses = (np.array([(s.details & 3 == k).any() for s in signatures]) for k in (AGE, ADDRESS))
    sources = np.array([s.source for s in signatures], dtype=np.int64)
    scores = np.empty(len(first))
    for start in range(0, len(first), PAIR_CHUNK):
        i, j = first[start : start + PAIR_CHUNK], second[start : start + PAIR_CHUNK]
        shared = rowwise(found, i, j)
        alike = W_EMBEDDING * np.einsum("ij,ij->i", vectors[i], vectors[j]) + W_TERMS * rowwise(terms, i, j)
        contradicted = ((ages[i] & ages[j]) | (addresses[i] & addresses[j])) & (rowwise(told, i, j) == 0)
        detailed = rowwise(details, i, j) > 0
        elsewhere = addresses[i] & addresses[j] & (rowwise(places, i, j) == 0)
        alone = (sources[i] == sources[j]) & (sources[i] != 0) & (~detailed | elsewhere)
        content = alike * np.minimum(1.0, shared / GATE) + W_SPECIFICS * shared
        content -= CONFLICT_COST * contradicted + SAME_OUTLET_COST * alone
        content = np.where(named[i] & named[j], content, alike)
        gap = np.abs(days[i] - days[j])
        cost = np.where(gap <= MAX_GAP_DAYS, DAY_COST * np.maximum(0, gap - GRACE_DAYS), FAR_COST)
        follow_up = (shared >= FOLLOW_UP_SPECIFICS) & (gap <= FOLLOW_UP_DAYS) & detailed
        cost = np.where(follow_up, np.minimum(cost, FOLLOW_UP_COST), cost)
        scores[start : start + PAIR_CHUNK] = content - cost
    return scores
