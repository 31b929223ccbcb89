"""Comparing coverage: summaries against references, beside baselines, in the same run.

    .venv/bin/python bench/compare.py

The sample corpus's stories have reference summaries written by hand (examples/sample/TRUTH.md).
storylens's cited summary is scored with ROUGE-1/2/L F1 (rouge-score, stemmed) beside two
baselines given the same number of sentences: the lead of the story's first article, and
LexRank (sumy) over every sentence of the story's articles. Also printed: the share of summary
sentences that rest on two or more outlets, on the sample and on basil-dev's real three-outlet
events (../shared/data/basil-dev), and the facts carried by two or more outlets per story.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))

from storylens.compare.dated import without_days  # noqa: E402
from storylens.compare.summary import claim_told  # noqa: E402
from storylens.export import export  # noqa: E402
from storylens.ingest.manifest import read_manifest  # noqa: E402
from storylens.pipeline import ingest  # noqa: E402
from storylens.store import open_store  # noqa: E402
from storylens.understand.embed import precision  # noqa: E402


def vectors_note() -> str:
    """Which precision this machine embeds in: the comparison's figures move by about a point
    between bfloat16 and float32 stores (bench/RESULTS.md, session 31)."""
    return (
        f"sentence vectors: {precision()} on this machine (STORYLENS_EMBED_PRECISION chooses; a kept store "
        "keeps the vectors it holds; figures differ by about a point between bfloat16 and float32)"
    )


def references() -> dict[str, str]:
    """S1..S6 -> the reference summary text in TRUTH.md."""
    text = (ROOT / "examples" / "sample" / "TRUTH.md").read_text()
    section = text.split("## Reference summaries", 1)[1].split("\n## ", 1)[0]
    found = {}
    for item in re.split(r"\n- ", section):
        match = re.match(r"\*\*(S\d)\.\*\*\s*(.*)", item.strip().lstrip("- "), re.S)
        if match:
            found[match.group(1)] = " ".join(match.group(2).split())
    return found


class _Words:
    language = "english"

    def to_words(self, text: str) -> list[str]:
        return re.findall(r"\w+", text)

    def to_sentences(self, text: str) -> list[str]:
        return [text]


def lexrank(sentences: list[str], count: int) -> list[str]:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.summarizers.lex_rank import LexRankSummarizer

    words = _Words()
    document = ObjectDocumentModel([Paragraph([Sentence(s, words) for s in sentences])])
    return [str(s) for s in LexRankSummarizer()(document, count)]


def sentences_of(paragraphs: list[str]) -> list[str]:
    from storylens.compare.claims import load_nlp_with_lemmas

    doc = load_nlp_with_lemmas()("\n\n".join(paragraphs))
    return [" ".join(s.text.split()) for s in doc.sents if len(s.text.split()) >= 4]


def share_multi_outlet(stories: list[dict]) -> tuple[float, int]:
    sentences = [s for story in stories for s in story["summary"]]
    return (
        sum(1 for s in sentences if not s["single_source"]) / len(sentences) if sentences else 0.0,
        len(sentences),
    )


def sample() -> None:
    from rouge_score import rouge_scorer

    folder = ROOT / "examples" / "sample"
    truth = json.loads((folder / "truth.json").read_text())["articles"]
    story_by_title = {a["title"]: a["story"] for a in truth.values()}
    refs = references()
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "sample.db") as store:
        ingest([folder / "corpus"], store, manifest=read_manifest(folder / "manifest.csv"))
        start = time.perf_counter()
        document = export(store)
        seconds = time.perf_counter() - start
    articles = {a["id"]: a for a in document["articles"]}
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    totals: dict[str, list[float]] = {"storylens": [0, 0, 0], "lead": [0, 0, 0], "LexRank (sumy)": [0, 0, 0]}
    scored = 0
    for story in document["stories"]:
        label = story_by_title.get(articles[story["article_ids"][0]]["title"])
        if label not in refs or len(story["article_ids"]) < 2:
            continue
        count = len(story["summary"])
        first = articles[story["article_ids"][0]]
        every = [s for aid in story["article_ids"] for s in sentences_of(articles[aid]["paragraphs"])]
        candidates = {
            "storylens": " ".join(s["text"] for s in story["summary"]),
            "lead": " ".join(sentences_of(first["paragraphs"])[:count]),
            "LexRank (sumy)": " ".join(lexrank(every, count)),
        }
        for name, text in candidates.items():
            score = scorer.score(refs[label], text)
            for i, key in enumerate(("rouge1", "rouge2", "rougeL")):
                totals[name][i] += score[key].fmeasure
        scored += 1
    print(f"sample corpus: {scored} stories with reference summaries (TRUTH.md); mean ROUGE F1")
    print(f"  {'':<18} {'R-1':>6} {'R-2':>6} {'R-L':>6}")
    for name, (r1, r2, rl) in totals.items():
        print(f"  {name:<18} {r1 / scored:6.3f} {r2 / scored:6.3f} {rl / scored:6.3f}")
    share, n = share_multi_outlet(document["stories"])
    print(f"  storylens summary sentences resting on two or more outlets: {share:.2f} of {n}")
    print(f"  comparison of every story (export): {seconds:.1f}s")
    alignment(folder, truth)


def alignment(folder: Path, truth: dict) -> None:
    """Pairwise precision/recall of fact grouping against bench/data/facts.tsv (claims of
    different articles: grouped together or not), beside an embedding-only baseline."""
    from storylens.compare.facts import SAME_FACT
    from storylens.pipeline import compare

    gold_rows = [
        line.split("\t")
        for line in (ROOT / "bench" / "data" / "facts.tsv").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    label_by_title = {a["title"]: label for label, a in truth.items()}
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "sample.db") as store:
        ingest([folder / "corpus"], store, manifest=read_manifest(folder / "manifest.csv"))
        print(
            "\nfact grouping against a gold alignment (bench/data/facts.tsv), pairs of claims of different articles"
        )
        print(
            f"  {'story':<6} {'claims':>6} {'storylens P':>12} {'R':>6} {'F1':>6}   {'cosine-only P':>14} {'R':>6} {'F1':>6}"
        )
        citations: list[tuple[set[str], set[str]]] = []
        for story_label in sorted({r[0] for r in gold_rows}):
            rows = [r for r in gold_rows if r[0] == story_label]
            story = next(
                s
                for s in store.story_rows()
                if label_by_title.get(store.article(s["article_ids"][0]).title, "").startswith(rows[0][2][0])
            )
            comparison = compare(store, story["id"])
            claims = [c for f in comparison.facts for c in f.claims]
            label_of = {id(c): label_by_title[store.article(c.article_id).title] for c in claims}
            gold = {}
            for _, fact, article, prefix in rows:
                for c in claims:
                    if label_of[id(c)] == article and c.text.startswith(prefix.strip()):
                        gold[id(c)] = fact
            if len(gold) != len(rows):
                print(f"  {story_label}: only {len(gold)} of {len(rows)} gold claims found among the claims")
            predicted = {id(c): f.id for f in comparison.facts for c in f.claims}
            from storylens.pipeline import stored_vectors

            vectors = stored_vectors(store, [c.text for c in claims])
            index = {id(c): i for i, c in enumerate(claims)}
            same_fact = {
                (id(a), id(b)) for a in claims for b in claims if predicted[id(a)] == predicted[id(b)]
            }
            close = {
                (id(a), id(b))
                for a in claims
                for b in claims
                if float(vectors[index[id(a)]] @ vectors[index[id(b)]]) >= SAME_FACT
            }
            p, r, f = pairwise(claims, gold, same_fact)
            bp, br, bf = pairwise(claims, gold, close)
            print(
                f"  {story_label:<6} {len(claims):>6} {p:12.3f} {r:6.3f} {f:6.3f}   {bp:14.3f} {br:6.3f} {bf:6.3f}"
            )
            citations.extend(cited_against_gold(comparison, claims, gold))
        hits = sum(len(c & g) for c, g in citations)
        print(
            f"  summary citations on these stories: precision {hits / sum(len(c) for c, _ in citations):.3f}, "
            f"recall {hits / sum(len(g) for _, g in citations):.3f} ({len(citations)} sentences)"
        )


def cited_against_gold(comparison, claims, gold) -> list[tuple[set[str], set[str]]]:
    """For each summary sentence: the articles it cites, and the articles the gold says carry its
    fact (those with a claim filed under the same gold fact, or only its own article)."""
    found = []
    for sentence in comparison.summary:
        claim = claim_told(sentence, comparison.facts)
        fact = gold.get(id(claim))
        carriers = {c.article_id for c in claims if fact is not None and gold.get(id(c)) == fact}
        found.append((set(sentence.article_ids), carriers or {claim.article_id}))
    return found


def pairwise(claims, gold, together: set[tuple[int, int]]) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for i, a in enumerate(claims):
        for b in claims[i + 1 :]:
            if a.article_id == b.article_id:
                continue
            truth = id(a) in gold and gold.get(id(a)) == gold.get(id(b))
            said = (id(a), id(b)) in together
            tp += said and truth
            fp += said and not truth
            fn += truth and not said
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def basil() -> None:
    source = SHARED / "basil-dev" / "basil-dev.jsonl"
    if not source.exists():
        print("\nbasil-dev: ../shared/data/basil-dev is absent; skipped")
        return
    basil_id_of_url = {}
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "basil.jsonl"
        with open(feed, "w") as out:
            for line in source.read_text().splitlines():
                row = json.loads(line)
                basil_id_of_url[row["url"]] = row["id"]
                out.write(
                    json.dumps({k: row[k] for k in ("title", "text", "published", "outlet", "url")}) + "\n"
                )
        with open_store(Path(tmp) / "basil.db") as store:
            ingest([feed], store)
            start = time.perf_counter()
            document = export(store)
            seconds = time.perf_counter() - start
    stories = [s for s in document["stories"] if len(s["article_ids"]) >= 2]
    share, n = share_multi_outlet(stories)
    shared_facts = [sum(1 for f in s["facts"] if len(f["outlets"]) >= 2) for s in stories]
    print(f"\nbasil-dev: {len(stories)} stories of two or more articles")
    print(f"  summary sentences resting on two or more outlets: {share:.2f} of {n}")
    print(
        f"  facts carried by two or more outlets per story: mean {sum(shared_facts) / len(stories):.1f}, "
        f"stories with none: {sum(1 for f in shared_facts if f == 0)}"
    )
    print(
        f"  comparison of every story (export): {seconds:.1f}s, {len(document['articles']) / seconds:.1f} articles/s"
    )
    basil_citations(stories, {a["id"]: basil_id_of_url.get(a["url"]) for a in document["articles"]})
    # Disagreements (bench/compare_gold.py judges those of its sets): print them all, to be read.
    pairs = []
    for story in stories:
        facts = {f["id"]: f for f in story["facts"]}
        pairs += [
            (f["text"], facts[other]["text"])
            for f in story["facts"]
            for other in f["disagrees_with"]
            if f["id"] < other
        ]
    listed = [d for story in stories for d in story["disagreements"]]
    inside = sum(len(d["fact_ids"]) == 1 for d in listed)
    changed = sum(d["changed"] for d in listed)
    print(f"  disagreements flagged: {len(pairs)} pairs of facts")
    print(
        f"  disagreements listed: {len(listed)} pairs of claims, {inside} inside one fact, "
        f"{changed} figures told on different days"
    )
    for d in listed:
        a, b = (c["text"] for c in d["claims"])
        print(f"    - {d['why']}: {a[:150]}\n      vs {b[:150]}")


def sentence_key(text: str) -> str:
    """How bench/data/basil_citations.tsv names a summary sentence without copying its text."""
    return hashlib.sha1(" ".join(without_days(text).split()).encode()).hexdigest()[:16]  # as judged


def basil_citations(stories: list[dict], basil_id: dict[str, str | None]) -> None:
    """Citation precision and recall of the summaries against bench/data/basil_citations.tsv: for
    summary sentences of some basil-dev events, which of the event's articles carry the sentence's
    fact, judged by reading each article. A sentence the gold does not know is counted apart."""
    carries: dict[str, dict[str, bool]] = {}
    events: dict[str, str] = {}  # article -> its event
    for line in (ROOT / "bench" / "data" / "basil_citations.tsv").read_text().splitlines():
        if line and not line.startswith("#"):
            event, key, article, judged = line.split("\t")
            carries.setdefault(key, {})[article] = judged == "1"
            events[article] = event
    hits = cited_total = carrier_total = judged_sentences = unjudged = 0
    every_cited = 0  # the baseline: each sentence cites every judged article of its story
    for story in stories:
        members = {basil_id[a] for a in story["article_ids"]}
        for sentence in story["summary"]:
            gold = carries.get(sentence_key(sentence["text"]))
            if gold is None:
                unjudged += any(m in events for m in members)
                continue
            cited = {basil_id[a] for a in sentence["article_ids"]}
            carriers = {a for a, yes in gold.items() if yes and a in members}
            hits += len(cited & carriers)
            cited_total += len(cited)
            carrier_total += len(carriers)
            every_cited += len(members & gold.keys())
            judged_sentences += 1
    if judged_sentences:
        print(
            f"  summary citations against bench/data/basil_citations.tsv ({len(set(events.values()))} events, "
            f"{judged_sentences} sentences judged, {unjudged} not in the gold): "
            f"precision {hits / cited_total:.3f}, recall {hits / carrier_total:.3f}; "
            f"baseline citing every article of the story: precision {carrier_total / every_cited:.3f}, recall 1.000"
        )


if __name__ == "__main__":
    print(vectors_note())
    sample()
    basil()
