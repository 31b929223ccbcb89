"""A newsroom's stream: small ingests into a grown store, each followed by `compare` (what
`storylens watch` does every round), timed one by one.

    .venv/bin/python bench/firehose.py [--batches 3] [--store KEPT.db] [--steps]

Input, read in place: ../shared/data gva-dev, polnear-dev and basil-dev (2,571 real articles).
Every 25th article of polnear-dev and basil-dev (27) is held out; the rest are ingested into one
store (`--store`: kept there and reused by the next run, since building it takes minutes; any
storylens of the same analysis version reads it), every story of two or more articles is
compared, and then, on a copy of it, the held-out articles are ingested in `--batches` batches,
each followed by `compare_stories`. Per batch: articles added, the ingest's CPU and wall seconds
(analysis, linking, outlet figures), how many stories compare computed and how many kept
comparisons it found current, and its CPU and wall seconds; then articles per second of the whole
stream (ingest and compare). What a batch costs beyond its own articles is the work that grows
with the store: statements over whole speaker blocks, the outlet figures, and
comparisons recomputed. With --steps, the CPU seconds of each of the ingest's steps per batch.
Nothing is asserted: the figures are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
SETS = ("gva-dev", "polnear-dev", "basil-dev")
HELD_OUT = 25  # every 25th article of the political sets is the stream
sys.path.insert(0, str(ROOT))

import storylens.pipeline as pipeline  # noqa: E402
from storylens.pipeline import compare_stories, ingest  # noqa: E402
from storylens.store import open_store  # noqa: E402

# The ingest's steps, in its order (--steps times each).
STEPS = (
    "analyze_articles",
    "link_store",
    "resolve_store",  # within link_store: entity resolution, of what the batch reaches
    "link_kept",  # within link_store: statements, of the texts the new quotes can change
    "link_reuse",
    "link_stories",
    "embed_claims_to_compare",
    "keep_figures",
)

KEYS = ("title", "text", "published", "outlet", "url")


def feeds(folder: Path, batches: int) -> tuple[Path, list[Path]]:
    """The store's feed and the stream's batches, as JSONL files storylens reads."""
    kept, stream = [], []
    for name in SETS:
        for n, line in enumerate((DATA / name / f"{name}.jsonl").read_text().splitlines()):
            if not line.strip():
                continue
            row = json.loads(line)
            record = {k: row.get(k) for k in KEYS}
            record["url"] = record["url"] or f"https://example.invalid/{name}/{row.get('id', n)}"
            (stream if name != "gva-dev" and n % HELD_OUT == 0 else kept).append(record)
    base = folder / "base.jsonl"
    base.write_text("".join(json.dumps(r) + "\n" for r in kept))
    parts = []
    for k in range(batches):
        part = folder / f"batch{k}.jsonl"
        part.write_text("".join(json.dumps(r) + "\n" for r in stream[k::batches]))
        parts.append(part)
    return base, parts


def timed(work, *args, **options):
    wall, cpu = time.perf_counter(), time.process_time() + _children()
    result = work(*args, **options)
    return result, time.process_time() + _children() - cpu, time.perf_counter() - wall


def time_steps(spent: dict[str, float]) -> None:
    """Make the pipeline add each step's CPU seconds to spent[step]."""
    for name in STEPS:
        step = getattr(pipeline, name, None)
        if step is None:  # a tree before this step was its own
            continue

        def timed(*args, _name=name, _step=step, **options):
            cpu = time.process_time() + _children()
            try:
                return _step(*args, **options)
            finally:
                spent[_name] = spent.get(_name, 0.0) + time.process_time() + _children() - cpu

        setattr(pipeline, name, timed)


def _children() -> float:
    import resource

    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--store", type=Path, help="the grown store, built here if absent")
    parser.add_argument("--steps", action="store_true", help="time each step of each batch's ingest")
    args = parser.parse_args()
    if not all((DATA / name / f"{name}.jsonl").exists() for name in SETS):
        print("gva-dev, polnear-dev or basil-dev is absent (../shared/data): skipped")
        return
    from storylens.understand.embed import load_model
    from storylens.understand.nlp import load_nlp

    load_nlp(), load_model()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base, parts = feeds(folder, args.batches)
        kept = args.store or folder / "grown.db"
        if not kept.exists():
            with open_store(kept) as store:
                report, cpu, wall = timed(ingest, [base], store)
                print(f"grown store: {report.added} articles ingested in {cpu:.0f} CPU s ({wall:.0f} s)")
                (computed, _), cpu, wall = timed(compare_stories, store)
                print(f"  {computed} stories compared in {cpu:.1f} CPU s", flush=True)
        copy = folder / "stream.db"
        shutil.copy(kept, copy)
        print(
            f"Stream into a store of {_articles(copy)} articles, {os.cpu_count()} cores, "
            f"load {os.getloadavg()[0]:.1f}"
        )
        print(f"  {'batch':<7}{'added':>6}{'ingest CPU s':>14}{'wall s':>8}{'computed':>10}{'current':>9}"
              f"{'compare CPU s':>15}{'wall s':>8}")  # fmt: skip
        total_wall = total_added = 0.0
        spent: dict[str, float] = {}
        by_batch = []
        if args.steps:
            time_steps(spent)
        with open_store(copy) as store:
            for k, part in enumerate(parts):
                spent.clear()
                report, ingest_cpu, ingest_wall = timed(ingest, [part], store)
                by_batch.append(dict(spent))
                (computed, current), compare_cpu, compare_wall = timed(compare_stories, store)
                total_wall += ingest_wall + compare_wall
                total_added += report.added
                print(
                    f"  {k + 1:<7}{report.added:>6}{ingest_cpu:>14.1f}{ingest_wall:>8.1f}{computed:>10}"
                    f"{current:>9}{compare_cpu:>15.1f}{compare_wall:>8.1f}"
                )
        print(f"  the stream: {total_added / total_wall:.2f} articles/s (ingest and compare, wall)")
        if args.steps:
            print("  the ingest's steps, CPU s by batch:")
            for name in STEPS:
                print(f"    {name:<26}" + "".join(f"{found.get(name, 0.0):>8.1f}" for found in by_batch))


def _articles(path: Path) -> int:
    with open_store(path) as store:
        return store.article_page(0, 1).total


if __name__ == "__main__":
    main()
