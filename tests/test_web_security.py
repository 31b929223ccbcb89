"""What every request passes before the app sees it: the Host it names, the exact bearer token of
a write (checked before any byte of the body is read), the form of the ids; and the OpenAPI
schema lists the answers the API really gives."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from conftest import WEB_TOKEN as TOKEN
from fastapi.testclient import TestClient

from storylens.web.app import create_app

LONG_ID = "a" * 50_000


@pytest.fixture(scope="module")
def server(web_server):
    with httpx.Client(base_url=web_server, timeout=60) as client:
        yield client


@pytest.mark.parametrize(
    "host", ["evil.test", "evil.test:8000", "storylens.attacker.example", "localhost.evil"]
)
def test_a_request_for_a_host_the_server_does_not_serve_is_refused(server, host):
    for path in ("/", "/api/v1/stories"):
        answer = server.get(path, headers={"Host": host})
        assert answer.status_code == 400 and "unknown host" in answer.json()["detail"]


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "LOCALHOST.", "127.0.0.1:1", "[::1]:8000"])
def test_loopback_names_and_addresses_are_served(server, host):
    assert server.get("/api/v1/stories", headers={"Host": host}).status_code == 200


def test_the_names_given_at_start_are_served_and_no_others(web_db):
    with TestClient(
        create_app(web_db, hosts=("news.example.org",)), base_url="http://news.example.org"
    ) as client:
        assert client.get("/api/v1/stories").status_code == 200
        assert client.get("/api/v1/stories", headers={"Host": "other.example.org"}).status_code == 400


@pytest.mark.parametrize(
    "authorization",
    [None, TOKEN, f"Bearer  {TOKEN}", f"bearer{TOKEN}", f"Bearer {TOKEN}x", f"Basic {TOKEN}", "Bearer"],
)
def test_a_write_needs_exactly_bearer_and_the_token_and_is_refused_before_its_body(server, authorization):
    headers = {"Authorization": authorization} if authorization is not None else {}
    # A body that would be a 422 if it were read: the 401 comes first.
    answer = server.post(
        "/api/v1/articles", content=b"{not json", headers={**headers, "Content-Type": "application/json"}
    )
    assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer"
    assert server.post("/api/v1/files", files={"files": ("a.txt", b"x")}, headers=headers).status_code == 401


def test_the_exact_token_passes_to_the_body_checks(server):
    answer = server.post(
        "/api/v1/articles",
        content=b"{not json",
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    assert answer.status_code == 422


def test_no_byte_of_an_unauthorised_body_is_read(web_db):
    app = create_app(web_db, TOKEN)
    sent: list[dict] = []

    async def receive():
        raise AssertionError("the body of an unauthorised write was read")

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/api/v1/articles", "raw_path": b"/api/v1/articles", "query_string": b"",
        "root_path": "", "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
        "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"),
                    (b"content-length", b"45000000"), (b"authorization", TOKEN.encode())],
    }  # fmt: skip
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 401


@pytest.mark.parametrize(
    "path",
    ["/articles/", "/api/v1/articles/", "/stories/", "/api/v1/stories/", "/entities/", "/api/v1/entities/"],
)
def test_a_malformed_id_is_422_and_an_unknown_one_404(server, path):
    assert server.get(path + LONG_ID).status_code == 422
    assert server.get(path + "a_%1b%5b31m").status_code == 422
    assert server.get(path + "a_0000000000000000").status_code == 404


def test_the_schema_lists_every_answer_the_api_gives(server):
    paths = server.get("/api/v1/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"200", "400"} <= codes, (method, path)
            if "{" in path:
                assert {"404", "422"} <= codes, path
            if method == "post":
                assert {"401", "413", "422"} <= codes and operation["security"], path


def test_the_cli_says_no_article_for_an_id_of_50000_characters(cli, web_db):
    result = cli("show", LONG_ID, "--db", web_db, expect=1)
    assert "no article" in result.output and len(result.output) < 300
    assert "no story" in cli("story", LONG_ID, "--db", web_db, expect=1).output
