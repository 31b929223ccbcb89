"""Quantities: the figures a claim states, each with what it counts ("$139 million" of income,
a "48-page" indictment), and when two figures agree (one the other rounded)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from storylens.clean.words import stopwords

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100, "thousand": 1000, "million": 1_000_000,
}  # fmt: skip
SCALE = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
NUMBER = re.compile(r"^\d[\d,]*(?:\.\d+)?$")

CURRENCIES = frozenset("$€£")
QUANTITY_TOKEN = re.compile(r"[$€£%]|\d[\d,]*(?:\.\d+)?|[A-Za-z]+|\S")
# Where a figure's wider phrase ends (Quantity.wider); its phrase (Quantity.words) ends at commas
# too. Beyond a comma an apposition or an aside may name what the figure counts ("the harbour
# repair budget, to the tune of $4.2 million").
PHRASE_BREAKS = frozenset(';:.!?()[]"“”—–')


@dataclass(frozen=True)
class Quantity:
    """One quantity a claim states and what it counts: `unit`, a currency written before it
    ("$139 million" -> "$"), "percent" after it, or the word after it ("48-page" -> "page");
    `words`, the content words of its phrase (up to the next comma, number or quotation mark on
    either side: "$5,587.75 vacation at the Martha's Vineyard retreat" -> vacation, martha,
    vineyard, retreat), plural folded; `wider`, those and the content words beyond commas, up to
    the next number, quotation mark, dash, parenthesis or end of clause ("the ferry budget, to the
    tune of $4.2 million" -> tune; wider: ferry, budget, tune)."""

    unit: str
    value: float
    words: frozenset[str]
    wider: frozenset[str] = frozenset()  # `words` and those beyond commas, up to the clause's end


def quantities_of(text: str, numbers: frozenset[float]) -> tuple[Quantity, ...]:
    """The claim's quantities (`numbers`: those it states, years and days left out, see
    numbers()) with what each counts (Quantity). Left out: a number with a stop word after it
    and no currency, which counts nothing nameable ("14 of the 20"), an age ("a 33-year-old
    man": two men of different ages are two men) and a number that is part of a name or an
    address ("890 Belmont Ave.", "the 3200 block of West Maple")."""
    tokens = QUANTITY_TOKEN.findall(text)
    values = [_value(tokens, i) for i in range(len(tokens))]
    stops = stopwords()
    found = []
    for i, value in enumerate(values):
        if value is None or not any(abs(value - n) <= 1e-6 * max(1.0, n) for n in numbers):
            continue
        unit = _unit(tokens, i, stops)
        if unit is None:
            continue
        (left, left_beyond), (right, right_beyond) = (
            _phrase(tokens, values, i, -1),
            _phrase(tokens, values, i, 1),
        )
        words = _content(left + right, stops)
        found.append(Quantity(unit, value, words, words | _content(left_beyond + right_beyond, stops)))
    return tuple(found)


def _phrase(tokens: list[str], values: list[float | None], i: int, step: int) -> tuple[list[str], list[str]]:
    """The words on one side (`step`) of the number at tokens[i] up to a break (PHRASE_BREAKS):
    (those before the first comma, those beyond it). A stretch beyond a comma that reaches
    another figure is that figure's ("$1,200 at Pell Books, $300 at Moss Toys": Pell Books are
    not the $300's)."""
    k = i + step
    if step < 0 and k >= 0 and tokens[k] in CURRENCIES:
        k += step  # this figure's own currency
    stretches: list[list[str]] = [[]]
    while 0 <= k < len(tokens) and tokens[k] not in PHRASE_BREAKS:
        if values[k] is not None or tokens[k] in CURRENCIES:
            if len(stretches) > 1:
                stretches.pop()
            break
        if tokens[k] == ",":
            stretches.append([])
        else:
            stretches[-1].append(tokens[k].lower())
        k += step
    return stretches[0], [w for stretch in stretches[1:] for w in stretch]


def _content(phrase: list[str], stops: frozenset[str]) -> frozenset[str]:
    """The phrase's content words, plural folded; no stop word, no number word."""
    words = {_singular(w) for w in phrase if w.isalpha() and len(w) > 2 and w not in stops}
    return frozenset(words - set(NUMBER_WORDS) - set(SCALE))


def _unit(tokens: list[str], i: int, stops: frozenset[str]) -> str | None:
    """What the number at tokens[i] counts (see Quantity), or None (see quantities_of)."""
    if i and tokens[i - 1] in CURRENCIES:
        return tokens[i - 1]
    after = i + 1
    while after < len(tokens) and (tokens[after] == "-" or tokens[after].lower() in SCALE):
        after += 1
    following = tokens[after : after + 3] + ["", "", ""]
    word = following[0].lower()
    if word in ("%", "percent"):
        return "percent"
    if not word.isalpha() or word in stops or word in NUMBER_WORDS:
        return None
    named = following[0][:1].isupper() or (following[1] == "of" and following[2][:1].isupper())
    aged = following[1] == "old" or (following[1] == "-" and following[2] == "old")
    return None if named or aged else _singular(word)


def _value(tokens: list[str], i: int) -> float | None:
    """The value of the number written at tokens[i], scaled ("139 million"), or None."""
    word = tokens[i].lower()
    if NUMBER.match(word):
        value = float(word.replace(",", ""))
    elif word in NUMBER_WORDS and word not in SCALE:
        value = float(NUMBER_WORDS[word])
    else:
        return None
    following = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
    return value * SCALE[following] if following in SCALE and value < 1000 else value


def _singular(word: str) -> str:
    """The word with a plural ending folded ("pages" -> "page", "casualties" -> "casualty")."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def agree(x: float, y: float) -> bool:
    """Whether two figures agree: equal, or the rounder one is the other rounded ("about 43,000"
    and "43,350"; "$1 million" and "$1.1 million")."""
    if x == y:
        return True
    rough, exact = sorted((x, y), key=significant)
    digits = significant(rough)
    return float(f"{exact:.{digits}g}") == rough


def significant(x: float) -> int:
    """Significant digits of a figure as written (43000 -> 2, 5587.75 -> 6)."""
    whole, _, fraction = f"{x:.6f}".rstrip("0").rstrip(".").partition(".")
    return len((whole + fraction).lstrip("0")) if fraction else max(1, len(whole.rstrip("0")))
