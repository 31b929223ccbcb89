"""The web app and the JSON API: thin over the library, one store per request.

Pages are rendered on the server with Jinja2 (autoescape on; scraped text is never marked safe);
every response carries a Content-Security-Policy that allows no inline script. Read endpoints are
open; writing (POST /api/v1/articles) needs the bearer token given at start, checked before the
body is read (security.py), as are the Host header and the body's size. Ids are checked for
their form (422) before any lookup (404).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from storylens.compare import Comparison
from storylens.export import article_record, entity_records, quote_records, statement_records, story_record
from storylens.pipeline import compare, ingest
from storylens.store import open_store
from storylens.web.contract import FILES, FILES_FORM, WRITER, an_id, answers
from storylens.web.drawing import copy_graph
from storylens.web.outlets import register
from storylens.web.security import BodyLimit, HostCheck, WriteAuth

HERE = Path(__file__).parent
PAGE = 50
MAX_UPLOAD_ARTICLES = 100
MAX_UPLOAD_CHARS = 2_000_000
MAX_BODY_BYTES = 50_000_000  # a request body larger than this is refused with 413
OFFSET = Query(0, ge=0)
LIMIT = Query(PAGE, ge=1, le=500)


def page_of(rows: list, offset: int, limit: int) -> dict[str, Any]:
    """One page of a list, as every list endpoint returns it."""
    return {"total": len(rows), "offset": offset, "items": rows[offset : offset + limit]}


CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class NewArticle(BaseModel):
    title: str = Field(default="", max_length=2_000)
    text: str = Field(max_length=MAX_UPLOAD_CHARS)
    url: str | None = Field(default=None, max_length=4_000)
    outlet: str | None = Field(default=None, max_length=500)
    published: str | None = Field(default=None, max_length=100)


class NewArticles(BaseModel):
    articles: list[NewArticle] = Field(max_length=MAX_UPLOAD_ARTICLES)


def create_app(db: str | Path, token: str | None = None, hosts: tuple[str, ...] = ()) -> FastAPI:
    """The app over the store at `db`; writes need `token`; it answers requests for loopback
    names, IP addresses and `hosts`."""
    app = FastAPI(
        title="storylens",
        version="1",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    app.add_middleware(WriteAuth, token=token)
    app.add_middleware(HostCheck, names=hosts)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def store():
        return open_store(db)

    def comparison_of(story_id: str):
        """The story's comparison: the store keeps it, and redoes it when its members change."""
        with store() as s:
            return story_record(s.story_rows(story_id)[0], compare(s, story_id))

    outlet_pages = register(app, store, templates)  # /outlets, /blindspots, ...: web/outlets.py

    def story_or_404(s, story_id: str) -> dict:
        rows = s.story_rows(story_id)
        if len(rows) != 1 or rows[0]["id"] != story_id:
            raise HTTPException(404, f"no story {story_id}")
        return rows[0]

    # -- the JSON API ------------------------------------------------------------------------

    @app.get("/api/v1/stories", responses=answers())
    def api_stories(offset: int = OFFSET, limit: int = LIMIT) -> dict[str, Any]:
        with store() as s:
            rows = s.story_rows()
        return page_of(rows, offset, limit)

    @app.get("/api/v1/stories/{story_id}", responses=answers(404))
    def api_story(story_id: str = an_id()) -> dict[str, Any]:
        with store() as s:
            row = story_or_404(s, story_id)
        if len(row["article_ids"]) < 2:
            return story_record(row, _empty())
        return comparison_of(story_id)

    @app.get("/api/v1/articles", responses=answers())
    def api_articles(offset: int = OFFSET, limit: int = LIMIT) -> dict[str, Any]:
        with store() as s:
            rows = s.article_rows()
            page = [article_record(s.article(r.id), s.sources(r.id)) for r in rows[offset : offset + limit]]
        return {"total": len(rows), "offset": offset, "items": page}

    @app.get("/api/v1/articles/{article_id}", responses=answers(404))
    def api_article(article_id: str = an_id()) -> dict[str, Any]:
        with store() as s:
            article = s.article(article_id)
            if article is None or article.id != article_id:
                raise HTTPException(404, f"no article {article_id}")
            record = article_record(article, s.sources(article.id))
            record["reuse"] = s.reuse_rows(article.id)
            record["story_id"] = s.story_of(article.id)
        return record

    @app.get("/api/v1/entities", responses=answers())
    def api_entities(offset: int = OFFSET, limit: int = LIMIT) -> dict[str, Any]:
        with store() as s:
            rows = entity_records(s)
        return page_of(rows, offset, limit)

    @app.get("/api/v1/search", responses=answers())
    def api_search(
        q: str = Query(..., min_length=1, max_length=200), limit: int = Query(PAGE, ge=1, le=500)
    ) -> dict:
        """Articles whose title or body hold every word of `q`, best first, with their story."""
        with store() as s:
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

    @app.get("/api/v1/entities/{entity_id}", responses=answers(404))
    def api_entity(entity_id: str = an_id()) -> dict[str, Any]:
        with store() as s:
            return entity_view(s, entity_id)

    @app.get("/api/v1/quotes", responses=answers())
    def api_quotes(offset: int = OFFSET, limit: int = LIMIT) -> dict[str, Any]:
        with store() as s:
            rows = quote_records(s)
        return page_of(rows, offset, limit)

    @app.get("/api/v1/statements", responses=answers())
    def api_statements(offset: int = OFFSET, limit: int = LIMIT) -> dict[str, Any]:
        with store() as s:
            rows = statement_records(quote_records(s))
        return page_of(rows, offset, limit)

    @app.get("/api/v1/reuse", responses=answers())
    def api_reuse(offset: int = OFFSET, limit: int = LIMIT) -> dict[str, Any]:
        with store() as s:
            rows = s.reuse_rows()
        return page_of(rows, offset, limit)

    def ingest_files(folder: Path, files: list[Path]) -> dict[str, Any]:
        """Ingest these files (named one by one, so an unsupported kind is reported, not skipped)."""
        with store() as s:
            report = ingest(files, s)
        return {
            "added": sorted(report.added_ids),
            "duplicates": report.duplicates + report.already_seen,
            "errors": [{"source": _shown(p.source, folder), "reason": p.reason} for p in report.problems],
        }

    @app.post("/api/v1/articles", responses=answers(401, 413), dependencies=WRITER)
    def api_ingest(body: NewArticles) -> dict[str, Any]:
        """Ingest articles given as JSON; returns the new ids, duplicates and errors."""
        with tempfile.TemporaryDirectory() as folder:
            feed = Path(folder) / "upload.jsonl"
            feed.write_text(
                "".join(json.dumps(a.model_dump()) + "\n" for a in body.articles), encoding="utf-8"
            )
            return ingest_files(Path(folder), [feed])

    @app.post(
        "/api/v1/files", responses=answers(401, 413, 422), dependencies=WRITER, openapi_extra=FILES_FORM
    )
    def api_ingest_files(files: list[tuple[str, bytes]] = FILES) -> dict[str, Any]:
        """Ingest uploaded files (text, HTML, JSONL, WARC, gzip), each read like `storylens ingest`."""
        with tempfile.TemporaryDirectory() as folder:
            written = []
            for i, (filename, content) in enumerate(files):
                name = Path(filename).name.lstrip(".") or "upload"
                written.append(Path(folder) / f"{i:02d}-{name[:100]}")
                written[-1].write_bytes(content)
            return ingest_files(Path(folder), written)

    # -- pages -------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, responses=answers())
    def stories_page(
        request: Request,
        q: str = Query("", max_length=200),
        outlet: str = Query("", max_length=200),
        since: str = Query("", max_length=10),
        until: str = Query("", max_length=10),
        entity: str = Query("", max_length=100),
        blindspot: str = Query("", max_length=100),
    ):
        with store() as s:
            rows = s.story_rows()
            bars = outlet_pages.coverage_bars(s, by=blindspot)
            blind = outlet_pages.blindspot_ids(s, blindspot) if blindspot else None
            outlets = sorted({o for r in rows for o in r["outlets"]})
            found = set(s.search(q)) if q.strip() else set()
            entities = s.entities_by_reach(2, 200)
            chosen = s.entity_rows(entity_id=entity) if entity else []
            naming = set(chosen[0]["article_ids"]) if chosen else set()
            # Articles in no story (stored with --no-analyze, or not linked yet) are listed too.
            loose = s.articles_without_story(PAGE)
        most = max((len(r["outlets"]) for r in rows), default=1) or 1
        shown = [
            r
            for r in reversed(rows)  # newest first
            if (not q.strip() or found.intersection(r["article_ids"]))
            and (not outlet or outlet in r["outlets"])
            and (not entity or naming.intersection(r["article_ids"]))
            and (not since or (r["last_published"] or "") >= since)
            and (not until or (r["first_published"] or "9999") <= until + "~")
            and (blind is None or r["id"] in blind)
        ]
        return templates.TemplateResponse(
            request,
            "stories.html",
            {
                "report": bool(request.headers.get("x-storylens-report")),
                "stories": shown,
                "q": q,
                "outlet": outlet,
                "outlets": outlets,
                "since": since,
                "until": until,
                "most": most,
                "entity": entity,
                "entities": entities,
                "loose": loose,
                "coverage": bars,
                "blindspot": blindspot,
            },
        )

    @app.get("/stories/{story_id}", response_class=HTMLResponse, responses=answers(404))
    def story_page(request: Request, story_id: str = an_id()):
        with store() as s:
            row = story_or_404(s, story_id)
            articles = [s.article(a) for a in row["article_ids"]]
            members = set(row["article_ids"])
            bars = outlet_pages.coverage_bars(s, [story_id])
            found = {(r["a"], r["b"]): r for aid in row["article_ids"] for r in s.reuse_rows(aid)}
            reuse = [r for _, r in sorted(found.items()) if r["a"] in members and r["b"] in members]
            quotes = quote_records(s, article_ids=members)
            speakers = s.entity_names(q["speaker_id"] for q in quotes if q["speaker_id"])
        record = comparison_of(story_id) if len(row["article_ids"]) >= 2 else story_record(row, _empty())
        number = {a.id: i for i, a in enumerate(articles, start=1)}
        sources = sorted({a.outlet or a.id for a in articles})
        paragraphs = {a.id: a.paragraphs for a in articles}
        claims = {f["id"]: {c["article_id"]: c["text"] for c in f.get("claims", [])} for f in record["facts"]}

        def cites(ids, fact_id=None) -> list[tuple[int, str, str]]:
            """(number, article id, link) for each cited article, the link landing on the
            paragraph that carries the fact."""
            found = []
            for aid in ids:
                if aid not in number:
                    continue
                text = claims.get(fact_id, {}).get(aid, "")
                where = next((i for i, p in enumerate(paragraphs[aid]) if text and text[:60] in p), None)
                found.append(
                    (number[aid], aid, f"/articles/{aid}" + (f"#p{where}" if where is not None else ""))
                )
            return sorted(found)

        return templates.TemplateResponse(
            request,
            "story.html",
            {
                "story": record,
                "articles": articles,
                "number": number,
                "sources": sources,
                "reuse": reuse,
                "statements": statements_of(quotes, speakers),
                "graph": copy_graph(reuse, number, {a.id: a.outlet or "" for a in articles}),
                "cites": cites,
                "coverage": bars,
            },
        )

    @app.get("/entities/{entity_id}", response_class=HTMLResponse, responses=answers(404))
    def entity_page(request: Request, entity_id: str = an_id()):
        with store() as s:
            view = entity_view(s, entity_id)
        return templates.TemplateResponse(request, "entity.html", view)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, responses=answers(404))
    def article_page(request: Request, article_id: str = an_id()):
        with store() as s:
            article = s.article(article_id)
            if article is None or article.id != article_id:
                raise HTTPException(404, f"no article {article_id}")
            reuse = s.reuse_rows(article.id)
            story_id = s.story_of(article.id)
            titles = {r.id: r.title for r in s.article_rows()}
            quotes = [(a, b, speaker_text or "") for a, b, _, speaker_text in s.quote_spans(article.id)]
            mentions = [
                (a, b, entity) for a, b, entity, _, _ in s.resolved_mentions([article.id]).get(article.id, [])
            ]
        passages = []
        for r in reuse:
            side = "a" if r["a"] == article.id else "b"
            other = r["b"] if side == "a" else r["a"]
            for p in r["passages"]:
                if not p["quotation"]:
                    passages.append((p[f"{side}_text"], other))
        paragraphs = highlight(article.paragraphs, passages, quotes, mentions)
        return templates.TemplateResponse(
            request,
            "article.html",
            {
                "article": article,
                "paragraphs": paragraphs,
                "reuse": reuse,
                "story_id": story_id,
                "titles": titles,
            },
        )

    return app


def _shown(source: str, folder: Path) -> str:
    """A problem's source without the server's temporary folder."""
    return source.replace(str(folder) + "/", "").replace(str(folder), "upload")


def entity_view(s, entity_id: str) -> dict[str, Any]:
    """An entity with its aliases and roles, its stories and its quotes."""
    rows = s.entity_rows(entity_id=entity_id)
    if not rows:
        raise HTTPException(404, f"no entity {entity_id}")
    entity = rows[0]
    articles = set(entity["article_ids"])
    stories = [r for r in s.story_rows() if articles.intersection(r["article_ids"])]
    quotes = quote_records(s, speaker_id=entity_id)
    return {"entity": entity, "stories": stories, "quotes": quotes}


def statements_of(quotes: list[dict], speakers: dict[str, str]) -> list[dict]:
    """Statements quoted in two or more articles, each with its quotes side by side."""
    grouped: dict[str, list[dict]] = {}
    for quote in quotes:
        if quote["statement_id"]:
            grouped.setdefault(quote["statement_id"], []).append(quote)
    found = []
    for statement_id, members in sorted(grouped.items()):
        if len({q["article_id"] for q in members}) < 2:
            continue
        speaker = next((q["speaker_id"] for q in members if q["speaker_id"]), None)
        name = speakers.get(speaker or "") or next(
            (q["speaker_text"] for q in members if q["speaker_text"]), "unknown"
        )
        found.append({"id": statement_id, "speaker_id": speaker, "speaker": name, "quotes": members})
    return found


def _empty() -> Comparison:
    return Comparison()


@dataclass(frozen=True)
class Piece:
    """A run of an article's text and what it is part of."""

    text: str
    source: str | None = None  # the article a reused passage was taken from
    quote: str | None = None  # who is quoted ("" when unknown)
    entity: str | None = None  # the resolved entity named


def highlight(
    paragraphs: list[str],
    passages: list[tuple[str, str]],
    quotes: list[tuple[int, int, str]] = (),
    entities: list[tuple[int, int, str]] = (),
) -> list[list[Piece]]:
    """Each paragraph cut into pieces: reused passages (found by their words; one may run over
    several paragraphs), quotes and entity mentions (by their offsets in the paragraphs joined
    by blank lines) marked; where they overlap a piece carries them all."""
    text = "\n\n".join(paragraphs)
    marks: list[tuple[int, int, str, str]] = []
    for passage, source in passages:
        words = passage.split()
        start = text.find(words[0]) if words else -1
        while start != -1:
            end = _match_end(text, start, words)
            if end:
                marks.append((start, end, "source", source))
                break
            start = text.find(words[0], start + 1)
    marks += [(s, e, "quote", who) for s, e, who in quotes]
    marks += [(s, e, "entity", entity) for s, e, entity in entities]
    result = []
    offset = 0
    for paragraph in paragraphs:
        stop = offset + len(paragraph)
        inside = [
            (max(s, offset), min(e, stop), kind, value)
            for s, e, kind, value in marks
            if s < stop and e > offset
        ]
        cuts = sorted({offset, stop, *(s for s, _, _, _ in inside), *(e for _, e, _, _ in inside)})
        pieces: list[Piece] = []
        for left, right in zip(cuts, cuts[1:], strict=False):
            found = {kind: value for s, e, kind, value in inside if s <= left and right <= e}
            piece = Piece(text[left:right], found.get("source"), found.get("quote"), found.get("entity"))
            if pieces and (pieces[-1].source, pieces[-1].quote, pieces[-1].entity) == (
                piece.source,
                piece.quote,
                piece.entity,
            ):
                pieces[-1] = Piece(pieces[-1].text + piece.text, piece.source, piece.quote, piece.entity)
            else:
                pieces.append(piece)
        result.append(pieces)
        offset = stop + 2
    return result


def _match_end(text: str, start: int, words: list[str]) -> int | None:
    """Where the passage's words, separated by any whitespace, end in `text` from `start`."""
    position = start
    for i, word in enumerate(words):
        if i:
            while position < len(text) and text[position].isspace():
                position += 1
        if not text.startswith(word, position):
            return None
        position += len(word)
    return position
