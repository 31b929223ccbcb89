"""One person under two entity ids in a story: the store keeps "Robert S. Mueller III" apart from
"Robert Mueller", "Dave Brat" from "David Brat", when no article joins them. Within one story
(its outlets telling one event) such names are one person: the same surname, given names that
agree (the same, or one the short form of the other: the same first three letters), no
generational suffix against another, and no article naming both (an article naming both means
two people: "Jesse Jackson" and "Jesse Jackson Jr."). A bare surname is the one full name of the
story that carries it."""

from __future__ import annotations

from collections.abc import Callable

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


def first_given(name: str) -> str:
    """The first given name of a full name, initials left out ("" for a bare surname)."""
    return _parts(name)[0]


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


def written_names(
    texts: dict[str, str], mentions: dict[str, list[tuple[int, int, str, str, str]]]
) -> dict[tuple[str, str], str]:
    """(article id, person entity) -> the fullest name the article writes for the person (most
    words, then longest; none in capitals only): the store's entity has one name, an outlet may
    write another ("Dave Brat" where the store's name is "David Brat")."""
    found: dict[tuple[str, str], str] = {}
    for article, spans in mentions.items():
        text = texts.get(article, "")
        for start, end, entity, _, kind in spans:
            written = " ".join(text[start:end].split())
            if kind != "PERSON" or not written[:1].isupper() or written.isupper():
                continue
            known = found.get((article, entity), "")
            if (len(core_tokens(written)), len(written)) > (len(core_tokens(known)), len(known)):
                found[(article, entity)] = written
    return found


def given_name_variants(
    claims: list[Claim], person: dict[str, str], name_in: Callable[[Claim, str], str]
) -> set[str]:
    """The people (their entities standing for them, `person`'s values) that the claims name with
    different given names ("Dave Brat" / "David Brat"), each claim's name for an entity by
    `name_in`: how an outlet names the person is its choice, shown as a label."""
    firsts: dict[str, set[str]] = {}
    for claim in claims:
        for entity in claim.entities & person.keys():
            first = first_given(name_in(claim, entity))
            if first:
                firsts.setdefault(person[entity], set()).add(first)
    return {chosen for chosen, found in firsts.items() if len(found) >= 2}
