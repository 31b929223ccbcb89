"""Bringing the tables of a batch output into a store."""

from __future__ import annotations

import json
from pathlib import Path

from storylens.model import Problem
from storylens.scale.clean import article_of
from storylens.scale.understand import analysis_from_json

TABLES = ("articles", "entities", "quotes", "reuse", "stories", "problems", "analyses")


class MissingTable(Exception):
    """A folder that is not (all of) a `storylens batch` output."""


def read_tables(folder: str | Path) -> dict[str, list[dict]]:
    """Every table of a batch output folder, as lists of rows (pyarrow; no Spark needed)."""
    import pyarrow.parquet as pq

    found = {}
    for name in TABLES:
        path = Path(folder) / name
        if not path.exists():
            raise MissingTable(f"{folder}: no {name!r} table; is this the --out folder of `storylens batch`?")
        found[name] = pq.read_table(path).to_pylist()
    return found


def load(folder: str | Path, store) -> dict[str, int]:
    """Write a batch output into a store through the pipeline (pipeline.load_computed), as an
    ingest of the same input would have left it: articles, analyses and embeddings, entities,
    statements, reuse and stories (none computed again). Returns how many rows of each table
    were read."""
    from storylens.pipeline import load_computed

    tables = read_tables(folder)
    articles = [(article_of(r), r["raw_hash"]) for r in sorted(tables["articles"], key=lambda r: r["id"])]
    analyses = [
        (
            analysis_from_json(r["article_id"], r["analysis"]),
            json.loads(r["analysis"]).get("claims"),
            r["vector"],
        )
        for r in sorted(tables["analyses"], key=lambda r: r["article_id"])
    ]
    linked = (
        [_entity(e) for e in tables["entities"]],
        {q["id"]: q["statement_id"] for q in tables["quotes"] if q["statement_id"]},
        [_reuse(r) for r in tables["reuse"]],
        [(s["id"], list(s["members"]), list(s["similarity"])) for s in tables["stories"]],
    )
    problems = [Problem(r["source"], r["reason"]) for r in tables["problems"]]
    load_computed(store, articles, problems, analyses, linked)
    return {name: len(rows) for name, rows in tables.items()}


def _entity(e: dict):
    from storylens.understand.resolve import Entity

    members = [(m.rsplit("#", 1)[0], int(m.rsplit("#", 1)[1])) for m in e["members"]]
    return Entity(
        e["id"], e["name"], e["type"], list(e["aliases"]), list(e["roles"]), list(e["article_ids"]), members
    )


def _reuse(r: dict):
    from storylens.model import Passage, Reuse

    return Reuse(
        r["a"],
        r["b"],
        [Passage(**p) for p in r["passages"]],
        r["shared_fraction_a"],
        r["shared_fraction_b"],
        r["copier"],
        r["source"],
        r["direction_basis"],
        r["derivation"],
        list(r["evidence"]),
    )
