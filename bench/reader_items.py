"""Items for blind readers of basil-dev's summaries (the reader rows of bench/compare_gold.py's set).

    .venv/bin/python bench/reader_items.py dump --set report --db KEPT.db > v50.txt
    .venv/bin/python bench/reader_items.py lead --set report --db KEPT.db --out DIR --key KEY.tsv [--swap]
    .venv/bin/python bench/reader_items.py pairs OLD.txt NEW.txt --out DIR --key KEY.tsv --seed N [--swap]

`dump` prints each gold event's summary, a sentence a line (run it with each version of the code to
compare). `lead` writes one item file an event: its three articles (title, outlet, date, text), then
storylens's summary and the earliest article's lead (its first three sentences) as "Summary A" and
"Summary B" in a seeded order (`--swap` turns every item round, for a second pair of readers).
`pairs` writes the events whose summaries two dumps tell differently, old and new in a seeded order.
KEY (kept outside DIR, which is all a reader may open) says which letter is storylens's or the new
version's. The prompt readers are given: bench/data/summary_preference_s11_prompt.md; their verdicts
are kept in bench/data/summary_preference_*.tsv and summary_pairs_*.tsv. The items hold basil-dev's
text, so they stay in scratch, never in the repository.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from basil_gold import event_sets, rows, sentences  # noqa: E402
from compare_gold import Gold  # noqa: E402

from storylens.pipeline import compare_articles  # noqa: E402
from storylens.store import open_store  # noqa: E402


def summaries(which: str, db: Path) -> dict[str, tuple[list[str], str]]:
    """event -> (storylens's summary sentences, the earliest article's lead) for the gold's events;
    the store must hold basil-dev (bench/compare_gold.py --db builds it)."""
    by_id = {r["id"]: r for r in rows()}
    judged = {where.split(":")[0] for where in Gold().facts}
    found = {}
    with open_store(db) as store:
        by_url = {r["url"]: r["id"] for r in by_id.values()}
        basil_of = {aid: by_url[url] for aid, url in store.article_urls().items()}
        articles_of: dict[str, list[str]] = defaultdict(list)
        for aid, basil in sorted(basil_of.items()):
            articles_of[by_id[basil]["cluster"]].append(aid)
        for event in event_sets()[which]:
            ids = articles_of[event]
            if not any(basil_of[a] in judged for a in ids):
                continue
            first = min(ids, key=lambda a: (store.article(a).published or "~", a))
            lead = " ".join(sentences(by_id[basil_of[first]]["text"])[:3])
            found[event] = ([s.text for s in compare_articles(store, ids).summary], lead)
    return found


def read_dump(path: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        if line.startswith("===== "):
            found[line.split()[1]] = []
        elif line.startswith(" * "):
            found[list(found)[-1]].append(line[3:])
    return found


def write_items(pairs: dict[str, tuple[str, str]], out: Path, key: Path, seed: int, swap: bool) -> None:
    """One item file an event with ("ours", "theirs") as A/B in a seeded order; KEY: item, event, ours."""
    by_event = defaultdict(list)
    for row in rows():
        by_event[row["cluster"]].append(row)
    out.mkdir(parents=True, exist_ok=True)
    order, keys = random.Random(seed), []
    for n, (event, (ours, theirs)) in enumerate(pairs.items(), 1):
        first = (order.random() < 0.5) != swap
        a, b = (ours, theirs) if first else (theirs, ours)
        articles = [
            f"=== Article {k}\nTitle: {r['title']}\nOutlet: {r['outlet']}\nDate: {r['published']}\n\n"
            f"{r['text'].strip()}\n"
            for k, r in enumerate(sorted(by_event[event], key=lambda r: r["id"]), 1)
        ]
        item = f"item_{n:02d}.txt"
        (out / item).write_text("\n".join([*articles, f"=== Summary A\n{a}\n\n=== Summary B\n{b}\n"]))
        keys.append(f"{item}\t{event}\t{'A' if first else 'B'}\n")
    key.write_text("".join(keys))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["dump", "lead", "pairs"])
    parser.add_argument("dumps", nargs="*", type=Path)
    parser.add_argument("--set", default="report", choices=["citations", "report", "tuning"])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--key", type=Path)
    parser.add_argument("--seed", type=int, default=3001)
    parser.add_argument("--swap", action="store_true")
    args = parser.parse_args()
    if args.mode == "pairs":
        old, new = (read_dump(path) for path in args.dumps)
        changed = {e: (" ".join(new[e]), " ".join(old[e])) for e in old if e in new and new[e] != old[e]}
        write_items(changed, args.out, args.key, args.seed, args.swap)
        print(f"{len(changed)} events told differently")
        return
    found = summaries(args.set, args.db)
    if args.mode == "dump":
        for event, (told, _) in found.items():
            print(f"===== {event}\n" + "".join(f" * {text}\n" for text in told), end="")
        return
    items = {event: (" ".join(told), lead) for event, (told, lead) in found.items()}
    write_items(items, args.out, args.key, args.seed, args.swap)
    print(f"{len(found)} events")


if __name__ == "__main__":
    main()
