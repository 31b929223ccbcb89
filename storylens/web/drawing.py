"""Drawings the pages show, as data for their SVG templates."""

from __future__ import annotations

import math


def on_circle(keys: list, size: float, margin: float) -> dict:
    """Places for the keys, in order, clockwise on a circle from the top, `margin` inside a square
    of `size`: key -> (x, y)."""
    centre, radius = size / 2, size / 2 - margin
    places = {}
    for i, key in enumerate(keys):
        angle = 2 * math.pi * i / max(1, len(keys)) - math.pi / 2
        places[key] = (
            round(centre + radius * math.cos(angle), 1),
            round(centre + radius * math.sin(angle), 1),
        )
    return places


def copy_graph(reuse: list[dict], number: dict[str, int], outlets: dict[str, str], size: int = 360) -> dict:
    """Who copied whom as a drawing: the articles involved on a circle, an arrow from each source
    to its copier, as thick as the share of the copier taken (undirected pairs get no head)."""
    involved = sorted({a for r in reuse for a in (r["a"], r["b"]) if a in number}, key=lambda a: number[a])
    nodes = {
        aid: {"x": x, "y": y, "n": number[aid], "outlet": outlets.get(aid, "")}
        for aid, (x, y) in on_circle(involved, size, margin=60).items()
    }
    edges = []
    for r in reuse:
        if r["a"] not in nodes or r["b"] not in nodes:
            continue
        source, copier = (r["source"], r["copier"]) if r["copier"] else (r["a"], r["b"])
        taken = r["shared_fraction_a"] if copier == r["a"] else r["shared_fraction_b"]
        (x1, y1), (x2, y2) = (
            (nodes[source]["x"], nodes[source]["y"]),
            (nodes[copier]["x"], nodes[copier]["y"]),
        )
        length = math.hypot(x2 - x1, y2 - y1) or 1
        shorten = 22 / length  # stop at the node's circle
        edges.append(
            {
                "x1": round(x1 + (x2 - x1) * shorten, 1),
                "y1": round(y1 + (y2 - y1) * shorten, 1),
                "x2": round(x2 - (x2 - x1) * shorten, 1),
                "y2": round(y2 - (y2 - y1) * shorten, 1),
                "width": round(1 + 6 * taken, 1),
                "directed": bool(r["copier"]),
                "share": round(100 * taken),
                "source": number[source],
                "copier": number[copier],
            }
        )
    return {"size": size, "nodes": list(nodes.values()), "edges": edges}
