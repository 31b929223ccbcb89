"""Reading and writing the entities across articles: the resolved entities, which local entity
belongs to which, and each entity's merge keys, by which a round finds the stored entities its
new articles can change (mixed into Store)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable

from storylens.model import LocalEntity, MergeIndex, named_only
from storylens.store.sql import Transaction


class EntitiesStore:
    """Reading and writing the resolved entities (mixed into Store)."""

    db: sqlite3.Connection

    def unresolved_articles(self) -> list[str]:
        """The articles with a local entity no resolution has placed yet (analysed since)."""
        rows = self.db.execute(
            "SELECT DISTINCT article_id FROM local_entities WHERE entity_id IS NULL ORDER BY article_id"
        )
        return [r[0] for r in rows]

    def resolution_state(self) -> dict | None:
        """What the last resolution recorded with its merge keys (storylens.resolution), or None
        when the stored entities have no such record (the next resolution is of every article)."""
        row = self.db.execute("SELECT value FROM pipeline_state WHERE key = 'resolution'").fetchone()
        return json.loads(row[0]) if row else None

    def entities_keyed(self, keys: Iterable[str]) -> set[str]:
        """The ids of the stored entities holding any of these merge keys."""
        rows = self.db.execute(
            "SELECT DISTINCT entity_id FROM entity_keys WHERE key IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(keys))),),
        )
        return {r[0] for r in rows}

    def keys_of_entities(self, entity_ids: Iterable[str], kinds: str) -> set[str]:
        """The merge keys of these entities whose kind (the letter before the colon) is in `kinds`."""
        rows = self.db.execute(
            "SELECT DISTINCT key FROM entity_keys WHERE entity_id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(entity_ids))),),
        )
        return {r[0] for r in rows if r[0][0] in kinds}

    def contexts_of(self, article_ids: Iterable[str]) -> dict[str, frozenset[str]]:
        """article id -> its context keys as the last resolution kept them."""
        found: dict[str, set[str]] = {}
        for aid, key in self.db.execute(
            "SELECT article_id, key FROM article_contexts "
            "WHERE article_id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(article_ids))),),
        ):
            found.setdefault(aid, set()).add(key)
        return {aid: frozenset(keys) for aid, keys in found.items()}

    def members_to_resolve(self, entity_ids: Iterable[str]) -> dict[str, list[LocalEntity]]:
        """article id -> the local entities of these entities in it, as entities_to_resolve
        gives them."""
        wanted = json.dumps(sorted(set(entity_ids)))
        said: dict[tuple[str, int], list[str]] = {}
        for aid, local, name in self.db.execute(
            "SELECT m.article_id, m.local, m.name FROM local_entities l JOIN mentions m "
            "ON m.article_id = l.article_id AND m.local = l.local "
            "WHERE l.entity_id IN (SELECT value FROM json_each(?)) ORDER BY m.article_id, m.position",
            (wanted,),
        ):
            said.setdefault((aid, local), []).append(name)
        found: dict[str, list[LocalEntity]] = {}
        for aid, local, kind, names, roles in self.db.execute(
            "SELECT article_id, local, type, names, roles FROM local_entities "
            "WHERE entity_id IN (SELECT value FROM json_each(?)) ORDER BY article_id, local",
            (wanted,),
        ):
            entity = named_only(local, kind, json.loads(names), json.loads(roles), said.pop((aid, local), []))
            found.setdefault(aid, []).append(entity)
        return found

    def replace_entities(
        self, entities, index: MergeIndex | None = None, within: set[str] | None = None
    ) -> list[str]:
        """Store the resolved entities and link local entities and quote speakers to them. An
        entity keeps the id of the stored entity it shares most members with, when that one had
        its name and type (kept_ids: a page's address holds as the store grows). The kept
        comparisons of the stories holding an article one of whose local entities now belongs to
        another entity, or to none, are forgotten: what a comparison reads of the entities (id,
        name, type) changed for those articles alone. Returns those articles.

        With `within` (stored entity ids), the entities replace those alone and every other
        stored entity stays as it is. `index`: the entities' merge keys, the context keys of
        the articles resolved, and their state (resolution_state); without it the next
        resolution is of every article."""
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
            ids = kept_ids(entities, shared, self._other_ids(within))
            if any(ids[e.id] != e.id for e in entities):
                self.db.execute("DELETE FROM entity_of")
                self.db.executemany(
                    "INSERT INTO entity_of VALUES (?, ?, ?)",
                    [(aid, local, ids[e]) for aid, local, e in members],
                )
            self._write_entities(entities, ids, within)
            self._write_index(entities, ids, index, within)
            changed = self._link_local_entities(everything=within is None)
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

    def _other_ids(self, within: set[str] | None) -> set[str]:
        """The ids of the stored entities a resolution `within` these leaves as they are."""
        if within is None:
            return set()
        return {r[0] for r in self.db.execute("SELECT id FROM entities")} - within

    def _write_entities(self, entities, ids: dict[str, str], within: set[str] | None) -> None:
        """The entities, under their kept ids, in place of the stored ones (or those `within`)."""
        gone = None if within is None else json.dumps(sorted(within))
        self.db.execute(
            "DELETE FROM entities WHERE ? IS NULL OR id IN (SELECT value FROM json_each(?))", (gone, gone)
        )
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

    def _write_index(self, entities, ids: dict[str, str], index: MergeIndex | None, within) -> None:
        """The entities' merge keys and the articles' context keys, with their state; or none
        of them, so that the next resolution is of every article."""
        self.db.execute("DELETE FROM pipeline_state WHERE key = 'resolution'")
        if index is None or within is None:
            self.db.execute("DELETE FROM entity_keys")
            self.db.execute("DELETE FROM article_contexts")
        else:
            self.db.execute(
                "DELETE FROM entity_keys WHERE entity_id IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted(within)),),
            )
        if index is None:
            return
        self.db.execute(
            "DELETE FROM article_contexts WHERE article_id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(index.contexts)),),
        )
        self.db.executemany(
            "INSERT OR IGNORE INTO entity_keys (key, entity_id) VALUES (?, ?)",
            [(key, ids[e.id]) for e in entities for key in sorted(index.keys[e.id])],
        )
        self.db.executemany(
            "INSERT OR IGNORE INTO article_contexts (article_id, key) VALUES (?, ?)",
            [(aid, key) for aid, keys in sorted(index.contexts.items()) for key in sorted(keys)],
        )
        self.db.execute(
            "INSERT INTO pipeline_state (key, value) VALUES ('resolution', ?)",
            (json.dumps(index.state, ensure_ascii=False, sort_keys=True),),
        )

    def _link_local_entities(self, everything: bool) -> list[str]:
        """Point each local entity in entity_of at its entity (and, with `everything`, every
        other at none); returns the articles one of whose local entities moved."""
        if everything:
            moved = self.db.execute(
                "UPDATE local_entities SET entity_id = (SELECT n.entity_id FROM entity_of n "
                "WHERE n.article_id = local_entities.article_id AND n.local = local_entities.local) "
                "WHERE entity_id IS NOT (SELECT n.entity_id FROM entity_of n "
                "WHERE n.article_id = local_entities.article_id AND n.local = local_entities.local) "
                "RETURNING article_id"
            ).fetchall()
        else:
            moved = self.db.execute(
                "UPDATE local_entities SET entity_id = n.entity_id FROM entity_of n "
                "WHERE n.article_id = local_entities.article_id AND n.local = local_entities.local "
                "AND local_entities.entity_id IS NOT n.entity_id RETURNING local_entities.article_id"
            ).fetchall()
        return sorted({row[0] for row in moved})

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


def kept_ids(
    entities, shared: list[tuple[str, str, str, str, int]], others: set[str] = frozenset()
) -> dict[str, str]:
    """new entity id -> the id it is stored under. `shared`: (new id, stored id, the stored
    entity's name and type, how many local entities they share); `others`: the ids of stored
    entities these do not replace, which they never take. Pairs are taken most shared first: a
    new entity keeps a stored entity's id when it has that one's name and type and no other took
    it first; any other keeps its own id, drawn again if a kept one holds it."""
    named = {e.id: (e.name, e.type) for e in entities}
    ids: dict[str, str] = {}
    taken: set[str] = set(others)
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
