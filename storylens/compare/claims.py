"""Claims: the sentences of a story's articles, long ones split into independent clauses, each
with the entities (resolved, canonical) and the numbers it states, and its lemmas for framing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from storylens.model import Article
from storylens.understand.nlp import MODEL, article_text

# A sentence longer than this is split where an independent clause (a conjoined verb with its
# own subject, or a clause after a semicolon) begins, when each side keeps this many words.
LONG_SENTENCE = 30
MIN_CLAUSE = 8
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100, "thousand": 1000, "million": 1_000_000,
}  # fmt: skip
SCALE = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
NUMBER = re.compile(r"^\d[\d,]*(?:\.\d+)?$")


@dataclass
class Claim:
    article_id: str
    outlet: str | None
    published: str | None
    position: int  # order within the article
    text: str
    entities: frozenset[str]  # resolved entity ids named in it
    numbers: frozenset[float]  # quantities stated (years and days of the month left out)
    tokens: list[tuple[str, str | None]] = field(default_factory=list)  # (lemma, entity id) for framing
    labels: list[tuple[str, str]] = field(default_factory=list)  # (entity id, the noun naming it)
    measures: dict[str, frozenset[float]] = field(default_factory=dict)  # what is counted -> numbers
    dates: frozenset[str] = frozenset()  # "verb|YYYY-MM-DD": what happened which day (days_named)
    actors: frozenset[str] = frozenset()  # "verb|entity id": who did what (actors_named)
    quoted: tuple[str, ...] = ()  # its quotations, as lower-cased words (quotations_in)
    predicates: frozenset[str] = frozenset()  # lemmas of what it says happened, saying aside
    negated: frozenset[str] = frozenset()  # those of them it denies ("did not resign")
    hedged: frozenset[str] = frozenset()  # those of them it says only may happen ("may resign")
    complete: bool = True  # a statement (a verb, enough words), not a fragment of a list


@cache
def load_nlp_with_lemmas():
    import spacy

    return spacy.load(MODEL)


def claims_of(
    articles: list[Article], mentions: dict[str, list[tuple[int, int, str, str, str]]]
) -> list[Claim]:
    """Every claim of every article, in article order then text order."""
    found: list[Claim] = []
    texts = [article_text(a.paragraphs) for a in articles]
    for article, doc in zip(articles, load_nlp_with_lemmas().pipe(texts, batch_size=8), strict=True):
        spans = mentions.get(article.id, [])
        position = 0
        for sentence in sentences(doc):
            for start, end in clauses(sentence):
                while start < end and (
                    doc[start].dep_ == "cc"
                    or doc[start].is_space
                    or (doc[start].is_punct and not doc[start].is_quote)
                ):
                    start += 1  # a clause does not begin with the "and" or comma that joined it
                if start == end:
                    continue
                tokens = list(doc[start:end])
                text = doc[start:end].text.strip()
                if len([t for t in tokens if t.is_alpha]) < 4:
                    continue
                begin, finish = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
                named = [(s, e, entity) for s, e, entity, _, _ in spans if s >= begin and e <= finish]
                kinds = {entity: kind for s, e, entity, _, kind in spans if s >= begin and e <= finish}
                found.append(
                    Claim(
                        article.id,
                        article.outlet,
                        article.published,
                        position,
                        " ".join(text.split()),
                        frozenset(entity for _, _, entity in named),
                        frozenset(numbers(tokens)),
                        lemmas(tokens, named),
                        entity_labels(doc, named),
                        measured(tokens),
                        days_named(tokens, article.published),
                        actors_named(tokens, named, kinds),
                        quotations_in(text),
                        *predicates_of(tokens),
                        complete(tokens),
                    )
                )
                position += 1
    return found


TERMINAL = {".", "!", "?", '"', "\u201d", "'", "\u2019", ":", ")"}


def sentences(doc):
    """spaCy's sentences, with a break that no terminal punctuation ends and no line break
    separates taken back ("... between the allies, | Chief of Staff X said on Wednesday.")."""
    spans = []
    for sentence in doc.sents:
        if spans:
            previous = spans[-1]
            last = next((t for t in reversed(previous) if not t.is_space), None)
            between = doc.text[previous.end_char : sentence.start_char]
            if last is not None and last.text not in TERMINAL and "\n" not in between:
                spans[-1] = doc[previous.start : sentence.end]
                continue
        spans.append(sentence)
    return spans


def clauses(sentence) -> list[tuple[int, int]]:
    """Token ranges of a sentence: the whole of it, or its independent clauses when it is long."""
    start, end = sentence.start, sentence.end
    if end - start <= LONG_SENTENCE:
        return [(start, end)]
    cuts = []
    for token in sentence:
        if token.text == ";":
            cuts.append(token.i + 1)
        elif (
            token.dep_ == "conj"
            and token.pos_ in {"VERB", "AUX"}
            and token.head.dep_ == "ROOT"
            and token.lemma_.lower() not in reporting_verbs()  # "..., the minister said" stays whole
        ):
            if any(child.dep_ in {"nsubj", "nsubjpass"} for child in token.children):
                left = min(t.i for t in token.subtree)
                # Cut before the conjunction ("and", "but") that joins the clause.
                while left > start and sentence.doc[left - 1].dep_ in {"cc", "punct"}:
                    left -= 1
                cuts.append(left)
    ranges, begin = [], start
    for cut in sorted(set(cuts)):
        if cut - begin >= MIN_CLAUSE and end - cut >= MIN_CLAUSE:
            ranges.append((begin, cut))
            begin = cut
    ranges.append((begin, end))
    return ranges


@cache
def label_nouns() -> frozenset[str]:
    text = (files("storylens.compare") / "data" / "labels.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def entity_labels(doc, named: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    """(entity, noun) for each label noun attached to an entity mention: "the Kelmari regime",
    "Kelmar's government", "the Black Banner Front rebels", "terrorists of the Black Banner Front"."""
    found = []
    nouns = label_nouns()
    for start, end, entity in named:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        # The name's own head word: the last word whose head lies outside the name ("the" in "the
        # Black Banner Front militant group" also points outside, at "group", but is not the name).
        outside = [t for t in span if not (span.start <= t.head.i < span.end) and t.dep_ != "det"]
        if not outside:
            continue
        root = outside[-1]
        head = None
        if root.dep_ in {"compound", "amod", "poss", "nmod"} and root.head.pos_ in {"NOUN", "PROPN"}:
            head = root.head
        elif root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ == "NOUN":
            head = root.head.head
        elif root.head.dep_ == "appos" or root.dep_ == "appos":
            head = root.head if root.dep_ == "appos" else None
        if head is not None and head.lemma_.lower() in nouns and not (start <= head.idx < end):
            found.append((entity, head.lemma_.lower()))
    return found


def reporting_verbs() -> set[str]:
    from storylens.understand.quotes import _lexicon

    return _lexicon().get("verbs", set())


@cache
def measure_words() -> dict[str, str]:
    """lemma -> the measure it signals (compare/data/measures.txt)."""
    found = {}
    text = (files("storylens.compare") / "data" / "measures.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#") and ":" in line:
            name, words = line.split(":", 1)
            found.update((w, name.strip()) for w in words.split())
    return found


def measured(tokens) -> dict[str, frozenset[float]]:
    """The numbers of a claim grouped by what they count, as the words near each one say
    ("killed at least 14 people" -> dead: {14}; "the death toll rose to 19" -> dead: {19})."""
    words = measure_words()
    found: dict[str, set[float]] = {}
    values = dict(_number_positions(tokens))
    for i, value in values.items():
        # The words the number hangs on, two steps up the parse, and what hangs on those:
        # "killed at least 14 people" (people <- killed); "the toll rose to 19" (to <- rose -> toll).
        heads = [tokens[i].head, tokens[i].head.head]
        near = {t.lemma_.lower() for h in heads for t in (h, *h.children)}
        for measure in {words[w] for w in near if w in words}:
            found.setdefault(measure, set()).add(value)
    return {m: frozenset(v) for m, v in found.items()}


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR = r"(?:\s*,?\s+(\d{4}))?"
MONTH_DAY = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b{_YEAR}", re.I)
DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\b\.?{_YEAR}", re.I)
WEEKDAY = re.compile(rf"\b({'|'.join(WEEKDAYS)})\b", re.I)


def days_named(tokens, published: str | None) -> frozenset[str]:
    """What happened on which day, as "verb|YYYY-MM-DD": each date the claim names, with the lemma
    of the verb it hangs on ("began on Monday" -> "begin|2025-05-19"). Days are "March 3" or
    "3 March" (of the publication's year, or the one before for a month still to come) and
    weekdays (the last one on or before the publication day, as news writes of what happened;
    the next one when the verb says what will happen, "will resume on Friday", or the date says
    "next"). Vague dates ("last week", "in recent years"), dates that hang on no verb ("Thursday's
    report"), a bare date right after a noun, which the parse may hang on the wrong word ("disputed
    the report Thursday") and any date of an undated article name none."""
    from datetime import date, timedelta

    if not published:
        return frozenset()
    try:
        base = date.fromisoformat(published[:10])
    except ValueError:
        return frozenset()
    found: set[str] = set()
    for span in _date_spans(tokens):
        head = _verb_of(span)
        if head is None or _after_a_noun(span):
            continue
        verb = head.lemma_.lower()
        ahead = any(t.lower_ == "next" for t in span) or any(
            c.dep_ == "aux" and c.lower_ in ("will", "shall", "'ll") for c in head.children
        )
        text = " ".join(t.text for t in span)
        days = []
        for month_name, day, year in [(m, d, y) for m, d, y in MONTH_DAY.findall(text)] + [
            (m, d, y) for d, m, y in DAY_MONTH.findall(text)
        ]:
            month = MONTHS[month_name.lower()]
            when = int(year) if year else base.year - (1 if month > base.month + 1 else 0)
            try:
                days.append(date(when, month, int(day)))
            except ValueError:
                continue
        for name in WEEKDAY.findall(text):
            target = WEEKDAYS.index(name.lower())
            if ahead:
                days.append(base + timedelta(days=(target - base.weekday()) % 7 or 7))
            else:
                days.append(base - timedelta(days=(base.weekday() - target) % 7))
        found.update(f"{verb}|{day.isoformat()}" for day in days)
    return frozenset(found)


def _date_spans(tokens) -> list[list]:
    """Runs of consecutive DATE tokens (with the commas inside them: "May 19, 2025")."""
    spans: list[list] = []
    for token in tokens:
        inside = token.ent_type_ == "DATE"
        if inside and token.ent_iob_ != "B" and spans and spans[-1][-1].i == token.i - 1:
            spans[-1].append(token)
        elif inside:
            spans.append([token])
    return spans


def _verb_of(span: list):
    """The verb a date hangs on, through prepositions ("on", "since"); None when it hangs on a
    noun ("Thursday's report", "the May 3 vote")."""
    inside = {t.i for t in span}
    root = next((t for t in span if t.head.i not in inside or t.head is t), span[0])
    head = root.head
    if head.pos_ == "ADP":
        head = head.head
    return head if head.pos_ in ("VERB", "AUX") and head is not root else None


def _after_a_noun(span: list) -> bool:
    """A date with no preposition right after a noun ("the report Thursday")."""
    first = span[0]
    if first.i == 0:
        return False
    before = first.doc[first.i - 1]
    return before.pos_ in ("NOUN", "PROPN") and first.head.pos_ != "ADP"


QUOTATION = re.compile(r"[\"“”]([^\"“”]{12,})[\"“”]")
HEDGES = frozenset({"may", "might", "could"})
MIN_STATEMENT = 5  # words a claim needs, with a verb, to be a statement rather than a fragment


def quotations_in(text: str) -> tuple[str, ...]:
    """The claim's quotations of four words or more, as lower-cased words joined by spaces."""
    found = []
    for match in QUOTATION.finditer(text):
        words = re.findall(r"[\w’']+", match.group(1).lower())
        if len(words) >= 4:
            found.append(" ".join(words))
    return tuple(found)


def predicates_of(tokens) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(predicates, negated, hedged): the lemmas of the claim's verbs other than reporting ones,
    those with a negation ("did not resign", "never resigned") and those with a modal of mere
    possibility ("may resign", "could resign")."""
    reporting = reporting_verbs()
    verbs = [t for t in tokens if t.pos_ == "VERB" and t.lemma_.lower() not in reporting]
    lemma = {id(t): t.lemma_.lower() for t in verbs}
    negated = {lemma[id(t)] for t in verbs if any(c.dep_ == "neg" for c in t.children)}
    hedged = {lemma[id(t)] for t in verbs if any(c.dep_ == "aux" and c.lower_ in HEDGES for c in t.children)}
    return frozenset(lemma.values()), frozenset(negated), frozenset(hedged)


def complete(tokens) -> bool:
    """Whether the claim is a statement: a verb, and MIN_STATEMENT words or more."""
    return any(t.pos_ in ("VERB", "AUX") for t in tokens) and sum(t.is_alpha for t in tokens) >= MIN_STATEMENT


ACTOR_TYPES = frozenset({"PERSON", "ORG", "GPE"})


def actors_named(tokens, named: list[tuple[int, int, str]], kinds: dict[str, str]) -> frozenset[str]:
    """Who did what, as "verb|entity id": for each verb of the claim, the people, organisations
    and countries named in its subject or, in the passive, its "by" phrase ("Kelmar shelled the
    depot" and "the depot was shelled by Kelmar" -> "shell|<Kelmar's id>"). Reporting verbs are left
    out (who said it is attribution, not the fact), and so are nationalities ("Valdrian jets"),
    which cannot be told apart from the country they name, and role nouns ("the president")."""
    reporting = reporting_verbs()
    found: set[str] = set()
    for token in tokens:
        if token.pos_ != "VERB" or token.lemma_.lower() in reporting:
            continue
        agents = [c for c in token.children if c.dep_ == "nsubj"]
        agents += [g for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        for agent in agents:
            begin = agent.left_edge.idx
            finish = agent.right_edge.idx + len(agent.right_edge)
            found.update(
                f"{token.lemma_.lower()}|{entity}"
                for s, e, entity in named
                if s >= begin and e <= finish and kinds.get(entity) in ACTOR_TYPES and _proper(tokens, s, e)
            )
    return frozenset(found)


def _proper(tokens, start: int, end: int) -> bool:
    """Whether the mention at these offsets is a name ("Kelmar", "President Voss"), not a role
    noun the analysis resolved to someone ("the president"), which outlets resolve differently."""
    return any(t.pos_ == "PROPN" for t in tokens if start <= t.idx < end)


def numbers(tokens) -> list[float]:
    return [value for _, value in _number_positions(tokens)]


def _number_positions(tokens) -> list[tuple[int, float]]:
    """(position, value) of the quantities a claim states: digits and number words, with their
    scale ("2 million")."""
    found = []
    for i, token in enumerate(tokens):
        word = token.text.lower()
        value = None
        if NUMBER.match(word):
            value = float(word.replace(",", ""))
            if token.ent_type_ == "DATE" and (1900 <= value <= 2100 or value <= 31):
                continue  # years and days of the month say when, not how many
        elif word in NUMBER_WORDS and token.pos_ == "NUM":
            previous = tokens[i - 1] if i else None
            if word in SCALE and previous is not None and previous.like_num:
                continue  # the scale of the number before it ("400 million")
            value = float(NUMBER_WORDS[word])
        if value is None:
            continue
        following = tokens[i + 1].text.lower() if i + 1 < len(tokens) else ""
        if following in SCALE and value < 1000:
            value *= SCALE[following]
        found.append((i, value))
    return found


def lemmas(tokens, named: list[tuple[int, int, str]]) -> list[tuple[str, str | None]]:
    """Lower-cased lemmas of the words, an entity's words collapsed into one token carrying its id
    (so a spelling is never taken for framing)."""
    out: list[tuple[str, str | None]] = []
    for token in tokens:
        entity = next((e for s, f, e in named if s <= token.idx < f), None)
        if entity:
            if not out or out[-1][1] != entity:
                out.append((entity, entity))
        elif token.is_alpha:
            out.append((token.lemma_.lower(), None))
        else:
            out.append(("|", None))  # punctuation and numbers break n-grams
    return out
