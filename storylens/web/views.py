"""One function per page: the store (and the query) in, a dict out. The HTML page renders the
dict with its template; its /api/v1 twin returns the same dict as JSON (datasette's shape).

Lists are read a page at a time in SQL (store/lists.py). Nothing is memoised across requests:
what a page shows about the whole store is read with SQL (the names to filter by, the coverage
bars of the listed stories) or from the views the store keeps (storylens.outlets: the outlets of
stories, the articles in no story, the blindspots).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import HTTPException, Query

from storylens.compare import Comparison
from storylens.compare.disagreements import changed_note
from storylens.compare.since import ARREST_SINCE
from storylens.export import article_record, by_statement, quote_record, statement_records, story_record
from storylens.outlets import story_filters, words_used_here
from storylens.pipeline import compare
from storylens.store.lists import Page, StoryFilter
from storylens.understand.versions import quoted_otherwise, quoted_otherwise_in
from storylens.web.drawing import copy_graph, highlight
from storylens.web.outlets import blindspot_ids, coverage_bars

PAGE = 50


@dataclass
class StoriesQuery:
    """The filters of the stories list, its page and /api/v1/stories alike."""

    q: str = Query("", max_length=200)
    outlet: str = Query("", max_length=200)
    since: str = Query("", max_length=10)
    until: str = Query("", max_length=10)
    entity: str = Query("", max_length=100)
    blindspot: str = Query("", max_length=100)

    def asked(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v}


def a_page(page: Page, offset: int, items: list) -> dict[str, Any]:
    """One page of a list, as every list endpoint returns it: `next_cursor` asks for the next
    page (None after the last)."""
    return {"total": page.total, "offset": offset, "items": items, "next_cursor": page.next}


def read_page(read, *args, cursor: str = "") -> Page:
    """A page read with a cursor from the asker: one this code did not make names no page (404)."""
    try:
        return read(*args, cursor=cursor)
    except ValueError as exc:
        raise HTTPException(404, str(exc)) from exc


# -- the stories ------------------------------------------------------------------------------


def stories_view(s, asked: StoriesQuery, offset: int = 0, limit: int | None = PAGE, cursor: str = "") -> dict:
    """The stories list, newest first, narrowed by the filters; with what the page offers to
    filter by, the coverage bars of the listed stories and the articles in no story yet.
    `limit` None lists them all (the static report). With a `cursor` the page is the one after
    it, and `offset` only numbers it."""
    found = s.search(asked.q) if asked.q.strip() else None
    blind = blindspot_ids(s, asked.blindspot) if asked.blindspot else None
    only = StoryFilter(found, asked.outlet, asked.entity, asked.since, asked.until, blind)
    page = read_page(s.story_page, only, offset, limit if limit is not None else 1 << 62, cursor=cursor)
    items = page.rows
    following = {"offset": offset + len(items), "cursor": page.next}
    filters = story_filters(s)
    return {
        **a_page(page, offset, items),
        **asdict(asked),
        "next": f"/?{urlencode(asked.asked() | following)}" if page.next else None,
        "outlets": filters["outlets"],
        "most": filters["most"],
        "entities": filters["entities"],
        "loose": filters["loose"],
        "coverage": coverage_bars(s, [r["id"] for r in items], by=asked.blindspot),
    }


def story_or_404(s, story_id: str) -> dict:
    row = s.story_row(story_id)
    if row is None:
        raise HTTPException(404, f"no story {story_id}")
    return row


def story_view(s, story_id: str) -> dict:
    """A story as the export has it (with its comparison), and what its page shows beside: its
    articles numbered in time order, the reuse among them and its drawing, the statements two
    or more of them quote, each summary sentence's citations, the coverage by collection."""
    row = story_or_404(s, story_id)
    comparison = compare(s, story_id) if len(row["article_ids"]) >= 2 else Comparison()
    record = story_record(row, comparison)
    members = [s.article(a) for a in row["article_ids"]]
    number = {a.id: i for i, a in enumerate(members, start=1)}
    outlet_of = {a.id: a.outlet or a.id for a in members}
    reuse = s.reuse_among(row["article_ids"])
    quotes = [quote_record(q) for q in s.quotes_where("article_id", row["article_ids"])]
    speakers = s.entity_names(q["speaker_id"] for q in quotes if q["speaker_id"])
    paragraphs = {a.id: a.paragraphs for a in members}
    claims = {f["id"]: {c["article_id"]: c["text"] for c in f.get("claims", [])} for f in record["facts"]}

    def cites(ids, fact_id=None, restated=None) -> list[dict]:
        """Each cited article's number and a link landing on the paragraph carrying the fact (or,
        for an article cited for restating it, on the paragraph of its restating claim)."""
        found = []
        for aid in ids:
            if aid not in number:
                continue
            text = claims.get(fact_id, {}).get(aid, "") or (restated or {}).get(aid, "")
            where = next((i for i, p in enumerate(paragraphs[aid]) if text and text[:60] in p), None)
            link = f"/articles/{aid}" + (f"#p{where}" if where is not None else "")
            found.append({"n": number[aid], "article_id": aid, "link": link})
        return sorted(found, key=lambda c: (c["n"], c["article_id"]))

    return record | {
        "articles": [
            {"id": a.id, "title": a.title, "outlet": a.outlet, "published": a.published} for a in members
        ],
        "number": number,
        "sources": sorted({a.outlet or a.id for a in members}),
        # the outlets the summary cites for telling a fact in other words, beside the fact's own
        "restating": {
            f["id"]: sorted({outlet_of[a] for a in f["restated_by"] if a in outlet_of} - set(f["outlets"]))
            for f in record["facts"]
        },
        # the outlets carrying a fact only by reprinting another outlet's article of it
        "reprinting": {
            f["id"]: sorted(
                {outlet_of[a] for a in f["reprinted_by"] if a in outlet_of}
                - {outlet_of[a] for a in f["article_ids"] if a in outlet_of and a not in f["reprinted_by"]}
            )
            for f in record["facts"]
        },
        "reuse": reuse,
        "statements": (statements := statements_of(quotes, speakers)),
        "quoted_otherwise": [
            quoted_otherwise_in(line["text"], [st["quotes"] for st in statements])
            for line in record["summary"]
        ],
        "graph": copy_graph(reuse, number, {a.id: a.outlet or "" for a in members}),
        "citations": [
            cites(line["article_ids"], line["fact_id"], line.get("restated")) for line in record["summary"]
        ],
        "coverage": coverage_bars(s, [story_id]),
        "disputed": sorted({f for d in record["disagreements"] for f in d["fact_ids"]}),  # facts flagged
        "changed_notes": [changed_note(d["why"]) for d in record["disagreements"]],
        "overtaken_note": changed_note(ARREST_SINCE),  # an own item a later arrest overtook
        "words_used_here": words_used_here(s, comparison.term_counts),
    }


def statements_of(quotes: list[dict], speakers: dict[str, str]) -> list[dict]:
    """Statements quoted in two or more articles, each with its quotes side by side."""
    found = []
    for statement_id, members in sorted(by_statement(quotes).items()):
        if len({q["article_id"] for q in members}) < 2:
            continue
        speaker = next((q["speaker_id"] for q in members if q["speaker_id"]), None)
        name = speakers.get(speaker or "") or next(
            (q["speaker_text"] for q in members if q["speaker_text"]), "unknown"
        )
        marks = quoted_otherwise(members)  # where a quotation's words differ from another version's
        quotes = [q | {"marks": marks.get(q["id"], [])} for q in members]
        found.append({"id": statement_id, "speaker_id": speaker, "speaker": name, "quotes": quotes})
    return found


# -- articles, entities, quotes, statements, reuse -------------------------------------------


def article_view(s, article_id: str) -> dict:
    """An article as the export has it, with its reuse pairs, its story, the titles of the
    articles it shares text with, and its paragraphs cut into highlighted pieces."""
    article = s.article(article_id)
    if article is None or article.id != article_id:
        raise HTTPException(404, f"no article {article_id}")
    reuse = s.reuse_touching(article.id)
    quotes = [(a, b, speaker_text or "") for a, b, _, speaker_text in s.quote_spans(article.id)]
    mentions = [
        (a, b, entity) for a, b, entity, _, _ in s.resolved_mentions([article.id]).get(article.id, [])
    ]
    passages = []
    for r in reuse:
        side = "a" if r["a"] == article.id else "b"
        other = r["b"] if side == "a" else r["a"]
        passages += [(p[f"{side}_text"], other) for p in r["passages"] if not p["quotation"]]
    pieces = highlight(article.paragraphs, passages, quotes, mentions)
    return article_record(article, s.sources(article.id)) | {
        "reuse": reuse,
        "story_id": s.story_of(article.id),
        "titles": s.article_titles(a for r in reuse for a in (r["a"], r["b"])),
        "highlighted": [[asdict(p) for p in paragraph] for paragraph in pieces],
    }


def articles_view(s, offset: int, limit: int, cursor: str = "") -> dict:
    page = read_page(s.article_page, offset, limit, cursor=cursor)
    return a_page(page, offset, [article_record(s.article(r.id), s.sources(r.id)) for r in page.rows])


def entities_view(s, offset: int, limit: int, kind: str = "", cursor: str = "") -> dict:
    page = read_page(s.entity_page, offset, limit, kind, cursor=cursor)
    return a_page(page, offset, page.rows)


def entity_view(s, entity_id: str) -> dict:
    """An entity with its aliases and roles, its stories (oldest first) and its quotes."""
    entity = s.entity_row(entity_id)
    if entity is None:
        raise HTTPException(404, f"no entity {entity_id}")
    quotes = [quote_record(q) for q in s.quotes_where("speaker_id", [entity_id])]
    return {"entity": entity, "stories": s.stories_naming(entity_id), "quotes": quotes}


def quotes_view(s, offset: int, limit: int, speaker: str = "", article: str = "", cursor: str = "") -> dict:
    page = read_page(s.quote_page, offset, limit, speaker, article, cursor=cursor)
    return a_page(page, offset, [quote_record(q) for q in page.rows])


def statements_view(s, offset: int, limit: int, cursor: str = "") -> dict:
    page = read_page(s.statement_page, offset, limit, cursor=cursor)
    return a_page(page, offset, statement_records([quote_record(q) for q in page.rows]))


def reuse_view(s, offset: int, limit: int, cursor: str = "") -> dict:
    page = read_page(s.reuse_page, offset, limit, cursor=cursor)
    return a_page(page, offset, page.rows)


def search_view(s, q: str, limit: int) -> dict:
    """Articles whose title or body hold every word of `q`, best first, with their story."""
    found = [a for a in (s.article(i) for i in s.search(q, limit)) if a]
    items = [
        {
            "id": a.id,
            "title": a.title,
            "outlet": a.outlet,
            "published": a.published,
            "story_id": s.story_of(a.id),
        }
        for a in found
    ]
    return {"total": len(items), "items": items}
