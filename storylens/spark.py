"""Scale-out: the pipeline's stages as one Apache Spark job, for corpora beyond one machine.

    storylens batch --engine spark INPUT... --out DIR [--master URL]

Each per-article step runs the local pipeline's own functions inside mapInPandas (Arrow
batches): reading, cleaning, analysis, embeddings, MinHash signatures, passage alignment. spaCy
and the sentence model are cached at module level, so each Python worker loads them once and
Spark reuses its workers. What crosses articles is planned for a cluster:

- the lines each outlet repeats (site chrome) are counted with a group-by, as the store counts them;
- text reuse: each paragraph's MinHash signature is cut into the bands datasketch's MinHashLSH
  uses; paragraphs sharing a band are candidates (the first MAX_NEIGHBOURS per paragraph, as
  locally); candidate pairs are aligned by link.reuse.compare; direction and shared descent are
  decided with joins;
- stories: dated articles are blocked by period of MAX_GAP_DAYS (each block holds one period and
  the next), each article's nearest neighbours by embedding inside its block are scored as the
  clusterer scores an article against a story (vectorised: link.stories.dated_pair_scores),
  pairs above LINK_THRESHOLD (below the clusterer's own bar) are linked, connected components
  are found by label propagation, and every component is clustered by the local online
  clusterer. That last step is the guard against chaining (a chain of pairwise links never makes
  one story by itself) and the reason both engines agree;
- entity resolution and statement grouping run on the driver over the articles' local entities
  and quotes (the one stage bound by the driver's memory).

DIR receives Parquet tables shaped like the export contract (articles, entities, quotes, reuse,
stories), plus `problems` (what could not be read, and why) and `analyses` (what
`storylens load` needs to rebuild a store without analysing again).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from functools import cache
from pathlib import Path

import numpy as np

from storylens.config import Config
from storylens.model import Article, Problem, RawDoc, Removed, UnreadableInput

TABLES = ("articles", "entities", "quotes", "reuse", "stories", "problems", "analyses")
LINK_THRESHOLD = 0.10  # pairs scoring this may share a story; the clusterer decides with THRESHOLD
NEIGHBOURS = 24  # nearest articles by embedding examined per article inside its block
EXACT_BLOCK = 4096  # blocks up to this size find neighbours exactly, larger ones with usearch
MAX_UNDATED = 50_000  # undated articles are sent to every block; beyond this, refuse clearly
ARROW_BATCH = 128  # articles per Arrow batch through the NLP steps
AFTER_FILES = 1 << 40  # the read order of Parquet records: after every input file

RAW_SCHEMA = (
    "kind string, source string, reason string, text string, html string, url string, outlet string, "
    "title string, published string, file string, raw_hash string, line_keys array<string>, "
    "position long, ordinal long"
)
CLEAN_SCHEMA = (
    "kind string, id string, source string, reason string, url string, outlet string, title string, "
    "published string, published_evidence string, language string, dateline string, "
    "paragraphs array<string>, boilerplate array<string>, boilerplate_reasons array<string>, "
    "raw_hash string, position long, ordinal long"
)
ANALYSIS_SCHEMA = "article_id string, analysis string, vector binary"
FEATURE_SCHEMA = (
    "id string, title string, outlet string, published string, day int, not_after int, block int, "
    "vector binary, term_keys array<int>, term_counts array<int>, entities array<string>, "
    "specifics array<string>"
)
PASSAGE_SCHEMA = (
    "array<struct<a_text:string, b_text:string, similarity:double, quotation:boolean, "
    "a_start:int, a_end:int, b_start:int, b_end:int>>"
)


@dataclass
class BatchReport:
    documents: int = 0
    articles: int = 0
    duplicates: int = 0
    problems: int = 0
    entities: int = 0
    reuse: int = 0
    stories: int = 0


class SparkUnavailable(Exception):
    """pyspark or Java is missing; the message says which and how to get it."""


def session(master: str | None = None, app: str = "storylens"):
    """A Spark session; `master` like local[2] or spark://host:7077 (spark-submit's when None,
    else local[*]). In local mode the driver binds to loopback only."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise SparkUnavailable("pyspark is not installed: pip install 'storylens[spark]'") from exc
    if not java_available():
        raise SparkUnavailable("Spark needs Java 17 or newer (JAVA_HOME or java on the PATH)")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app)
    builder = builder.config("spark.sql.execution.arrow.maxRecordsPerBatch", str(ARROW_BATCH))
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    # Plans over inline tables (entities, quotes) print long; their text only serves the UI.
    builder = builder.config("spark.sql.maxPlanStringLength", "100000")
    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:
        master = "local[*]"  # not under spark-submit, which would have started the JVM and said where
    if master:
        builder = builder.master(master)
    if master and master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # loopback only, before the JVM starts
        builder = builder.config("spark.driver.host", "127.0.0.1").config(
            "spark.driver.bindAddress", "127.0.0.1"
        )
        builder = builder.config("spark.ui.enabled", "false")
        partitions = os.environ.get("STORYLENS_SPARK_PARTITIONS", "8")
        builder = builder.config("spark.sql.shuffle.partitions", partitions)
        # In local mode the driver is the executor: give it room (spark-submit sets its own).
        builder = builder.config("spark.driver.memory", os.environ.get("STORYLENS_SPARK_MEMORY", "4g"))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel(os.environ.get("STORYLENS_SPARK_LOG", "ERROR"))
    return spark


def java_available() -> bool:
    from shutil import which

    home = os.environ.get("JAVA_HOME")
    return bool((home and Path(home, "bin", "java").exists()) or which("java"))


# -- the job -------------------------------------------------------------------------------


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


# -- reading and cleaning ------------------------------------------------------------------


def read_documents(spark, inputs: list[str], *, manifest: dict, outlet: str | None, config: Config):
    """Raw documents (kind 'doc') and per-file or per-record problems (kind 'problem')."""
    files = [i for i in inputs if not _is_parquet(i)]
    tables = [i for i in inputs if _is_parquet(i)]
    frames = []
    if files:
        listed, problems = list_files(spark, files)
        order = {path: n for n, path in enumerate(listed)}
        if problems:
            frames.append(spark.createDataFrame([_problem(s, r) for s, r in problems], RAW_SCHEMA))
        max_bytes = config.max_document_bytes

        def read(batches: Iterator) -> Iterator:
            for frame in batches:
                yield _rows_frame(
                    [
                        row
                        for path, content in zip(frame["path"], frame["content"], strict=True)
                        for row in _read_file(path, content, order, manifest, outlet, max_bytes)
                    ],
                    RAW_SCHEMA,
                )

        if listed:
            binary = (
                spark.read.format("binaryFile")
                .load(listed)
                .select("path", "content")
                .repartition(max(1, min(64, len(listed))))
            )
            frames.append(binary.mapInPandas(read, RAW_SCHEMA))
    for table in tables:
        frames.append(_read_parquet_input(spark, table, outlet, config.max_document_bytes))
    if not frames:
        raise UnreadableInput(", ".join(inputs), "no input given")
    found = frames[0]
    for frame in frames[1:]:
        found = found.unionByName(frame)
    return found


def _read_parquet_input(spark, path: str, outlet: str | None, max_bytes: int):
    from pyspark.sql import functions as F

    frame = spark.read.parquet(_uri(path))
    for column in ("text", "html", "url", "outlet", "title", "published"):
        if column not in frame.columns:
            frame = frame.withColumn(column, F.lit(None).cast("string"))
        else:
            frame = frame.withColumn(column, F.col(column).cast("string"))
    frame = frame.withColumn("_file", F.input_file_name()).select(
        "text", "html", "url", "outlet", "title", "published", "_file"
    )

    def read(batches: Iterator) -> Iterator:
        for chunk in batches:
            rows = []
            for record in chunk.to_dict("records"):
                record = {k: (v if isinstance(v, str) else None) for k, v in record.items()}
                body = (record["text"] or "") + (record["html"] or "")
                where = record["url"] or f"{record['_file']}#{hashlib.sha1(body.encode()).hexdigest()[:12]}"
                if not body.strip():
                    rows.append(_problem(where, "record has neither `text` nor `html`"))
                elif len(body.encode()) > max_bytes:
                    rows.append(_problem(where, f"record is over the {max_bytes:,}-byte limit"))
                else:
                    text = record["text"] if record["text"] and record["text"].strip() else None
                    raw = RawDoc(
                        source=where,
                        text=text,
                        html=None if text else record["html"],
                        url=record["url"],
                        outlet=outlet or record["outlet"],
                        title=record["title"],
                        published=record["published"],
                        file=record["_file"],
                    )
                    # After every file (Parquet rows have no order of their own).
                    rows.append({**_document(raw), "position": AFTER_FILES, "ordinal": 0})
            yield _rows_frame(rows, RAW_SCHEMA)

    return frame.mapInPandas(read, RAW_SCHEMA)


def list_files(spark, inputs: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """The files to read under `inputs` (any Hadoop-compatible URI), in the order the local
    ingest reads them, and the problems found listing them (missing, empty, unknown kind).
    As locally, inside folders only files of a known kind are taken and hidden ones skipped."""
    from storylens.ingest import input_kind

    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    found: list[tuple[tuple[str, ...], str, int]] = []
    problems: list[tuple[str, str]] = []
    for given in inputs:
        root = jvm.org.apache.hadoop.fs.Path(_uri(given))
        fs = root.getFileSystem(conf)
        if not fs.exists(root):
            problems.append((_local(given), "no such file"))
            continue
        if fs.getFileStatus(root).isFile():
            status = fs.getFileStatus(root)
            uri = status.getPath().toString()
            if input_kind(Path(uri.rsplit("/", 1)[-1])) is None:
                problems.append((_local(uri), f"unsupported file type {Path(uri).suffix or '(none)'!r}"))
            else:
                found.append((_parts(uri), uri, status.getLen()))
            continue
        base = fs.getFileStatus(root).getPath().toString().rstrip("/")
        walk = fs.listFiles(root, True)
        while walk.hasNext():
            status = walk.next()
            uri = status.getPath().toString()
            inside = uri[len(base) :].strip("/").split("/")
            if any(part.startswith(".") for part in inside) or input_kind(Path(inside[-1])) is None:
                continue
            found.append((_parts(uri), uri, status.getLen()))
    listed = []
    for _, uri, size in sorted(found):
        if size == 0:
            problems.append((_local(uri), "empty file"))
        else:
            listed.append(uri)
    return listed, problems


def _parts(uri: str) -> tuple[str, ...]:
    return tuple(part for part in uri.split("/") if part)


def _read_file(path: str, content: bytes, order: dict[str, int], manifest: dict, outlet, max_bytes: int):
    """The rows of one input file: its documents, or the problems met reading it."""
    from storylens.ingest import read_path
    from storylens.pipeline import FileMeta, with_metadata

    local = _local(path)
    name = local.rsplit("/", 1)[-1]
    position = order.get(path, order.get(_uri(local), len(order)))
    meta = manifest.get(local, FileMeta())
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / name
        copy.write_bytes(content)
        here = str(copy)
        try:
            for ordinal, item in enumerate(read_path(copy, max_bytes)):
                if isinstance(item, Problem):
                    yield _problem(item.source.replace(here, local), item.reason)
                    continue
                item = replace(item, source=item.source.replace(here, local), file=local)
                yield {
                    **_document(with_metadata(item, meta, outlet)),
                    "position": position,
                    "ordinal": ordinal,
                }
        except UnreadableInput as exc:
            yield _problem(exc.source.replace(here, local), exc.reason)
        except Exception as exc:  # a reader bug or a hostile file must not stop the others
            yield _problem(local, f"unexpected {type(exc).__name__}: {exc}"[:300])


def _document(raw: RawDoc) -> dict:
    from storylens.clean import line_key, raw_hash, split_lines

    keys = sorted({line_key(line) for line in split_lines(raw.text)}) if raw.text and raw.outlet else []
    return {"kind": "doc", "reason": None, **asdict(raw), "raw_hash": raw_hash(raw), "line_keys": keys}


def _problem(source: str, reason: str) -> dict:
    columns = [part.strip().split(" ", 1)[0] for part in _top_level(RAW_SCHEMA)]
    return {
        **dict.fromkeys(columns),
        "kind": "problem",
        "source": source,
        "reason": reason,
        "position": 0,
        "ordinal": 0,
    }


def clean_documents(documents, config: Config):
    """Each document cleaned by the local cleaner, with the lines its outlet repeats (counted
    over the whole input, with the store's rule: config.repeated_line_min_docs documents and
    config.repeated_line_min_share of the outlet's)."""
    from pyspark.sql import functions as F

    plain = documents.where(F.col("outlet").isNotNull() & F.col("text").isNotNull())
    keyed = plain.select("raw_hash", "outlet", F.explode("line_keys").alias("key"))
    per_outlet = plain.groupBy("outlet").agg(F.count("*").alias("n"))
    least = F.greatest(
        F.lit(config.repeated_line_min_docs),
        F.floor(F.col("n") * config.repeated_line_min_share + 0.999),
    )
    repeated_keys = (
        keyed.groupBy("outlet", "key")
        .agg(F.count("*").alias("d"))
        .join(per_outlet, "outlet")
        .where(F.col("d") >= least)
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
                raw = RawDoc(**{k: _text_or_none(record[k]) for k in RawDoc.__dataclass_fields__})
                repeated_lines = record["repeated"]
                result = clean_document(
                    (raw, frozenset(repeated_lines if repeated_lines is not None else ()))
                )
                if isinstance(result, Problem):
                    rows.append({"kind": "problem", "source": result.source, "reason": result.reason})
                else:
                    row = _article_row(replace(result, raw_hash=record["raw_hash"]))
                    rows.append({**row, "position": record["position"], "ordinal": record["ordinal"]})
            yield _rows_frame(rows, CLEAN_SCHEMA)

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
        outlet=_text_or_none(record.get("outlet")),
        title=record.get("title") or "",
        published=_text_or_none(record.get("published")),
        published_evidence=_text_or_none(record.get("published_evidence")),
        language=_text_or_none(record.get("language")),
        dateline=_text_or_none(record.get("dateline")),
        paragraphs=list(record["paragraphs"]),
        boilerplate=[Removed(line, reason) for line, reason in zip(lines, reasons, strict=False)],
        url=_text_or_none(record.get("url")),
        raw_hash=record.get("raw_hash") or "",
    )


# -- understanding -------------------------------------------------------------------------


def analyze(articles):
    """Per article: its analysis (entities, quotes, acronyms; JSON) and its embedding."""

    def run(batches: Iterator) -> Iterator:
        import pandas as pd

        from storylens.pipeline import embedding_text, understand_articles
        from storylens.understand.embed import embed, to_blob

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
    from storylens.understand import Analysis
    from storylens.understand.entities import LocalEntity, Mention
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


def resolve_across(spark, analyses):
    """Entities across articles and statements across quotes, on the driver; returns the
    entities and quotes tables and (article id, resolved entity ids) for story clustering.

    The driver holds only what resolution reads: each local entity's type, names, roles and the
    names of its mentions, the acronym pairs, and each quote's id, speaker and text."""
    from pyspark.sql import functions as F

    from storylens.understand.resolve import resolve
    from storylens.understand.statements import QuoteRef, comparable, group_statements

    local_entities: dict[str, list] = {}
    acronyms: dict[str, list[tuple[str, str]]] = {}
    refs: dict[str, tuple[str, int | None, str, str]] = {}
    for row in analyses.mapInPandas(_resolution_inputs, RESOLUTION_SCHEMA).toLocalIterator():
        aid = row["article_id"]
        local_entities[aid] = [_slim_entity(e) for e in json.loads(row["entities"])]
        acronyms[aid] = [tuple(p) for p in json.loads(row["acronyms"])]
        for qid, speaker_local, kind, text in json.loads(row["quotes"]):
            refs.setdefault(qid, (aid, speaker_local, kind, text))
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
    wanted = comparable(quote_refs)
    vectors = np.zeros((len(quote_refs), 384), dtype=np.float32)
    if wanted:
        vectors[wanted] = embed_on_executors(spark, [quote_refs[i].text for i in wanted])
    statement_of = group_statements(quote_refs, vectors)
    entity_frame = spark.createDataFrame(
        [
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
        ],
        "id string, name string, type string, aliases array<string>, roles array<string>, "
        "article_ids array<string>, members array<string>",
    )
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
        .select(
            "id",
            "article_id",
            "text",
            "direct",
            "speaker_id",
            "speaker_text",
            "speaker_kind",
            "paragraph",
            "start",
            "end",
            "statement_id",
            "form",
            "cue",
            "evidence",
        )
    )
    article_entities = (
        analyses.select("article_id")
        .join(members, "article_id", "left")
        .groupBy("article_id")
        .agg(F.sort_array(F.collect_set("speaker_id")).alias("entities"))
    )
    return entity_frame, quotes, article_entities


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


def _slim_entity(data: list):
    """A LocalEntity with what resolution reads: its mentions carry only their names (one
    shared Mention object per name, so a hundred mentions of one name cost a hundred pointers)."""
    from storylens.understand.entities import LocalEntity, Mention

    index, kind, names, roles, mention_names = data
    shared: dict[str, Mention] = {}
    mentions = [shared.setdefault(n, Mention(0, 0, 0, n, n, kind)) for n in mention_names]
    return LocalEntity(index, kind, names, roles, mentions)


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
        yield _rows_frame(rows, QUOTE_SCHEMA)


def embed_on_executors(spark, texts: list[str]) -> np.ndarray:
    """Sentence embeddings of `texts`, computed by the executors, in order."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)

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


# -- text reuse ----------------------------------------------------------------------------


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
                article = _bare(aid, None, paragraphs)
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
                a = _bare(r["a"], r["a_published"], r["a_paragraphs"])
                b = _bare(r["b"], r["b_published"], r["b_paragraphs"])
                found = compare(a, b, {a.id: Tokens.of(a), b.id: Tokens.of(b)})
                if found:
                    rows.append(
                        {
                            "a": found.a,
                            "b": found.b,
                            "a_published": _text_or_none(r["a_published"]),
                            "b_published": _text_or_none(r["b_published"]),
                            "shared_fraction_a": found.shared_fraction_a,
                            "shared_fraction_b": found.shared_fraction_b,
                            "passages": json.dumps([asdict(p) for p in found.passages], ensure_ascii=False),
                        }
                    )
            yield _rows_frame(rows, aligned_schema)

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
                a, b = _bare(r["a"], r["a_published"]), _bare(r["b"], r["b_published"])
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
            yield _rows_frame(rows, directed_schema)

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


# -- stories -------------------------------------------------------------------------------


def cluster_stories(spark, articles, analyses, article_entities, stats: dict | None = None):
    """Stories as the local clusterer makes them, for corpora of any size (see the module doc).
    `stats`, when given, receives the number of links and the size of the largest component."""
    from pyspark.sql import functions as F

    from storylens.link.stories import MAX_GAP_DAYS

    inputs = (
        articles.select("id", "title", "outlet", "published", "paragraphs", "boilerplate")
        .join(analyses.select(F.col("article_id").alias("id"), "vector"), "id")
        .join(article_entities.withColumnRenamed("article_id", "id"), "id", "left")
    )

    def featurize(batches: Iterator) -> Iterator:
        from storylens.link.stories import features_of

        for frame in batches:
            rows = []
            for r in frame.to_dict("records"):
                f = features_of(
                    {
                        "id": r["id"],
                        "title": r["title"] or "",
                        "outlet": _text_or_none(r["outlet"]),
                        "published": _text_or_none(r["published"]),
                        "paragraphs": list(r["paragraphs"]),
                        "vector": r["vector"],
                        "entities": list(r["entities"]) if r["entities"] is not None else [],
                        "chrome": list(r["boilerplate"]) if r["boilerplate"] is not None else [],
                    }
                )
                if f is None:
                    continue
                rows.append(
                    {
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
                )
            yield _rows_frame(rows, FEATURE_SCHEMA)

    features = inputs.mapInPandas(featurize, FEATURE_SCHEMA).persist()
    frequencies = document_frequencies(features)
    shared = spark.sparkContext.broadcast(frequencies.to_bytes())
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

    story_schema = (
        "id string, title string, article_ids array<string>, members array<string>, "
        "similarity array<double>, first_published string, last_published string"
    )

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
            yield _rows_frame(_component_stories(frame[frame["component"] != last], shared), story_schema)
        if pending is not None and len(pending):
            yield _rows_frame(_component_stories(pending, shared), story_schema)

    members = features.join(components, "id").repartition("component").sortWithinPartitions("component", "id")
    return members.mapInPandas(cluster, story_schema).orderBy("id")


def _component_stories(frame, shared) -> list[dict]:
    """Story rows from the local online clusterer run over each component of the frame."""
    from storylens.link.stories import Clusterer, in_publication_order

    rows = []
    for _, group in frame.groupby("component", sort=False):
        clusterer = Clusterer(_frequencies(shared))
        for f in in_publication_order([_features(r) for r in group.to_dict("records")]):
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
    """The clusterer's Frequencies over every article, summed from per-partition counts."""
    from pyspark.sql import functions as F

    from storylens.link.stories import SPECIFIC_BUCKETS, TERM_BUCKETS, Frequencies, specific_keys

    def count(batches: Iterator) -> Iterator:
        import pandas as pd

        for frame in batches:
            terms: dict[int, int] = {}
            found: dict[int, int] = {}
            for keys, named in zip(frame["term_keys"], frame["specifics"], strict=True):
                for key in set(keys):
                    terms[int(key)] = terms.get(int(key), 0) + 1
                for key in specific_keys(named).tolist():
                    found[key] = found.get(key, 0) + 1
            rows = [("d", -1, len(frame))]
            rows += [("t", k, n) for k, n in terms.items()] + [("s", k, n) for k, n in found.items()]
            yield pd.DataFrame(rows, columns=["kind", "key", "n"])

    counted = (
        features.select("term_keys", "specifics")
        .mapInPandas(count, "kind string, key long, n long")
        .groupBy("kind", "key")
        .agg(F.sum("n").alias("n"))
        .collect()
    )
    frequencies = Frequencies()
    frequencies.terms = np.zeros(TERM_BUCKETS, dtype=np.int32)
    frequencies.specifics = np.zeros(SPECIFIC_BUCKETS, dtype=np.int32)
    for row in counted:
        if row["kind"] == "d":
            frequencies.documents = int(row["n"])
        elif row["kind"] == "t":
            frequencies.terms[row["key"]] = row["n"]
        else:
            frequencies.specifics[row["key"]] = row["n"]
    return frequencies


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
            [_features(r) for r in records], home, [_features(r) for r in guests], _frequencies(shared)
        )
        return pd.DataFrame(found, columns=["x", "y", "score"])

    edges = blocks.groupBy("block").applyInPandas(link, schema)
    if undated.value:
        # Undated articles among themselves (their links to dated ones are found in the blocks).
        def link_undated(frame):
            import pandas as pd

            items = [_features(dict(r)) for r in undated.value]
            found = block_links(items, [True] * len(items), [], _frequencies(shared))
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

        frequencies = _frequencies(shared)
        for frame in batches:
            rows = [
                (r["id"], int(r["day"]), key)
                for r in frame.to_dict("records")
                for key in rarest(frequencies.signature(_features(r)))
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
            items = [_features({c: r["x_" + c] for c in columns}) for r in records]
            items += [_features({c: r["y_" + c] for c in columns}) for r in records]
            n = len(records)
            found = _links(
                items,
                np.arange(n),
                np.arange(n) + n,
                dated_pair_scores(items, np.arange(n), np.arange(n) + n, _frequencies(shared))
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


@cache
def _frequencies_of(blob: bytes):
    from storylens.link.stories import Frequencies

    return Frequencies.from_bytes(blob)


def _frequencies(shared):
    """The broadcast Frequencies, built once per Python worker."""
    return _frequencies_of(shared.value)


def _features(record: dict):
    from storylens.link.stories import Features

    return Features(
        article_id=record["id"],
        title=record["title"] or "",
        outlet=_text_or_none(record["outlet"]),
        published=_text_or_none(record["published"]),
        vector=np.frombuffer(record["vector"], dtype=np.float16).astype(np.float32),
        terms={int(k): int(n) for k, n in zip(record["term_keys"], record["term_counts"], strict=True)},
        entities=frozenset(record["entities"] if record["entities"] is not None else ()),
        not_after=None if _missing(record["not_after"]) else int(record["not_after"]),
        specifics=frozenset(record["specifics"] if record["specifics"] is not None else ()),
    )


# -- helpers -------------------------------------------------------------------------------


def _rows_frame(rows: list[dict], schema: str):
    import pandas as pd

    columns = [part.strip().split(" ", 1)[0] for part in _top_level(schema)]
    return pd.DataFrame([{c: row.get(c) for c in columns} for row in rows], columns=columns)


def _top_level(schema: str) -> list[str]:
    """The fields of a DDL schema string, split at top-level commas."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(schema):
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(schema[start:i])
            start = i + 1
    parts.append(schema[start:])
    return parts


def _bare(article_id: str, published, paragraphs=()) -> Article:
    """An Article with only what reuse reads: its id, date and paragraphs."""
    return Article(article_id, "", None, "", _text_or_none(published), None, None, None, list(paragraphs))


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def _text_or_none(value) -> str | None:
    return value if isinstance(value, str) else None


def _is_parquet(path: str) -> bool:
    return path.rstrip("/").lower().endswith(".parquet")


def _uri(path: str) -> str:
    """A local path as an absolute file: URI; any other URI (hdfs://, s3a://) as given."""
    return path if "://" in path else Path(path).resolve().as_uri()


def _local(path: str) -> str:
    """The local path of a file: URI (or of a plain path); other URIs unchanged."""
    if path.startswith("file:"):
        from urllib.parse import unquote, urlparse

        return unquote(urlparse(path).path)
    return path if "://" in path else str(Path(path).resolve())


# -- bringing the tables into a store --------------------------------------------------------


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
