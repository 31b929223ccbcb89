"""How well any pair signal tells claims of one fact apart, on the read gold (issue 15's limit).

    .venv/bin/python bench/fact_pairs.py [--set tuning|report] [--db KEPT.db]

Every pair of claims of two different articles of a basil-dev gold event (compare_articles'
claims, as bench/compare_gold.py takes them) is true when the gold gives their sentences a common
fact. Printed: the precision at recall 0.1 to 0.8 of ranking the pairs by
- the claims' cosine (MiniLM, the comparison's own vectors);
- a logistic model over the cosine, the share and weight of rare content words they share, shared
  entities, shared numbers, a shared predicate and five shared words in a row, fitted on half the
  events and scored on the other half (two folds by event);
- the best cosine of the claims' clauses (each claim cut at its root, conjunct, adverbial,
  relative and complement clauses, each clause embedded);
- the claims' word pieces aligned one to one (compare/tokens.py, the comparison's own score,
  over every pair; the comparison computes it for pairs at least ALIGN_FLOOR close);
- fitted models, two folds by event: sklearn's logistic regression on standardised signals (the 8,
  and the 8 with the alignment; C chosen by inner folds by event on the training fold; plain and
  balanced classes) and small gradient-boosted trees (the 8 with the alignment), with the
  logistic model's coefficients;
and the comparison's own grouping, as one point, and as it would be if it also joined the pairs at
least ALIGN_FLOOR close that the logistic model (8 with the alignment) of the other fold scores at
least a limit chosen on that fold for PRECISE precision. The set is the tuning set unless told.
Nothing is asserted: the figures are printed.
"""

from __future__ import annotations

import math
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
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

RECALLS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
CLAUSES = {"ROOT", "conj", "advcl", "relcl", "ccomp", "parataxis"}


def pairs_of(store, events, gold, basil_of, articles_of, joining: Joining | None = None) -> list[dict]:
    """The located cross-article claim pairs of the events, with their truth, signals and whether the
    comparison grouped them; with `joining`, as grouped when the pairs it picks are joined too."""
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
        where = [cg.sentence_of(c.text, split[basil_of[c.article_id]]) for c in claims]
        facts = [gold.facts.get(w, set()) if w else set() for w in where]
        vectors = stored_vectors(store, [c.text for c in claims])
        n = len(claims)
        crossing = [
            (i, j) for i in range(n) for j in range(i + 1, n) if claims[i].article_id != claims[j].article_id
        ]
        aligned = token_scores(stored_pieces(store, [c.text for c in claims]), crossing)
        signals = Signals(claims, vectors, Counter(w for c in claims for w in set(c.content)))
        if joining is not None:
            comparison = joined_comparison(store, ids, joining(event, claims, signals, aligned, crossing))
        group = {_place(c): f.id for f in comparison.facts for c in f.claims}
        for i, j in crossing:
            if not where[i] or not where[j]:
                continue
            a, b = claims[i], claims[j]
            found.append(
                {
                    "event": event,
                    "a": a.text,
                    "b": b.text,
                    "truth": bool(facts[i] & facts[j]),
                    "grouped": group[_place(a)] == group[_place(b)],
                    "aligned": aligned[i, j],
                    "features": signals.of(i, j),
                }
            )
    return found


@dataclass
class Signals:
    """The 8 pair signals of a comparison's claims (the logistic model's features)."""

    claims: list
    vectors: np.ndarray
    df: Counter

    def weight(self, words) -> float:
        return sum(math.log(len(self.claims) / self.df[w]) for w in words)

    def of(self, i: int, j: int) -> list[float]:
        a, b = self.claims[i], self.claims[j]
        shared = (set(a.content) - a.predicates) & (set(b.content) - b.predicates)
        whole = min(self.weight(set(a.content)) or 1.0, self.weight(set(b.content)) or 1.0)
        return [
            float(self.vectors[i] @ self.vectors[j]),
            self.weight(shared) / whole,
            min(self.weight(shared), 20.0) / 10,
            min(len(a.entities & b.entities), 3),
            min(len(a.numbers & b.numbers), 2),
            float(bool(rules.same_predicates(a, b))),
            min(len(shared), 6) / 3,
            float(rules.same_words(a, b)),
        ]


# (event, claims, their Signals, the alignment of every crossing pair, the crossing pairs) -> the
# pairs of claims ((article id, position) twice) to join besides the comparison's own.
Joining = Callable[[str, list, Signals, dict, list], set]


def _place(claim) -> tuple[str, int]:
    return claim.article_id, claim.position


def joined_comparison(store, ids: list[str], joined: set):
    """compare_articles(ids) as if relation() also held for the `joined` pairs of claims (neither
    opposed nor contradicting), which are all asked."""
    relation, may_relate = rules.relation, rules._may_relate

    def also(a, b, cosine: float, aligned: float = 0.0) -> str | None:
        found = relation(a, b, cosine, aligned)
        if found or not {(_place(a), _place(b)), (_place(b), _place(a))} & joined:
            return found
        return None if rules.opposed(a, b) or rules.contradicting(a, b, cosine) else "model"

    def asked(claims, similarity) -> list[tuple[int, int]]:
        place = {_place(c): k for k, c in enumerate(claims)}
        more = {
            (min(place[x], place[y]), max(place[x], place[y])) for x, y in joined if x in place and y in place
        }
        return sorted(set(may_relate(claims, similarity)) | more)

    rules.relation, rules._may_relate = also, asked
    try:
        return compare_articles(store, ids)
    finally:
        rules.relation, rules._may_relate = relation, may_relate


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


NAMES = ("cosine", "rare share", "rare weight", "entities", "numbers", "predicate", "shared words")
NAMES += ("5 in a row", "aligned")
PRECISE = 0.80  # the precision the joining threshold keeps on the training fold


def fitted_logistic(x: np.ndarray, truth: np.ndarray, events: np.ndarray, weights: str | None):
    """sklearn's logistic regression on standardised features, its C chosen by 3 folds by event
    (average precision) within the given pairs."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, GroupKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    pipeline = make_pipeline(StandardScaler(), LogisticRegression(class_weight=weights, max_iter=5000))
    grid = {"logisticregression__C": [0.001, 0.01, 0.1, 1.0, 10.0, 100.0]}
    search = GridSearchCV(pipeline, grid, cv=GroupKFold(3), scoring="average_precision")
    return search.fit(x, truth, groups=events).best_estimator_


def fitted_boosting(x: np.ndarray, truth: np.ndarray, events: np.ndarray, depth: int = 3):
    """A small gradient-boosted tree model (no early stopping)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(
        max_depth=depth, max_iter=200, learning_rate=0.05, early_stopping=False, random_state=0
    )
    return model.fit(x, truth)


def two_folds(x: np.ndarray, truth: np.ndarray, folds: np.ndarray, events: np.ndarray, fit) -> tuple:
    """Each pair's score by the model `fit` made on the other fold's events, and the two models."""
    scores, models = np.zeros(len(x)), []
    for fold in (0, 1):
        train = folds != fold
        models.append(fit(x[train], truth[train], events[train]))
        scores[~train] = _score(models[-1], x[~train])
    return scores, models


def _score(model, x: np.ndarray) -> np.ndarray:
    return model.decision_function(x) if hasattr(model, "decision_function") else model.predict_proba(x)[:, 1]


def threshold(x: np.ndarray, truth: np.ndarray, events: np.ndarray, weights: str | None) -> float:
    """The lowest logistic score at which the pairs above keep PRECISE precision, on scores each
    made by a model fitted without the pair's event (3 folds by event within the given pairs)."""
    from sklearn.model_selection import GroupKFold

    scores = np.zeros(len(x))
    for train, test in GroupKFold(3).split(x, truth, events):
        scores[test] = _score(fitted_logistic(x[train], truth[train], events[train], weights), x[test])
    order = np.argsort(-scores, kind="stable")
    precision = np.cumsum(truth[order]) / np.arange(1, len(x) + 1)
    kept = np.nonzero(precision >= PRECISE)[0]
    return float(scores[order[kept[-1]]]) if len(kept) else math.inf


def model_joining(models: list, limits: list[float], fold_of: dict[str, int]) -> Joining:
    """A Joining: the pairs at least ALIGN_FLOOR close (the comparison aligns no others) whose
    logistic score, by the model fitted on the other fold, is at least that fold's limit."""

    def joining(event, claims, signals, aligned, crossing) -> set:
        fold = fold_of[event]
        near = [(i, j) for i, j in crossing if signals.of(i, j)[0] >= rules.ALIGN_FLOOR]
        if not near:
            return set()
        x = np.array([signals.of(i, j) + [aligned[i, j]] for i, j in near])
        chosen = _score(models[fold], x) >= limits[fold]
        return {(_place(claims[i]), _place(claims[j])) for (i, j), c in zip(near, chosen, strict=True) if c}

    return joining


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


def gathered(which: str, kept: Path | None, joining: Joining | None = None) -> tuple[list[str], list[dict]]:
    """The set's judged events and their cross-article claim pairs (pairs_of, with `joining`), from
    the store at `kept` (filled with basil-dev if it lacks it) or a fresh one."""
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
            found = pairs_of(store, events, gold, basil_of, articles_of, joining)
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
    by_event = np.array([p["event"] for p in found])
    nine = np.c_[features, aligned]
    fitted = {
        "sklearn logistic, 8 signals (2 folds)": (features, lambda x, t, e: fitted_logistic(x, t, e, None)),
        "sklearn logistic, 8 + aligned": (nine, lambda x, t, e: fitted_logistic(x, t, e, None)),
        "sklearn logistic, 8 + aligned, balanced": (
            nine,
            lambda x, t, e: fitted_logistic(x, t, e, "balanced"),
        ),
        "boosted trees (depth 3), 8 + aligned": (nine, lambda x, t, e: fitted_boosting(x, t, e, 3)),
        "boosted trees (depth 4), 8 + aligned": (nine, lambda x, t, e: fitted_boosting(x, t, e, 4)),
    }
    logistic_models, logistic_scores = [], np.zeros(len(found))
    for label, (x, fit) in fitted.items():
        scores, models = two_folds(x, truth, folds, by_event, fit)
        print(f"  {label:<44}{precision_at(scores, truth)}")
        if label == "sklearn logistic, 8 + aligned":
            logistic_models, logistic_scores = models, scores
    print("  the standardised logistic model's coefficients (8 + aligned), fitted on fold 0 / fold 1:")
    for fold, model in enumerate(logistic_models):
        weights = model[-1].coef_[0]
        named = ", ".join(f"{n} {w:+.2f}" for n, w in zip(NAMES, weights, strict=True))
        print(f"    fold {fold} (C {model[-1].C:g}): {named}, intercept {model[-1].intercept_[0]:+.2f}")
    print(
        f"  storylens's grouping: P {truth[grouped].sum() / max(1, said):.3f} "
        f"R {truth[grouped].sum() / truth.sum():.3f} (goal P 0.90 R 0.80)"
    )
    limits = [
        threshold(nine[folds != fold], truth[folds != fold], by_event[folds != fold], None) for fold in (0, 1)
    ]
    above = logistic_scores >= np.array(limits)[folds]
    fold_of = {p["event"]: int(f) for p, f in zip(found, folds, strict=True)}
    # each event's pairs scored by the model fitted on the other fold (two_folds' models[fold])
    _, joined = gathered(which, kept, model_joining(logistic_models, limits, fold_of))
    both = np.array([p["grouped"] for p in joined])
    assert [p["truth"] for p in joined] == list(truth.astype(bool)), "the pairs changed"
    print(
        f"  ... and pairs the logistic model scores at least its limit ({limits[0]:+.2f} / {limits[1]:+.2f}, "
        f"P {PRECISE:.2f} on the training fold) joined too: P {truth[both].sum() / max(1, both.sum()):.3f} "
        f"R {truth[both].sum() / truth.sum():.3f} (the pairs above the limit, held out: "
        f"P {truth[above].sum() / max(1, above.sum()):.3f} R {truth[above].sum() / truth.sum():.3f})"
    )
    print(f"  ({time.process_time():.0f} CPU s)")


def _write_feed(feed: Path) -> None:
    import json

    with open(feed, "w") as out:
        for row in cg.rows_by_id.values():
            out.write(json.dumps({k: row[k] for k in ("title", "text", "published", "outlet", "url")}) + "\n")


if __name__ == "__main__":
    main()
