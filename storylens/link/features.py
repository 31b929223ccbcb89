"""What the clusterer reads of one article (its Features, link/pairs.py): its hashed terms, its
specifics (link/specifics.py), its embedding and, for an undated page, the last day it can have
appeared; a page whose body names none of its headline's words is read by its headline alone."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

import numpy as np

from storylens.clean.dates import latest_year
from storylens.clean.words import WORD, stopwords
from storylens.link.pairs import TERM_BUCKETS, Features, bucket
from storylens.link.specifics import EPOCH, specifics

TITLE_WEIGHT = 2  # title words count this many times
HEADLINE_WORD = 4  # tells_another_story: a headline's content words have this many letters at least


def features_of(row: dict) -> Features | None:
    """Features from the store's story_inputs() row; None for an article without an embedding."""
    if row["vector"] is None:
        return None
    # A body that names none of its headline's words is another page's text (a sign-up form, a
    # video playlist, a weather alert): its words and capitalised words are left out (rules 8).
    paragraphs = [] if tells_another_story(row["title"], row["paragraphs"]) else row["paragraphs"]
    return Features(
        article_id=row["id"],
        title=row["title"],
        outlet=row["outlet"],
        published=row["published"],
        vector=np.frombuffer(row["vector"], dtype=np.float16).astype(np.float32),
        terms=term_counts(row["title"], paragraphs),
        entities=frozenset(row["entities"]),
        not_after=None if row["published"] else _last_day_of(latest_year(row.get("chrome", []))),
        specifics=specifics(row["title"], paragraphs, row["published"], row["entities"]),
    )


def tells_another_story(title: str, paragraphs: Iterable[str]) -> bool:
    """Whether the body names none of the headline's content words (of HEADLINE_WORD letters or
    more, stopwords aside): the page kept another text than its article's."""
    stops = stopwords()

    def words(text: str) -> set[str]:
        return {w.lower() for w in WORD.findall(text) if len(w) >= HEADLINE_WORD} - stops

    headline = words(title)
    return bool(headline) and not headline & words(" ".join(paragraphs))


def _last_day_of(year: int | None) -> int | None:
    return None if year is None else date(year, 12, 31).toordinal() - EPOCH


def term_counts(title: str, paragraphs: Iterable[str]) -> dict[int, int]:
    """Hashed content words of the title (counted TITLE_WEIGHT times) and the body."""
    counts: dict[int, int] = {}

    def add(text: str, weight: int) -> None:
        for word in WORD.findall(text):
            key = _term_key(word)
            if key >= 0:
                counts[key] = counts.get(key, 0) + weight

    add(title, TITLE_WEIGHT)
    for paragraph in paragraphs:
        add(paragraph, 1)
    return counts


@lru_cache(maxsize=1 << 18)
def _term_key(word: str) -> int:
    """A word's term bucket (lower-cased, plural s dropped; -1: a stop word, or under 3 letters)."""
    word = word.lower()
    if len(word) < 3 or word in stopwords():
        return -1
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return bucket(word, TERM_BUCKETS)
