"""The day a summary sentence's weekday stands for, named in brackets: "was shot Saturday [Dec. 31]
near East 20th Street". The summary is read beside reports of several days, often weeks later; a
weekday alone says which day only to a reader of its own article, on the day it came out.

A weekday is the day the claim's parse resolved it to (dates.days_named: the last one on or before
the article's publication day, as news writes of what happened, or the first on or after it where
the verb looks ahead, "will appear in court Monday", "is scheduled for Monday"); where the parse
hung it on no verb, the same rule over the sentence's words ("scheduled", "will", "next" before it
look ahead; "next Monday" on a Monday is a week on). None is named inside a
quotation (a speaker's words stay theirs), where the sentence writes the date already ("Saturday,
Dec. 31"), where the claim resolves that weekday to two days, where its article is undated, or where
the day would be six days before the article's (FARTHEST)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from storylens.clean.dates import MONTHS
from storylens.compare.claims import Claim
from storylens.compare.dates import WEEKDAYS, publication_day
from storylens.compare.summary import SummarySentence, claim_told, in_quotation

# A weekday, with the part of the day written after it ("Wednesday morning [Jan. 20]") and its
# possessive ("Saturday’s [Sept. 24] fatal shooting", not "Saturday [Sept. 24]’s").
NAMED = re.compile(
    rf"\b(?P<day>{'|'.join(w.capitalize() for w in WEEKDAYS)})\b(?: (?:morning|afternoon|evening|night)\b)?"
    r"(?:['’]s\b)?"
)
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
WRITTEN_ALREADY = re.compile(
    rf"^\W{{0,3}}(?:(?:{_MONTH})\.?\s+\d{{1,2}}\b|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTH})\b)", re.I
)
AHEAD = re.compile(
    r"\b(?:will|won['’]t|['’]ll|shall|scheduled|expected|set (?:to|for)|(?:is|are) planned|due|plans?"
    r"|next)\b",
    re.I,
)
# A weekday named "in advance of" or "ahead of" another day of its sentence comes after that day: "a
# letter released Tuesday … in advance of Mr. Vale's visit there on Thursday" is the Thursday after that
# Tuesday ("before" is no such word: "shot a little before 8 a.m. Tuesday", "police said Sunday …
# before killing himself Friday").
AFTER_THE_OTHER = re.compile(r"\b(?:in advance of|ahead of)\b", re.I)
WORD = re.compile(r"[\w’']+")
LOOKED_AHEAD = 40  # characters before the weekday read for AHEAD
# Days back a weekday is named at most: six days before its article's stored day it was far more often the
# day after (a page updated after its stored day, a hearing still to come): 13 of 16 read blind (session 47).
FARTHEST = 5
NEXT = re.compile(r"\bnext\s+$", re.I)  # "next Monday": right before the weekday
# The Associated Press's month abbreviations, the short months spelled out.
SHORT = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
# What with_days() adds: " [Dec. 31]", " [May 2, 2025]" after a weekday (and the part of the day).
NAMED_DAY = re.compile(
    rf"(?<=day|ing|oon|ght|[ytgn]['’]s) \[(?:{'|'.join(map(re.escape, SHORT))}) \d{{1,2}}(?:, \d{{4}})?\]"
)


def name_days(summary: list[SummarySentence], facts: list) -> None:
    """Name the day each weekday of the summary's sentences stands for (with_days), by the claim
    each sentence tells."""
    for sentence in summary:
        claim = claim_told(sentence, facts)
        if claim is not None:
            sentence.text = with_days(sentence.text, claim)


def dated_item(text: str, fact) -> str:
    """A list item's text (a fact shown, one outlet's own, an omission) with each weekday's day
    named (with_days), by the claim of its fact that shares the most of its words: an item may show
    a whole sentence of two claims, or name who speaks."""
    words = set(WORD.findall(text.lower()))
    claim = max(fact.claims, key=lambda c: (len(words & set(WORD.findall(c.text.lower()))), -c.position))
    return with_days(text, claim)


def dated_items(
    items: dict[str, list[str]], evidence: dict[str, list[dict]], facts: list
) -> tuple[dict[str, list[str]], dict[str, list[dict]]]:
    """A list by outlet (outlet_only, outlet_omits) and its evidence, each text dated (dated_item)."""
    by_id = {f.id: f for f in facts}
    dated = {}
    for source, entries in evidence.items():
        for entry in entries:
            if (fact := by_id.get(entry["fact_id"])) is not None:
                dated[source, entry["text"]] = entry["text"] = dated_item(entry["text"], fact)
    return {source: [dated.get((source, t), t) for t in texts] for source, texts in items.items()}, evidence


def with_days(text: str, claim: Claim) -> str:
    """`text` (the claim's words, as the summary tells them) with each weekday's day in brackets."""
    base = publication_day(claim.published)
    if base is None:
        return text
    resolved: dict[int, set[date]] = {}
    for entry in claim.dates:
        day = publication_day(entry.partition("|")[2])
        if day is not None:
            resolved.setdefault(day.weekday(), set()).add(day)
    found, last, other = [], 0, None
    for match in NAMED.finditer(text):
        before = text[: match.start()]
        if in_quotation(before) or WRITTEN_ALREADY.match(text[match.end() :]):
            continue
        weekday = WEEKDAYS.index(match.group("day").lower())
        days = resolved.get(weekday, set())
        if len(days) > 1:
            continue
        ahead = bool(AHEAD.search(before[-LOOKED_AHEAD:]))
        day = next(iter(days)) if days else _day(base, weekday, ahead, bool(NEXT.search(before)))
        if other is not None and day < other and AFTER_THE_OTHER.search(text[last : match.start()]):
            day = other + timedelta(days=(weekday - other.weekday()) % 7)
        if (base - day).days > FARTHEST:
            continue
        other = day
        found.append(f"{text[last : match.end()]} [{written(day, base)}]")
        last = match.end()
    return "".join(found) + text[last:]


def without_days(text: str) -> str:
    """A summary sentence as its claim writes it: the days with_days() named taken out."""
    return NAMED_DAY.sub("", text)


def _day(base: date, weekday: int, ahead: bool, after_next: bool) -> date:
    """The weekday's day: the last on or before `base`, or, looking `ahead`, the first on or after
    it ("scheduled for Monday" on a Monday is that day; "next Monday", `after_next`, a week on)."""
    if ahead:
        return base + timedelta(days=(weekday - base.weekday()) % 7 or (7 if after_next else 0))
    return base - timedelta(days=(base.weekday() - weekday) % 7)


def written(day: date, base: date) -> str:
    """A day as news writes it ("Dec. 31"), with its year where that is not the article's."""
    told = f"{SHORT[day.month - 1]} {day.day}"
    return told if day.year == base.year else f"{told}, {day.year}"
