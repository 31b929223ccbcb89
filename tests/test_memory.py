"""Freed memory handed back to the system (storylens/memory.py)."""

import numpy as np
import pytest

from storylens.memory import give_back


def resident_kib() -> int:
    return int(open("/proc/self/status").read().split("VmRSS:")[1].split()[0])


def test_freed_heap_pages_go_back_to_the_system():
    if not give_back():
        pytest.skip("no glibc malloc_trim here")
    before = resident_kib()
    kept, freed = [], []
    for i in range(20000):  # 12 KB arrays come from malloc's heap, not from their own mappings
        (kept if i % 50 == 0 else freed).append(np.ones(12000, dtype=np.uint8))
    grown = resident_kib() - before
    assert grown > 150_000  # about 230 MB were written
    del freed  # the freed arrays lie between kept ones: the heap cannot shrink from its top
    still = resident_kib() - before
    give_back()
    after = resident_kib() - before
    assert still > 0.8 * grown  # freeing alone kept the pages
    assert after < 0.3 * grown  # handing back returned most of them
    assert len(kept) == 400 and all(a[0] == 1 for a in kept)
