"""Who said what on real news: storylens's quotes against PolNeAR's attributions (polnear-dev).

    .venv/bin/python bench/polnear.py

Read in place from ../shared/data/polnear-dev (evaluation only: its text never enters the
repository). The 504 articles are split in file order, alternately: even positions are the
development half (the quote rules were written and tuned looking at it), odd positions the report
half (not looked at). Figures are printed for both halves and the whole, beside a baseline run in
the same process: text between quotation marks, speaker = the nearest person named before it.

- direct/mixed recall: gold attributions whose content is a quotation (PolNeAR's heuristic
  `kind` direct or mixed) of which the found quotes cover at least half (by characters).
- precision: found quotes lying mostly (half their characters) inside a gold attribution of any
  kind; quotes (direct and mixed, in quotation marks) and reported speech apart.
- speaker (named): found direct/mixed quotes whose gold source span names someone (a capitalised
  word the corpus does not also write in lower case): right when the surname agrees.
- speaker (pronoun): the same where the gold source is a pronoun, scored against CoreNLP's
  coreference (PROVENANCE.md: a hint, not gold).
- reported recall: gold attributions of kind indirect, found the same way.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLNEAR = ROOT.parent / "shared" / "data" / "polnear-dev" / "polnear-dev.jsonl"
sys.path.insert(0, str(ROOT))

from storylens.model import Article  # noqa: E402
from storylens.understand import analyze  # noqa: E402

HALVES = ("development", "report")
# Baseline marks: double quotes of every kind and the doubled apostrophes of the NYT's text.
MARKED = re.compile(r"(?:\u201c|\"|''|``)([^\n]+?)(?:\u201d|\"|'')")
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "his", "her", "their", "its", "our"}


def records() -> list[dict]:
    return [json.loads(line) for line in POLNEAR.read_text(encoding="utf-8").splitlines()]


def half_of(position: int) -> str:
    return HALVES[position % 2]


def common_words(texts: list[str]) -> set[str]:
    """Lower-cased words the corpus writes in lower case at least as often as capitalised."""
    lower, upper = Counter(), Counter()
    for text in texts:
        for word in re.findall(r"[A-Za-z]+", text):
            (upper if word[0].isupper() else lower)[word.lower()] += 1
    return {w for w, n in lower.items() if n >= upper[w]} | _DETERMINERS


def surname(text: str | None, common: set[str]) -> str | None:
    """The name a speaker phrase ends on, before any apposition or "of ..." ("Joel Pollak of X"),
    or None when it ends on a common word ("the state senator", "the mayor's campaign")."""
    if not text:
        return None
    head = re.split(r",|\(| who | which |\u2014| - ", text)[0]
    for joint in (" of ", " at ", " from ", " in ", " for "):
        before = head.split(joint)[0].split()
        if joint in head and before and _name_word(before[-1], common):
            head = " ".join(before)
    words = head.split()
    last = _name_word(words[-1], common) if words else None
    return last.lower() if last else None


def _name_word(word: str, common: set[str]) -> str | None:
    word = re.sub(r"(?:['\u2019]s?|[.,;:])$", "", word)
    if not word[:1].isupper() or word.lower() in common or len(word) < 2:
        return None
    return word


def articles_of(recs: list[dict]) -> list[Article]:
    # The text's paragraphs as they are (headline first), so offsets match the gold.
    return [
        Article(r["id"], r["id"], r["outlet"], "", None, None, "en", None, r["text"].split("\n\n"))
        for r in recs
    ]


def storylens_predictions(recs: list[dict], analyses) -> list[list[tuple[int, int, str, list[str]]]]:
    """Per article, (start, end, form, speaker's names) of every quote storylens finds: the names
    of the entity it resolved the speaker to, else the speaker as written."""
    found = []
    for analysis in analyses:
        names = {e.index: e.names for e in analysis.entities}
        found.append(
            [
                (q.start, q.end, q.form, names.get(q.speaker_local) or [q.speaker_text])
                for q in analysis.quotes
            ]
        )
    return found


def baseline_predictions(recs: list[dict], analyses) -> list[list[tuple[int, int, str, list[str]]]]:
    """Text between quotation marks; speaker = the nearest person named before the quote (with
    the names of that person's entity, as for storylens)."""
    found = []
    for r, analysis in zip(recs, analyses, strict=True):
        people = [m for m in analysis.mentions if m.type == "PERSON"]
        names = {e.index: e.names for e in analysis.entities}
        quotes = []
        for match in MARKED.finditer(r["text"]):
            before = [m for m in people if m.end <= match.start()]
            speaker = names.get(before[-1].local, [before[-1].name]) if before else [None]
            quotes.append((match.start(1), match.end(1), "direct", speaker))
        found.append(quotes)
    return found


def _pieces(gold: dict) -> list[tuple[int, int]]:
    return [tuple(f) for f in gold.get("fragments") or [(gold["start"], gold["end"])]]


def _overlap(start: int, end: int, pieces) -> int:
    return sum(max(0, min(end, e) - max(start, s)) for s, e in pieces)


def _overlap_union(spans, pieces) -> int:
    """Characters of the gold pieces covered by any of the spans."""
    covered = 0
    for s, e in pieces:
        marks = sorted((max(a, s), min(b, e)) for a, b in spans if a < e and s < b)
        reach = s
        for a, b in marks:
            covered += max(0, b - max(a, reach))
            reach = max(reach, b)
    return covered


def score(recs: list[dict], predictions, common: set[str]) -> dict[str, list[int]]:
    """Counts [hits, total] per measure, summed over the articles."""
    counts = {k: [0, 0] for k in ("recall", "prec_quotes", "speaker", "pronoun", "reported", "prec_reported")}
    for r, predicted in zip(recs, predictions, strict=True):
        golds = [(g, _pieces(g)) for g in r["quotes"]]
        for start, end, form, _ in predicted:
            inside = any(2 * _overlap(start, end, p) >= end - start for _, p in golds)
            key = "prec_reported" if form == "reported" else "prec_quotes"
            counts[key][0] += inside
            counts[key][1] += 1
        for gold, pieces in golds:
            size = sum(e - s for s, e in pieces)
            covered = _overlap_union([(p[0], p[1]) for p in predicted], pieces)
            best = max(predicted, key=lambda p: _overlap(p[0], p[1], pieces), default=None)
            hit = 2 * covered >= size
            if gold["kind"] == "indirect":
                counts["reported"][0] += hit
                counts["reported"][1] += 1
                continue
            counts["recall"][0] += hit
            counts["recall"][1] += 1
            expected = surname(gold["speaker_resolved"], common)
            if not hit or expected is None:
                continue
            key = "pronoun" if gold["speaker_resolved_auto"] else "speaker"
            counts[key][0] += any(surname(name, common) == expected for name in best[3])
            counts[key][1] += 1
    return counts


COLUMNS = (
    ("recall", "dm R"),
    ("prec_quotes", "P quo"),
    ("prec_reported", "P rep"),
    ("speaker", "spk"),
    ("pronoun", "spk(pr)"),
    ("reported", "rep R"),
)


def _row(label: str, counts: dict[str, list[int]]) -> str:
    cells = "".join(
        f"{(counts[k][0] / counts[k][1]) if counts[k][1] else float('nan'):>9.3f}" for k, _ in COLUMNS
    )
    return f"{label:<52}{cells}"


def _sum(parts: list[dict[str, list[int]]]) -> dict[str, list[int]]:
    return {k: [sum(p[k][0] for p in parts), sum(p[k][1] for p in parts)] for k, _ in COLUMNS}


def polnear_table() -> None:
    if not POLNEAR.exists():
        print(f"PolNeAR: {POLNEAR} absent, not measured\n")
        return
    recs = records()
    common = common_words([r["text"] for r in recs])
    outlets = sorted({r["outlet"] for r in recs})
    gold = Counter(q["kind"] for r in recs for q in r["quotes"])
    print(
        f"Quotes on real news: polnear-dev, {len(recs)} articles of {len(outlets)} outlets, "
        f"{gold['direct'] + gold['mixed']} direct/mixed and {gold['indirect']} reported attributions"
    )
    print("rules chosen on the development half (even positions); the report half was not looked at")
    print(f"{'method / half / outlet':<52}" + "".join(f"{h:>9}" for _, h in COLUMNS))
    analyses = analyze(articles_of(recs))
    for method, predict in (("storylens", storylens_predictions), ("baseline", baseline_predictions)):
        predictions = predict(recs, analyses)
        per = {}  # (half, outlet) -> counts
        for i, (r, p) in enumerate(zip(recs, predictions, strict=True)):
            per.setdefault((half_of(i), r["outlet"]), []).append(score([r], [p], common))
        per = {k: _sum(v) for k, v in per.items()}
        for half in HALVES:
            for outlet in outlets:
                print(_row(f"{method} / {half} / {outlet}", per[(half, outlet)]))
            print(_row(f"{method} / {half} / all", _sum([per[(half, o)] for o in outlets])))
        for outlet in outlets:
            print(_row(f"{method} / both halves / {outlet}", _sum([per[(h, outlet)] for h in HALVES])))
        print(_row(f"{method} / both halves / all", _sum(list(per.values()))))
    print(
        "dm R: direct/mixed recall; P quo / P rep: precision of quotes (direct, mixed) / reported\n"
        "speech; spk: right speaker where the gold names one; spk(pr): gold pronoun, against CoreNLP\n"
        "coref (a hint); rep R: reported-speech recall.\n"
        "Goals: dm R >= 0.90 per outlet, P >= 0.95, spk >= 0.90, rep R >= 0.50\n"
    )


if __name__ == "__main__":
    polnear_table()
