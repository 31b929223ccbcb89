"""Following the news: `feeds add|list`, `fetch` and `watch`."""

from __future__ import annotations

import re
from pathlib import Path

import click

from storylens.cli.common import db_option, err, main, out, shown, store_at


@main.group()
def feeds() -> None:
    """The feeds storylens follows (RSS, Atom, JSON Feed; or an OPML file of many)."""


@feeds.command("add")
@click.argument("source")
@db_option
@click.option("--outlet", help="The outlet the feed's articles come from.")
def feeds_add(source, db, outlet) -> None:
    """Follow a feed by URL, or every feed an OPML file lists."""
    from storylens.fetch.feeds import BadFeed, parse_opml

    if Path(source).is_file():
        try:
            found = parse_opml(Path(source).read_bytes())
        except BadFeed as exc:
            raise click.ClickException(f"{source}: {exc}") from exc
    elif source.startswith(("http://", "https://")):
        found = [(source, outlet)]
    else:
        raise click.ClickException(f"{source}: neither an http(s) feed URL nor an OPML file")
    with store_at(db) as store:
        for url, title in found:
            store.add_feed(url, outlet or title)
    out.print(f"following {len(found)} feed{'s' if len(found) != 1 else ''}")


@feeds.command("list")
@db_option
def feeds_list(db) -> None:
    """The feeds followed, when each was last polled, and its last error."""
    with store_at(db) as store:
        rows = store.feeds()
    if not rows:
        out.print("no feeds yet: storylens feeds add URL")
    for row in rows:
        state = f"error x{row['failures']}: {row['last_error']}" if row["last_error"] else "ok"
        polled = shown(row["polled_at"] or "never")
        out.print(f"{shown(row['url'])}  {shown(row['outlet'] or '-')}  polled {polled}  {shown(state)}")


allow_private_option = click.option(
    "--allow-private", is_flag=True, help="Allow fetching from loopback and private networks (intranets)."
)


def _fetcher(allow_private: bool):
    from storylens.fetch.http import Fetcher

    return Fetcher(allow_private=allow_private)


def _report(result) -> None:
    out.print(
        f"{result.feeds} feeds ({result.unchanged} unchanged), {result.items} items, "
        f"{result.fetched} pages fetched, {result.added} new articles"
    )
    for source, reason in result.problems:
        err.print(f"[yellow]skipped[/] {shown(source)}: {shown(reason)}")


@main.command()
@click.argument("urls", nargs=-1, required=True)
@db_option
@click.option("--outlet", help="The outlet of every page fetched.")
@allow_private_option
def fetch(urls, db, outlet, allow_private) -> None:
    """Fetch article pages by URL and ingest them (politely: robots.txt, rate limits, guard).
    Exits 1 when no page could be fetched and at least one URL failed."""
    from storylens.fetch.watch import fetch_urls

    fetcher = _fetcher(allow_private)
    try:
        with store_at(db) as store:
            result = fetch_urls(store, fetcher, list(urls), outlet)
    finally:
        fetcher.close()
    _report(result)
    if result.problems and not result.fetched:
        raise click.ClickException("no page could be fetched")


@main.command()
@db_option
@click.option("--interval", default="15m", show_default=True, help="Time between polls: 90s, 15m, 1h.")
@click.option("--once", is_flag=True, help="Poll once and stop.")
@allow_private_option
def watch(db, interval, once, allow_private) -> None:
    """Poll every feed, fetch new articles and update the stories, until stopped (Ctrl-C)."""
    from storylens.fetch.watch import watch as run_watch

    seconds = parse_interval(interval)
    fetcher = _fetcher(allow_private)
    try:
        with store_at(db) as store:
            run_watch(store, fetcher, seconds, rounds=1 if once else None, on_round=_report)
    except KeyboardInterrupt:
        err.print("stopped")
    finally:
        fetcher.close()


def parse_interval(text: str) -> float:

    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text)
    if not match:
        raise click.BadParameter(f"{text!r}: use a number with s, m or h, such as 15m")
    return float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]
