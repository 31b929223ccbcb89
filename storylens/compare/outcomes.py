"""What a reader of a crime story looks for first and a summary chosen by how widely facts are carried
may leave out: who was charged ("Samir Price, 19, was charged with the shooting death …"), and who
was hurt, killed or arrested, by name ("The victim … has been identified as 23-year-old Sean
Bialas."), and how the hurt are ("The boy was listed in stable condition."). Such a fact is often
told by one later report alone, so the summary adds it when none of its sentences tells one
(add_outcomes)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from storylens.compare.claims import Claim
from storylens.compare.facts import Fact
from storylens.compare.polarity import polarity_words
from storylens.compare.since import ASKED, arrest_told, death_told, earlier_year

# A person named as someone of the story: "identified the victim as Sean Bialas", "identified as
# 23-year-old Sean Bialas"; not "identified as a positive match".
IDENTIFIED = re.compile(r"\b(?:identified|named) (?:\w+ ){0,5}?as (?:\d{1,2}-year-old )?[A-Z][a-z]")
# A name with its age: "Dominique Garrett, 25, was killed", "42-year-old Osiel Benitez".
NAMED_AGE = re.compile(
    r"\b[A-Z][a-z’'-]+(?: [A-Z]\.)?(?: [A-Z][a-z’'-]+)+,? \d{1,2}[,;]"
    r"|\b\d{1,2}-year-old (?:[a-z]+ )?[A-Z][a-z’'-]+ [A-Z][a-z’'-]+"
)
# Another case the sentence tells of: "charged in connection with that case", "an earlier shooting".
OTHER_CASE = re.compile(
    r"\b(?:that|another|a separate|an unrelated|a similar|an earlier|a previous|the earlier) "
    r"(?:case|shooting|incident|killing|homicide)\b",
    re.I,
)
# A tally of other shootings: "At least five other children under age 10 have been shot in the city this
# year", "there have been 131 people wounded or killed by gunshots".
TALLY = re.compile(r"\b(?:this|last) year\b|\bso far (?:this|in)\b|\bthere have been\b", re.I)
EARLIER_DAYS = 3  # a happening dated this many days before the first report or more is another case
# A charge: "was charged with", "is being charged with murder and four counts of attempted murder",
# "faces charges", "was arrested on murder charges" (not "has decided on charges"), "indicted"; and
# what makes it none yet.
CHARGE = re.compile(
    r"\b(?:charged|indicted|indict|indictment)\b|\bfac(?:es|ed|ing) (?:\w+ ){0,4}?charges?\b"
    r"|\b(?:arrested|held|booked|jailed|detained)\b[^.]{0,40}?\bon (?:[\w-]+ ){0,3}?charges?\b",
    re.I,
)
NOT_YET = re.compile(
    r"\b(?:will|would|could|may|might|expected|expects?|hopes?|seeks?|seeking|plans?|warrants?|possible)\b",
    re.I,
)


def charge_told(claim: Claim, first_day: str | None) -> bool:
    """Whether a claim tells that someone was charged (CHARGE), in this case: not denied, hedged,
    asked or still to come ("will not be facing charges", "may face charges"), of no year before its
    article's ("was arrested in 2014 on charges …")."""
    text = claim.text
    if not CHARGE.search(text) or polarity_words(text) or ASKED.search(text) or NOT_YET.search(text):
        return False
    return not earlier_year(claim) and not _another_case(claim, first_day)


def identity_told(claim: Claim, people: frozenset[str], first_day: str | None) -> bool:
    """Whether a claim names a person of the story (`people`: the person entities) as the one
    identified ("identified the victim as …") or by name and age as hurt, killed, arrested or charged
    ("Leonard Moses, 26, was shot and killed …"), in this case."""
    if not claim.entities & people or _another_case(claim, first_day):
        return False
    if IDENTIFIED.search(claim.text):
        return True
    told = death_told(claim) in ("died", "alive", "safe") or arrest_told(claim) == "arrested"
    told = told or charge_told(claim, first_day)
    return told and NAMED_AGE.search(claim.text) is not None


def condition_told(claim: Claim, first_day: str | None) -> bool:
    """Whether a claim tells how someone hurt is, or that they died (since.death_told: "remained in
    critical condition", "is expected to survive", "non-life-threatening injuries", "was pronounced
    dead"), in this case."""
    if TALLY.search(claim.text):
        return False
    return death_told(claim) in ("alive", "safe", "died") and not _another_case(claim, first_day)


def _another_case(claim: Claim, first_day: str | None) -> bool:
    """Whether a claim tells of another case: it says so (OTHER_CASE), or what it tells happened
    on a day (or in a month) before the story's first report (`first_day`, less EARLIER_DAYS): "On
    Feb. 4, 18-year-old Joaquin Byrd Jr. … was fatally shot" in a story first told on March 30."""
    if OTHER_CASE.search(claim.text):
        return True
    if not first_day:
        return False
    bound = (date.fromisoformat(first_day) - timedelta(days=EARLIER_DAYS)).isoformat()
    for found in claim.periods | claim.dates:
        when = found.split("|", 1)[1]
        if (len(when) == 10 and when < bound) or (len(when) == 7 and when < bound[:7]):
            return True
    return False


def add_outcomes(
    chosen: list[Fact],
    said: list[Claim],
    facts: list[Fact],
    told_claim: Callable[[Fact], Claim],
    people: frozenset[str],
    new: Callable[[list[Fact]], list[Fact]],
    room: tuple[int, int, set[str]],
) -> None:
    """Add to a summary's facts (`chosen`, the claims it tells `said`) a charge, then a person named
    as hurt, killed or arrested, then how the hurt are (condition_told), each where none of its
    sentences tells one and a fact of the story that stands alone does (`facts`; `new`: those of them
    that tell nothing told already): one telling all three first, then the most carried, then the
    first told. `room`: (the most sentences, the number of leading facts to keep, the ids of facts
    added already to keep): when the summary is full, the fact added takes the place of the last
    other one, never one telling a charge or naming who was hurt."""
    limit, lead, keep = room
    dated = [c.published[:10] for f in facts for c in f.claims if c.published]
    first_day = min(dated) if dated else None
    tests = (
        lambda claim: charge_told(claim, first_day),
        lambda claim: identity_told(claim, people, first_day),
        lambda claim: condition_told(claim, first_day),
    )
    for tells in tests:
        if any(tells(claim) for claim in said):
            continue
        found = [f for f in new(facts) if tells(told_claim(f))]
        droppable = [  # not a sentence telling a charge or naming who was hurt
            k
            for k in range(lead, len(chosen))
            if chosen[k].id not in keep and not any(test(said[k]) for test in tests[:2])
        ]
        if not found or (len(chosen) >= limit and not droppable):
            continue
        every = {f.id for f in found if all(test(told_claim(f)) for test in tests)}
        fact = min(
            found,
            key=lambda f: (f.id not in every, -len(f.sources), f.first.published or "~", f.first.position),
        )
        if len(chosen) >= limit:
            del chosen[droppable[-1]], said[droppable[-1]]
        chosen.append(fact)
        said.append(told_claim(fact))
        keep.add(fact.id)
