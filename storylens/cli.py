"""The command line: thin click wrappers over the library; it parses arguments and prints."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from storylens.config import Config
from storylens.export import write_json, write_jsonl
from storylens.pipeline import ingest as run_ingest
from storylens.pipeline import read_manifest
from storylens.store import StoreError, open_store

# Piped output is not cut to 80 columns: tables stay one row per line.
out = Console(highlight=False, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 200)

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
def ingest(paths, db, outlet, manifest, jobs) -> None:
    """Read text, HTML, JSONL and WARC files (or folders of them) into the store."""
    manifest_entries = read_manifest(manifest) if manifest else None
    files_hint = None if sys.stderr.isatty() else False
    with _store(db) as store:
        if files_hint is None:
            with Progress(
                TextColumn("ingesting"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=err,
                transient=True,
            ) as bar:
                from storylens.ingest import discover

                task = bar.add_task("files", total=sum(1 for _ in discover(paths)))
                report = run_ingest(
                    paths,
                    store,
                    outlet=outlet,
                    manifest=manifest_entries,
                    jobs=jobs,
                    progress=lambda n: bar.advance(task, n),
                )
        else:
            report = run_ingest(paths, store, outlet=outlet, manifest=manifest_entries, jobs=jobs)
        total = store.count("articles")
    out.print(
        f"{report.files} files, {report.documents} documents: {report.added} new articles, "
        f"{report.duplicates} duplicates of stored articles, {report.already_seen} already read, "
        f"{len(report.problems)} unreadable. The store holds {total} articles."
    )
    for problem in report.problems:
        err.print(f"[yellow]skipped[/] {escape(problem.source)}: {escape(problem.reason)}")
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
            escape(row.outlet or "-"),
            row.published or "-",
            escape(row.title),
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
            raise click.ClickException(f"no article {article_id!r}")
        sources = store.sources(article.id)
    out.print(f"[bold]{escape(article.title)}[/]")
    out.print(f"id         {article.id}")
    out.print(f"outlet     {escape(article.outlet or '-')}")
    evidence = f"  (from: {escape(article.published_evidence)})" if article.published_evidence else ""
    out.print(f"published  {article.published or '-'}{evidence}")
    out.print(f"dateline   {escape(article.dateline or '-')}")
    out.print(f"language   {article.language or '-'}")
    for source in sources:
        out.print(f"source     {escape(source)}")
    out.print()
    for paragraph in article.paragraphs:
        out.print(escape(paragraph), soft_wrap=True)
        out.print()
    if article.boilerplate:
        out.print("[bold]removed[/]")
        for removed in article.boilerplate:
            out.print(f"  [dim]{escape(removed.reason)}[/]: {escape(removed.line)}")


@main.command()
@db_option
def errors(db) -> None:
    """Files and records that could not be read, with the reason."""
    with _store(db) as store:
        problems = store.errors()
    if not problems:
        out.print("no errors")
    for problem in problems:
        out.print(f"{escape(problem.source)}: {escape(problem.reason)}")


@main.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl"]), default="json", show_default=True)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here, not stdout.",
)
def export(db, fmt, out_path) -> None:
    """Everything in the store, as the export contract (shared/EXPORT.md)."""
    writer = write_json if fmt == "json" else write_jsonl
    with _store(db) as store:
        if out_path:
            with open(out_path, "w", encoding="utf-8") as stream:
                writer(store, stream)
        else:
            writer(store, sys.stdout)


if __name__ == "__main__":
    main()
