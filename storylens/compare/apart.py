"""Claims that disagree whatever their words share, found by what each tells rather than by how
close two claims are: what later reports say changed (since.py: an arrest, a death), one house at
two numbers (addresses.py), the happening at two times of day (clock.py), one person at two ages
(ages.py). Each finder gives pairs (i < j, why) as facts.disagreeing_pairs() does, and the words a
reader looks for in each wording (MARKED, by why: disagreements.marks)."""

from __future__ import annotations

from storylens.compare import addresses, ages, clock, since
from storylens.compare.claims import Claim

FINDERS = (since.changes_since, addresses.address_pairs, clock.hour_pairs, ages.age_pairs)
MARKED = {
    **since.MARKED,
    addresses.DIFFERENT_ADDRESSES: addresses.MARKED,
    clock.DIFFERENT_HOURS: clock.MARKED,
    ages.DIFFERENT_AGES: ages.MARKED,
}


def told_apart(claims: list[Claim]) -> list[tuple[int, int, str]]:
    """The pairs of a story's claims that disagree whatever their words share (FINDERS)."""
    return [pair for find in FINDERS for pair in find(claims)]
