"""Changes later reports tell: an arrest one article says was not made yet and a later article
says was, a death after an article told of none, only the hurt. The disagreement list shows both
wordings as a change. The texts are written for the tests."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from storylens.compare.claims import Claim
from storylens.compare.disagreements import changed_note, differing, disagreements, told_otherwise
from storylens.compare.facts import align
from storylens.compare.since import (
    ARREST_SINCE,
    DEATH_SINCE,
    arrest_told,
    changes_since,
    death_told,
    follow_up_lede,
)
from storylens.pipeline import compare_articles, ingest
from storylens.store import open_store


def claim(article: str, text: str, published: str = "2026-05-04", entities=()) -> Claim:
    return Claim(article, article.split("-")[0], published, 0, text, frozenset(entities), frozenset())


@pytest.mark.parametrize(
    "text, entities, told",
    [
        ("No arrests have been made in the Quay Street shooting.", (), "no arrest"),
        ("No one is in custody, police said.", (), "no arrest"),
        ("Police have not made any arrests.", (), "no arrest"),
        ("Police do not have anyone in custody.", (), "no arrest"),
        ("Police haven't identified anyone.", (), None),
        ("No charges were filed against Rhys Tamm on Friday.", ("e_tamm",), "no charge"),
        ("Rhys Tamm hasn't been charged.", ("e_tamm",), "not him charged"),
        ("Rhys Tamm was not arrested that night.", ("e_tamm",), "not him"),
        ("He hasn't been charged.", (), None),  # whom it denies is not named
        ("Rhys Tamm, 19, was arrested Tuesday and charged with assault.", ("e_tamm",), "charged"),
        ("A second suspect was taken into custody on Friday.", (), "arrested"),
        ("Rhys Tamm was arrested May 3 and charged with assault.", ("e_tamm",), "charged"),  # May, a month
        ("Rhys Tamm may be arrested and charged with assault.", ("e_tamm",), None),  # may, a hedge
        # not a denial of an arrest, nor one made
        ("It is not clear whether charges will be filed.", (), None),
        ("It's not clear whether or not the driver will face charges.", (), None),
        ("It's not clear what charges he could face.", (), None),
        ("Tamm pleaded not guilty to charges of assault.", ("e_tamm",), None),
        ("Police are asking for help in arresting the gunman.", (), None),
        ("The gunman will be charged with murder.", (), None),
        ("A $5,000 reward is offered for information leading to the arrest of the gunman.", (), None),
        ("Tamm could be charged with assault.", ("e_tamm",), None),
        ("Tamm had been charged with burglary in 2019.", ("e_tamm",), None),  # another case, years before
        ("Two people were shot on Quay Street.", (), None),
        # a suspect still sought
        ("Police are looking for a man who fled the Mill Lane bar.", (), "sought"),
        ("The gunman remains at large.", (), "sought"),
        ("Police are looking for witnesses.", (), None),
        ("Police are searching for a man they believe has information about the shooting.", (), None),
        ("The gunmen were looking for him, a neighbour said.", (), None),  # not the police's search
        ("Police were still searching for him on Monday.", (), "sought"),
        ("Police said they were looking for two suspects, in information released on Monday.", (), "sought"),
        ("Police charged two men who are still on the run.", (), "charged at large"),
        # nothing told, or an arrest in another case
        ("Tips have come in, but nothing that has led to an arrest.", (), None),
        ("A man was charged with murder in a similar shooting in Elm Park.", (), None),
    ],
)
def test_what_a_claim_tells_of_an_arrest(text, entities, told):
    assert arrest_told(claim("A-1", text, entities=entities)) == told


def test_an_arrest_denied_and_then_told_by_a_later_article_is_listed_as_a_change():
    none_yet = claim("A-1", "No arrests have been made in the Quay Street shooting.", "2026-05-04")
    made = claim("B-1", "Rhys Tamm, 19, was arrested Tuesday and charged with assault.", "2026-05-07")
    other = claim("B-2", "The shooting left two men wounded.", "2026-05-07")
    claims = [made, other, none_yet]
    vectors = np.array([[1.0, 0.0], [0.6, 0.8], [0.3, 0.954]], dtype=np.float32)
    facts = align(claims, vectors)
    pairs = changes_since(claims)
    assert pairs == [(0, 2, ARREST_SINCE)]
    [entry] = disagreements(facts, claims, vectors @ vectors.T, pairs)
    assert entry["why"] == ARREST_SINCE and entry["changed"]
    assert [c["text"] for c in entry["claims"]] == [none_yet.text, made.text]  # the earlier first
    assert [[c["text"][a:b] for a, b in c["marks"]] for c in entry["claims"]] == [
        ["No", "arrests"],
        ["arrested", "charged"],
    ]
    assert differing(none_yet, claims, pairs) == ["B-1"]  # a summary telling it says it was told since
    assert differing(made, claims, pairs) == []  # the later report is not told otherwise by the earlier
    # neither carries the other, though one may restate it: the summary cites neither for the other
    assert told_otherwise(none_yet, claims, pairs) == {"B-1"} and told_otherwise(made, claims, pairs) == {
        "A-1"
    }


def test_an_arrest_for_killing_a_child_the_denying_article_never_names_is_another_case():
    shot = claim("A-1", "A 2-year-old boy was killed in a shooting on Quay Street.", "2026-05-04")
    none_yet = claim("A-1", "No one was in custody late Tuesday.", "2026-05-04")
    other = claim(
        "B-1", "Tamm's arrest on charges of killing an 11-year-old girl drew a crowd.", "2026-05-07"
    )
    assert changes_since([shot, none_yet, other]) == []
    same = claim("B-1", "A man was arrested in the killing of the 2-year-old boy.", "2026-05-07")
    assert changes_since([shot, none_yet, same]) == [(1, 2, ARREST_SINCE)]


def test_only_a_charge_answers_no_charges_and_a_named_denial_only_its_own_person():
    no_charges = claim("A-1", "No charges have been filed in the shooting.", "2026-05-04")
    arrested = claim("B-1", "A 19-year-old was taken into custody on Friday.", "2026-05-08")
    charged = claim("B-2", "Rhys Tamm was charged with assault on Monday.", "2026-05-11", ("e_tamm",))
    assert changes_since([no_charges, arrested]) == []  # one may be arrested and not yet charged
    assert changes_since([no_charges, charged]) == [(0, 1, ARREST_SINCE)]
    witness = claim(
        "A-2", "Ana Ruiz, who saw the shooting, is not facing charges.", "2026-05-04", ("e_ruiz",)
    )
    assert changes_since([witness, charged]) == []  # another person charged
    tamm = claim("A-3", "Rhys Tamm has not been charged.", "2026-05-04", ("e_tamm",))
    assert changes_since([tamm, charged]) == [(0, 1, ARREST_SINCE)]
    held = claim("B-3", "Rhys Tamm was arrested on Friday.", "2026-05-08", ("e_tamm",))
    assert changes_since([tamm, held]) == []  # arrested, and perhaps not yet charged
    # the charged who are still at large answer a denial of charges, not one of an arrest
    at_large = claim("B-4", "Police charged two men who are still on the run.", "2026-05-08")
    no_one = claim("A-4", "No one is in custody.", "2026-05-04")
    assert changes_since([no_charges, at_large]) == [(0, 1, ARREST_SINCE)]
    assert changes_since([no_one, at_large]) == []


def test_a_suspect_sought_and_later_arrested_is_a_change_unless_the_article_told_an_arrest_too():
    sought = claim("A-1", "Police are looking for a man who fled the Mill Lane bar.", "2026-05-04")
    arrested = claim("B-1", "Rhys Tamm turned himself in on Friday.", "2026-05-08")
    assert changes_since([sought, arrested]) == [(0, 1, ARREST_SINCE)]
    # an article telling one arrest and a suspect sought tells of two suspects
    one_held = claim("A-1", "A 19-year-old was taken into custody at the scene.", "2026-05-04")
    assert changes_since([sought, one_held, arrested]) == []


def test_an_arrest_told_first_or_the_same_day_is_no_change():
    made = claim("A-1", "Rhys Tamm was arrested Tuesday.", "2026-05-04")
    for day in ("2026-05-04", "2026-05-07"):
        # the same day: which came first is unknown; a later denial may be of another suspect
        assert changes_since([made, claim("B-1", "No one else has been arrested.", day)]) == []
    assert changes_since([claim("A-2", "No arrests have been made.", None), made]) == []  # undated


@pytest.mark.parametrize(
    "text, told",
    [
        ("The second man remained in critical condition on Friday.", "alive"),
        ("He was flown to Harbour General with a life-threatening wound to the head.", "alive"),
        # out of danger: a later death in the story is most often someone else's
        ("Officers say the victim is expected to survive.", "safe"),
        ("Both suffered non-life-threatening injuries.", "safe"),
        ("The boy was placed in stable condition.", "safe"),
        ("Jon Pell died from his injuries Sunday morning.", "died"),
        ("Pell was pronounced dead at Harbour General.", "died"),
        ("Pell is not expected to survive.", None),  # a hedge is neither
        # a death, though "another" may be whoever died: it answers no one's condition
        ("One man was killed and another is in critical condition.", "another death"),
        ("Pell's brother was killed in 2019.", None),  # another death, years before
        ("Another man was fatally shot Monday night across town.", "another death"),  # someone else
        ('"I really feel like I\'m dead," she said.', "another death"),  # words inside a quotation
        ("It remained unclear whether the gunman was killed in the fire.", None),
        ("Three people were shot to death and another was in critical condition.", "another death"),
        ("Police closed Quay Street for the night.", None),
    ],
)
def test_what_a_claim_tells_of_a_death(text, told):
    assert death_told(claim("A-1", text)) == told


def test_a_death_after_an_article_told_only_the_hurt_is_listed_as_a_change():
    hurt = claim("A-1", "Jon Pell remained in critical condition on Friday.", "2026-05-04")
    died = claim("B-1", "Jon Pell died from his injuries Sunday morning.", "2026-05-06")
    assert changes_since([hurt, died]) == [(0, 1, DEATH_SINCE)]
    vectors = np.array([[1.0, 0.0], [0.6, 0.8]], dtype=np.float32)
    pairs = changes_since([hurt, died])
    [entry] = disagreements(align([hurt, died], vectors), [hurt, died], vectors @ vectors.T, pairs)
    assert entry["why"] == DEATH_SINCE and entry["changed"]
    assert [[c["text"][a:b] for a, b in c["marks"]] for c in entry["claims"]] == [
        ["critical condition"],
        ["died"],
    ]
    # the later report still tells the wound; the earlier one does not tell the death
    assert told_otherwise(hurt, [hurt, died], pairs) == set()
    assert told_otherwise(died, [hurt, died], pairs) == {"A-1"}
    # an article that told a death already may be telling of another victim: no change
    killed = claim("A-1", "A second man was killed at the scene.", "2026-05-04")
    assert changes_since([hurt, killed, died]) == []
    # one told out of danger: a later death is most often someone else's, no change is claimed
    stable = claim("A-2", "The man was placed in stable condition on Friday.", "2026-05-04")
    assert changes_since([stable, died]) == []


QUAY = [
    (
        "2026-05-04",
        "Ashby Post",
        "A 24-year-old man was shot on Quay Street in Tamsin late Sunday, police said. He was taken to "
        "Harbour General Hospital with a wound to the leg. Officers found shell casings near the corner "
        "of Quay Street and Mill Lane. No arrests have been made, police said.",
    ),
    (
        "2026-05-07",
        "Brook Herald",
        "Police in Tamsin have arrested a man in the Sunday shooting on Quay Street. Rhys Tamm, 19, was "
        "arrested Wednesday and charged with aggravated assault, police said. The 24-year-old victim was "
        "shot in the leg near the corner of Quay Street and Mill Lane.",
    ),
]


def quay_feed(tmp_path, reports=QUAY) -> Path:
    """Two outlets' reports of one shooting, three days apart: no arrest, then an arrest."""
    feed = tmp_path / "quay.jsonl"
    feed.write_text(
        "".join(
            json.dumps(
                {
                    "title": f"Quay Street shooting {k}",
                    "text": text,
                    "published": day,
                    "outlet": outlet,
                    "url": f"https://news{k}.example/quay-street",
                }
            )
            + "\n"
            for k, (day, outlet, text) in enumerate(reports)
        )
    )
    return feed


def test_a_story_compared_from_its_store_lists_the_arrest_told_since(tmp_path):
    feed = quay_feed(tmp_path)
    with open_store(tmp_path / "store.db") as store:
        ingest([feed], store)
        comparison = compare_articles(store, sorted(store.article_urls()))
    [entry] = [d for d in comparison.disagreements if d["why"] == ARREST_SINCE]
    assert entry["changed"] and [c["outlet"] for c in entry["claims"]] == ["Ashby Post", "Brook Herald"]
    assert "No arrests have been made" in entry["claims"][0]["text"]
    assert changed_note(entry["why"]) == "a later report tells of an arrest"


def test_the_cli_story_shows_the_arrest_told_since_and_no_summary_sentence_told_otherwise(tmp_path, cli, db):
    cli("ingest", quay_feed(tmp_path), "--db", db)
    [story_id] = [
        line.split()[0] for line in cli("stories", "--db", db).stdout.splitlines()[1:] if line.strip()
    ]
    told = cli("story", story_id, "--db", db).stdout
    disagree = told[told.index("where the reports disagree") :].splitlines()
    assert disagree[1] == (
        "  an arrest since: No, arrests / arrested (told on different days: a later report tells of an arrest)"
    )
    assert "No arrests have been made" in disagree[2] and "arrested" in disagree[3]
    assert "told otherwise" not in told  # the later arrest is what happened next, not a contradiction


def test_an_outlets_own_item_a_later_arrest_overtook_says_it_is_no_longer_so(tmp_path, cli, db):
    sought = "Police are looking for a man who fled Quay Street in a grey car after the shooting."
    reports = [(QUAY[0][0], QUAY[0][1], QUAY[0][2] + " " + sought), QUAY[1]]
    feed = quay_feed(tmp_path, reports)
    cli("ingest", feed, "--db", db)
    with open_store(db) as store:
        first, later = sorted(store.article_urls(), key=lambda a: store.article(a).published)
        comparison = compare_articles(store, [first, later])
    [entry] = [e for e in comparison.only_evidence["Ashby Post"] if e["text"] == sought]
    assert entry["overtaken_by"] == [later]
    assert all("overtaken_by" not in e for e in comparison.only_evidence["Brook Herald"])
    assert sought not in [s.text for s in comparison.summary]
    [story_id] = [
        line.split()[0] for line in cli("stories", "--db", db).stdout.splitlines()[1:] if line.strip()
    ]
    told = cli("story", story_id, "--db", db).stdout.splitlines()
    at = told.index(f"    - [1] {sought}")
    assert told[at + 2] == "      no longer so: a later report tells of an arrest [2]"
    # the lists name a weekday's day, as the summary does
    assert (
        "  2 outlets  A 24-year-old man was shot on Quay Street in Tamsin late Sunday [May 3], police said. [1][2]"
        in told
    )
    assert (
        "    - [2] Rhys Tamm, 19, was arrested Wednesday [May 6] and charged with aggravated assault, police said."
        in told
    )


def told_by_two(told: list[str]) -> list:
    """One fact for each sentence, told in this order by two outlets' reports of 2026-05-04: f0, f1, …"""
    from storylens.compare.facts import Fact

    shared = []
    for k, text in enumerate(told):
        claims = [claim(f"{o}-1", text, "2026-05-04") for o in ("ashby", "brook")]
        for c in claims:
            c.position = k
        shared.append(Fact(f"f{k}", claims, text))
    return shared


def test_the_summary_tells_what_happened_next_when_no_sentence_of_it_does():
    from storylens.compare.disagreements import developments
    from storylens.compare.facts import Fact
    from storylens.compare.summary import MAX_SENTENCES, summarize

    told = [
        "A 24-year-old man was shot on Quay Street in Tamsin late Sunday, police said.",
        "The man was taken to Harbour General Hospital with a wound to the leg.",
        "Officers found shell casings near the corner of Quay Street and Mill Lane.",
        "Neighbours said they heard four shots shortly after 11 p.m.",
        "The street was closed to traffic for three hours while officers searched it.",
        "The shooting was the third on Quay Street since March, police said.",
        "No arrests have been made, police said.",
    ]
    shared = told_by_two(told)
    # (an arrest and no charge: a charge no sentence tells the summary tells anyway, outcomes.py)
    arrest = claim("crier-1", "Rhys Tamm, 19, was arrested Wednesday in Tamsin.", "2026-05-07")
    facts = [*shared, Fact("arrest", [arrest], arrest.text)]
    claims = [c for f in facts for c in f.claims]
    pairs = [(claims.index(shared[6].claims[0]), claims.index(arrest), ARREST_SINCE)]
    assert developments(facts, claims, pairs) == ["arrest"]
    # the later report's lede tells it before a paragraph further down
    booked = claim("crier-1", "Tamm was booked into the Tamsin County jail on Wednesday night.", "2026-05-07")
    booked.position = 4
    both = [*facts, Fact("booked", [booked], booked.text)]
    every = [c for f in both for c in f.claims]
    ahead = [(every.index(shared[6].claims[0]), every.index(c), ARREST_SINCE) for c in (booked, arrest)]
    assert developments(both, every, ahead) == ["arrest", "booked"]
    vectors = {f.id: v for f, v in zip(facts, np.eye(len(facts)), strict=True)}
    lead = {f.id: 1 - k / len(facts) for k, f in enumerate(facts)}
    before = summarize(facts, vectors, {}, lead, central_ids=["f0"])
    assert len(before) == MAX_SENTENCES and "arrest" not in [s.fact_id for s in before]
    after = summarize(facts, vectors, {}, lead, central_ids=["f0"], later=["arrest"])
    # the arrest takes the place of the last sentence chosen, and comes last, as it was told last
    assert [s.fact_id for s in after] == [s.fact_id for s in before][:-1] + ["arrest"]
    assert after[-1].single_source and after[-1].article_ids == ["crier-1"]
    # three shared facts: a fourth sentence tells the arrest
    fewer = summarize([*shared[:3], facts[-1]], vectors, {}, lead, central_ids=["f0"], later=["arrest"])
    assert [s.fact_id for s in fewer] == ["f0", "f1", "f2", "arrest"]


def test_the_summary_no_longer_says_no_arrest_was_made_once_a_later_report_tells_one():
    from storylens.compare.disagreements import superseded
    from storylens.compare.facts import Fact
    from storylens.compare.summary import summarize

    told = [
        "A 24-year-old man was shot on Quay Street in Tamsin late Sunday, police said.",
        "No arrests have been made, police said.",
        "The man was taken to Harbour General Hospital with a wound to the leg.",
        "Police are looking for a man who fled Quay Street in a grey car after the shooting.",
    ]
    shared = told_by_two(told)
    arrest = claim("crier-1", "Rhys Tamm, 19, was arrested Wednesday and charged with assault.", "2026-05-07")
    facts = [*shared, Fact("arrest", [arrest], arrest.text)]
    claims = [c for f in facts for c in f.claims]
    pairs = changes_since(claims)
    assert superseded(facts, claims, pairs) == {"f1": ["crier-1"], "f3": ["crier-1"]}
    assert superseded(facts, claims, []) == {}  # no arrest told since: still so
    vectors = {f.id: v for f, v in zip(facts, np.eye(len(facts)), strict=True)}
    lead = {f.id: 1 - k / len(facts) for k, f in enumerate(facts)}
    before = summarize(facts, vectors, {}, lead, central_ids=["f0"], later=["arrest"])
    assert "f1" in {s.fact_id for s in before}
    after = summarize(facts, vectors, {}, lead, ["f0"], later=["arrest"], overtaken={"f1", "f3"})
    assert [s.fact_id for s in after] == ["f0", "f2", "arrest"]
    # the opening stays, though a later report overtook it: it tells the event
    opening = summarize(facts, vectors, {}, lead, ["f3"], later=["arrest"], overtaken={"f1", "f3"})
    assert opening[0].fact_id == "f3" and "f1" not in [s.fact_id for s in opening]


def test_a_fact_of_an_earlier_day_that_a_later_report_retells_with_the_death_is_no_development():
    from storylens.compare.disagreements import developments
    from storylens.compare.facts import Fact

    shot = claim("ashby-1", "A 6-year-old boy was shot in the chest on Quay Street on Sunday.", "2026-05-03")
    hurt = claim("ashby-1", "The boy was in critical condition at Harbour General Hospital.", "2026-05-03")
    died = claim("crier-1", "A 6-year-old boy has died days after he was shot on Quay Street.", "2026-05-06")
    charged = claim("crier-1", "The boy's uncle was charged with reckless homicide on Tuesday.", "2026-05-06")
    charged.position = 3
    retold = Fact("shot", [shot, died], shot.text)  # the later lede retells the shooting too
    facts = [retold, Fact("hurt", [hurt], hurt.text), Fact("charged", [charged], charged.text)]
    claims = [shot, died, hurt, charged]
    pairs = [(2, 1, DEATH_SINCE), (2, 3, DEATH_SINCE)]
    # the shooting's fact holds Sunday's claim, which tells no death: the death is no sentence's yet
    assert developments(facts, claims, pairs) == ["charged"]
    # a fact whose earlier claim tells the death too is one
    earlier = claim("brook-1", "The boy died of his wounds, police said.", "2026-05-05")
    dying = Fact("died", [earlier, died], died.text)
    assert developments([dying, *facts[1:]], [earlier, died, hurt, charged], pairs) == ["died", "charged"]


def test_the_latest_reports_lede_is_a_follow_up_only_a_day_or_more_after_the_first():
    def at(article: str, published: str, position: int, text: str, complete: bool = True) -> Claim:
        return Claim(
            article, article[0], published, position, text, frozenset(), frozenset(), complete=complete
        )

    first = at("A-1", "2026-05-04", 0, "A man was shot on Quay Street on Monday night.")
    same_day = at("B-1", "2026-05-04T22:00", 0, "Police are looking for the gunman.")
    follow_up = [
        at("C-1", "2026-05-07", 0, "Quay Street shooting", complete=False),  # a headline's fragment
        at("C-1", "2026-05-07", 1, "Rhys Tamm, 19, was charged with murder on Thursday."),
        at("C-1", "2026-05-07", 2, "He is held without bail."),
        at("C-1", "2026-05-07", 3, "The shooting followed a dispute over a car."),
    ]
    claims = [first, same_day, *follow_up]
    fact_of = {id(c): f"f{i}" for i, c in enumerate(claims)}
    # the latest report's first two statements, in its order
    assert follow_up_lede(claims, fact_of) == ["f3", "f4"]
    # one day's reports only: no follow-up
    assert follow_up_lede([first, same_day], fact_of) == []


def test_the_summary_tells_what_the_latest_report_leads_with_when_no_change_was_found(tmp_path):
    feed = tmp_path / "quay.jsonl"
    reports = [
        ("2026-05-04", "Ashby Post", QUAY[0][2].replace(" No arrests have been made, police said.", "")),
        (
            "2026-05-04",
            "Crier",
            "A man was shot in the leg on Quay Street in Tamsin on Sunday night, police said. Officers "
            "found shell casings near the corner of Quay Street and Mill Lane.",
        ),
        (
            "2026-05-08",
            "Brook Herald",
            "Rhys Tamm, 19, appeared in a Tamsin court on Thursday charged with aggravated assault in the "
            "Sunday shooting on Quay Street. The judge set his bail at $50,000.",
        ),
    ]
    feed.write_text(
        "".join(
            json.dumps({"title": f"Quay Street {k}", "text": text, "published": day, "outlet": outlet}) + "\n"
            for k, (day, outlet, text) in enumerate(reports)
        )
    )
    with open_store(tmp_path / "store.db") as store:
        ingest([feed], store)
        comparison = compare_articles(store, sorted(store.article_urls()))
    assert not [d for d in comparison.disagreements if d["why"] == ARREST_SINCE]  # no change was told
    # the court date four days on is told, last
    assert comparison.summary[-1].text.startswith("Rhys Tamm, 19, appeared in a Tamsin court on Thursday")


def test_the_cli_story_of_one_outlets_articles_says_there_is_nothing_to_set_side_by_side(tmp_path, cli, db):
    feed = tmp_path / "quay.jsonl"
    rows = [
        {"title": f"Quay Street {k}", "text": text, "published": day, "outlet": "Ashby Post"}
        for k, (day, _, text) in enumerate(QUAY)
    ]
    feed.write_text("".join(json.dumps(row) + "\n" for row in rows))
    cli("ingest", feed, "--db", db)
    [story_id] = [
        line.split()[0] for line in cli("stories", "--db", db).stdout.splitlines()[1:] if line.strip()
    ]
    assert "every article is from one outlet" in cli("story", story_id, "--db", db).stdout
