"""One house told at two numbers by two articles of a story ("1249 Bells Ferry Road" / "1240
Bell's Ferry Road"): a disagreement, both numbers marked. The texts are written for the tests."""

from __future__ import annotations

import numpy as np
import pytest

from storylens.compare.addresses import DIFFERENT_ADDRESSES, address_pairs, addresses
from storylens.compare.claims import Claim
from storylens.compare.disagreements import disagreements
from storylens.compare.facts import align


def claim(article: str, text: str) -> Claim:
    return Claim(article, article.split("-")[0], "2026-05-04", 0, text, frozenset(), frozenset())


@pytest.mark.parametrize(
    "text, found",
    [
        ("Police were called to 1249 Quay Ferry Road at 5 p.m.", [(1249, "quay ferry road")]),
        ("Tamm shot his friend at his 1240 Quay’s Ferry Rd. home.", [(1240, "quays ferry road")]),
        ("He was shot at 45 N. Mill St. on Friday.", [(45, "n mill street")]),
        ("The shooting happened in the 1200 block of Quay Ferry Road.", []),  # a block names no house
        ("20 people were shot on Quay Street.", []),  # a count
        ("The victim, 19, was found on Mill Lane.", []),
    ],
)
def test_the_house_numbers_a_claim_gives(text, found):
    assert addresses(claim("A-1", text)) == found


def test_one_house_at_two_numbers_is_a_disagreement_with_the_numbers_marked():
    here = claim("A-1", "Tamm and Pell were in a bedroom at 1249 Quays Ferry Road when the pistol went off.")
    there = claim("B-1", "Tamm shot his friend at his 1240 Quay’s Ferry Road home on June 2.")
    car = claim("B-2", "The car was found at 3400 Quays Ferry Road.")  # another block: another place
    same = claim("C-1", "The house at 1249 Quays Ferry Rd. was searched.")
    claims = [here, there, car, same]
    pairs = address_pairs(claims)
    assert pairs == [(0, 1, DIFFERENT_ADDRESSES), (1, 3, DIFFERENT_ADDRESSES)]
    vectors = np.eye(4, dtype=np.float32)
    entries = disagreements(align(claims, vectors), claims, vectors @ vectors.T, pairs)
    first = next(e for e in entries if {c["article_id"] for c in e["claims"]} == {"A-1", "B-1"})
    assert [[c["text"][a:b] for a, b in c["marks"]] for c in first["claims"]] == [["1249"], ["1240"]]
    assert not first["changed"]
