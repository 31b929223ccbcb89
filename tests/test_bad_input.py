"""Inputs that once stopped a run or were skipped without a word: each gets one line of reason
and the run goes on with the rest; a huge record costs no more memory than the record limit."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

BODY = (
    "Harbour officials in Port Ellis said on Monday that a new crane had doubled the number "
    "of containers unloaded each day, and that ships now wait half as long as last year."
)
GOOD = f"New crane doubles Port Ellis unloading\n\n{BODY}\n"


def reasons(cli, db) -> dict[str, str]:
    """source -> reason, from `storylens errors` (one line each)."""
    found = {}
    for line in cli("errors", "--db", db).stdout.splitlines():
        source, _, reason = line.rpartition(": ")
        found[source] = reason
    return found


def assert_one_clear_line(reason: str) -> None:
    assert reason and len(reason) <= 200 and reason.isprintable(), reason


def test_a_symlink_loop_and_a_fifo_named_on_the_command_line_do_not_stop_the_good_file(tmp_path, cli, db):
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "good.txt").write_text(GOOD)
    result = cli("ingest", tmp_path / "loop.txt", tmp_path / "pipe.txt", tmp_path / "good.txt", "--db", db)
    assert "1 new articles" in result.output and "2 unreadable" in result.output
    found = reasons(cli, db)
    assert found[str(tmp_path / "loop.txt")] == "symbolic link loop"
    assert found[str(tmp_path / "pipe.txt")] == "not a regular file (a FIFO)"


def test_what_a_folder_holds_besides_files_is_reported_not_skipped(tmp_path, cli, db):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "gone.html").symlink_to(folder / "missing.html")
    (folder / "up").symlink_to(folder)  # a link to a directory is not followed
    os.mkfifo(folder / "feed.jsonl")
    cli("ingest", folder, "--db", db)
    found = reasons(cli, db)
    assert found == {
        str(folder / "loop.txt"): "symbolic link loop",
        str(folder / "gone.html"): "broken symbolic link",
        str(folder / "feed.jsonl"): "not a regular file (a FIFO)",
    }


def test_a_deeply_nested_json_line_costs_that_line_only(tmp_path, cli, db):
    feed = tmp_path / "feed.jsonl"
    nested = "[" * 200_000 + "]" * 200_000
    good = json.dumps({"text": GOOD, "outlet": "Harbor Wire"})
    feed.write_text(f"{nested}\n{good}\n")
    assert "1 new articles" in cli("ingest", feed, "--db", db).output
    assert reasons(cli, db) == {f"{feed}:1": "JSON nested too deeply"}


@pytest.mark.parametrize(
    "content",
    [
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 10\r\n\r\n0123456789\r\n\r\n",  # no headers
        bytes(range(256)) * 4,  # binary garbage
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\n\x00\x01\x1b[31m",  # truncated
    ],
)
def test_a_malformed_warc_gets_one_printable_line(tmp_path, cli, db, content):
    (tmp_path / "bad.warc").write_bytes(content)
    (tmp_path / "good.txt").write_text(GOOD)
    cli("ingest", tmp_path / "bad.warc", tmp_path / "good.txt", "--db", db)
    reason = reasons(cli, db)[str(tmp_path / "bad.warc")]
    assert_one_clear_line(reason)
    assert "unexpected" not in reason and "\\x" not in reason


def test_an_article_whose_title_ran_into_its_body_is_kept(tmp_path, cli, db, export_of):
    # Scraped prose that lost its line breaks, the title given beside it.
    prose = " ".join(BODY.replace(". ", ".") for _ in range(8))
    record = {
        "title": "New crane doubles Port Ellis unloading",
        "text": "New crane doubles Port Ellis unloading " + prose,
    }
    (tmp_path / "feed.jsonl").write_text(json.dumps(record) + "\n")
    cli("ingest", tmp_path / "feed.jsonl", "--db", db)
    [article] = export_of(db)["articles"]
    assert article["title"] == record["title"] and "Harbour officials" in article["paragraphs"][0]


def bomb(path: Path, size: int) -> None:
    """A .jsonl.gz of one `size`-byte line then a good record, built from repeated gzip
    members (gzip reads concatenated members as one stream), so it takes a moment to make."""
    block = 1 << 24
    member = gzip.compress(b"a" * block, compresslevel=9)
    with open(path, "wb") as out:
        out.write(gzip.compress(b'{"text": "'))
        for _ in range(size // block):
            out.write(member)
        out.write(gzip.compress(b'"}\n' + json.dumps({"text": GOOD}).encode() + b"\n"))


# The process's own peak RSS (VmHWM: ru_maxrss would count the forking pytest's memory too).
MEASURED = """
import re, sys
from storylens.cli import main
try:
    main(sys.argv[1:], prog_name="storylens")
except SystemExit:
    pass
status = open("/proc/self/status").read()
print("peak-rss-kb", re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1))
"""


@pytest.mark.slow
def test_a_multi_gigabyte_jsonl_line_is_refused_in_bounded_memory(tmp_path):
    feed = tmp_path / "bomb.jsonl.gz"
    bomb(feed, 3 << 30)  # 3 GiB once decompressed, 3 MB on disk
    db = tmp_path / "s.db"
    run = subprocess.run(
        [sys.executable, "-c", MEASURED, "ingest", feed, "--db", db, "--no-analyze"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    peak_mb = int(run.stdout.split("peak-rss-kb")[-1]) / 1024
    assert "1 new articles" in run.stdout, run.stdout + run.stderr
    assert f"{feed}:1: record of 3,221,225,485 bytes is over the" in run.stderr.replace("\n", "")
    assert peak_mb < 500, f"peak RSS {peak_mb:.0f} MB"


def test_the_pipeline_loads_no_model_library_until_a_model_is_needed():
    # Importing spaCy imports torch: ingest --no-analyze and the web app's pages stay small without them
    # (a module-level spaCy import once took the bounded-memory ingest above over its bound).
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, storylens.pipeline, storylens.web.app; print(sorted(m for m in "
            "('spacy', 'torch', 'transformers') if m in sys.modules))",
        ],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.stdout.strip() == "[]", run.stdout + run.stderr


def test_a_page_with_a_control_character_in_an_attribute_name_is_kept(tmp_path, cli, db, export_of):
    # Found by bench/fuzz.py: lxml parses such a name but raises when it is read back.
    page = (
        '<html><head><title>New crane</title><meta property="article:published_time" da\x01ta="y" '
        f'content="2025-02-03T10:00:00Z"></head><body><article><h1>New crane</h1><p>{BODY}</p></article></body></html>'
    )
    (tmp_path / "page.html").write_text(page)
    cli("ingest", tmp_path / "page.html", "--db", db)
    [article] = export_of(db)["articles"]
    assert article["title"] == "New crane" and article["published"].startswith("2025-02-03")


def test_a_text_too_long_to_be_one_article_is_reported_and_the_rest_is_analysed(tmp_path, cli, db):
    """Under the byte limit but past what the parse reads (a dump of many articles in one file):
    one line of reason at ingest, not a crash of the analysis that stops the good file."""
    from storylens.clean import MAX_ARTICLE_CHARS

    paragraph = "The harbour board met again and discussed the ferry timetable for the islands. " * 20
    dump = "\n\n".join(f"Meeting {i}. {paragraph}" for i in range(700))  # each paragraph its own
    (tmp_path / "dump.txt").write_text("Everything at once\n\n" + dump)
    assert MAX_ARTICLE_CHARS < (tmp_path / "dump.txt").stat().st_size < 20 * 1024 * 1024
    (tmp_path / "good.txt").write_text(GOOD)
    result = cli("ingest", tmp_path, "--db", db)
    assert "1 new article" in result.stdout and "1 analysed" in result.stdout, result.stdout
    reason = reasons(cli, db)[str(tmp_path / "dump.txt")]
    assert_one_clear_line(reason)
    assert "too long" in reason


def test_an_older_store_holding_a_text_too_long_to_parse_is_analysed_around_it(tmp_path, cli, db, export_of):
    """A store written before ingest refused such texts: `analyze` keeps the article, reports it
    with one line of reason and analyses the others, instead of stopping at spaCy's length error."""
    from dataclasses import replace

    from storylens.clean import MAX_ARTICLE_CHARS
    from storylens.store import open_store

    (tmp_path / "good.txt").write_text(GOOD)
    cli("ingest", tmp_path / "good.txt", "--db", db)
    with open_store(db) as store:
        [good] = [store.article(i) for i in store.article_urls()]
        huge = ["The harbour board met again and discussed the ferry timetable. " * 40] * 500
        assert sum(map(len, huge)) > MAX_ARTICLE_CHARS
        dump = replace(
            good, id="a_dump", source=str(tmp_path / "dump.txt"), title="All at once", paragraphs=huge
        )
        store.write_batch([(dump, "dump-hash")], [], [])
    result = cli("analyze", "--all", "--db", db)
    assert "2 articles analysed" in result.stdout, result.stdout
    reason = reasons(cli, db)[str(tmp_path / "dump.txt")]
    assert_one_clear_line(reason)
    assert "too long" in reason
    exported = export_of(db)
    assert {a["title"] for a in exported["articles"]} == {good.title, "All at once"}  # nothing lost
    assert exported["entities"]  # the good article was analysed
