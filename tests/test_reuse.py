"""Text reuse: passages found through edits, direction with its basis, quotations, shared descent."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import SAMPLE, SHARED

from storylens import ingest, open_store
from storylens.link.reuse import find_reuse
from storylens.model import Article

WIRE = [
    "Valdria and Kelmar signed a military agreement in Ruskor on Tuesday that commits Valdria to rebuild "
    "Kelmar's air defence network, the two governments said after two days of talks.",
    "The agreement covers radar stations, training for Kelmari officers and joint exercises along the Sarn "
    "river, according to a joint statement released by both defence ministries.",
    "Osterland, which borders both countries, has accused Valdria of arming Kelmar's government and has "
    "warned that new missile batteries near the border would be seen as a threat.",
]
OTHER = [
    "Farmers in the Tamsin valley began planting on Monday, three weeks late, after the floods that covered "
    "their fields in April finally drained away from the lowest ground.",
    "The agriculture ministry said about 40,000 hectares had been under water at the peak of the flood and "
    "that seed merchants had run short of fast-growing varieties.",
]


def article(aid: str, paragraphs: list[str], published: str | None = None) -> Article:
    return Article(aid, aid, None, aid, published, None, "en", None, paragraphs)


def only(found, a, b):
    [reuse] = [r for r in found if {r.a, r.b} == {a, b}]
    return reuse


def test_a_lightly_edited_republication_is_found_with_its_passages_and_dated_direction():
    edited = [
        WIRE[0]
        .replace("Kelmar's air defence network", "the air defences of Kelmar")
        .replace("two days", "several days"),
        WIRE[2].replace("has accused", "accuses"),  # a paragraph dropped, words swapped
    ]
    found = find_reuse(
        [article("a_wire", WIRE, "2025-03-04T09:10"), article("a_copy", edited, "2025-03-04T14:00")]
    )
    reuse = only(found, "a_wire", "a_copy")
    assert (reuse.copier, reuse.source, reuse.direction_basis) == ("a_copy", "a_wire", "published dates")
    assert len(reuse.passages) >= 2 and all(not p.quotation for p in reuse.passages)
    assert reuse.derivation == "wholly"  # nearly all of the copy comes from the wire


def test_reordered_paragraphs_are_still_found():
    found = find_reuse([article("a_1", WIRE), article("a_2", [WIRE[2], WIRE[0]])])
    reuse = only(found, "a_1", "a_2")
    assert len(reuse.passages) == 2


def test_unrelated_articles_share_nothing():
    assert find_reuse([article("a_1", WIRE), article("a_2", OTHER)]) == []


def test_a_shared_quotation_of_a_third_party_is_not_reuse():
    quote = '"We will rebuild the air defences of our ally so that no aircraft crosses its sky without permission," the general said.'
    first = [
        "A general visited Ruskor on Tuesday and inspected the radar stations near the river for the first time.",
        quote,
    ]
    second = [
        "Officials in Brenholt reacted angrily on Wednesday to the general's visit and promised a response.",
        quote,
    ]
    assert find_reuse([article("a_1", first), article("a_2", second)]) == []


def test_without_dates_the_fuller_version_is_the_source():
    found = find_reuse([article("a_full", WIRE + OTHER), article("a_part", WIRE[:2])])
    reuse = only(found, "a_full", "a_part")
    assert (reuse.copier, reuse.source, reuse.direction_basis) == ("a_part", "a_full", "containment")


def test_equal_shares_and_no_dates_leave_the_direction_unknown():
    reuse = only(find_reuse([article("a_1", WIRE), article("a_2", list(WIRE))]), "a_1", "a_2")
    assert (reuse.copier, reuse.source, reuse.direction_basis) == (None, None, "unknown")


def test_a_compilation_is_the_copier_of_both_sources_and_copies_do_not_copy_each_other():
    stitched = [WIRE[0], OTHER[0], OTHER[1]]
    found = find_reuse(
        [
            article("a_wire", WIRE, "2025-04-14T07:00"),
            article("a_farm", OTHER, "2025-04-14T09:00"),
            article("a_stitched", stitched, "2025-04-15T06:00"),
            article("a_copy", WIRE, "2025-04-14T12:00"),
        ]
    )
    pairs = {(r.copier, r.source) for r in found}
    assert ("a_stitched", "a_wire") in pairs and ("a_stitched", "a_farm") in pairs
    assert ("a_copy", "a_wire") in pairs
    assert ("a_stitched", "a_copy") not in pairs  # both took the same paragraph from the wire


def test_sample_reuse_matches_the_truth(tmp_path):
    truth = json.loads((SAMPLE / "truth.json").read_text())
    with open_store(tmp_path / "s.db") as store:
        ingest([SAMPLE], store)
        rows = store.reuse_rows()
        sources = {
            s.replace(str(SAMPLE) + "/", ""): a.id for a in store.articles() for s in store.sources(a.id)
        }
    key = {sources[t["source"]]: k for k, t in truth["articles"].items()}
    found = {(key[r["copier"]], key[r["source"]]) for r in rows}
    assert found == {
        ("A2", "A1"),
        ("A3", "A1"),
        ("A4", "A1"),
        ("C3", "C1"),
        ("C3", "C2"),
        ("D4", "D1"),
        ("E5", "E1"),
    }
    assert all(r["direction_basis"] == "published dates" for r in rows)


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared/seeds is not here")
def test_seeds_stitched_article_and_its_two_sources(tmp_path, cli):
    db = tmp_path / "seeds.db"
    cli("ingest", SHARED / "seeds", "--db", db)
    with open_store(db) as store:
        rows = store.reuse_rows()
        name = {a.id: a.source.rsplit("/", 1)[-1][:3] for a in store.articles()}
    assert {(name[r["copier"]], name[r["source"]]) for r in rows} == {("000", "001"), ("000", "003")}
    assert all(r["direction_basis"] == "containment" for r in rows)
    quoted = [p for r in rows for p in r["passages"] if p["quotation"]]
    assert quoted and all(
        "The mission of U.S. Forces" in p["a_text"] or "mission" in p["b_text"] for p in quoted
    )
    shown = cli("reuse", "--db", db).output
    assert "took from" in shown and "[quotation only]" in shown


def test_a_streaming_window_finds_a_copy_of_a_recent_article_with_its_direction():
    from bench.streaming import ReuseWindow
    from storylens.link.stories import day_number

    window = ReuseWindow(window_days=30)
    assert window.add(article("a_wire", WIRE, "2025-03-04T09:10"), day_number("2025-03-04")) == []
    assert window.add(article("a_other", OTHER, "2025-03-05"), day_number("2025-03-05")) == []
    found = window.add(article("a_copy", WIRE[:2] + OTHER[:1], "2025-03-06"), day_number("2025-03-06"))
    # Stitched from both: two pairs, the later article the copier each time, by their dates.
    assert sorted((r.copier, r.source, r.direction_basis) for r in found) == [
        ("a_copy", "a_other", "published dates"),
        ("a_copy", "a_wire", "published dates"),
    ]


def test_the_streaming_window_forgets_articles_older_than_its_span():
    from bench.streaming import ReuseWindow
    from storylens.link.stories import day_number

    window = ReuseWindow(window_days=30)
    window.add(article("a_wire", WIRE, "2025-01-01"), day_number("2025-01-01"))
    window.add(article("a_late", OTHER, "2025-03-01"), day_number("2025-03-01"))
    assert len(window) == 1  # the January article left the window
    assert window.add(article("a_copy", WIRE, "2025-03-02"), day_number("2025-03-02")) == []


def _pairs(rows):
    return sorted((r["a"], r["b"], r["copier"], r["direction_basis"]) for r in rows)


def test_reuse_found_ingest_by_ingest_equals_reuse_found_at_once(tmp_path, sample_export):
    import shutil

    from storylens.ingest.manifest import read_manifest
    from storylens.pipeline import link_reuse

    copy = tmp_path / "sample"
    shutil.copytree(SAMPLE, copy)
    manifest = read_manifest(copy / "manifest.csv")
    folders = sorted(p for p in (copy / "corpus").iterdir() if p.is_dir())
    with open_store(tmp_path / "store.db") as store:
        for folder in folders:  # one outlet at a time: each ingest compares only its new articles
            ingest([folder], store, manifest=manifest)
        assert store.unchecked_for_reuse() == []
        stepwise = _pairs(store.reuse_rows())
        link_reuse(store, everything=True)
        rebuilt = _pairs(store.reuse_rows())
    assert stepwise == rebuilt == _pairs(sample_export["export"]["reuse"])
    assert stepwise  # the sample has reuse to find


def test_an_ingest_compares_new_articles_only_with_articles_near_them_in_time(tmp_path):
    def write(name, published, paragraphs):
        path = tmp_path / f"{name}.jsonl"
        path.write_text(
            json.dumps({"title": name, "text": "\n\n".join(paragraphs), "published": published}) + "\n"
        )
        return path

    with open_store(tmp_path / "store.db") as store:
        ingest([write("wire", "2025-03-04", WIRE)], store)
        ingest([write("copy-next-day", "2025-03-05", WIRE[:2] + OTHER)], store)
        ingest([write("copy-a-year-on", "2026-03-05", WIRE[:2] + OTHER[:1])], store)
        titles = {row.id: row.title for row in store.article_rows()}
        pairs = {frozenset((titles[r["a"]], titles[r["b"]])) for r in store.reuse_rows()}
    assert frozenset(("wire", "copy-next-day")) in pairs
    assert frozenset(("wire", "copy-a-year-on")) not in pairs  # outside the 30-day window


def test_band_keys_bucket_paragraphs_as_datasketchs_lsh_does():
    """Both engines bucket paragraphs by link.reuse.band_keys: two paragraphs share a key exactly
    when datasketch's MinHashLSH (at the same threshold) returns one for the other."""
    from datasketch import MinHashLSH

    from storylens.link.reuse import LSH_THRESHOLD, NUM_PERM, band_keys, paragraph_signatures

    edited = [p.replace("Tuesday", "Wednesday").replace("two days", "three days") for p in WIRE]
    signatures = [s for ps in (WIRE, edited, OTHER) for s in paragraph_signatures(article("x", ps))]
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    for i, signature in enumerate(signatures):
        lsh.insert(i, signature)
    keys = [set(band_keys(s)) for s in signatures]
    for i, signature in enumerate(signatures):
        assert set(lsh.query(signature)) == {j for j, other in enumerate(keys) if other & keys[i]}
    assert keys[0] & keys[len(WIRE)]  # an edited paragraph meets its original


def test_paragraph_signatures_are_datasketchs_minhash_of_each_long_paragraphs_shingles():
    """Signed in one pass per article, each long paragraph's signature is the one datasketch's
    MinHash gives its shingles; a paragraph too short to be copied has none."""
    from datasketch import MinHash

    from storylens.link.reuse import NUM_PERM, TOKEN, paragraph_signatures, shingles

    paragraphs = [
        WIRE[0],
        "Too short to be copied, this one.",
        OTHER[1],
        WIRE[2] + " " + OTHER[0],
        "ÉTÉ " * 20,
    ]
    signatures = paragraph_signatures(article("x", paragraphs))
    long = [p for p in paragraphs if len(TOKEN.findall(p)) >= 12]
    assert len(signatures) == len(long) == 4
    for paragraph, signature in zip(long, signatures, strict=True):
        expected = MinHash(num_perm=NUM_PERM, seed=1)
        expected.update_batch([s.encode() for s in shingles([w.lower() for w in TOKEN.findall(paragraph)])])
        assert np.array_equal(signature.hashvalues, expected.hashvalues)
    assert paragraph_signatures(article("y", ["Too short."])) == []


def test_shared_descent_drops_two_copies_of_one_source_and_keeps_the_copies():
    from storylens.link.reuse import shared_descent

    took = [("c1", "wire", 0.8), ("c2", "wire", 0.7), ("c2", "c1", 0.6), ("stitch", "c1", 0.5)]
    # c2 took more from the wire, which c1 took from too: c2 and c1 are both copies of the wire.
    assert shared_descent(took) == {("c2", "c1")}
    # Had c2 taken more from c1 than from the wire, c1 would be its source.
    assert shared_descent([("c1", "wire", 0.8), ("c2", "wire", 0.5), ("c2", "c1", 0.6)]) == set()


def _retold(paragraph: str, seed: int, swaps: int) -> str:
    """The paragraph with `swaps` of its words replaced by others of the same text (an outlet's rewording)."""
    import random

    rng = random.Random(seed)
    words = paragraph.split()
    for _ in range(swaps):
        words[rng.randrange(len(words))] = rng.choice(words)
    return " ".join(words)


def test_the_windows_compact_band_index_finds_what_datasketchs_lsh_finds_and_forgets_the_same():
    from datasketch import MinHashLSH

    from bench.streaming import BandIndex
    from storylens.link.reuse import LSH_THRESHOLD, NUM_PERM, paragraph_signatures

    # Four paragraphs retold ten times each, more or less freely: near copies share bands, others not.
    texts = [_retold(p, seed, seed % 7) for seed in range(10) for p in WIRE + OTHER[:1]]
    signatures = paragraph_signatures(article("a", texts))
    assert len(signatures) == len(texts)
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    index = BandIndex()
    index.MERGE_AT = 250  # merged into the sorted arrays several times on the way
    for serial, signature in enumerate(signatures):
        lsh.insert(f"{serial}#0", signature)
        index.add(serial, 0, signature)
    assert len(index.keys) and index.waiting  # some merged, some waiting

    def both(signature):
        expected = set(lsh.query(signature))
        return expected, {f"{serial}#{i}" for serial, i in index.query(signature)}

    answers = [both(s) for s in signatures]
    assert all(expected == found for expected, found in answers)
    assert any(len(found) > 1 for _, found in answers)  # retellings found each other
    assert any(len(found) < len(texts) // 4 for _, found in answers)  # not everything matches
    for serial in range(12):  # the oldest articles leave the window, as the window evicts them
        lsh.remove(f"{serial}#0")
    index.oldest = 12
    index.merge()
    assert all(lsh.query(s) and set(lsh.query(s)) == both(s)[1] for s in signatures)
    assert all(serial >= 12 for serial, _ in index.paragraphs.tolist())


def test_the_streaming_window_finds_the_pairs_a_plain_lsh_over_the_same_articles_finds():
    from datasketch import MinHashLSH

    from bench.streaming import ReuseWindow
    from storylens.link.reuse import LSH_THRESHOLD, NUM_PERM, Tokens, compare, paragraph_signatures
    from storylens.link.stories import day_number

    stream = [
        article(f"a{k:02}", [_retold(p, k, k % 4) for p in (WIRE if k % 3 else OTHER)], f"2025-03-{1 + k:02}")
        for k in range(12)
    ]
    window = ReuseWindow(window_days=4)  # the first articles leave it on the way
    window.bands.MERGE_AT = 100
    found = {(r.a, r.b, r.shared_fraction_a) for a in stream for r in window.add(a, day_number(a.published))}
    plain, expected = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM), set()
    for k, a in enumerate(stream):  # one a day: an article meets those of the five days before it
        signatures = paragraph_signatures(a)  # (four before the latest it has seen, and that one)
        others = {key.split("#")[0] for s in signatures for key in plain.query(s)}
        others -= {b.id for b in stream[: max(0, k - 5)]}
        tokens = {b.id: Tokens.of(b) for b in stream}
        found_here = (compare(a, stream[int(o[1:])], tokens) for o in others)
        expected |= {(r.a, r.b, r.shared_fraction_a) for r in found_here if r}
        for i, s in enumerate(signatures):
            plain.insert(f"{a.id}#{i}", s)
    assert len(found) >= 10 and found == expected
    assert len(window) == 5


def test_each_paragraphs_nearest_are_the_first_ranks_sharing_a_band_with_it():
    from storylens.link.reuse import MAX_NEIGHBOURS, _nearest_paragraphs, bands

    def plainly(values: np.ndarray) -> list[list[int]]:  # every bucket of every band, by dict
        count, rows = bands()
        sharing: list[set[int]] = [set() for _ in range(len(values))]
        for band in range(count):
            buckets: dict[bytes, list[int]] = {}
            for rank, row in enumerate(values[:, band * rows : (band + 1) * rows]):
                buckets.setdefault(row.tobytes(), []).append(rank)
            for members in buckets.values():
                for rank in members:
                    sharing[rank].update(members[:MAX_NEIGHBOURS])
        return [sorted(found)[:MAX_NEIGHBOURS] for found in sharing]

    rng = np.random.default_rng(7)
    for trial in range(60):
        n = int(rng.integers(1, 200))
        values = rng.integers(0, int(rng.integers(1, 4)), size=(n, 64), dtype=np.uint64)
        if trial % 3 == 0:
            values[: n // 2] = values[0]  # a template: more alike paragraphs than neighbours
        assert _nearest_paragraphs(values) == plainly(values)
