"""How an article names who an entity is, read from its parse when its claims are: the label noun
attached to a name ("the Kelmari regime") and the words that describe a named person or
organisation ("Fox News host Glenn Beck", "Alex Jones, a far-right conspiracy theorist"). Outlets
that describe one entity differently are shown side by side (labels.entity_labels)."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from storylens.understand.entities import is_title

MAX_DESCRIPTION = 8  # words: a longer apposition is a clause about the entity, not a description
BEFORE_DEPS = {"compound", "amod", "nmod", "nummod", "npadvmod", "poss", "case", "punct"}
AFTER_CUTS = {",", "(", ")", ";", ":", "—", "–", '"', "\u201c", "\u201d"}
# Abbreviated offices written out: "former rep." and "former representative" are one description.
ABBREVIATIONS = {"rep.": "representative", "sen.": "senator", "gov.": "governor", "gen.": "general"}
POSSESSIVES = {"'s", "\u2019s", "'", "\u2019"}
DOTTED = re.compile(r"\b(?:[a-z]\.){3,}")  # an acronym written with stops: "n.a.a.c.p."
LEADING = {"ADV", "DET", "PRON", "PUNCT"}  # "now", "the", "her", a quotation mark
WH = {"WDT", "WP", "WP$"}
HONORIFICS = {"mr", "mrs", "ms", "dr", "miss", "rev", "mr.", "mrs.", "ms.", "dr.", "rev."}


@cache
def label_nouns() -> frozenset[str]:
    text = (files("storylens.compare") / "data" / "labels.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def _name(doc, start: int, end: int):
    """(the mention's span, its own head word) or None. The head is the last word whose head lies
    outside the name ("the" in "the Black Banner Front militant group" also points outside, at
    "group", but is not the name)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    outside = [t for t in span if not (span.start <= t.head.i < span.end) and t.dep_ != "det"]
    return (span, outside[-1]) if outside else None


def naming(doc, start: int, end: int) -> tuple[str | None, str | None]:
    """(label noun, description) of the mention at these offsets (_label_noun, _description),
    its name read once."""
    found = _name(doc, start, end)
    if found is None:
        return None, None
    return _label_noun(found[1], start, end), _description(doc, *found)


def _label_noun(root, start: int, end: int) -> str | None:
    """The label noun (compare/data/labels.txt) attached to the name whose head is `root`, if any:
    "the Kelmari regime", "Kelmar's government", "the Black Banner Front rebels", "terrorists of
    the Black Banner Front"."""
    head = None
    if root.dep_ in {"compound", "amod", "poss", "nmod"} and root.head.pos_ in {"NOUN", "PROPN"}:
        head = root.head
    elif root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ == "NOUN":
        head = root.head.head
    elif root.head.dep_ == "appos" or root.dep_ == "appos":
        head = root.head if root.dep_ == "appos" else None
    if head is not None and head.lemma_.lower() in label_nouns() and not (start <= head.idx < end):
        return head.lemma_.lower()
    return None


def _description(doc, span, root) -> str | None:
    """The words describing the one named in `span`, lower-cased: before the name ("GOP
    presidential hopeful Donald Trump"), in apposition after it ("Alex Jones, a far-right
    conspiracy theorist, said") or before it ("the comedian, Kathy Griffin"). A bare title
    ("President", "Senator") is an office the name carries, not a description: None."""
    words = _before(doc, span) or _apposed(root) or _apposed_to(root, span)
    while words and words[0].whitespace_ and (words[0].pos_ in LEADING or words[0].tag_ in WH):
        words.pop(0)  # not "far" of "far-right"
    before = doc[words[0].i - 1] if words and words[0].i > 0 else None
    if (
        not words
        or (before is not None and before.lower_ == "of")  # "(Director of) National Intelligence"
        or (before is not None and before.is_quote)  # a quotation's words are its speaker's, not the outlet's
        or any(t.is_quote for t in words)
        or (len(words) == 1 and words[0].pos_ != "NOUN")  # a first name, a party: "Linda", "Republican"
        or words[-1].pos_ not in {"NOUN", "PROPN"}
        or words[-1].tag_ in {"NNS", "NNPS"}  # one person or organisation: "violations" is not it
        or any(t.pos_ in {"VERB", "AUX"} for t in words)
    ):
        return None
    kept = [t for t in doc[words[0].i : words[-1].i + 1] if t.lower_ not in HONORIFICS | POSSESSIVES]
    if any(t.like_num and not (len(t.text) == 4 and t.text.isdigit()) for t in kept):
        return None  # "7 percent" in a list of a poll's figures; a year ("2008 nominee") describes
    dropped = {t.i for t in doc[words[0].i : words[-1].i + 1]} - {t.i for t in kept}
    spaced = "".join(t.text + (t.whitespace_ or " " * (t.i + 1 in dropped)) for t in kept)
    text = " ".join(spaced.lower().split())
    text = " ".join(ABBREVIATIONS.get(w, w) for w in text.split())
    text = DOTTED.sub(lambda m: m.group(0).replace(".", ""), text)  # "f.b.i." and "fbi" alike
    bare_title = is_title(text)  # "Senator", "Major General": the name's office, no description
    if len(kept) > MAX_DESCRIPTION or sum(c.isalpha() for c in text) < 3 or bare_title:
        return None
    return text


def _before(doc, span) -> list:
    """The words right before the name that modify it, and the words modifying those."""
    words: list = []
    k = span.start - 1
    while k >= 0 and doc[k].dep_ in BEFORE_DEPS and doc[k].text not in AFTER_CUTS:
        head = doc[k].head
        if not (span.start <= head.i < span.end or any(head.i == w.i for w in words)):
            break
        words.insert(0, doc[k])
        k -= 1
    while words and (words[0].is_punct or words[0].dep_ == "case" or words[0].lower_ in HONORIFICS):
        words.pop(0)
    return [w for w in words if w.lower_ not in HONORIFICS]  # "Mr." alone: try the apposition


def _apposed(root) -> list:
    """A common noun in apposition after the name, with its modifiers, up to a comma or a clause."""
    for child in root.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN" and child.i > root.i:
            clause = {t.i for c in child.children if c.dep_ in {"relcl", "acl"} for t in c.subtree}
            words = []
            for t in child.subtree:
                if t.i in clause or (t.i > child.i and t.text in AFTER_CUTS):
                    break
                if words or t.dep_ != "det":
                    words.append(t)
            return words
    return []


def _apposed_to(root, span) -> list:
    """The name in apposition to a common noun just before it ("the comedian, Kathy Griffin")."""
    head = root.head
    if root.dep_ != "appos" or head.pos_ != "NOUN" or not (span.start - 3 <= head.i < span.start):
        return []
    return [t for t in head.doc[head.left_edge.i : head.i + 1] if t.dep_ != "det" or t.i > head.left_edge.i]
