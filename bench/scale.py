"""Scale: a stream of synthetic articles through reuse detection and story clustering.

    .venv/bin/python bench/scale.py [--sizes 10000,100000,1000000] [--per-day 1000] [--breakdown]

Synthetic variations of real articles (the sample's, basil-dev's and the extraction pages' bodies
when ../shared is here): each event takes a real article as its template, gets its own names and
its own embedding (the template's real MiniLM vector plus noise), and is told about five times
over two days with words swapped; one article in ten copies paragraphs of an earlier one. The
stream runs in date order, `--per-day` articles a day, through the same code the pipeline uses:
storylens.link.stories.Clusterer (retiring stories older than the follow-up window, and keeping the
stories out of reach but of follow-ups in a temporary file: link/members.py's Shelf) and
bench/streaming.py's ReuseWindow (link.reuse's candidates, alignment and direction over the last
30 days). Printed at each size: articles per CPU second over the last stretch, the CPU seconds of
each step (CPU, not wall-clock: the machine may be shared), the process's peak resident
memory and the bytes of packed stories in the shelf's file (first, what the process holds before
any article: the MiniLM model, loaded to embed the templates, as an ingesting process holds it). The cost per article should stay flat. Under each row, a digest of every decision so far
(the reuse pairs with their direction, the stories in memory with their members and scores), so
that two runs can be checked to decide the same at each size; with --breakdown, what holds the
memory at the end (the deep size of each structure, bench/memory_breakdown.py).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))

from memory_breakdown import breakdown  # noqa: E402
from streaming import ReuseWindow  # noqa: E402

from storylens.link import stories as S  # noqa: E402
from storylens.link.members import Shelf  # noqa: E402
from storylens.link.specifics import specifics  # noqa: E402
from storylens.model import Article  # noqa: E402

EPOCH_DAY = S.day_number("2020-01-01")
ARTICLES_PER_EVENT = 5


def templates() -> list[tuple[str, list[str]]]:
    found = []
    sample = json.loads((ROOT / "examples" / "sample" / "truth.json").read_text())["articles"]
    found += [(a["title"], a["paragraphs"]) for a in sample.values()]
    basil = SHARED / "basil-dev" / "basil-dev.jsonl"
    if basil.exists():
        for line in basil.read_text().splitlines():
            row = json.loads(line)
            found.append((row["title"], [p for p in row["text"].split("\n\n") if p.strip()]))
    truth = SHARED / "extraction" / "ground-truth.json"
    if truth.exists():
        for page in json.loads(truth.read_text()).values():
            paragraphs = [p for p in page["articleBody"].split("\n") if len(p.split()) >= 12]
            if len(paragraphs) >= 3:
                found.append((paragraphs[0][:80], paragraphs[:15]))
    return [(t, ps[:15]) for t, ps in found if sum(len(p.split()) for p in ps) >= 80]


@dataclass
class Told:
    article: Article
    event: int  # the event's number: the articles of one event are one story
    template: int  # the event's main template
    source: Article | None  # the earlier article it copied two paragraphs from
    vector: np.ndarray  # the event's embedding


class Stream:
    def __init__(self, per_day: int, seed: int = 5):
        from storylens.understand.embed import embed

        self.rng = random.Random(seed)
        self.np_rng = np.random.default_rng(seed)
        self.templates = templates()
        self.vectors = embed([f"{t}. {' '.join(ps)[:600]}" for t, ps in self.templates])
        self.vocabulary = sorted(
            {w for _, ps in self.templates for p in ps for w in p.split() if w.isalpha()}
        )
        self.per_day = per_day
        self.events_per_day = max(1, per_day // ARTICLES_PER_EVENT)
        self.events: dict[int, tuple[list[str], list[str], np.ndarray, int]] = {}
        self.recent: list[Article] = []

    def event(self, number: int) -> tuple[list[str], list[str], np.ndarray, int]:
        """An event: a pool of six real paragraphs from random templates, a quarter of their
        words replaced by the event's own words, its names, its vector and its main template."""
        if number not in self.events:
            picks = [self.rng.randrange(len(self.templates)) for _ in range(6)]
            names = [self.rng.choice(self.vocabulary).capitalize() + "ov" for _ in range(4)]
            own_words = [self.rng.choice(self.vocabulary) + "ia" for _ in range(30)]
            pool = []
            for template in picks:
                words = self.rng.choice(self.templates[template][1]).split()
                for _ in range(len(words) // 4):
                    words[self.rng.randrange(len(words))] = self.rng.choice(own_words)
                pool.append(" ".join(words))
            noise = self.np_rng.normal(size=S.DIMENSIONS).astype(np.float32)
            vector = 0.5 * self.vectors[picks[0]] + noise / np.linalg.norm(noise)
            self.events[number] = (pool, names, vector / np.linalg.norm(vector), picks[0])
            if len(self.events) > 4 * self.events_per_day:
                self.events.pop(min(self.events))
        return self.events[number]

    def article(self, i: int) -> tuple[Article, S.Features]:
        told = self.told(i)
        article, number, template, vector = told.article, told.event, told.template, told.vector
        noise = self.np_rng.normal(size=S.DIMENSIONS).astype(np.float32)
        own = vector + 0.4 * noise / np.linalg.norm(noise)
        features = S.Features(
            article_id=article.id,
            title=article.title,
            outlet=article.outlet,
            published=article.published,
            vector=(own / np.linalg.norm(own)).astype(np.float32),
            terms=S.term_counts(article.title, article.paragraphs),
            entities=frozenset({f"e_{number}", f"e_t{template}"}),
            specifics=specifics(
                article.title, article.paragraphs, article.published, [f"e_{number}", f"e_t{template}"]
            ),
        )
        return article, features

    def told(self, i: int) -> Told:
        """Article i, with what the generator knows of it: its event (the articles of one event
        tell one story), its event's main template, and the article it copied two paragraphs
        from (or None)."""
        day = EPOCH_DAY + i // self.per_day
        # An event is told over its first two days.
        number = (i // self.per_day) * self.events_per_day + self.rng.randrange(self.events_per_day)
        if self.rng.random() < 0.5 and i >= self.per_day:
            number -= self.events_per_day
        pool, names, vector, template = self.event(number)
        edited = []
        for paragraph in self.rng.sample(pool, 4):
            words = paragraph.split()
            for _ in range(len(words) // 5):  # each outlet words it its own way
                words[self.rng.randrange(len(words))] = self.rng.choice(self.vocabulary)
            words.insert(self.rng.randrange(len(words)), self.rng.choice(names))
            edited.append(" ".join(words))
        source = None
        if self.recent and self.rng.random() < 0.1:
            source = self.rng.choice(self.recent)
            edited[1:1] = source.paragraphs[:2]  # churnalism: two paragraphs taken verbatim
        article = Article(
            id=f"a{i}",
            source=f"synthetic/{i}",
            outlet=f"outlet {i % 40}",
            title=" ".join([names[0], *pool[0].split()[:8]]),
            published=S_date(day),
            published_evidence=None,
            language="en",
            dateline=None,
            paragraphs=edited,
        )
        self.recent = ([*self.recent, article])[-200:]
        return Told(article, number, template, source, vector)


def S_date(day: int) -> str:
    from datetime import date

    return date.fromordinal(day + 719163).isoformat()


def peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def resident_gib() -> float:
    """The process's resident memory now (Linux)."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() / 2**30


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--per-day", type=int, default=1000)
    parser.add_argument("--breakdown", action="store_true", help="what holds the memory, at the last size")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    stream = Stream(args.per_day)
    clusterer = S.Clusterer(shelf=Shelf())
    reuse = ReuseWindow()
    print(
        f"{len(stream.templates)} real templates; {args.per_day} articles a day; "
        f"story window {S.FOLLOW_UP_DAYS} days (follow-ups), reuse window {reuse.window} days; "
        f"before any article: {resident_gib():.2f} GiB resident, peak {peak_gib():.2f} GiB"
    )
    print(
        f"{'articles':>10} {'art/CPU s':>16} {'generate s':>11} {'stories s':>10} {'reuse s':>8} "
        f"{'in memory: stories':>19} {'window':>7} {'pairs':>7} {'peak GiB':>9} {'shelf GiB':>10}"
    )
    done, pairs, retired = 0, 0, 0
    found = hashlib.sha1()  # every reuse pair and its direction, in the order found
    t_gen = t_story = t_reuse = 0.0
    stretch_done = 0
    for size in sizes:
        while done < size:
            start = time.process_time()
            article, features = stream.article(done)
            t_gen += time.process_time() - start
            start = time.process_time()
            clusterer.add(features)
            t_story += time.process_time() - start
            start = time.process_time()
            reused = reuse.add(article, features.day)
            t_reuse += time.process_time() - start
            pairs += len(reused)
            for r in reused:
                found.update(f"{r.a} {r.b} {r.copier} {r.direction_basis} {r.shared_fraction_a};".encode())
            done += 1
            if done % args.per_day == 0:
                retired += len(clusterer.retire(features.day - S.FOLLOW_UP_DAYS))
        work = t_story + t_reuse
        print(
            f"{done:>10} {(done - stretch_done) / work:>16.0f} {t_gen:>11.1f} {t_story:>10.1f} {t_reuse:>8.1f} "
            f"{len(clusterer.stories):>19} {len(reuse):>7} {pairs:>7} {peak_gib():>9.2f} "
            f"{clusterer.shelf.end / 2**30:>10.2f}",
            flush=True,
        )
        print(
            f"{'':>10} decisions so far: reuse pairs {found.hexdigest()[:12]}, "
            f"stories in memory {stories_digest(clusterer)}",
            flush=True,
        )
        stretch_done = done
        t_gen = t_story = t_reuse = 0.0
    print(f"stories retired from memory along the way: {retired}")
    if args.breakdown:
        print_breakdown(stream, clusterer, reuse)


def stories_digest(clusterer: S.Clusterer) -> str:
    """A hash of the stories in memory: their members and scores, in order."""
    digest = hashlib.sha1()
    for story in sorted(clusterer.stories.values(), key=lambda s: s.id):
        digest.update(f"{story.id} {story.article_ids} {story.similarity};".encode())
    return digest.hexdigest()[:12]


def print_breakdown(stream: Stream, clusterer: S.Clusterer, reuse: ReuseWindow) -> None:
    stories = list(clusterer.stories.values())
    held = [s for s in stories if s.packed is None]
    parts = {
        "stream generator (templates, recent articles)": stream,
        "reuse window: articles (text)": {k: a for k, (a, _) in reuse.kept.items()},
        "reuse window: LSH index and the rest": reuse,
        "stories: members held one by one": [s.held for s in held],
        "stories: members packed": [s.packed for s in stories],
        "stories: ids, titles, dates, outlets, scores": [(s.id, s.listing) for s in stories],
        "stories: centroid sums and cores": [(s.summed, s.own) for s in stories],
        "clusterer: centroid indexes (usearch's reserve)": clusterer._periods,
        "clusterer: stories by rare specific": clusterer._naming,
        "clusterer: document frequencies": clusterer.frequencies,
        "clusterer: the rest": clusterer,
    }
    members = sum(len(s.article_ids) for s in stories)
    print(
        f"memory held at the end ({len(stories)} stories, {members} members, {len(reuse)} window articles):"
    )
    for name, size in breakdown(parts):
        print(f"  {name:<48} {size / 2**20:>9.1f} MiB")


if __name__ == "__main__":
    main()
