"""Outlets and collections: importing collections, blindspots, first reports and lag, copying
between outlets, the outlet pages and their CSV, the export; on the sample, whose truth is
written in examples/sample/TRUTH.md ("Outlets and collections")."""

from __future__ import annotations

import csv
import io
import json

import httpx
import pytest
from conftest import SAMPLE

from storylens.compare.outlets import blindspots, coverage, slugs, timings, when
from storylens.store.outlets import Member
from storylens.web.charts import to_csv
from storylens.web.serving import serving

BREACH = "Hackers steal data of two million Osterland taxpayers"  # S6: the blindspot


# -- the rules, on rows made by hand -----------------------------------------------------------


def test_a_day_alone_spans_the_day_and_a_time_is_an_instant():
    day, moment = when("2025-03-04"), when("2025-03-04T09:10")
    assert (day.latest - day.earliest).total_seconds() == 86_400 and day.at.hour == 12
    assert moment.earliest == moment.latest and moment.at.hour == 9
    assert when("2025-03-04T10:10+01:00").at == moment.at  # offsets are read
    assert when(None) is None and when("not a date") is None


def test_the_first_report_is_uncertain_when_a_day_alone_may_be_earlier():
    members = [
        Member("t1", "a1", "Wire", "2025-03-04T09:10", ""),
        Member("t1", "a2", "Sentinel", "2025-03-04", ""),
        Member("t1", "a3", "Daily", "2025-03-04T20:30", ""),
        Member("t2", "b1", "Wire", "2025-03-10T09:00", ""),
        Member("t2", "b2", "Sentinel", "2025-03-11", ""),
        Member("t3", "c1", "Wire", "2025-03-12T09:00", ""),  # one outlet: not timed
        Member("t4", "d1", "Wire", "2025-03-14", ""),  # the same day alone: a shared first place
        Member("t4", "d2", "Daily", "2025-03-14", ""),
        Member("t4", "d3", "Sentinel", "2025-03-15", ""),
    ]
    found = timings(members)
    assert set(found) == {"t1", "t2", "t4"}
    assert found["t1"].first_outlets == ["Wire"] and not found["t1"].certain
    assert found["t2"].first_outlets == ["Wire"] and found["t2"].certain
    assert found["t4"].first_outlets == ["Daily", "Wire"] and not found["t4"].certain
    assert found["t4"].lag_hours == {"Wire": 0.0, "Daily": 0.0, "Sentinel": 24.0}
    assert found["t1"].lag_hours == {"Wire": 0.0, "Sentinel": 2.83, "Daily": 11.33}


def test_a_blindspot_needs_the_share_and_the_outlets():
    members = [Member("t1", f"a{i}", o, None, "") for i, o in enumerate("ABCD")]
    members += [Member("t2", f"b{i}", o, None, "") for i, o in enumerate("AB")]
    members += [Member("t3", f"c{i}", o, None, "") for i, o in enumerate("ABCE")]
    values = {"A": "left", "B": "left", "C": "left", "D": "right", "E": "left"}
    covered = coverage(members, "lean", values)
    assert covered["t1"].outlets == {"left": ["A", "B", "C"], "right": ["D"]}
    assert [b.story_id for b in blindspots(covered, ["left", "right"])] == ["t3"]  # t1: 75%; t2: 2 outlets
    [t3] = blindspots(covered, ["left", "right"])
    assert t3.value == "left" and t3.share == 1.0 and t3.missing == ["right"]
    assert {b.story_id for b in blindspots(covered, ["left", "right"], share=0.75)} == {"t1", "t3"}
    assert {b.story_id for b in blindspots(covered, ["left", "right"], min_outlets=2)} == {"t2", "t3"}
    unknown = coverage(members, "lean", {})  # an outlet the file does not name never makes one
    assert blindspots(unknown, []) == []


def test_slugs_are_unique_path_segments_and_csv_cells_cannot_be_formulas():
    found = slugs(["Le Monde", "le-monde", "Süddeutsche Zeitung", "<script>"])
    assert found["Süddeutsche Zeitung"] == "suddeutsche-zeitung" and found["<script>"] == "script"
    assert len(set(found.values())) == 4
    rows = list(csv.reader(io.StringIO(to_csv(["a"], [["=HYPERLINK(1)"], ["-2"], [3]]))))
    assert rows == [["a"], ["'=HYPERLINK(1)"], ["'-2"], ["3"]]


# -- importing collections ---------------------------------------------------------------------


@pytest.fixture
def small_store(cli, tmp_path):
    feed = tmp_path / "feed.jsonl"
    texts = [
        ("Harbor Wire", "Port strike begins", "Dockworkers walked out at dawn over pay and shifts. " * 5),
        ("The Meridian Post", "Strike day two", "The strike went on for a second day at the port. " * 5),
        ("Ruskor Sentinel", "Exporters worry", "Exporters fear delays as ships wait to unload. " * 5),
    ]
    feed.write_text(
        "".join(json.dumps({"outlet": o, "title": t, "text": x}) + "\n" for o, t, x in texts),
        encoding="utf-8",
    )
    db = tmp_path / "small.db"
    cli("ingest", feed, "--db", db, "--no-analyze")
    return db


def test_import_matches_names_forgivingly_reports_the_rest_and_replaces(cli, small_store, tmp_path):
    from storylens import open_store

    first = tmp_path / "first.csv"
    first.write_text(
        "outlet,lean,owner\n  harbor   WIRE ,center,Coop\nthe meridian post,left,\nNowhere Times,right,X\n"
    )
    done = cli("outlets", "import", first, "--db", small_store)
    assert "2 outlets matched" in done.stdout and "1 rows name no stored outlet" in done.stdout
    assert "line 4: Nowhere Times" in done.stderr and "Ruskor Sentinel" in done.stderr
    with open_store(small_store) as store:
        assert store.collections() == {
            "lean": {"Harbor Wire": "center", "The Meridian Post": "left"},
            "owner": {"Harbor Wire": "Coop"},  # an empty cell puts the outlet in no collection
        }
    second = tmp_path / "second.csv"
    second.write_text("outlet,country\nRuskor Sentinel,Kelmar\n")
    cli("outlets", "import", second, "--db", small_store)
    with open_store(small_store) as store:
        assert store.collections() == {"country": {"Ruskor Sentinel": "Kelmar"}}  # replaced whole
    bad = tmp_path / "bad.csv"
    bad.write_text("name,lean\nHarbor Wire,center\n")
    assert "no `outlet` column" in cli("outlets", "import", bad, "--db", small_store, expect=1).output
    lonely = tmp_path / "lonely.csv"
    lonely.write_text("outlet\nHarbor Wire\n")
    assert "no grouping column" in cli("outlets", "import", lonely, "--db", small_store, expect=1).output


# -- the sample: TRUTH.md -------------------------------------------------------------------------


@pytest.fixture
def compared(outlets_db):
    """The sample store, its outlets.csv imported, every story compared (conftest.outlets_db)."""
    return outlets_db


def test_the_cli_names_the_sample_blindspot_the_first_reports_and_the_copies(cli, compared):
    for grouping, covered_by, missing in (
        ("lean", "left", "center, right"),
        ("country", "Osterland", "Kelmar, Valdria"),
    ):
        table = cli("blindspots", "--by", grouping, "--db", compared).stdout
        rows = [line for line in table.splitlines()[1:] if line.strip()]
        assert len(rows) == 1 and BREACH in rows[0] and covered_by in rows[0] and missing in rows[0]
    assert (
        "no blindspots"
        in cli("blindspots", "--by", "lean", "--share", "1.0", "--min-outlets", "5", "--db", compared).stdout
    )
    assert "no grouping 'owner'" in cli("blindspots", "--by", "owner", "--db", compared, expect=1).output
    wire = cli("outlet", "harbor  wire", "--db", compared).stdout
    assert "first      5 of 5 stories" in wire and "(3 certain)" in wire
    assert "taken by" in wire and "takes from" not in wire
    northgate = cli("outlet", "Northgate Daily", "--db", compared).stdout
    assert "median lag when not first: 22.8 h" in northgate
    assert "no outlet" in cli("outlet", "Nowhere Times", "--db", compared, expect=1).output


def test_the_api_and_the_export_give_the_truth(compared, export_of):
    with serving(compared) as base, httpx.Client(base_url=base, timeout=60) as client:
        blind = client.get("/api/v1/blindspots", params={"by": "lean"}).json()
        assert [b["title"] for b in blind["blindspots"]] == [BREACH]
        assert blind["blindspots"][0]["missing"] == ["center", "right"]
        everyone = client.get("/api/v1/outlets").json()
        first = {o["outlet"]: o["first"] for o in everyone["outlets"] if o["first"]}
        assert first == {"Harbor Wire": 5, "The Meridian Post": 1}
        edges = {(e["source"], e["copier"]): e["pairs"] for e in everyone["network"]}
        assert edges == {
            ("Harbor Wire", "Northgate Daily"): 3,
            ("Harbor Wire", "The Meridian Post"): 1,
            ("Harbor Wire", "Eastbrook Gazette"): 1,
            ("Harbor Wire", "Osterlund Observer"): 1,
            ("The Meridian Post", "Osterlund Observer"): 1,
        }
        northgate = client.get("/api/v1/outlets/northgate-daily").json()
        assert northgate["median_lag_hours"] == 22.75 and northgate["first"] == 0
        assert [e["source"] for e in northgate["takes_from"]] == ["Harbor Wire"]
        assert northgate["collections"] == {"country": "Osterland", "lean": "left"}
        wire = client.get("/api/v1/outlets/harbor-wire").json()
        assert wire["first_certain"] == 3 and wire["stories"] == 5 and wire["takes_from"] == []
        for example in wire["taken_by"][0]["examples"]:
            assert client.get(f"/api/v1/articles/{example['copier']}").status_code == 200
        assert client.get("/api/v1/outlets/nowhere-times").status_code == 404
        assert client.get("/api/v1/outlets/<script>").status_code in (404, 422)
        network = list(csv.DictReader(io.StringIO(client.get("/charts/network.csv").text)))
        assert {(r["source"], r["copier"]): int(r["pairs"]) for r in network} == edges
        weeks = client.get("/charts/outlets/harbor-wire.csv")
        assert weeks.headers["content-type"].startswith("text/csv")
        assert sum(int(r["articles"]) for r in csv.DictReader(io.StringIO(weeks.text))) == 5
    exported = export_of(compared)
    [s6] = [s["id"] for s in exported["stories"] if s["title"] == BREACH]
    assert exported["blindspots"] == {"country": [s6], "lean": [s6]}
    by_name = {o["outlet"]: o for o in exported["outlets"]}
    assert by_name["Harbor Wire"]["first"] == 5 and by_name["The Meridian Post"]["first"] == 1
    assert {"grouping": "lean", "outlet": "Valdria Today", "value": "right"} in exported["collections"]
    assert exported["collection_coverage"][s6]["lean"] == {
        "left": {
            "outlets": ["Eastbrook Gazette", "Northgate Daily", "Osterlund Observer", "The Meridian Post"],
            "articles": 4,
        }
    }


def test_the_pages_show_bars_filters_and_framing(compared):
    with serving(compared) as base, httpx.Client(base_url=base, timeout=60) as client:
        home = client.get("/").text
        assert home.count('<svg class="cover"') >= 6 and "Outlets by lean" in home
        only = client.get("/", params={"blindspot": "lean"}).text
        assert BREACH in only and "air defence pact" not in only
        page = client.get("/blindspots", params={"by": "country"})
        assert page.status_code == 200 and "Content-Security-Policy" in page.headers
        assert BREACH in page.text and "Kelmar, Valdria" in page.text
        outlet = client.get("/outlets/the-meridian-post").text
        for section in ('id="first"', 'id="copies"', 'id="omissions"', 'id="words"', 'id="weeks"'):
            assert section in outlet
        framing = client.get("/api/v1/framing", params={"by": "lean"}).json()
        assert set(framing["terms"]) == {"center", "left", "right"} and len(framing["stories"]) >= 4
        right = framing["terms"]["right"]
        assert right and all(t["z"] >= 1.96 for t in right)
        for term in right:  # every example sentence is a right-leaning outlet's, and uses the term
            for example in term["examples"]:
                assert example["outlet"] in {"Valdria Today", "Ruskor Sentinel"}
        attention = client.get("/api/v1/attention", params={"q": "Tamsin", "by": "lean"}).json()
        assert attention["articles"] == 6 and sum(attention["series"]["left"]) == 4
        assert client.get("/attention", params={"q": "Tamsin", "period": "day"}).status_code == 200


def test_scraped_outlet_names_are_escaped(cli, tmp_path):
    hostile = '<script>alert("o")</script> Gazette'
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        "".join(
            json.dumps(
                {
                    "outlet": o,
                    "title": f"Bridge closes {i}",
                    "text": "The old bridge closed for repairs today. " * 6,
                }
            )
            + "\n"
            for i, o in enumerate([hostile, "Plain Post"])
        )
    )
    db = tmp_path / "hostile.db"
    cli("ingest", feed, "--db", db, "--no-analyze")
    lean = tmp_path / "lean.csv"
    lean.write_text(f'outlet,lean\n"{hostile.replace(chr(34), chr(34) * 2)}",<b>left</b>\n')
    cli("outlets", "import", lean, "--db", db)
    with serving(db) as base, httpx.Client(base_url=base, timeout=60) as client:
        listing = client.get("/api/v1/outlets").json()
        slug = next(o["slug"] for o in listing["outlets"] if o["outlet"] == hostile)
        for path in ("/outlets", f"/outlets/{slug}", "/blindspots", "/attention", "/framing"):
            page = client.get(path).text
            assert "<script>alert" not in page and "<b>left</b>" not in page, path
        assert "&lt;script&gt;" in client.get(f"/outlets/{slug}").text


def test_the_sample_outlets_file_names_every_sample_outlet():
    rows = list(csv.DictReader((SAMPLE / "outlets.csv").open()))
    truth = json.loads((SAMPLE / "truth.json").read_text())
    assert {r["outlet"] for r in rows} == {a["outlet"] for a in truth["articles"].values()}


# -- the figures kept in the store ----------------------------------------------------------------


def test_the_figures_are_kept_at_ingest_and_match_what_a_request_would_compute(compared):
    from storylens import open_store
    from storylens.outlets import blindspot_view, kept_views, load, outlet_slugs, outlet_view

    with open_store(compared) as store:
        assert store.kept_current("outlets")  # `compare` kept them: no page computes them
        computed = json.loads(json.dumps(kept_views(load(store))))
        names = set(computed)
        assert {
            "outlets",
            "outlet:harbor wire",
            "slug:harbor-wire",
            "blindspots:lean",
            "framing:lean",
        } <= names
        for name, view in computed.items():
            assert store.kept_view(name) == view, name
        assert (
            outlet_view(store, "harbor-wire")
            == outlet_view(store, "HARBOR  wire")
            == computed["outlet:harbor wire"]
        )
        assert outlet_view(store, "Nowhere Times") is None
        assert (
            outlet_slugs(store) == store.kept_view("slugs")
            and outlet_slugs(store)["Harbor Wire"] == "harbor-wire"
        )
        assert [b["title"] for b in blindspot_view(store, "lean")["blindspots"]] == [BREACH]


def test_a_page_of_stories_reads_the_coverage_of_its_stories_alone(compared):
    from storylens import open_store
    from storylens.outlets import coverage_of, load, story_coverage

    with open_store(compared) as store:
        everything = story_coverage(load(store))
        page = sorted(everything)[:3]
        assert coverage_of(store, page, "lean") == {sid: everything[sid]["lean"] for sid in page}
        assert coverage_of(store, [], "lean") == {}


def test_a_change_to_the_store_makes_the_kept_figures_stale_until_they_are_kept_again(compared, tmp_path):
    import shutil

    from storylens import open_store
    from storylens.outlets import blindspot_view, refresh

    db = tmp_path / "changed.db"
    shutil.copy(compared, db)
    with open_store(db) as store:
        before = store.generation()
        kept = store.kept_view("blindspots:lean")
        assert [b["title"] for b in kept["blindspots"]] == [BREACH]
        everyone_left = [("lean", o, "left") for o in store.outlet_counts()]
        store.replace_collections(everyone_left)  # a writer that does not refresh the figures
        assert store.generation() > before and store.kept_view("blindspots:lean") is None
        # No stale answer: computed from the store as it is now (one collection covers all).
        now = blindspot_view(store, "lean")["blindspots"]
        assert len(now) > 1 and {b["covered_by"] for b in now} == {"left"}
        # A writer between computing the views and keeping them: they are not kept.
        assert not store.keep_views(before, {"outlets": {}})
        assert refresh(store) > 0 and store.kept_view("blindspots:lean")["blindspots"] == now
        assert refresh(store) == 0  # current: nothing to do


def test_the_stories_pages_entity_list_is_kept_and_goes_stale_when_the_entities_change(compared, tmp_path):
    import shutil

    from storylens import open_store
    from storylens.outlets import refresh, story_filters

    db = tmp_path / "entities.db"
    shutil.copy(compared, db)
    with open_store(db) as store:
        refresh(store)
        kept = store.kept_view("story filters")
        assert kept["entities"] and kept["entities"] == [list(e) for e in store.entities_by_reach(2, 200)]
        store.replace_entities([])  # every entity resolved away, a writer that does not refresh
        assert store.kept_view("story filters") is None  # stale: the page reads SQL
        assert story_filters(store)["entities"] == []
        refresh(store)
        assert store.kept_view("story filters")["entities"] == []


def test_the_blindspots_and_outlets_pages_read_what_they_list_and_count_the_rest(
    compared, tmp_path, monkeypatch
):
    """The pages read the kept views cut to what they list (LISTED_*), with how many there are;
    their JSON twins and ?format=json still have them all."""
    import re
    import shutil

    from storylens import open_store
    from storylens import outlets as listing

    monkeypatch.setattr(listing, "LISTED_BLINDSPOTS", 2)
    monkeypatch.setattr(listing, "LISTED_EDGES", 1)
    db = tmp_path / "listed.db"
    shutil.copy(compared, db)
    with open_store(db) as store:  # one collection covers every story: each story a blindspot
        store.replace_collections([("lean", o, "left") for o in store.outlet_counts()])
        assert listing.refresh(store) > 0 and store.kept_current("blindspots listed:lean")
    with serving(db) as base, httpx.Client(base_url=base, timeout=60) as client:
        for params in ({}, {"share": "0.9"}):  # kept, then computed (not the default share)
            whole = client.get("/api/v1/blindspots", params=params).json()
            assert client.get("/blindspots", params=params | {"format": "json"}).json() == whole
            page = client.get("/blindspots", params=params).text
            ids = [b["story_id"] for b in whole["blindspots"]]
            assert len(ids) > 2 and f"<small>{len(ids)}</small>" in page
            assert f"The 2 most one-sided of {len(ids)}" in page
            assert re.findall(r'href="/stories/([^"]+)"', page) == ids[:2]
        network = client.get("/api/v1/outlets").json()["network"]
        assert client.get("/outlets", params={"format": "json"}).json()["network"] == network
        page = client.get("/outlets").text
        assert len(network) > 1 and f"The 1 links with the most passages of {len(network)}" in page
        assert page.count('<line class="edge"') == 1


def test_weeks_leave_out_a_day_a_store_kept_that_names_no_date():
    from storylens.outlets import per_period

    # A store written before ingest read metadata dates (clean.dates.metadata_date) may hold one.
    weeks = per_period(["2025-05-12", "0\U000f3bf9", "2025-05-20T08:00"], "week")
    assert [(w["period"], w["articles"]) for w in weeks] == [("2025-05-12", 1), ("2025-05-19", 1)]
