"""The day a summary sentence's weekday stands for, against a gold written by reading.

    .venv/bin/python bench/weekdays.py [--db KEPT.db]

Gold: bench/data/weekday_days.tsv (session 46): 60 weekdays that comparison version 84 named in
summary sentences (gva-dev 40, basil-dev 20), each read by a blind helper with the sentence's whole
article and its publication day, who wrote the calendar day it stands for.

The gold's articles are ingested into a store of their own (--db KEPT.db: one this script filled
before); each sentence's claim is read as the comparison reads it (claims_of) and its weekday named
as the summary names it (dated.with_days). Printed, by corpus: the weekdays named the reader's day,
named another, left unnamed; beside the same run's baseline, the last such weekday on or before
the publication day.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storylens.compare.claims import claims_of  # noqa: E402
from storylens.compare.dated import with_days, written  # noqa: E402
from storylens.compare.dates import WEEKDAYS, publication_day  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from referents import prepared, stored_items  # noqa: E402

GOLD = ROOT / "bench" / "data" / "weekday_days.tsv"


def read_gold(texts: dict[str, str]) -> list[dict]:
    items = []
    for line in GOLD.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        item, corpus, row, start, end, digest, weekday, nth, day = line.split("\t")
        sentence = texts[row][int(start) : int(end)]
        if hashlib.sha1(" ".join(sentence.split()).encode()).hexdigest()[:16] != digest:
            raise SystemExit(f"{row} differs from the gold's copy at {start}-{end}")
        items.append({"item": item, "corpus": corpus, "row": row, "sentence": sentence, "weekday": weekday})
        items[-1] |= {"nth": int(nth), "day": day}
    return items


def named(text: str, weekday: str, nth: int) -> str | None:
    """The bracket after the nth `weekday` of a text with_days() named, or None."""
    found = list(
        re.finditer(
            rf"\b{weekday}\b(?: (?:morning|afternoon|evening|night))?(?:['’]s)?(?: \[([^\]]+)\])?", text
        )
    )
    return found[nth].group(1) if nth < len(found) else None


def main() -> None:
    if (ready := prepared(read_gold)) is None:
        return
    rows, items, kept = ready
    tally: dict[tuple[str, str], Counter] = {}
    with stored_items("weekdays", rows, items, kept) as (store, stored):
        for item, article in stored:
            claims = claims_of([article], store.resolved_mentions([article.id]))
            words = " ".join(item["sentence"].split())
            claim = next((c for c in claims if " ".join(c.text.split()) == words), None)
            base = publication_day(article.published)
            if claim is None or base is None:
                print(f"  {item['item']}: its claim is not found")
                continue
            truth = item["day"]
            weekday = WEEKDAYS.index(item["weekday"].lower())
            past = base - timedelta(days=(base.weekday() - weekday) % 7)
            for method, said in (
                ("storylens", named(with_days(claim.text, claim), item["weekday"], item["nth"])),
                ("last such day on or before publication (baseline)", written(past, base)),
            ):
                right = truth != "UNCLEAR" and said == written(date.fromisoformat(truth), base)
                verdict = "unnamed" if said is None else ("right" if right else "wrong")
                for group in (item["corpus"], "both"):
                    tally.setdefault((method, group), Counter())[verdict] += 1
    print(f"the day a summary weekday stands for: {len(items)} weekdays read by blind helpers ({GOLD.name})")
    print(f"  {'method':<52} {'corpus':<6} {'right':>6} {'wrong':>6} {'unnamed':>8}")
    for (method, corpus), counts in sorted(tally.items(), key=lambda kv: (kv[0][0] != "storylens", kv[0])):
        print(f"  {method:<52} {corpus:<6} {counts['right']:>6} {counts['wrong']:>6} {counts['unnamed']:>8}")


if __name__ == "__main__":
    main()
