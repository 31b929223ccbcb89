"""Paths, limits and thresholds: one dataclass, overridable from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _default_db() -> Path:
    return Path(os.environ.get("STORYLENS_DB", "storylens.db"))


def _from_environment(name: str, default: int):
    """A default read from the environment when a Config is made (never at import)."""
    return lambda: int(os.environ.get(name, default))


@dataclass(frozen=True)
class Config:
    db: Path = field(default_factory=_default_db)
    # One document (a file, a JSONL line, a WARC record) larger than this is refused.
    max_document_bytes: int = field(
        default_factory=_from_environment("STORYLENS_MAX_DOCUMENT_BYTES", 20 * 1024 * 1024)
    )
    batch_size: int = field(default_factory=_from_environment("STORYLENS_BATCH_SIZE", 200))
    # A line seen in this many documents of one outlet is a candidate for site chrome.
    repeated_line_min_docs: int = 3
    # ... and on at least this share of its pages (a background paragraph recurs in a few
    # articles of one story; chrome is on most pages).
    repeated_line_min_share: float = 0.3
    # Probability above which the line classifier calls a line boilerplate.
    boilerplate_threshold: float = 0.5
