"""Whose voice a claim is in, read from its article around it: whether it lies inside a quotation
opened before it (a later sentence of a speaker's quoted words: "We are disappointed," he said.
"From the beginning ... | Congressman Grimm asserts his innocence."); whether it has a personal
pronoun outside quotation marks and names no one ("Doctors said his condition ..."), so that who
"his" is lies in another sentence (the subject of what someone is said to say is the sayer: "X
said he ..."); and which statements it tells, by the article's quotes as the analysis found them
(direct and reported, each statement linked across articles however worded); and who a pronoun
that speaks stands for ("She said the gates ...", "“We are sorry,” she said"), where two articles
attribute the statement to one person: the analysis resolved the pronoun to its speaker, and another
article's quote of the same statement (statements link one speaker's quotes) agrees; and whose
quotation a claim lies wholly inside, where the analysis knows the speaker (`"He was a good kid.`,
a later sentence of what "said the older half-brother" before it), so that the lists can show it
with its speaker (Claim.told: 'Dana Ruiz said: "He was a good kid."').
Quotation marks are read as the analysis reads them (understand/marks.py)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from storylens.understand.entities import split_title
from storylens.understand.names import SUFFIXES

# A third person singular pronoun standing for someone (a person named elsewhere, if not here).
PERSONAL = re.compile(r"\b(?:he|him|his|she|her|hers|himself|herself)\b", re.I)
# "X said he ...": the subject of what is said is the sayer, named or described before the verb.
SAYER = re.compile(
    r"\b(?:said|says|told \w+|added|argued|insisted|claimed|announced|stated|wrote|believes|thinks)"
    r"(?: that)? $"
)
DOUBLE_MARK = re.compile('(?<!\n)["\u201c\u201d]')  # not one opening a quotation's next paragraph
ATTRIBUTED = re.compile(r"\b(?:said|says)\b", re.I)  # a claim or "speaker" that says who said it
DETERMINERS = frozenset({"the", "a", "an", "one", "his", "her", "their", "its", "another"})
NAME_CHARACTERS = re.compile(r"[\w .'\u2019-]+")  # no credit line ("Jo Ortiz/New York Daily News")
MARKS = "\"\u201c\u201d\u00ab\u00bb\u201e`'\u2018\u2019 "
# A pronoun in a speaker's place: opening the sentence ("She said the ferries ...", "He added: ..."; not
# a clause opening on "he", which goes on from its sentence's start), or right after a quotation's
# closing mark ("“...,” he said") or its reporting verb ("“...,” said she"); not after a word a
# quotation mark closes (“student” after he asked": who asked is the student).
SPEAKING = re.compile(
    r"^(?P<p>He|She)\b|[\"\u201d],?\s+(?:(?P<q>[Hh]e|[Ss]he)|(?:said|says|added|asked|wrote|continued)\s+(?P<r>he|she))\b"
)

Quoted = list[tuple[int, int]]  # (start, end) of an article's quoted text (marks.quote_spans)
# (start, end, statement id) of its quotes, then (speaker entity id, the speaker as written) if known
Said = list[tuple]


@dataclass(frozen=True)
class Voice:
    quoting: bool  # inside a quotation opened before it
    dangling: bool  # a personal pronoun outside quotation marks, and no one named there
    statements: frozenset[str] = frozenset()  # the statements it tells (quotes' statement ids)
    speaker: tuple[int, int, str] | None = None  # a pronoun speaking, named: (start, end, entity id)
    quoter: tuple[str | None, str] | None = None  # whose quotation it lies in: (entity id, as written)


UNREAD = Voice(False, False)  # a claim whose article text is not at hand


def voice_of(
    text: str,
    start: int,
    end: int,
    quoted: Quoted,
    named: list[tuple[int, int]],
    said: Said = (),
    shared: frozenset[str] = frozenset(),
) -> Voice:
    """The voice of the claim at `start`:`end` of an article's `text`; `quoted`: the article's
    quoted text; `named`: the (start, end) of its entity mentions, of any type (the tagger takes a
    person for an organisation often enough: "Trump himself said ..."); `said`: its quotes;
    `shared`: the statements two articles or more tell."""
    first = start + len(text[start:end]) - len(text[start:end].lstrip(MARKS))
    quoting = first == start and inside(quoted, start)
    own = [(s, e) for s, e in named if s >= start and e <= end and not inside(quoted, s)]
    pronouns = [
        m
        for m in PERSONAL.finditer(text, start, end)
        if not inside(quoted, m.start()) and not said_of_sayer(text, m, start)
    ]
    overlapping = [q for q in said if q[0] < end and q[1] > start]
    speaker = speaking(text, first, end, quoted, overlapping, shared)
    return Voice(
        quoting,
        bool(pronouns) and not own,
        frozenset(q[2] for q in overlapping if q[2]),
        speaker,
        quoter(text, first, end, quoted, overlapping),
    )


def quoter(text: str, start: int, end: int, quoted: Quoted, said: Said) -> tuple[str | None, str] | None:
    """(the speaker's entity id or None, the speaker as written) of the quotation the claim at
    `start`:`end` lies wholly inside (quotation marks aside), when its quotes (`said`) have one
    speaker the analysis found; else None. None too where the marks may have been misread: a
    quotation mark inside the quotation or the claim (a scraped text's marks glued to the words,
    'swallow."Wilson said there ...', pair wrongly), or a claim saying who said it ("..., Mr.
    Rother said.": the closing mark lost)."""
    last = start + len(text[start:end].rstrip(MARKS + ",."))
    if last <= start or not any(s <= start and last <= e for s, e in quoted):
        return None
    if DOUBLE_MARK.search(text, start, last) or ATTRIBUTED.search(text, start, last):
        return None
    if any(DOUBLE_MARK.search(text, q[0], q[1]) for q in said):
        return None
    speakers = {(q[3], q[4]) for q in said if len(q) > 4}
    if len(speakers) != 1:
        return None
    entity, as_written = speakers.pop()
    return (entity, as_written) if entity or as_written else None


def speaking(
    text: str, start: int, end: int, quoted: Quoted, said: Said, shared: frozenset[str]
) -> tuple[int, int, str] | None:
    """The pronoun that speaks in the claim at `start`:`end` (SPEAKING, outside quotation marks)
    with the person it stands for, when every quote of the claim's spoken so has that one speaker,
    and one of them a statement another article tells too (`shared`: statements link one speaker's
    quotes, so the other article attributes it to the same person); else None."""
    for match in SPEAKING.finditer(text[start:end]):
        group = next(g for g in "pqr" if match.group(g))
        at, to = (start + i for i in match.span(group))
        if inside(quoted, at):
            continue
        written = [q for q in said if len(q) > 4 and (q[4] or "").lower() == match.group(group).lower()]
        people = {q[3] for q in written}
        if len(people) == 1 and None not in people and any(q[2] in shared for q in written):
            return at, to, people.pop()
    return None


def inside(quoted: Quoted, offset: int) -> bool:
    return any(s <= offset < e for s, e in quoted)


def unquoted(words: list[tuple[int, str]], quoted: Quoted) -> frozenset[str]:
    """The lemmas of `words` ((offset, lemma)) used outside the `quoted` spans: the outlet's own
    words, where a speaker's "vile" or "tirade" is the speaker's, not the outlet's framing."""
    return frozenset(w for at, w in words if not inside(quoted, at))


def said_of_sayer(text: str, pronoun: re.Match, start: int) -> bool:
    """Whether a subject pronoun comes right after a verb of saying ("said he", "told reporters
    that she"): it stands for the sayer."""
    return pronoun.group().lower() in ("he", "she") and bool(
        SAYER.search(text, max(start, pronoun.start() - 40), pronoun.start())
    )


def shared_statements(said: dict[str, Said]) -> frozenset[str]:
    """The statements two articles or more tell (`said`: each article's quotes)."""
    told = Counter(statement for quotes in said.values() for statement in {q[2] for q in quotes if q[2]})
    return frozenset(statement for statement, articles in told.items() if articles >= 2)


def quoter_named(voice: Voice, written: dict[str, str], surnames: Counter) -> str | None:
    """Who the claim's quotation is by (voice.quoter), told so a reader can check it: a name as the
    attribution writes it, the whole name the article writes for the person where it is their
    surname and no other person of the story bears it (`written`: names_written; `surnames`: how
    many persons of the story bear each); a description as written ("the woman" -> "The woman":
    never the person the analysis took it for, which can be the victim it speaks of). None for a
    pronoun (on gva-dev's local news the person a "she" was resolved to was wrong too often: the
    victim a mother spoke of) and anything else that is no speaker (a photo credit)."""
    if voice.quoter is None:
        return None
    entity, as_written = voice.quoter
    words = " ".join((as_written or "").strip(MARKS + ".,").split())
    if not words or not NAME_CHARACTERS.fullmatch(words) or ATTRIBUTED.search(words):
        return None
    parts = words.split()
    if PERSONAL.fullmatch(words) or words.lower() in {"it", "they", "we", "i", "you"}:
        return None
    told = words[0].upper() + words[1:]
    if parts[0] in DETERMINERS or not any(w[:1].isupper() for w in parts[1:] or parts):
        return told  # a description, as written
    name = written.get(entity or "")
    if name and parts[-1] in name.split() and surnames[parts[-1]] <= 1:
        return name
    return told


def speaker_named(
    voice: Voice, start: int, written: dict[str, str], surnames: Counter
) -> tuple[int, int, str, str] | None:
    """The claim's pronoun that speaks (voice.speaker) with the name it is told by: the person's
    surname as the article writes their name (`written`: entity id -> its longest name there),
    or that whole name where the story has two persons of that surname (or it is one word or ends
    in a suffix)."""
    if voice.speaker is None:
        return None
    at, to, entity = voice.speaker
    name = written.get(entity)
    if name is None:
        return None
    words = name.split()
    suffixed = words[-1].rstrip(".").lower() in SUFFIXES
    told = words[-1] if len(words) > 1 and surnames[words[-1]] == 1 and not suffixed else name
    return at - start, to - start, entity, told


def names_written(text: str, spans: list[tuple]) -> dict[str, str]:
    """Each person entity of an article (`spans`: its mentions, (start, end, entity id, name,
    type)) -> the longest name the article writes for them, a title or possessive left out
    ("Mayor Laura Bennett's" -> "Laura Bennett"): two capitalised words or more, one of them a word
    of the entity's name ("the president", a description resolved to the person, is no name, and
    "Clinton" alone may be two people); else the entity's name."""
    found: dict[str, str] = {}
    for s, e, entity, canonical, kind in spans:
        if kind != "PERSON":
            continue
        found.setdefault(entity, canonical)
        name = split_title(re.sub(r"['\u2019]s?$", "", " ".join(text[s:e].split())))[1]
        words = name.split()
        named = (
            len(words) >= 2 and all(w[:1].isupper() for w in words) and set(words) & set(canonical.split())
        )
        if named and (found[entity] == canonical or len(name) > len(found[entity])):
            found[entity] = name
    return found
