"""Text reuse linked chunk by chunk (what an ingest does, so that memory does not grow with the
articles) finds exactly the pairs, passages and directions of linking every article at once."""

from __future__ import annotations

import json

import numpy as np

from storylens import ingest, kept, open_store
from storylens.link import reuse
from storylens.link.reuse import (
    MAX_NEIGHBOURS,
    SIGNATURES_VERSION,
    Tokens,
    aligned_in_chunks,
    band_keys,
    candidate_pairs,
    compare,
    find_new_reuse,
    find_reuse,
    pair_chunks,
    paragraph_signatures,
    read_rows,
    signature_rows,
)
from storylens.model import Article
from storylens.pipeline import link_reuse

WIRE = [
    "The harbour authority of Velmont closed the northern quay on Thursday after divers found cracks in "
    "the concrete piles that carry the container cranes, a spokeswoman for the authority said.",
    "Ships bound for the northern quay were sent to the southern terminal, where unloading times rose to "
    "three days, according to the shipping agents who handle most of the port's traffic.",
    "Engineers expect the repairs to take at least six weeks and to cost about 14 million marks, which the "
    "city council will be asked to approve at its meeting at the end of the month.",
]
MARKET = [
    "Fishermen at the Velmont market sold their catch at half the usual price on Friday because the cold "
    "stores near the northern quay had been emptied when the quay was closed.",
    "Traders said buyers from inland towns had stayed away, fearing that the fish had been kept too long "
    "without cooling, although inspectors found nothing wrong with any of it.",
]
QUOTED = (
    '"We will not let the port stand idle while the cranes are repaired and the piles are made safe '
    'again for the ships," the mayor said.'
)


def written_articles() -> list[dict]:
    """Republications (dated, same minute, undated), a compilation, copies of copies and a shared
    quotation: every rule of direction and shared descent has a case."""
    edited = [WIRE[0].replace("on Thursday", "late on Thursday"), WIRE[2].replace("six", "eight")]
    return [
        {"title": "wire", "text": "\n\n".join(WIRE), "published": "2025-06-05T08:00"},
        {"title": "edited", "text": "\n\n".join(edited), "published": "2025-06-05T11:00"},
        {"title": "same minute", "text": "\n\n".join(WIRE[:2]), "published": "2025-06-05T08:00"},
        {"title": "undated", "text": "\n\n".join([WIRE[1], MARKET[1]])},
        {"title": "market", "text": "\n\n".join(MARKET), "published": "2025-06-06T07:00"},
        {"title": "stitched", "text": "\n\n".join([WIRE[0], MARKET[0]]), "published": "2025-06-07T09:00"},
        {"title": "copy of edited", "text": "\n\n".join(edited), "published": "2025-06-05T15:00"},
        {"title": "full copy", "text": "\n\n".join(WIRE), "published": "2025-06-05T08:00"},
        {"title": "quote one", "text": QUOTED + "\n\n" + MARKET[0], "published": "2025-06-08T10:00"},
        {"title": "quote two", "text": QUOTED + "\n\n" + WIRE[2][:60], "published": "2025-06-09T10:00"},
    ]


def write(path, rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def as_records(found) -> list[dict]:
    """Reuse records as the store gives them (reuse_rows), from link.reuse's Reuse objects."""
    from storylens.store.lists import reuse_record

    rows = []
    for r in sorted(found, key=lambda r: (r.a, r.b)):
        row = (r.a, r.b, r.copier, r.source, r.direction_basis, r.derivation)
        row += (r.shared_fraction_a, r.shared_fraction_b, json.dumps(r.evidence, ensure_ascii=False))
        passages = [(p.a_text, p.b_text, p.similarity, int(p.quotation)) for p in r.passages]
        rows.append(reuse_record(row, passages))
    return rows


def test_reuse_linked_in_chunks_of_two_pairs_equals_reuse_found_at_once(tmp_path, monkeypatch):
    monkeypatch.setattr(reuse, "REUSE_CHUNK", 2)
    rows = written_articles()
    with open_store(tmp_path / "store.db") as store:
        ingest([write(tmp_path / "first.jsonl", rows[:6])], store, understand=False)
        first = sorted(store.articles(), key=lambda a: a.id)
        link_reuse(store)  # every article new: candidates among them, aligned two pairs at a time
        after_first = store.reuse_rows()
        ingest([write(tmp_path / "second.jsonl", rows[6:])], store, understand=False)
        second = [a for a in store.articles() if a.id not in {a.id for a in first}]
        link_reuse(store)  # new articles against the stored ones, with the stored pairs
        chunked = store.reuse_rows()
        link_reuse(store, everything=True)
        rebuilt = store.reuse_rows()
    whole_first = find_reuse(first)
    whole_second = find_new_reuse(second, first, whole_first)
    assert after_first == as_records(whole_first)
    assert chunked == as_records([*whole_first, *whole_second])
    assert rebuilt == as_records(find_reuse([*first, *second]))
    assert len(chunked) > 6  # several chunks of two pairs
    bases = {r["direction_basis"] for r in chunked}
    assert {"published dates", "containment", "unknown"} <= bases
    titles = {a.id: a.title for a in [*first, *second]}
    pairs = {frozenset((titles[r["a"]], titles[r["b"]])) for r in rebuilt}
    assert frozenset(("stitched", "market")) in pairs and frozenset(("stitched", "wire")) in pairs
    # Both took the wire's text, in different chunks: shared descent, judged over every chunk.
    assert frozenset(("edited", "copy of edited")) not in pairs
    assert frozenset(("quote one", "quote two")) not in pairs  # a shared quotation only


def test_each_articles_signatures_are_kept_once_and_read_back_the_same(tmp_path, monkeypatch):
    signed: list[str] = []

    def counted(article):
        signed.append(article.id)
        return signature_rows(article)

    monkeypatch.setattr(kept, "signature_rows", counted)
    rows = written_articles()
    with open_store(tmp_path / "store.db") as store:
        ingest([write(tmp_path / "first.jsonl", rows[:6])], store, understand=False)
        first = {a.id for a in store.articles()}
        link_reuse(store)
        lines = [f"Update {n}: the northern quay stays shut, the harbour office said." for n in range(8)]
        short = {"title": "brief", "text": "\n\n".join(lines), "published": "2025-06-06T09:00"}
        ingest([write(tmp_path / "second.jsonl", [*rows[6:], short])], store, understand=False)
        link_reuse(store)
        link_reuse(store, everything=True)  # every signature read back, none signed again
        articles = {a.id: a for a in store.articles()}
        stored = store.kept_signatures(sorted(articles), SIGNATURES_VERSION)
        other_version = store.kept_signatures(sorted(articles), SIGNATURES_VERSION + 1)
    assert sorted(signed[: len(first)]) == sorted(first)  # the first round signs its articles
    assert sorted(signed[len(first) :]) == sorted(set(articles) - first)  # then only the new ones
    assert set(stored) == set(articles) and not other_version
    assert b"" in stored.values()  # the brief: no paragraph long enough to be copied, kept as such
    for aid, article in articles.items():
        assert np.array_equal(read_rows(stored[aid]), signature_rows(article))
        assert [s.hashvalues.tolist() for s in paragraph_signatures(article)] == read_rows(
            stored[aid]
        ).tolist()


def test_chunks_read_each_article_once_and_give_each_pair_as_compare_does():
    articles = {
        f"a{n:02}": Article(f"a{n:02}", "", None, "", f"2025-06-{n + 1:02}", None, None, None, ps)
        for n, ps in enumerate([WIRE, WIRE[:2], [WIRE[0], MARKET[0]], MARKET, WIRE[1:], [MARKET[1], WIRE[2]]])
    }
    dates = {i: a.published for i, a in articles.items()}
    pairs = candidate_pairs(articles.values())
    reads: list[str] = []

    def read(ids):
        reads.extend(ids)
        return [articles[i] for i in ids]

    chunks = pair_chunks(pairs, dates, 1)
    found = [r for chunk in aligned_in_chunks(chunks, read) for r in chunk]
    tokens = {i: Tokens.of(a) for i, a in articles.items()}
    expected = [r for a, b in sorted(pairs) if (r := compare(articles[a], articles[b], tokens))]
    assert len(chunks) == len(pairs) > 3
    assert sorted(reads) == sorted({i for pair in pairs for i in pair})  # each read once
    assert sorted(found, key=lambda r: (r.a, r.b)) == expected


def test_candidates_are_each_paragraphs_first_neighbours_by_key_when_templates_crowd_a_bucket():
    """candidate_pairs buckets one band at a time; the rule it keeps, written out plainly: each
    paragraph is paired with the first MAX_NEIGHBOURS paragraphs ("id#i") sharing a band with it."""
    articles = [
        Article(f"c{n:03}", "", None, "", None, None, None, None, [*WIRE, f"{MARKET[n % 2]} Copy {n}."])
        for n in range(MAX_NEIGHBOURS + 15)
    ]
    buckets: dict[str, set[str]] = {}
    keys_of = []
    for a in articles:
        for i, signature in enumerate(paragraph_signatures(a)):
            keys_of.append((a.id, band_keys(signature)))
            for key in keys_of[-1][1]:
                buckets.setdefault(key, set()).add(f"{a.id}#{i}")
    expected = set()
    for article_id, keys in keys_of:
        for paragraph in sorted(set().union(*(buckets[k] for k in keys)))[:MAX_NEIGHBOURS]:
            other = paragraph.split("#")[0]
            if other != article_id:
                expected.add((min(article_id, other), max(article_id, other)))
    found = candidate_pairs(iter(articles))
    assert found == expected
    everyone = {(a.id, b.id) for a in articles for b in articles if a.id < b.id}
    assert found < everyone  # the cap held: not every pair of the 40 copies is a candidate
