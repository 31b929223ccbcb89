"""Times of day two articles of a story give the happening differently ("started shooting about
11:30 p.m." / "It happened around 11 p.m."), listed among the story's disagreements with both times
marked. Only a time told of the happening itself counts: the one a shooting, shots or gunfire
happened, started or were fired at, not when someone called, responded, arrived or was found."""

from __future__ import annotations

import re

from storylens.compare.claims import Claim
from storylens.compare.polarity import polarity_words

DIFFERENT_HOURS = "different times of day"
# A clock time; "noon" and "midnight" in lower case only ("High Noon Gun Range" is a name).
CLOCK = re.compile(r"\b(\d{1,2})(?::(\d{2}))? ?([apAP])\.? ?[mM]\b\.?|\b(noon|midnight)\b")
# The happening itself, by the words telling it, and what tells a time of something else.
HAPPENING = re.compile(
    r"\b(?:shooting|shot|shots|gunfire|gunshots?|fired|opened fire|happened|occurred|took place)\b", re.I
)
OTHER_TIMES = re.compile(
    r"\b(?:call(?:s|ed)?|911|respond(?:s|ed|ing)?|dispatched|arriv(?:e|ed|ing)|found|pronounced|transported|"
    r"died|arrest(?:s|ed)?|booked|surrender(?:ed)?|released|news conference|press conference|vigil|"
    r"funeral|court|hearing|update[sd]?|e-?mail(?:ed)?|discover(?:s|ed)?|release[sd]?|declared|lifted)\b",
    re.I,
)
# One happening of several is named so: "the second incident happened at 9:35 p.m." is not the first's.
ONE_OF_SEVERAL = re.compile(
    r"\b(?:first|second|third|other|earlier|later|another|separate)\s+(?:shooting|incident|attack|stabbing)\b",
    re.I,
)
UNSURE = re.compile(r"\b(?:unclear|not clear|unknown|not known)\b", re.I)
APART = 20  # minutes: two times of one happening this far apart are told differently
# ...and times this far apart are two happenings (a roundup's other shooting), not one told twice: on
# gva-dev every pair judged real lay within an hour, and those 3 to 6 hours apart were other shootings.
FAR = 120
# A bound is no time: "before 6:30 p.m.", "after 10 p.m." ("shortly after 2 a.m." is one).
BOUND = re.compile(r"(?<!shortly )(?<!just )\b(?:before|after|by|until|till|as of)\s*$", re.I)
# What a reader looks for in each wording (disagreements.marks): the times.
MARKED = CLOCK.pattern


def minutes_of_day(claim: Claim) -> int | None:
    """The time of day a claim says its happening took place, in minutes after midnight ("about
    11:30 p.m." -> 1410), or None: no time, more than one, a bound ("before 6:30 p.m."), one
    happening of several ("the second incident"), or the claim tells a time of something else too
    (a call, a response, an arrival, a death, an arrest, an e-mail)."""
    text = claim.text
    if not HAPPENING.search(text) or OTHER_TIMES.search(text) or ONE_OF_SEVERAL.search(text):
        return None
    if polarity_words(text) or UNSURE.search(text):
        return None  # "they did not hear shots"; "though it's unclear if that is the incident"
    found = list(CLOCK.finditer(text))
    if any(BOUND.search(text[: m.start()]) for m in found):
        return None
    times = {_minutes(m) for m in found}
    return times.pop() if len(times) == 1 else None


def _minutes(found: re.Match) -> int:
    hour, minute, half, word = found.groups()
    if word:
        return 12 * 60 if word.lower() == "noon" else 0
    return (int(hour) % 12 + (12 if half.lower() == "p" else 0)) * 60 + int(minute or 0)


def hour_pairs(claims: list[Claim]) -> list[tuple[int, int, str]]:
    """The pairs (i < j) of claims of different articles telling their happening's time of day
    APART minutes or more apart and less than FAR (DIFFERENT_HOURS), as facts.disagreeing_pairs()
    gives its pairs; an article telling happenings at times APART minutes apart itself tells
    several (a city's night of shootings, one after another), and none of its times is weighed."""
    told = {i: m for i, c in enumerate(claims) if (m := minutes_of_day(c)) is not None}
    by_article: dict[str, list[int]] = {}
    for i, minutes in told.items():
        by_article.setdefault(claims[i].article_id, []).append(minutes)
    several = {a for a, times in by_article.items() if _spread(times) >= APART}
    told = {i: m for i, m in told.items() if claims[i].article_id not in several}
    return [
        (i, j, DIFFERENT_HOURS)
        for i in sorted(told)
        for j in sorted(told)
        if i < j and claims[i].article_id != claims[j].article_id and APART <= _apart(told[i], told[j]) < FAR
    ]


def other_moments(a: Claim, b: Claim) -> bool:
    """Whether both claims give times of day, of anything (a call, a response, the happening), and
    no time of one lies within APART minutes of one of the other: they tell different moments
    ("Police responded ... around 5:30 p.m." / "Just before 3 a.m., witnesses called police"), so
    neither restates the other, whatever their words share."""
    mine, theirs = ({_minutes(m) for m in CLOCK.finditer(c.text)} for c in (a, b))
    return bool(mine and theirs) and all(_apart(x, y) >= APART for x in mine for y in theirs)


def _spread(times: list[int]) -> int:
    """The most minutes between two of an article's times of day."""
    return max(_apart(x, y) for x in times for y in times)


def _apart(a: int, b: int) -> int:
    """Minutes between two times of day, across midnight too (11:50 p.m. and 12:10 a.m.: 20)."""
    gap = abs(a - b)
    return min(gap, 24 * 60 - gap)
