"""Text reuse on a set whose truth is known by construction.

    .venv/bin/python bench/reuse.py

Real article text (the gold bodies of ../shared/data/extraction, or the sample's articles when it
is absent) is republished the way republishers do it: paragraphs dropped (20%), two paragraphs
swapped, words replaced (5%), names re-spelled (30% of capitalised words), a paragraph of a third
text inserted ("wholly derived"); or one or two of its paragraphs, edited, put into another text
("partially derived"). Non-derived pairs are unrelated texts and, harder, the same event written
independently by different outlets (../shared/data/basil-dev). Printed beside a baseline
(whole-document shingle Jaccard, longer text as source), in the same run:
document-level precision/recall of derived vs non-derived, passage-level token overlap on the
copier, and direction accuracy with dates and, separately, without them.
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))

from storylens.link.reuse import Tokens, find_reuse, shingles  # noqa: E402
from storylens.model import Article  # noqa: E402

rng = random.Random(11)


def texts() -> list[list[str]]:
    """Real article bodies as paragraph lists (at least three paragraphs of some length)."""
    truth = SHARED / "extraction" / "ground-truth.json"
    if truth.exists():
        bodies = [v["articleBody"] for v in json.loads(truth.read_text()).values()]
    else:
        sample = json.loads((ROOT / "examples" / "sample" / "truth.json").read_text())
        bodies = ["\n".join(a["paragraphs"]) for a in sample["articles"].values()]
    found = []
    for body in bodies:
        paragraphs = [p.strip() for p in body.split("\n") if len(p.split()) >= 15]
        if len(paragraphs) >= 3 and re.search(r"[A-Za-z]", body):
            found.append(paragraphs[:12])
    return found


def respell(word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i] + word[i:]  # a doubled letter, as transliterations differ


def edit(paragraph: str, vocabulary: list[str]) -> str:
    words = []
    for word in paragraph.split():
        if rng.random() < 0.05:
            word = rng.choice(vocabulary)
        elif word[:1].isupper() and rng.random() < 0.3:
            word = respell(word)
        words.append(word)
    return " ".join(words)


def build() -> tuple[list[Article], list[tuple[str, str, str, set[int]]]]:
    """Articles, and labelled pairs (copier or a, source or b, kind, copier paragraphs copied)."""
    bodies = texts()
    rng.shuffle(bodies)
    vocabulary = [w for body in bodies for p in body for w in p.split()][:5000]
    articles: list[Article] = []
    pairs = []

    def add(aid, paragraphs, published):
        articles.append(Article(aid, aid, None, aid, published, None, "en", None, paragraphs))

    n = len(bodies) // 3
    for k in range(n):
        source, third, host = bodies[3 * k], bodies[3 * k + 1], bodies[3 * k + 2]
        dated = k % 2 == 0
        day = f"2024-{1 + k % 12:02d}-{1 + k % 27:02d}"
        add(f"a_src{k}", source, f"{day}T08:00" if dated else None)
        add(f"a_host{k}", host, f"{day}T06:00" if dated else None)
        if k % 2 == 0:  # wholly derived
            kept = [edit(p, vocabulary) for p in source if rng.random() >= 0.2]
            if len(kept) >= 2:
                kept[0], kept[1] = kept[1], kept[0]
            copied = set(range(len(kept)))
            kept.insert(rng.randrange(len(kept) + 1), third[0])
            copied = {i if i < kept.index(third[0]) else i + 1 for i in copied}
            add(f"a_copy{k}", kept, f"{day}T15:00" if dated else None)
            pairs.append((f"a_copy{k}", f"a_src{k}", "wholly", copied))
        else:  # partially derived: one or two edited paragraphs in another text
            taken = [edit(p, vocabulary) for p in source[: rng.choice((1, 2))]]
            at = rng.randrange(1, len(third))
            mixed = third[:at] + taken + third[at:]
            add(f"a_copy{k}", mixed, f"{day}T15:00" if dated else None)
            pairs.append((f"a_copy{k}", f"a_src{k}", "partially", set(range(at, at + len(taken)))))
        pairs.append((f"a_host{k}", f"a_src{k}", "unrelated", set()))
    basil = SHARED / "basil-dev" / "basil-dev.jsonl"
    if basil.exists():
        events: dict[str, list[dict]] = {}
        for line in basil.read_text().splitlines():
            record = json.loads(line)
            events.setdefault(record["cluster"], []).append(record)
        for e, (_, records) in enumerate(sorted(events.items())[:30]):
            ids = []
            for r, record in enumerate(records[:2]):
                aid = f"a_event{e}_{r}"
                add(aid, [p for p in record["text"].split("\n\n") if p.strip()], record["published"])
                ids.append(aid)
            if len(ids) == 2:
                pairs.append((ids[0], ids[1], "same event, independent", set()))
    return articles, pairs


def baseline(articles: list[Article]) -> dict[tuple[str, str], str]:
    """Whole-document 5-gram Jaccard >= 0.2 means derived; the longer text is the source."""
    sets = {a.id: shingles(Tokens.of(a).words) for a in articles}
    sizes = {a.id: len(sets[a.id]) for a in articles}
    ids = sorted(sets)
    found = {}
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            union = sets[a] | sets[b]
            if union and len(sets[a] & sets[b]) / len(union) >= 0.2:
                found[(a, b)] = a if sizes[a] < sizes[b] else b
    return found


def main() -> None:
    articles, pairs = build()
    by_id = {a.id: a for a in articles}
    start = time.perf_counter()
    reuse = find_reuse(articles)
    seconds = time.perf_counter() - start
    found = {(r.a, r.b): r for r in reuse}
    start = time.perf_counter()
    base = baseline(articles)
    base_seconds = time.perf_counter() - start

    derived = [p for p in pairs if p[2] in ("wholly", "partially")]
    labelled = {tuple(sorted(p[:2])) for p in pairs}
    rows = []
    for name, detected, copier_of in (
        ("storylens", set(found), {k: r.copier for k, r in found.items()}),
        ("baseline: document Jaccard", set(base), base),
    ):
        tp = sum(tuple(sorted(p[:2])) in detected for p in derived)
        fp = sum(1 for pair in detected if pair not in {tuple(sorted(p[:2])) for p in derived})
        by_kind = {}
        for kind in ("wholly", "partially", "unrelated", "same event, independent"):
            members = [p for p in pairs if p[2] == kind]
            if members:
                by_kind[kind] = sum(tuple(sorted(p[:2])) in detected for p in members) / len(members)
        dated = [p for p in derived if by_id[p[0]].published]
        undated = [p for p in derived if not by_id[p[0]].published]

        def direction(group, detected=detected, copier_of=copier_of):
            """(right, wrong, unknown) shares among the group's pairs that were found."""
            seen = [p for p in group if tuple(sorted(p[:2])) in detected]
            said = [copier_of.get(tuple(sorted(p[:2]))) for p in seen]
            right = sum(c == p[0] for c, p in zip(said, seen, strict=True))
            unknown = sum(c is None for c in said)
            n = max(len(seen), 1)
            return f"{right / n:.2f}/{(len(seen) - right - unknown) / n:.2f}/{unknown / n:.2f}"

        rows.append(
            (
                name,
                tp / max(tp + fp, 1),
                tp / max(len(derived), 1),
                by_kind,
                direction(dated),
                direction(undated),
            )
        )
    overlap = passage_overlap(derived, found, by_id)
    print(
        f"Reuse on {len(articles)} articles, {len(derived)} derived pairs and {len(pairs) - len(derived)} "
        f"labelled non-derived pairs (truth by construction); unlabelled pairs count as non-derived"
    )
    print(
        f"{'method':<30}{'prec':>7}{'recall':>8}{'wholly':>8}{'partly':>8}{'unrel.':>8}{'event':>8}{'dated r/w/?':>16}{'undated r/w/?':>16}"
    )
    for name, p, r, by_kind, dd, du in rows:
        cells = "".join(
            f"{by_kind.get(k, float('nan')):>8.2f}"
            for k in ("wholly", "partially", "unrelated", "same event, independent")
        )
        print(f"{name:<30}{p:>7.3f}{r:>8.3f}{cells}{dd:>16}{du:>16}")
    print("wholly/partly/unrel./event: share of those pairs reported as reuse (want 1, 1, 0, 0)")
    print(
        "direction among pairs found: right/wrong/unknown (unknown is the honest answer when nothing tells)"
    )
    print(f"passage-level token overlap (Jaccard) on the copier, derived pairs found: {overlap:.3f}")
    print(
        f"time: storylens {seconds:.1f}s ({len(articles) / seconds:.0f} articles/s), baseline {base_seconds:.1f}s "
        f"(all pairs; no LSH)"
    )
    print(f"labelled pairs: {len(labelled)}")


def passage_overlap(derived, found, by_id) -> float:
    scores = []
    for copier, source, _, copied in derived:
        key = tuple(sorted((copier, source)))
        if key not in found:
            continue
        reuse = found[key]
        tokens = Tokens.of(by_id[copier])
        starts, offset = [], 0
        for paragraph in by_id[copier].paragraphs:
            starts.append((offset, offset + len(paragraph)))
            offset += len(paragraph) + 2
        truth = {
            i
            for i, (s, _) in enumerate(tokens.spans)
            if any(a <= s < b for k, (a, b) in enumerate(starts) if k in copied)
        }
        side = "a" if reuse.a == copier else "b"
        predicted = set()
        for passage in reuse.passages:
            if not passage.quotation:
                lo, hi = (passage.a_start, passage.a_end) if side == "a" else (passage.b_start, passage.b_end)
                predicted.update(range(lo, hi))
        scores.append(len(truth & predicted) / max(len(truth | predicted), 1))
    return sum(scores) / max(len(scores), 1)


if __name__ == "__main__":
    main()
