"""Commands that fill the store: ingest, analyze, compare, recluster, and export."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from storylens import pipeline
from storylens.cli.common import db_option, err, main, out, shown, store_at
from storylens.export import write_json, write_jsonl
from storylens.ingest import discover
from storylens.ingest.manifest import read_manifest


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
    with store_at(db) as store:
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
                report = pipeline.ingest(paths, store, progress=lambda n: bar.advance(task, n), **options)
        else:
            report = pipeline.ingest(paths, store, **options)
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
    with store_at(db) as store:
        if out_path:
            with open(out_path, "w", encoding="utf-8") as stream:
                writer(store, stream, not no_compare)
        else:
            writer(store, sys.stdout, not no_compare)


@main.command(name="compare")
@db_option
def compare_command(db) -> None:
    """Compare the coverage of every story whose comparison is missing or stale, and keep it."""
    with store_at(db) as store:
        computed, fresh = pipeline.compare_stories(store)
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
    with store_at(db) as store:
        done = pipeline.analyze_store(store, everything=everything)
        entities, quotes = len(store.entity_rows()), len(store.quote_rows())
    out.print(f"{done} articles analysed; the store holds {entities} entities and {quotes} quotes.")


@main.command()
@db_option
def recluster(db) -> None:
    """Forget the stories and cluster every stored article again (after a model change)."""
    with store_at(db) as store:
        count = pipeline.recluster(store)
        total = len(store.story_rows())
    out.print(f"{count} articles in {total} stories")
