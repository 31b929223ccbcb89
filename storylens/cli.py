"""The command line: thin click wrappers over the library; it parses arguments and prints."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from storylens.config import Config
from storylens.export import write_json, write_jsonl
from storylens.ingest import discover
from storylens.ingest.manifest import read_manifest
from storylens.pipeline import analyze_store, compare_stories
from storylens.pipeline import compare as run_compare
from storylens.pipeline import ingest as run_ingest
from storylens.pipeline import recluster as run_recluster
from storylens.store import StoreError, open_store

# Piped output is not cut to 80 columns: tables stay one row per line.
out = Console(highlight=False, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 200)

# What a terminal would obey rather than show: C0 and C1 controls (ESC, CSI, BEL...) but tab
# and newline, and the invisible bidirectional and zero-width marks that reorder a line.
TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def shown(text) -> str:
    """`text` as the terminal may print it: control characters dropped, rich markup escaped."""
    return escape(TERMINAL_CONTROLS.sub("", str(text)))


ENTITY_TYPES = ["PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "OTHER"]

db_option = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The store (default: $STORYLENS_DB or ./storylens.db).",
)


def _store(db: Path | None):
    try:
        return open_store(db or Config().db)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group()
@click.version_option(package_name="storylens")
def main() -> None:
    """storylens: read the news across many outlets."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option("--outlet", help="The outlet of every file read (overrides what the files say).")
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV with columns path,url,outlet,published.",
)
@click.option("--jobs", "-j", default=1, show_default=True, help="Processes for parsing.")
@click.option(
    "--no-analyze", is_flag=True, help="Only clean and store: no entities, quotes, embeddings or reuse."
)
def ingest(paths, db, outlet, manifest, jobs, no_analyze) -> None:
    """Read text, HTML, JSONL and WARC files (or folders of them) into the store."""
    manifest_entries = read_manifest(manifest) if manifest else None
    options = {"outlet": outlet, "manifest": manifest_entries, "jobs": jobs, "understand": not no_analyze}
    with _store(db) as store:
        if sys.stderr.isatty():
            with Progress(
                TextColumn("ingesting"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=err,
                transient=True,
            ) as bar:
                task = bar.add_task("files", total=sum(1 for _ in discover(Path(p) for p in paths)))
                report = run_ingest(paths, store, progress=lambda n: bar.advance(task, n), **options)
        else:
            report = run_ingest(paths, store, **options)
        total = store.count("articles")
    out.print(
        f"{report.files} files, {report.documents} documents: {report.added} new articles, "
        f"{report.duplicates} duplicates of stored articles, {report.already_seen} already read, "
        f"{len(report.problems)} unreadable. The store holds {total} articles"
        + (f"; {report.analysed} analysed." if report.analysed else ".")
    )
    for problem in report.problems:
        err.print(f"[yellow]skipped[/] {shown(problem.source)}: {shown(problem.reason)}")
    readable = report.added + report.duplicates + report.already_seen
    if readable == 0:
        raise click.ClickException("nothing could be read")


@main.command()
@db_option
def articles(db) -> None:
    """A table of the stored articles: id, outlet, published, title, words."""
    with _store(db) as store:
        rows = store.article_rows()
    table = Table(box=None, pad_edge=False)
    for name in ("id", "outlet", "published"):
        table.add_column(name, no_wrap=True)
    table.add_column("title", overflow="ellipsis", no_wrap=True)
    table.add_column("words", justify="right")
    for row in rows:
        table.add_row(
            row.id,
            shown(row.outlet or "-"),
            shown(row.published or "-"),
            shown(row.title),
            str(row.words),
        )
    out.print(table)


@main.command()
@click.argument("article_id")
@db_option
def show(article_id, db) -> None:
    """The cleaned article, with what was removed and why."""
    with _store(db) as store:
        article = store.article(article_id)
        if article is None:
            raise click.ClickException(f"no article {article_id[:80]!r}")
        sources = store.sources(article.id)
    out.print(f"[bold]{shown(article.title)}[/]")
    out.print(f"id         {article.id}")
    out.print(f"outlet     {shown(article.outlet or '-')}")
    evidence = f"  (from: {shown(article.published_evidence)})" if article.published_evidence else ""
    out.print(f"published  {shown(article.published or '-')}{evidence}")
    out.print(f"dateline   {shown(article.dateline or '-')}")
    out.print(f"language   {shown(article.language or '-')}")
    for source in sources:
        out.print(f"source     {shown(source)}")
    out.print()
    for paragraph in article.paragraphs:
        out.print(shown(paragraph), soft_wrap=True)
        out.print()
    if article.boilerplate:
        out.print("[bold]removed[/]")
        for removed in article.boilerplate:
            out.print(f"  [dim]{shown(removed.reason)}[/]: {shown(removed.line)}")


@main.command()
@db_option
def errors(db) -> None:
    """Files and records that could not be read, with the reason."""
    with _store(db) as store:
        problems = store.errors()
    if not problems:
        out.print("no errors")
    for problem in problems:
        out.print(f"{shown(problem.source)}: {shown(problem.reason)}")


@main.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl"]), default="json", show_default=True)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here, not stdout.",
)
@click.option(
    "--no-compare", is_flag=True, help="Stories without facts, omissions, framing and summary (fast)."
)
def export(db, fmt, out_path, no_compare) -> None:
    """Everything in the store, as the export contract (shared/EXPORT.md)."""
    writer = write_json if fmt == "json" else write_jsonl
    with _store(db) as store:
        if out_path:
            with open(out_path, "w", encoding="utf-8") as stream:
                writer(store, stream, not no_compare)
        else:
            writer(store, sys.stdout, not no_compare)


@main.command(name="compare")
@db_option
def compare_command(db) -> None:
    """Compare the coverage of every story whose comparison is missing or stale, and keep it."""
    with _store(db) as store:
        computed, fresh = compare_stories(store)
    out.print(f"{computed} stories compared, {fresh} already up to date.")


@main.command()
@db_option
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Re-analyse every article, not only new ones (fills in the claims of an older store).",
)
def analyze(db, everything) -> None:
    """Find entities, quotes, claims and embeddings in stored articles, and link them across articles."""
    with _store(db) as store:
        done = analyze_store(store, everything=everything)
        entities, quotes = len(store.entity_rows()), len(store.quote_rows())
    out.print(f"{done} articles analysed; the store holds {entities} entities and {quotes} quotes.")


@main.command()
@db_option
@click.option("--type", "kind", type=click.Choice(ENTITY_TYPES), help="Only entities of this type.")
def entities(db, kind) -> None:
    """Entities with their aliases and how many articles name them."""
    with _store(db) as store:
        rows = sorted(store.entity_rows(kind), key=lambda e: (-len(e["article_ids"]), e["name"]))
    table = Table(box=None, pad_edge=False)
    for name in ("id", "type", "name", "articles", "aliases", "roles"):
        table.add_column(name, no_wrap=name in ("id", "type"))
    for row in rows:
        table.add_row(
            row["id"],
            row["type"],
            shown(row["name"]),
            str(len(row["article_ids"])),
            shown(", ".join(a for a in row["aliases"] if a != row["name"])),
            shown(", ".join(row["roles"][:3])),
        )
    out.print(table)


@main.command()
@click.argument("name")
@db_option
def entity(name, db) -> None:
    """One entity (by id, name or alias): its aliases, roles and mentions in context."""
    with _store(db) as store:
        wanted = name.lower()
        matches = [
            e
            for e in store.entity_rows()
            if e["id"] == name or e["name"].lower() == wanted or wanted in (a.lower() for a in e["aliases"])
        ]
        if not matches:
            raise click.ClickException(f"no entity named {name!r}")
        for row in matches:
            out.print(f"[bold]{shown(row['name'])}[/] ({row['type']}, {row['id']})")
            out.print(f"aliases  {shown(', '.join(row['aliases']))}")
            if row["roles"]:
                out.print(f"roles    {shown(', '.join(row['roles']))}")
            out.print(f"articles {len(row['article_ids'])}")
            for article_id, paragraph, text in store.entity_mentions(row["id"]):
                at = paragraph.find(text)
                context = paragraph[max(0, at - 60) : at + len(text) + 60] if at >= 0 else paragraph[:120]
                out.print(f"  {article_id}  …{shown(context)}…", soft_wrap=True)
            out.print()


@main.command()
@db_option
@click.option("--speaker", help="Only quotes by this entity (name or alias).")
def quotes(db, speaker) -> None:
    """Quotes grouped by statement: the same remark across outlets together."""
    with _store(db) as store:
        rows = store.quote_rows()
        names = {e["id"]: e for e in store.entity_rows()}
    if speaker:
        wanted = speaker.lower()
        rows = [
            q
            for q in rows
            if q["speaker_id"] in names
            and (
                names[q["speaker_id"]]["name"].lower() == wanted
                or wanted in (a.lower() for a in names[q["speaker_id"]]["aliases"])
            )
        ]
    grouped: dict[str, list[dict]] = {}
    for quote in rows:
        grouped.setdefault(quote["statement_id"] or quote["id"], []).append(quote)
    for statement_id, members in sorted(grouped.items(), key=lambda kv: -len(kv[1])):
        ids = {q["speaker_id"] for q in members if q["speaker_id"]}
        who = ", ".join(names[i]["name"] for i in ids) or members[0]["speaker_text"] or "unknown speaker"
        out.print(
            f"[bold]{statement_id}[/]  {shown(who)}  ({len({q['article_id'] for q in members})} articles)"
        )
        for quote in members:
            mark = "“”" if quote["direct"] else "~"
            out.print(f"  {quote['article_id']} {mark} {shown(quote['text'])}", soft_wrap=True)
            cue = f"cue “{shown(quote['cue'])}”; " if quote["cue"] else ""
            out.print(
                f"      [dim]{shown(quote['form'])}, {cue}{shown(quote['speaker_text'] or 'no speaker')}: "
                f"{shown(quote['evidence'])}[/]",
                soft_wrap=True,
            )
        out.print()


@main.command()
@click.argument("article_id", required=False)
@db_option
def reuse(article_id, db) -> None:
    """Who copied whom: article pairs sharing text beyond quotations, with the passages."""
    with _store(db) as store:
        if article_id:
            article = store.article(article_id)
            if article is None:
                raise click.ClickException(f"no article {article_id!r}")
            article_id = article.id
        rows = store.reuse_rows(article_id)
        titles = {row.id: row.title for row in store.article_rows()}
    if not rows:
        out.print("no reuse found")
    for row in rows:
        if row["copier"]:
            head = f"{row['copier']} took from {row['source']}"
            head += f"  ({row['derivation']}, by {row['direction_basis']})"
        else:
            head = f"{row['a']} and {row['b']} share text  (direction unknown)"
        out.print(f"[bold]{head}[/]")
        for side in ("a", "b"):
            share = row["shared_fraction_" + side]
            out.print(f"  {row[side]}  {shown(titles.get(row[side], ''))}  shares {share:.0%}")
        for passage in row["passages"]:
            mark = "quotation only" if passage["quotation"] else f"similarity {passage['similarity']:.2f}"
            out.print(f"    {shown('[' + mark + ']')} {shown(passage['a_text'])}", soft_wrap=True)
        out.print()


@main.command()
@db_option
def stories(db) -> None:
    """Stories (articles reporting the same event), oldest first: dates, size, outlets, title."""
    with _store(db) as store:
        rows = store.story_rows()
    if not rows:
        out.print("no stories yet (ingest articles, or run storylens recluster)")
        return
    table = Table(box=None, pad_edge=False)
    for name in ("id", "first", "last"):
        table.add_column(name, no_wrap=True)
    table.add_column("articles", justify="right")
    table.add_column("outlets", justify="right")
    table.add_column("title", overflow="ellipsis", no_wrap=True)
    for row in rows:
        table.add_row(
            row["id"],
            shown((row["first_published"] or "-")[:10]),
            shown((row["last_published"] or "-")[:10]),
            str(row["size"]),
            str(len(row["outlets"])),
            shown(row["title"]),
        )
    out.print(table)


@main.command()
@click.argument("story_id")
@db_option
def story(story_id, db) -> None:
    """One story: its articles in time order, a cited summary, the facts most outlets carry,
    what each outlet alone carries or leaves out, and each outlet's distinctive words."""
    with _store(db) as store:
        rows = store.story_rows(story_id)
        if len(rows) != 1:
            raise click.ClickException(
                f"no story {story_id[:80]!r}" if not rows else f"{story_id!r} is ambiguous"
            )
        row = rows[0]
        articles = {a.id: a for a in (store.article(aid) for aid in row["article_ids"]) if a}
    out.print(f"[bold]{shown(row['title'])}[/]")
    out.print(f"id         {row['id']}")
    out.print(f"dates      {shown(row['first_published'] or '-')} .. {shown(row['last_published'] or '-')}")
    out.print(f"outlets    {shown(', '.join(row['outlets']) or '-')}")
    out.print()
    number = {aid: i for i, aid in enumerate(row["article_ids"], start=1)}
    for aid in row["article_ids"]:
        article = articles[aid]
        out.print(
            f"  [{number[aid]}] {aid}  {shown(article.published or '-'):<25} "
            f"{shown(article.outlet or '-'):<20} {shown(article.title)}",
            soft_wrap=True,
        )
    if len(row["article_ids"]) < 2:
        return
    with _store(db) as store:
        comparison = run_compare(store, row["id"])

    def cites(ids) -> str:
        return shown("".join(f"[{n}]" for n in sorted(number[a] for a in ids)))

    out.print("\n[bold]summary[/] (each sentence cites the articles that carry it)")
    for sentence in comparison.summary:
        single = "  (one outlet only)" if sentence.single_source else ""
        out.print(f"  {shown(sentence.text)} {cites(sentence.article_ids)}{single}", soft_wrap=True)
    out.print("\n[bold]facts most outlets carry[/]")
    for fact in [f for f in comparison.facts if len(f.sources) >= 2][:12]:
        flag = "  (disagrees with another report)" if fact.disagrees_with else ""
        out.print(
            f"  {len(fact.sources)} outlets  {shown(fact.text)} {cites(fact.article_ids)}{flag}",
            soft_wrap=True,
        )
    for heading, found in (
        ("only this outlet carries", comparison.outlet_only),
        ("left out, though most outlets carry it", comparison.outlet_omits),
    ):
        if found:
            out.print(f"\n[bold]{heading}[/]")
        for source, texts in sorted(found.items()):
            out.print(f"  {shown(source)}")
            for text in texts:
                out.print(f"    - {shown(text)}", soft_wrap=True)
    if comparison.labels:
        out.print("\n[bold]one referent, different words[/]")
        for entry in comparison.labels:
            words = "; ".join(f"{word}: {', '.join(sources)}" for word, sources in entry["labels"].items())
            out.print(f"  {shown(entry['entity'])}  {shown(words)}", soft_wrap=True)
    framing = {source: terms for source, terms in comparison.framing.items() if terms}
    if framing:
        out.print("\n[bold]distinctive words[/] (weighted log-odds, z-score)")
        for source, terms in sorted(framing.items()):
            out.print(f"  {shown(source)}: " + shown(", ".join(f"{t} ({z:.1f})" for t, z in terms)))


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--out", "out_dir", required=True, help="Folder (or any Hadoop-compatible URI) for the Parquet tables."
)
@click.option(
    "--engine",
    type=click.Choice(["spark"]),
    default="spark",
    show_default=True,
    help="The engine; on one machine, `storylens ingest` is the local one.",
)
@click.option("--master", help="Spark master, e.g. local[4] or spark://host:7077 (default: spark-submit's).")
@click.option("--outlet", help="The outlet of every file read (overrides what the files say).")
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV with columns path,url,outlet,published (local input paths).",
)
def batch(inputs, out_dir, engine, master, outlet, manifest) -> None:
    """Run the whole pipeline over INPUTS (JSONL, WARC, Parquet, text or HTML; local paths or
    URIs) as a Spark job, writing articles, entities, quotes, reuse and stories as Parquet."""
    from storylens.scale import SparkUnavailable
    from storylens.scale import batch as run_batch
    from storylens.scale.session import session

    try:
        spark = session(master)
    except SparkUnavailable as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        report = run_batch(
            spark,
            list(inputs),
            out_dir,
            manifest=read_manifest(manifest) if manifest else None,
            outlet=outlet,
        )
    except Exception as exc:
        if type(exc).__name__ != "AnalysisException":
            raise
        raise click.ClickException(str(exc).splitlines()[0]) from exc
    finally:
        spark.stop()
    out.print(
        f"{report.documents} documents: {report.articles} articles ({report.duplicates} duplicates), "
        f"{report.problems} unreadable, {report.entities} entities, {report.reuse} reuse pairs, "
        f"{report.stories} stories. Tables in {shown(out_dir)}"
    )
    if report.articles == 0:
        raise click.ClickException("nothing could be read")


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@db_option
def load(folder, db) -> None:
    """Bring the tables of `storylens batch --out FOLDER` into a store (for the web app)."""
    from storylens.scale import MissingTable
    from storylens.scale.load import load as run_load

    with _store(db) as store:
        try:
            counts = run_load(folder, store)
        except MissingTable as exc:
            raise click.ClickException(str(exc)) from exc
        stories = len(store.story_rows())
    out.print(
        f"{counts['articles']} articles, {counts['entities']} entities, {counts['reuse']} reuse pairs, "
        f"{stories} stories loaded; {counts['problems']} unreadable inputs listed by `storylens errors`."
    )


@main.command()
@db_option
def recluster(db) -> None:
    """Forget the stories and cluster every stored article again (after a model change)."""
    with _store(db) as store:
        count = run_recluster(store)
        total = len(store.story_rows())
    out.print(f"{count} articles in {total} stories")


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
@click.option("--watch", "follow", is_flag=True, help="Also poll the feeds in the background.")
@click.option("--interval", default="15m", show_default=True, help="With --watch: time between polls.")
@click.option("--allow-private", is_flag=True, help="With --watch: allow fetching from private networks.")
@click.option(
    "--allow-host",
    "names",
    multiple=True,
    envvar="STORYLENS_HOSTS",
    help="A host name the server answers to, besides localhost, IP addresses and --host "
    "(repeat it; $STORYLENS_HOSTS holds several, space-separated).",
)
def serve(db, host, port, follow, interval, allow_private, names) -> None:
    """The web app and the JSON API (/api/v1/...). Writing needs $STORYLENS_TOKEN as a bearer token."""
    import os

    import uvicorn

    from storylens.web.app import create_app

    token = os.environ.get("STORYLENS_TOKEN") or None
    if not is_loopback(host) and not token:
        raise click.ClickException(
            f"refusing to listen on {host} without a token: set STORYLENS_TOKEN, or use --host 127.0.0.1"
        )
    path = db or Config().db
    _store(path).close()  # a clear error now rather than on the first request
    if follow:
        from storylens.fetch.watch import watch_in_background

        watch_in_background(path, parse_interval(interval), allow_private)
    app = create_app(path, token, hosts=(host, *names))
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.command()
@db_option
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder to write the site into.",
)
def report(db, out_dir) -> None:
    """The web app's pages as a static site that opens from disk (zip it to share it)."""
    from storylens.web.report import write_report

    with _store(db) as store:
        path = store.path
    count = write_report(path, out_dir)
    out.print(f"{count} pages written to {shown(str(out_dir))}; open {shown(str(out_dir / 'index.html'))}")


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
    with _store(db) as store:
        for url, title in found:
            store.add_feed(url, outlet or title)
    out.print(f"following {len(found)} feed{'s' if len(found) != 1 else ''}")


@feeds.command("list")
@db_option
def feeds_list(db) -> None:
    """The feeds followed, when each was last polled, and its last error."""
    with _store(db) as store:
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
        with _store(db) as store:
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
        with _store(db) as store:
            run_watch(store, fetcher, seconds, rounds=1 if once else None, on_round=_report)
    except KeyboardInterrupt:
        err.print("stopped")
    finally:
        fetcher.close()


def parse_interval(text: str) -> float:
    import re

    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text)
    if not match:
        raise click.BadParameter(f"{text!r}: use a number with s, m or h, such as 15m")
    return float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]


def is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# Outlets and collections live in their own module; it uses the helpers above.
from storylens.cli_outlets import blindspots, outlet, outlets  # noqa: E402

for command in (outlets, outlet, blindspots):
    main.add_command(command)


if __name__ == "__main__":
    main()
