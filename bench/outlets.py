"""Outlets and collections on real coverage: basil-dev's three outlets, with their leans.

    .venv/bin/python bench/outlets.py

basil-dev (../shared/data/basil-dev, read in place; its text never enters the repository) holds
50 real events, each told by The New York Times, Fox News and HuffPost. The BASIL paper (Fan et
al., EMNLP 2019, named in its PROVENANCE.md) chose them for their leans: HuffPost liberal (left),
The New York Times center, Fox News conservative (right). The script ingests it (title, text,
date, outlet, URL: never the gold fields), compares every story, imports those leans and prints:
per outlet its figures (stories, first reports, lag, passages taken, facts left out, distinctive
words); Fightin' Words between left and right over the stories both cover (weighted log-odds with
an informative Dirichlet prior, z-scores, an example sentence each), beside the baseline the
method was made to replace, the plain log-odds ratio with add-one smoothing (which ranks rare
words first); and how long the outlet routes take, warm (p95 of 20 requests).
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))

from storylens.outlets import framing_view, import_collections, load, outlet_view  # noqa: E402
from storylens.pipeline import compare_stories, ingest  # noqa: E402
from storylens.store import open_store  # noqa: E402

LEANS = {"HuffPost": "left", "The New York Times": "center", "Fox News": "right"}
ROUTES = [
    "/outlets",
    "/outlets/fox-news",
    "/api/v1/outlets/huffpost",
    "/blindspots?by=lean",
    "/framing?by=lean",
]


def main() -> None:
    source = SHARED / "basil-dev" / "basil-dev.jsonl"
    if not source.exists():
        print("basil-dev: ../shared/data/basil-dev is absent; skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "basil.jsonl"
        with open(feed, "w") as out:
            for line in source.read_text().splitlines():
                row = json.loads(line)
                out.write(
                    json.dumps({k: row[k] for k in ("title", "text", "published", "outlet", "url")}) + "\n"
                )
        leans = Path(tmp) / "leans.csv"
        leans.write_text("outlet,lean\n" + "".join(f"{o},{v}\n" for o, v in LEANS.items()))
        db = Path(tmp) / "basil.db"
        with open_store(db) as store:
            ingest([feed], store)
            compare_stories(store)
            import_collections(store, leans)
            per_outlet(store)
            left_right(store)
        speed(db)


def per_outlet(store) -> None:
    figures = load(store)
    print(
        f"basil-dev: {len(figures.stories)} stories, {len(figures.comparisons)} compared; "
        "leans from the BASIL paper"
    )
    print(
        f"  {'outlet':<20} {'lean':<7} {'stories':>7} {'first':>5} {'certain':>7} {'lag h':>6} "
        f"{'takes':>5} {'taken':>5} {'omits/story':>11}  distinctive words (z)"
    )
    for outlet in sorted(figures.counts):
        view = outlet_view(store, outlet, figures)
        lag = "-" if view["median_lag_hours"] is None else f"{view['median_lag_hours']:.0f}"
        takes = sum(e["passages"] for e in view["takes_from"])
        taken = sum(e["passages"] for e in view["taken_by"])
        words = ", ".join(f"{w['term']} ({w['z']:.1f})" for w in view["words"][:6])
        print(
            f"  {outlet:<20} {LEANS.get(outlet, '-'):<7} {view['stories']:>7} {view['first']:>5} "
            f"{view['first_certain']:>7} {lag:>6} {takes:>5} {taken:>5} "
            f"{view['omissions']['rate']:>11.2f}  {words}"
        )


def left_right(store) -> None:
    figures = load(store)
    figures.collections = {"lean": {o: v for o, v in LEANS.items() if v != "center"}}
    view = framing_view(store, "lean", figures)
    print(
        f"\nFightin' Words, left (HuffPost) vs right (Fox News), "
        f"over {len(view['stories'])} stories both cover"
    )
    counts = baseline_counts(figures)
    plain = plain_log_odds(counts)
    for value in ("left", "right"):
        terms = view["terms"].get(value, [])
        print(f"  {value}: {len(terms)} terms with z >= 1.96")
        for t in terms[:12]:
            example = t["examples"][0]["text"][:110] if t["examples"] else ""
            print(f"    {t['term']:<28} z {t['z']:>5.2f}  n {t['count']:>3}  e.g. {example}")
        print(f"  baseline, plain log-odds (add-one), {value}'s top 12: " + ", ".join(plain[value][:12]))


def baseline_counts(figures) -> dict[str, Counter]:
    values = figures.collections["lean"]
    counts: dict[str, Counter] = {}
    for sid, comparison in figures.comparisons.items():
        if len({values[o] for o in figures.outlets_of.get(sid, []) if o in values}) < 2:
            continue
        for outlet, found in comparison.term_counts.items():
            if outlet in values:
                counts.setdefault(values[outlet], Counter()).update(found)
    return counts


def plain_log_odds(counts: dict[str, Counter]) -> dict[str, list[str]]:
    """Each group's terms by the log-odds ratio against the other, add-one smoothed (no prior
    variance: Monroe et al.'s first failing baseline)."""
    vocabulary = set().union(*counts.values())
    found = {}
    for group, mine in counts.items():
        other = Counter()
        for g, c in counts.items():
            if g != group:
                other.update(c)
        n_i, n_j, v = sum(mine.values()), sum(other.values()), len(vocabulary)
        scores = {
            w: math.log((mine[w] + 1) / (n_i + v - mine[w] - 1))
            - math.log((other[w] + 1) / (n_j + v - other[w] - 1))
            for w in mine
        }
        found[group] = sorted(mine, key=lambda w: (-scores[w], w))
    return found


def speed(db: Path) -> None:
    from fastapi.testclient import TestClient

    from storylens.web.app import create_app

    print("\nroute timings on this store, warm (20 requests each; goal: p95 <= 300 ms at 1,000,000 articles)")
    with TestClient(create_app(db), base_url="http://localhost") as client:
        for route in ROUTES:
            client.get(route)
            times = []
            for _ in range(20):
                start = time.perf_counter()
                assert client.get(route).status_code == 200
                times.append(1000 * (time.perf_counter() - start))
            times.sort()
            print(f"  {route:<28} median {times[10]:7.1f} ms  p95 {times[18]:7.1f} ms")


if __name__ == "__main__":
    main()
