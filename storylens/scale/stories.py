"""Stories as the local clusterer makes them, planned for a cluster (see storylens.scale)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from storylens.scale.frames import broadcast_frequencies, features_from_row, rows_frame, text_or_none
from storylens.scale.links import candidate_links, connected_components

MAX_UNDATED = 50_000  # undated articles are sent to every block; beyond this, refuse clearly
FEATURE_SCHEMA = (
    "id string, title string, outlet string, published string, day int, not_after int, block int, "
    "vector binary, term_keys array<int>, term_counts array<int>, entities array<string>, "
    "specifics array<string>"
)


STORY_SCHEMA = (
    "id string, title string, article_ids array<string>, members array<string>, "
    "similarity array<double>, first_published string, last_published string"
)


def cluster_stories(spark, articles, analyses, article_entities, stats: dict | None = None):
    """Stories as the local clusterer makes them, for corpora of any size (see the module doc).
    `stats`, when given, receives the number of links and the size of the largest component."""
    from pyspark.sql import functions as F

    features = features_table(articles, analyses, article_entities).persist()
    shared = spark.sparkContext.broadcast(document_frequencies(features).to_bytes())
    undated_rows = features.where(F.col("day").isNull()).limit(MAX_UNDATED + 1).collect()
    if len(undated_rows) > MAX_UNDATED:
        raise ValueError(
            f"more than {MAX_UNDATED:,} undated articles: give them dates, or cluster them locally"
        )
    undated = spark.sparkContext.broadcast([r.asDict() for r in undated_rows])
    edges = candidate_links(features, shared, undated).persist()
    components = connected_components(features.select("id"), edges)
    if stats is not None:
        stats["links"] = edges.count()
        sizes = components.groupBy("component").count()
        stats["largest_component"] = sizes.agg(F.max("count")).first()[0]
        stats["components"] = sizes.count()

    def cluster(batches: Iterator) -> Iterator:
        """The local clusterer over each component; a partition's rows come sorted by component,
        and a component cut by the end of an Arrow batch waits for the rest of it."""
        import pandas as pd

        pending = None
        for frame in batches:
            if pending is not None:
                frame = pd.concat([pending, frame], ignore_index=True)
            last = frame["component"].iloc[-1] if len(frame) else None
            pending = frame[frame["component"] == last]
            yield rows_frame(_component_stories(frame[frame["component"] != last], shared), STORY_SCHEMA)
        if pending is not None and len(pending):
            yield rows_frame(_component_stories(pending, shared), STORY_SCHEMA)

    members = features.join(components, "id").repartition("component").sortWithinPartitions("component", "id")
    return members.mapInPandas(cluster, STORY_SCHEMA).orderBy("id")


def features_table(articles, analyses, article_entities):
    """Each article's link.stories.features_of (those it gives none are left out), as rows, with
    the block of time (period of MAX_GAP_DAYS) it is linked in."""
    from pyspark.sql import functions as F

    inputs = (
        articles.select("id", "title", "outlet", "published", "paragraphs", "boilerplate")
        .join(analyses.select(F.col("article_id").alias("id"), "vector"), "id")
        .join(article_entities.withColumnRenamed("article_id", "id"), "id", "left")
    )

    def featurize(batches: Iterator) -> Iterator:
        from storylens.link.stories import features_of

        for frame in batches:
            found = (features_of(_story_input(r)) for r in frame.to_dict("records"))
            yield rows_frame([_features_record(f) for f in found if f is not None], FEATURE_SCHEMA)

    return inputs.mapInPandas(featurize, FEATURE_SCHEMA)


def _story_input(r: dict) -> dict:
    """A row as store.story_inputs gives it, from a row of the joined tables."""
    return {
        "id": r["id"],
        "title": r["title"] or "",
        "outlet": text_or_none(r["outlet"]),
        "published": text_or_none(r["published"]),
        "paragraphs": list(r["paragraphs"]),
        "vector": r["vector"],
        "entities": list(r["entities"]) if r["entities"] is not None else [],
        "chrome": list(r["boilerplate"]) if r["boilerplate"] is not None else [],
    }


def _features_record(f) -> dict:
    """A row of FEATURE_SCHEMA (read back by frames.features_from_row)."""
    from storylens.link.stories import MAX_GAP_DAYS

    return {
        "id": f.article_id,
        "title": f.title,
        "outlet": f.outlet,
        "published": f.published,
        "day": f.day,
        "not_after": f.not_after,
        "block": None if f.day is None else f.day // MAX_GAP_DAYS,
        "vector": f.vector.astype(np.float16).tobytes(),
        "term_keys": list(f.terms),
        "term_counts": list(f.terms.values()),
        "entities": sorted(f.entities),
        "specifics": sorted(f.specifics),
    }


def _component_stories(frame, shared) -> list[dict]:
    """Story rows from the local online clusterer run over each component of the frame."""
    from storylens.link.stories import Clusterer, in_publication_order

    rows = []
    for _, group in frame.groupby("component", sort=False):
        clusterer = Clusterer(broadcast_frequencies(shared))
        for f in in_publication_order([features_from_row(r) for r in group.to_dict("records")]):
            clusterer.add(f, counted=True)
        rows += [
            {
                "id": s.id,
                "title": s.title,
                "article_ids": s.in_time_order(),
                "members": list(s.article_ids),
                "similarity": [float(x) for x in s.similarity],
                "first_published": s.first_published,
                "last_published": s.last_published,
            }
            for s in clusterer.stories.values()
        ]
    return rows


def document_frequencies(features):
    """The clusterer's Frequencies over every article: each partition counted by
    Frequencies.count, as the local pipeline counts, and the counts added by Frequencies.merge."""

    def count(batches: Iterator) -> Iterator:
        import pandas as pd

        from storylens.link.stories import Frequencies

        frequencies = Frequencies()
        for frame in batches:
            for record in frame.to_dict("records"):
                frequencies.count(features_from_row(record))
        yield pd.DataFrame({"counts": [frequencies.to_bytes()]})

    from storylens.link.stories import Frequencies

    counted = features.mapInPandas(count, "counts binary").rdd
    return counted.treeAggregate(Frequencies(), _add_counts, _merged)


def _add_counts(frequencies, row):
    from storylens.link.stories import Frequencies

    return _merged(frequencies, Frequencies.from_bytes(row["counts"]))


def _merged(one, other):
    one.merge(other)
    return one
