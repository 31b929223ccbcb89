"""Following feeds against a real HTTP server on loopback (bounded requests, no other traffic)."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from storylens import open_store
from storylens.fetch.http import Fetcher, FetchError
from storylens.fetch.watch import fetch_urls, poll

PARAGRAPHS = {
    "a1": [
        "Valdria and Kelmar opened a new border crossing at the Drava pass on Monday, the two governments said.",
        "The crossing will be staffed by officers from both countries and open to trucks carrying grain and cotton.",
        "Traders in the border town of Sell said the new post would cut waiting times from days to hours.",
    ],
    "a3": [
        "Traders at the new Drava pass border crossing between Valdria and Kelmar said on Wednesday that "
        "trucks carrying grain and cotton now wait hours instead of days.",
        "Officers from both countries staff the crossing, which Valdria and Kelmar opened on Monday.",
        "Smugglers who used the pass have moved elsewhere, the border town of Sell's mayor said.",
    ],
    "a2": [
        "Floodwater receded in Tamsin on Tuesday as engineers began repairing the levee along the Lenne river.",
        "The civil protection agency said about 3,000 people who had been evacuated could return to their homes.",
        "Insurers estimated the damage at more than 400 million ostmarks, making it the costliest flood in decades.",
    ],
}


def page(key: str, canonical: str | None = None) -> bytes:
    title = PARAGRAPHS[key][0].split(",")[0][:60]
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[key])
    return (
        f"<html><head><title>{title}</title>{link}</head><body><article><h1>{title}</h1>{body}</article>"
        "</body></html>"
    ).encode()


class Site:
    """What the test server serves; tests change it between polls and read its request log."""

    def __init__(self):
        self.items = ["/a1"]
        self.log: list[tuple[str, dict]] = []
        self.busy = 1  # how many 429s /busy answers before it serves
        self.etag = '"v1"'


def feed(base: str, items: list[str]) -> bytes:
    entries = "".join(
        f"<item><title>{i}</title><link>{base}{i}</link><pubDate>Mon, 07 Jul 2025 09:00:00 GMT</pubDate></item>"
        for i in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title>{entries}</channel></rss>'.encode()


@pytest.fixture
def site():
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send(self, status: int, body: bytes = b"", **headers):
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            state.log.append((self.path, dict(self.headers)))
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            path = self.path
            if path == "/robots.txt":
                return self.send(200, b"User-agent: *\nDisallow: /private/\n", Content_Type="text/plain")
            if path == "/feed.xml":
                if self.headers.get("If-None-Match") == state.etag:
                    return self.send(304, ETag=state.etag)
                return self.send(
                    200, feed(base, state.items), Content_Type="application/rss+xml", ETag=state.etag
                )
            if path == "/bad-feed.xml":
                return self.send(
                    200, b"<rss><channel><item><title>broken", Content_Type="application/rss+xml"
                )
            if path == "/slow":
                import time

                time.sleep(2)
                return self.send(200, page("a1"), Content_Type="text/html")
            if path.startswith("/a3"):
                return self.send(200, page("a3"), Content_Type="text/html")
            if path.startswith("/a1"):
                return self.send(200, page("a1"), Content_Type="text/html; charset=utf-8")
            if path.startswith("/amp/a2"):
                return self.send(200, page("a2", canonical=f"{base}/a2"), Content_Type="text/html")
            if path.startswith("/a2"):
                return self.send(200, page("a2", canonical=f"{base}/a2"), Content_Type="text/html")
            if path == "/busy":
                if state.busy > 0:
                    state.busy -= 1
                    return self.send(429, b"slow down", Retry_After="1")
                return self.send(200, page("a1"), Content_Type="text/html")
            if path.startswith("/go?to="):
                return self.send(302, Location=path.removeprefix("/go?to="))
            if path == "/to-private":
                return self.send(302, Location="http://internal.test/secret")
            if path == "/huge":
                self.send_response(200)
                self.send_header("Content-Length", str(50_000_000))
                self.end_headers()
                try:
                    self.wfile.write(b"x" * 65536)
                except OSError:
                    pass
                return None
            if path.startswith("/private/"):
                return self.send(200, page("a1"), Content_Type="text/html")
            return self.send(404, b"no")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def loopback_only(monkeypatch):
    """Every connection to anything but loopback fails the test."""
    real = socket.socket.connect

    def connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        assert host in ("127.0.0.1", "::1", "localhost"), f"a connection to {address} was attempted"
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


def fetcher(**kwargs) -> Fetcher:
    sleeps: list[float] = []
    made = Fetcher(allow_private=True, delay=0.0, timeout=5.0, sleep=sleeps.append, **kwargs)
    made.sleeps = sleeps
    return made


def test_a_poll_ingests_new_items_and_an_unchanged_feed_costs_one_304(site, tmp_path, loopback_only):
    with open_store(tmp_path / "s.db") as store:
        store.add_feed(site.base + "/feed.xml", "Test Wire")
        first = poll(store, fetcher())
        assert (first.items, first.added) == (1, 1) and first.problems == []
        [article] = [store.article(r.id) for r in store.article_rows()]
        assert article.outlet == "Test Wire" and article.url == site.base + "/a1"
        assert article.published.startswith("2025-07-07")
        assert store.story_of(article.id)  # the pipeline ran: it is in a story
        again = poll(store, fetcher())
        assert again.unchanged == 1 and again.fetched == 0
        feed_requests = [headers for path, headers in site.log if path == "/feed.xml"]
        assert feed_requests[-1].get("If-None-Match") == '"v1"'


def test_new_items_are_fetched_within_one_round_and_one_article_under_three_urls_is_stored_once(
    site, tmp_path, loopback_only
):
    with open_store(tmp_path / "s.db") as store:
        store.add_feed(site.base + "/feed.xml", "Test Wire")
        poll(store, fetcher())
        site.items = ["/a1", "/a2?utm_source=rss", "/amp/a2", "/a2"]
        site.etag = '"v2"'
        report = poll(store, fetcher())
        assert report.added == 1 and store.count("articles") == 2
        pages = [path for path, _ in site.log if path.startswith(("/a1", "/a2", "/amp"))]
        assert pages.count("/a1") == 1  # never fetched twice
        assert len([p for p in pages if "a2" in p]) <= 2  # the tracking form is the same URL


def test_robots_txt_is_honoured(site, tmp_path, loopback_only):
    with open_store(tmp_path / "s.db") as store:
        report = fetch_urls(store, fetcher(), [site.base + "/private/a1"])
    assert report.added == 0 and "robots.txt" in report.problems[0][1]
    assert "/private/a1" not in [path for path, _ in site.log]


def test_429_is_retried_after_the_time_it_asks_for(site, tmp_path, loopback_only):
    polite = fetcher()
    with open_store(tmp_path / "s.db") as store:
        report = fetch_urls(store, polite, [site.base + "/busy"])
    assert report.added == 1 and polite.sleeps == [1.0]
    assert [path for path, _ in site.log].count("/busy") == 2


@pytest.fixture
def site_is_public(monkeypatch):
    """The guard takes the loopback test site (127.0.0.1) for a public host; nothing else changes."""
    from storylens.fetch import guard

    real = guard.is_public
    monkeypatch.setattr(guard, "is_public", lambda address: address == "127.0.0.1" or real(address))


@pytest.fixture
def rebinding_dns(monkeypatch):
    """A DNS for `rebind.test` that answers its list of addresses one call after the other (the
    last one from then on); other names resolve as usual. Connections to anything but loopback
    are recorded and refused, so that no packet leaves the machine."""
    answers: list[str] = []
    attempts: list[tuple] = []
    real_resolve, real_connect = socket.getaddrinfo, socket.socket.connect

    def getaddrinfo(host, port, *args, **kwargs):
        if host != "rebind.test":
            return real_resolve(host, port, *args, **kwargs)
        address = answers.pop(0) if len(answers) > 1 else answers[0]
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    def connect(self, address):
        if address[0] in ("127.0.0.1", "::1"):
            return real_connect(self, address)
        attempts.append(address)
        raise ConnectionRefusedError(f"test: no connection to {address[0]}")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    return answers, attempts


def test_a_name_that_rebinds_to_loopback_after_the_check_is_never_fetched(site, rebinding_dns):
    answers, attempts = rebinding_dns
    answers += ["93.184.216.34", "127.0.0.1"]  # public for the check, loopback for a second look
    port = site.base.rsplit(":", 1)[1]
    strict = Fetcher(delay=0.0, timeout=5.0)
    with pytest.raises(FetchError):
        strict.get(f"http://rebind.test:{port}/a1", robots=False)
    assert site.log == []  # the loopback server was never reached
    assert [a[0] for a in attempts] == ["93.184.216.34"]  # only the approved address was tried


def test_every_redirect_connects_to_the_address_its_check_approved(site, site_is_public, rebinding_dns):
    answers, attempts = rebinding_dns
    answers += ["127.0.0.1", "10.0.0.1"]  # approved (the site), then a private address
    port = site.base.rsplit(":", 1)[1]
    strict = Fetcher(delay=0.0, timeout=5.0)
    response = strict.get(f"{site.base}/go?to=http://rebind.test:{port}/a1", robots=False)
    assert response.status == 200 and response.url == f"http://rebind.test:{port}/a1"
    [(path, headers)] = [entry for entry in site.log if entry[0] == "/a1"]
    assert headers["Host"] == f"rebind.test:{port}" and attempts == []


def test_a_redirect_to_a_private_address_is_refused_before_any_connection(site, site_is_public, monkeypatch):
    table = {"127.0.0.1": ["127.0.0.1"], "internal.test": ["10.0.0.1"]}
    strict = Fetcher(allow_private=False, delay=0.0, timeout=5.0, resolver=lambda host, port: table[host])
    real = socket.socket.connect

    def connect(self, address):
        assert address[0] == "127.0.0.1", f"a connection to {address} was attempted"
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    with pytest.raises(FetchError, match="non-public address"):
        strict.get(site.base + "/to-private")


def test_a_response_over_the_size_limit_is_refused(site, loopback_only):
    with pytest.raises(FetchError, match="limit"):
        fetcher().get(site.base + "/huge")


def test_a_malformed_feed_is_reported_and_the_others_go_on(site, tmp_path, loopback_only):
    with open_store(tmp_path / "s.db") as store:
        store.add_feed(site.base + "/bad-feed.xml", None)
        store.add_feed(site.base + "/feed.xml", "Test Wire")
        report = poll(store, fetcher())
        assert report.added == 1 and any("bad-feed" in source for source, _ in report.problems)
        [bad] = [f for f in store.feeds() if "bad-feed" in f["url"]]
        assert bad["failures"] == 1 and bad["last_error"]


def test_a_watcher_killed_mid_poll_resumes_without_losing_or_duplicating(site, tmp_path, loopback_only):
    site.items = ["/a1", "/a2"]
    with open_store(tmp_path / "s.db") as store:
        store.add_feed(site.base + "/feed.xml", "Test Wire")
        dying = fetcher()
        real_get = dying.get

        def get(url, **kwargs):
            if url.endswith("/a2"):
                raise KeyboardInterrupt  # killed while fetching the second article
            return real_get(url, **kwargs)

        dying.get = get
        with pytest.raises(KeyboardInterrupt):
            poll(store, dying)
        assert store.count("articles") == 0  # nothing half-stored
        site.etag = '"v2"'  # a fresh poll sees the feed again
        report = poll(store, fetcher())
        assert report.added == 2 and store.count("articles") == 2
        site.etag = '"v3"'
        assert poll(store, fetcher()).added == 0 and store.count("articles") == 2


def test_the_cli_follows_a_feed(cli, db, site, loopback_only):
    cli("feeds", "add", site.base + "/feed.xml", "--outlet", "Test Wire", "--db", db)
    assert "Test Wire" in cli("feeds", "list", "--db", db).stdout
    result = cli("watch", "--once", "--allow-private", "--db", db)
    assert "1 new articles" in result.stdout
    refused = cli("fetch", site.base + "/a2", "--db", db, expect=1)  # loopback without --allow-private
    assert "non-public address" in refused.output


def test_a_follow_up_fetched_later_joins_the_existing_story(site, tmp_path, loopback_only):
    with open_store(tmp_path / "s.db") as store:
        store.add_feed(site.base + "/feed.xml", "Test Wire")
        poll(store, fetcher())
        [first] = [r.id for r in store.article_rows()]
        site.items = ["/a1", "/a3"]
        site.etag = '"v2"'
        assert poll(store, fetcher()).added == 1
        [later] = [r.id for r in store.article_rows() if r.id != first]
        assert store.story_of(later) == store.story_of(first)


def test_watching_keeps_the_comparison_of_a_story_that_grew_ready(site, tmp_path, loopback_only):
    from storylens.fetch.watch import watch

    def follow_up(report):
        site.items, site.etag = ["/a1", "/a3"], '"v2"'  # the next round finds a follow-up

    with open_store(tmp_path / "s.db") as store:
        store.add_feed(site.base + "/feed.xml", "Test Wire")
        watch(store, fetcher(), interval=0, rounds=2, on_round=follow_up, sleep=lambda s: None)
        [story] = [r for r in store.story_rows() if len(r["article_ids"]) == 2]
        assert list(store.stored_comparisons()) == [story["id"]]


def test_a_watch_round_keeps_the_outlet_figures_once_after_its_comparisons(
    site, tmp_path, loopback_only, monkeypatch
):
    """A round that adds articles compares the stories they changed and then keeps the outlet
    figures, once: the figures the web app reads count the new comparisons."""
    import storylens.pipeline as pipeline
    from storylens.fetch.watch import watch
    from storylens.outlets import kept_views, load

    kept = []
    keep = pipeline.keep_figures
    monkeypatch.setattr(pipeline, "keep_figures", lambda store: kept.append(store) or keep(store))

    def follow_up(report):
        site.items, site.etag = ["/a1", "/a3"], '"v2"'

    with open_store(tmp_path / "s.db") as store:
        store.add_feed(site.base + "/feed.xml", "Test Wire")
        watch(store, fetcher(), interval=0, rounds=2, on_round=follow_up, sleep=lambda s: None)
        assert len(kept) == 2  # one a round, each round having added articles
        assert store.stored_comparisons()  # the story that grew, compared within its round
        fresh = {name: json.loads(json.dumps(view)) for name, view in kept_views(load(store)).items()}
        assert all(store.kept_view(name) == view for name, view in fresh.items())  # kept after it


def test_a_slow_server_times_out_with_a_clear_reason(site, loopback_only):
    impatient = Fetcher(allow_private=True, delay=0.0, timeout=0.5)
    with pytest.raises(FetchError, match="Timeout"):
        impatient.get(site.base + "/slow")


def test_serve_watch_runs_the_watcher_in_the_background(site, tmp_path, loopback_only):
    from storylens.fetch.watch import watch_in_background

    db = tmp_path / "s.db"
    with open_store(db) as store:
        store.add_feed(site.base + "/feed.xml", "Test Wire")
    watch_in_background(db, interval=0.1, allow_private=True, rounds=1).join(timeout=60)
    with open_store(db) as store:
        assert store.count("articles") == 1


def test_the_bundled_opml_lists_outlets_to_follow(cli, db):
    from conftest import ROOT

    assert "following 6 feeds" in cli("feeds", "add", ROOT / "examples" / "feeds.opml", "--db", db).stdout
    listing = cli("feeds", "list", "--db", db).stdout
    assert "BBC News" in listing and "polled never" in listing
