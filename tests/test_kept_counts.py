"""The store's kept counts and stories by outlet (version 15): a list's total is read, not
counted, and one outlet's stories are read over an index; both follow every write, and a store
from version 14 gets them when it is opened."""

from __future__ import annotations

import sqlite3
from types import SimpleNamespace

import numpy as np

from storylens import open_store
from storylens.model import Article, Passage, Reuse
from storylens.store.db import SCHEMA_VERSION
from storylens.store.lists import StoryFilter

OUTLETS = ("Harbour Gazette", "Valley Courier", "Marrow Wire")


def article(n: int, published: str | None) -> Article:
    return Article(
        f"a{n}", f"in/{n}.txt", OUTLETS[n % 3], f"Ferry {n} returns to Marrow Island", published, None, "en",
        None, [f"The ferry numbered {n} sailed from Port Ellis at dawn, the harbour master said."],
    )  # fmt: skip


def story(story_id: str, members: list[Article]) -> SimpleNamespace:
    dated = [a.published for a in members if a.published]
    return SimpleNamespace(
        id=story_id, title=story_id, first_published=min(dated, default=None),
        last_published=max(dated, default=None), first_day=None, last_day=None,
        article_ids=[a.id for a in members], similarity=[1.0] * len(members),
        vector_sum=np.zeros(0, dtype=np.float32),
    )  # fmt: skip


def analysis(n: int, quotes: int = 1) -> SimpleNamespace:
    quote = SimpleNamespace(
        paragraph=0, start=0, end=9, text="at dawn", direct=True, speaker_text="the harbour master",
        speaker_kind="person", speaker_local=0, form="direct", cue="said", evidence="test",
    )  # fmt: skip
    entity = SimpleNamespace(index=0, type="PERSON", names=["Ilse Varn"], roles=[])
    return SimpleNamespace(
        article_id=f"a{n}", mentions=[], entities=[entity], quotes=[quote][:quotes], acronyms=[]
    )


def reuse(a: str, b: str) -> Reuse:
    passage = Passage(0, 9, 0, 9, "sailed from Port Ellis", "sailed from Port Ellis", 1.0, False)
    return Reuse(a, b, [passage], 0.5, 0.5, copier=b, source=a)


def totals(store) -> dict[str, int]:
    """Each list's total as a page gives it, and as counting its rows gives it."""
    given = {
        "articles": store.article_page(0, 2).total,
        "stories": store.story_page(StoryFilter(), 0, 2).total,
        "entities": store.entity_page(0, 2).total,
        "quotes": store.quote_page(0, 2).total,
        "statements": store.statement_page(0, 2).total,
        "reuse": store.reuse_page(0, 2).total,
    }
    counted = {
        "articles": len(store.article_rows()),
        "stories": len(store.story_rows()),
        "entities": len(store.entity_rows()),
        "quotes": len(store.quote_rows()),
        "statements": len({q["statement_id"] for q in store.quote_rows()} - {None}),
        "reuse": len(store.reuse_rows()),
    }
    assert given == counted
    return given


def outlet_stories(store, outlet: str, limit: int = 100) -> list[str]:
    return [r["id"] for r in store.story_page(StoryFilter(outlet=outlet), 0, limit).rows]


def stories_naming_outlet(store, outlet: str) -> list[str]:
    """What the outlet filter must give: the stories with an article of the outlet, newest first
    and the undated before them, as the unfiltered list orders them."""
    everything = store.story_page(StoryFilter(), 0, 1000).rows
    return [r["id"] for r in everything if outlet in r["outlets"]]


def fill(store) -> list[Article]:
    articles = [article(n, f"2025-04-{1 + n % 9:02d}" if n % 4 else None) for n in range(12)]
    store.write_batch([(a, f"raw{a.id}") for a in articles], [], [])
    store.write_analyses([analysis(n) for n in range(12)], "test", [[f"q{n}"] for n in range(12)])
    store.set_statements({f"q{n}": f"st{n % 5}" for n in range(10)})
    store.replace_entities(
        [SimpleNamespace(id="e_varn", name="Ilse Varn", type="PERSON", aliases=[], roles=[], members=[])]
    )
    store.add_reuse([reuse("a1", "a2"), reuse("a3", "a4")], [a.id for a in articles])
    by_id = {a.id: a for a in articles}
    groups = {"t_undated": ["a0", "a8"], "t_ferry": ["a3", "a7"], "t_strike": ["a1", "a4"], "t_port": ["a9"]}
    store.write_stories([story(s, [by_id[a] for a in ids]) for s, ids in groups.items()], {})
    return articles


def test_every_lists_total_follows_writes_and_deletes(db):
    with open_store(db) as store:
        assert totals(store) == dict.fromkeys(totals(store), 0)
        articles = fill(store)
        assert totals(store) == {
            "articles": 12, "stories": 4, "entities": 1, "quotes": 12, "statements": 5, "reuse": 2
        }  # fmt: skip
        store.set_statements({"q0": "st1", "q5": "st1", "q11": "st7"})  # st0's quotes move, st7 is new
        store.replace_reuse([reuse("a5", "a6")])
        store.write_analyses([analysis(3, 0), analysis(8, 0)], "test", [[], []])  # st3's quotes gone
        store.write_stories([story("t_strike", [articles[1]])], {}, gone=["t_port"])
        store.replace_entities([])
        assert totals(store) == {
            "articles": 12, "stories": 3, "entities": 0, "quotes": 10, "statements": 4, "reuse": 1
        }  # fmt: skip


def test_an_outlets_stories_follow_their_members(db):
    with open_store(db) as store:
        articles = fill(store)
        for outlet in OUTLETS:
            assert outlet_stories(store, outlet) == stories_naming_outlet(store, outlet)
        assert outlet_stories(store, "Harbour Gazette") == ["t_undated", "t_ferry", "t_port"]
        assert store.story_page(StoryFilter(outlet="Harbour Gazette"), 0, 1).total == 3
        # a3 (the Gazette's) leaves t_ferry for t_strike; t_port is merged away.
        by_id = {a.id: a for a in articles}
        moved = {"t_ferry": ["a7"], "t_strike": ["a1", "a4", "a3"]}
        store.write_stories(
            [story(s, [by_id[a] for a in ids]) for s, ids in moved.items()], {}, gone=["t_port"]
        )
        for outlet in OUTLETS:
            assert outlet_stories(store, outlet) == stories_naming_outlet(store, outlet)
        assert outlet_stories(store, "Harbour Gazette") == ["t_undated", "t_strike"]
        assert outlet_stories(store, "Valley Courier") == ["t_ferry", "t_strike"]
        assert outlet_stories(store, "Marrow Wire") == ["t_undated"]


def test_an_outlets_stories_page_by_cursor_and_with_other_filters(db):
    with open_store(db) as store:
        fill(store)
        first = store.story_page(StoryFilter(outlet="Harbour Gazette"), 0, 2)
        rest = store.story_page(StoryFilter(outlet="Harbour Gazette"), 0, 2, cursor=first.next)
        assert [r["id"] for r in first.rows + rest.rows] == ["t_undated", "t_ferry", "t_port"]
        narrowed = store.story_page(StoryFilter(outlet="Harbour Gazette", since="2025-04-08"), 0, 10)
        assert [r["id"] for r in narrowed.rows] == ["t_ferry"] and narrowed.total == 1


def test_a_version_14_store_gets_its_counts_and_outlets_when_opened(db):
    with open_store(db) as store:
        fill(store)
        before = totals(store), {o: outlet_stories(store, o) for o in OUTLETS}
    raw = sqlite3.connect(db)
    for (name,) in raw.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND (name LIKE 'counted_%' "
        "OR name LIKE 'story_outlets_%')"
    ).fetchall():
        raw.execute(f"DROP TRIGGER {name}")
    raw.executescript("DROP TABLE list_counts; DROP TABLE story_outlets; PRAGMA user_version = 14;")
    raw.close()
    with open_store(db) as store:
        assert store.version == SCHEMA_VERSION
        assert (totals(store), {o: outlet_stories(store, o) for o in OUTLETS}) == before


def test_a_page_at_any_offset_is_that_slice_of_the_whole_list(db):
    """A page by offset starts after the row before it (its keys read alone, version 16): every
    offset of every list, across its parts (dated and undated), gives the slice of the whole."""
    with open_store(db) as store:
        fill(store)
        store.write_batch([(article(n, None), f"raw{n}") for n in range(12, 15)], [], [])
        lists = {
            "articles": lambda o, n: [r.id for r in store.article_page(o, n).rows],
            "stories": lambda o, n: [r["id"] for r in store.story_page(StoryFilter(), o, n).rows],
            "since": lambda o, n: [r["id"] for r in store.story_page(StoryFilter(since="2025-04-02"), o, n).rows],
            "outlet": lambda o, n: [r["id"] for r in store.story_page(StoryFilter(outlet="Harbour Gazette"), o, n).rows],
            "quotes": lambda o, n: [r["id"] for r in store.quote_page(o, n).rows],
            "reuse": lambda o, n: [(r["a"], r["b"]) for r in store.reuse_page(o, n).rows],
        }  # fmt: skip
        for name, page in lists.items():
            whole = page(0, 100)
            assert len(whole) >= 2, name
            for offset in range(len(whole) + 2):
                for size in (1, 2, 5):
                    assert page(offset, size) == whole[offset : offset + size], (name, offset, size)
        assert [r.published is None for r in store.article_page(0, 100).rows].count(True) == 6
