"""The comparison against a gold written by reading (bench/data/basil_compare.tsv, bench/basil_gold.py).

    .venv/bin/python bench/compare_gold.py [--set report|tuning|both] [--db KEPT.db]

For each gold event of basil-dev, storylens compares the event's three articles (as one story, so
that the figures measure the comparison, not the clustering) and every item it shows is judged
against the gold:
- fact groups: pairs of claims of different articles, grouped together or not; the gold groups
  them when their sentences state a common fact;
- `outlet_only`: the item's sentence states a fact and no other article states any of its facts,
  also by the cosine of its evidence (the nearest claim another outlet has, in bands); a fragment
  (a sentence the gold marks as stating nothing, or an item of under five words) is counted apart
  and as wrong; its recall: of the gold facts one article alone carries, stated by a
  sentence of it of five words or more, the share listed in its outlet's `outlet_only` (an item
  lists the facts its claim's sentence states);
- `outlet_omits`: the omitting article states none of the facts the item's sentences share;
- summary citations: cited articles against the articles stating a fact of the sentence;
- the summary's first sentence states the gold's central event; the summary carries the central
  event and the outcomes;
- summary sentences that stand alone (a check, not a reading: no leading pronoun or conjunction,
  no lower-case start, balanced quotation marks, a quote with its speaker, named);
- summary sentences repeating: every gold fact the sentence states is stated by a sentence before it;
- facts of two outlets or more whose shown text stands alone (the same check), beside each fact
  shown by its earliest article's claim;
- framing terms shown that the gold lists as that article's framing or labels;
- disagreements: flagged pairs of facts whose claims sit in a gold pair of disagreeing sentences;
  and the story's listed disagreements, each a pair of claims (inside one fact too), and each
  claim shown beside one of them (`also`) paired with the other side's, judged by the pair of
  sentences holding them;
- labels: gold referents named differently for which storylens shows two of the words.
Beside them, in the same run: cosine-only alignment (claims joined when their cosine clears the
same bar) and, for the summary, the lead three sentences of the earliest article.
The comparison's rules and thresholds may be chosen on the tuning set only; the report set is
what the README quotes.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from basil_gold import GOLD, SOURCE, event_sets, key, rows, sentences  # noqa: E402
from compare import vectors_note  # noqa: E402

from storylens.compare.claims import QUOTE_MARKS  # noqa: E402
from storylens.compare.dated import without_days  # noqa: E402
from storylens.compare.summary import claim_told  # noqa: E402
from storylens.pipeline import compare_articles, ingest, stored_vectors  # noqa: E402
from storylens.store import open_store  # noqa: E402

WORD = re.compile(r"[\w’']+")
# `outlet_only` precision by its evidence: the cosine of the nearest claim another outlet has (bands
# to read by, not thresholds: what a reader may expect of an item by the score the page shows).
ONLY_BANDS = (("under 0.40", 0.40), ("0.40 to 0.50", 0.50), ("0.50 or more", 2.0))
LEADING = re.compile(
    r"^(he|she|they|it|his|her|their|its|this|that|these|those|and|but|or|so|which|who)\b", re.I
)


class Gold:
    def __init__(self, path: Path = GOLD):
        self.facts: dict[str, set[str]] = {}  # "article:hash" -> fact ids (event-qualified)
        self.central: dict[str, set[str]] = defaultdict(set)
        self.outcome: dict[str, set[str]] = defaultdict(set)
        self.disagree: list[tuple[str, str, str]] = []
        self.framing: dict[str, set[str]] = defaultdict(set)  # article -> terms
        self.labels: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for line in path.read_text().splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            kind, event, *rest = line.split("\t")
            if kind == "sentence":
                where, facts = rest
                self.facts[where] = set() if facts == "-" else {f"{event}/{f}" for f in facts.split(",")}
            elif kind in ("central", "outcome"):
                getattr(self, kind)[event].add(f"{event}/{rest[0]}")
            elif kind == "disagree":
                self.disagree.append((rest[0], rest[1], rest[2]))
            elif kind == "framing":
                self.framing[rest[0]].add(rest[1].lower())
            elif kind == "label":
                referent, article, term = rest
                self.labels[(event, referent)][article].add(term.lower())

    def carriers(self, facts: set[str]) -> set[str]:
        return {where.split(":")[0] for where, named in self.facts.items() if named & facts}


def sentence_of(text: str, article: list[tuple[str, set[str]]]) -> str | None:
    """The gold sentence ("article:hash") that holds a claim: the one sharing most of its words."""
    words = set(WORD.findall(text.lower()))
    best, best_share = None, 0.0
    for where, sentence_words in article:
        share = len(words & sentence_words) / max(1, len(words))
        if share > best_share:
            best, best_share = where, share
    return best if best_share >= 0.6 else None


def standalone(text: str) -> bool:
    """A summary sentence that reads on its own (a check of the forms the issue lists)."""
    stripped = text.strip().lstrip("\"“'‘")
    if not stripped or stripped[0].islower() or LEADING.match(stripped):
        return False
    quotes = text.count('"') + text.count("“") + text.count("”")
    if quotes % 2:
        return False
    if text.lstrip()[:1] in '"“' and not re.search(
        r"[”\"],? (?:[\w.,-]+ ){0,6}(?:[\w.-]+, (?:a|an|the) [^,”\"]{1,80}, )?(said|says|told|added|wrote)\b",
        text,  # "Sen. Rand Paul, R-Ky., said", "Ana Ruiz, a port spokeswoman, said"
    ):
        return False  # a quotation with no one saying it
    if re.search(r"[”\"],? (?:(?:he|she|they) (?:said|told|added|wrote)|(?:said|added) (?:he|she))\b", text):
        return False  # a quotation whose speaker is a pronoun, who is named elsewhere
    return len(WORD.findall(text)) >= 6


class Tally:
    def __init__(self):
        self.counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])

    def add(self, name: str, hit: bool, n: int = 1) -> None:
        self.counts[name][0] += int(hit) * n
        self.counts[name][1] += n

    def share(self, name: str) -> str:
        hit, total = self.counts[name]
        return f"{hit / total:.3f} ({hit}/{total})" if total else "-"


def evaluate(
    events: list[str], store, gold: Gold, basil_of: dict[str, str], articles_of: dict[str, list[str]]
):
    from storylens.compare.facts import SAME_FACT

    tally = Tally()
    for event in events:
        ids = articles_of[event]
        comparison = compare_articles(store, ids)
        texts = {basil_of[a] for a in ids}
        split = {
            b: [(f"{b}:{key(s)}", set(WORD.findall(s.lower()))) for s in sentences(rows_by_id[b]["text"])]
            for b in texts
        }
        claims = [c for f in comparison.facts for c in f.claims]
        where = {id(c): sentence_of(c.text, split[basil_of[c.article_id]]) for c in claims}
        facts_of = {id(c): gold.facts.get(where[id(c)], set()) if where[id(c)] else set() for c in claims}
        group = {id(c): f.id for f in comparison.facts for c in f.claims}
        vectors = stored_vectors(store, [c.text for c in claims])
        for i, a in enumerate(claims):
            for j in range(i + 1, len(claims)):
                b = claims[j]
                if a.article_id == b.article_id or not where[id(a)] or not where[id(b)]:
                    continue
                truth = bool(facts_of[id(a)] & facts_of[id(b)])
                for name, said in (
                    ("storylens", group[id(a)] == group[id(b)]),
                    ("cosine", float(vectors[i] @ vectors[j]) >= SAME_FACT),
                ):
                    tally.add(f"pairs {name} tp", said and truth)
                    tally.counts[f"pairs {name} said"][1] += said
                    tally.counts[f"pairs {name} true"][1] += truth
        cosine_group = _components(claims, vectors)
        for name, grouping in (("storylens", group), ("cosine", cosine_group)):
            _fact_level(tally, name, claims, grouping, facts_of)
        by_text = {c.told: c for c in claims if c.told != c.text} | {c.text: c for c in claims}  # named
        for fact in (f for f in comparison.facts if len(f.sources) >= 2):
            tally.add("facts shown storylens", standalone(fact.text))
            tally.add("facts shown earliest", standalone(fact.first.text))
        fact_by_text = {f.text: f for f in comparison.facts}
        for source, items in comparison.outlet_only.items():
            nearest = {e["text"]: e["score"] for e in comparison.only_evidence.get(source, [])}
            for text in items:
                held = item_claims(text, by_text, claims)
                facts = set().union(*(facts_of.get(id(c), set()) for c in held))
                fragment = not facts or len(WORD.findall(text)) < 5
                alone = bool(facts) and gold.carriers(facts) <= {basil_of[held[0].article_id]}
                tally.add("outlet_only", alone and not fragment)
                tally.add("outlet_only fragments", fragment)
                band = next(b for b, top in ONLY_BANDS if nearest.get(text, 0.0) < top)
                tally.add(f"outlet_only nearest {band}", alone and not fragment)
        _outlet_only_recall(tally, comparison, by_text, claims, facts_of, split, gold, basil_of)
        for source, items in comparison.outlet_omits.items():
            omitting = {basil_of[a] for a in ids if (store.article(a).outlet or a) == source}
            for text in items:
                fact = fact_by_text[text]
                named = [facts_of[id(c)] for c in fact.claims if facts_of[id(c)]]
                common = (
                    {f for f in set().union(*named) if sum(f in n for n in named) >= 2} if named else set()
                )
                core = common or (set().union(*named) if named else set())
                tally.add("outlet_omits", bool(core) and not (gold.carriers(core) & omitting))
        summary = comparison.summary
        earlier: set[str] = set()
        for k, sentence in enumerate(summary):
            claim = claim_told(sentence, comparison.facts)
            facts = facts_of.get(id(claim), set()) if claim else set()
            tally.add("repeats storylens", bool(facts) and facts <= earlier)
            earlier |= facts
            if facts:
                cited = {basil_of[a] for a in sentence.article_ids}
                carriers = gold.carriers(facts) & {basil_of[a] for a in ids}
                tally.counts["citations hit"][0] += len(cited & carriers)
                tally.counts["citations cited"][1] += len(cited)
                tally.counts["citations carriers"][1] += len(carriers)
            tally.add("standalone storylens", standalone(sentence.text))
            if k == 0:
                tally.add("first is central storylens", bool(facts & gold.central[event]))
        told = (
            set().union(*(facts_of.get(id(claim_told(s, comparison.facts)), set()) for s in summary))
            if summary
            else set()
        )
        tally.add("central in summary storylens", bool(told & gold.central[event]))
        for outcome in gold.outcome[event]:
            tally.add("outcomes in summary storylens", outcome in told)
        lead_article = min(ids, key=lambda a: (store.article(a).published or "~", a))
        lead = sentences(rows_by_id[basil_of[lead_article]]["text"])[:3]
        lead_facts = [gold.facts.get(f"{basil_of[lead_article]}:{key(s)}", set()) for s in lead]
        for k, text in enumerate(lead):
            tally.add("standalone lead", standalone(text))
            tally.add("repeats lead", bool(lead_facts[k]) and lead_facts[k] <= set().union(*lead_facts[:k]))
            if k == 0:
                tally.add("first is central lead", bool(lead_facts[0] & gold.central[event]))
        tally.add("central in summary lead", bool(set().union(*lead_facts) & gold.central[event]))
        for outcome in gold.outcome[event]:
            tally.add("outcomes in summary lead", outcome in set().union(*lead_facts))
        for source, terms in comparison.framing.items():
            article = next((basil_of[a] for a in ids if (store.article(a).outlet or a) == source), None)
            real = gold.framing.get(article, set()) | {
                t for (e, _), named in gold.labels.items() if e == event for t in named.get(article, set())
            }
            for term, _ in terms:
                tally.add("framing", any(term in r or r in term for r in real))
        flagged = [(f, other) for f in comparison.facts for other in f.disagrees_with if f.id < other]
        facts_by_id = {f.id: f for f in comparison.facts}
        gold_pairs = [(a, b) for a, b, _ in gold.disagree if a.split(":")[0] in texts]
        found = set()
        for f, other in flagged:
            left = {where[id(c)] for c in f.claims}
            right = {where[id(c)] for c in facts_by_id[other].claims}
            match = [
                k
                for k, (a, b) in enumerate(gold_pairs)
                if (a in left and b in right) or (b in left and a in right)
            ]
            tally.add("disagreements precision", bool(match))
            found.update(match)
        for k in range(len(gold_pairs)):
            tally.add("disagreements recall", k in found)
        shown_pairs = set()
        for entry in comparison.disagreements:  # the pairs of claims the story lists, side by side
            claims_shown = entry["claims"]
            listed = [claims_shown] + [[c, claims_shown[1 - c["side"]]] for c in entry.get("also", [])]
            for two in listed:  # ...and each claim told alike beside one against the other side's
                pair = frozenset(sentence_of(c["text"], split[basil_of[c["article_id"]]]) for c in two)
                tally.add("disagreement pairs precision", pair in {frozenset(p) for p in gold_pairs})
                shown_pairs.add(pair)
        for a, b in gold_pairs:
            tally.add("disagreement pairs recall", frozenset((a, b)) in shown_pairs)
        shown = [{w.lower() for w in entry["labels"]} for entry in comparison.labels]
        for (e, _), named in gold.labels.items():
            words = set().union(*named.values())
            if e == event and len(words) >= 2:
                tally.add(
                    "labels recall",
                    any(sum(any(w in t or t in w for t in s) for w in words) >= 2 for s in shown),
                )
    return tally


def item_claims(text: str, by_text: dict, claims: list) -> list:
    """The claims an `outlet_only` item shows: the one with its text, or the clauses of one
    sentence it shows whole (the claims of one article whose texts it holds, told with their
    speaker or not)."""
    # An item may be shown from a capital, or with a quotation's opening mark (carried.whole_sentences),
    # and with a weekday's day named ("Saturday [Dec. 31]").
    text = without_days(text)
    unopened = text[1:] if text[:1] in '"\u201c' else text
    lowered = text[:1].lower() + text[1:]
    for shown in (text, unopened, lowered, unopened[:1].lower() + unopened[1:]):
        if shown in by_text:
            return [by_text[shown]]
    inside = [c for c in claims if c.text.strip(QUOTE_MARKS) in text or c.text in lowered]  # said_by's marks
    return [c for c in inside if c.article_id == inside[0].article_id]


def _outlet_only_recall(tally, comparison, by_text, claims, facts_of, split, gold: Gold, basil_of) -> None:
    """Of the gold facts one article of the event alone carries, stated by a complete sentence of
    it (five words or more), the share its outlet's `outlet_only` lists: an item counts for the
    facts its claims' sentences state."""
    listed: dict[str, set[str]] = defaultdict(set)  # article -> gold facts its items state
    for items in comparison.outlet_only.values():
        for text in items:
            for claim in item_claims(text, by_text, claims):
                listed[basil_of[claim.article_id]] |= facts_of.get(id(claim), set())
    stated: dict[str, set[str]] = defaultdict(set)  # fact -> articles with a complete sentence of it
    carriers: dict[str, set[str]] = defaultdict(set)
    for article in split:
        for sentence in sentences(rows_by_id[article]["text"]):
            for fact in gold.facts.get(f"{article}:{key(sentence)}", set()):
                carriers[fact].add(article)
                if len(WORD.findall(sentence)) >= 5:  # the precision's fragment bar
                    stated[fact].add(article)
    for fact, articles in carriers.items():
        if len(articles) == 1 and stated[fact]:
            tally.add("outlet_only recall", fact in listed[next(iter(articles))])


def _components(claims, vectors) -> dict[int, int]:
    """The cosine-only baseline as groups: claims of different articles joined at SAME_FACT, by
    connected components."""
    from storylens.compare.facts import SAME_FACT

    parent = list(range(len(claims)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(claims)):
        for j in range(i + 1, len(claims)):
            if claims[i].article_id != claims[j].article_id and float(vectors[i] @ vectors[j]) >= SAME_FACT:
                parent[root(i)] = root(j)
    return {id(c): root(i) for i, c in enumerate(claims)}


def _fact_level(tally, name: str, claims, group: dict[int, object], facts_of: dict[int, set[str]]) -> None:
    """Groups of claims of two articles or more whose claims all state one gold fact (precision),
    and gold facts stated in two articles or more that some group joins across two articles."""
    members: dict[object, list] = defaultdict(list)
    for c in claims:
        if facts_of[id(c)]:
            members[group[id(c)]].append(c)
    for found in members.values():
        if len({c.article_id for c in found}) >= 2:
            tally.add(f"groups {name}", bool(set.intersection(*(facts_of[id(c)] for c in found))))
    carriers: dict[str, set[str]] = defaultdict(set)
    for c in claims:
        for fact in facts_of[id(c)]:
            carriers[fact].add(c.article_id)
    for fact, articles in carriers.items():
        if len(articles) >= 2:
            joined = any(
                len({c.article_id for c in found if fact in facts_of[id(c)]}) >= 2
                for found in members.values()
            )
            tally.add(f"facts {name}", joined)


rows_by_id: dict[str, dict] = {}


def main() -> None:
    which = sys.argv[sys.argv.index("--set") + 1] if "--set" in sys.argv else "both"
    if not SOURCE.exists():
        print("basil-dev is absent (../shared/data/basil-dev): skipped")
        return
    print(vectors_note())
    gold = Gold()
    rows_by_id.update({r["id"]: r for r in rows()})
    sets = event_sets()
    kept = Path(sys.argv[sys.argv.index("--db") + 1]) if "--db" in sys.argv else None
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "basil.jsonl"
        with open(feed, "w") as out:
            for row in rows_by_id.values():
                out.write(
                    json.dumps({k: row[k] for k in ("title", "text", "published", "outlet", "url")}) + "\n"
                )
        with open_store(kept or Path(tmp) / "basil.db") as store:
            ingest([feed], store)  # a kept store (--db) reads its articles once
            by_url = {r["url"]: r["id"] for r in rows_by_id.values()}
            basil_of = {aid: by_url[url] for aid, url in store.article_urls().items()}
            articles_of: dict[str, list[str]] = defaultdict(list)
            for aid, basil in sorted(basil_of.items()):
                articles_of[rows_by_id[basil]["cluster"]].append(aid)
            judged = {where.split(":")[0] for where in gold.facts}
            for name in ("tuning", "report") if which == "both" else (which,):
                events = [e for e in sets[name] if any(basil_of[a] in judged for a in articles_of[e])]
                tally = evaluate(events, store, gold, basil_of, articles_of)
                print_table(name, len(events), tally)


def print_table(name: str, events: int, tally: Tally) -> None:
    c = tally.counts

    def pr(prefix: str) -> str:
        hit = c[f"{prefix} tp"][0]
        p = hit / c[f"{prefix} said"][1] if c[f"{prefix} said"][1] else 0.0
        r = hit / c[f"{prefix} true"][1] if c[f"{prefix} true"][1] else 0.0
        return f"P {p:.3f} R {r:.3f}"

    def against_lead(label: str, key: str, goal: str) -> tuple[str, str, str, str]:
        return label, tally.share(f"{key} storylens"), tally.share(f"{key} lead") + " lead", goal

    hit = c["citations hit"][0]
    cited, carriers = c["citations cited"][1], c["citations carriers"][1]
    print(f"\nbasil-dev {name} set: {events} events, comparison judged against the read gold")
    print(f"  {'':<44} {'storylens':<24} {'baseline (same run)':<24} goal")
    lines = [
        (
            "fact groups (pairs of claims)",
            pr("pairs storylens"),
            pr("pairs cosine") + " cosine",
            "P>=0.90 R>=0.80",
        ),
        (
            "fact groups (groups: one fact; facts found)",
            f"P {tally.share('groups storylens').split()[0]} R {tally.share('facts storylens').split()[0]}",
            f"P {tally.share('groups cosine').split()[0]} R {tally.share('facts cosine').split()[0]} cosine",
            "",
        ),
        ("outlet_only carried by that outlet alone", tally.share("outlet_only"), "", ">=0.90"),
        *(
            (f"  ...nearest claim elsewhere {band}", tally.share(f"outlet_only nearest {band}"), "", "")
            for band, _ in ONLY_BANDS
        ),
        ("outlet_only recall: one article's facts", tally.share("outlet_only recall"), "", ""),
        ("outlet_only fragments", tally.share("outlet_only fragments"), "", "none"),
        ("outlet_omits really left out", tally.share("outlet_omits"), "", ">=0.85"),
        (
            "summary citations",
            f"P {hit / cited if cited else 0:.3f} R {hit / carriers if carriers else 0:.3f}",
            "",
            ">=0.95 both",
        ),
        ("summary citations: right, cited, carriers", f"{hit} {cited} {carriers}", "", ""),
        against_lead("summary's first sentence: central event", "first is central", "every one"),
        against_lead("central event in the summary", "central in summary", "every one"),
        against_lead("major outcomes in the summary", "outcomes in summary", ""),
        against_lead("summary sentences that stand alone (check)", "standalone", ">=0.90"),
        against_lead("summary sentences repeating what one before states", "repeats", "none"),
        (
            "facts of 2+ outlets shown by a sentence alone",
            tally.share("facts shown storylens"),
            tally.share("facts shown earliest") + " earliest",
            "",
        ),
        ("framing terms that are real framing", tally.share("framing"), "", ">=0.60"),
        ("disagreements flagged that are real", tally.share("disagreements precision"), "", ">=0.70"),
        ("real disagreements flagged", tally.share("disagreements recall"), "", ">=0.70"),
        (
            "disagreements listed (claim pairs), real",
            tally.share("disagreement pairs precision"),
            "",
            ">=0.70",
        ),
        ("real disagreements listed (claim pairs)", tally.share("disagreement pairs recall"), "", ">=0.70"),
        ("labels: referents named differently, found", tally.share("labels recall"), "", "found"),
    ]
    for label, ours, theirs, goal in lines:
        print(f"  {label:<44} {ours:<24} {theirs:<24} {goal}")


if __name__ == "__main__":
    main()
