"""The store's claims: each article's claims as the analysis pass parsed them, kept so that
comparing never parses again (rows of storylens.compare.claims.to_row; mixed into Store)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from storylens.store.sql import blobs_by_key

ClaimRow = tuple[int, int, int, str, int, str]  # position, start, end, text, complete, parse (JSON)


class ClaimsStore:
    """Reading and writing stored claims (mixed into Store, whose transaction() it uses)."""

    db: sqlite3.Connection

    def write_claims(self, claims: dict[str, list[ClaimRow]], version: str) -> None:
        """Replace the stored claims of these articles (article id -> its rows, in order) and
        record that they are of `version` (an article with no claims keeps none, as done)."""
        with self.transaction():
            for article_id, rows in claims.items():
                self.db.execute("DELETE FROM claims WHERE article_id = ?", (article_id,))
                self.db.executemany(
                    "INSERT INTO claims (article_id, position, start, end, text, complete, parse) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(article_id, *row) for row in rows],
                )
                self.db.execute("UPDATE analyses SET claims = ? WHERE article_id = ?", (version, article_id))

    def stored_claims(self, article_ids: Iterable[str], version: str) -> dict[str, list[ClaimRow]]:
        """article id -> its claims' rows in order, for those of the articles whose analysis
        stored claims of `version` (the others are missing from the answer)."""
        found: dict[str, list[ClaimRow]] = {}
        wanted = sorted(set(article_ids))
        for first in range(0, len(wanted), 500):
            chunk = wanted[first : first + 500]
            marks = ",".join("?" * len(chunk))
            for (article_id,) in self.db.execute(
                f"SELECT article_id FROM analyses WHERE article_id IN ({marks}) AND claims = ?",
                [*chunk, version],
            ):
                found[article_id] = []
            for article_id, *row in self.db.execute(
                "SELECT c.article_id, c.position, c.start, c.end, c.text, c.complete, c.parse FROM claims c "
                f"JOIN analyses a ON a.article_id = c.article_id WHERE c.article_id IN ({marks}) "
                "AND a.claims = ? ORDER BY c.article_id, c.position",
                [*chunk, version],
            ):
                found[article_id].append(tuple(row))
        return found

    def mention_offsets(self, article_ids: Iterable[str]) -> dict[str, list[tuple[int, int]]]:
        """article id -> the (start, end) of each of its entity mentions, in order."""
        found: dict[str, list[tuple[int, int]]] = {}
        wanted = sorted(set(article_ids))
        for first in range(0, len(wanted), 500):
            chunk = wanted[first : first + 500]
            marks = ",".join("?" * len(chunk))
            for article_id, start, end in self.db.execute(
                f"SELECT article_id, start, end FROM mentions WHERE article_id IN ({marks}) "
                "ORDER BY article_id, position",
                chunk,
            ):
                found.setdefault(article_id, []).append((start, end))
        return found

    def word_pieces(self, keys: Iterable[str]) -> dict[str, bytes]:
        """Kept word pieces (embed.token_rows) for the keys that have them."""
        return blobs_by_key(self.db, "word_pieces", "pieces", keys)

    def put_word_pieces(self, pieces: dict[str, bytes]) -> None:
        with self.transaction():
            self.db.executemany(
                "INSERT OR IGNORE INTO word_pieces (key, pieces) VALUES (?, ?)", list(pieces.items())
            )
