"""The title of a scraped text: the early line that best summarises the body."""

from __future__ import annotations

import re
from collections.abc import Sequence

from storylens.clean.words import content_keys

# Separators between a headline and a site name in page titles ("Headline | Site").
_HARD_SEPARATORS = re.compile(r"\s+(?:\||::|\u00bb|\u2022)\s+")
_SOFT_SEPARATORS = re.compile(r"\s+[-\u2013\u2014]\s+")
_LOOK_AHEAD = 8  # a title is among the first lines of a page


def title_segments(line: str) -> list[str]:
    """A page-title line split at headline/site-name separators (the whole line first)."""
    segments = [line]
    hard = [s.strip() for s in _HARD_SEPARATORS.split(line) if s.strip()]
    if len(hard) > 1:
        segments += hard
    for part in list(segments):
        soft = [s.strip() for s in _SOFT_SEPARATORS.split(part) if s.strip()]
        if len(soft) > 1:
            segments += soft
    return segments


def summary_score(candidate: str, body_keys: set[str]) -> float:
    """Share of the candidate's content words that the body uses too."""
    keys = content_keys(candidate)
    if not keys:
        return 0.0
    return sum(1 for k in keys if k in body_keys) / len(keys)


def best_segment(line: str, body_keys: set[str], site_names: set[str] = frozenset()) -> str:
    """The part of a page-title line that is the headline rather than the site name."""
    segments = [s for s in title_segments(line) if s.lower() not in site_names] or [line]
    scored = [(summary_score(s, body_keys), len(s.split()) >= 3, -i, s) for i, s in enumerate(segments)]
    return max(scored)[3]


def _site_names(lines: list[str]) -> set[str]:
    """Segments that recur across the header's lines ("X | Site" and "Site | Tagline")."""
    seen: dict[str, int] = {}
    for line in lines:
        for segment in {s.lower() for s in title_segments(line)[1:]}:
            seen[segment] = seen.get(segment, 0) + 1
    return {segment for segment, count in seen.items() if count > 1}


def is_prose(line: str) -> bool:
    """A sentence of running text: long, or ending a sentence after ten words or more."""
    words = len(line.split())
    return words >= 20 or (words >= 10 and line.rstrip("\"'\u201d\u2019").endswith((".", "!", "?")))


def looks_like_headline(line: str) -> bool:
    words = line.split()
    if not 2 <= len(words) <= 30:
        return False
    # A headline rarely ends a full sentence with a period after many words.
    return not (line.endswith(".") and len(words) > 14)


def find_title(lines: Sequence[str], excluded: set[int]) -> tuple[int, str] | None:
    """(index, title) of the line that best summarises the rest of the text, or None.

    Candidates are the first non-excluded lines that look like headlines; each is scored by
    how many of its content words the rest of the text uses, with a small position penalty.
    """
    # The title stands above the story: once a line of prose has begun, no later line is the title
    # (a text without a headline keeps its lead instead of losing it as "page header").
    first_prose = next(
        (i for i, line in enumerate(lines) if i not in excluded and is_prose(line)), len(lines)
    )
    candidates = [
        i
        for i in range(min(len(lines), _LOOK_AHEAD, first_prose))
        if i not in excluded and looks_like_headline(lines[i])
    ][:4]
    if not candidates:
        return None
    # Score against the lines that are not candidates themselves: a site name repeated in
    # two header lines must not vouch for itself.
    rest = [line for j, line in enumerate(lines) if j not in excluded and j not in candidates]
    body_keys = content_keys(" ".join(rest))
    best: tuple[float, int, str] | None = None
    site_names = _site_names([lines[i] for i in candidates])
    for rank, i in enumerate(candidates):
        if lines[i].lower() in site_names:
            continue
        segment = best_segment(lines[i], body_keys, site_names)
        score = summary_score(segment, body_keys) - 0.1 * rank
        if best is None or score > best[0]:
            best = (score, i, segment)
    return (best[1], best[2]) if best else None
