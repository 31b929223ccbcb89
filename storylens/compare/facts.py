"""Facts: the claims of a story's articles grouped by what they state, across outlets.

Two claims of different articles state the same fact when their sentence embeddings agree (a
paraphrase, a translation) and they do not contradict each other. Claims contradict when, naming
a shared entity, they count the same thing (deaths, evacuations, arrests:
compare/data/measures.txt) with different numbers ("killed at least 14 people", "the death toll
rose to 19"), or say the same thing with one verb on different days ("the strike began on
Monday", "the strike began on May 20", weekdays resolved against each article's date), or with one
verb done by different actors, neither named in the other claim ("Kelmar shelled the depot",
"Valdria shelled the depot"): they stay two facts, flagged as disagreeing. Other numbers may
differ within a fact ("raised by two points", "raised to 14 percent").
Groups are merged best pair first, by average link, and a fact never takes two claims of one
article. Facts are ranked by how many outlets carry them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

from storylens.compare.claims import Claim

SAME_FACT = 0.66  # average cosine between two groups of claims (entity agreement adds to it)
ENTITY_BONUS = 0.08  # times the Jaccard overlap of the resolved entities two claims name
# Two claims this close say the same thing: if they name different days, they disagree on when.
SAME_STATEMENT = 0.75


@dataclass
class Fact:
    id: str
    claims: list[Claim]
    text: str  # the claim that stands for the fact (nearest to the others)
    disagrees_with: list[str] = field(default_factory=list)  # ids of facts it contradicts

    @property
    def article_ids(self) -> list[str]:
        return sorted({c.article_id for c in self.claims})

    @property
    def sources(self) -> list[str]:
        """Distinct outlets carrying it (an article's id stands in for an unknown outlet)."""
        return sorted({source_of(c) for c in self.claims})

    @property
    def first(self) -> Claim:
        return min(self.claims, key=lambda c: (c.published is None, c.published or "", c.article_id))


def source_of(claim: Claim) -> str:
    return claim.outlet or claim.article_id


def contradicting(a: Claim, b: Claim, cosine: float = 0.0) -> bool:
    """Two claims naming a shared entity that count the same thing (deaths, evacuations...) with
    different numbers, or that say the same thing (cosine at least SAME_STATEMENT) of different
    days: a disagreement, or a figure that changed."""
    if not (a.entities & b.entities):
        return False
    if cosine >= SAME_STATEMENT and (_different_days(a.dates, b.dates) or _different_actors(a, b)):
        return True
    return any(
        a.measures[m] and b.measures[m] and not (a.measures[m] & b.measures[m])
        for m in a.measures.keys() & b.measures.keys()
    )


def _different_days(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether one verb has days in both claims and none in common ("began" on Monday and on
    Tuesday), from "verb|day" entries."""
    days_a, days_b = _by_verb(a), _by_verb(b)
    return any(not (days_a[verb] & days_b[verb]) for verb in days_a.keys() & days_b.keys())


def _different_actors(a: Claim, b: Claim) -> bool:
    """Whether one verb has actors in both claims that do not meet: none in common, and neither
    side's actor named anywhere in the other claim ("Kelmar shelled the depot" against "Valdria
    shelled the depot", but not against "Valdria said Kelmar shelled the depot")."""
    by_verb_a = _by_verb(a.actors)
    by_verb_b = _by_verb(b.actors)
    return any(
        not (by_verb_a[verb] & b.entities) and not (by_verb_b[verb] & a.entities)
        for verb in by_verb_a.keys() & by_verb_b.keys()
    )


def _by_verb(entries: frozenset[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for entry in entries:
        verb, _, what = entry.partition("|")
        found.setdefault(verb, set()).add(what)
    return found


def pair_score(a: Claim, b: Claim, cosine: float) -> float:
    union = a.entities | b.entities
    agreement = len(a.entities & b.entities) / len(union) if union else 0.0
    return cosine + ENTITY_BONUS * agreement


def align(claims: list[Claim], vectors: np.ndarray) -> list[Fact]:
    """Group the claims into facts; most-carried first."""
    n = len(claims)
    if n == 0:
        return []
    similarity = vectors @ vectors.T
    scores = np.zeros((n, n), dtype=np.float32)
    for i in range(n):
        for j in range(i + 1, n):
            if claims[i].article_id != claims[j].article_id:
                scores[i, j] = scores[j, i] = pair_score(claims[i], claims[j], float(similarity[i, j]))
    groups: dict[int, list[int]] = {i: [i] for i in range(n)}
    group_of = list(range(n))
    pairs = sorted(
        ((float(scores[i, j]), i, j) for i in range(n) for j in range(i + 1, n) if scores[i, j] >= SAME_FACT),
        reverse=True,
    )
    for _, i, j in pairs:
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        a, b = groups[gi], groups[gj]
        if {claims[k].article_id for k in a} & {claims[k].article_id for k in b}:
            continue
        if any(contradicting(claims[x], claims[y], float(similarity[x, y])) for x in a for y in b):
            continue
        if float(np.mean([scores[x, y] for x in a for y in b])) < SAME_FACT:
            continue
        groups[gi] = a + b
        for k in b:
            group_of[k] = gi
        del groups[gj]
    facts = []
    for members in groups.values():
        centre = vectors[members].mean(axis=0)
        best = max(members, key=lambda k: (float(vectors[k] @ centre), -k))
        member_claims = [
            claims[k] for k in sorted(members, key=lambda k: (claims[k].article_id, claims[k].position))
        ]
        key = "|".join(f"{c.article_id}:{c.position}" for c in member_claims)
        facts.append(
            Fact("f_" + hashlib.sha1(key.encode()).hexdigest()[:12], member_claims, claims[best].text)
        )
    _mark_disagreements(facts, claims, similarity, group_of, groups)
    facts.sort(key=lambda f: (-len(f.sources), -len(f.claims), f.first.published or "~", f.first.position))
    return facts


def _mark_disagreements(facts, claims, similarity, group_of, groups) -> None:
    fact_of_group = {}
    for fact in facts:
        for gid, members in groups.items():
            if claims[members[0]] is fact.claims[0] or claims[members[0]] in fact.claims:
                fact_of_group[gid] = fact
    n = len(claims)
    for i in range(n):
        for j in range(i + 1, n):
            if (
                claims[i].article_id != claims[j].article_id
                and group_of[i] != group_of[j]
                and contradicting(claims[i], claims[j], float(similarity[i, j]))
            ):
                a, b = fact_of_group[group_of[i]], fact_of_group[group_of[j]]
                if b.id not in a.disagrees_with:
                    a.disagrees_with.append(b.id)
                    b.disagrees_with.append(a.id)
