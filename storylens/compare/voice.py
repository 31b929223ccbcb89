"""Whose voice a claim is in, read from its article around it: whether it lies inside a quotation
opened before it (a later sentence of a speaker's quoted words: "We are disappointed," he said.
"From the beginning ... | Congressman Grimm asserts his innocence."); whether it has a personal
pronoun outside quotation marks and names no one ("Doctors said his condition ..."), so that who
"his" is lies in another sentence (the subject of what someone is said to say is the sayer: "X
said he ..."); and which statements it tells, by the article's quotes as the analysis found them
(direct and reported, each statement linked across articles however worded).
Quotation marks are read as the analysis reads them (understand/marks.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A third person singular pronoun standing for someone (a person named elsewhere, if not here).
PERSONAL = re.compile(r"\b(?:he|him|his|she|her|hers|himself|herself)\b", re.I)
# "X said he ...": the subject of what is said is the sayer, named or described before the verb.
SAYER = re.compile(
    r"\b(?:said|says|told \w+|added|argued|insisted|claimed|announced|stated|wrote|believes|thinks)"
    r"(?: that)? $"
)
MARKS = "\"\u201c\u201d\u00ab\u00bb\u201e`'\u2018\u2019 "

Quoted = list[tuple[int, int]]  # (start, end) of an article's quoted text (marks.quote_spans)
Said = list[tuple[int, int, str | None]]  # (start, end, statement id) of its quotes


@dataclass(frozen=True)
class Voice:
    quoting: bool  # inside a quotation opened before it
    dangling: bool  # a personal pronoun outside quotation marks, and no one named there
    statements: frozenset[str] = frozenset()  # the statements it tells (quotes' statement ids)


UNREAD = Voice(False, False)  # a claim whose article text is not at hand


def voice_of(
    text: str, start: int, end: int, quoted: Quoted, named: list[tuple[int, int]], said: Said = ()
) -> Voice:
    """The voice of the claim at `start`:`end` of an article's `text`; `quoted`: the article's
    quoted text; `named`: the (start, end) of its entity mentions, of any type (the tagger takes a
    person for an organisation often enough: "Trump himself said ..."); `said`: its quotes."""
    first = start + len(text[start:end]) - len(text[start:end].lstrip(MARKS))
    quoting = first == start and inside(quoted, start)
    own = [(s, e) for s, e in named if s >= start and e <= end and not inside(quoted, s)]
    pronouns = [
        m
        for m in PERSONAL.finditer(text, start, end)
        if not inside(quoted, m.start()) and not said_of_sayer(text, m, start)
    ]
    overlapping = [q for q in said if q[0] < end and q[1] > start]
    return Voice(
        quoting,
        bool(pronouns) and not own,
        frozenset(statement for _, _, statement in overlapping if statement),
    )


def inside(quoted: Quoted, offset: int) -> bool:
    return any(s <= offset < e for s, e in quoted)


def said_of_sayer(text: str, pronoun: re.Match, start: int) -> bool:
    """Whether a subject pronoun comes right after a verb of saying ("said he", "told reporters
    that she"): it stands for the sayer."""
    return pronoun.group().lower() in ("he", "she") and bool(
        SAYER.search(text, max(start, pronoun.start() - 40), pronoun.start())
    )
