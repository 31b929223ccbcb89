"""Word-level helpers shared by the cleaning modules: stop words and content-word keys."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?", re.UNICODE)


@cache
def stopwords() -> frozenset[str]:
    return frozenset((files("storylens.clean") / "data" / "stopwords.txt").read_text().split())


def content_keys(text: str) -> set[str]:
    """Lower-cased 5-letter prefixes of the content words, plural -s dropped (cheap stems)."""
    stops = stopwords()
    keys = set()
    for word in WORD.findall(text):
        word = word.lower()
        if len(word) > 2 and word not in stops:
            keys.add((word[:-1] if len(word) > 3 and word.endswith("s") else word)[:5])
    return keys
