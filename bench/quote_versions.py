"""How the outlets quote one statement differently, on real coverage, against a blind reading.

    .venv/bin/python bench/quote_versions.py [--corpus basil|gva] [--db KEPT.db]

Input: ../shared/data/basil-dev (150 articles of three outlets; the rules were refined on its
reading) or gva-dev (1,917 local crime reports, read once, after), given to `storylens ingest` as
JSONL; --db KEPT.db: a store of it this script or another bench ingested before. For every
story, the statements two articles or more quote directly, and in each quotation the runs of words
another outlet's version gives otherwise (`versions.worded_otherwise`, as the story page marks
them). Each marked run is looked up in bench/data/quote_versions_judged.tsv: runs a helper judged in
session 37, reading only the versions of each statement with the runs marked (not how they were
found): "yes", the outlets' quoted words really differ there, or "no". The file keeps a hash of
each quotation and the run's offsets, not the text. Printed: statements, those with a run marked,
runs judged yes / no / not judged.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storylens.export import by_statement, quote_record  # noqa: E402
from storylens.pipeline import ingest  # noqa: E402
from storylens.store import open_store  # noqa: E402
from storylens.understand.versions import worded_otherwise  # noqa: E402

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


def versions(store) -> list[list[tuple[dict, list[list[int]]]]]:
    """Each statement two articles or more quote directly: its direct quotes, each with its marks."""
    found = []
    for row in store.story_rows():
        if len(row["article_ids"]) < 2:
            continue
        quotes = [quote_record(q) for q in store.quotes_where("article_id", row["article_ids"])]
        for members in by_statement(quotes).values():
            direct = [q for q in members if q["direct"]]
            if len({q["article_id"] for q in direct}) < 2:
                continue
            found.append(
                [
                    (
                        q,
                        worded_otherwise(
                            q["text"], [o["text"] for o in direct if o["article_id"] != q["article_id"]]
                        ),
                    )
                    for q in direct
                ]
            )
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
            statements = versions(store)
    tally = Counter()
    for members in statements:
        for quote, marks in members:
            for start, end in marks:
                tally[labels.get(run_key(quote["text"], start, end), "not judged")] += 1
    marked = sum(any(marks for _, marks in members) for members in statements)
    judged_n = tally["yes"] + tally["no"]
    share = f"{tally['yes'] / judged_n:.3f}" if judged_n else "-"
    print(f"{source.parent.name}: {len(statements)} statements quoted directly by two articles or more")
    print(f"  with a run of words another outlet's version gives otherwise: {marked}")
    print(
        f"  runs marked: {sum(tally.values())}; judged yes {tally['yes']}, no {tally['no']}, "
        f"not judged {tally['not judged']}; precision (judged) {share}"
    )


if __name__ == "__main__":
    main()
