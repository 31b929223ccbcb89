"""Across articles: local entities that name the same real-world entity become one.

People merge when their surnames are one name in different romanisations and their first given
names agree (or one side has none and the context agrees); organisations and places merge by
normalised name, the alias table (data/aliases.tsv), acronyms of their words, and "Name (ACR)"
pairs written in the articles. Two people sharing a surname in different roles stay apart.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from storylens.model import LocalEntity
from storylens.understand.entities import fullest_name
from storylens.understand.names import (
    acronym,
    alias_table,
    core_tokens,
    fold,
    given_names,
    is_acronym,
    same_token,
    skeleton,
    surname,
)

_GROUP_TYPES = {"ORG", "GPE", "NORP", "LOC"}


@dataclass
class Entity:
    id: str
    name: str
    type: str
    aliases: list[str]
    roles: list[str]
    article_ids: list[str]
    members: list[tuple[str, int]] = field(default_factory=list)  # (article id, local index)


class _Union:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def role_heads(roles: list[str]) -> set[str]:
    return {r.split()[-1].lower().rstrip(".") for r in roles if r.split()}


def group_key(name: str, learned: dict[str, str]) -> str:
    """The key under which organisation and place names coincide."""
    aliases = alias_table()
    lowered = " ".join(name.lower().split())
    lowered = learned.get(lowered, lowered)
    lowered = aliases.get(lowered, lowered).lower()
    return " ".join(fold(t) for t in core_tokens(lowered)) or lowered


def resolve(
    locals_by_article: dict[str, list[LocalEntity]],
    acronym_pairs: dict[str, list[tuple[str, str]]] | None = None,
) -> list[Entity]:
    """One Entity per real-world entity across all articles, with its members."""
    nodes = [(aid, e) for aid in sorted(locals_by_article) for e in locals_by_article[aid]]
    union = _Union(len(nodes))
    learned = _learned_aliases(acronym_pairs or {})
    _merge_groups(nodes, union, learned)
    context = _contexts(nodes, learned)
    _merge_people(nodes, union, context)
    _merge_misread_places(nodes, union, learned)
    _merge_misread_people(nodes, union, context)
    pairs = sorted({pair for article_pairs in (acronym_pairs or {}).values() for pair in article_pairs})
    return _entities(nodes, union, learned, pairs)


def _learned_aliases(pairs: dict[str, list[tuple[str, str]]]) -> dict[str, str]:
    """short form (lower) -> long form (lower), from "Name (ACR)" pairs in the articles."""
    learned: dict[str, str] = {}
    aliases = alias_table()
    for article_pairs in pairs.values():
        for long, short in article_pairs:
            long_l, short_l = long.lower(), short.lower()
            # When the table knows either side, both go to its canonical name.
            canonical = aliases.get(short_l) or aliases.get(long_l)
            if canonical:
                learned[long_l] = canonical.lower()
                learned[short_l] = canonical.lower()
            else:
                learned.setdefault(short_l, long_l)
    return learned


def _merge_groups(nodes, union: _Union, learned: dict[str, str]) -> None:
    by_key: dict[str, int] = {}
    by_acronym: dict[str, list[int]] = defaultdict(list)
    for i, (_, entity) in enumerate(nodes):
        if entity.type not in _GROUP_TYPES:
            continue
        for name in entity.names:
            key = group_key(name, learned)
            if key in by_key:
                union.join(by_key[key], i)
            else:
                by_key[key] = i
            if not is_acronym(name) and acronym(name):
                by_acronym[acronym(name)].append(i)
    for i, (_, entity) in enumerate(nodes):
        if entity.type not in _GROUP_TYPES:
            continue
        for name in entity.names:
            if is_acronym(name):
                for j in by_acronym.get(name.replace(".", ""), []):
                    union.join(i, j)


def _merge_people(nodes, union: _Union, context: list[set[str]]) -> None:
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, (_, entity) in enumerate(nodes):
        if entity.type == "PERSON" and surname(fullest_name(entity)):
            blocks[skeleton(surname(fullest_name(entity)))[:3]].append(i)
    for block in blocks.values():
        full = [i for i in block if given_names(fullest_name(nodes[i][1]))]
        bare = [i for i in block if not given_names(fullest_name(nodes[i][1]))]
        for a_pos, a in enumerate(full):
            for b in full[a_pos + 1 :]:
                if _same_person(nodes[a][1], nodes[b][1]):
                    union.join(a, b)
        for b in bare:
            _attach_surname(b, full, nodes, union, context)
        # Lone names no full name claims: one entity per spelling when their articles share context.
        lone = [
            b
            for b in bare
            if union.find(b) == b
            or all(
                nodes[j][1].type == "PERSON" and not given_names(fullest_name(nodes[j][1]))
                for j in block
                if union.find(j) == union.find(b)
            )
        ]
        for a_pos, a in enumerate(lone):
            for b in lone[a_pos + 1 :]:
                if (
                    same_token(surname(fullest_name(nodes[a][1])), surname(fullest_name(nodes[b][1])))
                    and context[a] & context[b]
                ):
                    union.join(a, b)


def _merge_misread_places(nodes, union: _Union, learned: dict[str, str]) -> None:
    """A lone word tagged as a person that the corpus also tags as a place or organisation
    ("Kelmar") is that place, unless it already joined a person."""
    group_keys: dict[str, int] = {}
    for i, (_, entity) in enumerate(nodes):
        if entity.type in _GROUP_TYPES:
            for name in entity.names:
                group_keys.setdefault(group_key(name, learned), i)
    sizes: Counter[int] = Counter(union.find(i) for i in range(len(nodes)))
    for i, (_, entity) in enumerate(nodes):
        if entity.type != "PERSON" or any(len(core_tokens(n)) > 1 for n in entity.names):
            continue
        if sizes[union.find(i)] > 1 and any(
            nodes[j][1].type == "PERSON" and len(core_tokens(fullest_name(nodes[j][1]))) > 1
            for j in range(len(nodes))
            if union.find(j) == union.find(i)
        ):
            continue
        key = group_key(fullest_name(entity), learned)
        if key in group_keys:
            union.join(group_keys[key], i)


def _merge_misread_people(nodes, union: _Union, context: list[set[str]]) -> None:
    """A lone word tagged as a place that is the surname of a person named in articles sharing
    at least two other entities with it ("Tarsan thanked Valdria") is that person, unless the
    articles tag that word as a place or organisation more often than they name the person at all
    ("House" beside one "Obama White House" stays the chamber)."""
    people: dict[str, list[int]] = defaultdict(list)
    for i, (_, entity) in enumerate(nodes):
        if entity.type == "PERSON" and given_names(fullest_name(entity)):
            people[fold(surname(fullest_name(entity)))].append(i)
    lone: Counter[str] = Counter()
    for _, entity in nodes:
        core = core_tokens(fullest_name(entity))
        if entity.type != "PERSON" and len(core) == 1:
            lone[fold(core[0])] += len(entity.mentions)
    named: Counter[int] = Counter()  # a person's mentions over every article, by group
    for j, (_, entity) in enumerate(nodes):
        if entity.type == "PERSON":
            named[union.find(j)] += len(entity.mentions)
    told = {j: named[union.find(j)] for js in people.values() for j in js}
    for i, (_, entity) in enumerate(nodes):
        core = core_tokens(fullest_name(entity))
        if entity.type == "PERSON" or len(core) != 1 or is_acronym(fullest_name(entity)):
            continue
        candidates = people.get(fold(core[0]), [])
        if not candidates or any(len(core_tokens(n)) > 1 for n in entity.names):
            continue
        near = [j for j in candidates if len(context[i] & context[j]) >= 2]
        supported = {union.find(j) for j in near}
        if len(supported) == 1 and max(told[j] for j in near) >= lone[fold(core[0])]:
            entity.type = "PERSON"
            union.join(next(iter(supported)), i)


def names_match(a: str, b: str) -> bool:
    """Two full person names that are one name in different romanisations: the surnames agree
    and so do the first given names (a middle name may be missing on one side)."""
    core_a, core_b = core_tokens(a), core_tokens(b)
    if core_a and core_b and len(core_a) != len(core_b):
        # The same name split differently ("Amirali" / "Amir Ali", "Abdelaziz" / "Abdul Aziz").
        joined_a, joined_b = fold("".join(core_a)), fold("".join(core_b))
        if joined_a == joined_b or (
            skeleton(joined_a) == skeleton(joined_b) and Levenshtein.distance(joined_a, joined_b) <= 1
        ):
            return True
    if not same_token(surname(a), surname(b)):
        return False
    given_a, given_b = given_names(a), given_names(b)
    if not given_a or not given_b:
        return True
    # The first given names agree, or one side goes by its middle name ("Mohammad Javad Zarif").
    return same_token(given_a[0], given_b[0]) or any(
        same_token(short[0], g)
        for short, long in ((given_a, given_b), (given_b, given_a))
        if len(short) == 1
        for g in long[1:]
    )


def _same_person(a: LocalEntity, b: LocalEntity) -> bool:
    return names_match(fullest_name(a), fullest_name(b))


def _attach_surname(b: int, full: list[int], nodes, union: _Union, context) -> None:
    """A surname seen without a given name joins the one full-name person the context supports."""
    entity = nodes[b][1]
    candidates: dict[int, int] = {}
    for a in full:
        other = nodes[a][1]
        if not same_token(surname(fullest_name(other)), surname(fullest_name(entity))):
            continue
        heads_a, heads_b = role_heads(other.roles), role_heads(entity.roles)
        if heads_a and heads_b and not heads_a & heads_b:
            continue  # same surname, different office: another person
        root = union.find(a)
        candidates[root] = max(candidates.get(root, 0), len(context[a] & context[b]))
    supported = {root: shared for root, shared in candidates.items() if shared > 0}
    if len(candidates) == 1 and (supported or not context[b]):
        union.join(b, next(iter(candidates)))
    elif supported:
        best = sorted(supported.items(), key=lambda kv: -kv[1])
        if len(best) == 1 or best[0][1] > best[1][1]:
            union.join(b, best[0][0])


def _contexts(nodes, learned: dict[str, str]) -> list[set[str]]:
    """Per node: the keys of the other entities in its article (who else is in the story)."""
    keys = [_key(entity, learned) for _, entity in nodes]
    per_article: dict[str, set[str]] = defaultdict(set)
    for (article_id, _), key in zip(nodes, keys, strict=True):
        per_article[article_id].add(key)
    return [per_article[article_id] - {key} for (article_id, _), key in zip(nodes, keys, strict=True)]


def _key(entity: LocalEntity, learned: dict[str, str]) -> str:
    name = fullest_name(entity)
    return group_key(name, learned) if entity.type != "PERSON" else fold(surname(name))


def _entities(nodes, union: _Union, learned: dict[str, str], learned_pairs) -> list[Entity]:
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(nodes)):
        groups[union.find(i)].append(i)
    entities = []
    aliases = alias_table()
    for members in groups.values():
        names: Counter[str] = Counter()
        types: Counter[str] = Counter()
        roles: list[str] = []
        articles = set()
        for i in members:
            article_id, entity = nodes[i]
            articles.add(article_id)
            types[entity.type] += len(entity.mentions)
            for mention in entity.mentions:
                names[mention.name] += 1
            roles += [r for r in entity.roles if r not in roles]
        kind = types.most_common(1)[0][0]
        if kind in _GROUP_TYPES:
            # Names the articles pair with this one ("Daesh (ISIS)") are aliases even where NER missed them.
            keys = {group_key(n, learned) for n in names}
            for long, short in learned_pairs:
                for form in (long, short):
                    if group_key(form, learned) in keys and form not in names:
                        names[form] += 0
        name = _canonical(names, kind, aliases, learned)
        first = min((nodes[i][0], nodes[i][1].index) for i in members)
        digest = hashlib.sha1(f"{kind}:{name}:{first[0]}:{first[1]}".encode()).hexdigest()[:12]
        entities.append(
            Entity(
                id=f"e_{digest}",
                name=name,
                type=kind,
                aliases=sorted(names),
                roles=roles,
                article_ids=sorted(articles),
                members=sorted((nodes[i][0], nodes[i][1].index) for i in members),
            )
        )
    return sorted(entities, key=lambda e: e.id)


def _canonical(names: Counter, kind: str, aliases: dict[str, str], learned: dict[str, str]) -> str:
    if kind != "PERSON":
        for name, _ in names.most_common():
            canonical = aliases.get(learned.get(name.lower(), name.lower()))
            if canonical:
                return canonical
    # The most used of the fullest names; ties go to the longer spelling.
    used = [n for n in names if names[n] > 0] or list(names)
    fullest = max(len(core_tokens(n)) for n in used)
    candidates = [n for n in used if len(core_tokens(n)) == fullest]
    return max(candidates, key=lambda n: (names[n], len(n), n))
