"""Ages two articles of a story give one person differently ("A 16-year-old boy died ..." / "a
15-year-old boy handling a firearm died ..."; "Jordan Pell, 17," / "Jordan Pell, 16,"), listed among
the story's disagreements with both ages marked. One person is a name written with an age, or a
child named only as one who was shot (a boy, a girl, a teenager, a toddler); each article must
give that person one age, so that two people of one article (a man of 25 shot, a man of 30
arrested) are never taken for one."""

from __future__ import annotations

import re
from collections import defaultdict

from storylens.compare.claims import Claim

DIFFERENT_AGES = "different ages"
CHILD = re.compile(r"\b(\d{1,2})[- ]years?[- ]old (boy|girl|teen|teenager|toddler|child)\b", re.I)
# A child is one person only as the one shot, in both articles: not one accused ("charged a 16-year-old
# boy"), nor one only named.
SHOT = re.compile(r"\b(?:died|dies|dead|killed|slain|shot|wounded|injured|hurt)\b", re.I)
ACCUSED = re.compile(r"\b(?:charged|arrested|suspect(?:ed)?|accused|tried|custody)\b", re.I)
NAMED = re.compile(r"\b([A-Z][a-z’'-]+ [A-Z][a-z’'-]+), (\d{1,2}),")
# What a reader looks for in each wording (disagreements.marks): the ages.
MARKED = r"\b\d{1,2}(?=[- ]years?[- ]old\b|,)"


def ages_of(claim: Claim) -> list[tuple[str, int]]:
    """(who, age) for each age a claim gives one person: "boy" for "a 16-year-old boy" shot (in a
    claim accusing no one), the name for "Jordan Pell, 17," (given name and surname: a father and a
    son share the one)."""
    shot = SHOT.search(claim.text) and not ACCUSED.search(claim.text)
    children = [
        (kind.lower().replace("teenager", "teen"), int(n)) for n, kind in CHILD.findall(claim.text) if shot
    ]
    named = [(name.lower(), int(age)) for name, age in NAMED.findall(claim.text)]
    return children + named


def age_pairs(claims: list[Claim]) -> list[tuple[int, int, str]]:
    """The pairs (i < j) of claims of different articles giving one person different ages, each
    article giving that person one age only (DIFFERENT_AGES), the first such claim of each, as
    facts.disagreeing_pairs() gives its pairs."""
    ages: dict[tuple[str, str], set[int]] = defaultdict(set)  # (article, who) -> ages
    first: dict[tuple[str, str], int] = {}  # (article, who) -> its first claim giving one
    for i, claim in enumerate(claims):
        for who, age in ages_of(claim):
            ages[claim.article_id, who].add(age)
            first.setdefault((claim.article_id, who), i)
    found = set()
    for (article, who), told in ages.items():
        for (other, someone), said in ages.items():
            if article < other and who == someone and len(told) == len(said) == 1 and told != said:
                i, j = first[article, who], first[other, who]
                found.add((min(i, j), max(i, j), DIFFERENT_AGES))
    return sorted(found)
