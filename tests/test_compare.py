"""Comparing coverage: facts across outlets, what one outlet alone carries or leaves out,
framing, a cited summary and the timeline, on the sample's stories (TRUTH.md) and the seeds."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import numpy as np
import pytest
from conftest import SAMPLE, SHARED

from storylens import ingest, open_store
from storylens.compare import Comparison
from storylens.compare.carried import (
    NEAR,
    ONLY_NEAR,
    RARE_COVERED,
    SAME_CYCLE,
    Nearest,
    outlet_omits,
    outlet_only,
    reprinted,
)
from storylens.compare.claims import Claim
from storylens.compare.facts import (
    Fact,
    align,
    contradicting,
    disagreeing,
    opposed,
    relation,
    same_arguments,
    shared_arguments,
)
from storylens.compare.framing import distinctive
from storylens.compare.introduce import introduce_names, introductions
from storylens.compare.summary import SummarySentence, claim_told, standalone


def story_with(export: dict, title_words: str) -> dict:
    [story] = [
        s
        for s in export["stories"]
        if title_words in s["title"]
        or any(title_words in a["title"] for a in export["articles"] if a["id"] in s["article_ids"])
    ]
    return story


def texts(items) -> str:
    return " ".join(items)


@pytest.fixture(scope="module")
def pact(sample_export):
    return story_with(sample_export["export"], "air defence pact in Ruskor")


def test_the_facts_most_outlets_carry_come_first_with_their_articles(pact, sample_export):
    articles = {a["id"]: a for a in sample_export["export"]["articles"]}
    facts = pact["facts"]
    counts = [len(f["outlets"]) for f in facts]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 5
    top = " ".join(f["text"] for f in facts[:5])
    assert "signed" in top and "Darvish" in top and "Tarsan" in top
    for fact in facts:
        assert fact["outlets"] == sorted({articles[a]["outlet"] for a in fact["article_ids"]})


def test_what_one_outlet_alone_carries(pact):
    only = pact["outlet_only"]
    assert "Mirela Kost" in texts(only["The Meridian Post"])  # the analyst (A2)
    assert "jailed" in texts(only["Eastbrook Gazette"])  # critics on jailed opponents (A3)
    assert "Malouf" in texts(only["Ruskor Sentinel"])  # the meeting with the president (A7)
    assert "Haverkamp" in texts(only["Osterlund Observer"])  # the envoy summoned (A6)
    # A5's own telling of the signing, in loaded words, is near the others' (cosine >= NEAR): not
    # called its alone, though the alignment leaves it apart; its own remark of Darvish's is.
    assert "hostile powers" not in texts(only["Valdria Today"])
    assert "brothers in Kelmar" in texts(only["Valdria Today"])


def test_a_strike_story_shows_the_outlet_that_never_mentions_pay(sample_export):
    strike = story_with(sample_export["export"], "Port Ellis dockworkers strike over pay")
    omitted = texts(strike["outlet_omits"]["Valdria Today"])
    assert "wages" in omitted or "pay" in omitted


def test_every_summary_sentence_cites_the_articles_that_carry_its_fact(sample_export):
    from storylens.link.reuse import reprints_among

    export = sample_export["export"]
    outlet_of = {a["id"]: a["outlet"] or a["id"] for a in export["articles"]}
    for story in export["stories"]:
        if len(story["article_ids"]) < 2:
            continue
        inside = set(story["article_ids"])
        reprinted = reprints_among([p for p in export["reuse"] if {p["a"], p["b"]} <= inside])
        facts = {f["id"]: f for f in story["facts"]}
        assert 3 <= len(story["summary"]) <= 7
        for sentence in story["summary"]:
            fact = facts[sentence["fact_id"]]
            # the fact's articles, and any other that restates it (test_a_restatement_is_cited_too)
            assert set(fact["article_ids"]) <= set(sentence["article_ids"]) <= set(story["article_ids"])
            assert set(fact["outlets"]) <= set(sentence["outlets"])
            # one outlet, or one outlet's words reprinted by the others (link.reuse)
            cited = set(sentence["article_ids"])
            own = {outlet_of[reprinted[a] if reprinted.get(a) in cited else a] for a in cited}
            assert sentence["single_source"] == (len(own) < 2)
        shared = [s for s in story["summary"] if not s["single_source"]]
        assert len(shared) >= min(3, sum(1 for f in story["facts"] if len(f["outlets"]) >= 2))


def test_the_summary_prefers_a_plain_wording_to_an_outlets_loaded_one(sample_export):
    export = sample_export["export"]
    loaded = {term for terms in export["outlet_framing"].values() for term in terms}
    for story in export["stories"]:
        for sentence in story["summary"]:
            words = {w.strip('.,"“”').lower() for w in sentence["text"].split()}
            assert not (words & {"terrorists", "agitators", "saboteurs"}), sentence["text"]
    assert loaded


def test_outlet_framing_across_the_corpus_finds_loaded_vocabulary(sample_export):
    framing = sample_export["export"]["outlet_framing"]
    assert "regime" in framing["Eastbrook Gazette"]
    assert "terrorist" in framing["Valdria Today"]
    assert "regime" not in framing.get("Harbor Wire", [])


def test_the_timeline_puts_each_shared_fact_under_its_first_reporter(pact, sample_export):
    published = {a["id"]: a["published"] for a in sample_export["export"]["articles"]}
    for entry in pact["timeline"]:
        first = published[entry["first"]["article_id"]]
        assert all(published[f["article_id"]] >= first for f in entry["followed_by"])


def claim(article, outlet, text, numbers=(), entities=()):
    return Claim(article, outlet, None, 0, text, frozenset(entities), frozenset(numbers))


def test_outlet_only_and_omits_follow_the_majority_rule():
    def fact(fid, *outlets):
        claims = [claim(f"{o}-1", o, fid) for o in outlets]
        return Fact(fid, claims, fid)

    facts = [
        fact("everyone", "A", "B", "C", "D"),
        fact("most", "A", "B", "C"),
        fact("two", "A", "B"),
        fact("solo", "D"),
    ]
    sources = ["A", "B", "C", "D"]
    claims = [c for f in facts for c in f.claims]
    apart = Nearest(claims, np.eye(len(claims), dtype=np.float32))  # no claim near another
    assert outlet_only(facts, sources, apart)[0] == {"D": ["solo"]}
    # Half of four outlets is two: "two" counts as most, so C and D omit it.
    omits, evidence = outlet_omits(facts, sources, apart)
    assert omits == {"D": ["most", "two"], "C": ["two"]}
    assert [e["text"] for e in evidence["D"]] == ["most", "two"] and evidence["D"][0]["score"] < NEAR


def test_an_outlet_with_a_claim_near_a_fact_neither_omits_it_nor_shares_it_with_none():
    facts = [
        Fact("two", [claim("A-1", "A", "the toll rose"), claim("B-1", "B", "the toll rose")], "the toll rose")
    ]
    facts.append(
        Fact("solo", [claim("C-1", "C", "nineteen died in the floods")], "nineteen died in the floods")
    )
    claims = [c for f in facts for c in f.claims]
    vectors = np.array([[1, 0], [1, 0], [0.8, 0.6]], dtype=np.float32)  # C's claim: cosine 0.8 to the fact
    near = Nearest(claims, vectors)
    assert outlet_omits(facts, ["A", "B", "C"], near) == ({}, {})
    assert outlet_only(facts, ["A", "B", "C"], near) == ({}, {})


def test_an_outlet_omits_a_fact_only_if_it_wrote_within_two_days_after_an_article_telling_it():
    def dated(article: str, published: str | None, text: str) -> Claim:
        return Claim(article, article[0], published, 0, text, frozenset(), frozenset())

    told = [dated("A-1", "2016-08-03", "the bond was set at two million")]
    told += [dated(f"{o}-1", "2016-08-04T10:00", "bond") for o in "BGHI"]  # five of ten outlets: most
    own = [
        dated("C-1", "2016-07-31", "a shooting on the avenue"),  # out before the bond was told
        dated("D-1", "2016-08-03T23:00", "the suspect was arrested"),  # the day it was first told
        dated("E-1", "2016-07-31", "a shooting"),
        dated("E-2", "2016-08-06", "a funeral"),  # a later article of the outlet could tell it
        dated("F-1", None, "an undated report"),  # when it came out is not known
        dated("L-1", "2016-08-20", "an arrest notice two weeks on"),  # another news cycle
    ]
    facts = [Fact("bond", told, told[0].text), *(Fact(c.text, [c], c.text) for c in own)]
    claims = told + own
    apart = Nearest(claims, np.eye(len(claims), dtype=np.float32))
    omits = outlet_omits(facts, list("ABCDEFGHIL"), apart)[0]
    assert SAME_CYCLE == timedelta(days=2)
    assert omits == {
        "D": [told[0].text],
        "E": [told[0].text],
        "F": [told[0].text],
    }  # with no rule: C and L too


def test_a_sister_stations_reprint_is_no_second_outlet_behind_an_omission():
    from storylens.link.reuse import reprints_among

    def of(article: str, text: str) -> Claim:
        return Claim(article, article[0], "2026-05-04", 0, text, frozenset(), frozenset())

    told = [
        of("A-1", "The boy was playing with a rifle, deputies said."),
        of("B-1", "The boy was playing with a rifle."),
    ]
    own = [of("C-1", "A boy was shot in Troy.")]
    facts = [Fact("rifle", told, told[0].text), Fact("troy", own, own[0].text)]
    claims = told + own
    apart = Nearest(claims, np.eye(len(claims), dtype=np.float32))
    assert outlet_omits(facts, list("ABC"), apart)[0] == {"C": [told[0].text]}  # two of three carry it
    pair = {"a": "A-1", "b": "B-1", "copier": None, "source": None}
    same = reprints_among([pair | {"shared_fraction_a": 1.0, "shared_fraction_b": 0.97}])
    assert same == {"B-1": "A-1"}  # one text twice, direction unknown: the second by id reprints the first
    assert outlet_omits(facts, list("ABC"), apart, same)[0] == {}  # one report, not a majority
    # the facts list says so: B carries the rifle only by reprinting A
    assert Comparison(facts=facts, reprints=same).reprinted(facts[0]) == ["B-1"]
    assert Comparison(facts=facts).reprinted(facts[0]) == [] and reprinted(facts[1], same) == []
    # a copy taking a paragraph is no reprint; a directed copy of most of its text is
    assert reprints_among([pair | {"shared_fraction_a": 0.3, "shared_fraction_b": 0.2}]) == {}
    taken = pair | {"copier": "B-1", "source": "A-1", "shared_fraction_a": 0.4, "shared_fraction_b": 0.9}
    assert reprints_among([taken]) == {"B-1": "A-1"}


def test_a_dated_outlet_omits_no_fact_that_only_undated_articles_tell():
    def dated(article: str, published: str | None, text: str) -> Claim:
        return Claim(article, article[0], published, 0, text, frozenset(), frozenset())

    # the Pentagon's answer, quoted "on Friday" by two undated pages
    told = [dated(f"{o}-1", None, "the mission remains the same, a spokeswoman said on Friday") for o in "AB"]
    own = [
        dated("C-1", "2020-07-08", "the two armies signed a pact on Wednesday"),  # dated: before or after?
        dated("D-1", None, "the pact was signed"),  # undated like the fact's reports
    ]
    facts = [Fact("answer", told, told[0].text), *(Fact(c.text, [c], c.text) for c in own)]
    claims = told + own
    apart = Nearest(claims, np.eye(len(claims), dtype=np.float32))
    assert outlet_omits(facts, list("ABCD"), apart)[0] == {"D": [told[0].text]}  # before: C too
    told[1] = dated("B-1", "2020-07-10", told[1].text)  # one report dated two days on: C could tell it
    facts[0] = Fact("answer", told, told[0].text)
    assert outlet_omits(facts, list("ABCD"), Nearest(told + own, np.eye(4, dtype=np.float32)))[0] == {
        "C": [told[0].text],
        "D": [told[0].text],
    }


def test_framing_scores_a_term_one_outlet_repeats_and_others_never_use():
    from collections import Counter

    counts = {
        "A": Counter({"regime": 8, "talks": 30, "border": 40, "river": 30}),
        "B": Counter({"government": 8, "talks": 30, "border": 40, "river": 30}),
        "C": Counter({"government": 6, "talks": 32, "border": 40, "river": 30}),
    }
    found = distinctive(counts)
    assert [t for t, _ in found["A"]] == ["regime"]
    assert "talks" not in [t for t, _ in found["B"]]


def test_framing_z_scores_are_fightin_words_with_the_pooled_prior():
    """Monroe, Colaresi and Quinn's weighted log-odds, written out for one term: the z-score
    distinctive() gives "government" for B, against A and C, with the pooled counts as prior."""
    import math
    from collections import Counter

    from storylens.compare.framing import PRIOR_SHARE

    counts = {
        "A": Counter({"regime": 8, "talks": 30, "border": 40}),
        "B": Counter({"government": 20, "talks": 10, "border": 40}),
        "C": Counter({"government": 2, "talks": 32, "border": 40}),
    }
    size = sum(sum(c.values()) for c in counts.values())
    a, a0 = PRIOR_SHARE * 22, PRIOR_SHARE * size
    y_i, n_i, y_j, n_j = 20, 70, 2, size - 70
    delta = math.log((y_i + a) / (n_i + a0 - y_i - a)) - math.log((y_j + a) / (n_j + a0 - y_j - a))
    z = delta / math.sqrt(1 / (y_i + a) + 1 / (y_j + a))
    assert dict(distinctive(counts)["B"])["government"] == round(z, 2)


def test_a_story_frames_by_loaded_words_one_outlet_alone_uses():
    from collections import Counter

    from storylens.compare.framing import loaded_terms

    counts = {  # lemmatised 1- and 2-grams, as compare_story counts them
        "A": Counter({"tirade": 1, "senator": 3, "thursday": 2, "angry tirade": 1, "angry": 1, "attack": 1}),
        "B": Counter({"speech": 1, "senator": 2, "thursday": 1, "attack": 2, "grand jury": 1, "grand": 1}),
    }
    found = {group: [t for t, _ in terms] for group, terms in loaded_terms(counts).items()}
    assert found["A"] == ["angry tirade"]  # "attack" is B's word too; topic words are not loaded
    assert found["B"] == []  # "grand" of "grand jury": a word news uses in a neutral sense


def test_a_story_frames_by_the_negative_words_an_outlet_uses_as_adjectives_or_adverbs():
    from collections import Counter

    from storylens.compare.framing import loaded_terms

    counts = {
        "A": Counter({"heartless": 1, "heartless policy": 1, "policy": 2, "kill": 1, "grateful": 1}),
        "B": Counter({"policy": 1, "praise": 1, "friend": 1, "mayor": 2}),
    }
    as_modifiers = {"A": {"heartless", "grateful"}, "B": set()}  # "kill", "praise", "friend": not modifiers
    found = {g: [t for t, _ in terms] for g, terms in loaded_terms(counts, modifiers=as_modifiers).items()}
    assert found == {"A": ["heartless policy"], "B": []}  # "grateful": a positive word, a feeling
    assert "kill" in [t for t, _ in loaded_terms(counts)["A"]]  # without the rule, the verb was shown


def test_crime_reportings_plain_words_are_no_outlets_loaded_wording_but_the_summary_still_weighs_them():
    from collections import Counter

    from storylens.compare.framing import loaded_terms

    counts = {
        "A": Counter({"fatally": 1, "fatally shoot": 1, "criminal": 1, "criminal record": 1, "heartless": 1}),
        "B": Counter({"shoot": 2, "record": 1, "police": 2}),
    }
    as_modifiers = {"A": {"fatally", "criminal", "heartless"}, "B": set()}
    shown = [t for t, _ in loaded_terms(counts, modifiers=as_modifiers)["A"]]
    assert shown == ["heartless"]  # "fatally shot", "criminal record": how crime news tells it
    weighed = [t for t, _ in loaded_terms(counts, modifiers=as_modifiers, reporting=False)["A"]]
    assert set(weighed) == {"heartless", "fatally shoot", "criminal record"}  # the summary's bar, as before


def test_claims_keep_the_words_they_use_as_adjectives_and_adverbs():
    from storylens.compare.claims import claims_of
    from storylens.model import Article

    article = Article(
        "a", "a.txt", "A", "T", None, None, "en", None, ["The mayor defended a truly heartless policy."]
    )
    (claim,) = claims_of([article], {})
    assert {"heartless", "truly"} <= claim.modifiers and "policy" not in claim.modifiers


def test_a_break_before_a_lower_case_word_is_no_sentence_end():
    from storylens.compare.claims import claims_of
    from storylens.model import Article

    paragraph = (
        "Nearly 90 harbour pilots have called Senator Ilse Marn (R-Wisc.) to task for her vote on "
        "the dredging budget, which they say puts crews at risk."
    )
    article = Article("a", "a.txt", "A", "T", None, None, "en", None, [paragraph])
    assert [c.text for c in claims_of([article], {})] == [paragraph]  # without it: "... (R-Wisc.)"


def test_a_paragraph_with_no_full_stop_is_a_sentence_of_its_own():
    from storylens.compare.claims import claims_of
    from storylens.model import Article

    paragraphs = [
        "Port Ellis pilots say the new tugboat rules, which the board backs, would cost them dearly on "
        "winter nights on the harbour",
        "As the dispute over the rules went on Tuesday and threatened to become the focus of the race, "
        "the board said it would hear the pilots.",
    ]
    article = Article("a", "a.txt", "A", "T", None, None, "en", None, paragraphs)
    texts = [c.text for c in claims_of([article], {})]
    assert texts == paragraphs  # without the rule, the two were one sentence


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared/seeds is not here")
def test_the_seeds_2020_story_shows_shared_facts_an_outlets_own_account_and_a_cited_summary(tmp_path):
    from storylens.export import export

    with open_store(tmp_path / "seeds.db") as store:
        ingest([SHARED / "seeds"], store)
        document = export(store)
    [story] = [s for s in document["stories"] if len(s["article_ids"]) == 4]
    assert any(len(f["article_ids"]) >= 2 for f in story["facts"])
    assert "Caesar" in json.dumps(story["outlet_only"])  # one outlet's account of the Caesar Act sanctions
    assert story["summary"] and all(len(s["article_ids"]) >= 1 for s in story["summary"])
    cited = {a for s in story["summary"] for a in s["article_ids"]}
    assert len(cited) >= 2


def test_a_sample_story_compares_the_same_way_twice(sample_export, tmp_path):
    import shutil

    copy = tmp_path / "sample"
    shutil.copytree(SAMPLE, copy)
    from storylens.export import export
    from storylens.ingest.manifest import read_manifest

    with open_store(tmp_path / "again.db") as store:
        ingest([copy / "corpus"], store, manifest=read_manifest(copy / "manifest.csv"))
        again = export(store)
    first = {s["id"]: [f["id"] for f in s["facts"]] for s in sample_export["export"]["stories"]}
    assert {s["id"]: [f["id"] for f in s["facts"]] for s in again["stories"]} == first


def test_the_same_referent_named_differently_by_outlet_is_surfaced(pact):
    labels = {entry["entity"]: entry["labels"] for entry in pact["labels"]}
    front = labels["Black Banner Front"]
    assert front["terrorist"] == ["Valdria Today"] and front["rebel"] == ["Eastbrook Gazette"]
    assert front["insurgent"] == ["Ruskor Sentinel"] and "Harbor Wire" in front["group"]
    assert any(
        words.get("regime") == ["Eastbrook Gazette"] and "government" in words for words in labels.values()
    )


def test_a_death_toll_that_changed_is_flagged_as_a_disagreement(sample_export):
    export = sample_export["export"]
    floods = story_with(export, "Tamsin")
    facts = {f["id"]: f for f in floods["facts"]}
    pairs = {(a["text"], facts[b]["text"]) for a in floods["facts"] for b in a["disagrees_with"]}
    assert any("14" in a and "19" in b for a, b in pairs)  # 14 dead on the 14th, 19 by the 15th
    others = [f for s in export["stories"] if s["id"] != floods["id"] for f in s["facts"]]
    assert not any(f["disagrees_with"] for f in others)  # no other story has one
    # the story lists it with both wordings side by side, the earlier first, and says the toll was
    # told on different days, so that it may be one figure that changed
    told = [[c["text"] for c in d["claims"]] for d in floods["disagreements"] if d["changed"]]
    assert any("14" in first and "19" in then for first, then in told)
    assert all(d["why"] == "different counts" for d in floods["disagreements"])
    assert not any(s["disagreements"] for s in export["stories"] if s["id"] != floods["id"])
    # a count marks no summary sentence as told otherwise (too often a part against its total)
    assert not any(s["differs"] for story in export["stories"] for s in story["summary"])


def test_claims_disagree_only_on_the_same_measure_of_a_shared_entity():
    def measured(entities, **measures):
        c = claim("a", "A", "x", entities=entities)
        c.measures = {k: frozenset(v) for k, v in measures.items()}
        return c

    dead14, dead19 = measured({"e_tamsin"}, dead=[14.0]), measured({"e_tamsin"}, dead=[19.0])
    assert contradicting(dead14, dead19)
    assert not contradicting(dead14, measured({"e_tamsin"}, dead=[14.0, 3.0]))
    assert not contradicting(dead14, measured({"e_tamsin"}, evacuated=[3000.0]))
    assert not contradicting(dead14, measured({"e_elsewhere"}, dead=[19.0]))


@pytest.mark.parametrize(
    "text, published, days",
    [
        ("The strike began on Monday at the port.", "2025-05-21", ["begin|2025-05-19"]),  # the Monday before
        ("The strike began on May 19, 2025 at the port.", "2025-05-22", ["begin|2025-05-19"]),
        ("Talks will resume on Friday.", "2025-05-21", ["resume|2025-05-23"]),  # what will happen: ahead
        ("The council met on 3 March.", "2025-01-10", ["meet|2024-03-03"]),  # a month still to come
        ("In recent years the port grew, and last week it shrank.", "2025-05-21", []),  # vague: no day
        ("The strike began on Tuesday.", None, []),  # an undated article's weekday names no day
        ("Thursday's report said the strike had ended.", "2025-05-23", []),  # hangs on a noun
        # What will happen is said of the running, not of the announcing: Tuesday is the one before.
        ("Arlen Voss announced on Tuesday he will run for president.", "2025-05-21", ["announce|2025-05-20"]),
        ("The union disputed the report Thursday.", "2025-05-23", []),  # right after a noun: whose day?
        # Still to come at the writing: "should", a present "is scheduled", an infinitive a present verb
        # governs; on the article's own weekday, that very day, unless "next"
        ("The vote should take place on Monday.", "2025-05-23", ["take|2025-05-26"]),
        ("An inquest is scheduled for Friday.", "2025-05-21", ["schedule|2025-05-23"]),
        ("Both men are to be arraigned on Wednesday.", "2025-05-21", ["arraign|2025-05-21"]),
        ("Talks will resume next Wednesday.", "2025-05-21", ["resume|2025-05-28"]),
        ("The inquest was scheduled for Friday.", "2025-05-21", ["schedule|2025-05-16"]),  # past: before
        ("The mayor said he should have acted on Monday.", "2025-05-21", ["act|2025-05-19"]),
        # "won't", and an auxiliary of the words the verb completes: the Monday to come
        ("Talks won't resume until Monday.", "2025-05-22", ["resume|2025-05-26"]),
        ("They’ll resume talks on Monday.", "2025-05-22", ["resume|2025-05-26"]),
        ("He won't be able to return until Monday.", "2025-05-22", ["return|2025-05-26"]),
        ("The mayor will try to reopen the bridge on Monday.", "2025-05-22", ["reopen|2025-05-26"]),
        ("He wanted to return on Monday.", "2025-05-22", ["return|2025-05-19"]),
    ],
)
def test_claims_name_the_days_they_speak_of(text, published, days):
    from storylens.compare.claims import load_nlp_with_lemmas
    from storylens.compare.dates import days_named

    assert sorted(days_named(list(load_nlp_with_lemmas()(text)), published)) == days


def test_the_same_statement_of_different_days_is_a_disagreement():
    def dated(entities, *days):
        c = claim("a", "A", "x", entities=entities)
        c.dates = frozenset(days)
        return c

    monday = dated({"e_port"}, "begin|2025-05-19")
    assert contradicting(monday, dated({"e_port"}, "begin|2025-05-20"), cosine=0.9)
    a_day_shared = dated({"e_port"}, "begin|2025-05-19", "begin|2025-05-20")
    assert not contradicting(monday, a_day_shared, cosine=0.9)
    assert not contradicting(monday, dated({"e_port"}, "end|2025-05-20"), cosine=0.9)  # another happening
    assert not contradicting(
        monday, dated({"e_port"}, "begin|2025-05-20"), cosine=0.6
    )  # saying something else
    assert not contradicting(monday, dated({"e_elsewhere"}, "begin|2025-05-20"), cosine=0.9)
    assert not contradicting(monday, dated({"e_port"}), cosine=0.9)  # no day named


@pytest.mark.parametrize(
    "text, actors",
    [
        ("Kelmar shelled the fuel depot near Ruskor on Monday.", ["shell|kelmar"]),
        ("The fuel depot near Ruskor was shelled by Valdria on Monday.", ["shell|valdria"]),  # passive
        ("Valdria said Kelmar shelled the fuel depot.", ["shell|kelmar"]),  # who said it is not who did it
        ("Valdrian jets bombed the depot.", []),  # a nationality is not an actor
        ("President Arlen Voss signed the pact in Ruskor.", ["sign|arlen voss"]),
        ("Valdria's army chief signed the pact in Ruskor.", []),  # the owner did not sign it
        ("The pact was signed by Kelmar's defence minister on Monday.", []),
        ("Osterland Senator Ilse Brandt, the Kelmar-born lawmaker, resigned.", ["resign|ilse brandt"]),
    ],
)
def test_claims_name_who_did_what(text, actors):
    from storylens.compare.actors import actors_named
    from storylens.compare.claims import load_nlp_with_lemmas

    doc = load_nlp_with_lemmas()(text)
    named = [(e.start_char, e.end_char, e.text.lower()) for e in doc.ents]
    kinds = {e.text.lower(): e.label_ for e in doc.ents}
    assert sorted(actors_named(list(doc), named, kinds)) == actors


def test_a_role_noun_resolved_to_someone_is_not_an_actor_but_a_name_is():
    from storylens.compare.actors import actors_named
    from storylens.compare.claims import load_nlp_with_lemmas

    nlp = load_nlp_with_lemmas()
    for text, actors in (
        ("The president signed the pact in Ruskor.", []),  # outlets may resolve "the president" apart
        ("President Voss signed the pact in Ruskor.", ["sign|e_voss"]),
    ):
        subject = text.index(" signed")
        assert sorted(actors_named(list(nlp(text)), [(0, subject, "e_voss")], {"e_voss": "PERSON"})) == actors


def test_the_same_statement_by_different_actors_is_a_disagreement():
    def done(entities, *actors):
        c = claim("a", "A", "x", entities=entities)
        c.actors = frozenset(actors)
        return c

    kelmar = done({"e_depot", "e_kelmar"}, "shell|e_kelmar")
    assert contradicting(kelmar, done({"e_depot", "e_valdria"}, "shell|e_valdria"), cosine=0.9)
    # Valdria only reports it: Kelmar is named in the other claim, so they do not disagree.
    assert not contradicting(
        kelmar, done({"e_depot", "e_valdria", "e_kelmar"}, "shell|e_valdria"), cosine=0.9
    )
    assert not contradicting(
        kelmar, done({"e_depot", "e_valdria"}, "bomb|e_valdria"), cosine=0.9
    )  # another deed
    assert not contradicting(
        kelmar, done({"e_depot", "e_valdria"}, "shell|e_valdria"), cosine=0.6
    )  # another statement
    assert not contradicting(kelmar, done({"e_depot"}), cosine=0.9)  # nobody named


def test_what_most_outlets_carry_leads_with_what_happened_not_a_call_for_tips(tmp_path):
    from storylens.pipeline import compare_articles

    tips = "Anyone with information is asked to call Quenby police at 555-0100."
    shot = "A man was shot in the leg on Quay Street in Tamsin on Sunday night, police said."
    reports = {
        "Ashby Post": f"{shot} {tips}",
        "Brook Herald": f"Police said a man was shot in the leg on Quay Street in Tamsin late Sunday. {tips}",
        "Crier": f"The Tamsin harbour festival opens on Friday with a parade along the quay. {tips}",
    }
    feed = tmp_path / "quay.jsonl"
    rows = [
        {"title": "Quay Street", "text": text, "published": "2026-05-04", "outlet": outlet}
        for outlet, text in reports.items()
    ]
    feed.write_text("".join(json.dumps(row) + "\n" for row in rows))
    with open_store(tmp_path / "s.db") as store:
        ingest([feed], store)
        comparison = compare_articles(store, sorted(store.article_urls()))
    shared = [(f.text, len(f.sources)) for f in comparison.facts if len(f.sources) >= 2]
    # the call for tips three outlets carry comes after the shooting two of them tell
    assert [n for _, n in shared] == [2, 3] and shared[-1][0] == tips


def test_a_comparison_is_kept_in_the_store_until_its_story_or_the_analysis_changes(tmp_path):
    from storylens.compare import comparison_key, counts_from_json, to_json
    from storylens.ingest.manifest import read_manifest
    from storylens.pipeline import compare, compare_articles, compare_stories

    with open_store(tmp_path / "s.db") as store:
        manifest = read_manifest(SAMPLE / "manifest.csv")
        ingest([SAMPLE / "corpus" / "harborwire", SAMPLE / "corpus" / "northgate"], store, manifest=manifest)
        story = next(r for r in store.story_rows() if len(r["article_ids"]) >= 2)
        first = compare(store, story["id"])
        assert len(store.stored_comparisons()) == 1
        assert to_json(compare(store, story["id"])) == to_json(first)  # the same, from the store
        # What the outlet figures add up of it, as the store cuts it out of the kept JSON.
        [(members, version, cut)] = store.comparison_counts().values()
        assert (members, version) == store.stored_comparisons()[story["id"]][:2]
        counted = counts_from_json(cut)
        assert counted.term_counts == first.term_counts and counted.outlet_omits == first.outlet_omits
        assert counted.term_counts and not counted.facts
        compare_stories(store)
        ingest([SAMPLE / "corpus" / "eastbrook"], store, manifest=manifest)
        grown = next(r for r in store.story_rows() if r["id"] == story["id"])
        assert len(grown["article_ids"]) > len(story["article_ids"])
        assert store.cached_comparison(story["id"], *comparison_key(grown)) is None  # other members
        assert len(compare(store, story["id"]).facts[0].claims) >= len(first.facts[0].claims)
        # What the ingest left kept is what comparing the story again gives, and some was kept.
        kept = [
            (row, store.cached_comparison(row["id"], *comparison_key(row)))
            for row in store.story_rows()
            if len(row["article_ids"]) >= 2 and row["id"] != story["id"]
        ]
        assert any(json_ for _, json_ in kept)
        for row, json_ in kept:
            if json_:
                assert json_ == to_json(compare_articles(store, row["article_ids"]))


def test_compare_makes_every_storys_comparison_ready_and_redoes_only_the_stale_ones(tmp_path, cli):
    db = tmp_path / "s.db"
    manifest = SAMPLE / "manifest.csv"
    corpus = SAMPLE / "corpus"
    cli("ingest", corpus / "harborwire", corpus / "northgate", "--manifest", manifest, "--db", db)

    def compared_stories() -> int:
        with open_store(db) as store:
            return sum(1 for r in store.story_rows() if len(r["article_ids"]) >= 2)

    before = compared_stories()
    assert before >= 2
    assert f"{before} stories compared, 0 already up to date." in cli("compare", "--db", db).stdout
    with open_store(db) as store:
        assert len(store.stored_comparisons()) == before
    assert f"0 stories compared, {before} already up to date." in cli("compare", "--db", db).stdout
    cli("ingest", corpus / "eastbrook", "--manifest", manifest, "--db", db)  # stories grow
    computed, fresh = map(int, re.findall(r"\d+", cli("compare", "--db", db).stdout))
    assert computed >= 1 and computed + fresh == compared_stories()


def test_stories_are_compared_on_one_blas_thread(tmp_path, monkeypatch):
    """A story's matrices are small: a second BLAS thread would only spin (threadpoolctl)."""
    from threadpoolctl import threadpool_info

    from storylens import pipeline
    from storylens.ingest.manifest import read_manifest

    if not [lib for lib in threadpool_info() if lib["user_api"] == "blas"]:
        pytest.skip("numpy here loads no BLAS library threadpoolctl knows")
    threads: list[int] = []
    real = pipeline.compare

    def compare(store, story_id):
        threads.extend(lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas")
        return real(store, story_id)

    monkeypatch.setattr(pipeline, "compare", compare)
    corpus = SAMPLE / "corpus"
    with open_store(tmp_path / "s.db") as store:
        ingest(
            [corpus / "harborwire", corpus / "northgate"],
            store,
            manifest=read_manifest(SAMPLE / "manifest.csv"),
        )
        computed, _ = pipeline.compare_stories(store)
    assert computed >= 2 and threads and set(threads) == {1}


# -- alignment by what is said ----------------------------------------------------------------


def said(article, text, entities=(), predicates=(), negated=(), hedged=(), quoted=(), words=""):
    """A claim as the parse gives it; `words`: its lemmas (names left out), when a rule reads them."""
    return Claim(
        article, article.split("-")[0], None, 0, text, frozenset(entities), frozenset(), quoted=tuple(quoted),
        predicates=frozenset(predicates), negated=frozenset(negated), hedged=frozenset(hedged),
        tokens=[(w, None) for w in words.split()],
    )  # fmt: skip


def test_a_shared_person_alone_never_makes_one_fact():
    postpone = said("A-1", "Schumer and Warren called for a postponement", ["e_schumer"], ["call"])
    verdict = said("B-1", "Schumer said Gorsuch did not win anybody over", ["e_schumer"], ["win"], ["win"])
    assert relation(postpone, verdict, 0.62) is None
    facts = align([postpone, verdict], np.array([[1, 0], [0.62, 0.785]], dtype=np.float32))
    assert len(facts) == 2


def test_the_same_quotation_is_one_fact_whatever_the_cosine():
    words = "i will no longer speak to the press ever again after today"
    a = said("A-1", f'"{words}," he said.', quoted=[words])
    b = said("B-1", f'LePage, in a radio interview: "{words}."', ["e_lepage"], quoted=[words])
    assert relation(a, b, 0.3) == "same quotation"
    [fact] = align([a, b], np.array([[1, 0], [0.3, 0.954]], dtype=np.float32))
    assert fact.links == [{"a": "A-1", "b": "B-1", "why": "same quotation"}]


def test_a_quotation_lies_between_an_opening_and_a_closing_mark():
    from storylens.compare.claims import quotations_in

    text = "On the \u201cHub,\u201d she urged the council to \u201cput the record straight at once.\u201d"
    assert quotations_in(text) == ("put the record straight at once",)  # not "she urged the council to"
    assert quotations_in('Ostrand was quick to reply: "Not one figure he gave is right.') == (
        "not one figure he gave is right",
    )  # a quotation the claim's end leaves open


def test_one_quotation_shares_its_words_in_order_not_only_common_words():
    ferry = "the ferry sails into northern waters"
    scattered = "because northern towns fear the ferry will sail into their waters"
    a = said("A-1", f'"{ferry}," the port said.', quoted=[ferry])
    b = said("B-1", f'"{scattered}," Mayor Ilse Brandt said.', quoted=[scattered])
    assert relation(a, b, 0.3) is None  # most of a's words are in b's, not in a's order
    trimmed = said("C-1", '"sails into northern waters," it said.', quoted=["sails into northern waters"])
    assert relation(a, trimmed, 0.3) == "same quotation"
    edited = "we grieve for general halvorsen"
    again = "we grieve deeply for gen halvorsen"  # a word added, a title shortened: no three in a row
    d = said("D-1", f'"{edited}," Brandt said.', quoted=[edited])
    e = said("E-1", f'"{again}," she told reporters.', quoted=[again])
    assert relation(d, e, 0.3) == "same quotation"


def test_what_a_claim_asks_or_cites_is_not_what_it_states():
    from storylens.compare.claims import load_nlp_with_lemmas, predicates_of

    nlp = load_nlp_with_lemmas()
    predicates, _, _ = predicates_of(list(nlp("The network declined to say whether the account was hacked.")))
    assert "hack" not in predicates and "decline" in predicates
    predicates, _, _ = predicates_of(
        list(nlp("The harbour closed at noon, according to the port authority."))
    )
    assert "accord" not in predicates and "close" in predicates
    predicates, negated, _ = predicates_of(list(nlp("Kelmar is not going to pay for the new bridge.")))
    assert "pay" in predicates and "pay" in negated


def test_an_adverb_of_mere_possibility_hedges_as_a_modal_does():
    from storylens.compare.claims import load_nlp_with_lemmas, predicates_of

    nlp = load_nlp_with_lemmas()
    _, _, possibly = predicates_of(list(nlp("The fire possibly started in the harbour warehouse.")))
    _, _, may = predicates_of(list(nlp("The fire may have started in the harbour warehouse.")))
    _, _, stated = predicates_of(list(nlp("The fire started in the harbour warehouse.")))
    assert "start" in possibly and "start" in may and "start" not in stated
    _, _, probably = predicates_of(list(nlp("Brenna will probably resign on Friday.")))
    assert "resign" in probably
    # two hedges of one statement do not oppose each other; a hedge and a plain statement do
    hedged = [
        said(k, text, ["e_fire"], ["start"], hedged=["start"])
        for k, text in (("A-1", "The fire possibly started"), ("B-1", "The fire may have started"))
    ]
    plain = said("C-1", "The fire started", ["e_fire"], ["start"])
    assert not opposed(*hedged) and opposed(hedged[0], plain)


def test_opposite_polarity_or_modality_is_not_one_fact_but_a_disagreement():
    may = said("A-1", "LePage hinted he may resign", ["e_lepage"], ["resign"], hedged=["resign"])
    never = said("B-1", "LePage said he will not resign", ["e_lepage"], ["resign"], negated=["resign"])
    assert relation(may, never, 0.9) is None and disagreeing(may, never, 0.9)
    facts = align([may, never], np.array([[1, 0], [0.9, 0.436]], dtype=np.float32))
    assert len(facts) == 2 and facts[0].disagrees_with == [facts[1].id]


def test_a_paraphrase_or_the_same_predicate_over_a_shared_argument_is_one_fact():
    a = said("A-1", "The senate approved the harbour bill on Tuesday", ["e_senate"], ["approve"],
             words="the senate approve the harbour bill on tuesday")  # fmt: skip
    b = said("B-1", "Senators approved the harbour bill", ["e_senate"], ["approve"],
             words="senator approve the harbour bill")  # fmt: skip
    c = said("C-1", "The bill cleared the chamber", [], ["clear"], words="the bill clear the chamber")
    assert relation(a, b, 0.65).startswith("same predicate (approve)")
    assert relation(a, c, 0.85).startswith("paraphrase")
    assert relation(b, c, 0.65) is None


def test_one_verb_and_one_name_are_not_the_same_arguments():
    # the same predicate and the same man, but what each says happened shares no other word
    ordered = said("A-1", "Orlin ordered the guards to lie to the council about the fire", ["e_orlin"],
                   ["order", "lie"], words="order the guard to lie to the council about the fire")  # fmt: skip
    accused = said("B-1", "Brenna accused Orlin of lying to reporters about his salary", ["e_orlin"],
                   ["accuse", "lie"], words="accuse of lie to reporter about his salary")  # fmt: skip
    assert shared_arguments(ordered, accused) and not same_arguments(ordered, accused)
    assert relation(ordered, accused, 0.7) is None
    again = said("C-1", "Orlin told the guards to lie to the council about the warehouse fire", ["e_orlin"],
                 ["tell", "lie"], words="tell the guard to lie to the council about the warehouse fire")  # fmt: skip
    assert same_arguments(ordered, again) and relation(ordered, again, 0.7).startswith("same predicate (lie)")


def parsed(*texts: str) -> list[Claim]:
    """One claim of each text, each its own article (A-1, B-1, ...), parsed as the analysis does."""
    from storylens.compare.claims import claims_of
    from storylens.model import Article

    articles = [
        Article(f"{chr(65 + k)}-1", f"{k}.txt", chr(65 + k), "T", None, None, "en", None, [text])
        for k, text in enumerate(texts)
    ]
    return claims_of(articles, {})


def test_the_same_words_in_a_row_are_one_statement_with_or_without_quotation_marks():
    quoted, unmarked, shorter, denied = parsed(
        'So, he added: "Let the inspectors finish their careful work before anyone blames the crews!"',
        'Let the inspectors finish their careful work before anyone blames the crews!"',  # mark lost
        "Inspectors should finish their careful work, the mayor said.",  # four words in a row
        "The inspectors did not finish their careful work before the crews were blamed.",
    )
    assert unmarked.quoted == ()  # no quotation found: the words themselves match
    assert relation(quoted, unmarked, 0.3) == "same words"
    assert relation(quoted, shorter, 0.3) is None
    approved, refused = parsed(
        "The council approved the revised harbour dredging budget.",
        "The council did not approve the revised harbour dredging budget.",
    )
    assert relation(approved, refused, 0.7) is None  # the same words, denied: not one fact
    [fact] = align([quoted, unmarked], np.array([[1, 0], [0.3, 0.954]], dtype=np.float32))
    assert fact.links[0]["why"] == "same words"


def test_a_verb_and_its_paraphrase_over_the_same_words_are_one_predicate():
    passed, approved, praised = parsed(
        "Lawmakers in the assembly passed the harbour budget late on Monday.",
        "The assembly approved the harbour budget after a long debate.",
        "Fishermen praised the harbour budget on Monday.",
    )
    assert relation(passed, approved, 0.62) == "same predicate (pass/approve) over the same arguments (0.62)"
    assert relation(passed, praised, 0.62) is None  # one budget, another happening
    assert relation(passed, approved, 0.55) is None  # too far apart to be one statement


def test_a_light_verb_is_no_shared_predicate():
    made = said("A-1", "Voss made the harbour plan public", ["e_voss"], ["make"])
    again = said("B-1", "Voss made a promise to the fishermen", ["e_voss"], ["make"])
    assert relation(made, again, 0.65) is None
    told = said(
        "A-1", "Voss unveiled the harbour plan", ["e_voss"], ["unveil"], words="unveil the harbour plan"
    )
    announced = said("B-1", "Voss announced the plan", ["e_voss"], ["announce"], words="announce the plan")
    assert relation(told, announced, 0.65)


def test_summary_sentences_stand_on_their_own():
    assert standalone("The Senate approved the border bill on Tuesday by 68 votes to 32.")
    assert not standalone("He said the vote would come later in the week.")  # a pronoun
    assert not standalone("and the mayor said the shelter would stay open.")  # mid-clause
    assert not standalone('"President Obama disgracefully refused to even say the words."')  # no speaker
    assert standalone('"We will rebuild the border," the governor said on Monday.')
    assert not standalone(
        "“I know you are tired of this debate,” he told the senator on stage."
    )  # who is he?
    assert not standalone('"The bridge will open in May, as promised," said she.')
    assert standalone('The council adopted a motion on Tuesday condemning "reckless spending" by the mayor.')
    assert standalone(
        "Governor Ilse Marn said on Friday that “the port will stay open”, saying the strike was over."
    )
    assert not standalone("Last month, she joined the dockworkers on the picket line at Port Ellis.")
    assert not standalone("By noon, their own allies on the harbour board had given way.")  # whose?
    assert standalone("By noon, the mayor's own allies on the harbour board had given way.")
    assert not standalone("The union said the port had been closed and dismissed the offer as an insult")
    assert standalone("After Governor Marn spoke, she left the port by the north gate at noon.")
    assert not standalone("For instance, the dockworkers did not unload the grain ships on Monday.")
    assert not standalone("Now it has become a test of whether the port can stay open at all.")
    assert not standalone("The dockworkers also refused to unload the two grain ships on Monday.")
    # the first person outside quotation marks: a quotation whose marks were lost, with no speaker
    assert not standalone("I didn't start this port with a loan from my father, after all.")
    assert not standalone("We are not here to serve the shipping companies of Port Ellis.")
    assert standalone('"We are not here to serve the shipping companies," union leader Senna Rook said.')
    assert standalone("The museum reopened its World War I gallery to visitors on Monday.")


def test_a_quotation_standing_as_a_sentence_of_its_own_has_no_speaker():
    # the quotation is a whole sentence, and the next sentence does not say who spoke it
    assert not standalone(
        "“No one in this port is above the law.” Beyond the fines, the ruling said the owners must pay."
    )
    # a speaking verb inside the quotation names no one
    assert not standalone("“I do not trust what he says about the port, and I never will.”")
    assert standalone("The mayor said: “We will rebuild the port before the winter.”")
    assert standalone("“We will rebuild the port,” the mayor said, “and we will do it before winter.”")


def test_a_summary_quotes_a_statement_once():
    from storylens.compare.summary import same_quotation

    def quoting(article, outlet, text):
        c = claim(article, outlet, text)
        c.quoted = tuple(" ".join(re.findall(r"[\w’']+", q.lower())) for q in re.findall(r"“([^”]*)”", text))
        return Fact(article, [c], text)

    first = quoting("a1", "A", "Varga called the strike “a fight for every family on the docks” on Monday.")
    again = quoting("b1", "B", "“This is a fight for every family on the docks,” Varga told the rally.")
    other = quoting("c1", "C", "“We will not move,” Varga said, as the port stayed closed for a third day.")
    assert same_quotation(first, again)
    assert not same_quotation(first, other)


def test_a_summary_tells_a_quotation_by_the_claim_that_names_its_speaker_first():
    from storylens.compare.summary import neutral_text

    quote_first = claim(
        "a1", "A", "“We will keep the port closed until the offer is raised,” union leader Ida Varga said."
    )
    speaker_first = claim(
        "b1",
        "B",
        "Union leader Ida Varga said that “we will keep the port closed until the offer is raised.”",
    )
    plain = claim("c1", "C", "The port will stay closed until the offer is raised, the union said.")
    # the quotation-first claim is the fact's representative one, and the shorter
    quoted = Fact("f1", [quote_first, speaker_first], quote_first.text)
    assert neutral_text(quoted, {}) == speaker_first.text
    # a claim with no quotation at all is as good as one naming its speaker first
    told = Fact("f2", [quote_first, plain], quote_first.text)
    assert neutral_text(told, {}) == plain.text
    # fewer framing terms still come first
    assert neutral_text(quoted, {id(speaker_first): 1}) == quote_first.text


def test_a_summary_introduces_a_person_named_by_surname_alone():
    summary = [
        SummarySentence(
            "Dockworkers at Port Ellis walked out on Monday over pay.", ["a1"], ["A"], False, "f1"
        ),
        SummarySentence(
            '"We will not move," Varga told reporters, as Mr. Olsen watched.', ["a1"], ["A"], False, "f2"
        ),
        SummarySentence("Varga later met the port's director, Olsen-Berg said.", ["a2"], ["B"], False, "f3"),
    ]
    people = {
        summary[1].text: ["Ilona K. Varga", "Piet Olsen"],
        summary[2].text: ["Ilona K. Varga"],
    }
    introduce_names(summary, people)
    # a surname after an honorific is no introduction either: "Mr. Olsen" becomes his full name
    assert summary[1].text == '"We will not move," Ilona K. Varga told reporters, as Piet Olsen watched.'
    assert summary[2].text == "Varga later met the port's director, Olsen-Berg said."  # named once is enough
    assert summary[0].text == "Dockworkers at Port Ellis walked out on Monday over pay."
    # a surname another person of the story shares stays as written, named in a summary sentence or not
    again = [SummarySentence("Mr. Olsen watched the strike from the gate.", ["a1"], ["A"], False, "f4")]
    introduce_names(again, {again[0].text: ["Piet Olsen"]}, {"Piet Olsen", "Greta Olsen", "Ilona K. Varga"})
    assert again[0].text == "Mr. Olsen watched the strike from the gate."
    # a scraped quotation opened with a straight mark and closed with a curly one is closed all the same
    mixed = [SummarySentence('"We will not move,” Varga said.', ["a1"], ["A"], False, "f5")]
    introduce_names(mixed, {mixed[0].text: ["Ilona K. Varga"]})
    assert mixed[0].text == '"We will not move,” Ilona K. Varga said.'
    told = claim("a1", "A", '"We will not move," Varga told reporters, as Mr. Olsen watched.')
    other = claim("a1", "A", "Varga spoke at the gate of Port Ellis on Monday.")
    assert claim_told(summary[1], [Fact("f2", [other, told], told.text)]) is told


def test_a_person_introduced_before_is_named_by_surname_in_a_later_sentence():
    summary = [
        SummarySentence(
            "Governor Farah Odell said the bank was ready to raise rates again.", ["a"], ["A"], True, "f1"
        ),
        SummarySentence(
            "Governor Farah Odell said inflation hurt the poorest most.", ["b"], ["B"], True, "f2"
        ),
        SummarySentence(
            "Farah Odell, appointed last year, said prices would fall.", ["c"], ["C"], True, "f3"
        ),
        SummarySentence("Port official Marta Ilves said the bank was wrong.", ["d"], ["D"], True, "f4"),
    ]
    people = {s.text: ["Farah Odell"] for s in summary[:3]} | {summary[3].text: ["Marta Ilves"]}
    introduce_names(summary, people)
    assert [s.text for s in summary] == [
        "Governor Farah Odell said the bank was ready to raise rates again.",  # the first reference whole
        "Odell said inflation hurt the poorest most.",
        "Farah Odell, appointed last year, said prices would fall.",  # an apposition follows: left whole
        "Port official Marta Ilves said the bank was wrong.",  # introduced here for the first time
    ]


def test_a_given_name_one_letter_off_is_spelled_as_the_story_resolves_it():
    summary = [
        SummarySentence("Former governor Farrah Odell said the bank was wrong.", ["a"], ["A"], True, "f1"),
        SummarySentence('"Farrah Odell is right," said Dave Brannick on Monday.', ["b"], ["B"], True, "f2"),
        SummarySentence("Tomas Berg said Odell had been misquoted.", ["c"], ["C"], True, "f3"),
    ]
    people = {
        summary[0].text: ["Farah Odell"],
        summary[1].text: ["Farah Odell", "David Brannick"],
        summary[2].text: ["Tomas Berg", "Farah Odell"],
    }
    introduce_names(summary, people)
    assert summary[0].text == "Former governor Farah Odell said the bank was wrong."  # an outlet's slip
    # a short form is the outlet's choice, not a slip; a quotation keeps its words
    assert summary[1].text == '"Farrah Odell is right," said Dave Brannick on Monday.'
    assert summary[2].text == "Tomas Berg said Odell had been misquoted."


def test_a_surname_with_an_apostrophe_a_hyphen_or_an_inner_capital_is_introduced_too():
    summary = [
        SummarySentence("Mr. O’Rourke said the port must reopen.", ["a1"], ["A"], False, "f1"),
        SummarySentence("McKenna and Ruiz-Tagle met the union on Monday.", ["a2"], ["B"], False, "f2"),
    ]
    people = {
        summary[0].text: ["Tessa O’Rourke"],
        summary[1].text: ["Dara McKenna", "Lucas Ruiz-Tagle"],
    }
    introduce_names(summary, people)
    assert summary[0].text == "Tessa O’Rourke said the port must reopen."
    assert summary[1].text == "Dara McKenna and Lucas Ruiz-Tagle met the union on Monday."
    # a span the tagger took for a person's name with a possessive in it is no one's name:
    # "Harbour" is no surname, and "harbour" stays as written
    dues = [SummarySentence("The board raised Harbour dues on Monday.", ["a1"], ["A"], False, "f3")]
    introduce_names(dues, {dues[0].text: ["Tessa O’Rourke’s Harbour"]})
    assert dues[0].text == "The board raised Harbour dues on Monday."
    # a nickname in quotation marks is part of the name before it: the surname after it is no
    # first mention (another McKenna of the story is not put in: 'Jo "JoJo" Dara McKenna')
    nick = [SummarySentence('The men shot Jo "JoJo" McKenna and his father.', ["a1"], ["A"], False, "f4")]
    introduce_names(nick, {nick[0].text: ["Dara McKenna"]})
    assert nick[0].text == 'The men shot Jo "JoJo" McKenna and his father.'


def test_a_summary_says_who_a_person_is_as_an_article_it_cites_introduces_them():
    harbor = [
        claim(
            "a1",
            "Harbor Wire",
            "“The pier is closed,” said Lina Sorel, a spokeswoman for the port authority.",
        ),
        claim("a2", "Coast Daily", "Dock union organizer Tomas Brek called the closure overdue."),
        claim("a2", "Coast Daily", "Sorel, the port authority’s spokeswoman, declined to say more."),
        claim("a3", "Bay Ledger", "Mira Holt, Rep. of the dock union, walked out."),
        claim("a3", "Bay Ledger", "Governor Ana Voss, then-mayor of Port Ellis, signed it."),
    ]
    harbor[0].described = [("e1", "spokeswoman for the port authority")]
    harbor[1].described = [("e2", "dock union organizer")]
    harbor[2].described = [("e1", "port authority spokeswoman")]
    harbor[3].described = [("e3", "representative of the dock union")]  # as the parse spells it out
    harbor[4].described = [("e4", "then-mayor of port ellis")]
    names = {"e1": "Lina Sorel", "e2": "Tomas Brek", "e3": "Mira Holt", "e4": "Ana Voss"}
    found = introductions(harbor, names)
    assert [(i.article_id, i.written, i.apposition) for i in found["Lina Sorel"]] == [
        ("a1", "a spokeswoman for the port authority", True),
        ("a2", "the port authority’s spokeswoman", True),
    ]
    assert [(i.written, i.apposition, i.opening) for i in found["Tomas Brek"]] == [
        ("Dock union organizer", False, True)
    ]
    assert "Mira Holt" not in found  # "Rep." written, "representative" read: not found as written
    assert "Ana Voss" not in found  # who she was at another time

    def sentence(text, *articles):
        return SummarySentence(text, list(articles), ["X"], False, "f")

    summary = [
        sentence("The port closed the pier on Monday, Lina Sorel said.", "a1", "a2"),
        sentence("Tomas Brek called the closure overdue.", "a2"),
        sentence("Sorel said the pier would reopen in May.", "a1"),
    ]
    people = {
        summary[0].text: ["Lina Sorel"],
        summary[1].text: ["Tomas Brek"],
        summary[2].text: ["Lina Sorel"],
    }
    introduce_names(summary, people, set(), found)
    assert [s.text for s in summary] == [
        "The port closed the pier on Monday, Lina Sorel, a spokeswoman for the port authority, said.",
        "Dock union organizer Tomas Brek called the closure overdue.",  # at the start, written before the name
        "Sorel said the pier would reopen in May.",  # introduced once
    ]
    # no description where the name has a title or a description already, sits inside a quotation,
    # takes a possessive or an apposition, where the sentence says it, or from an article not cited
    kept = [
        "Harbormaster Lina Sorel closed the pier.",
        "“Ask Lina Sorel,” the mayor said.",
        "Lina Sorel’s office closed the pier.",
        "Lina Sorel, 52, closed the pier.",
        "The port authority’s spokeswoman, Lina Sorel, said the pier was closed.",
        "Then Tomas Brek said the closure was overdue.",  # "Dock union organizer" opens its own sentence
    ]
    for text in kept:
        alone = [sentence(text, "a1", "a2")]
        introduce_names(alone, {text: ["Lina Sorel", "Tomas Brek"]}, set(), found)
        assert alone[0].text == text
    elsewhere = [sentence("Lina Sorel closed the pier.", "a3")]
    introduce_names(elsewhere, {elsewhere[0].text: ["Lina Sorel"]}, set(), found)
    assert elsewhere[0].text == "Lina Sorel closed the pier."


def test_a_summary_gives_a_title_where_no_article_describes_the_person_and_skips_what_is_no_description():
    dock = [
        claim("a1", "Harbor Wire", "The session opened as Harbor Council Chair Ines Morrow spoke."),
        claim("a1", "Harbor Wire", "Buy Photo Mayor Edda Lusk waved."),
        claim("a1", "Harbor Wire", "It followed then-Sen. Oskar Lind, who left in May."),
        claim("a2", "Coast Daily", "Buy Photo Teo Marsh was sentenced on Friday."),
        claim("a2", "Coast Daily", "Witnesses spoke to the ferry information Teo Marsh gave them."),
        claim("a2", "Coast Daily", "The Ellis County sheriff's office spokesman Pim Ruud said so."),
        claim("a2", "Coast Daily", "Port Ellis Schools spokeswoman Ada Vey said classes resume."),
        claim("a2", "Coast Daily", "Hours after the fire Mayor Edda Lusk and the chief spoke."),
    ]
    dock[7].described = [("e6", "fire mayor")]  # "the fire Mayor": a noun the parse joined to the title
    dock[3].described = [("e3", "buy photo")]
    dock[4].described = [("e3", "ferry information")]
    dock[5].described = [("e4", "office spokesman")]
    dock[6].described = [("e5", "port ellis schools spokeswoman")]
    for c, entities in zip(
        dock, (["e1"], ["e6"], ["e2"], ["e3"], ["e3"], ["e4"], ["e5"], ["e6"]), strict=True
    ):
        c.entities = frozenset(entities)
    names = {"e1": "Ines Morrow", "e2": "Oskar Lind", "e3": "Teo Marsh", "e4": "Pim Ruud", "e5": "Ada Vey"}
    found = introductions(dock, names | {"e6": "Edda Lusk"})
    assert [(i.written, i.title) for i in found["Ines Morrow"]] == [("Harbor Council Chair", True)]
    assert [i.written for i in found["Edda Lusk"]] == ["Mayor", "Mayor"]  # no caption, no "fire Mayor"
    # of another time, a caption, a noun the parse took for a description, the end of a longer phrase
    assert "Oskar Lind" not in found and "Teo Marsh" not in found and "Pim Ruud" not in found
    summary = [
        SummarySentence("The session opened late, Ines Morrow said.", ["a1"], ["A"], False, "f1"),
        SummarySentence("Ada Vey with Port Ellis Schools said classes resume.", ["a2"], ["B"], False, "f2"),
    ]
    people = {summary[0].text: ["Ines Morrow"], summary[1].text: ["Ada Vey"]}
    introduce_names(summary, people, set(), found)
    assert summary[0].text == "The session opened late, Harbor Council Chair Ines Morrow said."
    assert summary[1].text == "Ada Vey with Port Ellis Schools said classes resume."  # its name said already


def test_a_summary_gives_the_age_an_article_gives_a_person_when_nothing_else_describes_them():
    from storylens.compare.introduce import introductions

    dock = [
        claim("a1", "Harbor Wire", "Police arrested Teo Marsh, 19, of Port Ellis on Friday."),
        claim("a2", "Coast Daily", "The fire killed 16-year-old Ada Vey on the ferry."),
        claim("a2", "Coast Daily", "Ines Morrow, 52, a spokeswoman for the port, said so."),
    ]
    dock[2].described = [("e3", "spokeswoman for the port")]
    for c, entities in zip(dock, (["e1"], ["e2"], ["e3"]), strict=True):
        c.entities = frozenset(entities)
    found = introductions(dock, {"e1": "Teo Marsh", "e2": "Ada Vey", "e3": "Ines Morrow"})
    assert [(i.written, i.age, i.apposition) for i in found["Teo Marsh"]] == [("19", True, True)]
    assert [i.written for i in found["Ada Vey"]] == ["16"]  # "16-year-old Ada Vey"

    def sentence(text, *articles):
        return SummarySentence(text, list(articles), ["X"], False, "f")

    summary = [
        sentence("Teo Marsh was charged with arson on Monday.", "a1"),
        sentence("Ada Vey died on the ferry, the coroner said.", "a2"),
        sentence("Ines Morrow said the ferry would not sail again.", "a2"),
        sentence("Teo Marsh’s lawyer said he would plead not guilty.", "a1"),
    ]
    people = {
        s.text: [n]
        for s, n in zip(summary, ("Teo Marsh", "Ada Vey", "Ines Morrow", "Teo Marsh"), strict=True)
    }
    introduce_names(summary, people, set(), found)
    assert [s.text for s in summary[:3]] == [
        "Teo Marsh, 19, was charged with arson on Monday.",
        "Ada Vey, 16, died on the ferry, the coroner said.",
        "Ines Morrow, a spokeswoman for the port, said the ferry would not sail again.",  # a description first
    ]
    # a possessive takes no apposition, nor does a sentence that gives the age already
    for text in ("Teo Marsh’s lawyer said he would plead not guilty.", "Teo Marsh' lawyer was not in court."):
        alone = [sentence(text, "a1")]
        introduce_names(alone, {text: ["Teo Marsh"]}, set(), found)
        assert alone[0].text == text
    said = [sentence("Teo Marsh was 19 when he was charged with arson.", "a1")]
    introduce_names(said, {said[0].text: ["Teo Marsh"]}, set(), found)
    assert said[0].text == "Teo Marsh was 19 when he was charged with arson."


def test_names_one_person_may_be_written_are_one_in_the_summary():
    everyone = {"Dara Quill", "Darren Quill", "Oren Pell", "Mara Pell"}
    first = [SummarySentence("“We won,” Mr. Quill said.", ["a2"], ["B"], False, "f2")]
    introduce_names(first, {first[0].text: ["Darren Quill"]}, everyone)
    assert first[0].text == "“We won,” Darren Quill said."  # the name the sentence's own article writes
    # introduced before under the other name: a second reference stays as it is
    summary = [
        SummarySentence("Dara Quill won the seat on Tuesday.", ["a1"], ["A"], False, "f1"),
        SummarySentence("“We won,” Mr. Quill said.", ["a2"], ["B"], False, "f2"),
        SummarySentence("Mr. Pell conceded.", ["a2"], ["B"], False, "f3"),
    ]
    people = {
        summary[0].text: ["Dara Quill"],
        summary[1].text: ["Darren Quill"],
        summary[2].text: ["Oren Pell"],
    }
    introduce_names(summary, people, everyone)
    assert [s.text for s in summary] == [
        "Dara Quill won the seat on Tuesday.",
        "“We won,” Mr. Quill said.",
        "Mr. Pell conceded.",  # Oren and Mara Pell are two people
    ]


def test_the_export_says_why_claims_were_grouped_and_what_each_omission_rests_on(sample_export):
    strike = story_with(sample_export["export"], "Port Ellis dockworkers strike over pay")
    grouped = [f for f in strike["facts"] if len(f["claims"]) >= 2]
    assert grouped and all(len(f["links"]) == len(f["claims"]) - 1 for f in grouped)
    assert all(link["why"] for f in grouped for link in f["links"])
    evidence = strike["omission_evidence"]["Valdria Today"]
    assert [e["text"] for e in evidence] == strike["outlet_omits"]["Valdria Today"]
    assert all(e["score"] < NEAR for e in evidence)


def test_the_export_gives_each_outlet_only_item_what_the_other_outlets_tell_nearest(sample_export):
    stories = [s for s in sample_export["export"]["stories"] if s["outlet_only"]]
    assert stories
    for story in stories:
        assert story["only_evidence"].keys() == story["outlet_only"].keys()
        for outlet, texts in story["outlet_only"].items():
            evidence = story["only_evidence"][outlet]
            assert [e["text"] for e in evidence] == texts
            for e in evidence:  # another outlet's claim under the bar, or none at all
                assert e["score"] < ONLY_NEAR and e["rare_words"] < RARE_COVERED
                assert (e["nearest"] is None) == (e["outlet"] is None) and e["outlet"] != outlet


def test_outlets_naming_one_thing_in_different_words_are_listed_as_labels():
    from storylens.compare.labels import wordings
    from storylens.understand.embed import embed

    def told(article, outlet, words, phrases):
        c = claim(article, outlet, " ".join(words))
        c.tokens = [(w, None) for w in words]
        c.phrases = phrases  # its noun phrases, as the parse reads them (naming.noun_phrases)
        return c

    claims = [
        told("a1", "A", ["senator", "injure", "car", "accident", "near", "capitol"], ("car accident",)),
        told("b1", "B", ["senator", "injure", "car", "crash", "near", "capitol"], ("car crash",)),
        told("b2", "B", ["twitter", "password", "steal", "hacker"], ("twitter password",)),
        # another thing, not another word
        told("a2", "A", ["twitter", "follower", "steal", "hacker"], ("twitter follower",)),
    ]
    vectors = np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=np.float32)  # each pair says one thing
    found = wordings(claims, vectors, embed)
    assert [entry["labels"] for entry in found] == [{"car accident": ["A"], "car crash": ["B"]}]


def test_related_claims_found_a_block_of_rows_at_a_time_are_those_of_the_whole_matrix(monkeypatch):
    from storylens.compare import labels

    rng = np.random.default_rng(7)
    vectors = np.eye(4, dtype=np.float32)[rng.integers(0, 4, size=11)]  # every cosine 0 or 1
    whole = list(labels._related(vectors, vectors @ vectors.T))
    monkeypatch.setattr(labels, "ROWS", 3)  # blocks of 3 rows: pairs cross every block's edge
    assert whole and list(labels._related(vectors, None)) == whole


def test_a_restatement_the_alignment_left_apart_is_cited_too():
    from storylens.compare.citations import CITE, cite_restatements

    said, restated, other = claim("a1", "A", "said"), claim("b1", "B", "restated"), claim("c1", "C", "other")
    facts = [
        Fact("f1", [said], said.text),
        Fact("f2", [restated], restated.text),
        Fact("f3", [other], other.text),
    ]
    near = np.array([CITE + 0.02, (1 - (CITE + 0.02) ** 2) ** 0.5])
    vectors = np.array([[1.0, 0.0], near, [0.0, 1.0]])
    summary = [SummarySentence(said.text, ["a1"], ["A"], True, "f1")]
    cite_restatements(summary, facts, [said, restated, other], vectors)
    assert summary[0].article_ids == ["a1", "b1"] and summary[0].sources == ["A", "B"]
    assert not summary[0].single_source


def test_a_restatement_whose_word_pieces_align_with_the_fact_is_cited_though_its_cosine_is_low():
    from storylens.compare.citations import CITE, CITE_ALIGNED, cite_restatements

    restated = claim("b1", "B", "Workers at the mill walked out on Friday over unpaid wages.")
    said = claim("a1", "A", "Mill workers went on strike Friday, saying they had not been paid.")
    other = claim("c1", "C", "The mill's owner said on Friday that the mill would reopen next month.")
    facts = [Fact(f"f{i}", [c], c.text) for i, c in enumerate([restated, said, other])]
    low = CITE - 0.2  # every two claims this close by cosine: none cited by it
    vectors = np.array([[1.0, 0.0], [low, (1 - low**2) ** 0.5], [low, -((1 - low**2) ** 0.5)]])
    # the fact's claim is the second of each pair: the alignment is read in both directions
    aligned = {(0, 1): CITE_ALIGNED + 0.02, (1, 2): CITE_ALIGNED - 0.02}
    summary = [SummarySentence(said.text, ["a1"], ["A"], True, "f1")]
    cite_restatements(summary, facts, [restated, said, other], vectors, aligned)
    assert summary[0].article_ids == ["a1", "b1"] and summary[0].sources == ["A", "B"]
    assert not summary[0].single_source
    assert summary[0].restated == {"b1": restated.text}  # where its citation lands


def test_no_restatement_is_cited_that_tells_the_sentence_otherwise_or_another_moment():
    from storylens.compare.citations import CITE, cite_restatements

    said = claim("a1", "A", "Police said the shooting happened about 11:30 p.m. on Dover Street.")
    moment = claim(
        "b1", "B", "Neighbours called police just before 3 a.m. after hearing gunshots on Dover Street."
    )
    otherwise = claim("c1", "C", "A 15-year-old was shot on Dover Street, police said.")
    alike = claim("d1", "D", "The shooting on Dover Street happened around 11:40 p.m., police said.")
    claims = [said, moment, otherwise, alike]
    facts = [Fact(f"f{i}", [c], c.text) for i, c in enumerate(claims)]
    near = [CITE + 0.02, (1 - (CITE + 0.02) ** 2) ** 0.5]
    vectors = np.array([[1.0, 0.0], near, near, near])  # each as close to the sentence's claim
    ages = [(0, 2, "different ages")]  # C tells the sentence otherwise
    summary = [SummarySentence(said.text, ["a1"], ["A"], True, "f0")]
    cite_restatements(summary, facts, claims, vectors, pairs=ages)
    # B tells another moment (3 a.m.), C another age; D ten minutes on: no time of the day apart
    assert summary[0].article_ids == ["a1", "d1"] and summary[0].restated == {"d1": alike.text}
    summary = [SummarySentence(said.text, ["a1", "c1"], ["A", "C"], False, "f0")]
    facts[0] = Fact("f0", [said, otherwise], said.text)  # C's claim grouped in the fact: still cited
    cite_restatements(summary, facts, claims, vectors, pairs=ages)
    assert summary[0].article_ids == ["a1", "c1", "d1"]


def test_an_arrest_or_death_told_since_is_cited_to_no_report_of_a_day_before_it_was_first_told():
    from storylens.compare.citations import CITE, cite_restatements

    def dated(article: str, published: str, text: str) -> Claim:
        return Claim(article, article[0], published, 0, text, frozenset(), frozenset())

    rejected = dated("C-1", "2026-05-06", "Rhys Tamm, 19, was charged with assault on Wednesday.")
    walkout = dated("A-1", "2026-05-05", "A man was shot in the leg on Quay Street on Tuesday.")
    same_day = dated("B-1", "2026-05-06T18:00", "Police charged Rhys Tamm in the Quay Street shooting.")
    claims = [rejected, walkout, same_day]
    facts = [Fact(f"f{i}", [c], c.text) for i, c in enumerate(claims)]
    near = [CITE + 0.02, (1 - (CITE + 0.02) ** 2) ** 0.5]
    vectors = np.array([[1.0, 0.0], near, near])  # both as close to the offer's rejection
    summary = [SummarySentence(rejected.text, ["C-1"], ["C"], True, "f0")]
    cite_restatements(summary, facts, claims, vectors, news={"f0"})
    assert summary[0].article_ids == ["B-1", "C-1"]  # not the shooting's report, a day before
    summary = [SummarySentence(rejected.text, ["C-1"], ["C"], True, "f0")]
    cite_restatements(summary, facts, claims, vectors)  # a sentence of the first reports: no such rule
    assert summary[0].article_ids == ["A-1", "B-1", "C-1"]


def positioned(told: dict[tuple[str, int], str]) -> tuple[list, list]:
    """Claims of articles at their positions ((article, position) -> text), each a fact of its own
    named by its article and position ("a0")."""
    claims = []
    for (article, position), text in told.items():
        c = claim(article, article.upper(), text)
        c.position = position
        claims.append(c)
    return claims, [Fact(f"{c.article_id}{c.position}", [c], c.text) for c in claims]


def test_the_central_event_is_looked_for_in_the_articles_ledes_before_their_second_sentences():
    from storylens.compare import central_facts

    told = {
        ("a", 0): "The port authority of Ellis raised its pay offer to the striking dockworkers on Monday.",
        ("a", 1): "Port Ellis handles a third of the grain the islands export every year.",
        ("b", 0): "Striking dockworkers at Port Ellis were offered more pay by the port authority on Monday.",
        ("b", 1): "The port of Ellis, the islands' largest, ships most of their grain abroad.",
        ("c", 0): "Port Ellis dockworkers on strike got a higher pay offer from the authority on Monday.",
        ("c", 1): "Grain from the islands leaves mostly through the docks of Port Ellis.",
    }
    claims, facts = positioned(told)
    # Every second sentence (background on the port) is closer to the other articles' leads than
    # a's lede is: b's and c's ledes mix the event with the port's name.
    event, port = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    mixed = np.array([0.6, 0.8])
    vectors = np.array([event, port, mixed, port, mixed, port])
    ranked = central_facts(facts, claims, vectors)
    # the three ledes first, the one closest to the other leads first; then the second sentences
    assert ranked[:3] == ["b0", "c0", "a0"]
    assert set(ranked[3:]) == {"a1", "b1", "c1"}


def test_the_central_event_is_looked_for_in_the_leads_of_the_storys_first_day_first():
    from storylens.compare import central_facts
    from storylens.compare.summary import first_reports

    told = {
        ("a", "2026-03-02T09:00"): "Harlen and Vostra signed a defence pact in Ruskor on Monday.",
        ("b", "2026-03-02T17:30"): "A defence agreement was signed by Vostra and Harlen in Ruskor on Monday.",
        ("c", "2026-03-04T08:00"): "The navy of Osterland said the pact changes nothing at sea.",
        ("d", None): "Osterland's navy said the pact between Harlen and Vostra changes nothing at sea.",
    }
    claims = []
    for (article, published), text in told.items():
        c = claim(article, article.upper(), text)
        c.published = published
        claims.append(c)
    # The first reports word the signing apart; the reaction's two leads agree with each other
    # and each half with both first reports: by agreement alone, the reaction comes first.
    reaction = [0.5, 0.5, 0.5**0.5]
    vectors = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], reaction, reaction])
    facts = [Fact(c.article_id, [c], c.text) for c in claims]
    assert first_reports(claims) == {"a", "b"}  # two articles of the first dated day
    assert central_facts(facts, claims, vectors)[:2] == ["a", "b"]
    # The first dated report may be alone on its day: its lead still comes first.
    claims[1].published = None
    assert first_reports(claims) == {"a"}
    assert central_facts(facts, claims, vectors)[0] == "a"
    # One dated report is no first day: every lead is weighed alike, the closest first.
    claims[2].published = None
    assert first_reports(claims) == {"a", "b", "c", "d"}
    assert central_facts(facts, claims, vectors)[0] in {"c", "d"}


def test_a_lead_no_other_article_comes_near_opens_the_summary_only_when_no_other_can():
    from storylens.compare import central_facts

    told = {
        ("a", 0): "A review of the city's best bakeries ranks the corner shop on Pell Street first.",
        ("a", 1): "A 12-year-old boy was wounded by a stray bullet in Dunmore on Friday night.",
        ("b", 0): "A stray bullet struck a 12-year-old boy in Dunmore on Friday night, police said.",
        ("b", 1): "Police in Dunmore have made no arrest.",
    }
    claims, facts = positioned(told)
    # The page's other story (a0) is no claim of b's near; the shooting's leads are told by both.
    bakeries, shooting, arrest, wounded = np.eye(4)
    vectors = np.array([bakeries, shooting, shooting, 0.6 * shooting + 0.8 * arrest])
    ranked = central_facts(facts, claims, vectors)
    assert ranked[0] == "b0" and ranked[-1] == "a0"  # a first statement, yet the last candidate
    # When no lead is one the other article tells, the first statements come first as before.
    vectors = np.array([bakeries, wounded, shooting, arrest])
    assert central_facts(facts, claims, vectors)[0] == "a0"


def test_a_claims_loaded_verbs_count_among_its_outlets_charged_words():
    from storylens.compare import charged_counts

    tore = claim("a1", "A", "The mayor tore into the council on Monday.")
    tore.loaded = frozenset({"tear into"})  # no n-gram holds it: "into" is a stop word
    plain = claim("b1", "B", "The mayor criticised the council on Monday.")
    grams = {id(tore): {"mayor", "tear", "council"}, id(plain): {"mayor", "criticise", "council"}}
    terms = {"A": {"tear into"}, "B": {"criticise"}}
    assert charged_counts([tore, plain], grams, terms) == {id(tore): 1, id(plain): 1}
    assert charged_counts([tore], grams, {"B": {"tear into"}}) == {id(tore): 0}  # another outlet's


def test_a_story_whose_outlets_share_no_fact_still_gets_a_summary_of_single_source_sentences():
    from storylens.compare.summary import summarize

    texts = [
        ("a1", "A", "The Senate approved the border bill on Tuesday by 68 votes to 32."),
        ("b1", "B", "The governor of Texas welcomed the vote in a statement on Tuesday evening."),
        ("c1", "C", "Opponents of the bill said they would challenge it before the Supreme Court."),
    ]
    facts = []
    for k, (article, outlet, text) in enumerate(texts):
        c = claim(article, outlet, text)
        c.position = k
        facts.append(Fact(f"f{k}", [c], text))
    vectors = {f.id: v for f, v in zip(facts, np.eye(3), strict=True)}
    summary = summarize(facts, vectors, {}, {f.id: 1.0 for f in facts})
    assert len(summary) == 3 and all(s.single_source for s in summary)


def test_a_summary_goes_on_with_the_sentences_the_leading_article_tells_next():
    from storylens.compare.summary import summarize

    def fact(fid, *told):
        claims = []
        for article, outlet, position, text in told:
            c = claim(article, outlet, text)
            c.position = position
            claims.append(c)
        return Fact(fid, claims, claims[0].text)

    strike = "Dockworkers at Port Ellis walked out on Monday over a pay offer they called too low."
    union = "The union said the strike would last until the port authority raised its offer."
    ships = "Twelve grain ships waited outside the harbour on Tuesday, the port authority said."
    mayor = "The mayor of Port Ellis called on both sides to return to talks by Friday."
    police = "Police kept the gates of the container terminal open through the night."
    fuel = "Fuel deliveries to the islands were moved to the northern harbour of Tamsin."
    facts = [
        fact("strike", ("a", "A", 0, strike), ("b", "B", 0, strike.replace("Monday", "Monday morning"))),
        fact("mayor", ("b", "B", 1, mayor), ("c", "C", 3, mayor)),
        fact("police", ("b", "B", 2, police), ("c", "C", 2, police)),
        fact("fuel", ("b", "B", 3, fuel), ("c", "C", 4, fuel)),
        fact("ships", ("a", "A", 2, ships), ("c", "C", 1, ships)),
        fact("union", ("a", "A", 1, union), ("c", "C", 0, union)),
    ]
    vectors = {f.id: v for f, v in zip(facts, np.eye(6), strict=True)}
    lead = {"strike": 1.0, "union": 0.9, "mayor": 0.8, "police": 0.7, "fuel": 0.6, "ships": 0.1}
    summary = summarize(facts, vectors, {}, lead, central_ids=["strike"])
    # the central event as article a tells it, then a's next two shared sentences in a's order
    # (ships, though told late elsewhere), then the facts a lacks (six shared: six sentences)
    assert [s.fact_id for s in summary] == ["strike", "union", "ships", "mayor", "police", "fuel"]
    assert summary[0].text == strike


def test_a_summary_tells_six_shared_facts_at_most_and_as_many_as_are_shared():
    from storylens.compare.summary import summarize

    told = [
        "The port authority of Ellis raised its pay offer to the striking dockworkers on Monday.",
        "The union said its members would vote on the new offer by Wednesday evening.",
        "Twelve grain ships waited outside the harbour on Tuesday, the port authority said.",
        "The mayor of Port Ellis called on both sides to return to talks by Friday.",
        "Police kept the gates of the container terminal open through the night.",
        "Fuel deliveries to the islands were moved to the northern harbour of Tamsin.",
        "Bakers on the islands warned that flour would run short within a fortnight.",
    ]

    def shared(k: int, text: str, outlets: str) -> Fact:
        claims = []
        for outlet in outlets:
            c = claim(outlet.lower(), outlet, text)
            c.position = k
            claims.append(c)
        return Fact(f"f{k}", claims, text)

    # every fact carried by all three outlets but the last, which two carry
    facts = [shared(k, text, "ABC" if k < 6 else "AB") for k, text in enumerate(told)]
    vectors = {f.id: v for f, v in zip(facts, np.eye(7), strict=True)}
    lead = {f.id: 1 - k / 7 for k, f in enumerate(facts)}
    summary = summarize(facts, vectors, {}, lead, central_ids=["f0"])
    assert [s.fact_id for s in summary] == ["f0", "f1", "f2", "f3", "f4", "f5"]
    assert not any(s.single_source for s in summary)
    # five shared facts: five sentences, no single source's fact to make a sixth
    alone = Fact(
        "only", [claim("c", "C", "Ferry crews on the islands said they would strike in sympathy.")], ""
    )
    fewer = [*facts[:5], alone]
    summary = summarize(fewer, vectors | {"only": np.ones(7) / 7**0.5}, {}, lead, central_ids=["f0"])
    assert [s.fact_id for s in summary] == ["f0", "f1", "f2", "f3", "f4"]


def test_outlets_choosing_different_contested_words_are_listed_side_by_side():
    from storylens.compare.claims import claims_of
    from storylens.compare.labels import contested
    from storylens.model import Article

    def article(aid, outlet, *paragraphs):
        return Article(
            aid, f"{aid}.txt", outlet, "Raid in Port Velen", None, None, "en", None, list(paragraphs)
        )

    articles = [
        article(
            "a", "Harbor Wire", "Agents detained forty undocumented immigrants at a cannery in Port Velen."
        ),
        article(
            "b", "Eastbrook Gazette", "Agents rounded up forty illegal aliens at a cannery in Port Velen."
        ),
        # Both outlets say "protesters": no choice between words, nothing listed for it.
        article("c", "Harbor Wire", "Protesters gathered outside the cannery on Friday evening."),
        article(
            "d", "Eastbrook Gazette", "Protesters and a few pro-life marchers gathered outside the cannery."
        ),
    ]
    found = contested(claims_of(articles, {}))
    assert [entry["labels"] for entry in found] == [
        {"illegal alien": ["Eastbrook Gazette"], "undocumented immigrant": ["Harbor Wire"]}
    ]
    assert found[0]["contested"] is True


def test_the_contested_wording_file_parses_into_sets_of_two_or_more_phrases():
    from storylens.compare.labels import contested_sets

    sets = contested_sets()
    assert sets and all(len(phrases) >= 2 for phrases in sets)
    assert any("pro | life" in phrases for phrases in sets)  # a hyphen is matched as the claims mark it


def test_noun_phrases_swapping_a_word_in_claims_that_say_one_thing_are_one_referent():
    from storylens.compare.claims import claims_of
    from storylens.compare.labels import wordings
    from storylens.model import Article
    from storylens.understand.embed import embed

    def article(aid, outlet, text):
        return Article(aid, f"{aid}.txt", outlet, "Ferry strike", None, None, "en", None, [text])

    articles = [
        article(
            "a", "Harbor Wire", "The council passed the spending package for the ferry port on Monday night."
        ),
        article(
            "b",
            "Eastbrook Gazette",
            "The council passed the spending bill for the ferry port on Monday night.",
        ),
        # a time is no referent; two forms of one word are no other word; a verb is no noun phrase
        article(
            "c",
            "Harbor Wire",
            "Ferry workers struck last summer and again in the spring over economic policy.",
        ),
        article(
            "d",
            "Eastbrook Gazette",
            "Ferry workers struck last year and again in the spring over economics policy.",
        ),
    ]
    claims = claims_of(articles, {})
    assert "spending package" in claims[0].phrases
    vectors = np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=np.float32)  # a and b, c and d say one thing
    found = wordings(claims, vectors, embed)
    assert [entry["labels"] for entry in found] == [
        {"spending bill": ["Eastbrook Gazette"], "spending package": ["Harbor Wire"]}
    ]
    assert "noun phrases" in found[0]["why"]


def test_contested_wording_one_outlet_alone_uses_beside_the_common_word_is_listed():
    from storylens.compare.claims import claims_of
    from storylens.compare.labels import contested
    from storylens.model import Article

    def article(aid, outlet, text):
        return Article(aid, f"{aid}.txt", outlet, "Shop raid", None, None, "en", None, [text])

    both = [
        article("a", "Harbor Wire", "Police seized marijuana at a shop; the pot was sold without a licence."),
        article("b", "Eastbrook Gazette", "Police seized marijuana at a shop in Port Velen on Friday."),
    ]
    [entry] = contested(claims_of(both, {}))
    assert entry["labels"] == {"marijuana": ["Eastbrook Gazette", "Harbor Wire"], "pot": ["Harbor Wire"]}
    alike = [
        article("a", "Harbor Wire", "Police seized marijuana at a shop; the pot was sold without a licence."),
        article("b", "Eastbrook Gazette", "Police seized pot at a shop; the marijuana was sold on Friday."),
    ]
    assert contested(claims_of(alike, {})) == []  # both outlets use both words: no choice between them


def test_a_contested_name_is_read_from_its_entity():
    from storylens.compare.claims import claims_of
    from storylens.compare.labels import contested
    from storylens.model import Article

    a_text = "Senators voted again to repeal Obamacare on Tuesday evening."
    b_text = "Senators voted again to repeal the Affordable Care Act on Tuesday evening."
    articles = [
        Article("a", "a.txt", "Harbor Wire", "Vote", None, None, "en", None, [a_text]),
        Article("b", "b.txt", "Eastbrook Gazette", "Vote", None, None, "en", None, [b_text]),
    ]
    start = b_text.index("Affordable")
    span = (start, start + len("Affordable Care Act"), "e-aca", "Affordable Care Act", "OTHER")
    claims = claims_of(articles, {"b": [span]})
    [entry] = contested(claims, {"e-aca": "Affordable Care Act"})
    assert entry["labels"] == {"affordable care act": ["Eastbrook Gazette"], "obamacare": ["Harbor Wire"]}
    assert contested(claims) == []  # the name unread, B names it by no phrase of the set


def cited_beside(said: Claim, *others: Claim) -> list[str]:
    """The articles cited for the summary sentence telling `said`, every other claim (a fact of its
    own) as close to it as a restatement."""
    from storylens.compare.citations import CITE, cite_restatements

    claims = [said, *others]
    facts = [Fact(f"f{i}", [c], c.text) for i, c in enumerate(claims)]
    near = [CITE + 0.02, (1 - (CITE + 0.02) ** 2) ** 0.5]
    vectors = np.array([[1.0, 0.0]] + [near] * len(others))
    summary = [SummarySentence(said.text, [said.article_id], [said.outlet], True, "f0")]
    cite_restatements(summary, facts, claims, vectors)
    return summary[0].article_ids


def test_no_restatement_is_cited_that_gives_another_figure_of_the_thing():
    said = claim(
        "a1", "A", "Police offered a $40,000 reward for information in the Dover Street case.", [40000]
    )
    other = claim(
        "b1", "B", "The city is offering a $20,000 reward for information on the shooting.", [20000]
    )
    both = claim("c1", "C", "The reward, first $20,000, now stands at $40,000, police said.", [20000, 40000])
    alike = claim("d1", "D", "A reward of $40,000 is offered for information, police said.", [40000])
    # B's reward is another figure, however far from A's; C gives A's figure too; D gives A's
    assert cited_beside(said, other, both, alike) == ["a1", "c1", "d1"]


def test_no_restatement_is_cited_that_gives_the_person_another_age():
    said = claim("a1", "A", "A 42-year-old man was shot on Dover Street on Friday night.")
    other = claim("b1", "B", "A 45-year-old man was shot on Dover Street late Friday.")
    both = claim(
        "c1", "C", "Police said the 42-year-old man and a 17-year-old were both shot on Dover Street."
    )
    ageless = claim("d1", "D", "A man was shot on Dover Street on Friday night, police said.")
    # B gives another age; C gives the sentence's age too; D gives none
    assert cited_beside(said, other, both, ageless) == ["a1", "c1", "d1"]


def test_an_article_the_summary_cites_for_restating_a_fact_carries_it_for_the_omissions_too():
    def fact(fid, *outlets):
        return Fact(fid, [claim(f"{o}-1", o, fid) for o in outlets], fid)

    facts = [fact("restated", "A"), fact("told by two", "A", "B"), fact("other", "B"), fact("c's own", "C")]
    claims = [c for f in facts for c in f.claims]
    apart = Nearest(claims, np.eye(len(claims), dtype=np.float32))  # no claim near another
    sources = ["A", "B", "C"]
    assert outlet_omits(facts, sources, apart)[0] == {"C": ["told by two"]}
    # the summary cites B for restating "restated" in other words: A and B carry it, C leaves it out;
    # and cites C for "told by two": C is no omitter of it
    cited = {"restated": ["B-1"], "told by two": ["C-1"]}
    assert outlet_omits(facts, sources, apart, cited=cited)[0] == {"C": ["restated"]}


def test_one_sentence_of_two_of_an_outlets_reports_is_listed_once_as_its_own():
    first = Fact("f1", [claim("D-1", "D", "The bakery on Quay Street stays shut until Friday.")], "")
    update = Fact("f2", [claim("D-2", "D", "The bakery on Quay Street stays shut until Friday!")], "")
    other = Fact("f3", [claim("A-1", "A", "Flood water reached the north quay.")], "")
    facts = [first, update, other]
    for fact in facts:
        fact.text = fact.claims[0].text
    claims = [c for f in facts for c in f.claims]
    apart = Nearest(claims, np.eye(len(claims), dtype=np.float32))  # no claim near another
    only, evidence = outlet_only(facts, ["A", "D"], apart)
    assert only["D"] == ["The bakery on Quay Street stays shut until Friday."]
    assert evidence["D"][0]["article_ids"] == ["D-1", "D-2"]  # both reports tell it
