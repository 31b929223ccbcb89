"""Per-story framing terms judged by a reader who could not tell which rule showed them.

    .venv/bin/python bench/framing_judged.py items OUT.tsv     # the terms to judge (not in the repo)
    .venv/bin/python bench/framing_judged.py score [--db DB]   # both rules against the verdicts
    .venv/bin/python bench/framing_judged.py items OUT.tsv --set tuning   # the tuning events' terms
    .venv/bin/python bench/framing_judged.py score --set tuning           # against their verdicts

Label entries (one referent, different words) are judged the same way (bench/data/labels_judged.tsv:
a reader saw each entry's phrases with a sentence of each outlet, and marked whether they name one
referent), by a hash of event|referent.

On basil-dev's report set (bench/basil_gold.py), every term that either rule shows as an outlet's
framing of a story is pooled and shuffled: the log-odds rule (framing.distinctive, z >= 1.96,
the rule before) and the loaded-words rule (framing.loaded_terms, the rule now). A reader (a helper
that saw only the shuffled terms, each with one sentence of its article) marked each one real
framing (loaded or evaluative wording) or not. bench/data/framing_judged.tsv keeps the verdicts by
a hash of (event, outlet, term): no text of basil-dev. A term a later rule shows that was never
judged is counted apart ("unjudged"). LOADED was chosen on the tuning set, never on this one.

The tuning set (`--set tuning`: basil-dev's events outside the report set, those of the citation
gold and of the comparison's tuning set) was judged the same way, later and by another reader
(bench/data/framing_judged_tuning.tsv), over a wider pool: the terms of the loaded-words rule with
a lower bar (absolute valence 1.5, twelve an outlet), so that rules showing more or fewer terms can
be chosen on it. The report set's verdicts are only read to report.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from basil_gold import SOURCE, event_sets, rows  # noqa: E402

from storylens.compare import framing  # noqa: E402
from storylens.compare.facts import source_of  # noqa: E402
from storylens.compare.framing import distinctive, loaded_terms, ngrams  # noqa: E402
from storylens.pipeline import compare_articles, ingest  # noqa: E402
from storylens.store import open_store  # noqa: E402

VERDICTS = ROOT / "bench" / "data" / "framing_judged.tsv"
TUNING_VERDICTS = ROOT / "bench" / "data" / "framing_judged_tuning.tsv"
WIDE_BAR, WIDE_TOP = 1.5, 12  # the tuning pool: loaded words from this valence, this many an outlet
LABEL_VERDICTS = ROOT / "bench" / "data" / "labels_judged.tsv"
NOUN_VERDICTS = ROOT / "bench" / "data" / "framing_judged_s48_nouns.tsv"


def term_key(event: str, outlet: str, term: str) -> str:
    return hashlib.sha1(f"{event}|{outlet}|{term}".encode()).hexdigest()[:16]


def labels_shown(store, articles_of) -> list[str]:
    """The key of every label entry shown on the report set: sha1 of event|its referent."""
    return [
        hashlib.sha1(f"{event}|{entry['entity']}".encode()).hexdigest()[:16]
        for event in event_sets()["report"]
        for entry in compare_articles(store, articles_of[event]).labels
    ]


def events_of(which: str) -> list[str]:
    sets = event_sets()
    return sets["report"] if which == "report" else sets["citations"] + sets["tuning"]


def wide_terms(counts) -> dict[str, list[tuple[str, float]]]:
    """The tuning pool's rule: loaded words from WIDE_BAR, WIDE_TOP an outlet."""
    bar = framing.LOADED
    framing.LOADED = WIDE_BAR
    try:
        return loaded_terms(counts, top=WIDE_TOP)
    finally:
        framing.LOADED = bar


def shown(store, articles_of, which: str = "report") -> dict[tuple[str, str, str], dict]:
    """(event, outlet, term) -> the rules that show it and a sentence of the outlet that has it."""
    found: dict[tuple[str, str, str], dict] = {}
    for event in events_of(which):
        comparison = compare_articles(store, articles_of[event])
        claims = sorted((c for f in comparison.facts for c in f.claims), key=lambda c: c.position)
        rules = ([("log-odds", distinctive(comparison.term_counts))] if which == "report" else []) + [
            ("loaded words", comparison.framing)
        ]
        if which == "tuning":
            rules.append(("wide", wide_terms(comparison.term_counts)))
        for rule, framing_of in rules:
            for outlet, terms in framing_of.items():
                for term, _ in terms:
                    item = found.setdefault((event, outlet, term), {"rules": set(), "sentence": ""})
                    item["rules"].add(rule)
                    item["sentence"] = item["sentence"] or next(
                        (c.text for c in claims if source_of(c) == outlet and term in ngrams(c.tokens, {})),
                        "",
                    )
    return found


def main() -> None:
    if not SOURCE.exists():
        print("basil-dev is absent (../shared/data/basil-dev): skipped")
        return
    by_id = {r["id"]: r for r in rows()}
    kept = Path(sys.argv[sys.argv.index("--db") + 1]) if "--db" in sys.argv else None
    with tempfile.TemporaryDirectory() as tmp, open_store(kept or Path(tmp) / "basil.db") as store:
        feed = Path(tmp) / "basil.jsonl"
        feed.write_text(
            "".join(
                json.dumps({k: r[k] for k in ("title", "text", "published", "outlet", "url")}) + "\n"
                for r in by_id.values()
            )
        )
        ingest([feed], store)
        by_url = {r["url"]: r["id"] for r in by_id.values()}
        articles_of: dict[str, list[str]] = defaultdict(list)
        for aid, url in sorted(store.article_urls().items()):
            articles_of[by_id[by_url[url]]["cluster"]].append(aid)
        which = sys.argv[sys.argv.index("--set") + 1] if "--set" in sys.argv else "report"
        found = shown(store, articles_of, which)
        labels = labels_shown(store, articles_of) if which == "report" else []
    if sys.argv[1:2] == ["items"]:
        keys = list(found)
        random.Random(7).shuffle(keys)
        with open(sys.argv[2], "w") as out:
            out.write("key\toutlet\tterm\tsentence\n")
            for event, outlet, term in keys:
                sentence = found[event, outlet, term]["sentence"]
                out.write(f"{term_key(event, outlet, term)}\t{outlet}\t{term}\t{sentence}\n")
        return
    lines = (VERDICTS if which == "report" else TUNING_VERDICTS).read_text().splitlines()
    if which == "report":  # the terms version 106's loaded nouns add, judged in session 48
        lines += NOUN_VERDICTS.read_text().splitlines()
    verdicts = dict(line.split("\t")[:2] for line in lines if line and not line.startswith("#"))
    print(f"basil-dev {which} set: per-story framing terms, judged blind")
    for rule in ("log-odds", "loaded words") if which == "report" else ("loaded words", "wide"):
        keys = [term_key(*k) for k, item in found.items() if rule in item["rules"]]
        judged = [verdicts[k] == "1" for k in keys if k in verdicts]
        print(
            f"  {rule:14s} real framing {sum(judged) / max(1, len(judged)):.3f} ({sum(judged)}/{len(judged)})"
            f"  unjudged {len(keys) - len(judged)}"
        )
    if which != "report":
        return
    lines = LABEL_VERDICTS.read_text().splitlines()
    verdicts = dict(line.split("\t")[:2] for line in lines if line and not line.startswith("#"))
    judged = [verdicts[k] == "1" for k in labels if k in verdicts]
    print(
        f"  labels: entries naming one referent {sum(judged) / max(1, len(judged)):.3f}"
        f" ({sum(judged)}/{len(judged)})  unjudged {len(labels) - len(judged)}"
    )


if __name__ == "__main__":
    main()
