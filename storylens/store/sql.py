"""What the store's table families share: id checks, LIKE prefixes, timestamps, transactions,
and the row an article list is made of."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime


def is_id(text: str) -> bool:
    """Whether `text` has the form of a storylens id or id prefix (a lookup is never tried for
    anything else: a 50,000-character LIKE pattern is an error in SQLite)."""
    return 0 < len(text) <= 64 and re.fullmatch(r"[A-Za-z0-9_-]+", text) is not None


def prefix_range(text: str) -> tuple[str, str]:
    """(low, high): the strings that start with `text` are those with low <= s < high, a range
    an index answers (LIKE 'text%' is case-insensitive in SQLite, so it scans the table)."""
    return text, text + chr(0x10FFFF)


def blobs_by_key(db: sqlite3.Connection, table: str, column: str, keys) -> dict[str, bytes]:
    """key -> `column` of `table`'s rows (keyed by `key`) for the keys that have one, read 500
    keys a statement (table and column are the store's own names, never a user's)."""
    wanted = list(set(keys))
    found: dict[str, bytes] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(db.execute(f"SELECT key, {column} FROM {table} WHERE key IN ({marks})", chunk))
    return found


def timestamp() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class ArticleRow:
    id: str
    outlet: str | None
    published: str | None
    title: str
    words: int
    source: str


class Transaction:
    """One transaction; inside another one it is part of the outer one (which commits it)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.outer = False

    def __enter__(self) -> None:
        self.outer = not self.db.in_transaction
        if self.outer:
            self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.outer:
            self.db.execute("ROLLBACK" if exc_type else "COMMIT")
