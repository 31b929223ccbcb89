"""Framing: the words and phrases each outlet uses distinctively.

Within one story (loaded_terms): the evaluative words an outlet uses that no other outlet of the
story uses ("heartless", "grossly unfair", "dismal performance"), by the valence VADER's lexicon
gives them (Hutto and Gilbert 2014; shipped in the vaderSentiment package), negative and used as
an adjective or an adverb: a reader judged the verbs and nouns the lexicon rates ("killed", "won",
"praise", "friend", "violation") mostly the plain telling of events, and its positive words mostly
the feelings speakers state ("grateful", "hopeful"). Three articles are too few for a
word said once to be distinctive by counts alone, and topic words ("tea", "thursday", "senator")
are what an outlet's word counts differ by most; loaded vocabulary is what a reader means by
framing.

Across a corpus (distinctive): the weighted log-odds ratio with an informative Dirichlet prior
(Monroe, Colaresi and Quinn 2008, "Fightin' Words").

Counts are of lemmatised n-grams (1 to 3 words) that do not start or end with a stop word, with
every entity mention collapsed to its resolved entity, so that a spelling (Qassem / Ghasem) is
never mistaken for framing. Each outlet is compared with the other outlets of the same texts; the
prior is the pooled counts of all of them, weighing a tenth of the data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import cache
from importlib.resources import files

import numpy as np

from storylens.clean.words import stopwords

PRIOR_SHARE = 0.1  # the prior's pseudo-counts: the pooled counts, weighing a tenth of the data
Z_MIN = 1.96  # distinctive at the 5% level
TOP = 8  # terms listed per outlet
MAX_N = 3
# A word is loaded from this absolute valence on VADER's -4..4 scale, when its raters agree (their
# standard deviation at most AGREED): chosen on basil-dev's tuning set.
LOADED = 2.0
AGREED = 1.0
# Verbs of saying that judge the words ("claimed", "insisted", "admitted", "complained"): a summary
# keeps them out, but they are not shown as a story's framing. On basil-dev's tuning set they were shown
# 8 times, none in the gold's loaded wording (session 49), and "complain" and "admit" loaded to none of 5
# blind verdicts: reporters write them as plain verbs of saying.
NOT_SHOWN = frozenset({"claim", "insist", "admit", "complain"})


@cache
def valences(reporting: bool = True) -> dict[str, float]:
    """word -> its mean valence in VADER's lexicon (vaderSentiment/vader_lexicon.txt), but for
    the words news uses in a neutral sense (compare/data/neutral_valence.txt) and, unless
    `reporting` is False, those crime and court reporting uses as plain description
    (compare/data/reporting_valence.txt)."""
    skip = _words("neutral_valence.txt") | (_words("reporting_valence.txt") if reporting else set())
    found = {}
    text = (files("vaderSentiment") / "vader_lexicon.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        word, _, rest = line.partition("\t")
        fields = rest.split("\t")
        if len(fields) >= 2 and float(fields[1]) <= AGREED and word not in skip:
            found[word] = float(fields[0])
    return found


def _words(name: str) -> set[str]:
    text = (files("storylens.compare") / "data" / name).read_text(encoding="utf-8")
    return {w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")}


# Words after a verb that tell a literal sense: "slammed into a pole", "ripped off his shirt",
# "blasted over his head", "slammed the window shut".
LITERAL = {"into", "through", "off", "open", "shut", "over", "down", "up", "across", "onto", "out", "apart"}


@cache
def loaded_verb_list() -> tuple[frozenset[str], frozenset[str], frozenset[tuple[str, str]]]:
    """The verbs of compare/data/loaded_verbs.txt: (single verbs, those loaded only with a clause
    after them, written "claim that", (verb, the word after it))."""
    text = (files("storylens.compare") / "data" / "loaded_verbs.txt").read_text(encoding="utf-8")
    entries = [line.split() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return (
        frozenset(words[0] for words in entries if len(words) == 1),
        frozenset(words[0] for words in entries if words[1:] == ["that"]),
        frozenset((words[0], words[1]) for words in entries if len(words) == 2 and words[1] != "that"),
    )


@cache
def loaded_noun_list() -> frozenset[str]:
    """The nouns of compare/data/loaded_nouns.txt ("tirade", "ploy", "frenzy")."""
    return frozenset(_words("loaded_nouns.txt"))


def loaded_verbs(tokens) -> list[str]:
    """The loaded verbs of compare/data/loaded_verbs.txt among these spaCy tokens, each where the
    parse reads it as a verb and not inside a quotation, in dictionary form ("lash out" for
    "lashed out"); not in a literal sense (LITERAL), and a verb listed with "that" only where a
    clause follows it ("claimed [that] the vote was rigged", not "claimed the lives of two")."""
    single, clausal, double = loaded_verb_list()
    found = []
    quoted = False  # inside a quotation the words are the speaker's, not the outlet's
    for k, token in enumerate(tokens):
        if token.text in {'"', "\u201c", "\u201d"}:
            quoted = token.text == "\u201c" or (token.text == '"' and not quoted)
        if token.pos_ != "VERB" or quoted:
            continue
        lemma = token.lemma_.lower()
        after = tokens[k + 1].lower_ if k + 1 < len(tokens) else ""
        if (lemma, after) in double:
            found.append(f"{lemma} {after}")
        elif any(child.lower_ in LITERAL for child in token.children):
            continue
        elif lemma in single or (lemma in clausal and any(c.dep_ == "ccomp" for c in token.children)):
            found.append(lemma)
    return found


def with_loaded_verbs(
    framing: dict[str, list[tuple[str, float]]],
    verbs: dict[str, set[str]],
    counts: dict[str, Counter],
    shown: bool = True,
) -> dict[str, list[tuple[str, float]]]:
    """`framing` (loaded_terms) with, after each group's terms, the loaded verbs it uses that no
    other group uses, as a verb or at all (with VADER's valence of the verb, 0.0 when it rates none);
    `shown`: those a story's framing shows, not the verbs of saying NOT_SHOWN."""
    lexicon = valences()
    found = {}
    for group, terms in framing.items():
        others = {v for g, used in verbs.items() if g != group for v in used}
        others |= {t for g, c in counts.items() if g != group for t in c if " " not in t}
        extra = sorted(
            v
            for v in verbs.get(group, ())
            if v not in others and v.split()[0] not in others and not (shown and v in NOT_SHOWN)
        )
        found[group] = terms + [(v, lexicon.get(v, 0.0)) for v in extra][: max(0, TOP - len(terms))]
    return found


def loaded_terms(
    counts_by_group: dict[str, Counter],
    top: int = TOP,
    modifiers: dict[str, set[str]] | None = None,
    reporting: bool = True,
) -> dict[str, list[tuple[str, float]]]:
    """For each group (an outlet of a story), its loaded words (absolute valence >= LOADED) that no
    other group uses, alone or in a phrase, each shown in the phrase it most often comes in (a
    word and its neighbour, "disdainful attack"), with its valence; strongest first. With
    `modifiers` (group -> the words it uses as adjectives or adverbs), only the negative ones it
    uses so: "a heartless policy", "grossly unfair", not "killed", "won", "praise" or "friend".
    `reporting` False weighs reporting's plain words too ("fatally"; valences())."""
    lexicon = valences(reporting)
    words_of = {
        group: Counter({t: c for t, c in counts.items() if " " not in t})
        for group, counts in counts_by_group.items()
    }
    found = {}
    for group, counts in counts_by_group.items():
        others = set().union(*(set(w) for g, w in words_of.items() if g != group))
        others |= {
            w for g, c in counts_by_group.items() if g != group for t in c if " " in t for w in t.split()
        }
        scored = []
        for word, count in words_of[group].items():
            valence = lexicon.get(word, 0.0)
            if abs(valence) < LOADED or word in others:
                continue
            if modifiers is not None and (valence > 0 or word not in modifiers.get(group, ())):
                continue
            phrases = [(c, t) for t, c in counts.items() if t.count(" ") == 1 and word in t.split()]
            shown = max(phrases, key=lambda p: (p[0], p[1]))[1] if phrases else word
            scored.append((shown, valence, count))
        scored.sort(key=lambda t: (-abs(t[1]), -t[2], t[0]))
        found[group] = [(term, valence) for term, valence, _ in scored[:top]]
    return found


def ngrams(tokens: list[tuple[str, str | None]], names: dict[str, str]) -> Iterable[str]:
    """n-grams of 1..MAX_N tokens, not crossing punctuation, not starting or ending with a stop
    word, entities written with their canonical names."""
    stops = stopwords()
    words = [names.get(entity, word) if entity else word for word, entity in tokens]
    for n in range(1, MAX_N + 1):
        for i in range(len(words) - n + 1):
            gram = words[i : i + n]
            if "|" in gram or gram[0] in stops or gram[-1] in stops:
                continue
            if n == 1 and (len(gram[0]) < 3 or tokens[i][1]):
                continue  # a lone entity name is who the story is about, not framing
            yield " ".join(gram)


def distinctive(counts_by_group: dict[str, Counter], top: int = TOP) -> dict[str, list[tuple[str, float]]]:
    """For each group (an outlet), its terms with z-score >= Z_MIN against the other groups,
    highest first. Each group's terms are scored at once (numpy): the store's figures score every
    outlet's terms after each change, hundreds of thousands of them in a grown store."""
    total = Counter()
    for counts in counts_by_group.values():
        total.update(counts)
    size = sum(total.values())
    if size == 0 or len(counts_by_group) < 2:
        return {group: [] for group in counts_by_group}
    prior_total = PRIOR_SHARE * size
    found = {}
    for group, counts in counts_by_group.items():
        words = list(counts)
        y_i = np.fromiter(counts.values(), float, len(words))
        pooled = np.fromiter(map(total.__getitem__, words), float, len(words))
        a = PRIOR_SHARE * pooled
        y_j = pooled - y_i
        n_i = y_i.sum()
        n_j = size - n_i
        delta = np.log((y_i + a) / (n_i + prior_total - y_i - a)) - np.log(
            (y_j + a) / (n_j + prior_total - y_j - a)
        )
        z = delta / np.sqrt(1 / (y_i + a) + 1 / (y_j + a))
        scored = [(words[k], round(float(z[k]), 2)) for k in np.flatnonzero(z >= Z_MIN)]
        scored.sort(key=lambda t: (-t[1], t[0]))
        found[group] = _without_overlaps(scored, top)
    return found


def _without_overlaps(scored: list[tuple[str, float]], top: int) -> list[tuple[str, float]]:
    """The first `top` terms, dropping a term contained in a higher-scoring kept one ("regime"
    under "kelmari regime" stays only if it scores higher on its own)."""
    kept: list[tuple[str, float]] = []
    for word, z in scored:
        if len(kept) == top:
            break
        if any(f" {word} " in f" {other} " or f" {other} " in f" {word} " for other, _ in kept):
            continue
        kept.append((word, z))
    return kept
