"""The labelled line set: the sample corpus's plain-text articles (labelled from truth.json,
since the sample is built by construction) plus hand-labelled articles in the style of real
sites (bench/data/lines-handwritten.txt). Labels: K body, B boilerplate, T title, D date line."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from storylens.clean import line_key, split_lines
from storylens.ingest.files import decode

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "sample"
HANDWRITTEN = ROOT / "bench" / "data" / "lines-handwritten.txt"
MIN_REPEATS = 3  # as Config.repeated_line_min_docs
MIN_SHARE = 0.3  # as Config.repeated_line_min_share


@dataclass
class LabelledArticle:
    outlet: str
    lines: list[str]
    labels: list[str]
    title: str | None = None  # given as metadata (JSONL), not a line of the text

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def handwritten() -> list[LabelledArticle]:
    articles: list[LabelledArticle] = []
    for row in HANDWRITTEN.read_text(encoding="utf-8").splitlines():
        if row.startswith("=== outlet: "):
            articles.append(LabelledArticle(row.removeprefix("=== outlet: ").strip(), [], []))
        elif row[:2] in {"K\t", "B\t", "T\t", "D\t"}:
            articles[-1].labels.append(row[0])
            articles[-1].lines.append(" ".join(row[2:].split()))
    return articles


def from_sample() -> list[LabelledArticle]:
    truth = json.loads((SAMPLE / "truth.json").read_text(encoding="utf-8"))
    articles = []
    for item in truth["articles"].values():
        path = SAMPLE / item["source"]
        if not path.is_file() or ".txt" not in path.name:
            continue
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        lines = split_lines(decode(data, str(path)))
        paragraphs, labels = item["paragraphs"], []
        for i, line in enumerate(lines):
            if line == item["title"] or line.startswith(item["title"] + " |"):
                labels.append("T")
            elif line in paragraphs or line.endswith(paragraphs[0]):
                labels.append("K")
            elif line.startswith(("Publish Date:", "Published:")) or (
                item["outlet"] == "Valdria Today" and i == 1
            ):
                labels.append("D")
            else:
                labels.append("B")
        articles.append(LabelledArticle(item["outlet"], lines, labels))
    return articles


def from_sample_jsonl() -> list[LabelledArticle]:
    """The wire's JSONL records: clean texts whose every line, the last one too, is body."""
    articles = []
    for row in (SAMPLE / "corpus" / "harborwire" / "wire-2024-2025.jsonl").read_text().splitlines():
        record = json.loads(row)
        lines = split_lines(record["text"])
        articles.append(LabelledArticle(record["outlet"], lines, ["K"] * len(lines), record["title"]))
    return articles


def labelled_articles() -> list[LabelledArticle]:
    return from_sample() + from_sample_jsonl() + handwritten()


def repeated_keys(articles: list[LabelledArticle]) -> dict[int, set[str]]:
    """Per article (by position): the line keys its outlet repeats in MIN_REPEATS documents."""
    counts: Counter[tuple[str, str]] = Counter()
    documents = Counter(article.outlet for article in articles)
    for article in articles:
        counts.update({(article.outlet, line_key(line)) for line in article.lines})

    def repeated(article: LabelledArticle, line: str) -> bool:
        n = counts[(article.outlet, line_key(line))]
        return n >= MIN_REPEATS and n >= MIN_SHARE * documents[article.outlet]

    return {i: {line_key(x) for x in a.lines if repeated(a, x)} for i, a in enumerate(articles)}
