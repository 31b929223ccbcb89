"""Fetching, first parts: one URL per article, and the SSRF guard (no packet ever leaves)."""

from __future__ import annotations

import socket

import pytest

from storylens.fetch.guard import Refused, check, is_public
from storylens.fetch.urls import canonical_link, normalize


@pytest.fixture(autouse=True)
def no_connections(monkeypatch):
    """Any attempt to open a connection fails the test: the guard must decide before connecting."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"a connection was attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def resolver(table):
    return lambda host, port: table[host]


def test_one_article_under_tracking_amp_and_mobile_urls_has_one_key():
    forms = [
        "https://www.example-news.test/world/2025/03/04/pact?utm_source=x&utm_medium=social",
        "http://m.example-news.test/world/2025/03/04/pact/amp/",
        "https://example-news.test:443/world//2025/03/04/pact#comments",
        "HTTPS://EXAMPLE-NEWS.TEST/world/2025/03/04/pact?fbclid=abc",
    ]
    assert len({normalize(u) for u in forms}) == 1
    assert (
        normalize("https://example-news.test/item?id=7&utm_campaign=z")
        == "https://example-news.test/item?id=7"
    )
    assert normalize("https://example-news.test/a?id=7") != normalize("https://example-news.test/a?id=8")


def test_the_canonical_link_is_read_and_made_absolute():
    html = '<html><head><link rel="canonical" href="/world/pact"></head></html>'
    assert (
        canonical_link(html, "https://example-news.test/amp/world/pact")
        == "https://example-news.test/world/pact"
    )
    assert canonical_link('<link rel="canonical" href="javascript:alert(1)">', "https://x.test/") is None
    assert canonical_link("<p>no head</p>", "https://x.test/") is None


@pytest.mark.parametrize(
    "address",
    ["10.0.0.1", "169.254.169.254", "127.0.0.1", "192.168.1.4", "172.16.0.9", "100.64.1.1", "0.0.0.0",
     "::1", "fe80::1", "fc00::5", "::ffff:10.0.0.1", "224.0.0.1",
     # 6to4, NAT64 and IPv4-compatible forms of private addresses; Teredo; special-purpose ranges
     "2002:7f00:1::", "2002:a9fe:a9fe::", "64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1", "64:ff9b:1::1",
     "::127.0.0.1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "192.0.0.192", "192.0.2.7", "198.18.0.1",
     "198.51.100.2", "203.0.113.9", "240.0.0.1", "255.255.255.255", "2001:db8::1", "100::1",
     "fec0::1", "3fff::1"],
)  # fmt: skip
def test_a_host_resolving_to_a_non_public_address_is_refused(address):
    assert not is_public(address)
    with pytest.raises(Refused, match="non-public address"):
        check("https://innocent.test/article", resolver=resolver({"innocent.test": [address]}))


@pytest.mark.parametrize(
    "address",
    ["93.184.216.34", "2606:4700::1111", "::ffff:93.184.216.34", "64:ff9b::5db8:d822", "2002:5db8:d822::1"],
)
def test_public_addresses_in_any_form_pass(address):
    assert is_public(address)


def test_the_request_goes_to_the_approved_address_with_the_host_name_for_host_and_tls():
    import httpx

    from storylens.fetch.http import Fetcher

    seen = []

    def answer(request):
        seen.append(request)
        return httpx.Response(200, text="<p>ok</p>")

    fetcher = Fetcher(
        delay=0.0, resolver=resolver({"news.test": ["93.184.216.34"]}), transport=httpx.MockTransport(answer)
    )
    response = fetcher.get("https://news.test/world/a?x=1", robots=False)
    [request] = seen
    assert str(request.url) == "https://93.184.216.34/world/a?x=1"
    assert request.headers["host"] == "news.test"
    assert request.extensions["sni_hostname"] == "news.test"  # TLS name and certificate check
    assert response.url == "https://news.test/world/a?x=1"


def test_one_private_address_among_public_ones_is_enough_to_refuse():
    both = resolver({"mixed.test": ["93.184.216.34", "10.0.0.1"]})
    with pytest.raises(Refused):
        check("https://mixed.test/", resolver=both)


def test_public_hosts_pass_and_private_ones_pass_only_when_allowed():
    table = resolver({"news.test": ["93.184.216.34"], "intranet.test": ["10.0.0.1"]})
    assert check("https://news.test/a", resolver=table) == ["93.184.216.34"]
    assert check("http://intranet.test/a", resolver=table, allow_private=True) == ["10.0.0.1"]


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://news.test/x", "gopher://news.test/", "https://user:pw@news.test/"]
)
def test_other_schemes_and_credentials_are_refused(url):
    with pytest.raises(Refused):
        check(url, resolver=resolver({"news.test": ["93.184.216.34"]}))


def test_a_name_that_does_not_resolve_is_refused_with_its_reason():
    def broken(host, port):
        raise OSError("no such name")

    with pytest.raises(Refused, match="does not resolve"):
        check("https://nowhere.test/", resolver=broken)
