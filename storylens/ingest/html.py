"""HTML pages (one article per file); the body is extracted at cleaning time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from storylens.ingest.files import decode, read_bytes
from storylens.model import RawDoc


def read_html(path: Path, max_bytes: int) -> Iterator[RawDoc]:
    html = decode(read_bytes(path, max_bytes), str(path))
    yield RawDoc(source=str(path), html=html, file=str(path))
