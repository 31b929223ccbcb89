"""One person given two ages by two articles of a story: a disagreement, both ages marked; two
people of one article are never taken for one. The texts are written for the tests."""

from __future__ import annotations

import numpy as np

from storylens.compare.ages import DIFFERENT_AGES, age_pairs, ages_of
from storylens.compare.claims import Claim
from storylens.compare.disagreements import disagreements
from storylens.compare.facts import align


def claim(article: str, text: str) -> Claim:
    return Claim(article, article.split("-")[0], "2026-05-04", 0, text, frozenset(), frozenset())


def test_the_ages_a_claim_gives_one_person():
    assert ages_of(claim("A-1", "A 16-year-old boy died after the gun went off.")) == [("boy", 16)]
    assert ages_of(claim("A-1", "Jordan Pell, 17, of Quay Street, was shot.")) == [("jordan pell", 17)]
    assert ages_of(claim("A-1", "A 25-year-old man was arrested.")) == []  # a man may be anyone
    assert ages_of(claim("A-1", "Police charged a 16-year-old boy.")) == []  # one accused, not the one shot


def test_one_person_at_two_ages_is_a_disagreement_with_the_ages_marked():
    sixteen = claim("A-1", "A 16-year-old boy died after the gun went off at his home.")
    fifteen = claim("B-1", "Deputies say a 15-year-old boy handling a rifle died.")
    pell = claim("A-2", "Jordan Pell, 17, was shot in the leg.")
    pell_again = claim("B-2", "Jordan Pell, 17, is recovering.")
    claims = [sixteen, fifteen, pell, pell_again]
    assert age_pairs(claims) == [(0, 1, DIFFERENT_AGES)]  # Pell is 17 in both
    vectors = np.eye(2, dtype=np.float32)
    [entry] = disagreements(align(claims[:2], vectors), claims[:2], vectors, age_pairs(claims[:2]))
    assert [[c["text"][a:b] for a, b in c["marks"]] for c in entry["claims"]] == [["16"], ["15"]]
    # a father and a son share a surname, not a name
    father = claim("C-2", "Dana Pell, 47, said his son was a good kid.")
    assert age_pairs([pell, father]) == []
    # an article giving two boys' ages tells of two boys: neither is the other article's
    two_boys = claim("C-1", "A 12-year-old boy and a 14-year-old boy were hurt.")
    assert age_pairs([sixteen, two_boys]) == []
