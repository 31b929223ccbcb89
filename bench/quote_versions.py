"""How the outlets quote one statement differently, on real coverage, against a blind reading.

    .venv/bin/python bench/quote_versions.py [--corpus basil|gva] [--db KEPT.db]

Input: ../shared/data/basil-dev (150 articles of three outlets; the rules were refined on its
reading) or gva-dev (1,917 local crime reports, read once, after), given to `storylens ingest` as
JSONL; --db KEPT.db: a store of it this script or another bench ingested before. For every
story, the statements two articles or more quote directly, and in each quotation the runs of words
another outlet's version gives otherwise (`versions.worded_otherwise`, as the story page marks
them), and beside them, in the same run, a plain word diff (the baseline). Each marked run is
looked up in bench/data/quote_versions_judged.tsv: runs helpers judged in session 37, reading only
the versions of each statement with the runs marked (not how they were found, nor which way):
"yes", the outlets' quoted words really differ there, or "no". The file keeps a hash of each
quotation and the run's offsets, not the text. Printed for each way: statements with a run marked,
runs judged yes / no / not judged.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import tempfile
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storylens.export import by_statement, quote_record  # noqa: E402
from storylens.pipeline import ingest  # noqa: E402
from storylens.store import open_store  # noqa: E402
from storylens.understand.versions import quoted_otherwise  # noqa: E402

SOURCES = {
    "basil": ROOT.parent / "shared" / "data" / "basil-dev" / "basil-dev.jsonl",
    "gva": ROOT.parent / "shared" / "data" / "gva-dev" / "gva-dev.jsonl",
}
JUDGED = ROOT / "bench" / "data" / "quote_versions_judged.tsv"


def run_key(text: str, start: int, end: int) -> str:
    """How the judged file names a marked run without copying it: the quotation's hash and offsets."""
    return f"{hashlib.sha1(' '.join(text.split()).encode()).hexdigest()[:16]}:{start}:{end}"


def judged() -> dict[str, str]:
    found = {}
    for line in JUDGED.read_text().splitlines() if JUDGED.exists() else []:
        if line.strip() and not line.startswith("#"):
            key, label = line.split("\t")[:2]
            found[key] = label
    return found


def versions(store, marking) -> list[list[tuple[dict, list[list[int]]]]]:
    """Each statement two articles or more quote directly: its direct quotes, each with the runs
    `marking` (quote records of one statement -> {quote id: runs}) marks in it."""
    found = []
    for row in store.story_rows():
        if len(row["article_ids"]) < 2:
            continue
        quotes = [quote_record(q) for q in store.quotes_where("article_id", row["article_ids"])]
        for members in by_statement(quotes).values():
            direct = [q for q in members if q["direct"]]
            if len({q["article_id"] for q in direct}) >= 2:
                marks = marking(direct)
                found.append([(q, marks.get(q["id"], [])) for q in direct])
    return found


def plain_diff(quotes: list[dict]) -> dict[str, list[list[int]]]:
    """The baseline: a word diff (difflib over the words as written, lower-cased) of each quotation
    against the other article's version sharing most words with it, every replaced or dropped
    word marked."""
    found = {}
    for quote in quotes:
        mine = [(m.start(), m.end()) for m in re.finditer(r"\S+", quote["text"])]
        words = [quote["text"][a:b].lower() for a, b in mine]
        best = None
        for other in quotes:
            if other["article_id"] != quote["article_id"]:
                matcher = SequenceMatcher(None, words, other["text"].lower().split(), autojunk=False)
                shared = sum(block.size for block in matcher.get_matching_blocks())
                best = max(best or (shared, matcher), (shared, matcher), key=lambda pair: pair[0])
        runs = [
            [mine[i1][0], mine[i2 - 1][1]]
            for tag, i1, i2, _, _ in (best[1].get_opcodes() if best else [])
            if tag in ("replace", "delete")
        ]
        if runs:
            found[quote["id"]] = runs
    return found


def main() -> None:
    corpus = sys.argv[sys.argv.index("--corpus") + 1] if "--corpus" in sys.argv else "basil"
    source = SOURCES[corpus]
    if not source.exists():
        print(f"{source.parent.name} is absent (../shared/data/{source.parent.name}): skipped")
        return
    rows = [json.loads(line) for line in source.read_text().splitlines() if line.strip()]
    kept = Path(sys.argv[sys.argv.index("--db") + 1]) if "--db" in sys.argv else None
    labels = judged()
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / f"{corpus}.jsonl"
        feed.write_text(
            "".join(
                json.dumps({k: r[k] for k in ("title", "text", "published", "outlet", "url")}) + "\n"
                for r in rows
            )
        )
        with open_store(kept or Path(tmp) / f"{corpus}.db") as store:
            ingest([feed], store)
            results = {name: versions(store, marking) for name, marking in METHODS.items()}
    name = source.parent.name
    print(f"{name}: {len(results['storylens'])} statements quoted directly by two articles or more")
    heads = f"{'statements marked':>17} {'runs':>5} {'real':>5} {'no':>5} {'not judged':>11}"
    print(f"  {'':<36} {heads}  precision (judged)")
    for name, statements in results.items():
        tally = Counter(
            labels.get(run_key(quote["text"], start, end), "not judged")
            for members in statements
            for quote, marks in members
            for start, end in marks
        )
        marked = sum(any(marks for _, marks in members) for members in statements)
        judged_n = tally["yes"] + tally["no"]
        share = f"{tally['yes'] / judged_n:.3f}" if judged_n else "-"
        print(
            f"  {name:<36} {marked:>17} {sum(tally.values()):>5} {tally['yes']:>5} {tally['no']:>5} "
            f"{tally['not judged']:>11}  {share}"
        )


METHODS = {"storylens": quoted_otherwise, "baseline: plain word diff (same run)": plain_diff}


if __name__ == "__main__":
    main()
