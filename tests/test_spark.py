"""The Spark engine: `storylens batch --engine spark` on a real local Spark session (local[2])
gives what the local pipeline gives, and `storylens load` brings it into a store."""

from __future__ import annotations

from pathlib import Path

import pytest

from storylens.scale import java_available

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'storylens[spark]')")
if not java_available():
    pytest.skip("Spark needs Java, and no java is on this machine", allow_module_level=True)

from storylens.cli import main  # noqa: E402
from storylens.scale import read_tables  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "sample"


@pytest.fixture(scope="module")
def spark_run(tmp_path_factory, sample_export):
    """The sample folder, plus a Parquet file repeating two of its articles and holding one bad
    record, through `storylens batch --engine spark --master local[2]`."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("spark")
    extra = folder / "extra.parquet"
    articles = sorted(sample_export["export"]["articles"], key=lambda a: a["id"])[:2]
    records = [
        {
            "text": "\n\n".join([a["title"], *a["paragraphs"]]),
            "html": None,
            "url": f"https://dump.example/{i}",
        }
        for i, a in enumerate(articles)
    ] + [{"text": "", "html": None, "url": "https://dump.example/empty"}]
    pq.write_table(pa.Table.from_pylist(records), extra)
    out = folder / "out"
    root = sample_export["root"]
    result = CliRunner().invoke(
        main,
        ["batch", "--engine", "spark", "--master", "local[2]", str(root), str(extra), "--out", str(out)]
        + ["--manifest", str(root / "manifest.csv")],
    )
    assert result.exit_code == 0, result.output
    return {"out": out, "output": result.output, "tables": read_tables(out), "root": root}


def partition(stories) -> set[frozenset[str]]:
    return {frozenset(s["article_ids"]) for s in stories}


def test_batch_reads_cleans_and_keeps_the_same_articles(spark_run, sample_export):
    local = {a["id"]: a for a in sample_export["export"]["articles"]}
    remote = {a["id"]: a for a in spark_run["tables"]["articles"]}
    assert set(remote) == set(local)
    for article_id, article in local.items():
        for field in ("title", "outlet", "published", "dateline", "paragraphs", "boilerplate"):
            assert remote[article_id][field] == article[field], (article_id, field)
    # The sample repeats one article; the Parquet file repeats two more, read after the files.
    assert "(3 duplicates)" in spark_run["output"]


def test_bad_input_is_reported_per_file_with_the_local_reasons(spark_run, sample_export):
    problems = {(Path(p["source"]).name, p["reason"]) for p in spark_run["tables"]["problems"]}
    local = set()
    for line in sample_export["errors"].splitlines():
        source, _, reason = line.partition(": ")
        local.add((Path(source).name, reason))
    assert local and local <= problems
    sources = {p["source"]: p["reason"] for p in spark_run["tables"]["problems"]}
    assert sources["https://dump.example/empty"] == "record has neither `text` nor `html`"


def test_stories_are_the_local_clusterers(spark_run, sample_export):
    local = sample_export["export"]["stories"]
    remote = spark_run["tables"]["stories"]
    assert partition(remote) == partition(local)
    assert {(s["id"], s["title"]) for s in remote} == {(s["id"], s["title"]) for s in local}
    for story in remote:  # in time order, as the export gives them
        assert list(story["article_ids"]) == next(s["article_ids"] for s in local if s["id"] == story["id"])


def test_reuse_is_the_local_reuse_with_the_same_direction(spark_run, sample_export):
    def key(r):
        return (r["a"], r["b"], r["copier"], r["source"], r["direction_basis"], r["shared_fraction_a"])

    local = sample_export["export"]["reuse"]
    remote = spark_run["tables"]["reuse"]
    assert local and sorted(map(key, remote)) == sorted(map(key, local))
    texts = {(r["a"], r["b"]): [p["a_text"] for p in r["passages"]] for r in local}
    assert all([p["a_text"] for p in r["passages"]] == texts[(r["a"], r["b"])] for r in remote)


def test_entities_and_statements_are_the_local_ones(spark_run, sample_export):
    def entity(e):
        return (e["id"], e["name"], e["type"], tuple(sorted(e["aliases"])), tuple(e["article_ids"]))

    assert sorted(map(entity, spark_run["tables"]["entities"])) == sorted(
        map(entity, sample_export["export"]["entities"])
    )

    def quote(q):
        return (q["id"], q["speaker_id"], q["statement_id"])

    assert sorted(map(quote, spark_run["tables"]["quotes"])) == sorted(
        map(quote, sample_export["export"]["quotes"])
    )


def test_load_brings_the_tables_into_a_store_like_an_ingest(
    spark_run, sample_export, cli, export_of, tmp_path
):
    db = tmp_path / "loaded.db"
    result = cli("load", str(spark_run["out"]), "--db", str(db))
    assert "31 articles" in result.output
    loaded = export_of(db)
    local = sample_export["export"]
    assert partition(loaded["stories"]) == partition(local["stories"])
    assert sorted(r["copier"] or "" for r in loaded["reuse"]) == sorted(
        r["copier"] or "" for r in local["reuse"]
    )
    # Comparisons are computed from the loaded store: the same facts and summaries.
    by_id = {s["id"]: s for s in local["stories"]}
    for story in loaded["stories"]:
        assert [f["text"] for f in story["facts"]] == [f["text"] for f in by_id[story["id"]]["facts"]]
        assert story["summary"] == by_id[story["id"]]["summary"]
    # Nothing is left to analyse or link: the store is as an ingest would leave it.
    again = cli("analyze", "--db", str(db))
    assert export_of(db)["stories"] == loaded["stories"], again.output
    errors = cli("errors", "--db", str(db)).output
    assert "empty file" in errors and "truncated or corrupt gzip" in errors


def test_load_refuses_a_folder_that_is_not_a_batch_output(cli, tmp_path):
    (tmp_path / "articles").mkdir()
    result = cli("load", str(tmp_path), "--db", str(tmp_path / "x.db"), expect=1)
    assert "no 'entities' table" in result.output


def test_batch_of_nothing_readable_fails_clearly(cli, tmp_path):
    (tmp_path / "empty.jsonl").write_text("")
    result = cli(
        "batch",
        str(tmp_path / "empty.jsonl"),
        str(tmp_path / "missing.warc"),
        "--out",
        str(tmp_path / "o"),
        "--master",
        "local[1]",
        expect=1,
    )
    assert "nothing could be read" in result.output
    problems = {Path(p["source"]).name: p["reason"] for p in read_tables(tmp_path / "o")["problems"]}
    assert problems == {"empty.jsonl": "empty file", "missing.warc": "no such file"}


def _features(article_id: str, vector, day: str = "2024-03-01"):
    import numpy as np

    from storylens.link.stories import Features

    v = np.asarray(vector, dtype=np.float32)
    return Features(article_id, article_id, None, day, v / np.linalg.norm(v), {}, frozenset())


def test_a_chain_of_links_is_one_component_but_not_one_story():
    """A ~ B and B ~ C clear the linking bar, A and C share nothing: the block links A-B and B-C,
    and the local clusterer run over the component keeps C apart (the guard against chaining)."""
    import numpy as np

    from storylens.link.stories import Clusterer, Frequencies, in_publication_order
    from storylens.scale.links import block_links

    axis = np.eye(384)
    items = [
        _features("A", axis[0]),
        _features("B", axis[0] + axis[1]),
        _features("C", axis[1]),
        _features("D", axis[2]),  # unrelated: no link at all
    ]
    frequencies = Frequencies()
    links = {(x, y) for x, y, _ in block_links(items, [True] * 4, [], frequencies)}
    assert links == {("A", "B"), ("B", "C")}
    clusterer = Clusterer(frequencies)
    for f in in_publication_order(items[:3]):
        clusterer.add(f, counted=True)
    assert sorted(sorted(s.article_ids) for s in clusterer.stories.values()) == [["A", "B"], ["C"]]


def test_an_undated_article_is_linked_to_the_block_articles_it_is_close_to():
    import numpy as np

    from storylens.link.stories import Frequencies
    from storylens.scale.links import block_links

    axis = np.eye(384)
    items = [_features("A", axis[0]), _features("B", axis[0] + 0.1 * axis[3]), _features("D", axis[2])]
    guests = [_features("u", axis[0], day=None), _features("w", axis[5], day=None)]  # w: like nothing
    links = {(x, y) for x, y, _ in block_links(items, [True] * 3, guests, Frequencies())}
    assert links == {("A", "B"), ("u", "A"), ("u", "B")}


def test_connected_components_label_every_article_with_its_components_least_id():
    from storylens.scale.links import connected_components
    from storylens.scale.session import session

    spark = session("local[1]", app="storylens-test")
    try:
        vertices = spark.createDataFrame([(v,) for v in "abcdefg"], "id string")
        edges = spark.createDataFrame([("a", "b"), ("c", "b"), ("d", "c"), ("e", "f")], "x string, y string")
        labels = {r["id"]: r["component"] for r in connected_components(vertices, edges).collect()}
    finally:
        spark.stop()
    assert labels == {"a": "a", "b": "a", "c": "a", "d": "a", "e": "e", "f": "e", "g": "g"}


def test_a_loaded_store_is_compared_without_loading_the_model(spark_run, cli, tmp_path, monkeypatch):
    from storylens import pipeline
    from storylens.store import open_store
    from storylens.understand import embed as embedding

    db = tmp_path / "loaded.db"
    cli("load", str(spark_run["out"]), "--db", str(db))

    def refuse_model():
        raise AssertionError("the encoder was loaded")

    monkeypatch.setattr(embedding, "load_model", refuse_model)  # load embedded what compare reads
    with open_store(db) as store:
        computed, fresh = pipeline.compare_stories(store)
    assert computed >= 2 and fresh == 0
