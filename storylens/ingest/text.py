"""Plain-text files (scraped text, one article per file)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from storylens.ingest.files import decode, read_bytes
from storylens.model import RawDoc


def read_text(path: Path, max_bytes: int) -> Iterator[RawDoc]:
    text = decode(read_bytes(path, max_bytes), str(path))
    yield RawDoc(source=str(path), text=text, file=str(path))
