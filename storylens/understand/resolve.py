"""Across articles: local entities that name the same real-world entity become one.

People merge when their surnames are one name in different romanisations and their first given
names agree (or one side has none and the context agrees, or one is a nickname of the other and
the context agrees: "Chuck Schumer", "Charles E. Schumer"); organisations and places merge by
normalised name, the alias table (data/aliases.tsv), "Name (ACR)" pairs written in the articles,
and an acronym written alone joins the one name it abbreviates that its context supports
(groups.py). Two people sharing a surname in different roles stay apart.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from storylens.model import LocalEntity
from storylens.understand.entities import fullest_name
from storylens.understand.groups import GROUP_TYPES, group_key, learned_aliases, merge_groups, written_pair
from storylens.understand.names import (
    acronym,
    alias_table,
    core_tokens,
    fold,
    given_names,
    is_acronym,
    may_be_taken_for,
    names_match,
    nickname_of,
    person_tokens,
    same_token,
    skeleton,
    suffix,
    surname,
)


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


def resolve(
    locals_by_article: dict[str, list[LocalEntity]],
    acronym_pairs: dict[str, list[tuple[str, str]]] | None = None,
    contexts: dict[str, frozenset[str]] | None = None,
) -> list[Entity]:
    """One Entity per real-world entity across all articles, with its members. `contexts`:
    each article's context keys (context_keys), when `locals_by_article` holds only some of an
    article's local entities: the entities resolving every article gives those, when no local
    entity left out shares a merge key (merge_keys) with one of them."""
    nodes = [(aid, e) for aid in sorted(locals_by_article) for e in locals_by_article[aid]]
    union = _Union(len(nodes))
    learned = learned_aliases(acronym_pairs or {})
    context = _Contexts(nodes, learned, contexts)
    merge_groups(nodes, union, learned, context)
    _merge_people(nodes, union, context)
    _merge_misread_places(nodes, union, learned)
    _merge_misread_people(nodes, union, context)
    pairs = sorted(
        {
            pair
            for article_pairs in (acronym_pairs or {}).values()
            for pair in article_pairs
            if written_pair(*pair)
        }
    )
    return _entities(nodes, union, learned, pairs)


def context_keys(
    locals_by_article: dict[str, list[LocalEntity]], learned: dict[str, str]
) -> dict[str, frozenset[str]]:
    """article id -> the keys of its local entities, which resolution reads as each one's
    context (who else is in the story)."""
    return {
        aid: frozenset(_key(e, learned) for e in found) for aid, found in locals_by_article.items() if found
    }


def merge_keys(entity: LocalEntity, learned: dict[str, str]) -> set[str]:
    """Every key through which resolve() joins this local entity to another or weighs another in
    deciding whether to (a key per index the merges below look up): two local entities sharing
    none, through the entities they belong to, resolve apart whatever else the store holds."""
    keys = set()
    if entity.type in GROUP_TYPES:  # groups.merge_groups: names and acronyms
        for name in entity.names:
            keys.add("g:" + group_key(name, learned))
            if is_acronym(name):
                keys.add("a:" + name.replace(".", ""))
            elif acronym(name):
                keys.add("a:" + acronym(name))
    name = fullest_name(entity)
    core = core_tokens(name)
    if entity.type == "PERSON":
        if surname(name):  # _merge_people: the surname block
            keys.add("b:" + skeleton(surname(name))[:3])
        if given_names(name):  # _merge_misread_people: a person a lone word may be
            keys.add("w:" + fold(surname(name)))
        if not any(len(core_tokens(n)) > 1 for n in entity.names):  # _merge_misread_places
            keys.add("g:" + group_key(name, learned))
    elif len(core) == 1:  # _merge_misread_people: a lone word, and its count
        keys.add("w:" + fold(core[0]))
    return keys


def _merge_people(nodes, union: _Union, context: _Contexts) -> None:
    """People by surname block: full names that are one name, then each bare surname to the one
    full name its context supports, then lone surnames sharing context. Each step compares
    distinct names (and contexts) once, not every pair of mentions: a name copied across many
    articles costs one comparison (the partition is the same; a group's root is its smallest
    index whatever the order of joins, _Union.join)."""
    fullest = {i: fullest_name(e) for i, (_, e) in enumerate(nodes) if e.type == "PERSON"}
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, name in fullest.items():
        if surname(name):
            blocks[skeleton(surname(name))[:3]].append(i)
    for block in blocks.values():
        full = [i for i in block if given_names(fullest[i])]
        bare = [i for i in block if not given_names(fullest[i])]
        _join_matching_names(full, fullest, union)
        _join_variants(full, bare, fullest, nodes, union, context)
        attached = _attach_surnames(bare, full, nodes, fullest, union, context)
        # Lone names no full name claims (not its group's root alone: a bare surname listed before
        # every full name it joined is that group's root): one entity per spelling when their
        # articles share context.
        _join_lone_surnames([b for b in bare if b not in attached], fullest, union, context)


def _join_matching_names(full: list[int], fullest: dict[int, str], union: _Union) -> None:
    """Full names that are one name (names_match), each distinct spelling compared once."""
    first: dict[str, int] = {}
    for i in full:
        if fullest[i] in first:
            union.join(first[fullest[i]], i)
        else:
            first[fullest[i]] = i
    names = list(first)
    for a_pos, a in enumerate(names):
        for b in names[a_pos + 1 :]:
            if names_match(a, b):
                union.join(first[a], first[b])


def _join_variants(
    full: list[int], bare: list[int], fullest: dict[int, str], nodes, union: _Union, context
) -> None:
    """Full names one person is written by beyond one spelling (names_match), each distinct pair
    of names compared once:
    - a nickname of the first given name ("Chuck Schumer", "Charles E. Schumer"), when an article
      of each shares context: weaker evidence than one spelling (and still wrong where another
      man of that name shares the context: a blogger "Mike Flynn" and Michael T. Flynn);
    - a generational suffix one side leaves out ("Joseph R. Biden Jr.", "Joe Biden"), unless an
      article names beside the suffixed name another person it may be (of that surname, bare or
      of that given name: "Donald Trump Jr." and "President Trump"): then a suffix of that
      surname always tells two people apart."""
    nodes_of: dict[str, list[int]] = defaultdict(list)
    for i in full:
        nodes_of[fullest[i]].append(i)
    in_article: dict[str, list[int]] = defaultdict(list)
    for i in full + bare:
        in_article[nodes[i][0]].append(i)
    apart = {
        fold(surname(fullest[i]))
        for found in in_article.values()
        for i in found
        if suffix(fullest[i]) and any(j != i and may_be_taken_for(fullest[j], fullest[i]) for j in found)
    }
    seen: dict[str, frozenset[str]] = {}

    def contexts(name: str) -> frozenset[str]:
        if name not in seen:
            seen[name] = frozenset().union(*(context[i] for i in nodes_of[name]))
        return seen[name]

    names = list(nodes_of)
    for a_pos, a in enumerate(names):
        for b in names[a_pos + 1 :]:
            if not same_token(surname(a), surname(b)):
                continue
            if suffix(a) != suffix(b):
                if suffix(a) and suffix(b) or fold(surname(a)) in apart or fold(surname(b)) in apart:
                    continue
                bare_a, bare_b = " ".join(person_tokens(a)), " ".join(person_tokens(b))
                if names_match(bare_a, bare_b):
                    union.join(nodes_of[a][0], nodes_of[b][0])
                    continue
            if nickname_of(given_names(a), given_names(b)) and contexts(a) & contexts(b):
                union.join(nodes_of[a][0], nodes_of[b][0])


def _attach_surnames(bare, full, nodes, fullest, union: _Union, context) -> set[int]:
    """Each bare surname joins the one full-name person its context supports (_supported_person),
    decided once per distinct surname, office and context. Returns the bare surnames joined."""
    # The distinct (group, surname, offices, context) of the full names, in their order; bare
    # surnames join these groups, and no join of one merges two of them.
    people = list(
        dict.fromkeys(
            (union.find(a), surname(fullest[a]), _offices(nodes[a][1]), frozenset(context[a])) for a in full
        )
    )
    decided: dict[tuple, int | None] = {}
    attached = set()
    for b in bare:
        key = (surname(fullest[b]), _offices(nodes[b][1]), frozenset(context[b]))
        if key not in decided:
            decided[key] = _supported_person(*key, people)
        if decided[key] is not None:
            union.join(b, decided[key])
            attached.add(b)
    return attached


def _offices(entity: LocalEntity) -> frozenset[str]:
    return frozenset(role_heads(entity.roles))


def _supported_person(name: str, heads: frozenset, context: frozenset, people) -> int | None:
    """The group a bare surname joins: the only one bearing it, when the context supports it or
    there is no context; else the one sharing strictly the most context; else none."""
    candidates: dict[int, int] = {}
    for group, other, other_heads, other_context in people:
        if not same_token(other, name):
            continue
        if heads and other_heads and not heads & other_heads:
            continue  # same surname, different office: another person
        candidates[group] = max(candidates.get(group, 0), len(other_context & context))
    supported = {group: shared for group, shared in candidates.items() if shared > 0}
    if len(candidates) == 1 and (supported or not context):
        return next(iter(candidates))
    if supported:
        best = sorted(supported.items(), key=lambda kv: -kv[1])
        if len(best) == 1 or best[0][1] > best[1][1]:
            return best[0][0]
    return None


def _join_lone_surnames(lone: list[int], fullest: dict[int, str], union: _Union, context) -> None:
    """Lone surnames that are one name and whose articles share context, each distinct surname
    and context compared once."""
    first: dict[tuple[str, frozenset], int] = {}
    for b in lone:
        key = (surname(fullest[b]), frozenset(context[b]))
        if key in first:
            if key[1]:  # the same name and context: they share it, unless there is none
                union.join(first[key], b)
        else:
            first[key] = b
    keys = list(first)
    for a_pos, (name_a, context_a) in enumerate(keys):
        for name_b, context_b in keys[a_pos + 1 :]:
            if same_token(name_a, name_b) and context_a & context_b:
                union.join(first[(name_a, context_a)], first[(name_b, context_b)])


def _merge_misread_places(nodes, union: _Union, learned: dict[str, str]) -> None:
    """A lone word tagged as a person that the corpus also tags as a place or organisation
    ("Kelmar") is that place, unless it already joined a person."""
    group_keys: dict[str, int] = {}
    for i, (_, entity) in enumerate(nodes):
        if entity.type in GROUP_TYPES:
            for name in entity.names:
                group_keys.setdefault(group_key(name, learned), i)
    sizes: Counter[int] = Counter(union.find(i) for i in range(len(nodes)))
    # The groups holding a person of two or more words, kept as groups join (a root is its
    # group's smallest index: _Union.join), so that each node asks once, not over every node.
    with_full_name = {
        union.find(j)
        for j, (_, other) in enumerate(nodes)
        if other.type == "PERSON" and len(core_tokens(fullest_name(other))) > 1
    }
    for i, (_, entity) in enumerate(nodes):
        if entity.type != "PERSON" or any(len(core_tokens(n)) > 1 for n in entity.names):
            continue
        if sizes[union.find(i)] > 1 and union.find(i) in with_full_name:
            continue
        key = group_key(fullest_name(entity), learned)
        if key in group_keys:
            roots = {union.find(group_keys[key]), union.find(i)}
            union.join(group_keys[key], i)
            if roots & with_full_name:
                with_full_name.add(union.find(i))


def _merge_misread_people(nodes, union: _Union, context: _Contexts) -> None:
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


class _Contexts:
    """Per node: the keys of the other entities in its article (who else is in the story), made
    when asked for from one set per article (a set per node held 0.4 GiB at 10,000 articles)."""

    def __init__(self, nodes, learned: dict[str, str], given: dict[str, frozenset[str]] | None = None):
        self.keys = [_key(entity, learned) for _, entity in nodes]
        self.articles = [article_id for article_id, _ in nodes]
        if given is not None:  # the whole of each article, when nodes are some of it
            self.per_article = given
            return
        per_article: dict[str, set[str]] = defaultdict(set)
        for article_id, key in zip(self.articles, self.keys, strict=True):
            per_article[article_id].add(key)
        self.per_article = {article_id: frozenset(keys) for article_id, keys in per_article.items()}

    def __getitem__(self, i: int) -> frozenset[str]:
        return self.per_article[self.articles[i]] - {self.keys[i]}


def _key(entity: LocalEntity, learned: dict[str, str]) -> str:
    name = fullest_name(entity)
    return group_key(name, learned) if entity.type != "PERSON" else fold(surname(name))


def _entities(nodes, union: _Union, learned: dict[str, str], learned_pairs) -> list[Entity]:
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(nodes)):
        groups[union.find(i)].append(i)
    entities = []
    aliases = alias_table()
    keys_of: dict[str, str] = {}  # name -> group_key, computed once a name

    def key_of(name: str) -> str:
        if name not in keys_of:
            keys_of[name] = group_key(name, learned)
        return keys_of[name]

    paired = [(form, key_of(form)) for long, short in learned_pairs for form in (long, short)]
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
        if kind in GROUP_TYPES:
            # Names the articles pair with this one ("Daesh (ISIS)") are aliases even where NER missed them.
            keys = {key_of(n) for n in names}
            for form, key in paired:
                if key in keys and form not in names:
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


def entity_keys(
    entity: Entity, member_keys: dict[tuple[str, int], set[str]], learned: dict[str, str]
) -> set[str]:
    """An entity's merge keys: its members' (merge_keys, of each as the store holds it), and for
    an organisation or place each of its names' group key marked "n:" (the names a new
    "Name (ACR)" pair would add to it as aliases, _entities)."""
    keys = set().union(*(member_keys[m] for m in entity.members))
    if entity.type in GROUP_TYPES:
        keys |= {"n:" + group_key(name, learned) for name in entity.aliases}
    return keys
