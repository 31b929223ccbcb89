"""The understanding stage, measured: quotes, attribution, entity merges, throughput.

    .venv/bin/python bench/understand.py [--articles 200]

1. Quote extraction and attribution on bench/data/quotes.txt (150 labelled quotes in wire,
   translated state media, tabloid and broadcast-transcript styles), on real news
   (../shared/data/polnear-dev, bench/polnear.py: its development and report halves) and on the
   sample's TRUTH.md statements, beside a baseline (text between quotation marks, speaker = the
   nearest person named before it).
2. Person-name matching on bench/data/name-pairs.tsv (transliteration stress set), beside exact
   and fuzzy-ratio baselines; entity merges on the sample's surface forms (TRUTH.md's table).
3. Throughput of the whole stage (spaCy, quotes, embeddings, cross-article linking) in articles/s
   on real ~600-word articles (../shared/data/basil-dev) or the sample when it is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
sys.path.insert(0, str(ROOT / "bench"))
SAMPLE = ROOT / "examples" / "sample"
BASIL = ROOT.parent / "shared" / "data" / "basil-dev" / "basil-dev.jsonl"
sys.path.insert(0, str(ROOT))

from polnear import polnear_table  # noqa: E402

from storylens.model import Article  # noqa: E402
from storylens.understand import analyze  # noqa: E402
from storylens.understand.entities import fullest_name, split_title  # noqa: E402
from storylens.understand.names import names_match  # noqa: E402
from storylens.understand.quotes import quote_spans  # noqa: E402


def norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


# -- 1. quotes -----------------------------------------------------------------------------------


def labelled_quotes() -> list[tuple[str, list[str], list[tuple[str, str]]]]:
    """(style, paragraphs, [(quote start, speaker)]) per labelled article."""
    articles = []
    for block in (DATA / "quotes.txt").read_text(encoding="utf-8").split("=== style: ")[1:]:
        style, body = block.split("\n", 1)
        paragraphs, gold = [], []
        for line in body.splitlines():
            if line.startswith("Q\t"):
                _, start, speaker = line.split("\t")
                gold.append((start, speaker))
            elif line.strip():
                paragraphs.append(line.strip())
        articles.append((style.strip(), paragraphs, gold))
    return articles


def speaker_ok(expected: str, kind: str, name: str | None) -> bool:
    if expected == "unnamed":
        return kind == "person" and name is None
    if expected in ("document", "group"):
        return kind in (expected, "organisation") if expected == "group" else kind == expected
    return name is not None and norm(expected).split()[-1] in norm(name).split()


def score_quotes(predicted, gold) -> tuple[int, int, int, int]:
    """(gold found, predictions matching a gold quote, correctly attributed, predictions)."""
    found = matched = right = 0
    used = set()
    for start, speaker in gold:
        key = norm(start)
        hit = next(
            (
                i
                for i, (text, _, _) in enumerate(predicted)
                if i not in used and key in norm(text)[: len(key) + 40]
            ),
            None,
        )
        if hit is None:
            continue
        used.add(hit)
        found += 1
        _, kind, name = predicted[hit]
        right += speaker_ok(speaker, kind, name)
    matched = len(used)
    return found, matched, right, len(predicted)


def storylens_quotes(paragraphs: list[str]):
    [analysis] = analyze([Article("q", "q", None, "t", None, None, "en", None, paragraphs)])
    names = {e.index: fullest_name(e) for e in analysis.entities}
    return [(q.text, q.speaker_kind, names.get(q.speaker_local)) for q in analysis.quotes]


def baseline_quotes(paragraphs: list[str]):
    """Text between quotation marks; speaker = the nearest person named before the quote."""
    [analysis] = analyze([Article("q", "q", None, "t", None, None, "en", None, paragraphs)])
    text = "\n\n".join(paragraphs)
    people = [m for m in analysis.mentions if m.type == "PERSON"]
    found = []
    for start, end in quote_spans(text):
        before = [m for m in people if m.end <= start] or [m for m in people if m.start >= end]
        name = (before[-1] if before and before[-1].end <= start else before[0]).name if before else None
        found.append((text[start:end], "person" if name else "unknown", name))
    return found


def quotes_table() -> None:
    articles = labelled_quotes()
    rows = {}
    for method_name, method in (
        ("storylens", storylens_quotes),
        ("baseline: marks + nearest name", baseline_quotes),
    ):
        per_style: dict[str, list[int]] = {}
        for style, paragraphs, gold in articles:
            counts = score_quotes(method(paragraphs), gold)
            total = per_style.setdefault(style, [0, 0, 0, 0, 0])
            for i, value in enumerate((*counts, len(gold))):
                total[i] += value
        rows[method_name] = per_style
    n = sum(len(g) for _, _, g in articles)
    print(f"Quotes: {n} labelled quotes in {len(articles)} articles (bench/data/quotes.txt)")
    print(f"{'method':<32}{'style':<30}{'extr. P':>8}{'extr. R':>8}{'attr. P':>8}{'attr. R':>8}")
    for method_name, per_style in rows.items():
        totals = [sum(v[i] for v in per_style.values()) for i in range(5)]
        for style, (found, matched, right, predicted, gold) in [*per_style.items(), ("all", totals)]:
            print(
                f"{method_name:<32}{style:<30}{matched / max(predicted, 1):>8.3f}{found / max(gold, 1):>8.3f}"
                f"{right / max(predicted, 1):>8.3f}{right / max(gold, 1):>8.3f}"
            )
    print("attr. P: correctly attributed / quotes found; attr. R: correctly attributed / labelled quotes\n")


def sample_statements_table(db_folder: Path) -> None:
    """TRUTH.md's statement table on the sample: each listed quote found with the right speaker,
    and pairwise precision/recall of grouping them into statements."""
    from storylens import export, ingest, open_store

    truth = json.loads((SAMPLE / "truth.json").read_text())
    groups = {
        "pact": (
            "Kasem Darvish",
            [
                ("A1", "no aircraft crosses its sky"),
                ("A2", "no aircraft crosses its sky"),
                ("A3", "no aircraft crosses its sky"),
                ("A4", "no aircraft crosses its sky"),
                ("A5", "no plane enters its airspace"),
            ],
        ),
        "alliance": (
            "Ayub Tarsan",
            [
                ("A1", "lasting alliance"),
                ("A2", "lasting alliance"),
                ("A4", "lasting alliance"),
                ("A7", "lasting alliance"),
            ],
        ),
        "border": (
            "Kasem Darvish",
            [("B1", "corridor for weapons"), ("B3", "corridor for weapons"), ("B2", "road for the weapons")],
        ),
        "water": (
            "Joran Vell",
            [("C1", "faster than anyone expected"), ("C4", "faster than anyone expected")],
        ),
        "children": ("Petra Holm", [("C2", "ten minutes"), ("C3", "ten minutes"), ("C5", "ten minutes")]),
        "wages": (
            "Senna Rook",
            [("D1", "wages that keep up"), ("D3", "wages that keep up"), ("D4", "wages that keep up")],
        ),
        "tax": ("Farah Odell", [("E1", "hurts the poorest"), ("E2", "hurts the poorest")]),
        "data": ("Tomas Weil", [("F1", "failed to protect data"), ("F2", "failed to protect data")]),
        "doorstep": ("Lena Haverkamp", [("A6", "missiles to our doorstep")]),
    }
    copy = db_folder / "sample"
    shutil.copytree(SAMPLE, copy)
    with open_store(db_folder / "sample.db") as store:
        ingest([copy], store, manifest=None)
        document = export(store)
    root = str(copy) + "/"
    by_source = {s.replace(root, ""): a["id"] for a in document["articles"] for s in a["sources"]}
    article_of = {k: by_source[t["source"]] for k, t in truth["articles"].items()}
    names = {e["id"]: e for e in document["entities"]}
    listed = found = attributed = 0
    statement_of = {}
    for group, (speaker, quotes) in groups.items():
        for key, text in quotes:
            listed += 1
            hit = next(
                (q for q in document["quotes"] if q["article_id"] == article_of[key] and text in q["text"]),
                None,
            )
            if hit is None:
                continue
            found += 1
            entity = names.get(hit["speaker_id"])
            attributed += bool(entity and (speaker == entity["name"] or speaker in entity["aliases"]))
            statement_of[(key, text)] = (group, hit["statement_id"])
    pairs = list(combinations(statement_of.values(), 2))
    tp = sum(1 for (g1, s1), (g2, s2) in pairs if g1 == g2 and s1 == s2)
    fp = sum(1 for (g1, s1), (g2, s2) in pairs if g1 != g2 and s1 == s2)
    fn = sum(1 for (g1, s1), (g2, s2) in pairs if g1 == g2 and s1 != s2)
    print(
        f"Sample statements (TRUTH.md): {listed} listed quotes, {found} found, {attributed} with the right speaker"
    )
    print(
        f"statement grouping, pairwise: precision {tp / max(tp + fp, 1):.3f}, recall {tp / max(tp + fn, 1):.3f}\n"
    )


# -- 2. entities ---------------------------------------------------------------------------------


def name_pairs() -> list[tuple[str, str, bool]]:
    pairs = []
    for line in (DATA / "name-pairs.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            a, b, label = line.split("\t")
            pairs.append((split_title(a)[1], split_title(b)[1], label == "same"))
    return pairs


def pr(predictions: list[tuple[bool, bool]]) -> tuple[float, float]:
    tp = sum(p and g for p, g in predictions)
    fp = sum(p and not g for p, g in predictions)
    fn = sum(g and not p for p, g in predictions)
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1)


def names_table() -> None:
    pairs = name_pairs()
    methods = {
        "storylens names_match": names_match,
        "baseline: exact (case-insensitive)": lambda a, b: a.lower() == b.lower(),
        "baseline: fuzzy ratio >= 85": lambda a, b: fuzz.ratio(a.lower(), b.lower()) >= 85,
    }
    positives = sum(g for _, _, g in pairs)
    print(
        f"Person names: {len(pairs)} pairs ({positives} same, {len(pairs) - positives} different), bench/data/name-pairs.tsv"
    )
    print(f"{'method':<40}{'precision':>10}{'recall':>10}{'F1':>8}")
    for name, method in methods.items():
        p, r = pr([(method(a, b), g) for a, b, g in pairs])
        print(f"{name:<40}{p:>10.3f}{r:>10.3f}{2 * p * r / max(p + r, 1e-9):>8.3f}")
    print()


def sample_entities_table(db_folder: Path) -> None:
    """Pairs of surface forms from the sample's TRUTH.md entity table: merged iff one entity."""
    from storylens import export, ingest, open_store

    truth_groups = [
        {"Kasem Darvish", "Ghasem Darvish", "Qasem Darvish", "Darvish"},
        {"Ayub Tarsan", "Ayyoub Tarsan", "Ayub Hamid Tarsan", "Tarsan"},
        {"Black Banner Front", "BBF"},
        {"Idris Malouf"},
        {"Lena Haverkamp", "Haverkamp"},
        {"Farah Odell"},
        {"Tomas Weil", "Weil"},
        {"Senna Rook"},
        {"Joran Vell"},
        {"Petra Holm"},
        {"Ansel Brook"},
        {"Ida Marr"},
        {"Mirela Kost"},
    ]
    with open_store(db_folder / "entities.db") as store:
        ingest([SAMPLE / "corpus"], store)
        document = export(store)
    entity_of = {alias: e["id"] for e in document["entities"] for alias in e["aliases"]}
    forms = [(form, i) for i, group in enumerate(truth_groups) for form in group if form in entity_of]
    predictions = [(entity_of[a] == entity_of[b], ga == gb) for (a, ga), (b, gb) in combinations(forms, 2)]
    p, r = pr(predictions)
    missing = sum(len(g) for g in truth_groups) - len(forms)
    print(
        f"Sample entity merges: {len(forms)} surface forms from TRUTH.md ({missing} never recognised), "
        f"{len(predictions)} pairs: precision {p:.3f}, recall {r:.3f}\n"
    )


# -- 3. throughput -------------------------------------------------------------------------------


def throughput(n: int, db_folder: Path) -> None:
    from storylens import ingest, open_store
    from storylens.pipeline import analyze_store

    source = db_folder / "throughput.jsonl"
    if BASIL.exists():
        records = [json.loads(line) for line in BASIL.read_text().splitlines()]
        label = "basil-dev (real news)"
    else:
        records = [
            json.loads(line)
            for line in (SAMPLE / "corpus/harborwire/wire-2024-2025.jsonl").read_text().splitlines()
        ]
        label = "sample wire texts"
    with open(source, "w") as out:
        for i in range(n):
            record = dict(records[i % len(records)])
            record = {
                "text": record["text"] + f"\n\nReport number {i}.",
                "title": record["title"],
                "url": f"https://x.example/{i}",
            }
            out.write(json.dumps(record) + "\n")
    with open_store(db_folder / "t.db") as store:
        ingest([source], store, understand=False)
        words = sum(a.words for a in store.articles()) / n
        from storylens.understand.embed import load_model
        from storylens.understand.nlp import load_nlp

        load_nlp(), load_model()  # loading once per process is not part of the rate
        start = time.perf_counter()
        analyze_store(store)
        seconds = time.perf_counter() - start
        entities, quotes = len(store.entity_rows()), len(store.quote_rows())
    print(
        f"Throughput of the whole stage on {n} articles of {words:.0f} words ({label}), {os.cpu_count()} cores"
    )
    print(f"{'articles/s':>12}{'seconds':>10}{'entities':>10}{'quotes':>8}{'goal':>8}")
    print(f"{n / seconds:>12.1f}{seconds:>10.1f}{entities:>10}{quotes:>8}{'>30':>8}\n")


def embedding_backends(folder: Path) -> None:
    """torch (what storylens uses) against onnxruntime fp32 and int8 on the same sentences."""
    try:
        import numpy as np
        import onnxruntime as ort
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        print(f"Embedding backends: not measured ({exc})\n")
        return
    import logging
    import warnings

    from encoder_backends import INPUTS, export_onnx

    from storylens.understand.embed import embed, load_model

    warnings.filterwarnings("ignore")  # the ONNX exporter's tracer notes are not results
    logging.getLogger().setLevel(logging.ERROR)
    tokenizer = load_model().tokenizer
    names = list(INPUTS)
    fp32, int8 = export_onnx(folder), folder / "minilm-int8.onnx"
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    texts = [s for line in _corpus_lines() for s in line.split(". ")][:1500]

    def onnx_embed(session, batch_size=32):
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        rows = []
        for i in range(0, len(texts), batch_size):
            batch = [texts[j] for j in order[i : i + batch_size]]
            encoded = tokenizer(batch, padding=True, truncation=True, max_length=128, return_tensors="np")
            hidden = session.run(None, {n: encoded[n].astype(np.int64) for n in names})[0]
            mask = encoded["attention_mask"][..., None]
            vectors = (hidden * mask).sum(1) / mask.sum(1)
            rows.append(vectors / np.linalg.norm(vectors, axis=1, keepdims=True))
        result = np.concatenate(rows)
        back = np.empty_like(result)
        back[np.array(order)] = result
        return back

    start = time.perf_counter()
    reference = embed(texts)
    results = [("torch (storylens)", len(texts) / (time.perf_counter() - start), 1.0, 1.0)]
    for label, file in (("onnxruntime fp32", fp32), ("onnxruntime int8 (dynamic)", int8)):
        options = ort.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        session = ort.InferenceSession(str(file), options, providers=["CPUExecutionProvider"])
        start = time.perf_counter()
        vectors = onnx_embed(session)
        rate = len(texts) / (time.perf_counter() - start)
        agreement = (vectors * reference).sum(1)
        results.append((label, rate, float(agreement.mean()), float(agreement.min())))
    print(f"Embedding backends on {len(texts)} news sentences")
    print(f"{'backend':<30}{'texts/s':>9}{'cos to torch (mean)':>21}{'(min)':>8}")
    for label, rate, mean, low in results:
        print(f"{label:<30}{rate:>9.0f}{mean:>21.4f}{low:>8.4f}")
    print("equal quality means the same vectors (cosine 1.0); int8 changes them\n")


def _corpus_lines() -> list[str]:
    if BASIL.exists():
        return [json.loads(line)["text"] for line in BASIL.read_text().splitlines()]
    return [
        json.loads(line)["text"]
        for line in (SAMPLE / "corpus/harborwire/wire-2024-2025.jsonl").read_text().splitlines()
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=300)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="storylens-understand-"))
    try:
        quotes_table()
        polnear_table()
        sample_statements_table(folder)
        names_table()
        sample_entities_table(folder)
        throughput(args.articles, folder)
        embedding_backends(folder)
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
