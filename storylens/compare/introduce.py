"""How the summary introduces the people it names: by full name where it names them first (a
surname alone or after an honorific is given the full name the story resolves it to), by surname
after that.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from storylens.compare.claims import Claim
from storylens.compare.facts import Fact
from storylens.compare.naming import person_noun
from storylens.compare.people import one_name
from storylens.compare.summary import WORDS, SummarySentence, claim_told, in_quotation
from storylens.model import Article
from storylens.understand.entities import is_title, title_spans

# A person's full name: two to four words, each capitalised and ending in a small letter ("O’Rourke",
# "McCarthy", "Ocasio-Cortez") or an initial ("Robert S. Mueller"); no word a possessive ("Mitt
# Romney’s Medicare", a span the tagger took for a name, is no one's name: "Medicare" is no surname).
PERSON_NAME = re.compile(
    r"^[A-Z][A-Za-z’'-]*[a-z](?<![’']s)(?: (?:[A-Z]\.|[A-Z][A-Za-z’'-]*[a-z](?<![’']s))){1,3}$"
)


def introduce_names(
    summary: list[SummarySentence],
    people: dict[str, list[str]],
    everyone: set[str] = frozenset(),
    described: dict[str, list[Introduction]] | None = None,
) -> None:
    """Give a person named by surname alone ("Suthers said", "Mr. Suthers said") the full name the
    story resolves them to ("John Suthers said") where the summary names them first, outside
    quotations, so that no one enters the summary unintroduced; and there, a person named with no
    title or description, who they are as an article the sentence cites introduces them
    (`described`: introductions()). `people`: for each summary sentence (by its text), the full
    names of the persons it names; `everyone`: the names of every person of the story. A surname
    two persons of the story share ("Mr. Trump", with Melania Trump in the story) is left as it is;
    names one person may be written ("Dave Brat", "David Brat") are one. A later sentence opening
    on the full name again gives the surname."""
    by_surname: dict[str, set[str]] = {}
    for name in {n for names in people.values() for n in names} | set(everyone):
        if PERSON_NAME.match(name):
            by_surname.setdefault(name.split()[-1], set()).add(name)
    told = ""
    for sentence in summary:
        text = sentence.text
        mine = people.get(sentence.text, [])
        for name in mine:
            text = respelled(text, name)
        named = {n.split()[-1] for n in mine}
        for surname, names in sorted(by_surname.items()):
            if surname not in named or not all(one_name(a, b) for a in names for b in names):
                continue
            name = next((n for n in sorted(mine) if n in names), None) or max(sorted(names), key=len)
            if (before := next((n for n in sorted(names) if _introduced(n, told)), None)) is not None:
                text = _shortened(text, before)  # a second reference
                continue
            if not _introduced(name, text) and (bare := _bare_mention(text, surname)) is not None:
                text = text[: bare[0]] + name + text[bare[1] :]
            if surname not in told:
                text = _described(text, name, described or {}, set(sentence.article_ids))
        sentence.text = text
        told += " " + text


def _described(text: str, name: str, described: dict[str, list[Introduction]], cited: set[str]) -> str:
    """The sentence with who `name` is where it names them with no title or description: the
    description most claims of the story give them, as an article the sentence cites writes it,
    after the name ("Peter Carr, a spokesman for the special counsel, said") or before it ("Tea
    party activist Alex Poulter said"); with none, the title or office an article writes before
    the name ("Sen. Jon Kyl said"); with neither, the age an article gives them, after the name
    ("Jo Burks, 16, was charged"). The name stays as it is inside a quotation, after a
    capitalised word (a title, "Sen. Mark Warner") or a word that is no function word ("attorney
    Michael Cohen"), in a list joined by "and" or "or" (one title of several: "Senators Ana Voss
    and Ida Lund"), before a comma, a bracket or a possessive, or where the sentence carries the
    description's words, or a name it holds, already."""
    found = _name_span(text, name)
    ready = [i for i in described.get(name, []) if i.article_id in cited]
    if found is None or not ready:
        return text
    start, end = found
    before, after = text[:start], text[end:]
    previous = before.split()[-1] if before.strip() else ""
    quoted = in_quotation(before)
    bare = not previous or previous[-1] in ',;:”"' or previous in _function_words()
    listed = previous in ("and", "or") or re.match(r"\s+(?:and|or)\b", after)  # "Ana Voss and Ida Lund"
    if quoted or not bare or listed or re.match(r"\s*[,(]|[’'](?:s\b|\s)", after):
        return text
    counts = Counter(i.description for i in described[name])
    chosen = min(ready, key=lambda i: (i.age, i.title, -counts[i.description], ready.index(i)))
    names = {w for w in WORDS.findall(chosen.written) if w[:1].isupper() and not is_title(w)}
    # said already: "Ana Voss with Port Ellis Schools" needs no "Port Ellis Schools spokeswoman"
    said = set(WORDS.findall(text))
    if set(WORDS.findall(chosen.description)) <= {w.lower() for w in said} or names & said:
        return text
    if chosen.apposition:
        return f"{text[:end]}, {chosen.written}{'' if re.match(r'[.!?]', after) else ','}{after}"
    if start and chosen.opening:
        return text  # written at its sentence's start: its capital may be the sentence's alone
    words = chosen.written[:1].upper() + chosen.written[1:] if not start else chosen.written
    return f"{before}{words} {text[start:]}"


def respelled(text: str, name: str) -> str:
    """The text with the person's given name spelled as the story resolves it where it writes the
    name one letter off ("Vincente Fox" for Vicente Fox), outside quotations: an outlet's slip, not
    another name (a short form, "Dave" for David, is the outlet's choice and stays)."""
    given, surname = name.split()[0], name.split()[-1]
    if len(given) < SPELLED_LENGTH:
        return text
    for found in re.finditer(rf"\b([A-Z][a-z]+) {re.escape(surname)}\b", text):
        written = found.group(1)
        if written != given and _one_letter_off(written, given) and not in_quotation(text[: found.start()]):
            return text[: found.start(1)] + given + text[found.end(1) :]
    return text


SPELLED_LENGTH = 5  # letters a given name needs before one letter off is a slip ("Jon"/"John" are two names)


def _one_letter_off(a: str, b: str) -> bool:
    """Whether one letter added, dropped or changed makes one word the other."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _name_span(text: str, name: str) -> tuple[int, int] | None:
    """Where a text first names the person (their given name, an initial or not, and surname)."""
    words = name.split()
    found = re.search(rf"\b{re.escape(words[0])}(?: [A-Z]\.)? {re.escape(words[-1])}\b", text)
    return found.span() if found else None


@cache
def _function_words() -> frozenset[str]:
    """Words after which a name has no title or description of its own: function words and
    reporting verbs ("and Cory Booker", "said Peter Carr")."""
    from storylens.understand.speakers import lexicon

    verbs = lexicon()["verbs"]
    return frozenset(_stop_words() | verbs | {v + "s" for v in verbs} | {v + "ed" for v in verbs} | {"told"})


def _shortened(text: str, name: str) -> str:
    """The sentence opening on the surname ("Odell said …") where it opens on the title and full
    name of a person introduced before; a name followed by an apposition or a bracket stays."""
    words = name.split()
    found = re.search(rf"\b{re.escape(words[0])}(?: [A-Z]\.)? {re.escape(words[-1])}(?= [a-z])", text)
    if found is None or (found.start() and not is_title(text[: found.start()])):
        return text
    return words[-1] + text[found.end() :]


@dataclass(frozen=True)
class Introduction:
    """How an article of the story introduces a person: a description the parse read for them
    (Claim.described), as the claim writes it."""

    article_id: str
    description: str  # as the parse keeps it: lower-cased, no article or possessive
    written: str  # "a spokesman for Mueller’s office", "Tea party activist"
    apposition: bool  # after the name, between commas; else right before the name
    opening: bool  # written at the start of its sentence (its first capital may be the sentence's)
    title: bool = False  # a title or office written before the name ("Sen."), not a description
    age: bool = False  # the age given ("Jo Burks, 16,", "16-year-old Jo Burks"), told when nothing else is


def introductions(claims: list[Claim], names: dict[str, str]) -> dict[str, list[Introduction]]:
    """Each person's full name (`names`: entity id -> name) -> how the story's articles introduce
    them, in the order of the articles and claims: each description of Claim.described found as
    written, an apposition right after the surname or its age ("Carr, a spokesman for Mueller’s
    office,", "Carr, 52, a spokesman …") or
    the words right before the name ("Tea party activist Alex Poulter"); one written otherwise (an
    abbreviation spelled out) is left out, and so is one of another time ("then-senator"); then the
    title written before the name, and the age an article gives the person (_age_after)."""
    found: dict[str, list[Introduction]] = {}
    for claim in sorted(claims, key=lambda c: (c.published or "~", c.article_id, c.position)):
        for entity, description in claim.described:
            name = names.get(entity, "")
            if not PERSON_NAME.match(name) or description.startswith("then"):
                continue  # "then-senator": who they were at another time
            words = r"(?:[’']s)?\s+".join(re.escape(w) for w in description.split())
            surname = re.escape(name.split()[-1])
            after = re.search(
                rf"\b{surname},(?: \d{{1,3}},)? ((?:a |an |the )?(?i:{words}))(?=[,.;])", claim.text
            )
            before = re.search(
                rf"(?<![\w’'-])((?i:{words}))((?: [A-Z][\w.’'-]*){{0,3}}) {surname}\b", claim.text
            )
            if after is not None and not after.group(1)[:1].isupper():
                written, apposition, at = after.group(1), True, after.start(1)
            elif before is not None and _given_names(before.group(2), name) and _whole(claim.text, before):
                written, apposition, at = before.group(1), False, before.start(1)
            else:
                continue
            opening = not claim.text[:at].strip(" \"“‘'")
            if not apposition and (
                (opening and all(w[:1].isupper() for w in written.split()))  # "Buy Photo Jo Burks was …"
                or not person_noun(written.split()[-1])  # "to information Jo Burks gave", "2317 Pecan"
                or _joined_to_title(written)  # "after the shooting Mayor Jo Burks said"
            ):
                continue  # a caption, a heading or a noun the parse took for a description
            entry = Introduction(claim.article_id, description, written, apposition, opening)
            found.setdefault(name, []).append(entry)
        for entity in sorted(claim.entities):
            name = names.get(entity, "")
            if PERSON_NAME.match(name) and (title := _title_before(claim.text, name)) is not None:
                written, at = title
                opening = not claim.text[:at].strip(" \"“‘'")
                entry = Introduction(claim.article_id, written.lower(), written, False, opening, True)
                found.setdefault(name, []).append(entry)
            if PERSON_NAME.match(name) and (age := _age_after(claim.text, name)) is not None:
                found.setdefault(name, []).append(
                    Introduction(claim.article_id, age, age, True, False, age=True)
                )
    return found


def _age_after(text: str, name: str) -> str | None:
    """The age an article gives a person's full name, between commas after it ("Jo Burks, 16, of
    Quenby") or before it ("16-year-old Jo Burks"), the way crime and court reports introduce the
    people they name; None for none."""
    given, surname = (re.escape(w) for w in (name.split()[0], name.split()[-1]))
    after = re.search(rf"\b{given}(?: [A-Z]\.)? {surname}, (\d{{1,3}}),", text)
    before = re.search(rf"\b(\d{{1,3}})-year-old {given}(?: [A-Z]\.)? {surname}\b", text)
    found = after or before
    return found.group(1) if found else None


def _joined_to_title(written: str) -> bool:
    """Whether words before a name end in a capitalised title with a word in lower case before it
    ("shooting Mayor" of "after the shooting Mayor Jo Burks said"): a noun the parse joined to the
    title, no description ("Port Ellis Mayor" is one, and so is "former Mayor")."""
    words = written.split()
    return words[-1][:1].isupper() and any(not w[:1].isupper() and w.lower() != "former" for w in words)


def _title_before(text: str, name: str) -> tuple[str, int] | None:
    """The title or office an article writes right before a person's name ("Sen. Jon Kyl",
    "Colorado Attorney General John Suthers", "former Rep. Ana Voss"), with where it starts; None
    for none, or one of another time ("then-Sen.")."""
    words = name.split()
    for start, end in title_spans(text):
        if not re.match(rf"\s+{re.escape(words[0])}(?: [A-Z]\.)? {re.escape(words[-1])}\b", text[end:]):
            continue
        head = text[:start]
        while (word := re.search(r"(?:^|\s)([A-Z][\w.’'-]*)\s+$", head)) and not _stop(word.group(1)):
            head = head[: word.start(1)]  # "Colorado Attorney General", not "In Sen."
        if not head.strip(" \"“‘'"):
            head = text[:start]  # at the sentence's start a caption may come first: "Buy Photo Chief …"
        if re.search(r"\bthen-?\s*$", head, re.I):
            return None
        former = re.search(r"\bformer\s+$", head, re.I)
        start = former.start() if former else len(head)
        return text[start:end], start
    return None


@cache
def _stop_words() -> frozenset[str]:
    """spaCy's English stop words, imported when first needed: importing spaCy loads torch, which
    `storylens ingest --no-analyze` and the web app's pages never need."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _stop(word: str) -> bool:
    return word.lower() in _stop_words()


def _whole(text: str, found: re.Match) -> bool:
    """Whether words found before a name are a whole description, not the end of a longer phrase
    ("Ellis County sheriff's office spokesman", "to test fire Burks’s gun"): nothing before them
    but a function word, a reporting verb or punctuation."""
    previous = text[: found.start()].split()
    return not previous or previous[-1][-1] in ',;:”"—(' or previous[-1] in _function_words()


def _given_names(between: str, name: str) -> bool:
    """Whether the words between a description and a surname are the person's given names."""
    return all(w in name.split() or re.fullmatch(r"[A-Z]\.", w) for w in between.split())


def _introduced(name: str, text: str) -> bool:
    """Whether a text names the person with a given name ("Anthony Weiner" for Anthony D. Weiner)."""
    return _name_span(text, name) is not None


HONORIFIC = re.compile(r"(?:Mr|Mrs|Ms|Dr|Miss)\.? $")
NICKNAME = re.compile(r"[\"\u201c\u2018'][A-Z][\w.'\u2019-]*[\"\u201d\u2019']")  # '"JoJo"' in a name


def _bare_mention(text: str, surname: str) -> tuple[int, int] | None:
    """The span of the first mention of `surname` when it stands alone or after an honorific
    ("Suthers", "Mr. Suthers": the span takes the honorific in), outside quotation marks, with
    no other capitalised word or title right before it ("Attorney General Suthers", nor a
    nickname in quotation marks: 'Javarrie "JoJo" Robertson') and not joined to a name after it
    ("Trump Tower", "Trump-Russia"); None otherwise."""
    found = re.search(rf"\b{re.escape(surname)}\b", text)
    if found is None:
        return None
    before, after = text[: found.start()], text[found.end() : found.end() + 2]
    quoted = in_quotation(before)
    honorific = HONORIFIC.search(before)
    start = honorific.start() if honorific else found.start()
    previous = text[:start].rstrip().split(" ")[-1] if text[:start].strip() else ""
    named = previous[:1].isupper() or NICKNAME.fullmatch(previous)
    joined = after[:1] in ("-", "\u2013") or after[:1] == " " and after[1:2].isupper()
    return None if quoted or named or joined else (start, found.end())


def people_named(
    summary: list[SummarySentence], facts: list[Fact], mentions, articles: list[Article]
) -> tuple[dict[str, list[str]], set[str], dict[str, list[Introduction]]]:
    """For each summary sentence (by its text): the full names of the persons its claim names, as
    the story's own articles write them (a name the store resolved elsewhere is not used); the
    names of every person the story names (written so or not: whose surname is shared); and how
    the story's articles introduce each of them (introductions())."""
    texts = [" ".join(a.paragraphs) for a in articles]
    everyone = {e: name for spans in mentions.values() for _, _, e, name, kind in spans if kind == "PERSON"}
    people = {e: name for e, name in everyone.items() if any(name in t for t in texts)}
    told = {s.text: claim_told(s, facts) for s in summary}
    named = {text: sorted(people[e] for e in c.entities if e in people) for text, c in told.items() if c}
    claims = [c for fact in facts for c in fact.claims]
    return named, set(everyone.values()), introductions(claims, people)
