"""From files to a compared store: articles/s of each stage, beside spaCy's small pipeline alone.

    .venv/bin/python bench/throughput.py [--copies 1] [--jobs 1]

Input, read in place: ../shared/data/basil-dev (150 real articles, 50 events of three outlets)
as JSONL, plus the real pages of ../shared/data/extraction/html (unrelated to them); `--copies N`
repeats basil-dev N times (each copy a distinct article, so nothing is skipped as a duplicate).
In one process, on one fresh store, in the order `storylens ingest` then `storylens compare` run:
- read+clean: `ingest(..., understand=False)`;
- understand: spaCy, entities, quotes, claims and embeddings, written to the store;
- link: entities and statements across articles, text reuse, stories;
- compare: every story of two or more articles (`compare_stories`);
- whole: the four together (models loaded beforehand: loading once per process is not a rate).
Beside them, on the same article texts, in the same run: spaCy's small English pipeline alone
(every component, `n_process=2`), which the issue's ratio is taken against, since on a shared
machine only a ratio measured in one run holds. Peak RSS of this process and of its children.
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

from storylens.pipeline import (  # noqa: E402
    ANALYSIS_BATCH,
    analyze_articles,
    compare_stories,
    ingest,
    link_reuse,
    link_store,
    link_stories,
)
from storylens.store import open_store  # noqa: E402
from storylens.understand.nlp import MODEL, article_text  # noqa: E402


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
                    record["text"] += f"\n\nCopy number {copy}."
                out.write(json.dumps(record) + "\n")
    return feed


def spacy_alone(texts: list[str]) -> float:
    """Seconds for spaCy's small pipeline, every component, two processes, over the texts."""
    import spacy

    nlp = spacy.load(MODEL)
    list(nlp.pipe(texts[:4]))  # warm
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16, n_process=2):
        pass
    return time.perf_counter() - start


def peak_gib() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20
    return own, children


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=1, help="times basil-dev is read")
    parser.add_argument("--jobs", type=int, default=1, help="ingest's --jobs (cleaning processes)")
    parser.add_argument("--no-pages", action="store_true", help="basil-dev only")
    args = parser.parse_args()
    if not BASIL.exists():
        print("basil-dev is absent (../shared/data/basil-dev): skipped")
        return
    from storylens.understand.embed import load_model
    from storylens.understand.nlp import load_nlp

    load_nlp(), load_model()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = [write_feed(folder, args.copies)]
        if PAGES.exists() and not args.no_pages:
            paths.append(PAGES)
        seconds: dict[str, float] = {}
        with open_store(folder / "throughput.db") as store:
            start = time.perf_counter()
            report = ingest(paths, store, jobs=args.jobs, understand=False)
            seconds["read+clean"] = time.perf_counter() - start
            ids = [row.id for row in store.article_rows()]
            articles = [store.article(i) for i in ids]
            words = sum(a.words for a in articles) / max(1, len(articles))
            start = time.perf_counter()
            for first in range(0, len(articles), ANALYSIS_BATCH):
                analyze_articles(store, articles[first : first + ANALYSIS_BATCH])
            seconds["understand"] = time.perf_counter() - start
            start = time.perf_counter()
            link_store(store)
            link_reuse(store)
            link_stories(store)
            with store.transaction():
                store.forget_comparisons()
                store.linked()
            seconds["link"] = time.perf_counter() - start
            start = time.perf_counter()
            computed, _ = compare_stories(store)
            seconds["compare"] = time.perf_counter() - start
            stories = computed
        seconds["whole"] = sum(seconds.values())
        own, children = peak_gib()
        texts = [article_text(a.paragraphs) for a in articles]
        alone = spacy_alone(texts)
    n = len(articles)
    print(
        f"Files to a compared store: {report.files} files, {n} articles of {words:.0f} words "
        f"(basil-dev x{args.copies}{'' if args.no_pages else ' + extraction pages'}), "
        f"{stories} stories compared, {os.cpu_count()} cores, ingest --jobs {args.jobs}"
    )
    goals = {"understand": ">=30", "whole": ">=20"}
    print(f"  {'stage':<34}{'seconds':>9}{'articles/s':>12}{'x spaCy alone':>15}{'goal':>8}")
    spacy_rate = n / alone
    for stage, spent in seconds.items():
        rate = n / spent
        print(f"  {stage:<34}{spent:>9.1f}{rate:>12.1f}{rate / spacy_rate:>15.2f}{goals.get(stage, ''):>8}")
    label = "spaCy sm alone (all, n_process=2)"
    print(f"  {label:<34}{alone:>9.1f}{spacy_rate:>12.1f}{1:>15.2f}")
    print(f"  whole / spaCy alone: {spacy_rate and (n / seconds['whole']) / spacy_rate:.2f} (goal >= 1.00)")
    print(f"  compare of {stories} stories: {seconds['compare']:.1f} s")
    print(f"  peak RSS: this process {own:.2f} GiB, largest child {children:.2f} GiB")


if __name__ == "__main__":
    main()
