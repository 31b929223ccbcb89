"""The one orchestration: read files, clean documents, write them to the store in batches.

The CLI, the web app and later the watcher all call ingest(); nothing else loops over files.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

from threadpoolctl import threadpool_limits

from storylens import understand as understanding
from storylens.clean import clean_document, line_keys, raw_hash, too_long
from storylens.clean.boilerplate import repeat_bar
from storylens.compare import Comparison, compare_story, comparison_key, wording_phrases
from storylens.compare import from_json as comparison_from_json
from storylens.compare import to_json as comparison_to_json
from storylens.compare.claims import VERSION as CLAIMS_VERSION
from storylens.compare.claims import parse_claims, to_row
from storylens.config import Config
from storylens.ingest import batches, discover
from storylens.ingest.manifest import FileMeta
from storylens.kept import (
    embed_missing,
    signed_articles,
    stored_claims,
    stored_pieces,
    stored_vectors,
    story_features,
)
from storylens.link.reuse import (
    REUSE_WINDOW_DAYS,
    aligned_in_chunks,
    directed,
    new_signed_pairs,
    pair_chunks,
    reprints_among,
)
from storylens.link.stories import (
    FOLLOW_UP_DAYS,
    Clusterer,
    Frequencies,
    assemble,
    day_iso,
    day_number,
    in_publication_order,
    restore,
)
from storylens.link.stories import VERSION as STORIES_VERSION
from storylens.model import Article, IngestReport, Problem, RawDoc, Reuse
from storylens.resolution import resolve_store
from storylens.store import Store
from storylens.understand import VERSION as ANALYSIS_VERSION
from storylens.understand.embed import embed, embedding_text, text_key, to_blob
from storylens.understand.nlp import die_with, load_nlp, processes_for
from storylens.understand.statements import MATCHING_KINDS, link_kept

ANALYSIS_BATCH = 256
# Articles a worker process parses and analyses at a time (understand_articles).
UNDERSTAND_CHUNK = 16

Progress = Callable[[int], None]  # called with the number of files just finished


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    *,
    outlet: str | None = None,
    manifest: dict[str, FileMeta] | None = None,
    jobs: int = 1,
    config: Config | None = None,
    progress: Progress | None = None,
    understand: bool = True,
) -> IngestReport:
    """Read every file under `paths` into `store`. Bad files are recorded, never fatal.

    Each batch is committed in one transaction; documents already in the store are skipped,
    so re-running an interrupted ingest finishes it without duplicates. With `understand`, the
    new articles are analysed batch by batch, then entities, statements, text reuse and stories
    are linked across the store at the end (without it, articles are only cleaned and stored).
    Whatever an interrupted run left undone (analysis, linking) is done by the next one.
    """
    config = config or Config()
    report = IngestReport()
    files = list(discover(Path(p) for p in paths))
    report.files = len(files)
    pool = ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else None
    try:
        for batch, problems, done_files in batches(files, config, outlet, manifest or {}, progress):
            added = _ingest_batch(batch, problems, done_files, store, config, report, pool)
            if understand and added:
                report.analysed += analyze_articles(store, added)
    finally:
        if pool:
            pool.shutdown()
    if understand and (
        report.analysed or store.link_pending() or store.articles_to_analyze(ANALYSIS_VERSION)
    ):
        report.analysed += analyze_store(store)
    return report


def ingest_documents(
    documents: list[RawDoc], store: Store, config: Config | None = None, *, compare: bool = False
) -> IngestReport:
    """Ingest documents already in memory (pages fetched from the web), as ingest() does files;
    with `compare`, the stories that changed are compared too (analyze_store)."""
    config = config or Config()
    report = IngestReport(files=0)
    for start in range(0, len(documents), config.batch_size):
        batch = documents[start : start + config.batch_size]
        problems: list[Problem] = []
        added = _ingest_batch(batch, problems, [], store, config, report, None)
        if added:
            report.analysed += analyze_articles(store, added)
    if report.analysed or store.link_pending() or store.articles_to_analyze(ANALYSIS_VERSION):
        report.analysed += analyze_store(store, compare=compare)
    return report


def link_reuse(store: Store, *, everything: bool = False) -> int:
    """Find the text reuse that involves articles not compared yet, against the stored articles
    published within REUSE_WINDOW_DAYS of them (copying happens within days); undated articles
    are compared with every article. `everything` rebuilds all pairs. Returns how many were found.
    Candidates are found over all of them at once, then aligned and written REUSE_CHUNK pairs at
    a time (so memory does not grow with the articles) and directed at the end, in one
    transaction: the same pairs as link.reuse.find_new_reuse over every article at once."""
    dates = {row.id: row.published for row in store.article_rows()}
    new_ids = sorted(dates) if everything else store.unchecked_for_reuse()
    if not new_ids and not everything:
        return 0
    known_ids = [] if everything else _reuse_window(store, [dates[i] for i in new_ids])
    with store.transaction():
        if everything:
            store.replace_reuse([])
        stored = store.reuse_pairs(known_ids)
        candidates = new_signed_pairs(signed_articles(store, [*known_ids, *new_ids]), set(new_ids))
        found = []
        for chunk in aligned_in_chunks(pair_chunks(candidates, dates), lambda ids: map(store.article, ids)):
            store.add_reuse(chunk, [])
            found.extend(Reuse(r.a, r.b, [], r.shared_fraction_a, r.shared_fraction_b) for r in chunk)
        kept = directed(found, dates, stored)
        store.settle_reuse(kept, {(r.a, r.b) for r in found} - {(r.a, r.b) for r in kept})
        store.add_reuse([], new_ids)
    return len(kept)


def _reuse_window(store: Store, published: list[str | None]) -> list[str]:
    """The compared articles new ones (published on these dates) are compared with."""
    days = [day_number(p) for p in published]
    if None in days:
        return store.checked_between(None, None)
    first, last = min(days) - REUSE_WINDOW_DAYS, max(days) + REUSE_WINDOW_DAYS
    return store.checked_between(day_iso(first), day_iso(last))


def analyze_store(
    store: Store, *, everything: bool = False, progress: Progress | None = None, compare: bool = False
) -> int:
    """Analyse the stored articles not yet analysed by this version (all of them with
    `everything`), then link across the store: entities, statements, text reuse, and stories for
    the articles in none yet; with `compare`, compare the stories whose kept comparison went
    stale (compare_stories). The outlet figures are then kept, once. Returns how many were
    analysed."""
    ids = store.articles_to_analyze(ANALYSIS_VERSION, everything)
    done = 0
    for start in range(0, len(ids), ANALYSIS_BATCH):
        articles = [store.article(i) for i in ids[start : start + ANALYSIS_BATCH]]
        done += analyze_articles(store, articles)
        if progress:
            progress(len(articles))
    link_across(store)
    if compare:
        compare_stories(store)  # which keeps the figures
    else:
        keep_figures(store)
    return done


def link_across(store: Store) -> None:
    """Link the analysed articles across the store: entities and statements, text reuse, stories
    for the articles in none yet, and the vectors of the claims a comparison will read. A kept
    comparison goes stale only with its story: resolution forgets those whose articles' entities
    moved, and a story that grew no longer matches its kept one's members."""
    link_store(store)
    link_reuse(store)
    joined = store.unclustered_articles()
    link_stories(store)
    embed_claims_to_compare(store, joined)
    with store.transaction():
        store.linked()


def keep_figures(store: Store) -> int:
    """Compute the outlet and collection figures and keep them in the store, so that their pages
    and API read them (storylens.outlets.refresh); called after every step that changes them."""
    from storylens.outlets import refresh

    return refresh(store)


def analyze_articles(store: Store, articles: list[Article]) -> int:
    """Analyse these articles and store the results, claims and embeddings, together or not at all.
    Claims get vectors when their article shares a story (embed_claims_to_compare), not before."""
    refused = {a.id: Problem(a.source, reason) for a in articles if (reason := too_long(a.paragraphs))}
    analyses, claims = understand_articles([a for a in articles if a.id not in refused])
    analyses += [understanding.Analysis(i, [], [], [], []) for i in refused]  # kept, never parsed
    _write_understanding(store, analyses, claims, *_article_vectors(store, articles))
    if refused:  # stored by an older storylens, which let such a text through
        store.write_batch([], [], list(refused.values()))
    return len(articles)


def _write_understanding(store: Store, analyses: list, claims: dict, vectors: dict, keys: dict) -> None:
    """Analyses, claims and embeddings (with each article's key), together or not at all."""
    quote_ids = [[understanding.quote_id(a.article_id, q) for q in a.quotes] for a in analyses]
    with store.transaction():
        store.write_analyses(analyses, ANALYSIS_VERSION, quote_ids)
        store.write_claims(claims, CLAIMS_VERSION)
        store.put_embeddings(vectors, keys)


def load_computed(store: Store, articles: list, problems: list, analyses: list, linked: tuple) -> None:
    """Fill `store` with what the Spark engine computed, as ingest() would have left it; nothing
    is analysed or linked again. `articles`: (Article, raw hash) by id; `analyses`: (Analysis,
    claim rows or None, vector blob) by article id; `linked`: (entities, statement of each quote,
    reuse, stories as (id, members in joining order, similarity))."""
    for start in range(0, max(len(articles), 1), 500):
        store.write_batch(articles[start : start + 500], [], problems if start == 0 else [])
    texts = {a.id: embedding_text(a) for a, _ in articles}
    for start in range(0, len(analyses), 500):
        chunk = [found for found in analyses[start : start + 500] if found[0].article_id in texts]
        keys = {a.article_id: text_key(texts[a.article_id]) for a, _, _ in chunk}
        claims = {a.article_id: [tuple(r) for r in rows] for a, rows, _ in chunk if rows is not None}
        vectors = {keys[a.article_id]: vector for a, _, vector in chunk}
        _write_understanding(store, [a for a, _, _ in chunk], claims, vectors, keys)
    entities, statements, reuse, stories = linked
    store.replace_entities(entities)
    store.set_statements(statements)
    store.replace_reuse(reuse)
    features = {f.article_id: f for f in story_features(store, sorted(texts))}
    frequencies = Frequencies()
    for f in features.values():
        frequencies.count(f)
    store.clear_stories()
    store.write_stories(
        [
            assemble(story, [features[a] for a in members], similarity, frequencies)
            for story, members, similarity in stories
            if all(a in features for a in members)
        ],
        {"frequencies": frequencies.to_bytes()},
    )
    embed_claims_to_compare(store, sorted(texts))  # as link_across does: compare calls no model
    store.forget_comparisons()
    keep_figures(store)


def understand_articles(articles: list[Article]) -> tuple[list[understanding.Analysis], dict[str, list]]:
    """From one parse of each article: its analysis, and its claims as rows of the store. Many
    articles are parsed and analysed in worker processes, UNDERSTAND_CHUNK at a time, forked once
    the model is loaded (theirs without loading it again): only the analyses and claims come back,
    not the parsed Docs, and this process waits instead of competing with them for a core."""
    workers = processes_for(len(articles))
    if workers == 1:
        return _understood(articles)
    load_nlp()
    chunks = [articles[i : i + UNDERSTAND_CHUNK] for i in range(0, len(articles), UNDERSTAND_CHUNK)]
    fork = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=fork, initializer=die_with, initargs=(os.getpid(),)) as pool:
        found = list(pool.map(_understood, chunks))
    claims = {aid: rows for _, part in found for aid, rows in part.items()}
    return [a for analyses, _ in found for a in analyses], claims


def _understood(articles: list[Article]) -> tuple[list[understanding.Analysis], dict[str, list]]:
    """understand_articles in this process (spaCy in one process for fewer than PARALLEL_FROM)."""
    analyses, claims = [], {}
    for analysis, doc in understanding.analyze_parsed(articles):
        analyses.append(analysis)
        offsets = [(m.start, m.end) for m in analysis.mentions]
        claims[analysis.article_id] = [to_row(c) for c in parse_claims(doc, offsets)]
    return analyses, claims


def link_store(store: Store) -> None:
    """Across articles: one entity per real-world entity (resolved again only where the new
    articles reach), one statement per remark (linked again only where new quotes reach)."""
    resolve_store(store)
    link_pending_statements(store, store.quotes_to_link())


def link_pending_statements(store: Store, pending: set[str]) -> None:
    """Statements of the quotes `pending` and of those they can change (statements.link_kept)."""
    if pending:
        quotes = store.quote_refs(pending, MATCHING_KINDS)
        kept = store.kept_blocks({q.speaker_id for q in quotes if q.id in pending and q.speaker_id})
        store.set_statements(*link_kept(quotes, partial(stored_vectors, store), pending, kept))


def embed_claims_to_compare(store: Store, article_ids: list[str]) -> int:
    """Embed what comparing these articles' stories of two or more articles reads (a story of one
    is never compared): their claims, then the phrases its wordings weigh (wording_phrases), so
    that compare calls no model (it embeds what is still missing). Returns how many were new."""
    stories = store.compared_stories(article_ids)
    rows = store.stored_claims([a for members in stories.values() for a in members], CLAIMS_VERSION)
    wanted = {text_key(row[3]): row[3] for found in rows.values() for row in found}
    pieces = store.word_pieces(wanted)  # a claim is embedded with its word pieces, in one pass
    known = {k: v for k, v in store.embeddings(wanted).items() if k in pieces}
    computed = len(embed_missing(store, wanted, known, pieces=True))
    phrases = {p for members in stories.values() for p in wording_phrases(*_story_inputs(store, members))}
    wanted = {text_key(p): p for p in phrases}
    return computed + len(embed_missing(store, wanted, store.embeddings(wanted)))


def _article_vectors(store: Store, articles: list[Article]) -> tuple[dict[str, bytes], dict[str, str]]:
    """One vector per article (title and lead), kept for linking articles into stories: the
    vectors the store lacks by key (in one batch), and each article's key."""
    texts = {a.id: embedding_text(a) for a in articles}
    keys = {aid: text_key(t) for aid, t in texts.items()}
    wanted = {k: texts[aid] for aid, k in keys.items()}
    known = store.embeddings(wanted)
    missing = [k for k in wanted if k not in known]
    vectors = embed([wanted[k] for k in missing])
    return {k: to_blob(v) for k, v in zip(missing, vectors, strict=True)}, keys


def _ingest_batch(
    batch: list[RawDoc],
    problems: list[Problem],
    done_files: list[str],
    store: Store,
    config: Config,
    report: IngestReport,
    pool: ProcessPoolExecutor | None,
) -> list[Article]:
    """Clean and write one batch; returns the articles it added."""
    hashes = [raw_hash(raw) for raw in batch]
    known = store.known_documents(hashes)
    fresh: list[tuple[RawDoc, str]] = []
    seen_in_batch: set[str] = set()
    for raw, digest in zip(batch, hashes, strict=True):
        if digest in known or digest in seen_in_batch:
            report.already_seen += 1
        else:
            seen_in_batch.add(digest)
            fresh.append((raw, digest))
    report.documents += len(batch)
    with store.transaction():  # the outlets' line counts and the batch they count, or neither
        repeated = _repeated_lines(fresh, store, config)
        tasks = [(raw, repeated.get(digest, frozenset())) for raw, digest in fresh]
        results = pool.map(clean_document, tasks, chunksize=8) if pool else map(clean_document, tasks)
        articles: list[tuple[Article, str]] = []
        empty: list[tuple[str, str]] = []
        for (raw, digest), result in zip(fresh, results, strict=True):
            if isinstance(result, Article):
                articles.append((result, digest))
            else:
                problems.append(result)
                empty.append((digest, raw.source))
        added, duplicates = store.write_batch(articles, empty, problems, done_files)
    report.added += len(added)
    report.added_ids.extend(a.id for a in added)
    report.duplicates += duplicates
    report.problems.extend(problems)
    return added


def _repeated_lines(
    fresh: list[tuple[RawDoc, str]], store: Store, config: Config
) -> dict[str, frozenset[str]]:
    """Per new plain-text document with a known outlet: its lines the outlet repeats."""
    keys_by_doc: dict[str, tuple[str, set[str]]] = {}
    counts: Counter[tuple[str, str]] = Counter()
    documents: Counter[str] = Counter()
    for raw, digest in fresh:
        if raw.text is None or not raw.outlet:
            continue
        keys = line_keys(raw.text)
        keys_by_doc[digest] = (raw.outlet, keys)
        counts.update((raw.outlet, key) for key in keys)
        documents[raw.outlet] += 1
    if not counts:
        return {}
    store.count_outlet_lines(counts, documents)
    bars = {
        outlet: repeat_bar(store.outlet_documents(outlet), config)
        for outlet in {outlet for outlet, _ in keys_by_doc.values()}
    }
    return {
        digest: frozenset(store.repeated_lines(outlet, keys, bars[outlet]))
        for digest, (outlet, keys) in keys_by_doc.items()
    }


def link_stories(store: Store) -> int:
    """Put every article that is in no story yet into one (online: earlier stories are kept,
    and only the stories within reach of the new articles' dates are loaded). Stories made by
    another version of the clusterer are made again, all of them. Returns how many joined."""
    if store.story_state("frequencies") and store.story_state("version") != STORIES_VERSION.encode():
        store.clear_stories()
    new = story_features(store, store.unclustered_articles())
    if not new:
        return 0
    blob = store.story_state("frequencies")
    frequencies = Frequencies.from_bytes(blob) if blob else Frequencies()
    for f in new:
        frequencies.count(f)
    clusterer = Clusterer(frequencies)
    days = [f.day for f in new]
    dated = [d for d in days if d is not None]
    if None in days:
        rows = store.stories_between(None, None)  # an undated article may belong anywhere
    else:
        rows = store.stories_between(min(dated) - FOLLOW_UP_DAYS, max(dated) + FOLLOW_UP_DAYS)
    members = story_features(store, [aid for row in rows for aid in row["members"]])
    member_features = {f.article_id: f for f in members}
    for row in rows:
        clusterer.load(
            restore(row, [member_features[a] for a in row["members"] if a in member_features], frequencies)
        )
    for f in in_publication_order(new):
        clusterer.add(f, counted=True)
    store.write_stories(
        [clusterer.stories[s] for s in sorted(clusterer.changed)],
        {"frequencies": frequencies.to_bytes(), "version": STORIES_VERSION.encode()},
        gone=sorted(clusterer.merged),
    )
    return len(new)


def recluster(store: Store) -> int:
    """Forget every story and cluster the whole store again (after a model or threshold change)."""
    store.clear_stories()
    count = link_stories(store)
    keep_figures(store)
    return count


def compare(store: Store, story_id: str) -> Comparison:
    """Facts, omissions, framing, summary and timeline of one stored story, computed once and
    kept in the store until the story's articles, the entities or the analysis change."""
    [row] = store.story_rows(story_id)
    members, version = comparison_key(row)
    cached = store.cached_comparison(story_id, members, version)
    if cached is not None:
        return comparison_from_json(cached)
    comparison = _compared(store, row["article_ids"])
    store.cache_comparison(story_id, members, version, comparison_to_json(comparison))
    return comparison


def compare_articles(store: Store, article_ids: list[str]) -> Comparison:
    """The comparison of any stored articles as if they were one story (computed, not kept)."""
    return _compared(store, list(article_ids))


def compare_stories(store: Store) -> tuple[int, int]:
    """Compute and keep the comparison of every story of two or more articles whose kept one is
    missing or stale, so that the web app and the export show them at once, on one BLAS thread
    (a second only spins on a story's small matrices). Returns (computed, already up to date)."""
    computed = fresh = 0
    with threadpool_limits(limits=1, user_api="blas"):
        for row in store.story_rows():
            if len(row["article_ids"]) < 2:
                continue
            if store.cached_comparison(row["id"], *comparison_key(row)) is not None:
                fresh += 1
                continue
            compare(store, row["id"])
            computed += 1
    keep_figures(store)
    return computed, fresh


def _compared(store: Store, article_ids: list[str]) -> Comparison:
    """compare_story over the store: its vectors, claims and word pieces as kept (or made now)."""
    said = store.quotes_said(article_ids)
    reprints = reprints_among(store.reuse_among(article_ids))
    return compare_story(
        *_story_inputs(store, article_ids), tokens=partial(stored_pieces, store), said=said, reprints=reprints
    )


def _story_inputs(store: Store, article_ids: list[str]) -> tuple:
    """compare_story's arguments: the articles, their mentions, the store's vectors, their claims."""
    articles = [a for a in map(store.article, article_ids) if a]
    vectors = partial(stored_vectors, store)
    return articles, store.resolved_mentions(article_ids), vectors, stored_claims(store, articles)
