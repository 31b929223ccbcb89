"""The Spark engine's commands: `batch` (files to Parquet tables) and `load` (tables into a store)."""

from __future__ import annotations

from pathlib import Path

import click

from storylens.cli.common import db_option, main, out, shown, store_at
from storylens.ingest.manifest import read_manifest


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

    with store_at(db) as store:
        try:
            counts = run_load(folder, store)
        except MissingTable as exc:
            raise click.ClickException(str(exc)) from exc
        stories = len(store.story_rows())
    out.print(
        f"{counts['articles']} articles, {counts['entities']} entities, {counts['reuse']} reuse pairs, "
        f"{stories} stories loaded; {counts['problems']} unreadable inputs listed by `storylens errors`."
    )
