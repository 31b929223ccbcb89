"""Resolution when "Name (ACR)" pairs teach new aliases: the round resolves only the names they
map otherwise (storylens/resolution.py) — the same store as resolving every article?

    .venv/bin/python bench/alias_reach.py --store GROWN.db [--pairs 1 3 30]

`--store`: a grown store (bench/firehose.py keeps one), copied, never written. A copy is primed
once with a full resolution (so that it keeps merge keys), then for each count: two copies of
the primed store get one synthetic analysis per pair, each naming an organisation of the store
and its acronym with the pair ("Salinas Police Department (SPD)": the store's own names, pairs it
has not learned); copy A resolves by reach, copy B every article; then a second round of
articles naming the same organisations and a person's surname each (read with the contexts A
kept). Printed: resolution's CPU seconds on each side, the local entities A resolved, and whether
the digests of entities, quotes, merge keys and kept comparisons agree (bench/resolution_reach.py's).
Nothing is asserted: the figures are printed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from resolution_reach import digest, written  # noqa: E402

import storylens.resolution as resolution  # noqa: E402
from storylens.model import Article  # noqa: E402
from storylens.pipeline import link_store  # noqa: E402
from storylens.store import open_store  # noqa: E402
from storylens.understand.resolve import acronym, alias_table, is_acronym  # noqa: E402


def told(aid: str, entities: list[tuple[str, str]], pairs: list[tuple[str, str]]) -> SimpleNamespace:
    """An analysis naming each (type, name) once, with these pairs (as tests/test_resolution.py)."""
    mentions = [
        SimpleNamespace(paragraph=0, start=0, end=len(n), text=n, name=n, type=t, role=None, local=i)
        for i, (t, n) in enumerate(entities)
    ]
    found = [SimpleNamespace(index=i, type=t, names=[n], roles=[]) for i, (t, n) in enumerate(entities)]
    return SimpleNamespace(article_id=aid, mentions=mentions, entities=found, quotes=[], acronyms=list(pairs))


def untaught_pairs(store) -> list[tuple[str, str]]:
    """(long, short) of the store's organisation names whose acronym the store also names, that
    neither the learned aliases nor the alias table know."""
    learned, table = store.resolution_state()["learned"], alias_table()
    names = sorted(
        r[0]
        for r in store.db.execute(
            "SELECT DISTINCT m.name FROM mentions m JOIN local_entities l ON l.article_id = m.article_id "
            "AND l.local = m.local JOIN entities e ON e.id = l.entity_id WHERE e.type = 'ORG'"
        )
    )
    shorts = {n for n in names if is_acronym(n) and n.lower() not in learned and n.lower() not in table}
    return [
        (n, acronym(n))
        for n in names
        if not is_acronym(n) and len(n.split()) > 1 and acronym(n) in shorts and n.lower() not in learned
    ]


def add(store, analyses: list[SimpleNamespace]) -> None:
    articles = [Article(a.article_id, "x.txt", None, "t", None, None, "en", None, ["x"]) for a in analyses]
    store.write_batch([(a, a.id) for a in articles], [], [])
    store.write_analyses(analyses, "bench", [[] for _ in analyses])


def run(primed: Path, folder: Path, pairs: list[tuple[str, str]], persons: list[str]) -> None:
    sides = {}
    for side in "AB":
        db = folder / f"{side}.db"
        shutil.copy(primed, db)
        with open_store(db) as store:
            for round_, analyses in enumerate(
                (
                    [
                        told(f"~a{i}", [("ORG", long), ("ORG", short)], [(long, short)])
                        for i, (long, short) in enumerate(pairs)
                    ],
                    [
                        told(
                            f"~b{i}",
                            [("ORG", long), ("ORG", short), ("PERSON", persons[i % len(persons)])],
                            [],
                        )
                        for i, (long, short) in enumerate(pairs)
                    ],
                )
            ):
                add(store, analyses)
                if side == "B":
                    store.db.execute("DELETE FROM pipeline_state WHERE key = 'resolution'")
                start = time.process_time()
                resolution.resolve_store(store)
                if round_ == 0:
                    spent = time.process_time() - start
                link_store(store)
            sides[side] = (spent, {k: digest(v) for k, v in written(store).items()})
    same = ", ".join(
        f"{k}: {'same' if sides['A'][1][k] == sides['B'][1][k] else 'DIFFERENT'}" for k in sides["A"][1]
    )
    print(f"  {len(pairs):>5}  {sides['A'][0]:>10.2f}  {sides['B'][0]:>10.2f}  {same}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--pairs", type=int, nargs="+", default=[1, 3, 30])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        primed = Path(tmp) / "primed.db"
        shutil.copy(args.store, primed)
        with open_store(primed) as store:
            link_store(store)  # a full resolution that keeps merge keys, if the store kept none
            found = untaught_pairs(store)
            persons = [r[0].split()[-1] for r in store.db.execute(
                "SELECT DISTINCT name FROM mentions WHERE name LIKE '% %' ORDER BY name LIMIT 400"
            )]  # fmt: skip
        print(
            f"{len(found)} pairs the store has not learned; resolution CPU s of the round that teaches them"
        )
        print(f"  {'pairs':>5}  {'by reach':>10}  {'every':>10}  digests")
        for count in args.pairs:
            run(primed, Path(tmp), found[:count], persons)


if __name__ == "__main__":
    main()
