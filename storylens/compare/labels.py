"""Labels: one referent, named with different words by different outlets.

Three kinds. Entities that outlets name by different nouns ("Kelmar's government" / "the Kelmari
regime") or describe differently ("Fox News host" / "bombastic conservative talk show host"),
from each claim's label nouns and descriptions (naming.py). And wording: in two claims of
different outlets that say the same thing (cosine at least RELATED), two-word phrases that share
one word and differ in the other, each differing word absent from the other claim, the two
phrases close in meaning ("unauthorized immigrants" / "illegal immigrants", "spending bill" /
"spending package"). And contested wording (compare/data/contested.txt): when one outlet names a
thing with one phrase of a contested set ("undocumented immigrant") and another with another
("illegal alien"), each never using the other's.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib.resources import files

import numpy as np

from storylens.clean.words import stopwords
from storylens.compare.actors import reporting_verbs
from storylens.compare.claims import Claim
from storylens.compare.facts import RELATED, source_of
from storylens.compare.people import first_given, given_name_variants, one_person

MAX_ENTITIES = 8  # entities listed per story, those the most outlets name first
MAX_WORDINGS = 8  # wording entries listed per story, the most widely used first
MAX_PHRASES = 4  # a longer chain of close phrases is the story's topic word, not one referent
SAME_THING = 0.70  # two phrases this close (sentence embeddings) name one thing: chosen on the tuning set
STEM = 5  # letters two forms of one word share ("president" / "presidential")
# Times are not referents: "last summer" / "last year" name two times, not one time twice.
TIMES = frozenset(
    "day week month year decade century season summer winter spring fall autumn morning afternoon "
    "evening night weekend hour minute monday tuesday wednesday thursday friday saturday sunday "
    "january february march april may june july august september october november december".split()
)
ROWS = 256  # rows of cosines computed at a time when no similarity matrix is given
Candidates = dict[tuple[str, str], tuple[set[str], set[str]]]  # (p, q) -> the outlets using p, q


def entity_labels(
    claims: list[Claim],
    names: dict[str, str],
    people: set[str] | None = None,
    written: dict[tuple[str, str], str] | None = None,
) -> list[dict]:
    """Entities that outlets name or describe differently: each with every label noun ("regime")
    and description ("GOP front-runner") and the outlets using it, when two outlets chose
    differently (each uses words the other never does, forms of one choice taken as one:
    _one_choice), those most outlets name first. `people`: the person entities, whose ids naming
    one person in the story count as one (people.one_person), their different given names
    ("Dave Brat" / "David Brat") as labels; `written`: (article id, entity) -> the name the article
    writes for it (people.written_names), where the store holds one name for both."""
    person = one_person(claims, names, people or set())
    written = written or {}

    def name_in(claim: Claim, entity: str) -> str:
        return written.get((claim.article_id, entity)) or names.get(entity, "")

    variants = given_name_variants(claims, person, name_in)
    used: dict[str, dict[str, set[str]]] = {}
    named: dict[str, set[str]] = {}  # a description -> its words that are names, not the outlet's words
    for claim in claims:
        plain = {w for w, entity in claim.tokens if not entity}
        for entity, words in [*claim.labels, *claim.described]:
            used.setdefault(person.get(entity, entity), {}).setdefault(words, set()).add(source_of(claim))
            named.setdefault(words, set()).update(w for w in _content_words(words) if not _plain(w, plain))
        for entity in claim.entities & person.keys():
            name = name_in(claim, entity)
            if person[entity] in variants and first_given(name):
                used.setdefault(person[entity], {}).setdefault(name, set()).add(source_of(claim))
                named.setdefault(name, set()).update(_content_words(name))
    chosen = {entity: _one_choice(words, named) for entity, words in used.items()}
    shown = [(entity, words) for entity, words in chosen.items() if _differ(words)]
    shown.sort(key=lambda item: (-len(set().union(*item[1].values())), -len(item[1]), item[0]))
    return [
        {
            "entity_id": entity,
            "entity": names.get(entity, entity),
            "labels": _listed(words),
            "why": "the outlets name or describe this entity in different words",
        }
        for entity, words in shown[:MAX_ENTITIES]
    ]


def _content_words(text: str) -> set[str]:
    """A description's words, stop words left out, a final "s" dropped ("economics" = "economic")."""
    words = text.replace("-", " ").replace("\u2019s", " ").replace("'s", " ").split()
    return {w.rstrip("s") if len(w) > 3 else w for w in words if w not in stopwords()}


def _plain(word: str, plain: set[str]) -> bool:
    """Whether a description's word is one of the claim's own words (its lemmas outside names),
    not a name or an abbreviation ("U.S.", "Texas", "FBI" in "FBI special counsel")."""
    if "." in word:
        return False
    return any(word == w or (len(w) > 2 and (word.startswith(w) or w.startswith(word))) for w in plain)


def _one_choice(used: dict[str, set[str]], named: dict[str, set[str]]) -> dict[str, set[str]]:
    """The descriptions of one entity, forms of one choice taken as one, under the longest: the
    same words in another order ("NAACP president" / "president of the NAACP"), or fewer of them
    with only names left out ("deputy attorney general" / "U.S. deputy attorney general",
    "former representative" / "former Texas representative"). A word that is no name keeps the
    two apart: "conspiracy theorist" / "far-right conspiracy theorist"."""
    merged: dict[str, set[str]] = {}
    for words in sorted(used, key=lambda w: (-len(_content_words(w)), -len(w), w)):
        mine = _content_words(words)
        into = next(
            (
                longer
                for longer in merged
                if mine <= _content_words(longer) and _content_words(longer) - mine <= named[longer]
            ),
            None,
        )
        merged.setdefault(into or words, set()).update(used[words])
    return merged


def _differ(used: dict[str, set[str]]) -> bool:
    """Two outlets chose differently: each uses words for the referent that the other never does."""
    return any(used[p] - used[q] and used[q] - used[p] for p in used for q in used if p < q)


def _chose(used: dict[str, set[str]]) -> bool:
    """An outlet uses a phrase for the referent that another outlet, naming it too, never uses:
    "pot" in one outlet (beside "marijuana"), "marijuana" alone in another."""
    return any(used[q] - used[p] for p in used for q in used if p != q)


@cache
def contested_sets() -> tuple[tuple[str, ...], ...]:
    """The contested sets of compare/data/contested.txt, each phrase as the lemmas a claim holds
    ("pro-life" as "pro | life": claims mark a hyphen, like any punctuation, "|")."""
    text = (files("storylens.compare") / "data" / "contested.txt").read_text(encoding="utf-8")
    found = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            phrases = [" ".join(p.strip().lower().replace("-", " | ").split()) for p in line.split(" | ")]
            found.append(tuple(p for p in phrases if p))
    return tuple(found)


def contested(claims: list[Claim], names: dict[str, str] | None = None) -> list[dict]:
    """Contested wording: for each set of compare/data/contested.txt, the phrases the story's
    outlets use, when an outlet names the thing only by words another outlet does not use
    (_chose). A name is read as its entity's name (`names`: "the Affordable Care Act" beside
    "Obamacare"), or left out."""
    text_of: dict[str, str] = {}
    names = names or {}
    for claim in claims:
        words = " ".join((names.get(entity, "").lower() if entity else word) for word, entity in claim.tokens)
        text_of[source_of(claim)] = f"{text_of.get(source_of(claim), '')} {words} "
    found = []
    for phrases in contested_sets():
        used = {p: {s for s, text in text_of.items() if f" {p} " in text} for p in phrases}
        used = {p: sources for p, sources in used.items() if sources}
        if _chose(used):
            shown = {p.replace(" | ", "-"): sources for p, sources in used.items()}
            found.append(
                {
                    "entity_id": None,
                    "entity": " / ".join(sorted(shown)),
                    "labels": _listed(shown),
                    "contested": True,
                    "why": "phrases of one set of contested wording (compare/data/contested.txt)",
                }
            )
    return found


def wordings(
    claims: list[Claim], vectors: np.ndarray, embed, similarity: np.ndarray | None = None
) -> list[dict]:
    """Phrases that name one thing differently in claims of different outlets that say the same
    thing, the two phrases themselves close in meaning (cosine at least SAME_THING), one pair of
    phrases per swap of words (the closest): each entry every phrase of one referent with the
    outlets using it."""
    candidates = wording_candidates(claims, vectors, similarity)
    if not candidates:
        return []
    phrases = sorted({p for pair in candidates for p in pair})
    phrase_vectors = dict(zip(phrases, embed(phrases), strict=True))
    parent = {p: p for p in phrases}

    def root(p: str) -> str:
        while parent[p] != p:
            p = parent[p]
        return p

    best: dict[frozenset[str], tuple[float, str, str]] = {}  # one phrase pair per swap of words
    for p, q in candidates:
        score = float(phrase_vectors[p] @ phrase_vectors[q])
        swap = frozenset(set(p.split()) ^ set(q.split()))
        if score >= SAME_THING and score > best.get(swap, (0.0, "", ""))[0]:
            best[swap] = (score, p, q)
    used: dict[str, set[str]] = {}
    for _, p, q in best.values():
        left, right = candidates[p, q]
        parent[root(p)] = root(q)
        used.setdefault(p, set()).update(left)
        used.setdefault(q, set()).update(right)
    groups: dict[str, dict[str, set[str]]] = {}
    for phrase, sources in used.items():
        groups.setdefault(root(phrase), {})[phrase] = sources
    ranked = sorted(
        (g for g in groups.values() if len(set().union(*g.values())) >= 2 and len(g) <= MAX_PHRASES),
        key=lambda g: (-len(set().union(*g.values())), -len(g), sorted(g)),
    )
    return [
        {
            "entity_id": None,
            "entity": " / ".join(sorted(g)),
            "labels": _listed(g),
            "why": "noun phrases swapping one word in claims that say the same thing "
            f"(cosine {RELATED:.2f} or more), the phrases themselves close (cosine {SAME_THING:.2f} or more)",
        }
        for g in ranked[:MAX_WORDINGS]
    ]


def wording_candidates(
    claims: list[Claim], vectors: np.ndarray, similarity: np.ndarray | None = None
) -> Candidates:
    """The phrase pairs wordings() weighs, (p, q) in order, each with the outlets using p and q:
    in two claims of different outlets at cosine at least RELATED, two-word noun phrases that
    share one word at its place and differ in the other (not two forms of one word), neither
    differing word in the other claim.
    `similarity`: vectors @ vectors.T, when the caller has it."""
    pairs = [_pairs(c) for c in claims]
    by_word = [_by_word(found) for found in pairs]
    # a claim's words: its lemmas, and its phrases' words (a plural modifier as written: "rights")
    words = [{w for w, _ in c.tokens} | {w for p in c.phrases for w in p.split()} for c in claims]
    candidates: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for i, j in _related(vectors, similarity):
        a, b = claims[i], claims[j]
        if source_of(a) == source_of(b):
            continue
        for x in pairs[i]:
            # the phrases of b sharing a word with x at its place, in b's own order
            for _, y in sorted(set(by_word[j].get((0, x[0]), [])) | set(by_word[j].get((1, x[1]), []))):
                for keep in (0, 1):  # the shared word's place in the phrase
                    other = 1 - keep
                    if (
                        x[keep] == y[keep]
                        and x[other] != y[other]
                        and not _one_word(x[other], y[other])
                        and x[other] not in words[j]
                        and y[other] not in words[i]
                    ):
                        p, q = sorted(((" ".join(x), source_of(a)), (" ".join(y), source_of(b))))
                        sources = candidates.setdefault((p[0], q[0]), (set(), set()))
                        sources[0].add(p[1])
                        sources[1].add(q[1])
    return candidates


def _related(vectors: np.ndarray, similarity: np.ndarray | None) -> Iterator[tuple[int, int]]:
    """The pairs i < j of claims at cosine at least RELATED, in order: from `similarity` when the
    caller has it, else ROWS rows at a time (a story of 66 copies holds 9,000 claims: its square
    matrix would take 0.3 GB)."""
    if similarity is not None:
        yield from zip(*np.nonzero(np.triu(similarity >= RELATED, k=1)), strict=True)
        return
    for start in range(0, len(vectors), ROWS):
        block = vectors[start : start + ROWS] @ vectors.T
        for i, j in zip(*np.nonzero(block >= RELATED), strict=True):
            if j > start + i:
                yield start + i, j


def _pairs(claim: Claim) -> set[tuple[str, str]]:
    """The claim's two-word noun phrases (naming.noun_phrases: a common noun and the word before
    it that modifies it), neither word a stop word or a reporting verb, nor a time ("last year")."""
    skip = stopwords() | reporting_verbs()
    found = set()
    for phrase in claim.phrases:
        modifier, head = phrase.split(" ", 1)
        short = min(len(modifier), len(head)) <= 2
        if modifier not in skip and head not in skip and head not in TIMES and not short:
            found.add((modifier, head))
    return found


def _one_word(a: str, b: str) -> bool:
    """Two forms of one word ("economic" / "economics", "bloody" / "bloodied"): the same first
    STEM letters, or one the start of the other."""
    return a[:STEM] == b[:STEM] or a.startswith(b) or b.startswith(a)


def _by_word(pairs: set[tuple[str, str]]) -> dict[tuple[int, str], list[tuple[int, tuple[str, str]]]]:
    """The phrases by (place, word), each with its rank in the set's order of iteration."""
    found: dict[tuple[int, str], list[tuple[int, tuple[str, str]]]] = {}
    for rank, pair in enumerate(pairs):
        for place in (0, 1):
            found.setdefault((place, pair[place]), []).append((rank, pair))
    return found


def _listed(words: dict[str, set[str]]) -> dict[str, list[str]]:
    return {w: sorted(s) for w, s in sorted(words.items())}
