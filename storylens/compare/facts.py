"""Facts: the claims of a story's articles grouped by what they state, across outlets.

Two claims of different articles state the same fact when they carry the same quotation (most of
its words in the same order), or the same five content words in a row (quoted or copied, marks or
not); or, not opposed and not contradicting, when their sentence embeddings agree (a paraphrase, a
translation), when they state one predicate (or its paraphrase, data/paraphrases.txt; a light verb
such as "make" or "have" never counts) over the same arguments (an entity, a number, or two content
words besides the verbs in both, and most of their other words: SAME_ARGUMENT_WORDS). A shared
entity alone never makes one fact. Claims contradict when they give different figures of one thing
("$139 million in income", "income of $141 million": one unit, a word of one figure's phrase in the
other's, commas crossed in one, within CLOSE_FIGURES, not one the other rounded); when, naming a
shared entity, they count the same thing (deaths, evacuations,
arrests: compare/data/measures.txt) with different numbers ("killed at least 14 people", "the death
toll rose to 19"), or say the same thing (close, or their words aligned) with one verb at different
times ("the strike began on Monday", "the strike began on May 20"; "in mid May", "on April 30";
weekdays resolved against each article's date), or with one verb done by different actors, neither
named in the other claim ("Kelmar shelled the depot", "Valdria shelled the depot"): they stay two
facts, flagged as disagreeing. Other numbers may differ within a fact ("raised by two points",
"raised to 14 percent").
Groups are merged best pair first, by average link, and a fact never takes two claims of one
article. Facts are ranked by how many outlets carry them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache
from importlib.resources import files
from itertools import combinations

import numpy as np

from storylens.compare.actors import reporting_verbs
from storylens.compare.claims import Claim
from storylens.compare.counts import different_counts
from storylens.compare.dates import same_period
from storylens.compare.polarity import really_opposed
from storylens.compare.quantities import Quantity, agree

SAME_FACT = 0.66  # the cosine the old alignment joined claims at (the benchmark's cosine-only baseline)
PARAPHRASE = 0.80  # two claims this close say one thing, whatever their words
RELATED = 0.60  # ...or this close with one predicate over a shared argument
FLOOR = 0.40  # every two claims of one fact are related or at least this close
QUOTE_SHARE = 0.6  # one quotation: this share of the shorter one's words is in the other
QUOTE_IN_ORDER = 0.7  # ...and this share of the shorter one's words in the same order
# Chosen on basil-dev's tuning set: two claims carrying SAME_WORDS content words in one run, in
# order, quote or copy one statement; SHARED_WORDS content words besides the verbs are a shared
# argument.
SAME_WORDS = 5
SHARED_WORDS = 2
# Two claims with one predicate over a shared argument state one fact only when this share of the
# shorter one's other content words (predicates and names aside) is in both: "the same predicate
# over the same arguments", not one verb and one name ("ordered the guards to lie to the council
# about the fire" / "accused Orlin of lying to reporters about his salary"). Chosen on basil-dev's
# tuning set (0.2 / 0.3 / 0.4 tried): such pairs in its facts were right 18 times of 24 at 0.3 or
# more, 9 of 23 under it.
SAME_ARGUMENT_WORDS = 0.3
# Verbs that say little of what happened: sharing one is no evidence of one fact.
LIGHT_VERBS = frozenset(
    "be have do make get take go come give put keep let seem become include know use want need see".split()
)
# Two figures of one thing this near (a share of the larger) are one figure told differently.
CLOSE_FIGURES = 0.1
# Two claims whose words align this well (compare/tokens.py) say one thing (basil-dev's tuning
# set); the alignment is computed for pairs of claims at least ALIGN_FLOOR close.
ALIGNED = 0.62
ALIGN_FLOOR = 0.4
# Two claims this close say the same thing: if they name different days, they disagree on when.
SAME_STATEMENT = 0.75
# ...and so do two claims whose words align this well (compare/tokens.py; basil-dev's tuning set).
SAME_ALIGNED = 0.70


@dataclass
class Fact:
    id: str
    claims: list[Claim]
    text: str  # the claim that stands for the fact (nearest to the others)
    disagrees_with: list[str] = field(default_factory=list)  # ids of facts it contradicts
    links: list[dict] = field(default_factory=list)  # why its claims were grouped: {"a", "b", "why"}

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


def same_statement(cosine: float, aligned: float = 0.0) -> bool:
    """Whether two claims say the same thing: a cosine of SAME_STATEMENT, or their words aligned
    one to one (`aligned`, compare/tokens.py) at SAME_ALIGNED."""
    return cosine >= SAME_STATEMENT or aligned >= SAME_ALIGNED


def contradicting(a: Claim, b: Claim, cosine: float = 0.0, aligned: float = 0.0) -> bool:
    """Two claims that tell one thing differently (contradiction())."""
    return contradiction(a, b, cosine, aligned) is not None


def contradiction(a: Claim, b: Claim, cosine: float = 0.0, aligned: float = 0.0) -> str | None:
    """How two claims tell one thing differently, or None: different figures of one thing
    (different_figures); or, naming a shared entity, saying the same thing (cosine at least
    SAME_STATEMENT, or aligned: same_statement()) of different times or with different actors, or
    counting the same thing (deaths, evacuations...) with different numbers: a disagreement, or a
    figure that changed."""
    if different_figures(a, b):
        return "different figures of one thing"
    if not (a.entities & b.entities):
        return None
    if same_statement(cosine, aligned):
        if _different_periods(_by_verb(a.dates | a.periods), _by_verb(b.dates | b.periods)):
            return "different times"
        if _different_actors(a, b):
            return "different actors"
    if different_counts(a, b):
        return "different counts"
    return None


def disagreeing(a: Claim, b: Claim, cosine: float, aligned: float = 0.0) -> bool:
    """Two claims that tell one happening differently (disagreement())."""
    return disagreement(a, b, cosine, aligned) is not None


def disagreement(a: Claim, b: Claim, cosine: float, aligned: float = 0.0) -> str | None:
    """How two claims tell one happening differently, or None: they contradict (contradiction()),
    or give the same figure of one thing at different times (different_times), or say the same
    thing (same_statement(): their cosine, or their words aligned) with opposite polarity or
    modality, not only seemingly (polarity.really_opposed). Two numbers of different things
    ("spent $750,000", "a $43,000 watch") are no disagreement, however close the claims or well
    aligned their words; nor is one sentence twice (one article quoting the other's words in
    full)."""
    if a.text.strip(' "“”') == b.text.strip(' "“”'):
        return None
    why = contradiction(a, b, cosine, aligned)
    if why is None and different_times(a, b):
        why = "one figure at different times"
    if why is None and same_statement(cosine, aligned) and really_opposed(a, b):
        why = "opposite polarity or modality"
    return why


def different_figures(a: Claim, b: Claim) -> bool:
    """Whether the claims give different figures of one thing: two quantities of one unit whose
    phrases share a word besides the unit ("the 48-page indictment", "the 47-page indictment
    says"; "$139 million in income", "income of $141 million"), within CLOSE_FIGURES of each
    other, not one the other rounded ("about $43,000", "$43,350"), and neither claim giving the
    other's figure of that thing too."""
    return bool(figures_at_odds(a, b))


def figures_at_odds(a: Claim, b: Claim) -> set[float]:
    """The values of a's figures that b gives otherwise (different_figures)."""
    return {
        x.value
        for x in a.quantities
        for y in b.quantities
        if one_thing(x, y)
        and abs(x.value - y.value) <= CLOSE_FIGURES * max(x.value, y.value)
        and not agree(x.value, y.value)
        and not gives_figure(b, x)
        and not gives_figure(a, y)
    }


def gives_figure(claim: Claim, quantity: Quantity) -> bool:
    """Whether the claim gives this figure (or it rounded) of the same unit."""
    return any(q.unit == quantity.unit and agree(q.value, quantity.value) for q in claim.quantities)


def _different_periods(a: dict[str, set[str]], b: dict[str, set[str]]) -> bool:
    """Whether one verb has times in both (by verb, from "verb|time" entries: days, months or
    years, periods_of) and none that may be one ("began" on Monday and on Tuesday; "repaid" in
    2017 and in 2018; but "in May" and "on May 3" may be one)."""
    return any(not any(same_period(x, y) for x in a[verb] for y in b[verb]) for verb in a.keys() & b.keys())


def _different_days(a: Claim, b: Claim) -> bool:
    """Whether both claims date what they tell and no day of one may be a day of the other
    ("rejected the offer on Wednesday", "walked off the job on Tuesday"), whatever the verbs."""
    days_a = {entry.partition("|")[2] for entry in a.dates}
    days_b = {entry.partition("|")[2] for entry in b.dates}
    return bool(days_a and days_b) and not any(same_period(x, y) for x in days_a for y in days_b)


def different_times(a: Claim, b: Claim) -> bool:
    """Whether the claims give the same figure of one thing (_same_figure: "repaid about
    $60,000", "repaid more than $60,000") with one predicate (or its paraphrase) done at times
    that cannot be one ("in 2017", "earlier this year"). When a claim dates only its reporting
    verb ("said in 2017 that they repaid"), that time stands for what it reports."""
    if not _same_figure(a, b):
        return False
    sense = paraphrases()
    times_a = {sense.get(v, v): t for v, t in _times_by_verb(a).items()}
    times_b = {sense.get(v, v): t for v, t in _times_by_verb(b).items()}
    return _different_periods(times_a, times_b)


def _times_by_verb(claim: Claim) -> dict[str, set[str]]:
    """Its predicates' times (periods), a reporting verb's time standing for the predicates that
    have none of their own; light verbs left out."""
    by_verb = _by_verb(claim.periods)
    reporting = reporting_verbs()
    reported = set().union(*(t for v, t in by_verb.items() if v in reporting))
    found = {v: by_verb.get(v, reported) for v in claim.predicates - LIGHT_VERBS}
    return {v: t for v, t in found.items() if t}


def _same_figure(a: Claim, b: Claim) -> bool:
    """Whether the claims give one figure (quantities.agree) of one thing (one_thing)."""
    return any(one_thing(x, y) and agree(x.value, y.value) for x in a.quantities for y in b.quantities)


def one_thing(x: Quantity, y: Quantity) -> bool:
    """Whether two quantities count one thing: one unit, and a word besides the unit in the phrase
    of one and the wider phrase (across commas) of the other ("the harbour budget, to the tune of
    $4.2 million" / "divert $4.4 million from harbour projects"); never words beyond commas in
    both ("..., the document said" / "..., court documents said")."""
    shared = (x.words & (y.wider or y.words)) | ((x.wider or x.words) & y.words)
    return x.unit == y.unit and bool(shared - {x.unit})


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


def same_quote(a: Claim, b: Claim) -> bool:
    """Whether the two claims carry one quotation: most of the shorter one's words in the other,
    in the same order (a word added or a title abbreviated: "we grieve for General Halvorsen" / "we
    grieve deeply for Gen. Halvorsen"; not common words scattered: "the", "into", "waters")."""
    for x in a.quoted:
        for y in b.quoted:
            if x == y:
                return True  # copies of one article quote alike: no need to align them
            left, right = x.split(), y.split()
            shorter = min(len(set(left)), len(set(right)))
            if len(set(left) & set(right)) >= QUOTE_SHARE * shorter and in_order(
                left, right
            ) >= QUOTE_IN_ORDER * min(len(left), len(right)):
                return True
    return False


def in_order(left: list[str], right: list[str]) -> int:
    """How many words the two share in the same order (difflib's matching blocks)."""
    return sum(
        block.size for block in SequenceMatcher(None, left, right, autojunk=False).get_matching_blocks()
    )


def same_words(a: Claim, b: Claim, size: int = SAME_WORDS) -> bool:
    """Whether both claims carry `size` content words in a row (lemmas; names, stop words,
    punctuation and numbers skipped): the same words, quoted or copied, are one statement."""
    return bool(_runs(a, size) & _runs(b, size))


def _runs(claim: Claim, size: int) -> set[tuple[str, ...]]:
    words = claim.content
    return {words[i : i + size] for i in range(len(words) - size + 1)}


def opposed(a: Claim, b: Claim) -> bool:
    """Whether the claims say one thing with opposite polarity or modality: one denies or only
    allows ("may resign", "will not resign") what the other states."""
    return any(
        (verb in a.negated) != (verb in b.negated) or (verb in a.hedged) != (verb in b.hedged)
        for verb in a.predicates & b.predicates
    )


def relation(a: Claim, b: Claim, cosine: float, aligned: float = 0.0) -> str | None:
    """Why two claims of different articles state one fact, or None: the same quotation; or no
    contradiction and either a paraphrase (cosine >= PARAPHRASE, or their words aligned one to
    one: `aligned`, compare/tokens.py, at least ALIGNED) or the same predicate (or one of its
    paraphrases, data/paraphrases.txt) over a shared argument (an entity or a number) at
    cosine >= RELATED, their other words largely shared (same_arguments()). A shared entity alone
    never is."""
    if same_quote(a, b):
        return "same quotation"
    if opposed(a, b) or contradicting(a, b, cosine, aligned):
        return None
    if same_words(a, b):
        return "same words"
    if cosine >= PARAPHRASE:
        return f"paraphrase ({cosine:.2f})"
    if aligned >= ALIGNED and not _different_days(a, b):
        return f"the same words aligned ({aligned:.2f})"
    shared = same_predicates(a, b)
    if cosine >= RELATED and shared and shared_arguments(a, b) and same_arguments(a, b):
        return f"same predicate ({', '.join(shared)}) over the same arguments ({cosine:.2f})"
    return None


def same_predicates(a: Claim, b: Claim) -> list[str]:
    """The predicates the two claims share, a verb and its paraphrase ("passed", "approved")
    written "pass/approve"."""
    sense = paraphrases()
    found = set()
    for x in a.predicates - LIGHT_VERBS:
        for y in b.predicates - LIGHT_VERBS:
            if x == y:
                found.add(x)
            elif sense.get(x, x) == sense.get(y, y):
                found.add(f"{x}/{y}")
    return sorted(found)


def shared_arguments(a: Claim, b: Claim) -> bool:
    """Whether the claims name a common argument: an entity, a number, or SHARED_WORDS content
    words other than their verbs ("the resolution", "the racist elements")."""
    if a.entities & b.entities or a.numbers & b.numbers:
        return True
    return len(_other_words(a) & _other_words(b)) >= SHARED_WORDS


def same_arguments(a: Claim, b: Claim) -> bool:
    """Whether the claims' content words other than their predicates and names are largely the
    same: SAME_ARGUMENT_WORDS of the shorter one's are in the other."""
    words_a, words_b = _other_words(a), _other_words(b)
    shared = words_a & words_b
    return bool(shared) and len(shared) >= SAME_ARGUMENT_WORDS * min(len(words_a), len(words_b))


def _other_words(claim: Claim) -> set[str]:
    """A claim's content words (names left out) other than its predicates."""
    return set(claim.content) - claim.predicates


@cache
def paraphrases() -> dict[str, str]:
    """verb lemma -> the first verb of its line in data/paraphrases.txt (verbs told one way)."""
    found = {}
    text = (files("storylens.compare") / "data" / "paraphrases.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            verbs = line.split()
            found.update((verb, verbs[0]) for verb in verbs)
    return found


def align(
    claims: list[Claim],
    vectors: np.ndarray,
    similarity: np.ndarray | None = None,
    aligned: dict[tuple[int, int], float] | None = None,
) -> list[Fact]:
    """Group the claims into facts; most-carried first. Pairs that state one fact (relation())
    join best first (quotations, then by cosine); two groups join only if no article is in
    both, no two of their claims are opposed or contradict, and every two of their claims are
    related or at least FLOOR close (so no chain of paraphrases drifts to another fact).
    `similarity`: vectors @ vectors.T, when the caller has it; `aligned`: the token alignment
    (compare/tokens.py) of pairs (i < j) of claims, where computed."""
    n = len(claims)
    aligned = aligned or {}
    if n == 0:
        return []
    similarity = vectors @ vectors.T if similarity is None else similarity
    why: dict[tuple[int, int], str] = {}
    candidates = set(_may_relate(claims, similarity)) | {p for p, f in aligned.items() if f >= ALIGNED}
    for i, j in sorted(candidates):
        reason = relation(claims[i], claims[j], float(similarity[i, j]), aligned.get((i, j), 0.0))
        if reason:
            why[i, j] = reason
    groups: dict[int, list[int]] = {i: [i] for i in range(n)}
    group_of = list(range(n))
    links: dict[int, list[tuple[int, int, str]]] = {i: [] for i in range(n)}
    verbatim = ("same quotation", "same words")
    order = sorted(why, key=lambda p: (why[p] not in verbatim, -float(similarity[p])))
    for i, j in order:
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        a, b = groups[gi], groups[gj]
        if {claims[k].article_id for k in a} & {claims[k].article_id for k in b}:
            continue
        if any(
            (min(x, y), max(x, y)) not in why
            and (
                float(similarity[x, y]) < FLOOR
                or opposed(claims[x], claims[y])
                or contradicting(
                    claims[x], claims[y], float(similarity[x, y]), aligned.get((min(x, y), max(x, y)), 0.0)
                )
            )
            for x in a
            for y in b
        ):
            continue
        groups[gi] = a + b
        links[gi] = links[gi] + links[gj] + [(i, j, why[i, j])]
        for k in b:
            group_of[k] = gi
        del groups[gj], links[gj]
    facts: dict[int, Fact] = {}  # by group
    for gid, members in groups.items():
        centre = vectors[members].mean(axis=0)
        best = max(members, key=lambda k: (claims[k].complete, float(vectors[k] @ centre), -k))
        member_claims = [
            claims[k] for k in sorted(members, key=lambda k: (claims[k].article_id, claims[k].position))
        ]
        key = "|".join(f"{c.article_id}:{c.position}" for c in member_claims)
        facts[gid] = Fact(
            "f_" + hashlib.sha1(key.encode()).hexdigest()[:12],
            member_claims,
            claims[best].text,
            links=[
                {"a": claims[x].article_id, "b": claims[y].article_id, "why": reason}
                for x, y, reason in links[gid]
            ],
        )
    _mark_disagreements(facts, claims, similarity, group_of, aligned)
    return sorted(
        facts.values(),
        key=lambda f: (-len(f.sources), -len(f.claims), f.first.published or "~", f.first.position),
    )


# A pair is looked at when its cosine is this little under a threshold: numpy compares float32
# cosines with the threshold in float32, the rules compare them in float64.
MARGIN = 1e-6


def _may_relate(claims: list[Claim], similarity: np.ndarray) -> list[tuple[int, int]]:
    """The pairs (i < j, in order) of claims of different articles that relation() may join: both
    quoting, SAME_WORDS content words in a row in both, or a cosine of at least RELATED. For any
    other pair it returns None, so it is never asked."""
    quoting = np.array([bool(c.quoted) for c in claims])
    chosen = (similarity >= RELATED - MARGIN) | np.outer(quoting, quoting)
    pairs = {(int(i), int(j)) for i, j in zip(*np.nonzero(np.triu(chosen, k=1)), strict=True)}
    by_run: dict[tuple[str, ...], list[int]] = {}
    for i, claim in enumerate(claims):
        for run in _runs(claim, SAME_WORDS):
            by_run.setdefault(run, []).append(i)
    pairs.update(pair for found in by_run.values() for pair in combinations(found, 2))
    return sorted((i, j) for i, j in pairs if claims[i].article_id != claims[j].article_id)


def _may_disagree(
    claims: list[Claim], similarity: np.ndarray, aligned: dict[tuple[int, int], float]
) -> list[tuple[int, int]]:
    """The pairs (i < j, in order) disagreeing() may hold: at a cosine of SAME_STATEMENT, words
    aligned at SAME_ALIGNED (`aligned`: pairs i < j), or both counting something (measures) or
    giving a figure of something (quantities). For any other pair it is False."""
    counting = np.array([any(c.measures.values()) or bool(c.quantities) for c in claims])
    chosen = (similarity >= SAME_STATEMENT - MARGIN) | np.outer(counting, counting)
    pairs = {(int(i), int(j)) for i, j in zip(*np.nonzero(np.triu(chosen, k=1)), strict=True)}
    return sorted(pairs | {p for p, score in aligned.items() if score >= SAME_ALIGNED})


def disagreeing_pairs(
    claims: list[Claim], similarity: np.ndarray, aligned: dict
) -> list[tuple[int, int, str]]:
    """The pairs (i < j) of claims of different articles that disagree, with how (disagreement();
    `aligned`: the token alignment of pairs i < j, where computed)."""
    found = []
    for i, j in _may_disagree(claims, similarity, aligned):
        if claims[i].article_id != claims[j].article_id:
            why = disagreement(claims[i], claims[j], float(similarity[i, j]), aligned.get((i, j), 0.0))
            if why is not None:
                found.append((i, j, why))
    return found


def _mark_disagreements(facts: dict[int, Fact], claims, similarity, group_of, aligned: dict) -> None:
    """Mark as disagreeing the facts (by group) of two claims of different facts that disagree."""
    for i, j, _ in disagreeing_pairs(claims, similarity, aligned):
        if group_of[i] != group_of[j]:
            a, b = facts[group_of[i]], facts[group_of[j]]
            if b.id not in a.disagrees_with:
                a.disagrees_with.append(b.id)
                b.disagrees_with.append(a.id)
