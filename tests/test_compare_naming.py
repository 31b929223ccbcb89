"""How outlets describe who a named person or organisation is, shown side by side as labels."""

from __future__ import annotations

import pytest
from conftest import ingest_outlets

from storylens.compare.claims import Claim, bind, parse_claims
from storylens.compare.labels import entity_labels
from storylens.compare.naming import naming_all
from storylens.compare.people import one_person
from storylens.model import Article
from storylens.understand.nlp import parse


def first_description(doc, start: int, end: int) -> str | None:
    """The first description naming_all finds for the mention at these offsets, or None."""
    descriptions = naming_all(doc, start, end)[1]
    return descriptions[0] if descriptions else None


@pytest.fixture(scope="module")
def described():
    """The description found for each person or organisation of each sentence, by its name."""
    texts = [
        "Harbor union leader Tomas Reyn said the strike would continue.",
        "The strike will go on, said Lena Ostrova, a veteran maritime lawyer, on Monday.",
        "The shipping magnate, Arvid Kolst, bought the port.",
        "The far-right blogger Arvid Kolst posted the video.",
        "Senator Lena Ostrova voted against the bill.",
        "The union hired Mr. Tomas Reyn last year.",
        "Prosecutors charged Arvid Kolst, fraud and bribery counts included.",
        "Former Rep. Lena Ostrova spoke first.",
    ]
    found = []
    for doc in parse(texts):
        people = [e for e in doc.ents if e.label_ in {"PERSON", "ORG"}]
        found.append({e.text: first_description(doc, e.start_char, e.end_char) for e in people})
    return found


def test_words_before_a_name_or_in_apposition_describe_who_it_is(described):
    assert described[0] == {"Tomas Reyn": "harbor union leader"}
    assert described[1] == {"Lena Ostrova": "veteran maritime lawyer"}  # the article "a" left out
    assert described[2] == {"Arvid Kolst": "shipping magnate"}
    assert described[3] == {"Arvid Kolst": "far-right blogger"}  # the hyphenated word kept whole


def test_a_bare_title_an_honorific_or_a_plural_is_no_description(described):
    assert described[4] == {"Lena Ostrova": None}  # "Senator": an office the name carries
    assert described[5] == {"Tomas Reyn": None}  # "Mr."
    assert described[6] == {"Arvid Kolst": None}  # "counts" are not who he is
    assert described[7] == {"Lena Ostrova": "former representative"}  # "Rep." written out


def _claims(
    texts: dict[str, str],
    kinds: frozenset[str] = frozenset({"PERSON"}),
    entity_of=lambda name: "e-" + name.split()[-1].lower(),
    names: dict[str, str] | None = None,
) -> list[Claim]:
    """Each outlet's one-sentence article, its mentions (of these kinds) bound to an entity
    (`entity_of` the name as written: by surname unless told otherwise); `names`, when given,
    collects each entity's name."""
    found = []
    for (outlet, text), doc in zip(texts.items(), parse(list(texts.values())), strict=True):
        article = Article(f"a-{outlet}", "test", outlet, "", None, None, "en", None, [text])
        spans = [
            (e.start_char, e.end_char, entity_of(e.text), e.text, e.label_)
            for e in doc.ents
            if e.label_ in kinds
        ]
        if names is not None:
            names.update({entity: name for _, _, entity, name, _ in spans})
        found += [bind(p, article, spans) for p in parse_claims(doc, [(s, e) for s, e, *_ in spans])]
    return found


def _only_labels(texts: dict[str, str], name: str) -> dict[str, list[str]]:
    """The labels of the one entry entity_labels() shows for the person `name` in these articles."""
    [entry] = entity_labels(_claims(texts), {"e-" + name.split()[-1].lower(): name})
    return entry["labels"]


def test_outlets_describing_one_person_differently_are_listed_side_by_side():
    claims = _claims(
        {
            "A": "The far-right blogger Arvid Kolst posted the video on Tuesday night.",
            "B": "The independent journalist Arvid Kolst posted the video on Tuesday night.",
            "C": "The far-right blogger Arvid Kolst shared a video of the protest.",
        }
    )
    entries = entity_labels(claims, {"e-kolst": "Arvid Kolst"})
    assert entries == [
        {
            "entity_id": "e-kolst",
            "entity": "Arvid Kolst",
            "labels": {"far-right blogger": ["A", "C"], "independent journalist": ["B"]},
            "why": "the outlets name or describe this entity in different words",
        }
    ]


def test_outlets_describing_one_person_alike_list_nothing():
    claims = _claims(
        {
            "A": "The far-right blogger Arvid Kolst posted the video on Tuesday night. "
            "The independent journalist Arvid Kolst later deleted it.",  # one outlet, two descriptions
            "B": "The far-right blogger Arvid Kolst shared a video of the protest.",
            "C": "Arvid Kolst posted the video of the protest on Tuesday night.",  # no description
        }
    )
    assert {w for c in claims for _, w in c.described} == {"far-right blogger", "independent journalist"}
    assert entity_labels(claims, {"e-kolst": "Arvid Kolst"}) == []  # B uses no word A does not


def test_loaded_verbs_are_found_where_the_parse_reads_a_verb_outside_a_quotation():
    from storylens.compare.framing import loaded_verbs

    texts = [
        "The senator lashed out at the harbour plan on Monday.",
        "The mayor slammed the council and claimed the vote was rigged.",
        '"They blasted the plan," the mayor said of the council.',  # the speaker's word
        "The union filed a claim for lost wages.",  # a noun
        "The crash claimed the lives of two ferry workers.",  # no clause after "claim": a literal sense
        "A delivery van slammed into the harbour wall on Monday.",  # "into": a literal sense
    ]
    assert [loaded_verbs(list(doc)) for doc in parse(texts)] == [
        ["lash out"],
        ["slam", "claim"],
        [],
        [],
        [],
        [],
    ]


def test_a_loaded_verb_one_outlet_alone_uses_is_shown_as_its_framing():
    from collections import Counter

    from storylens.compare.framing import with_loaded_verbs

    counts = {"A": Counter({"mayor": 2, "vote": 1}), "B": Counter({"mayor": 1, "slam": 1}), "C": Counter()}
    verbs = {"A": {"slam", "scoff"}, "B": {"slam"}, "C": set()}
    framing = with_loaded_verbs({"A": [("heartless", -2.6)], "B": [], "C": []}, verbs, counts)
    assert [t for t, _ in framing["A"]] == ["heartless", "scoff"]  # "slam" is B's word too
    assert framing["B"] == [] and framing["C"] == []
    # a verb of saying that judges ("claimed that") is kept out of a summary but not shown as framing
    verbs["C"] = {"claim"}
    assert with_loaded_verbs({"A": [], "B": [], "C": []}, verbs, counts)["C"] == []
    assert [
        t for t, _ in with_loaded_verbs({"A": [], "B": [], "C": []}, verbs, counts, shown=False)["C"]
    ] == ["claim"]


def test_an_honorific_before_the_name_does_not_hide_the_apposition_after_it():
    text = "Mr. Tomas Reyn, a veteran crane operator, said the strike would continue."
    [doc] = parse([text])
    start = text.index("Tomas")
    assert first_description(doc, start, start + len("Tomas Reyn")) == "veteran crane operator"


def test_a_relative_clause_or_an_apposition_before_a_titled_name_says_who_it_is():

    texts = {
        "Mara Quill": "Mara Quill, who is the second-ranking Democrat in the Assembly, voted no.",
        "Tomas Reyn": "Both the longest-serving member of the board, Councillor Tomas Reyn, and two others left.",
        "Lena Ostrova": "Lena Ostrova, the newly installed speaker of the Assembly, read the charter.",
        "Arvid Kolst": "Whatever the question, Arvid Kolst answers with a joke.",  # "the question" is not who he is
        "Ida Venn": "The paper said that Mayor Bo Lind directed lawyer Ida Venn to settle.",  # a clause
    }
    found = {}
    for (name, text), doc in zip(texts.items(), parse(list(texts.values())), strict=True):
        start = text.index(name)
        found[name] = naming_all(doc, start, start + len(name))[1]
    assert found["Mara Quill"] == ["second-ranking democrat in the assembly"]
    assert found["Tomas Reyn"] == ["longest-serving member of the board"]
    assert found["Lena Ostrova"] == ["newly installed speaker of the assembly"]
    assert found["Arvid Kolst"] == []
    assert "directed lawyer" not in " ".join(found["Ida Venn"])


def test_forms_of_one_description_are_one_choice_but_a_loaded_word_is_another():
    claims = _claims(
        {
            "A": "The deputy harbour commissioner Tomas Reyn signed the order on Monday.",
            "B": "The Valdrian deputy harbour commissioner Tomas Reyn signed the order on Monday.",
        },
        kinds=frozenset({"PERSON", "NORP", "GPE"}),
    )
    found = {w for c in claims for _, w in c.described}
    assert found == {"deputy harbour commissioner", "valdrian deputy harbour commissioner"}
    assert entity_labels(claims, {"e-reyn": "Tomas Reyn"}) == []  # only a name added: one choice
    labels = _only_labels(
        {
            "A": "Tomas Reyn, a conspiracy theorist, posted the video on Monday.",
            "B": "Tomas Reyn, a far-right conspiracy theorist, posted the video on Monday.",
        },
        "Tomas Reyn",
    )
    assert labels == {"conspiracy theorist": ["A"], "far-right conspiracy theorist": ["B"]}


def test_noun_phrases_are_a_modifier_and_its_noun_outside_names_and_quotations():
    from storylens.compare.naming import noun_phrases

    text = (
        "Agents detained undocumented immigrants near the harbour wall, and Mayor Ida Venn called "
        'it "a reckless raid" as far-right bloggers cheered.'
    )
    [doc] = parse([text])
    start = text.index("Ida Venn")
    phrases = noun_phrases(list(doc), [(start, start + len("Ida Venn"))])
    assert "undocumented immigrant" in phrases and "harbour wall" in phrases
    assert "reckless raid" not in phrases  # the mayor's words, not the outlet's
    assert not any(p.startswith(("detain", "right ", "venn")) for p in phrases)  # a verb, half a word, a name
    [doc] = parse(['" Agents detained undocumented immigrants near the harbour wall.'])  # a mark left over
    assert "undocumented immigrant" in noun_phrases(list(doc), [])


def test_a_plural_modifier_is_kept_as_written():
    from storylens.compare.naming import noun_phrases

    [doc] = parse(["The harbour's civil rights group asked two media companies for the tapes on Friday."])
    phrases = noun_phrases(list(doc), [])
    assert "rights group" in phrases and "media company" in phrases  # not "right group", "medium company"


def _claims_by_name(texts: dict[str, str]) -> tuple[list[Claim], dict[str, str]]:
    """As _claims, each person's entity named by the whole name as written (the store may keep
    "Tomas Reyn" and "Tomas J. Reyn III" apart), with the names."""
    names: dict[str, str] = {}
    claims = _claims(texts, entity_of=lambda name: "e-" + name.lower().replace(" ", "-"), names=names)
    return claims, names


def test_one_person_under_two_names_in_the_store_is_described_as_one():
    claims, names = _claims_by_name(
        {
            "A": "Harbor union leader Tomas Reyn said the strike would continue.",
            "B": "Tomas J. Reyn III, a veteran maritime lawyer, said the strike would continue.",
        }
    )
    assert len(names) == 2
    [entry] = entity_labels(claims, names, set(names))
    assert entry["labels"] == {"harbor union leader": ["A"], "veteran maritime lawyer": ["B"]}
    assert entity_labels(claims, names) == []  # no persons known: two entities, one description each


def test_a_given_name_and_its_short_form_are_shown_as_the_outlets_choice():
    claims, names = _claims_by_name(
        {
            "A": "Dave Kolst won the primary on Tuesday night.",
            "B": "David Kolst won the primary on Tuesday night.",
        }
    )
    [entry] = entity_labels(claims, names, set(names))
    assert entry["labels"] == {"Dave Kolst": ["A"], "David Kolst": ["B"]}


def test_two_names_one_article_names_both_are_two_people():
    claims, names = _claims_by_name(
        {
            "A": "The retired pastor Jesse Ostrova and his son, Jesse Ostrova Jr., spoke on Monday.",
            "B": "The state senator Jesse Ostrova Jr. spoke on Monday.",
        }
    )
    person = one_person(claims, names, set(names))
    assert len(set(person.values())) == 2


def test_a_role_noun_continuing_the_subject_describes_the_person_named_before():
    labels = _only_labels(
        {
            "A": "The far-right blogger Arvid Kolst posted the video on Tuesday night.",
            "B": "Arvid Kolst posted the video on Tuesday night. The billionaire said it was a joke.",
        },
        "Arvid Kolst",
    )
    assert labels == {"billionaire": ["B"], "far-right blogger": ["A"]}


def test_a_role_noun_after_a_sentence_about_something_else_describes_no_one():
    claims = _claims(
        {
            "A": "Arvid Kolst posted the video on Tuesday night. The port closed early on Wednesday. "
            "The billionaire said it was a joke.",
        }
    )
    assert [d for c in claims for d in c.described] == []


PRIMARY_A = """Kolst wins the Tarrow primary

Dave Kolst won the Tarrow primary on Tuesday night, the Tarrow Election Board said.

Kolst thanked the volunteers of the Tarrow Farmers Union.
"""
PRIMARY_B = """Economist takes Tarrow primary

David Kolst, an economics professor, won the Tarrow primary on Tuesday night, the Tarrow Election Board said.

Kolst thanked the volunteers of the Tarrow Farmers Union.
"""


def test_a_store_that_holds_one_person_lists_the_given_names_each_outlet_writes(tmp_path):
    from storylens import open_store
    from storylens.pipeline import compare_articles

    with open_store(ingest_outlets(tmp_path, {"Harbor Wire": PRIMARY_A, "Coast Daily": PRIMARY_B})) as store:
        ids = [a for r in store.story_rows() for a in r["article_ids"]]
        people = [e for e in store.entity_rows("PERSON") if "kolst" in e["name"].lower()]
        comparison = compare_articles(store, sorted(ids))
    assert len(people) == 1  # the store holds one person under one name
    [entry] = [e for e in comparison.labels if e["entity_id"] == people[0]["id"]]
    assert entry["labels"]["Dave Kolst"] == ["Harbor Wire"]
    assert entry["labels"]["David Kolst"] == ["Coast Daily"]


def _one_claim_each(texts: dict[str, str]) -> tuple[dict[str, Claim], dict]:
    """Each outlet's one-sentence article as one claim, bound with its quotations known, and each
    outlet's word counts (for framing)."""
    from collections import Counter

    from storylens.understand.marks import quote_spans

    claims, counts = {}, {}
    for (outlet, text), doc in zip(texts.items(), parse(list(texts.values())), strict=True):
        article = Article(f"a-{outlet}", "test", outlet, "", None, None, "en", None, [text])
        [claims[outlet]] = [bind(p, article, [], quoted=quote_spans(text)) for p in parse_claims(doc, [])]
        counts[outlet] = Counter(w for w, _ in claims[outlet].tokens if w != "|")
    return claims, counts


def test_a_loaded_word_an_outlet_only_quotes_is_the_speakers_not_the_outlets_framing():
    from storylens.compare.framing import loaded_terms

    quoting = "“It is a heartless policy,” the mayor said of the new port plan on Monday."
    claims, counts = _one_claim_each(
        {
            "A": quoting,
            "A unquoted": quoting.replace("“", "").replace("”", ""),
            "B": "The council passed the budget for the new port on Monday evening.",
        }
    )
    modifiers = {outlet: set(claim.modifiers) for outlet, claim in claims.items()}
    assert "heartless" not in modifiers["A"] and "heartless" in modifiers["A unquoted"]
    for outlet, shown in [("A", []), ("A unquoted", ["heartless"])]:
        two = {outlet: counts[outlet], "B": counts["B"]}
        found = loaded_terms(two, modifiers={outlet: modifiers[outlet], "B": modifiers["B"]})
        assert [t for t, _ in found[outlet]] == shown  # the mayor's word is not A's framing


def test_a_loaded_noun_in_an_outlets_own_words_is_its_framing_and_a_quoted_one_is_not():
    from storylens.compare.framing import with_loaded_verbs

    claims, counts = _one_claim_each(
        {
            "A": "The mayor went on a tirade about the port plan at the council meeting on Monday.",
            "A quoting": "“It was a tirade about the port plan,” a councillor said of the mayor on Monday.",
            "B": "The mayor spoke at length about the port plan at the council meeting on Monday.",
        }
    )
    loaded = {outlet: set(claim.loaded) for outlet, claim in claims.items()}
    assert "tirade" in loaded["A"] and "tirade" not in loaded["A quoting"]
    for outlet, shown in [("A", ["tirade"]), ("A quoting", [])]:
        found = with_loaded_verbs(
            {outlet: [], "B": []},
            {outlet: loaded[outlet], "B": loaded["B"]},
            {outlet: counts[outlet], "B": counts["B"]},
        )
        assert [t for t, _ in found[outlet]] == shown
