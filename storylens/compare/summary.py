"""A neutral extractive summary: sentences chosen for the facts most outlets carry, with low
redundancy (maximal marginal relevance over facts), each citing every article that carries it.

A fact's sentence is the claim, among those stating it, that uses the fewest of its outlet's
distinctive (framing) terms, so the summary borrows no outlet's loaded vocabulary when another
outlet says the same thing plainly. A fact only one outlet carries enters only when too few facts
are shared, and is marked as resting on a single source.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from storylens.compare.facts import Fact

MIN_SENTENCES, MAX_SENTENCES = 3, 7
RELEVANCE = 0.7  # MMR's balance between how important a fact is and how new it is
LEAD_WEIGHT = 0.3  # importance: how many outlets carry it, and how early they tell it


@dataclass
class SummarySentence:
    text: str
    article_ids: list[str]
    sources: list[str]
    single_source: bool
    fact_id: str


def summarize(
    facts: list[Fact], vectors: dict[str, np.ndarray], charged: dict[int, int], lead: dict[str, float]
) -> list[SummarySentence]:
    """`vectors`: fact id -> the embedding of its sentence; `charged`: id(claim) -> how many of its
    outlet's framing terms the claim uses; `lead`: fact id -> how near the top of its articles it
    is told (1 first, 0 last), since news puts what matters first."""
    if not facts:
        return []
    most = max(len(f.sources) for f in facts)
    shared = [f for f in facts if len(f.sources) >= 2]
    pool = (
        shared
        if len(shared) >= MIN_SENTENCES or most < 2
        else shared + [f for f in facts if len(f.sources) < 2]
    )
    wanted = min(MAX_SENTENCES, max(MIN_SENTENCES, len(shared)), len(pool))
    chosen: list[Fact] = []
    while len(chosen) < wanted:

        def gain(fact: Fact) -> float:
            relevance = (1 - LEAD_WEIGHT) * len(fact.sources) / most + LEAD_WEIGHT * lead.get(fact.id, 0.0)
            redundancy = max((float(vectors[fact.id] @ vectors[c.id]) for c in chosen), default=0.0)
            return RELEVANCE * relevance - (1 - RELEVANCE) * redundancy

        best = max((f for f in pool if f not in chosen), key=lambda f: (gain(f), -facts.index(f)))
        chosen.append(best)
    # In the order the story was first told: the earliest article's order of facts.
    chosen.sort(key=lambda f: (f.first.published or "~", f.first.article_id, f.first.position))
    return [
        SummarySentence(
            neutral_text(fact, charged), fact.article_ids, fact.sources, len(fact.sources) < 2, fact.id
        )
        for fact in chosen
    ]


def neutral_text(fact: Fact, charged: dict[int, int]) -> str:
    """The claim stating the fact with the fewest of its outlet's framing terms (then the
    representative one, then the shortest)."""
    return min(
        fact.claims, key=lambda c: (charged.get(id(c), 0), 0 if c.text == fact.text else 1, len(c.text))
    ).text
