"""Who a pronoun opening a list item stands for: "He was taken to a hospital" read apart from its
article says nothing of who, so the lists name the person in brackets where the article leaves
little doubt ("[Jordan Vale] was taken to a hospital"), and name no one where it does. The texts
are written for the tests."""

from __future__ import annotations

import json
import re

from storylens.compare.claims import Claim
from storylens.compare.referents import bracketed, genders_of, referent
from storylens.pipeline import compare_articles, ingest
from storylens.store import open_store
from storylens.understand.marks import quote_spans

PEOPLE = {"Jordan Vale": "e_vale", "Mara Quill": "e_quill", "Omar Diaz": "e_diaz", "Dan Reyes": "e_reyes"}


def spans_of(text: str) -> list[tuple]:
    """The test's person mentions, as the analysis gives them: (start, end, entity, name, type)."""
    found = [
        (m.start(), m.end(), entity, name, "PERSON")
        for name, entity in PEOPLE.items()
        for m in re.finditer(re.escape(name), text)
    ]
    return sorted(found)


def resolved(text: str, sentence: str) -> str | None:
    """The entity the pronoun opening `sentence` (a sentence of `text`) stands for, or None."""
    spans, quoted = spans_of(text), quote_spans(text)
    found = referent(text, text.index(sentence), spans, quoted, genders_of(text, spans, quoted))
    return found[2] if found else None


def test_a_pronoun_opening_a_sentence_stands_for_the_one_person_the_sentence_before_names():
    text = "Jordan Vale, 34, was shot on Quay Street on Tuesday. He was taken to Harbor General Hospital."
    assert resolved(text, "He was taken") == "e_vale"


def test_an_initial_or_a_titles_abbreviation_ends_no_sentence():
    # "He" before "Judge Omar L. Diaz." goes on: "His wife" is Jordan Vale's, not the judge's
    text = (
        "Jordan Vale pleaded guilty on Monday. He was sentenced by U.S. District Judge Omar L. Diaz. "
        "His wife was not in court."
    )
    assert resolved(text, "His wife") == "e_vale"
    text = "Sen. Jordan Vale spoke first. He said the harbour bill would pass."
    assert resolved(text, "He said") == "e_vale"


def test_a_first_names_sex_from_the_census_lists_tells_whom_a_pronoun_may_stand_for():
    # the article tells neither person's sex: "Omar" is a man's name by the census lists, "Mara" a woman's
    text = "Omar Diaz said Mara Quill was shot on Quay Street. She was flown to Harbor General Hospital."
    assert resolved(text, "She was flown") == "e_quill"  # before: Omar Diaz, who opens the sentence
    spans, quoted = spans_of(text), quote_spans(text)
    assert genders_of(text, spans, quoted) == {"e_diaz": "m", "e_quill": "f"}


def test_a_pronoun_goes_on_with_the_person_of_the_same_pronoun_before_it():
    text = (
        "Mara Quill said the council met on Monday night. She said the vote on the harbour was close. "
        "She left before it was counted."
    )
    assert resolved(text, "She left") == "e_quill"


def test_of_several_people_the_one_opening_the_sentence_before_is_its_subject():
    text = "Jordan Vale, a driver for Omar Diaz, was shot in the leg. He was released on Friday."
    assert resolved(text, "He was released") == "e_vale"


def test_a_person_the_article_does_not_name_leaves_the_pronoun_unnamed():
    text = (
        "Officer Dan Reyes said that on Tuesday afternoon a 9-year-old boy found the gun in a closet. "
        "He was treated for a hand wound."
    )
    assert resolved(text, "He was treated") is None
    # a person noun right by a name is taken for its description ("Omar Diaz, the owner, ...")
    text = "Omar Diaz, the owner, opened the door. He was treated for a hand wound."
    assert resolved(text, "He was treated") == "e_diaz"


def test_a_person_of_the_other_gender_is_not_whom_the_pronoun_stands_for():
    text = (
        "Omar Diaz said his car was parked outside the bakery. "
        "Omar Diaz arrived at noon. She called the police from the corner."
    )
    assert resolved(text, "She called") is None


def test_a_pronoun_before_the_names_of_the_sentence_before_stands_for_someone_else():
    text = (
        "Mara Quill remembered her brother. She said he loved basketball and played with Omar Diaz. "
        "He had just found a job at the bakery."
    )
    assert resolved(text, "He had just") is None


def test_a_pronoun_inside_a_quotation_is_the_speakers_and_is_left_as_it_is():
    text = 'Jordan Vale was hurt, Mara Quill said. "He was a good kid. He worked at the bakery."'
    assert resolved(text, "He worked") is None


def test_a_contraction_is_left_as_it_is():
    # "[Jordan Vale]'s scheduled" would read as a possessive
    text = "Jordan Vale, 34, was charged on Tuesday. He\u2019s scheduled to appear in court in June."
    assert resolved(text, "He\u2019s scheduled") is None


def test_the_lists_name_the_person_in_brackets_the_possessive_too():
    assert bracketed("He was taken to a hospital.", (0, 2, "e_vale", "Jordan Vale")) == (
        "[Jordan Vale] was taken to a hospital."
    )
    assert bracketed("His bail was set at $5,000.", (0, 3, "e_vale", "Jordan Vale")) == (
        "[Jordan Vale\u2019s] bail was set at $5,000."
    )
    claim = Claim(
        "a1", "A", None, 3, "She left early.", frozenset(), frozenset(), referent=(0, 3, "e_q", "Mara Quill")
    )
    assert claim.told == "[Mara Quill] left early."


STORY = [
    (
        "2026-05-04",
        "Ashby Post",
        "Jordan Vale, 34, was shot near the corner of Quay Street and Mill Lane on Tuesday night, police "
        "said.\n\nOfficers found him on the sidewalk after neighbours reported gunfire.\n\nJordan Vale had "
        "just closed the bakery he runs on Mill Lane. He was taken to Harbor General Hospital in critical "
        "condition.",
    ),
    (
        "2026-05-04",
        "Brook Herald",
        "A man was shot near the corner of Quay Street and Mill Lane on Tuesday night, police said.\n\n"
        "Jordan Vale, 34, was found on the sidewalk by officers after neighbours reported gunfire.\n\n"
        "Police have not said who fired the shots.",
    ),
]


def vale_feed(tmp_path):
    feed = tmp_path / "vale.jsonl"
    feed.write_text(
        "".join(
            json.dumps(
                {"title": f"Quay Street shooting {k}", "text": text, "published": day, "outlet": outlet}
                | {"url": f"https://news{k}.example/quay-street"}
            )
            + "\n"
            for k, (day, outlet, text) in enumerate(STORY)
        )
    )
    return feed


def test_a_story_lists_what_one_outlet_alone_tells_of_someone_with_the_persons_name(tmp_path):
    with open_store(tmp_path / "store.db") as store:
        ingest([vale_feed(tmp_path)], store)
        ashby = [a for a, url in store.article_urls().items() if "news0." in url]
        comparison = compare_articles(store, sorted(store.article_urls()))
    only = comparison.outlet_only.get("Ashby Post", [])
    assert any(t.startswith("[Jordan Vale] was taken to Harbor General Hospital") for t in only), only
    assert not any(t.startswith("He was taken") for t in only)
    # each item names the report telling it (an outlet's first report and its follow-up are apart)
    assert all(e["article_ids"] == ashby for e in comparison.only_evidence["Ashby Post"])


def test_the_cli_story_lists_each_outlets_own_items_with_the_report_telling_them(tmp_path, cli, db):
    cli("ingest", vale_feed(tmp_path), "--db", db)
    [story_id] = [
        line.split()[0] for line in cli("stories", "--db", db).stdout.splitlines()[1:] if line.strip()
    ]
    told = cli("story", story_id, "--db", db).stdout
    only = told[told.index("only this outlet carries") :].splitlines()
    number = next(line.split()[0] for line in told.splitlines() if "Ashby Post" in line and "[" in line)
    assert f"    - {number} [Jordan Vale] was taken to Harbor General Hospital in critical condition." in only
