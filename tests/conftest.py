"""Shared fixtures: real SQLite stores in tmp_path, the CLI as a user runs it, the sample."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from storylens.cli import main
from storylens.model import Article
from storylens.understand import analyze
from storylens.understand.entities import fullest_name

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "sample"
SHARED = ROOT.parent / "shared"

# Tests run in the exact precision. On a CPU with AMX a bfloat16 vector moves by up to 5e-4 with
# the number of texts of its length embedded beside it, so two paths that embed the same texts in
# other groups (claims ahead or at compare time, the Spark engine's partitions) would differ in a
# score's last digit. The bfloat16 path has tests of its own (test_embed.py), which ask for it.
os.environ.setdefault("STORYLENS_EMBED_PRECISION", "float32")


def analysis_of(*paragraphs: str):
    """The understanding of one article made of these paragraphs."""
    [analysis] = analyze([Article("a1", "a1.txt", None, "t", None, None, "en", None, list(paragraphs))])
    return analysis


def ingest_outlets(folder: Path, texts: dict[str, str], day: str = "2025-03-03"):
    """A real store at folder/s.db holding one article of each outlet (outlet name -> its text),
    all of one day, ingested as a user would with a manifest; returns the store's path."""
    from storylens import ingest, open_store
    from storylens.ingest.manifest import read_manifest

    rows = ["path,url,outlet,published"]
    for k, (outlet, text) in enumerate(texts.items()):
        (folder / "corpus" / f"o{k}").mkdir(parents=True)
        (folder / "corpus" / f"o{k}" / "article.txt").write_text(text)
        rows.append(f"corpus/o{k}/article.txt,,{outlet},{day}")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n")
    with open_store(folder / "s.db") as store:
        ingest([folder / "corpus"], store, manifest=read_manifest(folder / "manifest.csv"))
    return folder / "s.db"


def found(analysis, chars: int | None = None) -> list[tuple[str, str, str | None]]:
    """(form, text or its first `chars` characters, speaker's entity name or the speaker as
    written) per quote."""
    names = {e.index: fullest_name(e) for e in analysis.entities}
    return [(q.form, q.text[:chars], names.get(q.speaker_local, q.speaker_text)) for q in analysis.quotes]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture
def cli():
    """Run `storylens ARGS...` in-process; returns the click Result."""
    runner = CliRunner()

    def run(*args: str, expect: int | None = 0):
        result = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
        if expect is not None:
            assert result.exit_code == expect, result.output
        return result

    return run


@pytest.fixture
def export_of(cli):
    def export(db: Path) -> dict:
        return json.loads(cli("export", "--db", db).stdout)

    return export


@pytest.fixture(scope="session")
def sample_export(tmp_path_factory) -> dict:
    """The export of the whole bundled sample, ingested once per test session."""
    folder = tmp_path_factory.mktemp("sample")
    copy = folder / "sample"
    shutil.copytree(SAMPLE, copy)
    runner = CliRunner()
    db = folder / "sample.db"
    result = runner.invoke(
        main, ["ingest", str(copy), "--manifest", str(copy / "manifest.csv"), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    exported = json.loads(runner.invoke(main, ["export", "--db", str(db)]).stdout)
    errors = runner.invoke(main, ["errors", "--db", str(db)]).stdout
    return {"root": copy, "export": exported, "errors": errors, "ingest_output": result.output}


WEB_TOKEN = "test-token-8c1f"
HOSTILE_TITLE = '<script>alert("x")</script> Flood <img src=x onerror=alert(1)> warning'
HOSTILE_BODY = (
    'Click <a href="javascript:alert(1)">here</a> \u202eevil\u202c and <iframe src="//x"></iframe> now. '
    + "The river rose overnight and the council opened two shelters for families near the bank. " * 3
)


@pytest.fixture(scope="session")
def web_db(tmp_path_factory) -> Path:
    """A store of the sample plus a hostile article."""
    from storylens import ingest, open_store
    from storylens.ingest.manifest import read_manifest
    from storylens.outlets import import_collections

    folder = tmp_path_factory.mktemp("web")
    copy = folder / "sample"
    shutil.copytree(SAMPLE, copy)
    db = folder / "web.db"
    with open_store(db) as store:
        ingest([copy / "corpus"], store, manifest=read_manifest(copy / "manifest.csv"))
        hostile = folder / "hostile.txt"
        hostile.write_text(HOSTILE_TITLE + "\n\n" + HOSTILE_BODY)
        huge = folder / "huge-line.txt"  # one 380,000-character line
        huge.write_text(
            "Levee breach report\n\nThe levee held. " + "The water stayed high along the levee " * 10_000
        )
        ingest([hostile, huge], store)
        import_collections(store, copy / "outlets.csv")  # leans and countries: TRUTH.md
    shutil.copy(db, folder / "pristine.db")  # as made, before any test writes to it
    return db


@pytest.fixture(scope="session")
def outlets_db(web_db, tmp_path_factory) -> Path:
    """web_db as it was made (tests write to web_db), every story compared as `make demo` leaves
    it: the store the outlet figures are checked on against TRUTH.md. No test writes to it."""
    from storylens import open_store
    from storylens.pipeline import compare_stories

    db = tmp_path_factory.mktemp("outlets") / "outlets.db"
    shutil.copy(web_db.parent / "pristine.db", db)
    with open_store(db) as store:
        compare_stories(store)
    return db


@pytest.fixture(scope="session")
def web_server(web_db):
    """The real server over web_db; yields its base URL."""
    from storylens.web.serving import serving

    with serving(web_db, WEB_TOKEN) as base:
        yield base
