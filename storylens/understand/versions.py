"""Versions of one statement: where the outlets quoting it directly put other words in the
speaker's mouth ("we are not going to pay a single cent" / "... any single cent"), for a reader
comparing them to see at once. A statement is found by statements.py; this reads its quotations.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

# Two versions of one quotation are compared where they share this many words, in order, and this
# share of the words of the stretch both quote (else they quote different parts of the statement).
VERSION_WORDS = 4
VERSION_SHARE = 0.7  # (0.6 marked the words of two translations in the bundled sample)
EDGE_WORDS = 5  # ...and where both open or close on other words, this many at most are a rewording
MAX_VERSIONS = 16  # other texts of a statement a quotation is read against
# A quotation's words (an ellipsis, where an outlet marks words it left out, is one), a contraction
# split off its word: "don't" is "do" and "n't", which is "not" ("we've" / "we have" say one thing).
QUOTED_WORD = re.compile(
    r"…|\.\.\.|[\w.]*?\w(?=n['’]t\b)|n['’]t\b|[\w.]*\w(?=['’](?:re|ve|ll|m|d)\b)|['’](?:re|ve|ll|m|d)\b|[\w’'.]*\w"
)
CONTRACTED = {"n't": "not", "'re": "are", "'ve": "have", "'ll": "will", "'m": "am", "'d": "would", "...": "…"}
SPELLED = {"wo": "will", "ca": "can", "sha": "shall"}  # "won't", "can't", "shan't"


def worded_otherwise(text: str, others: list[str]) -> list[list[int]]:
    """Where a quotation's words differ from other outlets' versions of the same statement: the
    [start, end] of each run of its words that a version (sharing VERSION_WORDS words with it, in
    order) replaces or lacks, within the stretch both quote ("we are not going to pay a single
    cent" / "... any single cent": "a"), or replaces by at most EDGE_WORDS words at either end ("To
    pass this bill ..." / "If they don't pass this bill ..."). No difference: one version quoting
    more or less of the statement than the other, words the other leaves out with an ellipsis,
    case, curly or straight apostrophes, contractions ("we've" / "we have"), hyphens, words run
    together ("workforce" / "work force") and the dots of an abbreviation ("F.B.I." / "FBI"); and
    two versions whose common stretch in either shares under VERSION_SHARE of its words quote
    different parts of the statement."""
    mine = [(m.start(), m.end()) for m in QUOTED_WORD.finditer(text)]
    words = [_plain(text[a:b]) for a, b in mine]
    marked: set[int] = set()
    for other in others:
        theirs = [_plain(w) for w in QUOTED_WORD.findall(other)]
        matcher = SequenceMatcher(None, words, theirs, autojunk=False)
        blocks = [block for block in matcher.get_matching_blocks() if block.size]
        shared = sum(block.size for block in blocks)
        if shared < VERSION_WORDS or shared < VERSION_SHARE * max(
            blocks[-1].a + blocks[-1].size - blocks[0].a, blocks[-1].b + blocks[-1].size - blocks[0].b
        ):
            continue  # no version of it: too few words, or two parts of the statement
        first, last = blocks[0], blocks[-1]
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            inside = i1 >= first.a and i2 <= last.a + last.size and j1 >= first.b and j2 <= last.b + last.size
            edge = (
                tag == "replace"
                and max(i2 - i1, j2 - j1) <= EDGE_WORDS
                and (i1 == j1 == 0 or (i2 == len(words) and j2 == len(theirs)))
            )
            left_out = "…" in theirs[j1:j2] or "".join(words[i1:i2]) == "".join(theirs[j1:j2])
            if tag in ("replace", "delete") and (inside or edge) and not left_out:
                marked.update(k for k in range(i1, i2) if words[k] != "…")
    runs: list[list[int]] = []
    for k in sorted(marked):
        if runs and k - 1 in marked:
            runs[-1][1] = mine[k][1]
        else:
            runs.append([mine[k][0], mine[k][1]])
    return runs


def _plain(word: str) -> str:
    plain = word.lower().replace("’", "'")
    return CONTRACTED.get(plain, SPELLED.get(plain, plain.replace(".", "")))


def quoted_otherwise(quotes: list[dict]) -> dict[str, list[list[int]]]:
    """For the quotes of one statement (records with "id", "article_id", "text", "direct"): each
    direct quotation's runs that another article's direct version words otherwise
    (worded_otherwise), by quote id; quotations with none left out. Each distinct text is read
    once, against at most MAX_VERSIONS other texts (a remark carried word for word by a hundred
    outlets is one text, and a statement quoted a thousand ways costs a bounded read each)."""
    articles: dict[str, set[str]] = {}
    for quote in quotes:
        if quote["direct"]:
            articles.setdefault(quote["text"], set()).add(quote["article_id"])
    runs = {}
    for text, where in articles.items():
        others = [other for other, there in articles.items() if other != text and there - where]
        runs[text] = worded_otherwise(text, others[:MAX_VERSIONS])
    return {q["id"]: runs[q["text"]] for q in quotes if q["direct"] and runs[q["text"]]}


def quoted_otherwise_in(sentence: str, statements: list[list[dict]]) -> list[str]:
    """The articles whose direct quotation of a statement words otherwise what a sentence (a
    summary's) quotes of it, one of the two versions having words the other replaces or lacks;
    `statements`: each statement's quote records, as quoted_otherwise() reads them."""
    plain = " ".join(sentence.split())
    found: set[str] = set()
    for quotes in statements:
        direct = [q for q in quotes if q["direct"]]
        for told in (q for q in direct if " ".join(q["text"].split()) in plain):
            found |= {
                q["article_id"]
                for q in direct
                if worded_otherwise(told["text"], [q["text"]]) or worded_otherwise(q["text"], [told["text"]])
            }
    return sorted(found)
