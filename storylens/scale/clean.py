"""Cleaning: each document by the local cleaner, with the lines its outlet repeats counted over
the whole input; then one row per article (the first read)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from storylens.config import Config
from storylens.model import Article, Problem, RawDoc, Removed
from storylens.scale.frames import rows_frame, text_or_none

CLEAN_SCHEMA = (
    "kind string, id string, source string, reason string, url string, outlet string, title string, "
    "published string, published_evidence string, language string, dateline string, "
    "paragraphs array<string>, boilerplate array<string>, boilerplate_reasons array<string>, "
    "raw_hash string, position long, ordinal long"
)


def clean_documents(documents, config: Config):
    """Each document cleaned by the local cleaner, with the lines its outlet repeats (counted
    over the whole input, over the bar the local pipeline sets: clean.boilerplate.repeat_bar)."""
    from pyspark.sql import functions as F

    plain = documents.where(F.col("outlet").isNotNull() & F.col("text").isNotNull())
    keyed = plain.select("raw_hash", "outlet", F.explode("line_keys").alias("key"))

    def bars(batches: Iterator) -> Iterator:
        import pandas as pd

        from storylens.clean.boilerplate import repeat_bar

        for frame in batches:
            least = [repeat_bar(int(n), config) for n in frame["n"]]
            yield pd.DataFrame({"outlet": frame["outlet"], "least": least})

    per_outlet = plain.groupBy("outlet").agg(F.count("*").alias("n"))
    repeated_keys = (
        keyed.groupBy("outlet", "key")
        .agg(F.count("*").alias("d"))
        .join(per_outlet.mapInPandas(bars, "outlet string, least long"), "outlet")
        .where(F.col("d") >= F.col("least"))
        .select("outlet", "key")
    )
    repeated = (
        keyed.join(repeated_keys, ["outlet", "key"])
        .groupBy("raw_hash")
        .agg(F.collect_list("key").alias("repeated"))
    )
    joined = documents.drop("line_keys").join(repeated, "raw_hash", "left")

    def clean(batches: Iterator) -> Iterator:
        from storylens.pipeline import clean_document

        for frame in batches:
            rows = []
            for record in frame.to_dict("records"):
                raw = RawDoc(**{k: text_or_none(record[k]) for k in RawDoc.__dataclass_fields__})
                repeated_lines = record["repeated"]
                result = clean_document(
                    (raw, frozenset(repeated_lines if repeated_lines is not None else ()))
                )
                if isinstance(result, Problem):
                    rows.append({"kind": "problem", "source": result.source, "reason": result.reason})
                else:
                    row = _article_row(replace(result, raw_hash=record["raw_hash"]))
                    rows.append({**row, "position": record["position"], "ordinal": record["ordinal"]})
            yield rows_frame(rows, CLEAN_SCHEMA)

    return joined.mapInPandas(clean, CLEAN_SCHEMA)


def first_of_each(articles):
    """One row per article id, the first read as the local ingest reads them (the same text read
    from several places is one article); the other places in copy_sources and copy_hashes."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    order = Window.partitionBy("id").orderBy("position", "ordinal", "source")
    ranked = articles.withColumn("_n", F.row_number().over(order))
    copies = (
        ranked.where(F.col("_n") > 1)
        .groupBy("id")
        .agg(F.sort_array(F.collect_list(F.struct("_n", "source", "raw_hash"))).alias("_copies"))
        .select(
            "id",
            F.col("_copies.source").alias("copy_sources"),
            F.col("_copies.raw_hash").alias("copy_hashes"),
        )
    )
    first = ranked.where(F.col("_n") == 1).drop("_n", "position", "ordinal")
    return first.join(copies, "id", "left")


def _article_row(article: Article) -> dict:
    """The export's article record (without its sources: copies are listed apart)."""
    from storylens.export import article_record

    record = article_record(article, [])
    del record["sources"]
    return {**record, "kind": "article", "raw_hash": article.raw_hash}


def article_of(record: dict) -> Article:
    """An Article from a row of the articles table."""
    lines = list(record.get("boilerplate") if record.get("boilerplate") is not None else [])
    reasons = list(record.get("boilerplate_reasons") if record.get("boilerplate_reasons") is not None else [])
    return Article(
        id=record["id"],
        source=record.get("source") or "",
        outlet=text_or_none(record.get("outlet")),
        title=record.get("title") or "",
        published=text_or_none(record.get("published")),
        published_evidence=text_or_none(record.get("published_evidence")),
        language=text_or_none(record.get("language")),
        dateline=text_or_none(record.get("dateline")),
        paragraphs=list(record["paragraphs"]),
        boilerplate=[Removed(line, reason) for line, reason in zip(lines, reasons, strict=False)],
        url=text_or_none(record.get("url")),
        raw_hash=record.get("raw_hash") or "",
    )
