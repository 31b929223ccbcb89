"""Text reuse as link.reuse finds it, planned as joins: paragraphs bucketed by the same LSH band
keys, the same cap on neighbours, the same alignment, partner counts, direction and shared descent."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict

from storylens.scale.frames import bare_article, rows_frame, text_or_none

PASSAGE_SCHEMA = (
    "array<struct<a_text:string, b_text:string, similarity:double, quotation:boolean, "
    "a_start:int, a_end:int, b_start:int, b_end:int>>"
)
ALIGNED_SCHEMA = (
    "a string, b string, a_published string, b_published string, shared_fraction_a double, "
    "shared_fraction_b double, passages string"
)
DIRECTED_SCHEMA = (
    "a string, b string, copier string, source string, direction_basis string, derivation string, "
    "shared_fraction_a double, shared_fraction_b double, evidence array<string>, passages string, "
    "taken double"
)


def find_reuse(articles):
    """Reuse pairs as link.reuse.find_reuse finds them: (a, b, copier, source, ...) by (a, b)."""
    from pyspark.sql import functions as F

    aligned = align_pairs(articles, candidate_pairs(articles)).persist()
    directed = decide_directions(aligned).persist()
    kept = drop_shared_descent(directed).select(*[c for c in directed.columns if c != "taken"])
    return kept.withColumn("passages", F.from_json("passages", PASSAGE_SCHEMA)).orderBy("a", "b")


def candidate_pairs(articles):
    """(a, b) with a < b: as link.reuse.candidate_pairs, each paragraph paired with the first
    MAX_NEIGHBOURS paragraphs sharing one of its band keys (link.reuse.band_keys)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from storylens.link.reuse import MAX_NEIGHBOURS

    def sign(batches: Iterator) -> Iterator:
        import pandas as pd

        from storylens.link.reuse import band_keys, paragraph_signatures

        for frame in batches:
            found = [
                (f"{aid}#{i}", key)
                for aid, paragraphs in zip(frame["id"], frame["paragraphs"], strict=True)
                for i, signature in enumerate(paragraph_signatures(bare_article(aid, None, paragraphs)))
                for key in band_keys(signature)
            ]
            yield pd.DataFrame(found, columns=["para", "band_key"])

    bands = articles.select("id", "paragraphs").mapInPandas(sign, "para string, band_key string")
    # The first MAX_NEIGHBOURS of a paragraph's neighbours are among the first of each bucket.
    first = Window.partitionBy("band_key").orderBy("para")
    heads = (
        bands.withColumn("_n", F.row_number().over(first))
        .where(F.col("_n") <= MAX_NEIGHBOURS)
        .select("band_key", F.col("para").alias("other"))
    )
    neighbours = bands.join(heads, "band_key").select("para", "other").distinct()
    nearest = Window.partitionBy("para").orderBy("other")
    neighbours = neighbours.withColumn("_n", F.row_number().over(nearest)).where(
        F.col("_n") <= MAX_NEIGHBOURS
    )
    one = F.split("para", "#").getItem(0)
    two = F.split("other", "#").getItem(0)
    return (
        neighbours.select(one.alias("x"), two.alias("y"))
        .where(F.col("x") != F.col("y"))
        .select(F.least("x", "y").alias("a"), F.greatest("x", "y").alias("b"))
        .distinct()
    )


def align_pairs(articles, pairs):
    """Each candidate pair aligned by link.reuse.compare; the pairs sharing more than quotations."""
    from pyspark.sql import functions as F

    side = articles.select("id", "paragraphs", "published")

    def named(end: str):
        return side.select(
            F.col("id").alias(end),
            F.col("paragraphs").alias(f"{end}_paragraphs"),
            F.col("published").alias(f"{end}_published"),
        )

    def align(batches: Iterator) -> Iterator:
        from storylens.link.reuse import Tokens, compare

        for frame in batches:
            rows = []
            for r in frame.to_dict("records"):
                a = bare_article(r["a"], r["a_published"], r["a_paragraphs"])
                b = bare_article(r["b"], r["b_published"], r["b_paragraphs"])
                found = compare(a, b, {a.id: Tokens.of(a), b.id: Tokens.of(b)})
                if found:
                    rows.append(
                        {
                            "a": found.a,
                            "b": found.b,
                            "a_published": text_or_none(r["a_published"]),
                            "b_published": text_or_none(r["b_published"]),
                            "shared_fraction_a": found.shared_fraction_a,
                            "shared_fraction_b": found.shared_fraction_b,
                            "passages": json.dumps([asdict(p) for p in found.passages], ensure_ascii=False),
                        }
                    )
            yield rows_frame(rows, ALIGNED_SCHEMA)

    return pairs.join(named("a"), "a").join(named("b"), "b").mapInPandas(align, ALIGNED_SCHEMA)


def partners(aligned):
    """(id, n): link.reuse.partner_counts over the aligned pairs, counted per partition and summed."""
    from pyspark.sql import functions as F

    def count(batches: Iterator) -> Iterator:
        import pandas as pd

        from storylens.link.reuse import partner_counts

        for frame in batches:
            counted = partner_counts(zip(frame["a"], frame["b"], strict=True))
            yield pd.DataFrame(list(counted.items()), columns=["id", "n"])

    return (
        aligned.select("a", "b")
        .mapInPandas(count, "id string, n long")
        .groupBy("id")
        .agg(F.sum("n").alias("n"))
    )


def decide_directions(aligned):
    """Each aligned pair directed by link.reuse.decide_direction, with the share its copier took."""
    from pyspark.sql import functions as F

    counted = partners(aligned)
    counted = aligned.join(counted.select(F.col("id").alias("a"), F.col("n").alias("a_partners")), "a").join(
        counted.select(F.col("id").alias("b"), F.col("n").alias("b_partners")), "b"
    )

    def direct(batches: Iterator) -> Iterator:
        from storylens.link.reuse import Reuse, decide_direction

        for frame in batches:
            rows = []
            for r in frame.to_dict("records"):
                reuse = Reuse(r["a"], r["b"], [], r["shared_fraction_a"], r["shared_fraction_b"])
                a, b = bare_article(r["a"], r["a_published"]), bare_article(r["b"], r["b_published"])
                decide_direction(reuse, a, b, {a.id: int(r["a_partners"]), b.id: int(r["b_partners"])})
                rows.append({**asdict(reuse), "passages": r["passages"], "taken": reuse.taken})
            yield rows_frame(rows, DIRECTED_SCHEMA)

    return counted.mapInPandas(direct, DIRECTED_SCHEMA)


def drop_shared_descent(directed):
    """The directed pairs that link.reuse.shared_descent keeps. A (copier, source) verdict reads
    the copier's own (copier, source, taken) tuples and its sources' tuples: each copier's
    neighbourhood is gathered into one row and judged there."""
    from pyspark.sql import functions as F

    took = directed.where(F.col("copier").isNotNull()).select("copier", "source", "taken")
    mine = took.withColumn("owner", F.col("copier"))
    theirs = took.join(took.select(F.col("copier").alias("owner"), F.col("source").alias("copier")), "copier")
    tuples = F.collect_list(F.to_json(F.struct("copier", "source", "taken")))
    hoods = mine.unionByName(theirs).groupBy("owner").agg(tuples.alias("took"))

    def judge(batches: Iterator) -> Iterator:
        import pandas as pd

        from storylens.link.reuse import shared_descent

        for frame in batches:
            rows = []
            for owner, found in zip(frame["owner"], frame["took"], strict=True):
                tuples = [json.loads(t) for t in found]
                dropped = shared_descent((t["copier"], t["source"], t["taken"]) for t in tuples)
                rows += [pair for pair in dropped if pair[0] == owner]
            yield pd.DataFrame(rows, columns=["copier", "source"])

    dropped = hoods.mapInPandas(judge, "copier string, source string")
    return directed.join(dropped, ["copier", "source"], "left_anti")
