"""The same statement across articles: quotes by one speaker whose meaning matches.

Two quotes are one statement when they come from the same resolved speaker and their embeddings
or their content words agree (a translation, a paraphrase, a direct quote and its reported form);
quotes of the same document or group with no entity match only when nearly identical.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from storylens.clean.words import content_keys
from storylens.model import KeptBlock, KeptText, QuoteRef
from storylens.understand.embed import DIMENSIONS

SAME_SPEAKER_COSINE = 0.58
# Remarks of very different lengths are rarely one statement: the score loses this much per
# unit of |log(length ratio)| (a 17-word and a 40-word quote lose 0.086).
LENGTH_PENALTY = 0.1
SAME_SPEAKER_OVERLAP = 0.4
NO_SPEAKER_COSINE = 0.85
MATCHING_KINDS = ("document", "group")  # speakers of no entity whose quotes may be one statement
# A quote is compared with the quotes of its own text and of the NEIGHBOURS texts of its speaker
# nearest its own; on real data every match lies far closer (bench/RESULTS.md).
NEIGHBOURS = 64
SIMILARITIES_AT_ONCE = 1 << 22  # cosines held at once while finding a block's nearest texts
PAIRS_AT_ONCE = 50_000  # quote pairs scored or turned into Python numbers at once
# A float32 dot product of x and y errs by at most this times |x||y|, in any order of summation
# (d·u/(1 - d·u), u = 2**-24): the bound that keeps new far quotes from moving old statements.
DOT_ERROR = DIMENSIONS * 2.0**-24 / (1 - DIMENSIONS * 2.0**-24)


def overlap(a: str, b: str) -> float:
    """Jaccard overlap of the two texts' content words."""
    ka, kb = _keys(a), _keys(b)
    return len(ka & kb) / max(1, len(ka | kb))


# A quote is compared with every other of its speaker: its words are read once, not per pair.
@lru_cache(maxsize=1 << 16)
def _keys(text: str) -> frozenset[str]:
    return frozenset(content_keys(text))


@lru_cache(maxsize=1 << 16)
def _words(text: str) -> int:
    return max(1, len(text.split()))


def _block(quote: QuoteRef) -> tuple[str, str]:
    return ("entity", quote.speaker_id) if quote.speaker_id else ("kind", quote.speaker_kind)


def comparable(quotes: list[QuoteRef]) -> list[int]:
    """Indexes of the quotes that share a speaker block with a quote of another article, in a
    block whose quotes can match at all (a resolved speaker, or a document or group): the only
    ones group_statements compares, so the only ones that need embeddings."""
    articles: dict[tuple, set[str]] = defaultdict(set)
    for quote in quotes:
        if _can_match(_block(quote)):
            articles[_block(quote)].add(quote.article_id)
    return [i for i, q in enumerate(quotes) if len(articles.get(_block(q), ())) > 1]


def _can_match(block: tuple[str, str]) -> bool:
    """Whether two quotes of this block can ever be one statement (see _matched_pairs)."""
    return block[0] == "entity" or block[1] in MATCHING_KINDS


def group_statements(
    quotes: list[QuoteRef],
    vectors: np.ndarray,
    neighbours: int | None = NEIGHBOURS,
    rows: np.ndarray | None = None,
    outside: dict[str, np.ndarray] | None = None,
    kept: dict[str, dict[str, KeptText]] | None = None,
) -> dict[str, str]:
    """statement id for every quote id (a quote no other matches is a statement of its own).
    `vectors` has a row per quote, or with `rows` the row of quotes[i] is rows[i]; quotes of one
    text are scored by the vector of the first of them. `outside`: for a resolved speaker (by
    id), the vectors of the texts of the speaker's block that are not among `quotes`, a block
    whose quotes another article's can match: nearest texts are found among all of them. With
    `kept`, what linking keeps of each text of each resolved speaker's block grouped here is put
    in it (kept[speaker][text], see KeptText).

    Pairs are joined best-first, and a statement never takes two quotes from one article: two
    remarks of one speaker in one article stay two statements even if each matches a third.
    Within a speaker's block a quote is compared only with the quotes whose text is one of the
    `neighbours` texts nearest its own (by cosine; every text of the block with None), and with
    every quote of the very same text, so work and memory grow with the block, not its square.
    """
    parent = list(range(len(quotes)))
    articles = [{q.article_id} for q in quotes]

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    outside = outside or {}
    blocks: dict[tuple, list[int]] = defaultdict(list)
    grouped = set(comparable(quotes))
    for i, quote in enumerate(quotes):
        if i in grouped or quote.speaker_id in outside:
            blocks[_block(quote)].append(i)
    codes: dict[str, int] = {}
    article = np.array([codes.setdefault(q.article_id, len(codes)) for q in quotes], dtype=np.int64)
    row_of = np.arange(len(quotes)) if rows is None else np.asarray(rows, dtype=np.int64)
    # A quote is in one block only, so each block's pairs are joined, best first, and forgotten.
    for block, members in blocks.items():
        others = outside.get(block[1]) if block[0] == "entity" else None
        scores, first, second, texts = _matched_pairs(
            quotes, vectors, row_of, article, members, neighbours, others
        )
        if kept is not None and block[0] == "entity":
            kept[block[1]] = texts
        order = np.lexsort((second, first, scores))[::-1]  # as sorted((score, a, b), reverse=True)
        for start in range(0, len(order), PAIRS_AT_ONCE):
            chunk = order[start : start + PAIRS_AT_ONCE]
            for a, b in zip(first[chunk].tolist(), second[chunk].tolist(), strict=True):
                ra, rb = find(a), find(b)
                if ra != rb and not articles[ra] & articles[rb]:
                    parent[rb] = ra
                    articles[ra] |= articles[rb]
    groups: dict[int, list[str]] = defaultdict(list)
    for i, quote in enumerate(quotes):
        groups[find(i)].append(quote.id)
    statement = {}
    for ids in groups.values():
        digest = hashlib.sha1(min(ids).encode()).hexdigest()[:16]
        for quote_id in ids:
            statement[quote_id] = f"s_{digest}"
    return statement


def _matched_pairs(
    quotes: list[QuoteRef],
    vectors: np.ndarray,
    row_of: np.ndarray,
    article: np.ndarray,
    members: list[int],
    neighbours: int | None,
    outside: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, KeptText]]:
    """(score, a, b, kept) with a < b of the block's quote pairs from different articles
    (`article`: a number per quote) that are one statement, among the candidates: quotes of the
    same text, or of texts one of whose `neighbours` nearest texts the other is (among these and
    the `outside` vectors). Texts are scored, and only the pairs of texts that join become pairs
    of quotes (a text's vector: its first quote's); `kept`: each text's KeptText."""
    by_text: dict[str, list[int]] = defaultdict(list)
    for i in members:
        by_text[quotes[i].text].append(i)
    texts = list(by_text)
    firsts = row_of[[by_text[t][0] for t in texts]]
    x, y, threshold = _candidate_texts(vectors[firsts].astype(np.float32, copy=False), neighbours, outside)
    words = np.array([_words(t) for t in texts], dtype=np.float64)
    score = _cosines(vectors, firsts[x], firsts[y]) - LENGTH_PENALTY * np.abs(np.log(words[x] / words[y]))
    if _block(quotes[members[0]])[0] != "entity":
        accept = score >= NO_SPEAKER_COSINE
    else:  # the words' overlap, only for the pairs of texts whose vectors fell short
        accept = score >= SAME_SPEAKER_COSINE
        for p in np.flatnonzero(~accept).tolist():
            accept[p] = overlap(texts[x[p]], texts[y[p]]) >= SAME_SPEAKER_OVERLAP
    joined = np.flatnonzero(accept)
    a, b, pair = _member_pairs([by_text[t] for t in texts], x[joined], y[joined])
    apart = article[a] != article[b]
    a, b = a[apart], b[apart]
    lower, upper = np.minimum(a, b).astype(np.int32), np.maximum(a, b).astype(np.int32)
    return score[joined][pair[apart]], lower, upper, _kept_texts(texts, threshold, x[joined], y[joined])


def _kept_texts(texts: list[str], threshold: np.ndarray, x: np.ndarray, y: np.ndarray) -> dict[str, KeptText]:
    """Each text's KeptText: its threshold, and its component through the joining pairs (x, y),
    named by the smallest key of its texts."""
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in zip(x.tolist(), y.tolist(), strict=True):
        parent[find(i)] = find(j)
    keys = [text_digest(t) for t in texts]
    name: dict[int, str] = {}
    for i, key in enumerate(keys):
        root = find(i)
        name[root] = min(name.get(root, key), key)
    return {t: KeptText(float(threshold[i]), name[find(i)]) for i, t in enumerate(texts)}


def _member_pairs(
    members: list[list[int]], x: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a, b, p): every pair of quotes a of text x[p] and b of text y[p] (each pair once where
    x[p] == y[p])."""
    found = []
    counts = np.array([len(m) for m in members])
    for p in np.flatnonzero((x == y) & (counts[x] > 1)).tolist():  # texts quoted more than once
        ids = np.array(members[x[p]])
        first, second = np.triu_indices(len(ids), k=1)
        found.append((ids[first], ids[second], np.full(len(first), p)))
    cross = np.flatnonzero(x != y)
    flat = np.array([i for m in members for i in m], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    sizes = counts[x[cross]] * counts[y[cross]]
    p = np.repeat(cross, sizes)
    offset = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    across = counts[y[p]]
    found.append((flat[starts[x[p]] + offset // across], flat[starts[y[p]] + offset % across], p))
    return tuple(np.concatenate(part).astype(np.int64) for part in zip(*found, strict=True))


def _cosines(vectors: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """vectors[a[i]] . vectors[b[i]] for each i, a slice of pairs at a time."""
    found = np.zeros(len(a), dtype=np.float64)
    for start in range(0, len(a), PAIRS_AT_ONCE):
        part = slice(start, start + PAIRS_AT_ONCE)
        first = vectors[a[part]].astype(np.float32, copy=False)
        second = vectors[b[part]].astype(np.float32, copy=False)
        found[part] = np.einsum("ij,ij->i", first, second)
    return found


def _candidate_texts(
    vectors: np.ndarray, neighbours: int | None, outside: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, y, threshold): the pairs x <= y, each once, of each text x and each of the `neighbours`
    texts nearest it by cosine (every pair with None), and (x, x) for every text x; a text's
    threshold is the cosine a text must pass to be among its nearest (-inf where every text is).
    With `outside` (the vectors of the block's other texts), the nearest are found among all the
    block's texts and only the pairs of two texts of `vectors` are returned."""
    n = len(vectors)
    everything = vectors if outside is None or not len(outside) else np.concatenate([vectors, outside])
    total = len(everything)
    if neighbours is None or total <= neighbours + 1:
        x, y = np.triu_indices(n)
        return x.astype(np.int64), y.astype(np.int64), np.full(n, -np.inf)
    keys = [np.arange(n, dtype=np.int64) * (n + 1)]
    threshold = np.empty(n, dtype=np.float64)
    rows = max(1, SIMILARITIES_AT_ONCE // total)
    for start in range(0, n, rows):
        similarity = vectors[start : start + rows] @ everything.T
        nearest = np.argpartition(-similarity, neighbours, axis=1)[:, : neighbours + 1]
        threshold[start : start + len(similarity)] = np.take_along_axis(similarity, nearest, 1).min(axis=1)
        x = np.repeat(np.arange(start, start + len(similarity)), neighbours + 1)
        y = nearest.ravel().astype(np.int64)
        inside = y < n
        x, y = x[inside], y[inside]
        keys.append(np.minimum(x, y) * n + np.maximum(x, y))
    unique = np.unique(np.concatenate(keys))
    return unique // n, unique % n, threshold


def link_statements(
    quotes: list[QuoteRef], vectors_of: Callable[[list[str]], np.ndarray], only: set[str] | None = None
) -> dict[str, str]:
    """group_statements over `quotes`, with vectors (from `vectors_of`, given texts) for only the
    quotes comparable() says another article's quote could match, one per distinct text; both
    engines link so. With `only` (quote ids), those quotes and the quotes whose statements they can
    change (see link_kept, which this is with nothing kept)."""
    return link_kept(quotes, vectors_of, only)[0]


def link_kept(
    quotes: list[QuoteRef],
    vectors_of: Callable[[list[str]], np.ndarray],
    only: set[str] | None = None,
    kept: dict[str, KeptBlock] | None = None,
    neighbours: int = NEIGHBOURS,
) -> tuple[dict[str, str], dict[str, KeptBlock]]:
    """(statement of each quote linked, what to keep of each resolved speaker's block linked).
    With `only` (quote ids), those quotes and the quotes whose statements they can change: in a
    block with no entity, those of the texts they reach (reached_quotes); in a resolved speaker's
    block, those of the texts their texts can change (texts_reached, given what the last linking
    kept of the block, `kept`), or all its quotes when that cannot be shown; else every quote.
    A block's statements rest on its own quotes, so they are what linking every quote gives."""
    if only is not None:
        blocks = {_block(q) for q in quotes if q.id in only}
        quotes = [q for q in quotes if q.id in only or (_block(q) in blocks and _can_match(_block(q)))]
    wanted = comparable(quotes)
    texts = list(dict.fromkeys(quotes[i].text for i in wanted))
    row = {text: n for n, text in enumerate(texts)}
    vectors = vectors_of(texts) if texts else np.zeros((0, DIMENSIONS), dtype=np.float32)
    rows = np.array([row.get(q.text, -1) for q in quotes], dtype=np.int64)  # -1: never read
    digests = _digests(quotes)
    outside: dict[str, np.ndarray] = {}
    linked = quotes
    if only is not None:
        reached = reached_quotes(quotes, vectors, rows, only)
        reached, outside = _speakers_reached(quotes, vectors, rows, only, reached, kept or {}, neighbours)
        linked, rows = [quotes[i] for i in reached], rows[reached]
    found: dict[str, dict[str, KeptText]] = {}
    statement_of = group_statements(linked, vectors, neighbours, rows, outside, found)
    keys = {s: {text_digest(t): k for t, k in texts.items()} for s, texts in found.items()}
    return statement_of, {s: KeptBlock(digests[s], keys[s], s not in outside) for s in found}


def text_digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def _digests(quotes: list[QuoteRef], leaving: set[str] = frozenset()) -> dict[str, str]:
    """A digest of the ids of each resolved speaker's quotes (but those `leaving`)."""
    ids: dict[str, list[str]] = defaultdict(list)
    for quote in quotes:
        if quote.speaker_id and quote.id not in leaving:
            ids[quote.speaker_id].append(quote.id)
    return {s: hashlib.sha1("\n".join(sorted(found)).encode()).hexdigest() for s, found in ids.items()}


def _speakers_reached(
    quotes: list[QuoteRef],
    vectors: np.ndarray,
    rows: np.ndarray,
    only: set[str],
    indexes: list[int],
    kept: dict[str, KeptBlock],
    neighbours: int,
) -> tuple[list[int], dict[str, np.ndarray]]:
    """(indexes, outside): of `indexes`, the quotes of resolved speakers' blocks left out but those
    of the texts the new quotes (`only`) can change (texts_reached), where what was kept of the
    block is of its other quotes as they are; and for each such block the vectors of its texts
    left out (their nearest texts are found among all the block's)."""
    members: dict[str, list[int]] = defaultdict(list)
    for i in indexes:
        if quotes[i].speaker_id and rows[i] >= 0:
            members[quotes[i].speaker_id].append(i)
    before = _digests([quotes[i] for i in indexes], leaving=only)
    left: set[int] = set()
    outside: dict[str, np.ndarray] = {}
    for speaker, block in members.items():
        if speaker not in kept or kept[speaker].digest != before.get(speaker):
            continue
        reached = texts_reached(quotes, vectors, rows, block, only, kept[speaker], neighbours)
        if reached is None:
            continue
        away: dict[str, int] = {}  # each text left out, with its vector's row
        for i in block:
            if quotes[i].text not in reached:
                left.add(i)
                away.setdefault(quotes[i].text, int(rows[i]))
        outside[speaker] = vectors[list(away.values())]
    return [i for i in indexes if i not in left], outside


def texts_reached(
    quotes: list[QuoteRef],
    vectors: np.ndarray,
    rows: np.ndarray,
    block: list[int],
    only: set[str],
    kept: KeptBlock,
    neighbours: int = NEIGHBOURS,
) -> set[str] | None:
    """The texts of a resolved speaker's block (quotes `block`) whose statements its new quotes
    (`only`) can change, given what the last linking kept of its other texts; None for all.

    Exact: adding texts only takes texts out of an old text's nearest, so the old pairs that join
    still join unless a new text entered the nearest of one of the two, and the greedy joining of
    one connected set of joining pairs does not depend on the others'. So the texts reached are
    the new ones and every text joined (before) to one of them or to an old text that is among a
    new text's nearest or has a new text among its own (a cosine above its kept threshold).
    Cosines are compared 4 DOT_ERROR |x||y| short of the bar: one rounding here and one where it
    was computed."""
    first: dict[str, int] = {}
    for i in block:
        first.setdefault(quotes[i].text, i)
    texts = list(first)
    new = {quotes[i].text for i in block if quotes[i].id in only}
    if len(texts) <= neighbours + 1 or any(text_digest(t) not in kept.texts for t in texts if t not in new):
        return None
    matrix = vectors[rows[[first[t] for t in texts]]].astype(np.float32, copy=False)
    margin = 4 * DOT_ERROR * float(np.max(np.sum(np.square(matrix, dtype=np.float64), axis=1)))
    known = [kept.texts.get(text_digest(t)) for t in texts]  # a new text may be an old one's too
    threshold = np.array([np.inf if t in new else k.threshold for t, k in zip(texts, known, strict=True)])
    threshold -= margin
    fresh = [k for k, t in enumerate(texts) if t in new]
    near: set[int] = set(fresh)
    at_once = max(1, SIMILARITIES_AT_ONCE // len(texts))
    for start in range(0, len(fresh), at_once):
        similarity = matrix[fresh[start : start + at_once]] @ matrix.T
        cut = np.partition(similarity, -(neighbours + 1), axis=1)[:, -(neighbours + 1)]
        near.update(np.flatnonzero((similarity >= cut[:, None] - margin).any(axis=0)).tolist())
        near.update(np.flatnonzero((similarity > threshold).any(axis=0)).tolist())
    components = {known[k].component for k in near if known[k]}
    reached = {t for t, k in zip(texts, known, strict=True) if t in new or k.component in components}
    return None if len(reached) == len(texts) else reached


def reached_quotes(
    quotes: list[QuoteRef], vectors: np.ndarray, rows: np.ndarray, only: set[str]
) -> list[int]:
    """Indexes of the quotes whose statements linking every quote could change, given that only
    the quotes `only` are new (the others' statements are what linking them all gave): every quote
    but those of a block with no entity that the new ones do not reach (_reach)."""
    members: dict[tuple, list[int]] = defaultdict(list)
    for i in comparable(quotes):
        members[_block(quotes[i])].append(i)
    unreached: set[int] = set()
    for block, indexes in members.items():
        if block[0] != "entity":
            reach = _reach(quotes, vectors, rows, indexes, only)
            unreached.update(i for i in indexes if reach is not None and i not in reach)
    return [i for i in range(len(quotes)) if i not in unreached]


def _reach(
    quotes: list[QuoteRef], vectors: np.ndarray, rows: np.ndarray, indexes: list[int], only: set[str]
) -> set[int] | None:
    """The quotes of a block with no entity (`indexes`) whose statements its new quotes (`only`)
    can change: those of the texts linked to a new one by a chain of texts whose cosine could reach
    NO_SPEAKER_COSINE; None when a text of the chain has more near texts than NEIGHBOURS.

    Exact: a pair joins only if its cosine, less a penalty >= 0, is >= NO_SPEAKER_COSINE, and the
    quotes outside the chains have no such pair with a quote in them, nor a pair pushed out of
    their nearest texts by a new one (that would need the new text nearer than the pair); the
    greedy joining of one connected set of pairs does not depend on the others'. The bar lies
    4 DOT_ERROR |x||y| below NO_SPEAKER_COSINE: one rounding here and one in group_statements."""
    by_text: dict[str, list[int]] = defaultdict(list)
    for i in indexes:
        by_text[quotes[i].text].append(i)
    texts = list(by_text)
    block = vectors[rows[[by_text[t][0] for t in texts]]].astype(np.float32, copy=False)
    largest = float(np.max(np.sum(np.square(block, dtype=np.float64), axis=1)))  # max |x|^2
    bar = NO_SPEAKER_COSINE - 4 * DOT_ERROR * largest
    frontier = [k for k, t in enumerate(texts) if any(quotes[i].id in only for i in by_text[t])]
    reached = set(frontier)
    if len(reached) == len(texts):  # every text is new or unlinked: the whole block
        return None
    at_once = max(1, SIMILARITIES_AT_ONCE // len(texts))
    while frontier:
        near: set[int] = set()
        for start in range(0, len(frontier), at_once):
            close = block[frontier[start : start + at_once]] @ block.T >= bar
            if (close.sum(axis=1) > NEIGHBOURS + 1).any():  # a nearest list may leave out a pair
                return None
            near.update(np.flatnonzero(close.any(axis=0)).tolist())
        frontier = sorted(near - reached)
        reached.update(frontier)
    return {i for k in reached for i in by_text[texts[k]]}
