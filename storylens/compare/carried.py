"""What each outlet alone carries and what it leaves out: a fact no other outlet has a claim near
(`outlet_only`), and a fact most outlets carry that one lacks, with the evidence (`outlet_omits`).
An outlet's own fact is shown as the whole sentence it comes from when the claims split that
sentence into clauses and none of them is carried by another outlet ("These inquiries were not
well received | for several minutes, before a word could be uttered" is one sentence)."""

from __future__ import annotations

import math
import re
from collections import Counter
from datetime import timedelta

import numpy as np

from storylens.clean.words import stopwords
from storylens.compare.alone import (
    WEATHER_ALERT,
    WHOLE,
    asks,
    calls_for_tips,
    captioned,
    standalone,
    tells_nothing,
)
from storylens.compare.claims import Claim, said_by
from storylens.compare.facts import Fact, source_of
from storylens.compare.outlets import When, when
from storylens.compare.referents import bracketed

NEAR = 0.6  # an outlet with a claim this close to a fact carries it, grouped or not
# An outlet whose words anywhere in the story take in this share of a claim's content words carries
# its fact, in other words (chosen on basil-dev's tuning set).
COVERED = 0.5
# What one outlet alone carries is held to stricter bars (chosen on basil-dev's tuning set, session
# 19): no other outlet's claim this close, and no other outlet using words that weigh this share of
# the claim's words, each weighed by how rare it is in the story (rare_covered).
ONLY_NEAR = 0.575
RARE_COVERED = 0.4
# An omission is claimed of an outlet that wrote within this time of an article telling the fact: the
# same news cycle (basil-dev's widest, two days; a follow-up weeks on leaves out no first-day detail).
SAME_CYCLE = timedelta(days=2)
# A quotation closed before who said it: '..., except now this," neighbor Sonia Gurrola said.'
CLOSED_BEFORE_SPEAKER = re.compile(
    r"[,.!?\u2019']([\u201d\"])\s*(?:[\w.'\u2019-]+\s+){0,6}?(?:said|says|told|added|asked|explained|wrote)\b"
)
# What the claims leave out before a clause they start in lower case (claims.parse_claims).
LEFT_OUT = re.compile(r"(?:\b(?:and|but|or|nor|so|yet)|[;,:\u2014\u2013-])\W*$", re.I)


class Nearest:
    """For a fact and an outlet: the outlet's claim nearest to the fact's claims, and how near."""

    def __init__(self, claims: list[Claim], vectors: np.ndarray):
        self.claims, self.vectors = claims, vectors
        self.index = {id(c): i for i, c in enumerate(claims)}
        self.content = {id(c): set(c.content) for c in claims}  # the words _content() finds
        self.terms = {id(c): self.content[id(c)] | c.entities for c in claims}  # and the names
        self.words: dict[str, set[str]] = {}
        self.named: dict[str, set[str]] = {}  # source -> the terms of its claims
        self.mine: dict[str, list[int]] = {}  # source -> its claims
        for i, claim in enumerate(claims):
            self.words.setdefault(source_of(claim), set()).update(self.content[id(claim)])
            self.named.setdefault(source_of(claim), set()).update(self.terms[id(claim)])
            self.mine.setdefault(source_of(claim), []).append(i)
        self.their_vectors = {source: vectors[mine] for source, mine in self.mine.items()}
        claimed = Counter(term for terms in self.terms.values() for term in terms)
        self.weight = {term: math.log(len(claims) / n) for term, n in claimed.items()}

    def covered(self, fact: Fact, source: str) -> float:
        """The largest share of a claim of the fact's content words that the outlet uses anywhere."""
        words = self.words.get(source, set())
        content = [self.content.get(id(c)) or _content(c) for c in fact.claims]
        return max((len(found & words) / len(found) for found in content if found), default=0.0)

    def rare_covered(self, fact: Fact, source: str) -> float:
        """The largest share of a claim of the fact's terms (content words and names) that the
        outlet uses anywhere, each term weighed by its rarity in the story (the log of the claims
        over the claims using it): the same rare words say the same thing, a topic's words do not."""
        used = self.named.get(source, set())
        best = 0.0
        for claim in fact.claims:
            terms = self.terms.get(id(claim)) or _content(claim) | claim.entities
            total = math.fsum(self.weight.get(t, 0.0) for t in terms)  # exact: no set order decides
            if total > 0:
                best = max(best, math.fsum(self.weight.get(t, 0.0) for t in terms & used) / total)
        return best

    def __call__(self, fact: Fact, source: str) -> tuple[Claim | None, float]:
        mine = self.mine.get(source)
        if not mine:
            return None, 0.0
        rows = [self.index[id(c)] for c in fact.claims]
        scores = self.vectors[rows] @ self.their_vectors[source].T
        best = np.unravel_index(int(np.argmax(scores)), scores.shape)
        return self.claims[mine[best[1]]], float(scores[best])


def _content(claim: Claim) -> set[str]:
    """The claim's content words: lemmas of three letters or more, no stop word, no entity."""
    stops = stopwords()
    return {w for w, entity in claim.tokens if not entity and len(w) > 2 and w not in stops}


def outlet_only(
    facts: list[Fact], sources: list[str], nearest: Nearest, texts: dict[str, str] | None = None
) -> tuple[dict[str, list[str]], dict[str, list[dict]]]:
    """(source -> the facts no other outlet of the story carries, source -> the evidence of each).
    A fact is one outlet's own when it is a complete statement (never a fragment of a list) that no
    other outlet has a claim near (ONLY_NEAR) to, nor the rare words of (RARE_COVERED); each is
    shown as its whole sentence where the claims split one into clauses that no other outlet
    carries (whole_sentences; `texts`: article id -> its text); a claim that only introduces what
    follows ("… released the following statement:") is none. Its evidence: the text shown, the
    nearest claim another outlet has with that outlet and its cosine, and the largest share of its
    rare words another outlet uses, so a reader can check what the other outlets say instead; and
    the articles telling it (an outlet's first report and its follow-up weeks later are apart)."""
    if len(sources) < 2:
        return {}, {}
    found: dict[str, list[str]] = {}
    evidence: dict[str, list[dict]] = {}
    only = []
    for fact in facts:
        if len(fact.sources) != 1 or not statement(fact):
            continue
        others = [other for other in sources if other != fact.sources[0]]
        near = [(nearest(fact, o), o) for o in others]
        words = max(nearest.rare_covered(fact, o) for o in others)
        if all(score < ONLY_NEAR for (_, score), _ in near) and words < RARE_COVERED:
            (claim, score), outlet = max(near, key=lambda item: item[0][1])
            only.append((fact, claim, score, outlet if claim else None, words))
    shown = whole_sentences([fact for fact, *_ in only], facts, texts or {})
    listed: dict[tuple[str, str], dict] = {}  # (source, the words of an item) -> its evidence
    for fact, claim, score, outlet, words in only:
        text = shown.get(fact.id, fact.text)
        if text is None:  # shown with another clause of its sentence
            continue
        again = listed.get((fact.sources[0], _words(text)))
        if again is not None:  # the sentence of two of the outlet's reports (a first one and its update)
            again["article_ids"] = sorted({*again["article_ids"], *fact.article_ids})
            continue
        found.setdefault(fact.sources[0], []).append(text)
        entry = {
            "fact_id": fact.id,
            "text": text,
            "article_ids": sorted(set(fact.article_ids)),  # which of the outlet's reports tells it
            "nearest": claim.text if claim else None,
            "outlet": outlet,
            "score": round(score, 3),
            "rare_words": round(words, 3),
        }
        evidence.setdefault(fact.sources[0], []).append(entry)
        listed[fact.sources[0], _words(text)] = entry
    return found, evidence


def _words(text: str) -> str:
    """A text's words, lower case: one sentence however punctuated or quoted."""
    return " ".join(re.findall(r"\w+", text.lower()))


def without_facts(
    only: dict[str, list[str]], evidence: dict[str, list[dict]], fact_ids: set[str]
) -> tuple[dict[str, list[str]], dict[str, list[dict]]]:
    """outlet_only()'s lists without the items of these facts (a fact the summary cites another
    outlet's restatement of is no outlet's own), sources left with none dropped."""
    kept_evidence = {
        source: [e for e in items if e["fact_id"] not in fact_ids] for source, items in evidence.items()
    }
    kept = {source: [e["text"] for e in items] for source, items in kept_evidence.items() if items}
    return kept, {source: items for source, items in kept_evidence.items() if items}


def whole_sentences(only: list[Fact], facts: list[Fact], texts: dict[str, str]) -> dict[str, str | None]:
    """fact id -> the text to show it by: the whole sentence (from `texts`) the claims split into
    clauses (sentence_runs) when every clause is in `only` (no other outlet carries it) or when one
    of them goes on from a clause before it and does not read on its own ("… -- and it could lead to
    years behind bars."), for the first of them, None for the others (shown with it), with who said
    it where it is a piece of one person's quotation (said_by). Any other claim is shown as it is,
    from a capital: the claims leave out the conjunction that opened a sentence or a clause ("But in
    a surprise move, …", "…; the pilots were not heard")."""
    fact_of = {id(c): f for f in only for c in f.claims}
    shown: dict[str, str | None] = {}
    for run in sentence_runs([c for f in facts for c in f.claims]):
        text = texts.get(run[0].article_id)
        start, end = run[0].span[0], run[-1].span[1]
        mine = [c for c in run if id(c) in fact_of]
        dangling = any(c is not run[0] and not standalone(_capital(c.text)) for c in mine)
        whole = len(run) >= 2 and (len(mine) == len(run) or dangling)
        if not whole or text is None or end <= start:
            for claim in mine:
                fact = fact_of[id(claim)]
                told = _capital(fact.text) if _cut_from(claim, text) else fact.text
                shown.setdefault(fact.id, _opened(told))
            continue
        ids = list(dict.fromkeys(fact_of[id(c)].id for c in mine))
        by = {c.quoted_by for c in run}  # a piece of one person's quotation is shown with them
        sentence = " ".join(text[start:end].split())
        if run[0].referent:  # "[Ana Ruiz] said …"
            sentence = bracketed(sentence, run[0].referent)
        sentence = _opened(_capital(sentence) if _cut_from(run[0], text) else sentence)
        shown[ids[0]] = said_by(by.pop(), sentence) if len(by) == 1 and None not in by else sentence
        shown.update((fact_id, None) for fact_id in ids[1:])
    return shown


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _opened(text: str) -> str:
    """A quotation's last sentence with the opening mark its article put sentences before
    ('He was a good kid," Ana Ruiz said.' -> '"He was a good kid," Ana Ruiz said.'), where it closes
    before who said it; a sentence a quotation goes on from with the closing mark its article puts
    sentences on ('"He was a good kid.' -> '"He was a good kid."'); any other text as it is."""
    close = CLOSED_BEFORE_SPEAKER.search(text)
    if close is None or any(mark in text[: close.start(1)] for mark in '"\u201c\u201d'):
        return _closed(text)
    return ("\u201c" if close.group(1) == "\u201d" else '"') + text


def _closed(text: str) -> str:
    """A sentence opening a quotation that goes on past it, closed where the sentence ends."""
    opening = text[:1]
    marks = sum(text.count(mark) for mark in '"\u201c\u201d')
    if opening not in '"\u201c' or marks % 2 == 0 or not text.rstrip().endswith((".", "!", "?")):
        return text
    curly = text.rfind("\u201c") > text.rfind('"')  # the mark that opened its last quotation
    return text.rstrip() + ("\u201d" if curly else '"')


def _cut_from(claim: Claim, text: str | None) -> bool:
    """Whether the claim starts in lower case after what the claims leave out of its sentence: the
    conjunction, comma or dash before it ("But heading into …", "…; the pilots were not heard")."""
    before = text[max(0, claim.span[0] - 12) : claim.span[0]] if text else ""
    return claim.text[:1].islower() and bool(LEFT_OUT.search(before))


def sentence_runs(claims: list[Claim]) -> list[list[Claim]]:
    """The claims of each article, in order, in runs of one sentence: a claim that does not end as
    a sentence, followed by one that starts in lower case, goes on in it."""
    runs: list[list[Claim]] = []
    for claim in sorted(claims, key=lambda c: (c.article_id, c.position)):
        previous = runs[-1][-1] if runs else None
        if (
            previous is not None
            and previous.article_id == claim.article_id
            and not WHOLE.search(previous.text)
            and claim.text[:1].islower()
        ):
            runs[-1].append(claim)
        else:
            runs.append([claim])
    return runs


def outlet_omits(
    facts: list[Fact],
    sources: list[str],
    nearest: Nearest,
    reprints: dict[str, str] | None = None,
    cited: dict[str, list[str]] | None = None,
) -> tuple[dict[str, list[str]], dict[str, list[dict]]]:
    """(source -> the facts most outlets carry, at least half and at least two, that it lacks,
    source -> the evidence of each: the fact, and the outlet's nearest claim with its cosine).
    An outlet with a claim NEAR the fact, or whose words take in COVERED of a claim of the fact's
    content words, is not said to omit it; nor is one that could not have told it (_could_tell):
    whose every article came out before the first that tells the fact (a day alone spans the day:
    "the bond is set at $2 million" told from the arrest on, left out by no report of the shooting
    three days before), or none of whose articles came out within SAME_CYCLE after one telling it
    (a court date's brief weeks on leaves out no first-day detail). An outlet counts once behind a
    fact however many outlets reprint its article (`reprints`: _own_outlets), and one that only
    reprints others counts for none of the majority: two sister stations' one text is one report.
    `cited`: fact id -> the articles the summary cites for restating it in other words
    (citations.restated_by), which carry it too."""
    own = _own_outlets(nearest.claims, reprints or {})
    reprinting = {source_of(c) for c in nearest.claims} - set(own.values())  # no words of their own
    needed = max(2, math.ceil(len(set(sources) - reprinting) / 2))
    found: dict[str, list[str]] = {}
    evidence: dict[str, list[dict]] = {}
    out = _out(nearest.claims)
    for fact in facts:
        carriers = {own[a] for a in {*fact.article_ids, *(cited or {}).get(fact.id, ())} if a in own}
        if len(carriers) < needed or not statement(fact):
            continue
        told = _out(fact.claims)
        for source in sources:
            if source in fact.sources or source in carriers or not _could_tell(out.get(source), told):
                continue
            claim, score = nearest(fact, source)
            if score >= NEAR or nearest.covered(fact, source) >= COVERED:
                continue
            found.setdefault(source, []).append(fact.text)
            evidence.setdefault(source, []).append(
                {
                    "fact_id": fact.id,
                    "text": fact.text,
                    "nearest": claim.text if claim else None,
                    "score": round(score, 3),
                }
            )
    return found, evidence


def reprinted(fact: Fact, reprints: dict[str, str]) -> list[str]:
    """The fact's articles of another outlet that carry it only by giving again the text of another
    of its articles (`reprints`: article id -> the article it reprints, link.reuse): a sister
    station's copy is no second report of the fact."""
    own = _own_outlets(fact.claims, reprints)
    return sorted({c.article_id for c in fact.claims if own[c.article_id] != source_of(c)})


def own_sources(fact: Fact, reprints: dict[str, str]) -> set[str]:
    """The outlets whose own words carry the fact: a reprint of another of its articles stands for
    the original's outlet."""
    return own_outlets(fact.claims, reprints)


def own_outlets(claims: list[Claim], reprints: dict[str, str]) -> set[str]:
    """The outlets whose own words the claims' articles carry (_own_outlets)."""
    return set(_own_outlets(claims, reprints).values())


def _own_outlets(claims: list[Claim], reprints: dict[str, str]) -> dict[str, str]:
    """article id -> the outlet whose words it carries: its own, or for a reprint (`reprints`:
    article id -> the article whose text it gives again, link.reuse's pairs) the original's, so
    that a sister station's copy is no second outlet behind a majority."""
    outlet = {c.article_id: source_of(c) for c in claims}
    found = {}
    for article in outlet:
        seen, root = {article}, article
        while reprints.get(root) in outlet and reprints[root] not in seen:
            root = reprints[root]
            seen.add(root)
        found[article] = outlet[root]
    return found


def _out(claims: list[Claim]) -> dict[str, list[When | None]]:
    """source -> when each of its articles came out (None: not dated)."""
    found: dict[str, dict[str, When | None]] = {}
    for claim in claims:
        found.setdefault(source_of(claim), {})[claim.article_id] = when(claim.published)
    return {source: list(dated.values()) for source, dated in found.items()}


def _could_tell(mine: list[When | None] | None, told: dict[str, list[When | None]]) -> bool:
    """Whether an outlet's articles (`mine`) could have told a fact told by the articles `told`
    (by source): one of them came out after one telling it began, and within SAME_CYCLE of it.
    Not knowing when one of its articles came out, or one telling the fact, it could; but a
    dated outlet could not be said to leave out a fact no dated article tells: when that fact
    came out is not known (an undated page quoting the Pentagon "on Friday", beside reports dated
    the Wednesday before)."""
    theirs = [w for dated in told.values() for w in dated]
    if not mine or None in mine:
        return True
    if all(t is None for t in theirs):
        return False
    if None in theirs:
        return True
    return any(t.earliest < m.latest and m.earliest - t.earliest <= SAME_CYCLE for m in mine for t in theirs)


def statement(fact: Fact) -> bool:
    """A complete claim shows the fact, and not one that only introduces what follows (introduces())
    nor one that only calls for tips ("Anyone with information is asked to call …"), says that
    nothing more is known ("No other information has been released."), is a photo's caption
    ("Officers investigate the scene …, Friday, April 7, 2017."), a weather alert beside the story
    (WEATHER_ALERT) or the outlet's own question ("Why are we asking this?": asks(); one inside a
    quotation is a speaker's words)."""
    if introduces(fact) or calls_for_tips(fact.text) or tells_nothing(fact.text) or captioned(fact.text):
        return False
    if WEATHER_ALERT.search(fact.text):
        return False
    shown = [c for c in fact.claims if c.complete and fact.text in (c.text, c.told)]
    return any(not asks(c.text) or c.quoting or c.quoted_by for c in shown)


def introduces(fact: Fact) -> bool:
    """Whether the fact's claim only introduces what its article says next ("Sgt. Ana Ruiz
    reported:", "The school released the following statement:")."""
    return fact.text.rstrip().endswith(":")
