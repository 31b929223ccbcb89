"""Text reuse as link.reuse finds it, planned as joins."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from functools import cache

from storylens.scale.frames import bare_article, rows_frame, text_or_none

PASSAGE_SCHEMA = (
    "array<struct<a_text:string, b_text:string, similarity:double, quotation:boolean, "
    "a_start:int, a_end:int, b_start:int, b_end:int>>"
)


def find_reuse(articles):
    """Reuse pairs as link.reuse.find_reuse finds them, planned as joins."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from storylens.link.reuse import MAX_NEIGHBOURS

    def sign(batches: Iterator) -> Iterator:
        import pandas as pd

        from storylens.link.reuse import paragraph_signatures

        bands, rows = _bands()
        for frame in batches:
            found = []
            for aid, paragraphs in zip(frame["id"], frame["paragraphs"], strict=True):
                article = bare_article(aid, None, paragraphs)
                for i, signature in enumerate(paragraph_signatures(article)):
                    values = signature.hashvalues
                    for band in range(bands):
                        key = f"{band}:{values[band * rows : (band + 1) * rows].tobytes().hex()}"
                        found.append((f"{aid}#{i}", key))
            yield pd.DataFrame(found, columns=["para", "band_key"])

    bands = articles.select("id", "paragraphs").mapInPandas(sign, "para string, band_key string")
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
    pairs = (
        neighbours.select(one.alias("x"), two.alias("y"))
        .where(F.col("x") != F.col("y"))
        .select(F.least("x", "y").alias("a"), F.greatest("x", "y").alias("b"))
        .distinct()
    )
    side = articles.select("id", "paragraphs", "published")
    joined = pairs.join(
        side.select(
            F.col("id").alias("a"),
            F.col("paragraphs").alias("a_paragraphs"),
            F.col("published").alias("a_published"),
        ),
        "a",
    ).join(
        side.select(
            F.col("id").alias("b"),
            F.col("paragraphs").alias("b_paragraphs"),
            F.col("published").alias("b_published"),
        ),
        "b",
    )
    aligned_schema = (
        "a string, b string, a_published string, b_published string, shared_fraction_a double, "
        "shared_fraction_b double, passages string"
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
            yield rows_frame(rows, aligned_schema)

    aligned = joined.mapInPandas(align, aligned_schema).persist()
    partners = (
        aligned.select(F.col("a").alias("id"))
        .unionAll(aligned.select(F.col("b").alias("id")))
        .groupBy("id")
        .agg(F.count("*").alias("n"))
    )
    counted = aligned.join(partners.select(F.col("id").alias("a"), F.col("n").alias("a_partners")), "a").join(
        partners.select(F.col("id").alias("b"), F.col("n").alias("b_partners")), "b"
    )
    directed_schema = (
        "a string, b string, copier string, source string, direction_basis string, derivation string, "
        "shared_fraction_a double, shared_fraction_b double, evidence array<string>, passages string"
    )

    def direct(batches: Iterator) -> Iterator:
        from storylens.link.reuse import Reuse, decide_direction

        for frame in batches:
            rows = []
            for r in frame.to_dict("records"):
                reuse = Reuse(r["a"], r["b"], [], r["shared_fraction_a"], r["shared_fraction_b"])
                a, b = bare_article(r["a"], r["a_published"]), bare_article(r["b"], r["b_published"])
                decide_direction(reuse, a, b, {a.id: int(r["a_partners"]), b.id: int(r["b_partners"])})
                rows.append(
                    {
                        "a": reuse.a,
                        "b": reuse.b,
                        "copier": reuse.copier,
                        "source": reuse.source,
                        "direction_basis": reuse.direction_basis,
                        "derivation": reuse.derivation,
                        "shared_fraction_a": reuse.shared_fraction_a,
                        "shared_fraction_b": reuse.shared_fraction_b,
                        "evidence": list(reuse.evidence),
                        "passages": r["passages"],
                    }
                )
            yield rows_frame(rows, directed_schema)

    directed = counted.mapInPandas(direct, directed_schema).persist()
    # Shared descent (link.reuse.drop_shared_descent): two copies of one source do not copy each
    # other when the copier took at least as much from a third article that the source took from too.
    share = F.when(F.col("copier") == F.col("a"), F.col("shared_fraction_a")).otherwise(
        F.col("shared_fraction_b")
    )
    took = directed.where(F.col("copier").isNotNull()).select("copier", "source", share.alias("share"))
    mine = took.select(
        F.col("copier").alias("c"), F.col("source").alias("common"), F.col("share").alias("mine")
    )
    theirs = took.select(F.col("copier").alias("s"), F.col("source").alias("common"))
    here = directed.where(F.col("copier").isNotNull()).select(
        "a", "b", "copier", "source", share.alias("here")
    )
    dropped = (
        here.join(mine, (F.col("c") == F.col("copier")) & (F.col("common") != F.col("source")))
        .where(F.col("mine") >= F.col("here"))
        .join(theirs, (F.col("s") == F.col("source")) & (theirs["common"] == mine["common"]))
        .select("a", "b")
        .distinct()
    )
    kept = directed.join(dropped, ["a", "b"], "left_anti")
    return kept.withColumn("passages", F.from_json("passages", PASSAGE_SCHEMA)).orderBy("a", "b")


@cache
def _bands() -> tuple[int, int]:
    """The (bands, rows per band) datasketch's MinHashLSH picks for the reuse threshold."""
    from datasketch import MinHashLSH

    from storylens.link.reuse import LSH_THRESHOLD, NUM_PERM

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    return lsh.b, lsh.r
