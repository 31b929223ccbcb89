"""Organisations and places across articles: one normalised name (through the alias table,
data/aliases.tsv, and the "Name (ACR)" pairs the articles write), and an acronym written alone
joined to the one name it abbreviates that its context supports. resolve.py reads these."""

from __future__ import annotations

import re
from collections import defaultdict

from storylens.understand.names import acronym, alias_table, core_tokens, fold, is_acronym

GROUP_TYPES = {"ORG", "GPE", "NORP", "LOC"}


def group_key(name: str, learned: dict[str, str]) -> str:
    """The key under which organisation and place names coincide."""
    aliases = alias_table()
    lowered = " ".join(name.lower().split())
    lowered = learned.get(lowered, lowered)
    lowered = aliases.get(lowered, lowered).lower()
    return " ".join(fold(t) for t in core_tokens(lowered)) or lowered


def learned_aliases(pairs: dict[str, list[tuple[str, str]]]) -> dict[str, str]:
    """short form (lower) -> long form (lower), from "Name (ACR)" pairs in the articles."""
    learned: dict[str, str] = {}
    aliases = alias_table()
    for article_pairs in pairs.values():
        for long, short in article_pairs:
            if not written_pair(long, short):
                continue  # "DENVER (AP)", "Investigation (FBI)": a dateline, a name cut short
            long_l, short_l = long.lower(), short.lower()
            # When the table knows either side, both go to its canonical name.
            canonical = aliases.get(short_l) or aliases.get(long_l)
            if canonical:
                learned[long_l] = canonical.lower()
                learned[short_l] = canonical.lower()
            else:
                learned.setdefault(short_l, long_l)
    return learned


def written_pair(long: str, short: str) -> bool:
    """Whether a "Name (SHORT)" pair an article writes names one thing twice: the short form
    abbreviates the name (its letters initials of the name's words, in order, the first the
    first: "ATF" of "Alcohol, Tobacco, Firearms and Explosives"), or the alias table makes them
    one ("Daesh (ISIS)"); not a dateline ("DENVER (AP)") nor a name cut short ("Investigation
    (FBI)")."""
    aliases = alias_table()
    if aliases.get(long.lower()) and aliases.get(long.lower()) == aliases.get(short.lower()):
        return True
    letters = re.sub(r"[^A-Za-z]", "", short).upper()
    initials = iter("".join(w[0] for w in re.findall(r"[A-Za-z]+", long)).upper())
    first = next(initials, "")
    return bool(letters) and letters[0] == first and all(c in initials for c in letters[1:])


def merge_groups(nodes, union, learned: dict[str, str], context) -> None:
    """Organisations and places by normalised name (through the alias table and the pairs the
    articles write), then each acronym alone to the one name it abbreviates that its context
    supports. An acronym an article writes beside its name ("HPD" after "Houston Police
    Department") is that name's there and no key: two names sharing initials (Hampton Police
    Division) never join through it, unless one is the other with a plural "s"."""
    by_key: dict[str, int] = {}
    by_initials: dict[str, list[int]] = defaultdict(list)
    bare: list[tuple[int, str]] = []
    spelled: dict[tuple[str, str], int] = {}  # (initials, key without plural s) -> first node
    aliases = alias_table()
    for i, (_, entity) in enumerate(nodes):
        if entity.type not in GROUP_TYPES:
            continue
        named = [n for n in entity.names if not is_acronym(n) or _mapped(n, learned, aliases)]
        if not named:
            bare.append((i, entity.names[0].replace(".", "")))
        for name in named:
            key = group_key(name, learned)
            if key in by_key:
                union.join(by_key[key], i)
            else:
                by_key[key] = i
            if not is_acronym(name) and acronym(name):
                by_initials[acronym(name)].append(i)
                # One name with and without a plural "s" ("Federal Election(s) Commission").
                singular = (acronym(name), " ".join(_singular(t) for t in key.split()))
                union.join(spelled.setdefault(singular, i), i)
    # Each acronym alone decides on the groups as the names left them (decisions first, then
    # joins: no decision sees another's); those no name claims are one entity per acronym.
    groups_of: dict[str, dict[int, set[str]]] = {}
    decided = []
    for i, letters in bare:
        if letters not in groups_of:
            groups_of[letters] = defaultdict(set)
            for j in by_initials.get(letters, []):
                groups_of[letters][union.find(j)] |= context[j]
        decided.append((i, letters, _supported_group(groups_of[letters], context[i])))
    lone: dict[str, int] = {}
    for i, letters, group in decided:
        if group is not None:
            union.join(i, group)
        elif letters in lone:
            union.join(lone[letters], i)
        else:
            lone[letters] = i


def _singular(token: str) -> str:
    return token[:-1] if len(token) > 3 and token.endswith("s") and not token.endswith("ss") else token


def _mapped(name: str, learned: dict[str, str], aliases: dict[str, str]) -> bool:
    """An acronym the alias table or a written "Name (ACR)" pair gives a name to."""
    lowered = " ".join(name.lower().split())
    return lowered in learned or lowered in aliases


def _supported_group(groups: dict[int, set[str]], context: frozenset[str]) -> int | None:
    """The group an acronym alone joins: the only one it may abbreviate, when the context
    supports it or there is no context; else the one sharing strictly the most context."""
    shared = sorted(((len(found & context), group) for group, found in groups.items()), reverse=True)
    if len(shared) == 1 and (shared[0][0] > 0 or not context):
        return shared[0][1]
    if len(shared) > 1 and shared[0][0] > max(0, shared[1][0]):
        return shared[0][1]
    return None
