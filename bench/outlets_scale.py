"""How fast the outlet, collection and blindspot routes answer as the store grows.

    .venv/bin/python bench/outlets_scale.py [--sizes 10000,100000]

A synthetic store (written through the store's API, without the stages: their cost is measured
elsewhere) of N articles from 200 outlets in three leans, in stories of 1 to 9 articles over a
year, one article in ten taking a passage from an earlier one of its story; then the time to keep the
figures in the store (what ingest, compare and recluster do after they write: "keep s"), and
through the real app (in process) each route's first answer (the kept figures read from the
store) and its p95 over 20 more (warm).
Goal (issue 20): p95 <= 300 ms warm at 1,000,000 articles.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storylens.model import Article, Passage, Reuse  # noqa: E402
from storylens.pipeline import keep_figures  # noqa: E402
from storylens.store import open_store  # noqa: E402

ROUTES = [
    "/outlets",
    "/outlets/outlet-007",
    "/api/v1/outlets/outlet-007",
    "/blindspots?by=lean",
    "/api/v1/blindspots?by=lean",
    "/framing?by=lean",
]
OUTLETS = [f"Outlet {i:03d}" for i in range(200)]
LEANS = ["left", "center", "right"]


def build(db: Path, size: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with open_store(db) as store, store.transaction():
        made, story = 0, 0
        while made < size:
            n = min(size - made, rng.randint(1, 9))
            day = rng.randint(0, 364)
            camp = rng.choice(LEANS) if rng.random() < 0.1 else None  # one story in ten leans one way
            pool = [o for i, o in enumerate(OUTLETS) if camp is None or LEANS[i % 3] == camp]
            members = []
            for k in range(n):
                hour = rng.randint(0, 23)
                when = date(2025, 1, 1) + timedelta(days=day + k // 3)
                members.append(
                    Article(
                        id=f"a_{made:016x}",
                        source=f"synthetic/{made}",
                        outlet=rng.choice(pool),
                        title=f"Story {story} report {k}",
                        published=f"{when.isoformat()}T{hour:02d}:00",
                        published_evidence=None,
                        language="en",
                        dateline=None,
                        paragraphs=[f"Paragraph {made} of story {story}."],
                    )
                )
                made += 1
            members.sort(key=lambda m: m.published)
            store.write_batch([(m, m.source) for m in members], [], [])
            store.write_stories([synthetic_story(story, day, members)], {})
            for source, copier in zip(members, members[1:], strict=False):
                if rng.random() < 0.1:
                    store.add_reuse([synthetic_reuse(source.id, copier.id)], [])
            story += 1
        store.replace_collections(("lean", o, LEANS[i % 3]) for i, o in enumerate(OUTLETS))


def synthetic_story(number: int, day: int, members: list[Article]) -> SimpleNamespace:
    """A story as write_stories takes it (what the clusterer's Story offers), without a centroid."""
    return SimpleNamespace(
        id=f"t_{number:016x}",
        title=f"Story {number}",
        first_published=members[0].published,
        last_published=members[-1].published,
        first_day=day,
        last_day=day + 2,
        article_ids=[m.id for m in members],
        similarity=[0.5] * len(members),
        vector_sum=np.zeros(0, dtype=np.float32),
    )


def synthetic_reuse(source: str, copier: str) -> Reuse:
    """One passage the later article took from the earlier one, by their dates."""
    a, b = sorted((source, copier))
    taken = Passage(0, 3, 0, 3, "a passage taken", "a passage taken", 1.0, False)
    return Reuse(a, b, [taken], 0.3, 0.3, copier, source, "published dates", "partially")


def measure(db: Path) -> dict[str, tuple[float, float]]:
    from fastapi.testclient import TestClient

    from storylens.web.app import create_app

    found = {}
    with TestClient(create_app(db), base_url="http://localhost") as client:
        for route in ROUTES:
            start = time.perf_counter()
            assert client.get(route).status_code == 200, route
            cold = 1000 * (time.perf_counter() - start)
            times = []
            for _ in range(20):
                start = time.perf_counter()
                client.get(route)
                times.append(1000 * (time.perf_counter() - start))
            times.sort()
            found[route] = (cold, times[18])
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    print(
        "outlet routes, in process; ms: first answer after the figures were kept / p95 of 20 (warm); "
        "goal: warm <= 300"
    )
    print(f"  {'articles':>9} {'build s':>8} {'keep s':>7}  " + "  ".join(f"{r[:26]:>26}" for r in ROUTES))
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "scale.db"
            start = time.perf_counter()
            build(db, size)
            built = time.perf_counter() - start
            start = time.perf_counter()
            with open_store(db) as store:
                keep_figures(store)
            kept = time.perf_counter() - start
            found = measure(db)
        cells = "  ".join(f"{f'{c:.0f} / {w:.0f}':>26}" for c, w in found.values())
        print(f"  {size:>9} {built:>8.1f} {kept:>7.1f}  {cells}")


if __name__ == "__main__":
    main()
