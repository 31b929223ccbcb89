"""Reading and writing stories, their state, comparisons, search, feeds and fetched URLs (mixed
into Store)."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable

import numpy as np

from storylens.store.lists import story_record
from storylens.store.sql import ArticleRow, Transaction, is_id, prefix_range, timestamp


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

    def story_inputs(self, article_ids: list[str], kept_version: int | None = None) -> list[dict]:
        """What the clusterer needs of each article: title, outlet, date, paragraphs, embedding
        (float16 bytes), resolved entity ids and, when undated, the lines removed as chrome.
        With `kept_version`, an article whose text features were kept at that version
        (keep_article_features) has them as "kept" (terms blob, specifics JSON) and its
        paragraphs are not read ("paragraphs": None); the others have "kept": None."""
        found = []
        kept = "f.terms, f.specifics" if kept_version is not None else "NULL, NULL"
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
                f"SELECT a.id, a.title, a.outlet, a.published, v.vector, {kept}, "
                f"CASE WHEN f.terms IS NULL THEN a.paragraphs END FROM articles a "
                f"LEFT JOIN article_embeddings e ON e.article_id = a.id "
                f"LEFT JOIN embeddings v ON v.key = e.key "
                f"LEFT JOIN article_features f ON f.article_id = a.id AND f.version = ? "
                f"WHERE a.id IN ({marks})",
                [kept_version, *chunk],
            )
            by_id = {
                r[0]: {
                    "id": r[0],
                    "title": r[1],
                    "outlet": r[2],
                    "published": r[3],
                    "paragraphs": None if r[7] is None else json.loads(r[7]),
                    "vector": r[4],
                    "entities": sorted(set(entities.get(r[0], []))),
                    "chrome": chrome.get(r[0], []),  # removed lines of an undated article
                    "kept": None if r[5] is None else (r[5], r[6]),
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

    def write_stories(self, stories, state: dict[str, bytes], gone: Iterable[str] = ()) -> None:
        """Write (or rewrite) these stories with their members, and the clusterer's state; the
        stories `gone` (merged into another) are deleted first."""
        with Transaction(self.db):
            self.db.executemany("DELETE FROM stories WHERE id = ?", [(id_,) for id_ in gone])
            self.db.executemany("DELETE FROM comparisons WHERE story_id = ?", [(id_,) for id_ in gone])
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

    def keep_article_features(self, features: dict[str, tuple[bytes, str]], version: int) -> None:
        """Keep each article's text features (terms blob, specifics JSON) at this version."""
        with Transaction(self.db):
            self.db.executemany(
                "INSERT INTO article_features (article_id, version, terms, specifics) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (article_id) DO UPDATE SET version = excluded.version, "
                "terms = excluded.terms, specifics = excluded.specifics",
                [(aid, version, terms, specifics) for aid, (terms, specifics) in sorted(features.items())],
            )

    def clear_stories(self) -> None:
        with Transaction(self.db):
            self.db.execute("DELETE FROM story_articles")
            self.db.execute("DELETE FROM stories")
            self.db.execute("DELETE FROM comparisons")
            self.db.execute("DELETE FROM story_state")

    def story_rows(self, story_id: str | None = None) -> list[dict]:
        """Stories (all, or those whose id starts with `story_id`), oldest first: id, title,
        dates, outlets, size and article ids in time order."""
        if story_id is not None and not is_id(story_id):
            return []
        prefix = None if story_id is None else story_id
        if prefix is None:
            chosen = ""
        else:  # the ids first, over the key (a stories row carries its centroid: scanning them is slow)
            ids = self.db.execute("SELECT id FROM stories WHERE id >= ? AND id < ?", prefix_range(story_id))
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

    def search(self, query: str, limit: int = 500, window: int = 5000) -> list[str]:
        """Article ids whose title or body match the words of `query` (all of them), best first
        (FTS5's bm25) among the `window` matches stored last: ranking is bounded by the window, not
        by how many articles of a large store carry a common word. The words are quoted, so the
        query's own punctuation is never FTS syntax."""
        words = [w for w in re.findall(r"\w+", query) if w][:20]
        if not words:
            return []
        match = " ".join('"' + w.replace('"', "") + '"' for w in words)
        rows = self.db.execute(
            "SELECT a.id FROM (SELECT rowid, rank FROM (SELECT rowid, rank FROM article_search "
            "WHERE article_search MATCH ? ORDER BY rowid DESC LIMIT ?) ORDER BY rank LIMIT ?) s "
            "JOIN articles a ON a.rowid = s.rowid ORDER BY s.rank",
            (match, window, limit),
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
        with Transaction(self.db):
            self.db.execute(
                "INSERT INTO comparisons (story_id, members, version, comparison) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (story_id) DO UPDATE SET members = excluded.members, "
                "version = excluded.version, comparison = excluded.comparison",
                (story_id, members, version, comparison),
            )

    def forget_comparisons(self) -> None:
        """Every kept comparison is stale (the Spark engine's tables replaced the store's)."""
        with Transaction(self.db):
            self.db.execute("DELETE FROM comparisons")

    # -- feeds -------------------------------------------------------------------------------

    def add_feed(self, url: str, outlet: str | None) -> None:
        with Transaction(self.db):
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
        with Transaction(self.db):
            if error:
                self.db.execute(
                    "UPDATE feeds SET polled_at = ?, failures = failures + 1, last_error = ? WHERE url = ?",
                    (timestamp(), error, url),
                )
            else:
                self.db.execute(
                    "UPDATE feeds SET polled_at = ?, failures = 0, last_error = NULL, "
                    "etag = coalesce(?, etag), modified = coalesce(?, modified) WHERE url = ?",
                    (timestamp(), etag, modified, url),
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
        with Transaction(self.db):
            self.db.executemany(
                "INSERT OR IGNORE INTO fetched (url_key, url, article_id, fetched_at) VALUES (?, ?, ?, ?)",
                [(k, u, a, timestamp()) for k, u, a in rows],
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

    def compared_stories(self, article_ids: Iterable[str]) -> dict[str, list[str]]:
        """story id -> its article ids in the order of story_rows(), for every story of two or
        more articles that holds one of these articles (the stories a comparison is made of)."""
        found: dict[str, list[str]] = {}
        wanted = sorted(set(article_ids))
        for first in range(0, len(wanted), 500):
            chunk = wanted[first : first + 500]
            marks = ",".join("?" * len(chunk))
            rows: dict[str, list[str]] = {}
            for sid, aid in self.db.execute(
                "SELECT m.story_id, a.id FROM story_articles m JOIN stories s ON s.id = m.story_id "
                "JOIN articles a ON a.id = m.article_id WHERE s.size >= 2 AND m.story_id IN "
                f"(SELECT story_id FROM story_articles WHERE article_id IN ({marks})) "
                "ORDER BY m.story_id, a.published IS NULL, a.published, m.position",
                chunk,
            ):
                rows.setdefault(sid, []).append(aid)
            for sid, members in rows.items():  # a story with members in two chunks is read whole twice
                found.setdefault(sid, members)
        return found

    def stories_by_article(self) -> dict[str, str]:
        """article id -> the id of its story, for every article in a story."""
        return dict(self.db.execute("SELECT article_id, story_id FROM story_articles"))

    def story_of(self, article_id: str) -> str | None:
        row = self.db.execute(
            "SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)
        ).fetchone()
        return row[0] if row else None
