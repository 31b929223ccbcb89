"""Who is who: generational suffixes and nicknames, within an article and across articles."""

from __future__ import annotations

from storylens.model import Article, LocalEntity, Mention
from storylens.understand import analyze
from storylens.understand.entities import fullest_name
from storylens.understand.names import (
    first_name_gender,
    given_names,
    names_match,
    nickname_pair,
    suffix,
    surname,
    title_gender,
    written_surname,
)
from storylens.understand.resolve import resolve


def article(aid: str, *paragraphs: str) -> Article:
    return Article(aid, f"{aid}.txt", None, "t", None, None, "en", None, list(paragraphs))


def local(index: int, kind: str, name: str) -> LocalEntity:
    return LocalEntity(index, kind, [name], [], [Mention(0, 0, len(name), name, name, kind)])


def analysed(*paragraphs: str):
    """The analysis of one article of these paragraphs."""
    [analysis] = analyze([article("a1", *paragraphs)])
    return analysis


def beside(person: str, other: str, kind: str = "ORG") -> list[LocalEntity]:
    """An article's local entities: a person and one other entity (its context)."""
    return [local(0, "PERSON", person), local(1, kind, other)]


def resolved(*articles: tuple[str, ...]):
    """resolve() of articles a1, a2, ... each holding a person and one other entity (beside)."""
    return resolve({f"a{i}": beside(*article) for i, article in enumerate(articles, 1)})


def people_of(found) -> dict[str, list[str]]:
    return {e.name: e.article_ids for e in found if e.type == "PERSON"}


# -- names ---------------------------------------------------------------------------------------


def test_a_generational_suffix_is_no_surname():
    assert surname("Marcus Tilden Jr.") == "tilden"
    assert given_names("Marcus Tilden Jr.") == ["marcus"]
    assert suffix("Marcus Tilden Jr.") == "jr" and suffix("Marcus Tilden") == ""
    assert suffix("Leland Osk III") == "iii"
    assert written_surname("Marcus Tilden Jr.") == "Tilden"
    # Two men called "Jr." share no surname.
    assert not names_match("Anthony Harlan Jr.", "Anthony Frey Jr.")
    # A father and his son share the rest of the name.
    assert not names_match("Edward Halvorsen", "Edward Halvorsen Jr.")
    assert names_match("Edward Halvorsen Jr.", "Edward P. Halvorsen Jr.")


def test_a_nickname_is_one_given_name_either_way_round():
    assert nickname_pair("chuck", "charles") and nickname_pair("charles", "chuck")
    assert nickname_pair("bill", "william") and nickname_pair("dick", "richard")
    assert not nickname_pair("charles", "richard")
    assert not names_match("Chuck Pembrook", "Charles Pembrook")  # needs context: resolve()


# -- within an article ---------------------------------------------------------------------------


def test_a_nickname_after_the_full_name_is_that_person_in_the_article():
    analysis = analysed(
        "Senator Richard Pembrook said on Tuesday that the bridge would be rebuilt by spring.",
        "Supporters chanted for Dick Pembrook as he left the hall in Corvale.",
    )
    people = [e for e in analysis.entities if e.type == "PERSON"]
    assert [fullest_name(e) for e in people] == ["Richard Pembrook"]
    assert "Dick Pembrook" in people[0].names


def test_a_suffixed_name_is_one_person_with_its_surname_and_no_mention_of_the_suffix():
    analysis = analysed(
        "Marcus Tilden Jr. was arrested on Friday after the shooting in Corvale, police said.",
        "Tilden told officers he had been at home all evening.",
    )
    people = [e for e in analysis.entities if e.type == "PERSON"]
    assert len(people) == 1 and len(people[0].mentions) == 2
    assert not any(m.name == "Jr" for m in analysis.mentions)


def test_a_surname_before_a_suffixed_full_name_is_another_person():
    analysis = analysed(
        "President Halvorsen signed the harbour bill on Friday in Corvale.",
        "Mr. Halvorsen said the bill would create jobs.",
        "His son, Edward Halvorsen Jr., called the bill a victory for the coast.",
        "Halvorsen Jr. later left the hall.",
    )
    people = {fullest_name(e): e for e in analysis.entities if e.type == "PERSON"}
    assert set(people) == {"Halvorsen", "Edward Halvorsen Jr"}
    assert "President" in people["Halvorsen"].roles and not people["Edward Halvorsen Jr"].roles


# -- across articles -----------------------------------------------------------------------------


def test_a_nickname_joins_the_full_name_where_the_articles_share_context():
    found = resolved(
        ("Charles E. Pembrook", "Ruskor Council"),
        ("Chuck Pembrook", "Ruskor Council"),
        # one spelling is one person wherever it is (as before nicknames)
        ("Chuck Pembrook", "Osterland Mill"),
    )
    assert people_of(found) == {"Charles E. Pembrook": ["a1", "a2", "a3"]}


def test_a_nickname_with_no_shared_context_stays_apart():
    found = resolved(("Charles E. Pembrook", "Ruskor Council"), ("Chuck Pembrook", "Osterland Mill"))
    assert people_of(found) == {"Charles E. Pembrook": ["a1"], "Chuck Pembrook": ["a2"]}


def test_men_called_junior_are_not_one_person_by_the_suffix():
    found = resolved(
        ("Anthony Harlan Jr.", "Corvale Police"),
        ("Antonio Frey Jr.", "Corvale Police"),
        ("Anthony Lee Osk Jr.", "Corvale Police"),
    )
    assert len(people_of(found)) == 3


def test_a_suffix_one_outlet_leaves_out_is_one_person_unless_an_article_tells_two_apart():
    one = resolved(
        ("Joseph R. Amberly Jr.", "Ruskor Council"),
        ("Joe Amberly", "Ruskor Council"),
        ("Joseph Amberly", "Ruskor Council"),
    )
    assert people_of(one) == {"Joseph R. Amberly Jr.": ["a1", "a2", "a3"]}
    # An article naming a bare "Amberly" beside the son: father and son are two everywhere.
    two = resolved(("Joseph R. Amberly Jr.", "Amberly", "PERSON"), ("Joseph Amberly", "Ruskor Council"))
    assert "Joseph R. Amberly Jr." in people_of(two) and "Joseph Amberly" in people_of(two)
    assert people_of(two)["Joseph Amberly"] == ["a2"]


# -- organisations and places: acronyms -----------------------------------------------------------


def org(index: int, *names: str, kind: str = "ORG") -> LocalEntity:
    mentions = [Mention(0, 0, len(n), n, n, kind) for n in names]
    return LocalEntity(index, kind, list(names), [], mentions)


def named_together(found, a: str, b: str) -> bool:
    return any(a in e.aliases and b in e.aliases for e in found)


def test_names_sharing_initials_never_join_through_an_acronym_written_beside_each():
    found = resolve(
        {
            "a1": [org(0, "Harlow Police Department", "HPD"), org(1, "Harlow", kind="GPE")],
            "a2": [org(0, "Hollis Police Division", "HPD"), org(1, "Hollis", kind="GPE")],
        }
    )
    assert not named_together(found, "Harlow Police Department", "Hollis Police Division")


def test_an_acronym_alone_joins_the_name_its_context_supports():
    found = resolve(
        {
            "a1": [org(0, "Harlow Police Department"), org(1, "Harlow", kind="GPE")],
            "a2": [org(0, "Hollis Police Division"), org(1, "Hollis", kind="GPE")],
            "a3": [org(0, "HPD"), org(1, "Harlow", kind="GPE")],
            # nobody of either around it: it joins neither
            "a4": [org(0, "HPD"), org(1, "Sarn", kind="GPE")],
        }
    )
    assert named_together(found, "Harlow Police Department", "HPD")
    harlow = next(e for e in found if "Harlow Police Department" in e.aliases)
    assert harlow.article_ids == ["a1", "a3"]


def test_two_spellings_of_one_name_are_one_and_a_dateline_is_no_acronym():
    found = resolve(
        {
            "a1": [org(0, "Corvale Election Commission"), org(1, "Sarn", kind="GPE")],
            "a2": [org(0, "Corvale Elections Commission"), org(1, "Sarn", kind="GPE")],
            "a3": [org(0, "Associated Press"), org(1, "Ruskor", kind="GPE")],
            "a4": [org(0, "AP"), org(1, "RUSKOR", kind="GPE")],
        },
        {"a4": [("RUSKOR", "AP")], "a1": [("Corvale Election Commission", "CEC")]},
    )
    assert named_together(found, "Corvale Election Commission", "Corvale Elections Commission")
    assert not named_together(found, "RUSKOR", "AP") and named_together(found, "Associated Press", "AP")


def test_an_acronym_of_another_language_joins_through_the_alias_table():
    found = resolve(
        {
            "a1": [org(0, "Kurdistan Workers’ Party"), org(1, "Turkey", kind="GPE")],
            "a2": [org(0, "PKK"), org(1, "Syria", kind="GPE")],
        },
        {"a3": [("Kurdistan Workers Party", "PKK")]},
    )
    assert named_together(found, "Kurdistan Workers’ Party", "PKK")


# -- sex, where the names and titles tell it -----------------------------------------------------


def test_a_first_name_and_a_title_tell_a_persons_sex_where_the_census_lists_agree():
    assert first_name_gender("Martha Vell") == "f" and first_name_gender("George Vell") == "m"
    assert first_name_gender("Vell") is None  # a surname alone
    assert first_name_gender("Leslie Vell") is None  # a name both lists give often
    assert first_name_gender("Reed-Vell") is None  # a hyphenated surname is no first name
    assert title_gender("Mrs.") == "f" and title_gender("Mr") == "m" and title_gender("Sen.") is None


def test_a_title_of_the_other_sex_is_not_the_person_sharing_the_surname():
    analysis = analysed(
        "Martha Vell and her husband, George Vell, opened the bakery on Main Street in 1990.",
        "George Vell baked the bread. Mrs. Vell kept the books, and Mr. Vell drove the van.",
    )
    locals_of = {m.text: m.local for e in analysis.entities for m in e.mentions}
    by_index = {e.index: fullest_name(e) for e in analysis.entities}
    women = [fullest_name(e) for e in analysis.entities for m in e.mentions if m.role and "Mrs" in m.role]
    men = [
        fullest_name(e) for e in analysis.entities for m in e.mentions if m.role and m.role.startswith("Mr.")
    ]
    assert women == ["Martha Vell"]  # not George, though he was named just before
    assert men == ["George Vell"]
    assert by_index[locals_of["Martha Vell"]] == "Martha Vell"


def test_a_surname_two_people_share_is_whoever_was_last_named_by_it():
    analysis = analysed(
        "Jordan Pike, 45, was charged Tuesday in the shooting death of 11-year-old Lia Marsh in Quenby.",
        "After the hearing, harbour pilot Tomas Marsh, who is a cousin of Lia, said the family had no peace.",
        '"There is a hole there," said Marsh. "That voice is not there."',
    )
    names = {e.index: fullest_name(e) for e in analysis.entities}
    # "Lia", named after Tomas Marsh, names no Marsh: the quotes are the cousin's, not the girl's
    speakers = {names.get(q.speaker_local) for q in analysis.quotes if q.speaker_text == "Marsh"}
    assert speakers == {"Tomas Marsh"}
    lia = next(e for e in analysis.entities if fullest_name(e) == "Lia Marsh")
    assert "Lia" in lia.names  # the given name alone is still hers
