"""Stories: which articles report the same event, online and incremental, time-aware."""

from __future__ import annotations

import json
import re
import shutil

import numpy as np
import pytest
from conftest import SAMPLE, SHARED

from bench.streaming import cluster
from storylens import ingest, open_store
from storylens.ingest.manifest import read_manifest
from storylens.kept import story_features
from storylens.link import stories as S
from storylens.link.features import FEATURES_VERSION
from storylens.link.specifics import specifics
from storylens.pipeline import recluster

rng = np.random.default_rng(7)
TOPICS = {name: rng.normal(size=S.DIMENSIONS) for name in ("pact", "flood", "strike", "shooting")}


def unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


def features(
    aid: str,
    topic: str,
    published: str | None,
    words: str,
    entities=(),
    noise=0.3,
    chrome=(),
    title=None,
    body=None,
):
    vector = unit(TOPICS[topic] + noise * rng.normal(size=S.DIMENSIONS) * np.linalg.norm(TOPICS[topic]) / 20)
    row = {
        "id": aid,
        "title": title or words.split(".")[0],
        "outlet": None,
        "published": published,
        "paragraphs": [body or words],
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
    found = cluster(
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
    found = cluster(
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
    near = cluster([*base, features("f", "pact", "2025-03-06", PACT + " Reactions.", ["e_darvish"])])
    far = cluster([*base, features("f", "pact", "2025-04-10", PACT + " Reactions.", ["e_darvish"])])
    assert {"a1", "f"} in [set(p) for p in partition(near)]
    assert {"a1", "f"} not in [set(p) for p in partition(far)]


def test_without_a_date_content_decides_and_a_year_in_the_page_chrome_bounds_it():
    base = [features("a1", "pact", "2020-07-08", PACT, ["e_bagheri"]), *UNRELATED]
    undated = features("x", "pact", None, PACT, ["e_bagheri"])
    assert undated.not_after is None
    assert {"a1", "x"} in [set(p) for p in partition(cluster([*base, undated]))]
    archived = features("x", "pact", None, PACT, ["e_bagheri"], chrome=["English Archive 2005 -2017"])
    assert archived.not_after == S.day_number("2017-12-31")
    assert {"a1", "x"} not in [set(p) for p in partition(cluster([*base, archived]))]


def test_undated_articles_on_different_topics_stay_apart():
    found = cluster(
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


def test_vectorised_pair_scores_are_the_clusterers_scores():
    items = [
        features("p1", "pact", "2025-03-01", PACT, entities=["e_valdria", "e_kelmar"]),
        features("p2", "pact", "2025-03-02", PACT + " Radar was the sticking point.", entities=["e_kelmar"]),
        features("f1", "flood", "2025-03-09", FLOOD),  # no entities
        features("f2", "flood", "2025-03-20", FLOOD, entities=["e_tamsin"]),  # days cost beyond grace
        features("late", "pact", "2025-04-30", PACT, entities=["e_kelmar"]),  # beyond MAX_GAP_DAYS
        features("s1", "shooting", "2025-05-02", SHOT.format(name="Deshawn Rivers", age=17, block=2300)),
        features("s2", "shooting", "2025-05-23", ARREST.format(name="Deshawn Rivers", age=17, block=2300)),
        *UNRELATED[:3],
    ]
    frequencies = S.Frequencies()
    for f in items:
        frequencies.count(f)
    pairs = [(i, j) for i in range(len(items)) for j in range(i + 1, len(items))]
    first, second = np.array([i for i, _ in pairs]), np.array([j for _, j in pairs])
    expected = np.array(S.pair_scores(items, pairs, frequencies))
    assert np.allclose(expected, S.pair_scores(items, [(j, i) for i, j in pairs], frequencies))
    got = S.dated_pair_scores(items, first, second, frequencies)
    assert np.allclose(got, expected, atol=1e-6)
    signatures = [frequencies.signature(f) for f in items]
    at_once = [S.scores_with(signatures[i], signatures[i + 1 :]) for i in range(len(items) - 1)]
    assert np.allclose(np.concatenate(at_once), expected, atol=1e-6)
    assert len(set(np.round(expected, 3))) >= 8  # scores that really differ
    far = [k for k, (i, j) in enumerate(pairs) if abs(items[i].day - items[j].day) > S.MAX_GAP_DAYS]
    assert far and all(
        expected[k] < 0
        for k in far
        if {items[pairs[k][0]].article_id, items[pairs[k][1]].article_id} != {"s1", "s2"}
    )


# -- a dense stream of look-alike events --------------------------------------------------------

SHOT = (
    "Man, {age}, shot on the West Side. A {age}-year-old man identified as {name} was shot "
    "Tuesday night in the {block} block of West Madison Avenue in Chicago, police said. He was taken "
    "to Stroger Hospital in critical condition. No one is in custody and police are investigating."
)
RETOLD = (
    "Police: {name} wounded in West Side shooting. {name}, {age}, was wounded by gunfire in the "
    "{block} block of West Madison Avenue in Chicago late Tuesday, police said. Officers found him "
    "on the sidewalk and took him to Stroger Hospital. Detectives are investigating."
)
ARREST = (
    "Arrest in West Side shooting. Police arrested a 20-year-old man in the shooting of {name}, "
    "{age}, who was wounded in the {block} block of West Madison Avenue in Chicago. He was charged "
    "with attempted murder and appeared in court."
)
VICTIMS = [("Darnell Hooper", 23, 4100), ("Luis Ortega", 31, 3300), ("Keyon Marsh", 19, 2500),
           ("Andre Fields", 27, 1800), ("Tomas Reyes", 42, 4700), ("Jamal Pryor", 35, 2900)]  # fmt: skip
FIRST = ["Mar", "Ty", "Ja", "Dan", "Ke", "Ra", "O", "Bran"]
LAST = ["cus", "rell", "vier", "te", "vin", "shad"]


def beat() -> list[S.Features]:
    """A city's other shootings over two weeks, told in the same words: what a beat looks like."""
    return [
        shooting(f"beat{k}", f"2025-05-{1 + k % 13:02d}", SHOT, (f"{g} {f}", 50 + k, 100 * (5 + k) + 50))
        for k, (g, f) in enumerate((f"{a}{b}", f"{b.title()}{a.lower()}s") for a in FIRST for b in LAST)
    ]


def shooting(aid: str, published: str, template: str, victim: tuple) -> S.Features:
    name, age, block = victim
    return features(aid, "shooting", published, template.format(name=name, age=age, block=block), noise=0.1)


def test_look_alike_events_on_one_day_in_one_city_stay_apart_and_each_keeps_its_retelling():
    stream = []
    for k, victim in enumerate(VICTIMS):
        stream += [
            shooting(f"e{k}", "2025-05-06", SHOT, victim),
            shooting(f"r{k}", "2025-05-07", RETOLD, victim),
        ]
    found = partition(cluster(stream + beat() + UNRELATED))
    for k in range(len(VICTIMS)):
        assert {f"e{k}", f"r{k}"} in [set(p) for p in found]


def test_a_follow_up_three_weeks_later_with_the_same_names_joins_its_story():
    stream = [shooting(f"e{k}", "2025-05-06", SHOT, v) for k, v in enumerate(VICTIMS)]
    stream += [shooting("arrest", "2025-05-27", ARREST, VICTIMS[2])]
    found = partition(cluster(stream + beat() + UNRELATED))
    assert {"e2", "arrest"} in [set(p) for p in found]


DIED = (
    "{name} dies of wounds. {name}, shot on the West Side of Chicago, died at Stroger Hospital, "
    "his family said. Police are still investigating and no one is in custody."
)


def test_a_follow_up_weeks_later_of_one_report_joins_the_story_though_another_repeats_no_detail():
    # The arrest repeats the age and the block of the first report, the name only of the second.
    stream = [shooting(f"e{k}", "2025-05-06", SHOT, v) for k, v in enumerate(VICTIMS)]
    stream += [shooting("died", "2025-05-08", DIED, VICTIMS[2])]
    stream += [shooting("arrest", "2025-06-16", ARREST, VICTIMS[2])]
    stream += [shooting("other", "2025-06-16", ARREST, VICTIMS[3][:1] + (58, 900))]
    found = [set(p) for p in partition(cluster(stream + beat() + UNRELATED))]
    assert {"e2", "died", "arrest"} in found
    assert not any("other" in p and len(p) > 1 for p in found)


def test_a_street_number_and_its_block_are_one_address_but_a_neighbouring_block_is_not():
    told = [
        "Police were called to 3704 N. Fannin St. early Saturday.",
        "A man was shot in the 3700 block of Fannin Street, police said.",
        "A woman was shot in the 3750 block of Fannin Street, police said.",
    ]
    found = [{x for x in specifics("Shooting", [t], None, []) if x.startswith("addr:")} for t in told]
    assert found[0] == found[1] == {"addr:3700 fannin"} and found[2] == {"addr:3750 fannin"}


def test_every_capitalised_headline_word_is_a_specific_and_the_beats_words_weigh_little():
    form = ["Please check your email and click on the link to activate your profile."]
    assert "n:lansing" in specifics("Lansing teen shoots himself in the face", form, None, [])
    titled = specifics("Child Shoots Himself In Gwinnett County Home", form, None, [])
    assert {"n:gwinnett", "n:shoots"} <= titled
    frequencies = S.Frequencies()
    for k, name in enumerate(f"{a}{b}" for a in FIRST for b in LAST):
        frequencies.count(features(f"s{k}", "shooting", "2025-05-06", "x", title=f"{name} Shoots Himself"))
    lone = features(
        "lone", "shooting", "2025-05-06", "x", title="Child Shoots Himself In Gwinnett County Home"
    )
    frequencies.count(lone)
    keys, weights = frequencies.signature(lone).specifics
    weight = dict(zip(keys.tolist(), weights.tolist(), strict=True))
    [shoots, gwinnett] = S.specific_keys(["n:shoots", "n:gwinnett"]).tolist()
    assert weight[shoots] < 0.5 * weight[gwinnett]


def test_an_archived_page_whose_body_is_a_form_joins_the_event_its_headline_names():
    form = "Sign in using your account. Follow the Statesman on Facebook. Please check your email."
    told = "{} was found shot inside a home in Norcross, in Gwinnett County, on Friday, police said."
    stream = [
        features("a", "shooting", "2025-03-14", told.format("A 12-year-old boy"), noise=0.1),
        features("b", "shooting", "2025-03-14", told.format("A teenager"), noise=0.1),
        features(
            "c", "shooting", "2025-03-15", "x", noise=0.1, title="Boy shoots himself in Norcross", body=form
        ),
    ]
    found = partition(cluster(stream + beat() + UNRELATED))
    assert {"a", "b", "c"} in [set(p) for p in found]


def test_stories_are_looked_up_by_the_rare_specifics_other_articles_name():
    items = [
        features(f"s{k}", "shooting", "2025-05-06", SHOT.format(name=v[0], age=v[1], block=v[2]))
        for k, v in enumerate(VICTIMS)
    ]
    frequencies = S.Frequencies()
    for f in items + beat():
        frequencies.count(f)
    lone = features(
        "lone",
        "shooting",
        "2025-05-06",
        "Quentavious Zebrowski spoke. " + SHOT.format(name=VICTIMS[0][0], age=23, block=4100),
    )
    frequencies.count(lone)
    rare = S.rarest(frequencies.signature(lone), 3)
    named_by_others = set(S.specific_keys([f"n:{VICTIMS[0][0].split()[1].lower()}", "addr:4100 madison"]))
    assert set(rare) & named_by_others and not set(rare) & set(S.specific_keys(["n:zebrowski"]))


def test_a_chain_of_distinct_events_does_not_become_one_story():
    a, c = VICTIMS[0], VICTIMS[1]
    roundup = (
        f"Weekend shootings. {a[0]}, {a[1]}, was shot in the {a[2]} block of West Madison Avenue. "
        f"{c[0]}, {c[1]}, was shot in the {c[2]} block of West Madison Avenue in Chicago, police said."
    )
    stream = [
        shooting("a", "2025-05-06", SHOT, a),
        features("b", "shooting", "2025-05-07", roundup, noise=0.1),
        shooting("c", "2025-05-08", SHOT, c),
        *[shooting(f"x{k}", "2025-05-06", SHOT, v) for k, v in enumerate(VICTIMS[2:])],
    ]
    story_of = {aid: s.id for s in cluster(stream + beat() + UNRELATED) for aid in s.article_ids}
    assert story_of["a"] != story_of["c"]


SENTENCED = (
    "Man sentenced in West Side shooting. A judge sentenced a 21-year-old man to 12 years in prison "
    "for shooting {name}, {age}, in the {block} block of West Madison Avenue in Chicago last spring."
)


def test_a_sentence_eight_months_later_with_the_same_name_age_and_block_joins_but_a_look_alike_does_not():
    stream = [shooting(f"e{k}", "2025-05-06", SHOT, v) for k, v in enumerate(VICTIMS)]
    stream += [shooting("sentence", "2026-01-14", SENTENCED, VICTIMS[2])]
    stream += [shooting("other", "2026-01-14", SENTENCED, ("Marcus Bell", 44, 700))]
    found = [set(p) for p in partition(cluster(stream + beat() + UNRELATED))]
    assert {"e2", "sentence"} in found
    assert {"other"} in found


NAMED = (
    "{name}, {age}, shot on the West Side. {name}, {age}, was shot Tuesday night, his sister said. "
    "He was taken to Stroger Hospital, where he was listed in critical condition."
)
PLACED = (
    "Man, {age}, shot in the {block} block of West Madison Avenue. Police found a {age}-year-old man "
    "wounded in the {block} block of West Madison Avenue in Chicago. No one is in custody."
)


def test_two_stories_founded_in_parallel_on_one_event_merge_when_a_later_report_ties_them():
    # A bar high enough that the family's account and the police's found stories of their own.
    clusterer = S.Clusterer(threshold=0.5)
    victim = VICTIMS[2]
    others = [shooting(f"e{k}", "2025-05-06", SHOT, v) for k, v in enumerate(VICTIMS) if v != victim]
    told = [shooting("named", "2025-05-06", NAMED, victim), shooting("placed", "2025-05-06", PLACED, victim)]
    for f in others + beat() + UNRELATED + told:
        clusterer.add(f)
    story_of = {aid: s.id for s in clusterer.stories.values() for aid in s.article_ids}
    assert story_of["named"] != story_of["placed"]
    joined = clusterer.add(shooting("full", "2025-05-07", RETOLD, victim))
    assert {"named", "placed", "full"} <= set(joined.article_ids)
    assert clusterer.merged and not clusterer.merged & set(clusterer.stories)
    assert not {f"e{k}" for k in range(len(VICTIMS))} & set(joined.article_ids)


def test_a_story_merged_into_another_leaves_the_store(tmp_path, sample_export):
    shutil.copy(sample_export["root"].parent / "sample.db", tmp_path / "store.db")
    with open_store(tmp_path / "store.db") as store:
        before = len(store.story_rows())
        first, second = sorted(store.story_rows(), key=lambda r: r["id"])[:2]
        frequencies = S.Frequencies()
        kept, gone = (
            S.assemble(row["id"], [f for f in map(S.features_of, store.story_inputs(row["article_ids"])) if f],
                       [1.0] * len(row["article_ids"]), frequencies)
            for row in (first, second)
        )  # fmt: skip
        S.take_in(kept, gone)
        store.write_stories([kept], {}, gone=[gone.id])
        rows = {r["id"]: set(r["article_ids"]) for r in store.story_rows()}
    assert len(rows) == before - 1 and gone.id not in rows
    assert rows[kept.id] == set(first["article_ids"]) | set(second["article_ids"])


def test_the_story_of_every_article_is_read_at_once(tmp_path, sample_export):
    shutil.copy(sample_export["root"].parent / "sample.db", tmp_path / "store.db")
    with open_store(tmp_path / "store.db") as store:
        rows = store.story_rows()
        found = store.stories_by_article()
        assert found == {a: r["id"] for r in rows for a in r["article_ids"]}
        assert all(store.story_of(a) == s for a, s in found.items())
    assert len(set(found.values())) == len(rows) >= 2


def test_what_the_clusterer_reads_of_a_text_is_kept_once_and_read_back_the_same(tmp_path, sample_export):
    shutil.copy(sample_export["root"].parent / "sample.db", tmp_path / "store.db")
    with open_store(tmp_path / "store.db") as store:
        ids = [row.id for row in store.article_rows()]
        fresh = {f.article_id: f for f in map(S.features_of, store.story_inputs(ids)) if f}
        store.db.execute("DELETE FROM article_features")
        assert [r["kept"] for r in store.story_inputs(ids, FEATURES_VERSION)] == [None] * len(ids)
        computed = {f.article_id: f for f in story_features(store, ids)}
        rows = store.story_inputs(ids, FEATURES_VERSION)
        read_back = {f.article_id: f for f in map(S.features_of, rows) if f}
        other_version = store.story_inputs(ids, FEATURES_VERSION + 1)
    assert fresh and set(fresh) == set(computed) == set(read_back)
    assert all(r["kept"] is not None and r["paragraphs"] is None for r in rows)
    assert all(r["kept"] is None and r["paragraphs"] for r in other_version)
    for aid, f in fresh.items():
        for found in (computed[aid], read_back[aid]):
            # The same terms in the same order (the heaviest terms are cut by a stable sort).
            assert list(found.terms.items()) == list(f.terms.items())
            assert found.specifics == f.specifics and found.entities == f.entities
            assert any(s.startswith("e:") for s in found.specifics) == bool(f.entities)


def test_kept_text_features_give_entities_as_they_are_now(tmp_path, sample_export):
    shutil.copy(sample_export["root"].parent / "sample.db", tmp_path / "store.db")
    with open_store(tmp_path / "store.db") as store:
        aid = next(r.id for r in store.article_rows() if store.story_inputs([r.id])[0]["entities"])
        story_features(store, [aid])
        [row] = store.story_inputs([aid], FEATURES_VERSION)
    moved = {**row, "entities": ["e_moved"]}
    assert "e:e_moved" in S.features_of(moved).specifics
    assert not {"e:" + e for e in row["entities"]} & S.features_of(moved).specifics


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
    [floods] = [line.split()[0] for line in listing.splitlines() if "Tamsin" in line]
    told = cli("story", floods, "--db", db).stdout
    disagree = told[told.index("where the reports disagree") :].split("\n\n")[0].splitlines()
    assert disagree[1].startswith("  different counts: 14 / 19")  # the counts at issue, each side's
    assert disagree[1].endswith("(told on different days: it may be one figure that changed)")
    assert "14" in disagree[2] and "19" in disagree[4]  # both wordings, the earlier first...
    assert (
        disagree[3].split()[:2] == ["so", "too"] and "14" in disagree[3]
    )  # ...another article's 14 under its side
    assert "told otherwise by" not in told  # a count marks no summary sentence
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


def test_a_store_clustered_by_another_version_is_clustered_again(tmp_path, sample_export):
    from storylens.pipeline import link_stories

    expected = {frozenset(s["article_ids"]) for s in sample_export["export"]["stories"]}
    with open_store(tmp_path / "store.db") as store:
        ingest([SAMPLE / "corpus"], store, manifest=read_manifest(SAMPLE / "manifest.csv"))
        # As an older storylens left it: every article a story of its own, another version.
        store.clear_stories()
        singles = [
            S.assemble(S.story_id(f.article_id), [f], [1.0], S.Frequencies())
            for f in map(S.features_of, store.story_inputs(store.unclustered_articles()))
        ]
        store.write_stories(singles, {"frequencies": S.Frequencies().to_bytes(), "version": b"1"})
        assert len(store.story_rows()) == store.count("articles")
        link_stories(store)
        assert {frozenset(r["article_ids"]) for r in store.story_rows()} == expected
        assert store.story_state("version") == S.VERSION.encode()


def test_a_day_number_turns_back_into_its_date():
    for day in ("1970-01-01", "2016-02-29", "2026-12-01"):
        assert S.day_iso(S.day_number(day)) == day
    assert (
        S.day_number("2026-12-01T23:59:00+05:00")
        == S.day_number("2026-12-01")
        == S.day_number("1970-01-01") + 20788
    )
