"""Feeds: RSS 0.9x/1.0/2.0 and Atom (feedparser), JSON Feed, and OPML lists of feeds."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from defusedxml import ElementTree


@dataclass(frozen=True)
class Item:
    url: str
    title: str | None
    published: str | None  # ISO date-time, or None


class BadFeed(Exception):
    """Not a feed storylens can read, with the reason."""


def parse_feed(body: bytes, url: str) -> list[Item]:
    """The items of a feed, in the feed's order; raises BadFeed for anything else."""
    stripped = body.lstrip()
    if stripped.startswith(b"{"):
        return _json_feed(stripped, url)
    import feedparser

    parsed = feedparser.parse(body)
    items = []
    for entry in parsed.entries:
        link = entry.get("link") or next(
            (x.get("href") for x in entry.get("links", []) if x.get("href")), None
        )
        if not link:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = datetime(*stamp[:6], tzinfo=UTC).isoformat(timespec="minutes") if stamp else None
        items.append(Item(link.strip(), entry.get("title"), published))
    if parsed.bozo and not items:
        raise BadFeed(f"{url}: not a readable feed ({type(parsed.bozo_exception).__name__})")
    if not items and not parsed.get("version"):
        raise BadFeed(f"{url}: not a feed")
    return items


def _json_feed(body: bytes, url: str) -> list[Item]:
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise BadFeed(f"{url}: invalid JSON Feed ({exc})") from exc
    if not isinstance(document, dict) or "items" not in document:
        raise BadFeed(f"{url}: JSON without feed items")
    return [
        Item(i["url"], i.get("title"), i.get("date_published"))
        for i in document["items"]
        if isinstance(i, dict) and isinstance(i.get("url"), str)
    ]


def parse_opml(body: bytes) -> list[tuple[str, str | None]]:
    """(feed URL, outlet title) for every feed an OPML file lists (XML attacks refused)."""
    try:
        root = ElementTree.fromstring(body)
    except Exception as exc:  # defusedxml raises several kinds
        raise BadFeed(f"not a readable OPML file ({type(exc).__name__})") from exc
    return [
        (o.get("xmlUrl"), o.get("title") or o.get("text")) for o in root.iter("outline") if o.get("xmlUrl")
    ]
