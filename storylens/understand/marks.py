"""Quotation marks: where the quoted words of a text are.

Curly or straight double quotes, guillemets, the doubled apostrophes ('' and ``) of some wire and
newspaper text, and single quotes in a short headline-like paragraph (not a body paragraph that is nothing but
one single-quoted phrase: a section heading). A quote left open at a
paragraph's end goes on when the next paragraph reopens it. Pure text: no parse needed.
"""

from __future__ import annotations

import re

OPENERS = ("\u201c", "\u00ab", "\u201e", "``")
CLOSERS = ("\u201d", "\u00bb")
EITHER = ('"', "''")  # straight marks: opening or closing by what stands around them
SINGLES = ("\u2018", "\u2019", "'")
HEADLINE_WORDS = 20  # single quotes are quotation marks in a paragraph this short with no double ones
# Where a mark or a paragraph break can start: every other character is passed over at once.
CANDIDATE = re.compile(
    "[" + re.escape("".join(sorted({m[0] for m in (*OPENERS, *CLOSERS, *EITHER)}))) + "\n]"
)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text inside each pair of quotation marks; a quote left open at a
    paragraph end continues when the next paragraph opens with a quotation mark."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    i = 0
    while (candidate := CANDIDATE.search(text, i)) is not None:
        i = candidate.start()
        mark = _mark_at(text, i)
        if start is None:
            if mark and (mark in OPENERS or (mark in EITHER and _opens(text, i, len(mark)))):
                start = i + len(mark)
                i += len(mark)
                continue
        elif mark and (mark in CLOSERS or (mark in EITHER and _closes(text, i, len(mark)))):
            if i > start:
                spans.append((start, i))
            start = None
            i += len(mark)
            continue
        elif text.startswith("\n\n", i):
            following = _mark_at(text, i + 2)
            if not following or following in CLOSERS:
                spans.append((start, i))  # an unclosed quote ends with its paragraph
                start = None
            else:
                i += 2 + len(following)  # the quote goes on in the next paragraph
                continue
        i += 1
    if start is not None and start < len(text):
        spans.append((start, len(text)))
    spans += _headline_spans(text)
    return sorted((s, e) for s, e in spans if re.search(r"\w", text[s:e]))


def _mark_at(text: str, i: int) -> str | None:
    for mark in ("``", "''"):
        if text.startswith(mark, i):
            return mark
    ch = text[i : i + 1]
    return ch if ch and (ch in OPENERS or ch in CLOSERS or ch in EITHER) else None


def _opens(text: str, i: int, size: int = 1) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + size] if i + size < len(text) else " "
    return (before.isspace() or before in "([{\u2014-:") and not after.isspace()


def _closes(text: str, i: int, size: int = 1) -> bool:
    """A straight mark of an open quote closes it after a word, or between two spaces ("… the
    name of 'Hale,' \" said Ada Vane": a mark there opens no word)."""
    before = text[i - 1] if i else " "
    after = text[i + size] if i + size < len(text) else " "
    ends = after.isspace() or after in ".,;:!?)]}\u2014-'"
    return ends and (not before.isspace() or before == after == " ")


def _headline_spans(text: str) -> list[tuple[int, int]]:
    """Single-quoted words in a short paragraph with no double quotation marks (a headline's
    "Mayor on the pier: 'We will rebuild it'"); an apostrophe ("the voters' choice") is not a mark."""
    found = []
    offset = 0
    for paragraph in text.split("\n\n"):
        if len(paragraph.split()) <= HEADLINE_WORDS and not any(m in paragraph for m in (*OPENERS, *EITHER)):
            for match in re.finditer(
                r"(?:(?<=^)|(?<=[\s(:\u2014-]))['\u2018](?=\w)(.+?)(?<=[\w.!?,])['\u2019](?!\w)", paragraph
            ):
                # "'A fight from start to finish.'" alone on its line below the headline: a section heading.
                if offset and match.group(0) == paragraph.strip():
                    continue
                found.append((offset + match.start(1), offset + match.end(1)))
        offset += len(paragraph) + 2
    return found
