"""The export contract (../shared/EXPORT.md): one JSON document, or JSONL records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from storylens.model import Article
from storylens.store import Store

FORMAT = "storylens-export/1"
LATER_SECTIONS = ("entities", "quotes", "reuse", "stories")


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


def export(store: Store) -> dict[str, Any]:
    """The whole store as the contract's JSON document; every list sorted by id."""
    document: dict[str, Any] = {"format": FORMAT, "articles": list(article_records(store))}
    for section in LATER_SECTIONS:
        document[section] = []
    return document


def write_json(store: Store, out: TextIO) -> None:
    json.dump(export(store), out, ensure_ascii=False, indent=1)
    out.write("\n")


def write_jsonl(store: Store, out: TextIO) -> None:
    """A header line {"format": …}, then one {"kind": "article", …} record per line."""
    out.write(json.dumps({"format": FORMAT}) + "\n")
    for record in article_records(store):
        out.write(json.dumps({"kind": "article", **record}, ensure_ascii=False) + "\n")
