"""Each reader, and every kind of bad input: reported per file, never fatal, nothing lost."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storylens import ingest, open_store
from storylens.config import Config
from storylens.ingest import discover, read_path
from storylens.model import Problem, RawDoc, TooLarge, UnreadableInput

BODY = (
    "Harbour officials in Port Ellis said on Monday that a new crane had doubled the number "
    "of containers unloaded each day, and that ships now wait half as long as last year."
)
TEXT = f"New crane doubles Port Ellis unloading\n\n{BODY}\n\nThe crane was built in Ruskor.\n"
PAGE = (
    "<html><head><title>New crane doubles Port Ellis unloading</title>"
    '<meta property="article:published_time" content="2025-02-03T10:00:00+00:00"></head>'
    "<body><nav>Home | World | Business</nav><article><h1>New crane doubles Port Ellis unloading</h1>"
    f"<p>{BODY}</p><p>The crane was built in Ruskor and shipped across the Sarn in pieces.</p>"
    "<script>alert('x')</script></article><footer>All rights reserved.</footer></body></html>"
)


def docs(path: Path, max_bytes: int = 20 * 1024 * 1024) -> list[RawDoc | Problem]:
    return list(read_path(path, max_bytes))


def write_warc(path: Path, records: list[tuple[str, str, bytes]]) -> None:
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=path.suffix == ".gz")
        for url, content_type, payload in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=headers)
            )


def test_text_and_gzipped_text(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "b.txt.gz").write_bytes(gzip.compress(TEXT.encode()))
    for name in ("a.txt", "b.txt.gz"):
        [doc] = docs(tmp_path / name)
        assert doc.text == TEXT and doc.source == str(tmp_path / name)


def test_html_and_gzipped_html(tmp_path):
    (tmp_path / "a.html").write_text(PAGE)
    (tmp_path / "b.htm.gz").write_bytes(gzip.compress(PAGE.encode()))
    for name in ("a.html", "b.htm.gz"):
        [doc] = docs(tmp_path / name)
        assert doc.html == PAGE


def test_jsonl_reads_good_records_and_reports_bad_lines(tmp_path):
    lines = [
        json.dumps(
            {
                "text": TEXT,
                "url": "https://wire.example/1",
                "outlet": "Wire",
                "title": "T",
                "published": "2025-01-02",
            }
        ),
        "{not json",
        json.dumps({"html": PAGE}),
        json.dumps({"title": "no body"}),
        json.dumps(["not", "an", "object"]),
    ]
    path = tmp_path / "dump.jsonl.gz"
    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    items = docs(path)
    good = [i for i in items if isinstance(i, RawDoc)]
    bad = [i for i in items if isinstance(i, Problem)]
    assert [g.source for g in good] == ["https://wire.example/1", f"{path}:3"]
    assert good[0].outlet == "Wire" and good[0].published == "2025-01-02"
    assert [b.source for b in bad] == [f"{path}:2", f"{path}:4", f"{path}:5"]
    assert "invalid JSON" in bad[0].reason and "neither" in bad[1].reason


def test_warc_yields_every_html_response_and_skips_other_records(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    write_warc(
        path,
        [
            ("https://a.example/story", "text/html; charset=utf-8", PAGE.encode()),
            ("https://a.example/robots.txt", "text/plain", b"User-agent: *"),
            ("https://a.example/other", "text/html", PAGE.replace("Ruskor", "Brenholt").encode()),
        ],
    )
    items = docs(path)
    assert [d.source for d in items] == ["https://a.example/story", "https://a.example/other"]
    assert all(d.url == d.source and d.html for d in items)


def test_warc_without_html_is_unreadable(tmp_path):
    path = tmp_path / "none.warc"
    write_warc(path, [("https://a.example/x.pdf", "application/pdf", b"%PDF")])
    with pytest.raises(UnreadableInput, match="no HTML"):
        docs(path)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n \t\n", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(300), "binary"),
        ("controls.txt", bytes(range(1, 9)) * 40 + b"text", "binary"),
        ("garbage.txt", bytes(range(128, 256)) * 8, "encoding"),
        ("cut.txt.gz", gzip.compress(TEXT.encode() * 50)[:60], "gzip"),
        ("not-gzip.txt.gz", b"plain text pretending to be gzip", "gzip"),
        ("notes.docx", b"PK\x03\x04", "unsupported"),
    ],
)
def test_bad_files_raise_a_clear_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableInput) as caught:
        docs(path)
    assert reason in caught.value.reason and caught.value.source == str(path)


def test_files_over_the_limit_raise_too_large_even_when_gzipped(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(TEXT * 100)
    with pytest.raises(TooLarge):
        docs(big, max_bytes=1000)
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"a" * 5_000_000))
    assert bomb.stat().st_size < 10_000
    with pytest.raises(TooLarge, match="decompressed"):
        docs(bomb, max_bytes=1_000_000)


def test_legacy_and_utf16_encodings_are_repaired(tmp_path):
    text = (
        "Caf\u00e9 owners in Port Ellis said the \u201cnew rules\u201d would cost them dearly this year.\n"
        * 3
    )
    (tmp_path / "cp1252.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "utf16.txt").write_bytes(text.encode("utf-16"))
    for name in ("cp1252.txt", "utf16.txt"):
        [doc] = docs(tmp_path / name)
        assert "\u201cnew rules\u201d" in doc.text


@pytest.mark.parametrize(
    "text, codec",
    [
        (
            "The mayor\u2019s \u201cplan\u201d costs \u20ac3m; caf\u00e9 owners in Z\u00fcrich called it na\u00efve.\n",
            "cp1252",
        ),
        (
            "Caf\u00e9 owners in Z\u00fcrich called the plan na\u00efve on Monday, and the mayor said the tax "
            "would stay.\n",
            "cp1252",
        ),
        (
            "Za\u017c\u00f3\u0142\u0107 g\u0119\u015bl\u0105 ja\u017a\u0144, powiedzia\u0142 burmistrz \u0141odzi.\n",
            "cp1250",
        ),
        (
            "\u041f\u0440\u0435\u0437\u0438\u0434\u0435\u043d\u0442 \u0437\u0430\u044f\u0432\u0438\u043b \u0432\u043e \u0432\u0442\u043e\u0440\u043d\u0438\u043a.\n",
            "cp1251",
        ),
    ],
)
def test_a_legacy_code_page_is_read_as_written(tmp_path, text, codec):
    path = tmp_path / f"{codec}.txt"
    path.write_bytes((text * 3).encode(codec))
    [doc] = docs(path)
    assert text.strip() in doc.text


def test_discover_takes_known_kinds_in_folders_but_reports_unknown_files_named_explicitly(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(TEXT)
    (tmp_path / "README.md").write_text("# notes")
    (tmp_path / ".hidden.txt").write_text(TEXT)
    assert list(discover([tmp_path])) == [tmp_path / "sub" / "a.txt"]
    assert list(discover([tmp_path / "README.md"])) == [tmp_path / "README.md"]


def test_one_bad_file_does_not_stop_the_others_and_lands_in_errors(tmp_path, db):
    (tmp_path / "good.txt").write_text(TEXT)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "scripts.html").write_text("<html><body><script>steal()</script></body></html>")
    with open_store(db) as store:
        report = ingest([tmp_path], store)
        assert report.added == 1
        assert {p.source.rsplit("/", 1)[-1] for p in report.problems} == {
            "empty.txt",
            "scripts.html",
        }
        assert {e.source for e in store.errors()} == {p.source for p in report.problems}


def test_script_content_never_reaches_the_article(tmp_path, db):
    (tmp_path / "page.html").write_text(PAGE)
    with open_store(db) as store:
        ingest([tmp_path], store)
        [article] = list(store.articles())
    assert "alert" not in " ".join(article.paragraphs)
    assert article.title == "New crane doubles Port Ellis unloading"
    assert article.published == "2025-02-03T10:00+00:00"
    assert "article:published_time" in article.published_evidence


def test_null_bytes_inside_jsonl_text_are_stripped_not_fatal(tmp_path, db):
    (tmp_path / "d.jsonl").write_text(json.dumps({"text": TEXT.replace("crane", "cra\u0000ne")}) + "\n")
    with open_store(db) as store:
        report = ingest([tmp_path], store)
        [article] = list(store.articles())
    assert report.added == 1 and "\x00" not in " ".join(article.paragraphs)


def test_a_published_value_that_names_no_date_is_no_date(tmp_path, db):
    # Found by the API fuzzer: a record's "published" of stray characters was kept as written, and
    # the outlet figures, reading a day from it, stopped the ingest with a server error.
    records = [
        {"text": TEXT, "published": "0\U000f3bf9", "outlet": "Port Wire"},
        {"text": TEXT.replace("crane", "gantry"), "published": "May 12, 2025", "outlet": "Port Wire"},
        {"text": TEXT.replace("crane", "hoist"), "published": "2025-05-11T08:00", "outlet": "Port Wire"},
    ]
    (tmp_path / "d.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    with open_store(db) as store:
        report = ingest([tmp_path], store)
        published = sorted(a.published or "-" for a in store.articles())
    assert report.added == 3 and not report.problems
    assert published == ["-", "2025-05-11T08:00", "2025-05-12"]  # read, kept as written, or none


def test_document_limit_applies_per_jsonl_record(tmp_path, db):
    small = json.dumps({"text": TEXT})
    large = json.dumps({"text": TEXT * 40})
    (tmp_path / "d.jsonl").write_text(small + "\n" + large + "\n")
    with open_store(db) as store:
        report = ingest([tmp_path], store, config=Config(db=db, max_document_bytes=2000))
    assert report.added == 1
    assert [p.source for p in report.problems] == [f"{tmp_path / 'd.jsonl'}:2"]


def test_the_configuration_reads_the_environment_when_made_not_at_import(monkeypatch):
    from storylens.config import Config

    monkeypatch.setenv("STORYLENS_BATCH_SIZE", "7")
    monkeypatch.setenv("STORYLENS_MAX_DOCUMENT_BYTES", "1024")
    made = Config()
    assert (made.batch_size, made.max_document_bytes) == (7, 1024)
    monkeypatch.delenv("STORYLENS_BATCH_SIZE")
    assert Config().batch_size == 200
