"""Reading and writing text reuse: pairs, passages, and which articles were compared (mixed into
Store)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from storylens.model import Reuse
from storylens.store.sql import Transaction


class ReuseStore:
    """Reading and writing text reuse (mixed into Store)."""

    db: sqlite3.Connection

    def replace_reuse(self, found) -> None:
        """Replace every reuse pair with `found`; every article counts as compared."""
        with Transaction(self.db):
            self.db.execute("DELETE FROM reuse_passages")
            self.db.execute("DELETE FROM reuse")
            self._insert_reuse(found)
            self.db.execute("INSERT OR IGNORE INTO reuse_checked (article_id) SELECT id FROM articles")

    def add_reuse(self, found, checked: Iterable[str]) -> None:
        """Add newly found pairs and mark the `checked` articles as compared."""
        with Transaction(self.db):
            self._insert_reuse(found)
            self.db.executemany(
                "INSERT OR IGNORE INTO reuse_checked (article_id) VALUES (?)", [(a,) for a in checked]
            )

    def settle_reuse(self, directed, dropped: Iterable[tuple[str, str]]) -> None:
        """Give pairs written undirected (add_reuse, chunk by chunk) their direction, and remove the
        `dropped` pairs (a, b) with their passages."""
        with Transaction(self.db):
            self.db.executemany(
                "UPDATE reuse SET copier = ?, source = ?, direction_basis = ?, derivation = ?, evidence = ? "
                "WHERE a = ? AND b = ?",
                [
                    (
                        r.copier,
                        r.source,
                        r.direction_basis,
                        r.derivation,
                        json.dumps(r.evidence, ensure_ascii=False),
                    )
                    + (r.a, r.b)
                    for r in directed
                ],
            )
            self.db.executemany("DELETE FROM reuse WHERE a = ? AND b = ?", sorted(dropped))

    def kept_signatures(self, article_ids: list[str], version: int) -> dict[str, bytes]:
        """article id -> its kept paragraph signatures (keep_signatures) of this version."""
        found = {}
        for start in range(0, len(article_ids), 500):
            chunk = article_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                self.db.execute(
                    f"SELECT article_id, signatures FROM reuse_signatures "
                    f"WHERE version = ? AND article_id IN ({marks})",
                    [version, *chunk],
                )
            )
        return found

    def keep_signatures(self, signatures: dict[str, bytes], version: int) -> None:
        with Transaction(self.db):
            self.db.executemany(
                "INSERT INTO reuse_signatures (article_id, version, signatures) VALUES (?, ?, ?) "
                "ON CONFLICT (article_id) DO UPDATE SET version = excluded.version, "
                "signatures = excluded.signatures",
                [(aid, version, blob) for aid, blob in sorted(signatures.items())],
            )

    def unchecked_for_reuse(self) -> list[str]:
        rows = self.db.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM reuse_checked) ORDER BY id"
        )
        return [r[0] for r in rows]

    def checked_between(self, first: str | None, last: str | None) -> list[str]:
        """Compared articles published on days first..last (ISO dates), and the undated ones;
        every compared article when both are None."""
        rows = self.db.execute(
            "SELECT c.article_id FROM reuse_checked c JOIN articles a ON a.id = c.article_id "
            "WHERE (? IS NULL AND ? IS NULL) OR a.published IS NULL "
            "OR substr(a.published, 1, 10) BETWEEN ? AND ? ORDER BY c.article_id",
            (first, last, first, last),
        )
        return [r[0] for r in rows]

    def reuse_pairs(self, article_ids: Iterable[str]):
        """The stored pairs touching these articles, as Reuse records without their passages."""
        wanted = sorted(set(article_ids))
        found = {}
        for start in range(0, len(wanted), 400):
            chunk = wanted[start : start + 400]
            marks = ",".join("?" * len(chunk))
            for a, b, copier, source, basis, derivation, fa, fb in self.db.execute(
                "SELECT a, b, copier, source, direction_basis, derivation, fraction_a, fraction_b "
                f"FROM reuse WHERE a IN ({marks}) OR b IN ({marks})",
                chunk + chunk,
            ):
                found[(a, b)] = Reuse(a, b, [], fa, fb, copier, source, basis, derivation)
        return list(found.values())

    def _insert_reuse(self, found) -> None:
        for r in found:
            self.db.execute("DELETE FROM reuse WHERE a = ? AND b = ?", (r.a, r.b))
            self.db.execute(
                "INSERT INTO reuse (a, b, copier, source, direction_basis, derivation, fraction_a, "
                "fraction_b, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    r.a,
                    r.b,
                    r.copier,
                    r.source,
                    r.direction_basis,
                    r.derivation,
                    r.shared_fraction_a,
                    r.shared_fraction_b,
                    json.dumps(r.evidence, ensure_ascii=False),
                ),
            )
            self.db.executemany(
                "INSERT INTO reuse_passages (a, b, position, a_text, b_text, similarity, quotation) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (r.a, r.b, i, p.a_text, p.b_text, p.similarity, int(p.quotation))
                    for i, p in enumerate(r.passages)
                ],
            )

    def reuse_rows(self, article_id: str | None = None) -> list[dict]:
        """Reuse records as in the export contract, for one article or all, sorted by pair."""
        rows = self.db.execute(
            "SELECT a, b, copier, source, direction_basis, derivation, fraction_a, fraction_b, evidence "
            "FROM reuse WHERE ? IS NULL OR a = ? OR b = ? ORDER BY a, b",
            (article_id, article_id, article_id),
        ).fetchall()
        return self._reuse_records(rows)  # ListsStore's
