"""The lists the web app and the API show, read a page at a time: each in its order over an index
(schema version 13), its total from a count, its filters in SQL (mixed into Store). A page is
asked for by offset, or by the cursor the previous page gave (`Page.next`): the cursor holds the
last row's sort key, so a deep page is an index seek, not a walk past every row before it."""

from __future__ import annotations

import base64
import binascii
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

ARTICLE_COLUMNS = "id, outlet, published, title, words, source"
STORY_COLUMNS = "s.id, s.title, s.first_published, s.last_published, s.size"
QUOTE_COLUMNS = (
    "id, article_id, text, direct, speaker_id, speaker_text, speaker_kind, statement_id, "
    "paragraph, form, cue, evidence"
)
QUOTE_KEYS = tuple(c.strip() for c in QUOTE_COLUMNS.split(","))
FARTHEST = 1 << 62  # an offset past any table (SQLite's integers end at 2**63)
REUSE_COLUMNS = "a, b, copier, source, direction_basis, derivation, fraction_a, fraction_b, evidence"


@dataclass(frozen=True)
class Part:
    """One part of a list's order: the rows meeting `condition`, sorted by `keys` (the last one
    unique), all ascending or all descending; `nullable` keys may be NULL (first when ascending,
    last when descending, as SQLite sorts them)."""

    condition: str
    keys: tuple[str, ...]
    descending: bool = False
    nullable: frozenset[str] = frozenset()
    counted: str = ""  # the list_counts row that holds its total when nothing narrows it

    def order(self) -> str:
        return "ORDER BY " + ", ".join(f"{k} DESC" if self.descending else k for k in self.keys)

    def after(self, values: list) -> tuple[str, list]:
        """(condition, parameters) for the rows after the one whose keys are `values`: a bound
        on the first key (the index seek) and the exact row-after test."""
        test, params = self._after(0, values)
        first, value = self.keys[0], values[0]
        if value is not None and not (self.descending and first in self.nullable):
            return f"{first} {'<=' if self.descending else '>='} ? AND ({test})", [value, *params]
        return test, params

    def _after(self, i: int, values: list) -> tuple[str, list]:
        key, value = self.keys[i], values[i]
        if value is None:
            beyond, params = ("0", []) if self.descending else (f"{key} IS NOT NULL", [])
        elif self.descending:
            beyond = f"({key} < ? OR {key} IS NULL)" if key in self.nullable else f"{key} < ?"
            params = [value]
        else:
            beyond, params = f"{key} > ?", [value]
        if i + 1 == len(self.keys):
            return beyond, params
        rest, more = self._after(i + 1, values)
        return f"{beyond} OR ({key} IS ? AND ({rest}))", [*params, value, *more]


class Page(NamedTuple):
    """How many rows the list has, this page's rows, and the cursor of the next page (None
    after the last)."""

    total: int
    rows: list
    next: str | None


def cursor_of(part: int, values: list) -> str:
    """The opaque cursor of the row with these keys in this part of its list."""
    return base64.urlsafe_b64encode(json.dumps([part, values]).encode()).decode().rstrip("=")


def read_cursor(cursor: str) -> tuple[int, list]:
    """(part, keys) of a cursor; ValueError for one this code did not make."""
    try:
        part, values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError, binascii.Error) as exc:
        raise ValueError(f"not a cursor: {cursor[:40]!r}") from exc
    if not isinstance(part, int) or not isinstance(values, list) or not all(map(_a_key, values)):
        raise ValueError(f"not a cursor: {cursor[:40]!r}")
    return part, values


def _a_key(value) -> bool:
    """Whether a cursor's value can be a sort key SQLite compares (text, a number or NULL)."""
    number = isinstance(value, int | float) and abs(value) < FARTHEST
    return value is None or isinstance(value, str) or number


# Articles in the order every list shows them: dated ones by date, then the undated; each part
# read over the index articles_listed (published, outlet, id).
ARTICLE_ORDER = (
    Part(
        "published IS NOT NULL", ("published", "outlet", "id"), False, frozenset({"outlet"}), "articles dated"
    ),
    Part("published IS NULL", ("outlet", "id"), False, frozenset({"outlet"}), "articles undated"),
)
# Stories newest first, the undated before them (as the stories page has always listed them),
# over the index stories_listed (first_published, id).
STORY_ORDER = (
    Part("s.first_published IS NULL", ("s.id",), descending=True, counted="stories undated"),
    Part("s.first_published IS NOT NULL", ("s.first_published", "s.id"), True, counted="stories dated"),
)
# The same order for one outlet's stories, over the index story_outlets_listed (outlet,
# first_published, story_id) of the table the store keeps (version 15).
OUTLET_STORIES = "story_outlets o JOIN stories s ON s.id = o.story_id"
OUTLET_STORY_ORDER = (
    Part("o.first_published IS NULL", ("o.story_id",), descending=True),
    Part("o.first_published IS NOT NULL", ("o.first_published", "o.story_id"), descending=True),
)
ENTITY_ORDER = (Part("1", ("id",), counted="entities"),)
QUOTE_ORDER = (Part("1", ("id",), counted="quotes"),)
BY_PAIR = (Part("1", ("a", "b"), counted="reuse"),)


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
        if self.outlet:  # the list is read from OUTLET_STORIES (story_page)
            where.append("o.outlet = ?")
            params.append(self.outlet)
        if self.entity:
            where.append(
                "s.id IN (SELECT m.story_id FROM local_entities l "
                "JOIN story_articles m ON m.article_id = l.article_id WHERE l.entity_id = ?)"
            )
            params.append(self.entity)
        # Undated stories count as from '' and until '9999'; written so that the index
        # stories_listed (first_published, id, last_published) answers them: whether an undated
        # story is in is decided here, not in SQL (with it in an OR, SQLite plans a bound
        # parameter's range as a scan: 22 ms for 0.1 at 100,000 articles).
        if self.since:
            where.append("s.last_published >= ?")
            params.append(self.since)
        if self.until:
            undated = " OR s.first_published IS NULL" if "9999" <= self.until + "~" else ""
            where.append(f"(s.first_published <= ?{undated})")
            params.append(self.until + "~")
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
        self,
        table: str,
        columns: str,
        parts: tuple[Part, ...],
        where: list[str],
        params: list,
        offset: int,
        limit: int,
        cursor: str = "",
        counted_in: str = "",
        keyed: str = "",
    ) -> Page:
        """The rows offset..offset+limit of the list made of `parts` one after the other (each
        read over its index), or the `limit` rows after `cursor`; with their count and the next
        page's cursor. Each part's total is its kept count when nothing narrows it, else counted
        in `counted_in` (`table` unless said). With `keyed` (a row's unique key), the page's keys
        are chosen first over an index and only its rows read (a filter may pass many rows).
        Raises ValueError for a cursor this code did not make."""
        start, keys = read_cursor(cursor) if cursor else (0, [])
        if not 0 <= start < len(parts) or (cursor and len(keys) != len(parts[start].keys)):
            raise ValueError(f"not a cursor of this list: {cursor[:40]!r}")
        total, rows, offset = 0, [], 0 if cursor else min(offset, FARTHEST)
        for i, part in enumerate(parts):
            clause = " AND ".join([part.condition, *where])
            count = self._count(counted_in or table, clause, params, part.counted if not where else "")
            total += count
            if i < start or len(rows) > limit or offset >= count:
                offset = max(0, offset - count)
                continue
            if cursor and i == start:
                seek, sought = part.after(keys)
            elif offset:  # the page starts after the row before it, found over the part's keys alone
                seek, sought = part.after(self._keys_at(table, clause, params, part, offset - 1))
                offset = 0
            else:
                seek, sought = "1", []
            chosen = f"FROM {table} WHERE {clause} AND ({seek}) {part.order()} LIMIT ?"
            if keyed:
                chosen = f"FROM {table} WHERE {keyed} IN (SELECT {keyed} {chosen}) {part.order()}"
            found = self.db.execute(
                f"SELECT {columns}, {', '.join(part.keys)} {chosen}",
                [*params, *sought, limit + 1 - len(rows)],
            ).fetchall()
            rows += [(i, row) for row in found]
        following = None
        if len(rows) > limit:
            i, row = rows[limit - 1]
            following = cursor_of(i, list(row[-len(parts[i].keys) :]))
        return Page(total, [row[: -len(parts[i].keys)] for i, row in rows[:limit]], following)

    def _keys_at(self, table: str, clause: str, params: list, part: Part, offset: int) -> list:
        """The sort keys of the row at `offset` in the part: the walk past the rows before it
        reads their keys alone, over an index that holds them (for quotes, quotes_listed,
        version 16: the table's own rows carry their text), not every column of every row."""
        return list(
            self.db.execute(
                f"SELECT {', '.join(part.keys)} FROM {table} WHERE {clause} {part.order()} LIMIT 1 OFFSET ?",
                [*params, offset],
            ).fetchone()
        )

    def _count(self, table: str, clause: str, params: list, kept: str) -> int:
        """The rows of `table` meeting `clause`: read from list_counts when `kept` names its row."""
        if kept:
            return self.db.execute("SELECT value FROM list_counts WHERE name = ?", (kept,)).fetchone()[0]
        return self.db.execute(f"SELECT count(*) FROM {table} WHERE {clause}", params).fetchone()[0]

    # -- articles ----------------------------------------------------------------------------

    def article_page(self, offset: int, limit: int, cursor: str = "") -> Page:
        """ArticleRows offset..offset+limit (or after `cursor`) in article_rows() order."""
        from storylens.store.sql import ArticleRow

        page = self._page("articles", ARTICLE_COLUMNS, ARTICLE_ORDER, [], [], offset, limit, cursor)
        return page._replace(rows=[ArticleRow(*r) for r in page.rows])

    def article_titles(self, article_ids: Iterable[str]) -> dict[str, str]:
        """article id -> title, for the ids that are stored."""
        wanted = json.dumps(sorted(set(article_ids)))
        return dict(
            self.db.execute(
                "SELECT id, title FROM articles WHERE id IN (SELECT value FROM json_each(?))", (wanted,)
            )
        )

    # -- stories -----------------------------------------------------------------------------

    def story_page(self, only: StoryFilter, offset: int, limit: int, cursor: str = "") -> Page:
        """The stories passing the filter offset..offset+limit (or after `cursor`), newest
        first, each as story_rows() gives it."""
        where, params = only.sql()
        if only.outlet:  # one outlet's stories, over its index; counted there alone if nothing else narrows
            alone = "story_outlets o" if where == ["o.outlet = ?"] else ""
            parts, table = OUTLET_STORY_ORDER, OUTLET_STORIES
            page = self._page(table, STORY_COLUMNS, parts, where, params, offset, limit, cursor, alone)
        else:
            parts = STORY_ORDER  # a story's keys over stories_keyed (version 16), not its row
            page = self._page(
                "stories s", STORY_COLUMNS, parts, where, params, offset, limit, cursor, keyed="s.id"
            )
        return page._replace(rows=self._with_members(page.rows))

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

    def entity_page(self, offset: int, limit: int, kind: str = "", cursor: str = "") -> Page:
        """Entities offset..offset+limit (or after `cursor`) by id, as entity_rows() gives them."""
        where, params = (["type = ?"], [kind]) if kind else ([], [])
        page = self._page("entities", "id", ENTITY_ORDER, where, params, offset, limit, cursor)
        return page._replace(rows=self._entities([r[0] for r in page.rows]))

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
        self, offset: int, limit: int, speaker_id: str = "", article_id: str = "", cursor: str = ""
    ) -> Page:
        """The quotes matching, offset..offset+limit (or after `cursor`) by id, as quote_rows()
        gives them."""
        where, params = [], []
        for column, value in (("speaker_id", speaker_id), ("article_id", article_id)):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        page = self._page("quotes", QUOTE_COLUMNS, QUOTE_ORDER, where, params, offset, limit, cursor)
        return page._replace(rows=[_quote(r) for r in page.rows])

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

    def statement_page(self, offset: int, limit: int, cursor: str = "") -> Page:
        """The quotes of the statements offset..offset+limit (or after `cursor`) by id."""
        total = self.db.execute("SELECT value FROM list_counts WHERE name = 'statements'").fetchone()[0]
        after = read_cursor(cursor)[1] if cursor else [""]
        if len(after) != 1:
            raise ValueError(f"not a cursor of this list: {cursor[:40]!r}")
        ids = [
            r[0]
            for r in self.db.execute(
                "SELECT DISTINCT statement_id FROM quotes WHERE statement_id > ? "
                "ORDER BY statement_id LIMIT ? OFFSET ?",
                (after[0], limit + 1, 0 if cursor else min(offset, FARTHEST)),
            )
        ]
        following = cursor_of(0, [ids[limit - 1]]) if len(ids) > limit else None
        return Page(total, self.quotes_where("statement_id", ids[:limit]), following)

    # -- reuse -------------------------------------------------------------------------------

    def reuse_page(self, offset: int, limit: int, cursor: str = "") -> Page:
        """Pairs offset..offset+limit (or after `cursor`) by (a, b), as reuse_rows() gives them."""
        page = self._page("reuse", REUSE_COLUMNS, BY_PAIR, [], [], offset, limit, cursor)
        return page._replace(rows=self._reuse_records(page.rows))

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
