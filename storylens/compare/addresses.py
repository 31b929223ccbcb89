"""Addresses two articles of a story give differently: one house on one street, numbered otherwise
("at 1249 Bells Ferry Road" / "at Throneberry's 1240 Bell's Ferry Road home"), listed among the
story's disagreements with both numbers marked. Two numbers of one street in one block (the same
hundreds) are taken for one place told two ways; numbers blocks apart are other places of the
story (where the car was found, where the suspect lives), and a block ("the 1200 block of Quay
Street") names no house."""

from __future__ import annotations

import re

from storylens.compare.claims import Claim

DIFFERENT_ADDRESSES = "different addresses"
SUFFIXES = {
    "road": "road", "rd": "road", "street": "street", "st": "street", "avenue": "avenue", "ave": "avenue",
    "boulevard": "boulevard", "blvd": "boulevard", "drive": "drive", "dr": "drive", "lane": "lane",
    "ln": "lane", "court": "court", "ct": "court", "place": "place", "pl": "place", "way": "way",
    "parkway": "parkway", "pkwy": "parkway", "highway": "highway", "hwy": "highway", "terrace": "terrace",
    "circle": "circle", "trail": "trail",
}  # fmt: skip
# A house number and its street: up to three capitalised words and a street's kind ("Bell’s Ferry Road").
ADDRESS = re.compile(
    r"(?<![\w$.,-])(\d{2,5}) ((?:[NSEW]\.? )?(?:[A-Z][\w’'.-]* ){1,3}?"
    r"(?i:(" + "|".join(SUFFIXES) + r")))\b\.?"
)
BLOCK = re.compile(r"\bblock of\s*$", re.I)
# What a reader looks for in each wording (disagreements.marks): the house numbers.
MARKED = r"\b\d{2,5}(?= [NSEW]?\.? ?[A-Z])"


def addresses(claim: Claim) -> list[tuple[int, str]]:
    """The house numbers a claim gives and their streets, the street's name folded (case,
    apostrophes, periods, "Rd." for "Road"): "1240 Bell's Ferry Road" -> (1240, "bells ferry road").
    A block ("the 1200 block of ...") is none, nor is a number before words in lower case ("20
    people were shot on Quay Street")."""
    found = []
    for match in ADDRESS.finditer(claim.text):
        if BLOCK.search(claim.text[: match.start()]):
            continue
        words = re.sub(r"[’'.]", "", match.group(2)).lower().split()
        found.append((int(match.group(1)), " ".join([*words[:-1], SUFFIXES[words[-1]]])))
    return found


def address_pairs(claims: list[Claim]) -> list[tuple[int, int, str]]:
    """The pairs (i < j) of claims of different articles giving one street a different house number
    in one block (DIFFERENT_ADDRESSES), as facts.disagreeing_pairs() gives its pairs."""
    given = {i: addresses(c) for i, c in enumerate(claims)}
    given = {i: found for i, found in given.items() if found}
    return [
        (i, j, DIFFERENT_ADDRESSES)
        for i in sorted(given)
        for j in sorted(given)
        if i < j and claims[i].article_id != claims[j].article_id and _one_block_otherwise(given[i], given[j])
    ]


def _one_block_otherwise(mine: list[tuple[int, str]], theirs: list[tuple[int, str]]) -> bool:
    """Whether the claims number a street they share differently within one block, and never alike."""
    streets = {s for _, s in mine} & {s for _, s in theirs}
    return any(
        {n for n, s in mine if s == street}.isdisjoint(n for n, s in theirs if s == street)
        and any(a // 100 == b // 100 for a, s in mine if s == street for b, t in theirs if t == street)
        for street in streets
    )
