"""The web app and JSON API, served by a real uvicorn server on a loopback port."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from conftest import SAMPLE
from conftest import WEB_TOKEN as TOKEN
from fastapi.templating import Jinja2Templates
from markupsafe import escape

import storylens.web
from storylens.understand.versions import quoted_otherwise_in
from storylens.web.drawing import highlight
from storylens.web.serving import serving
from storylens.web.views import statements_of


@pytest.fixture(scope="module")
def server(web_server):
    with httpx.Client(base_url=web_server, timeout=60) as client:
        yield client


def test_the_stories_page_lists_every_story_newest_first(server):
    page = server.get("/")
    assert page.status_code == 200
    assert "Valdria and Kelmar sign air defence pact in Ruskor" in page.text
    assert page.text.index("Hackers steal data") < page.text.index(
        "Kelmar and Valdria discuss joint border post"
    )


def listed(page: str) -> str:
    """The titles of the stories a stories page lists, one per line."""
    return "\n".join(re.findall(r'<a href="/stories/[^"]+">([^<]+)</a>', page))


def test_search_and_filters_narrow_the_list(server):
    found = listed(server.get("/", params={"q": "tamsin"}).text)
    assert "Tamsin" in found and "Port Ellis" not in found
    by_outlet = listed(server.get("/", params={"outlet": "Valdria Today"}).text)
    assert "Port Ellis" in by_outlet and "Hackers steal data" not in by_outlet
    entities = server.get("/api/v1/entities", params={"limit": 500}).json()["items"]
    [weil] = [e for e in entities if e["name"] == "Tomas Weil"]
    by_entity = listed(server.get("/", params={"entity": weil["id"]}).text)
    assert "Hackers steal data" in by_entity and "Port Ellis" not in by_entity
    unknown = server.get("/", params={"entity": "e_nothing"})
    assert unknown.status_code == 200 and listed(unknown.text) == ""
    dated = listed(server.get("/", params={"since": "2025-05-01", "until": "2025-06-30"}).text)
    assert "Port Ellis" in dated and "Kelmar central bank" in dated and "Tamsin" not in dated


def test_a_story_page_shows_summary_coverage_copies_and_framing(server):
    stories = server.get("/api/v1/stories").json()["items"]
    [pact] = [s for s in stories if "air defence pact" in s["title"]]
    page = server.get(f"/stories/{pact['id']}").text
    for section in ('id="summary"', 'id="coverage"', 'id="only"', 'id="framing"', 'id="timeline"'):
        assert section in page
    assert "Mirela Kost" in page and "terrorist" in page
    assert page.count('class="has"') >= 5
    why = page[page.index('id="coverage"') : page.index("</section>", page.index('id="coverage"'))]
    assert '<details class="why">' in why and re.search(
        r"\[\d+\] and \[\d+\]: (same quotation|paraphrase|same predicate)", why
    )


def test_a_story_page_shows_which_of_an_outlets_store_wide_words_it_uses_there(server):
    stories = server.get("/api/v1/stories").json()["items"]
    [pact] = [s for s in stories if "air defence pact" in s["title"]]
    story = server.get(f"/api/v1/stories/{pact['id']}").json()
    used = story["words_used_here"]
    assert used, story.keys()
    outlets = server.get("/api/v1/outlets").json()["outlets"]
    for outlet, terms in used.items():
        [row] = [o for o in outlets if o["outlet"] == outlet]
        words = [w["term"] for w in server.get(f"/api/v1/outlets/{row['slug']}").json()["words"]]
        assert terms and set(terms) <= set(words)  # its distinctive words across the store...
        assert [t for t in words if t in terms] == terms  # ...in their order, those used here only
    assert "regime" in used["Eastbrook Gazette"]  # the sample's Eastbrook Gazette says "regime"
    page = server.get(f"/stories/{pact['id']}").text
    assert "distinctive words across the store, used here" in page


def test_a_story_page_shows_why_an_outlet_is_said_to_leave_a_fact_out(server):
    stories = server.get("/api/v1/stories").json()["items"]
    [strike] = [s for s in stories if "Port Ellis dockworkers strike" in s["title"]]
    story = server.get(f"/api/v1/stories/{strike['id']}").json()
    [evidence, *_] = story["omission_evidence"]["Valdria Today"]
    page = server.get(f"/stories/{strike['id']}").text
    omits = page[page.index('id="omits"') : page.index("</section>", page.index('id="omits"'))]
    assert 'class="basis evidence"' in omits
    if evidence["nearest"]:  # the outlet's nearest claim, escaped as every scraped text is
        assert f"({evidence['score']:.2f})" in omits


def test_a_story_page_shows_what_another_outlet_tells_nearest_to_an_outlets_own_fact(server):
    stories = server.get("/api/v1/stories").json()["items"]
    shown = 0
    for row in stories:
        story = server.get(f"/api/v1/stories/{row['id']}").json()
        if not story["outlet_only"]:
            continue
        page = server.get(f"/stories/{row['id']}").text
        only = page[page.index('id="only"') : page.index("</section>", page.index('id="only"'))]
        number = {a["id"]: n for n, a in enumerate(story["articles"], start=1)}
        for evidence in story["only_evidence"].values():
            for e in evidence:
                # the item names the report telling it, by its number, linked
                told_in = "".join(f'<a href="/articles/{a}">[{number[a]}]</a>' for a in e["article_ids"])
                assert f'<span class="n told">{told_in}</span> {escape(e["text"])}' in only
                if e["nearest"]:  # the other outlet's claim, escaped as every scraped text is
                    assert f"({escape(e['outlet'])}, {e['score']:.2f})" in only
                    assert str(escape(e["nearest"])) in only
                    shown += 1
    assert shown


def test_a_story_page_shows_disagreeing_reports_side_by_side(server):
    stories = server.get("/api/v1/stories").json()["items"]
    [floods] = [s for s in stories if "Tamsin" in s["title"]]
    story = server.get(f"/api/v1/stories/{floods['id']}").json()
    [first, *_] = story["disagreements"]
    page = server.get(f"/stories/{floods['id']}").text
    section = page[
        page.index('id="disagreements"') : page.index("</section>", page.index('id="disagreements"'))
    ]
    assert first["why"] in section and section.count('class="side"') == len(story["disagreements"])
    for claim in first["claims"]:  # both wordings, escaped as the page escapes them, the counts marked
        text, at, marked = claim["text"], 0, ""
        for start, end in claim["marks"]:
            marked += f'{escape(text[at:start])}<mark class="differs">{escape(text[start:end])}</mark>'
            at = end
        assert marked + str(escape(text[at:])) in section
        assert text[slice(*claim["marks"][0])] in {"14", "19"}  # the toll each tells first
    assert 'href="#disagreements"' in page  # the facts it concerns point at the list
    assert "told otherwise by" not in page  # the sample's one disagreement is a count


def test_a_summary_sentence_told_otherwise_names_the_articles_on_the_page(server):
    # The sample has no such sentence (its one disagreement is a count, which marks none): the
    # story page's template renders the story's own view with one sentence marked.
    stories = server.get("/api/v1/stories").json()["items"]
    [floods] = [s for s in stories if "Tamsin" in s["title"]]
    view = server.get(f"/api/v1/stories/{floods['id']}").json()
    later = view["article_ids"][-1]
    view["summary"][0]["differs"] = [later]
    templates = Jinja2Templates(directory=str(Path(storylens.web.__file__).parent / "templates"))
    page = templates.env.get_template("story.html").render({"request": None} | view | {"story": view})
    assert f'href="#disagreements"><em>(told otherwise by [{view["number"][later]}])</em>' in page


def test_an_outlets_own_item_a_later_arrest_overtook_says_so_on_the_page(server):
    # The sample tells no arrest since: the story page's template renders the story's own view with
    # one of an outlet's own items marked as overtaken by the story's latest article.
    stories = server.get("/api/v1/stories").json()["items"]
    [floods] = [s for s in stories if "Tamsin" in s["title"]]
    view = server.get(f"/api/v1/stories/{floods['id']}").json()
    source, [entry, *_] = next((k, v) for k, v in view["only_evidence"].items() if v)
    later = view["article_ids"][-1]
    templates = Jinja2Templates(directory=str(Path(storylens.web.__file__).parent / "templates"))
    render = templates.env.get_template("story.html").render
    assert "no longer so" not in render({"request": None} | view | {"story": view})
    entry["overtaken_by"] = [later]
    page = render({"request": None} | view | {"story": view})
    mark = f'no longer so: a later report tells of an arrest <a href="/articles/{later}">[{view["number"][later]}]</a>'
    assert mark in page


def test_a_story_of_one_outlets_articles_says_there_is_nothing_to_set_side_by_side(server):
    stories = server.get("/api/v1/stories").json()["items"]
    [floods] = [s for s in stories if "Tamsin" in s["title"]]
    view = server.get(f"/api/v1/stories/{floods['id']}").json()
    templates = Jinja2Templates(directory=str(Path(storylens.web.__file__).parent / "templates"))
    render = templates.env.get_template("story.html").render
    assert 'id="one-outlet"' not in render({"request": None} | view | {"story": view})
    one = view | {"sources": view["sources"][:1]}  # the same view, as if one outlet wrote it all
    assert 'id="one-outlet"' in render({"request": None} | one | {"story": one})


def test_a_disagreement_shows_beside_each_wording_the_other_articles_telling_it_so(server):
    # The sample's one disagreement has no third article: the template renders the story's own
    # view with an article added on the second wording's side (its text escaped, as scraped text is).
    stories = server.get("/api/v1/stories").json()["items"]
    [floods] = [s for s in stories if "Tamsin" in s["title"]]
    view = server.get(f"/api/v1/stories/{floods['id']}").json()
    [entry, *_] = view["disagreements"]
    third = next(a for a in view["article_ids"] if a not in {c["article_id"] for c in entry["claims"]})
    hostile = {"article_id": third, "text": "<b>Nineteen</b> died.", "side": 1, "marks": [[3, 11]]}
    entry["also"] = [entry["claims"][1] | hostile]
    templates = Jinja2Templates(directory=str(Path(storylens.web.__file__).parent / "templates"))
    page = templates.env.get_template("story.html").render({"request": None} | view | {"story": view})
    section = page[
        page.index('id="disagreements"') : page.index("</section>", page.index('id="disagreements"'))
    ]
    first, second = section.split('<li class="claim">')[1:3]
    assert '<div class="also">' not in first
    assert f'so too <span class="n">[{view["number"][third]}]</span>' in second
    assert '&lt;b&gt;<mark class="differs">Nineteen</mark>&lt;/b&gt; died.' in second
    assert "<b>Nineteen" not in page


def test_a_statement_marks_the_words_an_outlet_quotes_otherwise(server):
    # The sample's outlets quote alike: the page renders the story's own view with one version of
    # a quotation worded otherwise (and hostile markup in it, escaped as scraped text is).
    stories = server.get("/api/v1/stories").json()["items"]
    [floods] = [s for s in stories if "Tamsin" in s["title"]]
    view = server.get(f"/api/v1/stories/{floods['id']}").json()
    [statement] = [st for st in view["statements"] if "ten minutes" in st["quotes"][0]["text"]]
    assert not any(q["marks"] for q in statement["quotes"])  # alike: nothing marked
    quotes = [dict(q) for q in statement["quotes"]]
    quotes[-1]["text"] = quotes[-1]["text"].replace("ten minutes", "only <ten> minutes")
    view["statements"] = statements_of(quotes, {statement["speaker_id"]: statement["speaker"]})
    templates = Jinja2Templates(directory=str(Path(storylens.web.__file__).parent / "templates"))
    page = templates.env.get_template("story.html").render({"request": None} | view | {"story": view})
    section = page[page.index('id="statements"') : page.index("</section>", page.index('id="statements"'))]
    assert section.count('<mark class="differs">') == 1
    assert '<mark class="differs">only</mark> &lt;ten&gt; minutes' in section and "<ten>" not in page
    # a summary sentence quoting one version names the articles quoting it otherwise
    told = next(q for q in view["statements"][0]["quotes"] if q["marks"])
    others = sorted(view["number"][q["article_id"]] for q in quotes if q["text"] != told["text"])
    view["summary"][0]["text"] = f"Petra Holm said: “{told['text']}”"
    statements = [st["quotes"] for st in view["statements"]]
    view["quoted_otherwise"] = [quoted_otherwise_in(line["text"], statements) for line in view["summary"]]
    assert [view["number"][a] for a in view["quoted_otherwise"][0]] == others
    for line, named in zip(view["summary"][1:], view["quoted_otherwise"][1:], strict=True):
        # a sentence quoting a version worded alike with the others names the one worded otherwise
        alike = any(q["text"] in line["text"] for q in quotes if q["text"] != told["text"])
        assert named == ([told["article_id"]] if alike else [])
    page = templates.env.get_template("story.html").render({"request": None} | view | {"story": view})
    cited = "".join(f"[{n}]" for n in others)
    assert f'<a class="differs" href="#statements"><em>(quoted otherwise by {cited})</em></a>' in page


def test_an_article_page_highlights_reused_text_and_links_its_source(server):
    reuse = server.get("/api/v1/reuse").json()["items"]
    pair = next(r for r in reuse if r["copier"] and any(not p["quotation"] for p in r["passages"]))
    page = server.get(f"/articles/{pair['copier']}").text
    assert f'href="/articles/{pair["source"]}"' in page and "<mark" in page
    # Quotes and names are marked too (a name inside a reused passage links to the source instead).
    story = server.get(f"/api/v1/articles/{pair['source']}").json()["story_id"]
    pages = [
        server.get(f"/articles/{a}").text
        for a in server.get(f"/api/v1/stories/{story}").json()["article_ids"]
    ]
    assert any('<q class="said"' in p for p in pages) and any(
        'class="entity" href="/entities/e_' in p for p in pages
    )


def test_scraped_text_is_escaped_everywhere(server):
    articles = server.get("/api/v1/articles", params={"limit": 500}).json()["items"]
    [hostile] = [a for a in articles if "Flood" in a["title"] and "warning" in a["title"]]
    for path in (f"/articles/{hostile['id']}", "/", "/?q=flood"):
        page = server.get(path)
        assert page.status_code == 200
        assert "<script>alert" not in page.text and "<img src=x" not in page.text
        assert '<a href="javascript:' not in page.text and "<iframe" not in page.text
        assert "&lt;script&gt;" in page.text or path == "/?q=flood"
        assert "script-src 'self'" in page.headers["content-security-policy"]


def test_the_api_pages_and_serves_its_schema(server):
    first = server.get("/api/v1/articles", params={"limit": 5}).json()
    second = server.get("/api/v1/articles", params={"limit": 5, "offset": 5}).json()
    assert first["total"] == second["total"] >= 32
    assert len(first["items"]) == 5 and {a["id"] for a in first["items"]}.isdisjoint(
        a["id"] for a in second["items"]
    )
    assert server.get("/api/v1/articles", params={"limit": 0}).status_code == 422
    assert server.get("/api/v1/articles/a_nothing").status_code == 404
    schema = server.get("/api/v1/openapi.json").json()
    assert "/api/v1/stories/{story_id}" in schema["paths"]


def test_writing_needs_the_token(server):
    body = {
        "articles": [
            {
                "title": "Bridge reopens in Tamsin",
                "text": "The Sarn bridge reopened on Friday after repairs. " * 5,
                "outlet": "Harbor Wire",
                "published": "2025-04-20",
            }
        ]
    }
    assert server.post("/api/v1/articles", json=body).status_code == 401
    assert (
        server.post("/api/v1/articles", json=body, headers={"Authorization": "Bearer wrong"}).status_code
        == 401
    )
    done = server.post("/api/v1/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert done.status_code == 200 and len(done.json()["added"]) == 1
    again = server.post("/api/v1/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert again["added"] == [] and again["duplicates"] == 1
    empty = {"articles": [{"title": "", "text": ""}]}
    errors = server.post("/api/v1/articles", json=empty, headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert errors["added"] == [] and errors["errors"]


def test_serve_refuses_a_public_address_without_a_token(cli, db, monkeypatch):
    monkeypatch.delenv("STORYLENS_TOKEN", raising=False)
    result = cli("serve", "--db", db, "--host", "0.0.0.0", expect=1)
    assert "refusing to listen on 0.0.0.0 without a token" in result.output


def test_reused_passages_quotes_and_names_are_marked_across_breaks():
    text = ["Intro. The agreement covers radar\nstations and more.", 'It was signed, "Darvish said".']
    base = len(text[0]) + 2  # offsets are in the paragraphs joined by a blank line
    pieces = highlight(
        text,
        [("The agreement covers radar stations and more. It was signed", "a_src")],
        quotes=[(base + text[1].index('"'), base + text[1].rindex('"') + 1, "Darvish")],
        entities=[(base + text[1].index("Darvish"), base + text[1].index("Darvish") + 7, "e_darvish")],
    )
    assert [(p.text, p.source) for p in pieces[0]] == [
        ("Intro. ", None),
        ("The agreement covers radar\nstations and more.", "a_src"),
    ]
    assert [(p.text, p.source, p.quote, p.entity) for p in pieces[1]] == [
        ("It was signed", "a_src", None, None),
        (", ", None, None, None),
        ('"', None, "Darvish", None),
        ("Darvish", None, "Darvish", "e_darvish"),
        (' said"', None, "Darvish", None),
        (".", None, None, None),
    ]


def test_the_report_is_a_static_site_whose_links_all_resolve(cli, web_db, tmp_path):
    import re

    out = tmp_path / "report"
    assert "pages written" in cli("report", "--db", web_db, "--out", out).stdout
    pages = list(out.rglob("*.html"))
    assert (out / "index.html").exists() and len(list((out / "stories").glob("*.html"))) >= 6
    for page in pages:
        html = page.read_text()
        assert "<script>alert" not in html
        head = html[: html.index("</head>")]  # opened from disk, the page carries its own CSP
        assert '<meta http-equiv="Content-Security-Policy"' in head and "script-src 'none'" in head
        for link in re.findall(r'(?:href|src)="([^"]+)"', html):
            if not link.startswith(("http://", "https://")):
                assert (page.parent / link.split("#")[0]).resolve().exists(), (page, link)
    assert "<form" not in (out / "index.html").read_text()  # no server to search


def test_a_huge_line_and_a_null_byte_break_nothing(server):
    hits = server.get("/api/v1/search", params={"q": "levee breach"}).json()["items"]
    assert len(hits) == 1
    page = server.get(f"/articles/{hits[0]['id']}")
    assert page.status_code == 200 and len(page.text) > 380_000
    assert server.get("/", params={"q": "levee"}).status_code == 200
    body = {"articles": [{"title": "Null\u0000byte", "text": "A text with a null\u0000 byte in it. " * 5}]}
    answer = server.post("/api/v1/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    [added] = answer.json()["added"]  # control characters are stripped before storage, not fatal
    stored = server.get(f"/api/v1/articles/{added}").json()
    assert "\x00" not in stored["title"] + "".join(stored["paragraphs"])


def test_uploaded_files_are_ingested_like_the_cli_reads_them(server):
    page = (
        "Ferry service resumes on the Lenne\n\n"
        + "Ferries crossed the Lenne again on Saturday after the floods. " * 4
    ).encode()
    files = [
        ("files", ("ferry.txt", page, "text/plain")),
        ("files", ("../../etc/evil.bin", b"\x00\x01\x02", "application/octet-stream")),
    ]
    assert server.post("/api/v1/files", files=files).status_code == 401
    done = server.post("/api/v1/files", files=files, headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert len(done["added"]) == 1
    assert [e["source"] for e in done["errors"]] == ["01-evil.bin"]  # the path stripped to its name
    assert "unsupported file type" in done["errors"][0]["reason"]


def test_a_body_over_the_limit_is_refused(server, monkeypatch):
    from storylens.web import app as web

    big = b"x" * (web.MAX_BODY_BYTES + 1)
    answer = server.post(
        "/api/v1/articles",
        content=big,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    assert answer.status_code == 413


def test_pages_degrade_gracefully_before_analysis(cli, tmp_path):
    db = tmp_path / "raw.db"
    cli("ingest", SAMPLE / "corpus" / "northgate", "--db", db, "--no-analyze")
    with serving(db) as base, httpx.Client(base_url=base, timeout=60) as client:
        home = client.get("/")
        assert home.status_code == 200 and 'id="loose"' in home.text
        article = re.search(r'href="/articles/(a_[0-9a-f]+)"', home.text).group(1)
        page = client.get(f"/articles/{article}")
        assert page.status_code == 200 and "<q class" not in page.text
        assert client.get("/api/v1/stories").json()["total"] == 0


def test_a_story_that_grows_while_served_shows_its_new_comparison(tmp_path):
    from storylens import ingest, open_store

    told = {
        "first": "Flooding closed the Varen bridge in Ostrava Minor on Monday, the city's transport "
        "office said. About 300 residents were moved to the Kalde sports hall overnight.",
        "second": "The Varen bridge in Ostrava Minor was shut on Monday as the river burst its banks. "
        "Mayor Ilse Varga said some 300 people spent the night in the Kalde sports hall.",
        "third": "Ostrava Minor's mayor, Ilse Varga, said on Monday that 300 residents had been moved to "
        "the Kalde sports hall after floods closed the Varen bridge and the river rose two metres.",
    }
    for name, text in told.items():
        (tmp_path / f"{name}.txt").write_text(f"Floods close Varen bridge in Ostrava Minor\n\n{text}\n")
    db = tmp_path / "grow.db"
    with open_store(db) as store:
        ingest([tmp_path / "first.txt", tmp_path / "second.txt"], store)
    with serving(db) as base, httpx.Client(base_url=base, timeout=60) as client:
        [story] = client.get("/api/v1/stories").json()["items"]
        before = client.get(f"/api/v1/stories/{story['id']}").json()
        with open_store(db) as store:  # the watcher's connection, beside the server's
            ingest([tmp_path / "third.txt"], store)
        [grown] = client.get("/api/v1/stories").json()["items"]
        after = client.get(f"/api/v1/stories/{grown['id']}").json()
    cited = {a for fact in after["facts"] for a in fact["article_ids"]}
    assert len(before["article_ids"]) == 2 and len(after["article_ids"]) == 3
    assert set(after["article_ids"]) <= cited  # the comparison is of all three, not the kept two


def test_what_the_stories_page_shows_beside_its_list_follows_every_write(tmp_path):
    """No cache over the store: an article written beside the server is on the next page, read
    from the views the store keeps when they are current and with SQL when they are not."""
    from storylens import ingest, open_store

    (tmp_path / "fair.txt").write_text(
        "Harvest fair opens in Lindqvist\n\nThe harvest fair in Lindqvist opened on Saturday with "
        "forty stalls of apples, cheese and honey, the town's market office said.\n"
    )
    (tmp_path / "ferry.txt").write_text(
        "Ferry to Osk Island cancelled\n\nThe morning ferry to Osk Island was cancelled on Sunday "
        "after high winds, the harbour master said, and the afternoon crossing ran late.\n"
    )
    db = tmp_path / "beside.db"
    with open_store(db) as store:
        ingest([tmp_path / "fair.txt"], store, outlet="Lindqvist Post")
    with serving(db) as base, httpx.Client(base_url=base, timeout=60) as client:
        first = client.get("/api/v1/stories").json()
        with open_store(db) as store:  # another connection, as `serve --watch` or the CLI writes
            assert store.kept_view("story filters")["outlets"] == first["outlets"] == ["Lindqvist Post"]
            ingest([tmp_path / "ferry.txt"], store, outlet="Osk Courier", understand=False)
            assert store.kept_view("story filters") is None  # stale: the page reads SQL
        loose = client.get("/api/v1/stories").json()["loose"]
        assert "Ferry to Osk Island cancelled" in [a["title"] for a in loose]
        with open_store(db) as store:
            ingest([], store)  # analyses and links what is due, and keeps the figures again
            kept = store.kept_view("story filters")
        assert kept is not None and "Osk Courier" in kept["outlets"]
        assert client.get("/api/v1/stories").json()["outlets"] == kept["outlets"]


LISTS = {
    "/api/v1/articles": lambda r: r["id"],
    "/api/v1/stories": lambda r: r["id"],
    "/api/v1/entities": lambda r: r["id"],
    "/api/v1/quotes": lambda r: r["id"],
    "/api/v1/statements": lambda r: r["id"],
    "/api/v1/reuse": lambda r: (r["a"], r["b"]),
}


@pytest.mark.parametrize("path", LISTS)
def test_paging_by_cursor_gives_every_row_once_in_order(server, path):
    key = LISTS[path]
    everything = server.get(path, params={"limit": 500}).json()
    assert everything["next_cursor"] is None and len(everything["items"]) == everything["total"] > 2
    seen, cursor, pages = [], "", 0
    while True:
        page = server.get(path, params={"limit": 2, "cursor": cursor} if cursor else {"limit": 2}).json()
        assert page["total"] == everything["total"]
        seen += [key(r) for r in page["items"]]
        pages += 1
        if page["next_cursor"] is None:
            break
        cursor = page["next_cursor"]
    assert seen == [key(r) for r in everything["items"]]  # every row, once, in the list's order
    assert pages == (everything["total"] + 1) // 2
    assert server.get(path, params={"cursor": "bm90IGEgY3Vyc29y"}).status_code == 404  # not one it made
    assert server.get(path, params={"cursor": "not a cursor!"}).status_code == 422  # not of its form


def test_the_stories_page_links_its_next_page_by_cursor(server):
    first = server.get("/api/v1/stories", params={"limit": 3}).json()
    page = server.get(first["next"].replace("/?", "/api/v1/stories?") + "&limit=3").json()
    following = server.get("/api/v1/stories", params={"limit": 3, "offset": 3}).json()
    assert "cursor=" in first["next"] and page["offset"] == 3
    assert [s["id"] for s in page["items"]] == [s["id"] for s in following["items"]]


def test_a_read_keeps_its_threads_connection_and_a_failed_request_leaves_no_transaction(db):
    """Reads reuse the serving thread's store connection (a warm page cache); a request that fails
    inside a transaction has it rolled back, so the next request on that connection sees the
    store as committed; another thread gets a connection of its own."""
    import threading

    from storylens import open_store
    from storylens.model import Article
    from storylens.store.sql import Transaction
    from storylens.web.app import KeptStores

    open_store(db).close()
    store = KeptStores(db)
    with store() as first:
        pass
    written = Article("a1", "in/a1.txt", "Osk Courier", "Ferry cancelled", None, None, "en", None, ["Gales."])
    with pytest.raises(RuntimeError), store() as failing:
        Transaction(failing.db).__enter__()  # opened, never closed: the request fails inside it
        failing.write_batch([(written, "raw1")], [], [])
        raise RuntimeError("the view failed")
    with store() as again:
        assert again is first and not again.db.in_transaction
        assert again.article_page(0, 5).total == 0
    elsewhere = []
    thread = threading.Thread(target=lambda: elsewhere.append(store().__enter__()))
    thread.start()
    thread.join()
    assert elsewhere[0] is not first


def test_the_coverage_table_marks_an_outlet_the_summary_cites_for_telling_a_fact_in_other_words(server):
    marked = 0
    for row in server.get("/api/v1/stories").json()["items"]:
        story = server.get(f"/api/v1/stories/{row['id']}").json()
        restating = story["restating"]
        for sentence in story["summary"]:
            # an article cited for restating the sentence's fact is one of the fact's restated_by
            fact = next(f for f in story["facts"] if f["id"] == sentence["fact_id"])
            assert set(sentence.get("restated") or {}) <= set(fact["restated_by"])
        if not story["facts"]:
            continue  # a story of one article: nothing to set side by side
        page = server.get(f"/stories/{row['id']}").text
        table = page[page.index('id="coverage"') : page.index("</section>", page.index('id="coverage"'))]
        for fact in story["facts"]:
            if restating[fact["id"]]:  # a row of its own, ○ under each such outlet, never ● there too
                assert set(restating[fact["id"]]).isdisjoint(fact["outlets"])
                assert str(escape(fact["text"])) in table
                marked += 1
        assert table.count('class="restates"') == sum(
            len(v) for f in story["facts"] if len(f["outlets"]) + len(v := restating[f["id"]]) >= 2
        )
    assert marked


def test_the_coverage_table_marks_an_outlet_carrying_a_fact_only_by_a_reprint(server):
    marked = 0
    for row in server.get("/api/v1/stories").json()["items"]:
        story = server.get(f"/api/v1/stories/{row['id']}").json()
        if not story["facts"]:
            continue
        page = server.get(f"/stories/{row['id']}").text
        table = page[page.index('id="coverage"') : page.index("</section>", page.index('id="coverage"'))]
        listed = [f for f in story["facts"] if len(f["outlets"]) + len(story["restating"][f["id"]]) >= 2]
        for fact in listed:
            # ◑ under an outlet whose every article of the fact reprints another outlet's
            assert set(story["reprinting"][fact["id"]]) <= set(fact["outlets"])
            marked += len(story["reprinting"][fact["id"]])
        assert table.count('class="reprint"') == sum(len(story["reprinting"][f["id"]]) for f in listed)
    assert marked
