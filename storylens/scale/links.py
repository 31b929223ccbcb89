"""Story links: the pairs of articles that may share a story, and the components they make."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from storylens.scale.frames import broadcast_frequencies, features_from_row

LINK_THRESHOLD = 0.10  # pairs scoring this may share a story; the clusterer decides with THRESHOLD
NEIGHBOURS = 24  # nearest articles by embedding examined per article inside its block
EXACT_BLOCK = 4096  # blocks up to this size find neighbours exactly, larger ones with usearch


def candidate_links(features, shared, undated):
    """Pairs of articles that may share a story: each article's nearest neighbours by
    embedding within its block of time (and every undated article's, across all blocks), and
    the dated articles that name one of each other's rarest specifics within FOLLOW_UP_DAYS (the
    clusterer's own second source of candidates: follow-ups, look-alikes the embedding confuses),
    kept when the clusterer's score clears LINK_THRESHOLD."""
    from pyspark.sql import functions as F

    dated = features.where(F.col("block").isNotNull())
    # A block holds period k and period k+1: every pair at most MAX_GAP_DAYS apart meets in one.
    blocks = dated.withColumn("home", F.lit(True)).unionByName(
        dated.withColumn("block", F.col("block") - 1).withColumn("home", F.lit(False))
    )
    schema = "x string, y string, score double"

    def link(frame):
        import pandas as pd

        records = frame.to_dict("records")
        home = [bool(r["home"]) for r in records]
        guests = [dict(r) for r in undated.value]
        found = block_links(
            [features_from_row(r) for r in records],
            home,
            [features_from_row(r) for r in guests],
            broadcast_frequencies(shared),
        )
        return pd.DataFrame(found, columns=["x", "y", "score"])

    edges = blocks.groupBy("block").applyInPandas(link, schema)
    if undated.value:
        # Undated articles among themselves (their links to dated ones are found in the blocks).
        def link_undated(frame):
            import pandas as pd

            items = [features_from_row(dict(r)) for r in undated.value]
            found = block_links(items, [True] * len(items), [], broadcast_frequencies(shared))
            return pd.DataFrame(found, columns=["x", "y", "score"])

        spark = features.sparkSession
        one = spark.createDataFrame([(0,)], "g int")
        edges = edges.unionByName(one.groupBy("g").applyInPandas(link_undated, schema))
    edges = edges.unionByName(specific_links(dated, shared))
    return edges.select(F.least("x", "y").alias("x"), F.greatest("x", "y").alias("y")).distinct()


def specific_links(dated, shared):
    """(x, y, score) for dated articles within FOLLOW_UP_DAYS of each other that share one of
    their rarest specifics (as the clusterer looks stories up), scoring LINK_THRESHOLD or more."""
    from pyspark.sql import functions as F

    from storylens.link.stories import FOLLOW_UP_DAYS

    def rare_keys(batches: Iterator) -> Iterator:
        import pandas as pd

        from storylens.link.stories import rarest

        frequencies = broadcast_frequencies(shared)
        for frame in batches:
            rows = [
                (r["id"], int(r["day"]), key)
                for r in frame.to_dict("records")
                for key in rarest(frequencies.signature(features_from_row(r)))
            ]
            yield pd.DataFrame(rows, columns=["id", "day", "key"])

    named = dated.mapInPandas(rare_keys, "id string, day int, key long")
    pairs = (
        named.alias("a")
        .join(named.alias("b"), "key")
        .where((F.col("a.id") < F.col("b.id")) & (F.abs(F.col("a.day") - F.col("b.day")) <= FOLLOW_UP_DAYS))
        .select(F.col("a.id").alias("x"), F.col("b.id").alias("y"))
        .distinct()
    )
    columns = [c for c in dated.columns if c not in ("block", "home")]
    both = pairs.join(
        dated.select([F.col(c).alias("x_" + c) for c in columns]), F.col("x") == F.col("x_id")
    ).join(dated.select([F.col(c).alias("y_" + c) for c in columns]), F.col("y") == F.col("y_id"))

    def score(batches: Iterator) -> Iterator:
        import pandas as pd

        from storylens.link.stories import dated_pair_scores

        for frame in batches:
            records = frame.to_dict("records")
            items = [features_from_row({c: r["x_" + c] for c in columns}) for r in records]
            items += [features_from_row({c: r["y_" + c] for c in columns}) for r in records]
            n = len(records)
            found = _links(
                items,
                np.arange(n),
                np.arange(n) + n,
                dated_pair_scores(items, np.arange(n), np.arange(n) + n, broadcast_frequencies(shared))
                if n
                else np.zeros(0),
            )
            yield pd.DataFrame(found, columns=["x", "y", "score"])

    return both.mapInPandas(score, "x string, y string, score double")


def block_links(items: list, home: list[bool], guests: list, frequencies) -> list[tuple[str, str, float]]:
    """Links inside one block: between its articles (not both from the next period, which the
    next block handles) and from each guest (an undated article) to the block's articles."""
    from storylens.link.stories import dated_pair_scores

    if not items:
        return []
    n = len(items)
    vectors = np.stack([f.vector for f in items]).astype(np.float32)
    found = nearest(vectors, vectors, NEIGHBOURS + 1)
    first = np.repeat(np.arange(n), found.shape[1])
    second = found.ravel()
    at_home = np.asarray(home, dtype=bool)
    keep = (second >= 0) & (first != second)
    keep[keep] &= at_home[first[keep]] | at_home[second[keep]]
    pairs = np.unique(np.minimum(first, second)[keep] * n + np.maximum(first, second)[keep])
    first, second = pairs // n, pairs % n
    if all(f.day is not None for f in items):
        scores = dated_pair_scores(items, first, second, frequencies)
    else:
        scores = _both_ways(items, first, second, frequencies)
    links = _links(items, first, second, scores)
    if guests:
        everyone = items + guests
        found = nearest(np.stack([g.vector for g in guests]).astype(np.float32), vectors, NEIGHBOURS)
        first = np.repeat(np.arange(n, n + len(guests)), found.shape[1])
        second = found.ravel()
        first, second = first[second >= 0], second[second >= 0]
        links += _links(everyone, first, second, _both_ways(everyone, first, second, frequencies))
    return links


def _both_ways(features: list, first: np.ndarray, second: np.ndarray, frequencies) -> np.ndarray:
    """The clusterer's pair_scores for each pair, the better of its two directions."""
    from storylens.link.stories import pair_scores

    ordered = list(zip(first.tolist(), second.tolist(), strict=True))
    forward = pair_scores(features, ordered, frequencies)
    backward = pair_scores(features, [(j, i) for i, j in ordered], frequencies)
    return np.maximum(forward, backward)


def _links(features: list, first: np.ndarray, second: np.ndarray, scores: np.ndarray) -> list:
    """(id, id, score) of the pairs scoring LINK_THRESHOLD or more."""
    return [
        (features[i].article_id, features[j].article_id, float(score))
        for i, j, score in zip(first.tolist(), second.tolist(), scores.tolist(), strict=True)
        if score >= LINK_THRESHOLD
    ]


def nearest(queries: np.ndarray, vectors: np.ndarray, k: int) -> np.ndarray:
    """For each query, the indexes of its k most similar vectors (cosine; unit vectors), -1 where
    fewer were found: exactly for small blocks, with a usearch HNSW index for large ones."""
    k = min(k, len(vectors))
    if len(vectors) <= EXACT_BLOCK:
        similarity = queries @ vectors.T
        return np.argsort(-similarity, axis=1, kind="stable")[:, :k].astype(np.int64)
    from usearch.index import Index

    index = Index(ndim=vectors.shape[1], metric="cos", dtype="f16")
    index.add(np.arange(len(vectors)), vectors)
    matches = index.search(queries, k)
    keys = np.asarray(matches.keys, dtype=np.int64).reshape(len(queries), -1)[:, :k]
    counts = np.asarray(matches.counts).reshape(-1, 1)
    return np.where(np.arange(keys.shape[1]) < counts, keys, -1)


def connected_components(vertices, edges):
    """(id, component): each article labelled with the least id of its component, by label
    propagation over the links (as many rounds as the longest shortest path)."""
    from pyspark.sql import functions as F

    both = edges.unionByName(edges.select(F.col("y").alias("x"), F.col("x").alias("y"))).persist()
    labels = vertices.select("id", F.col("id").alias("component")).localCheckpoint()
    while True:
        offered = (
            both.join(labels.select(F.col("id").alias("y"), "component"), "y")
            .groupBy("x")
            .agg(F.min("component").alias("offered"))
        )
        updated = (
            labels.join(offered.withColumnRenamed("x", "id"), "id", "left")
            .select("id", F.least("component", F.coalesce("offered", "component")).alias("component"))
            .localCheckpoint()
        )
        changed = updated.join(labels.withColumnRenamed("component", "before"), "id").where(
            F.col("component") != F.col("before")
        )
        if changed.limit(1).count() == 0:
            both.unpersist()
            return updated
        labels = updated
