"""The store: schema version, idempotent re-ingest, duplicates, and a real kill -9 mid-ingest."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storylens import ingest, open_store
from storylens.model import Article
from storylens.store import StoreError
from storylens.store.db import SCHEMA_VERSION

STORY = (
    "Harbour pilots in Port Ellis guided ship number {n} into berth {berth} on {day}, the port "
    "authority said, as traffic returned to normal after the strike.\n"
    "The authority said {n} vessels had been handled since the union accepted a new contract.\n"
)


def write_corpus(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        title = f"Port Ellis handles vessel {n} as traffic recovers"
        body = STORY.format(n=n, berth=n % 17, day=("Monday", "Tuesday", "Friday")[n % 3])
        (folder / f"{n:05d}.txt").write_text(f"{title}\n{body}")


def test_a_new_store_has_the_current_schema_version_and_wal(db):
    with open_store(db) as store:
        assert store.version == SCHEMA_VERSION >= 1
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_store_from_a_newer_storylens_is_refused(db):
    open_store(db).close()
    raw = sqlite3.connect(db)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(StoreError, match="newer"):
        open_store(db)


def test_an_sqlite_file_that_is_not_a_store_is_refused(tmp_path):
    other = tmp_path / "other.db"
    raw = sqlite3.connect(other)
    raw.execute("CREATE TABLE notes (x)")
    raw.close()
    with pytest.raises(StoreError, match="not a storylens store"):
        open_store(other)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError):
        open_store(garbage)


def test_reingesting_the_same_files_adds_nothing(tmp_path, db):
    write_corpus(tmp_path / "in", 12)
    with open_store(db) as store:
        first = ingest([tmp_path / "in"], store)
        second = ingest([tmp_path / "in"], store)
        assert (first.added, second.added, second.already_seen) == (12, 0, 12)
        assert sorted(first.added_ids) == sorted(r.id for r in store.article_rows()) and not second.added_ids
        assert store.count("articles") == 12 and store.count("documents") == 12


def test_the_same_content_from_two_paths_is_one_article_with_two_sources(tmp_path, db):
    write_corpus(tmp_path / "a", 1)
    write_corpus(tmp_path / "b", 1)
    with open_store(db) as store:
        report = ingest([tmp_path / "a", tmp_path / "b"], store)
        [article] = list(store.articles())
        assert (report.added, report.duplicates) == (1, 1)
        assert store.sources(article.id) == [
            str(tmp_path / "a" / "00000.txt"),
            str(tmp_path / "b" / "00000.txt"),
        ]


def test_every_articles_url_is_read_at_once_and_a_plain_file_has_none(tmp_path, db):
    write_corpus(tmp_path / "in", 2)
    feed = tmp_path / "feed" / "wire.jsonl"
    feed.parent.mkdir()
    story = {"title": "Ferry to Marrow Island runs again", "text": STORY.format(n=7, berth=3, day="Monday")}
    feed.write_text(json.dumps({**story, "url": "https://wire.example/ferry"}) + "\n")
    with open_store(db) as store:
        ingest([tmp_path / "in", feed.parent], store)
        urls = store.article_urls()
        assert sorted(urls) == sorted(r.id for r in store.article_rows())
        assert sorted(urls.values(), key=str) == [None, None, "https://wire.example/ferry"]


def test_a_batch_is_all_or_nothing(tmp_path, db, monkeypatch):
    write_corpus(tmp_path / "in", 5)
    with open_store(db) as store:
        original = store.db

        class Failing:
            """Lets everything through but the third boilerplate insert (mid-transaction)."""

            def __init__(self):
                self.calls = 0

            def __getattr__(self, name):
                return getattr(original, name)

            def execute(self, sql, *args):
                if sql.startswith("INSERT OR IGNORE INTO article_sources"):
                    self.calls += 1
                    if self.calls == 3:
                        raise sqlite3.OperationalError("disk I/O error (simulated)")
                return original.execute(sql, *args)

        monkeypatch.setattr(store, "db", Failing())
        with pytest.raises(sqlite3.OperationalError):
            ingest([tmp_path / "in"], store)
        monkeypatch.setattr(store, "db", original)
        assert store.count("articles") == 0 and store.count("documents") == 0
        assert ingest([tmp_path / "in"], store).added == 5


def test_kill_9_mid_ingest_loses_nothing_committed_and_a_rerun_adds_no_duplicates(tmp_path):
    corpus, db = tmp_path / "in", tmp_path / "killed.db"
    total = 1500
    write_corpus(corpus, total)
    env = {**os.environ, "STORYLENS_BATCH_SIZE": "25"}
    # The store's durability is under test, not the NLP stage: --no-analyze keeps it quick.
    command = [sys.executable, "-m", "storylens.cli", "ingest", str(corpus), "--db", str(db), "--no-analyze"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    committed = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as probe:
                    committed = probe.execute("SELECT count(*) FROM articles").fetchone()[0]
            except sqlite3.OperationalError:
                committed = 0
            if committed >= 50:
                break
        time.sleep(0.02)
    assert process.poll() is None, "ingest finished before it could be killed; make the corpus larger"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    with open_store(db) as store:
        survived = store.count("articles")
        assert committed <= survived < total
        assert store.count("documents") == survived  # no half-written batch
    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    with open_store(db) as store:
        assert store.count("articles") == total
        assert store.count("documents") == total
        assert store.count("article_sources") == total


def _shape(db) -> dict:
    """Every table's columns (name, type, not-null, primary-key position), and every index and
    trigger: its table and what it is made of (the SQL, spaces and IF NOT EXISTS aside)."""
    raw = sqlite3.connect(db)
    tables = [r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    shape: dict = {
        t: [(c[1], c[2], c[3], c[5]) for c in raw.execute(f"PRAGMA table_info({t})")] for t in tables
    }
    for kind, name, table, sql in raw.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY name"
    ):
        made = " ".join((sql or "").replace("IF NOT EXISTS ", "").split())
        shape[f"{kind} {name}"] = (table, made)
    raw.close()
    return shape


def test_migrating_a_version_1_store_gives_exactly_the_fresh_schema(tmp_path):
    from storylens.store.db import _schema

    fresh, old = tmp_path / "fresh.db", tmp_path / "old.db"
    open_store(fresh).close()
    v1 = _schema().split("-- Understanding (version 2)")[0]
    raw = sqlite3.connect(old)
    raw.executescript(v1.replace(f"PRAGMA user_version = {SCHEMA_VERSION};", "PRAGMA user_version = 1;"))
    raw.close()
    open_store(old).close()  # schema.sql and the migrations must never drift apart
    assert _shape(old) == _shape(fresh)


def test_the_until_filter_lists_undated_stories_only_past_every_date(db):
    from types import SimpleNamespace

    import numpy as np

    from storylens.store.lists import StoryFilter

    def story(story_id: str, first: str | None, last: str | None) -> SimpleNamespace:
        return SimpleNamespace(
            id=story_id, title=story_id, first_published=first, last_published=last, first_day=None,
            last_day=None, article_ids=[], similarity=[], vector_sum=np.zeros(0, dtype=np.float32),
        )  # fmt: skip

    with open_store(db) as store:
        store.write_stories(
            [story("t_ferry", "2025-04-02T09:00", "2025-04-09"), story("t_undated", None, None)], {}
        )

        def listed(**only) -> list[str]:
            return sorted(r["id"] for r in store.story_page(StoryFilter(**only), 0, 10).rows)

        assert listed(until="2025-04-02") == ["t_ferry"]  # the whole day counts
        assert listed(until="2025-04-01") == []
        assert listed(until="9999-12-31") == ["t_ferry", "t_undated"]
        assert listed(since="2025-04-09", until="9999-12-31") == ["t_ferry"]


def test_a_story_and_an_article_are_found_by_their_id_or_a_prefix_of_it(db):
    from types import SimpleNamespace

    import numpy as np

    from storylens.model import Article

    def story(story_id: str) -> SimpleNamespace:
        return SimpleNamespace(
            id=story_id, title=story_id, first_published=None, last_published=None, first_day=None,
            last_day=None, article_ids=[], similarity=[], vector_sum=np.zeros(0, dtype=np.float32),
        )  # fmt: skip

    def article(article_id: str) -> Article:
        body = [f"The ferry {article_id} left Port Ellis at dawn, the harbour master said."]
        return Article(article_id, f"in/{article_id}.txt", None, "Ferry", None, None, "en", None, body)

    with open_store(db) as store:
        store.write_stories([story(s) for s in ("t_ferry", "t_ferrymen", "tXferry", "t_strike")], {})
        store.write_batch([(article(a), a) for a in ("a_ferry1", "a_ferry2", "a_strike")], [], [])

        def stories(prefix: str) -> list[str]:
            return sorted(r["id"] for r in store.story_rows(prefix))

        assert stories("t_ferry") == ["t_ferry", "t_ferrymen"]
        assert stories("t_") == ["t_ferry", "t_ferrymen", "t_strike"]  # "_" is itself, not any character
        assert stories("t_ferrymen") == ["t_ferrymen"] and stories("t_z") == []
        assert store.article("a_str").id == "a_strike"
        assert store.article("a_ferry") is None  # two articles start so
        assert store.article("a_ferry2").id == "a_ferry2"


def ferry(n: int, mentions: int) -> Article:
    """A written article naming the ferry `mentions` times in one paragraph of the same length."""
    words = ["ferry"] * mentions + ["harbour"] * (12 - mentions)
    return Article(
        f"f{n}", f"in/{n}.txt", "Harbour Gazette", f"Report {n} from Marrow Island", "2025-04-01", None,
        "en", None, [" ".join(words) + "."],
    )  # fmt: skip


def test_search_ranks_best_first_among_the_matches_stored_last(db):
    """The text filter ranks by bm25 among the `window` matches stored last: with every match in
    the window it is the best of all; an older match outside the window is not ranked at all."""
    mentions = [9, 1, 5, 3, 7]
    with open_store(db) as store:
        store.write_batch([(ferry(n, m), f"raw{n}") for n, m in enumerate(mentions)], [], [])
        store.write_batch([(Article("x", "in/x.txt", "Harbour Gazette", "Tides", None, None, "en", None,
                                    ["harbour tides only."]), "rawx")], [], [])  # fmt: skip
        assert store.search("ferry") == ["f0", "f4", "f2", "f3", "f1"]
        assert store.search("ferry", limit=2) == ["f0", "f4"]
        assert store.search("ferry", window=3) == ["f4", "f2", "f3"]  # f0 and f1 stored before the last 3
        assert store.search('ferry" OR (tides') == []  # punctuation is never FTS syntax: all words
