"""Statements of a resolved speaker quoted thousands of times: a few new quotes linked with what
the last linking kept (understand/statements.py, link_kept) against the block linked whole —
the same statements, for how much less?

    .venv/bin/python bench/statements_reach.py --store GROWN.db [--sizes 1000 4000 15000] [--new 9]

`--store`: a grown store (bench/firehose.py keeps one), read only. First the store's three
largest resolved speakers' blocks as they are, each with its last `--new` quotes held out as the
new ones; then a stress test: the texts of all its quotes that have a stored vector become one
speaker's block, each quote in an article of its own (every remark of the store's speakers said
by one), for each size the first texts old and the next `--new` (one of them an old text quoted
again in a new article) new. Each time the old quotes are linked whole and what linking keeps is
kept; then the new ones are linked by what they reach and, beside, the whole block is linked
again. Last, `--synthetic` sizes: a block of random unit vectors (random words as texts, one
article each, a restatement at cosine 0.8 planted for every tenth text): a speaker quoted that many
times whose remarks do not chain. Printed: CPU seconds of each, the quotes linked again, and
whether every quote's statement agrees. Nothing is asserted: the figures are printed.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from functools import partial
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storylens.model import QuoteRef  # noqa: E402
from storylens.understand.embed import DIMENSIONS, from_blob, text_key  # noqa: E402
from storylens.understand.statements import link_kept  # noqa: E402


def largest_blocks(path: Path, count: int = 3) -> list[list[QuoteRef]]:
    """The quotes of the store's `count` most quoted resolved speakers, each in id order."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    speakers = db.execute(
        "SELECT speaker_id FROM quotes WHERE speaker_id IS NOT NULL GROUP BY speaker_id "
        "ORDER BY count(*) DESC LIMIT ?",
        (count,),
    ).fetchall()
    columns = "SELECT id, article_id, speaker_id, speaker_kind, text FROM quotes"
    return [
        [QuoteRef(*row) for row in db.execute(f"{columns} WHERE speaker_id = ? ORDER BY id", speaker)]
        for speaker in speakers
    ]


def stored_texts(path: Path) -> dict[str, np.ndarray]:
    """The store's quote texts that have a vector, with it, in the order of their keys."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    texts = {text_key(t): t for (t,) in db.execute("SELECT DISTINCT text FROM quotes")}
    found = {}
    for key, blob in db.execute("SELECT key, vector FROM embeddings ORDER BY key"):
        if key in texts:
            found[texts[key]] = from_blob(blob)
    return found


def timed(work, *args):
    cpu = time.process_time()
    result = work(*args)
    return result, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 15000])
    parser.add_argument("--new", type=int, default=9)
    parser.add_argument("--synthetic", type=int, nargs="*", default=[20000, 50000])
    args = parser.parse_args()
    vectors = stored_texts(args.store)
    texts = list(vectors)

    def vectors_of(asked: list[str], found: dict[str, np.ndarray] = vectors) -> np.ndarray:
        return np.array([found[t] for t in asked])

    print(f"{args.new} new quotes of a speaker, linked by what they reach and whole")
    print(f"  {'block':<22}{'texts':>7}{'whole CPU s':>13}{'kept CPU s':>12}{'linked again':>14}  statements")
    for block in largest_blocks(args.store):
        texts_of = len({q.text for q in block})
        compared(f"{block[0].speaker_id}", texts_of, block[: -args.new], block[-args.new :], vectors_of)
    for size in args.sizes:
        size = min(size, len(texts) - args.new)
        old = [QuoteRef(f"q{n:06d}", f"a{n:06d}", "e_speaker", "person", texts[n]) for n in range(size)]
        fresh = range(size, size + args.new - 1)
        new = [QuoteRef(f"q{n:06d}", f"a{n:06d}", "e_speaker", "person", texts[n]) for n in fresh]
        new.append(QuoteRef("q999999", "a999999", "e_speaker", "person", texts[0]))  # an old text again
        compared("everyone as one", size + args.new - 1, old, new, vectors_of)
    for size in args.synthetic:
        made = synthetic(size + args.new)
        quotes = [QuoteRef(f"q{n:06d}", f"a{n:06d}", "e_speaker", "person", t) for n, t in enumerate(made)]
        compared(
            "random remarks",
            len(quotes),
            quotes[: -args.new],
            quotes[-args.new :],
            partial(vectors_of, found=made),
        )


def synthetic(size: int, seed: int = 22) -> dict[str, np.ndarray]:
    """`size` texts of random words with random unit vectors; every tenth text restates the one
    before (cosine 0.8, its own words)."""
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(size, DIMENSIONS)).astype(np.float32)
    for n in range(1, size, 10):
        vectors[n] = 0.8 * vectors[n - 1] / np.linalg.norm(vectors[n - 1]) + 0.6 * vectors[
            n
        ] / np.linalg.norm(vectors[n])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    words = rng.integers(0, 1_000_000, size=(size, 8))
    return {" ".join(f"w{w}" for w in row): v for row, v in zip(words, vectors, strict=True)}


def compared(name: str, texts: int, old: list[QuoteRef], new: list[QuoteRef], vectors_of) -> None:
    before, kept = link_kept(old, vectors_of)
    every = old + new
    (some, _), kept_cpu = timed(link_kept, every, vectors_of, {q.id for q in new}, kept)
    (whole, _), whole_cpu = timed(link_kept, every, vectors_of)
    agree = all(some[q] == whole[q] for q in some) and all(
        before[q.id] == whole[q.id] for q in old if q.id not in some
    )
    print(
        f"  {name:<22}{texts:>7}{whole_cpu:>13.2f}{kept_cpu:>12.2f}{len(some):>14}  "
        f"{'same' if agree else 'DIFFER'}",
        flush=True,
    )


if __name__ == "__main__":
    main()
