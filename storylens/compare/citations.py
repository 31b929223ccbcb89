"""Citations beyond a fact's own articles: an article whose claim restates a summary sentence's
fact, though the alignment left the two apart, is cited beside it (and the lists follow that
citation: carried.without_facts)."""

from __future__ import annotations

import re

from storylens.compare.carried import own_outlets
from storylens.compare.claims import Claim
from storylens.compare.clock import other_moments
from storylens.compare.disagreements import told_otherwise
from storylens.compare.facts import Fact, gives_figure, one_thing, source_of
from storylens.compare.quantities import agree
from storylens.compare.since import arrest_told, death_told
from storylens.compare.summary import SummarySentence, claim_told

# Another article's claim aligned word piece by word piece (compare/tokens.py) this well with one
# of a summary sentence's fact's claims restates the fact, or one this close by cosine: chosen on
# basil-dev's tuning set (session 23), where the alignment ranks restatements better and the cosine
# bar at 0.68 adds no citation the alignment misses (at 0.65 it added a wrong one).
CITE_ALIGNED = 0.53
CITE = 0.68
# An age a claim gives someone: "a 45-year-old man", "Jordan Pell, 17," (other_age).
AGE = re.compile(r"\b(\d{1,3})[- ]years?[- ]old\b|\b[A-Z][a-z\u2019'-]+ [A-Z][a-z\u2019'-]+, (\d{1,2}),")


def cite_restatements(
    summary: list[SummarySentence],
    facts: list[Fact],
    claims,
    vectors,
    aligned: dict | None = None,
    pairs: list[tuple[int, int, str]] | None = None,
    news: set[str] | None = None,
    reprints: dict[str, str] | None = None,
) -> None:
    """Cite beside a summary sentence's fact every other article with a claim CITE close to one of
    the fact's claims, or aligned (`aligned`: aligned_pairs()) with one at CITE_ALIGNED or more: it
    restates the fact, though the alignment left it apart. Not an article that tells it otherwise
    (disagreements.told_otherwise(), `pairs`: the story's disagreeing pairs of claims: "a
    15-year-old boy" where it says a 16-year-old; the earlier report of a wound for a death told
    since), nor by a claim telling another moment of the day than the fact's claims do
    (clock.other_moments: "Police responded ... around 5:30 p.m." / "Just before 3 a.m.,
    witnesses called police"). A sentence telling an arrest, a charge or a death told since (`news`:
    the fact ids of disagreements.developments(), the later claims of "an arrest since" and "a death
    since") is not cited to an article of a day before the fact was first told: it could not report
    it ("Rhys Tamm was charged on Thursday" rests on no report of Sunday's shooting, however near).
    An article none of whose claims is in the fact is kept with its claim that restates it best
    (`restated`: where the citation lands). A sentence rests on one outlet (`single_source`) when
    its other outlets' articles only reprint that outlet's (`reprints`: link.reuse's)."""
    by_id = {f.id: f for f in facts}
    index = {id(c): i for i, c in enumerate(claims)}
    for sentence in summary:
        fact = by_id.get(sentence.fact_id)
        if fact is None:
            continue
        rows = [index[id(c)] for c in fact.claims]
        scores = (vectors[rows] @ vectors.T).max(axis=0)
        words = _aligned_with(rows, len(claims), aligned or {})
        own = set(fact.article_ids)
        told = claim_told(sentence, facts)
        otherwise = told_otherwise(told, claims, pairs or [])
        since = _first_day(fact) if fact.id in (news or set()) and told and _happened_since(told) else None
        extra = [
            i
            for i in range(len(claims))
            if (scores[i] >= CITE or words[i] >= CITE_ALIGNED)
            and (claims[i].article_id in own or _may_restate(claims[i], fact, otherwise, since, told))
        ]
        for i in sorted(extra, key=lambda i: max(scores[i], words[i])):  # the best restatement last
            if claims[i].article_id not in own:
                sentence.restated[claims[i].article_id] = claims[i].text
        extra = [claims[i] for i in extra]
        sentence.article_ids = sorted(set(sentence.article_ids) | {c.article_id for c in extra})
        sentence.sources = sorted(set(sentence.sources) | {source_of(c) for c in extra})
        cited = [c for c in claims if c.article_id in sentence.article_ids]
        sentence.single_source = len(own_outlets(cited, reprints or {})) < 2


def _may_restate(
    claim: Claim, fact: Fact, otherwise: set[str], since: str | None, told: Claim | None
) -> bool:
    """Whether a claim of an article outside the fact may restate it: its article does not tell the
    fact otherwise, it tells no other moment of the day nor another figure of a thing the fact's
    claims give a figure of, it gives no ages none of which the sentence's claim (`told`) gives, and
    it did not come out before the day an arrest or a death told since (`since`) was first told."""
    return (
        claim.article_id not in otherwise
        and not any(other_moments(claim, c) or other_figure(claim, c) for c in fact.claims)
        and not (told is not None and other_age(claim, told))
        and not (since and claim.published and claim.published[:10] < since)
    )


def other_figure(claim: Claim, told: Claim) -> bool:
    """Whether the claim gives a figure of a thing the fact's claim `told` gives another figure of
    (one unit, a word of the phrase shared: "a $20,000 reward" / "a $40,000 reward"), however far
    apart the two, and not that figure too: it does not restate it."""
    return any(
        one_thing(x, y) and not agree(x.value, y.value) and not gives_figure(claim, y)
        for x in claim.quantities
        for y in told.quantities
    )


def other_age(claim: Claim, told: Claim) -> bool:
    """Whether both claims give ages ("a 45-year-old man", "Jordan Pell, 17,") and none is one of
    the other's: the claim tells of someone else, or gives the person another age."""
    mine, theirs = _ages(claim.text), _ages(told.text)
    return bool(mine and theirs) and not mine & theirs


def _ages(text: str) -> set[int]:
    return {int(a or b) for a, b in AGE.findall(text)}


def restated_by(summary: list[SummarySentence]) -> dict[str, list[str]]:
    """fact id -> the articles the summary cites for telling it in other words, beside its own
    (cite_restatements: each sentence's `restated`)."""
    found: dict[str, set[str]] = {}
    for sentence in summary:
        found.setdefault(sentence.fact_id, set()).update(sentence.restated)
    return {fact: sorted(articles) for fact, articles in found.items() if articles}


def _happened_since(claim: Claim) -> bool:
    """Whether the claim tells an arrest, a charge or a death (since.arrest_told, death_told): what
    a later report brings, which no report of an earlier day can tell."""
    return arrest_told(claim) in ("arrested", "charged", "charged at large") or death_told(claim) == "died"


def _first_day(fact: Fact) -> str | None:
    """The day the fact was first told (YYYY-MM-DD), None when one of its claims is undated."""
    days = [c.published[:10] if c.published else None for c in fact.claims]
    return None if None in days else min(days)


def _aligned_with(rows: list[int], n: int, aligned: dict) -> list[float]:
    """Each of the n claims' best alignment with the claims `rows` (0 where none was computed)."""
    best = [0.0] * n
    mine = set(rows)
    for (i, j), score in aligned.items():
        for row, other in ((i, j), (j, i)):
            if row in mine and score > best[other]:
                best[other] = score
    return best
