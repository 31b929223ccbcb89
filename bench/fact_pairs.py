"""How well any pair signal tells claims of one fact apart, on the read gold (issue 15's limit).

    .venv/bin/python bench/fact_pairs.py [--set tuning|report] [--db KEPT.db]

Every pair of claims of two different articles of a basil-dev gold event (compare_articles'
claims, as bench/compare_gold.py takes them) is true when the gold gives their sentences a common
fact. Printed: the precision at recall 0.1 to 0.5 of ranking the pairs by
- the claims' cosine (MiniLM, the comparison's own vectors);
- a logistic model over the cosine, the share and weight of rare content words they share, shared
  entities, shared numbers, a shared predicate and five shared words in a row, fitted on half the
  events and scored on the other half (two folds by event);
- the best cosine of the claims' clauses (each claim cut at its root, conjunct, adverbial,
  relative and complement clauses, each clause embedded);
- the claims' word pieces aligned one to one (compare/tokens.py, the comparison's own score,
  over every pair; the comparison computes it for pairs at least ALIGN_FLOOR close);
and the comparison's own grouping, as one point. The set is the tuning set unless told.
Nothing is asserted: the figures are printed.
"""

from __future__ import annotations

import math
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import compare_gold as cg  # noqa: E402
from basil_gold import SOURCE, event_sets, key, rows, sentences  # noqa: E402

from storylens.compare import facts as rules  # noqa: E402
from storylens.compare.tokens import token_scores  # noqa: E402
from storylens.kept import stored_pieces  # noqa: E402
from storylens.pipeline import compare_articles, ingest, stored_vectors  # noqa: E402
from storylens.store import open_store  # noqa: E402

RECALLS = (0.1, 0.2, 0.3, 0.4, 0.5)
CLAUSES = {"ROOT", "conj", "advcl", "relcl", "ccomp", "parataxis"}


def pairs_of(store, events, gold, basil_of, articles_of) -> list[dict]:
    found = []
    for event in events:
        ids = articles_of[event]
        comparison = compare_articles(store, ids)
        split = {
            b: [
                (f"{b}:{key(s)}", set(cg.WORD.findall(s.lower())))
                for s in sentences(cg.rows_by_id[b]["text"])
            ]
            for b in {basil_of[a] for a in ids}
        }
        claims = [c for f in comparison.facts for c in f.claims]
        group = {id(c): f.id for f in comparison.facts for c in f.claims}
        where = [cg.sentence_of(c.text, split[basil_of[c.article_id]]) for c in claims]
        facts = [gold.facts.get(w, set()) if w else set() for w in where]
        vectors = stored_vectors(store, [c.text for c in claims])
        df = Counter(w for c in claims for w in set(c.content))
        n = len(claims)
        crossing = [
            (i, j) for i in range(n) for j in range(i + 1, n) if claims[i].article_id != claims[j].article_id
        ]
        aligned = token_scores(stored_pieces(store, [c.text for c in claims]), crossing)

        def weight(words, n: int = n, df: Counter = df) -> float:
            return sum(math.log(n / df[w]) for w in words)

        for i, a in enumerate(claims):
            for j in range(i + 1, n):
                b = claims[j]
                if a.article_id == b.article_id or not where[i] or not where[j]:
                    continue
                shared = (set(a.content) - a.predicates) & (set(b.content) - b.predicates)
                whole = min(weight(set(a.content)) or 1.0, weight(set(b.content)) or 1.0)
                found.append(
                    {
                        "event": event,
                        "a": a.text,
                        "b": b.text,
                        "truth": bool(facts[i] & facts[j]),
                        "grouped": group[id(a)] == group[id(b)],
                        "aligned": aligned[i, j],
                        "features": [
                            float(vectors[i] @ vectors[j]),
                            weight(shared) / whole,
                            min(weight(shared), 20.0) / 10,
                            min(len(a.entities & b.entities), 3),
                            min(len(a.numbers & b.numbers), 2),
                            float(bool(rules.same_predicates(a, b))),
                            min(len(shared), 6) / 3,
                            float(rules.same_words(a, b)),
                        ],
                    }
                )
    return found


def precision_at(score: np.ndarray, truth: np.ndarray) -> str:
    order = np.argsort(-score, kind="stable")
    hits = np.cumsum(truth[order])
    shown = []
    for recall in RECALLS:
        k = int(np.searchsorted(hits, recall * truth.sum()))
        shown.append(f"{hits[k] / (k + 1):.2f}" if k < len(hits) else "  - ")
    return "  ".join(f"{s:>5}" for s in shown)


def logistic(features: np.ndarray, truth: np.ndarray, folds: np.ndarray) -> np.ndarray:
    """Scores of a logistic model fitted on the other fold (gradient descent, a little L2)."""
    x = np.hstack([features, np.ones((len(features), 1))])
    scores = np.zeros(len(x))
    for fold in (0, 1):
        train = folds != fold
        w = np.zeros(x.shape[1])
        for _ in range(3000):
            p = 1 / (1 + np.exp(-x[train] @ w))
            w -= 0.5 * (x[train].T @ (p - truth[train]) / train.sum() + 1e-3 * w)
        scores[~train] = x[~train] @ w
    return scores


def clause_cosines(found: list[dict]) -> np.ndarray:
    from storylens.understand.embed import embed
    from storylens.understand.nlp import load_nlp

    texts = sorted({p["a"] for p in found} | {p["b"] for p in found})
    pieces = {}
    for text, doc in zip(texts, load_nlp().pipe(texts, batch_size=64), strict=True):
        heads = [t for t in doc if t.dep_ in CLAUSES and t.pos_ in ("VERB", "AUX")]
        cut = []
        for head in heads:
            inner = {
                t.i for other in heads if other is not head and other in head.subtree for t in other.subtree
            }
            words = [t for t in head.subtree if t.i not in inner]
            if sum(t.is_alpha for t in words) >= 5:
                cut.append(" ".join(t.text for t in words))
        pieces[text] = [text] + [p for p in cut if p.strip() != text.strip()]
    every = sorted({p for found_pieces in pieces.values() for p in found_pieces})
    vector = dict(zip(every, embed(every), strict=True))
    return np.array(
        [
            float(
                np.max(
                    np.array([vector[x] for x in pieces[p["a"]]])
                    @ np.array([vector[y] for y in pieces[p["b"]]]).T
                )
            )
            for p in found
        ]
    )


def gathered(which: str, kept: Path | None) -> tuple[list[str], list[dict]]:
    """The set's judged events and their cross-article claim pairs (pairs_of), from the store at
    `kept` (filled with basil-dev if it lacks it) or a fresh one."""
    gold = cg.Gold()
    cg.rows_by_id.update({r["id"]: r for r in rows()})
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "basil.jsonl"
        _write_feed(feed)
        with open_store(kept or Path(tmp) / "basil.db") as store:
            ingest([feed], store)
            by_url = {r["url"]: r["id"] for r in cg.rows_by_id.values()}
            basil_of = {aid: by_url[url] for aid, url in store.article_urls().items()}
            articles_of: dict[str, list[str]] = defaultdict(list)
            for aid, basil in sorted(basil_of.items()):
                articles_of[cg.rows_by_id[basil]["cluster"]].append(aid)
            judged = {where.split(":")[0] for where in gold.facts}
            events = [e for e in event_sets()[which] if any(basil_of[a] in judged for a in articles_of[e])]
            found = pairs_of(store, events, gold, basil_of, articles_of)
    return events, found


def main() -> None:
    which = sys.argv[sys.argv.index("--set") + 1] if "--set" in sys.argv else "tuning"
    if not SOURCE.exists():
        print("basil-dev is absent (../shared/data/basil-dev): skipped")
        return
    kept = Path(sys.argv[sys.argv.index("--db") + 1]) if "--db" in sys.argv else None
    events, found = gathered(which, kept)
    truth = np.array([p["truth"] for p in found], dtype=float)
    features = np.array([p["features"] for p in found])
    folds = np.array([sorted(set(events)).index(p["event"]) % 2 for p in found])
    grouped = np.array([p["grouped"] for p in found])
    said = grouped.sum()
    print(
        f"basil-dev {which} set: {len(events)} events, {len(found)} cross-article claim pairs, "
        f"{int(truth.sum())} true"
    )
    print(f"  {'precision at recall':<44}" + "  ".join(f"{r:>5}" for r in RECALLS))
    print(f"  {'cosine (the comparison vectors)':<44}{precision_at(features[:, 0], truth)}")
    print(
        f"  {'logistic over 8 pair signals (2 folds)':<44}"
        f"{precision_at(logistic(features, truth, folds), truth)}"
    )
    print(f"  {'best cosine of the claims clauses':<44}{precision_at(clause_cosines(found), truth)}")
    aligned = np.array([p["aligned"] for p in found])
    print(f"  {'word pieces aligned (compare/tokens.py)':<44}{precision_at(aligned, truth)}")
    print(
        f"  storylens's grouping: P {truth[grouped].sum() / max(1, said):.3f} "
        f"R {truth[grouped].sum() / truth.sum():.3f} (goal P 0.90 R 0.80)"
    )


def _write_feed(feed: Path) -> None:
    import json

    with open(feed, "w") as out:
        for row in cg.rows_by_id.values():
            out.write(json.dumps({k: row[k] for k in ("title", "text", "published", "outlet", "url")}) + "\n")


if __name__ == "__main__":
    main()
