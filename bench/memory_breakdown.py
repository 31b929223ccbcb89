"""Where a streaming process's memory goes: the deep size of each structure it holds, counted the
way Python and numpy account for it (bench/scale.py --breakdown prints it at its last size).

    from memory_breakdown import deep_size, breakdown
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

import numpy as np


def deep_size(root: object, seen: set[int] | None = None) -> int:
    """Bytes held by `root` and everything it refers to (numpy arrays by their buffers; a view
    counts only its header; an object already in `seen` counts nothing)."""
    seen = set() if seen is None else seen
    total, stack = 0, [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen or obj is None or isinstance(obj, type):
            continue
        seen.add(id(obj))
        if isinstance(obj, np.ndarray):
            total += sys.getsizeof(obj)  # includes the buffer when the array owns it
            continue
        # usearch reports its reserved arenas (16 MiB for an index of 400 vectors that hold about
        # 1.1 KB each resident): an upper bound, not what is resident.
        if hasattr(obj, "memory_usage") and type(obj).__module__.startswith("usearch"):
            total += int(obj.memory_usage)
            continue
        total += sys.getsizeof(obj)
        stack.extend(children(obj))
    return total


def children(obj: object) -> Iterable[object]:
    if isinstance(obj, (str, bytes, int, float, bool, complex)):
        return ()
    if isinstance(obj, dict):
        return [*obj.keys(), *obj.values()]
    if isinstance(obj, (list, tuple, set, frozenset)) or type(obj).__name__ == "deque":
        return list(obj)
    found = []
    if hasattr(obj, "__dict__"):
        found.append(vars(obj))
    for cls in type(obj).__mro__:
        for slot in getattr(cls, "__slots__", ()):
            if hasattr(obj, slot):
                found.append(getattr(obj, slot))
    return found


def breakdown(parts: dict[str, object]) -> list[tuple[str, int]]:
    """(name, bytes) for each part, in order; what an earlier part holds is not counted again."""
    seen: set[int] = set()
    return [(name, deep_size(part, seen)) for name, part in parts.items()]
