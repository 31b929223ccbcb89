"""Handing freed memory back to the operating system.

glibc's malloc keeps the pages that freed objects leave in its heap for the process to reuse,
and a long-running process (an ingest embedding batch after batch, a clusterer retiring a year of
stories) holds them as resident memory it no longer uses: after embedding 251 texts, 0.22 GiB of
0.88 (bench/RESULTS.md: bench/scale.py). `give_back` asks glibc to return the free ones.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache


@cache
def _trim():
    """glibc's malloc_trim, or None where the C library has none (musl, macOS, Windows)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return getattr(libc, "malloc_trim", None)


def give_back() -> bool:
    """Return the heap's free pages to the system; False where that cannot be done."""
    trim = _trim()
    if trim is None:
        return False
    trim(0)
    return True
