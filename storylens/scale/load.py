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
    """Write a batch output into a store, as an ingest of the same input would have left it:
    articles, analyses and embeddings, entities, statements, reuse and stories (none computed
    again). Returns how many rows of each table were read."""
    from storylens.compare.claims import VERSION as CLAIMS_VERSION
    from storylens.link.reuse import Passage, Reuse
    from storylens.link.stories import Frequencies, assemble, features_of
    from storylens.pipeline import embedding_text
    from storylens.understand import VERSION as ANALYSIS_VERSION
    from storylens.understand import quote_id
    from storylens.understand.embed import text_key
    from storylens.understand.resolve import Entity

    tables = read_tables(folder)
    articles = {r["id"]: article_of(r) for r in tables["articles"]}
    problems = [Problem(r["source"], r["reason"]) for r in tables["problems"]]
    rows = sorted(tables["articles"], key=lambda r: r["id"])
    for start in range(0, max(len(rows), 1), 500):
        chunk = rows[start : start + 500]
        store.write_batch(
            [(articles[r["id"]], r["raw_hash"]) for r in chunk], [], problems if start == 0 else []
        )
    analyses = sorted(tables["analyses"], key=lambda r: r["article_id"])
    for start in range(0, len(analyses), 500):
        chunk = [r for r in analyses[start : start + 500] if r["article_id"] in articles]
        found = [analysis_from_json(r["article_id"], r["analysis"]) for r in chunk]
        store.write_analyses(
            found, ANALYSIS_VERSION, [[quote_id(a.article_id, q) for q in a.quotes] for a in found]
        )
        claims = {r["article_id"]: json.loads(r["analysis"]).get("claims") for r in chunk}
        store.write_claims(
            {aid: [tuple(row) for row in rows] for aid, rows in claims.items() if rows is not None},
            CLAIMS_VERSION,
        )
        keys = {r["article_id"]: text_key(embedding_text(articles[r["article_id"]])) for r in chunk}
        store.put_embeddings({keys[r["article_id"]]: r["vector"] for r in chunk}, keys)
    store.replace_entities(
        [
            Entity(
                e["id"],
                e["name"],
                e["type"],
                list(e["aliases"]),
                list(e["roles"]),
                list(e["article_ids"]),
                [(m.rsplit("#", 1)[0], int(m.rsplit("#", 1)[1])) for m in e["members"]],
            )
            for e in tables["entities"]
        ]
    )
    store.set_statements({q["id"]: q["statement_id"] for q in tables["quotes"] if q["statement_id"]})
    store.replace_reuse(
        [
            Reuse(
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
            for r in tables["reuse"]
        ]
    )
    features = {f.article_id: f for f in map(features_of, store.story_inputs(sorted(articles))) if f}
    frequencies = Frequencies()
    for f in features.values():
        frequencies.count(f)
    stories = [
        assemble(s["id"], [features[a] for a in s["members"]], list(s["similarity"]), frequencies)
        for s in tables["stories"]
        if all(a in features for a in s["members"])
    ]
    store.clear_stories()
    store.write_stories(stories, {"frequencies": frequencies.to_bytes()})
    store.forget_comparisons()
    return {name: len(rows) for name, rows in tables.items()}
