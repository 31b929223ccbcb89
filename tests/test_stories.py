"""Stories: which articles report the same event, online and incremental, time-aware."""

from __future__ import annotations

import json
import re
import shutil

import numpy as np
import pytest
from conftest import SAMPLE, SHARED

from storylens import ingest, open_store
from storylens.link import stories as S
from storylens.pipeline import read_manifest, recluster

rng = np.random.default_rng(7)
TOPICS = {name: rng.normal(size=S.DIMENSIONS) for name in ("pact", "flood", "strike")}


def unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


def features(aid: str, topic: str, published: str | None, words: str, entities=(), noise=0.3, chrome=()):
    vector = unit(TOPICS[topic] + noise * rng.normal(size=S.DIMENSIONS) * np.linalg.norm(TOPICS[topic]) / 20)
    row = {
        "id": aid,
        "title": words.split(".")[0],
        "outlet": None,
        "published": published,
        "paragraphs": [words],
        "vector": vector.astype(np.float16).tobytes(),
        "entities": list(entities),
        "chrome": list(chrome),
    }
    return S.features_of(row)


PACT = (
    "Valdria and Kelmar sign air defence pact. The generals signed the pact in Ruskor on radar and missiles."
)
FLOOD = "Tamsin floods kill nineteen. The Lenne river burst its banks and rescue teams searched the valley."
UNRELATED = [
    features(f"u{i}", "strike", "2025-01-10", f"Dockworkers strike number {i}. Port cranes idle pay dispute.")
    for i in range(6)
]


def partition(stories: list[S.Story]) -> set[frozenset[str]]:
    return {frozenset(s.article_ids) for s in stories}


def test_articles_on_one_event_within_days_form_one_story_and_other_events_another():
    found = S.cluster(
        [
            features("a1", "pact", "2025-03-04", PACT, ["e_darvish", "e_kelmar"]),
            features("a2", "pact", "2025-03-04", PACT, ["e_darvish", "e_kelmar"]),
            features("a3", "flood", "2025-03-05", FLOOD, ["e_tamsin"]),
            features("a4", "pact", "2025-03-06", PACT + " Osterland protested.", ["e_darvish"]),
            *UNRELATED,
        ]
    )
    assert {"a1", "a2", "a4"} in [set(p) for p in partition(found)]
    assert {"a3"} in [set(p) for p in partition(found)]


def test_the_same_actors_months_apart_are_two_stories():
    found = S.cluster(
        [
            features("visit", "pact", "2024-06-11", PACT, ["e_darvish", "e_kelmar"]),
            features("deal", "pact", "2025-03-04", PACT, ["e_darvish", "e_kelmar"]),
            *UNRELATED,
        ]
    )
    story_of = {aid: s.id for s in found for aid in s.article_ids}
    assert story_of["visit"] != story_of["deal"]


def test_a_follow_up_two_days_later_stays_but_the_same_one_a_month_later_does_not():
    base = [features("a1", "pact", "2025-03-04", PACT, ["e_darvish"]), *UNRELATED]
    near = S.cluster([*base, features("f", "pact", "2025-03-06", PACT + " Reactions.", ["e_darvish"])])
    far = S.cluster([*base, features("f", "pact", "2025-04-10", PACT + " Reactions.", ["e_darvish"])])
    assert {"a1", "f"} in [set(p) for p in partition(near)]
    assert {"a1", "f"} not in [set(p) for p in partition(far)]


def test_without_a_date_content_decides_and_a_year_in_the_page_chrome_bounds_it():
    base = [features("a1", "pact", "2020-07-08", PACT, ["e_bagheri"]), *UNRELATED]
    undated = features("x", "pact", None, PACT, ["e_bagheri"])
    assert undated.not_after is None
    assert {"a1", "x"} in [set(p) for p in partition(S.cluster([*base, undated]))]
    archived = features("x", "pact", None, PACT, ["e_bagheri"], chrome=["English Archive 2005 -2017"])
    assert archived.not_after == S.day_number("2017-12-31")
    assert {"a1", "x"} not in [set(p) for p in partition(S.cluster([*base, archived]))]


def test_undated_articles_on_different_topics_stay_apart():
    found = S.cluster(
        [features("p", "pact", None, PACT, ["e_darvish"]), features("f", "flood", None, FLOOD, ["e_tamsin"])]
    )
    assert len(found) == 2


def test_candidates_come_only_from_the_periods_next_to_the_article():
    clusterer = S.Clusterer()
    old = clusterer.add(features("old", "pact", "2020-01-01", PACT))
    assert (
        clusterer._candidates(features("new", "pact", "2025-03-04", PACT).vector, S.day_number("2025-03-04"))
        == []
    )
    assert clusterer._candidates(old.centroid, S.day_number("2020-01-05")) == [old]


def test_retired_stories_leave_memory_and_the_index():
    clusterer = S.Clusterer()
    clusterer.add(features("old", "pact", "2020-01-01", PACT))
    kept = clusterer.add(features("new", "flood", "2025-03-04", FLOOD))
    retired = clusterer.retire(S.day_number("2025-01-01"))
    assert [s.article_ids for s in retired] == [["old"]]
    assert list(clusterer.stories) == [kept.id]
    assert sum(len(index) for index in clusterer._periods.values()) == 1


def test_document_frequencies_survive_a_round_trip():
    frequencies = S.Frequencies()
    for f in UNRELATED:
        frequencies.count(f)
    back = S.Frequencies.from_bytes(frequencies.to_bytes())
    assert back.documents == 6 and np.array_equal(back.terms, frequencies.terms)


def test_vectorised_pair_scores_are_the_clusterers_scores_both_ways():
    items = [
        features("p1", "pact", "2025-03-01", PACT, entities=["e_valdria", "e_kelmar"]),
        features("p2", "pact", "2025-03-02", PACT + " Radar was the sticking point.", entities=["e_kelmar"]),
        features("f1", "flood", "2025-03-09", FLOOD),  # no entities: scored on the other two views
        features("f2", "flood", "2025-03-20", FLOOD, entities=["e_tamsin"]),  # days cost beyond grace
        features("late", "pact", "2025-04-30", PACT, entities=["e_kelmar"]),  # beyond MAX_GAP_DAYS
        *UNRELATED[:3],
    ]
    frequencies = S.Frequencies()
    for f in items:
        frequencies.count(f)
    pairs = [(i, j) for i in range(len(items)) for j in range(i + 1, len(items))]
    first, second = np.array([i for i, _ in pairs]), np.array([j for _, j in pairs])
    forward = S.pair_scores(items, pairs, frequencies)
    backward = S.pair_scores(items, [(j, i) for i, j in pairs], frequencies)
    expected = np.maximum(forward, backward)
    got = S.dated_pair_scores(items, first, second, frequencies)
    assert np.array_equal(np.isinf(got), np.isinf(expected)) and np.isinf(expected).sum() >= 7
    finite = np.isfinite(expected)
    assert np.allclose(got[finite], expected[finite], atol=1e-6)
    assert len(set(np.round(expected[finite], 3))) >= 6  # scores that really differ


def test_the_most_central_headline_titles_the_story():
    story = S.Story("t")
    for title, vector in (("off topic", unit(TOPICS["flood"])), ("central", unit(TOPICS["pact"]))):
        story.titles.append(title)
        story.vectors.append(vector.astype(np.float16))
    story.vector_sum = 0.2 * unit(TOPICS["flood"]) + 2 * unit(TOPICS["pact"])
    assert story.title == "central"


# -- the sample corpus, through ingest ---------------------------------------------------------


def truth_partition(export: dict) -> dict[str, str]:
    truth = json.loads((SAMPLE / "truth.json").read_text())["articles"]
    story_by_title = {a["title"]: a["story"] for a in truth.values()}
    return {a["id"]: story_by_title[a["title"]] for a in export["articles"]}


def test_the_sample_stories_are_its_truth(sample_export):
    export = sample_export["export"]
    gold = truth_partition(export)
    found = {frozenset(s["article_ids"]) for s in export["stories"]}
    expected = {frozenset(a for a, g in gold.items() if g == story) for story in set(gold.values())}
    assert found == expected


def test_each_sample_story_has_a_member_headline_a_date_range_and_time_order(sample_export):
    export = sample_export["export"]
    articles = {a["id"]: a for a in export["articles"]}
    for story in export["stories"]:
        members = [articles[a] for a in story["article_ids"]]
        assert story["title"] in {a["title"] for a in members}
        dates = [a["published"] for a in members if a["published"]]
        assert story["first_published"] == min(dates) and story["last_published"] == max(dates)
        assert dates == sorted(dates)
        assert story["outlets"] == sorted({a["outlet"] for a in members if a["outlet"]})


def test_stories_grow_incrementally_with_the_same_result_as_one_ingest(tmp_path, sample_export):
    copy = tmp_path / "sample"
    shutil.copytree(SAMPLE, copy)
    manifest = read_manifest(copy / "manifest.csv")
    folders = sorted(p for p in (copy / "corpus").iterdir() if p.is_dir())
    with open_store(tmp_path / "store.db") as store:
        ingest(folders[:4], store, manifest=manifest)
        first = {r["id"]: set(r["article_ids"]) for r in store.story_rows()}
        ingest(folders[4:], store, manifest=manifest)
        rows = store.story_rows()
        grown = {frozenset(r["article_ids"]) for r in rows}
        assert sum(len(r["article_ids"]) for r in rows) == store.count("articles")
        # Stories are kept and grown, not founded again.
        assert all(
            members <= set(next(r["article_ids"] for r in rows if r["id"] == sid))
            for sid, members in first.items()
        )
        recluster(store)
        again = {frozenset(r["article_ids"]) for r in store.story_rows()}
    # Article ids derive from the cleaned text, so they are the same as in the one-go ingest.
    expected = {frozenset(s["article_ids"]) for s in sample_export["export"]["stories"]}
    assert grown == expected and again == expected


def test_cli_lists_stories_and_shows_one_in_time_order(cli, db):
    cli("ingest", SAMPLE / "corpus", "--manifest", SAMPLE / "manifest.csv", "--db", db)
    listing = cli("stories", "--db", db).stdout
    assert "Valdria and Kelmar sign air defence pact in Ruskor" in listing
    story_id = listing.split("\n")[1].split()[0]
    shown = cli("story", story_id[:8], "--db", db).stdout
    dates = [line.split()[2] for line in shown.splitlines() if re.match(r"  \[\d+\] a_", line)]
    assert dates and dates == sorted(dates)
    assert "no story" in cli("story", "t_nothing", "--db", db, expect=1).output
    assert "articles in 6 stories" in cli("recluster", "--db", db).stdout


def test_a_headline_with_markup_is_printed_literally(cli, db, tmp_path):
    page = tmp_path / "x.txt"
    page.write_text(
        "[bold red]Flood[/] warning for the valley\n\n"
        + "The river rose overnight and the council opened two shelters for families near the bank. " * 3
    )
    cli("ingest", page, "--db", db)
    assert "[bold red]Flood[/] warning" in cli("stories", "--db", db).stdout


# -- the real seeds ----------------------------------------------------------------------------


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared/seeds is not here")
def test_the_2017_visit_is_not_in_the_2020_agreement_story(tmp_path):
    with open_store(tmp_path / "seeds.db") as store:
        ingest([SHARED / "seeds"], store)
        titles = {row.id: row.title for row in store.article_rows()}
        stories = [{titles[a] for a in row["article_ids"]} for row in store.story_rows()]
    visit = "Iran Announces Strengthening Military Cooperation with Damascus"
    assert {visit} in stories
    [deal] = [s for s in stories if visit not in s]
    assert len(deal) == 4
