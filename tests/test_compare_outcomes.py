"""A summary tells who was charged and who was hurt, by name, where one report alone tells it
(compare/outcomes.py), on short crime reports written for the test."""

from __future__ import annotations

import numpy as np

from storylens.compare.claims import Claim
from storylens.compare.facts import Fact
from storylens.compare.outcomes import charge_told, condition_told, identity_told
from storylens.compare.summary import summarize


def claim(text: str, entities: frozenset[str] = frozenset(), **fields) -> Claim:
    return Claim("c", "C", "2026-05-06", 0, text, entities, frozenset(), **fields)


def fact(
    fid: str, text: str, position: int, outlets=("A", "B"), published: str = "2026-05-04", **fields
) -> Fact:
    claims = [
        Claim(o.lower(), o, published, position, text, frozenset(), frozenset(), **fields) for o in outlets
    ]
    return Fact(fid, claims, text)


def sorts(tells, told: tuple[str, ...], not_told: tuple[str, ...]) -> None:
    """Every text of `told` a claim `tells` tells, none of `not_told`."""
    assert all(tells(claim(text)) for text in told), [t for t in told if not tells(claim(t))]
    assert not any(tells(claim(text)) for text in not_told), [t for t in not_told if tells(claim(t))]


def test_a_charge_is_told_only_when_it_was_brought_in_this_case():
    told = (
        "Rhys Tamm, 19, was charged with attempted murder on Wednesday.",
        "Tamm is being charged with murder and two counts of attempted murder.",
        "A Quenby man faces charges after the shooting on Quay Street.",
        "Tamm was arrested on murder charges late Tuesday.",
        "A grand jury voted to indict Tamm on Thursday.",
    )
    not_told = (
        "Police have not charged anyone with the shooting.",  # denied
        "The parents will not be facing charges.",
        "Prosecutors said charges may be filed later this week.",  # still to come
        "It is unclear whether the driver will be charged.",  # asked
        "Tamm was arrested in 2019 on drug charges.",  # a year before the article's
        '"The prosecutor has decided on charges," the chief said.',  # no charge told
        "Two men were charged in connection with that case.",  # another case
    )
    sorts(lambda c: charge_told(c, "2026-05-04"), told, not_told)


def test_a_person_is_identified_by_name_as_hurt_killed_or_arrested_in_this_case():
    people = frozenset({"e1"})
    named = {"entities": frozenset({"e1"})}
    first_day = "2026-05-04"
    assert identity_told(
        claim("The victim has been identified as 23-year-old Ola Brandt.", **named), people, first_day
    )
    assert identity_told(
        claim("Ola Brandt, 23, was shot and killed on Quay Street.", **named), people, first_day
    )
    assert identity_told(
        claim("Police arrested 42-year-old Rhys Tamm at his home.", **named), people, first_day
    )
    # a witness named with an age is no one the shooting hurt; no person of the story, no one named
    assert not identity_told(claim("Ola Brandt, 45, said she heard three shots.", **named), people, first_day)
    assert not identity_told(
        claim("The victim has been identified as 23-year-old Ola Brandt."), people, first_day
    )
    assert not identity_told(
        claim("Shell casings were identified as a match to those of the earlier shooting.", **named),
        people,
        first_day,
    )
    # a killing dated weeks before the story's first report is another case
    earlier = claim(
        "On April 2, 18-year-old Ola Brandt was fatally shot outside a cafe.",
        periods=frozenset({"shoot|2026-04-02"}),
        **named,
    )
    assert not identity_told(earlier, people, first_day)
    assert identity_told(
        claim(earlier.text, periods=frozenset({"shoot|2026-05-03"}), **named), people, first_day
    )


def summarized(facts: list[Fact]):
    vectors = {f.id: v for f, v in zip(facts, np.eye(len(facts)), strict=True)}
    lead = {f.id: 1.0 - i / 10 for i, f in enumerate(facts)}
    return [s.fact_id for s in summarize(facts, vectors, {}, lead, central_ids=[facts[0].id])]


def shooting() -> list[Fact]:
    """Three facts both first reports carry."""
    return [
        fact("shot", "A man was shot and wounded outside the Quenby ferry terminal on Monday night.", 0),
        fact(
            "hospital", "The man was taken to Harbour General Hospital in stable condition, police said.", 1
        ),
        fact("street", "Police closed Quay Street for two hours while officers searched the area.", 2),
    ]


def test_a_summary_adds_the_charge_one_later_report_alone_tells():
    charge = fact(
        "charge", "Rhys Tamm, 19, was charged with attempted murder on Wednesday.", 0, ("C",), "2026-05-06"
    )
    assert summarized(shooting() + [charge])[-1] == "charge"
    # nothing is added when only a charge to come is told, or when a sentence told already tells one
    maybe = fact("maybe", "Prosecutors said charges may be filed later this week.", 0, ("C",), "2026-05-06")
    assert "maybe" not in summarized(shooting() + [maybe])
    told = shooting()
    told[2] = fact("street", "Police said Rhys Tamm was charged with attempted murder on Tuesday.", 2)
    assert "charge" not in summarized(told + [charge])


def test_how_someone_hurt_is_told_and_a_tally_of_other_shootings_is_not():
    told = (
        "The man was taken to Harbour General Hospital in stable condition.",
        "All four victims are expected to survive.",
        "The boy remained in critical condition on Tuesday night.",
        "The guard was pronounced dead at the scene.",
    )
    not_told = (
        "At least five other children have been shot in the city this year, two fatally.",
        "Ola Brandt, 45, said she heard three shots.",
        "It is unclear whether the guard will survive.",
    )
    sorts(lambda c: condition_told(c, "2026-05-04"), told, not_told)


def test_a_summary_adds_how_the_hurt_are_and_keeps_a_charge_it_tells():
    told = [
        fact("shot", "A man was shot outside the Quenby ferry terminal on Monday night.", 0),
        fact("street", "Police closed Quay Street for two hours while officers searched the area.", 1),
        fact("casings", "Officers found four shell casings near the corner of Quay Street and Mill Lane.", 2),
    ]
    stable = fact("stable", "The man was listed in stable condition at Harbour General Hospital.", 3, ("C",))
    assert summarized(told + [stable])[-1] == "stable"
    # a full summary gives its last plain sentence for it, never the one telling a charge
    more = [
        fact(f"f{k}", f"Neighbours on Mill Lane said they heard {k} loud bangs shortly after 11 p.m.", 3 + k)
        for k in range(2)
    ]
    charge = fact("charge", "Rhys Tamm, 19, was charged with attempted murder on Wednesday.", 5)
    chosen = summarized(told + more + [charge, stable])
    assert len(chosen) == 6 and "stable" in chosen and "charge" in chosen
