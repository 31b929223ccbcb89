"""Comparing coverage within a story: aligned facts, what each outlet alone carries and what it
leaves out, its distinctive framing, a cited neutral summary, and the timeline of first reports.

compare_story() works on one story's articles; the pipeline supplies the articles, their resolved
entity mentions and an embedding function (which caches vectors in the store).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from storylens.compare.apart import told_apart
from storylens.compare.carried import Nearest, outlet_omits, outlet_only, reprinted, statement, without_facts
from storylens.compare.citations import cite_restatements, restated_by
from storylens.compare.claims import Claim, ParsedClaim, claims_of
from storylens.compare.dated import name_days
from storylens.compare.disagreements import developments, differing, disagreements
from storylens.compare.facts import ALIGN_FLOOR, Fact, align, disagreeing_pairs, source_of
from storylens.compare.framing import distinctive, loaded_terms, ngrams, with_loaded_verbs
from storylens.compare.introduce import introduce_names, people_named
from storylens.compare.labels import contested, entity_labels, wording_candidates, wordings
from storylens.compare.people import written_names
from storylens.compare.since import follow_up_lede
from storylens.compare.summary import (
    SummarySentence,
    central_facts,
    claim_told,
    place_here,
    readable_text,
    summarize,
)
from storylens.compare.tokens import token_scores
from storylens.compare.voice import Said
from storylens.model import Article
from storylens.understand import VERSION as ANALYSIS_VERSION
from storylens.understand.nlp import article_text

Embed = Callable[[list[str]], np.ndarray]
Tokens = Callable[[list[str]], list[bytes]]  # texts -> their word pieces' states (embed.token_rows)


@dataclass
class Comparison:
    facts: list[Fact] = field(default_factory=list)
    outlet_only: dict[str, list[str]] = field(default_factory=dict)
    outlet_omits: dict[str, list[str]] = field(default_factory=dict)
    framing: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    summary: list[SummarySentence] = field(default_factory=list)
    timeline: list[dict] = field(default_factory=list)
    term_counts: dict[str, Counter] = field(default_factory=dict)  # per source, for corpus framing
    labels: list[dict] = field(default_factory=list)  # one referent, different words by outlet
    omission_evidence: dict[str, list[dict]] = field(default_factory=dict)  # why each omission is one
    only_evidence: dict[str, list[dict]] = field(default_factory=dict)  # what the others say nearest
    disagreements: list[dict] = field(default_factory=list)  # two claims telling one happening differently
    reprints: dict[str, str] = field(default_factory=dict)  # article id -> the article it gives again

    def restated_by(self) -> dict[str, list[str]]:
        """fact id -> the articles the summary cites for telling it in other words, beside its own."""
        return restated_by(self.summary)

    def reprinted(self, fact: Fact) -> list[str]:
        """The fact's articles that carry it only by reprinting another of its articles."""
        return reprinted(fact, self.reprints)


def compare_story(
    articles: list[Article],
    mentions: dict[str, list[tuple[int, int, str, str, str]]],
    embed: Embed,
    parsed: dict[str, list[ParsedClaim]] | None = None,
    tokens: Tokens | None = None,
    said: dict[str, Said] | None = None,
    reprints: dict[str, str] | None = None,
) -> Comparison:
    """The comparison of a story's articles (an empty one for fewer than two articles); `parsed`:
    their stored claims by article id (an article missing from it is parsed); `said`: their
    quotes with their statements, by article id (the summary tells one statement once);
    `reprints`: article id -> the article whose text it gives again (link.reuse.reprints_among)."""
    if len(articles) < 2:
        return Comparison()
    claims = claims_of(articles, mentions, parsed, said)
    vectors = embed([c.text for c in claims])
    similarity = vectors @ vectors.T  # every two claims' cosine, for facts and wordings
    aligned = aligned_pairs(claims, similarity, tokens)
    facts = align(claims, vectors, similarity, aligned)
    # what a fact tells before a call for tips, a caption, "no more is known" or a fragment, which
    # the lists of what most outlets carry would otherwise lead with (carried.statement)
    facts.sort(key=lambda fact: not statement(fact))
    sources = sorted({a.outlet or a.id for a in articles})
    names = {entity: name for spans in mentions.values() for _, _, entity, name, _ in spans}
    people = {entity for spans in mentions.values() for _, _, entity, _, kind in spans if kind == "PERSON"}
    texts = {a.id: article_text(a.paragraphs) for a in articles}
    written = [list(ngrams(c.tokens, names)) for c in claims]  # each claim's n-grams, once
    grams = {id(c): set(found) for c, found in zip(claims, written, strict=True)}
    counts = _counts_by_source(claims, written)
    modifiers: dict[str, set[str]] = {}
    verbs: dict[str, set[str]] = {}
    for claim in claims:
        modifiers.setdefault(source_of(claim), set()).update(claim.modifiers)
        verbs.setdefault(source_of(claim), set()).update(claim.loaded)
    framing = with_loaded_verbs(loaded_terms(counts, modifiers=modifiers), verbs, counts)
    # The summary keeps out, or attributes, every strongly rated word one outlet alone uses, reporting's
    # plain words too ("fatally shot"): two blind readers split 9 to 10 on the summaries that weighing
    # them as the lists do would change on gva-dev (session 44).
    wider = with_loaded_verbs(loaded_terms(counts, modifiers=modifiers, reporting=False), verbs, counts)
    terms = {source: {t for t, _ in found} for source, found in wider.items()}
    charged = charged_counts(claims, grams, terms)
    index = {id(c): i for i, c in enumerate(claims)}
    fact_vectors = {}
    for fact in facts:
        centre = vectors[[index[id(c)] for c in fact.claims]].mean(axis=0)
        fact_vectors[fact.id] = centre / (np.linalg.norm(centre) or 1.0)
    length = Counter(c.article_id for c in claims)
    lead = {
        fact.id: float(np.mean([1 - c.position / max(1, length[c.article_id] - 1) for c in fact.claims]))
        for fact in facts
    }
    by_claim = {id(c): vectors[i] for i, c in enumerate(claims)}
    central = central_facts(facts, claims, vectors)
    pairs = disagreeing_pairs(claims, similarity, aligned) + told_apart(claims)
    fact_of = {id(c): f.id for f in facts for c in f.claims}
    changes = developments(facts, claims, pairs)  # an arrest or a death told since
    later = changes or follow_up_lede(claims, fact_of)
    summary = summarize(facts, fact_vectors, charged, lead, central, by_claim, frozenset(people), later)
    cite_restatements(summary, facts, claims, vectors, aligned, pairs, set(changes), reprints)
    introduce_names(summary, *people_named(summary, facts, mentions, articles))
    place_here(summary, facts, {a.id: a.dateline for a in articles})
    name_days(summary, facts)  # "was shot Saturday [Dec. 31]"
    for fact in facts:  # the lists show each fact by a sentence that stands alone, where it has one
        fact.text = readable_text(fact)
    nearest = Nearest(claims, vectors)
    omits, evidence = outlet_omits(facts, sources, nearest, reprints, restated_by(summary))
    only, only_evidence = outlet_only(facts, sources, nearest, texts)
    cited_elsewhere = {s.fact_id for s in summary if len(s.sources) > 1}  # restated by another outlet
    only, only_evidence = without_facts(only, only_evidence, cited_elsewhere)
    for sentence in summary:  # a summary sentence that an article tells otherwise says so
        sentence.differs = differing(claim_told(sentence, facts), claims, pairs)
    return Comparison(
        facts=facts,
        outlet_only=only,
        outlet_omits=omits,
        omission_evidence=evidence,
        only_evidence=only_evidence,
        framing=framing,
        summary=summary,
        timeline=timeline(facts),
        term_counts=counts,
        labels=labels_of(claims, names, vectors, embed, similarity, people, written_names(texts, mentions)),
        disagreements=disagreements(facts, claims, similarity, pairs),
        reprints=reprints or {},
    )


def charged_counts(claims: list[Claim], grams: dict[int, set[str]], terms: dict[str, set[str]]) -> dict:
    """id(claim) -> how many of its outlet's framing terms (`terms`, by source) the claim uses: its
    n-grams (`grams`, by id(claim)) and its loaded verbs, which no n-gram may hold ("tear into": the
    particle is a stop word)."""
    return {id(c): len((grams[id(c)] | c.loaded) & terms.get(source_of(c), set())) for c in claims}


def aligned_pairs(claims: list[Claim], similarity: np.ndarray, tokens: Tokens | None) -> dict:
    """The token alignment (compare/tokens.py) of every two claims of different articles at least
    ALIGN_FLOOR close; none without `tokens`."""
    if tokens is None or not claims:
        return {}
    articles = np.array([c.article_id for c in claims])
    near = np.triu(similarity >= ALIGN_FLOOR, k=1) & (articles[:, None] != articles[None, :])
    pairs = [(int(i), int(j)) for i, j in zip(*np.nonzero(near), strict=True)]
    return token_scores(tokens([c.text for c in claims]), pairs) if pairs else {}


def wording_phrases(
    articles: list[Article],
    mentions: dict[str, list[tuple[int, int, str, str, str]]],
    embed: Embed,
    parsed: dict[str, list[ParsedClaim]] | None = None,
) -> list[str]:
    """The phrases compare_story() of these articles embeds to weigh wordings (sorted), so that
    they can be embedded ahead, with the claims (`embed` is called for the claims' vectors)."""
    if len(articles) < 2:
        return []
    claims = claims_of(articles, mentions, parsed)
    candidates = wording_candidates(claims, embed([c.text for c in claims]))
    return sorted({phrase for pair in candidates for phrase in pair})


def labels_of(
    claims: list[Claim],
    names: dict[str, str],
    vectors: np.ndarray,
    embed: Embed,
    similarity: np.ndarray | None = None,
    people: set[str] | None = None,
    written: dict[tuple[str, str], str] | None = None,
) -> list[dict]:
    """One referent, different words: entities by their label nouns, contested wording, then other
    wordings (those contested wording already lists left out); `people`: the person entities;
    `written`: the name each article writes for each (people.written_names)."""
    chosen = contested(claims, names)
    listed = {phrase for entry in chosen for phrase in entry["labels"]}
    others = [e for e in wordings(claims, vectors, embed, similarity) if not set(e["labels"]) <= listed]
    return entity_labels(claims, names, people, written) + chosen + others


def corpus_framing(comparisons: list[Comparison]) -> dict[str, list[tuple[str, float]]]:
    """Per outlet across every compared story: the terms it uses distinctively against the others."""
    counts: dict[str, Counter] = {}
    for comparison in comparisons:
        for source, found in comparison.term_counts.items():
            counts.setdefault(source, Counter()).update(found)
    return distinctive(counts, top=15)


def _counts_by_source(claims: list[Claim], written: list[list[str]]) -> dict[str, Counter]:
    """source -> how often its claims write each n-gram (`written`: each claim's n-grams)."""
    counts: dict[str, Counter] = {}
    for claim, found in zip(claims, written, strict=True):
        counts.setdefault(source_of(claim), Counter()).update(found)
    return counts


def timeline(facts: list[Fact]) -> list[dict]:
    """Each shared fact's first report and who followed, in the order they were first reported."""
    entries = []
    for fact in facts:
        if len(fact.article_ids) < 2:
            continue
        ordered = sorted(fact.claims, key=lambda c: (c.published is None, c.published or "", c.article_id))
        reports = [
            {"article_id": c.article_id, "outlet": c.outlet, "published": c.published} for c in ordered
        ]
        entries.append(
            {"fact_id": fact.id, "text": fact.text, "first": reports[0], "followed_by": reports[1:]}
        )
    entries.sort(key=lambda e: (e["first"]["published"] is None, e["first"]["published"] or ""))
    return entries


# Bump when the comparison's output changes: stored comparisons of an older version are redone.
# 2: claims name days; facts disagree on when. 3: and on who. 4: facts by what is said.
# 5: framing by loaded words; labels by wording. 6: labels by contested wording (data/contested.txt),
# framing by negative modifiers, the central event from the articles' leads. 7: the summary
# introduces a person named by surname alone; no sentence opening on a pronoun after a phrase,
# none that does not end as a sentence; a statement quoted once. 11 (9 and 10 name summary rules
# tried in session 11 and not kept): facts by the same words in a row, a verb's paraphrase, content
# words as a shared argument; light verbs are no shared predicate. 12: labels show how outlets
# describe a person or organisation ("Fox News host" / "conservative talk show host"); framing adds
# the loaded verbs one outlet alone uses (data/loaded_verbs.txt: "slammed", "claimed"). 13: labels
# by noun phrases as the parse reads them, forms of one description as one, more descriptions,
# contested wording one outlet alone chose; each label says why. 14: facts disagree on figures of
# one thing ("$139 million in income" / "$141 million"), on months and years as well as days, and on
# the time of one figure's deed; no longer on any two numbers of close claims. 15: the summary's
# central event is looked for in the ledes first; a quotation is told by a claim naming its speaker first.
# 16: outlet_only by the rare words another outlet uses (rare_covered) and ONLY_NEAR.
# 17: facts also by their words aligned one to one (compare/tokens.py); no summary sentence in the
# first person outside quotation marks; a central event one outlet alone tells takes no shared fact's place.
# 18: no summary sentence inside a quotation, with a pronoun and no one named, in the second
# person, reporting a question, citing an unintroduced text, going on ("also"), or attributing nothing;
# a statement told once (statement ids). 19: a person first named as "Mr. Brat" gets the full name too.
# 20: a summary of up to six sentences (five before) when six facts or more are shared.
# 21: times "since" a date disagree with other beginnings only; a figure's phrase crosses commas.
# 22: a summary sentence also cites an article whose claim's word pieces align with its fact's
# (0.53); the cosine that cites alone needs 0.68 (was 0.65).
# 23: such an article's restating claim is kept with the sentence (`restated`: where its citation lands).
# 24: claims whose word pieces align at 0.70 say the same thing too (times, actors, polarity disagree).
# 25: the central event is looked for in the leads of the story's first day first.
# 26: a claim's loaded verbs count among its outlet's charged words ("tear into" is no n-gram). 27: a surname
# with an apostrophe, a hyphen or an inner capital ("O’Rourke") is introduced too. 28: no summary sentence
# pointing at words said before ("made the remarks", "those comments").
# 29: labels take the ids of one person in a story as one (compare/people.py), different given names
# shown; a plural modifier kept ("rights group"; claims 7); a role noun continuing the subject ("The
# comedian ...") describes the person named before (claims 8). 30: "here" named by the dateline.
# 31: a fact is shown by a sentence that stands alone where it has one (readable_text), after the summary.
# 32: no possessive in a name the summary introduces ("Mitt Romney’s Medicare"); claims 9 (blank lines).
# 33: an outlet's own fact shown as its whole sentence where clauses of it went apart (carried.py).
# 34: no summary sentence with a possessive pronoun after an opening phrase ("By noon, their own allies").
# 35: claims 10 (a break before a lower-case word is taken back: "(R-Wisc.) | to task").
# 36: claims 11 (a name qualifying the subject is no actor); the opening's happening told once (restates()).
# 37: a person introduced before is named by surname where a later sentence opens on title and full name.
# 38: claims 12 (quotations by their marks, no asked or prepositional predicate, "not going to"
# denies what follows); one quotation shares three words in a row. 39: ...most of its words in the
# same order instead ("we grieve for General Halvorsen" / "we grieve deeply for Gen. Halvorsen").
# 40: each story lists its disagreements, both claims side by side with how they differ, inside one
# fact too (compare/disagreements.py); a summary sentence names the articles telling its fact otherwise.
# 41: one predicate over a shared argument states one fact only when most other words are shared too
# (facts.same_arguments: "the same predicate over the same arguments", not one verb and one name).
# 42: each `outlet_only` item with its evidence (only_evidence): the nearest claim another outlet
# has, with that outlet and the cosine, and the largest share of its rare words another outlet uses.
# 43: no summary sentence nearly the same as one told before (summary.REPEATED), none a newsroom's note
# on its own reporting or naming a time the summary does not tell (alone.NO_COMMENT, UNTOLD_TIME).
# 44: a person the summary names first with no title or description is introduced as an article it
# cites introduces them (introduce.introductions); names one person may be written are one.
# 45: a fact in the lists is shown with a pronoun that speaks named, where another article's quote of
# the statement has the same speaker (voice.speaking: "She said the gates ..." -> "Ilves said the gates
# ..."; not in the summary: report-set readers preferred it without);
# no description before a name that joins a noun in lower case to a title ("the shooting Mayor").
# 46: labels list the given names each article writes for one person (people.written_names: "Dave
# Brat" / "David Brat" once resolution 3 holds them as one entity).
# 47: no sentence stands alone whose quotation points at a man or woman it does not name ("“Not a
# single thing he said is accurate,” Biden said": alone.points_outside).
# 48: the summary leaves out another article's lede naming a person its opening names, without
# replacing it (summary.another_lede: the opening's event told again in another outlet's words).
# 49: claims version 14 (compare/counts.py): no count from an age or an hour, conjoined counts counted
# as their total too, a running tally's counts apart from one happening's, a number counting what its
# own clause names, counts naming only different places never weighed; two denials the parse split;
# a signpost ("Here are ...") no statement.
# 50: a fact's importance in the summary weighs how central it is to the story too (its cosine to the
# story's mean claim: summary.CENTRALITY_WEIGHT); "his comments", "the president's comments" point
# back at words said before (alone.BACK_REFERENCE), as "the remarks" did.
# 51: a given name one letter off the story's spelling of the person is respelled in the summary
# ("Vincente Fox" -> "Vicente Fox": introduce.respelled).
# 52: the summary opens on a central candidate naming who acts before one holding them back ("One of
# the highest-profile Republicans in the House said ...": summary.unnamed_opening).
# 53: a disagreement shows beside its pair the other articles' claims that disagree with one of them
# as the other does (disagreements._alike: "also", with the side each takes).
# 54: each wording of a disagreement marks where it differs from the other (disagreements.marks: the
# figures or counts at issue, times, negations and modals, or names).
# 55: one sentence told twice (one article quoting another's words in full) is no disagreement; a
# disagreement's counts marked are those of the thing both count (counts.counts_at_odds); hedges marked.
# 56: no `outlet_only` item for a fact the summary cites another outlet's restatement of
# (carried.without_facts): the lists and the summary no longer tell a reader two things.
# 57: the story's first report alone on its day is its first day (summary.first_reports): its lede
# is looked at first for the central event, before the next day's follow-ups and portraits.
# 58: no summary sentence that calls for tips ("Anyone with information is asked to call …":
# alone.APPEAL) or points readers to the outlet for updates (alone.NO_COMMENT).
# 59: no `outlet_only` or `outlet_omits` item that only introduces what its article says next
# ("… released the following statement:", "Sgt. Ruiz reported:": carried.introduces).
# 60: no disagreement of polarity or modality where neither wording has a denying or allowing word
# the other lacks (one "didn't" the parse hung on different verbs: polarity.polarity_words).
# 61: no summary sentence written as a headline or in capitals (alone.headline), nor a photo's caption
# pointing at the picture ("… at this home on Lewis Street": alone.PICTURED).
# 62: the lists show a piece of someone's quotation with who it is by, where the analysis knows
# ('"He was a good kid.' -> 'Dana Ruiz said: "He was a good kid."': Claim.told, voice.quoter).
# 63: no disagreement of polarity or modality that is only seeming (polarity.opposed_verbs): a denial
# saying when it did happen ("not ... until later"), a verb of failing ("failing to appear" / "didn't
# appear"), a belief reported beside a possibility.
# 64: the disagreements list what later reports say changed (compare/since.py): an arrest after an
# article said none was made, a death after an article told of none, only the hurt; claims version
# 15 reads what a count is a part of (compare/counts.py); one street given another house number in
# one block by another article (compare/addresses.py); the happening told at two times of day twenty
# minutes or more apart (compare/clock.py); one person given two ages (compare/ages.py).
# 65: the month May allows nothing (polarity.MONTH_MAY: "arrested May 3" tells an arrest); no arrest
# since answered by one in another case, by nothing ("nothing that has led to an arrest"), by the
# charged still at large (they answer only "no charges"); a named "has not been charged" only by a
# charge; no suspect sought who is a witness or sought by someone else than the police; no time of
# day told of a happening the article is unsure is the story's; a death since answers only one told
# gravely hurt ("critical condition"), not one out of danger ("stable", "non-life-threatening"); no
# call for tips is an outlet's own fact or one another leaves out (alone.calls_for_tips);
# `outlet_only`'s rare-word shares summed exactly (the hash seed no longer decides an item); no
# summary sentence opening on a clause whose subject is a pronoun ("As they ran, …": alone.OPENING_CLAUSE).
# 66: a summary's "here" that the sentence names already ("a problem here in Mobile") is not named again;
# a word that nothing more is known (alone.tells_nothing) and a photo's caption in the agencies' form
# (alone.captioned: "Officers investigate the scene …, Friday, April 7, 2017") are no outlet's own fact,
# no omission and no summary sentence, nor is a newsroom's unanswered call or a sentence cut off; the
# summary tells what happened next (an arrest or a death a later report tells: disagreements.developments),
# opens on whom a happening harmed before "Police are investigating a shooting …" (summary.police_at_work),
# takes no sentence opening on "Twenty minutes earlier, …" and reads a quotation opened with a straight mark
# and closed with a curly one as closed (summary.in_quotation).
# 67: the summary opens on a lead another article says something near before one none does (OPENING_SUPPORT).
# 68: a person the summary names first with no description is introduced by the age an article gives them
# ("Jo Burks, 16,": introduce.py) when no article describes them otherwise.
# 69: a photo's caption whose date closes it after a comma, no weekday (alone.CAPTION_DATE). 70: no summary
# sentence is a post the page embeds from Twitter (its link or its signature: alone.EMBEDDED_POST).
# 71: an `outlet_only` item is never a clause that goes on from one before it: its whole sentence is
# shown ("… -- and it could lead to years behind bars."), one opening after a conjunction the claims
# leave out starts from a capital (carried.whole_sentences), and a whole sentence's line breaks are spaces.
# 72: no outlet omits a fact first told after its every article came out (carried.outlet_omits). 73: nor
# one none of whose articles came out within two days after one telling it (carried.SAME_CYCLE).
# 74: an `outlet_only` item that is a quotation's last sentence, closed before who said it, is shown with
# the opening mark its article put sentences before (carried.CLOSED_BEFORE_SPEAKER).
# 75: crime and court reporting's plain words ("fatally", "life-threatening", "criminal") are no outlet's
# loaded wording (framing.valences, data/reporting_valence.txt); the summary weighs them as before.
# 76: a dated outlet omits no fact that only undated articles tell (carried._could_tell).
# 77: no summary citation of an article for restating a sentence it tells otherwise
# (disagreements.told_otherwise) or by a claim telling another time of day (clock.other_moments).
# 78: where no arrest or death told since is found, the summary tells the latest report's lede when it
# came out a day or more after the first (since.follow_up_lede).
# 79: an arrest or a death told since is cited to no report of a day before it was first told
# (citations.cite_restatements, `news`); the citations' code moves to compare/citations.py.
# 80: facts that tell nothing of the story (a call for tips, a caption, a fragment) rank last.
# 81: a reprint (link.reuse.reprints_among) is no second outlet behind the majority an omission needs.
# 82: the lists name who a pronoun opening a claim stands for (referents). 83: each `outlet_only` item's
# evidence names the articles telling it.
# 84: a summary sentence's weekday is named its day in brackets ("Saturday [Dec. 31]": compare/dated.py).
# 85, 86: no restatement citation by a claim giving another figure of the thing, nor ages none of which the
# sentence's claim gives (citations). 87: the articles the summary cites for a fact (restating it) carry it
# for the omissions. 88: a sentence two of an outlet's reports give is listed once among its own. 89, 90: a
# note of an update, the outlet's own question and a weather alert are no fact (alone). 91: a fact also
# holding an earlier day's claim telling no change is no development. 92: a date looks ahead after "should",
# a present "is scheduled", or an infinitive a present verb governs; a weekday looked ahead to on the
# article's own weekday is that day (dates.looks_ahead; claims 16). 93: a possessive weekday keeps its
# ending before the day. 94: a fact's articles that only reprint another of them (`reprints`). 95: no
# sentence end after an initial or a title's abbreviation for a pronoun's referent (referents). 96: a list
# item opening a quotation that goes on past it is closed where it ends. 97: a summary sentence whose
# other outlets only reprint one outlet's article rests on one outlet (citations, `single_source`). 98: no
# day named six days or more before the article's stored day (dated.FARTHEST).
VERSION = "98"


def comparison_key(row: dict) -> tuple[str, str]:
    """(a hash of the story's members, the versions) a kept comparison must match to be reused:
    the same articles, compared by these rules over analyses of this version."""
    members = hashlib.sha1("\n".join(sorted(row["article_ids"])).encode()).hexdigest()
    return members, f"{VERSION}/{ANALYSIS_VERSION}"


def to_json(comparison: Comparison) -> str:
    """The comparison as JSON, to keep in the store (plain data only: never pickled)."""

    def claim(c: Claim) -> dict:
        return {
            "article_id": c.article_id, "outlet": c.outlet, "published": c.published, "position": c.position,
            "text": c.text, "entities": sorted(c.entities), "numbers": sorted(c.numbers), "tokens": c.tokens,
            "labels": c.labels, "measures": {k: sorted(v) for k, v in c.measures.items()},
            "dates": sorted(c.dates), "actors": sorted(c.actors), "quoted": list(c.quoted),
            "predicates": sorted(c.predicates), "negated": sorted(c.negated), "hedged": sorted(c.hedged),
            "complete": c.complete, "modifiers": sorted(c.modifiers), "described": c.described,
            "loaded": sorted(c.loaded), "phrases": list(c.phrases), "periods": sorted(c.periods),
            "quoting": c.quoting, "dangling": c.dangling, "statements": sorted(c.statements),
            "speaker": list(c.speaker) if c.speaker else None, "quoted_by": c.quoted_by,
            "referent": list(c.referent) if c.referent else None,
        }  # fmt: skip

    return json.dumps(
        {
            "facts": [
                {
                    "id": f.id,
                    "text": f.text,
                    "disagrees_with": f.disagrees_with,
                    "links": f.links,
                    "claims": [claim(c) for c in f.claims],
                }
                for f in comparison.facts
            ],
            "outlet_only": comparison.outlet_only,
            "outlet_omits": comparison.outlet_omits,
            "framing": comparison.framing,
            "summary": [vars(s) for s in comparison.summary],
            "timeline": comparison.timeline,
            "term_counts": comparison.term_counts,
            "labels": comparison.labels,
            "omission_evidence": comparison.omission_evidence,
            "only_evidence": comparison.only_evidence,
            "disagreements": comparison.disagreements,
            "reprints": comparison.reprints,
        },
        ensure_ascii=False,
    )


def counts_from_json(text: str) -> Comparison:
    """Of a kept comparison, only what the store-wide outlet figures add up (its term counts and
    omissions): reading no claim, it costs a fifth of from_json."""
    data = json.loads(text)
    return Comparison(
        outlet_omits=data["outlet_omits"], term_counts={k: Counter(v) for k, v in data["term_counts"].items()}
    )


def from_json(text: str) -> Comparison:
    data = json.loads(text)

    def claim(d: dict) -> Claim:
        return Claim(
            d["article_id"], d["outlet"], d["published"], d["position"], d["text"], frozenset(d["entities"]),
            frozenset(d["numbers"]), [tuple(t) for t in d["tokens"]], [tuple(x) for x in d["labels"]],
            {k: frozenset(v) for k, v in d["measures"].items()}, frozenset(d.get("dates", ())),
            frozenset(d.get("actors", ())), tuple(d.get("quoted", ())), frozenset(d.get("predicates", ())),
            frozenset(d.get("negated", ())), frozenset(d.get("hedged", ())), d.get("complete", True),
            frozenset(d.get("modifiers", ())), [tuple(x) for x in d.get("described", ())],
            frozenset(d.get("loaded", ())), tuple(d.get("phrases", ())), frozenset(d.get("periods", ())),
            d.get("quoting", False), d.get("dangling", False), frozenset(d.get("statements", ())),
            speaker=tuple(d["speaker"]) if d.get("speaker") else None, quoted_by=d.get("quoted_by"),
            referent=tuple(d["referent"]) if d.get("referent") else None,
        )  # fmt: skip

    return Comparison(
        facts=[
            Fact(f["id"], [claim(c) for c in f["claims"]], f["text"], f["disagrees_with"], f.get("links", []))
            for f in data["facts"]
        ],
        outlet_only=data["outlet_only"],
        outlet_omits=data["outlet_omits"],
        framing={k: [tuple(t) for t in v] for k, v in data["framing"].items()},
        summary=[SummarySentence(**s) for s in data["summary"]],
        timeline=data["timeline"],
        term_counts={k: Counter(v) for k, v in data["term_counts"].items()},
        labels=data["labels"],
        omission_evidence=data.get("omission_evidence", {}),
        only_evidence=data.get("only_evidence", {}),
        disagreements=data.get("disagreements", []),
        reprints=data.get("reprints", {}),
    )
