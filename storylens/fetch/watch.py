"""Following outlets: poll feeds, fetch the new articles, run the pipeline on them.

State lives in the store: each feed's ETag and Last-Modified (an unchanged feed costs one 304),
and every URL fetched, by its normalised key (one article under several URLs is fetched once;
its canonical link counts too). A page is marked fetched only after the ingest that stored it
has committed, so a watcher killed at any moment fetches it again next time and the ingest's own
de-duplication keeps the store free of duplicates.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from storylens.fetch.feeds import BadFeed, Item, parse_feed
from storylens.fetch.http import Fetcher, FetchError
from storylens.fetch.urls import canonical_link, normalize
from storylens.model import RawDoc
from storylens.pipeline import ingest_documents
from storylens.store import Store

MAX_ITEMS_PER_FEED = 200


@dataclass
class PollReport:
    feeds: int = 0
    unchanged: int = 0
    items: int = 0
    fetched: int = 0
    added: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)


def poll(store: Store, fetcher: Fetcher, *, compare: bool = False) -> PollReport:
    """One round over every feed: new items fetched and ingested (stories, reuse... updated);
    with `compare`, the stories they changed compared too."""
    report = PollReport()
    pages: list[tuple[Item, str | None]] = []
    for feed in store.feeds():
        report.feeds += 1
        try:
            response = fetcher.get(feed["url"], etag=feed["etag"], modified=feed["modified"])
            if response.not_modified:
                report.unchanged += 1
                store.feed_polled(feed["url"], None, None, None)
                continue
            if response.status >= 400:
                raise FetchError(f"{feed['url']}: HTTP {response.status}")
            items = parse_feed(response.body, feed["url"])[:MAX_ITEMS_PER_FEED]
        except (FetchError, BadFeed) as exc:
            report.problems.append((feed["url"], str(exc)))
            store.feed_polled(feed["url"], None, None, str(exc))
            continue
        store.feed_polled(
            feed["url"], response.headers.get("etag"), response.headers.get("last-modified"), None
        )
        report.items += len(items)
        pages += [(item, feed["outlet"]) for item in items]
    fetch_and_ingest(store, fetcher, pages, report, compare=compare)
    return report


def fetch_urls(store: Store, fetcher: Fetcher, urls: list[str], outlet: str | None = None) -> PollReport:
    """Fetch and ingest individual article pages."""
    report = PollReport()
    fetch_and_ingest(store, fetcher, [(Item(u, None, None), outlet) for u in urls], report)
    return report


def fetch_and_ingest(
    store: Store,
    fetcher: Fetcher,
    pages: list[tuple[Item, str | None]],
    report: PollReport,
    *,
    compare: bool = False,
) -> None:
    """Fetch the pages not fetched before (by normalised URL or canonical link) and ingest them
    (and with `compare`, compare the stories they changed)."""
    seen = store.fetched_keys(normalize(item.url) for item, _ in pages)
    wanted: dict[str, tuple[Item, str | None]] = {}
    for item, outlet in pages:
        key = normalize(item.url)
        if key not in seen and key not in wanted:
            wanted[key] = (item, outlet)
    documents: list[RawDoc] = []
    marks: list[tuple[str, str]] = []
    taken: set[str] = set()
    for key, (item, outlet) in wanted.items():
        try:
            response = fetcher.get(item.url)
            if response.status >= 400:
                raise FetchError(f"{item.url}: HTTP {response.status}")
            html = response.text()
        except Exception as exc:  # one bad page never stops the round
            report.problems.append((item.url, str(exc)[:300]))
            continue
        canonical = canonical_link(html, response.url) or response.url
        keys = {key, normalize(response.url), normalize(canonical)}
        marks += [(k, canonical) for k in keys]
        if (keys - {key}) & (taken | store.fetched_keys(keys - {key})):
            continue  # the same article, already fetched under another of its URLs
        taken |= keys
        documents.append(
            RawDoc(source=canonical, html=html, url=canonical, outlet=outlet, published=item.published)
        )
        report.fetched += 1
    if documents:
        result = ingest_documents(documents, store, compare=compare)
        report.added += result.added
        report.problems += [(p.source, p.reason) for p in result.problems]
    store.mark_fetched([(k, url, store.article_by_source(url)) for k, url in marks])


def watch(
    store: Store,
    fetcher: Fetcher,
    interval: float,
    rounds: int | None = None,
    on_round: Callable[[PollReport], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Poll every `interval` seconds, `rounds` times (forever when None); a round that adds
    articles compares the stories they changed, so that the web app shows them at once (and
    keeps the outlet figures once, after the comparisons)."""
    done = 0
    while rounds is None or done < rounds:
        started = time.monotonic()
        report = poll(store, fetcher, compare=True)
        if on_round:
            on_round(report)
        done += 1
        if rounds is None or done < rounds:
            sleep(max(0.0, interval - (time.monotonic() - started)))


def watch_in_background(db, interval: float, allow_private: bool = False, rounds: int | None = None):
    """Run the watcher in a daemon thread with its own store connection (for `serve --watch`)."""
    import threading

    from storylens.fetch.http import Fetcher
    from storylens.store import open_store

    def run() -> None:
        fetcher = Fetcher(allow_private=allow_private)
        try:
            with open_store(db) as store:
                watch(store, fetcher, interval, rounds=rounds)
        finally:
            fetcher.close()

    thread = threading.Thread(target=run, name="storylens-watch", daemon=True)
    thread.start()
    return thread
