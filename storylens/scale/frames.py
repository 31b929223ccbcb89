"""Between Spark rows and the stages' dataclasses: pandas frames of a DDL schema, and values
as Arrow hands them over (NaN for a missing number, None or a string for text)."""

from __future__ import annotations

from functools import cache

import numpy as np

from storylens.model import Article


def rows_frame(rows: list[dict], schema: str):
    import pandas as pd

    columns = [part.strip().split(" ", 1)[0] for part in top_level(schema)]
    return pd.DataFrame([{c: row.get(c) for c in columns} for row in rows], columns=columns)


def top_level(schema: str) -> list[str]:
    """The fields of a DDL schema string, split at top-level commas."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(schema):
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(schema[start:i])
            start = i + 1
    parts.append(schema[start:])
    return parts


def bare_article(article_id: str, published, paragraphs=()) -> Article:
    """An Article with only what reuse reads: its id, date and paragraphs."""
    return Article(article_id, "", None, "", text_or_none(published), None, None, None, list(paragraphs))


def missing(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def text_or_none(value) -> str | None:
    return value if isinstance(value, str) else None


@cache
def _frequencies_of(blob: bytes):
    from storylens.link.stories import Frequencies

    return Frequencies.from_bytes(blob)


def broadcast_frequencies(shared):
    """The broadcast Frequencies, built once per Python worker."""
    return _frequencies_of(shared.value)


def features_from_row(record: dict):
    from storylens.link.stories import Features

    return Features(
        article_id=record["id"],
        title=record["title"] or "",
        outlet=text_or_none(record["outlet"]),
        published=text_or_none(record["published"]),
        vector=np.frombuffer(record["vector"], dtype=np.float16).astype(np.float32),
        terms={int(k): int(n) for k, n in zip(record["term_keys"], record["term_counts"], strict=True)},
        entities=frozenset(record["entities"] if record["entities"] is not None else ()),
        not_after=None if missing(record["not_after"]) else int(record["not_after"]),
        specifics=frozenset(record["specifics"] if record["specifics"] is not None else ()),
    )
