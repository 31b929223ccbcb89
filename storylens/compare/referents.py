"""Who the pronoun opening a claim stands for ("He was taken to a hospital" -> "[Jermaine Wright] was
taken to a hospital"), so that a list item read apart from its article still says who it is about.

Read from the article around the claim, as a reader does, and only where the text leaves little
doubt: a claim opening on He, She, His or Her outside quotation marks stands for the one person
the sentence before names (outside quotation marks, not of the other gender), or the sentence
before that where the one before names no one; a sentence before opening on the same pronoun
passes on to whom that one stands for; where the sentence names several people, the one opening
it (its subject, "Zachary Barth, a staffer for Rep. Roger Williams, was shot"). None where the
sentence tells of a person it does not name ("a 9-year-old boy"; "Savage's uncle"), or a pronoun of
that gender comes before the names in it (it stands for someone else). A person's gender is read
from the article too: a title ("Mr.", "Ms.") or the pronouns of the sentences naming that person
alone ("Fritch said she ...").

Chosen on 120 list items read by blind helpers (bench/data/pronoun_referents.tsv, "dev" and
"report"); on 66 fresh ones it names 34 of which 33 rightly (bench/referents.py)."""

from __future__ import annotations

import re

from storylens.understand.names import first_name_gender

HE, SHE = "m", "f"
OPENING = re.compile(r"(?:He|She|His|Her)\b(?!['\u2019])")  # not "He's" ("[Jo Ruiz]'s" reads as "of")
PRONOUN = {
    HE: re.compile(r"\b(?:he|his|him|himself)\b", re.I),
    SHE: re.compile(r"\b(?:she|her|hers|herself)\b", re.I),
}
TITLE = {HE: re.compile(r"\b(?:Mr|Sir)\.?\s+$"), SHE: re.compile(r"\b(?:Mrs|Ms|Miss)\.?\s+$")}
# A sentence ends at a full stop, not after an initial ("Robert L. Wilkins", "U.S. District Judge")
# or a title's abbreviation ("Sen. Ted Cruz").
SENTENCE_END = re.compile(
    r"(?<!\b[A-Z])(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|Lt|Mt|Ft|No))(?<!\b(?:Mrs|Sen|Rep|Gov|Gen|Sgt|Col|Det))(?<!\bCapt)"
    r"[.!?][\"\u201d\u2019']?(?=\s)|\n\n"
)
# A person the article may not name: the pronoun may stand for them rather than for a name nearby.
PERSON_NOUN = re.compile(
    r"\b(?:man|woman|men|women|boy|girl|teen|teenager|victim|suspect|gunman|shooter|mother|father|mom|dad|"
    r"son|daughter|brother|sister|uncle|aunt|wife|husband|grandmother|grandfather|grandson|granddaughter|"
    r"cousin|nephew|niece|boyfriend|girlfriend|child|toddler|baby|infant|friend|neighbou?r|witness|resident|"
    r"relative|driver|passenger|homeowner|officer|deputy|trooper|student|spokesman|spokeswoman|clerk|"
    r"employee|owner|customer|patient|pastor|stepfather|stepmother|fianc[eé]e?)s?\b",
    re.I,
)
NEAR_NAME = 40  # characters: a person noun this close to a name is likely that person's description
BACK = 2  # sentences looked back
DEPTH = 4  # sentences opening on the same pronoun followed back

Spans = list[tuple]  # an article's mentions: (start, end, entity id, name, type)
Quoted = list[tuple[int, int]]


def referent(
    text: str, start: int, spans: Spans, quoted: Quoted, genders: dict[str, str], depth: int = 0
) -> tuple[int, int, str] | None:
    """(start, end, entity id) of the pronoun opening the claim at `start` of an article's `text`
    and the person it stands for, or None (see the module's rules); `spans`: the article's
    mentions; `quoted`: its quoted text; `genders`: genders_of()."""
    opening = OPENING.match(text, start)
    if opening is None or _inside(quoted, start) or depth > DEPTH:
        return None
    want = HE if opening.group() in ("He", "His") else SHE
    starts = [s for s in sentence_starts(text, start) if s < start]
    for back in range(1, BACK + 1):
        if len(starts) < back:
            return None
        begin = starts[-back]
        end = starts[-back + 1] if back > 1 else start
        before = OPENING.match(text, begin)
        if back == 1 and before and (HE if before.group() in ("He", "His") else SHE) == want:
            found = referent(text, begin, spans, quoted, genders, depth + 1)
            return (opening.start(), opening.end(), found[2]) if found else None
        people = _people(spans, quoted, begin, end)
        if _someone_unnamed(text, quoted, begin, end, people) or _other_first(
            text, quoted, begin, end, people, want
        ):
            return None
        fitting = {e for _, _, e in people if genders.get(e, want) == want}
        if len(fitting) == 1:
            return opening.start(), opening.end(), fitting.pop()
        first = people[0] if people else None
        if fitting and first[2] in fitting and not text[begin : first[0]].strip():
            return opening.start(), opening.end(), first[2]
        if people:
            return None
    return None


def named_referent(
    opening: tuple[int, int, str] | None, start: int, written: dict[str, str]
) -> tuple[int, int, str, str] | None:
    """A referent() found for the claim starting at `start`, as Claim.referent keeps it: the
    pronoun's (start, end) in the claim's text, the entity id and the name it is told by (`written`:
    voice.names_written, each person's fullest name in the article)."""
    if opening is None or opening[2] not in written:
        return None
    return opening[0] - start, opening[1] - start, opening[2], written[opening[2]]


def bracketed(text: str, named: tuple[int, int, str, str]) -> str:
    """The claim's text with its opening pronoun named in brackets, as an editor clarifies a
    quotation: "He was taken ..." -> "[Jermaine Wright] was taken ...", "His bail ..." ->
    "[Jermaine Wright’s] bail ..."."""
    start, end, _, name = named
    owner = "’s" if text[start:end] in ("His", "Her") else ""
    return f"{text[:start]}[{name}{owner}]{text[end:]}"


def genders_of(text: str, spans: Spans, quoted: Quoted) -> dict[str, str]:
    """Each person entity of an article -> HE or SHE, where the article tells: titles ("Mr.",
    "Ms.": three votes each) and the pronouns, outside quotation marks, after the person's name in
    each sentence naming that person alone ("Fritch said she ..."); one gender only, or twice the
    other's votes and two more."""
    votes: dict[str, dict[str, int]] = {}
    for s, _, entity, _, kind in spans:
        if kind == "PERSON":
            for gender, title in TITLE.items():
                if title.search(text[max(0, s - 6) : s]):
                    votes.setdefault(entity, {HE: 0, SHE: 0})[gender] += 3
    bounds = sentence_starts(text, len(text)) + [len(text)]
    for begin, end in zip(bounds, bounds[1:], strict=False):
        people = _people(spans, quoted, begin, end)
        if len({e for _, _, e in people}) != 1:
            continue
        after = people[0][1]
        tally = votes.setdefault(people[0][2], {HE: 0, SHE: 0})
        for gender, pronoun in PRONOUN.items():
            tally[gender] += sum(
                1 for m in pronoun.finditer(text, after, end) if not _inside(quoted, m.start())
            )
    found = {}
    for entity, tally in votes.items():
        he, she = tally[HE], tally[SHE]
        if (he and not she) or he >= 2 * she + 2:
            found[entity] = HE
        elif (she and not he) or she >= 2 * he + 2:
            found[entity] = SHE
    for _, _, entity, name, kind in spans:  # else the census lists' sex of the first name ("Margaret")
        if kind == "PERSON" and entity not in found and (sex := first_name_gender(name)):
            found[entity] = sex
    return found


def sentence_starts(text: str, upto: int) -> list[int]:
    """Where the sentences of `text` before `upto` start (after a full stop, a question or
    exclamation mark, or a blank line), blanks skipped."""
    starts = [0] + [m.end() for m in SENTENCE_END.finditer(text, 0, upto)]
    return [s + len(text[s:upto]) - len(text[s:upto].lstrip()) for s in starts]


def _people(spans: Spans, quoted: Quoted, begin: int, end: int) -> list[tuple[int, int, str]]:
    """The person mentions between `begin` and `end`, outside quotation marks, in order."""
    return [
        (s, e, entity)
        for s, e, entity, _, kind in spans
        if kind == "PERSON" and begin <= s < end and not _inside(quoted, s)
    ]


def _someone_unnamed(text: str, quoted: Quoted, begin: int, end: int, people: list) -> bool:
    """Whether the sentence tells of a person by a noun away from every name in it ("a 9-year-old
    boy", not "Donnie Edmondson, pastor of ...")."""
    return any(
        not _inside(quoted, m.start())
        and not any(s - NEAR_NAME <= m.start() < e + NEAR_NAME for s, e, _ in people)
        for m in PERSON_NOUN.finditer(text, begin, end)
    )


def _other_first(text: str, quoted: Quoted, begin: int, end: int, people: list, want: str) -> bool:
    """Whether a pronoun of the wanted gender comes before the names of the sentence ("She said he
    loved basketball and played for Highline": that "he" is the one the next sentence goes on with)."""
    if not people:
        return False
    return any(not _inside(quoted, m.start()) for m in PRONOUN[want].finditer(text, begin, people[0][0]))


def _inside(quoted: Quoted, offset: int) -> bool:
    return any(s <= offset < e for s, e in quoted)
