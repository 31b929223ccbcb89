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

import re
from collections.abc import Iterator

import numpy as np

from storylens.clean.dates import MONTHS
from storylens.compare.apart import MARKED as TOLD_APART
from storylens.compare.claims import Claim
from storylens.compare.counts import counts_at_odds
from storylens.compare.dates import WEEKDAYS
from storylens.compare.facts import Fact, figures_at_odds
from storylens.compare.polarity import POLARITY
from storylens.compare.quantities import NUMBER_WORDS, SCALE
from storylens.compare.since import ARREST_SINCE, DEATH_SINCE, arrest_told, tells_change

MAX_SHOWN = 20  # disagreements listed per story, those of the most widely carried facts first
# Figures told on different days may be one figure that changed (a toll that rose): `changed`.
FIGURES = ("different figures of one thing", "different counts")
# What a reader is told a change told on different days is (changed_note).
CHANGE_NOTES = {
    ARREST_SINCE: "a later report tells of an arrest",
    DEATH_SINCE: "a later report tells of a death",
}
OVERTAKEN = ("no arrest", "no charge", "sought")  # what an arrest told since makes untrue (superseded)
# Listed, but marking no summary sentence: on gva-dev's crime reports 7 of 55 listed counts were
# real (a part against its total, another incident's toll, a count the parse hung on the wrong noun).
UNSURE = ("different counts",)
# What a reader looks for in each wording, by how they differ, marked where the other wording lacks it:
# the figures or counts at issue (the claim's own reading of them), else times, negations and
# modals, or names.
FIGURE = re.compile(
    r"(?<![\w.])\$?(\d[\d,]*(?:\.\d+)?)(?:[ -](million|billion|thousand))?(?:-[a-z]+)?%?"
    rf"|\b({'|'.join(NUMBER_WORDS)})\b",
    re.I,
)
TIME = (
    rf"\b(?:{'|'.join(WEEKDAYS)}|{'|'.join(sorted(MONTHS, key=len, reverse=True))})\b\.?(?: \d{{1,2}}\b)?"
    r"|\b(?:19|20)\d\d\b|\b(?:yesterday|today|tonight)\b"
    r"|\b(?:earlier |later )?(?:this|last|next) (?:week|month|year|spring|summer|fall|autumn|winter)\b"
)
NAME = r"\b[A-Z][\w’'.-]*(?: [A-Z][\w’'.-]*)*"
MARKED = {
    "one figure at different times": TIME,
    "different times": TIME,
    "opposite polarity or modality": POLARITY,
    "different actors": NAME,
    **TOLD_APART,
}


def disagreements(
    facts: list[Fact],
    claims: list[Claim],
    similarity: np.ndarray,
    pairs: list[tuple[int, int, str]],
    once: bool = True,
) -> list[dict]:
    """The story's disagreements: {"why", "changed", "fact_ids", "claims": [two claims, earlier
    first, each {"article_id", "outlet", "published", "text", "fact_id", "marks": where it differs
    from the other, marks()}], "also": [other articles' claims told alike, each as a claim with
    "side": 0 or 1, whose wording it shares, marked against the other side's]}, in the order of
    the facts (facts: ranked, as align() returns them); `changed`: figures told on different days,
    which may be one figure that changed, or an arrest or death told since (compare/since.py);
    `pairs`: facts.disagreeing_pairs() of `claims`; `once`: a claim once against each other
    article (without: as session 28 first listed them)."""
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
                    "changed": (why in FIGURES or why in CHANGE_NOTES) and _days_apart(*pair),
                    "fact_ids": ids,
                    "claims": [
                        _shown(c, fact_of) | {"marks": marks(c, other, why)}
                        for c, other in (pair, pair[::-1])
                    ],
                    "also": [
                        _shown(c, fact_of) | {"side": side, "marks": marks(c, pair[1 - side], why)}
                        for c, side in _alike(pair, [p for p in keyed[key] if p[2] == why], claims)
                    ],
                },
            )
        )
    shown.sort(key=lambda item: item[0])
    return [entry for _, entry in shown[:MAX_SHOWN]]


def developments(facts: list[Fact], claims: list[Claim], pairs: list[tuple[int, int, str]]) -> list[str]:
    """The ids of the facts telling what happened next: the later claim of each pair whose later
    report tells an arrest or a death the earlier one did not (CHANGE_NOTES: "No one is in custody"
    / "A man and his girlfriend have been arrested and charged"), the latest report first and, within
    it, the claim it tells first (its lede before a paragraph further down). A fact that also holds
    a claim of an earlier day telling no arrest and no death is that day's happening, which the
    later report retells on its way ("A 5-year-old girl has passed away from her injuries after
    suffering a gunshot wound" beside "A 5-year-old girl was accidentally shot in the head"): not one."""
    fact_of = {id(c): f for f in facts for c in f.claims}
    later = [max((claims[i], claims[j]), key=_when) for i, j, why in pairs if why in CHANGE_NOTES]
    found: list[str] = []
    for claim in sorted(later, key=lambda c: (*_when(c)[:3], -c.position), reverse=True):
        fact = fact_of.get(id(claim))
        if fact is None or fact.id in found:
            continue
        if not any(_earlier_day(c, claim) and not tells_change(c) for c in fact.claims):
            found.append(fact.id)
    return found


def superseded(
    facts: list[Fact], claims: list[Claim], pairs: list[tuple[int, int, str]]
) -> dict[str, list[str]]:
    """The facts a later report has overtaken, each with the articles that did: each holds the
    earlier claim of a pair whose later report tells an arrest, where that claim tells that no one
    was arrested or charged or that the suspect is still sought ("No arrests have been made.", "The
    gunman remains at large."), which is no longer so."""
    fact_of = {id(c): f.id for f in facts for c in f.claims}
    found: dict[str, set[str]] = {}
    for i, j, why in pairs:
        first, then = sorted((claims[i], claims[j]), key=_when)
        if why == ARREST_SINCE and id(first) in fact_of and arrest_told(first) in OVERTAKEN:
            found.setdefault(fact_of[id(first)], set()).add(then.article_id)
    return {fact: sorted(articles) for fact, articles in found.items()}


def changed_note(why: str) -> str:
    """What a pair told on different days may be, for a reader: a change a later report tells, or
    one figure that changed."""
    return CHANGE_NOTES.get(why, "it may be one figure that changed")


def differing(told: Claim | None, claims: list[Claim], pairs: list[tuple[int, int, str]]) -> list[str]:
    """The articles whose claims disagree with `told` (the claim a summary sentence tells; `pairs`:
    facts.disagreeing_pairs() of `claims`), counts aside (UNSURE): a pair over another claim of
    its fact disputes another detail, not what the sentence says. A change told since (an arrest,
    a death) marks only the earlier claim: the later report tells what happened next, it is not
    told otherwise by the earlier one."""
    found = {
        other.article_id
        for other, why in _against(told, claims, pairs)
        if not (why in CHANGE_NOTES and _when(told) > _when(other))
    }
    return sorted(found)


def told_otherwise(told: Claim | None, claims: list[Claim], pairs: list[tuple[int, int, str]]) -> set[str]:
    """The articles that do not carry the claim `told` as it says it, though they may restate it:
    those with a claim disagreeing with it (`pairs`: facts.disagreeing_pairs() of `claims`), counts
    aside (UNSURE); of a death told since, only the earlier report, which does not tell the death
    (the later one still tells the wound), while an arrest told since parts both ways ("No arrests
    have been made" is no longer so)."""
    return {
        other.article_id
        for other, why in _against(told, claims, pairs)
        if not (why == DEATH_SINCE and _when(other) > _when(told))
    }


def _against(
    told: Claim | None, claims: list[Claim], pairs: list[tuple[int, int, str]]
) -> Iterator[tuple[Claim, str]]:
    """(the other claim, why) of each of `pairs` that holds `told`, counts aside (UNSURE)."""
    for i, j, why in pairs:
        for x, y in ((i, j), (j, i)):
            if claims[x] is told and why not in UNSURE:
                yield claims[y], why


def marks(claim: Claim, other: Claim, why: str) -> list[list[int]]:
    """Where a claim's wording differs from the other's, for a reader to see at once: the [start,
    end] of its figures of one thing or counts that the other does not give ("48-page" against
    "47-page"; "14" dead against "19": counts.counts_at_odds), else of its times, negations, modals
    and hedges, or names (MARKED, by `why`) that the other lacks ("in 2017" against "earlier this
    year"; "did not"; "possibly")."""
    if why in FIGURES:
        if why == "different counts":
            differing = counts_at_odds(claim, other)
        else:
            differing = figures_at_odds(claim, other)
        return [[m.start(), m.end()] for m in FIGURE.finditer(claim.text) if _figure(m) in differing]
    pattern = re.compile(MARKED.get(why, r"(?!)"), 0 if why == "different actors" else re.I)
    told = {_said(m) for m in pattern.finditer(other.text)}
    return [[m.start(), m.end()] for m in pattern.finditer(claim.text) if _said(m) not in told]


def _figure(found: re.Match) -> float:
    digits, scale, word = found.groups()
    if word:
        return float(NUMBER_WORDS[word.lower()])
    return float(digits.replace(",", "")) * SCALE.get((scale or "").lower(), 1)


def _said(found: re.Match) -> str:
    """A mark's words as both wordings may write them: "Didn’t" is "didn't"."""
    return found.group().lower().replace("’", "'").rstrip(".")


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


def _earlier_day(a: Claim, b: Claim) -> bool:
    """Whether a's article came out on a day before b's (both dated)."""
    return bool(a.published and b.published) and a.published[:10] < b.published[:10]


def _days_apart(a: Claim, b: Claim) -> bool:
    """Whether both claims' articles are dated, on different days."""
    return bool(a.published and b.published) and a.published[:10] != b.published[:10]
