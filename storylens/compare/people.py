"""One person under two entity ids in a story: the store keeps "Robert S. Mueller III" apart from
"Robert Mueller", "Dave Brat" from "David Brat", when no article joins them. Within one story
(its outlets telling one event) such names are one person: the same surname, given names that
agree (the same, or one the short form of the other: the same first three letters), no
generational suffix against another, and no article naming both (an article naming both means
two people: "Jesse Jackson" and "Jesse Jackson Jr."). A bare surname is the one full name of the
story that carries it."""

from __future__ import annotations

from storylens.compare.claims import Claim
from storylens.understand.names import SUFFIXES, core_tokens

SHORT_FORM = 3  # letters a given name and its short form share ("Dave" / "David", "Sandi" / "Sandra")


def _parts(name: str) -> tuple[str, str, str]:
    """(first given name, surname, generational suffix) of a name, initials left out; "" for what
    it lacks."""
    words = core_tokens(name)
    suffix = words.pop() if len(words) > 1 and words[-1] in SUFFIXES else ""
    words = [w for w in words[:-1] if len(w) > 1] + words[-1:]
    return (words[0] if len(words) > 1 else ""), (words[-1] if words else ""), suffix


def _agree(a: tuple[str, str, str], b: tuple[str, str, str]) -> bool:
    """Two full names of one person: one surname, given names one the short form of the other,
    no two different suffixes."""
    (first_a, last_a, suffix_a), (first_b, last_b, suffix_b) = a, b
    return (
        last_a == last_b
        and len(first_a) >= SHORT_FORM
        and len(first_b) >= SHORT_FORM
        and first_a[:SHORT_FORM] == first_b[:SHORT_FORM]
        and not (suffix_a and suffix_b and suffix_a != suffix_b)
    )


def one_name(a: str, b: str) -> bool:
    """Whether two full names may be written for one person as far as the names tell: the same
    surname and suffix, given names one the short form of the other ("Dave Brat" / "David Brat";
    not "Jesse Jackson" / "Jesse Jackson Jr.")."""
    parts_a, parts_b = _parts(a), _parts(b)
    return a == b or (_agree(parts_a, parts_b) and parts_a[2] == parts_b[2])


def one_person(claims: list[Claim], names: dict[str, str], people: set[str]) -> dict[str, str]:
    """Each person entity the claims name -> the entity standing for its person in the story (the
    one with the fullest name), as the module's rules join them."""
    named_in: dict[str, set[str]] = {}  # entity -> the articles naming it
    for claim in claims:
        for entity in claim.entities & people:
            named_in.setdefault(entity, set()).add(claim.article_id)
    parts = {e: _parts(names.get(e, "")) for e in sorted(named_in)}
    parent = {e: e for e in parts}

    def root(e: str) -> str:
        while parent[e] != e:
            e = parent[e]
        return e

    full = [e for e in parts if parts[e][0]]
    for i, a in enumerate(full):
        for b in full[i + 1 :]:
            apart = not (named_in[a] & named_in[b])
            if apart and root(a) != root(b) and _agree(parts[a], parts[b]):
                parent[root(b)] = root(a)
    for bare in (e for e in parts if not parts[e][0] and parts[e][1]):
        carrying = {root(e) for e in full if parts[e][1] == parts[bare][1]}
        if len(carrying) == 1:
            parent[bare] = carrying.pop()
    groups: dict[str, list[str]] = {}
    for e in parts:
        groups.setdefault(root(e), []).append(e)
    chosen = {}
    for members in groups.values():
        fullest = max(members, key=lambda e: (len(core_tokens(names.get(e, ""))), len(names.get(e, "")), e))
        chosen.update({e: fullest for e in members})
    return chosen


def given_name_variants(person: dict[str, str], names: dict[str, str]) -> set[str]:
    """The entities of the people named with different given names ("Dave Brat" / "David Brat"):
    how an outlet names the person is its choice, shown as a label."""
    firsts: dict[str, set[str]] = {}
    for entity, chosen in person.items():
        first = _parts(names.get(entity, ""))[0]
        if first:
            firsts.setdefault(chosen, set()).add(first)
    return {
        e
        for e, chosen in person.items()
        if len(firsts.get(chosen, set())) >= 2 and _parts(names.get(e, ""))[0]
    }
