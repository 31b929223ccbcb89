"""Who is who for organisations and places: are two names one thing? Against a blind gold.

    .venv/bin/python bench/org_pairs.py --db BASIL.db --corpus basil-dev [--db GVA.db --corpus gva-dev ...]

Each `--db` is a store of that corpus as `storylens ingest` leaves it: read, never written. The
gold (bench/data/org_pairs_s33.tsv, session 33) holds pairs of organisation and place names an
acronym can join (one name is an acronym of the other, or both share the initials of an acronym
the store holds), judged same or different by helpers who read only the names' article excerpts
(never storylens's output); only the pairs' hashes are kept. The pairs are rebuilt here from the
store's names (`candidates`), and a pair is one thing for storylens when one entity of the store
has both names among its aliases.

Printed per corpus, beside two baselines run here: "initials" (an acronym is one thing with every
name it abbreviates, and names sharing initials are one: what storylens did before session 33) and
"acronym of the name" (an acronym is one thing with every name it abbreviates; two long names
never one). Nothing is asserted: the figures are printed.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sqlite3
from collections import defaultdict
from pathlib import Path

from person_pairs import judged_pairs, read_gold, scores

from storylens.understand.names import acronym, is_acronym

GOLD = Path(__file__).resolve().parent / "data" / "org_pairs_s33.tsv"


def letters(name: str) -> str:
    return name.replace(".", "") if is_acronym(name) else acronym(name)


def candidates(names: set[str]) -> set[tuple[str, str]]:
    """Pairs of distinct names sharing the letters of an acronym the store holds (not two
    spellings of one acronym): the universe the gold was drawn from."""
    present = {n.replace(".", "") for n in names if is_acronym(n)}
    by_letters: dict[str, list[str]] = defaultdict(list)
    for name in names:
        if letters(name) in present:
            by_letters[letters(name)].append(name)
    return {
        (a, b)
        for group in by_letters.values()
        for a, b in itertools.combinations(sorted(group), 2)
        if not (is_acronym(a) and is_acronym(b))
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", required=True)
    parser.add_argument("--corpus", action="append", required=True)
    args = parser.parse_args()
    gold = read_gold(GOLD)
    for path, corpus in zip(args.db, args.corpus, strict=True):
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        names = {n for (n,) in db.execute("SELECT DISTINCT name FROM mentions WHERE type != 'PERSON'")}
        entities: dict[str, set[str]] = defaultdict(set)
        for entity_id, aliases in db.execute("SELECT id, aliases FROM entities WHERE type != 'PERSON'"):
            for name in json.loads(aliases):
                entities[name].add(entity_id)
        judged = judged_pairs(candidates(names), gold, corpus)
        in_gold = sum(1 for c, _ in gold if c == corpus)
        same = sum(judged.values())
        print(f"{corpus}: {len(judged)} of the gold's {in_gold} judged pairs in the store ({same} same)")
        systems = {
            "storylens": lambda a, b, found=entities: bool(found.get(a, set()) & found.get(b, set())),
            "initials": lambda a, b: True,
            "acronym of the name": lambda a, b: is_acronym(a) != is_acronym(b),
        }
        for system, merged in systems.items():
            print(f"    {system:<22} {scores([(truth, merged(*p)) for p, truth in judged.items()])}")


if __name__ == "__main__":
    main()
