"""The Spark engine against the local one: agreement on real coverage, and speed at scale.

    .venv/bin/python bench/spark_scale.py [--sizes 10000,100000,1000000] [--skip-agreement]

1. Agreement. The bundled sample, and basil-dev mixed with the extraction pages (as
   bench/stories.py feeds it) when ../shared is here, go through the local pipeline
   (`storylens ingest`) and through `storylens batch --engine spark` on local[2]. Printed: BCubed
   F1 of the Spark stories taking the local ones as truth, both engines' BCubed F1 against the
   gold events, the reuse pairs both found, and articles/s of each whole pipeline.
2. Scale. bench/scale.py's synthetic stream (real paragraphs re-worded into events, with real
   MiniLM vectors plus noise, one article in ten copying two paragraphs of an earlier one) at each
   size through the linking stages, which are what grows with the corpus: reuse candidates and
   alignment, and story clustering. The local engine runs bench/streaming.py's cluster and
   ReuseWindow in one process; the Spark engine runs scale.reuse.find_reuse and
   scale.stories.cluster_stories on local[2] over the same articles written as Parquet. Printed:
   articles/s of each, their ratio, and the BCubed F1 between the two engines' stories.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
SHARED = ROOT.parent / "shared" / "data"
sys.path[:0] = [str(ROOT), str(BENCH)]

from scale import Stream  # noqa: E402
from stories import basil_feed, bcubed  # noqa: E402
from streaming import ReuseWindow, cluster  # noqa: E402

from storylens.ingest.manifest import read_manifest  # noqa: E402
from storylens.link import stories as S  # noqa: E402
from storylens.pipeline import ingest  # noqa: E402
from storylens.scale import batch, read_tables  # noqa: E402
from storylens.scale.reuse import find_reuse  # noqa: E402
from storylens.scale.session import session  # noqa: E402
from storylens.scale.stories import cluster_stories  # noqa: E402
from storylens.store import open_store  # noqa: E402


def agreement(spark, name: str, inputs: list[Path], workdir: Path, gold_of, manifest=None) -> None:
    store = open_store(workdir / f"{name}.db")
    start = time.perf_counter()
    report = ingest(inputs, store, manifest=manifest)
    local_seconds = time.perf_counter() - start
    local = store.stories_by_article()
    local_reuse = {(r["a"], r["b"]) for r in store.reuse_rows()}
    urls = store.article_urls()
    sources = {row.id: row.source for row in store.article_rows()}
    out = workdir / f"{name}-spark"
    start = time.perf_counter()
    spark_report = batch(spark, [str(p) for p in inputs], str(out), manifest=manifest)
    spark_seconds = time.perf_counter() - start
    tables = read_tables(out)
    remote = {a: s["id"] for s in tables["stories"] for a in s["article_ids"]}
    remote_reuse = {(r["a"], r["b"]) for r in tables["reuse"]}
    both = sorted(set(local) & set(remote))
    _, _, f1 = bcubed({a: remote[a] for a in both}, {a: local[a] for a in both})
    gold = {a: g for a in both if (g := gold_of(urls.get(a), sources.get(a))) is not None}
    _, _, local_f1 = bcubed({a: local[a] for a in gold}, gold) if gold else (0, 0, 0)
    _, _, spark_f1 = bcubed({a: remote[a] for a in gold}, gold) if gold else (0, 0, 0)
    print(
        f"{name:<10} {len(local):>8} {len(remote):>8} {f1:>12.3f} {local_f1:>10.3f} {spark_f1:>10.3f} "
        f"{len(local_reuse):>7} {len(remote_reuse):>7} {len(local_reuse & remote_reuse):>6} "
        f"{report.added / local_seconds:>9.1f} {spark_report.articles / spark_seconds:>9.1f}",
        flush=True,
    )


def agreements(spark, workdir: Path) -> None:
    print("Agreement on real coverage (whole pipelines; Spark on local[2])")
    print(
        f"{'corpus':<10} {'local':>8} {'spark':>8} {'BCubed F1':>12} {'local F1':>10} {'spark F1':>10} "
        f"{'reuse L':>7} {'reuse S':>7} {'both':>6} {'L art/s':>9} {'S art/s':>9}"
    )
    print(f"{'':<10} {'articles':>8} {'articles':>8} {'(S vs L)':>12} {'vs gold':>10} {'vs gold':>10}")
    sample = ROOT / "examples" / "sample"
    truth = json.loads((sample / "truth.json").read_text())
    gold_by_source = {a["source"]: a["story"] for a in truth["articles"].values() if a.get("story")}
    agreement(
        spark,
        "sample",
        [sample],
        workdir,
        lambda url, source: gold_by_source.get(url) or gold_by_source.get(source),
        manifest=read_manifest(sample / "manifest.csv"),
    )
    basil = SHARED / "basil-dev" / "basil-dev.jsonl"
    if not basil.exists():
        print("basil-dev: ../shared/data/basil-dev is absent; skipped")
        return
    feed, gold_by_url = basil_feed(basil, workdir)
    inputs = [feed]
    if (SHARED / "extraction" / "html").exists():
        inputs.append(SHARED / "extraction" / "html")
    agreement(spark, "basil-dev", inputs, workdir, lambda url, source: gold_by_url.get(url))


def scale(spark, sizes: list[int], per_day: int, workdir: Path, with_local: bool = True) -> None:
    print(f"\nScale: the linking stages (reuse and stories), synthetic stream, {per_day} articles a day")
    print(
        f"{'articles':>10} {'local art/s':>12} {'spark art/s':>12} {'spark/local':>12} "
        f"{'BCubed F1':>10} {'stories L':>10} {'stories S':>10} {'reuse L':>8} {'reuse S':>8} "
        f"{'links':>8} {'components':>10} {'largest':>8}"
    )
    import pyarrow.parquet as pq

    for size in sizes:
        stream = Stream(per_day)
        folder = workdir / f"scale-{size}"
        folder.mkdir()
        features: list[S.Features] = []
        writers: dict[str, pq.ParquetWriter] = {}
        local_seconds = 0.0
        reuse = ReuseWindow()
        local_pairs = 0
        rows: dict[str, list] = {"articles": [], "analyses": [], "entities": []}

        for i in range(size):
            article, f = stream.article(i)
            if with_local:
                features.append(f)
                start = time.perf_counter()
                local_pairs += len(reuse.add(article, f.day))
                local_seconds += time.perf_counter() - start
            rows["articles"].append(
                {
                    "id": article.id,
                    "title": article.title,
                    "outlet": article.outlet,
                    "published": article.published,
                    "paragraphs": article.paragraphs,
                    "boilerplate": [],
                }
            )
            rows["analyses"].append(
                {"article_id": article.id, "vector": f.vector.astype(np.float16).tobytes()}
            )
            rows["entities"].append({"article_id": article.id, "entities": sorted(f.entities)})
            if len(rows["articles"]) >= 20000:
                flush(rows, writers, folder)
        flush(rows, writers, folder)
        for writer in writers.values():
            writer.close()
        start = time.perf_counter()
        local_stories = cluster(features)
        local_seconds += time.perf_counter() - start
        local = {a: s.id for s in local_stories for a in s.article_ids}
        features.clear()

        start = time.perf_counter()
        articles = spark.read.parquet(str(folder / "articles.parquet"))
        analyses = spark.read.parquet(str(folder / "analyses.parquet"))
        entities = spark.read.parquet(str(folder / "entities.parquet"))
        find_reuse(articles).write.mode("overwrite").parquet(str(folder / "reuse"))
        stats: dict = {}  # links and components (a few small extra jobs inside the timing)
        cluster_stories(spark, articles, analyses, entities, stats).write.mode("overwrite").parquet(
            str(folder / "stories")
        )
        spark_seconds = time.perf_counter() - start
        remote_stories = pq.read_table(folder / "stories").to_pylist()
        remote = {a: s["id"] for s in remote_stories for a in s["article_ids"]}
        remote_pairs = pq.read_table(folder / "reuse").num_rows
        spark_rate = size / spark_seconds
        if with_local:
            _, _, f1 = bcubed(remote, local)
            local_rate = size / local_seconds
            compared = f"{local_rate:>12.0f} {spark_rate:>12.0f} {spark_rate / local_rate:>12.2f} {f1:>10.3f} {len(local_stories):>10}"
        else:
            compared = f"{'-':>12} {spark_rate:>12.0f} {'-':>12} {'-':>10} {'-':>10}"
            local_pairs = "-"
        print(
            f"{size:>10} {compared} {len(remote_stories):>10} {local_pairs:>8} {remote_pairs:>8} "
            f"{stats['links']:>8} {stats['components']:>10} {stats['largest_component']:>8}",
            flush=True,
        )
        shutil.rmtree(folder)


def flush(rows: dict[str, list], writers: dict, folder: Path) -> None:
    """Append the rows gathered so far to their Parquet files."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    for name, chunk in rows.items():
        if chunk:
            table = pa.Table.from_pylist(chunk)
            if name not in writers:
                writers[name] = pq.ParquetWriter(folder / f"{name}.parquet", table.schema)
            writers[name].write_table(table)
            chunk.clear()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--per-day", type=int, default=1000)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--skip-agreement", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--spark-only", action="store_true", help="scale: skip the local engine (for 1M)")
    args = parser.parse_args()
    spark = session(args.master, app="storylens-bench")
    workdir = Path(tempfile.mkdtemp(prefix="storylens-spark-bench-"))
    try:
        if not args.skip_agreement:
            agreements(spark, workdir)
        if not args.skip_scale:
            sizes = sorted(int(s) for s in args.sizes.split(","))
            scale(spark, sizes, args.per_day, workdir, with_local=not args.spark_only)
    finally:
        spark.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
