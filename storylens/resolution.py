"""Entity resolution against the store: of every article (the first ingest, a store analysed
again, one resolved by other rules), or of only what a round's new articles can change.

Resolution joins local entities only through merge keys (understand/resolve.py, merge_keys): a
group key, an acronym, a surname block, a lone word. A round takes the stored entities holding
a key of its new local entities, then those holding a key of theirs, and so on until no entity
is added; resolving those with the new ones gives what resolving every article gives, since no
other stored entity shares a key with them, and every other entity stays as it is. Each article's
context (the keys of its other entities) is read as kept, not from its entities. What is read
across the whole store is checked instead: the aliases learned from "Name (ACR)" pairs (a name
one maps otherwise has another group key: the entities bearing it, and the articles naming them
with their contexts, are resolved again; no other name's key changes), and the pairs themselves
(a new one reaches the organisations bearing one of its names).
"""

from __future__ import annotations

import hashlib
from importlib.resources import files

from storylens.model import MergeIndex
from storylens.store import Store
from storylens.understand.resolve import (
    context_keys,
    entity_keys,
    group_key,
    learned_aliases,
    merge_keys,
    resolve,
)

# Raised whenever resolution's rules change (resolve.py, names.py, entities.fullest_name): a
# store resolved by other rules is resolved whole.
RESOLUTION_VERSION = 3  # 2: a bare surname joined to a full name is never also a lone one
# 3: no generational suffix is a surname ("Jr."); a nickname of a given name is one name in context;
# names sharing initials never join through them, an acronym alone joins one name by its context


def resolve_store(store: Store) -> list[str]:
    """Resolve the store's entities again: only those the articles analysed since the last
    resolution can change, when the store keeps that resolution's merge keys by these rules and
    aliases, else every article. Returns the articles one of whose local entities moved."""
    pairs = store.acronym_pairs()
    state = _state(pairs)
    kept = store.resolution_state()
    if kept is None or kept["version"] != state["version"]:
        return _resolve_every_article(store, pairs, state)
    now, before = {tuple(p) for p in state["pairs"]}, {tuple(p) for p in kept["pairs"]}
    if before - now:
        return _resolve_every_article(store, pairs, state)  # an article analysed again lost one
    learned, taught = state["learned"], changed_aliases(kept["learned"], state["learned"])
    fresh = store.entities_to_resolve(store.unresolved_articles())
    if not fresh and now == before and not taught:
        return []
    # A name an alias now maps elsewhere has another group key: the articles naming it are read
    # again, their contexts with it (their entities' stored keys are the old aliases' keys).
    renamed_keys = {"n:" + group_key(name, kept["learned"]) for name in taught}
    renamed = store.entities_to_resolve(set(store.members_to_resolve(store.entities_keyed(renamed_keys))))
    renamed = {aid: found for aid, found in renamed.items() if aid not in fresh}
    seeds = {key for found in (fresh | renamed).values() for e in found for key in merge_keys(e, learned)}
    seeds |= {"n:" + group_key(name, learned) for pair in now - before for name in pair}
    within = reached_entities(store, seeds | renamed_keys)
    locals_by_article = store.members_to_resolve(within) | fresh  # no article holds both
    new_contexts = context_keys(fresh | renamed, learned)
    contexts = store.contexts_of(set(locals_by_article) - set(new_contexts)) | new_contexts
    return _replace(store, locals_by_article, pairs, state, (contexts, new_contexts), within)


def changed_aliases(before: dict[str, str], now: dict[str, str]) -> set[str]:
    """The names (lower case) the learned aliases map otherwise now: only their group keys change."""
    return {name for name in before.keys() | now.keys() if before.get(name) != now.get(name)}


def reached_entities(store: Store, seeds: set[str]) -> set[str]:
    """The stored entities holding one of the `seeds` keys, and those holding a merge key of one
    of them, and so on (merge keys, not the "n:" names, join entities)."""
    within: set[str] = set()
    seen: set[str] = set()
    frontier = set(seeds)
    while frontier:
        seen |= frontier
        found = store.entities_keyed(frontier) - within
        within |= found
        frontier = store.keys_of_entities(found, "gabw") - seen
    return within


def _resolve_every_article(store: Store, pairs: dict, state: dict) -> list[str]:
    locals_by_article = store.entities_to_resolve()
    contexts = context_keys(locals_by_article, state["learned"])  # what resolve() would make
    return _replace(store, locals_by_article, pairs, state, (contexts, contexts), None)


def _replace(store: Store, locals_by_article: dict, pairs: dict, state: dict, contexts, within) -> list[str]:
    """Resolve these local entities (with their articles' `contexts`, read and new) and store
    them in place of the stored entities `within` (or all), with their merge keys."""
    learned = state["learned"]
    # Keys of each local entity as stored: resolve() may retype one (a place read as a person).
    member_keys = {
        (aid, e.index): merge_keys(e, learned) for aid, found in locals_by_article.items() for e in found
    }
    read, new = contexts
    entities = resolve(locals_by_article, pairs, read)
    keys = {e.id: entity_keys(e, member_keys, learned) for e in entities}
    return store.replace_entities(entities, MergeIndex(keys, new, state), within)


def _state(pairs: dict[str, list[tuple[str, str]]]) -> dict:
    """What a resolution records beside its merge keys: the rules' version with the alias
    table's digest, the aliases learned from the pairs, and the pairs."""
    table = (files("storylens.understand") / "data" / "aliases.tsv").read_bytes()
    return {
        "version": f"{RESOLUTION_VERSION}:{hashlib.sha1(table).hexdigest()[:12]}",
        "learned": learned_aliases(pairs),
        "pairs": sorted({tuple(pair) for found in pairs.values() for pair in found}),
    }
