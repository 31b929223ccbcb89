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
from storylens.compare.dated import dated_item, dated_items, name_days
from storylens.compare.disagreements import developments, differing, disagreements, superseded
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
    wider = with_loaded_verbs(
        loaded_terms(counts, modifiers=modifiers, reporting=False), verbs, counts, shown=False
    )
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
    overtaken = superseded(facts, claims, pairs)  # "No arrests have been made", an arrest told since
    summary = summarize(
        facts, fact_vectors, charged, lead, central, by_claim, frozenset(people), later, set(overtaken)
    )
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
    for entry in (e for entries in only_evidence.values() for e in entries if e["fact_id"] in overtaken):
        entry["overtaken_by"] = overtaken[entry["fact_id"]]  # the later reports telling an arrest
    for sentence in summary:  # a summary sentence that an article tells otherwise says so
        sentence.differs = differing(claim_told(sentence, facts), claims, pairs)
    # the lists are read apart from their articles' days: "shot Saturday [Dec. 31]", as the summary
    only, only_evidence = dated_items(only, only_evidence, facts)
    omits, evidence = dated_items(omits, evidence, facts)
    for fact in facts:
        fact.text = dated_item(fact.text, fact)
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
# What each version changed: docs/comparison_versions.md (113: the summary tells how the hurt are where
# none of its sentences does).
VERSION = "113"


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
