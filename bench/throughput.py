"""From files to a compared store: articles/s of each stage, beside spaCy's small pipeline alone.

    .venv/bin/python bench/throughput.py [--copies 1] [--jobs 1] [--ingest-only]

Input, read in place: ../shared/data/basil-dev (150 real articles, 50 events of three outlets)
as JSONL, plus the real pages of ../shared/data/extraction/html (unrelated to them); `--copies N`
repeats basil-dev N times (each copy a distinct article, so nothing is skipped as a duplicate: the
copy's number ends its last paragraph; a line of its own, repeated across a copy's articles, was
removed as boilerplate and left the copy a duplicate of the original).
In one process, on one fresh store, in the order `storylens ingest` then `storylens compare` run:
- read+clean: `ingest(..., understand=False)`;
- understand: spaCy, entities, quotes, claims and the articles' embeddings, written to the store;
- link: entities and statements across articles (with the vectors of the quotes another
  article's quote could match), text reuse, stories, and the vectors of the claims of the stories
  of two or more articles (the only claims a comparison reads);
- compare: every story of two or more articles (`compare_stories`);
- whole: the four together (models loaded beforehand: loading once per process is not a rate).
Beside them, on the same article texts, in the same run: spaCy's small English pipeline alone
(every component, `n_process=2`), which the issue's ratio is taken against, since on a shared
machine only a ratio measured in one run holds. Each stage is timed twice: wall-clock seconds,
and CPU seconds (this process's plus its finished children's, e.g. spaCy's workers), which a
loaded machine inflates less; the ratio to spaCy alone is given for both. Peak RSS of this
process and of its children.
With --ingest-only, what `storylens ingest` does (read+clean, understand, link) and no more: no
compare and no spaCy baseline, for the peak memory of a large ingest (e.g. --copies 66: 10,000
articles); each step of the link stage is then timed too, with its own peak RSS.
Nothing is asserted: the figures are printed with their goals.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
BASIL = SHARED / "basil-dev" / "basil-dev.jsonl"
PAGES = SHARED / "extraction" / "html"
sys.path.insert(0, str(ROOT))

import storylens.pipeline as pipeline  # noqa: E402
from storylens.pipeline import (  # noqa: E402
    ANALYSIS_BATCH,
    analyze_articles,
    compare_stories,
    ingest,
    link_across,
)
from storylens.store import open_store  # noqa: E402
from storylens.understand.nlp import MODEL, article_text  # noqa: E402


class Clock:
    """Wall-clock and CPU seconds (this process and its finished children) of each stage, and
    the peak RSS of this process during each stage (Linux: the peak is reset before a stage)."""

    def __init__(self):
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.peak: dict[str, float] = {}

    @staticmethod
    def cpu_now() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    def time(self, stage: str, work, *args, **options):
        reset_peak()
        wall, cpu = time.perf_counter(), self.cpu_now()
        result = work(*args, **options)
        self.wall[stage] = self.wall.get(stage, 0.0) + time.perf_counter() - wall
        self.cpu[stage] = self.cpu.get(stage, 0.0) + self.cpu_now() - cpu
        self.peak[stage] = max(self.peak.get(stage, 0.0), stage_peak_gib())
        return result


def reset_peak() -> None:
    """Start a new peak RSS for this process (Linux 4.0+; elsewhere the peak is the run's)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def stage_peak_gib() -> float:
    """This process's peak RSS since reset_peak (VmHWM), or since it started."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")) / 2**20


# link_across's steps, in its order: with --ingest-only each is timed and its peak taken alone.
LINK_STEPS = ("link_store", "link_reuse", "link_stories", "embed_claims_to_compare")
STEP = "  link: "


def time_link_steps(clock: Clock) -> None:
    """Make link_across time each of its steps as a stage of its own (STEP + its name)."""
    for name in LINK_STEPS:
        step = getattr(pipeline, name)

        def timed(*args, _name=STEP + name, _step=step):
            result = clock.time(_name, _step, *args)
            print(f"{_name}: {clock.cpu[_name]:.1f} CPU s, {clock.peak[_name]:.2f} GiB peak", flush=True)
            return result

        setattr(pipeline, name, timed)


def write_feed(folder: Path, copies: int) -> Path:
    """basil-dev as storylens reads it (no gold fields), `copies` times over."""
    rows = [json.loads(line) for line in BASIL.read_text().splitlines() if line.strip()]
    feed = folder / "basil.jsonl"
    with open(feed, "w") as out:
        for copy in range(copies):
            for row in rows:
                record = {k: row[k] for k in ("title", "text", "published", "outlet", "url")}
                if copy:
                    record["url"] = f"{row['url']}#copy{copy}"
                    record["text"] += f" (Copy number {copy}.)"
                out.write(json.dumps(record) + "\n")
    return feed


def spacy_alone(texts: list[str], clock: Clock) -> None:
    """spaCy's small pipeline, every component, two processes, over the texts (timed by clock)."""
    import spacy

    nlp = spacy.load(MODEL)
    list(nlp.pipe(texts[:4]))  # warm
    clock.time(
        "spaCy sm alone (all, n_process=2)",
        lambda: sum(1 for _ in nlp.pipe(texts, batch_size=16, n_process=2)),
    )


def peak_gib() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20
    return own, children


def print_ingest(n: int, words: float, clock: Clock, own: float, children: float) -> None:
    load = os.getloadavg()[0]
    print(f"Files to an ingested store: {n} articles of {words:.0f} words, load average {load:.1f}")
    for stage in clock.wall:
        peak = f"{clock.peak[stage]:>7.2f} GiB peak" if stage in clock.peak else ""
        print(f"  {stage:<34}{clock.wall[stage]:>9.1f} wall s{clock.cpu[stage]:>9.1f} CPU s{peak}")
    print(f"  peak RSS: this process {own:.2f} GiB, largest child {children:.2f} GiB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=1, help="times basil-dev is read")
    parser.add_argument("--jobs", type=int, default=1, help="ingest's --jobs (cleaning processes)")
    parser.add_argument("--no-pages", action="store_true", help="basil-dev only")
    parser.add_argument("--ingest-only", action="store_true", help="no compare, no spaCy baseline")
    args = parser.parse_args()
    if not BASIL.exists():
        print("basil-dev is absent (../shared/data/basil-dev): skipped")
        return
    from storylens.understand.embed import load_model
    from storylens.understand.nlp import load_nlp

    load_nlp(), load_model()
    clock = Clock()
    loading = stage_peak_gib()  # before the first stage resets it
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = [write_feed(folder, args.copies)]
        if PAGES.exists() and not args.no_pages:
            paths.append(PAGES)
        with open_store(folder / "throughput.db") as store:
            report = clock.time("read+clean", ingest, paths, store, jobs=args.jobs, understand=False)
            rows = store.article_rows()
            ids, n = [row.id for row in rows], len(rows)
            words = sum(row.words for row in rows) / max(1, n)
            if args.ingest_only:  # a long run shows how far it got
                print(f"read {n} articles: {clock.cpu['read+clean']:.0f} CPU s", flush=True)

            def understand() -> None:  # a batch of articles read at a time, as ingest does
                for first in range(0, n, ANALYSIS_BATCH):
                    analyze_articles(store, [store.article(i) for i in ids[first : first + ANALYSIS_BATCH]])
                    if args.ingest_only and first % (8 * ANALYSIS_BATCH) == 0:
                        print(f"  understood {first + ANALYSIS_BATCH} ({time.strftime('%H:%M')})", flush=True)

            def link() -> None:
                link_across(store)

            clock.time("understand", understand)
            if args.ingest_only:  # a long run shows how far it got
                print(f"understood {n} articles: {clock.cpu['understand']:.0f} CPU s", flush=True)
                time_link_steps(clock)
            clock.time("link", link)
            steps = [stage for stage in clock.peak if stage.startswith(STEP)]
            clock.peak["link"] = max([clock.peak["link"], *(clock.peak[s] for s in steps)])
            stories = 0 if args.ingest_only else clock.time("compare", compare_stories, store)[0]
            texts = [] if args.ingest_only else [article_text(store.article(i).paragraphs) for i in ids]
        whole = [stage for stage in clock.wall if not stage.startswith(STEP)]
        clock.wall["whole"] = sum(clock.wall[s] for s in whole)
        clock.cpu["whole"] = sum(clock.cpu[s] for s in whole)
        own, children = peak_gib()
        own = max(own, loading, *clock.peak.values())  # reset_peak lowers what getrusage reports
        if args.ingest_only:
            print_ingest(n, words, clock, own, children)
            return
        spacy_alone(texts, clock)
    print(
        f"Files to a compared store: {report.files} files, {n} articles of {words:.0f} words "
        f"(basil-dev x{args.copies}{'' if args.no_pages else ' + extraction pages'}), "
        f"{stories} stories compared, {os.cpu_count()} cores, ingest --jobs {args.jobs}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    goals = {"understand": ">=30", "whole": ">=20"}
    alone = "spaCy sm alone (all, n_process=2)"
    print(
        f"  {'stage':<34}{'wall s':>8}{'art/s':>7}{'x spaCy':>8}{'CPU s':>8}{'CPU s/art':>10}"
        f"{'x spaCy (CPU)':>14}{'goal':>6}"
    )
    for stage in clock.wall:
        wall, cpu = clock.wall[stage], clock.cpu[stage]
        print(
            f"  {stage:<34}{wall:>8.1f}{n / wall:>7.1f}{clock.wall[alone] / wall:>8.2f}{cpu:>8.1f}"
            f"{cpu / n:>10.3f}{clock.cpu[alone] / cpu:>14.2f}{goals.get(stage, ''):>6}"
        )
    print(
        f"  whole / spaCy alone: {clock.wall[alone] / clock.wall['whole']:.2f} wall-clock, "
        f"{clock.cpu[alone] / clock.cpu['whole']:.2f} CPU (goal >= 1.00)"
    )
    print(f"  compare of {stories} stories: {clock.wall['compare']:.1f} s")
    print(f"  peak RSS: this process {own:.2f} GiB, largest child {children:.2f} GiB")


if __name__ == "__main__":
    main()
