"""Opening and migrating the store, and writing articles in batches; the table families' reading and
writing are mixed in from understanding.py, reuse.py, stories.py, claims.py, outlets.py and
lists.py (with sql.py, the only SQL)."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from importlib.resources import files
from pathlib import Path

from storylens.model import Article, Problem, Removed
from storylens.store.claims import ClaimsStore
from storylens.store.entities import EntitiesStore
from storylens.store.lists import ListsStore
from storylens.store.outlets import OutletsStore
from storylens.store.reuse import ReuseStore
from storylens.store.sql import ArticleRow, Transaction, is_id, prefix_range, timestamp
from storylens.store.stories import StoriesStore
from storylens.store.understanding import UnderstandingStore


class StoreError(Exception):
    """The store cannot be opened or used (not a storylens store, or from a newer version)."""


def _schema() -> str:
    return (files("storylens.store") / "schema.sql").read_text()


SCHEMA_VERSION = int(re.search(r"PRAGMA user_version = (\d+);", _schema()).group(1))


def _migrations() -> list[tuple[int, str]]:
    folder = files("storylens.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = re.match(r"(\d{4})_.*\.sql$", entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text()))
    return sorted(found)


def open_store(path: str | Path) -> Store:
    """Open (creating or migrating) the store at `path`. Raises StoreError if it is not one."""
    return Store(Path(path))


class Store(
    UnderstandingStore, EntitiesStore, ReuseStore, StoriesStore, OutletsStore, ClaimsStore, ListsStore
):
    def __init__(self, path: Path):
        self.path = path
        try:
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: not a usable storylens store ({exc})") from exc

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        version = self.version
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store version {version} is newer than this storylens "
                f"({SCHEMA_VERSION}); upgrade storylens"
            )
        if version == 0:
            tables = self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables:
                raise StoreError(f"{self.path}: an SQLite file that is not a storylens store")
            self.db.executescript(f"BEGIN; {_schema()} COMMIT;")
            return
        for number, script in _migrations():  # numbers may skip (another branch's migration)
            if number > version:
                self.db.executescript(f"BEGIN; {script} COMMIT;")

    # -- writing -------------------------------------------------------------------------

    def known_documents(self, raw_hashes: Iterable[str]) -> set[str]:
        """The hashes among `raw_hashes` that were already read into this store."""
        hashes = list(raw_hashes)
        known: set[str] = set()
        for start in range(0, len(hashes), 500):
            chunk = hashes[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT raw_hash FROM documents WHERE raw_hash IN ({marks})", chunk)
            known.update(r[0] for r in rows)
        return known

    def count_outlet_lines(self, counts: dict[tuple[str, str], int], documents: dict[str, int]) -> None:
        """Add to how many documents each outlet has, and how many carry each line."""
        with self._transaction():
            self.db.executemany(
                "INSERT INTO outlets (outlet, documents) VALUES (?, ?) "
                "ON CONFLICT (outlet) DO UPDATE SET documents = documents + excluded.documents",
                list(documents.items()),
            )
            self.db.executemany(
                "INSERT INTO outlet_lines (outlet, line_key, documents) VALUES (?, ?, ?) "
                "ON CONFLICT (outlet, line_key) DO UPDATE SET documents = documents + excluded.documents",
                [(outlet, key, n) for (outlet, key), n in counts.items()],
            )

    def outlet_documents(self, outlet: str) -> int:
        """How many documents of `outlet` count_outlet_lines has counted."""
        row = self.db.execute("SELECT documents FROM outlets WHERE outlet = ?", (outlet,)).fetchone()
        return row[0] if row else 0

    def repeated_lines(self, outlet: str, keys: Iterable[str], min_documents: int) -> set[str]:
        """The keys among `keys` that at least `min_documents` documents of `outlet` carry."""
        wanted = list(set(keys))
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT line_key FROM outlet_lines WHERE outlet = ? AND documents >= ? "
                f"AND line_key IN ({marks})",
                [outlet, min_documents, *chunk],
            )
            found.update(r[0] for r in rows)
        return found

    def write_batch(
        self,
        articles: list[tuple[Article, str]],
        empty_documents: list[tuple[str, str]],
        problems: list[Problem],
        read_files: Iterable[str] = (),
    ) -> tuple[list[Article], int]:
        """Write one batch in one transaction: (article, raw_hash) pairs, documents that held
        no article (raw_hash, source), and problems. Returns (articles added, duplicates)."""
        added: list[Article] = []
        duplicates = 0
        now = timestamp()
        with self._transaction():
            for source in read_files:
                self.db.execute("DELETE FROM errors WHERE source = ?", (source,))
            for article, raw_hash in articles:
                cursor = self.db.execute(
                    "INSERT OR IGNORE INTO articles (id, source, url, outlet, title, published, "
                    "published_evidence, language, dateline, paragraphs, words, ingested_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        article.id,
                        article.source,
                        article.url,
                        article.outlet,
                        article.title,
                        article.published,
                        article.published_evidence,
                        article.language,
                        article.dateline,
                        json.dumps(article.paragraphs, ensure_ascii=False),
                        article.words,
                        now,
                    ),
                )
                if cursor.rowcount:
                    added.append(article)
                    self.db.executemany(
                        "INSERT INTO boilerplate (article_id, position, line, reason) VALUES (?, ?, ?, ?)",
                        [(article.id, i, r.line, r.reason) for i, r in enumerate(article.boilerplate)],
                    )
                else:
                    duplicates += 1
                self.db.execute(
                    "INSERT OR IGNORE INTO article_sources (article_id, source) VALUES (?, ?)",
                    (article.id, article.source),
                )
                self.db.execute(
                    "INSERT OR IGNORE INTO documents (raw_hash, source, article_id, read_at) "
                    "VALUES (?, ?, ?, ?)",
                    (raw_hash, article.source, article.id, now),
                )
            self.db.executemany(
                "INSERT OR IGNORE INTO documents (raw_hash, source, article_id, read_at) "
                "VALUES (?, ?, NULL, ?)",
                [(h, source, now) for h, source in empty_documents],
            )
            self.db.executemany(
                "INSERT INTO errors (source, reason, seen_at) VALUES (?, ?, ?) "
                "ON CONFLICT (source) DO UPDATE SET reason = excluded.reason, seen_at = excluded.seen_at",
                [(p.source, p.reason, now) for p in problems],
            )
        return added, duplicates

    def _transaction(self):
        return Transaction(self.db)

    def transaction(self) -> Transaction:
        """A block whose writes are all kept or, if it is interrupted, none."""
        return Transaction(self.db)

    def link_pending(self) -> bool:
        """Whether articles were analysed since the store was last linked across articles."""
        return self.db.execute("SELECT 1 FROM pipeline_state WHERE key = 'link'").fetchone() is not None

    def linked(self) -> None:
        """Record that linking across articles has finished."""
        self.db.execute("DELETE FROM pipeline_state WHERE key = 'link'")

    # -- reading -------------------------------------------------------------------------

    def article_rows(self) -> list[ArticleRow]:
        rows = self.db.execute(
            "SELECT id, outlet, published, title, words, source FROM articles "
            "ORDER BY published IS NULL, published, outlet, id"
        )
        return [ArticleRow(*row) for row in rows]

    def articles(self) -> Iterator[Article]:
        """Every article with its boilerplate, sorted by id."""
        for (article_id,) in self.db.execute("SELECT id FROM articles ORDER BY id").fetchall():
            yield self.article(article_id)

    def article(self, article_id: str) -> Article | None:
        """One article by id (or by a unique id prefix), or None."""
        if not is_id(article_id):
            return None
        row = self.db.execute(
            "SELECT id, source, outlet, title, published, published_evidence, language, dateline, "
            "paragraphs, url FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            matches = self.db.execute(
                "SELECT id FROM articles WHERE id >= ? AND id < ? LIMIT 2", prefix_range(article_id)
            ).fetchall()
            return self.article(matches[0][0]) if len(matches) == 1 else None
        removed = [
            Removed(line, reason)
            for line, reason in self.db.execute(
                "SELECT line, reason FROM boilerplate WHERE article_id = ? ORDER BY position",
                (row[0],),
            )
        ]
        return Article(
            id=row[0],
            source=row[1],
            outlet=row[2],
            title=row[3],
            published=row[4],
            published_evidence=row[5],
            language=row[6],
            dateline=row[7],
            paragraphs=json.loads(row[8]),
            boilerplate=removed,
            url=row[9],
        )

    def article_urls(self) -> dict[str, str | None]:
        """article id -> its URL (None when it came without one), for every article."""
        return dict(self.db.execute("SELECT id, url FROM articles"))

    def sources(self, article_id: str) -> list[str]:
        rows = self.db.execute(
            "SELECT source FROM article_sources WHERE article_id = ? ORDER BY source", (article_id,)
        )
        return [r[0] for r in rows]

    def errors(self) -> list[Problem]:
        rows = self.db.execute("SELECT source, reason FROM errors ORDER BY source")
        return [Problem(source, reason) for source, reason in rows]

    def count(self, table: str) -> int:
        if table not in {"articles", "documents", "errors", "article_sources", "boilerplate"}:
            raise ValueError(f"unknown table {table!r}")
        return self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
