"""The export contract (../shared/EXPORT.md): one JSON document, or JSONL records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from storylens.compare import Comparison, corpus_framing
from storylens.model import Article
from storylens.outlets import export_section
from storylens.pipeline import compare
from storylens.store import Store
from storylens.understand.versions import quoted_otherwise

FORMAT = "storylens-export/1"


def article_record(article: Article, sources: list[str]) -> dict[str, Any]:
    return {
        "id": article.id,
        "source": article.source,
        "outlet": article.outlet,
        "title": article.title,
        "published": article.published,
        "published_evidence": article.published_evidence,
        "language": article.language,
        "dateline": article.dateline,
        "paragraphs": article.paragraphs,
        "boilerplate": [r.line for r in article.boilerplate],
        # Additions to the contract (allowed: fields are added, never renamed).
        "boilerplate_reasons": [r.reason for r in article.boilerplate],
        "sources": sources,
        "url": article.url,
    }


def article_records(store: Store) -> Iterator[dict[str, Any]]:
    for article in store.articles():
        yield article_record(article, store.sources(article.id))


def entity_records(store: Store) -> list[dict[str, Any]]:
    return sorted(store.entity_rows(), key=lambda e: e["id"])


def quote_record(q: dict[str, Any]) -> dict[str, Any]:
    """A quote as in the contract, from a row as Store.quote_rows gives it."""
    return {
        "id": q["id"],
        "article_id": q["article_id"],
        "text": q["text"],
        "direct": q["direct"],
        "speaker_id": q["speaker_id"],
        "speaker_text": q["speaker_text"],
        "statement_id": q["statement_id"],
        "speaker_kind": q["speaker_kind"],  # addition: person | organisation | document | group | unknown
        "form": q["form"],  # addition: direct | mixed | reported | transcript
        "cue": q["cue"],  # addition: the reporting word ("said", "according to", ":")
        "speaker_evidence": q["evidence"],  # addition: how the speaker was found
    }


def quote_records(store: Store, **only) -> list[dict[str, Any]]:
    """Quotes as in the contract; `only` narrows them as Store.quote_rows does."""
    return [quote_record(q) for q in store.quote_rows(**only)]


def by_statement(quotes: list[dict[str, Any]], alone: bool = False) -> dict[str, list[dict[str, Any]]]:
    """statement id -> its quotes, in the order given; with `alone`, a quote of no statement
    stands by itself under its own id (the one grouping the export, the web and the CLI use)."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for quote in quotes:
        if quote["statement_id"] or alone:
            grouped.setdefault(quote["statement_id"] or quote["id"], []).append(quote)
    return grouped


def statement_records(quotes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Addition to the contract: each statement with its quotes, speaker and articles, and where
    one article's direct quotation words it otherwise than another's (versions.quoted_otherwise)."""
    records = []
    for statement_id, members in sorted(by_statement(quotes).items()):
        speakers = sorted({q["speaker_id"] for q in members if q["speaker_id"]})
        direct = [q for q in members if q["direct"]] or members
        records.append(
            {
                "id": statement_id,
                "speaker_id": speakers[0] if len(speakers) == 1 else None,
                "text": max(direct, key=lambda q: len(q["text"]))["text"],
                "quote_ids": sorted(q["id"] for q in members),
                "article_ids": sorted({q["article_id"] for q in members}),
                # quote id -> [start, end] runs of its words another article's version words otherwise
                "worded_otherwise": quoted_otherwise(members),
            }
        )
    return records


def story_records(store: Store, comparisons: dict[str, Comparison] | None = None) -> list[dict[str, Any]]:
    """Stories as in the contract, each with its comparison (stories of one article have none)."""
    comparisons = comparisons if comparisons is not None else compare_all(store)
    return [
        story_record(row, comparisons.get(row["id"], Comparison()))
        for row in sorted(store.story_rows(), key=lambda r: r["id"])
    ]


def compare_all(store: Store) -> dict[str, Comparison]:
    return {
        row["id"]: compare(store, row["id"]) for row in store.story_rows() if len(row["article_ids"]) >= 2
    }


def story_record(row: dict[str, Any], comparison: Comparison) -> dict[str, Any]:
    restated = comparison.restated_by()
    return {
        "id": row["id"],
        "title": row["title"],
        "article_ids": row["article_ids"],  # in time order
        "first_published": row["first_published"],
        "last_published": row["last_published"],
        # Each fact also carries its id, its outlets and the facts it contradicts (additions).
        "facts": [
            {
                "text": f.text,
                "article_ids": f.article_ids,
                "id": f.id,
                "outlets": f.sources,
                "disagrees_with": f.disagrees_with,
                "claims": [{"article_id": c.article_id, "text": c.text} for c in f.claims],
                "links": f.links,  # why two of its claims were grouped
                "restated_by": restated.get(f.id, []),  # cited by the summary for telling it in other words
                "reprinted_by": comparison.reprinted(f),  # carrying it by reprinting another of its articles
            }
            for f in comparison.facts
        ],
        "outlet_only": comparison.outlet_only,
        "outlet_omits": comparison.outlet_omits,
        "omission_evidence": comparison.omission_evidence,  # addition: each omission's nearest claim
        "only_evidence": comparison.only_evidence,  # addition: what another outlet says nearest
        "framing": {source: [t for t, _ in terms] for source, terms in comparison.framing.items() if terms},
        # Each sentence also says which fact it states, whether it rests on one outlet, for an
        # article cited for restating the fact its restating claim, and which articles tell the
        # fact otherwise (additions).
        "summary": [
            {
                "text": s.text,
                "article_ids": s.article_ids,
                "outlets": s.sources,
                "single_source": s.single_source,
                "fact_id": s.fact_id,
                "restated": s.restated,
                "differs": s.differs,
            }
            for s in comparison.summary
        ],
        "outlets": row["outlets"],  # addition
        "timeline": comparison.timeline,  # addition: each shared fact's first report and who followed
        "labels": comparison.labels,  # addition: one referent, different words by outlet
        # addition: two claims telling one happening differently, side by side, and how they differ
        "disagreements": comparison.disagreements,
    }


def export(store: Store, *, compare_stories: bool = True) -> dict[str, Any]:
    """The whole store as the contract's JSON document; every list sorted by id. Without
    `compare_stories`, stories come without their comparison (much faster on a large store)."""
    quotes = quote_records(store)
    document: dict[str, Any] = {
        "format": FORMAT,
        "articles": list(article_records(store)),
        "entities": entity_records(store),
        "quotes": quotes,
        "statements": statement_records(quotes),
        # Each passage also says whether it is only a shared quotation; each pair its METER-style
        # derivation and the evidence for its direction (additions to the contract).
        "reuse": store.reuse_rows(),
    }
    comparisons = compare_all(store) if compare_stories else {}
    document["stories"] = story_records(store, comparisons)
    # Addition: each outlet's distinctive terms across every compared story.
    document["outlet_framing"] = {
        source: [t for t, _ in terms]
        for source, terms in corpus_framing(list(comparisons.values())).items()
        if terms
    }
    # Additions: outlets across the store, their collections, and each grouping's blindspots.
    section, collections = export_section(store)
    document["outlets"] = section["outlets"]
    document["collections"] = collections
    document["blindspots"] = section["blindspots"]
    document["collection_coverage"] = section["story_coverage"]
    return document


def write_json(store: Store, out: TextIO, compare_stories: bool = True) -> None:
    json.dump(export(store, compare_stories=compare_stories), out, ensure_ascii=False, indent=1)
    out.write("\n")


def write_jsonl(store: Store, out: TextIO, compare_stories: bool = True) -> None:
    """A header line {"format": …}, then one {"kind": "article" | "entity" | "quote" |
    "statement" | "reuse" | "story" | "outlet" | "collection", …} record per line."""
    out.write(json.dumps({"format": FORMAT}) + "\n")
    for record in article_records(store):
        out.write(json.dumps({"kind": "article", **record}, ensure_ascii=False) + "\n")
    quotes = quote_records(store)
    stories = story_records(store, None if compare_stories else {})
    section, collections = export_section(store)
    for kind, records in (
        ("entity", entity_records(store)),
        ("quote", quotes),
        ("statement", statement_records(quotes)),
        ("reuse", store.reuse_rows()),
        ("story", stories),
        ("outlet", section["outlets"]),
        ("collection", collections),
    ):
        for record in records:
            out.write(json.dumps({"kind": kind, **record}, ensure_ascii=False) + "\n")
