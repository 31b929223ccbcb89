"""Named-entity mentions in one article: titles stripped into roles, repeats clustered.

"Major General Mohammad Bagheri", "Gen. Bagheri" and "Bagheri" in one article become one local
entity named "Mohammad Bagheri" with the role "Major General". Cross-article merging is resolve.py.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from storylens.model import LocalEntity, Mention
from storylens.understand.names import (
    acronym,
    alias_table,
    core_tokens,
    first_name_gender,
    is_acronym,
    nickname_pair,
    person_tokens,
    same_token,
    suffix,
    surname,
    title_gender,
    written_surname,
)
from storylens.understand.nlp import text_of

LABELS = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "GPE",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "NORP",
    "EVENT": "EVENT",
    "WORK_OF_ART": "OTHER",
    "LAW": "OTHER",
    "PRODUCT": "OTHER",
    "LANGUAGE": "OTHER",
}
_POSSESSIVE = re.compile(r"(?:['\u2019]s?|\u2019)$")
# Titles that also begin the names of organisations and places ("Justice Department", "General
# Assembly", "King County"): on a span the model tags as one, such a word is part of the name.
NAME_TITLES = frozenset(
    "general justice major chief captain king queen prince princess cardinal lord lady judge leader "
    "director chair speaker commander admiral ambassador".split()
)
# Honorifics name a person only: a span the model tags as an organisation or place under one ("Mr.
# Trump" as ORG) is a person, and its word a surname of the article's (_repair_types).
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx"})


def fullest_name(entity: LocalEntity) -> str:
    """The fullest name an article uses for the entity (most core words, then longest)."""
    return max(entity.names, key=lambda n: (len(core_tokens(n)), len(n)))


@cache
def _titles() -> re.Pattern:
    text = (files("storylens.understand") / "data" / "titles.txt").read_text(encoding="utf-8")
    titles = sorted(
        {t.strip() for t in text.splitlines() if t.strip() and not t.startswith("#")}, key=len, reverse=True
    )
    body = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in titles)
    return re.compile(rf"(?<![\w.])(?:{body})(?![\w])", re.I)


def is_title(text: str) -> bool:
    """Whether the text is a title or office alone ("President", "Sen.", "senators")."""
    text = text.strip()
    singular = text[:-2] + "." if text.endswith("s.") else text.removesuffix("s")  # "Sens.", "senators"
    return bool(_titles().fullmatch(text) or _titles().fullmatch(singular))


def title_spans(text: str) -> list[tuple[int, int]]:
    """Where titles and offices stand in the text (capitalised uses only: "General Darvish")."""
    return [m.span() for m in _titles().finditer(text) if m.group(0)[0].isupper()]


def split_title(name: str) -> tuple[str | None, str]:
    """("Major General", "Mohammad Bagheri") for "Major General Mohammad Bagheri"."""
    role_parts = []
    rest = name.strip()
    while True:
        match = _titles().match(rest)
        if not match or match.end() == len(rest):
            break
        role_parts.append(match.group(0))
        rest = rest[match.end() :].lstrip(" ,")
    return (" ".join(role_parts) or None), rest


def _role_before(doc, start_char: int, norp_or_org: set[int]) -> str | None:
    """Title words right before a name ("Syrian Defense Minister", "Pentagon spokesperson Navy Commander")."""
    text = text_of(doc)
    window = text[max(0, start_char - 80) : start_char]
    parts = []
    end = len(window)
    while True:
        chunk = window[:end].rstrip()
        match = None
        for m in _titles().finditer(chunk):
            if m.end() == len(chunk):
                match = m
        if match is None:
            break
        parts.insert(0, match.group(0))
        end = match.start()
        # A nationality or organisation word just before the title belongs to the role.
        before = window[:end].rstrip()
        word = re.search(r"([A-Z][\w\u2019'-]*)$", before)
        if word and (start_char - 80 + max(0, 80 - start_char) + word.start()) >= 0:
            absolute = max(0, start_char - 80) + word.start()
            if absolute in norp_or_org:
                parts.insert(0, word.group(1))
                end = word.start()
    return " ".join(parts) if parts else None


@cache
def _place_nouns() -> frozenset[str]:
    text = (files("storylens.understand") / "data" / "place_nouns.txt").read_text(encoding="utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def clean_name(text: str) -> str:
    name = re.sub(r"^(?:the|The)\s+", "", text.strip())
    name = _POSSESSIVE.sub("", name).strip(" ,;:-\u2013\u2014\"'\u201c\u201d")
    # A final period ends a sentence, unless the name is dotted initials ("U.S.").
    if name.endswith(".") and not re.search(r"\b[A-Z]\.$", name):
        name = name[:-1]
    return " ".join(name.split())


def find_mentions(doc, paragraph_starts: list[int]) -> list[Mention]:
    """Entity mentions in a parsed article, titles split off into roles."""
    titles = title_spans(text_of(doc))
    starts_of = {e.start_char for e in doc.ents if e.label_ in ("NORP", "ORG", "GPE")}
    mentions: list[Mention] = []
    for ent in doc.ents:
        kind = LABELS.get(ent.label_)
        if kind is None:
            continue
        # Skip spans that are wholly a title ("Navy" of "Navy Commander", "State" of "Secretary of State").
        if any(s <= ent.start_char and ent.end_char <= e for s, e in titles):
            continue
        if kind == "PERSON" and len(ent) > 1 and _not_of_the_name(ent[0]):
            ent = ent[1:]  # "But Park stood", "Stated Stone: …": the name starts after the word
        text, end_char = ent.text, ent.end_char
        if kind == "PERSON":
            # The small model often stops a name short ("Ali Abdullah" of "Ali Abdullah Ayyoub").
            end_token = ent.end
            while (
                end_token < len(doc)
                and end_token < ent.end + 2
                and doc[end_token].pos_ == "PROPN"
                and not doc[end_token].ent_type_
                and doc[end_token].text[:1].isupper()
            ):
                end_token += 1
            if end_token > ent.end:
                end_char = doc[end_token - 1].idx + len(doc[end_token - 1].text)
                text = text_of(doc)[ent.start_char : end_char]
        # A span that runs into a title ("Iran's Armed Forces Major" of "... Major General X") stops there.
        for s, e in titles:
            if ent.start_char < s < ent.end_char < e:
                text, end_char = text_of(doc)[ent.start_char : s], s
        role, name = split_title(clean_name(text))
        if role and kind != "PERSON" and (role.split()[0].lower() in NAME_TITLES or not name[:1].isupper()):
            role, name = None, clean_name(text)  # "Justice Department": one name
        elif role and kind != "PERSON" and _honorific(role):
            kind = "PERSON"
        if not re.search(r"[A-Za-z]", name) or name.islower() or len(name) < 2:
            continue
        following = doc[ent.end].lower_ if ent.end < len(doc) else ""
        if kind == "PERSON" and (following in _place_nouns() or ent[-1].lower_ in _place_nouns()):
            kind = "LOC"  # "the Drava pass", "At Tanf Garrison": a place the model took for a person
        if kind == "PERSON":
            role = role or _role_before(doc, ent.start_char, starts_of)
        paragraph = max(i for i, s in enumerate(paragraph_starts) if s <= ent.start_char)
        mentions.append(Mention(paragraph, ent.start_char, end_char, text.strip(), name, kind, role))
    mentions += _transcript_speakers(text_of(doc), mentions, paragraph_starts)
    _repair_types(mentions)
    mentions += _repeats(text_of(doc), mentions, paragraph_starts)
    found = _gazetteer(text_of(doc), mentions, paragraph_starts)
    # A table name replaces the shorter mentions it contains ("Islamic" of "Islamic State").
    mentions = [m for m in mentions if not any(g.start <= m.start and m.end <= g.end for g in found)]
    mentions += found
    mentions += _descriptions(text_of(doc), mentions, paragraph_starts)
    return sorted(mentions, key=lambda m: m.start)


def _not_of_the_name(first) -> bool:
    """A conjunction opening a name ("But Park"), or a reporting verb opening a sentence before a
    colon ("Stated Stone:", "Added Park:"): not part of the name."""
    from storylens.understand.speakers import lexicon

    if first.tag_ == "CC":
        return True
    doc = first.doc
    after = next((t for t in doc[first.i + 1 :] if t.pos_ != "PROPN"), None)
    colon = after is not None and after.text == ":"
    return first.is_sent_start and first.lower_ in lexicon()["verbs"] and colon


@cache
def _description_pattern() -> re.Pattern:
    """ "the (Iranian) general", "the minister": "the", an optional nationality, a role word."""
    text = (files("storylens.understand") / "data" / "titles.txt").read_text(encoding="utf-8")
    words = {
        t.split()[-1].lower().rstrip(".") for t in text.splitlines() if t.strip() and not t.startswith("#")
    }
    words = sorted((w for w in words if len(w) > 3), key=len, reverse=True)
    return re.compile(rf"\b[Tt]he\s+(?:[A-Z][a-z]+\s+)?({'|'.join(map(re.escape, words))})\b")


def _descriptions(text: str, mentions: list[Mention], paragraph_starts: list[int]) -> list[Mention]:
    """A description after a named person whose role it fits is another mention of that person
    ("Major General Mohammad Bagheri ... the Iranian general")."""
    people = [m for m in mentions if m.type == "PERSON"]
    roles: dict[str, set[str]] = {}
    for m in people:
        if m.role:
            roles.setdefault(surname(m.name), set()).update(w.lower().rstrip(".") for w in m.role.split())
    found = []
    for match in _description_pattern().finditer(text):
        before = [
            m
            for m in people
            if m.end <= match.start() and match.group(1).lower() in roles.get(surname(m.name), ())
        ]
        if not before:
            continue
        person = max(before, key=lambda m: m.end)
        paragraph = max(i for i, s in enumerate(paragraph_starts) if s <= match.start())
        found.append(
            Mention(paragraph, match.start(), match.end(), match.group(0), person.name, "PERSON", None)
        )
    return found


# "NINA HART: ..." opens a paragraph of a broadcast transcript, also one quoted whole ("\"NINA HART: ...").
TRANSCRIPT_LABEL = re.compile(
    r"^(?:[\"\u201c]|''|``)?([A-Z][A-Z.'\u2019-]*(?: [A-Z][A-Z.'\u2019-]*){0,4}):\s+\S"
)


def label_is_a_name(label: str) -> bool:
    """A transcript label that reads as a name ("NINA HART", "MINISTER ELSA NORD"): two words or
    more after any title, none of them a function word ("FIX IS IN:" is a headline)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    _, name = split_title(label.title())
    words = name.lower().split()
    return len(words) >= 2 and not any(w in STOP_WORDS for w in words)


def _transcript_speakers(text: str, mentions: list[Mention], paragraph_starts: list[int]) -> list[Mention]:
    """Named speakers of transcript paragraphs ("MINISTER ELSA NORD:") as person mentions."""
    found = []
    for index, start in enumerate(paragraph_starts):
        match = TRANSCRIPT_LABEL.match(text[start : start + 60])
        if not match:
            continue
        role, name = split_title(match.group(1).title())
        if not label_is_a_name(match.group(1)) or any(
            m.start < start + match.end(1) and start < m.end for m in mentions
        ):
            continue
        end = start + match.end(1)
        found.append(Mention(index, end - len(name), end, name, name, "PERSON", role))
    return found


def _gazetteer(text: str, mentions: list[Mention], paragraph_starts: list[int]) -> list[Mention]:
    """Names from the alias table (data/aliases.tsv) that the model did not tag ("the Islamic State")."""
    found = []
    taken = [(m.start, m.end) for m in mentions]
    for pattern, name in _gazetteer_pattern():
        for match in pattern.finditer(text):
            inside = [(s, e) for s, e in taken if match.start() <= s and e <= match.end()]
            if any(s < match.end() and match.start() < e for s, e in taken if (s, e) not in inside):
                continue
            if any((s, e) == match.span() for s, e in inside):
                continue
            paragraph = max(i for i, s in enumerate(paragraph_starts) if s <= match.start())
            found.append(Mention(paragraph, match.start(), match.end(), match.group(0), name, "ORG", None))
            taken.append(match.span())
    return found


@cache
def _gazetteer_pattern() -> list[tuple[re.Pattern, str]]:
    names = sorted((n for n in alias_table_names() if len(n.replace(".", "")) > 2), key=len, reverse=True)
    return [(re.compile(rf"(?<![\w.]){re.escape(n)}(?![\w])"), n) for n in names]


def alias_table_names() -> set[str]:
    text = (files("storylens.understand") / "data" / "aliases.tsv").read_text(encoding="utf-8")
    names = set()
    for line in text.splitlines():
        if line.strip() and not line.startswith("#") and "\t" in line:
            names.update(part.strip() for part in line.split("\t", 1))
    return names


def _repeats(text: str, mentions: list[Mention], paragraph_starts: list[int]) -> list[Mention]:
    """Occurrences of a named person's surname that the model did not tag ("Ayoub, for his part")."""
    found = []
    taken = [(m.start, m.end) for m in mentions]
    people = [m.name for m in mentions if m.type == "PERSON" and len(person_tokens(m.name)) > 1]
    surnames = {written_surname(name) for name in people}
    for last in sorted(surnames):
        for match in re.finditer(rf"(?<![\w-]){re.escape(last)}(?![\w-])", text):
            if any(s <= match.start() < e for s, e in taken):
                continue
            paragraph = max(i for i, s in enumerate(paragraph_starts) if s <= match.start())
            found.append(Mention(paragraph, match.start(), match.end(), last, last, "PERSON", None))
            taken.append(match.span())
    return found


def _repair_types(mentions: list[Mention]) -> None:
    """A single word that is the surname of a person named in the article is that person; a
    single word the article also tags as a place or organisation is not a person."""
    full = [person_tokens(m.name) for m in mentions if m.type == "PERSON" and len(person_tokens(m.name)) > 1]
    surnames = {core[-1] for core in full} | {core[0] for core in full}  # "Becky" of "Becky Holt" too
    titled = [person_tokens(m.name) for m in mentions if m.type == "PERSON" and m.role and _honorific(m.role)]
    surnames |= {core[-1] for core in titled if core}  # "Mr. Trump"
    places: dict[str, list[str]] = {}
    for m in mentions:
        if m.type != "PERSON":
            places.setdefault(m.name.lower(), []).append(m.type)
    for mention in mentions:
        core = core_tokens(mention.name)
        if len(core) != 1 or is_acronym(mention.name):
            continue
        if mention.type != "PERSON" and core[0] in surnames:
            mention.type = "PERSON"
        elif mention.type == "PERSON" and core[0] not in surnames and mention.name.lower() in places:
            types = places[mention.name.lower()]  # the commonest; a tie goes to the first named
            mention.type = max(dict.fromkeys(types), key=types.count)


def _honorific(role: str) -> bool:
    """Whether the role ends in an honorific ("Mr.", "Mrs"): a person's, never an office's."""
    return role.split()[-1].lower().rstrip(".") in HONORIFICS


def acronym_pairs(text: str) -> list[tuple[str, str]]:
    """("Islamic State militant group", "ISIS")-style pairs written as "Name (ACRONYM)"."""
    pairs = []
    for match in re.finditer(
        r"((?:[A-Z][\w'\u2019-]*\s+){0,5}[A-Z][\w'\u2019-]*)(?:\s+[a-z]+){0,3}\s*\(([A-Z][A-Za-z.]{1,7})\)",
        text,
    ):
        name, short = match.group(1).strip(), match.group(2)
        if is_acronym(short) and name.upper() != short:
            pairs.append((name, short))
    return pairs


def cluster(mentions: list[Mention]) -> list[LocalEntity]:
    """Group an article's mentions into local entities (same person, same organisation)."""
    entities: list[LocalEntity] = []
    aliases = alias_table()
    for mention in sorted(mentions, key=lambda m: (-len(core_tokens(m.name)), m.start)):
        fits = [e for e in entities if _same_local(e, mention, aliases) and _may_be(e, mention)]
        target = _nearest(fits, mention)
        if target is None:
            target = LocalEntity(index=len(entities), type=mention.type)
            entities.append(target)
        mention.local = target.index
        target.mentions.append(mention)
        if mention.name not in target.names:
            target.names.append(mention.name)
        if mention.role and mention.role not in target.roles:
            target.roles.append(mention.role)
    for entity in entities:
        entity.mentions.sort(key=lambda m: m.start)
    return entities


def _before_suffixed(entity: LocalEntity, mention: Mention) -> bool:
    """A bare surname written before the first mention of a full name with a generational suffix
    is not that person ("President Trump ..." and later "Donald Trump Jr.": the father first)."""
    if mention.type != "PERSON" or len(person_tokens(mention.name)) != 1:
        return False
    suffixed = [m.start for m in entity.mentions if suffix(m.name)]
    return bool(suffixed) and min(suffixed) > mention.start


def _may_be(entity: LocalEntity, mention: Mention) -> bool:
    """Whether a mention whose name fits an entity may be that person (_before_suffixed, _other_sex)."""
    return not _before_suffixed(entity, mention) and not _other_sex(entity, mention)


def _other_sex(entity: LocalEntity, mention: Mention) -> bool:
    """A man's title before a surname a woman of the article goes by, or a woman's before a man's
    ("Mrs. Clinton" after "Bill Clinton"; "Mr. Trump" beside "Melania Trump"): two people sharing
    a surname. A person's sex: the census lists' for their first name (names.first_name_gender),
    else the titles the article gives them."""
    said = title_gender(mention.role) if mention.type == "PERSON" and mention.role else None
    if said is None:
        return False
    known = {first_name_gender(name) for name in entity.names} - {None}
    if not known:
        known = {title_gender(m.role) for m in entity.mentions} - {None}
    return len(known) == 1 and said not in known


def _nearest(fits: list[LocalEntity], mention: Mention) -> LocalEntity | None:
    """Of the entities a mention may be, the one that wrote its name last before it (two persons
    sharing a surname: "Clinton" is whichever Clinton was just named; a given name alone names
    none: after "Andrew Holmes, a cousin of Takiya", "said Holmes" is Andrew), else the first."""
    last = person_tokens(mention.name)[-1:] if mention.type == "PERSON" else []

    def writes(other: Mention) -> bool:
        return not last or any(same_token(last[0], t) for t in person_tokens(other.name))

    before = [
        (max(starts), e)
        for e in fits
        if (starts := [m.start for m in e.mentions if m.start < mention.start and writes(m)])
    ]
    if len(fits) > 1 and before:
        return max(before, key=lambda pair: pair[0])[1]
    return fits[0] if fits else None


def _same_local(entity: LocalEntity, mention: Mention, aliases: dict[str, str]) -> bool:
    if mention.type == "PERSON" or entity.type == "PERSON":
        if mention.type != entity.type:
            return False
        core = person_tokens(mention.name)
        for name in entity.names:
            known = person_tokens(name)
            if len(core) == 1 and len(known) > 1 and same_token(core[0], known[0]):
                return True  # a given name alone ("Tomas") after the full name ("Tomas Weil")
            if not core or not known or not same_token(core[-1], known[-1]):
                continue
            # A bare surname joins the fuller name; two full names need a compatible first name
            # ("Richard Blumenthal", "Dick Blumenthal": a nickname is one) and the same suffix.
            if len(core) == 1 or len(known) == 1:
                return True
            if suffix(mention.name) == suffix(name) and (
                same_token(core[0], known[0]) or nickname_pair(core[0], known[0])
            ):
                return True
        return False
    key = mention.name.lower()
    for name in entity.names:
        if name.lower() == key or aliases.get(name.lower(), name) == aliases.get(key, key):
            return True
        if is_acronym(mention.name) and acronym(name) == mention.name.replace(".", ""):
            return True
        if is_acronym(name) and acronym(mention.name) == name.replace(".", ""):
            return True
    return False
