"""An entity keeps its id as the store grows (its page's address holds), and a story's kept
comparison is forgotten when an entity of one of its articles moves, and only then."""

from __future__ import annotations

from types import SimpleNamespace

from test_kept_counts import analysis, article, story

from storylens import open_store
from storylens.store.entities import kept_ids


def entity(id_: str, name: str, members: list[str], kind: str = "PERSON") -> SimpleNamespace:
    return SimpleNamespace(
        id=id_, name=name, type=kind, aliases=[name], roles=[], members=[(a, 0) for a in members]
    )


def fill(store, n: int = 6) -> list:
    articles = [article(k, f"2025-04-0{1 + k}") for k in range(n)]
    store.write_batch([(a, f"raw{a.id}") for a in articles], [], [])
    store.write_analyses([analysis(k) for k in range(n)], "test", [[f"q{k}"] for k in range(n)])
    return articles


def test_an_entity_keeps_its_id_while_its_name_and_type_hold(db):
    with open_store(db) as store:
        fill(store)
        moved = store.replace_entities([entity("e_first", "Ilse Varn", ["a0", "a1"])])
        assert moved == ["a0", "a1"]
        # Resolved again with a new member: its own id would be another, the stored one is kept.
        moved = store.replace_entities([entity("e_again", "Ilse Varn", ["a0", "a1", "a2"])])
        assert [e["id"] for e in store.entity_rows()] == ["e_first"]
        assert moved == ["a2"]
        assert {q["speaker_id"] for q in store.quote_rows() if q["article_id"] in ("a0", "a1", "a2")} == {
            "e_first"
        }
        # Renamed, it is another entity to a reader: a new id, and every member moved.
        moved = store.replace_entities([entity("e_renamed", "Ilse Varn-Osk", ["a0", "a1", "a2"])])
        assert [e["id"] for e in store.entity_rows()] == ["e_renamed"]
        assert moved == ["a0", "a1", "a2"]
        # Split in two: the part sharing most keeps the id; the other takes its own.
        store.replace_entities(
            [entity("e_x", "Ilse Varn-Osk", ["a0", "a1"]), entity("e_y", "Ilse Varn-Osk", ["a2"])]
        )
        assert sorted(e["id"] for e in store.entity_rows()) == ["e_renamed", "e_y"]


def test_a_new_entity_never_takes_an_id_another_kept():
    # e_a's members went to "e_b"; a new entity whose own id is e_a (it holds e_a's first member).
    entities = [entity("e_b", "Ilse Varn", ["a1", "a2"]), entity("e_a", "Ilse Varn", ["a0"])]
    ids = kept_ids(
        entities, [("e_b", "e_a", "Ilse Varn", "PERSON", 2), ("e_a", "e_a", "Ilse Varn", "PERSON", 1)]
    )
    assert ids["e_b"] == "e_a"
    assert ids["e_a"] not in ("e_a", "e_b") and ids["e_a"].startswith("e_")
    # A stored entity of another type or name gives no id.
    assert kept_ids(
        [entity("e_c", "Ilse Varn", ["a0"], "ORG")], [("e_c", "e_a", "Ilse Varn", "PERSON", 1)]
    ) == {"e_c": "e_c"}


def test_a_kept_comparison_is_forgotten_when_an_entity_of_its_articles_moves(db):
    with open_store(db) as store:
        articles = fill(store)
        store.write_stories([story("t_ferry", articles[0:2]), story("t_strike", articles[2:4])], {})
        store.replace_entities(
            [entity("e_varn", "Ilse Varn", ["a0", "a1", "a2"]), entity("e_osk", "Tamar Osk", ["a3"])]
        )
        for row in store.story_rows():
            store.cache_comparison(row["id"], "members", "version", "{}")
        store.replace_entities(  # a2 is found to name Tamar Osk, not Ilse Varn
            [entity("e_varn", "Ilse Varn", ["a0", "a1"]), entity("e_osk", "Tamar Osk", ["a2", "a3"])]
        )
        assert list(store.stored_comparisons()) == ["t_ferry"]
        store.replace_entities(
            [entity("e_varn2", "Ilse Varn", ["a0", "a1", "a4"]), entity("e_osk", "Tamar Osk", ["a2", "a3"])]
        )  # a new article joins Ilse Varn: a0 and a1 keep their entity
        assert list(store.stored_comparisons()) == ["t_ferry"]


def test_a_quote_whose_speaker_moves_is_linked_again_with_the_speakers_it_leaves(db):
    with open_store(db) as store:
        fill(store, 3)
        store.replace_entities([entity("e_varn", "Ilse Varn", ["a0", "a1", "a2"])])
        store.set_statements({"q0": "s_varn", "q1": "s_varn", "q2": "s_other"})
        assert store.quotes_to_link() == set()
        store.replace_entities([entity("e_varn", "Ilse Varn", ["a0", "a1", "a2"])])  # nothing moves
        assert store.quotes_to_link() == set()
        store.replace_entities(
            [entity("e_varn", "Ilse Varn", ["a0", "a1"]), entity("e_osk", "Tamar Osk", ["a2"])]
        )
        assert store.quotes_to_link() == {"q0", "q1", "q2"}  # a2's quote, and Ilse Varn's it left
