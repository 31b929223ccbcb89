"""The CLI as the README shows it: ingest, articles, show, errors, export."""

from __future__ import annotations

import json
import re

from conftest import SAMPLE, ingest_outlets

TEXT = (
    "Ferry service to Tamsin resumes after floods\n"
    "Published: 2 May 2025\n"
    "TAMSIN — The ferry between Tamsin and Brenholt resumed on Friday after three weeks of floods "
    "closed the river port, the operator said.\n"
    "The first crossing carried 140 passengers and a load of building materials.\n"
    "Share this article\n"
)


def test_ingest_then_articles_show_and_export(tmp_path, db, cli):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ferry.txt").write_text(TEXT)
    result = cli("ingest", tmp_path / "in", "--db", db)
    assert "1 new articles" in result.output
    listing = cli("articles", "--db", db).output
    assert "Ferry service to Tamsin resumes after floods" in listing and "2025-05-02" in listing
    article_id = listing.split()[5]  # first cell after the header row
    assert article_id.startswith("a_")
    shown = cli("show", article_id[:8], "--db", db).output
    assert "TAMSIN" in shown and "Share this article" in shown and "removed" in shown
    exported = json.loads(cli("export", "--db", db).stdout)
    [article] = exported["articles"]
    assert article["id"] == article_id and article["dateline"] == "TAMSIN"
    assert article["published_evidence"] == "Published: 2 May 2025"


def test_the_store_comes_from_storylens_db_when_no_flag_is_given(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("STORYLENS_DB", str(tmp_path / "env.db"))
    (tmp_path / "ferry.txt").write_text(TEXT)
    cli("ingest", tmp_path / "ferry.txt")
    assert (tmp_path / "env.db").exists()
    assert "Ferry service" in cli("articles").output


def test_outlet_flag_and_manifest_set_metadata(tmp_path, db, cli, export_of):
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "b.txt").write_text(TEXT.replace("140", "160"))
    (tmp_path / "m.csv").write_text(
        "path,url,outlet,published\nb.txt,https://river.example/ferry,River News,2025-05-01\n"
    )
    cli("ingest", tmp_path / "a.txt", "--db", db, "--outlet", "Tamsin Today")
    cli("ingest", tmp_path / "b.txt", "--db", db, "--manifest", tmp_path / "m.csv")
    articles = {a["outlet"]: a for a in export_of(db)["articles"]}
    assert set(articles) == {"Tamsin Today", "River News"}
    assert articles["River News"]["source"] == "https://river.example/ferry"
    assert articles["River News"]["published"] == "2025-05-01"


def test_unknown_outlet_is_null_never_a_guess(tmp_path, db, cli, export_of):
    (tmp_path / "a.txt").write_text(TEXT)
    cli("ingest", tmp_path, "--db", db)
    assert export_of(db)["articles"][0]["outlet"] is None


def test_errors_lists_bad_files_and_exit_is_nonzero_only_when_nothing_was_read(tmp_path, db, cli):
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "empty.txt").write_bytes(b"")
    failed = cli("ingest", tmp_path / "bad", "--db", db, expect=1)
    assert "empty file" in failed.output and "nothing could be read" in failed.output
    (tmp_path / "bad" / "ok.txt").write_text(TEXT)
    cli("ingest", tmp_path / "bad", "--db", db, expect=0)
    assert "empty.txt: empty file" in cli("errors", "--db", db).output


def test_missing_article_is_a_clear_error(db, cli):
    assert "no article" in cli("show", "a_nothing", "--db", db, expect=1).output


def test_jsonl_export_has_a_header_then_one_article_per_line(tmp_path, db, cli):
    cli("ingest", SAMPLE / "corpus" / "northgate", "--db", db)
    out = tmp_path / "export.jsonl"
    cli("export", "--db", db, "--format", "jsonl", "--out", out)
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert lines[0] == {"format": "storylens-export/1"}
    articles = [r for r in lines[1:] if r["kind"] == "article"]
    assert len(articles) == 5 and [r["id"] for r in articles] == sorted(r["id"] for r in articles)
    kinds = [r["kind"] for r in lines[1:]]
    assert kinds == sorted(kinds, key=["article", "entity", "quote", "statement", "reuse", "story"].index)
    assert {"entity", "quote"} <= set(kinds)


def test_parallel_parsing_gives_the_same_articles(tmp_path, cli, export_of):
    cli("ingest", SAMPLE / "corpus", "--db", tmp_path / "one.db")
    cli("ingest", SAMPLE / "corpus", "--db", tmp_path / "two.db", "--jobs", "2")
    assert export_of(tmp_path / "one.db") == export_of(tmp_path / "two.db")


def test_no_text_field_reaches_the_terminal_with_a_control_character(tmp_path, db, cli):
    hostile = "\x1b]0;pwned\x07\x1b[31mRed\x9b2J\u202eevil"
    record = {
        "outlet": "Wire " + hostile,
        "title": "Ferry " + hostile,
        "published": "2025-05-02" + hostile,
        "url": "https://news.test/ferry" + hostile,
        "text": TEXT.split("\n", 1)[1] + hostile,
    }
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps(record) + "\n" + "{broken " + hostile + "\n")
    (tmp_path / ("bad" + hostile + ".txt")).write_bytes(b"")  # an error whose source is hostile
    cli("ingest", feed, tmp_path / ("bad" + hostile + ".txt"), "--db", db)
    article_id = json.loads(cli("export", "--db", db).stdout)["articles"][0]["id"]
    outputs = [
        cli(*command, "--db", db).output
        for command in (
            ("articles",),
            ("show", article_id),
            ("errors",),
            ("stories",),
            ("entities",),
            ("quotes",),
        )
    ]
    outputs.append(
        cli("story", json.loads(cli("export", "--db", db).stdout)["stories"][0]["id"], "--db", db).output
    )
    for output in outputs:
        assert not any(ch in output for ch in "\x1b\x07\x9b\u202e"), output
    assert "Wire" in outputs[0] and "bad" in outputs[2]


def test_quotes_show_the_words_one_outlet_quotes_otherwise(cli, tmp_path):
    said = '{} the plan, Harbour Minister Ilse Varga said on Monday. "We are not going to pay {} single cent for the new sea wall in Tarrow," Varga told reporters at the port. The council will meet again next week to vote on the budget and the repairs.'
    db = ingest_outlets(
        tmp_path,
        {
            "Harbor Wire": said.format("Ruskor rejected", "a"),
            "Coast Daily": said.format("The government of Ruskor turned down", "any"),
        },
    )
    shown = cli("quotes", "--db", db).stdout
    # one statement, each version with the word the other outlet quotes otherwise
    assert "(2 articles)" in shown
    assert shown.count("worded otherwise than another outlet's version") == 2
    assert "worded otherwise than another outlet's version: “a”" in shown
    assert "worded otherwise than another outlet's version: “any”" in shown
    # the story's summary, telling one version, names the article quoting it otherwise
    [story] = [line.split()[0] for line in cli("stories", "--db", db).stdout.splitlines()[1:] if line.strip()]
    told = cli("story", story, "--db", db).stdout
    summary = told[told.index("summary") : told.index("facts two outlets or more carry")]
    quoting = [line for line in summary.splitlines() if "single cent" in line]
    assert quoting and all(re.search(r"\(quoted otherwise by \[\d\]\)", line) for line in quoting)


def test_the_cli_story_names_the_articles_telling_a_fact_in_other_words(cli, web_db):
    exported = json.loads(cli("export", "--db", web_db).stdout)
    found = 0
    for story in exported["stories"]:
        if any(f["restated_by"] for f in story["facts"]):
            told = cli("story", story["id"], "--db", web_db).stdout
            listed = told[told.index("facts two outlets or more carry") :].split("\n\n")[0]
            found += len(re.findall(r"\(in other words (?:\[\d+\])+\)", listed))
    assert found


def test_the_cli_story_counts_a_reprint_as_no_second_outlet_behind_a_fact(cli, web_db):
    # the sample's wire reprints (Northgate Daily gives Harbor Wire's strike story again)
    exported = json.loads(cli("export", "--db", web_db).stdout)
    found = 0
    for story in exported["stories"]:
        reprinted = [f for f in story["facts"] if f["reprinted_by"]]
        if not reprinted:
            continue
        assert all(set(f["reprinted_by"]) <= set(f["article_ids"]) for f in reprinted)
        told = cli("story", story["id"], "--db", web_db).stdout
        listed = told[told.index("facts two outlets or more carry") :].split("\n\n")[0]
        for line in (line for line in listed.splitlines() if "(reprinted by [" in line):
            count = int(line.split()[0])
            cited = re.findall(r"\[(\d+)\]", line[: line.index("(reprinted by")])  # its own and restating
            reprints = re.findall(r"\[(\d+)\]", line[line.index("(reprinted by") :])
            assert set(reprints) <= set(cited)
            assert count == len(set(cited)) - len(set(reprints))  # a reprint adds no outlet of its own
            found += 1
    assert found
