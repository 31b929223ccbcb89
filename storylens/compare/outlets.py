"""Comparing outlets and collections across the whole store: who covers which story (and which
collection of outlets leaves one to the other: a blindspot), who reports first and how far behind
the others follow, who takes passages from whom, what each outlet leaves out, and the words one
collection uses against another (Fightin' Words over the stories both cover).

Plain functions over the store's rows (storylens.store.outlets) and kept comparisons; the store
reading and the views live in storylens/outlets.py.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from storylens.compare.framing import distinctive, ngrams
from storylens.store.outlets import Member, Taken

UNASSIGNED = "(none)"  # the value of an outlet that the imported file does not name
SHARE = 0.8  # a blindspot: at least this share of a story's outlets from one collection
MIN_OUTLETS = 3  # ... and at least this many outlets


def name_key(name: str) -> str:
    """How outlet names are matched: case and spacing forgiven."""
    return " ".join(name.split()).casefold()


def slug(name: str) -> str:
    """The outlet's name as a path segment: lower-case ASCII letters and digits joined by '-'."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:60] or "outlet"


def slugs(names: list[str]) -> dict[str, str]:
    """outlet name -> its unique slug (a clash gets -2, -3... in name order)."""
    found: dict[str, str] = {}
    used: set[str] = set()
    for name in sorted(names):
        base = candidate = slug(name)
        n = 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        found[name] = candidate
    return found


# -- coverage and blindspots -------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """A story's coverage by the collections of one grouping."""

    story_id: str
    grouping: str
    outlets: dict[str, list[str]]  # value -> the story's outlets of that value
    articles: dict[str, int]  # value -> the story's articles from outlets of that value

    @property
    def outlet_count(self) -> int:
        return sum(len(o) for o in self.outlets.values())


def coverage(members: list[Member], grouping: str, values: dict[str, str]) -> dict[str, Coverage]:
    """story id -> its coverage by the values of `grouping` (outlet -> value); an outlet the
    grouping does not name counts under UNASSIGNED; articles without an outlet are left out."""
    outlets: dict[str, dict[str, set[str]]] = {}
    articles: dict[str, Counter] = {}
    for m in members:
        if not m.outlet:
            continue
        value = values.get(m.outlet, UNASSIGNED)
        outlets.setdefault(m.story_id, {}).setdefault(value, set()).add(m.outlet)
        articles.setdefault(m.story_id, Counter())[value] += 1
    return {
        sid: Coverage(
            sid,
            grouping,
            {v: sorted(o) for v, o in sorted(by_value.items())},
            dict(sorted(articles[sid].items())),
        )
        for sid, by_value in outlets.items()
    }


@dataclass(frozen=True)
class Blindspot:
    """A story covered mostly by one collection: the others (`missing`: no outlet at all) leave it."""

    story_id: str
    grouping: str
    value: str  # the collection that covers it
    share: float  # of the story's outlets
    outlets: int
    missing: list[str]  # the grouping's values with no outlet on the story


def blindspots(
    coverages: dict[str, Coverage],
    all_values: list[str],
    share: float = SHARE,
    min_outlets: int = MIN_OUTLETS,
) -> list[Blindspot]:
    """The stories of at least `min_outlets` outlets of which at least `share` come from one value
    of the grouping (never UNASSIGNED), most one-sided first."""
    found = []
    for c in coverages.values():
        total = c.outlet_count
        if total < min_outlets:
            continue
        named = {v: len(o) for v, o in c.outlets.items() if v != UNASSIGNED}
        if not named:
            continue
        value, count = max(named.items(), key=lambda kv: (kv[1], kv[0]))
        if count / total >= share:
            missing = [v for v in all_values if v not in c.outlets]
            found.append(Blindspot(c.story_id, c.grouping, value, round(count / total, 3), total, missing))
    found.sort(key=lambda b: (-b.share, -b.outlets, b.story_id))
    return found


# -- who reports first -----------------------------------------------------------------------


@dataclass(frozen=True)
class When:
    """A publication as an interval in UTC: a time is an instant; a day alone spans the day."""

    earliest: datetime
    latest: datetime

    @property
    def at(self) -> datetime:
        """The instant used for ordering: a day alone counts as its noon."""
        return self.earliest + (self.latest - self.earliest) / 2


def when(published: str | None) -> When | None:
    """The interval of a stored publication date (a time without an offset is read as UTC)."""
    if not published:
        return None
    try:
        if len(published) <= 10:
            day = datetime.fromisoformat(published[:10]).replace(tzinfo=UTC)
            return When(day, day + timedelta(days=1))
        moment = datetime.fromisoformat(published)
    except ValueError:
        return None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return When(moment, moment)


@dataclass(frozen=True)
class StoryTiming:
    """Who reported a story first, whether that is certain, and how far behind each outlet came."""

    story_id: str
    first_outlets: list[str]  # several when their reports fall on the same instant (or day)
    first_article: str
    first_published: str
    certain: bool  # False when shared, or when another report dated by its day alone may be earlier
    lag_hours: dict[str, float]  # outlet -> hours from the first report to its own first one


def timings(members: list[Member]) -> dict[str, StoryTiming]:
    """story id -> its timing, for stories with dated articles from two or more outlets. Outlets
    whose reports fall on the same instant (two reports dated by the same day alone) share first
    place: a tie is never broken by a guess."""
    by_story: dict[str, dict[str, tuple[When, Member]]] = {}
    for m in members:
        w = when(m.published)
        if not m.outlet or w is None:
            continue
        earliest = by_story.setdefault(m.story_id, {}).get(m.outlet)
        if earliest is None or (w.at, m.article_id) < (earliest[0].at, earliest[1].article_id):
            by_story[m.story_id][m.outlet] = (w, m)
    found = {}
    for sid, outlets in by_story.items():
        if len(outlets) < 2:
            continue
        earliest = min(w.at for w, _ in outlets.values())
        firsts = sorted(o for o, (w, _) in outlets.items() if w.at == earliest)
        first, member = outlets[firsts[0]]
        certain = len(firsts) == 1 and all(
            w.earliest >= first.latest for o, (w, _) in outlets.items() if o != firsts[0]
        )
        lags = {o: round((w.at - first.at).total_seconds() / 3600, 2) for o, (w, _) in outlets.items()}
        found[sid] = StoryTiming(sid, firsts, member.article_id, member.published or "", certain, lags)
    return found


# -- who takes from whom ---------------------------------------------------------------------


@dataclass
class CopyEdge:
    """Passages one outlet took from another, over some period."""

    source: str
    copier: str
    pairs: int = 0  # article pairs
    passages: int = 0
    share: float = 0.0  # mean share of the copier's article taken
    examples: list[dict] = field(default_factory=list)


def copy_network(taken: list[Taken], since: str = "", until: str = "", examples: int = 3) -> list[CopyEdge]:
    """Directed edges source outlet -> copier outlet from the reuse pairs whose copier was
    published within [since, until] (ISO days; empty: unbounded), most passages first."""
    edges: dict[tuple[str, str], CopyEdge] = {}
    for t in taken:
        if not t.copier_outlet or not t.source_outlet or t.passages == 0:
            continue
        day = (t.copier_published or "")[:10]
        if (since and (not day or day < since)) or (until and (not day or day > until)):
            continue
        edge = edges.setdefault(
            (t.source_outlet, t.copier_outlet), CopyEdge(t.source_outlet, t.copier_outlet)
        )
        edge.share = (edge.share * edge.pairs + t.share) / (edge.pairs + 1)
        edge.pairs += 1
        edge.passages += t.passages
        if len(edge.examples) < examples:
            edge.examples.append(
                {"copier": t.copier, "source": t.source, "text": t.example, "basis": t.basis}
            )
    for edge in edges.values():
        edge.share = round(edge.share, 3)
    return sorted(edges.values(), key=lambda e: (-e.passages, e.source, e.copier))


# -- what each outlet leaves out, and its words ------------------------------------------------


def omission_rates(comparisons: dict, outlets_of: dict[str, list[str]]) -> dict[str, dict]:
    """outlet -> {stories: compared stories it is in, omitted: facts it left out, rate: per
    story, facts: [(story id, fact text)]}, from each comparison's outlet_omits."""
    found: dict[str, dict] = {}
    for sid, comparison in comparisons.items():
        for outlet in outlets_of.get(sid, []):
            entry = found.setdefault(outlet, {"stories": 0, "omitted": 0, "facts": []})
            entry["stories"] += 1
            left = comparison.outlet_omits.get(outlet, [])
            entry["omitted"] += len(left)
            entry["facts"].extend((sid, text) for text in left)
    for entry in found.values():
        entry["rate"] = round(entry["omitted"] / entry["stories"], 2) if entry["stories"] else 0.0
    return found


def claims_by_outlet(comparison) -> dict[str, list]:
    """outlet -> the claims of a comparison (every fact's), so phrases can be shown in use."""
    found: dict[str, list] = {}
    for fact in comparison.facts:
        for claim in fact.claims:
            found.setdefault(claim.outlet or claim.article_id, []).append(claim)
    return found


def collection_framing(
    comparisons: dict,
    outlets_of: dict[str, list[str]],
    values: dict[str, str],
    names: dict[str, str],
    top: int = 15,
    examples: int = 2,
) -> dict:
    """Fightin' Words between the collections of a grouping (outlet -> value) over the stories
    that two or more of them cover: per value its distinctive terms with z-scores and example
    sentences (the claims that use the term). Returns {stories: [ids], terms: {value: [...]}}."""
    both = [
        sid
        for sid, outlets in outlets_of.items()
        if sid in comparisons and len({values[o] for o in outlets if o in values}) >= 2
    ]
    counts: dict[str, Counter] = {}
    claims: dict[str, list] = {}
    for sid in both:
        comparison = comparisons[sid]
        for outlet, found in comparison.term_counts.items():
            if outlet in values:
                counts.setdefault(values[outlet], Counter()).update(found)
        for outlet, found in claims_by_outlet(comparison).items():
            if outlet in values:
                claims.setdefault(values[outlet], []).extend((sid, c) for c in found)
    terms: dict[str, list[dict]] = {}
    for value, scored in distinctive(counts, top=top).items():
        listed = []
        for term, z in scored:
            used = [
                {"story_id": sid, "article_id": c.article_id, "outlet": c.outlet, "text": c.text}
                for sid, c in claims.get(value, [])
                if term in set(ngrams(c.tokens, names))
            ]
            listed.append({"term": term, "z": z, "count": counts[value][term], "examples": used[:examples]})
        terms[value] = listed
    return {"stories": sorted(both), "terms": dict(sorted(terms.items()))}


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None
