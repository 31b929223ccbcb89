"""Who an opening pronoun of a list item stands for, against a gold written by reading.

    .venv/bin/python bench/referents.py [--db KEPT.db]

Gold: bench/data/pronoun_referents.tsv (session 46): 186 `outlet_only` items of gva-dev and
basil-dev opening on He, She, His or Her, each read by a blind helper who wrote the person the
pronoun stands for (NAMED, by its offsets in the corpus's text), a person the article does not
name (UNNAMED) or UNCLEAR. compare/referents.py's rules were chosen on the "dev" and "report"
halves; "fresh" (66 items) was read after that and run once.

The gold's articles are ingested into a store of their own (--db KEPT.db: one this script filled
before), each item found in its article's stored text, and the pronoun resolved as the comparison
resolves it (referents.referent over the article's mentions and quotations). Printed, by half and
corpus: the items named, the share named rightly (the gold's NAMED person, by a word of the name
beside titles and suffixes; any name where the gold says UNNAMED or UNCLEAR is wrong), the share of
the gold's NAMED items named rightly; beside the same run's baseline, the nearest person mention
before the sentence outside quotation marks.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storylens.compare.referents import genders_of, referent  # noqa: E402
from storylens.compare.voice import names_written  # noqa: E402
from storylens.pipeline import ingest  # noqa: E402
from storylens.store import open_store  # noqa: E402
from storylens.understand.marks import quote_spans  # noqa: E402
from storylens.understand.nlp import article_text  # noqa: E402

GOLD = ROOT / "bench" / "data" / "pronoun_referents.tsv"
SOURCES = {
    "gva": ROOT.parent / "shared" / "data" / "gva-dev" / "gva-dev.jsonl",
    "basil": ROOT.parent / "shared" / "data" / "basil-dev" / "basil-dev.jsonl",
}
SUFFIXES = {"jr", "sr", "ii", "iii", "president", "mr", "mrs", "ms"}


def corpus_rows() -> dict[str, dict]:
    """gva-dev's and basil-dev's rows by id."""
    return {
        r["id"]: r
        for path in SOURCES.values()
        for r in (json.loads(line) for line in path.read_text().splitlines() if line.strip())
    }


def write_feed(feed: Path, rows: dict[str, dict], wanted: set[str]) -> Path:
    """A JSONL file of the `wanted` rows, as `storylens ingest` reads one."""
    feed.write_text(
        "".join(
            json.dumps({k: rows[r][k] for k in ("title", "text", "published", "outlet", "url")}) + "\n"
            for r in sorted(wanted)
        )
    )
    return feed


@contextmanager
def stored_items(name: str, rows: dict[str, dict], items: list[dict], kept: Path | None) -> Iterator[tuple]:
    """(the store, [(item, its stored article)]): the items' articles ingested into a store of their own
    (`kept`: one this bench filled before, else a temporary one)."""
    with tempfile.TemporaryDirectory() as tmp:
        feed = write_feed(Path(tmp) / f"{name}.jsonl", rows, {i["row"] for i in items})
        with open_store(kept or Path(tmp) / f"{name}.db") as store:
            ingest([feed], store)
            article_of = {url: aid for aid, url in store.article_urls().items()}
            yield store, [(item, store.article(article_of[rows[item["row"]]["url"]])) for item in items]


def prepared(read_gold) -> tuple[dict[str, dict], list[dict], Path | None] | None:
    """The corpora's rows, the gold's items (`read_gold` over the rows' texts) and the store
    --db names, or None (said so) where a corpus is absent."""
    if not all(path.exists() for path in SOURCES.values()):
        print("gva-dev or basil-dev is absent (../shared/data): skipped")
        return None
    rows = corpus_rows()
    kept = Path(sys.argv[sys.argv.index("--db") + 1]) if "--db" in sys.argv else None
    return rows, read_gold({row: r["text"] for row, r in rows.items()}), kept


def read_gold(texts: dict[str, str]) -> list[dict]:
    items = []
    for line in GOLD.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        item, corpus, half, row, start, end, digest, kind, name_start, name_end = line.split("\t")
        sentence = texts[row][int(start) : int(end)]
        if hashlib.sha1(" ".join(sentence.split()).encode()).hexdigest()[:16] != digest:
            raise SystemExit(f"{row} differs from the gold's copy at {start}-{end}")
        name = texts[row][int(name_start) : int(name_end)] if kind == "NAMED" else ""
        items.append(
            {"item": item, "corpus": corpus.split("-")[0], "half": half, "row": row, "sentence": sentence}
            | {"kind": kind, "name": name}
        )
    return items


def surname(name: str) -> str:
    words = [
        w for w in re.findall(r"[\w'\u2019-]+", name.lower().replace("\u2019", "'")) if w not in SUFFIXES
    ]
    return words[-1] if words else ""


def nearest(spans: list, quoted: list, start: int) -> str | None:
    """The baseline: the last person mention before `start`, outside quotation marks."""
    before = [
        e
        for s, _, e, _, kind in spans
        if kind == "PERSON" and s < start and not any(a <= s < b for a, b in quoted)
    ]
    return before[-1] if before else None


def main() -> None:
    if (ready := prepared(read_gold)) is None:
        return
    rows, items, kept = ready
    tally: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])  # named, right, gold named
    with stored_items("referents", rows, items, kept) as (store, stored):
        for item, article in stored:
            aid = article.id
            text = article_text(article.paragraphs)
            found = re.search(r"\s+".join(map(re.escape, item["sentence"].split())), text)
            if found is None:
                print(f"  {item['item']}: not found in the stored text")
                continue
            spans = store.resolved_mentions([aid]).get(aid, [])
            quoted = quote_spans(text)
            written = names_written(text, spans)
            resolved = referent(text, found.start(), spans, quoted, genders_of(text, spans, quoted))
            for method, entity in (
                ("storylens", resolved[2] if resolved else None),
                ("nearest person before (baseline)", nearest(spans, quoted, found.start())),
            ):
                for group in ((item["half"], item["corpus"]), (item["half"], "both"), ("all", "both")):
                    counts = tally[(method, *group)]
                    counts[2] += item["kind"] == "NAMED"
                    if entity is not None:
                        shown = written.get(entity, "")
                        counts[0] += 1
                        counts[1] += item["kind"] == "NAMED" and surname(item["name"]) in {
                            surname(w) for w in shown.split()
                        }
    print(f"who an opening pronoun stands for: {len(items)} items read by blind helpers ({GOLD.name})")
    columns = ("method", "half", "corpus", "named", "right", "precision", "recall")
    print("  {:<34} {:<7} {:<6} {:>6} {:>6} {:>9} {:>7}".format(*columns))
    order = sorted(tally.items(), key=lambda kv: (kv[0][0] != "storylens", kv[0]))
    for (method, half, corpus), (named, right, gold) in order:
        precision = f"{right / named:.3f}" if named else "-"
        recall = f"{right / gold:.3f}" if gold else "-"
        print(f"  {method:<34} {half:<7} {corpus:<6} {named:>6} {right:>6} {precision:>9} {recall:>7}")


if __name__ == "__main__":
    main()
