"""Drawings the pages show, as data for their templates: the copy graph (SVG) and an article's
text cut into highlighted pieces."""

from __future__ import annotations

import math
from dataclasses import dataclass


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


@dataclass(frozen=True)
class Piece:
    """A run of an article's text and what it is part of."""

    text: str
    source: str | None = None  # the article a reused passage was taken from
    quote: str | None = None  # who is quoted ("" when unknown)
    entity: str | None = None  # the resolved entity named


def highlight(
    paragraphs: list[str],
    passages: list[tuple[str, str]],
    quotes: list[tuple[int, int, str]] = (),
    entities: list[tuple[int, int, str]] = (),
) -> list[list[Piece]]:
    """Each paragraph cut into pieces: reused passages (found by their words; one may run over
    several paragraphs), quotes and entity mentions (by their offsets in the paragraphs joined
    by blank lines) marked; where they overlap a piece carries them all."""
    text = "\n\n".join(paragraphs)
    marks: list[tuple[int, int, str, str]] = []
    for passage, source in passages:
        words = passage.split()
        start = text.find(words[0]) if words else -1
        while start != -1:
            end = _match_end(text, start, words)
            if end:
                marks.append((start, end, "source", source))
                break
            start = text.find(words[0], start + 1)
    marks += [(s, e, "quote", who) for s, e, who in quotes]
    marks += [(s, e, "entity", entity) for s, e, entity in entities]
    result = []
    offset = 0
    for paragraph in paragraphs:
        stop = offset + len(paragraph)
        inside = [
            (max(s, offset), min(e, stop), kind, value)
            for s, e, kind, value in marks
            if s < stop and e > offset
        ]
        cuts = sorted({offset, stop, *(s for s, _, _, _ in inside), *(e for _, e, _, _ in inside)})
        pieces: list[Piece] = []
        for left, right in zip(cuts, cuts[1:], strict=False):
            found = {kind: value for s, e, kind, value in inside if s <= left and right <= e}
            piece = Piece(text[left:right], found.get("source"), found.get("quote"), found.get("entity"))
            if pieces and (pieces[-1].source, pieces[-1].quote, pieces[-1].entity) == (
                piece.source,
                piece.quote,
                piece.entity,
            ):
                pieces[-1] = Piece(pieces[-1].text + piece.text, piece.source, piece.quote, piece.entity)
            else:
                pieces.append(piece)
        result.append(pieces)
        offset = stop + 2
    return result


def _match_end(text: str, start: int, words: list[str]) -> int | None:
    """Where the passage's words, separated by any whitespace, end in `text` from `start`."""
    position = start
    for i, word in enumerate(words):
        if i:
            while position < len(text) and text[position].isspace():
                position += 1
        if not text.startswith(word, position):
            return None
        position += len(word)
    return position
