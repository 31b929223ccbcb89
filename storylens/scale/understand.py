"""Understanding: each article's analysis and embedding on the executors; entities and
statements resolved across articles on the driver."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict

import numpy as np

from storylens.model import named_only
from storylens.scale.clean import article_of
from storylens.scale.frames import rows_frame
from storylens.understand.embed import DIMENSIONS

ANALYSIS_SCHEMA = "article_id string, analysis string, vector binary"


def analyze(articles):
    """Per article: its analysis (entities, quotes, acronyms; JSON) and its embedding."""

    def run(batches: Iterator) -> Iterator:
        import pandas as pd

        from storylens.pipeline import understand_articles
        from storylens.understand.embed import embed, embedding_text, to_blob

        for frame in batches:
            chunk = [article_of(r) for r in frame.to_dict("records")]
            analyses, claims = understand_articles(chunk)  # one parse, as the local pipeline
            vectors = embed([embedding_text(a) for a in chunk])
            yield pd.DataFrame(
                {
                    "article_id": [a.id for a in chunk],
                    "analysis": [analysis_to_json(a, claims[a.article_id]) for a in analyses],
                    "vector": [to_blob(v) for v in vectors],
                }
            )

    columns = articles.select("id", "source", "outlet", "title", "published", "paragraphs")
    return columns.mapInPandas(run, ANALYSIS_SCHEMA)


def analysis_to_json(analysis, claims: list | None = None) -> str:
    """An understanding.Analysis as JSON (local entities without their mentions, which are
    listed once under `mentions` with the index of their entity), with the rows of its claims."""
    entities = [
        {"index": e.index, "type": e.type, "names": e.names, "roles": e.roles} for e in analysis.entities
    ]
    return json.dumps(
        {
            "mentions": [asdict(m) for m in analysis.mentions],
            "entities": entities,
            "quotes": [asdict(q) for q in analysis.quotes],
            "acronyms": [list(p) for p in analysis.acronyms],
            "claims": [list(row) for row in claims or []],
        },
        ensure_ascii=False,
    )


def analysis_from_json(article_id: str, text: str):
    from storylens.model import LocalEntity, Mention
    from storylens.understand import Analysis
    from storylens.understand.quotes import Quote

    data = json.loads(text)
    mentions = [Mention(**m) for m in data["mentions"]]
    entities = [LocalEntity(e["index"], e["type"], e["names"], e["roles"]) for e in data["entities"]]
    by_index = {e.index: e for e in entities}
    for mention in mentions:
        if mention.local in by_index:
            by_index[mention.local].mentions.append(mention)
    quotes = [Quote(**q) for q in data["quotes"]]
    return Analysis(article_id, mentions, entities, quotes, [tuple(p) for p in data["acronyms"]])


RESOLUTION_SCHEMA = "article_id string, entities string, acronyms string, quotes string"
QUOTE_SCHEMA = (
    "id string, article_id string, text string, direct boolean, speaker_local int, speaker_text string, "
    "speaker_kind string, paragraph int, start int, end int, form string, cue string, evidence string"
)


ENTITY_SCHEMA = (
    "id string, name string, type string, aliases array<string>, roles array<string>, "
    "article_ids array<string>, members array<string>"
)
QUOTE_COLUMNS = (
    "id", "article_id", "text", "direct", "speaker_id", "speaker_text", "speaker_kind", "paragraph",
    "start", "end", "statement_id", "form", "cue", "evidence",
)  # fmt: skip


def resolve_across(spark, analyses):
    """Entities across articles and statements across quotes, on the driver, by the local
    pipeline's rules (understand.resolve.resolve, understand.statements.link_statements); returns
    the entities and quotes tables and (article id, resolved entity ids) for story clustering."""
    from pyspark.sql import functions as F

    from storylens.understand.resolve import resolve
    from storylens.understand.statements import QuoteRef, link_statements

    local_entities, acronyms, refs = _driver_inputs(analyses)
    entities = resolve(local_entities, acronyms)
    del local_entities
    entity_of = {member: e.id for e in entities for member in e.members}
    quote_refs = sorted(
        (
            QuoteRef(qid, aid, entity_of.get((aid, local)), kind, text)
            for qid, (aid, local, kind, text) in refs.items()
        ),
        key=lambda r: r.id,
    )
    del refs
    statement_of = link_statements(quote_refs, lambda texts: embed_on_executors(spark, texts))
    members = spark.createDataFrame(
        [(aid, local, entity_id) for (aid, local), entity_id in entity_of.items()],
        "article_id string, speaker_local int, speaker_id string",
    )
    statements = spark.createDataFrame(list(statement_of.items()), "id string, statement_id string")
    quotes = (
        analyses.mapInPandas(_quote_rows, QUOTE_SCHEMA)
        .dropDuplicates(["id"])
        .join(members, ["article_id", "speaker_local"], "left")
        .join(statements, "id", "left")
        .select(*QUOTE_COLUMNS)
    )
    article_entities = (
        analyses.select("article_id")
        .join(members, "article_id", "left")
        .groupBy("article_id")
        .agg(F.sort_array(F.collect_set("speaker_id")).alias("entities"))
    )
    return _entity_frame(spark, entities), quotes, article_entities


def _driver_inputs(analyses) -> tuple[dict, dict, dict]:
    """What resolution reads, brought to the driver: each local entity's type, names, roles and
    the names of its mentions, the acronym pairs, and each quote's id, speaker and text."""
    local_entities: dict[str, list] = {}
    acronyms: dict[str, list[tuple[str, str]]] = {}
    refs: dict[str, tuple[str, int | None, str, str]] = {}
    for row in analyses.mapInPandas(_resolution_inputs, RESOLUTION_SCHEMA).toLocalIterator():
        aid = row["article_id"]
        local_entities[aid] = [named_only(*e) for e in json.loads(row["entities"])]
        acronyms[aid] = [tuple(p) for p in json.loads(row["acronyms"])]
        for qid, speaker_local, kind, text in json.loads(row["quotes"]):
            refs.setdefault(qid, (aid, speaker_local, kind, text))
    return local_entities, acronyms, refs


def _entity_frame(spark, entities: list):
    """The entities table."""
    rows = [
        {
            "id": e.id,
            "name": e.name,
            "type": e.type,
            "aliases": list(e.aliases),
            "roles": list(e.roles),
            "article_ids": sorted(set(e.article_ids)),
            "members": [f"{aid}#{local}" for aid, local in e.members],
        }
        for e in sorted(entities, key=lambda e: e.id)
    ]
    return spark.createDataFrame(rows, ENTITY_SCHEMA)


def _resolution_inputs(batches: Iterator) -> Iterator:
    """Per analysed article, only what cross-article resolution reads (see resolve_across)."""
    import pandas as pd

    from storylens.understand import quote_id

    for frame in batches:
        rows = []
        for aid, text in zip(frame["article_id"], frame["analysis"], strict=True):
            analysis = analysis_from_json(aid, text)
            rows.append(
                {
                    "article_id": aid,
                    "entities": json.dumps(
                        [
                            [e.index, e.type, e.names, e.roles, [m.name for m in e.mentions]]
                            for e in analysis.entities
                        ],
                        ensure_ascii=False,
                    ),
                    "acronyms": json.dumps([list(p) for p in analysis.acronyms], ensure_ascii=False),
                    "quotes": json.dumps(
                        [
                            [quote_id(aid, q), q.speaker_local, q.speaker_kind, q.text]
                            for q in analysis.quotes
                        ],
                        ensure_ascii=False,
                    ),
                }
            )
        yield pd.DataFrame(rows, columns=["article_id", "entities", "acronyms", "quotes"])


def _quote_rows(batches: Iterator) -> Iterator:
    """Every quote of every analysed article, as a row of the quotes table (without speaker
    and statement ids, joined in afterwards)."""
    from storylens.understand import quote_id

    for frame in batches:
        rows = []
        for aid, text in zip(frame["article_id"], frame["analysis"], strict=True):
            for q in analysis_from_json(aid, text).quotes:
                rows.append(
                    {
                        "id": quote_id(aid, q),
                        "article_id": aid,
                        "text": q.text,
                        "direct": bool(q.direct),
                        "speaker_local": q.speaker_local,
                        "speaker_text": q.speaker_text,
                        "speaker_kind": q.speaker_kind,
                        "paragraph": q.paragraph,
                        "start": q.start,
                        "end": q.end,
                        "form": q.form,
                        "cue": q.cue,
                        "evidence": q.evidence,
                    }
                )
        yield rows_frame(rows, QUOTE_SCHEMA)


def embed_on_executors(spark, texts: list[str]) -> np.ndarray:
    """Sentence embeddings of `texts`, computed by the executors, in order."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)

    def run(batches: Iterator) -> Iterator:
        import pandas as pd

        from storylens.understand.embed import embed, to_blob

        for frame in batches:
            vectors = embed(list(frame["text"]))
            yield pd.DataFrame({"i": frame["i"], "vector": [to_blob(v) for v in vectors]})

    frame = spark.createDataFrame(list(enumerate(texts)), "i long, text string")
    rows = frame.mapInPandas(run, "i long, vector binary").collect()
    from storylens.understand.embed import from_blob

    ordered = sorted(rows, key=lambda r: r["i"])
    return np.stack([from_blob(r["vector"]) for r in ordered])
