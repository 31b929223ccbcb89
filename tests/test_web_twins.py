"""Every HTML page has a JSON twin serving the same view: what the page lists, its twin lists,
in the same order; every story, article, entity and outlet the page links to is in its twin.
Checked through the real server over the sample (web_server, conftest.py)."""

from __future__ import annotations

import html
import json
import re

import httpx
import pytest
from fastapi.routing import APIRoute

from storylens.compare.outlets import slug
from storylens.web.app import create_app

LINKED = re.compile(r'href="/(stories|articles|entities|outlets)/([A-Za-z0-9_-]+)')


@pytest.fixture(scope="module")
def server(web_server):
    with httpx.Client(base_url=web_server, timeout=120) as client:
        yield client


def twin_of(path: str) -> str:
    return "/api/v1/stories" if path == "/" else "/api/v1" + path


def test_every_page_route_has_a_json_twin(web_db):
    app = create_app(web_db)
    routes = {r.path: r for r in app.routes if isinstance(r, APIRoute) and "GET" in r.methods}
    pages = [p for p, r in routes.items() if getattr(r.response_class, "__name__", "") == "HTMLResponse"]
    assert len(pages) >= 9
    for path in pages:
        twin = routes.get(twin_of(path))
        assert twin is not None, f"{path} has no twin"
        asked = {p.name for p in routes[path].dependant.query_params}
        assert asked <= {p.name for p in twin.dependant.query_params}, f"{twin.path} lacks {path}'s filters"


def links_in(page: str) -> list[tuple[str, str]]:
    main = page[page.index("<main>") :]
    return LINKED.findall(main)


def same_view(server, path: str, params: dict | None = None) -> tuple[str, dict]:
    """The page and its twin; every id the page links to is in the twin, and the page's headline too."""
    page = server.get(path, params=params)
    twin = server.get(twin_of(path), params=params)
    assert page.status_code == twin.status_code == 200, path
    data = twin.json()
    dumped = json.dumps(data, ensure_ascii=False)
    named = {slug(t) for t in set(strings(data))}  # an outlet is linked by the slug of its name
    for kind, ident in links_in(page.text):
        assert f'"{ident}"' in dumped or (kind == "outlets" and ident in named), (
            f"{path} links {kind}/{ident}"
        )
    headline = html.unescape(re.search(r"<h1>([^<]*)", page.text).group(1)).strip()
    if headline.split(" by ")[0] not in (
        "Stories",
        "Outlets",
        "Blindspots",
        "Attention over time",
        "Framing",
    ):
        assert any(headline in text for text in strings(data)), f"{path}: {headline}"
    return page.text, data


def strings(data) -> list[str]:
    """Every string in a JSON value."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in strings(v)]
    return []


def listed(page: str, kind: str, section: str = "") -> list[str]:
    part = page[page.index(section) :] if section else page[page.index("<main>") :]
    return [i for k, i in LINKED.findall(part) if k == kind]


FILTERS = [
    {},
    {"q": "tamsin"},
    {"outlet": "Valdria Today"},
    {"since": "2025-05-01", "until": "2025-06-30"},
    {"blindspot": "lean"},
    {"offset": "3"},
]


@pytest.mark.parametrize("params", FILTERS, ids=lambda p: ",".join(p) or "none")
def test_the_stories_page_and_the_api_list_the_same_stories(server, params):
    page, data = same_view(server, "/", params)
    shown = listed(page, "stories", '<ol class="stories">')
    assert shown == [s["id"] for s in data["items"]]
    assert f"<small>{data['total']}</small>" in page
    if not params:
        assert len(shown) == data["total"] > 5  # the sample fits on one page


def test_the_entity_filter_is_the_same_on_page_and_api(server):
    entities = server.get("/api/v1/entities", params={"limit": 500}).json()["items"]
    [weil] = [e for e in entities if e["name"] == "Tomas Weil"]
    page, data = same_view(server, "/", {"entity": weil["id"]})
    assert listed(page, "stories", '<ol class="stories">') == [s["id"] for s in data["items"]] != []


def test_a_story_page_and_its_twin_show_the_same_story(server):
    for story in server.get("/api/v1/stories").json()["items"]:
        page, data = same_view(server, f"/stories/{story['id']}")
        articles = page[page.index('id="articles"') : page.index("</section>", page.index('id="articles"'))]
        assert listed(articles, "articles", 'id="articles"') == [a["id"] for a in data["articles"]]
        assert [a["id"] for a in data["articles"]] == data["article_ids"]
        assert page.count('<li><span class="n">') == sum(len(st["quotes"]) for st in data["statements"])
        assert page.count('<li class="claim">') == sum(len(d["claims"]) for d in data["disagreements"])
        assert page.count('<div class="also">') == sum(len(d["also"]) for d in data["disagreements"])
        assert page.count('class="edge"') == len(data["graph"]["edges"])
        assert page.count('class="cite"') == sum(len(c) for c in data["citations"])
        for line, cited in zip(data["summary"], data["citations"], strict=True):
            assert [c["n"] for c in cited] == sorted(data["number"][a] for a in line["article_ids"])


def test_an_article_page_and_its_twin_show_the_same_article(server):
    for article in server.get("/api/v1/articles", params={"limit": 500}).json()["items"][:40]:
        page, data = same_view(server, f"/articles/{article['id']}")
        assert page.count("<p id=") == len(data["highlighted"]) == len(data["paragraphs"])
        reused = re.findall(r'class="reused" href="/articles/([^"]+)"', page)
        marked = [p["source"] for ps in data["highlighted"] for p in ps if p["source"]]
        assert reused == marked


def test_an_entity_page_and_its_twin_show_the_same_entity(server):
    for entity in server.get("/api/v1/entities", params={"limit": 500}).json()["items"][:30]:
        page, data = same_view(server, f"/entities/{entity['id']}")
        assert listed(page, "stories", 'id="stories"') == [s["id"] for s in data["stories"]]
        assert page.count('class="cite"') == len(data["quotes"])


def test_the_outlet_pages_and_their_twins_agree(server):
    page, data = same_view(server, "/outlets")
    assert [i for i in listed(page, "outlets")][: len(data["outlets"])] == [
        o["slug"] for o in data["outlets"]
    ]
    for outlet in data["outlets"][:5]:
        same_view(server, f"/outlets/{outlet['slug']}")
    page, data = same_view(server, "/blindspots")
    assert listed(page, "stories") == [b["story_id"] for b in data["blindspots"]]
    page, data = same_view(server, "/attention")
    assert f"<small>{data['articles']} articles</small>" in page
    same_view(server, "/framing")


def concrete_pages(server) -> list[str]:
    """One path of every page route, ids taken from the API."""
    story = server.get("/api/v1/stories").json()["items"][0]["id"]
    article = server.get("/api/v1/articles").json()["items"][0]["id"]
    entity = server.get("/api/v1/entities").json()["items"][0]["id"]
    outlet = server.get("/api/v1/outlets").json()["outlets"][0]["slug"]
    return [
        "/",
        "/?q=tamsin",
        f"/stories/{story}",
        f"/articles/{article}",
        f"/entities/{entity}",
        "/outlets",
        f"/outlets/{outlet}",
        "/blindspots",
        "/attention",
        "/framing?by=lean",
    ]


def test_every_page_with_format_json_returns_its_twins_dict(server, web_db):
    paths = concrete_pages(server)
    app = create_app(web_db)
    pages = [
        r
        for r in app.routes
        if isinstance(r, APIRoute) and getattr(r.response_class, "__name__", "") == "HTMLResponse"
    ]
    for route in pages:  # every page route is asked below
        assert any(route.path_regex.match(p.split("?")[0]) for p in paths), route.path
    for path in paths:
        bare, _, query = path.partition("?")
        params = dict(p.split("=") for p in query.split("&")) if query else {}
        page = server.get(bare, params=params | {"format": "json"})
        twin = server.get(twin_of(bare), params=params)
        assert page.status_code == twin.status_code == 200, path
        assert page.headers["content-type"].startswith("application/json"), path
        assert page.json() == twin.json(), path
        assert server.get(bare, params=params).headers["content-type"].startswith("text/html")
