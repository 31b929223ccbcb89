"""What makes an event this event: the specifics an article names.

Two shootings in one city on one day are told in the same words (shot, police, hospital); what
tells them apart is who (the people named), where (the street, the block, the neighbourhood),
how old, and which day. An article's specifics are strings of a few kinds:

- `e:<entity id>`: a resolved named entity (so Qassem and Ghasem are one);
- `n:<word>`: a capitalised word inside a sentence (a name or a place the model did not tag), and
  any capitalised word of the headline, its first one too ("Lansing teen shot", "Teen Shot In
  Gwinnett County": an archived page whose body is a sign-up form still has its headline; the
  headline's common words weigh little by their rarity);
- `age:<n>`: "a 27-year-old", "aged 27", "John Doe, 27,";
- `addr:<block> <street>`: "the 3700 block of Whittaker Avenue" and "3704 Whittaker Ave." are both
  `addr:3700 whittaker` (the block, or the hundred block of a street number, and the street's
  name without direction or suffix);
- `day:<n>`: a day the article speaks of, as a day number: a weekday resolved backwards from the
  article's date ("Tuesday" in a Wednesday article is yesterday), or a month and day.

How much each one weighs is not decided here: the clusterer weighs them by how rare they are in
the store, so a city that a beat names in every article counts for little and a victim's name for
much.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from storylens.clean.words import stopwords

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Capitalised words that are calendar words or beat words, not names.
NOT_NAMES = frozenset(WEEKDAYS) | {
    "january", "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december", "the", "police", "officers", "officer", "sheriff", "department",
}  # fmt: skip
EPOCH = 719163  # date(1970, 1, 1).toordinal(): day numbers count from 1970-01-01

AGE = re.compile(r"\b(\d{1,3})[- ]year[- ]old\b|\bage[sd]?\s+(\d{1,3})\b|\b[A-Z][a-z]+, (\d{1,2}),")
WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.I)
MONTH_DAY = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2})\b")
BLOCK = re.compile(r"\b(\d{1,5})\s+block\s+of\s+((?:[NSEW]\.?\s+)?[A-Z0-9][\w.']*(?:\s+[A-Z][\w.']*){0,3})")
STREET = re.compile(
    r"\b(\d{1,5})\s+((?:[NSEW]\.?\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}\s+(?:Street|St|Avenue|Ave|"
    r"Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Place|Pl|Court|Ct|Parkway|Pkwy|Highway|Hwy|"
    r"Terrace|Circle|Trail))\b"
)
DIRECTIONS = frozenset({"n", "s", "e", "w", "north", "south", "east", "west"})
STREET_KINDS = frozenset({
    "street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "drive", "dr", "lane", "ln",
    "way", "place", "pl", "court", "ct", "parkway", "pkwy", "highway", "hwy", "terrace", "circle",
    "trail", "block", "of",
})  # fmt: skip
CAPITALISED = re.compile(r"\b([A-Z][a-z]{2,}(?:['’][a-z]+)?)\b")
SENTENCE_END = re.compile(r"(?<=[.!?\"”’])\s+")


def specifics(
    title: str, paragraphs: Iterable[str], published: str | None, entities: Iterable[str]
) -> frozenset[str]:
    """The article's specifics (see the module doc)."""
    paragraphs = list(paragraphs)
    text = title + "\n" + "\n".join(paragraphs)
    found = {"e:" + e for e in entities}
    found |= names(paragraphs) | headline_names(title)
    for match in AGE.finditer(text):
        age = next(g for g in match.groups() if g)
        if 0 < int(age) < 110:
            found.add("age:" + age)
    for pattern in (BLOCK, STREET):
        found |= {address(m.group(1), m.group(2), pattern is BLOCK) for m in pattern.finditer(text)}
    found |= {f"day:{d}" for d in days_spoken_of(text, published)}
    return frozenset(found)


def names(paragraphs: Iterable[str]) -> set[str]:
    """Capitalised words inside sentences (never the first word of one), lower-cased."""
    found = set()
    for paragraph in paragraphs:
        for sentence in SENTENCE_END.split(paragraph):
            found |= _inner_names(sentence)
    return found


def headline_names(title: str) -> set[str]:
    """Every capitalised word of the headline, its first one too, lower-cased. In a title-case
    headline most are not names ("Man Shot Near Store"), but those weigh little by their rarity in
    the store; the place or the person a headline names is what an article with a junk body (an
    archived page, a sign-up form, another story's text) still has of its event."""
    return _inner_names(title, first=True)


def _inner_names(sentence: str, first: bool = False) -> set[str]:
    stops = stopwords()
    found = set()
    for match in CAPITALISED.finditer(sentence):
        word = match.group(1).lower()
        if (first or match.start() > 0) and word not in NOT_NAMES and word not in stops:
            found.add("n:" + word)
    return found


def address(number: str, street: str, block: bool) -> str:
    """`addr:` + the block + the street's name: "the 3700 block of N. Fannin" and "3704 Fannin
    St." are both `addr:3700 fannin` (a street number stands for its hundred block)."""
    words = [w.strip(".,'’") for w in street.lower().split()]
    named = [w for w in words if w and w not in DIRECTIONS]
    name = next((w for w in named if w not in STREET_KINDS), named[0] if named else "")
    return f"addr:{int(number) if block else int(number) // 100 * 100} {name}"


def days_spoken_of(text: str, published: str | None) -> set[int]:
    """Day numbers of the weekdays (the latest such day on or before publication) and of the
    month-and-day dates (within the year before publication) the text names; none undated."""
    try:
        today = date.fromisoformat((published or "")[:10])
    except ValueError:
        return set()
    found = set()
    for match in WEEKDAY.finditer(text):
        back = (today.weekday() - WEEKDAYS.index(match.group(1).lower())) % 7
        found.add(today.toordinal() - back - EPOCH)
    for match in MONTH_DAY.finditer(text):
        month = MONTHS.index(match.group(1)[:3].lower()) + 1
        for year in (today.year, today.year - 1):
            try:
                day = date(year, month, int(match.group(2)))
            except ValueError:
                break
            if 0 <= (today - day).days <= 366:
                found.add(day.toordinal() - EPOCH)
                break
    return found
