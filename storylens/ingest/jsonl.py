"""JSONL dumps: one article per line with `text` or `html`, and optional metadata."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from storylens.ingest.files import is_gzip
from storylens.model import Problem, RawDoc, UnreadableInput

_FIELDS = ("url", "outlet", "title", "published")
_CHUNK = 1 << 20


def read_jsonl(path: Path, max_bytes: int) -> Iterator[RawDoc | Problem]:
    """Yield one RawDoc per good line and one Problem per bad line.

    The size limit applies to each line (one article), not to the dump as a whole, and is
    checked as the line is read: a longer line is skipped without being held in memory.
    Raises UnreadableInput when the file itself cannot be read or holds no article.
    """
    source = str(path)
    opener = gzip.open if is_gzip(path) else open
    found = 0
    try:
        with opener(path, "rb") as stream:
            for number, line, size in _lines(stream, max_bytes):
                where = f"{source}:{number}"
                if line is None:
                    yield Problem(where, f"record of {size:,} bytes is over the {max_bytes:,}-byte limit")
                    continue
                if not line.strip():
                    continue
                item = _parse_line(line, where)
                if isinstance(item, RawDoc):
                    found += 1
                    item = RawDoc(**{**item.__dict__, "file": source})
                yield item
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise UnreadableInput(source, f"truncated or corrupt gzip ({exc})") from exc
    except OSError as exc:
        raise UnreadableInput(source, f"cannot read: {exc}") from exc
    if not found:
        raise UnreadableInput(source, "no article records in JSONL file")


def _lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | None, int]]:
    """(number, line, size) for each line; the line is None when it is over `max_bytes`, and
    then only read through in chunks, never held whole."""
    number = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) <= max_bytes:
            yield number, line, len(line)
            continue
        size = len(line)
        while not line.endswith(b"\n"):
            line = stream.readline(_CHUNK)
            if not line:
                break
            size += len(line)
        yield number, None, size


def _parse_line(line: bytes, where: str) -> RawDoc | Problem:
    try:
        record = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        return Problem(where, "record is not valid UTF-8")
    except json.JSONDecodeError as exc:
        return Problem(where, f"invalid JSON ({exc.msg} at column {exc.colno})")
    except RecursionError:
        return Problem(where, "JSON nested too deeply")
    if not isinstance(record, dict):
        return Problem(where, "record is not a JSON object")
    text, html = record.get("text"), record.get("html")
    if not (isinstance(text, str) and text.strip()) and not (isinstance(html, str) and html.strip()):
        return Problem(where, "record has neither `text` nor `html`")
    meta = {k: str(record[k]) for k in _FIELDS if isinstance(record.get(k), (str, int, float))}
    body = {"text": text} if isinstance(text, str) and text.strip() else {"html": html}
    return RawDoc(source=meta.get("url") or where, **body, **meta)
