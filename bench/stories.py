"""Story clustering on real coverage, beside two baselines, in the same run.

    .venv/bin/python bench/stories.py [--stores DIR]

--stores DIR: start from DIR/gva.db and DIR/mixed.db, stores this script ingested before (the
analyses are reused, only the linking is done again: what a change of the clustering rules needs).

Input: ../shared/data/gva-dev (1,917 local articles on 1,154 look-alike gun-violence incidents
over 16 months, several a day, often in one city: the dense stream where clustering chains), as
ingested; its events are split in two halves by a hash of the event id: the clusterer's weights
and thresholds were chosen on the "tune" half, the "report" half was not looked at for that.
../shared/data/basil-dev (150 articles, 50 real events, each told by NYT, Fox News and
HuffPost), given to `storylens ingest` as JSONL with only title, text, published, outlet and url
(the gold cluster is kept aside for scoring), mixed in one store with the 91 unrelated real pages
of ../shared/data/extraction. Also the bundled sample corpus against its TRUTH.

gva-dev's rows give BCubed over the whole set, then F1 over each half's articles two ways: "tune"
and "report" score the half's articles alone (a story's members from the other half unseen),
"tune×" and "report×" count a story's members from the other half as wrong ones (the halves share
no event, so such a story joined two events: the whole sees that, a half's own articles do not).
Rules are chosen on "tune×". Then storylens on a stream of the tune half's articles alone.

Printed: BCubed precision/recall/F1 and pairwise F1 for
- storylens, as ingest leaves it (online, in publication order, on the mixed stream), its default
  threshold and a sweep around it (a plateau, not a peak, is what "not tuned to this corpus" looks like);
- storylens with every date removed (content alone decides);
- TF-IDF + average-link agglomerative and MiniLM (title + first 1,000 characters) + average-link
  agglomerative, each at the distance threshold that is best on basil-dev itself (an optimistic
  figure for them), then at that same threshold on the mixed stream; MiniLM + HDBSCAN;
with articles/s of each clustering step.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))

from streaming import cluster  # noqa: E402

from storylens.ingest.manifest import FileMeta, read_manifest  # noqa: E402
from storylens.link import stories as S  # noqa: E402
from storylens.pipeline import ingest, recluster  # noqa: E402
from storylens.store import open_store  # noqa: E402

SWEEP = (0.075, 0.10, 0.125, 0.15, 0.20, 0.25, 0.30)


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    by_pred: dict[str, set[str]] = {}
    by_gold: dict[str, set[str]] = {}
    for item in gold:
        by_pred.setdefault(pred[item], set()).add(item)
        by_gold.setdefault(gold[item], set()).add(item)
    p = r = 0.0
    for item in gold:
        shared = len(by_pred[pred[item]] & by_gold[gold[item]])
        p += shared / len(by_pred[pred[item]])
        r += shared / len(by_gold[gold[item]])
    p, r = p / len(gold), r / len(gold)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def pairwise_f1(pred: dict[str, str], gold: dict[str, str]) -> float:
    items = sorted(gold)
    tp = fp = fn = 0
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            same_pred, same_gold = pred[a] == pred[b], gold[a] == gold[b]
            tp += same_pred and same_gold
            fp += same_pred and not same_gold
            fn += same_gold and not same_pred
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def line(name: str, pred: dict[str, str], gold: dict[str, str], seconds: float | None = None) -> float:
    p, r, f = bcubed(pred, gold)
    speed = f"{len(pred) / seconds:9.0f}" if seconds else "        -"
    print(f"  {name:<58} {p:6.3f} {r:6.3f} {f:6.3f} {pairwise_f1(pred, gold):8.3f} {speed}")
    return f


def header() -> None:
    print(f"  {'':<58} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'pair F1':>8} {'art/s':>9}")


def labels_of(stories: list[S.Story]) -> dict[str, str]:
    return {aid: story.id for story in stories for aid in story.article_ids}


def agglomerative(vectors: np.ndarray, distance: float) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=distance
    )
    return model.fit_predict(vectors)


def tfidf_vectors(texts: list[str], dense: bool = True):
    from sklearn.feature_extraction.text import TfidfVectorizer

    found = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    return found.toarray() if dense else found


def minilm_vectors(texts: list[str]) -> np.ndarray:
    from storylens.understand.embed import embed

    return embed(texts)


def baseline(name, vectorize, texts_all, ids_all, basil_ids, gold) -> None:
    """Best threshold on basil-dev alone (optimistic), then the same threshold on the mixed stream.
    articles/s counts vectorising and one clustering, as storylens's counts its clustering step
    (its embeddings are made at ingest)."""
    index = {aid: i for i, aid in enumerate(ids_all)}
    start = time.perf_counter()
    basil_vectors = vectorize([texts_all[index[a]] for a in basil_ids])
    vectorize_seconds = time.perf_counter() - start
    best = None
    for distance in np.arange(0.05, 1.0, 0.05):
        start = time.perf_counter()
        labels = agglomerative(basil_vectors, float(distance))
        seconds = time.perf_counter() - start
        f = bcubed({a: str(label) for a, label in zip(basil_ids, labels, strict=True)}, gold)[2]
        if best is None or f > best[0]:
            best = (f, float(distance), labels, seconds)
    pred = {a: str(label) for a, label in zip(basil_ids, best[2], strict=True)}
    line(f"{name} + average link, best threshold {best[1]:.2f}", pred, gold, vectorize_seconds + best[3])
    mixed_vectors = vectorize(texts_all)
    labels = agglomerative(mixed_vectors, best[1])
    pred = {a: str(labels[index[a]]) for a in basil_ids}
    line(f"{name} + average link, same threshold, mixed stream", pred, gold)
    if name.startswith("MiniLM"):
        for label, vectors, ids in (
            ("", basil_vectors, basil_ids),
            (", mixed stream", mixed_vectors, ids_all),
        ):
            start = time.perf_counter()
            found = hdbscan(vectors)
            seconds = time.perf_counter() - start + (vectorize_seconds if not label else 0)
            # Noise points (-1) are singletons.
            by_id = {a: (str(c) if c >= 0 else f"noise-{a}") for a, c in zip(ids, found, strict=True)}
            line(
                f"{name} + HDBSCAN (min cluster 2){label}",
                {a: by_id[a] for a in basil_ids},
                gold,
                seconds if not label else None,
            )


def hdbscan(vectors: np.ndarray) -> np.ndarray:
    from sklearn.cluster import HDBSCAN

    return HDBSCAN(min_cluster_size=2, metric="cosine", copy=True).fit_predict(vectors)


def basil_feed(source: Path, workdir: Path, name: str = "basil.jsonl") -> tuple[Path, dict[str, str]]:
    """A labelled JSONL set as storylens reads it (without the gold fields), and url -> gold event."""
    rows = [json.loads(line) for line in source.read_text().splitlines() if line.strip()]
    feed = workdir / name
    with open(feed, "w") as out:
        for row in rows:
            out.write(json.dumps({k: row[k] for k in ("title", "text", "published", "outlet", "url")}) + "\n")
    return feed, {row["url"]: row["cluster"] for row in rows}


def basil(workdir: Path, stores: Path | None = None) -> None:
    source = SHARED / "basil-dev" / "basil-dev.jsonl"
    if not source.exists():
        print("basil-dev: ../shared/data/basil-dev is absent; skipped")
        return
    feed, gold_by_url = basil_feed(source, workdir)
    paths = [feed]
    extraction = SHARED / "extraction" / "html"
    if extraction.exists():
        paths.append(extraction)
    reused = copy_store(workdir / "mixed.db", stores)
    store = open_store(workdir / "mixed.db")
    start = time.perf_counter()
    report = ingest(paths, store)
    ingest_seconds = time.perf_counter() - start
    start = time.perf_counter()
    recluster(store)
    cluster_seconds = time.perf_counter() - start
    urls = store.article_urls()
    texts = texts_of(store)
    gold = {aid: gold_by_url[url] for aid, url in urls.items() if url in gold_by_url}
    basil_ids = sorted(gold)
    story_of = store.stories_by_article()
    print(
        f"basil-dev: {len(gold)} articles in {len(set(gold.values()))} events, mixed with "
        f"{len(urls) - len(gold)} unrelated extraction pages; "
        + (
            f"analyses reused from {reused}"
            if reused
            else f"ingest with analysis {report.added / ingest_seconds:.1f} articles/s"
        )
    )
    header()
    line(
        "storylens (as ingested: online, mixed stream)",
        {a: story_of[a] for a in basil_ids},
        gold,
        cluster_seconds / len(urls) * len(basil_ids),
    )
    basil_stories = {story_of[a] for a in basil_ids}
    intruders = [a for a, s in story_of.items() if a not in gold and s in basil_stories]
    print(f"  unrelated pages put into a basil-dev story: {len(intruders)} of {len(urls) - len(gold)}")

    features = {f.article_id: f for f in map(S.features_of, store.story_inputs(sorted(urls))) if f}
    only = [features[a] for a in basil_ids]
    for threshold in SWEEP:
        start = time.perf_counter()
        stories = cluster(only, threshold)
        seconds = time.perf_counter() - start
        mark = " (default)" if abs(threshold - S.THRESHOLD) < 1e-9 else ""
        line(
            f"storylens, basil-dev alone, threshold {threshold:.2f}{mark}", labels_of(stories), gold, seconds
        )
    undated = [replace(f, published=None) for f in only]
    line("storylens, basil-dev alone, every date removed", labels_of(cluster(undated)), gold)
    undated_mixed = [replace(f, published=None) for f in features.values()]
    pred = labels_of(cluster(undated_mixed))
    line("storylens, mixed stream, every date removed", {a: pred[a] for a in basil_ids}, gold)

    titled = {a: f"{features[a].title}. {texts[a][len(features[a].title) + 1 :][:1000]}" for a in urls}
    ids_all = sorted(urls)
    baseline("TF-IDF", tfidf_vectors, [texts[a] for a in ids_all], ids_all, basil_ids, gold)
    baseline("MiniLM", minilm_vectors, [titled[a] for a in ids_all], ids_all, basil_ids, gold)
    store.close()


def texts_of(store) -> dict[str, str]:
    """article id -> its title and paragraphs, the text the baselines cluster."""
    return {a.id: f"{a.title}\n{' '.join(a.paragraphs)}" for a in store.articles()}


def half_of(event: str) -> str:
    """gva-dev's events split in two: 'tune' chose the clusterer's weights, 'report' did not."""
    return "tune" if int(hashlib.sha1(event.encode()).hexdigest(), 16) % 2 == 0 else "report"


def within_half(pred: dict[str, str], gold: dict[str, str], half: str) -> tuple[float, float, float]:
    """BCubed over one half's articles, its stories counted whole: a member from the other half is
    a wrong one (the halves share no event), so a story joining an event of each half counts
    against the half too, which scoring the half's articles alone does not see."""
    members: dict[str, list[str]] = {}
    for a in gold:
        members.setdefault(pred[a], []).append(a)
    ours = [a for a in gold if half_of(gold[a]) == half]
    size = Counter(gold[a] for a in ours)
    p = r = 0.0
    for a in ours:
        shared = sum(gold[b] == gold[a] for b in members[pred[a]])
        p += shared / len(members[pred[a]])
        r += shared / size[gold[a]]
    p, r = p / len(ours), r / len(ours)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def gva(workdir: Path, stores: Path | None = None) -> None:
    source = SHARED / "gva-dev" / "gva-dev.jsonl"
    if not source.exists():
        print("gva-dev: ../shared/data/gva-dev is absent; skipped")
        return
    feed, gold_by_url = basil_feed(source, workdir, "gva.jsonl")
    reused = copy_store(workdir / "gva.db", stores)
    store = open_store(workdir / "gva.db")
    start = time.perf_counter()
    report = ingest([feed], store)
    if reused:
        recluster(store)
    seconds = time.perf_counter() - start
    urls = store.article_urls()
    gold = {aid: gold_by_url[url] for aid, url in urls.items() if url in gold_by_url}
    ids = sorted(gold)
    story_of = store.stories_by_article()
    features = {f.article_id: f for f in map(S.features_of, store.story_inputs(ids)) if f}
    days = {a: features[a].day for a in ids}
    print(
        f"gva-dev: {len(ids)} articles in {len(set(gold.values()))} events ({len(report.problems)} files "
        "unreadable); "
        + (
            f"analyses reused from {reused}"
            if reused
            else f"ingest with analysis and linking {report.added / seconds:.1f} articles/s"
        )
    )
    print(
        f"  {'':<58} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'tune':>6} {'tune×':>6} {'report':>6} "
        f"{'report×':>7} {'largest':>8} {'span d':>7}"
    )

    def row(name: str, pred: dict[str, str]) -> None:
        p, r, f = bcubed(pred, gold)
        halves = []
        for h in ("tune", "report"):
            part = {a: gold[a] for a in ids if half_of(gold[a]) == h}
            halves += [bcubed({a: pred[a] for a in part}, part)[2], within_half(pred, gold, h)[2]]
        members: dict[str, list[str]] = {}
        for a in ids:
            members.setdefault(pred[a], []).append(a)
        largest = max(members.values(), key=len)
        spans = [max(days[a] for a in m) - min(days[a] for a in m) for m in members.values()]
        print(
            f"  {name:<58} {p:6.3f} {r:6.3f} {f:6.3f} {halves[0]:6.3f} {halves[1]:6.3f} {halves[2]:6.3f} "
            f"{halves[3]:7.3f} {len(largest):8d} "
            f"{max(days[a] for a in largest) - min(days[a] for a in largest):4d}/{max(spans)}"
        )

    row("gold (largest event; span of it / of the longest event)", gold)
    row("storylens (as ingested: online, publication order)", {a: story_of[a] for a in ids})
    undated = [replace(features[a], published=None) for a in ids]
    row("storylens, every date removed", labels_of(cluster(undated)))
    tune_ids = [a for a in ids if half_of(gold[a]) == "tune"]
    tune_gold = {a: gold[a] for a in tune_ids}
    for name, stream in (
        ("storylens, the tune half's articles alone", [features[a] for a in tune_ids]),
        (
            "storylens, the tune half's articles alone, undated",
            [replace(features[a], published=None) for a in tune_ids],
        ),
    ):
        p, r, f = bcubed(labels_of(cluster(stream)), tune_gold)
        print(f"  {name:<58} {p:6.3f} {r:6.3f} {f:6.3f}")
    row("every article a story of its own", {a: a for a in ids})
    texts = texts_of(store)
    titled = {a: f"{features[a].title}. {texts[a][len(features[a].title) + 1 :][:1000]}" for a in ids}
    for name, vectors in (
        ("TF-IDF", tfidf_vectors([texts[a] for a in ids], dense=False)),
        ("MiniLM", minilm_vectors([titled[a] for a in ids])),
    ):
        distances = 1 - np.clip(cosine_matrix(vectors), -1, 1)
        best = None
        for distance in np.arange(0.05, 1.0, 0.025):
            labels = agglomerative_precomputed(distances, float(distance))
            pred = {a: str(label) for a, label in zip(ids, labels, strict=True)}
            f = bcubed(pred, gold)[2]
            if best is None or f > best[0]:
                best = (f, float(distance), pred)
        row(f"{name} + average link, best threshold on the set {best[1]:.3f}", best[2])
    store.close()


def cosine_matrix(vectors) -> np.ndarray:
    from sklearn.preprocessing import normalize

    unit = normalize(vectors)
    product = unit @ unit.T
    return product.toarray() if hasattr(product, "toarray") else np.asarray(product)


def agglomerative_precomputed(distances: np.ndarray, distance: float) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=distance
    )
    return model.fit_predict(distances)


def sample(workdir: Path) -> None:
    folder = ROOT / "examples" / "sample"
    truth = json.loads((folder / "truth.json").read_text())["articles"]
    store = open_store(workdir / "sample.db")
    manifest: dict[str, FileMeta] = read_manifest(folder / "manifest.csv")
    ingest([folder / "corpus"], store, manifest=manifest)
    story_of = store.stories_by_article()
    by_title = {a["title"]: a["story"] for a in truth.values()}
    gold = {row.id: by_title[row.title] for row in store.article_rows() if row.title in by_title}
    print(
        f"\nsample corpus: {len(gold)} articles in {len(set(gold.values()))} stories (examples/sample/TRUTH.md)"
    )
    header()
    line("storylens (as ingested)", {a: story_of[a] for a in gold}, gold)
    sizes = Counter(story_of[a] for a in gold)
    print(f"  stories found: {len(sizes)}, sizes {sorted(sizes.values(), reverse=True)}")
    store.close()


def copy_store(path: Path, stores: Path | None) -> Path | None:
    """Start from the store of that name in `stores` (--stores), if given and there; returns it."""
    if stores is None or not (stores / path.name).exists():
        return None
    shutil.copy(stores / path.name, path)
    return stores / path.name


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stores", type=Path, help="a folder with gva.db and mixed.db ingested before")
    stores = parser.parse_args().stores
    with tempfile.TemporaryDirectory() as tmp:
        gva(Path(tmp), stores)
        basil(Path(tmp), stores)
        sample(Path(tmp))


if __name__ == "__main__":
    main()
