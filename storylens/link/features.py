"""What the clusterer reads of one article (its Features, link/pairs.py): its hashed terms, its
specifics (link/specifics.py), its embedding and, for an undated page, the last day it can have
appeared; a page whose body names none of its headline's words is read by its headline alone."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

import numpy as np

from storylens.clean.dates import latest_year
from storylens.clean.words import WORD, stopwords
from storylens.link.pairs import TERM_BUCKETS, Features, bucket
from storylens.link.specifics import EPOCH, specifics

# Bump when what text_features computes changes: kept features of another version are computed again.
FEATURES_VERSION = 2  # 2: int32 pairs
TITLE_WEIGHT = 2  # title words count this many times
HEADLINE_WORD = 4  # tells_another_story: a headline's content words have this many letters at least


def features_of(row: dict) -> Features | None:
    """Features from the store's story_inputs() row; None for an article without an embedding.
    A row with its text features kept ("kept": kept_features' pair) is not read again."""
    if row["vector"] is None:
        return None
    kept = row.get("kept")
    if kept:
        terms, found = read_kept(kept)
    else:
        terms, found = text_features(row["title"], row["paragraphs"], row["published"])
    return Features(
        article_id=row["id"],
        title=row["title"],
        outlet=row["outlet"],
        published=row["published"],
        vector=np.frombuffer(row["vector"], dtype=np.float16).astype(np.float32),
        terms=terms,
        entities=frozenset(row["entities"]),
        not_after=None if row["published"] else _last_day_of(latest_year(row.get("chrome", []))),
        specifics=found | {"e:" + e for e in row["entities"]},
    )


def text_features(title: str, paragraphs: list[str], published: str | None) -> tuple[dict, frozenset]:
    """What the clusterer reads of the text alone: hashed terms and the specifics its words name
    (specifics() without entities). Fixed for an article: kept in the store (kept_features)."""
    # A body that names none of its headline's words is another page's text (a sign-up form, a
    # video playlist, a weather alert): its words and capitalised words are left out (rules 8).
    paragraphs = [] if tells_another_story(title, paragraphs) else paragraphs
    return term_counts(title, paragraphs), specifics(title, paragraphs, published, ())


def kept_features(terms: dict[int, int], found: frozenset) -> tuple[bytes, str]:
    """text_features as the store keeps them: (term, count) pairs as int32 in the dict's order
    (term_vector breaks ties by it; a term is a bucket under TERM_BUCKETS), and the specifics as a
    sorted JSON list."""
    pairs = np.fromiter((v for pair in terms.items() for v in pair), dtype=np.int32, count=2 * len(terms))
    return pairs.tobytes(), json.dumps(sorted(found))


def read_kept(kept: tuple[bytes, str]) -> tuple[dict[int, int], frozenset]:
    """kept_features read back: the same terms (in the same order) and specifics."""
    pairs = np.frombuffer(kept[0], dtype=np.int32).tolist()
    return dict(zip(pairs[0::2], pairs[1::2], strict=True)), frozenset(json.loads(kept[1]))


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
