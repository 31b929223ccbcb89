"""The disagreement list on crime reports, against a helper's reading of what it listed.

    .venv/bin/python bench/disagreements.py [--db KEPT.db]

Input: ../shared/data/gva-dev (1,917 local articles on 1,154 gun-violence incidents), given to
`storylens ingest` as JSONL (title, text, published, outlet, url); each gold incident of two
articles or more is compared as one story (so that the figures measure the comparison, not the
clustering). --db KEPT.db: a store this script ingested before (ingesting takes minutes).

Every pair the story lists (`disagreements`) is looked up in bench/data/gva_disagreements.tsv:
pairs of claims a helper judged in session 28, reading only the two sentences with their dates
and outlets (not why storylens paired them): "real" (one thing told differently, a figure that
changed between reports included) or "no". The file keeps a hash of each claim's text, not the
text. Printed: pairs listed, judged real / judged / not judged, by reason, and the claims shown beside
a pair as telling one of its wordings too (`also`, each paired with the other wording); the summary sentences
marked as told otherwise; and, in the same run, the first form of the list (every two facts'
closest disagreeing pair, a claim listed again against each of another article's claims). Each
figure also by half of the incidents (half A: an even sha1 of the incident's id, where session 35
chose its count rules; half B: the rest, never read to choose a rule).

Recall, against a gold written by reading (bench/data/gva_disagreement_gold.tsv, session 40: 40
incidents drawn at random, every pair of sentences of two articles telling one thing differently,
written by blind helpers before storylens's list was matched to it): the gold pairs a listed pair of
claims lies in (each claim inside one of the two sentences), by kind, for storylens's list and the
first form; and the share of the pairs listed on those incidents that lie in a gold pair; and by
disagreement (a listed pair between the gold pair's two articles, of a kind its reason may show,
with a claim inside one of the sentences telling it). Name spellings the gold keeps apart and
counts in neither. A second gold written the same way on 40 more incidents
(bench/data/gva_disagreement_dev.tsv) is the set to choose rules on.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import storylens.compare as C  # noqa: E402
from storylens.pipeline import compare_articles, ingest  # noqa: E402
from storylens.store import open_store  # noqa: E402

SOURCE = ROOT.parent / "shared" / "data" / "gva-dev" / "gva-dev.jsonl"
JUDGED = ROOT / "bench" / "data" / "gva_disagreements.tsv"
READ = ROOT / "bench" / "data" / "gva_disagreement_gold.tsv"
DEV = ROOT / "bench" / "data" / "gva_disagreement_dev.tsv"  # 40 more incidents, to choose rules on


def text_key(text: str) -> str:
    """How the judged file names a claim without copying it."""
    return hashlib.sha1(" ".join(text.split()).encode()).hexdigest()[:16]


def pair_key(texts) -> frozenset[str]:
    return frozenset(text_key(t) for t in texts)


def judged() -> dict[frozenset[str], str]:
    found = {}
    for line in JUDGED.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            a, b, label = line.split("\t")[:3]
            found[frozenset((a, b))] = label
    return found


def read_gold(rows: list[dict], path: Path = READ) -> tuple[list[str], list[dict]]:
    """The incidents the gold read (in its order: the first helper's 20, then the second's), and
    its pairs: each sentence's text taken from gva-dev by its row id and offsets (checked against
    the kept hash), its kind and whether the figure changed."""
    text_of = {r["id"]: r["text"] for r in rows}
    incidents: dict[str, None] = {}
    pairs = []
    for line in path.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, event, *rest = line.split("\t")
        incidents[event] = None
        if kind != "pair":
            continue
        texts = []
        for row, start, end, digest in (rest[0:4], rest[4:8]):
            text = text_of[row][int(start) : int(end)]
            if text_key(text) != digest:
                raise SystemExit(f"gva-dev differs from the gold's copy at {row} {start}-{end}")
            texts.append(text)
        pairs.append(
            {
                "event": event,
                "texts": texts,
                "rows": [rest[0], rest[4]],
                "kind": rest[8],
                "changed": rest[9] == "yes",
            }
        )
    return list(incidents), pairs


def plain(text: str) -> str:
    """Text as the gold and a claim are matched: lower case, straight quotes, one space."""
    return " ".join(text.lower().translate(str.maketrans("’‘“”", "''\"\"")).split()).strip(" .,;")


def lies_in(entry: dict, pair: dict) -> bool:
    """Whether a listed pair of claims lies in a gold pair of sentences: each claim inside one
    sentence (or the sentence inside the claim), the two claims in the two sentences."""
    a, b = (plain(c["text"]) for c in entry["claims"])
    x, y = (plain(t) for t in pair["texts"])

    def inside(claim: str, sentence: str) -> bool:
        return bool(claim) and (claim in sentence or sentence in claim)

    return (inside(a, x) and inside(b, y)) or (inside(a, y) and inside(b, x))


# The gold's kinds a listed pair may show, by why storylens lists it.
KINDS_OF = {
    "different counts": {"count", "happened"},
    "an arrest since": {"count", "happened"},
    "a death since": {"count", "happened"},
    "different addresses": {"where"},
    "different times of day": {"when"},
    "different ages": {"age"},
    "different figures of one thing": {"count", "age", "where"},
    "one figure at different times": {"count", "when"},
    "different times": {"when"},
    "different actors": {"who"},
    "opposite polarity or modality": {"happened", "count"},
}


def units_of(pairs: list[dict]) -> dict[tuple, list[dict]]:
    """The gold's pairs by disagreement: (incident, its two articles, kind) -> the pairs telling it
    (a helper wrote one line per pair of sentences, so one disagreement may hold several)."""
    units: dict[tuple, list[dict]] = defaultdict(list)
    for pair in pairs:
        units[(pair["event"], frozenset(pair["rows"]), pair["kind"])].append(pair)
    return units


def shows(entry: dict, unit: tuple, told: list[dict]) -> bool:
    """Whether a listed pair shows a disagreement of the gold: between its two articles, a why that
    may show its kind, and a claim inside one of the sentences telling it, on that claim's side."""
    event, rows, kind = unit
    if entry["event"] != event or set(entry["rows"]) != rows or kind not in KINDS_OF.get(entry["why"], ()):
        return False
    sentences = {
        (row, plain(text)) for pair in told for row, text in zip(pair["rows"], pair["texts"], strict=True)
    }
    claims = [(row, plain(c["text"])) for row, c in zip(entry["rows"], entry["claims"], strict=True)]
    return any(
        row == side and (claim in sentence or sentence in claim)
        for row, claim in claims
        for side, sentence in sentences
    )


def print_recall(rows: list[dict], entries_by_name: dict[str, list[dict]]) -> None:
    """Recall against the golds written by reading: the first (all 40 incidents; its first helper's
    20, where session 40 chose rules; its second's 20, never read to choose one) and the second,
    written to choose rules on (DEV)."""
    incidents, pairs = read_gold(rows)
    dev_incidents, dev_pairs = read_gold(rows, DEV)
    pairs += dev_pairs
    for part, chosen in (
        ("all 40", incidents),
        ("first 20", incidents[:20]),
        ("last 20 (chose no rule)", incidents[20:]),
        ("dev, 40 more (to choose rules on)", dev_incidents),
    ):
        counted = [p for p in pairs if p["kind"] != "spelling" and p["event"] in chosen]
        kinds = Counter(p["kind"] for p in counted)
        spellings = sum(p["kind"] == "spelling" and p["event"] in chosen for p in pairs)
        print(
            f"  gold written by reading, {part}: {len(chosen)} incidents, {len(counted)} pairs telling one "
            f"thing differently ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}; "
            f"{spellings} name spellings apart)"
        )
        for name, entries in entries_by_name.items():
            mine = [e for e in entries if e["event"] in chosen]
            found = [p for p in counted if any(e["event"] == p["event"] and lies_in(e, p) for e in mine)]
            right = [e for e in mine if any(e["event"] == p["event"] and lies_in(e, p) for p in counted)]
            by_kind, share = Counter(p["kind"] for p in found), len(found) / max(1, len(counted))
            print(
                f"    {name}: recall {share:.3f} ({len(found)} of {len(counted)}: "
                f"{', '.join(f'{k} {by_kind[k]}' for k in sorted(kinds))}); "
                f"pairs listed there {len(mine)}, in a gold pair {len(right)}"
            )
            units = units_of(counted)
            shown = [u for u, told in units.items() if any(shows(e, u, told) for e in mine)]
            showing = sum(any(shows(e, u, t) for u, t in units.items()) for e in mine)
            print(
                f"      by disagreement (incident, two articles, kind): {len(shown)} of {len(units)} shown; "
                f"pairs listed there showing one {showing}"
            )


def placed(entry: dict, event: str, row_of: dict[str, str]) -> dict:
    """A listed pair with its incident, the incident's half and its claims' gva-dev row ids."""
    rows = [row_of[c["article_id"]] for c in entry["claims"]]
    return {**entry, "half": half(event), "event": event, "rows": rows}


def half(event: str) -> str:
    """ "A" or "B": which half of gva-dev's incidents (an even or odd sha1 of the id) it is in."""
    return "A" if int(hashlib.sha1(str(event).encode()).hexdigest(), 16) % 2 == 0 else "B"


def first_form_spy(found: list[dict]):
    """compare_story's disagreements(), which also lists in `found` the first form of the list
    (a claim listed again against each claim of another article), as the same run's baseline."""
    listed = C.disagreements

    def spy(facts, claims, similarity, pairs):
        found.extend(listed(facts, claims, similarity, pairs, once=False))
        return listed(facts, claims, similarity, pairs)

    return spy


def main() -> None:
    if not SOURCE.exists():
        print("gva-dev is absent (../shared/data/gva-dev): skipped")
        return
    rows = [json.loads(line) for line in SOURCE.read_text().splitlines() if line.strip()]
    event_of = {r["url"]: r["event"] for r in rows}
    row_id = {r["url"]: r["id"] for r in rows}
    labels = judged()
    kept = Path(sys.argv[sys.argv.index("--db") + 1]) if "--db" in sys.argv else None
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "gva.jsonl"
        feed.write_text(
            "".join(
                json.dumps({k: r[k] for k in ("title", "text", "published", "outlet", "url")}) + "\n"
                for r in rows
            )
        )
        with open_store(kept or Path(tmp) / "gva.db") as store:
            ingest([feed], store)
            groups: dict[str, list[str]] = defaultdict(list)
            row_of = {aid: row_id[url] for aid, url in store.article_urls().items()}
            for aid, url in store.article_urls().items():
                groups[event_of[url]].append(aid)
            events = sorted(e for e, ids in groups.items() if len(ids) >= 2)
            listed, first, marked, told, with_any = [], [], 0, 0, 0
            C.disagreements = first_form_spy(first)
            for event in events:
                before = len(first)
                comparison = compare_articles(store, sorted(groups[event]))
                listed += [placed(entry, event, row_of) for entry in comparison.disagreements]
                first[before:] = [placed(entry, event, row_of) for entry in first[before:]]
                with_any += bool(comparison.disagreements)
                told += len(comparison.summary)
                marked += sum(bool(s.differs) for s in comparison.summary)
    print(f"gva-dev: {len(events)} incidents of two articles or more, compared one by one")
    print(f"  incidents with a disagreement listed: {with_any}")
    for name, entries in (("storylens", listed), ("first form (same run)", first)):
        tally: dict[str, Counter] = defaultdict(Counter)
        for entry in entries:
            label = labels.get(pair_key(c["text"] for c in entry["claims"]), "not judged")
            kinds = ("all", f"half {entry['half']}", entry["why"])
            for kind in (*kinds, "told on different days" if entry["changed"] else "same day"):
                tally[kind][label] += 1
            for alike in entry.get("also", []):  # a claim told alike, beside one against the other side's
                other = entry["claims"][1 - alike["side"]]["text"]
                tally["beside a pair (also)"][labels.get(pair_key((alike["text"], other)), "not judged")] += 1
        print(f"  {name}: {len(entries)} pairs listed")
        print(f"    {'':<34} {'real':>5} {'no':>5} {'not judged':>11}  precision (judged)")
        for kind, counts in sorted(
            tally.items(), key=lambda kv: (kv[0] != "all", not kv[0].startswith("half"), kv[0])
        ):
            judged_n = counts["real"] + counts["no"]
            share = f"{counts['real'] / judged_n:.3f}" if judged_n else "-"
            print(f"    {kind:<34} {counts['real']:>5} {counts['no']:>5} {counts['not judged']:>11}  {share}")
    print(f"  summary sentences marked as told otherwise: {marked} of {told}")
    print_recall(rows, {"storylens": listed, "first form (same run)": first})


if __name__ == "__main__":
    main()
