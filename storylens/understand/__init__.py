"""Understanding: entities, quotes and embeddings for each article, then across articles.

analyze() works per article (pure, batchable); resolve.resolve() and
statements.group_statements() work across all articles in the store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from storylens.model import Article
from storylens.understand.entities import LocalEntity, Mention, acronym_pairs, cluster, find_mentions
from storylens.understand.nlp import article_text, paragraph_starts, parse, text_of
from storylens.understand.quotes import Quote, find_quotes

# Bump when the stage's output changes; `storylens analyze` re-runs older analyses.
VERSION = "12"  # 6: abbreviated ranks, inverted cues, pull and signed quotes, runs past asides.
# 7: a title an organisation's or place's name begins with stays in it ("Justice Department").
# 8: a span the model tags as an organisation under an honorific ("Mr. Trump") is a person.
# 9: a generational suffix is no surname ("Jr."); a nickname after the full name is that person.
# 10: a title of the other sex is not the person sharing the surname ("Mrs. Clinton" beside "Bill
# Clinton"); a first name's sex (census lists) tells "she said" whose it is.
# 11: a bare surname two persons share is whichever of them was named by it last, a given name
# alone naming neither ("Andrew Holmes, a cousin of Takiya ... said Holmes": Andrew).
# 12: police and city abbreviations are titles too ("Det.", "Supt.", "Ald."): no sentence ends on one.


@dataclass
class Analysis:
    article_id: str
    mentions: list[Mention]
    entities: list[LocalEntity]
    quotes: list[Quote]
    acronyms: list[tuple[str, str]]


def analyze(articles: list[Article]) -> list[Analysis]:
    """Mentions, local entities, quotes and acronym pairs of each article, in order."""
    return [analysis for analysis, _ in analyze_parsed(articles)]


def analyze_parsed(articles: list[Article]) -> Iterator[tuple[Analysis, object]]:
    """(analysis, spaCy Doc) of each article, in order: the parse, for a later stage that reads
    it too (the comparison's claims), so that an article is parsed once."""
    texts = [article_text(a.paragraphs) for a in articles]
    for article, doc in zip(articles, parse(texts), strict=True):
        starts = paragraph_starts(article.paragraphs)
        mentions = find_mentions(doc, starts)
        entities = cluster(mentions)
        quotes = find_quotes(doc, mentions, entities, starts)
        yield Analysis(article.id, mentions, entities, quotes, acronym_pairs(text_of(doc))), doc


def quote_id(article_id: str, quote: Quote) -> str:
    return "q_" + hashlib.sha1(f"{article_id}:{quote.start}:{quote.text}".encode()).hexdigest()[:16]
