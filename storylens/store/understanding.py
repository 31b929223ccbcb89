"""Reading and writing what the understanding stage finds: analyses, mentions, entities, quotes
and statements, embeddings (mixed into Store)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable

from storylens.model import LocalEntity, QuoteRef, named_only
from storylens.store.lists import entity_record
from storylens.store.sql import Transaction, timestamp


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

    def entities_to_resolve(self) -> dict[str, list[LocalEntity]]:
        """article id -> its LocalEntity list as resolution reads it (model.named_only: each
        mention only its name, not its place: at 10,000 articles 0.13 GiB, not 0.35)."""
        said: dict[tuple[str, int], list[str]] = {}
        for aid, local, name in self.db.execute(
            "SELECT article_id, local, name FROM mentions ORDER BY article_id, position"
        ):
            said.setdefault((aid, local), []).append(name)
        found: dict[str, list[LocalEntity]] = {}
        for aid, local, kind, names, roles in self.db.execute(
            "SELECT article_id, local, type, names, roles FROM local_entities ORDER BY article_id, local"
        ):
            entity = named_only(local, kind, json.loads(names), json.loads(roles), said.pop((aid, local), []))
            found.setdefault(aid, []).append(entity)
        return found

    def acronym_pairs(self) -> dict[str, list[tuple[str, str]]]:
        pairs: dict[str, list[tuple[str, str]]] = {}
        for aid, long, short in self.db.execute("SELECT article_id, long, short FROM acronym_pairs"):
            pairs.setdefault(aid, []).append((long, short))
        return pairs

    def replace_entities(self, entities) -> list[str]:
        """Store the resolved entities and link local entities and quote speakers to them. An
        entity keeps the id of the stored entity it shares most members with, when that one had
        its name and type (kept_ids: a page's address holds as the store grows). The kept
        comparisons of the stories holding an article one of whose local entities now belongs to
        another entity, or to none, are forgotten: what a comparison reads of the entities (id,
        name, type) changed for those articles alone. Returns those articles."""
        with Transaction(self.db):
            self.db.execute(
                "CREATE TEMP TABLE IF NOT EXISTS entity_of (article_id TEXT, local INTEGER, "
                "entity_id TEXT, PRIMARY KEY (article_id, local)) WITHOUT ROWID"
            )
            self.db.execute("DELETE FROM entity_of")
            members = [(aid, local, e.id) for e in entities for aid, local in e.members]
            self.db.executemany("INSERT INTO entity_of VALUES (?, ?, ?)", members)
            shared = self.db.execute(
                "SELECT n.entity_id, l.entity_id, e.name, e.type, count(*) FROM entity_of n "
                "JOIN local_entities l ON l.article_id = n.article_id AND l.local = n.local "
                "JOIN entities e ON e.id = l.entity_id GROUP BY n.entity_id, l.entity_id"
            ).fetchall()
            ids = kept_ids(entities, shared)
            if any(ids[e.id] != e.id for e in entities):
                self.db.execute("DELETE FROM entity_of")
                self.db.executemany(
                    "INSERT INTO entity_of VALUES (?, ?, ?)",
                    [(aid, local, ids[e]) for aid, local, e in members],
                )
            self.db.execute("DELETE FROM entities")
            self.db.executemany(
                "INSERT INTO entities (id, name, type, aliases, roles) VALUES (?, ?, ?, ?, ?)",
                [
                    (
                        ids[e.id],
                        e.name,
                        e.type,
                        json.dumps(e.aliases, ensure_ascii=False),
                        json.dumps(e.roles, ensure_ascii=False),
                    )
                    for e in entities
                ],
            )
            moved = self.db.execute(
                "UPDATE local_entities SET entity_id = (SELECT n.entity_id FROM entity_of n "
                "WHERE n.article_id = local_entities.article_id AND n.local = local_entities.local) "
                "WHERE entity_id IS NOT (SELECT n.entity_id FROM entity_of n "
                "WHERE n.article_id = local_entities.article_id AND n.local = local_entities.local) "
                "RETURNING article_id"
            ).fetchall()
            changed = sorted({row[0] for row in moved})
            self.db.execute("DELETE FROM entity_of")
            self.db.executemany(
                "INSERT INTO entity_of (article_id, local) VALUES (?, 0)", [(a,) for a in changed]
            )
            self._unlink_statements_of_moved_speakers()
            self.db.execute(
                "UPDATE quotes SET speaker_id = (SELECT entity_id FROM local_entities l "
                "WHERE l.article_id = quotes.article_id AND l.local = quotes.speaker_local) "
                "WHERE article_id IN (SELECT article_id FROM entity_of)"
            )
            self.db.execute(  # in this transaction, so that a run stopped after it loses nothing
                "DELETE FROM comparisons WHERE story_id IN (SELECT story_id FROM story_articles "
                "WHERE article_id IN (SELECT article_id FROM entity_of))"
            )
            self.db.execute("DELETE FROM entity_of")
            # Which articles name which entity, and the names, may have changed: the kept views (the
            # stories page's entity list) rest on them. Counted here, once, rather than by a trigger
            # on each of the millions of local entities this rewrites.
            self.db.execute("UPDATE generation SET value = value + 1")
        return changed

    def _unlink_statements_of_moved_speakers(self) -> None:
        """Of the articles in entity_of, the linked quotes whose speaker is about to change lose
        their statement, and so does every quote of the speakers they leave (those statements may
        change): what quotes_to_link() gives, and linking makes again."""
        moving = self.db.execute(
            "SELECT id, speaker_id, speaker_kind FROM quotes q WHERE article_id IN "
            "(SELECT article_id FROM entity_of) AND statement_id IS NOT NULL AND speaker_id IS NOT "
            "(SELECT entity_id FROM local_entities l WHERE l.article_id = q.article_id "
            "AND l.local = q.speaker_local)"
        ).fetchall()
        self.db.executemany(
            "UPDATE quotes SET statement_id = NULL WHERE id = ?", [(q,) for q, _, _ in moving]
        )
        left = sorted({speaker for _, speaker, _ in moving if speaker})
        self.db.executemany(
            "UPDATE quotes SET statement_id = NULL WHERE speaker_id = ?", [(s,) for s in left]
        )
        kinds = sorted({kind for _, speaker, kind in moving if not speaker})
        self.db.executemany(
            "UPDATE quotes SET statement_id = NULL WHERE speaker_id IS NULL AND speaker_kind = ?",
            [(k,) for k in kinds],
        )

    def quotes_to_link(self) -> set[str]:
        """The quotes with no statement yet: new ones, and those unlinked by replace_entities."""
        return {row[0] for row in self.db.execute("SELECT id FROM quotes WHERE statement_id IS NULL")}

    def quote_refs(self):
        rows = self.db.execute(
            "SELECT id, article_id, speaker_id, speaker_kind, text FROM quotes ORDER BY id"
        )
        return [QuoteRef(*row) for row in rows]

    def set_statements(self, statement_of: dict[str, str]) -> None:
        with Transaction(self.db):
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


def kept_ids(entities, shared: list[tuple[str, str, str, str, int]]) -> dict[str, str]:
    """new entity id -> the id it is stored under. `shared`: (new id, stored id, the stored
    entity's name and type, how many local entities they share). Pairs are taken most shared
    first: a new entity keeps a stored entity's id when it has that one's name and type and no
    other took it first; any other keeps its own id, drawn again if a kept one holds it."""
    named = {e.id: (e.name, e.type) for e in entities}
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for new, old, name, kind, _ in sorted(shared, key=lambda row: (-row[4], row[0], row[1])):
        if new not in ids and old not in taken and named[new] == (name, kind):
            ids[new] = old
            taken.add(old)
    for e in entities:
        if e.id not in ids:
            candidate, draw = e.id, 0
            while candidate in taken:
                draw += 1
                candidate = "e_" + hashlib.sha1(f"{e.id}:{draw}".encode()).hexdigest()[:12]
            ids[e.id] = candidate
            taken.add(candidate)
    return ids
