"""The happening told at two times of day by two articles of a story ("started shooting about 11:30
p.m." / "It happened around 11 p.m."): a disagreement, both times marked. The texts are written
for the tests."""

from __future__ import annotations

import numpy as np
import pytest

from storylens.compare.claims import Claim
from storylens.compare.clock import DIFFERENT_HOURS, hour_pairs, minutes_of_day
from storylens.compare.disagreements import disagreements
from storylens.compare.facts import align


def claim(article: str, text: str) -> Claim:
    return Claim(article, article.split("-")[0], "2026-05-04", 0, text, frozenset(), frozenset())


@pytest.mark.parametrize(
    "text, minutes",
    [
        ("The gunman started shooting about 11:30 p.m. on Quay Street.", 23 * 60 + 30),
        ("It happened around 11 p.m. outside the Mill Lane bar.", 23 * 60),
        ("Shots were fired shortly after 2 a.m.", 2 * 60),
        ("The shooting happened at noon.", 12 * 60),
        # a time of something else, or a bound, is not the happening's
        ("Police were called at 11:40 p.m. after reports of shots fired.", None),
        ("He was pronounced dead at 3 a.m.", None),
        ("She found him shot in the car before 6:30 p.m.", None),
        ("The council met at 7 p.m.", None),  # no happening told
        ("The second incident happened at about 9:35 p.m.", None),  # one happening of several
        ("The shooting occurred at High Noon Gun Range.", None),  # a name
        ("Neighbours heard noises around 4 a.m. but did not hear shots.", None),
        ("A man was shot at about 8:20 p.m., though it is unclear if that is the same incident.", None),
    ],
)
def test_the_time_of_day_a_claim_gives_its_happening(text, minutes):
    assert minutes_of_day(claim("A-1", text)) == minutes


def test_two_times_of_the_happening_twenty_minutes_apart_disagree():
    late = claim("A-1", "The gunman started shooting about 11:30 p.m. on Quay Street.")
    early = claim("B-1", "It happened around 11 p.m. outside the Mill Lane bar.")
    close = claim("C-1", "The shooting happened at 11:35 p.m.")
    after_midnight = claim("D-1", "Shots were fired at 12:10 a.m.")
    assert hour_pairs([late, early, close, after_midnight]) == [
        (0, 1, DIFFERENT_HOURS),
        (0, 3, DIFFERENT_HOURS),  # 11:30 p.m. and 12:10 a.m.: 40 minutes, across midnight
        (1, 2, DIFFERENT_HOURS),
        (1, 3, DIFFERENT_HOURS),
        (2, 3, DIFFERENT_HOURS),
    ]  # 11:30 and 11:35 are one time told two ways
    # an article telling shootings at times far apart tells several: none of its times is weighed
    roundup = [
        claim("E-1", "A man was shot at 8 p.m. on Mill Lane."),
        claim("E-1", "Shots were fired at 11 p.m."),
    ]
    assert hour_pairs([late, *roundup]) == []
    # times hours apart are two happenings (another shooting of the night), not one told twice
    dawn = claim("F-1", "Shots were fired just before 4 a.m. on Quay Street.")
    assert hour_pairs([late, dawn]) == []
    vectors = np.eye(2, dtype=np.float32)
    [entry] = disagreements(align([late, early], vectors), [late, early], vectors, hour_pairs([late, early]))
    assert [[c["text"][a:b] for a, b in c["marks"]] for c in entry["claims"]] == [["11:30 p.m."], ["11 p.m."]]
