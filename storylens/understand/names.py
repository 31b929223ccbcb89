"""Names compared across spellings: transliteration folding, phonetic skeletons, edit distance.

A name is folded to a form where common romanisation variants coincide (q/gh/k, ou/oo/u,
w/v, doubled letters, the article al-/el-), then compared by its consonant skeleton and by
edit distance. No list of particular people's names is involved; given names and their
nicknames ("Chuck" / "Charles") come from the nicknames package's table. names_match and the
nickname and suffix rules of resolve.py read two person names here.
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


@cache
def person_tokens(name: str) -> list[str]:
    """A person's core tokens without a generational suffix after the surname: "Chris Rhoden
    Jr." -> ["chris", "rhoden"] (two men called Jr. share no surname)."""
    core = core_tokens(name)
    while len(core) > 1 and core[-1] in SUFFIXES:
        core = core[:-1]
    return core


def suffix(name: str) -> str:
    """The generational suffix a name ends in ("jr" of "Donald Trump Jr."), or "": two full names
    of one person agree on it (a father and his son share the rest)."""
    core = core_tokens(name)
    return core[-1] if len(core) > 1 and core[-1] in SUFFIXES else ""


def surname(name: str) -> str:
    core = person_tokens(name)
    return core[-1] if core else ""


def given_names(name: str) -> list[str]:
    return person_tokens(name)[:-1]


def written_surname(name: str) -> str:
    """The surname as the name writes it ("Rhoden" of "Chris Rhoden Jr.")."""
    words = name.split()
    while len(words) > 1 and words[-1].lower().rstrip(".,") in SUFFIXES:
        words.pop()
    return words[-1] if words else ""


@cache
def _nicknames() -> dict[str, frozenset[str]]:
    """Given name -> its nicknames, from the nicknames package's hand-curated table."""
    from nicknames import NickNamer

    return {name: frozenset(short) for name, short in NickNamer().nickname_lookup.items()}


def nickname_pair(a: str, b: str) -> bool:
    """Whether one given name is a nickname of the other ("chuck" / "charles", "bill" /
    "william"): lower-case tokens."""
    table = _nicknames()
    return b in table.get(a, ()) or a in table.get(b, ())


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


def names_match(a: str, b: str) -> bool:
    """Two full person names that are one name in different romanisations: the surnames agree
    and so do the first given names (a middle name may be missing on one side)."""
    core_a, core_b = person_tokens(a), person_tokens(b)
    if core_a and core_b and len(core_a) != len(core_b):
        # The same name split differently ("Amirali" / "Amir Ali", "Abdelaziz" / "Abdul Aziz").
        joined_a, joined_b = fold("".join(core_a)), fold("".join(core_b))
        if joined_a == joined_b or (
            skeleton(joined_a) == skeleton(joined_b) and Levenshtein.distance(joined_a, joined_b) <= 1
        ):
            return True
    if not same_token(surname(a), surname(b)):
        return False
    given_a, given_b = given_names(a), given_names(b)
    if not given_a or not given_b:
        return True
    if suffix(a) != suffix(b):
        return False  # "Donald Trump", "Donald Trump Jr."
    # The first given names agree, or one side goes by its middle name ("Mohammad Javad Zarif").
    return same_token(given_a[0], given_b[0]) or any(
        same_token(short[0], g)
        for short, long in ((given_a, given_b), (given_b, given_a))
        if len(short) == 1
        for g in long[1:]
    )


def may_be_taken_for(other: str, suffixed: str) -> bool:
    """Whether a name beside a suffixed one in an article may be taken for it: a bare surname, or
    a full name of the same surname and first given name (or its nickname) but another suffix."""
    if not same_token(surname(other), surname(suffixed)):
        return False
    given, own = given_names(other), given_names(suffixed)
    if not given:
        return True
    return suffix(other) != suffix(suffixed) and (same_token(given[0], own[0]) or nickname_of(given, own))


def nickname_of(given_a: list[str], given_b: list[str]) -> bool:
    """The first given names are a name and its nickname, or one side has one given name and
    the other goes by its middle name ("Chris Stevens", "J. Christopher Stevens")."""
    if not given_a or not given_b:
        return False
    return nickname_pair(given_a[0], given_b[0]) or any(
        nickname_pair(short[0], g)
        for short, long in ((given_a, given_b), (given_b, given_a))
        if len(short) == 1
        for g in long[1:]
    )


FIRST_NAME_ODDS = 10  # a first name is a man's or a woman's when one census list has it this much more often
TITLE_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f"}


def first_name_gender(name: str) -> str | None:
    """The sex ("m" or "f") the census lists give the first word of a full name ("Hillary Clinton":
    "f"), or None: a name in neither list, or in both, a surname alone ("Reed-Veal")."""
    words = name.split()
    return _first_name_genders().get(words[0].lower().rstrip(".")) if len(words) > 1 else None


def title_gender(title: str | None) -> str | None:
    """The sex ("m" or "f") a title says ("Mr.", "Mrs.", "Ms.", "Miss"), else None."""
    return TITLE_GENDER.get((title or "").strip().lower().rstrip(".")) if title else None


@cache
def _first_name_genders() -> dict[str, str]:
    """First name (lower case) -> "m" or "f": the US Census 1990 lists of first names by sex (public
    domain, shipped by the `names` package), a name in both only where one list has it
    FIRST_NAME_ODDS times as often ("Leslie", "Jordan" are neither)."""
    shares: dict[str, dict[str, float]] = {}
    for gender, listed in (("m", "dist.male.first"), ("f", "dist.female.first")):
        for line in (files("names") / listed).read_text(encoding="ascii").splitlines():
            name, share, *_ = line.split()
            shares.setdefault(name.lower(), {})[gender] = float(share)
    found = {}
    for name, by in shares.items():
        m, f = by.get("m", 0.0), by.get("f", 0.0)
        if m >= FIRST_NAME_ODDS * f or f >= FIRST_NAME_ODDS * m:
            found[name] = "m" if m > f else "f"
    return found
