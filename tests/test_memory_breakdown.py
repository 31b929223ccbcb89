"""bench/memory_breakdown.py: what each structure of a streaming process holds, counted once."""

from __future__ import annotations

import numpy as np

from bench.memory_breakdown import breakdown, deep_size


def test_an_array_counts_its_buffer_and_a_view_only_its_header():
    vectors = np.zeros((1000, 384), dtype=np.float16)
    assert deep_size(vectors) >= vectors.nbytes
    assert deep_size(vectors[:10]) < 1000


def test_what_an_earlier_part_holds_is_not_counted_again():
    text = "a paragraph of a fictional article about the Sarn river floods " * 100
    articles = {"a1": [text], "a2": [text]}
    (_, first), (_, second) = breakdown({"articles": articles, "titles by id": {"a1": text}})
    assert first > len(text) > second
