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
    """Lower-cased 6-letter prefixes of the content words (a cheap stand-in for stems)."""
    stops = stopwords()
    return {w.lower()[:6] for w in WORD.findall(text) if len(w) > 2 and w.lower() not in stops}
