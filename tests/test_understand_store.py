"""The understanding stage through the store and the CLI, on the sample, the seeds and a v1 store."""

from __future__ import annotations

import json
import sqlite3

import pytest
from conftest import SAMPLE, SHARED

from storylens import ingest, open_store
from storylens.pipeline import analyze_store
from storylens.store.db import SCHEMA_VERSION, _schema

TRUTH = json.loads((SAMPLE / "truth.json").read_text(encoding="utf-8"))


def by_key(sample_export) -> dict[str, dict]:
    root = str(sample_export["root"]) + "/"
    sources = {s.replace(root, ""): a for a in sample_export["export"]["articles"] for s in a["sources"]}
    return {key: sources[t["source"]] for key, t in TRUTH["articles"].items()}


def entity_with(document, alias):
    found = [e for e in document["entities"] if alias in e["aliases"]]
    assert len(found) == 1, (alias, found)
    return found[0]


def test_sample_people_are_one_entity_across_spellings_and_events(sample_export):
    document = sample_export["export"]
    darvish = entity_with(document, "Kasem Darvish")
    assert {"Ghasem Darvish", "Qasem Darvish", "Darvish"} <= set(darvish["aliases"])
    articles = by_key(sample_export)
    # Both events (S1 in 2025, S2 in 2024) name the same man.
    assert {articles[k]["id"] for k in ("A1", "A3", "A5", "B1", "B2")} <= set(darvish["article_ids"])
    tarsan = entity_with(document, "Ayub Tarsan")
    assert {"Ayyoub Tarsan", "Ayub Hamid Tarsan"} <= set(tarsan["aliases"])
    assert darvish["id"] != tarsan["id"]
    assert entity_with(document, "BBF")["id"] == entity_with(document, "Black Banner Front")["id"]


def statement_of(document, article_id, text):
    found = [q for q in document["quotes"] if q["article_id"] == article_id and text in q["text"]]
    assert found, (article_id, text)
    return found[0]["statement_id"]


@pytest.mark.parametrize(
    ("keys", "text"),
    [
        (("A1", "A2", "A3", "A4"), "no aircraft crosses its sky"),
        (("A1", "A2", "A4", "A7"), "years of cooperation into a lasting alliance"),
        (("C2", "C3", "C5"), "ten minutes to get the children out"),
        (("D1", "D3", "D4"), "wages that keep up with prices"),
    ],
)
def test_the_same_remark_across_outlets_is_one_statement(sample_export, keys, text):
    document, articles = sample_export["export"], by_key(sample_export)
    statements = {statement_of(document, articles[k]["id"], text) for k in keys}
    assert len(statements) == 1


def test_two_translations_of_one_remark_are_one_statement(sample_export):
    document, articles = sample_export["export"], by_key(sample_export)
    wire = statement_of(document, articles["A1"]["id"], "no aircraft crosses its sky")
    translated = statement_of(document, articles["A5"]["id"], "no plane enters its airspace")
    assert wire == translated
    statement = next(s for s in document["statements"] if s["id"] == wire)
    assert statement["speaker_id"] == entity_with(document, "Kasem Darvish")["id"]
    # two translations share too few words in order to be read as versions of one quotation
    assert statement["worded_otherwise"] == {}
    assert all(isinstance(s["worded_otherwise"], dict) for s in document["statements"])


def test_different_remarks_of_one_speaker_stay_apart(sample_export):
    document, articles = sample_export["export"], by_key(sample_export)
    pact = statement_of(document, articles["A1"]["id"], "no aircraft crosses its sky")
    border = statement_of(document, articles["B1"]["id"], "corridor for weapons")
    assert pact != border


def test_export_quotes_have_speakers_resolved_to_entities(sample_export):
    document = sample_export["export"]
    holm = entity_with(document, "Petra Holm")["id"]
    quotes = [q for q in document["quotes"] if "ten minutes" in q["text"]]
    assert quotes and all(q["speaker_id"] == holm for q in quotes)
    ids = [q["id"] for q in document["quotes"]]
    assert ids == sorted(ids) and all(i.startswith("q_") for i in ids)


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared/seeds is not here")
def test_seeds_show_each_person_once_with_all_spellings_and_the_right_speakers(tmp_path):
    with open_store(tmp_path / "seeds.db") as store:
        ingest([SHARED / "seeds"], store)
        entities = store.entity_rows("PERSON")
        quotes = store.quote_rows()
    named = {a: e for e in entities for a in e["aliases"]}
    assert named["Mohammad Bagheri"] is named["Muhammad Baqeri"] is named["Baqeri"]
    assert named["Ali Ayoub"] is named["Ali Abdullah Ayyoub"]
    assert len([e for e in entities if "Bagheri" in e["aliases"]]) == 1
    speaker = {q["text"][:30]: (q["speaker_id"], q["speaker_kind"]) for q in quotes}
    mcnulty = named["Jessica L. McNulty"]["id"]
    assert speaker["U.S. service members will cont"] == (mcnulty, "person")  # "she added"
    assert speaker["If the American administration"][0] == named["Ali Ayoub"]["id"]  # "he said"
    assert speaker["The military agreement was sig"] == (None, "document")  # "the statement added"


def test_reanalysis_reuses_stored_embeddings(tmp_path, monkeypatch):
    import storylens.pipeline as pipeline

    embedded: list[str] = []
    real = pipeline.embed
    monkeypatch.setattr(pipeline, "embed", lambda texts: embedded.extend(texts) or real(texts))
    with open_store(tmp_path / "s.db") as store:
        ingest([SAMPLE / "corpus" / "northgate"], store)
        first = len(embedded)
        assert first > 0
        analyze_store(store, everything=True)
        assert len(embedded) == first  # unchanged texts: nothing recomputed
        [row] = store.story_inputs([store.article_rows()[0].id])
        assert len(row["vector"]) == 384 * 2  # float16


def test_a_version_1_store_is_migrated_forward_keeping_its_articles(tmp_path, cli):
    old = tmp_path / "v1.db"
    v1 = (
        _schema()
        .split("-- Understanding (version 2)")[0]
        .replace(f"PRAGMA user_version = {SCHEMA_VERSION};", "PRAGMA user_version = 1;")
    )
    raw = sqlite3.connect(old)
    raw.executescript(v1)
    raw.execute(
        "INSERT INTO articles (id, source, title, paragraphs, words, ingested_at) VALUES "
        "('a_old', 'old.txt', 'Harbour reopens', ?, 12, '2025-01-01')",
        (
            json.dumps(
                ["Ruskor harbour reopened on Monday after the strike ended, officials in Ruskor said."]
            ),
        ),
    )
    raw.commit()
    raw.close()
    with open_store(old) as store:
        assert store.version == SCHEMA_VERSION
        assert store.article("a_old").title == "Harbour reopens"
    result = cli("analyze", "--db", old)
    assert "1 articles analysed" in result.output


def test_cli_entities_entity_and_quotes(tmp_path, cli):
    db = tmp_path / "s.db"
    cli("ingest", SAMPLE / "corpus", "--db", db)
    people = cli("entities", "--type", "PERSON", "--db", db).output
    assert "Kasem Darvish" in people and "Ghasem Darvish" in people and "Black Banner Front" not in people
    shown = cli("entity", "Qasem Darvish", "--db", db).output
    assert "Kasem Darvish (PERSON" in shown and "Major General" in shown
    assert shown.count("…") >= 10  # mentions in context
    quoted = cli("quotes", "--speaker", "Ghasem Darvish", "--db", db).output
    assert "no aircraft crosses its sky" in quoted and "no plane enters its airspace" in quoted
    assert "Petra Holm" not in quoted
    assert "no entity" in cli("entity", "Nobody Atall", "--db", db, expect=1).output
    with open_store(db) as store:  # the lookup the CLI prints is the library's
        [darvish] = store.entities_named("qASEM darvish")  # an alias, case forgiven
        assert darvish["name"] == "Kasem Darvish"
        assert store.entities_named(darvish["id"]) == [darvish] and store.entities_named("Nobody Atall") == []


def test_every_quote_shows_its_cue_and_how_its_speaker_was_found_in_the_cli_the_web_and_the_export(
    tmp_path, cli, export_of
):
    from fastapi.testclient import TestClient

    from storylens.web.app import create_app

    article = tmp_path / "pier.txt"
    article.write_text(
        "Pier to reopen in May\n\nGovernor Karen Holt toured the pier on Friday.\n\n"
        "“The pier will open in May,” she said.\n",
        encoding="utf-8",
    )
    db = tmp_path / "pier.db"
    cli("ingest", article, "--db", db)
    [quote] = export_of(db)["quotes"]
    assert quote["cue"] == "said"
    assert quote["speaker_evidence"] == "subject of ‘said’: the last woman to speak or act before it"
    listed = cli("quotes", "--db", db).output
    assert "cue “said”" in listed and quote["speaker_evidence"] in listed
    with TestClient(create_app(db), base_url="http://localhost") as client:
        page = client.get(f"/entities/{quote['speaker_id']}").text
    assert "cue “said”" in page and quote["speaker_evidence"] in page


def test_statements_linked_a_batch_at_a_time_are_those_of_linking_every_quote(tmp_path):
    from storylens.ingest.manifest import read_manifest
    from storylens.pipeline import stored_vectors
    from storylens.understand.statements import link_statements

    manifest = read_manifest(SAMPLE / "manifest.csv")
    corpus = SAMPLE / "corpus"
    with open_store(tmp_path / "s.db") as store:
        for outlet in sorted(p.name for p in corpus.iterdir() if p.is_dir()):
            ingest([corpus / outlet], store, manifest=manifest)
        stored = {q["id"]: q["statement_id"] for q in store.quote_rows()}
        every = link_statements(store.quote_refs(), lambda texts: stored_vectors(store, texts))
        assert stored == every
        assert len(set(every.values())) < len(every)  # some statement holds quotes of two articles


def test_a_story_whose_quote_changes_statement_is_compared_again(outlets_db, tmp_path):
    import shutil

    db = tmp_path / "s.db"
    shutil.copy(outlets_db, db)
    with open_store(db) as store:
        kept = set(store.stored_comparisons())
        quotes = [q for q in store.quote_rows() if q["statement_id"]]
        story_of = store.stories_by_article()
        quote = next(q for q in quotes if story_of.get(q["article_id"]) in kept)
        story = story_of[quote["article_id"]]
        # linked again to the statements they had: every comparison stays
        store.set_statements({q["id"]: q["statement_id"] for q in quotes})
        assert set(store.stored_comparisons()) == kept
        # one quote's statement changes: its story's comparison goes, no other
        store.set_statements({quote["id"]: "s_another"})
        assert set(store.stored_comparisons()) == kept - {story}
        assert {q["id"]: q["statement_id"] for q in store.quote_rows()}[quote["id"]] == "s_another"
