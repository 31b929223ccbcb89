"""Who said what in one article: direct quotes and reported speech, with their speakers.

Direct quotes are found from the quotation marks (straight or curly, mixed, continuing across
paragraphs when the next paragraph reopens the quote); short quoted phrases with no speech verb
are scare quotes, not speech. Reported speech is a reporting verb with a clausal complement
("X said that ...") or "according to X". The speaker is the verb's subject (or the object of
"quoted X as saying", or X of "according to X"), resolved to an entity of the article; a pronoun
or a description ("the spokesperson") resolves to the nearest compatible person before it; a
text ("the statement") or a group ("the two sides") is kept as such.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from storylens.understand.entities import TRANSCRIPT_LABEL, LocalEntity, Mention, split_title

OPENERS = "\u201c\u00ab\u201e"
CLOSERS = "\u201d\u00bb"
PRONOUNS = {"he", "she", "him", "her"}
PLURAL_PRONOUNS = {"they", "them"}
SCARE_QUOTE_WORDS = 3  # a quoted phrase this short with no speech verb is not speech


@dataclass
class Quote:
    paragraph: int
    start: int
    end: int
    text: str
    direct: bool
    speaker_text: str | None
    speaker_kind: str  # person | organisation | document | group | unknown
    speaker_local: int | None  # index of the local entity that spoke, when one did


@cache
def _lexicon() -> dict[str, set[str]]:
    sections: dict[str, set[str]] = {}
    current = None
    text = (files("storylens.understand") / "data" / "speech.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = line.strip("[]")
            sections[current] = set()
        elif current:
            sections[current].add(line.lower())
    return sections


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text inside each pair of quotation marks; a quote left open at a
    paragraph end continues when the next paragraph opens with a quotation mark."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    i = 0
    while i < len(text):
        ch = text[i]
        if start is None:
            if ch in OPENERS or (ch == '"' and _opens(text, i)):
                start = i + 1
        elif ch in CLOSERS or (ch == '"' and _closes(text, i)):
            if i > start:
                spans.append((start, i))
            start = None
        elif text.startswith("\n\n", i):
            following = text[i + 2 : i + 3]
            if not following or following not in OPENERS + '"':
                spans.append((start, i))  # an unclosed quote ends with its paragraph
                start = None
            else:
                i += 2  # the quote goes on in the next paragraph
        i += 1
    if start is not None and start < len(text):
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if re.search(r"\w", text[s:e])]


def _opens(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{\u2014-:") and not after.isspace()


def _closes(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after.isspace() or after in ".,;:!?)]}\u2014-")


def find_quotes(
    doc, mentions: list[Mention], entities: list[LocalEntity], paragraph_starts: list[int]
) -> list[Quote]:
    """Direct and reported quotes in a parsed article, each with its speaker."""
    lexicon = _lexicon()
    spans = quote_spans(doc.text)
    quotes: list[Quote] = []
    for start, end in spans:
        verb = _speech_verb_near(doc, start, end, spans, lexicon)
        inner = " ".join(doc.text[start:end].split())
        if verb is None and len(inner.split()) <= SCARE_QUOTE_WORDS:
            continue
        speaker = _speaker(doc, verb, start, mentions, entities, lexicon) if verb is not None else None
        if speaker is None and quotes and _same_paragraph(paragraph_starts, quotes[-1].start, start):
            previous = quotes[-1]  # "“…,” she said. “…”": the second part is hers too
            speaker = (previous.speaker_text, previous.speaker_kind, previous.speaker_local)
        text_, kind, local = speaker or (None, "unknown", None)
        quotes.append(Quote(_paragraph(paragraph_starts, start), start, end, inner, True, text_, kind, local))
    transcript = _transcript(doc.text, mentions, paragraph_starts)
    taken = [(q.start, q.end) for q in transcript]
    quotes = [q for q in quotes if not any(s <= q.start < e for s, e in taken)] + transcript
    reported = _reported(doc, spans + taken, mentions, entities, paragraph_starts, lexicon)
    return sorted(quotes + reported, key=lambda q: q.start)


def _transcript(text: str, mentions: list[Mention], starts: list[int]) -> list[Quote]:
    """Broadcast transcripts: each "SPEAKER: words" paragraph is a direct quote by its speaker."""
    found = []
    ends = [*starts[1:], len(text) + 2]
    for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
        match = TRANSCRIPT_LABEL.match(text[start : start + 60])
        if not match:
            continue
        label = match.group(1)
        spoken_start = start + match.end(1) + 1
        words = " ".join(text[spoken_start : end - 2].split())
        speaker = next((m for m in mentions if m.type == "PERSON" and start <= m.start < spoken_start), None)
        if speaker is None:
            _, name = split_title(label.title())
            speaker = next(
                (m for m in mentions if m.type == "PERSON" and m.name.lower() == name.lower()), None
            )
        local = speaker.local if speaker is not None else None
        found.append(Quote(index, spoken_start, end - 2, words, True, label.title(), "person", local))
    return found


def _paragraph(starts: list[int], offset: int) -> int:
    return max(i for i, s in enumerate(starts) if s <= offset)


def _same_paragraph(starts: list[int], a: int, b: int) -> bool:
    return _paragraph(starts, a) == _paragraph(starts, b)


def _outside(token, spans) -> bool:
    return not any(s <= token.idx < e for s, e in spans)


def _speech_verb_near(doc, start: int, end: int, spans, lexicon):
    """The reporting verb of a direct quote: in the sentence where the quote ends, else where it starts."""
    verbs = lexicon["verbs"]
    sentences = []
    for offset in (max(end - 1, start), start):
        sentence = _sentence_at(doc, offset)
        if sentence is not None and sentence not in sentences:
            sentences.append(sentence)
    for sentence in sentences:
        candidates = [t for t in sentence if _is_speech_verb(t, verbs) and _outside(t, spans)]
        if candidates:
            # "X quoted Y as saying" names the speaker; "according to Z" names only the source of a
            # chain; otherwise the verb closest to the quote's edges.
            return min(candidates, key=lambda t: (_rank(t), min(abs(t.idx - end), abs(t.idx - start))))
    return None


def _sentence_at(doc, offset: int):
    """The sentence holding a character offset (boundaries computed once per document)."""
    sentences = doc.user_data.get("storylens_sentences")
    if sentences is None:
        sentences = list(doc.sents)
        doc.user_data["storylens_sentences"] = sentences
    starts = [s.start_char for s in sentences]
    index = bisect_right(starts, offset) - 1
    return sentences[index] if index >= 0 else None


def _is_speech_verb(token, verbs: set[str]) -> bool:
    """A reporting verb in use: not "so-called", not a noun ("the tweet")."""
    if token.lower_ not in verbs:
        return False
    if token.i >= 2 and token.doc[token.i - 1].text == "-" and token.doc[token.i - 2].lower_ == "so":
        return False
    return token.lower_ == "according" or token.pos_ in ("VERB", "AUX")


def _rank(verb) -> int:
    if verb.lower_ in ("quoted", "quoting"):
        return 0
    return 2 if verb.lower_ == "according" else 1


def _speaker(doc, verb, before: int, mentions, entities, lexicon):
    """(speaker text, kind, local entity index) for a reporting verb."""
    subject = None
    if verb.lower_ == "according":
        subject = next(
            (c for t in verb.children if t.lower_ == "to" for c in t.children if c.dep_ == "pobj"), None
        )
    elif verb.lower_ in ("quoted", "quoting"):
        subject = next((c for c in verb.children if c.dep_ in ("dobj", "obj")), None)
    if subject is None:
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None and verb.dep_ == "acl":
        subject = verb.head  # "a joint statement saying ...": the statement speaks
    if subject is None and verb.dep_ in ("conj", "advcl", "relcl"):
        subject = next((c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return None
    return _resolve_subject(doc, subject, before, mentions, entities, lexicon)


def _resolve_subject(doc, subject, before: int, mentions, entities, lexicon):
    phrase = doc[subject.left_edge.i : subject.right_edge.i + 1]
    # Keep the noun phrase, not a relative clause or apposition hanging off it.
    cut = next(
        (t.i for t in phrase if t.i > subject.i and t.dep_ in ("relcl", "appos", "punct", "prep", "acl")),
        None,
    )
    if cut is not None and subject.ent_type_ == "":
        phrase = doc[phrase.start : cut]
    text = phrase.text.strip(" ,")
    head = subject.lower_
    # A name that only possesses the subject ("Veit's lawyer") is not the one speaking.
    owners = [t for t in subject.children if t.dep_ == "poss"]
    owned = [(o.left_edge.idx, o.right_edge.idx + len(o.right_edge.text)) for o in owners]
    inside = [
        m
        for m in mentions
        if m.start < phrase.end_char
        and phrase.start_char < m.end
        and not any(s <= m.start < e for s, e in owned)
    ]
    person = next((m for m in inside if m.type == "PERSON"), None)
    if person is not None:
        return text, "person", person.local
    if head in PRONOUNS:
        antecedent = _nearest_person(mentions, before, role_word=None)
        return text, "person", antecedent.local if antecedent else None
    if head in lexicon["documents"]:
        return text, "document", None
    if inside and inside[-1].type in ("ORG", "GPE", "NORP") and head not in lexicon["groups"]:
        return text, "organisation", inside[-1].local
    if head in PLURAL_PRONOUNS or head in lexicon["groups"] or subject.tag_ in ("NNS", "NNPS"):
        return text, "group", None
    if subject.pos_ in ("NOUN", "PROPN", "ADJ", "NUM"):
        # A description ("the spokesperson", "the 27-year-old"): the nearest person whose role it
        # fits, else the nearest person named before it.
        antecedent = _nearest_person(mentions, before, role_word=head, entities=entities) or _nearest_person(
            mentions, before, role_word=None
        )
        if antecedent is not None:
            return text, "person", antecedent.local
    return text, "unknown", None


def _nearest_person(mentions, before: int, role_word: str | None, entities=None):
    people = [m for m in mentions if m.type == "PERSON" and m.end <= before]
    if role_word and entities is not None:
        fitting = [m for m in people if any(role_word in r.lower() for r in entities[m.local].roles)]
        if fitting:
            return fitting[-1]
        return None
    return people[-1] if people else None


def _reported(doc, spans, mentions, entities, starts, lexicon) -> list[Quote]:
    """Reported speech: "X said (that) CLAUSE", "according to X, CLAUSE"."""
    found = []
    verbs = lexicon["verbs"]
    for sentence in doc.user_data.get("storylens_sentences") or list(doc.sents):
        if any(s < sentence.end_char and sentence.start_char < e for s, e in spans):
            continue  # direct quotes in this sentence are already taken
        for token in sentence:
            if not _is_speech_verb(token, verbs):
                continue
            if token.dep_ == "parataxis" and token.lower_ != "according":
                # "..., the company said on Monday": the rest of the sentence is what was said.
                clause = [t for t in sentence if not (token.left_edge.i <= t.i <= token.right_edge.i)]
                if len(clause) < 4:
                    continue
                text = _join(clause)
            elif token.lower_ == "according":
                clause = [t for t in sentence if not (token.i <= t.i <= _phrase_end(token))]
                if len(clause) < 4:
                    continue
                text = _join(clause)
            else:
                complement = next((c for c in token.children if c.dep_ == "ccomp"), None)
                if complement is None:
                    continue
                words = [
                    t
                    for t in complement.subtree
                    if not (t.i == complement.left_edge.i and t.lower_ == "that")
                ]
                if len(words) < 3:
                    continue
                text = _join(words)
            speaker = _speaker(doc, token, token.idx, mentions, entities, lexicon)
            if speaker is None:
                continue
            speaker_text, kind, local = speaker
            found.append(
                Quote(
                    _paragraph(starts, sentence.start_char),
                    sentence.start_char,
                    sentence.end_char,
                    text,
                    False,
                    speaker_text,
                    kind,
                    local,
                )
            )
            break
    return found


def _phrase_end(according) -> int:
    to = next((t for t in according.children if t.lower_ == "to"), None)
    return to.right_edge.i if to is not None else according.i


def _join(tokens) -> str:
    ordered = sorted(tokens, key=lambda t: t.i)
    text = "".join(
        t.text_with_ws if t.whitespace_ or t.i + 1 == n.i else t.text + " "
        for t, n in zip(ordered, ordered[1:] + ordered[-1:], strict=True)
    )
    text = " ".join(text.split()).strip(" ,")
    return text[:1].upper() + text[1:] if text else text
