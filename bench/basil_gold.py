"""The comparison gold on basil-dev, written by reading the articles (bench/data/basil_compare.tsv).

    .venv/bin/python bench/basil_gold.py events             # the events of each set, in order
    .venv/bin/python bench/basil_gold.py show EVENT         # an event's articles, numbered by sentence
    .venv/bin/python bench/basil_gold.py build NOTES.tsv... # readers' notes -> bench/data/basil_compare.tsv
    .venv/bin/python bench/basil_gold.py add NOTES.tsv...   # notes on events not yet in it, appended

basil-dev's texts stay out of the repository: readers write notes that name sentences by number
(article id and sentence number, as `show` prints them); `build` replaces each number by a hash
of the sentence's whitespace-normalised text, which bench/compare.py finds again by splitting
the article the same way. The splitter below is deliberately plain (paragraphs, then sentence
ends outside a short list of abbreviations) and owes nothing to storylens, so that the gold does
not move when storylens does.

Sets (basil-dev events in sorted order of their id): the first 12 are the older citation gold
(bench/data/basil_citations.tsv); the next 20 are the report set of this gold; the remaining 18
are the tuning set, the only one on which comparison rules and thresholds may be chosen.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "data" / "basil-dev" / "basil-dev.jsonl"
GOLD = ROOT / "bench" / "data" / "basil_compare.tsv"

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "sen", "sens", "rep", "reps", "gov", "gen", "lt", "col", "sgt", "capt",
    "st", "jr", "sr", "mt", "ft", "no", "vs", "v", "inc", "corp", "co", "ltd", "jan", "feb", "mar",
    "apr", "aug", "sept", "sep", "oct", "nov", "dec", "u.s", "u.n", "u.k", "d.c", "a.m", "p.m", "e.g",
    "i.e", "prof", "rev", "pres", "gens", "adm", "cmdr", "supt", "dept", "est", "approx", "ave",
}  # fmt: skip
END = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")


def sentences(text: str) -> list[str]:
    """The article's sentences, whitespace-normalised: paragraphs, then sentence ends."""
    found = []
    for paragraph in re.split(r"\n\s*\n", text):
        paragraph = " ".join(paragraph.split())
        start = 0
        for match in END.finditer(paragraph):
            before = paragraph[start : match.start() + 1]
            word = re.search(r"([\w.]+)\.$", before)
            if word and (word.group(1).lower() in ABBREVIATIONS or re.fullmatch(r"[A-Z]", word.group(1))):
                continue
            found.append(paragraph[start : match.end()].strip())
            start = match.end()
        if paragraph[start:].strip():
            found.append(paragraph[start:].strip())
    return found


HEADER = [
    "# Comparison gold for basil-dev events, written by reading the articles alone (bench/basil_gold.py).",  # noqa: E501
    "# Sentences are ARTICLE:HASH (sha1 of the whitespace-normalised sentence, 16 hex digits); no text.",
    "# sentence EVENT ARTICLE:HASH FACTS   the facts a sentence states (ids local to the event; - for none)",  # noqa: E501
    "# central  EVENT FACT                  the story's central event (who did what, when)",
    "# outcome  EVENT FACT                  a major outcome or development a summary should carry",
    "# disagree EVENT ARTICLE:HASH ARTICLE:HASH KIND   the same happening told differently (number|date|actor|other)",  # noqa: E501
    "# framing  EVENT ARTICLE TERM          a loaded word or phrase of this article that the others word differently",  # noqa: E501
    "# label    EVENT REFERENT ARTICLE TERM how this article names a referent the articles name differently",  # noqa: E501
]


def key(sentence: str) -> str:
    return hashlib.sha1(" ".join(sentence.split()).encode()).hexdigest()[:16]


def rows() -> list[dict]:
    return [json.loads(line) for line in SOURCE.read_text().splitlines() if line.strip()]


def event_sets() -> dict[str, list[str]]:
    events = sorted({r["cluster"] for r in rows()})
    return {"citations": events[:12], "report": events[12:32], "tuning": events[32:]}


def show(event: str) -> None:
    for row in sorted((r for r in rows() if r["cluster"] == event), key=lambda r: r["id"]):
        print(f"=== {row['id']}  {row['outlet']}  {row['published']}\n    TITLE: {row['title']}")
        for n, sentence in enumerate(sentences(row["text"]), 1):
            print(f"  {n:3d}  {sentence}")
        print()


def build(notes: list[Path]) -> None:
    """Notes rows (tab-separated, '#' comments) name sentences as ARTICLE_ID:N; each becomes
    ARTICLE_ID:HASH. Everything else is copied as written."""
    out = HEADER + hashed(notes)
    GOLD.write_text("\n".join(out) + "\n")
    print(f"wrote {GOLD} ({len(out)} lines)")


def add(notes: list[Path]) -> None:
    """Append notes on events the gold does not hold yet (a later reading); an event already in
    it is refused, so that no reading is mixed with another."""
    lines = GOLD.read_text().splitlines()
    present = {line.split("\t")[1] for line in lines if not line.startswith("#") and "\t" in line}
    new = hashed(notes)
    again = sorted({row.split("\t")[1] for row in new} & present)
    if again:
        sys.exit(f"already in {GOLD.name}: {', '.join(again)}")
    GOLD.write_text("\n".join(lines + new) + "\n")
    print(f"added {len(new)} lines on {len({row.split(chr(9))[1] for row in new})} events to {GOLD}")


def hashed(notes: list[Path]) -> list[str]:
    text_of = {r["id"]: sentences(r["text"]) for r in rows()}
    out = []
    for path in notes:
        for line in path.read_text().splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            for i, value in enumerate(fields):
                match = re.fullmatch(r"(basil-[\w-]+_\d+):(\d+)", value.strip())
                if match:
                    article, n = match.group(1), int(match.group(2))
                    fields[i] = f"{article}:{key(text_of[article][n - 1])}"
            out.append("\t".join(f.strip() for f in fields))
    return out


def main() -> None:
    command, *args = sys.argv[1:] or ["events"]
    if command == "events":
        for name, events in event_sets().items():
            print(name, " ".join(events))
    elif command == "show":
        for event in args:
            show(event)
    elif command == "build":
        build([Path(a) for a in args])
    elif command == "add":
        add([Path(a) for a in args])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
