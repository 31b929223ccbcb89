"""Reading and writing what the outlet pages need: collections of outlets, each story's members
with their outlet and date, and reuse pairs between outlets (mixed into Store; SQL only)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Member:
    """An article of a story, as the outlet figures see it."""

    story_id: str
    article_id: str
    outlet: str | None
    published: str | None
    title: str


@dataclass(frozen=True)
class Taken:
    """One reuse pair with a direction, between the outlets of its two articles."""

    copier: str
    source: str
    copier_outlet: str | None
    source_outlet: str | None
    copier_published: str | None
    share: float  # of the copier's text taken from the source
    passages: int  # passages beyond a shared quotation
    example: str  # the longest such passage, as the copier has it
    basis: str


class OutletsStore:
    """Collections and the figures across outlets (mixed into Store)."""

    db: sqlite3.Connection

    def outlet_counts(self) -> dict[str, int]:
        """Every outlet the articles name, with its number of articles."""
        rows = self.db.execute(
            "SELECT outlet, count(*) FROM articles WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY outlet"
        )
        return dict(rows)

    def replace_collections(self, rows: Iterable[tuple[str, str, str]]) -> None:
        """Replace every collection with these (grouping, outlet, value) rows, in one transaction."""
        from storylens.store.sql import Transaction

        with Transaction(self.db):
            self.db.execute("DELETE FROM collections")
            self.db.executemany(
                "INSERT OR REPLACE INTO collections (grouping, outlet, value) VALUES (?, ?, ?)", list(rows)
            )

    def collections(self) -> dict[str, dict[str, str]]:
        """grouping -> outlet -> its value (the collection it belongs to)."""
        found: dict[str, dict[str, str]] = {}
        for grouping, outlet, value in self.db.execute(
            "SELECT grouping, outlet, value FROM collections ORDER BY grouping, outlet"
        ):
            found.setdefault(grouping, {})[outlet] = value
        return found

    def story_members(self, story_ids: Iterable[str] | None = None) -> list[Member]:
        """Every article that is in a story (or in one of these), with its outlet, date and title,
        by story and time."""
        if story_ids is None:
            rows = self.db.execute(
                "SELECT s.story_id, a.id, a.outlet, a.published, a.title FROM story_articles s "
                "JOIN articles a ON a.id = s.article_id "
                "ORDER BY s.story_id, a.published IS NULL, a.published, a.id"
            )
        else:
            rows = self.db.execute(
                "SELECT s.story_id, a.id, a.outlet, a.published, a.title "
                "FROM json_each(?) w JOIN story_articles s ON s.story_id = w.value "
                "JOIN articles a ON a.id = s.article_id "
                "ORDER BY s.story_id, a.published IS NULL, a.published, a.id",
                (json.dumps(sorted(set(story_ids))),),
            )
        return [Member(*r) for r in rows]

    def directed_reuse(self) -> list[Taken]:
        """Every reuse pair whose direction is known, with both outlets and what was taken (one
        query: the pairs joined to their passages beyond shared quotations)."""
        rows = self.db.execute(
            "SELECT r.copier, r.source, r.direction_basis, r.a, r.fraction_a, r.fraction_b, "
            "c.outlet, c.published, s.outlet, p.a_text, p.b_text FROM reuse r "
            "JOIN articles c ON c.id = r.copier JOIN articles s ON s.id = r.source "
            "LEFT JOIN reuse_passages p ON p.a = r.a AND p.b = r.b AND p.quotation = 0 "
            "WHERE r.copier IS NOT NULL ORDER BY r.a, r.b, p.position"
        )
        pairs: dict[tuple[str, str], tuple[tuple, list[str]]] = {}
        for *pair, a_text, b_text in rows:
            copier, a = pair[0], pair[3]
            entry = pairs.setdefault((copier, pair[1]), (tuple(pair), []))
            if a_text is not None:
                entry[1].append(a_text if copier == a else b_text)
        found = []
        for (copier, source, basis, a, fa, fb, c_outlet, c_published, s_outlet), passages in pairs.values():
            found.append(
                Taken(
                    copier=copier,
                    source=source,
                    copier_outlet=c_outlet,
                    source_outlet=s_outlet,
                    copier_published=c_published,
                    share=fa if copier == a else fb,
                    passages=len(passages),
                    example=max(passages, key=len) if passages else "",
                    basis=basis,
                )
            )
        return found

    def article_days(self, article_ids: Iterable[str] | None = None) -> list[tuple[str, str | None, str]]:
        """(article id, outlet, day) of the dated articles (all, or these)."""
        wanted = None if article_ids is None else json.dumps(sorted(set(article_ids)))
        rows = self.db.execute(
            "SELECT id, outlet, substr(published, 1, 10) FROM articles WHERE published IS NOT NULL "
            "AND (? IS NULL OR id IN (SELECT value FROM json_each(?))) ORDER BY published, id",
            (wanted, wanted),
        )
        return [tuple(r) for r in rows]

    def generation(self) -> int:
        """How many changes the store has seen to what the kept views rest on (articles, stories,
        reuse, collections, comparisons: counted by triggers, whoever writes; entities: counted by
        replace_entities, their only writer)."""
        return self.db.execute("SELECT value FROM generation").fetchone()[0]

    def kept_view(self, name: str) -> dict | None:
        """The view kept under `name` if it was computed at the store's current generation."""
        row = self.db.execute(
            "SELECT body FROM kept_views WHERE name = ? AND generation = (SELECT value FROM generation)",
            (name,),
        ).fetchone()
        return json.loads(row[0]) if row else None

    def kept_current(self, name: str) -> bool:
        """Whether a view is kept under `name` at the store's current generation."""
        return (
            self.db.execute(
                "SELECT 1 FROM kept_views WHERE name = ? AND generation = (SELECT value FROM generation)",
                (name,),
            ).fetchone()
            is not None
        )

    def keep_views(self, generation: int, views: dict[str, dict]) -> bool:
        """Replace every kept view with these, computed at `generation`; kept only if the store
        is still at that generation (a writer that came between makes them stale: not kept)."""
        from storylens.store.sql import Transaction

        with Transaction(self.db):
            if self.generation() != generation:
                return False
            self.db.execute("DELETE FROM kept_views")
            self.db.executemany(
                "INSERT INTO kept_views (name, generation, body) VALUES (?, ?, ?)",
                [(name, generation, json.dumps(body, ensure_ascii=False)) for name, body in views.items()],
            )
        return True

    def stored_comparisons(self) -> dict[str, tuple[str, str, str]]:
        """story id -> (members hash, version, comparison JSON) of every kept comparison."""
        rows = self.db.execute("SELECT story_id, members, version, comparison FROM comparisons")
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def comparison_counts(self) -> dict[str, tuple[str, str, str]]:
        """story id -> (members hash, version, JSON of its `outlet_omits` and `term_counts` alone)
        of every kept comparison: SQLite cuts the two out of each comparison's JSON for about a
        tenth of the CPU that parsing the whole of it in Python costs."""
        rows = self.db.execute(
            """SELECT story_id, members, version,
                      '{"outlet_omits": ' || json_extract(comparison, '$.outlet_omits')
                      || ', "term_counts": ' || json_extract(comparison, '$.term_counts') || '}'
               FROM comparisons"""
        )
        return {r[0]: (r[1], r[2], r[3]) for r in rows}
