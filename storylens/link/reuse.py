"""Text reuse: which passages one article took from another, and in which direction.

Candidates come from MinHash LSH over each paragraph's word shingles (datasketch), so a single
copied paragraph in a long article is found and the cost grows linearly with the corpus. Each
candidate pair is then aligned the way passim does: shared word n-grams are anchors, and anchors
on nearby diagonals chain into maximal passages, so words inserted, dropped or swapped by a
republisher (and reordered paragraphs) do not break a passage. A passage lying inside quotation
marks in both articles is only a shared quotation of a third party, not copying.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from hashlib import sha1

import numpy as np
from datasketch import MinHash, MinHashLSH

from storylens.model import Article, Passage, Reuse
from storylens.understand.nlp import article_text
from storylens.understand.quotes import quote_spans

SHINGLE = 5  # words per shingle and per alignment anchor
NUM_PERM = 64
# Bump when signature_rows changes (shingles, permutations, which paragraphs): kept rows are signed again.
SIGNATURES_VERSION = 1
LSH_THRESHOLD = 0.3  # Jaccard of two paragraphs' shingles that makes the articles candidates
# A paragraph similar to more paragraphs than this is a template (weather, market reports):
# its neighbours are capped so that candidate generation stays linear in the corpus.
MAX_NEIGHBOURS = 25
MIN_PASSAGE = 12  # words: shorter shared runs are coincidence or boilerplate phrasing
MAX_GAP = 12  # words a republisher may insert or drop inside one passage
MAX_SHIFT = 4  # how far the two sides of a passage may drift apart (insertions minus drops)
# A passage with fewer words than this outside quotation marks (a quote and its attribution tag,
# "…,” union leader Senna Rook said") is a shared quotation of a third party, not copying.
MIN_UNQUOTED = 10
WHOLLY, PARTIALLY = 0.6, 0.15  # METER-style: share of the copier taken from the source
# datasketch's MinHash arithmetic (its _mersenne_prime and _max_hash): paragraph_signatures.
MERSENNE_PRIME = np.uint64((1 << 61) - 1)
MAX_HASH = np.uint64((1 << 32) - 1)
CONTAINMENT_MARGIN = 0.15  # one side must be this much more covered to call it the copier
# Candidate pairs aligned at a time by the pipeline: memory holds one chunk's passages and the
# tokens of the articles a few chunks share, not every new article's (measured: bench/throughput.py).
REUSE_CHUNK = 2_000
TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass
class Tokens:
    """An article's word tokens with their character spans, and which lie inside quotes."""

    words: list[str]
    spans: list[tuple[int, int]]
    quoted: list[bool]
    text: str

    @classmethod
    def of(cls, article: Article) -> Tokens:
        text = article_text(article.paragraphs)
        matches = list(TOKEN.finditer(text))
        quotes = quote_spans(text)
        quoted = [any(s <= m.start() < e for s, e in quotes) for m in matches]
        return cls([m.group(0).lower() for m in matches], [m.span() for m in matches], quoted, text)


def shingles(words: list[str], n: int = SHINGLE) -> set[str]:
    return {" ".join(words[i : i + n]) for i in range(max(len(words) - n + 1, 1))} if words else set()


@cache
def _permutations():
    """The hash permutations every signature shares (datasketch draws them anew per MinHash
    otherwise, which was two thirds of the cost of signing a paragraph)."""
    return MinHash(num_perm=NUM_PERM, seed=1).permutations


def paragraph_signatures(article: Article) -> list[MinHash]:
    """One MinHash per paragraph long enough to be copied: datasketch's own signature of the
    paragraph's shingles (sha1_hash32, then its permutations), computed for the whole article in
    one pass (tests/test_reuse.py checks it against MinHash.update_batch)."""
    a, b = _permutations()
    return [
        MinHash(num_perm=NUM_PERM, seed=1, hashvalues=row, permutations=(a, b))
        for row in signature_rows(article)
    ]


def signature_rows(article: Article) -> np.ndarray:
    """paragraph_signatures' hash values, a row per paragraph long enough to be copied (uint64)."""
    kept = []
    for paragraph in article.paragraphs:
        words = [w.lower() for w in TOKEN.findall(paragraph)]
        if len(words) >= MIN_PASSAGE:
            kept.append(shingles(words))
    if not kept:
        return np.zeros((0, NUM_PERM), dtype=np.uint64)
    # sha1_hash32: the first four bytes of the shingle's SHA-1, little-endian.
    hashed = np.fromiter(
        (int.from_bytes(sha1(s.encode()).digest()[:4], "little") for found in kept for s in found),
        dtype=np.uint64,
    )
    a, b = _permutations()
    values = np.bitwise_and((hashed[:, np.newaxis] * a + b) % MERSENNE_PRIME, MAX_HASH)
    starts = np.cumsum([0] + [len(found) for found in kept[:-1]])
    return np.minimum.reduceat(values, starts, axis=0)


def kept_rows(rows: np.ndarray) -> bytes:
    """signature_rows as the store keeps them: every value fits 32 bits (MAX_HASH)."""
    return rows.astype(np.uint32).tobytes()


def read_rows(blob: bytes) -> np.ndarray:
    """kept_rows read back: the same uint64 rows."""
    return np.frombuffer(blob, dtype=np.uint32).astype(np.uint64).reshape(-1, NUM_PERM)


@cache
def bands() -> tuple[int, int]:
    """(bands, rows per band): how datasketch's MinHashLSH cuts a signature for LSH_THRESHOLD."""
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def band_keys(signature: MinHash) -> list[str]:
    """One key per LSH band of a paragraph's signature: paragraphs sharing a key are similar
    enough to be compared (both engines bucket paragraphs by these keys)."""
    count, rows = bands()
    values = signature.hashvalues
    return [f"{band}:{values[band * rows : (band + 1) * rows].tobytes().hex()}" for band in range(count)]


def candidate_pairs(articles: Iterable[Article]) -> set[tuple[str, str]]:
    """Pairs of article ids with at least one pair of similar paragraphs (LSH, linear time): each
    paragraph is paired with the first MAX_NEIGHBOURS paragraphs (by key, "id#i") sharing a band
    with it. Each article is read once and only its paragraphs' signatures are kept."""
    return signed_pairs((a.id, signature_rows(a)) for a in articles)


def signed_pairs(signed: Iterable[tuple[str, np.ndarray]]) -> set[tuple[str, str]]:
    """candidate_pairs of articles given as (id, signature_rows); the bands are bucketed one at a
    time, so memory holds one band's buckets, not all of them."""
    labels, rows = [], []
    for article_id, found in signed:
        for i, row in enumerate(found):
            labels.append(f"{article_id}#{i}")
            rows.append(row)
    order = sorted(range(len(labels)), key=labels.__getitem__)  # a paragraph's rank: its key's
    owners = [labels[p].split("#", 1)[0] for p in order]
    values = np.stack([rows[p] for p in order]) if order else np.zeros((0, NUM_PERM), np.uint64)
    del labels, rows
    nearest = _nearest_paragraphs(values)
    pairs = set()
    for rank, near in enumerate(nearest):
        for other in near:
            a, b = owners[rank], owners[other]
            if a != b:
                pairs.add((min(a, b), max(a, b)))
    return pairs


def _nearest_paragraphs(values: np.ndarray) -> list[list[int]]:
    """For each paragraph (by rank), the first MAX_NEIGHBOURS ranks sharing a band with it (itself
    included). The first k of a union are the first k of the parts' first k, so bands are
    bucketed one after the other, by numpy: a paragraph alone in its bucket (most of them) adds
    only itself, which its list already holds unless a large bucket pushed it out."""
    count, rows = bands()
    nearest: list[list[int]] = [[] for _ in range(len(values))]
    holds_itself = np.zeros(len(values), dtype=bool)

    def join(rank: int, first: list[int]) -> None:
        mine = nearest[rank]
        if not mine:
            nearest[rank] = first  # shared, never changed in place
        elif mine is not first:
            nearest[rank] = sorted(set(mine).union(first))[:MAX_NEIGHBOURS]
        holds_itself[rank] = rank in nearest[rank]

    for band in range(count):
        block = np.ascontiguousarray(values[:, band * rows : (band + 1) * rows])
        _, bucket, sizes = np.unique(block, axis=0, return_inverse=True, return_counts=True)
        bucket = bucket.ravel()
        alone = sizes[bucket] == 1
        for rank in np.flatnonzero(alone & ~holds_itself).tolist():
            join(rank, [rank])
        shared = np.flatnonzero(~alone)
        order = shared[np.argsort(bucket[shared], kind="stable")]  # by bucket, ranks ascending
        for members in np.split(order, np.flatnonzero(np.diff(bucket[order])) + 1):
            members = members.tolist()
            first = members[:MAX_NEIGHBOURS]
            for rank in members:
                join(rank, first)
    return nearest


def align(a: Tokens, b: Tokens) -> list[Passage]:
    """Maximal passages the two token streams share, verbatim or lightly edited."""
    index: dict[tuple[str, ...], list[int]] = {}
    for j in range(len(b.words) - SHINGLE + 1):
        index.setdefault(tuple(b.words[j : j + SHINGLE]), []).append(j)
    anchors = []
    for i in range(len(a.words) - SHINGLE + 1):
        for j in index.get(tuple(a.words[i : i + SHINGLE]), ())[:5]:
            anchors.append((i, j))
    chains: list[list[tuple[int, int]]] = []
    for i, j in sorted(anchors):
        for chain in chains:
            last_i, last_j = chain[-1]
            if (
                0 < i - last_i <= MAX_GAP + SHINGLE
                and 0 < j - last_j <= MAX_GAP + SHINGLE
                and abs((i - j) - (last_i - last_j)) <= MAX_SHIFT
            ):
                chain.append((i, j))
                break
        else:
            chains.append([(i, j)])
    passages = []
    for chain in chains:
        a_start, b_start = chain[0]
        a_end, b_end = chain[-1][0] + SHINGLE, chain[-1][1] + SHINGLE
        if min(a_end - a_start, b_end - b_start) < MIN_PASSAGE:
            continue
        covered_a = len({i + k for i, _ in chain for k in range(SHINGLE)})
        similarity = covered_a / max(a_end - a_start, b_end - b_start)
        quotation = _unquoted(a, a_start, a_end) < MIN_UNQUOTED or _unquoted(b, b_start, b_end) < MIN_UNQUOTED
        passages.append(
            Passage(
                a_start,
                a_end,
                b_start,
                b_end,
                _text(a, a_start, a_end),
                _text(b, b_start, b_end),
                round(similarity, 3),
                quotation,
            )
        )
    return sorted(passages, key=lambda p: p.a_start)


def _unquoted(tokens: Tokens, start: int, end: int) -> int:
    return (end - start) - sum(tokens.quoted[start:end])


def _text(tokens: Tokens, start: int, end: int) -> str:
    return " ".join(tokens.text[tokens.spans[start][0] : tokens.spans[end - 1][1]].split())


def compare(a: Article, b: Article, tokens: dict[str, Tokens]) -> Reuse | None:
    """The reuse between two articles, or None when they share nothing beyond quotations."""
    if a.id > b.id:
        a, b = b, a
    ta, tb = tokens[a.id], tokens[b.id]
    passages = align(ta, tb)
    if not any(not p.quotation for p in passages):
        return None
    copied = [p for p in passages if not p.quotation]
    fraction_a = len({i for p in copied for i in range(p.a_start, p.a_end)}) / max(len(ta.words), 1)
    fraction_b = len({i for p in copied for i in range(p.b_start, p.b_end)}) / max(len(tb.words), 1)
    return Reuse(a.id, b.id, passages, round(fraction_a, 3), round(fraction_b, 3))


def find_reuse(articles: list[Article]) -> list[Reuse]:
    """Reuse between every pair of articles that share text beyond quotations, with direction."""
    return find_new_reuse(articles, [], [])


def find_new_reuse(new: list[Article], known: list[Article], stored: list[Reuse]) -> list[Reuse]:
    """Reuse involving at least one `new` article, among `new` and `known` ones. `stored` are the
    pairs already found among them: they count for direction (an article stitched from several)
    and for shared descent, and are not returned again. Everything is held at once; the pipeline
    goes through the same steps chunk by chunk (new_candidates, aligned_in_chunks, directed)."""
    by_id = {a.id: a for a in known}
    by_id.update((a.id, a) for a in new)
    candidates = new_candidates(by_id.values(), {a.id for a in new})
    dates = {i: a.published for i, a in by_id.items()}
    chunks = pair_chunks(candidates, dates, max(len(candidates), 1))
    found = [r for chunk in aligned_in_chunks(chunks, lambda ids: [by_id[i] for i in ids]) for r in chunk]
    return directed(found, dates, stored)


def new_candidates(articles: Iterable[Article], new_ids: set[str]) -> set[tuple[str, str]]:
    """The candidate pairs (candidate_pairs over every article given) with a new article in them."""
    return new_signed_pairs(((a.id, signature_rows(a)) for a in articles), new_ids)


def new_signed_pairs(signed: Iterable[tuple[str, np.ndarray]], new_ids: set[str]) -> set[tuple[str, str]]:
    """new_candidates of articles given as (id, signature_rows)."""
    return {p for p in signed_pairs(signed) if p[0] in new_ids or p[1] in new_ids}


def pair_chunks(
    pairs: Iterable[tuple[str, str]], dates: dict[str, str | None], size: int | None = None
) -> list[list[tuple[str, str]]]:
    """The pairs in chunks of `size` (REUSE_CHUNK), articles taken in publication order (undated
    ones first), so that an article's pairs fall in few consecutive chunks: copying happens
    within days."""
    size = size or REUSE_CHUNK
    position = {i: n for n, i in enumerate(sorted(dates, key=lambda i: (dates[i] or "", i)))}
    ordered = sorted(pairs, key=lambda p: sorted((position[p[0]], position[p[1]])))
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


def aligned_in_chunks(
    chunks: list[list[tuple[str, str]]], read: Callable[[list[str]], Iterable[Article]]
) -> Iterator[list[Reuse]]:
    """For each chunk of candidate pairs, the pairs that share text beyond quotations (compare),
    not yet directed. Articles are read (`read(ids)`) when a chunk first needs them and their
    tokens forgotten after the last chunk that does, so memory holds a few chunks' articles."""
    last = {i: n for n, chunk in enumerate(chunks) for pair in chunk for i in pair}
    tokens: dict[str, Tokens] = {}
    for n, chunk in enumerate(chunks):
        needed = {i for pair in chunk for i in pair}
        tokens.update((a.id, Tokens.of(a)) for a in read(sorted(needed - tokens.keys())))
        yield [r for a, b in chunk if (r := compare(_bare(a), _bare(b), tokens))]
        for i in needed:
            if last[i] == n:
                del tokens[i]


def directed(found: list[Reuse], dates: dict[str, str | None], stored: list[Reuse]) -> list[Reuse]:
    """The `found` pairs (their passages are not read) directed (decide_direction, in place),
    sorted by pair, without those that are shared descent among `stored` and `found`."""
    partners = partner_counts((r.a, r.b) for r in [*stored, *found])
    for reuse in found:
        decide_direction(reuse, _bare(reuse.a, dates[reuse.a]), _bare(reuse.b, dates[reuse.b]), partners)
    fresh = {(r.a, r.b) for r in found}
    kept = [r for r in drop_shared_descent([*stored, *found]) if (r.a, r.b) in fresh]
    return sorted(kept, key=lambda r: (r.a, r.b))


def _bare(article_id: str, published: str | None = None) -> Article:
    """An Article with only what compare and decide_direction read: its id and date."""
    return Article(article_id, "", None, "", published, None, None, None, [])


def partner_counts(pairs: Iterable[tuple[str, str]]) -> Counter[str]:
    """How many reuse pairs each article is in (decide_direction's partners: an article that
    shares text with several is stitched from them); counts of parts of a corpus add up."""
    return Counter(article_id for pair in pairs for article_id in pair)


def drop_shared_descent(found: list[Reuse]) -> list[Reuse]:
    """The pairs of `found` that are not shared descent (see shared_descent)."""
    dropped = shared_descent((r.copier, r.source, r.taken) for r in found if r.copier and r.source)
    return [r for r in found if (r.copier, r.source) not in dropped]


def shared_descent(took: Iterable[tuple[str, str, float]]) -> set[tuple[str, str]]:
    """Two copies of one source share its text without copying each other. Of the (copier,
    source, share of the copier taken) given, the (copier, source) pairs where both took from a
    third article that the copier took at least as much from. A pair's verdict reads only the
    copier's own tuples and the source's: both engines group them so."""
    mine_of: dict[str, dict[str, float]] = {}
    for copier, source, share in took:
        mine_of.setdefault(copier, {})[source] = share
    dropped = set()
    for copier, mine in mine_of.items():
        for source, here in mine.items():
            theirs = mine_of.get(source, {})
            if any(common in theirs and mine[common] >= here for common in mine if common != source):
                dropped.add((copier, source))
    return dropped


def decide_direction(reuse: Reuse, a: Article, b: Article, partners: dict[str, int]) -> None:
    """Earlier publication is the source; otherwise containment; otherwise unknown."""
    if a.published and b.published and a.published[:16] != b.published[:16]:
        source, copier = (a, b) if a.published < b.published else (b, a)
        reuse.direction_basis = "published dates"
        reuse.evidence.append(f"{source.id} published {source.published}, {copier.id} {copier.published}")
    elif reuse.shared_fraction_a - reuse.shared_fraction_b >= CONTAINMENT_MARGIN:
        copier, source = a, b  # a is mostly made of b's text; b is the fuller version
        reuse.direction_basis = "containment"
    elif reuse.shared_fraction_b - reuse.shared_fraction_a >= CONTAINMENT_MARGIN:
        copier, source = b, a
        reuse.direction_basis = "containment"
    elif partners.get(a.id, 0) >= 2 and partners.get(b.id, 0) < 2:
        copier, source = a, b  # stitched from passages of several articles
        reuse.direction_basis = "containment"
    elif partners.get(b.id, 0) >= 2 and partners.get(a.id, 0) < 2:
        copier, source = b, a
        reuse.direction_basis = "containment"
    else:
        return
    reuse.copier, reuse.source = copier.id, source.id
    taken = reuse.taken
    reuse.derivation = "wholly" if taken >= WHOLLY else "partially" if taken >= PARTIALLY else "partially"


REUSE_WINDOW_DAYS = 30  # copying happens within days; an ingest compares articles this close


# An article this much of whose text another of the story gives is a reprint of it (a sister
# station's copy, a wire story run whole), no report of its own.
REPRINT = 0.8


def reprints_among(pairs: list[dict]) -> dict[str, str]:
    """article id -> the article it reprints, from the text reuse pairs among a story's articles
    (`pairs`: Store.reuse_among, as the export gives them): the copier of a directed pair at least
    REPRINT of whose text is shared; of an undirected pair both so, the second by id reprints the
    first."""
    found = {}
    for pair in pairs:
        share = {pair["a"]: pair["shared_fraction_a"], pair["b"]: pair["shared_fraction_b"]}
        if pair["copier"]:
            if share[pair["copier"]] >= REPRINT:
                found[pair["copier"]] = pair["source"]
        elif min(share.values()) >= REPRINT:
            first, second = sorted(share)
            found[second] = first
    return found
