"""The job: read, clean, analyse and link the inputs; write the Parquet tables."""

from __future__ import annotations

from dataclasses import dataclass

from storylens.config import Config
from storylens.scale.clean import clean_documents, first_of_each
from storylens.scale.read import read_documents
from storylens.scale.reuse import find_reuse
from storylens.scale.stories import cluster_stories
from storylens.scale.understand import analyze, resolve_across


@dataclass
class BatchReport:
    """How many documents a batch read, and how many rows of each table it wrote."""

    documents: int = 0
    articles: int = 0
    duplicates: int = 0
    problems: int = 0
    entities: int = 0
    reuse: int = 0
    stories: int = 0


def batch(
    spark,
    inputs: list[str],
    out: str,
    *,
    manifest: dict | None = None,
    outlet: str | None = None,
    config: Config | None = None,
) -> BatchReport:
    """Read, clean, analyse and link `inputs`; write the Parquet tables under `out`."""
    from pyspark.sql import functions as F

    config = config or Config()
    report = BatchReport()
    raw = read_documents(spark, inputs, manifest=manifest or {}, outlet=outlet, config=config).persist()
    problems = raw.where(F.col("kind") == "problem").select("source", "reason")
    documents = raw.where(F.col("kind") == "doc").dropDuplicates(["raw_hash"])
    report.documents = documents.count()
    cleaned = clean_documents(documents, config).persist()
    problems = problems.unionByName(cleaned.where(F.col("kind") == "problem").select("source", "reason"))
    articles = first_of_each(cleaned.where(F.col("kind") == "article")).persist()
    report.articles = articles.count()
    report.duplicates = cleaned.where(F.col("kind") == "article").count() - report.articles
    analyses = analyze(articles).persist()
    entities, quotes, article_entities = resolve_across(spark, analyses)
    reuse = find_reuse(articles)
    stories = cluster_stories(spark, articles, analyses, article_entities)

    write = lambda frame, name: frame.write.mode("overwrite").parquet(f"{out.rstrip('/')}/{name}")  # noqa: E731
    write(articles.drop("kind", "reason"), "articles")
    write(problems.dropDuplicates(), "problems")
    write(analyses, "analyses")
    write(entities, "entities")
    write(quotes, "quotes")
    write(reuse, "reuse")
    write(stories, "stories")
    written = spark.read.parquet
    report.problems = written(f"{out.rstrip('/')}/problems").count()
    report.entities = written(f"{out.rstrip('/')}/entities").count()
    report.reuse = written(f"{out.rstrip('/')}/reuse").count()
    report.stories = written(f"{out.rstrip('/')}/stories").count()
    for frame in (raw, cleaned, articles, analyses):
        frame.unpersist()
    return report
