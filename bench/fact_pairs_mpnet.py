"""Would all-mpnet-base-v2 tell claims of one fact apart better than MiniLM? (issue 15)

    .venv/bin/python bench/fact_pairs_mpnet.py --model MPNET_DIR [--set tuning|report] [--db KEPT.db]

MPNET_DIR is a sentence-transformers/all-mpnet-base-v2 folder (config.json, model.safetensors,
tokenizer files), read offline by transformers; storylens neither ships nor loads it. The pairs
are bench/fact_pairs.py's (the same events, claims and gold). Printed: the precision at recall
0.1 to 0.5 of ranking the pairs by
- MiniLM's cosine: the store's vectors (fact_pairs.py's row) and fresh float32 ones;
- mpnet's cosine (mean of the token states over the mask, unit length: sentence-transformers'
  encode), in float32 and in storylens's bfloat16 (equal-length groups, autocast);
- the token alignment (compare/tokens.py): the store's (MiniLM's pieces, 64 dims int8), the same
  with weights counted over the pairs' claims alone, and over mpnet's pieces (768 dims float32,
  and projected to 64 dims int8 as storylens keeps MiniLM's); averaged with either cosine;
- fact_pairs.py's logistic model over 8 pair signals with either cosine (two folds by event);
then the CPU seconds (time.process_time, torch on one thread, one worker) per 1,000 claims of
embedding the set's claims with either model, in float32 and in bfloat16, the model loaded first.
Nothing is asserted: the figures are printed.
"""

from __future__ import annotations

import os
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ["STORYLENS_EMBED_WORKERS"] = "1"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import fact_pairs as fp  # noqa: E402
from basil_gold import SOURCE  # noqa: E402

from storylens.compare import tokens  # noqa: E402
from storylens.understand import embed as minilm  # noqa: E402

# sentence_bert_config.json of all-mpnet-base-v2: its encode() truncates at 384 word pieces.
MPNET_TOKENS = 384
BATCH = 64


@dataclass
class Mpnet:
    """all-mpnet-base-v2 as its modules.json runs it: MPNet, mean pooling, unit length."""

    tokenizer: Any
    model: Any
    pieces: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Mpnet:
        import torch
        import transformers

        transformers.logging.set_verbosity_error()
        torch.set_num_threads(1)
        model = transformers.AutoModel.from_pretrained(str(path))
        model.eval()
        return cls(transformers.AutoTokenizer.from_pretrained(str(path)), model)

    def embed(self, texts: list[str], exact: bool, keep: bool = False) -> np.ndarray:
        """Unit-length vectors: float32 in padded batches longest first (as encode() runs them),
        or bfloat16 autocast over groups of equal length (as storylens runs MiniLM). With `keep`,
        each text's word pieces (<s> and </s> left out) and their unit-length last-layer states
        are kept in self.pieces."""
        if exact:
            groups = minilm.longest_first_batches(texts, BATCH)
        else:
            lengths = [
                len(p) for p in self.tokenizer(texts, truncation=True, max_length=MPNET_TOKENS)["input_ids"]
            ]
            groups = minilm.equal_length_groups(lengths, BATCH)
        vectors = np.zeros((len(texts), self.model.config.hidden_size), dtype=np.float32)
        for group in groups:
            vectors[group] = self._forward([texts[i] for i in group], exact, keep)
        return vectors

    def _forward(self, texts: list[str], exact: bool, keep: bool) -> np.ndarray:
        import torch

        features = self.tokenizer(
            texts, padding=True, truncation=True, max_length=MPNET_TOKENS, return_tensors="pt"
        )
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=not exact):
            states = self.model(**features, return_dict=True).last_hidden_state.float()
        mask = features["attention_mask"].unsqueeze(-1).to(states.dtype)
        pooled = (states * mask).sum(dim=1) / torch.clamp(mask.sum(dim=1), min=1e-9)
        if keep:
            unit = torch.nn.functional.normalize(states, p=2, dim=2).numpy()
            for k, (text, n) in enumerate(
                zip(texts, features["attention_mask"].sum(dim=1).tolist(), strict=True)
            ):
                self.pieces[text] = (features["input_ids"][k][1 : n - 1].numpy(), unit[k][1 : n - 1])
        return torch.nn.functional.normalize(pooled, p=2, dim=1).numpy()


def timed(run, texts: list[str]) -> tuple[np.ndarray, float]:
    """run(texts) and its CPU seconds per 1,000 texts."""
    start = time.process_time()
    vectors = run(texts)
    return vectors, (time.process_time() - start) * 1000 / len(texts)


def minilm_run(precision: str):
    def run(texts: list[str]) -> np.ndarray:
        os.environ["STORYLENS_EMBED_PRECISION"] = precision
        return minilm.embed(texts)

    return run


def aligned_scores(found: list[dict], pieces: dict[str, tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """compare/tokens.py's F of each pair over the given pieces, the rarity weights counted over
    the event's claims that are in some pair (pairs_of counts all the comparison's claims)."""
    by_event: dict[str, set[str]] = defaultdict(set)
    for p in found:
        by_event[p["event"]] |= {p["a"], p["b"]}
    weight = {}
    for texts in by_event.values():
        chosen = sorted(texts)
        for text, w in zip(chosen, tokens._rarity([pieces[t][0] for t in chosen]), strict=True):
            weight[text] = w
    return np.array(
        [tokens._f_score(pieces[p["a"]][1], weight[p["a"]], pieces[p["b"]][1], weight[p["b"]]) for p in found]
    )


def as_stored(pieces: dict[str, tuple[np.ndarray, np.ndarray]]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The pieces' states as storylens keeps MiniLM's: projected to TOKEN_DIMENSIONS by a fixed
    random matrix, int8 (embed.pack_tokens)."""
    projection = np.random.RandomState(0).standard_normal((768, minilm.TOKEN_DIMENSIONS)).astype(np.float32)
    return {
        t: minilm.unpack_tokens(minilm.pack_tokens(ids, states @ projection))
        for t, (ids, states) in pieces.items()
    }


def pair_cosines(found: list[dict], index: dict[str, int], vectors: np.ndarray) -> np.ndarray:
    return np.array([float(vectors[index[p["a"]]] @ vectors[index[p["b"]]]) for p in found])


def main() -> None:
    which = sys.argv[sys.argv.index("--set") + 1] if "--set" in sys.argv else "tuning"
    if "--model" not in sys.argv:
        sys.exit("usage: fact_pairs_mpnet.py --model MPNET_DIR [--set tuning|report] [--db KEPT.db]")
    if not SOURCE.exists():
        print("basil-dev is absent (../shared/data/basil-dev): skipped")
        return
    kept = Path(sys.argv[sys.argv.index("--db") + 1]) if "--db" in sys.argv else None
    events, found = fp.gathered(which, kept)
    texts = sorted({p["a"] for p in found} | {p["b"] for p in found})
    index = {t: i for i, t in enumerate(texts)}

    minilm.load_model()
    mpnet = Mpnet.load(Path(sys.argv[sys.argv.index("--model") + 1]))
    costs, cosines = {}, {}
    for name, run in (
        ("MiniLM float32", minilm_run("float32")),
        ("MiniLM bfloat16", minilm_run("bfloat16")),
        ("mpnet float32", lambda t: mpnet.embed(t, exact=True, keep=True)),
        ("mpnet bfloat16", lambda t: mpnet.embed(t, exact=False)),
    ):
        vectors, costs[name] = timed(run, texts)
        cosines[name] = pair_cosines(found, index, vectors)

    minilm_pieces = {t: minilm.unpack_tokens(b) for t, b in zip(texts, minilm.token_rows(texts), strict=True)}
    minilm_aligned = aligned_scores(found, minilm_pieces)
    mpnet_aligned = aligned_scores(found, mpnet.pieces)
    mpnet_aligned_64 = aligned_scores(found, as_stored(mpnet.pieces))
    truth = np.array([p["truth"] for p in found], dtype=float)
    features = np.array([p["features"] for p in found])
    aligned = np.array([p["aligned"] for p in found])
    folds = np.array([sorted(set(events)).index(p["event"]) % 2 for p in found])
    with_mpnet = features.copy()
    with_mpnet[:, 0] = cosines["mpnet float32"]
    rows = [
        ("MiniLM cosine (the store's vectors)", features[:, 0]),
        ("MiniLM cosine (fresh, float32)", cosines["MiniLM float32"]),
        ("mpnet cosine (float32)", cosines["mpnet float32"]),
        ("mpnet cosine (bfloat16)", cosines["mpnet bfloat16"]),
        ("word pieces aligned (compare/tokens.py)", aligned),
        ("  the same, pairs' claims' weights", minilm_aligned),
        ("mpnet pieces aligned (768 dims, float32)", mpnet_aligned),
        ("mpnet pieces aligned (64 dims, int8)", mpnet_aligned_64),
        ("mean of mpnet cosine and mpnet aligned", (cosines["mpnet float32"] + mpnet_aligned) / 2),
        ("mean of MiniLM cosine and aligned", (features[:, 0] + aligned) / 2),
        ("mean of mpnet cosine and aligned", (cosines["mpnet float32"] + aligned) / 2),
        ("logistic, 8 signals, MiniLM cosine", fp.logistic(features, truth, folds)),
        ("logistic, 8 signals, mpnet cosine", fp.logistic(with_mpnet, truth, folds)),
        ("logistic, 8 signals + aligned, MiniLM", fp.logistic(np.c_[features, aligned], truth, folds)),
        ("logistic, 8 signals + aligned, mpnet", fp.logistic(np.c_[with_mpnet, aligned], truth, folds)),
    ]
    print(
        f"basil-dev {which} set: {len(events)} events, {len(texts)} claims, {len(found)} cross-article "
        f"claim pairs, {int(truth.sum())} true"
    )
    print(f"  {'precision at recall':<44}" + "  ".join(f"{r:>5}" for r in fp.RECALLS))
    for label, score in rows:
        print(f"  {label:<44}{fp.precision_at(score, truth)}")
    print(
        "  CPU seconds per 1,000 claims (one thread): " + ", ".join(f"{k} {v:.1f}" for k, v in costs.items())
    )


if __name__ == "__main__":
    main()
