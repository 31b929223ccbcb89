"""Article-body extraction on the real pages of ../shared/data/extraction (Zyte benchmark, 91 pages).

    .venv/bin/python bench/extraction.py

Metric: the benchmark authors' own (token 4-gram shingles, per-page TP/FP/FN normalised,
macro-averaged precision and recall, F1 as their harmonic mean; see PROVENANCE.md), computed here
for every method side by side on the same pages in one run:
  - trafilatura 2.3.1 with its defaults (the published baseline, about 0.958 F1 on all 181 pages),
    and with favor_precision (the mode storylens builds on);
  - storylens's HTML path (trafilatura plus storylens's refinements, as `storylens ingest` runs it);
  - storylens's plain-text path fed the page's visible text (no markup to lean on);
  - the full visible text (the html-text baseline, about 0.665 F1).
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import trafilatura

from storylens.clean import clean
from storylens.clean.extract import parse_html, visible_lines
from storylens.model import RawDoc, UnreadableInput

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "extraction"
TOKEN = re.compile(r"\w+")


def shingles(text: str) -> Counter:
    tokens = TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < 4:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


def page_scores(gold: str, predicted: str) -> tuple[float | None, float | None, bool]:
    g, p = shingles(gold), shingles(predicted)
    tp = sum(min(g[k], p[k]) for k in g.keys() & p.keys())
    fp = sum(p.values()) - tp
    fn = sum(g.values()) - tp
    exact = TOKEN.findall(gold or "") == TOKEN.findall(predicted or "")
    if fp == 0 and fn == 0:
        return 1.0, 1.0, exact
    total = tp + fp + fn
    tp, fp, fn = tp / total, fp / total, fn / total
    precision = tp / (tp + fp) if tp + fp else None if not (tp or fp) else 0.0
    recall = tp / (tp + fn) if tp + fn else None
    if tp == 0 and fp == 0:
        precision = 0.0
    if tp == 0 and fn == 0:
        recall = 0.0
    return precision, recall, exact


def corpus_scores(pairs: list[tuple[str, str]]) -> tuple[float, float, float, float]:
    ps, rs, exact = [], [], 0
    for gold, predicted in pairs:
        p, r, e = page_scores(gold, predicted)
        if p is not None:
            ps.append(p)
        if r is not None:
            rs.append(r)
        exact += e
    precision, recall = sum(ps) / len(ps), sum(rs) / len(rs)
    f1 = 2 * precision * recall / (precision + recall)
    return f1, precision, recall, exact / len(pairs)


def storylens_html(html: str, url: str) -> str:
    try:
        return "\n".join(clean(RawDoc(source=url, html=html, url=url)).paragraphs)
    except UnreadableInput:
        return ""


def storylens_text(html: str, url: str) -> str:
    text = "\n".join(visible_lines(parse_html(html, url)))
    try:
        return "\n".join(clean(RawDoc(source=url, text=text)).paragraphs)
    except UnreadableInput:
        return ""


def main() -> None:
    if not DATA.is_dir():
        print(f"skipped: {DATA} is not here")
        return
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {p.name.split(".")[0]: p for p in sorted((DATA / "html").glob("*.html.gz"))}
    methods = {
        "trafilatura 2.3.1 (defaults)": lambda html, url: trafilatura.extract(html, url=url) or "",
        "trafilatura 2.3.1 (favor_precision)": lambda html, url: (
            trafilatura.extract(html, url=url, favor_precision=True) or ""
        ),
        "storylens HTML path": storylens_html,
        "storylens plain-text path (visible text)": storylens_text,
        "full visible text (baseline)": lambda html, url: "\n".join(visible_lines(parse_html(html, url))),
    }
    results = {}
    for name, method in methods.items():
        pairs, start = [], time.perf_counter()
        for page_id, path in pages.items():
            html = gzip.decompress(path.read_bytes()).decode("utf-8")
            pairs.append((truth[page_id]["articleBody"], method(html, truth[page_id]["url"])))
        results[name] = (*corpus_scores(pairs), len(pairs) / (time.perf_counter() - start))
    print(f"Body extraction on {len(pages)} real pages (shared/data/extraction), the benchmark's metric")
    print(f"{'method':<44}{'F1':>7}{'prec':>7}{'recall':>8}{'exact':>7}{'pages/s':>9}")
    for name, (f1, p, r, acc, rate) in results.items():
        print(f"{name:<44}{f1:>7.3f}{p:>7.3f}{r:>8.3f}{acc:>7.3f}{rate:>9.1f}")
    print("goal: above trafilatura in the same run, and above 0.970 (best published, all 181 pages)")


if __name__ == "__main__":
    sys.exit(main())
