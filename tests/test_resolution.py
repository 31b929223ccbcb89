"""A round resolves only the stored entities its new articles reach (storylens/resolution.py),
and the store then holds what resolving every article gives: the same entities, members, names
and ids, whether a new mention joins an old entity, a new "Name (ACR)" pair names an old one or
teaches an alias."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

import storylens.resolution as resolution
from storylens import open_store
from storylens.model import Article
from storylens.pipeline import analyze_articles, link_store


def article(aid: str, *paragraphs: str) -> Article:
    return Article(aid, f"{aid}.txt", None, "t", None, None, "en", None, list(paragraphs))


def told(aid: str, entities: list[tuple[str, str]], pairs: list[tuple[str, str]] = ()) -> SimpleNamespace:
    """An analysis naming each (type, name) once, with these "Name (ACR)" pairs."""
    mentions = [
        SimpleNamespace(paragraph=0, start=0, end=len(n), text=n, name=n, type=t, role=None, local=i)
        for i, (t, n) in enumerate(entities)
    ]
    found = [SimpleNamespace(index=i, type=t, names=[n], roles=[]) for i, (t, n) in enumerate(entities)]
    return SimpleNamespace(article_id=aid, mentions=mentions, entities=found, quotes=[], acronyms=list(pairs))


def entities(store, ids: bool = True) -> list[tuple]:
    members: dict[str, list] = {}
    for aid, local, eid in store.db.execute("SELECT article_id, local, entity_id FROM local_entities"):
        members.setdefault(eid, []).append((aid, local))
    rows = store.db.execute("SELECT id, name, type, aliases, roles FROM entities").fetchall()
    return sorted((*(row if ids else row[1:]), tuple(sorted(members[row[0]]))) for row in rows)


@pytest.fixture
def reach(monkeypatch):
    """The local entities each resolution resolved (None: every article)."""
    seen: list = []
    real = resolution._replace

    def spy(store, locals_by_article, pairs, state, contexts, within):
        nodes = {(aid, e.index) for aid, found in locals_by_article.items() for e in found}
        seen.append(None if within is None else nodes)
        return real(store, locals_by_article, pairs, state, contexts, within)

    monkeypatch.setattr(resolution, "_replace", spy)
    return seen


FIRST = [
    article("a1", "Defence Minister Ayub Tarsan met rebel leaders in Ruskor on Tuesday, officials said."),
    article("a2", "Foreign Minister Lena Tarsan flew to Valdria on Monday."),
    article(
        "a4", "General Kasem Darvish arrived in Marrow Island. Qasem Darvish said the talks would go on."
    ),
]
SECOND = [
    article(
        "a3", "On Friday, Defence Minister Ayoub Tarsan said the army would stay. Mr Tarsan spoke in Ruskor."
    )
]


def analysed(path, batches: list[list[Article]], every_article: bool = False):
    """A store holding the batches, analysed and linked batch by batch (with `every_article`,
    each link resolves every article)."""
    store = open_store(path)
    for batch in batches:
        store.write_batch([(a, a.id) for a in batch], [], [])
        analyze_articles(store, batch)
        if every_article:
            store.db.execute("DELETE FROM pipeline_state WHERE key = 'resolution'")
        link_store(store)
    return store


def test_a_round_resolves_what_it_reaches_and_equals_resolving_every_article(tmp_path, reach):
    with analysed(tmp_path / "reached.db", [FIRST, SECOND]) as store:
        reached = entities(store)
    assert reach[0] is None  # the first resolution is of every article
    assert reach[1] is not None and ("a4", 0) not in reach[1]  # Kasem Darvish is not reached
    assert {aid for aid, _ in reach[1]} == {"a1", "a2", "a3"}  # the Tarsans and Ruskor are
    tarsan = [e for e in reached if "Ayoub Tarsan" in e[3]]
    # The new article's transliteration joined the stored Ayub Tarsan.
    assert len(tarsan) == 1 and tarsan[0][-1] == (("a1", 0), ("a3", 0))
    with analysed(tmp_path / "every.db", [FIRST, SECOND], every_article=True) as store:
        assert entities(store) == reached  # ids too: both kept them from the first round
    with analysed(tmp_path / "once.db", [FIRST + SECOND]) as store:
        assert entities(store, ids=False) == sorted(e[1:] for e in reached)


def pairs_store(path, rounds: list[list[SimpleNamespace]], every_article: bool = False):
    store = open_store(path)
    for analyses in rounds:
        store.write_batch([(article(a.article_id, "x"), a.article_id) for a in analyses], [], [])
        store.write_analyses(analyses, "test", [[] for _ in analyses])
        if every_article:
            store.db.execute("DELETE FROM pipeline_state WHERE key = 'resolution'")
        link_store(store)
    return store


OLD = [
    told("a1", [("ORG", "Front for Liberty"), ("GPE", "Ruskor")], [("Front for Liberty", "FFL")]),
    told("a2", [("ORG", "FFL"), ("PERSON", "Ayub Tarsan"), ("GPE", "Ruskor")]),
    told("a3", [("ORG", "Liberti Front"), ("GPE", "Valdria"), ("PERSON", "Lena Tarsan")]),
    told("a5", [("ORG", "Port Ellis Ferry Company"), ("PERSON", "Ilse Varn")]),
]


def test_a_new_pair_names_a_stored_organisation_as_resolving_every_article_does(tmp_path, reach):
    # The new pair's long form is one name with the stored "Liberti Front", which takes it as an
    # alias. A bare "Tarsan" in Ruskor is the stored Ayub Tarsan (of Ruskor), not Lena Tarsan (of
    # Valdria).
    new = [told("a6", [("PERSON", "Tarsan"), ("GPE", "Ruskor")], [("Liberty Front", "LF")])]
    with pairs_store(tmp_path / "reached.db", [OLD, new]) as store:
        reached = entities(store)
    assert reach[1] is not None and ("a3", 0) in reach[1] and ("a5", 0) not in reach[1]
    liberti = [e for e in reached if "Liberti Front" in e[3]]
    assert len(liberti) == 1 and "Liberty Front" in liberti[0][3]
    assert [e[-1] for e in reached if e[1] == "Ayub Tarsan"] == [(("a2", 1), ("a6", 0))]
    with pairs_store(tmp_path / "every.db", [OLD, new], every_article=True) as store:
        assert entities(store) == reached
    with pairs_store(tmp_path / "once.db", [OLD + new]) as store:
        assert entities(store, ids=False) == sorted(e[1:] for e in reached)


def test_a_pair_that_teaches_an_alias_resolves_the_names_it_changes_as_every_article_does(tmp_path, reach):
    # "LF" is new: the group key of the name "LF" changes with it, and no other. The articles
    # naming it (a7, stored before the pair taught it) are read again with their contexts; the
    # ferry company's article is not.
    lf = [told("a7", [("ORG", "LF"), ("GPE", "Valdria")])]
    new = [told("a6", [("ORG", "Liberti Front")], [("Liberti Front", "LF")])]
    with pairs_store(tmp_path / "reached.db", [OLD + lf, new]) as store:
        reached = entities(store)
    assert reach[0] is None and reach[1] is not None
    assert ("a7", 0) in reach[1] and ("a5", 0) not in reach[1]
    assert [e for e in reached if "LF" in e[3]][0][-1] == (("a3", 0), ("a6", 0), ("a7", 0))
    with pairs_store(tmp_path / "every.db", [OLD + lf, new], every_article=True) as store:
        assert entities(store) == reached
    with pairs_store(tmp_path / "once.db", [OLD + lf + new]) as store:
        assert entities(store, ids=False) == sorted(e[1:] for e in reached)


def test_an_article_analysed_again_resolves_every_article(tmp_path, reach):
    with pairs_store(tmp_path / "s.db", [OLD]) as store:
        store.write_analyses([told("a3", [("ORG", "Valdria Water Board")])], "test", [[]])
        link_store(store)
        assert reach == [None, None]
        assert store.db.execute("SELECT count(*) FROM local_entities WHERE entity_id IS NULL").fetchone() == (
            0,
        )
        assert not [e for e in entities(store) if "Liberti Front" in e[3]]


def test_entities_written_without_merge_keys_are_resolved_whole_next(tmp_path, reach):
    # What the Spark engine loads carries no merge keys: the next resolution reads every article.
    with pairs_store(tmp_path / "s.db", [OLD]) as store:
        assert store.resolution_state() is not None
        store.replace_entities([])
        assert store.resolution_state() is None
        assert store.db.execute("SELECT count(*) FROM entity_keys").fetchone() == (0,)
        store.write_batch([(article("a6", "x"), "a6")], [], [])
        store.write_analyses([told("a6", [("PERSON", "Tarsan"), ("GPE", "Ruskor")])], "test", [[]])
        link_store(store)
        assert reach == [None, None]


def test_nicknames_and_suffixes_resolve_by_reach_as_every_article_does(tmp_path, reach):
    council = ("ORG", "Ruskor Council")
    rounds = [
        [
            told("a1", [("PERSON", "Charles E. Pembrook"), council]),
            told("a2", [("PERSON", "Joseph R. Amberly Jr."), council]),
        ],
        [
            told("a3", [("PERSON", "Chuck Pembrook"), council]),
            told("a4", [("PERSON", "Joe Amberly"), council]),
        ],
        # an article naming a bare "Amberly" beside the son: Joe Amberly is no longer him
        [told("a5", [("PERSON", "Joseph R. Amberly Jr."), ("PERSON", "Amberly")])],
    ]
    with pairs_store(tmp_path / "reached.db", rounds) as store:
        reached = entities(store, ids=False)
    assert reach[1] is not None and reach[2] is not None
    with pairs_store(tmp_path / "every.db", rounds, every_article=True) as store:
        assert entities(store, ids=False) == reached
    members = {name: m for name, _, _, _, m in reached}
    assert members["Charles E. Pembrook"] == (("a1", 0), ("a3", 0))
    assert ("a4", 0) not in members["Joseph R. Amberly Jr."]
    with pairs_store(tmp_path / "two_rounds.db", rounds[:2]) as store:
        before = {name: m for name, _, _, _, m in entities(store, ids=False)}
    assert before["Joseph R. Amberly Jr."] == (("a2", 0), ("a4", 0))  # one man until a5


def test_an_acronym_alone_is_decided_again_by_reach_when_a_new_name_shares_its_initials(tmp_path, reach):
    rounds = [
        [
            told("a1", [("ORG", "Harlow Police Department"), ("GPE", "Harlow")]),
            told("a3", [("ORG", "HPD"), ("GPE", "Harlow")]),
        ],
        # a second name with those initials, as near to the lone "HPD" as the first: it joins neither
        [told("a2", [("ORG", "Hollis Police Division"), ("GPE", "Harlow")])],
    ]
    with pairs_store(tmp_path / "one_round.db", rounds[:1]) as store:
        before = {name: m for name, _, _, _, m in entities(store, ids=False)}
    assert before["Harlow Police Department"] == (("a1", 0), ("a3", 0))
    with pairs_store(tmp_path / "reached.db", rounds) as store:
        reached = entities(store, ids=False)
    assert reach[-1] is not None and ("a3", 0) in reach[-1]
    with pairs_store(tmp_path / "every.db", rounds, every_article=True) as store:
        assert entities(store, ids=False) == reached
    after = {name: m for name, _, _, _, m in reached}
    assert after["Harlow Police Department"] == (("a1", 0),) and after["HPD"] == (("a3", 0),)
