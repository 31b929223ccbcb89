"""Reading and writing what the understanding stage finds: analyses, mentions, entities, quotes
and statements, embeddings (mixed into Store)."""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterable

from storylens.model import KeptBlock, KeptText, LocalEntity, QuoteRef, named_only
from storylens.store.lists import entity_record
from storylens.store.sql import Transaction, blobs_by_key, timestamp


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
        now = timestamp()
        with Transaction(self.db):
            for analysis, ids in zip(analyses, quote_ids, strict=True):
                aid = analysis.article_id
                if self.db.execute(
                    "SELECT 1 FROM local_entities WHERE article_id = ? AND entity_id IS NOT NULL", (aid,)
                ).fetchone():
                    # Resolved entities lose members: the next resolution is of every article.
                    self.db.execute("DELETE FROM pipeline_state WHERE key = 'resolution'")
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

    def entities_to_resolve(self, article_ids: Iterable[str] | None = None) -> dict[str, list[LocalEntity]]:
        """article id -> its LocalEntity list as resolution reads it (model.named_only: each
        mention only its name, not its place: at 10,000 articles 0.13 GiB, not 0.35), of every
        article or of these."""
        # Two forms, so that SQLite walks the primary key from each article asked for.
        among, wanted = ("1", ()) if article_ids is None else _among(article_ids)
        said: dict[tuple[str, int], list[str]] = {}
        for aid, local, name in self.db.execute(
            f"SELECT article_id, local, name FROM mentions WHERE {among} ORDER BY article_id, position",
            wanted,
        ):
            said.setdefault((aid, local), []).append(name)
        found: dict[str, list[LocalEntity]] = {}
        for aid, local, kind, names, roles in self.db.execute(
            f"SELECT article_id, local, type, names, roles FROM local_entities WHERE {among} "
            "ORDER BY article_id, local",
            wanted,
        ):
            entity = named_only(local, kind, json.loads(names), json.loads(roles), said.pop((aid, local), []))
            found.setdefault(aid, []).append(entity)
        return found

    def acronym_pairs(self) -> dict[str, list[tuple[str, str]]]:
        pairs: dict[str, list[tuple[str, str]]] = {}
        for aid, long, short in self.db.execute("SELECT article_id, long, short FROM acronym_pairs"):
            pairs.setdefault(aid, []).append((long, short))
        return pairs

    def quotes_to_link(self) -> set[str]:
        """The quotes with no statement yet: new ones, and those unlinked by replace_entities."""
        return {row[0] for row in self.db.execute("SELECT id FROM quotes WHERE statement_id IS NULL")}

    def quote_refs(self, of: set[str] | None = None, kinds: Iterable[str] = ()) -> list[QuoteRef]:
        """Every quote as statement linking reads it, by id; or the quotes `of` (ids) with the
        other quotes of their resolved speakers and, for those of no entity whose kind of speaker
        is one of `kinds`, every quote of no entity and that kind."""
        columns = "SELECT id, article_id, speaker_id, speaker_kind, text FROM quotes"
        if of is None:
            return [QuoteRef(*row) for row in self.db.execute(f"{columns} ORDER BY id")]
        ids, matching = json.dumps(sorted(of)), json.dumps(sorted(kinds))
        rows = self.db.execute(
            f"{columns} WHERE id IN (SELECT value FROM json_each(?1)) "
            "OR speaker_id IN (SELECT speaker_id FROM quotes WHERE id IN (SELECT value FROM json_each(?1))) "
            f"UNION {columns} WHERE speaker_id IS NULL AND speaker_kind IN (SELECT speaker_kind FROM "
            "quotes WHERE speaker_id IS NULL AND id IN (SELECT value FROM json_each(?1)) "
            "AND speaker_kind IN (SELECT value FROM json_each(?2))) ORDER BY id",
            (ids, matching),
        )
        return [QuoteRef(*row) for row in rows]

    def set_statements(self, statement_of: dict[str, str], kept: dict[str, KeptBlock] | None = None) -> None:
        """The quotes' statements, and with them what linking keeps of the speakers' blocks. A kept
        comparison of a story one of whose quotes changes statement is dropped (it carries its
        claims' statements, and tells a statement once), to be made again."""
        with Transaction(self.db):
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS linked (id TEXT PRIMARY KEY, statement TEXT)")
            self.db.execute("DELETE FROM linked")
            self.db.executemany("INSERT INTO linked VALUES (?, ?)", list(statement_of.items()))
            self.db.execute(
                "DELETE FROM comparisons WHERE story_id IN (SELECT s.story_id FROM linked l "
                "JOIN quotes q ON q.id = l.id JOIN story_articles s ON s.article_id = q.article_id "
                "WHERE q.statement_id IS NOT NULL AND q.statement_id != l.statement)"
            )
            self.db.execute(
                "UPDATE quotes SET statement_id = l.statement FROM linked l "
                "WHERE l.id = quotes.id AND quotes.statement_id IS NOT l.statement"
            )
            self.db.execute("DELETE FROM linked")
            for speaker, block in (kept or {}).items():
                if block.whole:
                    self.db.execute("DELETE FROM statement_texts WHERE speaker_id = ?", (speaker,))
                self.db.execute(
                    "INSERT OR REPLACE INTO statement_blocks VALUES (?, ?)", (speaker, block.digest)
                )
                self.db.executemany(
                    "INSERT OR REPLACE INTO statement_texts VALUES (?, ?, ?, ?)",
                    [
                        (speaker, key, None if math.isinf(t.threshold) else t.threshold, t.component)
                        for key, t in block.texts.items()
                    ],
                )

    def kept_blocks(self, speakers: Iterable[str]) -> dict[str, KeptBlock]:
        """What statement linking kept of these speakers' blocks (those it kept)."""
        found = {}
        for speaker in sorted(set(speakers)):
            digest = self.db.execute("SELECT digest FROM statement_blocks WHERE speaker_id = ?", (speaker,))
            row = digest.fetchone()
            if row:
                texts = self.db.execute(
                    "SELECT text_key, threshold, component FROM statement_texts WHERE speaker_id = ?",
                    (speaker,),
                )
                found[speaker] = KeptBlock(
                    row[0], {k: KeptText(-math.inf if t is None else t, c) for k, t, c in texts}
                )
        return found

    def embeddings(self, keys: Iterable[str]) -> dict[str, bytes]:
        """Stored vectors (float16 bytes) for the keys that have one."""
        return blobs_by_key(self.db, "embeddings", "vector", keys)

    def put_embeddings(self, vectors: dict[str, bytes], article_keys: dict[str, str] | None = None) -> None:
        with Transaction(self.db):
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
        return [entity_record(r) for r in rows]

    def entities_named(self, name: str) -> list[dict]:
        """The entities whose id is `name`, or whose name or an alias is `name` with case
        forgiven, by id, as entity_rows() gives them."""
        wanted = name.lower()
        rows = self.db.execute("SELECT id, name, aliases FROM entities ORDER BY id")
        ids = [
            eid
            for eid, known, aliases in rows
            if eid == name or known.lower() == wanted or wanted in (a.lower() for a in json.loads(aliases))
        ]
        return self._entities(ids)  # ListsStore's

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

    def quotes_said(self, article_ids: Iterable[str]) -> dict[str, list[tuple]]:
        """article id -> (start, end, statement id, speaker entity id, the speaker as written) of
        its quotes, in order (a speaker's entity only when a person's)."""
        wanted = json.dumps(sorted(set(article_ids)))
        found: dict[str, list[tuple]] = {}
        for aid, *quote in self.db.execute(
            "SELECT article_id, start, end, statement_id, "
            "CASE WHEN speaker_kind = 'person' THEN speaker_id END, speaker_text FROM quotes "
            "WHERE article_id IN (SELECT value FROM json_each(?)) ORDER BY article_id, start",
            (wanted,),
        ):
            found.setdefault(aid, []).append(tuple(quote))
        return found

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


def _among(article_ids: Iterable[str]) -> tuple[str, tuple[str]]:
    """A WHERE clause and its parameter: the article id is one of these."""
    return "article_id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(set(article_ids))),)
