"""Boilerplate removal quality on the labelled lines, and ingest speed.

    .venv/bin/python bench/clean.py [--articles 10000] [--skip-speed]

Part 1 (quality): precision/recall of boilerplate removal by the whole plain-text cleaner,
5-fold cross-validated by article (the classifier is retrained without the test articles),
beside the shipped model (trained on everything: optimistic) and a cue-only baseline (a line
is boilerplate iff a cue pattern matches it), all on the same lines in one run.
Part 2 (speed): articles/s for text, HTML and JSONL ingest of the sample scaled up.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from labelled import SAMPLE, LabelledArticle, labelled_articles, repeated_keys  # noqa: E402
from train_lines import train  # noqa: E402

from storylens.clean import _is_cue, clean  # noqa: E402
from storylens.model import RawDoc  # noqa: E402


def removal_scores(articles: list[LabelledArticle], predict) -> tuple[float, float, int]:
    tp = fp = fn = lines = 0
    for index, article in enumerate(articles):
        removed = predict(index, article)
        for line, label in zip(article.lines, article.labels, strict=True):
            if label == "T":
                continue
            lines += 1
            gold, said = label in "BD", line in removed
            tp += gold and said
            fp += said and not gold
            fn += gold and not said
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1), lines


def cleaner(weights, repeated):
    def predict(index: int, article: LabelledArticle) -> set[str]:
        raw = RawDoc(
            source=f"labelled-{index}",
            text=article.text,
            outlet=article.outlet,
            title=article.title,
        )
        result = clean(raw, repeated.get(index, set()), weights=weights)
        return {r.line for r in result.boilerplate}

    return predict


def cue_only(index: int, article: LabelledArticle) -> set[str]:
    return {line for line in article.lines if _is_cue(line)}


def quality() -> None:
    articles = labelled_articles()
    repeated = repeated_keys(articles)
    rng = random.Random(7)
    order = list(range(len(articles)))
    rng.shuffle(order)
    folds = [order[k::5] for k in range(5)]
    tp_sets = []
    for fold in folds:
        train_idx = [i for i in order if i not in fold]
        weights = train([articles[i] for i in train_idx], {j: repeated[i] for j, i in enumerate(train_idx)})
        test = [articles[i] for i in fold]
        tp_sets.append(
            (
                removal_scores(test, cleaner(weights, {j: repeated[i] for j, i in enumerate(fold)})),
                len(test),
            )
        )
    # Micro-average over folds, weighting by lines.
    total = sum(s[2] for s, _ in tp_sets)
    cv_p = sum(s[0] * s[2] for s, _ in tp_sets) / total
    cv_r = sum(s[1] * s[2] for s, _ in tp_sets) / total
    shipped = removal_scores(articles, cleaner(None, repeated))
    baseline = removal_scores(articles, cue_only)
    n_lines = sum(len(a.lines) for a in articles)
    print(f"Boilerplate removal on {n_lines} labelled lines in {len(articles)} articles")
    print(f"{'method':<44}{'precision':>10}{'recall':>10}{'F1':>8}")
    for name, (p, r) in [
        ("storylens cleaner, 5-fold CV by article", (cv_p, cv_r)),
        ("storylens cleaner, shipped model (seen)", shipped[:2]),
        ("baseline: cue patterns only", baseline[:2]),
    ]:
        f1 = 2 * p * r / max(p + r, 1e-9)
        print(f"{name:<44}{p:>10.3f}{r:>10.3f}{f1:>8.3f}")
    print("goal: precision and recall >= 0.95 (cross-validated)\n")


def scaled_corpus(folder: Path, n: int) -> dict[str, Path]:
    """Copies of the sample's text, HTML and JSONL articles with unique ids, ~n of each kind."""
    texts = [p for p in (SAMPLE / "corpus").rglob("*.txt")]
    pages = [p for p in (SAMPLE / "corpus").rglob("*.html")]
    records = [
        json.loads(row)
        for row in (SAMPLE / "corpus/harborwire/wire-2024-2025.jsonl").read_text().splitlines()
    ]
    made = {}
    for kind, sources in (("text", texts), ("html", pages)):
        target = folder / kind
        target.mkdir()
        for i in range(n):
            source = sources[i % len(sources)]
            data = source.read_text(encoding="utf-8", errors="replace")
            # A unique closing line keeps every copy a distinct article.
            marker = f"Copy number {i} of this report was filed for the benchmark."
            data = (
                data.replace("</p>", f" {marker}</p>", 1)
                if kind == "html"
                else data.replace("\n", f" {marker}\n", 5)
            )
            (target / f"{i:06d}{source.suffix}").write_text(data, encoding="utf-8")
        made[kind] = target
    with open(folder / "dump.jsonl", "w") as out:
        for i in range(n):
            record = dict(records[i % len(records)])
            record["url"] = f"{record['url']}?copy={i}"
            record["text"] += f"\n\nCopy number {i} of this report was filed for the benchmark."
            out.write(json.dumps(record) + "\n")
    made["jsonl"] = folder / "dump.jsonl"
    return made


def speed(n: int, jobs: int) -> None:
    from storylens import ingest, open_store

    folder = Path(tempfile.mkdtemp(prefix="storylens-bench-"))
    try:
        corpus = scaled_corpus(folder, n)
        print(f"Ingest speed, {n} articles per kind, {os.cpu_count()} cores")
        print(f"{'input':<8}{'jobs':>6}{'articles':>10}{'seconds':>10}{'articles/s':>12}{'goal':>8}")
        for kind, path in corpus.items():
            for j in sorted({1, jobs}):
                db = folder / f"{kind}-{j}.db"
                start = time.perf_counter()
                with open_store(db) as store:
                    report = ingest([path], store, jobs=j)
                seconds = time.perf_counter() - start
                goal = ">300" if kind == "text" else ""
                print(
                    f"{kind:<8}{j:>6}{report.added:>10}{seconds:>10.1f}"
                    f"{report.added / seconds:>12.0f}{goal:>8}"
                )
    finally:
        shutil.rmtree(folder)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    quality()
    if not args.skip_speed:
        speed(args.articles, args.jobs)


if __name__ == "__main__":
    main()
