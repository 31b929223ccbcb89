"""`outlet_only` on gva-dev, judged blind beside a baseline: what one outlet alone carries.

    .venv/bin/python bench/gva_only_judged.py items --db KEPT.db --out DIR --key KEY.json [--seed N]
    .venv/bin/python bench/gva_only_judged.py score

`items` samples, from the incidents of two or three articles (at most 2,100 words in all) of a
store holding gva-dev (bench/disagreements.py --db builds one), 50 of storylens's `outlet_only`
items and 50 of a baseline's: every complete claim whose nearest claim of another outlet is under
cosine 0.575 (`carried.ONLY_NEAR`, the cosine storylens itself starts from), with none of
storylens's other rules (rare words, statements only, calls for tips, site text). Both are pooled
and shuffled (seed 4242) and written in two batches, each item with the incident's other outlets'
articles in full, for readers who do not know which method gave an item. KEY (kept outside DIR)
holds each item's hash and method. The items hold gva-dev's text: they stay in scratch.

`score` prints, from the verdicts kept by hash in bench/data/gva_outlet_only_s42.tsv and _s44.tsv (alone,
partly: another article states part of its main information, carried, not_a_fact), the share of
each method's items that are that outlet's alone, alone or partly, and no fact: one table a draw
(session 42: seed 4242, version 66; session 44: seed 4444, version 75).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storylens.compare.carried import ONLY_NEAR  # noqa: E402
from storylens.kept import stored_vectors  # noqa: E402
from storylens.pipeline import compare_articles  # noqa: E402
from storylens.store import open_store  # noqa: E402

SOURCE = ROOT.parent / "shared" / "data" / "gva-dev" / "gva-dev.jsonl"
# One file a draw, each method's items with verdicts (session 39's file is another protocol's).
VERDICTS = [ROOT / "bench" / "data" / f"gva_outlet_only_s{n}.tsv" for n in (42, 44)]
SEED, EACH, MAX_WORDS = 4242, 50, 2100


def key(text: str) -> str:
    return hashlib.sha1(" ".join(text.split()).encode()).hexdigest()[:16]


def sample(db: Path, seed: int = SEED) -> list[dict]:
    """The pooled, shuffled items: {"event", "outlet", "text", "from": ["b"] | ["s"] | ["b", "s"]}."""
    rows = [json.loads(line) for line in SOURCE.read_text().splitlines() if line.strip()]
    event_of = {r["url"]: r["event"] for r in rows}
    words = {r["url"]: len(r["text"].split()) for r in rows}
    mine, baseline = [], []
    with open_store(db) as store:
        urls = store.article_urls()
        groups: dict[str, list[str]] = defaultdict(list)
        for aid, url in urls.items():
            groups[event_of[url]].append(aid)
        for event, ids in sorted(groups.items()):
            if not 2 <= len(ids) <= 3 or sum(words[urls[a]] for a in ids) > MAX_WORDS:
                continue
            outlet = {a: store.article(a).outlet or a for a in ids}
            if len(set(outlet.values())) < 2:
                continue
            comparison = compare_articles(store, sorted(ids))
            mine += [(event, o, t) for o, items in comparison.outlet_only.items() for t in items]
            claims = [c for f in comparison.facts for c in f.claims]
            cosine = stored_vectors(store, [c.text for c in claims])
            cosine = cosine @ cosine.T
            for i, c in enumerate(claims):
                others = [j for j, d in enumerate(claims) if outlet[d.article_id] != outlet[c.article_id]]
                if c.complete and others and max(cosine[i, j] for j in others) < ONLY_NEAR:
                    baseline.append((event, outlet[c.article_id], c.text))
    rng = random.Random(seed)
    pooled: dict[tuple[str, str, str], set[str]] = {}
    for tag, found in (("s", mine), ("b", baseline)):
        for item in rng.sample(found, EACH):
            pooled.setdefault(item, set()).add(tag)
    order = list(pooled)
    rng.shuffle(order)
    return [{"event": e, "outlet": o, "text": t, "from": sorted(pooled[(e, o, t)])} for e, o, t in order]


def write_items(items: list[dict], out: Path, key_file: Path) -> None:
    rows = [json.loads(line) for line in SOURCE.read_text().splitlines() if line.strip()]
    by_event: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_event[r["event"]].append(r)
    out.mkdir(parents=True, exist_ok=True)
    half = (len(items) + 1) // 2
    for batch, part in enumerate((items[:half], items[half:]), 1):
        lines = []
        for k, item in enumerate(part, 1):
            lines.append(f"# Item {k:02d}\n\nSentence (from {item['outlet']}): {item['text']}\n")
            lines.append("The other outlets' articles on the same incident:\n")
            for r in sorted(by_event[item["event"]], key=lambda r: r["published"]):
                if r["outlet"] != item["outlet"]:
                    head = f"## {r['outlet']} ({r['published'][:10]})"
                    lines.append(f"{head}\n\n{r['title']}\n\n{r['text'].strip()}\n")
            lines.append("\n---\n")
        (out / f"batch_{batch}.md").write_text("\n".join(lines))
    keys = [{"batch": 1 + (k >= half), "key": key(i["text"]), "from": i["from"]} for k, i in enumerate(items)]
    key_file.write_text(json.dumps(keys))


def score() -> None:
    for path in (p for p in VERDICTS if p.exists()):
        tally: dict[str, Counter] = defaultdict(Counter)
        for line in path.read_text().splitlines():
            if line.startswith("#") or not line.strip():
                continue
            _, methods, verdict = line.split("\t")
            for method in methods.split(","):
                tally[method][verdict] += 1
        print(f"gva-dev `outlet_only` ({path.name}): items judged blind beside the other outlets' articles")
        print(f"  {'method':<44}{'items':>6}{'alone':>8}{'alone or partly':>17}{'no fact':>9}")
        for method, name in (("s", "storylens"), ("b", "baseline: nearest other claim under 0.575")):
            n = sum(tally[method].values())
            alone, partly, none = tally[method]["alone"], tally[method]["partly"], tally[method]["not_a_fact"]
            print(f"  {name:<44}{n:>6}{alone / n:>8.2f}{(alone + partly) / n:>17.2f}{none / n:>9.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=("items", "score"))
    parser.add_argument("--db", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--key", type=Path)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    if args.command == "score":
        score()
    elif not SOURCE.exists():
        print("gva-dev is absent (../shared/data/gva-dev): skipped")
    else:
        write_items(sample(args.db, args.seed), args.out, args.key)


if __name__ == "__main__":
    main()
