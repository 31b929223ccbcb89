"""Who said what in one article: direct quotes, mixed quotes and reported speech, with speakers.

Direct quotes come from the quotation marks (marks.py). A short quoted phrase inside a sentence
with no reporting cue is a scare quote or a title, not speech; a quoted phrase in what a named
person did ("Hale called the deal “a disaster”") is their words. Reported speech and mixed quotes
come from reported.py, broadcast transcripts and labelled headlines from labels.py. The speaker comes from
speakers.py, and every quote keeps its cue and how its speaker was found.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from storylens.model import LocalEntity, Mention, Quote
from storylens.understand import speakers
from storylens.understand.labels import labelled_headline, transcript_quotes, word_count
from storylens.understand.marks import quote_spans
from storylens.understand.nlp import sentences, text_of
from storylens.understand.reported import (
    OBJECTS,
    is_speech_verb,
    is_when,
    outside,
    reported_candidates,
)
from storylens.understand.speakers import Cast, Speaker, cast_of, speaker_of

__all__ = ["Quote", "find_quotes", "quote_spans"]

PULL_QUOTE_WORDS = 5  # a quote with no cue this long that repeats another is that one's
SCARE_QUOTE_WORDS = 3  # a quoted phrase this short, inside a sentence, with no cue is not speech


# -- the article's quotes --------------------------------------------------------------------------


def find_quotes(
    doc, mentions: list[Mention], entities: list[LocalEntity], paragraph_starts: list[int]
) -> list[Quote]:
    """Direct, mixed and reported quotes in a parsed article, in order, each with its speaker."""
    transcript = transcript_quotes(text_of(doc), mentions, paragraph_starts)
    transcript += labelled_headline(text_of(doc), mentions, paragraph_starts, transcript)
    taken = [(q.start, q.end) for q in transcript]
    spans = _outside_labels(text_of(doc), quote_spans(text_of(doc)), taken)
    cast = cast_of(doc, mentions, entities, spans)
    reported, absorbed = reported_candidates(doc, spans, taken)
    found: list[tuple[int, str, object]] = [(start, "reported", item) for start, item in reported]
    found += [(s, "direct", (s, e)) for s, e in spans if (s, e) not in absorbed]
    quotes: list[Quote] = []
    marked = sorted(spans + taken)  # a labelled quote's words are quoted words too
    for at, kind, item in sorted(found, key=lambda f: f[0]):
        # A quote goes on from a transcript's speaker too ('"HOST: …' then '"Let me start …').
        earlier = sorted(quotes + [t for t in transcript if t.end <= at], key=lambda q: q.start)
        quote = (
            _reported_quote(doc, item, cast, mentions, entities, paragraph_starts)
            if kind == "reported"
            else _direct_quote(doc, item, marked, earlier, cast, mentions, entities, paragraph_starts)
        )
        if quote is None:
            continue
        quotes.append(quote)
        if quote.speaker_kind == "person" and quote.speaker_local is not None:
            cast.speakers.append((quote.start, quote.speaker_local))
    _pull_quotes(quotes)
    return sorted(quotes + transcript, key=lambda q: q.start)


def _outside_labels(text: str, spans, taken) -> list[tuple[int, int]]:
    """The quotation-mark spans outside the labelled quotes: one that runs on through quoted
    transcript paragraphs ('"HOST: …', '"Let me start …', '"PARK: …') keeps its unlabelled pieces."""
    kept = []
    for start, end in spans:
        if any(a <= start < b for a, b in taken):
            continue
        pieces, at = [], start
        for a, b in sorted(taken):
            if a < end and at < b:
                opens = text.rfind("\n\n", 0, a)  # the labelled paragraph's start, label and all
                pieces.append((at, opens + 2 if opens >= 0 else 0))
                at = max(at, b)
        pieces.append((at, end))
        for s, e in pieces:
            piece = text[s:e]
            s += len(piece) - len(piece.lstrip(" \n\"'`\u201c\u201d"))
            e -= len(piece) - len(piece.rstrip(" \n\"'`\u201c\u201d"))
            if s < e and re.search(r"\w", text[s:e]):
                kept.append((s, e))
    return kept


def _pull_quotes(quotes: list[Quote]) -> None:
    """A quote with no cue of its own whose words another quote of the article holds, with its cue
    and speaker (a pull quote set apart from the body, an excerpt repeated): that quote's speaker."""
    for quote in quotes:
        if quote.cue is not None or word_count(quote.text) < PULL_QUOTE_WORDS:
            continue
        words = _folded(quote.text)
        source = next(
            (
                q
                for q in quotes
                if q is not quote
                and q.cue is not None
                and q.speaker_kind != "unknown"
                and words in _folded(q.text)
            ),
            None,
        )
        if source is not None:
            quote.speaker_text, quote.speaker_kind, quote.speaker_local = (
                source.speaker_text,
                source.speaker_kind,
                source.speaker_local,
            )
            quote.evidence = (
                f"the same words quoted elsewhere with \u2018{source.cue}\u2019: {source.evidence}"
            )


def _folded(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", text.lower())) + " "


def _direct_quote(doc, span, spans, earlier: list[Quote], cast: Cast, mentions, entities, starts):
    start, end = span
    if any(q.start <= start and end <= q.end for q in earlier):
        return None  # already inside a mixed quote
    inner = " ".join(text_of(doc)[start:end].split())
    whole = _whole_sentence(doc, start, inner)
    cue = _cue_near(doc, start, end, spans)
    # "Clinton shook her head and said, ''No.''": what a reporting verb introduces is speech.
    if cue is not None and cue[1] == "the verb before it" and cue[0].lower_ in speakers.lexicon()["verbs"]:
        whole = whole or inner[-1:] in ".!?,"
    if not whole and _is_title(inner):
        return None
    if not whole:
        owned = _words_of_a_speaker(doc, span, spans, cast, mentions, entities, starts)
        if owned is not None or (cue is None and len(inner.split()) <= SCARE_QUOTE_WORDS):
            return owned
    if not whole and _scare_quote(doc, span, cue[0] if cue else None):
        return None
    speaker = speaker_of(doc, cue[0], cast, mentions, entities) if cue is not None else None
    if speaker is not None and cue[1]:
        speaker.evidence += f" ({cue[1]})"
    if speaker is None and cue is None:
        speaker = _signed(text_of(doc), end, cast, starts)
    if speaker is None:
        speaker = _run_speaker(doc, start, earlier, starts)
    speaker = speaker or Speaker(None, "unknown", None, "no cue found")
    cue_word = None if cue is None else ("according to" if cue[0].lower_ == "according" else cue[0].text)
    return Quote(
        _paragraph(starts, start),
        start,
        end,
        inner,
        True,
        speaker.text,
        speaker.kind,
        speaker.local,
        "direct",
        cue_word,
        speaker.evidence,
    )


def _words_of_a_speaker(doc, span, spans, cast: Cast, mentions, entities, starts):
    """A quoted phrase in the object of what a named person or organisation did ("Hale called
    the deal “a disaster”", "Park describes herself as a “bridge builder”") is their words: a
    mixed quote with that verb as its cue. A quoted phrase in a subject is a scare quote."""
    start, end = span
    words = doc.char_span(start, end, alignment_mode="expand")
    if words is None or not len(words):
        return None
    verbs = speakers.lexicon()["verbs"]
    # "Cruz said he's certain Rubio will be “a champion …”": the words of whoever said the clause.
    if any(a.dep_ == "ccomp" and is_speech_verb(a.head, verbs) for a in [words.root, *words.root.ancestors]):
        return None
    verb, speaker = words.root, None
    sentence = _sentence_at(doc, start)
    while speaker is None:
        if verb.dep_ in ("nsubj", "nsubjpass", "csubj") or verb.head.i == verb.i:
            return None
        if not sentence.start <= verb.head.i < sentence.end:
            return None  # the parse went on across a paragraph break
        verb = verb.head
        if verb.pos_ == "VERB" and verb.i < words.start:
            speaker = speaker_of(doc, verb, cast, mentions, entities)
    if speaker.local is None or speaker.kind not in ("person", "organisation"):
        return None
    words_ = speakers.lexicon()
    if verb.lower_ not in words_["verbs"] | words_["belief"] and word_count(text_of(doc)[start:end]) == 1:
        return None  # "taught in a “classroom” made of tents": a quoted word is not a statement
    sentence = _sentence_at(doc, verb.idx)
    parts = [c for c in verb.children if c.i > verb.i and c.dep_ in OBJECTS and not is_when(c)]
    tokens = [t for c in parts for t in c.subtree if sentence.start <= t.i < sentence.end]
    if not tokens:
        return None
    first = min(min(t.idx for t in tokens), start - 1)
    last = max(max(t.idx + len(t.text) for t in tokens), end + 1)
    # A later quotation the objects reach into is part of the same words, to its closing mark.
    text = text_of(doc)
    last = max([last] + [e + 1 + (text[e : e + 2] == "''") for s, e in spans if first < s < last <= e])
    return Quote(
        _paragraph(starts, first),
        first,
        last,
        " ".join(text_of(doc)[first:last].split()),
        False,
        speaker.text,
        speaker.kind,
        speaker.local,
        "mixed",
        verb.text,
        f"{speaker.evidence} (the quoted words are in what \u2018{verb.text}\u2019 is about)",
    )


def _whole_sentence(doc, start: int, inner: str) -> bool:
    """A quote that is a sentence of its own (or several), not a phrase inside one."""
    before = text_of(doc)[max(0, start - 80) : start].rstrip(" \"'`\u201c\u2018")
    return (not before or before[-1] in ".!?:\n") and inner[-1:] in ".!?,"


def _is_title(inner: str) -> bool:
    """ "“Fox and Friends”", "“A Time for Truth”": a title, not speech."""
    words = re.findall(r"[\w'\u2019-]+", inner)
    small = {"a", "an", "the", "of", "and", "or", "for", "to", "in", "on", "at", "with", "by"}
    return 0 < len(words) <= 8 and all(w[:1].isupper() or w.lower() in small for w in words)


def _scare_quote(doc, span, cue) -> bool:
    """A word or two in quotation marks that the cue does not govern ("who calls him a
    “sociopath,” said ..." is speech; "the “experts” said" is not), or a title."""
    inner = text_of(doc)[span[0] : span[1]]
    if _is_title(inner):
        return True
    if word_count(inner) > SCARE_QUOTE_WORDS:
        return False
    words = doc.char_span(span[0], span[1], alignment_mode="expand")
    return cue is None or words is None or words.root.head.i != cue.i


def _signed(text: str, end: int, cast: Cast, starts: list[int]) -> Speaker | None:
    """A quote that ends its paragraph, signed on the next line with a dash and a name ("“…”" then
    "— President Obama, tweeting after the speech"): the one who signed."""
    here = _paragraph(starts, end)
    if here + 1 >= len(starts) or text[end : starts[here + 1]].strip(" \n\"'\u201d.!?"):
        return None
    dash = re.match(r"[-\u2013\u2014]+\s*", text[starts[here + 1] :])
    if dash is None:
        return None
    line = starts[here + 1] + dash.end()
    signer = re.match(r"[^,;:\n]{2,60}", text[line:])
    words = signer.group(0).split() if signer else []
    if not 0 < len(words) <= 5 or not all(w[:1].isupper() for w in words):
        return None  # "— President Obama, tweeting …": a name, maybe titled, before the comma
    person = next((p for p in cast.people if line <= p.start < line + signer.end()), None)
    how = "the name signed under it with a dash"
    if person is not None:
        return Speaker(person.name, "person", person.local, how)
    return Speaker(signer.group(0).strip(), "person", None, how)


def _run_speaker(doc, start: int, earlier: list[Quote], starts: list[int]) -> Speaker | None:
    """In a run of quotes, a quote with no cue of its own is the previous quote's: in the same
    paragraph, or in the paragraph before when this one opens with the quote. A report inside
    the sentence that attributes a direct quote is an aside, not the run ("“…,” Hale said,
    though Park said the inquiry is “reopening.” “…”": Hale's)."""
    if not earlier:
        return None
    text = text_of(doc)
    previous = earlier[-1]
    direct = next((q for q in reversed(earlier) if q.form in ("direct", "transcript")), previous)
    if previous.form not in ("direct", "transcript") and _sentence_at(doc, previous.start) == _sentence_at(
        doc, direct.end - 1
    ):
        previous = direct
    here, there = _paragraph(starts, start), _paragraph(starts, previous.end)
    opens_paragraph = text[starts[here] : start].strip() in ("", '"', "''", "``", "\u201c")
    if here == there or (here == there + 1 and opens_paragraph and previous.form != "reported"):
        if previous.speaker_kind == "unknown" and previous.speaker_text is None:
            return None
        return Speaker(
            previous.speaker_text,
            previous.speaker_kind,
            previous.speaker_local,
            "the previous quote's speaker",
        )
    return None


def _reported_quote(doc, item, cast: Cast, mentions, entities, starts):
    cue, start, end, form = item
    speaker = speaker_of(doc, cue, cast, mentions, entities)
    if speaker is None and form == "reported" and not _speech_with_no_speaker(cue):
        return None
    if speaker is None:  # the quoted words are a quote all the same, by someone not found
        speaker = Speaker(None, "unknown", None, f"\u2018{cue.text}\u2019 has no subject")
    text = " ".join(text_of(doc)[start:end].split()).strip(" ,")
    if form == "reported":
        text = text[:1].upper() + text[1:]
    cue_word = "according to" if cue.lower_ == "according" else cue.text
    return Quote(
        _paragraph(starts, start),
        start,
        end,
        text,
        False,
        speaker.text,
        speaker.kind,
        speaker.local,
        form,
        cue_word,
        speaker.evidence,
    )


def _speech_with_no_speaker(cue) -> bool:
    """A reporting verb proper ("said", "argue"; not a stance, not an imperative "Ask yourself")
    reports speech even when its speaker is not found: kept with the speaker unknown."""
    words = speakers.lexicon()
    return cue.lower_ in words["verbs"] | words["belief"] and cue.tag_ != "VB"


# -- cues of direct quotes -------------------------------------------------------------------------


def _cue_near(doc, start: int, end: int, spans):
    """(cue token, note) of a direct quote: a reporting verb in the sentence where the quote ends
    or starts, at the start of the sentence right after it ("…?” Holt asked."), or the verb
    of a clause that introduces it with a colon."""
    verbs = speakers.lexicon()["verbs"]
    window = max(0, start - 400)
    lead = text_of(doc)[window:start].rstrip(" \n\"'`\u201c")
    lead_end = window + len(lead)  # where the text before the opening mark ends
    sentence = _sentence_at(doc, lead_end - 1) if lead.endswith((":", ",")) else None
    if sentence is not None:
        words = [t for t in sentence if t.idx < lead_end - 1 and outside(t, spans)]
        if lead.endswith(":"):  # "Added Holt: “…”", "Holt issued a statement: “…”"
            spoken = [t for t in words if t.lower_ in verbs]
            verb = spoken[-1] if spoken else _clause_root(words)
        else:  # "Park interjected, “…”", "Park shot back, “…”"
            last = words[-1] if words else None
            if last is not None and last.dep_ in ("prt", "advmod") and last.head.i == last.i - 1:
                last = last.head
            verb = last if last is not None and last.pos_ == "VERB" else None
        if verb is not None:
            return verb, "introduced by a colon" if lead.endswith(":") else "the verb before it"
    sentences = []
    for offset in (max(end - 1, start), start):
        sentence = _sentence_at(doc, offset)
        if sentence is not None and sentence not in sentences:
            sentences.append(sentence)
    # The quote's line: a verb on another line (some outlets break paragraphs with one newline) is
    # another paragraph's, however the parse ran the sentence on.
    text = text_of(doc)
    line = (text.rfind("\n", 0, start) + 1, _line_end(text, end))
    for sentence in sentences:
        candidates = [
            t
            for t in sentence
            if is_speech_verb(t, verbs) and outside(t, spans) and line[0] <= t.idx < line[1]
        ]
        if candidates:
            # Not a verb of a relative clause outside the quote ("records that would respond to …").
            return min(
                candidates,
                key=lambda t: (
                    _aside_of(t, sentence, start, end),
                    _rank(t, start, end),
                    min(abs(t.idx - end), abs(t.idx - start)),
                ),
            ), ""
    after = _sentence_after(doc, end)
    if after is not None and after.start_char - end <= 4:
        head = [t for t in list(after)[:8] if is_speech_verb(t, verbs) and outside(t, spans)]
        head = head or _verb_of_opening_subject(after, verbs, spans)
        if (
            head
            and "\n" not in text_of(doc)[end : head[0].idx]
            and not any(end < s <= head[0].idx for s, _ in spans)
        ):
            return head[0], "in the sentence after it"
    # "Holt said in a statement. “The pier is safe …”"
    before = _sentence_at(doc, lead_end - 1) if lead and _opens_sentence(doc, start) else None
    if before is not None:
        # Not a verb inside a relative clause ("… Gloria Major, women who remember well …").
        spoken = [
            t
            for t in before
            if is_speech_verb(t, verbs) and outside(t, spans) and not _in_relative_clause(t, before)
        ]
        # "The council issued a statement apologizing …. “…”": whoever issued the text says it.
        documents = speakers.lexicon()["documents"]
        spoken = spoken or [
            t
            for t in before
            if t.pos_ == "VERB" and any(c.dep_ == "dobj" and c.lower_ in documents for c in t.children)
        ]
        if spoken and not any(before.start_char <= s < before.end_char for s, _ in spans):
            return spoken[-1], "in the sentence before it"
    return None


def _verb_of_opening_subject(sentence, verbs, spans) -> list:
    """ "…?” Eva Hale, a retired nurse from the port, said.": the reporting verb whose subject
    opens the sentence, however long the subject's apposition."""
    first = next((t for t in sentence if not (t.is_punct or t.is_space)), None)
    if first is None:
        return []
    return [
        t
        for t in sentence
        if is_speech_verb(t, verbs)
        and outside(t, spans)
        and any(c.dep_ in ("nsubj", "nsubjpass") and c.left_edge.i <= first.i for c in t.children)
    ]


def _aside_of(verb, sentence, start: int, end: int) -> bool:
    """A reporting verb of a relative clause ("that would respond", "who said") that does not hold
    the quote."""
    holds = any(start <= t.idx < end for t in verb.subtree if t.i != verb.i)
    clauses = [
        a for a in [verb, *verb.ancestors] if a.dep_ == "relcl" and sentence.start <= a.i < sentence.end
    ]
    return not holds and any(c.tag_ in ("WDT", "WP") for a in clauses for c in a.children)


def _in_relative_clause(token, sentence) -> bool:
    return any(
        a.dep_ in ("relcl", "acl") for a in [token, *token.ancestors] if sentence.start <= a.i < sentence.end
    )


def _opens_sentence(doc, start: int) -> bool:
    sentence = _sentence_at(doc, start)
    return sentence is not None and not text_of(doc)[sentence.start_char : start].strip(" \n\"'`\u201c")


def _clause_root(words):
    """The verb a run of tokens hangs on (the clause before a colon)."""
    inside = {t.i for t in words}
    return next(
        (t for t in words if t.pos_ in ("VERB", "AUX") and (t.head.i not in inside or t.head.i == t.i)), None
    )


def _line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end < 0 else end


def _rank(verb, start: int, end: int) -> int:
    if verb.lower_ in ("quoted", "quoting"):
        return 0
    if verb.lower_ == "according":
        return 3
    # A verb whose clause holds the quote ("he said: “…”") before one merely near it.
    inside = any(start <= t.idx < end for t in verb.subtree if t.i != verb.i)
    return 1 if inside or verb.dep_ in ("parataxis", "ROOT") else 2


def _sentence_at(doc, offset: int):
    """The sentence holding a character offset."""
    found = sentences(doc)
    index = bisect_right(doc.user_data["storylens_sentence_starts"], offset) - 1
    return found[index] if index >= 0 else None


def _sentence_after(doc, offset: int):
    """The first sentence that starts at or after a character offset."""
    found = sentences(doc)
    index = bisect_right(doc.user_data["storylens_sentence_starts"], offset - 1)
    return found[index] if index < len(found) else None


def _paragraph(starts: list[int], offset: int) -> int:
    return bisect_right(starts, offset) - 1


_lexicon = speakers.lexicon  # compare/claims.py reads the reporting verbs through this name
