"""Opening, migrating, reading and writing the store (with claims.py and outlets.py, the only SQL)."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import numpy as np

from storylens.model import Article, Problem, Removed
from storylens.store.claims import ClaimsStore
from storylens.store.lists import ListsStore, story_record
from storylens.store.outlets import OutletsStore


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


def is_id(text: str) -> bool:
    """Whether `text` has the form of a storylens id or id prefix (a lookup is never tried for
    anything else: a 50,000-character LIKE pattern is an error in SQLite)."""
    return 0 < len(text) <= 64 and re.fullmatch(r"[A-Za-z0-9_-]+", text) is not None


def _like_prefix(text: str) -> str:
    """A LIKE pattern (with ESCAPE '\\') matching strings that start with `text`."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class ArticleRow:
    id: str
    outlet: str | None
    published: str | None
    title: str
    words: int
    source: str


class UnderstandingStore:
    """Reading and writing what the understanding stage finds (mixed into Store)."""

    db: sqlite3.Connection

    def articles_to_analyze(self, version: str, everything: bool = False) -> list[str]:
        """Ids of articles never analysed, or analysed by another version (all with `everything`)."""
        if everything:
            rows = self.db.execute("SELECT id FROM articles ORDER BY id")
        else:
            rows = self.db.execute(
                "SELECT a.id FROM articles a LEFT JOIN analyses n ON n.article_id = a.id "
                "WHERE n.version IS NULL OR n.version != ? ORDER BY a.id",
                (version,),
            )
        return [r[0] for r in rows]

    def write_analyses(self, analyses, version: str, quote_ids: list[list[str]]) -> None:
        """Replace the analyses of these articles (one transaction)."""
        now = _now()
        with _Transaction(self.db):
            for analysis, ids in zip(analyses, quote_ids, strict=True):
                aid = analysis.article_id
                for table in ("mentions", "local_entities", "quotes", "acronym_pairs", "claims"):
                    self.db.execute(f"DELETE FROM {table} WHERE article_id = ?", (aid,))
                self.db.executemany(
                    "INSERT INTO mentions (article_id, position, paragraph, start, end, text, name, type, "
                    "role, local) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (aid, i, m.paragraph, m.start, m.end, m.text, m.name, m.type, m.role, m.local)
                        for i, m in enumerate(analysis.mentions)
                    ],
                )
                self.db.executemany(
                    "INSERT INTO local_entities (article_id, local, type, names, roles) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [
                        (
                            aid,
                            e.index,
                            e.type,
                            json.dumps(e.names, ensure_ascii=False),
                            json.dumps(e.roles, ensure_ascii=False),
                        )
                        for e in analysis.entities
                    ],
                )
                self.db.executemany(
                    "INSERT OR IGNORE INTO quotes (id, article_id, paragraph, start, end, text, direct, "
                    "speaker_text, speaker_kind, speaker_local, form, cue, evidence) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            qid,
                            aid,
                            q.paragraph,
                            q.start,
                            q.end,
                            q.text,
                            int(q.direct),
                            q.speaker_text,
                            q.speaker_kind,
                            q.speaker_local,
                            q.form,
                            q.cue,
                            q.evidence,
                        )
                        for qid, q in zip(ids, analysis.quotes, strict=True)
                    ],
                )
                self.db.executemany(
                    "INSERT OR IGNORE INTO acronym_pairs (article_id, long, short) VALUES (?, ?, ?)",
                    [(aid, long, short) for long, short in analysis.acronyms],
                )
                self.db.execute(
                    "INSERT INTO analyses (article_id, version, analysed_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (article_id) DO UPDATE SET version = excluded.version, "
                    "analysed_at = excluded.analysed_at, claims = NULL",
                    (aid, version, now),
                )
            # Linking across articles is due until link_pending() is cleared by linked().
            self.db.execute("INSERT OR REPLACE INTO pipeline_state (key, value) VALUES ('link', ?)", (now,))

    def local_entities(self):
        """article id -> its LocalEntity list (with mentions), for cross-article resolution."""
        from storylens.understand.entities import LocalEntity, Mention

        found: dict[str, dict[int, LocalEntity]] = {}
        for aid, local, kind, names, roles in self.db.execute(
            "SELECT article_id, local, type, names, roles FROM local_entities ORDER BY article_id, local"
        ):
            found.setdefault(aid, {})[local] = LocalEntity(local, kind, json.loads(names), json.loads(roles))
        for row in self.db.execute(
            "SELECT article_id, paragraph, start, end, text, name, type, role, local FROM mentions "
            "ORDER BY article_id, position"
        ):
            entity = found.get(row[0], {}).get(row[8])
            if entity is not None:
                entity.mentions.append(Mention(*row[1:]))
        return {aid: list(by_local.values()) for aid, by_local in found.items()}

    def acronym_pairs(self) -> dict[str, list[tuple[str, str]]]:
        pairs: dict[str, list[tuple[str, str]]] = {}
        for aid, long, short in self.db.execute("SELECT article_id, long, short FROM acronym_pairs"):
            pairs.setdefault(aid, []).append((long, short))
        return pairs

    def replace_entities(self, entities) -> None:
        """Store the resolved entities and link local entities and quote speakers to them."""
        with _Transaction(self.db):
            self.db.execute("DELETE FROM entities")
            self.db.executemany(
                "INSERT INTO entities (id, name, type, aliases, roles) VALUES (?, ?, ?, ?, ?)",
                [
                    (
                        e.id,
                        e.name,
                        e.type,
                        json.dumps(e.aliases, ensure_ascii=False),
                        json.dumps(e.roles, ensure_ascii=False),
                    )
                    for e in entities
                ],
            )
            self.db.execute("UPDATE local_entities SET entity_id = NULL")
            self.db.executemany(
                "UPDATE local_entities SET entity_id = ? WHERE article_id = ? AND local = ?",
                [(e.id, aid, local) for e in entities for aid, local in e.members],
            )
            self.db.execute(
                "UPDATE quotes SET speaker_id = (SELECT entity_id FROM local_entities l "
                "WHERE l.article_id = quotes.article_id AND l.local = quotes.speaker_local)"
            )

    def quote_refs(self):
        from storylens.understand.statements import QuoteRef

        rows = self.db.execute(
            "SELECT id, article_id, speaker_id, speaker_kind, text FROM quotes ORDER BY id"
        )
        return [QuoteRef(*row) for row in rows]

    def set_statements(self, statement_of: dict[str, str]) -> None:
        with _Transaction(self.db):
            self.db.executemany(
                "UPDATE quotes SET statement_id = ? WHERE id = ?", [(s, q) for q, s in statement_of.items()]
            )

    def embeddings(self, keys: Iterable[str]) -> dict[str, bytes]:
        """Stored vectors (float16 bytes) for the keys that have one."""
        wanted = list(set(keys))
        found: dict[str, bytes] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(self.db.execute(f"SELECT key, vector FROM embeddings WHERE key IN ({marks})", chunk))
        return found

    def put_embeddings(self, vectors: dict[str, bytes], article_keys: dict[str, str] | None = None) -> None:
        with _Transaction(self.db):
            self.db.executemany(
                "INSERT OR IGNORE INTO embeddings (key, vector) VALUES (?, ?)", list(vectors.items())
            )
            self.db.executemany(
                "INSERT INTO article_embeddings (article_id, key) VALUES (?, ?) "
                "ON CONFLICT (article_id) DO UPDATE SET key = excluded.key",
                list((article_keys or {}).items()),
            )

    def entity_rows(self, kind: str | None = None, entity_id: str | None = None) -> list[dict]:
        """Entities (of one type, or one entity) with their aliases, roles and the articles they
        appear in."""
        rows = self.db.execute(
            "SELECT e.id, e.name, e.type, e.aliases, e.roles, "
            "group_concat(DISTINCT l.article_id) FROM entities e "
            "LEFT JOIN local_entities l ON l.entity_id = e.id "
            "WHERE (? IS NULL OR e.type = ?) AND (? IS NULL OR e.id = ?) GROUP BY e.id",
            (kind, kind, entity_id, entity_id),
        )
        found = [
            {
                "id": r[0],
                "name": r[1],
                "type": r[2],
                "aliases": json.loads(r[3]),
                "roles": json.loads(r[4]),
                "article_ids": sorted((r[5] or "").split(",")) if r[5] else [],
            }
            for r in rows
        ]
        return found

    def resolved_mentions(
        self, article_ids: Iterable[str]
    ) -> dict[str, list[tuple[int, int, str, str, str]]]:
        """article id -> its mentions as (start, end, entity id, canonical name, type), in order;
        offsets are in the paragraphs joined by blank lines."""
        found: dict[str, list[tuple[int, int, str, str, str]]] = {}
        wanted = sorted(set(article_ids))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for aid, begin, end, entity, name, kind in self.db.execute(
                "SELECT m.article_id, m.start, m.end, e.id, e.name, e.type FROM mentions m "
                "JOIN local_entities l ON l.article_id = m.article_id AND l.local = m.local "
                f"JOIN entities e ON e.id = l.entity_id WHERE m.article_id IN ({marks}) "
                "ORDER BY m.article_id, m.start",
                chunk,
            ):
                found.setdefault(aid, []).append((begin, end, entity, name, kind))
        return found

    def quote_spans(self, article_id: str) -> list[tuple[int, int, str | None, str | None]]:
        """(start, end, speaker entity id, speaker as written) of an article's quotes."""
        rows = self.db.execute(
            "SELECT start, end, speaker_id, speaker_text FROM quotes WHERE article_id = ? ORDER BY start",
            (article_id,),
        )
        return [tuple(r) for r in rows]

    def entity_names(self, entity_ids: Iterable[str]) -> dict[str, str]:
        wanted = json.dumps(sorted(set(entity_ids)))
        return dict(
            self.db.execute(
                "SELECT id, name FROM entities WHERE id IN (SELECT value FROM json_each(?))", (wanted,)
            )
        )

    def entities_by_reach(self, min_articles: int, limit: int) -> list[tuple[str, str]]:
        """(id, name) of the entities named in at least `min_articles` articles, most named first."""
        rows = self.db.execute(
            "SELECT e.id, e.name FROM entities e JOIN local_entities l ON l.entity_id = e.id "
            "GROUP BY e.id HAVING count(DISTINCT l.article_id) >= ? "
            "ORDER BY count(DISTINCT l.article_id) DESC, e.name LIMIT ?",
            (min_articles, limit),
        )
        return [tuple(r) for r in rows]

    def entity_mentions(self, entity_id: str) -> list[tuple[str, str, str]]:
        """(article id, paragraph text, mention text) for every mention of an entity."""
        rows = self.db.execute(
            "SELECT m.article_id, a.paragraphs, m.paragraph, m.text FROM mentions m "
            "JOIN local_entities l ON l.article_id = m.article_id AND l.local = m.local "
            "JOIN articles a ON a.id = m.article_id WHERE l.entity_id = ? ORDER BY m.article_id, m.position",
            (entity_id,),
        )
        return [(aid, json.loads(paragraphs)[p], text) for aid, paragraphs, p, text in rows]

    def quote_rows(
        self, article_ids: Iterable[str] | None = None, speaker_id: str | None = None
    ) -> list[dict]:
        """Quotes (all, or those of some articles, or of one speaker), sorted by id."""
        wanted = None if article_ids is None else json.dumps(sorted(set(article_ids)))
        rows = self.db.execute(
            "SELECT id, article_id, text, direct, speaker_id, speaker_text, speaker_kind, statement_id, "
            "paragraph, form, cue, evidence FROM quotes "
            "WHERE (? IS NULL OR article_id IN (SELECT value FROM json_each(?))) "
            "AND (? IS NULL OR speaker_id = ?) ORDER BY id",
            (wanted, wanted, speaker_id, speaker_id),
        )
        keys = (
            "id",
            "article_id",
            "text",
            "direct",
            "speaker_id",
            "speaker_text",
            "speaker_kind",
            "statement_id",
            "paragraph",
            "form",
            "cue",
            "evidence",
        )
        return [dict(zip(keys, r, strict=True)) | {"direct": bool(r[3])} for r in rows]


class ReuseStore:
    """Reading and writing text reuse (mixed into Store)."""

    db: sqlite3.Connection

    def replace_reuse(self, found) -> None:
        """Replace every reuse pair with `found`; every article counts as compared."""
        with _Transaction(self.db):
            self.db.execute("DELETE FROM reuse_passages")
            self.db.execute("DELETE FROM reuse")
            self._insert_reuse(found)
            self.db.execute("INSERT OR IGNORE INTO reuse_checked (article_id) SELECT id FROM articles")

    def add_reuse(self, found, checked: Iterable[str]) -> None:
        """Add newly found pairs and mark the `checked` articles as compared."""
        with _Transaction(self.db):
            self._insert_reuse(found)
            self.db.executemany(
                "INSERT OR IGNORE INTO reuse_checked (article_id) VALUES (?)", [(a,) for a in checked]
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
        from storylens.link.reuse import Reuse

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


class StoriesStore:
    """Reading and writing stories and the clusterer's state (mixed into Store)."""

    db: sqlite3.Connection

    def unclustered_articles(self) -> list[str]:
        """Articles with an embedding that are in no story yet, oldest first."""
        rows = self.db.execute(
            "SELECT a.id FROM articles a JOIN article_embeddings e ON e.article_id = a.id "
            "WHERE a.id NOT IN (SELECT article_id FROM story_articles) "
            "ORDER BY a.published IS NULL, a.published, a.id"
        )
        return [r[0] for r in rows]

    def story_inputs(self, article_ids: list[str]) -> list[dict]:
        """What the clusterer needs of each article: title, outlet, date, paragraphs, embedding
        (float16 bytes), resolved entity ids and, when undated, the lines removed as chrome."""
        found = []
        for start in range(0, len(article_ids), 500):
            chunk = article_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            entities = self._by_article(
                f"SELECT article_id, entity_id FROM local_entities WHERE entity_id IS NOT NULL "
                f"AND article_id IN ({marks})",
                chunk,
            )
            chrome = self._by_article(
                f"SELECT b.article_id, b.line FROM boilerplate b JOIN articles a ON a.id = b.article_id "
                f"WHERE a.published IS NULL AND b.article_id IN ({marks})",
                chunk,
            )
            rows = self.db.execute(
                f"SELECT a.id, a.title, a.outlet, a.published, a.paragraphs, v.vector FROM articles a "
                f"LEFT JOIN article_embeddings e ON e.article_id = a.id "
                f"LEFT JOIN embeddings v ON v.key = e.key WHERE a.id IN ({marks})",
                chunk,
            )
            by_id = {
                r[0]: {
                    "id": r[0],
                    "title": r[1],
                    "outlet": r[2],
                    "published": r[3],
                    "paragraphs": json.loads(r[4]),
                    "vector": r[5],
                    "entities": sorted(set(entities.get(r[0], []))),
                    "chrome": chrome.get(r[0], []),  # removed lines of an undated article
                }
                for r in rows
            }
            found.extend(by_id[a] for a in chunk if a in by_id)
        return found

    def _by_article(self, sql: str, parameters: list) -> dict[str, list]:
        """article id -> the values of an (article_id, value) query."""
        found: dict[str, list] = {}
        for aid, value in self.db.execute(sql, parameters):
            found.setdefault(aid, []).append(value)
        return found

    def stories_between(self, first_day: int | None, last_day: int | None) -> list[dict]:
        """Stored stories with an article within [first_day, last_day], and the undated ones;
        every story when both bounds are None. Each with its centroid state and member ids."""
        if first_day is None and last_day is None:
            rows = self.db.execute("SELECT id, centroid, terms FROM stories").fetchall()
        else:
            rows = self.db.execute(
                "SELECT id, centroid, terms FROM stories WHERE last_day IS NULL "
                "OR (last_day >= ? AND first_day <= ?)",
                (first_day, last_day),
            ).fetchall()
        stories = []
        for story_id, centroid, terms in rows:
            members = self.db.execute(
                "SELECT article_id, similarity FROM story_articles WHERE story_id = ? ORDER BY position",
                (story_id,),
            ).fetchall()
            stories.append(
                {
                    "id": story_id,
                    "centroid": centroid,
                    "terms": terms,
                    "members": [m[0] for m in members],
                    "similarity": [m[1] for m in members],
                }
            )
        return stories

    def story_state(self, key: str) -> bytes | None:
        row = self.db.execute("SELECT value FROM story_state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def write_stories(self, stories, state: dict[str, bytes]) -> None:
        """Write (or rewrite) these stories with their members, and the clusterer's state."""
        with _Transaction(self.db):
            for story in stories:
                self.db.execute(
                    "INSERT INTO stories (id, title, first_published, last_published, first_day, "
                    "last_day, size, centroid, terms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET title = excluded.title, "
                    "first_published = excluded.first_published, last_published = excluded.last_published, "
                    "first_day = excluded.first_day, last_day = excluded.last_day, size = excluded.size, "
                    "centroid = excluded.centroid, terms = excluded.terms",
                    (
                        story.id,
                        story.title,
                        story.first_published,
                        story.last_published,
                        story.first_day,
                        story.last_day,
                        len(story.article_ids),
                        story.vector_sum.astype(np.float32).tobytes(),
                        b"",  # members are compared one by one now: no summed terms are kept
                    ),
                )
                self.db.executemany(
                    "INSERT INTO story_articles (article_id, story_id, position, similarity) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET "
                    "story_id = excluded.story_id, position = excluded.position, "
                    "similarity = excluded.similarity",
                    [
                        (aid, story.id, i, sim)
                        for i, (aid, sim) in enumerate(zip(story.article_ids, story.similarity, strict=True))
                    ],
                )
            self.db.executemany(
                "INSERT INTO story_state (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                list(state.items()),
            )

    def clear_stories(self) -> None:
        with _Transaction(self.db):
            self.db.execute("DELETE FROM story_articles")
            self.db.execute("DELETE FROM stories")
            self.db.execute("DELETE FROM story_state")

    def story_rows(self, story_id: str | None = None) -> list[dict]:
        """Stories (all, or those whose id starts with `story_id`), oldest first: id, title,
        dates, outlets, size and article ids in time order."""
        if story_id is not None and not is_id(story_id):
            return []
        prefix = None if story_id is None else _like_prefix(story_id)
        if prefix is None:
            chosen = ""
        else:  # the ids first, over an index (a stories row carries its centroid: scanning them is slow)
            ids = self.db.execute("SELECT id FROM stories WHERE id LIKE ? ESCAPE '\\'", (prefix,))
            chosen = "WHERE id IN (SELECT value FROM json_each(?)) "
            prefix = json.dumps([r[0] for r in ids])
        stories = self.db.execute(
            "SELECT id, title, first_published, last_published, size FROM stories "
            + chosen
            + "ORDER BY first_published IS NULL, first_published, id",
            () if prefix is None else (prefix,),
        ).fetchall()
        members: dict[str, list[tuple[str, str | None]]] = {}
        for sid, aid, outlet in self.db.execute(
            "SELECT s.story_id, a.id, a.outlet FROM story_articles s "
            "JOIN articles a ON a.id = s.article_id "
            + ("" if prefix is None else "WHERE s.story_id IN (SELECT value FROM json_each(?)) ")
            + "ORDER BY s.story_id, a.published IS NULL, a.published, s.position",
            () if prefix is None else (json.dumps([r[0] for r in stories]),),
        ):
            members.setdefault(sid, []).append((aid, outlet))
        return [story_record(row, members.get(row[0], [])) for row in stories]

    def search(self, query: str, limit: int = 500) -> list[str]:
        """Article ids whose title or body match the words of `query` (all of them), best first.
        The words are quoted, so the query's own punctuation is never FTS syntax."""
        words = [w for w in re.findall(r"\w+", query) if w][:20]
        if not words:
            return []
        match = " ".join('"' + w.replace('"', "") + '"' for w in words)
        rows = self.db.execute(
            "SELECT a.id FROM article_search s JOIN articles a ON a.rowid = s.rowid "
            "WHERE article_search MATCH ? ORDER BY rank LIMIT ?",
            (match, limit),
        )
        return [r[0] for r in rows]

    # -- comparisons ---------------------------------------------------------------------

    def cached_comparison(self, story_id: str, members: str, version: str) -> str | None:
        row = self.db.execute(
            "SELECT comparison FROM comparisons WHERE story_id = ? AND members = ? AND version = ?",
            (story_id, members, version),
        ).fetchone()
        return row[0] if row else None

    def cache_comparison(self, story_id: str, members: str, version: str, comparison: str) -> None:
        with _Transaction(self.db):
            self.db.execute(
                "INSERT INTO comparisons (story_id, members, version, comparison) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (story_id) DO UPDATE SET members = excluded.members, "
                "version = excluded.version, comparison = excluded.comparison",
                (story_id, members, version, comparison),
            )

    def forget_comparisons(self) -> None:
        """Entities or statements changed: every stored comparison is stale."""
        with _Transaction(self.db):
            self.db.execute("DELETE FROM comparisons")

    # -- feeds -------------------------------------------------------------------------------

    def add_feed(self, url: str, outlet: str | None) -> None:
        with _Transaction(self.db):
            self.db.execute(
                "INSERT INTO feeds (url, outlet) VALUES (?, ?) ON CONFLICT (url) DO UPDATE SET "
                "outlet = coalesce(excluded.outlet, feeds.outlet)",
                (url, outlet),
            )

    def feeds(self) -> list[dict]:
        rows = self.db.execute(
            "SELECT url, outlet, etag, modified, polled_at, failures, last_error FROM feeds ORDER BY url"
        )
        keys = ("url", "outlet", "etag", "modified", "polled_at", "failures", "last_error")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def feed_polled(self, url: str, etag: str | None, modified: str | None, error: str | None) -> None:
        with _Transaction(self.db):
            if error:
                self.db.execute(
                    "UPDATE feeds SET polled_at = ?, failures = failures + 1, last_error = ? WHERE url = ?",
                    (_now(), error, url),
                )
            else:
                self.db.execute(
                    "UPDATE feeds SET polled_at = ?, failures = 0, last_error = NULL, "
                    "etag = coalesce(?, etag), modified = coalesce(?, modified) WHERE url = ?",
                    (_now(), etag, modified, url),
                )

    def fetched_keys(self, keys: Iterable[str]) -> set[str]:
        wanted = list(set(keys))
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                r[0]
                for r in self.db.execute(f"SELECT url_key FROM fetched WHERE url_key IN ({marks})", chunk)
            )
        return found

    def mark_fetched(self, rows: list[tuple[str, str, str | None]]) -> None:
        """(url key, url, article id or None) for pages fetched and stored."""
        with _Transaction(self.db):
            self.db.executemany(
                "INSERT OR IGNORE INTO fetched (url_key, url, article_id, fetched_at) VALUES (?, ?, ?, ?)",
                [(k, u, a, _now()) for k, u, a in rows],
            )

    def article_by_source(self, source: str) -> str | None:
        row = self.db.execute("SELECT article_id FROM article_sources WHERE source = ?", (source,)).fetchone()
        return row[0] if row else None

    def articles_without_story(self, limit: int) -> list[ArticleRow]:
        rows = self.db.execute(
            "SELECT id, outlet, published, title, words, source FROM articles "
            "WHERE id NOT IN (SELECT article_id FROM story_articles) "
            "ORDER BY published IS NULL, published, outlet, id LIMIT ?",
            (limit,),
        )
        return [ArticleRow(*row) for row in rows]

    def compared_members(self, article_ids: Iterable[str]) -> list[str]:
        """Every article of a story of two or more articles that holds one of these articles
        (the stories a comparison is made of), sorted."""
        found: set[str] = set()
        wanted = sorted(set(article_ids))
        for first in range(0, len(wanted), 500):
            chunk = wanted[first : first + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                aid
                for (aid,) in self.db.execute(
                    "SELECT m.article_id FROM story_articles m JOIN stories s ON s.id = m.story_id "
                    "WHERE s.size >= 2 AND m.story_id IN "
                    f"(SELECT story_id FROM story_articles WHERE article_id IN ({marks}))",
                    chunk,
                )
            )
        return sorted(found)

    def story_of(self, article_id: str) -> str | None:
        row = self.db.execute(
            "SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)
        ).fetchone()
        return row[0] if row else None


def open_store(path: str | Path) -> Store:
    """Open (creating or migrating) the store at `path`. Raises StoreError if it is not one."""
    return Store(Path(path))


class Store(UnderstandingStore, ReuseStore, StoriesStore, OutletsStore, ClaimsStore, ListsStore):
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
        now = _now()
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
        return _Transaction(self.db)

    def transaction(self) -> _Transaction:
        """A block whose writes are all kept or, if it is interrupted, none."""
        return _Transaction(self.db)

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
                "SELECT id FROM articles WHERE id LIKE ? ESCAPE '\\' LIMIT 2",
                (_like_prefix(article_id),),
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


class _Transaction:
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
