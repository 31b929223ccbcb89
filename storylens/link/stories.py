"""Stories: which articles report the same real-world event, clustered online.

Each article, taken in publication order, joins the story it fits best or founds one. After
Miranda et al. (2018), "Multilingual Clustering of Streaming News", with two changes that a dense
stream of look-alike events (a city's shootings, day after day, in the same words) demands:

- **What makes an event this event weighs most.** Two articles are compared by
  link/pairs.py: on their sentence embeddings, their TF-IDF term vectors and, weighted most, their
  specifics (the people, places, streets, ages and days they name), each weighted by its rarity.
- **An article joins a story by its members, never by their average.** Its fit to a story is
  its mean match with the members, one by one (the first reports and those nearest to it:
  average link), so a story of many shootings never becomes "the average shooting" that every
  new one matches, and a chain A~B~C of distinct events does not make one story: C must fit A
  too. And it must share the story's own specifics (those several members name), not merely the
  beat's: a roundup that joined one event does not open the story to the next.

Time is counted from each member, so a story stays anchored on its first reports: a member within
GRACE_DAYS costs nothing, then DAY_COST a day, and a member more than MAX_GAP_DAYS away costs
FAR_COST (the mean then keeps the article out). A follow-up (an arrest, a trial weeks later)
that shares the specifics and a detail (a day, an age, an address) with one member follows up the
story: every member is then charged at most FOLLOW_UP_COST, up to FOLLOW_UP_DAYS, and its content
(the names it shares with the members, one by one) decides. An undated article is judged on
content, charged as if a week away, and bounded by a year named in its page chrome. When an
article fits two stories (one event's reports founded two in parallel), the smaller joins the
larger if its first reports fit the larger as an article must (Clusterer.merged lists the ids gone).

Candidate stories come from usearch vector indexes over story centroids, one per period of
MAX_GAP_DAYS (an article looks at the periods next to its date), and from an inverted index of the
stories' rarest specifics (for follow-ups and for events the embedding tells apart poorly); those
beyond the article's reach (beyond_reach: too far in time, nothing to follow up) are not compared,
so the cost per article does not grow with the corpus. Stories older than the follow-up horizon can be
dropped from memory (Clusterer.retire) and loaded back from the store when a late article needs them.
"""

from __future__ import annotations

import hashlib
import math
import sys
from collections.abc import Iterable

import numpy as np
from usearch.index import Index

from storylens.link.features import features_of, term_counts
from storylens.link.members import Listing, Shelf, Shelved, Story, kept, put_away
from storylens.link.pairs import (
    FAR_COST,
    FOLLOW_UP_COST,
    FOLLOW_UP_DAYS,
    MAX_GAP_DAYS,
    SPECIFIC_BUCKETS,
    TERM_BUCKETS,
    W_EMBEDDING,
    W_SPECIFICS,
    W_TERMS,
    Features,
    Frequencies,
    Signature,
    Sparse,
    dated_pair_scores,
    day_iso,
    day_number,
    dots,
    pair_score,
    pair_scores,
    parts_with,
    scores_with,
    specific_keys,
    unit_sparse,
)
from storylens.memory import give_back
from storylens.understand.embed import DIMENSIONS

# The names the pipeline, the Spark engine, tests and benchmarks take from this stage.
__all__ = [
    "FOLLOW_UP_DAYS", "MAX_GAP_DAYS", "SPECIFIC_BUCKETS", "TERM_BUCKETS", "THRESHOLD",
    "VERSION", "Clusterer", "Features", "Frequencies", "Signature", "Story", "assemble",
    "dated_pair_scores", "day_iso", "day_number", "features_of", "in_publication_order", "pair_score",
    "pair_scores", "rarest", "restore", "scores_with", "specific_keys", "story_id", "term_counts",
]  # fmt: skip

# Bump when the clustering rule changes: a store's stories of another version are clustered again (and
# link/features.py FEATURES_VERSION when what an article's text gives the clusterer changes).
VERSION = "8"  # 2: specifics, members not centroids, anchored time; 3: headline names, addresses;
# 4: a follow-up of one member follows up the story, every capitalised headline word;
# 5: two stories an article fits both merge when their first reports tie; follow-ups up to a year;
# 6: two articles naming ages (or addresses) but sharing none of them are charged CONFLICT_COST
# 7: two reports by one outlet sharing no day, age or address are charged SAME_OUTLET_COST; CORE_GATE
# 8: a body naming none of its headline's words is another page's text: the headline alone is read;
# one outlet's reports each naming an address, sharing none, are charged SAME_OUTLET_COST (0.2)
THRESHOLD = 0.125  # the bar an article's fit to a story must clear to join it (chosen on gva-dev's tune half)
CORE_GATE = 0.15  # the share of its core an article must name to count in full (GATE, 0.2, before rules 7)
CORE_SHARE = 0.3  # a story's core: the specifics named by this share of its members (two at least)
CORE = 8  # an article is matched with a story's first reports...
NEAREST = 8  # ...and with the members nearest to it by embedding
CANDIDATES = 8  # nearest story centroids examined per period
RARE_SPECIFICS = 8  # an article's rarest specifics look up the stories that name them,
RARE_STORIES = 16  # unless more stories than this name one
# The most a pair's content can earn (unit vectors on every side; the margin covers float16
# embeddings and rounding): a member beyond MAX_GAP_DAYS costs FAR_COST, more than this.
MOST_CONTENT = W_EMBEDDING + W_TERMS + W_SPECIFICS + 0.01


def story_id(founder: str) -> str:
    return "t_" + hashlib.sha1(founder.encode()).hexdigest()[:16]


def rarest(signature: Signature, n: int = RARE_SPECIFICS) -> list[int]:
    """The keys of its n rarest specifics other articles name too (then its rarest ones alone)."""
    return signature.rare[:n].tolist()


def listed_under(story: Story) -> set[int]:
    """The specifics a story is looked up by: the rarest ones of each of its members."""
    return {key for member in story.members for key in rarest(member)}


def fit(article: Signature, story: Story) -> float:
    """How well an article fits a story: its mean match with the members it is compared with (the
    first reports and those nearest to it: average link, which no chain of pairs fools), time
    charged at most FOLLOW_UP_COST when it follows up one of them, scaled down when it shares
    little of the story's own specifics (its core)."""
    return float(fits(article, [story])[0])


def fits(article: Signature, stories: list[Story]) -> np.ndarray:
    """fit(article, story) for each story, computed at once."""
    compared = [compared_members(article, story) for story in stories]
    lengths = np.array([len(members) for members in compared])
    content, cost, follow_up = parts_with(article, [m for members in compared for m in members])
    story_of = np.repeat(np.arange(len(stories)), lengths)
    # A follow-up of one member follows up the story: time then costs at most FOLLOW_UP_COST for
    # every member (the story's other reports need not repeat the day or the age it repeats).
    followed = np.bincount(story_of, weights=follow_up, minlength=len(stories)) > 0
    cost = np.where(followed[story_of], np.minimum(cost, FOLLOW_UP_COST), cost)
    joined = np.bincount(story_of, weights=content - cost) / lengths
    cores = [core(story) for story in stories]
    scale = np.minimum(1.0, dots(article.specifics, cores) / CORE_GATE)
    # Nothing specific on one side: no evidence either way.
    scale[np.array([not len(keys) for keys, _ in cores]) | (not len(article.specifics[0]))] = 1.0
    return joined * scale


def beyond_reach(article: Signature, story: Story, threshold: float) -> bool:
    """Whether the article cannot fit the story to `threshold`, whatever their content (so it need
    not be compared): both dated, every member more than MAX_GAP_DAYS away (each then costs
    FAR_COST, more than MOST_CONTENT) and none it can follow up (none within FOLLOW_UP_DAYS, or
    none naming a day, an age or an address it names). Never true for a threshold a far story's
    content alone could clear."""
    if article.day is None or story.first_day is None or story.last_day is None:
        return False
    gap = max(article.day - story.last_day, story.first_day - article.day)  # to the nearest member
    if gap <= MAX_GAP_DAYS or threshold <= MOST_CONTENT - FAR_COST:
        return False
    if story.packed is not None:
        if story.packed.undated:
            return False
        details = story.packed.details
    else:
        if any(member.day is None for member in story.held):
            return False
        details = np.concatenate([member.details for member in story.held])
    return gap > FOLLOW_UP_DAYS or not np.isin(article.details, details).any()


def compared_members(article: Signature, story: Story) -> list[Signature]:
    """The story's first reports and the members nearest to the article by embedding."""
    members = story.members
    if len(members) <= CORE + NEAREST:
        return members
    later = np.stack([m.vector for m in members[CORE:]]).astype(np.float32)  # members keep float16
    closeness = later @ article.vector.astype(np.float32)
    nearest = np.argsort(-closeness, kind="stable")[:NEAREST] + CORE
    return members[:CORE] + [members[i] for i in sorted(nearest)]


def core(story: Story) -> Sparse:
    """The story's own specifics: those its founder names while alone, then those named by at
    least two members and CORE_SHARE of them (a roundup that joined names other events too, but
    only once), each weighted by its mean weight in the members that name it. Counted from the
    members when asked for (a story keeps no table of its specifics)."""
    if story.own is not None:
        return story.own
    members = story.members
    need = 1 if len(members) == 1 else max(2, math.ceil(CORE_SHARE * len(members)))
    keys = np.concatenate([m.specifics[0] for m in members]).astype(np.int64)
    weights = np.concatenate([m.specifics[1] for m in members]).astype(np.float64)
    found, first, which, count = np.unique(keys, return_index=True, return_inverse=True, return_counts=True)
    total = np.bincount(which, weights=weights, minlength=len(found))  # summed in member order
    order = np.argsort(first, kind="stable")  # in the order the members first named them
    order = order[count[order] >= need]
    if len(order):
        own = unit_sparse(found[order], total[order] / count[order])
    else:
        own = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    if not isinstance(story.packed, Shelved):  # a shelved story's is counted again when asked for
        story.own = own
    return own


def absorb(story: Story, f: Features, signature: Signature, similarity: float) -> None:
    """Add one article to a story's members."""
    story.unpack()
    listing = story.listing
    listing.article_ids.append(f.article_id)
    listing.titles.append(f.title)
    listing.published.append(f.published and sys.intern(f.published))  # one string for a day's members
    story.add_day(f.day)
    listing.outlets.append(f.outlet and sys.intern(f.outlet))  # and for an outlet's
    story.vector_sum = story.vector_sum + f.vector
    story.held.append(kept(signature, RARE_SPECIFICS))
    story.own = None  # its core is computed again when next asked for
    listing.similarity.append(round(similarity, 4))
    if f.day is None and f.not_after is not None:
        listing.bounds.append(f.not_after)


def take_in(story: Story, other: Story) -> None:
    """Add another story's members to a story, after its own."""
    story.unpack()
    mine, theirs = story.listing, other.listed()
    for name in Listing.__slots__:
        getattr(mine, name).extend(getattr(theirs, name))
    story.vector_sum = story.vector_sum + other.vector_sum
    story.held += other.members
    for member in other.members:
        story.add_day(member.day)
    story.own = None


class Clusterer:
    """Online story clustering; feed it articles in publication order with add()."""

    def __init__(
        self, frequencies: Frequencies | None = None, threshold: float = THRESHOLD, shelf: Shelf | None = None
    ):
        self.frequencies = frequencies or Frequencies()
        self.threshold = threshold
        self.shelf = shelf  # where packed stories are kept, if not in memory (link/members.py)
        self.stories: dict[str, Story] = {}
        self.changed: set[str] = set()
        self.merged: set[str] = set()  # stories merged into another (gone from a store)
        self._keys: dict[str, int] = {}  # story id -> index key
        self._ids: dict[int, str] = {}
        self._periods: dict[int | None, Index] = {}  # period -> index of its stories' centroids
        self._story_periods: dict[str, set[int | None]] = {}
        self._naming: dict[int, list[str]] = {}  # specific key -> stories listed under it
        self._latest: int | None = None  # the latest day an article was added for

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
            listed = self._naming.setdefault(specific, [])
            if story.id not in listed:
                listed.append(story.id)

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
        if signature.day is not None and (self._latest is None or signature.day > self._latest):
            self._latest = signature.day  # a new day: the stories out of reach but of follow-ups
            self.pack(signature.day - MAX_GAP_DAYS)  # are packed
        best, best_score, rivals = None, self.threshold, []
        candidates = self._candidates(signature.vector, signature.day, rare)
        candidates = [c for c in candidates if not beyond_reach(signature, c, self.threshold)]
        if candidates:
            scores = fits(signature, candidates)
            last = len(scores) - 1 - int(np.argmax(scores[::-1]))  # the last of equals, as before
            if scores[last] >= best_score:
                best, best_score = candidates[last], float(scores[last])
                rivals = [c for c, s in zip(candidates, scores, strict=True) if s >= self.threshold]
        if best is None:
            best = Story(story_id(features.article_id))
            self.stories[best.id] = best
            best_score = 1.0
        absorb(best, features, signature, best_score)
        self.changed.add(best.id)
        self._register(best, rare)
        for rival in rivals:
            if rival is not best and rival.id in self.stories:
                best = self._merge_if_one(best, rival)
        return best

    def _merge_if_one(self, story: Story, other: Story) -> Story:
        """Two stories an article fits both, founded in parallel on one event: the smaller joins
        the larger when its first reports fit the larger as an article must (average link, so a
        chain of look-alike events stays apart). Returns the story the article is now in."""
        small, large = sorted((story, other), key=lambda s: len(s.members))
        tie = float(np.mean([fits(member, [large])[0] for member in small.members[:CORE]]))
        if tie < self.threshold:
            return story
        rare = self._forget(small)
        take_in(large, small)
        self._register(large, rare)
        self.changed.add(large.id)
        self.merged.add(small.id)
        return large

    def _forget(self, story: Story) -> set[int]:
        """Take a story out of memory and of the indexes; returns the specifics it was listed under."""
        key = self._keys.pop(story.id)
        self._ids.pop(key, None)
        for period in self._story_periods.pop(story.id, set()):
            index = self._periods[period]
            if key in index:
                index.remove(key)
        rare = listed_under(story)
        for specific in rare:
            listed = self._naming[specific]
            listed.remove(story.id)
            if not listed:
                del self._naming[specific]
        del self.stories[story.id]
        self.changed.discard(story.id)
        return rare

    def load(self, story: Story) -> None:
        """Take back a story written earlier (its members' signatures restored)."""
        self.stories[story.id] = story
        self._register(story, listed_under(story))

    def pack(self, before_day: int) -> int:
        """Put the stories whose last article is older than `before_day` in their compact form
        (link/members.py: the same values in a few flat arrays, in the shelf if the clusterer has
        one); returns how many."""
        old = [s for s in self.stories.values() if s.packed is None and s.last_day is not None]
        old = [s for s in old if s.last_day < before_day and s.held]
        for story in old:
            if self.shelf is None:
                core(story)  # kept with it: asked for whenever an article is compared with it
                story.packed, story.summed = put_away(story.held, story.summed, None)
            else:  # all but what says whether an article is beyond its reach goes to the file
                story.packed, story.summed = put_away(story.held, story.summed, self.shelf, story.listing)
                story.listing, story.own = None, None
            story.held = []
        return len(old)

    def retire(self, before_day: int) -> list[Story]:
        """Drop from memory the stories whose last article is older than `before_day`."""
        old = [s for s in self.stories.values() if s.last_day is not None and s.last_day < before_day]
        for story in old:
            self._forget(story)
        for period in [p for p, index in self._periods.items() if p is not None and len(index) == 0]:
            del self._periods[period]
        if old:
            give_back()  # the heap pages their members, listings and index entries held
        return old


def assemble(id_: str, members: list[Features], similarity: list[float], frequencies: Frequencies) -> Story:
    """A story with these members in this order, as the clusterer would have built it (for
    stories computed elsewhere, e.g. by the Spark engine, brought into a store)."""
    story = Story(id_)
    for member, joined in zip(members, similarity, strict=True):
        absorb(story, member, frequencies.signature(member), joined)
    return story


def in_publication_order(features: list[Features]) -> list[Features]:
    """Dated articles by date, then undated ones (which then join stories by content)."""
    return sorted(features, key=lambda f: (f.published is None, (f.published or "")[:10], f.article_id))


def restore(row: dict, members: list[Features], frequencies: Frequencies) -> Story:
    """A stored story (from stories_between()) with its members, ready to take new articles.
    The members' signatures are computed again with today's rarities."""
    by_id = {m.article_id: m for m in members}
    story = Story(row["id"])
    for aid, similarity in zip(row["members"], row["similarity"], strict=True):
        if aid in by_id:
            absorb(story, by_id[aid], frequencies.signature(by_id[aid]), similarity)
    return story
