"""The outlet pages' charts as geometry for their SVG templates (drawn on the server: no script),
and the CSV of the numbers behind each. Colours are CSS classes (`c0`..`c7`), never inline styles."""

from __future__ import annotations

import csv
import io
import math

from storylens.web.drawing import on_circle

COLOURS = 8


def colour_of(values: list[str]) -> dict[str, str]:
    """value -> its CSS class, in the order given (the last class is reused past COLOURS)."""
    return {v: f"c{min(i, COLOURS - 1)}" for i, v in enumerate(values)}


def stacked_bar(counts: dict[str, int], colours: dict[str, str], width: int = 160) -> list[dict]:
    """A bar split by value: each part's x, width, class, value and count."""
    total = sum(counts.values()) or 1
    parts, x = [], 0.0
    for value, n in counts.items():
        w = width * n / total
        parts.append(
            {"x": round(x, 1), "w": round(w, 1), "cls": colours.get(value, "cn"), "value": value, "n": n}
        )
        x += w
    return parts


def columns(periods: list[str], counts: list[int], width: int = 640, height: int = 160) -> dict:
    """A column chart of counts per period, with the largest count and the first and last periods."""
    top = max(counts, default=0) or 1
    step = width / max(1, len(counts))
    bars = [
        {
            "x": round(i * step, 1),
            "w": round(max(1.0, step - 1), 1),
            "y": round(height - height * n / top, 1),
            "h": round(height * n / top, 1),
            "period": p,
            "n": n,
        }
        for i, (p, n) in enumerate(zip(periods, counts, strict=True))
    ]
    return {"width": width, "height": height, "bars": bars, "top": top, "periods": periods}


def lines(periods: list[str], series: dict[str, list[int]], width: int = 640, height: int = 200) -> dict:
    """One line per series (the first COLOURS, the rest summed as 'other') over the periods."""
    names = list(series)
    shown = {n: series[n] for n in names[: COLOURS - 1]}
    if len(names) > COLOURS - 1:
        shown["other"] = [sum(v) for v in zip(*(series[n] for n in names[COLOURS - 1 :]), strict=True)]
    top = max((max(v, default=0) for v in shown.values()), default=0) or 1
    step = width / max(1, len(periods) - 1)
    drawn = []
    for i, (name, values) in enumerate(shown.items()):
        points = " ".join(
            f"{round(j * step, 1)},{round(height - height * n / top, 1)}" for j, n in enumerate(values)
        )
        drawn.append({"name": name, "cls": f"c{i}", "points": points, "total": sum(values)})
    return {"width": width, "height": height, "top": top, "lines": drawn, "periods": periods}


def network(edges: list[dict], outlets: list[str], size: int = 460) -> dict:
    """Who copies whom between outlets: outlets on a circle, an arrow from each source to its
    copier as thick as the passages taken (relative to the most), the two directions of a pair
    drawn side by side."""
    involved = sorted({o for e in edges for o in (e["source"], e["copier"]) if e["source"] != e["copier"]})
    involved = [o for o in outlets if o in involved] + [o for o in involved if o not in outlets]
    nodes = {o: {"x": x, "y": y, "name": o} for o, (x, y) in on_circle(involved, size, margin=80).items()}
    most = max((e["passages"] for e in edges), default=1) or 1
    drawn = []
    for e in edges:
        if e["source"] == e["copier"] or e["source"] not in nodes or e["copier"] not in nodes:
            continue
        a, b = nodes[e["source"]], nodes[e["copier"]]
        length = math.hypot(b["x"] - a["x"], b["y"] - a["y"]) or 1
        ux, uy = (b["x"] - a["x"]) / length, (b["y"] - a["y"]) / length
        ox, oy = -uy * 4, ux * 4  # the other direction of the pair runs beside this one
        cut = 16
        drawn.append(
            {
                "x1": round(a["x"] + ux * cut + ox, 1),
                "y1": round(a["y"] + uy * cut + oy, 1),
                "x2": round(b["x"] - ux * cut + ox, 1),
                "y2": round(b["y"] - uy * cut + oy, 1),
                "width": round(1 + 7 * e["passages"] / most, 1),
                "source": e["source"],
                "copier": e["copier"],
                "passages": e["passages"],
                "pairs": e["pairs"],
            }
        )
    return {"size": size, "nodes": list(nodes.values()), "edges": drawn}


def z_bars(terms: list[dict], width: int = 300, row: int = 18) -> dict:
    """Horizontal bars of terms' z-scores."""
    top = max((t["z"] for t in terms), default=1) or 1
    bars = [
        {"y": i * row, "w": round(width * t["z"] / top, 1), "term": t["term"], "z": t["z"]}
        for i, t in enumerate(terms)
    ]
    return {"width": width, "height": max(row, row * len(terms)), "bars": bars}


def to_csv(header: list[str], rows: list[list]) -> str:
    """A CSV document; a cell starting with = + - @ is prefixed with ' so no spreadsheet runs it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(c) for c in row])
    return buffer.getvalue()


def _cell(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
