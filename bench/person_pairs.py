"""Who is who on real coverage: are two person names one person? Against a blind gold.

    .venv/bin/python bench/person_pairs.py --db BASIL.db --corpus basil-dev [--db GVA.db --corpus gva-dev]

Each `--db` is a store of that corpus as `storylens ingest` (or `storylens analyze`) leaves it:
read, never written. The gold (bench/data/person_pairs_s33.tsv, session 33) holds pairs of person
names that share their last word as written or after a generational suffix ("Jr."), judged same
or different person by a helper who read only the two names' article excerpts (never storylens's
output); only the pairs' hashes are kept. The pairs are rebuilt here from the store's person
names the same way (bench/person_pairs.py's `candidates`), and a pair is one person for
storylens when one entity of the store has both names among its aliases.

Printed per corpus, beside two baselines run here: "first and last word" (the same first word
and the same last word after a suffix) and "last word" (every pair one person). Precision and
recall of "one person" over the judged pairs, then the same on two slices: pairs whose first
given names are a name and its nickname, and pairs with a generational suffix. Nothing is
asserted: the figures are printed.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import re
import sqlite3
from collections import defaultdict
from pathlib import Path

from storylens.understand.names import SUFFIXES, core_tokens, nickname_pair

GOLD = Path(__file__).resolve().parent / "data" / "person_pairs_s33.tsv"


def words(name: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", name.lower())


def last_word(name: str, drop_suffix: bool) -> str:
    found = words(name)
    while drop_suffix and len(found) > 2 and found[-1] in SUFFIXES:
        found = found[:-1]
    return found[-1] if found else ""


def candidates(names: set[str]) -> set[tuple[str, str]]:
    """Pairs of distinct names (two core words or more) sharing their last word, as written or
    after a suffix: the universe the gold was drawn from."""
    names = {n for n in names if len(core_tokens(n)) > 1}
    pairs = set()
    for drop in (False, True):
        by_last: dict[str, list[str]] = defaultdict(list)
        for name in names:
            by_last[last_word(name, drop)].append(name)
        for group in by_last.values():
            pairs.update(itertools.combinations(sorted(group), 2))
    return pairs


def pair_id(corpus: str, a: str, b: str) -> str:
    return hashlib.sha1(f"{corpus}:{a}|{b}".encode()).hexdigest()[:12]


def read_gold(path: Path = GOLD) -> dict[tuple[str, str], bool]:
    """(corpus, pair id) -> one (same) or not (different); "unsure" pairs are left out."""
    gold = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        corpus, pid, verdict = line.split("\t")[:3]
        if verdict in ("same", "different"):
            gold[(corpus, pid)] = verdict == "same"
    return gold


def judged_pairs(pairs, gold: dict[tuple[str, str], bool], corpus: str) -> dict[tuple[str, str], bool]:
    """The pairs the gold judges: (name A, name B) -> one or not."""
    found = {(a, b): (corpus, pair_id(corpus, a, b)) for a, b in pairs}
    return {pair: gold[key] for pair, key in found.items() if key in gold}


def storylens_merged(db: sqlite3.Connection) -> dict[str, set[str]]:
    """name -> the ids of the person entities naming it."""
    entities: dict[str, set[str]] = defaultdict(set)
    for entity_id, aliases in db.execute("SELECT id, aliases FROM entities WHERE type = 'PERSON'"):
        for name in json.loads(aliases):
            entities[name].add(entity_id)
    return entities


def first_and_last(a: str, b: str) -> bool:
    return words(a)[0] == words(b)[0] and last_word(a, True) == last_word(b, True)


def scores(rows: list[tuple[bool, bool]]) -> str:
    said = sum(1 for _, guess in rows if guess)
    right = sum(1 for truth, guess in rows if truth and guess)
    truly = sum(1 for truth, _ in rows if truth)
    p = right / said if said else float("nan")
    r = right / truly if truly else float("nan")
    return f"P {p:.3f} ({right}/{said})  R {r:.3f} ({right}/{truly})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", required=True)
    parser.add_argument("--corpus", action="append", required=True)
    args = parser.parse_args()
    gold = read_gold()
    for path, corpus in zip(args.db, args.corpus, strict=True):
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        names = set()
        for (found,) in db.execute("SELECT names FROM local_entities WHERE type = 'PERSON'"):
            names.update(json.loads(found))
        entities = storylens_merged(db)
        judged = judged_pairs(candidates(names), gold, corpus)
        in_gold = sum(1 for c, _ in gold if c == corpus)
        print(f"{corpus}: {len(judged)} of the gold's {in_gold} pairs found in the store")
        slices = {
            "all pairs": list(judged),
            "nickname pairs": [(a, b) for a, b in judged if nickname_pair(words(a)[0], words(b)[0])],
            "suffix pairs": [(a, b) for a, b in judged if {words(a)[-1], words(b)[-1]} & SUFFIXES],
        }
        systems = {
            "storylens": lambda a, b, found=entities: bool(found.get(a, set()) & found.get(b, set())),
            "first and last word": first_and_last,
            "last word": lambda a, b: True,
        }
        for label, pairs in slices.items():
            same = sum(1 for p in pairs if judged[p])
            print(f"  {label}: {len(pairs)} ({same} same person)")
            for system, merged in systems.items():
                print(f"    {system:<22} {scores([(judged[p], merged(*p)) for p in pairs])}")


if __name__ == "__main__":
    main()
