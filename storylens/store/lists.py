"""The lists the web app and the API show, read a page at a time: each in its order over an index
(schema version 13), its total from a count, its filters in SQL (mixed into Store)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

ARTICLE_COLUMNS = "id, outlet, published, title, words, source"
STORY_COLUMNS = "s.id, s.title, s.first_published, s.last_published, s.size"
QUOTE_COLUMNS = (
    "id, article_id, text, direct, speaker_id, speaker_text, speaker_kind, statement_id, "
    "paragraph, form, cue, evidence"
)
QUOTE_KEYS = tuple(c.strip() for c in QUOTE_COLUMNS.split(","))
FARTHEST = 1 << 62  # an offset past any table (SQLite's integers end at 2**63)
REUSE_COLUMNS = "a, b, copier, source, direction_basis, derivation, fraction_a, fraction_b, evidence"

# Articles in the order every list shows them: dated ones by date, then the undated; each part
# read over the index articles_listed (published, outlet, id).
ARTICLE_ORDER = (
    ("published IS NOT NULL", "ORDER BY published, outlet, id"),
    ("published IS NULL", "ORDER BY outlet, id"),
)
# Stories newest first, the undated before them (as the stories page has always listed them),
# over the index stories_listed (first_published, id).
STORY_ORDER = (
    ("s.first_published IS NULL", "ORDER BY s.id DESC"),
    ("s.first_published IS NOT NULL", "ORDER BY s.first_published DESC, s.id DESC"),
)


@dataclass(frozen=True)
class StoryFilter:
    """What the stories page and /api/v1/stories narrow the list by (empty: no narrowing)."""

    found: list[str] | None = None  # article ids a text search found
    outlet: str = ""
    entity: str = ""
    since: str = ""  # ISO day: stories whose last article is on or after it
    until: str = ""  # ISO day: stories whose first article is on or before it
    only: list[str] | None = None  # story ids (a grouping's blindspots)

    def sql(self) -> tuple[list[str], list]:
        """(conditions on `stories s`, their parameters)."""
        where: list[str] = []
        params: list = []
        if self.found is not None:
            where.append(
                "s.id IN (SELECT story_id FROM story_articles "
                "WHERE article_id IN (SELECT value FROM json_each(?)))"
            )
            params.append(json.dumps(self.found))
        if self.outlet:
            where.append(
                "s.id IN (SELECT m.story_id FROM articles a JOIN story_articles m ON m.article_id = a.id "
                "WHERE a.outlet = ?)"
            )
            params.append(self.outlet)
        if self.entity:
            where.append(
                "s.id IN (SELECT m.story_id FROM local_entities l "
                "JOIN story_articles m ON m.article_id = l.article_id WHERE l.entity_id = ?)"
            )
            params.append(self.entity)
        # Undated stories count as from '' and until '9999'; written so that the index
        # stories_listed (first_published, id, last_published) answers them.
        if self.since:
            where.append("s.last_published >= ?")
            params.append(self.since)
        if self.until:
            where.append("(s.first_published <= ? OR (s.first_published IS NULL AND '9999' <= ?))")
            params += [self.until + "~", self.until + "~"]
        if self.only is not None:
            where.append("s.id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(sorted(self.only)))
        return where, params


def entity_record(row: tuple) -> dict:
    """An entity as entity_rows() gives it, from (id, name, type, aliases JSON, roles JSON, its
    article ids joined by commas)."""
    return {
        "id": row[0],
        "name": row[1],
        "type": row[2],
        "aliases": json.loads(row[3]),
        "roles": json.loads(row[4]),
        "article_ids": sorted(row[5].split(",")) if row[5] else [],
    }


def story_record(row: tuple, members: list[tuple[str, str | None]]) -> dict:
    """A story as story_rows() gives it, from its row (id, title, first, last, size) and its
    members (article id, outlet) in time order."""
    sid, title, first, last, size = row
    return {
        "id": sid,
        "title": title,
        "article_ids": [aid for aid, _ in members],
        "first_published": first,
        "last_published": last,
        "outlets": sorted({outlet for _, outlet in members if outlet}),
        "size": size,
    }


def reuse_record(row: tuple, passages: list[tuple]) -> dict:
    """A reuse pair as in the export contract, from its row and its passages' rows."""
    a, b, copier, source, basis, derivation, fa, fb, evidence = row
    return {
        "copier": copier,
        "source": source,
        "a": a,
        "b": b,
        "direction_basis": basis,
        "shared_fraction_a": fa,
        "shared_fraction_b": fb,
        "passages": [
            {"a_text": at, "b_text": bt, "similarity": sim, "quotation": bool(q)}
            for at, bt, sim, q in passages
        ],
        "derivation": derivation,
        "direction_evidence": json.loads(evidence),
    }


class ListsStore:
    """Pages of articles, stories, entities, quotes, statements and reuse (mixed into Store)."""

    db: sqlite3.Connection

    def _page(
        self, table: str, columns: str, parts, where: list[str], params: list, offset: int, limit: int
    ) -> tuple[int, list[tuple]]:
        """(how many rows match, the rows offset..offset+limit), the list being the `parts`
        (condition, order) one after the other, each read over its index."""
        total, rows, offset = 0, [], min(offset, FARTHEST)
        for condition, order in parts:
            clause = " AND ".join([condition, *where])
            count = self.db.execute(f"SELECT count(*) FROM {table} WHERE {clause}", params).fetchone()[0]
            if len(rows) < limit and offset < count:
                rows += self.db.execute(
                    f"SELECT {columns} FROM {table} WHERE {clause} {order} LIMIT ? OFFSET ?",
                    [*params, limit - len(rows), offset],
                ).fetchall()
            offset = max(0, offset - count)
            total += count
        return total, rows

    # -- articles ----------------------------------------------------------------------------

    def article_page(self, offset: int, limit: int) -> tuple[int, list]:
        """(article count, ArticleRows offset..offset+limit) in article_rows() order."""
        from storylens.store.sql import ArticleRow

        total, rows = self._page("articles", ARTICLE_COLUMNS, ARTICLE_ORDER, [], [], offset, limit)
        return total, [ArticleRow(*r) for r in rows]

    def article_titles(self, article_ids: Iterable[str]) -> dict[str, str]:
        """article id -> title, for the ids that are stored."""
        wanted = json.dumps(sorted(set(article_ids)))
        return dict(
            self.db.execute(
                "SELECT id, title FROM articles WHERE id IN (SELECT value FROM json_each(?))", (wanted,)
            )
        )

    # -- stories -----------------------------------------------------------------------------

    def story_page(self, only: StoryFilter, offset: int, limit: int) -> tuple[int, list[dict]]:
        """(how many stories pass the filter, those offset..offset+limit, newest first), each as
        story_rows() gives it."""
        where, params = only.sql()
        total, rows = self._page("stories s", STORY_COLUMNS, STORY_ORDER, where, params, offset, limit)
        return total, self._with_members(rows)

    def story_row(self, story_id: str) -> dict | None:
        """The story with exactly this id, as story_rows() gives it, or None."""
        rows = self.db.execute(f"SELECT {STORY_COLUMNS} FROM stories s WHERE s.id = ?", (story_id,))
        found = self._with_members(rows.fetchall())
        return found[0] if found else None

    def stories_naming(self, entity_id: str) -> list[dict]:
        """The stories with an article that names the entity, oldest first, as story_rows() gives them."""
        rows = self.db.execute(
            f"SELECT {STORY_COLUMNS} FROM stories s WHERE s.id IN (SELECT m.story_id FROM local_entities l "
            "JOIN story_articles m ON m.article_id = l.article_id WHERE l.entity_id = ?) "
            "ORDER BY s.first_published IS NULL, s.first_published, s.id",
            (entity_id,),
        )
        return self._with_members(rows.fetchall())

    def _with_members(self, rows: list[tuple]) -> list[dict]:
        """Story rows (id, title, first, last, size) with their article ids in time order and outlets."""
        members: dict[str, list[tuple[str, str | None]]] = {}
        wanted = json.dumps([r[0] for r in rows])
        for sid, aid, outlet in self.db.execute(
            "SELECT m.story_id, a.id, a.outlet FROM story_articles m JOIN articles a ON a.id = m.article_id "
            "WHERE m.story_id IN (SELECT value FROM json_each(?)) "
            "ORDER BY m.story_id, a.published IS NULL, a.published, m.position",
            (wanted,),
        ):
            members.setdefault(sid, []).append((aid, outlet))
        return [story_record(row, members.get(row[0], [])) for row in rows]

    def story_outlets(self) -> list[str]:
        """The outlets of the articles in stories, sorted."""
        rows = self.db.execute(
            "SELECT DISTINCT a.outlet FROM story_articles m JOIN articles a ON a.id = m.article_id "
            "WHERE a.outlet IS NOT NULL ORDER BY a.outlet"
        )
        return [r[0] for r in rows]

    def most_story_outlets(self) -> int:
        """The most outlets any one story has (0 without stories)."""
        row = self.db.execute(
            "SELECT max(n) FROM (SELECT count(DISTINCT a.outlet) AS n FROM story_articles m "
            "JOIN articles a ON a.id = m.article_id GROUP BY m.story_id)"
        ).fetchone()
        return row[0] or 0

    # -- entities, quotes, statements ---------------------------------------------------------

    def entity_page(self, offset: int, limit: int, kind: str = "") -> tuple[int, list[dict]]:
        """(entity count, entities offset..offset+limit by id) as entity_rows() gives them."""
        where, params = (["type = ?"], [kind]) if kind else ([], [])
        total, rows = self._page("entities", "id", (("1", "ORDER BY id"),), where, params, offset, limit)
        return total, self._entities([r[0] for r in rows])

    def entity_row(self, entity_id: str) -> dict | None:
        """One entity as entity_rows() gives it, or None."""
        found = self._entities([entity_id])
        return found[0] if found else None

    def _entities(self, ids: list[str]) -> list[dict]:
        wanted = json.dumps(ids)
        found = self.db.execute(
            "SELECT e.id, e.name, e.type, e.aliases, e.roles, group_concat(DISTINCT l.article_id) "
            "FROM entities e LEFT JOIN local_entities l ON l.entity_id = e.id "
            "WHERE e.id IN (SELECT value FROM json_each(?)) GROUP BY e.id ORDER BY e.id",
            (wanted,),
        )
        return [entity_record(r) for r in found]

    def quote_page(
        self, offset: int, limit: int, speaker_id: str = "", article_id: str = ""
    ) -> tuple[int, list[dict]]:
        """(how many quotes match, those offset..offset+limit by id) as quote_rows() gives them."""
        where, params = [], []
        for column, value in (("speaker_id", speaker_id), ("article_id", article_id)):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        total, rows = self._page(
            "quotes", QUOTE_COLUMNS, (("1", "ORDER BY id"),), where, params, offset, limit
        )
        return total, [_quote(r) for r in rows]

    def quotes_where(self, column: str, values: Iterable[str]) -> list[dict]:
        """The quotes whose `column` (article_id, speaker_id or statement_id) is one of
        `values`, by id, as quote_rows() gives them."""
        if column not in {"article_id", "speaker_id", "statement_id"}:
            raise ValueError(f"unknown column {column!r}")
        rows = self.db.execute(
            f"SELECT {QUOTE_COLUMNS} FROM quotes "
            f"WHERE {column} IN (SELECT value FROM json_each(?)) ORDER BY id",
            (json.dumps(sorted(set(values))),),
        )
        return [_quote(r) for r in rows]

    def statement_page(self, offset: int, limit: int) -> tuple[int, list[dict]]:
        """(how many statements there are, the quotes of statements offset..offset+limit by id)."""
        total = self.db.execute(
            "SELECT count(*) FROM (SELECT DISTINCT statement_id FROM quotes WHERE statement_id IS NOT NULL)"
        ).fetchone()[0]
        ids = self.db.execute(
            "SELECT DISTINCT statement_id FROM quotes WHERE statement_id IS NOT NULL "
            "ORDER BY statement_id LIMIT ? OFFSET ?",
            (limit, min(offset, FARTHEST)),
        )
        return total, self.quotes_where("statement_id", [r[0] for r in ids])

    # -- reuse -------------------------------------------------------------------------------

    def reuse_page(self, offset: int, limit: int) -> tuple[int, list[dict]]:
        """(pair count, pairs offset..offset+limit by (a, b)) as reuse_rows() gives them."""
        total, rows = self._page("reuse", REUSE_COLUMNS, (("1", "ORDER BY a, b"),), [], [], offset, limit)
        return total, self._reuse_records(rows)

    def reuse_touching(self, article_id: str) -> list[dict]:
        """The pairs of one article, by (a, b), as reuse_rows(article_id) gives them."""
        rows = self.db.execute(
            f"SELECT {REUSE_COLUMNS} FROM reuse WHERE a = ?1 UNION SELECT {REUSE_COLUMNS} FROM reuse "
            "WHERE b = ?1 ORDER BY 1, 2",
            (article_id,),
        )
        return self._reuse_records(rows.fetchall())

    def reuse_among(self, article_ids: Iterable[str]) -> list[dict]:
        """The pairs both of whose articles are among `article_ids`, by (a, b)."""
        wanted = json.dumps(sorted(set(article_ids)))
        rows = self.db.execute(
            f"SELECT {REUSE_COLUMNS} FROM reuse WHERE a IN (SELECT value FROM json_each(?1)) "
            "AND b IN (SELECT value FROM json_each(?1)) ORDER BY a, b",
            (wanted,),
        )
        return self._reuse_records(rows.fetchall())

    def _reuse_records(self, rows: list[tuple]) -> list[dict]:
        return [
            reuse_record(
                row,
                self.db.execute(
                    "SELECT a_text, b_text, similarity, quotation FROM reuse_passages "
                    "WHERE a = ? AND b = ? ORDER BY position",
                    (row[0], row[1]),
                ).fetchall(),
            )
            for row in rows
        ]


def _quote(row: tuple) -> dict:
    return dict(zip(QUOTE_KEYS, row, strict=True)) | {"direct": bool(row[3])}
