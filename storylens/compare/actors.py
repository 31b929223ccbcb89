"""Who did what in a claim: the people, organisations and countries named as the subject (or, in
the passive, the "by" phrase) of its verbs, as "verb|entity id". Saying is left out (who said it
is attribution, not the fact), and so are role nouns and nationalities, which outlets resolve or
name differently, and a name qualifying the subject ("Valdria's army chief", "the Texas
Republican"), which is not who did it."""

from __future__ import annotations

ACTOR_TYPES = frozenset({"PERSON", "ORG", "GPE"})
MODIFIERS = frozenset({"poss", "compound", "amod", "nmod"})  # a name qualifying the doer


def reporting_verbs() -> set[str]:
    from storylens.understand.quotes import _lexicon

    return _lexicon().get("verbs", set())


def actors_named(tokens, named: list[tuple[int, int, str]], kinds: dict[str, str]) -> frozenset[str]:
    """Who did what, as "verb|entity id": for each verb of the claim, the people, organisations
    and countries named in its subject or, in the passive, its "by" phrase ("Kelmar shelled the
    depot" and "the depot was shelled by Kelmar" -> "shell|<Kelmar's id>"). Reporting verbs are left
    out (who said it is attribution, not the fact), and so are nationalities ("Valdrian jets"),
    which cannot be told apart from the country they name, and role nouns ("the president")."""
    return actors_of(agents_named(tokens, [(s, e) for s, e, _ in named]), named, kinds)


def agents_named(tokens, mentions: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """(verb, start, end) of each mention that is a name (_proper) in the subject or "by" phrase
    of a verb of the claim, reporting verbs aside: what actors_of() binds to entities."""
    reporting = reporting_verbs()
    found: list[tuple[str, int, int]] = []
    for token in tokens:
        if token.pos_ != "VERB" or token.lemma_.lower() in reporting:
            continue
        agents = [c for c in token.children if c.dep_ == "nsubj"]
        agents += [g for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        for agent in agents:
            begin = agent.left_edge.idx
            finish = agent.right_edge.idx + len(agent.right_edge)
            found.extend(
                (token.lemma_.lower(), s, e)
                for s, e in mentions
                if s >= begin and e <= finish and _proper(tokens, s, e)
                if not _modifier(tokens, s, e, agent)
            )
    return found


def _modifier(tokens, start: int, end: int, agent) -> bool:
    """Whether the mention only qualifies the agent: its owner ("Valdria's army chief signed it":
    the chief did) or a word before it ("U.S. Representative Voss", "the Texas Republican")."""
    inside = [t for t in tokens if start <= t.idx < end]
    head = next((t for t in inside if not start <= t.head.idx < end or t.head.i == t.i), None)
    while head is not None and head.i != agent.i:
        if head.dep_ in MODIFIERS:
            return True
        head = head.head if head.head.i != head.i else None
    return False


def actors_of(
    agents: list[tuple[str, int, int]], named: list[tuple[int, int, str]], kinds: dict[str, str]
) -> frozenset[str]:
    """The "verb|entity id" of each agent mention (agents_named) whose entity is a person,
    organisation or country (see actors_named)."""
    entities: dict[tuple[int, int], list[str]] = {}
    for s, e, entity in named:
        entities.setdefault((s, e), []).append(entity)
    return frozenset(
        f"{verb}|{entity}"
        for verb, s, e in agents
        for entity in entities.get((s, e), [])
        if kinds.get(entity) in ACTOR_TYPES
    )


def _proper(tokens, start: int, end: int) -> bool:
    """Whether the mention at these offsets is a name ("Kelmar", "President Voss"), not a role
    noun the analysis resolved to someone ("the president"), which outlets resolve differently."""
    return any(t.pos_ == "PROPN" for t in tokens if start <= t.idx < end)
