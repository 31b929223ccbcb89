"""The web app and the JSON API: thin over the library; reads go through a store connection kept
per worker thread, writes through a store opened for the request.

Pages are rendered on the server with Jinja2 (autoescape on; scraped text is never marked safe);
every response carries a Content-Security-Policy that allows no inline script. Read endpoints are
open; writing (POST /api/v1/articles) needs the bearer token given at start, checked before the
body is read (security.py), as are the Host header and the body's size. Ids are checked for
their form (422) before any lookup (404).
"""

from __future__ import annotations

import json
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from storylens.pipeline import ingest
from storylens.store import open_store
from storylens.web import views
from storylens.web.contract import FILES, FILES_FORM, WRITER, an_id, answers, render
from storylens.web.outlets import register
from storylens.web.security import CSP, BodyLimit, HostCheck, SecurityHeaders, WriteAuth
from storylens.web.views import PAGE, StoriesQuery

HERE = Path(__file__).parent
MAX_UPLOAD_ARTICLES = 100
MAX_UPLOAD_CHARS = 2_000_000
MAX_BODY_BYTES = 50_000_000  # a request body larger than this is refused with 413
OFFSET = Query(0, ge=0)
CURSOR = Query("", max_length=500, pattern="^[A-Za-z0-9_-]*$", description="a page's `next_cursor`")
LIMIT = Query(PAGE, ge=1, le=500)
Stories = Annotated[StoriesQuery, Depends()]
__all__ = ["CSP", "MAX_BODY_BYTES", "create_app"]


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
    names, IP addresses and `hosts`. Each page and its /api/v1 twin serve one view (views.py)."""
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
    app.add_middleware(SecurityHeaders)

    store = KeptStores(db)
    register(app, store, templates)  # /outlets, /blindspots, ...: web/outlets.py
    add_api(app, store)
    add_writes(app, lambda: open_store(db))
    add_pages(app, store, templates)
    return app


class KeptStores:
    """`store()` for a read request: the store connection of the worker thread serving it, opened
    on first use and kept, so a request starts with SQLite's page cache warm from the thread's
    last one instead of empty. The store holds no cache of its own (every read is SQL), and each
    statement reads the latest commit (WAL, autocommit), so a kept connection sees what an ingest
    or the watcher wrote since. A request that fails inside a transaction has it rolled back."""

    def __init__(self, db: str | Path):
        self.db = db
        self.local = threading.local()

    @contextmanager
    def __call__(self):
        kept = getattr(self.local, "store", None)
        if kept is None:
            kept = self.local.store = open_store(self.db)
        try:
            yield kept
        finally:
            if kept.db.in_transaction:
                kept.db.rollback()


def add_api(app: FastAPI, store) -> None:
    """The /api/v1 read routes: each a view as JSON; `store()` gives the store for one request."""

    @app.get("/api/v1/stories", responses=answers(404))
    def api_stories(
        asked: Stories, offset: int = OFFSET, limit: int = LIMIT, cursor: str = CURSOR
    ) -> dict[str, Any]:
        """The stories page's list, newest first, narrowed by its filters."""
        with store() as s:
            return views.stories_view(s, asked, offset, limit, cursor)

    @app.get("/api/v1/stories/{story_id}", responses=answers(404))
    def api_story(story_id: str = an_id()) -> dict[str, Any]:
        """A story with its comparison, and all its page shows: articles, reuse, statements,
        the copy graph, citations, coverage."""
        with store() as s:
            return views.story_view(s, story_id)

    @app.get("/api/v1/articles", responses=answers(404))
    def api_articles(offset: int = OFFSET, limit: int = LIMIT, cursor: str = CURSOR) -> dict[str, Any]:
        with store() as s:
            return views.articles_view(s, offset, limit, cursor)

    @app.get("/api/v1/articles/{article_id}", responses=answers(404))
    def api_article(article_id: str = an_id()) -> dict[str, Any]:
        with store() as s:
            return views.article_view(s, article_id)

    @app.get("/api/v1/entities", responses=answers(404))
    def api_entities(
        offset: int = OFFSET, limit: int = LIMIT, type: str = Query("", max_length=50), cursor: str = CURSOR
    ) -> dict[str, Any]:
        with store() as s:
            return views.entities_view(s, offset, limit, type, cursor)

    @app.get("/api/v1/search", responses=answers())
    def api_search(
        q: str = Query(..., min_length=1, max_length=200), limit: int = Query(PAGE, ge=1, le=500)
    ) -> dict:
        """Articles whose title or body hold every word of `q`, best first, with their story."""
        with store() as s:
            return views.search_view(s, q, limit)

    @app.get("/api/v1/entities/{entity_id}", responses=answers(404))
    def api_entity(entity_id: str = an_id()) -> dict[str, Any]:
        with store() as s:
            return views.entity_view(s, entity_id)

    @app.get("/api/v1/quotes", responses=answers(404))
    def api_quotes(
        offset: int = OFFSET,
        limit: int = LIMIT,
        speaker: str = Query("", max_length=64),
        article: str = Query("", max_length=64),
        cursor: str = CURSOR,
    ) -> dict[str, Any]:
        with store() as s:
            return views.quotes_view(s, offset, limit, speaker, article, cursor)

    @app.get("/api/v1/statements", responses=answers(404))
    def api_statements(offset: int = OFFSET, limit: int = LIMIT, cursor: str = CURSOR) -> dict[str, Any]:
        with store() as s:
            return views.statements_view(s, offset, limit, cursor)

    @app.get("/api/v1/reuse", responses=answers(404))
    def api_reuse(offset: int = OFFSET, limit: int = LIMIT, cursor: str = CURSOR) -> dict[str, Any]:
        with store() as s:
            return views.reuse_view(s, offset, limit, cursor)


def add_writes(app: FastAPI, store) -> None:
    """The /api/v1 write routes (the token is checked before the body by WriteAuth)."""

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


def add_pages(app: FastAPI, store, templates: Jinja2Templates) -> None:
    """The HTML pages: each its twin's view, rendered with its template."""

    def page(request: Request, template: str, view: dict, **extra):
        return render(templates, request, template, view, **extra)

    @app.get("/", response_class=HTMLResponse, responses=answers(404))
    def stories_page(request: Request, asked: Stories, offset: int = OFFSET, cursor: str = CURSOR):
        report = bool(request.headers.get("x-storylens-report"))
        with store() as s:  # the static report lists every story on its one index page
            view = views.stories_view(s, asked, offset, None if report else PAGE, cursor)
        return page(request, "stories.html", view, stories=view["items"])

    @app.get("/stories/{story_id}", response_class=HTMLResponse, responses=answers(404))
    def story_page(request: Request, story_id: str = an_id()):
        with store() as s:
            view = views.story_view(s, story_id)
        return page(request, "story.html", view, story=view)

    @app.get("/entities/{entity_id}", response_class=HTMLResponse, responses=answers(404))
    def entity_page(request: Request, entity_id: str = an_id()):
        with store() as s:
            view = views.entity_view(s, entity_id)
        return page(request, "entity.html", view)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, responses=answers(404))
    def article_page(request: Request, article_id: str = an_id()):
        with store() as s:
            view = views.article_view(s, article_id)
        return page(request, "article.html", view, article=view)


def _shown(source: str, folder: Path) -> str:
    """A problem's source without the server's temporary folder."""
    return source.replace(str(folder) + "/", "").replace(str(folder), "upload")
