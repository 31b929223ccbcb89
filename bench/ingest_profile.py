"""Where the time of `storylens ingest` goes, step by step, on real articles, in one process.

    .venv/bin/python bench/ingest_profile.py [--articles 300] [--cprofile 25]

Input, read in place: ../shared/data/basil-dev (repeated, each copy a distinct article, up to
--articles). Everything runs in this one process (no worker processes), so that each step's
seconds add up: spaCy's components one by one (the tokenizer, tok2vec, tagger, parser,
attribute_ruler, lemmatizer, ner) on the texts, then storylens's own work on the parsed Docs
(entities, quotes, claims), the article embeddings, the SQLite writes of the analysis, linking
(entity resolution and statements, text reuse, stories, the vectors of the claims of stories of
two or more articles) and the comparison of every story. Seconds are CPU seconds of this process
(time.process_time: every thread, the encoder's included), which a loaded machine inflates less
than wall-clock ones.
With --cprofile N, cProfile's N functions of most own time over the whole run are printed too.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from throughput import BASIL, write_feed  # noqa: E402

from storylens import understand as understanding  # noqa: E402
from storylens.compare.claims import VERSION as CLAIMS_VERSION  # noqa: E402
from storylens.compare.claims import parse_claims, to_row  # noqa: E402
from storylens.pipeline import (  # noqa: E402
    ANALYSIS_VERSION,
    _article_vectors,
    compare_stories,
    embed_claims_to_compare,
    ingest,
    link_reuse,
    link_store,
    link_stories,
)
from storylens.store import open_store  # noqa: E402
from storylens.understand.entities import acronym_pairs, cluster, find_mentions  # noqa: E402
from storylens.understand.nlp import article_text, load_nlp, paragraph_starts, text_of  # noqa: E402
from storylens.understand.quotes import find_quotes  # noqa: E402


def run(n: int, folder: Path) -> dict[str, float]:
    spent: dict[str, float] = defaultdict(float)

    def timed(name: str, work, *args, **options):
        start = time.process_time()
        result = work(*args, **options)
        spent[name] += time.process_time() - start
        return result

    copies = -(-n // 150)
    with open_store(folder / "profile.db") as store:
        timed("read+clean (one process)", ingest, [write_feed(folder, copies)], store, understand=False)
        articles = [store.article(row.id) for row in store.article_rows()][:n]
        nlp = load_nlp()
        texts = [article_text(a.paragraphs) for a in articles]
        docs = timed("spaCy: tokenizer", lambda: list(nlp.tokenizer.pipe(texts)))
        for name, component in nlp.pipeline:
            docs = timed(f"spaCy: {name}", lambda c=component, d=docs: list(_run(c, d)))
        analyses, claims = [], {}
        for article, doc in zip(articles, docs, strict=True):
            starts = paragraph_starts(article.paragraphs)
            mentions = timed("storylens: entities in an article", find_mentions, doc, starts)
            entities = timed("storylens: entities in an article", cluster, mentions)
            quotes = timed("storylens: quotes and speakers", find_quotes, doc, mentions, entities, starts)
            acronyms = timed("storylens: entities in an article", acronym_pairs, text_of(doc))
            analyses.append(understanding.Analysis(article.id, mentions, entities, quotes, acronyms))
            offsets = [(m.start, m.end) for m in mentions]
            parsed = timed("storylens: claims", parse_claims, doc, offsets)
            claims[article.id] = [to_row(c) for c in parsed]
        vectors, keys = timed("embeddings (articles' titles and leads)", _article_vectors, store, articles)

        def write():
            quote_ids = [[understanding.quote_id(a.article_id, q) for q in a.quotes] for a in analyses]
            with store.transaction():
                store.write_analyses(analyses, ANALYSIS_VERSION, quote_ids)
                store.write_claims(claims, CLAIMS_VERSION)
                store.put_embeddings(vectors, keys)

        timed("SQLite writes of the analysis", write)
        timed("link: entities across articles, statements", link_store, store)
        timed("link: text reuse", link_reuse, store)
        joined = store.unclustered_articles()
        timed("link: stories", link_stories, store)
        timed("embeddings (claims of stories to compare)", embed_claims_to_compare, store, joined)
        timed("compare every story", compare_stories, store)
    return dict(spent)


def _run(component, docs):
    """A pipeline component over the Docs: its own batched pipe, or one call a Doc (a function
    component, such as storylens_titles)."""
    return component.pipe(docs, batch_size=16) if hasattr(component, "pipe") else map(component, docs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--cprofile", type=int, default=0, help="print cProfile's top N functions")
    args = parser.parse_args()
    if not BASIL.exists():
        print("basil-dev is absent (../shared/data/basil-dev): skipped")
        return
    from storylens.understand.embed import load_model

    load_nlp(), load_model()
    profiler = cProfile.Profile() if args.cprofile else None
    with tempfile.TemporaryDirectory() as tmp:
        if profiler:
            profiler.enable()
        spent = run(args.articles, Path(tmp))
        if profiler:
            profiler.disable()
    total = sum(spent.values())
    words = sum(len(json.loads(line)["text"].split()) for line in BASIL.read_text().splitlines()) / 150
    print(f"Where ingest's time goes: {args.articles} basil-dev articles (~{words:.0f} words), one process")
    print(f"  {'step':<46}{'CPU s':>9}{'share':>8}{'ms/article':>12}")
    for name, seconds in spent.items():
        print(f"  {name:<46}{seconds:>9.2f}{seconds / total:>8.1%}{1000 * seconds / args.articles:>12.1f}")
    print(f"  {'total':<46}{total:>9.2f}{1:>8.1%}{1000 * total / args.articles:>12.1f}")
    if profiler:
        print(f"\ncProfile: the {args.cprofile} functions of most own time (with --cprofile's overhead)")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.cprofile)


if __name__ == "__main__":
    main()
