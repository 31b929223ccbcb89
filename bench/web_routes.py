"""Web routes at scale: warm p95 latency of every page and API list on a large store.

    .venv/bin/python bench/web_routes.py [--sizes 10000,100000,1000000] [--baseline ../main] [--requests 20]

A store of N articles with stories, entities, quotes, statements and reuse is written through the
store's API (write_batch, write_analyses, add_reuse, write_stories, replace_entities,
set_statements) from bench/scale.py's generator, BATCH articles a transaction: two entities per
article (the event's and the template's) and one quote each, the quotes of an event being one
statement. Stories and reuse are what the generator made, not what the online clusterer and the
MinHash window would find: each event's articles are one story, and each article that copied two
paragraphs of an earlier one is a reuse pair with those two passages (that is what keeps the
build cheap: about 25 minutes for 1,000,000 articles on this machine, against about nine hours
with the clusterer and the reuse window). It is written by the baseline's code (this tree's
generator) so that both can open it. Then each code (the baseline's, and this tree's) serves a
copy of it with a real uvicorn server (the copy deleted after: at most two copies of a store at
once), every route is asked twice to warm it (story comparisons are computed and kept then), what was
loaded is frozen out of the cyclic garbage collector's passes (as `storylens serve` does once the
app is made), and then every route is asked `--requests` times (or for 30 s): printed, the p95 per
route, before and after, beside the goal (100 ms). It never asserts on time.

What a route costs in CPU, apart from the load the machine is under (warmed the same way, in
process through FastAPI's test client; prints JSON: route or path -> [median, largest] CPU ms):

    PYTHONPATH=. .venv/bin/python bench/web_routes.py --role cpu --db STORE --requests 7
    PYTHONPATH=. .venv/bin/python bench/web_routes.py --role cpu-by-path --db STORE --requests 5

(on a copy: the warm-up writes comparisons, and this tree migrates an older store).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from storylens.link.stories import day_number, story_id
from storylens.model import Passage, Reuse

ROOT = Path(__file__).resolve().parent.parent
GOAL_MS = 100
BATCH = 1000


def build(db: Path, articles: int, code: Path) -> None:
    """Write the store through the store API of the code at `code` (this tree's generator: the
    baseline's may not tell what it generates), in batches of BATCH articles, one transaction each."""
    sys.path.insert(0, str(ROOT / "bench"))
    import scale  # noqa: PLC0415 (this tree's generator)

    from storylens import open_store

    stream = scale.Stream(1000)
    told_by: dict[int, list] = {}  # event -> its articles so far: one story
    members: dict[str, list[tuple[str, int]]] = {}
    names: dict[str, str] = {}
    started = time.process_time()
    with open_store(db) as store:
        batch = []
        for i in range(articles):
            told = stream.told(i)
            batch.append(told)
            told_by.setdefault(told.event, []).append(told)
            if len(batch) == BATCH or i == articles - 1:
                last = i == articles - 1
                done = [e for e in told_by if last or e < told.event - 2 * stream.events_per_day]
                with store.transaction():
                    write_batch(store, batch, members, names)
                    store.write_stories([story_of(told_by.pop(e)) for e in done], {})
                batch = []
        with store.transaction():
            store.replace_entities(
                [
                    SimpleNamespace(
                        id=e,
                        name=names[e],
                        type="PERSON" if e[2] != "t" else "ORG",
                        aliases=[names[e]],
                        roles=[],
                        members=m,
                    )
                    for e, m in members.items()
                ]
            )
            store.set_statements({f"q{i}": statement for i, statement in statements(members)})
            store.linked()
        outlets = sorted({f"outlet {i % 40}" for i in range(min(articles, 40))})
    collections = db.with_suffix(".outlets.csv")
    collections.write_text(
        "outlet,lean\n"
        + "".join(f"{o},{['left', 'right', 'centre'][i % 3]}\n" for i, o in enumerate(outlets))
    )
    from storylens.outlets import import_collections

    with open_store(db) as store:
        import_collections(store, collections)
    print(f"built {articles} articles in {time.process_time() - started:.0f} CPU s", file=sys.stderr)


def statements(members: dict[str, list[tuple[str, int]]]):
    """(article number, statement id): the quotes of an event's articles are one statement."""
    for entity, found in members.items():
        if not entity.startswith("e_t"):
            for article_id, _ in found:
                yield int(article_id[1:]), f"st_{entity}"


def write_batch(store, batch: list, members: dict, names: dict) -> None:
    """Articles, their analyses (two entities each, the event's and the template's, and one quote)
    and the reuse the generator made (an article that copied two paragraphs of an earlier one)."""
    analyses = []
    for told in batch:
        article = told.article
        event, template = f"e_{told.event}", f"e_t{told.template}"
        name = next((w for w in article.paragraphs[0].split() if w.endswith("ov")), article.title.split()[0])
        names.setdefault(event, name)
        names.setdefault(template, f"Template {template[3:]}")
        members.setdefault(event, []).append((article.id, 0))
        members.setdefault(template, []).append((article.id, 1))
        analyses.append(analysis_of(article, name, names[template]))
    store.write_batch([(t.article, f"raw{t.article.id[1:]}") for t in batch], [], [])
    store.write_analyses(analyses, "bench", [[f"q{a.article_id[1:]}"] for a in analyses])
    store.add_reuse([reuse_of(t.article, t.source) for t in batch if t.source], [t.article.id for t in batch])


def analysis_of(article, name: str, template_name: str) -> SimpleNamespace:
    text = "\n\n".join(article.paragraphs)
    start = max(0, text.find(name))
    words = " ".join(article.paragraphs[0].split()[:14])
    mention = SimpleNamespace(
        paragraph=0,
        start=start,
        end=start + len(name),
        text=name,
        name=name,
        type="PERSON",
        role=None,
        local=0,
    )
    quote = SimpleNamespace(
        paragraph=0,
        start=0,
        end=len(words),
        text=words,
        direct=True,
        speaker_text=name,
        speaker_kind="person",
        speaker_local=0,
        form="direct",
        cue="said",
        evidence="synthetic",
    )
    return SimpleNamespace(
        article_id=article.id,
        mentions=[mention],
        entities=[
            SimpleNamespace(index=0, type="PERSON", names=[name], roles=[]),
            SimpleNamespace(index=1, type="ORG", names=[template_name], roles=[]),
        ],
        quotes=[quote],
        acronyms=[],
    )


def reuse_of(copier, source) -> Reuse:
    """The pair the generator made: `copier` carries `source`'s first two paragraphs as its second
    and third."""
    before = len(copier.paragraphs[0].split())
    passages, at = [], 0
    for paragraph in source.paragraphs[:2]:
        n = len(paragraph.split())
        passages.append(Passage(before + at, before + at + n, at, at + n, paragraph, paragraph, 1.0, False))
        at += n
    taken_copier = at / sum(len(p.split()) for p in copier.paragraphs)
    taken_source = at / sum(len(p.split()) for p in source.paragraphs)
    if copier.id > source.id:  # a < b by id, the passages' sides with them
        passages = [
            Passage(p.b_start, p.b_end, p.a_start, p.a_end, p.b_text, p.a_text, 1.0, False) for p in passages
        ]
        a, b, fa, fb = source.id, copier.id, taken_source, taken_copier
    else:
        a, b, fa, fb = copier.id, source.id, taken_copier, taken_source
    dated = source.published < copier.published
    return Reuse(
        a,
        b,
        passages,
        fa,
        fb,
        copier=copier.id,
        source=source.id,
        direction_basis="published dates" if dated else "containment",
        derivation="partially",
        evidence=["made by the generator: two paragraphs copied verbatim"],
    )


def story_of(told: list) -> SimpleNamespace:
    """An event's articles as one story, in the order they were told."""
    published = [t.article.published for t in told]
    days = [day_number(p) for p in published]
    return SimpleNamespace(
        id=story_id(told[0].article.id),
        title=told[0].article.title,
        first_published=min(published),
        last_published=max(published),
        first_day=min(days),
        last_day=max(days),
        article_ids=[t.article.id for t in told],
        vector_sum=(told[0].vector * len(told)).astype("float32"),
        similarity=[1.0] * len(told),
    )


def routes(db: Path) -> list[tuple[str, list[str]]]:
    """(route name, the paths asked), ids picked through the store's API."""
    from storylens import open_store

    with open_store(db) as store:
        articles = store.count("articles")
        step = max(1, articles // 10)
        article_ids = [f"a{i}" for i in range(0, articles, step)][:10]
        story_ids = sorted({store.story_of(a) for a in article_ids} - {None})
        entity_ids = sorted(
            {q["speaker_id"] for a in article_ids[:10] for q in store.quote_rows(article_ids=[a])} - {None}
        )
    half = articles // 2
    return [
        ("/ (stories page)", ["/"]),
        ("/?q=", ["/?q=ov", "/?q=river"]),
        ("/?outlet=", ["/?outlet=outlet+3", "/?outlet=outlet+17"]),
        ("/?entity=", [f"/?entity={e}" for e in entity_ids]),
        ("/?since=&until=", ["/?since=2020-01-03&until=2020-01-05"]),
        ("/api/v1/stories", ["/api/v1/stories", "/api/v1/stories?offset=1000"]),
        ("/stories/{id}", [f"/stories/{s}" for s in story_ids]),
        ("/api/v1/stories/{id}", [f"/api/v1/stories/{s}" for s in story_ids]),
        ("/articles/{id}", [f"/articles/{a}" for a in article_ids]),
        ("/api/v1/articles/{id}", [f"/api/v1/articles/{a}" for a in article_ids]),
        ("/api/v1/articles", ["/api/v1/articles?limit=10", f"/api/v1/articles?limit=10&offset={half}"]),
        ("/entities/{id}", [f"/entities/{e}" for e in entity_ids]),
        ("/api/v1/entities", ["/api/v1/entities", "/api/v1/entities?offset=1000"]),
        ("/api/v1/quotes", ["/api/v1/quotes", f"/api/v1/quotes?offset={half}"]),
        ("/api/v1/statements", ["/api/v1/statements", "/api/v1/statements?offset=1000"]),
        ("/api/v1/reuse", ["/api/v1/reuse", "/api/v1/reuse?offset=500"]),
        ("/api/v1/search", ["/api/v1/search?q=ov+river"]),
        ("/outlets", ["/outlets"]),
        ("/blindspots", ["/blindspots"]),
    ]


class Asker:
    """GETs on a new connection each (a kept-alive one may be closed under us by a loaded server),
    a request the server dropped asked once more."""

    def __init__(self, base: str):
        self.base = base

    def get(self, path: str):
        import httpx

        try:
            return httpx.get(self.base + path, timeout=600)
        except httpx.TransportError:
            time.sleep(1)
            return httpx.get(self.base + path, timeout=600)


def settled() -> None:
    """What the server loaded and kept while warming lives as long as it: moved out of the cyclic
    collector's passes, as `storylens serve` does once the app is made (cli/serving.py), so that
    a full pass walks only what the requests themselves made."""
    gc.collect()
    gc.freeze()


def measure(db: Path, requests: int) -> dict[str, float]:
    """route -> p95 ms, warm, through a real server on this process's storylens."""
    from storylens.web.serving import serving

    asked = routes(db)
    found: dict[str, float] = {}
    with serving(db) as base:
        client = Asker(base)
        for _, paths in asked:  # warm: comparisons computed and kept, views computed once
            for path in paths:
                client.get(path)
        for _, paths in asked:  # again: a comparison written above refreshes the cached views
            for path in paths:
                client.get(path)
        settled()
        for name, paths in asked:
            times = []
            deadline = time.perf_counter() + 30
            while len(times) < requests and (len(times) < 3 or time.perf_counter() < deadline):
                path = paths[len(times) % len(paths)]
                start = time.perf_counter()
                answer = client.get(path)
                times.append(1000 * (time.perf_counter() - start))
                if answer.status_code != 200:
                    raise SystemExit(f"{path}: {answer.status_code} {answer.text[:200]}")
            found[name] = statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else times[0]
    return found


def cpu(db: Path, requests: int, by_path: bool = False) -> dict[str, list[float]]:
    """route (or path) -> [median, largest] CPU ms of `requests` warm requests through FastAPI's
    test client in this process (every thread's CPU: process_time), the store at `db`."""
    from fastapi.testclient import TestClient

    from storylens.web.app import create_app

    asked = routes(db)
    client = TestClient(create_app(db), base_url="http://127.0.0.1")
    for _ in range(2):  # warm, as measure() does
        for _, paths in asked:
            for path in paths:
                client.get(path)
    settled()
    found: dict[str, list[float]] = {}
    for name, paths in asked:
        for group in [[p] for p in paths] if by_path else [paths]:
            times = []
            for i in range(requests):
                start = time.process_time()
                answer = client.get(group[i % len(group)])
                times.append(1000 * (time.process_time() - start))
                if answer.status_code != 200:
                    raise SystemExit(f"{group[i % len(group)]}: {answer.status_code}")
            found[group[0] if by_path else name] = [statistics.median(times), max(times)]
    return found


def run(role: str, code: Path, *args: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(code))
    done = subprocess.run(
        [sys.executable, __file__, "--role", role, *args], env=env, capture_output=True, text=True
    )
    sys.stderr.write(done.stderr[-2000:])
    if done.returncode:
        raise SystemExit(f"{role} under {code} failed")
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--baseline", default=str(ROOT.parent / "main"), help="the code measured before")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--folder", default="/tmp/storylens-web-routes")
    parser.add_argument("--keep-before", action="store_true", help="reuse the baseline's last figures")
    parser.add_argument("--role", default="")
    parser.add_argument("--db", default="")
    parser.add_argument("--articles", type=int, default=0)
    args = parser.parse_args()
    if args.role == "build":
        return build(Path(args.db), args.articles, Path(args.baseline))
    if args.role == "measure":
        print(json.dumps(measure(Path(args.db), args.requests)))
        return
    if args.role in ("cpu", "cpu-by-path"):
        print(json.dumps(cpu(Path(args.db), args.requests, args.role == "cpu-by-path")))
        return
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    baseline = Path(args.baseline).resolve()
    for size in (int(s) for s in args.sizes.split(",")):
        built = folder / f"store-{size}.db"
        if not built.exists():
            run("build", baseline, "--db", str(built), "--articles", str(size), "--baseline", str(baseline))
        figures = {}
        for label, code in (("before", baseline), ("after", ROOT)):
            kept = folder / f"store-{size}-{label}.json"
            if label == "before" and args.keep_before and kept.exists():
                figures[label] = json.loads(kept.read_text())  # the baseline's code has not changed
                continue
            copy = folder / f"store-{size}-{label}.db"
            for suffix in ("", "-wal", "-shm"):
                if Path(f"{copy}{suffix}").exists():
                    Path(f"{copy}{suffix}").unlink()
            shutil.copy(built, copy)
            figures[label] = json.loads(
                run("measure", code, "--db", str(copy), "--requests", str(args.requests))
            )
            kept.write_text(json.dumps(figures[label]))
            for suffix in ("", "-wal", "-shm"):  # at most two copies of a store at once
                Path(f"{copy}{suffix}").unlink(missing_ok=True)
        print(f"\n{size:,} articles: warm p95 per route, ms (goal {GOAL_MS} ms; before = {baseline})")
        print(f"{'route':<26} {'before':>9} {'after':>9} {'goal':>6}")
        for name in figures["after"]:
            before, after = figures["before"].get(name, float("nan")), figures["after"][name]
            print(f"{name:<26} {before:>9.1f} {after:>9.1f} {'ok' if after <= GOAL_MS else 'over':>6}")


if __name__ == "__main__":
    main()
