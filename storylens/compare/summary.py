"""A neutral extractive summary that reads as a paragraph: the central event first, told by the
article that leads with it, then that article's next sentences that other outlets carry too (in
its order: a lead is written to be read in that order), then the facts most outlets carry and
tell early that it lacks, chosen with low redundancy (maximal marginal relevance over facts);
each sentence cites every article that carries it and stands on its own.

A fact's sentence is the claim, among those stating it, that uses the fewest of its outlet's
distinctive (framing) terms, so the summary borrows no outlet's loaded vocabulary when another
outlet says the same thing plainly; a sentence of the leading article is taken only when it uses
none. A fact only one outlet carries enters only when too few facts are shared, and is marked as
resting on a single source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from storylens.clean.dateline import without_state
from storylens.compare.alone import asks, quoted_mostly, standalone
from storylens.compare.claims import Claim
from storylens.compare.facts import Fact
from storylens.compare.naming import person_noun
from storylens.compare.outcomes import add_outcomes

# Six at most: a sixth shared fact carried more outcomes on basil-dev's tuning set, a seventh none.
MIN_SENTENCES, MAX_SENTENCES = 3, 6
LEAD_SENTENCES = 3  # the central sentence and the next shared ones its article tells, at most
LEAD_SPAN = 6  # ...looked for among its claims that follow the central one
RELEVANCE = 0.7  # MMR's balance between how important a fact is and how new it is
# Importance: how many outlets carry it, how early they tell it (LEAD_WEIGHT), how central it is (cosine
# to the mean of the story's claims). Chosen on basil-dev's tuning set (session 36): weights 0.2 to 0.5
# gave 39 or 40 of 80 major outcomes, none 38; 0.3: citations P .927 -> .931, R .950 -> .945, repeats 0.
LEAD_WEIGHT = 0.3
CENTRALITY_WEIGHT = 0.3
WORDS = re.compile(r"[\w’']+")
QUOTE_OVERLAP = 5  # consecutive quoted words two facts share that make them one statement quoted twice
REPEATED = 0.75  # this close (cosine) to a sentence told says it again: basil-dev's tuning set, session 30
# A lead the other articles come no nearer (their nearest claims' mean cosine) goes after the others,
# chosen on basil-dev's tuning set (session 43): its leads under 0.30 tell no news ("he does have a
# solution."), the lowest telling some 0.303. Only when another lead is one they tell (OPENING_TOLD, read
# on gva-dev: a page of another story, "… basketball team finished the season …", 0.35; leads taking
# another story's or a scene's place, 0.53 to 0.70).
OPENING_SUPPORT = 0.30
OPENING_TOLD = 0.50


@dataclass
class SummarySentence:
    text: str
    article_ids: list[str]
    sources: list[str]
    single_source: bool
    fact_id: str
    # a cited article none of whose claims is in the fact -> its claim that restates it
    restated: dict[str, str] = field(default_factory=dict)
    differs: list[str] = field(default_factory=list)  # articles whose claims disagree with the one it tells


def central_facts(facts: list[Fact], claims: list[Claim], vectors: np.ndarray) -> list[str]:
    """The ids of the facts that may state the story's central event, best first: the leads that
    another article says something near (OPENING_SUPPORT) before those none does; the leads (first
    two statements) of the story's first reports (the articles of its first day, when two or more
    are dated that day: a later article's lead tells a follow-up or a reaction) before the others;
    ledes (first statements) before second statements (a second sentence tells background that
    echoes every lead, and so is often the closest to them: basil-dev's tuning set); and within
    each, the one closest to the other articles' leads first."""
    leads = [i for i, c in enumerate(claims) if c.position <= 1 and c.complete]
    if len({claims[i].article_id for i in leads}) < 2:
        return []
    first = first_reports(claims)
    near, owner = vectors[leads] @ vectors.T, np.array([c.article_id for c in claims])
    # how near the other articles come to each lead (a page's other story, a scene set: none near)
    support = [
        float(np.mean([near[r][owner == a].max() for a in sorted(set(owner) - {claims[i].article_id})]))
        for r, i in enumerate(leads)
    ]
    told = max(support) >= OPENING_TOLD  # a lead the other articles tell: the far ones go after it
    far = {i for i, s in zip(leads, support, strict=True) if told and s < OPENING_SUPPORT}

    def agreement(i: int) -> float:
        others: dict[str, float] = {}
        for j in leads:
            if claims[j].article_id != claims[i].article_id:
                others[claims[j].article_id] = max(
                    others.get(claims[j].article_id, -1.0), float(vectors[i] @ vectors[j])
                )
        return sum(others.values()) / len(others)

    fact_of = {id(c): f.id for f in facts for c in f.claims}
    ranked = sorted(
        leads,
        key=lambda i: (i in far, claims[i].article_id not in first, claims[i].position, -agreement(i), i),
    )
    return list(dict.fromkeys(fact_of[id(claims[i])] for i in ranked))


def first_reports(claims: list[Claim]) -> set[str]:
    """The articles published on the day of the story's first dated article, when two articles or
    more are dated (the first may be alone on its day: the next day's leads tell a follow-up, a
    reaction or a portrait); else every article (one dated report is no first day)."""
    days = {c.article_id: c.published[:10] for c in claims if c.published}
    if len(days) < 2:
        return {c.article_id for c in claims}
    earliest = min(days.values())
    return {a for a, day in days.items() if day == earliest}


def summarize(
    facts: list[Fact],
    vectors: dict[str, np.ndarray],
    charged: dict[int, int],
    lead: dict[str, float],
    central_ids: list[str] | None = None,
    claim_vectors: dict[int, np.ndarray] | None = None,
    people: frozenset[str] = frozenset(),
    later: list[str] | None = None,
    overtaken: set[str] = frozenset(),
) -> list[SummarySentence]:
    """`vectors`: fact id -> the embedding of its sentence; `charged`: id(claim) -> how many of its
    outlet's framing terms the claim uses; `lead`: fact id -> how near the top of its articles it
    is told (1 first, 0 last), since news puts what matters first.

    The first sentence states the central event: the first of `central_ids` (the candidates, best first)
    whose sentence stands alone, one naming who acts before one that holds them back (unnamed_opening), and
    one that tells whom the happening harmed before one telling only that the police are at work
    (police_at_work), else the fact the most articles lead with (among their first two claims), then the
    most carried. Next come the sentences its article tells after it that other outlets carry too (lead_on),
    up to LEAD_SENTENCES in all, in that article's order; the others follow by maximal marginal relevance
    (how many outlets carry a fact, how early they tell it, how central it is to the story: story_centre();
    how new it is), in the order the story was first told, one mostly quotation only where nothing else is
    left (alone.quoted_mostly). Only sentences that stand on their own are used (standalone()), and none
    REPEATED close to one told before (`claim_vectors`: id(claim) -> its embedding). Another article's
    lede naming a person the opening names is left out and not replaced (`people`: the person entities;
    another_lede()). What happened next is told: when no sentence tells a development a later report
    brings (`later`: fact ids, disagreements.developments(): an arrest, a death), the first of them that
    stands alone is added, in place of the last chosen when the summary is full, and so are a charge, a
    person named as hurt, killed or arrested and how the hurt are where none is told (outcomes.add_outcomes);
    after the opening, no fact a later report has `overtaken` (disagreements.superseded: "No arrests")."""
    told = [f for f in facts if neutral_text(f, charged) is not None]
    if not told:
        return []
    most = max(len(f.sources) for f in told)
    shared = [f for f in told if len(f.sources) >= 2]
    pool = shared if len(shared) >= MIN_SENTENCES else shared + [f for f in told if len(f.sources) < 2]
    wanted = min(MAX_SENTENCES, max(MIN_SENTENCES, len(shared)), len(pool))  # none shared: single-source
    if not wanted:
        return []
    by_id = {f.id: f for f in told}
    candidates = [by_id[i] for i in central_ids or [] if i in by_id]
    named = [f for f in candidates if not unnamed_opening(neutral_text(f, charged, True))]
    if named and police_at_work(neutral_text(named[0], charged, True)):
        # an opening telling whom the happening harmed goes first
        harmed = [
            f
            for f in named
            if TELLS_HARM.search(text := neutral_text(f, charged, True)) and not police_at_work(text)
        ]
        named = harmed[:1] + named
    central = next(iter(named + candidates), None) or max(
        pool, key=lambda f: (leads(f), len(f.sources), lead.get(f.id, 0.0), -told.index(f))
    )
    if central not in pool and wanted < MAX_SENTENCES:
        wanted += 1  # a central event one outlet alone tells takes no shared fact's place
    opening = neutral_text(central, charged, True)
    chosen, texts = [central], {central.id: opening}
    said = [told_by(central, opening)]  # the claims the summary's sentences tell, in order

    def told_claim(fact: Fact) -> Claim:
        return told_by(fact, neutral_text(fact, charged))

    for fact, text in lead_on(opening, central, told, charged):
        if len(chosen) >= min(wanted, LEAD_SENTENCES):
            break
        claim = told_by(fact, text)
        if (
            len(fact.sources) >= 2
            and fact.id not in overtaken
            and not any(same_quotation(fact, c) for c in chosen)
            and not repeats(claim, said)
            and not said_again(claim, said, claim_vectors)
        ):
            chosen.append(fact)
            texts[fact.id] = text
            said.append(claim)

    def new(facts: list[Fact]) -> list[Fact]:
        return [
            f
            for f in facts
            if f not in chosen
            and f.id not in overtaken
            and not any(same_quotation(f, c) for c in chosen)
            and not repeats(told_claim(f), said)
            and not said_again(told_claim(f), said, claim_vectors)
        ]

    lead_block = len(chosen)
    centre = story_centre(facts, vectors)
    while len(chosen) < wanted:

        def gain(fact: Fact) -> float:
            relevance = (
                (1 - LEAD_WEIGHT - CENTRALITY_WEIGHT) * len(fact.sources) / most
                + LEAD_WEIGHT * lead.get(fact.id, 0.0)
                + CENTRALITY_WEIGHT * float(vectors[fact.id] @ centre)
            )
            redundancy = max((float(vectors[fact.id] @ vectors[c.id]) for c in chosen), default=0.0)
            return RELEVANCE * relevance - (1 - RELEVANCE) * redundancy

        # Too few shared facts left that tell something new: a single source's may complete it.
        remaining = new(pool) or (new(told) if len(chosen) < MIN_SENTENCES else [])
        if not remaining:
            break
        remaining = [f for f in remaining if not quoted_mostly(told_claim(f).text)] or remaining
        chosen.append(max(remaining, key=lambda f: (gain(f), -told.index(f))))
        said.append(told_claim(chosen[-1]))
    later = later or []
    next_ = [by_id[i] for i in later if i in by_id]
    if next_ and not any(f.id in later for f in chosen):
        fact = next((f for f in next_ if not repeats(told_claim(f), said)), None)
        if fact is not None:
            if len(chosen) >= MAX_SENTENCES:
                chosen.pop()
                said.pop()
            chosen.append(fact)
            said.append(told_claim(fact))
    add_outcomes(chosen, said, told, told_claim, people, new, (MAX_SENTENCES, lead_block, set(later)))
    # Another article's lede about the opening's person tells its event again: left out, and not
    # replaced (what would take its place was chosen as less worth telling), while MIN_SENTENCES remain.
    kept = [f for f in chosen[lead_block:] if not another_lede(told_claim(f), said[0], people)]
    if lead_block + len(kept) < MIN_SENTENCES:
        kept = chosen[lead_block:]
    rest = sorted(kept, key=lambda f: (f.first.published or "~", f.first.article_id, f.first.position))
    return [
        SummarySentence(
            texts.get(fact.id) or neutral_text(fact, charged),
            fact.article_ids,
            fact.sources,
            len(fact.sources) < 2,
            fact.id,
        )
        for fact in [*chosen[:lead_block], *rest]
    ]


# An opening that holds back who acts: "One of the highest-profile Republicans in the House said ...",
# "Two of the lawmakers said ..." (a person named in a later sentence), where a first-day lede names them.
UNNAMED = re.compile(
    r"^(?:One|Two|Three|Some|Several|Many|Few|Most) of (?:the |[A-Z][\w’']+[’']s? )?"
    r"(?:[\w’'-]+ ){0,4}?([A-Za-z-]+s)\b"
)


def unnamed_opening(text: str | None) -> bool:
    """Whether a sentence opens on some of a group of people it does not name ("One of the
    highest-profile Republicans", "One of Trump's closest advisers"; not "One of the nation's
    largest civil rights groups", which names what acts)."""
    found = UNNAMED.match(text or "")
    if not found:
        return False
    group = found.group(1)
    return group[0].isupper() or person_noun(group[:-1])


# An opening that tells only that the police are at work, not what happened to whom: "Police are
# investigating a shooting that happened in the 1800 block of Gravenhurst Drive.", "Raleigh police are
# on scene of reported shooting …", "State Police has released more information concerning …".
AT_WORK = re.compile(
    r"^(?:\S+ ){0,5}?(?:police|officers|deputies|authorities|investigators|detectives|troopers"
    r"|sheriff's office)\b[^.]{0,30}?\b(?:(?:is|are|were|was) (?:on (?:the )?scene|at the scene|responding"
    r"|(?:investigating|looking into) (?:(?:a|an|the) (?:[\w-]+ ){0,2}"
    r"(?:shooting|stabbing|incident|call|report)|after)\b)"
    r"|(?:has|have) released (?:more|new|additional) (?:information|details))\b",
    re.I,
)
# ...what happened to whom, which such an opening would tell beside it.
HARMED = re.compile(
    r"\b(?:killed|dead|died|dies|death|deadly|fatal|fatally|wounded|injured|hurt|hospitali[sz]ed|critical"
    r"|victims?|\d+-year-old"
    r"|man|woman|men|women|boy|girl|teens?|teenagers?|child|children|people|person|(?:was|were|been) shot)\b",
    re.I,
)


# ...and an opening that tells it, to stand before one telling only that the police are at work: "A
# 16-year-old boy was shot when …", "Three people were injured …", "… shot and wounded the driver"; not
# "police received a call about an injured man" nor "A man has been charged".
TELLS_HARM = re.compile(
    r"\b(?:was|were|been) (?:\w+ly )?(?:shot|killed|wounded|injured|hurt|struck)\b"
    r"|\bshot and (?:killed|wounded)\b|\b(?:died|dead)\b",
    re.I,
)


def police_at_work(text: str | None) -> bool:
    """Whether an opening tells only that the police are at work (AT_WORK), no one harmed (HARMED)."""
    return bool(AT_WORK.match(text or "")) and not HARMED.search(text or "")


def story_centre(facts: list[Fact], vectors: dict[str, np.ndarray]) -> np.ndarray:
    """The unit mean of the story's claims, each fact's vector (`vectors`: its claims' unit mean)
    weighed by how many claims it holds: what the story is mostly about."""
    centre = np.sum([vectors[f.id] * len(f.claims) for f in facts if f.id in vectors], axis=0)
    return centre / (np.linalg.norm(centre) or 1.0)


def lead_on(opening: str, central: Fact, facts: list[Fact], charged: dict[int, int]):
    """The sentences the article of the summary's opening tells next (up to LEAD_SPAN of its
    claims), as (fact, text), each standing alone and using none of its outlet's framing terms."""
    start = next(c for c in central.claims if c.text == opening)
    fact_of = {id(c): f for f in facts for c in f.claims}
    following = sorted(
        (
            c
            for f in facts
            for c in f.claims
            if c.article_id == start.article_id and c.position > start.position
        ),
        key=lambda c: c.position,
    )
    for claim in following[:LEAD_SPAN]:
        if usable_claim(claim) and not charged.get(id(claim), 0):
            yield fact_of[id(claim)], claim.text


def usable_claim(claim: Claim, named: bool = False) -> bool:
    """Whether a claim can be a summary's sentence: a complete statement in the outlet's own voice
    (not inside a quotation opened before it), with no pronoun whose person it does not name, that
    stands on its own (standalone()) and not only asks (asks()). `named`: as Claim.told writes it, a
    pronoun that speaks named and a piece of a quotation with who it is by (how the lists show a fact;
    the summary tells no such sentence: blind readers preferred the summaries without them, session 32)."""
    text = claim.told if named else claim.text
    dangling = claim.dangling and not (named and claim.speaker)
    quoting = claim.quoting and not (named and claim.quoted_by)
    return claim.complete and not quoting and not dangling and standalone(text) and not asks(text)


def readable_text(fact: Fact) -> str:
    """The text a fact is shown by: its representative claim's when that stands on its own
    (usable_claim, a pronoun that speaks named: "Ilves said the gates …" for "She said the gates
    …"), else its first claim that does, the nearest the top of its article ("Her comments come
    after …" gives way to another outlet's own sentence); else the representative one, as told."""
    representative = next((c for c in fact.claims if c.text == fact.text and usable_claim(c, True)), None)
    if representative is not None:
        return representative.told
    usable = [c for c in fact.claims if usable_claim(c, True)]
    if usable:
        return min(usable, key=lambda c: (c.position, c.article_id)).told
    return told_by(fact, fact.text).told  # a quotation's piece still told with who said it


def told_by(fact: Fact, text: str) -> Claim:
    """The claim of a fact whose text a summary sentence uses."""
    return next((c for c in fact.claims if c.text == text), fact.first)


def another_lede(claim: Claim, opening: Claim, people: frozenset[str]) -> bool:
    """Whether a claim is another article's first sentence naming a person the opening names
    (`people`: the person entities): a second lede tells the story's event again in another
    outlet's words ("Rep. Weiner said Wednesday he did not send the photo" / "Congressman Weiner
    broke his silence Wednesday about the photo")."""
    return (
        claim.position == 0
        and claim.article_id != opening.article_id
        and bool(claim.entities & opening.entities & people)
    )


def repeats(claim: Claim, told: list[Claim]) -> bool:
    """Whether a sentence tells a statement the summary tells already (`told`: its sentences'
    claims, the opening's first): the same statement id, however the outlets worded or quoted it;
    or the opening's happening told again (restates())."""
    return any(claim.statements & c.statements for c in told) or bool(told and restates(claim, told[0]))


def said_again(claim: Claim, told: list[Claim], vectors: dict[int, np.ndarray] | None) -> bool:
    """Whether a sentence is REPEATED close to one the summary tells (`vectors`: id(claim) -> its
    embedding; without them, never)."""
    if not vectors or id(claim) not in vectors:
        return False
    mine = vectors[id(claim)]
    return any(id(c) in vectors and float(mine @ vectors[id(c)]) >= REPEATED for c in told)


def restates(claim: Claim, opening: Claim) -> bool:
    """Whether a claim tells again what the opening tells happened: the same actors doing the same
    thing ("Farenthold resigned …" twice), no one new among them ("The pact was signed by Darvish
    and Tarsan" tells who signed it), neither denied nor only possible in either, on no other day
    or year."""
    for actor in claim.actors & opening.actors:
        verb = actor.split("|")[0]
        doers = {a for a in claim.actors if a.startswith(verb + "|")}
        if verb in claim.negated | claim.hedged | opening.negated | opening.hedged or doers - opening.actors:
            continue
        when = {p for p in claim.periods if p.startswith(verb + "|")}
        then = {p for p in opening.periods if p.startswith(verb + "|")}
        if when and then and not when & then:
            continue
        return True
    return False


def claim_told(sentence: SummarySentence, facts: list[Fact]) -> Claim | None:
    """The claim a summary sentence tells: the one of its fact with its words (the summary may
    have given a person's full name where the claim has the surname alone)."""
    fact = next((f for f in facts if f.id == sentence.fact_id), None)
    if fact is None:
        return None
    words = set(WORDS.findall(sentence.text.lower()))

    def likeness(claim: Claim) -> tuple[bool, int]:
        return claim.text == sentence.text, len(words & set(WORDS.findall(claim.text.lower())))

    return max(fact.claims, key=likeness)


def same_quotation(a: Fact, b: Fact) -> bool:
    """Whether two facts quote the same words (a quotation of one holds QUOTE_OVERLAP consecutive
    words of one of the other): a summary quotes a statement once, however many facts it is in."""

    def runs(fact: Fact) -> set[tuple[str, ...]]:
        return {
            tuple(words[i : i + QUOTE_OVERLAP])
            for claim in fact.claims
            for quotation in claim.quoted
            for words in [quotation.split()]
            for i in range(len(words) - QUOTE_OVERLAP + 1)
        }

    return bool(runs(a) & runs(b))


def leads(fact: Fact) -> int:
    """How many articles tell the fact among their first two claims."""
    return len({c.article_id for c in fact.claims if c.position <= 1})


def neutral_text(fact: Fact, charged: dict[int, int], lead_first: bool = False) -> str | None:
    """The claim stating the fact that stands on its own with the fewest of its outlet's framing
    terms, then one that names its speaker before the quotation ("X said: ..." rather than "'...,'
    X said"), then the representative one, then the shortest; None when none stands alone. With
    `lead_first` (the central event), a claim an article leads with (its first two) comes first."""
    usable = [c for c in fact.claims if usable_claim(c)]
    if not usable:
        return None
    return min(
        usable,
        key=lambda c: (
            lead_first and c.position > 1,
            charged.get(id(c), 0),
            c.text.lstrip().startswith(('"', "“")),
            0 if c.text == fact.text else 1,
            len(c.text),
        ),
    ).text


# "here" as a place, outside quotation marks: "said here on Wednesday", "at a rally here."; not
# one the sentence names ("a problem here in Mobile")
HERE = re.compile(
    r"\b(?P<to>(?:from|to|near) )?here\b(?!\s+in\s+[A-Z])"
    r"(?=[,.;]|\s+(?:on|in|at|this|last|early|late|today|yesterday|tonight|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b)"
)


def place_here(summary: list[SummarySentence], facts: list[Fact], datelines: dict[str, str | None]) -> None:
    """Name the place a summary sentence calls "here": the dateline of the article it comes from
    ("DAMASCUS —": "said here on Wednesday" -> "said in Damascus on Wednesday"), which the summary
    does not carry. `datelines`: article id -> its dateline, or None."""
    for sentence in summary:
        claim = claim_told(sentence, facts)
        place = place_of(datelines.get(claim.article_id)) if claim else None
        if place:
            text = sentence.text
            sentence.text = HERE.sub(lambda m, text=text, place=place: _there(m, text, place), text)


def place_of(dateline: str | None) -> str | None:
    """The place a dateline names first ("KANSAS CITY, Mo." -> "Kansas City", "Vista CA" -> "Vista")."""
    first = without_state((dateline or "").split(",")[0].strip())
    if not first:
        return None
    return first.title() if first.isupper() else first


def in_quotation(before: str) -> bool:
    """Whether the text that ends here has a quotation open: an odd number of double quotation
    marks, straight and curly counted alike (a scraped page may open with one and close with the
    other: '"We are looking for answers,” Badger said')."""
    return (before.count('"') + before.count("“") + before.count("”")) % 2 == 1


def _there(match: re.Match, text: str, place: str) -> str:
    before = text[: match.start()]
    if in_quotation(before):
        return match.group(0)  # a speaker's "here" is theirs
    return f"{match.group('to')}{place}" if match.group("to") else f"in {place}"
