"""Disagreements: two outlets answering one question differently (a figure of one thing, the time
of one happening), and what is no disagreement (two things, each with its number; one figure
rounded or repeated). The texts are written for the tests and parsed by the analysis pipeline."""

from __future__ import annotations

import numpy as np
import pytest

from storylens.compare.claims import Claim, load_nlp_with_lemmas, numbers, predicates_of
from storylens.compare.counts import different_counts, measured
from storylens.compare.dates import date_phrases, periods_of
from storylens.compare.disagreements import differing, disagreements, marks
from storylens.compare.facts import (
    align,
    contradicting,
    disagreeing,
    disagreeing_pairs,
    disagreement,
    opposed,
)


def told(article: str, text: str, published: str | None = None, entities=()) -> Claim:
    """A claim as the analysis reads it: its numbers, predicates and times from the parse."""
    tokens = list(load_nlp_with_lemmas()(text))
    predicates, negated, hedged = predicates_of(tokens)
    return Claim(
        article, article.split("-")[0], published, 0, text, frozenset(entities), frozenset(numbers(tokens)),
        predicates=predicates, negated=negated, hedged=hedged,
        periods=periods_of(date_phrases(tokens), published),
    )  # fmt: skip


def two_facts(a: Claim, b: Claim, cosine: float):
    """align() over the two claims, their vectors `cosine` apart."""
    vectors = np.array([[1.0, 0.0], [cosine, (1 - cosine**2) ** 0.5]], dtype=np.float32)
    return align([a, b], vectors)


@pytest.mark.parametrize(
    "left, right",
    [
        ("Orvane Mining reported $139 million in income last year.", "Orvane's income rose to $141 million."),
        (
            "The 48-page indictment names both brothers.",
            "The brothers are charged, the 47-page indictment says.",
        ),
        (
            "The ferry carried 312 passengers when it ran aground.",
            "The ferry ran aground with 298 passengers.",
        ),
        # what the figure counts is named beyond a comma in one of them
        (
            "The council raided the harbour repair budget, to the tune of $4.2 million.",
            "The council will divert $4.4 million from harbour repair projects.",
        ),
    ],
)
def test_different_figures_of_one_thing_are_two_facts_that_disagree(left, right):
    a, b = told("A-1", left), told("B-1", right)
    assert contradicting(a, b) and disagreeing(a, b, 0.5)
    facts = two_facts(a, b, 0.7)
    assert len(facts) == 2 and facts[0].disagrees_with == [facts[1].id]


@pytest.mark.parametrize(
    "left, right",
    [
        # one figure, written alike or rounded
        ("Orvane Mining reported $139 million in income.", "Orvane's income was $139 million."),
        ("He bought a $43,350 gold watch.", "He bought a gold watch worth about $43,000."),
        ("The ferry carried 300 passengers.", "The ferry carried 298 passengers."),
        # two things, each with its number
        (
            "He spent $750,000 in campaign cash on personal items.",
            "He bought a $43,000 watch with campaign cash.",
        ),
        (
            "The couple repaid about $60,000 to the campaign.",
            "The couple misused more than $250,000 in campaign funds.",
        ),
        ("A 33-year-old man was shot on the porch.", "A 34-year-old man was shot on the porch."),
        ("The shots were fired at 890 Larch Avenue.", "The suspect hid in a yard at 840 Larch Avenue."),
        (
            "Police found him in the 3200 block of West Larch.",
            "The car was left in the 3400 block of West Larch.",
        ),
        # words beyond a comma in both: the attribution, not the thing counted
        (
            "A $5,590 spa retreat was paid for, the report said.",
            "His wife bought $5,150 of fur coats, court reports said.",
        ),
        # beyond a comma, the stretch that reaches another figure is that figure's
        ("Receipts show $8,000 at Pell Books, $2,390 at Moss Toys.", "He spent $2,310 at Pell Books."),
    ],
)
def test_one_figure_or_figures_of_different_things_are_no_disagreement(left, right):
    a, b = told("A-1", left), told("B-1", right)
    assert not contradicting(a, b)
    assert not disagreeing(a, b, 0.86)  # however close the claims
    assert not disagreeing(a, b, 0.6, aligned=0.9)  # or however well their words align
    assert not any(f.disagrees_with for f in two_facts(a, b, 0.86))


def test_the_same_statement_of_another_month_or_year_disagrees_on_when():
    published = "2026-03-02"
    mid_may = told("A-1", "The Tarrow primary will be held in mid May.", published, ["e_tarrow"])
    april = told("B-1", "The Tarrow primary will be held on April 30.", published, ["e_tarrow"])
    may_12 = told("C-1", "The Tarrow primary will be held on May 12.", published, ["e_tarrow"])
    assert contradicting(mid_may, april, cosine=0.9)
    assert not contradicting(mid_may, may_12, cosine=0.9)  # mid May may be May 12
    assert not contradicting(mid_may, april, cosine=0.6)  # saying something else
    # A month of no known year is any such month, whatever tense the verb is in.
    plans = told("A-3", "Voss plans to decide by June whether to run.", "2011-04-20", ["e_voss"])
    will = told("B-3", "Voss said he will decide by June whether to run.", "2011-04-20", ["e_voss"])
    assert not contradicting(plans, will, cosine=0.9)
    ends_2019 = told("A-2", "Judge Corran's term ends in January 2019.", "2016-05-01", ["e_corran"])
    ends_2018 = told("B-2", "Judge Corran's term ends in 2018.", "2016-05-01", ["e_corran"])
    assert contradicting(ends_2019, ends_2018, cosine=0.9)
    assert len(facts := two_facts(ends_2019, ends_2018, 0.9)) == 2 and facts[0].disagrees_with


def test_a_time_since_a_date_disagrees_only_with_another_beginning():
    published = "2020-06-03"
    since_2009 = told("A-1", "Mara Quill has led the Tarrow council since 2009.", published, ["e_quill"])
    since_2011 = told("B-1", "Mara Quill has led the Tarrow council since 2011.", published, ["e_quill"])
    in_2012 = told("C-1", "Mara Quill led the Tarrow council in 2012.", published, ["e_quill"])
    ever_since = told("D-1", "Mara Quill has led the Tarrow council ever since 2009.", published, ["e_quill"])
    assert contradicting(since_2009, since_2011, cosine=0.9)
    assert not contradicting(since_2009, in_2012, cosine=0.9)  # 2012 is within the term begun in 2009
    assert not contradicting(since_2009, ever_since, cosine=0.9)
    assert len(facts := two_facts(since_2009, since_2011, 0.9)) == 2 and facts[0].disagrees_with


def test_the_same_figure_of_one_thing_done_at_different_times_disagrees():
    published = "2018-08-22"
    then = told(
        "A-1", "His lawyers said in 2017 that the couple repaid the campaign about $60,000.", published
    )
    now = told("B-1", "He repaid his campaign more than $60,000 earlier this year.", published)
    same = told("C-1", "The couple repaid the campaign about $60,000 in 2017.", published)
    assert disagreeing(then, now, 0.55)  # the report's time stands for what it reports
    assert disagreeing(same, now, 0.55)
    assert not disagreeing(then, same, 0.55)
    other = told("D-1", "He spent $60,000 on travel earlier this year.", published)
    assert not disagreeing(then, other, 0.55)  # another deed with the same figure


@pytest.mark.parametrize(
    "text, published, periods",
    [
        ("The strike began on May 19, 2025.", "2025-05-22", ["begin|2025-05-19"]),
        ("The council voted in March 2024.", "2025-05-22", ["vote|2024-03"]),
        ("The council voted in December.", "2025-05-22", ["vote|--12"]),  # a month of no known year
        ("The council will vote in December.", "2025-05-22", ["vote|--12"]),
        ("The plant closed in 2019.", "2025-05-22", ["close|2019"]),
        ("The plant closed earlier this year.", "2025-05-22", ["close|2025"]),
        ("The plant closed last year.", "2025-05-22", ["close|2024"]),
        ("The plant closed this week.", "2025-05-22", []),  # vague: no period
        # "since", which the small model tags a conjunction: a beginning, kept apart
        ("The plant has been closed since 2019.", "2025-05-22", ["close since|2019"]),
        ("Since March 2024 the plant has made no steel.", "2025-05-22", ["make since|2024-03"]),
        ("The report since Monday was long.", "2025-05-22", []),  # on a noun: none
    ],
)
def test_claims_name_when_things_happened_as_finely_as_written(text, published, periods):
    assert sorted(periods_of(date_phrases(list(load_nlp_with_lemmas()(text))), published)) == periods


def claimed(article, text, predicates=(), negated=(), dates=()):
    """A claim with what it says happened, denied or dated, as the parse would read them."""
    return Claim(
        article, article.split("-")[0], None, 0, text, frozenset({"e_brenna"}), frozenset(),
        predicates=frozenset(predicates), negated=frozenset(negated), dates=frozenset(dates),
    )  # fmt: skip


def test_claims_whose_words_align_say_the_same_thing_and_may_disagree():
    # one statement worded alike (their words aligned at 0.72) while the cosine is only 0.6
    spent = claimed("A-1", "Brenna spent money that should have gone to the clinic.", ["spend"])
    denied = claimed(
        "B-1", "Brenna never spent money that should have gone to the clinic.", ["spend"], ["spend"]
    )
    assert disagreeing(spent, denied, 0.6, aligned=0.72)
    assert not disagreeing(spent, denied, 0.6, aligned=0.5)
    vectors = np.array([[1.0, 0.0], [0.6, 0.8]], dtype=np.float32)
    facts = align([spent, denied], vectors, aligned={(0, 1): 0.72})
    assert len(facts) == 2 and facts[0].disagrees_with == [facts[1].id]
    assert not any(f.disagrees_with for f in align([spent, denied], vectors, aligned={(0, 1): 0.5}))


def test_aligned_claims_of_different_days_disagree_on_when():
    monday = claimed("A-1", "Brenna opened the clinic on Monday.", ["open"], dates=["open|2026-03-02"])
    tuesday = claimed("B-1", "Brenna opened the clinic on Tuesday.", ["open"], dates=["open|2026-03-03"])
    assert contradicting(monday, tuesday, 0.6, aligned=0.72)
    assert not contradicting(monday, tuesday, 0.6)
    vectors = np.array([[1.0, 0.0], [0.6, 0.8]], dtype=np.float32)
    facts = align([monday, tuesday], vectors, aligned={(0, 1): 0.72})
    assert len(facts) == 2 and facts[0].disagrees_with == [facts[1].id]


def test_a_disagreement_inside_one_fact_is_listed_with_both_wordings():
    # one quotation, told with and without a "not": the same quotation keeps them one fact, and
    # only the story's list of disagreements shows that its reports differ
    said_so = Claim(
        "B-1", "Brook Herald", "2026-03-03", 0, '"We will pass the harbour bill this month," Brenna said.',
        frozenset({"e_brenna"}), frozenset(), quoted=("we will pass the harbour bill this month",),
        predicates=frozenset({"pass"}),
    )  # fmt: skip
    denied = Claim(
        "A-1", "Ashby Post", "2026-03-02", 0, '"We will not pass the harbour bill this month," Brenna said.',
        frozenset({"e_brenna"}), frozenset(), quoted=("we will not pass the harbour bill this month",),
        predicates=frozenset({"pass"}), negated=frozenset({"pass"}),
    )  # fmt: skip
    claims = [said_so, denied]
    vectors = np.array([[1.0, 0.0], [0.9, 0.436]], dtype=np.float32)
    [fact] = align(claims, vectors)
    assert not fact.disagrees_with  # no other fact to flag
    similarity = vectors @ vectors.T
    pairs = disagreeing_pairs(claims, similarity, {})
    [entry] = disagreements([fact], claims, similarity, pairs)
    assert entry["why"] == "opposite polarity or modality" and entry["fact_ids"] == [fact.id]
    assert [c["text"] for c in entry["claims"]] == [denied.text, said_so.text]  # the earlier first
    assert [c["outlet"] for c in entry["claims"]] == ["Ashby Post", "Brook Herald"]
    assert [[c["text"][a:b] for a, b in c["marks"]] for c in entry["claims"]] == [
        ["not"],
        [],
    ]  # where they differ
    assert not entry["changed"]
    # a summary telling one of them names the article that tells it otherwise
    assert differing(said_so, claims, pairs) == ["A-1"] and differing(denied, claims, pairs) == ["B-1"]


def test_two_facts_that_disagree_are_listed_once_and_a_later_figure_may_have_changed():
    fourteen = told("A-1", "The floods in Tamsin killed at least 14 people.", "2026-03-02", ["e_tamsin"])
    fourteen_too = told("A-2", "Floods killed at least 14 people in Tamsin.", "2026-03-02", ["e_tamsin"])
    nineteen = told("B-1", "The death toll in Tamsin rose to 19.", "2026-03-04", ["e_tamsin"])
    for claim, toll in ((fourteen, 14.0), (fourteen_too, 14.0), (nineteen, 19.0)):
        claim.measures["dead"] = frozenset({toll})
    claims = [fourteen, fourteen_too, nineteen]
    vectors = np.array([[1.0, 0.0], [0.95, 0.312], [0.6, 0.8]], dtype=np.float32)
    facts = align(claims, vectors)
    assert len(facts) == 2  # 14 twice, one fact; 19 another
    similarity = vectors @ vectors.T
    pairs = disagreeing_pairs(claims, similarity, {})
    [entry] = disagreements(facts, claims, similarity, pairs)  # the two facts once, not twice
    assert entry["why"] == "different counts" and sorted(entry["fact_ids"]) == sorted(f.id for f in facts)
    assert entry["claims"][1]["text"] == nineteen.text
    assert entry["claims"][0]["text"] == fourteen_too.text  # the closer of the two to it
    assert [[c["text"][a:b] for a, b in c["marks"]] for c in entry["claims"]] == [["14"], ["19"]]
    assert entry["changed"]  # told two days apart: the toll may have risen
    # counts are listed but mark no summary sentence (too often a part against its total)
    assert differing(fourteen, claims, pairs) == differing(nineteen, claims, pairs) == []
    nineteen.published = "2026-03-02"
    [entry] = disagreements(facts, claims, similarity, pairs)
    assert not entry["changed"]  # told the same day: the outlets disagree


def test_claims_that_agree_list_no_disagreement():
    a = told("A-1", "The ferry carried 312 passengers when it ran aground.")
    b = told("B-1", "The ferry ran aground with 312 passengers.")
    vectors = np.array([[1.0, 0.0], [0.9, 0.436]], dtype=np.float32)
    similarity = vectors @ vectors.T
    pairs = disagreeing_pairs([a, b], similarity, {})
    assert pairs == [] and disagreements(align([a, b], vectors), [a, b], similarity, pairs) == []
    assert differing(a, [a, b], pairs) == []


def test_a_summary_sentence_names_every_article_telling_its_claim_otherwise():
    first = told("A-1", "The 48-page indictment names both brothers.")
    again = told("A-2", "Both brothers are named in the 48-page indictment.")
    other = told("B-1", "The brothers are charged, the 47-page indictment says.")
    claims = [first, again, other]
    vectors = np.array([[1.0, 0.0], [0.95, 0.312], [0.7, 0.714]], dtype=np.float32)
    facts = align(claims, vectors)
    similarity = vectors @ vectors.T
    pairs = disagreeing_pairs(claims, similarity, {})
    [entry] = disagreements(facts, claims, similarity, pairs)  # listed once...
    assert len(facts) == 2 and [c["text"] for c in entry["claims"]] == [again.text, other.text]
    # ...with the other article telling it as the first claim does beside it, on that side
    assert [(c["article_id"], c["text"], c["side"]) for c in entry["also"]] == [("A-1", first.text, 0)]
    # each wording marks the figure at issue, not every number it gives
    assert [[c["text"][a:b] for a, b in c["marks"]] for c in entry["claims"]] == [["48-page"], ["47-page"]]
    assert [[c["text"][a:b] for a, b in c["marks"]] for c in entry["also"]] == [["48-page"]]
    # ...but each 48 disagrees with the 47, whichever of them a summary sentence tells
    assert differing(first, claims, pairs) == differing(again, claims, pairs) == ["B-1"]
    assert differing(other, claims, pairs) == ["A-1", "A-2"]


def test_one_negation_the_parse_hangs_on_different_verbs_is_no_disagreement():
    # both wordings say the guard did not drop his gun; the parse negates "drop" in one, "was" in the other
    told_to = Claim(
        "A-1", "Ashby Post", "2026-03-02", 0, "When the guard was told to drop his gun, he didn't and was shot.",
        frozenset(), frozenset(), predicates=frozenset({"drop", "shoot"}), negated=frozenset({"shoot"}),
    )  # fmt: skip
    did_not = Claim(
        "B-1", "Brook Herald", "2026-03-02", 0, "The guard was shot when he didn't drop the gun as he was told.",
        frozenset(), frozenset(), predicates=frozenset({"drop", "shoot"}), negated=frozenset({"drop"}),
    )  # fmt: skip
    assert disagreement(told_to, did_not, 0.9) is None
    # ...while one "not" only one wording has is one
    dropped = Claim(
        "C-1", "Cove Times", "2026-03-02", 0, "The guard was shot when he dropped the gun as he was told.",
        frozenset(), frozenset(), predicates=frozenset({"drop", "shoot"}),
    )  # fmt: skip
    assert disagreement(did_not, dropped, 0.9) == "opposite polarity or modality"


def test_each_wording_marks_what_the_other_tells_otherwise():
    then = told(
        "A-1", "His lawyers said in 2017 that the couple repaid the campaign about $60,000.", "2018-08-22"
    )
    now = told("B-1", "He repaid his campaign more than $60,000 earlier this year.", "2018-08-22")
    assert [then.text[a:b] for a, b in marks(then, now, "one figure at different times")] == ["2017"]
    assert [now.text[a:b] for a, b in marks(now, then, "one figure at different times")] == [
        "earlier this year"
    ]
    kelmar = told("A-2", "Kelmar shelled the depot at Ruskor on Monday.")
    valdria = told("B-2", "Valdria shelled the depot at Ruskor on Monday.")
    assert [kelmar.text[a:b] for a, b in marks(kelmar, valdria, "different actors")] == ["Kelmar"]
    may = told("A-3", "Brenna may resign before the vote.")
    will_not = told("B-3", "Brenna won't resign before the vote.")
    assert [may.text[a:b] for a, b in marks(may, will_not, "opposite polarity or modality")] == ["may"]
    assert [will_not.text[a:b] for a, b in marks(will_not, may, "opposite polarity or modality")] == ["won't"]
    curly = told("C-3", "Brenna won’t resign before the vote, she may stay.")
    assert [curly.text[a:b] for a, b in marks(curly, will_not, "opposite polarity or modality")] == ["may"]
    # counts: the numbers the claim counts, not a number of something else it gives
    rose = told("B-4", "The death toll from the floods rose to 19 after three days of rain.")
    rose.measures["dead"] = frozenset({19.0})
    early = told("A-4", "The floods killed at least 14 people.")
    early.measures["dead"] = frozenset({14.0})
    assert [rose.text[a:b] for a, b in marks(rose, early, "different counts")] == ["19"]


def counted(article: str, text: str) -> Claim:
    """A claim with what its numbers count (claims.measured), naming the story's town."""
    tokens = list(load_nlp_with_lemmas()(text))
    return Claim(
        article, article.split("-")[0], "2026-03-02", 0, text, frozenset({"e_tamsin"}),
        frozenset(numbers(tokens)), measures=measured(tokens),
    )  # fmt: skip


@pytest.mark.parametrize(
    "text, counts",
    [
        # an age and an hour are numbers of a date or a time: they count no one
        ("Edda Marrow, 37, and Jon Pell, 52, were found dead in the house on Quay Street.", {}),
        ("Jon Pell died at the hospital around 10 p.m. on Saturday.", {}),
        # conjoined counts count their total too, "a" counting one
        ("The blast left three women and two men dead.", {"dead": {5.0}}),
        ("Two men and a woman were arrested at the harbour.", {"arrested": {3.0}}),
        ("Police said the gunman killed a woman and her two sons.", {"dead": {3.0}}),
        # a running tally is a measure of its own
        ("Saturday's deaths bring the city's homicide total to 106.", {"dead tally": {106.0}}),
        ("At least 40 people have been killed in shootings this year.", {"dead tally": {40.0}}),
        # a count naming a place says so
        ("Four miners were killed in Tamsin on Monday.", {"dead in tamsin": {4.0}}),
        # a count on a conjoined noun is of what the first one's words count
        (
            "Police say two teenagers and eight adults were wounded at the fair.",
            {"injured": {2.0, 8.0, 10.0}},
        ),
        # persons named beyond a count add up
        (
            "Rangers said Brand killed two wardens, Ana Ruiz and Jon Pell, and Deputy Edda Marrow.",
            {"dead": {3.0}},
        ),
        # what was only tried, and the rest of a group told before, count none of the happening's
        ("The gunman pleaded not guilty to trying to kill two others.", {}),
        ("The other six men from the convoy were detained.", {}),
        ("One man was killed and the other two were wounded.", {"dead": {1.0}, "injured": {2.0}}),
        # a clause told days away tells another happening
        ("The strike came four months after a gunman killed nine people in Orvane.", {}),
        # how badly, and one happening of several, make measures of their own
        ("Two passengers were critically injured in the crash.", {"injured gravely": {2.0}}),
        (
            "One man died in the first shooting and three other people were injured.",
            {"dead part": {1.0}, "injured part": {3.0}},
        ),
    ],
)
def test_what_a_claims_numbers_count(text, counts):
    found = measured(list(load_nlp_with_lemmas()(text)))
    assert found.keys() == counts.keys()
    assert all(counts[m] <= found[m] for m in counts)


def test_a_count_is_of_its_own_clause():
    nlp = load_nlp_with_lemmas()
    found = measured(list(nlp("A shooting on Quay Street left one person dead and four others wounded.")))
    assert found == {"dead": {1.0}, "injured": {4.0}}  # the four were not killed, nor the one hurt
    found = measured(list(nlp("Two miners were killed and three others were hurt in the collapse.")))
    assert found == {"dead": {2.0}, "injured": {3.0}}


def test_counts_disagree_only_when_they_may_count_one_thing():
    three = counted("A-1", "Three miners were killed in the collapse at the Tamsin pit.")
    four = counted("B-1", "The collapse at the pit killed four miners.")
    assert different_counts(three, four) and contradicting(three, four)
    # another town's toll told in passing is another happening's
    elsewhere = counted("B-2", "Five miners were killed in Orvane in a similar collapse.")
    here = counted("A-2", "Three miners were killed in Tamsin.")
    assert not different_counts(here, elsewhere)
    assert different_counts(four, elsewhere)  # a count naming no place may be anywhere
    # a clause told days away tells another happening, wherever it was
    assert not different_counts(
        four, counted("B-5", "The collapse came a week after five miners were killed.")
    )
    # a count of one happening of several is a part of what they did together
    pair = counted("A-5", "One miner was killed and four others were hurt in a pair of blasts at the pit.")
    first = counted("B-6", "One miner died in the first blast and three others were hurt.")
    assert not different_counts(pair, first)
    # the gravely hurt are some of those hurt
    hurt = counted("A-6", "Nine miners were hurt in the collapse.")
    assert not different_counts(hurt, counted("B-7", "Two miners were critically injured in the collapse."))
    # a year's tally is not one collapse's toll; two tallies may disagree
    tally = counted("B-3", "Mining accidents have killed 40 people in the region this year.")
    other_tally = counted("A-3", "Mining accidents have killed 38 people in the region this year.")
    assert not different_counts(four, tally)
    assert different_counts(tally, other_tally)
    # conjoined counts agree with their total
    parts = counted("A-4", "Two miners and a rescuer were killed in the collapse.")
    total = counted("B-4", "The collapse killed three people.")
    assert not different_counts(parts, total)


def test_a_verb_completing_a_denied_be_is_denied_however_the_parse_hangs_the_not():
    nlp = load_nlp_with_lemmas()
    for text in (
        "Police believe the two men knew each other and the shooting was not gang related.",
        "Investigators believe the two knew each other and the incident is not gang related.",
    ):
        _, negated, _ = predicates_of(list(nlp(text)))
        assert "relate" in negated
    _, negated, _ = predicates_of(list(nlp("Police said the shooting was gang related.")))
    assert "relate" not in negated


@pytest.mark.parametrize(
    "text, verb, denied",
    [
        ("Police said they had no reason to arrest Orla Venn.", "arrest", True),
        ("The mayor has no intention of resigning.", "resign", True),
        ("The mayor has no plans to run for the seat again.", "run", True),
        ("The mayor has plans to run for the seat again.", "run", False),
    ],
)
def test_a_verb_completing_a_noun_no_determines_is_denied(text, verb, denied):
    _, negated, _ = predicates_of(list(load_nlp_with_lemmas()(text)))
    assert (verb in negated) == denied
    arrested = told("A-1", "Officers said Orla Venn was not arrested.")
    not_arrested = told("B-1", "Police said they had no reason to arrest Orla Venn.")
    assert not opposed(arrested, not_arrested)


def test_counts_marked_are_those_of_the_thing_counted_otherwise():
    # the arrests differ; the dead only one of them counts: each wording marks its arrests only
    two = counted("A-1", "Police arrested two men after the shooting at the harbour killed three people.")
    four = counted("B-1", "Four men were arrested after the shooting at the harbour.")
    assert different_counts(two, four)
    assert [two.text[a:b] for a, b in marks(two, four, "different counts")] == ["two"]
    assert [four.text[a:b] for a, b in marks(four, two, "different counts")] == ["Four"]


def test_one_sentence_quoted_whole_by_another_article_is_no_disagreement():
    # the two articles' entities for who acts may differ (resolved apart, or read inside quotation
    # marks in one): the same words are still one statement, told alike
    text = "The Kannapolis police mourn the loss of one of their own."
    own = Claim(
        "A-1", "A", None, 0, text, frozenset({"e_kpd", "e_kannapolis"}), frozenset(),
        actors=frozenset({"mourn|e_kpd"}), predicates=frozenset({"mourn"}),
    )  # fmt: skip
    quoted = Claim(
        "B-1", "B", None, 0, f'"{text}"', frozenset({"e_police", "e_kannapolis"}), frozenset(),
        actors=frozenset({"mourn|e_police"}), predicates=frozenset({"mourn"}),
    )  # fmt: skip
    other = Claim(
        "C-1", "C", None, 0, "The Concord police mourn the loss of one of their own.",
        frozenset({"e_concord_pd", "e_kannapolis"}), frozenset(),
        actors=frozenset({"mourn|e_concord_pd"}), predicates=frozenset({"mourn"}),
    )  # fmt: skip
    assert disagreement(own, other, 0.95) == "different actors"  # other words: two actors
    assert disagreement(own, quoted, 1.0) is None and disagreement(quoted, own, 1.0) is None


@pytest.mark.parametrize(
    "denied, stated",
    [
        # a denial that says when it did happen
        (
            (
                "The pilot said he did not see the reef until the hull struck it at dawn.",
                {"see", "strike"},
                {"see"},
                (),
            ),
            (
                "The pilot later said he saw the reef when the hull struck it at dawn.",
                {"see", "strike"},
                (),
                (),
            ),
        ),
        # a verb of failing denies what follows it, as "didn't" does
        (
            (
                "When the captain didn't appear in court, officers went to his boat with a warrant.",
                {"appear", "go"},
                {"appear"},
                (),
            ),
            (
                "Officers went to the boat with a warrant for the captain, for failing to appear in court.",
                {"appear", "go"},
                (),
                (),
            ),
        ),
        # a belief reported beside a possibility
        (
            (
                "The ferry possibly sank near the northern pier, the harbour police said.",
                {"sink"},
                (),
                (),
                {"sink"},
            ),
            ("The harbour police believe the ferry sank near the northern pier.", {"sink"}, (), ()),
        ),
    ],
)
def test_a_denial_or_hedge_that_is_only_seeming_is_no_disagreement(denied, stated):
    def claim(article, text, predicates, negated, lemmas, hedged=()):
        tokens = [(w, None) for w in lemmas]
        return Claim(
            article, article[0], "2026-03-02", 0, text, frozenset(), frozenset(), tokens,
            predicates=frozenset(predicates), negated=frozenset(negated), hedged=frozenset(hedged),
        )  # fmt: skip

    a, b = claim("A-1", *denied), claim("B-1", *stated)
    assert disagreement(a, b, 0.9) is None
    # the same claims with a plain denial or hedge do disagree
    plain = claim(
        "C-1",
        "The pilot did not see the reef when the hull struck it at dawn.",
        {"see", "strike"},
        {"see"},
        (),
    )
    saw = claim("D-1", "The pilot saw the reef when the hull struck it at dawn.", {"see", "strike"}, (), ())
    assert disagreement(plain, saw, 0.9) == "opposite polarity or modality"
    may = claim("E-1", "The ferry may have sunk near the northern pier.", {"sink"}, (), (), {"sink"})
    sank = claim("F-1", "The ferry sank near the northern pier, the police said.", {"sink"}, (), ())
    assert disagreement(may, sank, 0.9) == "opposite polarity or modality"
