"""Counts: the numbers a claim states and what they count (deaths, injuries, arrests: the
measures of data/measures.txt), and when two claims' counts of one thing differ.

A number counts what the words it hangs on in its own clause name ("killed at least 14 people"
-> dead: 14; "left one dead and four others wounded": one dead, four hurt). A number of a date or
a time (an age, an hour) counts no one; conjoined counts count their total too; a running tally
("so far this year", "the homicide total") is a measure of its own; a count naming a place says
so ("dead in dallas"), so that another town's toll told in passing is not weighed against the
story's own. What a count is a part of says so too: no count of what was only tried, of a clause
told days away or of "the other eight" opening a claim; "one critically injured" and the counts of
"the first shooting" are measures of their own."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from storylens.compare.quantities import NUMBER, NUMBER_WORDS, SCALE


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
    ("killed at least 14 people" -> dead: {14}; "the death toll rose to 19" -> dead: {19}). A
    number spaCy reads as part of a date or a time counts no one: an age ("Ana Ruiz, 37, was found
    dead"), an hour ("died around 10 p.m."). Counts of conjoined nouns count their total too
    ("three women and two men dead" counts 5 dead too; "two officers and a deputy", 3). In a
    claim telling a running tally ("killed so far this year", "the homicide total to 106") each
    measure is named "<measure> tally": it disagrees with another tally, not with one happening's
    count. A count whose words name a place is named "<measure> in <place>" ("five Dallas officers
    were killed" -> "dead in dallas"): different_counts() weighs no two counts that name only
    different places."""
    words = measure_words()
    found: dict[str, set[float]] = {}
    values = {i: v for i, v in _number_positions(tokens) if tokens[i].ent_type_ not in ("DATE", "TIME")}
    first = min(values, default=None)
    for i, value in values.items():
        if not _of_this_happening(tokens[i]) or (i == first and _remainder(tokens[i])):
            continue  # "trying to kill two others"; "The other eight people were detained"
        near, measures = _measured_near(tokens[i].head, words)
        if not measures and _first_conjunct(tokens[i].head) is not tokens[i].head:
            # "two juveniles and eight adults were wounded": the eight are wounded too
            near, measures = _measured_near(_first_conjunct(tokens[i].head), words)
        place, grave = _place(near), _gravely(near, words)
        part = " part" if _one_of_several(tokens[i]) else ""
        for measure in measures:
            found.setdefault(measure + grave + part + place, set()).add(value)
    for parts, total in _conjoined_totals(tokens, values) + _named_totals(tokens, values):
        for measure in found:
            if parts & found[measure]:
                found[measure].add(total)
    tally = " tally" if tallies(tokens) else ""
    return {_tallied(m, tally): frozenset(v) for m, v in found.items()}


def _measured_near(head, words: dict[str, str]) -> tuple[list, set[str]]:
    """(the words a count hangs on, the measures they signal): `head`, the word the number hangs
    on, and what hangs on it, else those of its own head too: "killed at least 14 people" (people
    <- killed); "the toll rose to 19" (to <- rose -> toll); never across a clause ("left one dead
    and four others wounded": the four are not dead)."""
    near: list = []
    measures: set[str] = set()
    for word in dict.fromkeys((head, head.head)):
        near += [word, *(t for t in word.children if not _other_clause(t))]
        measures = {words[w] for w in {t.lemma_.lower() for t in near} if w in words}
        if measures:
            break
    return near, measures


NOMINAL = frozenset({"NOUN", "PROPN", "PRON", "NUM"})


def _first_conjunct(token):
    """The first of the conjoined nouns a noun is one of ("two juveniles and eight adults":
    juveniles), or the noun itself."""
    while token.dep_ == "conj" and token.pos_ in NOMINAL and token.head.pos_ in NOMINAL:
        token = token.head
    return token


# A count under one of these is of what was tried or threatened, not done ("trying to kill two others").
ATTEMPTS = frozenset({"try", "attempt", "threaten", "plan", "intend"})
# A clause begun by these after a span of days or more tells another happening ("came just 10 days
# after a gunman killed five police officers in Dallas").
DISTANT = frozenset({"after", "before"})
TIME_UNITS = frozenset({"day", "week", "month", "year"})


def _of_this_happening(number) -> bool:
    """Whether a number may count what the story's happening did: not what someone tried to do
    ("trying to kill two others"), nor what a clause told days or more away did ("four months
    before Orlando became home of the nation's deadliest mass shooting that killed 49")."""
    for word in number.ancestors:
        if word.lemma_.lower() in ATTEMPTS:
            return False
        for mark in word.children:
            before = mark.doc[mark.i - 1] if mark.i else mark
            if mark.dep_ == "mark" and mark.lower_ in DISTANT and before.ent_type_ == "DATE":
                if before.lemma_.lower() in TIME_UNITS:
                    return False
    return True


def _remainder(number) -> bool:
    """Whether a number counts the rest of a group: "the other eight people"."""
    noun = number.head if number.dep_ == "nummod" else number
    words = {c.lower_ for c in (*noun.children, *number.children)}
    return {"the", "other"} <= words


# An adverb of these on the word that counts makes the count a part of it: "one critically injured".
GRAVELY = frozenset({"critically", "seriously", "severely", "gravely", "badly"})


def _gravely(near, words: dict[str, str]) -> str:
    """ " gravely": the word counting says how badly ("one critically injured"), a count of some of
    those hurt; else ""."""
    counting = [t for t in near if t.lemma_.lower() in words]
    return " gravely" if any(c.lower_ in GRAVELY for t in counting for c in t.children) else ""


# One happening of several, as the words naming it say: "the first shooting", "one shooting that ...".
HAPPENINGS = frozenset(
    "shooting attack assault incident scene stabbing crash explosion blast robbery".split()
)
ONE_OF = frozenset({"first", "second", "third", "fourth", "fifth", "one"})


def _one_of_several(number) -> bool:
    """Whether a number counts what one of several happenings did, as the words it hangs on name
    it ("including one shooting that left one person dead and four others wounded"; "died in the
    first shooting and three other people were injured"): a part of what they did together."""
    for word in number.ancestors:
        objects = (n for p in word.children if p.dep_ == "prep" for n in p.children if n.dep_ == "pobj")
        for noun in (word, *objects):
            if noun.lemma_.lower() in HAPPENINGS and any(
                c.lower_ in ONE_OF and c.dep_ in ("amod", "nummod") for c in noun.children
            ):
                return True
    return False


# What hangs on a word by these begins another clause: its counts are not the word's.
OTHER_CLAUSES = frozenset({"conj", "advcl", "relcl", "parataxis"})


def _other_clause(token) -> bool:
    """Whether a word begins a clause of its own under its head: a conjoined or adverbial clause,
    or a participle hanging on a verb ("16 shot, 1 killed"), not one on a noun ("five others
    wounded")."""
    return token.dep_ in OTHER_CLAUSES or (token.dep_ == "acl" and token.head.pos_ in ("VERB", "AUX"))


PLACES = frozenset({"GPE", "LOC", "FAC"})


def _place(near) -> str:
    """ " in <place>": the place a count's words name (an entity hanging on the words the number
    hangs on or on their prepositions: "five Dallas officers", "killed three officers in Baton
    Rouge"), or "" (the first in alphabetical order where there are more)."""
    candidates = {*near, *(c for t in near if t.dep_ == "prep" for c in t.children)}
    found = sorted(_entity_text(t) for t in candidates if t.ent_type_ in PLACES)
    return f" in {found[0]}" if found else ""


def _entity_text(token) -> str:
    """The lower-cased text of the named entity a token is part of."""
    doc, start, end = token.doc, token.i, token.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end].text.lower()


def _tallied(measure: str, tally: str) -> str:
    """A measure's name with " tally" after what it counts: "dead tally in chicago"."""
    what, _, place = measure.partition(" in ")
    return what + tally + (f" in {place}" if place else "")


TALLY_WORDS = frozenset({"total", "tally"})
# A date or time that makes a count a running tally: "so far this year", "for 2016", "since 2013".
TALLY_PERIOD = re.compile(r"\b(?:so far|to date|since|this year|the year|for (?:the year|\d{4}))\b", re.I)


def tallies(tokens) -> bool:
    """Whether the claim tells a running tally: a total ("the homicide total", "the tally") or a
    count over a period reaching now ("killed so far this year", "since 2013")."""
    dated = " ".join(t.text for t in tokens if t.ent_type_ == "DATE")
    return any(t.lemma_.lower() in TALLY_WORDS for t in tokens) or bool(TALLY_PERIOD.search(dated))


ONE = frozenset({"a", "an", "another"})  # a determiner that counts one ("two men and a woman")


def _conjoined_totals(tokens, values: dict[int, float]) -> list[tuple[set[float], float]]:
    """(the counts, their total) of each run of conjoined nouns that each carry a count of
    `values` (by position) or a determiner counting one: "three women and two men" -> ({3, 2}, 5);
    "a woman and her two boys" -> ({2}, 3)."""
    count_of = {tokens[i].head.i: v for i, v in values.items() if tokens[i].dep_ == "nummod"}
    totals = []
    for token in tokens:
        if token.dep_ == "conj":
            continue  # each run once, from its first noun
        run = [token, *(t for t in token.conjuncts if t.i > token.i)]
        counts = [count_of.get(t.i, 1.0 if any(c.lower_ in ONE for c in t.children) else None) for t in run]
        if len(run) >= 2 and None not in counts and any(t.i in count_of for t in run):
            totals.append(({count_of[t.i] for t in run if t.i in count_of}, float(sum(counts))))
    return totals


def _named_totals(tokens, values: dict[int, float]) -> list[tuple[set[float], float]]:
    """(a count, the persons named beside it) where more are named than it counts: "two officers --
    Ana Ruiz and Jon Pell -- and Deputy Edda Marrow" -> ({2}, 3)."""
    totals = []
    for i, value in values.items():
        noun = tokens[i].head
        if tokens[i].dep_ != "nummod":
            continue
        for named in (c for c in noun.children if c.dep_ == "appos" and _named(c)):
            persons = [named, *(t for t in named.conjuncts if _named(t))]
            if len(persons) > value:
                totals.append(({value}, float(len(persons))))
    return totals


def _named(token) -> bool:
    return token.pos_ == "PROPN" or token.ent_type_ == "PERSON"


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


def different_counts(a, b) -> bool:
    """Whether the claims count one thing (a measure: deaths, arrests ...) with numbers that have
    none in common, unless every count of it in both names a place (measured(): "dead in
    dallas") and no place is in both: "five Dallas officers were killed" tells another shooting
    than "three officers were killed in Baton Rouge"."""
    for what in {_what(m) for m in a.measures} & {_what(m) for m in b.measures}:
        mine, theirs = _counts(a, what), _counts(b, what)
        if mine and theirs and not (set().union(*mine.values()) & set().union(*theirs.values())):
            if "" in mine or "" in theirs or mine.keys() & theirs.keys():
                return True
    return False


def counts_at_odds(a, b) -> set[float]:
    """The numbers a counts of a thing both count (a measure) that b never gives for it: the
    counts a disagreement is about ("killed 14" against "the death toll rose to 19": 14)."""
    found: set[float] = set()
    for what in {_what(m) for m in a.measures} & {_what(m) for m in b.measures}:
        found |= set().union(*_counts(a, what).values()) - set().union(*_counts(b, what).values())
    return found


def _what(measure: str) -> str:
    return measure.partition(" in ")[0]


def _counts(claim, what: str) -> dict[str, frozenset[float]]:
    """place ("" for none) -> the claim's numbers of one measure."""
    return {m.partition(" in ")[2]: v for m, v in claim.measures.items() if _what(m) == what}
