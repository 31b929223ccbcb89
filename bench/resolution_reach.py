"""Entity resolution and statements of what a round reaches, against resolving and linking
everything: the same store?

    .venv/bin/python bench/resolution_reach.py --store GROWN.db [--batches 9]

`--store`: the grown store bench/firehose.py keeps (its held-out articles are the stream here;
copied twice, never written). Copy A resolves, each round, only the stored entities the new
articles reach (storylens/resolution.py) and links the statements the new quotes can change
(understand/statements.py, link_kept: in a block with no entity the texts they reach, in a
resolved speaker's the texts they can change given what the last linking kept); copy B resolves
every article each round (its kept state dropped before each ingest) and links every quote of the
store whole. After each round, digests of what resolution writes and what rests on it: the
entities (id, name, type, aliases, roles, members), each quote's speaker and statement, the
entities' merge keys and the stories whose comparison is kept. Per round: the local entities A
resolved, the CPU seconds of each side's resolution and of each side's statements, and whether
each digest agrees. Run it after any change to resolve.py's or statements.py's rules (and
merge_keys with them). Nothing is asserted: the figures are printed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from firehose import feeds  # noqa: E402

import storylens.pipeline as pipeline  # noqa: E402
import storylens.resolution as resolution  # noqa: E402
from storylens.kept import stored_vectors  # noqa: E402
from storylens.pipeline import compare_stories, ingest  # noqa: E402
from storylens.store import open_store  # noqa: E402

PARTS = ("entities", "quotes", "keys", "kept comparisons")


def written(store) -> dict[str, list]:
    """What resolution writes and what rests on it, in a fixed order."""
    members: dict[str, list] = {}
    for aid, local, eid in store.db.execute("SELECT article_id, local, entity_id FROM local_entities"):
        members.setdefault(eid, []).append((aid, local))
    rows = sorted(store.db.execute("SELECT id, name, type, aliases, roles FROM entities"))
    return {
        "entities": [(*row, sorted(members.get(row[0], []))) for row in rows]
        + [sorted(members.get(None, []))],
        "quotes": sorted(store.db.execute("SELECT id, speaker_id, statement_id FROM quotes")),
        "keys": sorted(store.db.execute("SELECT key, entity_id FROM entity_keys")),
        "kept comparisons": sorted(r[0] for r in store.db.execute("SELECT story_id FROM comparisons")),
    }


def digest(value) -> str:
    return hashlib.sha1(json.dumps(value, default=list).encode()).hexdigest()[:10]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, required=True, help="bench/firehose.py's grown store")
    parser.add_argument("--batches", type=int, default=9)
    args = parser.parse_args()
    spent: dict[str, float] = {}
    linked: dict[str, float] = {}
    resolved: dict[str, int] = {}
    real_resolve, real_replace = resolution.resolve_store, resolution._replace
    real_link = pipeline.link_kept

    def timed(store):
        cpu = time.process_time()
        try:
            return real_resolve(store)
        finally:
            spent[store.path.name] = time.process_time() - cpu

    def counted(store, locals_by_article, *rest):
        resolved[store.path.name] = sum(len(found) for found in locals_by_article.values())
        return real_replace(store, locals_by_article, *rest)

    def link_store(store):
        pipeline.resolve_store(store)
        pending = store.quotes_to_link()
        cpu = time.process_time()
        vectors = lambda texts: stored_vectors(store, texts)  # noqa: E731
        if store.path.name == "every.db":  # B: every quote, every block whole
            store.set_statements(real_link(store.quote_refs(), vectors)[0])
        else:  # A: as pipeline.link_store
            pipeline.link_pending_statements(store, pending)
        linked[store.path.name] = time.process_time() - cpu

    pipeline.resolve_store, resolution._replace, pipeline.link_store = timed, counted, link_store
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _, parts = feeds(folder, args.batches)
        reached, every = folder / "reached.db", folder / "every.db"
        shutil.copy(args.store, reached)
        shutil.copy(args.store, every)
        with open_store(reached) as a, open_store(every) as b:
            resolution.resolve_store(a)  # A keeps its merge keys: its first round is then a reached one
            # and what linking keeps of each speaker's block, from linking every quote once
            a.set_statements(*real_link(a.quote_refs(), lambda texts: stored_vectors(a, texts)))
            print(f"Resolution of what a round reaches (A) and of every article (B), {len(parts)} rounds")
            print(
                f"  {'round':<7}{'local entities':>16}{'resolved by A':>15}"
                f"{'A CPU s':>9}{'B CPU s':>9}{'A stmt s':>10}{'B stmt s':>10}  digests"
            )
            for k, part in enumerate(parts):
                resolved.clear()
                linked.clear()
                b.db.execute("DELETE FROM pipeline_state WHERE key = 'resolution'")
                ingest([part], b)
                ingest([part], a)
                if k % 3 == 2:
                    compare_stories(a)
                    compare_stories(b)
                found, wanted = written(a), written(b)
                total = a.db.execute("SELECT count(*) FROM local_entities").fetchone()[0]
                agree = " ".join(
                    f"{name}: {'same' if found[name] == wanted[name] else 'DIFFER'} {digest(found[name])}"
                    for name in PARTS
                )
                print(
                    f"  {k + 1:<7}{total:>16}{resolved.get('reached.db', 0):>15}"
                    f"{spent.get('reached.db', 0.0):>9.2f}{spent.get('every.db', 0.0):>9.2f}"
                    f"{linked.get('reached.db', 0.0):>10.2f}{linked.get('every.db', 0.0):>10.2f}  {agree}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
