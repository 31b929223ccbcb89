"""Names compared across spellings: transliteration folding, phonetic skeletons, edit distance.

A name is folded to a form where common romanisation variants coincide (q/gh/k, ou/oo/u,
w/v, doubled letters, the article al-/el-), then compared by its consonant skeleton and by
edit distance. No list of particular people's names is involved.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib.resources import files

from rapidfuzz.distance import Levenshtein

SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})  # generational suffixes after a surname ("Jr.")
PARTICLES = {"al", "el", "ul", "bin", "ibn", "bint", "abu", "de", "da", "di", "van", "von", "der", "la", "le"}
# Romanisation variants folded to one spelling, applied in order (longest first).
_FOLDS = [
    ("kh", "k"),
    ("gh", "k"),
    ("sch", "s"),
    ("ch", "s"),
    ("sh", "s"),
    ("q", "k"),
    ("ck", "k"),
    ("c", "k"),
    ("x", "ks"),
    ("dj", "j"),
    ("ph", "f"),
    ("w", "v"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("y", "i"),
    ("dh", "d"),
    ("th", "t"),
    ("z", "s"),
    ("j", "i"),
]
_VOWELS = set("aeiou")


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@cache
def tokens(name: str) -> list[str]:
    """Lower-case word tokens of a name, particles split off ("al-Assad" -> ["al", "assad"])."""
    words = re.findall(r"[a-z0-9]+", strip_accents(name).lower().replace("\u2019", "'").replace("'", ""))
    return words


@cache
def core_tokens(name: str) -> list[str]:
    """Tokens without particles (al, el, bin ...): the parts that identify a person."""
    return [t for t in tokens(name) if t not in PARTICLES]


@cache
def fold(token: str) -> str:
    """A token with romanisation variants and doubled letters collapsed."""
    folded = token
    for source, target in _FOLDS:
        folded = folded.replace(source, target)
    return re.sub(r"(.)\1+", r"\1", folded)


@cache
def skeleton(token: str) -> str:
    """First letter plus the consonants of the folded token (Mohammad/Muhammad/Mohammed -> mhmd)."""
    folded = fold(token)
    if not folded:
        return ""
    # An initial vowel is kept as a vowel class (Omar/Umar), not as a letter.
    first = "a" if folded[0] in _VOWELS else folded[0]
    return first + "".join(c for c in folded[1:] if c not in _VOWELS)


def same_token(a: str, b: str) -> bool:
    """Two name tokens that are one name in different romanisations."""
    if a == b:
        return True
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return True
    if min(len(fa), len(fb)) >= 4 and skeleton(a) == skeleton(b):
        return Levenshtein.distance(fa, fb) <= max(1, min(len(fa), len(fb)) // 3)
    return min(len(fa), len(fb)) >= 5 and Levenshtein.distance(fa, fb) <= 1


def surname(name: str) -> str:
    core = core_tokens(name)
    return core[-1] if core else ""


def given_names(name: str) -> list[str]:
    core = core_tokens(name)
    return core[:-1]


def acronym(name: str) -> str:
    """Initials of a multi-word name's content words ("Black Banner Front" -> "BBF")."""
    words = [w for w in re.findall(r"[A-Za-z]+", name) if w.lower() not in {"of", "the", "and", "for", "in"}]
    return "".join(w[0].upper() for w in words) if len(words) >= 2 else ""


def is_acronym(name: str) -> bool:
    letters = re.sub(r"[.\s-]", "", name)
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()


@cache
def alias_table() -> dict[str, str]:
    """alias (lower-case) -> canonical name, from data/aliases.tsv (canonical names map to themselves)."""
    table: dict[str, str] = {}
    text = (files("storylens.understand") / "data" / "aliases.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        canonical, alias = (part.strip() for part in line.split("\t", 1))
        table[alias.lower()] = canonical
        table[canonical.lower()] = canonical
    return table
