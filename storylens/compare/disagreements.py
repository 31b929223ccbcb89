"""Disagreements: where the outlets of a story tell one happening differently, both wordings side
by side.

Each entry is a pair of claims of different articles that disagree (facts.disagreement(): figures
of one thing, counts, times, actors, or polarity and modality), with how they differ and the facts
holding them. A pair may sit inside one fact (the same quotation told with and without a "not":
"We will pass the harbour bill" / "We will not pass the harbour bill"): the alignment keeps it one
fact, and only this list shows that its reports differ. Two facts that disagree are shown once, by
their closest pair, and a claim once against each other article; a third article's claim that
disagrees with one of the pair just as the other does is shown beside it (`also`: "the 48-page
indictment" of a second outlet beside the first's, against "the 47-page indictment"), so that each
wording shows every article telling it so. A summary sentence names the
articles whose claims disagree with the claim it tells (differing()), different counts aside: too
often a part against its total.
"""

from __future__ import annotations

import numpy as np

from storylens.compare.claims import Claim
from storylens.compare.facts import Fact

MAX_SHOWN = 20  # disagreements listed per story, those of the most widely carried facts first
# Figures told on different days may be one figure that changed (a toll that rose): `changed`.
FIGURES = ("different figures of one thing", "different counts")
# Listed, but marking no summary sentence: on gva-dev's crime reports 7 of 55 listed counts were
# real (a part against its total, another incident's toll, a count the parse hung on the wrong noun).
UNSURE = ("different counts",)


def disagreements(
    facts: list[Fact],
    claims: list[Claim],
    similarity: np.ndarray,
    pairs: list[tuple[int, int, str]],
    once: bool = True,
) -> list[dict]:
    """The story's disagreements: {"why", "changed", "fact_ids", "claims": [two claims, earlier
    first, each {"article_id", "outlet", "published", "text", "fact_id"}], "also": [other
    articles' claims told alike, each as a claim with "side": 0 or 1, whose wording it shares]},
    in the order of the
    facts (facts: ranked, as align() returns them); `changed`: figures told on different days,
    which may be one figure that changed; `pairs`: facts.disagreeing_pairs() of `claims`; `once`:
    a claim once against each other article (without: as session 28 first listed them)."""
    fact_of = {id(c): f.id for f in facts for c in f.claims}
    rank = {f.id: k for k, f in enumerate(facts)}
    best: dict[tuple[str, ...], tuple[float, int, int, str]] = {}
    keyed: dict[tuple[str, ...], list[tuple[int, int, str]]] = {}
    for i, j, why in pairs:
        a, b = fact_of.get(id(claims[i])), fact_of.get(id(claims[j]))
        if a is None or b is None:
            continue
        key = (a, claims[i].article_id, claims[j].article_id) if a == b else tuple(sorted((a, b)))
        keyed.setdefault(key, []).append((i, j, why))
        cosine = float(similarity[i, j])
        if key not in best or cosine > best[key][0]:
            best[key] = (cosine, i, j, why)
    shown: list[tuple[tuple[int, float], dict]] = []
    against: set[tuple[int, str, str]] = set()  # (claim, other article, why) listed already
    for key, (cosine, i, j, why) in sorted(best.items(), key=lambda item: item[1], reverse=True):
        if once and ((i, claims[j].article_id, why) in against or (j, claims[i].article_id, why) in against):
            continue  # one claim against one article once ("found two dead" against each of its captions)
        against |= {(i, claims[j].article_id, why), (j, claims[i].article_id, why)}
        pair = sorted((claims[i], claims[j]), key=_when)
        ids = sorted({fact_of[id(c)] for c in pair}, key=rank.__getitem__)
        order = (min(rank[f] for f in ids), -cosine)
        shown.append(
            (
                order,
                {
                    "why": why,
                    "changed": why in FIGURES and _days_apart(*pair),
                    "fact_ids": ids,
                    "claims": [_shown(c, fact_of) for c in pair],
                    "also": [
                        _shown(c, fact_of) | {"side": side}
                        for c, side in _alike(pair, [p for p in keyed[key] if p[2] == why], claims)
                    ],
                },
            )
        )
    shown.sort(key=lambda item: item[0])
    return [entry for _, entry in shown[:MAX_SHOWN]]


def differing(told: Claim | None, claims: list[Claim], pairs: list[tuple[int, int, str]]) -> list[str]:
    """The articles whose claims disagree with `told` (the claim a summary sentence tells; `pairs`:
    facts.disagreeing_pairs() of `claims`), counts aside (UNSURE): a pair over another claim of
    its fact disputes another detail, not what the sentence says."""
    found = {
        claims[y].article_id
        for i, j, why in pairs
        for x, y in ((i, j), (j, i))
        if claims[x] is told and why not in UNSURE
    }
    return sorted(found)


def _shown(claim: Claim, fact_of: dict[int, str]) -> dict:
    return {
        "article_id": claim.article_id,
        "outlet": claim.outlet,
        "published": claim.published,
        "text": claim.text,
        "fact_id": fact_of[id(claim)],
    }


def _alike(
    pair: list[Claim], pairs: list[tuple[int, int, str]], claims: list[Claim]
) -> list[tuple[Claim, int]]:
    """The claims of other articles that disagree with one claim of the shown `pair` as the other
    claim does (`pairs`: the same facts' disagreeing pairs, the same why), each with the side it
    takes (0: the pair's first claim's, 1: its second's); one per article, earliest first."""
    found: dict[str, tuple[Claim, int]] = {}
    shown = {c.article_id for c in pair}
    for i, j, _ in pairs:
        for mine, theirs in ((claims[i], claims[j]), (claims[j], claims[i])):
            side = next((k for k, c in enumerate(pair) if c is theirs), None)
            if side is not None and mine.article_id not in shown and mine.article_id not in found:
                found[mine.article_id] = (mine, 1 - side)
    return sorted(found.values(), key=lambda item: _when(item[0]))


def _when(claim: Claim) -> tuple:
    return (claim.published is None, claim.published or "", claim.article_id, claim.position)


def _days_apart(a: Claim, b: Claim) -> bool:
    """Whether both claims' articles are dated, on different days."""
    return bool(a.published and b.published) and a.published[:10] != b.published[:10]
