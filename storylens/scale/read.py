"""Reading: every input file or Parquet record into a raw document row, or a problem row."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, replace
from pathlib import Path

from storylens.config import Config
from storylens.model import Problem, RawDoc, UnreadableInput
from storylens.scale.frames import rows_frame, top_level

AFTER_FILES = 1 << 40  # the read order of Parquet records: after every input file
RAW_SCHEMA = (
    "kind string, source string, reason string, text string, html string, url string, outlet string, "
    "title string, published string, file string, raw_hash string, line_keys array<string>, "
    "position long, ordinal long"
)


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
                yield rows_frame(
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
            yield rows_frame(rows, RAW_SCHEMA)

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
    from storylens.ingest.manifest import FileMeta, with_metadata

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
    from storylens.clean import line_keys, raw_hash

    keys = sorted(line_keys(raw.text)) if raw.text and raw.outlet else []
    return {"kind": "doc", "reason": None, **asdict(raw), "raw_hash": raw_hash(raw), "line_keys": keys}


def _problem(source: str, reason: str) -> dict:
    columns = [part.strip().split(" ", 1)[0] for part in top_level(RAW_SCHEMA)]
    return {
        **dict.fromkeys(columns),
        "kind": "problem",
        "source": source,
        "reason": reason,
        "position": 0,
        "ordinal": 0,
    }


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
