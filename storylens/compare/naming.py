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
BEFORE_DEPS = {"compound", "amod", "advmod", "nmod", "nummod", "npadvmod", "poss", "case", "punct"}
AFTER_CUTS = {",", "(", ")", ";", ":", "—", "–", '"', "\u201c", "\u201d"}
# Abbreviated offices written out: "former rep." and "former representative" are one description.
ABBREVIATIONS = {"rep.": "representative", "sen.": "senator", "gov.": "governor", "gen.": "general"}
POSSESSIVES = {"'s", "\u2019s", "'", "\u2019"}
DOTTED = re.compile(r"\b(?:[a-z]\.){3,}")  # an acronym written with stops: "n.a.a.c.p."
LEADING = {"ADV", "CCONJ", "DET", "PRON", "PUNCT"}  # "now", "the", "her", a quotation mark
WH = {"WDT", "WP", "WP$"}
HONORIFICS = {"mr", "mrs", "ms", "dr", "miss", "rev", "mr.", "mrs.", "ms.", "dr.", "rev."}


@cache
def label_nouns() -> frozenset[str]:
    text = (files("storylens.compare") / "data" / "labels.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@cache
def role_nouns() -> frozenset[str]:
    text = (files("storylens.compare") / "data" / "role_nouns.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


# The endings and words of nouns that name a person ("spokeswoman", "activist", "professor",
# "resident", "chief"): a description written before a name ends in one; "Authorities allege Jo
# Burks", "2317 Pecan Jo Burks" and "information Jo Burks gave" do not.
PERSON_ENDINGS = tuple("er or ist ian man men woman person ee ent ant ess ive eer".split())
PERSON_WORDS = frozenset(
    "chief coach ceo aide wife husband son daughter friend girlfriend boyfriend teen suspect victim "
    "witness judge sheriff deputy attorney counsel clerk nurse guard pilot head".split()
)


def person_noun(word: str) -> bool:
    """Whether a word may be a noun naming a person (PERSON_ENDINGS, PERSON_WORDS, a role noun or
    a title)."""
    word = word.lower().rstrip(".")
    return word.endswith(PERSON_ENDINGS) or word in PERSON_WORDS | role_nouns() or is_title(word)


SUBJECTS = {"nsubj", "nsubjpass"}
GOING_ON = {"he", "she"}  # a subject pronoun: the sentence goes on about the person before


def anaphors(doc, mentions: list[tuple[int, int]]) -> list[tuple[int, int, int, str]]:
    """The outlet's descriptions of a person named before, by subject continuity: a definite
    phrase of a role noun (compare/data/role_nouns.txt: "The billionaire said", "the
    comedian's") that is its sentence's subject speaks of the name that was the subject of the
    sentence before (carried over a sentence whose subject is such a phrase, "he" or "she").
    Each as (the role noun's offset, the name's mention start, end, the description)."""
    found = []
    before = None  # the mention the previous sentence's subject names
    for sentence in doc.sents:
        role = _role_subject(sentence, mentions)
        if role is not None and before is not None:
            text = _description(doc, list(doc[role.left_edge.i : role.i + 1]))
            if text:
                found.append((role.idx, *before, text))
        subject = _subject_mention(sentence, mentions)
        going_on = role is not None or any(
            t.dep_ in SUBJECTS and t.head == sentence.root and t.lower_ in GOING_ON for t in sentence
        )
        before = subject or (before if going_on else None)
    return found


def _subject_mention(sentence, mentions: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The mention that is the subject of the sentence's main verb, if one is."""
    for start, end in mentions:
        if sentence.start_char <= start and end <= sentence.end_char:
            span = sentence.doc.char_span(start, end, alignment_mode="expand")
            if span is not None and span.root.dep_ in SUBJECTS and span.root.head == sentence.root:
                return start, end
    return None


def _role_subject(sentence, mentions: list[tuple[int, int]]):
    """The role noun heading "the ..." that is the sentence's subject or owns it ("the
    congressman's lawyers said"), outside names and quotation marks, or None."""
    quoted = _quoted(list(sentence))
    for t in sentence:
        owner = t.dep_ == "poss" and t.head.dep_ in SUBJECTS and t.head.head == sentence.root
        if (
            t.lemma_.lower() in role_nouns()
            and t.pos_ == "NOUN"
            and t.tag_ == "NN"
            and ((t.dep_ in SUBJECTS and t.head == sentence.root) or owner)
            and any(c.dep_ == "det" and c.lower_ == "the" for c in t.children)
            and t.i not in quoted
            and not any(t.left_edge.idx <= s < t.idx + len(t) for s, _ in mentions)
        ):
            return t
    return None


def _name(doc, start: int, end: int):
    """(the mention's span, its own head word) or None. The head is the last word whose head lies
    outside the name ("the" in "the Black Banner Front militant group" also points outside, at
    "group", but is not the name)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    outside = [t for t in span if not (span.start <= t.head.i < span.end) and t.dep_ != "det"]
    return (span, outside[-1]) if outside else None


def naming_all(doc, start: int, end: int) -> tuple[str | None, list[str]]:
    """(label noun, descriptions) of the mention at these offsets (_label_noun, _descriptions),
    its name read once."""
    found = _name(doc, start, end)
    if found is None:
        return None, []
    return _label_noun(found[1], start, end), _descriptions(doc, *found)


def _descriptions(doc, span, root) -> list[str]:
    """The words describing the one named in `span`, lower-cased (_description): before the name
    ("GOP presidential hopeful Donald Trump"), in apposition after it ("Alex Jones, a far-right
    conspiracy theorist, said") or before it ("the comedian, Kathy Griffin"; "the third-ranking
    Republican in the House, Rep. Kevin McCarthy"), or in a relative clause saying who it is
    ("Kevin McCarthy, who is the third-ranking Republican in the House"), each once."""
    found = []
    for words in (_before(doc, span), _apposed(root), _apposed_to(root, span), _copular(root)):
        text = _description(doc, words)
        if text and text not in found:
            found.append(text)
    return found


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


def _description(doc, words: list) -> str | None:
    """These words as a description, lower-cased, or None. A bare title ("President",
    "Senator") is an office the name carries, not a description; a clause is none either."""
    while words and words[0].whitespace_ and (words[0].pos_ in LEADING or words[0].tag_ in WH):
        if words[0].dep_ == "advmod" and words[0].head.dep_ == "amod" and words[0].head in words:
            break  # "newly installed speaker"
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
        or any(t.pos_ in {"VERB", "AUX"} and not _participle(t) for t in words)
    ):
        return None
    kept = [t for t in doc[words[0].i : words[-1].i + 1] if t.lower_ not in HONORIFICS | POSSESSIVES]
    if any(t.like_num and t.pos_ == "NUM" and not (len(t.text) == 4 and t.text.isdigit()) for t in kept):
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


def _participle(token) -> bool:
    """A verb that is an adjective of the description: "newly installed", "newly-minted", "Tea
    Party-backed" (an adverb or a hyphen with it), not a verb of a clause the parse took in."""
    return token.dep_ == "amod" and (_hyphened(token) or any(c.dep_ == "advmod" for c in token.children))


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
    """The name in apposition to a common noun before it: "the comedian, Kathy Griffin", "the
    third-ranking Republican in the House, Rep. Kevin McCarthy" (the noun's words up to the comma,
    only a title between the comma and the name); not "whatever the issue, Huckabee"."""
    head, doc = root.head, root.doc
    if root.dep_ != "appos" or head.pos_ not in {"NOUN", "PROPN"} or head.i >= span.start:
        return []
    end = span.start - 1
    while end > head.i and doc[end].text != "," and doc[end].dep_ == "compound":
        end -= 1  # a title before the name: "Rep."
    if end == head.i:
        end += 1  # "the far-right blogger Arvid Kolst": no comma
    first = head.left_edge
    if (
        (end != head.i + 1 and doc[end].text != ",")
        or end - first.i > MAX_DESCRIPTION + 1
        or first.tag_ in WH
        or head.head.tag_ in WH
    ):
        return []
    return [t for t in doc[first.i : end] if t.dep_ != "det" or t.i > first.i]


def _copular(root) -> list:
    """What a relative clause right after the name says it is: "Kevin McCarthy, who is the
    third-ranking Republican in the House" (up to a comma)."""
    for clause in root.children:
        if clause.dep_ != "relcl" or clause.lemma_ != "be" or clause.i > root.i + 4:
            continue
        if not any(c.dep_ == "nsubj" and c.tag_ in WH for c in clause.children):
            continue
        for attr in clause.children:
            if attr.dep_ == "attr" and attr.pos_ in {"NOUN", "PROPN"}:
                words = []
                for t in attr.subtree:
                    if t.i > attr.i and t.text in AFTER_CUTS:
                        break
                    if words or t.dep_ != "det":
                        words.append(t)
                return words
    return []


PHRASE_DEPS = {"amod", "compound", "nmod"}  # a word right before a noun that says which one it is
QUOTE_MARKS = {'"', "\u201c", "\u201d"}


def noun_phrases(tokens, mentions: list[tuple[int, int]]) -> list[str]:
    """The claim's two-word noun phrases as the parse reads them, "modifier head" in lemmas (a
    plural modifier as written: _modifier): a common noun and the word right before it that
    modifies it ("illegal immigrant", "spending bill", "bloodied head"). Not a name's words (a
    mention's), a number, a proper noun, a word in quotation marks (its speaker's choice, not the
    outlet's) nor a hyphenated word's half."""
    quoted = _quoted(tokens)
    named = {t.i for t in tokens for s, e in mentions if s <= t.idx < e}
    found = []
    for modifier in tokens:
        head = modifier.head
        if (
            head.i == modifier.i + 1
            and modifier.dep_ in PHRASE_DEPS
            and _common(head)
            and (modifier.pos_ in {"ADJ", "VERB"} or _common(modifier))
            and modifier.is_alpha
            and head.is_alpha
            and not {modifier.i, head.i} & (quoted | named)
            and not _hyphened(modifier)
            and not _hyphened(head)
        ):
            found.append(f"{_modifier(modifier)} {head.lemma_.lower()}")
    return found


def _modifier(token) -> str:
    """A phrase's modifier as its lemma, but a plural noun as written: a noun modifying another is
    singular ("tax cut"), so a plural one is a word of its own ("rights group", "media company",
    "economics professor"), not its singular ("right group", "medium company")."""
    return token.lower_ if token.tag_ in {"NNS", "NNPS"} else token.lemma_.lower()


def _quoted(tokens) -> set[int]:
    """The indexes of the words inside quotation marks. A mark left over at either end of the
    claim (its quotation opened or closed in another sentence) is not counted."""
    marks = [t.i for t in tokens if t.text in QUOTE_MARKS or t.text in {"''", "``"}]
    if len(marks) % 2 and tokens:
        marks.remove(marks[0] if marks[0] == tokens[0].i else marks[-1])
    found = set()
    for opening, closing in zip(marks[::2], marks[1::2], strict=True):
        found.update(range(opening + 1, closing))
    return found


def _common(token) -> bool:
    """A common noun, or a lower-case word the small model reads as a name ("marijuana")."""
    return token.pos_ == "NOUN" or (token.pos_ == "PROPN" and token.text.islower())


def _hyphened(token) -> bool:
    """Half of a hyphenated word ("far-right", "tax-cut"): a hyphen touches it."""
    doc = token.doc
    before = doc[token.i - 1] if token.i > 0 else None
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    return (before is not None and before.text == "-" and not before.whitespace_) or (
        after is not None and after.text == "-" and not token.whitespace_
    )
