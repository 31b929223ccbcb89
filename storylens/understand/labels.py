"""Quotes a label says who spoke: broadcast transcripts ("NINA HART: …", also a paragraph quoted
whole) and headlines ("Graham: Trump's Rhetoric Destroying GOP's Chance")."""

from __future__ import annotations

import re

from storylens.model import Mention, Quote
from storylens.understand import speakers
from storylens.understand.entities import TRANSCRIPT_LABEL, label_is_a_name, split_title
from storylens.understand.marks import quote_spans
from storylens.understand.names import same_token

HEADLINE_LABEL = re.compile(r"^([^:\n.!?]{2,50}):\s+(\S.*)$", re.S)
HEADLINE_WORDS = 3  # words a headline's claim after "Label:" needs
NAME_JOINERS = {"of", "the", "and", "for", "at", "in", "on"}  # words a name, office or place may hold


def word_count(text: str) -> int:
    return len(re.findall(r"[\w'\u2019-]+", text))


def transcript_quotes(text: str, mentions: list[Mention], starts: list[int]) -> list[Quote]:
    """Broadcast transcripts: each "SPEAKER: words" paragraph is a direct quote by its speaker."""
    found = []
    ends = [*starts[1:], len(text) + 2]
    for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
        match = TRANSCRIPT_LABEL.match(text[start : start + 60])
        if not match:
            continue
        label = match.group(1)
        spoken_start = start + match.end(1) + 1
        spoken_end = start + len(text[start : end - 2].rstrip(" \n\"'\u201d"))  # a quoted one's closing mark
        words = " ".join(text[spoken_start:spoken_end].split())
        speaker = _label_speaker(label, start, spoken_start, mentions)
        if speaker is None and not _is_a_role(label) and not label_is_a_name(label):
            continue  # "EMAIL:", "FIX IS IN:": a field label or a headline, not a speaker
        local = speaker.local if speaker is not None else None
        found.append(
            Quote(
                index,
                spoken_start,
                spoken_end,
                words,
                True,
                label.title(),
                "person",
                local,
                "transcript",
                ":",
                "the transcript's speaker label",
            )
        )
    return found


def _label_speaker(label: str, start: int, spoken_start: int, mentions: list[Mention]) -> Mention | None:
    """The person a transcript label names: a person mention inside it, or a person of the
    article whose name is the label's or ends on its last word ("TAPPER:" for Jake Tapper)."""
    people = [m for m in mentions if m.type == "PERSON"]
    inside = next((m for m in people if start <= m.start < spoken_start), None)
    if inside is not None:
        return inside
    _, name = split_title(label.title())
    same = next((m for m in people if m.name.lower() == name.lower()), None)
    if same is not None or len(name.split()) > 1:
        return same
    return next((m for m in people if same_token(m.name.split()[-1].lower(), name.lower())), None)


def _is_a_role(label: str) -> bool:
    """ "ANCHOR:", "HOST:", "MINISTER:": a label that is a person noun or a title."""
    role, name = split_title(label.title())
    return role is not None or name.split()[-1].lower() in speakers.lexicon()["people"]


def labelled_headline(text: str, mentions: list[Mention], starts: list[int], taken) -> list[Quote]:
    """A headline "Graham: Trump's Rhetoric Destroying GOP's Chance" says what the one named
    before the colon said (a person or organisation it names, or a document: "Poll: …")."""
    if not starts or any(q.paragraph == 0 for q in taken):
        return []
    end = starts[1] - 2 if len(starts) > 1 else len(text)
    match = HEADLINE_LABEL.match(text[:end])
    if not match or word_count(match.group(2)) < HEADLINE_WORDS or _reads_as_a_clause(match.group(1)):
        return []
    label_end = match.end(1)
    named = [m for m in mentions if m.end <= label_end and m.type in ("PERSON", "ORG")]
    speaker = next((m for m in reversed(named) if m.type == "PERSON"), named[-1] if named else None)
    last = match.group(1).split()[-1].lower()
    if speaker is None and last not in speakers.lexicon()["documents"]:
        return []
    start = match.start(2)
    words = " ".join(text[start:end].split()).rstrip(".")
    marked = any(s < end for s, _ in quote_spans(text[:end]) if s >= start)
    kind = "person" if speaker is not None and speaker.type == "PERSON" else "organisation"
    return [
        Quote(
            0,
            start,
            start + len(text[start:end].rstrip(". ")),
            words,
            False,
            speaker.name if speaker is not None else match.group(1).strip(),
            kind if speaker is not None else "document",
            speaker.local if speaker is not None else None,
            "mixed" if marked else "reported",
            ":",
            "the headline's label before its colon",
        )
    ]


def _reads_as_a_clause(label: str) -> bool:
    """ "The Fix Is In: …", "Why It Matters: …": a label with function words beyond those of a
    name ("Secretary of State", "The White House") is a headline's clause, not who spoke."""
    from spacy.lang.en.stop_words import STOP_WORDS

    words = re.findall(r"[\w'\u2019]+", label.lower())
    return any(w in STOP_WORDS and w not in NAME_JOINERS for w in words)
