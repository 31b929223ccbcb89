"""Claims: the sentences of a story's articles, long ones split into independent clauses, each
with the entities (resolved, canonical) and the numbers it states, and its lemmas for framing.

An article is parsed once, in the analysis pass: parse_claims() keeps of each claim what the
comparison reads (ParsedClaim, stored with the analysis), and claims_of() binds the stored
claims to the story's resolved entities by the offsets of their mentions, which resolution does
not change. An article with no stored claims (a store analysed by an older storylens) is parsed
when compared."""

from __future__ import annotations

import itertools
import json
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

import storylens.compare.voice as voices
from storylens.clean.words import stopwords
from storylens.compare.actors import actors_of, agents_named, reporting_verbs
from storylens.compare.counts import measured, numbers
from storylens.compare.dates import date_phrases, days_of, periods_of
from storylens.compare.framing import loaded_noun_list, loaded_verbs
from storylens.compare.naming import anaphors, naming_all, noun_phrases
from storylens.compare.quantities import Quantity, quantities_of
from storylens.compare.referents import bracketed, genders_of, named_referent, referent
from storylens.compare.voice import UNREAD, Said, Voice, voice_of
from storylens.model import Article
from storylens.understand.marks import quote_spans
from storylens.understand.nlp import article_text, load_nlp, parse, text_of

# Bump when what parse_claims() keeps changes: stored claims of another version are parsed again.
VERSION = "17"  # 2: modifiers (adjectives, adverbs). 3: descriptions. 4: loaded verbs. 5: noun phrases
# (naming.noun_phrases). 6: times "since" a date apart ("lead since|2009"). 7: a plural modifier kept
# ("rights group"). 8: a role noun continuing the subject describes a person ("The comedian ...").
# 9: a blank line ends a sentence. 10: a break before a lower-case word is taken back ("(R-Wisc.) | to").
# 11: a name qualifying the subject is no actor ("Valdria's army chief signed": not "sign|Valdria").
# 12: quotations between an opening and a closing mark (understand.marks); no predicate standing as a
# preposition or asked ("whether"); a denial of "going to" denies what follows. 13: an adverb of mere
# possibility hedges its verb as a modal does ("possibly occurred", "will probably resign"). 14: no count
# from a date or a time (an age, an hour); conjoined counts counted as their total too; a running
# tally's counts are measures of their own ("dead tally": measured()); a count naming a place says so
# ("dead in dallas"); a verb completing a denied "be" is denied ("was not gang related"), and one
# completing a noun "no" determines ("had no reason to arrest him"); a signpost ("Here are ...") is no
# statement. 15: no count of what was only tried ("trying to kill two others"), of a clause told days
# away ("10 days after a gunman killed five"), of "the other eight" opening a claim; a count on a
# conjoined noun is of the words the first one hangs on; persons named beyond a count add up; "one
# critically injured" and the counts of "the first shooting" are measures of their own. 16: a date looks
# ahead by "should", a present "is scheduled", an infinitive a present verb governs ("is expected to
# appear Monday"), and 17: "won't", an auxiliary of the words its verb completes (dates.looks_ahead).
# A longer sentence is split where an independent clause (a conjoined verb with its own subject, or
# after a semicolon) begins, when each side keeps MIN_CLAUSE words.
LONG_SENTENCE, MIN_CLAUSE = 30, 8
MODIFIER_TAGS = {"ADJ", "ADV"}
QUOTE_MARKS = '"\u201c\u201d\u00ab\u00bb\u201e'  # double quotation marks (a single one may be an apostrophe)

Spans = list[tuple[int, int, str, str, str]]  # (start, end, entity id, canonical name, type)


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
    modifiers: frozenset[str] = frozenset()  # lemmas it uses as adjectives or adverbs, not quoting
    described: list[tuple[str, str]] = field(default_factory=list)  # (entity id, its description)
    loaded: frozenset[str] = frozenset()  # loaded verbs it uses ("blast", "lash out"): framing.loaded_verbs
    phrases: tuple[str, ...] = ()  # its two-word noun phrases, "modifier head" (naming.noun_phrases)
    periods: frozenset[str] = frozenset()  # "verb|YYYY[-MM[-DD]]": when what happened (periods_of)
    quoting: bool = False  # inside a quotation opened before it (compare/voice.py)
    dangling: bool = False  # a personal pronoun and no one named ("Doctors said his condition ...")
    statements: frozenset[str] = frozenset()  # the statements it tells (its quotes' statement ids)
    span: tuple[int, int] = (0, 0)  # its character offsets in the article's text (article_text)
    # a pronoun that speaks in it, named (compare/voice.py): (start, end) in its text, entity id, name
    speaker: tuple[int, int, str, str] | None = None
    quoted_by: str | None = None  # who the quotation it lies wholly inside is by, named (voice.quoter_named)
    # its opening pronoun, named (compare/referents.py): (start, end) in its text, entity id, name
    referent: tuple[int, int, str, str] | None = None

    @cached_property
    def content(self) -> tuple[str, ...]:
        """Its content words in order: lemmas of three letters or more, no stop word, no name."""
        stops = stopwords()
        return tuple(w for w, entity in self.tokens if not entity and len(w) > 2 and w not in stops)

    @cached_property
    def told(self) -> str:
        """Its text with a pronoun that speaks named by the person's surname ("She said the gates
        ..." -> "Ilves said the gates ..."), or by the full name where another person of the story
        shares the surname (or the name is one word or ends in a suffix, "Jr."); a piece of
        someone's quotation with who it is by ('"He was a good kid.' -> 'Dana Ruiz said: "He was a
        good kid."'); else the pronoun opening it named in brackets ("He was taken ..." -> "[Jermaine
        Wright] was taken ...", "His bail ..." -> "[Jermaine Wright’s] bail ...": referents.py)."""
        if self.quoted_by:
            return said_by(self.quoted_by, self.text)
        if self.speaker is not None:
            start, end, _, name = self.speaker
            return self.text[:start] + name + self.text[end:]
        return bracketed(self.text, self.referent) if self.referent else self.text

    @cached_property
    def quantities(self) -> tuple[Quantity, ...]:
        """Its quantities with what each counts (quantities_of)."""
        return quantities_of(self.text, self.numbers)


@dataclass
class ParsedClaim:
    """What the comparison reads of one claim's parse. What names an entity is kept by the
    mention's offsets (start, end), bound to the resolved entity when compared."""

    position: int  # order within the article
    start: int  # character offsets in the article text
    end: int
    text: str
    numbers: frozenset[float]
    words: list[tuple[int, str]]  # (offset, lower-cased lemma, "|" for punctuation and numbers)
    labels: list[tuple[int, int, str]]  # (mention start, end, the label noun attached to it)
    measures: dict[str, frozenset[float]]
    dated: list[tuple[str, str, bool]]  # (verb, the date as written, ahead): days_of() reads them
    agents: list[tuple[str, int, int]]  # (verb, mention start, end): a name in the verb's subject
    quoted: tuple[str, ...]
    predicates: frozenset[str]
    negated: frozenset[str]
    hedged: frozenset[str]
    complete: bool
    modifiers: frozenset[str] = frozenset()
    described: list[tuple[int, int, str]] = field(default_factory=list)  # (mention start, end, description)
    loaded: frozenset[str] = frozenset()
    phrases: tuple[str, ...] = ()
    recalled: list[tuple[int, int, str]] = field(default_factory=list)  # (mention start, end, description)


def load_nlp_with_lemmas():
    """The analysis pass's pipeline (its lemmatizer is on): claims read lemmas."""
    return load_nlp()


def claims_of(
    articles: list[Article],
    mentions: dict[str, Spans],
    parsed: dict[str, list[ParsedClaim]] | None = None,
    said: dict[str, Said] | None = None,
) -> list[Claim]:
    """Every claim of every article, in article order then text order: the stored ones in
    `parsed` (by article id), the others parsed now; `said`: each article's quotes, with their
    statements (compare/voice.py)."""
    parsed = dict(parsed or {})
    missing = [a for a in articles if a.id not in parsed]
    if missing:
        offsets = {a.id: [(s, e) for s, e, *_ in mentions.get(a.id, [])] for a in missing}
        parsed.update(parse_articles(missing, offsets))
    found = []
    shared = voices.shared_statements(said or {})
    people = {name for spans in mentions.values() for *_, name, kind in spans if kind == "PERSON"}
    surnames = Counter(name.split()[-1] for name in people)
    for article in articles:
        text, spans = article_text(article.paragraphs), mentions.get(article.id, [])
        quoted, named = quote_spans(text), [(s, e) for s, e, *_ in spans]
        quotes = (said or {}).get(article.id, [])
        written = voices.names_written(text, spans)
        genders = genders_of(text, spans, quoted)
        for claim in parsed[article.id]:
            voice = voice_of(text, claim.start, claim.end, quoted, named, quotes, shared)
            opening = referent(text, claim.start, spans, quoted, genders)
            found.append(bind(claim, article, spans, voice, surnames, written, opening, quoted))
    return found


def parse_articles(
    articles: list[Article], offsets: dict[str, list[tuple[int, int]]]
) -> dict[str, list[ParsedClaim]]:
    """article id -> its parsed claims (the pipeline's parse; `offsets`: its mentions)."""
    texts = [article_text(a.paragraphs) for a in articles]
    return {
        article.id: parse_claims(doc, offsets.get(article.id, []))
        for article, doc in zip(articles, parse(texts), strict=True)
    }


def parse_claims(doc, mentions: list[tuple[int, int]]) -> list[ParsedClaim]:
    """The claims of one parsed article, with what the comparison reads of each; `mentions`: the
    (start, end) of the article's entity mentions."""
    found: list[ParsedClaim] = []
    position = 0
    recalled = anaphors(doc, mentions)
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
            inside = [(s, e) for s, e in mentions if s >= begin and e <= finish]
            named = {(s, e): naming_all(doc, s, e) for s, e in inside}
            found.append(
                ParsedClaim(
                    position,
                    begin,
                    finish,
                    " ".join(text.split()),
                    frozenset(numbers(tokens)),
                    [(t.idx, t.lemma_.lower() if t.is_alpha else "|") for t in tokens],
                    [(s, e, noun) for (s, e), (noun, _) in named.items() if noun],
                    measured(tokens),
                    date_phrases(tokens),
                    agents_named(tokens, inside),
                    quotations_in(text),
                    *predicates_of(tokens),
                    complete(tokens),
                    frozenset(t.lemma_.lower() for t in tokens if t.pos_ in MODIFIER_TAGS and t.is_alpha),
                    [(s, e, words) for (s, e), (_, found) in named.items() for words in found],
                    frozenset(loaded_verbs(tokens)),
                    tuple(noun_phrases(tokens, inside)),
                    [(s, e, words) for at, s, e, words in recalled if begin <= at < finish],
                )
            )
            position += 1
    return found


def bind(
    parsed: ParsedClaim,
    article: Article,
    spans: Spans,
    voice: Voice = UNREAD,
    surnames: Counter | None = None,
    written: dict[str, str] | None = None,
    opening: tuple[int, int, str] | None = None,
    quoted: voices.Quoted = (),
) -> Claim:
    """The claim, its mentions bound to the resolved entities of `spans` (the article's), in the
    `voice` its article gives it (compare/voice.py); `surnames`: how many persons of the story
    bear each surname (a pronoun that speaks is named by the surname only when one does);
    `written`: each person's name as the article writes it (voice.names_written); `opening`: the
    pronoun opening it and whom it stands for (referents.referent), in the article's offsets."""
    inside = [span for span in spans if span[0] >= parsed.start and span[1] <= parsed.end]
    named = [(s, e, entity) for s, e, entity, _, _ in inside]
    kinds = {entity: kind for _, _, entity, _, kind in inside}
    nouns = {(s, e): noun for s, e, noun in parsed.labels}
    described = {(s, e): entity for s, e, entity, _, kind in inside if kind in DESCRIBED_TYPES}
    people = {(s, e): entity for s, e, entity, _, kind in spans if kind == "PERSON"}  # named before it too
    own = voices.unquoted(parsed.words, quoted)  # its words outside quotations: the outlet's, as framing
    return Claim(
        article.id,
        article.outlet,
        article.published,
        parsed.position,
        parsed.text,
        frozenset(entity for _, _, entity in named),
        parsed.numbers,
        lemmas(parsed.words, named),
        [(entity, nouns[s, e]) for s, e, entity in named if (s, e) in nouns and kinds[entity] != "PERSON"],
        parsed.measures,
        days_of(parsed.dated, article.published),
        actors_of(parsed.agents, named, kinds),
        parsed.quoted,
        parsed.predicates,
        parsed.negated,
        parsed.hedged,
        parsed.complete,
        parsed.modifiers & own,
        [(entity, words) for s, e, words in parsed.described if (entity := described.get((s, e)))]
        + [(entity, words) for s, e, words in parsed.recalled if (entity := people.get((s, e)))],
        parsed.loaded | (loaded_noun_list() & own),
        parsed.phrases,
        periods_of(parsed.dated, article.published),
        voice.quoting,
        voice.dangling,
        voice.statements,
        (parsed.start, parsed.end),
        voices.speaker_named(voice, parsed.start, written or {}, surnames or Counter()),
        voices.quoter_named(voice, written or {}, surnames or Counter()),
        named_referent(opening, parsed.start, written or {}),
    )


def said_by(name: str, quotation: str) -> str:
    """A piece of a quotation told with who said it, in quotation marks of its own: 'Dana Ruiz said:
    "He was a good kid."' (a comma that handed over to the attribution left out)."""
    words = quotation.strip().strip(QUOTE_MARKS).rstrip(" ,").strip(QUOTE_MARKS)
    return f"{name} said: \u201c{words}\u201d"


def to_row(parsed: ParsedClaim) -> tuple[int, int, int, str, int, str]:
    """(position, start, end, text, complete, the rest as JSON): a row of the store's claims."""
    offsets = [i - parsed.start for i, _ in parsed.words]
    rest = {
        "numbers": sorted(parsed.numbers), "lemmas": [w for _, w in parsed.words],
        "offsets": offsets, "labels": parsed.labels,
        "measures": {k: sorted(v) for k, v in sorted(parsed.measures.items())}, "dated": parsed.dated,
        "agents": parsed.agents, "quoted": list(parsed.quoted), "predicates": sorted(parsed.predicates),
        "negated": sorted(parsed.negated), "hedged": sorted(parsed.hedged),
        "modifiers": sorted(parsed.modifiers), "described": parsed.described, "loaded": sorted(parsed.loaded),
        "phrases": list(parsed.phrases), "recalled": parsed.recalled,
    }  # fmt: skip
    text = json.dumps(rest, ensure_ascii=False, separators=(",", ":"))
    return parsed.position, parsed.start, parsed.end, parsed.text, int(parsed.complete), text


def from_row(row: tuple[int, int, int, str, int, str]) -> ParsedClaim:
    position, start, end, text, whole, rest = row
    d = json.loads(rest)
    return ParsedClaim(
        position, start, end, text, frozenset(d["numbers"]),
        [(start + i, w) for i, w in zip(d["offsets"], d["lemmas"], strict=True)],
        [tuple(x) for x in d["labels"]], {k: frozenset(v) for k, v in d["measures"].items()},
        [tuple(x) for x in d["dated"]], [tuple(x) for x in d["agents"]], tuple(d["quoted"]),
        frozenset(d["predicates"]), frozenset(d["negated"]), frozenset(d["hedged"]), bool(whole),
        frozenset(d["modifiers"]), [tuple(x) for x in d.get("described", [])], frozenset(d.get("loaded", [])),
        tuple(d.get("phrases", ())), [tuple(x) for x in d.get("recalled", [])],
    )  # fmt: skip


TERMINAL = {".", "!", "?", '"', "\u201d", "'", "\u2019", ":", ")"}
BLANK_LINE = re.compile(r"\n\s*\n")  # a paragraph break (article_text joins paragraphs so)


def sentences(doc):
    """spaCy's sentences, cut at blank lines; a break no line break separates is taken back when
    no terminal mark ends it ("the allies, | Chief of Staff X said") or a lower-case word follows it
    (an abbreviation: "Paul Ryan (R-Wisc.) | to task")."""
    spans = []
    for sentence in (part for s in doc.sents for part in paragraphs(s)):
        if spans:
            previous = spans[-1]
            last = next((t for t in reversed(previous) if not t.is_space), None)
            first = next((t for t in sentence if not t.is_space), None)
            ends = last is None or (last.text in TERMINAL and not (first and first.text[:1].islower()))
            if not ends and "\n" not in text_of(doc)[last.idx + len(last) : sentence.start_char]:
                spans[-1] = doc[previous.start : sentence.end]
                continue
        spans.append(sentence)
    return spans


def paragraphs(sentence) -> list:
    """A spaCy sentence cut at each blank line inside it."""
    cuts = [t.i + 1 for t in sentence[:-1] if t.is_space and BLANK_LINE.search(t.text)]
    bounds = [sentence.start, *cuts, sentence.end]
    doc = sentence.doc
    return [doc[a:b] for a, b in itertools.pairwise(bounds) if b > a]


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


HEDGES = frozenset({"may", "might", "could"})
HEDGE_ADVERBS = frozenset({"possibly", "perhaps", "maybe", "probably", "likely"})  # "possibly occurred"
MIN_STATEMENT = 5  # words a claim needs, with a verb, to be a statement rather than a fragment
# A verb's clause opened by one of these is asked or supposed, not stated ("declined to say whether
# the account was hacked", "if somebody did hack into it"): its verb is none of the claim's predicates.
UNSTATED = frozenset({"whether", "if"})
# A denied verb of these denies the verb it governs too ("is not going to pay", "does not want to make").
DENIES_WHAT_FOLLOWS = frozenset({"go", "want", "plan", "intend"})
# A verb completing a denied "be" is denied: the parse hangs "not" on either ("was not gang related").
COMPLEMENTS = frozenset({"acomp", "attr", "oprd"})


def quotations_in(text: str) -> tuple[str, ...]:
    """The claim's quotations of four words or more (between an opening and a closing mark, or an
    opening one and the claim's end: understand.marks), as lower-cased words joined by spaces."""
    found = []
    for start, end in quote_spans(text):
        words = re.findall(r"[\w’']+", text[start:end].lower())
        if len(words) >= 4:
            found.append(" ".join(words))
    return tuple(found)


def predicates_of(tokens) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(predicates, negated, hedged): the lemmas of the claim's verbs other than reporting ones,
    those with a negation ("did not resign", "never resigned", "is not going to resign") and those
    with a modal or an adverb of mere possibility ("may resign", "could resign", "will probably
    resign"). A verb standing as a preposition ("according to") and one of a clause only asked or
    supposed ("whether it was hacked") are none."""
    reporting = reporting_verbs()
    verbs = [
        t
        for t in tokens
        if t.pos_ == "VERB"
        and t.lemma_.lower() not in reporting
        and t.dep_ != "prep"
        and not any(c.dep_ == "mark" and c.lower_ in UNSTATED for c in t.children)
    ]
    lemma = {t.i: t.lemma_.lower() for t in verbs}
    denied = {t.i for t in tokens if any(c.dep_ == "neg" for c in t.children)}
    denied |= {
        t.i
        for t in tokens
        if (t.dep_ == "xcomp" and t.head.i in denied and t.head.lemma_.lower() in DENIES_WHAT_FOLLOWS)
        or (t.dep_ in COMPLEMENTS and t.head.pos_ == "AUX" and t.head.i in denied)
        or _denied_by_no(t)
    }
    negated = {lemma[t.i] for t in verbs if t.i in denied}
    hedged = {
        lemma[t.i]
        for t in verbs
        if any(
            (c.dep_ == "aux" and c.lower_ in HEDGES) or (c.dep_ == "advmod" and c.lower_ in HEDGE_ADVERBS)
            for c in t.children
        )
    }
    return frozenset(lemma.values()), frozenset(negated), frozenset(hedged)


def _denied_by_no(token) -> bool:
    """Whether a verb completes a noun that "no" determines: "had no reason to arrest him", "has no
    plans to run", "no intention of resigning" deny the arrest, the run, the resignation."""
    if token.dep_ == "pcomp" and token.head.lower_ == "of":
        noun = token.head.head
    elif token.dep_ in ("acl", "relcl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children):
        noun = token.head
    else:
        return False
    return any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children)


def complete(tokens) -> bool:
    """Whether the claim is a statement: a verb, and MIN_STATEMENT words or more, and not a signpost
    to what follows ("Here are his stances on the issues.", "Here's what we know:")."""
    words = [t for t in tokens if not t.is_punct and not t.is_quote]
    signpost = len(words) >= 2 and words[0].lower_ == "here" and words[1].lemma_.lower() == "be"
    return (
        not signpost
        and any(t.pos_ in ("VERB", "AUX") for t in tokens)
        and sum(t.is_alpha for t in tokens) >= MIN_STATEMENT
    )


DESCRIBED_TYPES = frozenset({"PERSON", "ORG"})  # whose descriptions are shown side by side


def lemmas(words: list[tuple[int, str]], named: list[tuple[int, int, str]]) -> list[tuple[str, str | None]]:
    """Lower-cased lemmas of the words (ParsedClaim.words), an entity's words collapsed into one
    token carrying its id (so a spelling is never taken for framing)."""
    out: list[tuple[str, str | None]] = []
    offsets = [offset for offset, _ in words]
    owner: list[str | None] = [None] * len(words)
    for start, end, entity in reversed(named):  # the first mention listed wins, as it would in order
        for i in range(bisect_left(offsets, start), bisect_left(offsets, end)):
            owner[i] = entity
    for (_, word), entity in zip(words, owner, strict=True):
        if entity:
            if not out or out[-1][1] != entity:
                out.append((entity, entity))
        else:
            out.append((word, None))  # "|": punctuation and numbers break n-grams
    return out
