"""Who spoke: the speaker of a reporting cue, resolved to an entity of the article, with the evidence.

The speaker is the cue's subject, the agent of a passive ("was quoted by X"), X of "according to
X" or of "quoted X as saying". A name is the person (or organisation) it names; "he"/"she" is the
most recent person of that gender (known from "Mr."/"Mrs.", from words like "spokeswoman", or
from the pronouns the article uses for them) who was a subject or a speaker before it; a
description ("the spokeswoman") is the person the article names so ("Haley Morris, a
spokeswoman"); texts ("the statement") and groups ("aides") speak as themselves. Every answer
says how it was found.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from storylens.model import LocalEntity, Mention
from storylens.understand.entities import fullest_name
from storylens.understand.names import first_name_gender, same_token
from storylens.understand.nlp import sentences, text_of, token_starts, tokens_labelled, tokens_spelled

PRONOUN_GENDER = {"he": "m", "him": "m", "she": "f", "her": "f"}
GENDERED_PRONOUNS = frozenset(PRONOUN_GENDER) | {"his", "hers", "himself", "herself"}
DESCRIBING = frozenset({"appos", "compound"})  # the labels of the words _descriptions reads
PLURAL_PRONOUNS = {"they", "them", "we", "us"}
RELATIVE = {"who", "that", "which", "whom"}
WINDOW = 4  # paragraphs back in which a pronoun or description looks for its person
SUBJECT_DEPS = ("nsubj", "nsubjpass")
INVERTED_GAP = 5  # words of a title between an inverted cue and its name ("said Air Force 1st Lt.")
# A first name's sex (names.first_name_gender) weighs as two of the pronouns the article uses for the
# person: chosen on polnear-dev's development half (1: 0.690; 2, 4: 0.695 of pronoun speakers).
FIRST_NAME_VOTES = 2


@dataclass
class Speaker:
    text: str | None
    kind: str  # person | organisation | document | group | unknown
    local: int | None
    evidence: str  # how the speaker was found, in words


@dataclass
class Cast:
    """The people of one article, as pronouns and descriptions need them."""

    people: list[Mention]  # person mentions, in order, outside quotation marks
    gender: dict[int, str]  # local entity -> "m" | "f"
    subjects: set[int]  # start offsets of person mentions that are a clause's subject
    described: dict[str, list[tuple[int, int]]]  # description word -> (offset, local) naming someone so
    quoted: list[tuple[int, int]] = field(default_factory=list)  # quotation-mark spans
    speakers: list[tuple[int, int]] = field(default_factory=list)  # (offset, local) of quotes attributed


@cache
def lexicon() -> dict[str, set[str]]:
    """The sections of data/speech.txt: reporting verbs, documents, groups, gendered words."""
    sections: dict[str, set[str]] = {}
    current = None
    text = (files("storylens.understand") / "data" / "speech.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("["):
            current = line.strip("[]")
            sections[current] = set()
        elif current:
            sections[current].update(line.lower().split())
    return sections


def cast_of(doc, mentions: list[Mention], entities: list[LocalEntity], quoted) -> Cast:
    """Who is who in the article: genders, subjects and descriptions, read once per article."""
    words = lexicon()
    people = [m for m in mentions if m.type == "PERSON" and not any(s <= m.start < e for s, e in quoted)]
    votes: dict[int, list[str]] = {}
    for entity in entities:
        if entity.type != "PERSON":
            continue
        if sex := first_name_gender(fullest_name(entity)):
            votes.setdefault(entity.index, []).extend([sex] * FIRST_NAME_VOTES)
        for role in entity.roles:
            for word in role.lower().split():
                for gender, section in (("m", "male"), ("f", "female")):
                    if word.rstrip(".") in words[section] or word in words[section]:
                        votes.setdefault(entity.index, []).extend([gender] * 3)
    subjects = set()
    index_of = token_starts(doc)
    for mention in people:
        head = _head_token(doc, mention, index_of)
        if head is None:
            continue
        # A name that opens its sentence is its subject, even where the parse says otherwise.
        opens = head.sent.start == head.left_edge.i and not text_of(doc).startswith(
            ("'s", "\u2019s"), mention.end
        )
        if head.dep_ in SUBJECT_DEPS or (opens and head.dep_ != "poss"):
            subjects.add(mention.start)
    for pronoun, person in _pronoun_pairs(doc, people):
        votes.setdefault(person.local, []).append(PRONOUN_GENDER[pronoun])
    gender = {}
    for local, said in votes.items():
        m, f = said.count("m"), said.count("f")
        if m != f:
            gender[local] = "m" if m > f else "f"
    return Cast(people, gender, subjects, _descriptions(doc, people), list(quoted))


def _head_token(doc, mention: Mention, index_of: dict[int, int]):
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is not None and len(span):
        return span.root
    i = index_of.get(mention.start)
    return None if i is None else doc[i]


def _pronoun_pairs(doc, people: list[Mention]):
    """(pronoun, person) where the pronoun's sentence names exactly one person before it."""
    by_sentence: dict[int, list[Mention]] = {}
    starts = [s.start_char for s in sentences(doc)]
    for person in people:
        by_sentence.setdefault(bisect_right(starts, person.start), []).append(person)
    for token in (doc[i] for i in tokens_spelled(doc, GENDERED_PRONOUNS)):
        word = token.lower_
        word = {"his": "he", "himself": "he", "hers": "she", "herself": "she"}.get(word, word)
        before = [p for p in by_sentence.get(bisect_right(starts, token.idx), []) if p.end <= token.idx]
        if before and len({p.local for p in before}) == 1:
            yield word, before[-1]


def _descriptions(doc, people: list[Mention]) -> dict[str, list[tuple[int, int]]]:
    """Words the article uses to describe a named person: roles ("Spokeswoman Haley Morris"),
    appositions ("Haley Morris, a spokeswoman"; "the spokeswoman, Haley Morris") and nouns
    before the name ("campaign manager Robby Mook")."""
    described: dict[str, list[tuple[int, int]]] = {}
    by_token = {}
    for person in people:
        span = doc.char_span(person.start, person.end, alignment_mode="expand")
        for token in span or []:
            by_token[token.i] = person
        if person.role:
            for word in person.role.lower().split():
                described.setdefault(word.rstrip("."), []).append((person.start, person.local))
    for token in (doc[i] for i in tokens_labelled(doc, DESCRIBING)):
        if token.dep_ == "appos":
            head = token.head
            # "The Minister of Interior, General Fadi Nassar": the apposition hangs on "Interior".
            if head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.head.pos_ in ("NOUN", "PROPN"):
                head = head.head.head
            pairs = [(head, token), (token, head)]
        elif token.dep_ == "compound" and token.pos_ == "NOUN" and token.head.i in by_token:
            pairs = [(token, token.head)]
        else:
            continue
        for noun, name in pairs:
            if noun.pos_ in ("NOUN", "PROPN") and noun.i not in by_token and name.i in by_token:
                person = by_token[name.i]
                described.setdefault(noun.lower_, []).append((person.start, person.local))
    return described


def speaker_of(doc, cue, cast: Cast, mentions: list[Mention], entities: list[LocalEntity]) -> Speaker | None:
    """The speaker of a reporting cue (a token), or None when the cue has no subject."""
    word = cue.lower_
    subject, how = None, f"subject of \u2018{cue.text}\u2019"
    if word == "according":
        subject = next(
            (c for t in cue.children if t.lower_ == "to" for c in t.children if c.dep_ == "pobj"), None
        )
        how = "\u2018according to\u2019"
    elif word == "in":  # "In a poll released Monday, …": the document
        subject = next((c for c in cue.children if c.dep_ == "pobj"), None)
        how = "\u2018in\u2019 a document"
    elif word in ("quoted", "quoting"):
        subject = next((c for c in cue.children if c.dep_ in ("dobj", "obj")), None)
        how = f"object of \u2018{cue.text} \u2026 as saying\u2019"
    if subject is None:
        subject, how = _subject(cue, how)
    if subject is None and (named := _named_after(doc, cue, cast)) is not None:
        return Speaker(
            named.name, "person", named.local, f"the person named right after \u2018{cue.text}\u2019"
        )
    if subject is not None and _across_paragraphs(doc, subject, cue):
        subject = None  # the parse ran on across a paragraph break ("Long Beach, Calif.\n\nAt ...")
    if subject is None:
        subject = _detached_subject(doc, cue, cast.quoted)
    if subject is None and cue.dep_ == "acl":
        subject = cue.head  # "a joint statement saying ...": the statement speaks
        if (
            subject.lower_ in lexicon()["documents"]
            and subject.dep_ == "dobj"
            and subject.head.pos_ == "VERB"
        ):
            # "Teneo issued a statement saying ...": whoever issued it speaks through it.
            issuer = speaker_of(doc, subject.head, cast, mentions, entities)
            if issuer is not None and issuer.kind in ("person", "organisation"):
                issuer.evidence += f", through the {subject.lower_} \u2018{cue.text}\u2019"
                return issuer
    if subject is None and cue.dep_ == "pcomp" and cue.head.dep_ == "prep":
        # "was booed after telling them ...": the one who was booed, not who booed.
        head = cue.head.head
        if head.lower_ in ("quoted", "quoting"):  # "quoted Hollis as saying": Hollis speaks
            subject = next((c for c in head.children if c.dep_ == "dobj"), None)
            how = f"object of \u2018{head.text} \u2026 as {cue.text}\u2019"
        else:
            how = f"subject of \u2018{head.text}\u2019, which \u2018{cue.text}\u2019 continues"
            subject, how = _chain_subject(head, how, cast)
    if (
        subject is None
        and cue.dep_ in ("conj", "advcl", "xcomp", "relcl")
        and not _across_paragraphs(doc, cue, cue.head)
    ):
        head = cue.head
        words = lexicon()
        if (
            (cue.dep_ == "advcl" or cue.dep_ == "conj" and cue.lower_ in words["verbs"] | words["belief"])
            and head.dep_ == "ccomp"
            and head.head.lower_ in words["verbs"] | words["belief"]
            and head.head.pos_ == "VERB"
            and not _across_paragraphs(doc, head, head.head)
        ):
            # "Trump argued that a database would keep them out, saying ...", "Hale said the plan
            # would fail and called it …": the one who argued goes on, not the clause's subject.
            head = head.head
        how = f"subject of \u2018{head.text}\u2019, which \u2018{cue.text}\u2019 continues"
        subject, how = (head, how) if cue.dep_ == "relcl" else _chain_subject(head, how, cast)
    if subject is not None and subject.lower_ in RELATIVE and subject.head.dep_ == "relcl":
        subject = subject.head.head  # "Holt, who said ...": the noun the clause hangs on
    if subject is not None and _quoted(subject.idx, cast.quoted):
        # The parse took a word of the quote for the subject: another subject of the cue outside
        # it ("“… every amendment,” said Cruz"), else the name before the cue.
        outside = (c for c in cue.children if c.dep_ in SUBJECT_DEPS and not _quoted(c.idx, cast.quoted))
        subject = next(outside, None) or _named_before(cue, cast.quoted)
    if subject is None:
        return _first_named(doc, cue, cast)
    return resolve(doc, subject, cue.idx, cast, mentions, entities, how)


def _named_after(doc, cue, cast: Cast) -> Mention | None:
    """ "“…,” mused radio co-host Dana Quill", "Stated Stone:": a cue with no subject, the name
    right after it, nothing between but a few words of a title or a description."""
    if cue.tag_ in ("VB", "VBG"):
        return None  # "Ask Hale", "urging Hale": the name is the object
    before = text_of(doc)[cue.sent.start_char : cue.idx].rstrip(" ,")
    if before and not before.endswith(("\u201d", '"', "''")):
        return None  # not inverted: the cue neither opens its sentence nor follows a quotation
    end = cue.idx + len(cue.text)
    after = next((p for p in cast.people if p.end > end and p.start >= cue.idx), None)
    if after is None:
        return None
    gap = text_of(doc)[end : max(end, after.start)].split()
    if len(gap) > INVERTED_GAP or not all(re.fullmatch(r"[\w'\u2019-]+\.?", w) for w in gap):
        return None
    return after


def _first_named(doc, cue, cast: Cast) -> Speaker | None:
    """For a cue the parse left without a subject ("Sanders, meanwhile, who sits at zero
    endorsements, said ..."): the first person its sentence names before it, when that name is
    not an object, an owner or inside a quotation."""
    sentence = cue.sent
    for person in cast.people:
        if not sentence.start_char <= person.start < cue.idx:
            continue
        span = doc.char_span(person.start, person.end, alignment_mode="expand")
        if span is None or span.root.dep_ in ("pobj", "dobj", "poss", "dative"):
            continue
        if any(c.dep_ == "mark" for c in span.root.head.children):
            continue  # "after Clinton suffered a concussion, Axelrod emailed her, telling ..."
        return Speaker(
            person.name,
            "person",
            person.local,
            f"\u2018{cue.text}\u2019 has no subject: the first person its sentence names",
        )
    return None


def _chain_subject(verb, how: str, cast: Cast):
    """The subject of a verb, or of the verb it continues ("addressed X, bemoaned Y and said
    ..."), up a chain of conjoined verbs. A subject inside a quotation is the quote's own
    ("criticized X for “…the investigation is over…” and suggested …"): the chain goes on."""
    subject, how = _subject(verb, how)
    for _ in range(3):
        found = subject is not None and not _quoted(subject.idx, cast.quoted)
        if found or verb.dep_ not in ("conj", "xcomp") or verb.head.i == verb.i:
            break
        if _across_paragraphs(verb.doc, verb, verb.head):
            break  # the parse ran on across a paragraph break
        verb = verb.head
        subject, how = _subject(verb, how)
    return subject, how


def _subject(verb, how: str):
    """A verb's speaking subject: the agent of a passive ("announced by X"), else its subject."""
    words = lexicon()
    # "announced by X": X speaks; "was joined on stage by X and joked", "was shouted down by X
    # after telling ...": the one joined or shouted down speaks.
    speech = verb.lower_ in words["verbs"] | words["belief"] and not any(
        c.dep_ == "prt" for c in verb.children
    )
    agent = next((c for c in verb.children if c.dep_ == "agent"), None) if speech else None
    by = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
    if by is not None:
        return by, f"\u2018by\u2019 of passive \u2018{verb.text}\u2019"
    return next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None), how


def _detached_subject(doc, cue, spans):
    """A subject the parse hung on a verb across a paragraph break ("…,'' said Jared Bernstein"
    parsed with the next paragraph's verb): a noun of the cue's sentence whose head lies outside
    it, the nearest to the cue, outside quotation marks."""
    starts = doc.user_data.get("storylens_sentence_starts")
    if starts is None:
        sentences(doc)
        starts = doc.user_data["storylens_sentence_starts"]
    sentence = sentences(doc)[bisect_right(starts, cue.idx) - 1]
    detached = [
        t
        for t in sentence
        if t.pos_ in ("PROPN", "NOUN", "PRON")
        and not (sentence.start <= t.head.i < sentence.end)
        and t.dep_ in ("nsubj", "nsubjpass", "dobj", "attr")
        and not _quoted(t.idx, spans)
    ]
    return min(detached, key=lambda t: abs(t.i - cue.i), default=None)


def _across_paragraphs(doc, a, b) -> bool:
    start, end = sorted((a.idx, b.idx))
    return "\n\n" in text_of(doc)[start:end]


def _quoted(offset: int, spans) -> bool:
    return any(s <= offset < e for s, e in spans)


def _named_before(cue, spans):
    """The head of the first noun phrase between the last quotation and the cue
    ("“…,” Robert Vane, a strategist, said")."""
    start = max((e for s, e in spans if e <= cue.idx), default=cue.sent.start_char)
    words = [t for t in cue.sent if start <= t.idx < cue.idx]
    first = next((t for t in words if t.pos_ in ("PROPN", "NOUN", "PRON")), None)
    while first is not None and first.dep_ in ("compound", "amod", "det", "nmod") and first.head in words:
        first = first.head
    return first


def resolve(doc, subject, before: int, cast: Cast, mentions, entities, how: str) -> Speaker:
    """The speaker a subject token stands for, with the evidence."""
    words = lexicon()
    text = _phrase(doc, subject)
    head = subject.lower_
    at = [m for m in mentions if m.start <= subject.idx < m.end]
    person = next((m for m in at if m.type == "PERSON"), None)
    if person is None:
        person = _person_in_appositions(subject, mentions)
        how = f"{how}, named in apposition" if person is not None else how
    if person is None and not at:
        person = _person_in_phrase(subject, mentions)
    if person is not None:
        return Speaker(text, "person", person.local, how)
    if head in PRONOUN_GENDER:
        return _antecedent(text, PRONOUN_GENDER[head], before, cast, how)
    if head in words["documents"]:
        return Speaker(text, "document", None, f"{how}: a text")
    organisation = next((m for m in at if m.type in ("ORG", "GPE", "NORP")), None)
    if organisation is not None and head not in words["groups"]:
        return Speaker(text, "organisation", organisation.local, f"{how}: an organisation")
    if head in PLURAL_PRONOUNS or head in words["groups"] or subject.tag_ in ("NNS", "NNPS"):
        return Speaker(text, "group", None, f"{how}: a group")
    if subject.pos_ in ("NOUN", "PROPN", "ADJ", "NUM"):
        local = _described(head, before, cast)
        if local is not None:
            return Speaker(text, "person", local, f"{how}: \u2018{head}\u2019, as the article calls them")
    if subject.pos_ == "PROPN" and subject.text[:1].isupper():
        named = _person_by_name(subject.text, entities)
        if named is not None:
            return Speaker(text, "person", named, f"{how}, a name of a person in the article")
        return Speaker(text, "unknown", None, f"{how}, a name not recognised")
    if subject.pos_ in ("NOUN", "ADJ", "NUM"):
        if any(c.lower_ == "the" for c in subject.children if c.dep_ == "det"):
            # "the striker", "the 52-year-old": the person the story is following.
            gender = next((g for g, k in (("m", "male"), ("f", "female")) if head in words[k]), None)
            return _antecedent(text, gender, before, cast, f"{how}, a description")
        return Speaker(text, "person" if head in words["people"] else "unknown", None, f"{how}, not named")
    return Speaker(text, "unknown", None, how)


def _phrase(doc, subject) -> str:
    """The subject's noun phrase, without a relative clause or apposition hanging off it."""
    tokens = [t for t in subject.subtree]
    cut = next(
        (
            t.i
            for t in tokens
            if t.i > subject.i
            and t.dep_ in ("relcl", "appos", "punct", "prep", "acl")
            and not _inside_word(t)
            and not _name_after_description(subject, t)
        ),
        None,
    )
    end = cut if cut is not None else subject.right_edge.i + 1
    return " ".join(doc[subject.left_edge.i : end].text.split()).strip(" ,") or subject.text


def _name_after_description(subject, token) -> bool:
    """ "his nephew Omar Hale", "the newspaper Haaretz": a name right after the description, with
    no comma, is part of the speaker's phrase."""
    return (
        token.dep_ == "appos"
        and token.head.i == subject.i
        and token.left_edge.i == subject.i + 1
        and token.pos_ == "PROPN"
        and subject.pos_ == "NOUN"
    )


def _inside_word(token) -> bool:
    """A hyphen or a period inside a name or a title ("co-host", "Lt."): not the phrase's end."""
    doc = token.doc
    joined = not doc[token.i - 1].whitespace_ if token.i else False
    return token.text in ("-", ".") and joined and (token.text == "." or not token.whitespace_)


def _person_in_appositions(subject, mentions):
    """A person named in an apposition to the subject, or in one to that ("PORT ELLIS — The
    Speaker of Parliament, Dr. Farid Nouri")."""
    for child in subject.children:
        if child.dep_ == "appos":
            found = next((m for m in mentions if m.type == "PERSON" and m.start <= child.idx < m.end), None)
            if found is None:
                found = _person_in_appositions(child, mentions)
            if found is not None:
                return found
    return None


def _person_in_phrase(subject, mentions):
    """The last person named in the subject's phrase up to its head word, not as an owner
    ("Veit's lawyer") nor in a clause after it ("Vane, the nephew of King Olaf"), nor a name
    before a plural noun ("Hale aides", "Park's economic advisers": they speak, as a group)."""
    if subject.tag_ == "NNS":
        return None
    owned = [
        (o.left_edge.idx, o.right_edge.idx + len(o.right_edge.text))
        for o in subject.subtree
        if o.dep_ == "poss"
    ]
    start, end = subject.left_edge.idx, subject.idx + len(subject.text)
    inside = [
        m
        for m in mentions
        if m.type == "PERSON" and start <= m.start < end and not any(s <= m.start < e for s, e in owned)
    ]
    return inside[-1] if inside else None


def _person_by_name(word: str, entities: list[LocalEntity]) -> int | None:
    key = re.sub(r"['\u2019]s?$", "", word).lower()
    for entity in entities:
        if entity.type == "PERSON" and any(
            same_token(key, t.lower()) for n in entity.names for t in n.split()
        ):
            return entity.index
    return None


def _antecedent(text: str, gender: str | None, before: int, cast: Cast, how: str) -> Speaker:
    """The most recent person of the pronoun's gender who was a subject or a speaker."""
    paragraph = max((m.paragraph for m in cast.people if m.start < before), default=0)
    near = [m for m in cast.people if m.end <= before and m.paragraph >= paragraph - WINDOW]
    fits = [m for m in near if gender is None or cast.gender.get(m.local, gender) == gender]
    candidates = [(m.start, m.local) for m in fits if m.start in cast.subjects]
    candidates += [
        (at, local)
        for at, local in cast.speakers
        if at < before
        and (gender is None or cast.gender.get(local, gender) == gender)
        and any(m.local == local for m in near)
    ]
    word = {"m": "man", "f": "woman", None: "person"}[gender]
    if candidates:
        return Speaker(
            text, "person", max(candidates)[1], f"{how}: the last {word} to speak or act before it"
        )
    if fits:
        return Speaker(text, "person", fits[-1].local, f"{how}: the last {word} named before it")
    return Speaker(text, "person", None, f"{how}: no {word} named before it")


def _described(word: str, before: int, cast: Cast) -> int | None:
    named = [(at, local) for at, local in cast.described.get(word, []) if at < before]
    return max(named)[1] if named else None
