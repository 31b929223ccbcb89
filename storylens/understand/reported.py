"""Reported speech: a reporting verb (data/speech.txt) with what it reports.

"X said (that) CLAUSE", "CLAUSE, X said", "according to X, CLAUSE", "X called Y Z". When what is
reported is partly in quotation marks it is one mixed quote; when it is wholly quoted the verb is
the cue of the direct quote, and no reported speech is found here.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from storylens.understand import speakers
from storylens.understand.nlp import sentences, text_of, tokens_spelled

MOSTLY_QUOTED = 0.6  # reported content this much in one quotation is the direct quote itself
PHRASE_WORDS = 3  # a quotation this short inside reported content makes it a mixed quote
OWN_WORDS = 2  # a report with no more words of its own than this around a long quotation is its cue
MIN_CONTENT = 3  # words a reported clause needs
MIN_OBJECT = 1  # words a named object of a verb whose object is what was said needs ("backed Hale")
OBJECTS = ("dobj", "prep", "xcomp", "ccomp", "oprd", "attr", "acomp", "dative")
ASIDE_MARKS = ("while", "whereas", "although", "though")
DASHES = ("\u2014", "\u2013", "-", "--")


def is_speech_verb(token, verbs: set[str]) -> bool:
    """A reporting verb in use: not "so-called", not a noun ("the tweet"), not "continued to"."""
    if token.lower_ not in verbs:
        return False
    if token.lower_ in speakers.lexicon()["aspect"] and any(c.dep_ == "xcomp" for c in token.children):
        return False
    if token.i >= 2 and token.doc[token.i - 1].text == "-" and token.doc[token.i - 2].lower_ == "so":
        return False
    return token.lower_ == "according" or token.pos_ in ("VERB", "AUX")


def outside(token, spans) -> bool:
    return not any(s <= token.idx < e for s, e in spans)


def reported_candidates(doc, spans, taken):
    """[(start, (cue, start, end, form))] for every reporting verb with a reported content that is
    not wholly in quotation marks, and the quotation-mark spans that mixed quotes take in."""
    words = speakers.lexicon()
    text = text_of(doc)
    found, absorbed = [], set()
    cues = words["verbs"] | words["belief"] | words["stance"] | words["objects"]
    spelled = tokens_spelled(doc, frozenset(cues))  # the only tokens is_speech_verb can accept
    for sentence in sentences(doc):
        if any(a < sentence.end_char and sentence.start_char < b for a, b in taken):
            continue
        here = []
        first = bisect_left(spelled, sentence.start)
        for token in (doc[i] for i in spelled[first : bisect_left(spelled, sentence.end)]):
            if not is_speech_verb(token, cues) or not outside(token, spans):
                continue
            content = _content(token, sentence, words)
            # Not across a line that opens a quotation: some outlets break paragraphs with one newline.
            content = [t for t in content or [] if not _new_quoted_line(text, t.idx, token.idx)]
            if not content:
                continue
            start = min(t.idx for t in content)
            end = max(t.idx + len(t.text) for t in content)
            inside = [(s, e) for s, e in spans if s < end and start < e]
            for s, e in inside:
                start, end = min(start, s), max(end, e)
            letters = sum(c.isalnum() for c in text[start:end]) or 1
            quoted, longest = max(
                (
                    (sum(c.isalnum() for c in text[max(s, start) : min(e, end)]), len(text[s:e].split()))
                    for s, e in inside
                ),
                default=(0, 0),
            )
            # The verb is the cue of a direct quote, unless the quotation is a short phrase in what
            # it reports ("Sanders says it's “disastrous”") or the report says more than a word or
            # two of its own ("Kasich joked that he appreciates a good “peaceful protest …”").
            unquoted = sum(not t.is_punct and outside(t, inside) for t in content)
            if quoted / letters >= MOSTLY_QUOTED and longest > PHRASE_WORDS and unquoted <= OWN_WORDS:
                continue
            if inside:  # the quotation marks around the content belong to it
                start -= _mark_before(text, start)
                end += _mark_after(text, end)
            here.append((start, (token, start, end, "mixed" if inside else "reported")))
            absorbed.update(inside)
        if not here:
            here = _in_a_document(sentence, words["documents"], spans)
        # A report inside another one's content ("she added that the bank expected ...") is part of it.
        found += [c for c in here if not any(o is not c and o[1][1] <= c[1][0].idx < o[1][2] for o in here)]
    return found, absorbed


def _new_quoted_line(text: str, a: int, b: int) -> bool:
    return re.search(r"\n\s*(?:[\"\u201c]|``|'')", text[min(a, b) : max(a, b)]) is not None


def _in_a_document(sentence, documents: set[str], spans) -> list:
    """ "In a poll released Monday, 50 percent chose Hale": a sentence with no reporting verb that
    opens on "in" and a document, then a comma, reports what the document says (the rest)."""
    words = [t for t in sentence if not t.is_space]
    if len(words) < 2 or words[0].lower_ != "in" or words[0].dep_ != "prep":
        return []
    cue = words[0]
    document = next((c for c in cue.children if c.dep_ == "pobj"), None)
    after = cue.doc[cue.right_edge.i + 1] if cue.right_edge.i + 1 < len(cue.doc) else None
    if document is None or document.lower_ not in documents or after is None or after.text != ",":
        return []
    clause = [t for t in words if t.i > cue.right_edge.i and not t.is_punct]
    if len(clause) < MIN_CONTENT or not all(outside(t, spans) for t in clause):
        return []
    start, end = clause[0].idx, clause[-1].idx + len(clause[-1].text)
    return [(start, (cue, start, end, "reported"))]


def _mark_before(text: str, offset: int) -> int:
    """The length of the opening quotation mark right before an offset (0 when none)."""
    if text[max(0, offset - 2) : offset] in ("``", "''"):
        return 2
    return int(offset > 0 and text[offset - 1] in "\u201c\"`'")


def _mark_after(text: str, offset: int) -> int:
    """The length of the closing quotation mark at an offset (0 when none)."""
    if text[offset : offset + 2] == "''":
        return 2
    return int(offset < len(text) and text[offset] in "\u201d\"'")


def _content(verb, sentence, words) -> list | None:
    """The tokens a reporting verb reports: its complement clause, or the objects of a verb whose
    object is what was said ("called the deal ..."); None when it reports nothing ("as he said")."""
    if verb.dep_ == "parataxis" and any(t.is_quote for t in verb.subtree):
        return None  # "…, including, he said, “politicians who …”": the cue of a direct quote
    if _reports_its_head(verb):
        return _head_clause(verb, sentence)
    own = any(c.dep_ == "ccomp" for c in verb.children)  # "CLAUSE, analysts say; in 2012 …"
    if verb.dep_ == "parataxis" and not own or verb.lower_ == "according":
        # "…, the company said on Monday" / "According to X, …": the rest of the sentence.
        edge = _according_end(verb) if verb.lower_ == "according" else verb.right_edge.i
        first = verb.i if verb.lower_ == "according" else verb.left_edge.i
        clause = [t for t in sentence if not (first <= t.i <= edge) and not t.is_punct]
        return clause if len(clause) >= MIN_CONTENT else None
    # A complement in the sentence: the parse sometimes hangs one from across a paragraph break.
    # The complement after the verb first ("In an interview he touched on X, Holt remarked that
    # ..."); one before it when none follows ("The pier is safe, Holt said").
    complements = [c for c in verb.children if c.dep_ == "ccomp" and sentence.start <= c.i < sentence.end]
    complement = next((c for c in complements if c.i > verb.i), complements[0] if complements else None)
    if complement is None:  # "tweeted in the early hours that ...", parsed as an adverbial clause
        complement = next(
            (c for c in verb.children if c.dep_ == "advcl" and c.left_edge.lower_ == "that" and c.i > verb.i),
            None,
        )
    least = MIN_CONTENT
    if complement is not None:
        tokens = [t for t in complement.subtree if not (t.i == complement.left_edge.i and t.lower_ == "that")]
        # "said he would offer a prayer but did not suggest ...": a report joined to the content
        # is a report of its own, not part of what was said.
        cues = words["verbs"] | words["belief"]
        joined = [
            c
            for c in complement.children
            if c.dep_ == "conj" and c.i > complement.i and is_speech_verb(c, cues)
        ]
        if joined:
            cut = min(min(t.i for t in c.subtree) for c in joined)
            cut = min(
                [cut]
                + [c.i for c in complement.children if c.dep_ == "cc" and c.i < cut and c.i > complement.i]
            )
            tokens = [t for t in tokens if t.i < cut]
        aside = _aside(complement, cues)
        tokens = [t for t in tokens if t.i < aside]
    elif verb.lower_ in words["objects"] | words["stance"]:
        least = MIN_OBJECT
        # "called the deal “a disaster”", "accused Hale of lying": the objects and what they are called.
        parts = [
            c
            for c in verb.children
            if c.i > verb.i and (c.dep_ in OBJECTS and not is_when(c) or _if_clause(c))
        ]
        parts += _more_infinitives(verb, parts)
        tokens = [t for c in parts for t in c.subtree]
        # "endorsed Mrs. Clinton, who ...": a clause after a comma describes the object, the
        # reporter's words, not what was said of it.
        asides = [t for t in tokens if t.dep_ == "relcl" and t.doc[t.left_edge.i - 1].text == ","]
        if asides:
            cut = asides[0].left_edge.i - 1
            tokens = [t for t in tokens if t.i < cut]
        if tokens and tokens[0].dep_ == "prep" and tokens[0].pos_ == "ADP":
            tokens = tokens[1:]  # "boasted about a plan", "called for an inquiry": what, not about
    else:
        return None
    tokens = [t for t in tokens if not t.is_space and sentence.start <= t.i < sentence.end]
    while tokens and (
        tokens[-1].dep_ == "cc" or tokens[-1].is_punct and tokens[-1].text not in ("\u201d", '"', "''")
    ):
        tokens.pop()
    words = [t for t in tokens if not t.is_punct]
    if len(words) < MIN_CONTENT and not any(
        t.pos_ in ("PROPN", "NUM") or t.pos_ == "NOUN" and words[0].lower_ not in ("the", "this", "that")
        for t in words
    ):
        least = MIN_CONTENT  # "declined to comment", "voted against it": no content of its own
    return tokens if len(words) >= least else None


def _if_clause(token) -> bool:
    """ "asked the senator if he would run": the question asked."""
    return token.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in ("if", "whether") for c in token.children
    )


def _more_infinitives(verb, parts) -> list:
    """ "wants to triple the program, grow the corps and create …": bare verbs the parse hung on
    the cue after its "to" infinitive go on with it."""
    infinitive = next((p for p in parts if p.dep_ == "xcomp" and p.tag_ == "VB"), None)
    if infinitive is None:
        return []
    return [
        c
        for c in verb.children
        if c.i > infinitive.i
        and c.dep_ in ("conj", "dep")
        and c.tag_ == "VB"
        and not any(g.dep_ in ("nsubj", "nsubjpass", "aux") for g in c.children)
    ]


def _head_clause(verb, sentence) -> list | None:
    """ "…, the office reported Monday." / "as Comey noted, people …": the clause it hangs on."""
    clause = [
        t
        for t in verb.head.subtree
        if not (verb.left_edge.i <= t.i <= verb.right_edge.i)
        and not t.is_punct
        and sentence.start <= t.i < sentence.end
    ]
    while clause and clause[0].dep_ == "cc":
        clause = clause[1:]
    return clause if len(clause) >= MIN_CONTENT else None


def _reports_its_head(verb) -> bool:
    """A reporting verb with a subject and nothing of its own to report, hung on the clause it
    reports: "as Comey noted, …", or after a comma at the clause's end ("…, the office reported")."""
    if verb.dep_ != "advcl" or verb.lower_ == "according":
        return False
    children = list(verb.children)
    if not any(c.dep_ in ("nsubj", "nsubjpass") for c in children):
        return False
    if any(c.dep_ in ("ccomp", "dobj", "xcomp", "advcl") and c.i > verb.i for c in children):
        return False
    marks = {c.lower_ for c in children if c.dep_ == "mark"}
    if marks:
        return marks == {"as"}
    before = verb.doc[verb.left_edge.i - 1] if verb.left_edge.i > 0 else None
    return before is not None and before.text == "," and verb.i > verb.head.i


def _aside(root, cues) -> int:
    """The token where a reported clause's own words end and the reporter's aside begins: a clause
    after a comma or a dash that adds the reporter's words ("..., while trying to explain") or a
    report of its own ("..., telling reporters that ..."). Past the last token when none. (A bare
    dash is no end: cutting there lost more reported speech than it kept out, on the
    development half.)"""
    end = root.right_edge.i + 1
    for token in root.subtree:
        if token.head.i == root.i and token.i > root.i and token.dep_ == "advcl":
            before = root.doc[token.left_edge.i - 1]
            marks = {c.lower_ for c in token.children if c.dep_ == "mark"}
            speech = token.tag_ == "VBG" and is_speech_verb(token, cues)
            if (before.text == "," or before.text in DASHES) and (marks & set(ASIDE_MARKS) or speech):
                return before.i
    return end


def is_when(token) -> bool:
    """ "on Monday", "last week": when something was said, not what."""
    words = [t for t in token.subtree if not t.is_punct and t.pos_ != "ADP"]
    return bool(words) and all(t.ent_type_ in ("DATE", "TIME") for t in words)


def _according_end(according) -> int:
    to = next((t for t in according.children if t.lower_ == "to"), None)
    return to.right_edge.i if to is not None else according.i
