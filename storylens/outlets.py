"""Outlets and collections across the store: importing collections, and the figures the CLI, the
web app, the API and the export show (each view a dict, the same for the page and its JSON).

    with open_store("news.db") as store:
        import_collections(store, "outlets.csv")        # columns: outlet, lean, country, ...
        blindspot_view(store, "lean")["blindspots"]
        outlet_view(store, "Harbor Wire")
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

from storylens.compare.outlets import (
    MIN_OUTLETS,
    SHARE,
    UNASSIGNED,
    blindspots,
    collection_framing,
    copy_network,
    coverage,
    median,
    name_key,
    slugs,
)
from storylens.figures import Figures, load
from storylens.store import Store

STORY_LIST = 200  # an outlet's newest stories listed on its page (all are counted)
LOOSE = 50  # articles in no story listed under the stories
ENTITY_CHOICES = 200  # entities the stories page offers to filter by, those named most widely
ENTITY_REACH = 2  # ... among those named in this many articles or more
LISTED_EDGES = 60  # the outlets page draws the copy network's edges with the most passages
LISTED_BLINDSPOTS = 200  # the blindspots page lists the most one-sided (the API and CSV: all)


class CollectionsFileError(ValueError):
    """The collections file cannot be used (no `outlet` column, no grouping column, unreadable)."""


@dataclass
class ImportReport:
    groupings: list[str]
    matched: dict[str, str] = field(default_factory=dict)  # name in the file -> as the store spells it
    unmatched: list[tuple[int, str]] = field(default_factory=list)  # (line, name) not in the store
    uncovered: list[str] = field(default_factory=list)  # stored outlets the file does not name


def import_collections(store: Store, path: str | Path) -> ImportReport:
    """Replace the store's collections with those of a CSV: a column `outlet` and one column per
    grouping (lean, country, owner...), whose values are the collections. Names are matched to the
    store's outlets with case and spacing forgiven; rows naming no stored outlet are reported.
    Raises CollectionsFileError for a file without `outlet` or without any other column."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as stream:
            rows = list(csv.DictReader(stream))
            columns = [c.strip() for c in (rows[0].keys() if rows else [])]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CollectionsFileError(f"{path}: cannot be read ({exc})") from exc
    if "outlet" not in columns:
        raise CollectionsFileError(f"{path}: no `outlet` column (columns: {', '.join(columns) or 'none'})")
    groupings = [c for c in columns if c != "outlet" and c]
    if not groupings:
        raise CollectionsFileError(f"{path}: no grouping column beside `outlet` (e.g. lean, country)")
    stored = {name_key(o): o for o in store.outlet_counts()}
    report = ImportReport(groupings)
    found = []
    for line, row in enumerate(rows, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        name = row.get("outlet", "")
        outlet = stored.get(name_key(name))
        if outlet is None:
            report.unmatched.append((line, name))
            continue
        report.matched[name] = outlet
        found.extend((g, outlet, row[g]) for g in groupings if row.get(g))
    store.replace_collections(found)
    refresh(store)
    named = set(report.matched.values())
    report.uncovered = sorted(o for o in stored.values() if o not in named)
    return report


def kept_views(figures: Figures) -> dict[str, dict]:
    """Every view a page shows with its default parameters, by the name it is kept under: the
    outlets page, each outlet's page (and its slug, pointing at it), each grouping's blindspots
    and framing."""
    views: dict[str, dict] = {"outlets": outlets_view(None, figures=figures), "slugs": figures.slug}
    for outlet, slug in figures.slug.items():
        views[f"outlet:{name_key(outlet)}"] = outlet_view(None, outlet, figures)
        views[f"slug:{slug}"] = {"outlet": outlet}
    views["outlets listed"] = listed(views["outlets"], "network", LISTED_EDGES)
    for grouping in figures.collections:
        views[f"blindspots:{grouping}"] = blindspot_view(None, grouping, figures=figures)
        views[f"blindspots listed:{grouping}"] = listed(
            views[f"blindspots:{grouping}"], "blindspots", LISTED_BLINDSPOTS
        )
        views[f"framing:{grouping}"] = framing_view(None, grouping, figures=figures)
    return views


def listed(view: dict, key: str, shown: int) -> dict:
    """A view with only the first `shown` of its list `key` and how many it has (`{key}_count`):
    what its page draws, kept beside the whole so that the page does not read every row (the
    blindspots and the copy network of a million articles are megabytes of JSON)."""
    return view | {key: view[key][:shown], f"{key}_count": len(view[key])}


def outlets_listed(store: Store, since: str = "", until: str = "", busiest: int = 20) -> dict:
    """The outlets page: outlets_view with the copy network's LISTED_EDGES edges with the most
    passages (`network_count`: all of them)."""
    if (since, until, busiest) == ("", "", 20) and (kept := _kept(store, "outlets listed")):
        return kept
    return listed(outlets_view(store, since, until, busiest), "network", LISTED_EDGES)


def blindspots_listed(store: Store, by: str, share: float = SHARE, min_outlets: int = MIN_OUTLETS) -> dict:
    """The blindspots page: blindspot_view with the LISTED_BLINDSPOTS most one-sided
    (`blindspots_count`: all of them)."""
    default = share == SHARE and min_outlets == MIN_OUTLETS
    if default and (kept := _kept(store, f"blindspots listed:{by}")):
        return kept
    return listed(blindspot_view(store, by, share, min_outlets), "blindspots", LISTED_BLINDSPOTS)


def refresh(store: Store) -> int:
    """Compute the outlet and collection views and keep them in the store, so that their pages
    read them instead of computing them per request; nothing to do when the kept ones are current.
    Returns how many views were kept (0 when none needed to be, or a writer came between)."""
    generation = store.generation()
    listed = store.kept_current("outlets listed")  # not when kept by a storylens before them
    if store.kept_current("outlets") and listed and _kept_story_filters(store):
        return 0
    views = kept_views(load(store)) | {"story filters": _story_filters(store)}
    return len(views) if store.keep_views(generation, views) else 0


def story_filters(store: Store) -> dict:
    """What the stories page offers beside its list: the outlets of stories and the entities
    named most widely to filter by, the most outlets a story has (the scale of its bars) and the
    first articles in no story yet; kept with the outlet views, read with SQL when they are not
    current."""
    return _kept_story_filters(store) or _story_filters(store)


def _kept_story_filters(store: Store) -> dict | None:
    kept = _kept(store, "story filters")
    return kept if kept and "entities" in kept else None  # kept by a storylens before the list


def _story_filters(store: Store) -> dict:
    return {
        "outlets": store.story_outlets(),
        "entities": [list(e) for e in store.entities_by_reach(ENTITY_REACH, ENTITY_CHOICES)],
        "most": store.most_story_outlets() or 1,
        "loose": [asdict(a) for a in store.articles_without_story(LOOSE)],
    }


def outlet_slugs(store: Store) -> dict[str, str]:
    """Every stored outlet -> its slug (the path of its page)."""
    return _kept(store, "slugs") or slugs(list(store.outlet_counts()))


def _kept(store: Store | None, name: str) -> dict | None:
    return store.kept_view(name) if store is not None else None


def story_coverage(figures: Figures) -> dict[str, dict[str, dict]]:
    """story id -> grouping -> value -> {outlets, articles}, for every grouping."""
    found: dict[str, dict[str, dict]] = {}
    for grouping, values in figures.collections.items():
        for sid, c in coverage(figures.members, grouping, values).items():
            found.setdefault(sid, {})[grouping] = {
                v: {"outlets": c.outlets[v], "articles": c.articles.get(v, 0)} for v in c.outlets
            }
    return found


def coverage_of(store: Store, story_ids: list[str], grouping: str) -> dict[str, dict[str, dict]]:
    """story id -> value -> {outlets, articles} for these stories alone (a page of the stories
    list), read with one query over their members, not the store's."""
    values = store.collections().get(grouping, {})
    return {
        sid: {v: {"outlets": c.outlets[v], "articles": c.articles.get(v, 0)} for v in c.outlets}
        for sid, c in coverage(store.story_members(story_ids), grouping, values).items()
    }


def values_of(figures: Figures, grouping: str) -> list[str]:
    return sorted(set(figures.collections.get(grouping, {}).values()))


def blindspot_view(
    store: Store,
    by: str,
    share: float = SHARE,
    min_outlets: int = MIN_OUTLETS,
    figures: Figures | None = None,
) -> dict:
    """The stories covered mostly (`share` of at least `min_outlets` outlets) by one collection
    of the grouping `by`, each with its coverage by every value and the values that miss it."""
    if share == SHARE and min_outlets == MIN_OUTLETS and (kept := _kept(store, f"blindspots:{by}")):
        return kept
    figures = figures or load(store, with_comparisons=False)
    values = figures.collections.get(by, {})
    titles = {r["id"]: r for r in figures.stories} if values else {}
    covered = coverage(figures.members, by, values) if values else {}
    found = blindspots(covered, values_of(figures, by), share, min_outlets)
    return {
        "grouping": by,
        "groupings": sorted(figures.collections),
        "values": values_of(figures, by),
        "share": share,
        "min_outlets": min_outlets,
        "blindspots": [
            {
                "story_id": b.story_id,
                "title": titles[b.story_id]["title"],
                "first_published": titles[b.story_id]["first_published"],
                "covered_by": b.value,
                "share": b.share,
                "outlets": b.outlets,
                "missing": b.missing,
                "coverage": {v: len(o) for v, o in covered[b.story_id].outlets.items()},
            }
            for b in found
        ],
    }


def outlet_view(store: Store, name: str, figures: Figures | None = None) -> dict | None:
    """One outlet across the store, or None if no stored article names it: its collections, the
    stories it covers (and their share of the store's), how often it reported first and its median
    lag behind the first report, whom it takes passages from and who takes from it, the facts it
    leaves out that most outlets carry (per compared story), its distinctive words across the
    compared stories (weighted log-odds, z-scores) and its articles per week."""
    if store is not None:
        pointer = store.kept_view(f"slug:{name}")
        kept = store.kept_view(f"outlet:{name_key(pointer['outlet'] if pointer else name)}")
        if kept or store.kept_current("outlets"):  # kept, or the kept views know no such outlet
            return kept
    figures = figures or load(store)
    outlet = figures.outlet(name)
    if outlet is None:
        return None
    titles = figures.titles
    mine_of = figures.by_outlet.get(outlet, {"stories": [], "timed": [], "takes": [], "gives": []})
    covered = mine_of["stories"]
    timed = figures.timed
    mine = mine_of["timed"]
    first = [t for t in mine if outlet in t.first_outlets]
    rates = figures.omissions.get(outlet, {"stories": 0, "omitted": 0, "rate": 0.0, "facts": []})
    words = figures.words.get(outlet, [])
    days = figures.days.get(outlet, [])
    return {
        "outlet": outlet,
        "slug": figures.slug[outlet],
        "articles": figures.counts.get(outlet, 0),
        "collections": {g: v[outlet] for g, v in sorted(figures.collections.items()) if outlet in v},
        "stories": len(covered),
        "stories_share": round(len(covered) / len(figures.stories), 3) if figures.stories else 0.0,
        "story_list": [
            {
                "id": r["id"],
                "title": r["title"],
                "first_published": r["first_published"],
                "first": r["id"] in timed and outlet in timed[r["id"]].first_outlets,
                "lag_hours": timed[r["id"]].lag_hours.get(outlet) if r["id"] in timed else None,
            }
            for r in list(reversed(covered))[:STORY_LIST]
        ],
        "timed_stories": len(mine),
        "first": len(first),
        "first_certain": sum(t.certain for t in first),
        "median_lag_hours": median([t.lag_hours[outlet] for t in mine if outlet not in t.first_outlets]),
        "takes_from": [_edge(e) for e in mine_of["takes"]],
        "taken_by": [_edge(e) for e in mine_of["gives"]],
        "omissions": {
            "stories": rates["stories"],
            "omitted": rates["omitted"],
            "rate": rates["rate"],
            "facts": [{"story_id": s, "title": titles.get(s, s), "text": t} for s, t in rates["facts"][:20]],
        },
        "words": [{"term": t, "z": z} for t, z in words],
        "weeks": per_period(days, "week"),
    }


def words_used_here(store: Store, term_counts: dict[str, Counter]) -> dict[str, list[str]]:
    """For each outlet of a compared story (`term_counts`: its terms by outlet, as compared), the
    terms of its distinctive words across the store (outlet_view's `words`, weighted log-odds) that
    its articles of this story use: how the story reads in the outlet's own vocabulary."""
    found = {}
    for source, counts in sorted(term_counts.items()):
        view = outlet_view(store, source)
        used = [w["term"] for w in (view or {}).get("words", []) if counts.get(w["term"])]
        if used:
            found[source] = used
    return found


def _edge(edge) -> dict:
    return {
        "source": edge.source,
        "copier": edge.copier,
        "pairs": edge.pairs,
        "passages": edge.passages,
        "share": edge.share,
        "examples": [e | {"text": _cut(e["text"])} for e in edge.examples],
    }


def _cut(text: str, size: int = 300) -> str:
    return text if len(text) <= size else text[: size - 1].rsplit(" ", 1)[0] + "…"


def per_period(days: list[str], period: str = "week") -> list[dict]:
    """[{period: first day, articles}] for every period from the first to the last day (empty
    periods included, so a chart's gaps are real)."""
    starts = Counter(_period_starts(days, period))
    if not starts:
        return []
    step = timedelta(days=7 if period == "week" else 1)
    first, last = min(starts), max(starts)
    found, day = [], first
    while day <= last and len(found) < 2000:
        found.append({"period": day.isoformat(), "articles": starts.get(day, 0)})
        day += step
    return found


def _period_starts(days: list[str], period: str) -> list[date]:
    """The first day of the period holding each day; a day that names none (one a store kept before
    dates were read on ingest: clean.dates.metadata_date) is left out."""
    found = []
    for day in days:
        try:
            d = date.fromisoformat((day or "")[:10])
        except ValueError:
            continue
        found.append(d - timedelta(days=d.weekday()) if period == "week" else d)
    return found


def outlets_view(
    store: Store, since: str = "", until: str = "", busiest: int = 20, figures: Figures | None = None
) -> dict:
    """Every outlet with its figures, the copy network over [since, until] and the coverage
    matrix of outlets × the busiest stories (most outlets)."""
    if (since, until, busiest) == ("", "", 20) and (kept := _kept(store, "outlets")):
        return kept
    figures = figures or load(store, with_comparisons=False)
    timed = figures.timed
    outlets = sorted(figures.counts)
    covered = Counter(o for r in figures.stories for o in r["outlets"])
    firsts = Counter(o for t in timed.values() for o in t.first_outlets)
    lags: dict[str, list[float]] = {}  # outlet -> its lag in each story where it followed
    for t in timed.values():
        for o, hours in t.lag_hours.items():
            if o not in t.first_outlets:
                lags.setdefault(o, []).append(hours)
    edges = copy_network(figures.taken, since, until)
    named = [r for r in figures.stories if r["outlets"]]
    top = sorted(named, key=lambda r: (-len(r["outlets"]), -r["size"], r["id"]))[:busiest]
    carried = Counter((m.story_id, m.outlet) for m in figures.members if m.outlet)
    columns = sorted({o for r in top for o in r["outlets"]})  # the outlets on those stories
    return {
        "outlets": [
            {
                "outlet": o,
                "slug": figures.slug[o],
                "articles": figures.counts[o],
                "stories": covered[o],
                "first": firsts[o],
                "median_lag_hours": median(lags.get(o, [])),
                "collections": {g: v[o] for g, v in sorted(figures.collections.items()) if o in v},
            }
            for o in outlets
        ],
        "groupings": sorted(figures.collections),
        "since": since,
        "until": until,
        "network": [_edge(e) for e in edges],
        "matrix": {
            "stories": [{"id": r["id"], "title": r["title"]} for r in top],
            "outlets": columns,
            "cells": [[carried[(r["id"], o)] for o in columns] for r in top],
        },
    }


def attention_view(
    store: Store, q: str = "", entity: str = "", story: str = "", by: str = "outlet", period: str = "week"
) -> dict:
    """Articles per day or week for a search, an entity or a story (or all), split by outlet or
    by the collections of a grouping."""
    ids: set[str] | None = None
    if q.strip():
        ids = set(store.search(q, 100_000))
    if entity:
        rows = store.entity_rows(entity_id=entity)
        named = set(rows[0]["article_ids"]) if rows else set()
        ids = named if ids is None else ids & named
    if story:
        rows = store.story_rows(story)
        members = set(rows[0]["article_ids"]) if len(rows) == 1 else set()
        ids = members if ids is None else ids & members
    values = store.collections().get(by, {}) if by != "outlet" else {}
    days: dict[str, list[str]] = {}
    for _, outlet, day in store.article_days(ids):
        key = (outlet or "(unknown)") if by == "outlet" else values.get(outlet or "", UNASSIGNED)
        days.setdefault(key, []).append(day)
    everything = [d for found in days.values() for d in found]
    frame = [p["period"] for p in per_period(everything, period)]
    series = {}
    for key, found in sorted(days.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        counts = Counter(start.isoformat() for start in _period_starts(found, period))
        series[key] = [counts.get(p, 0) for p in frame]
    return {
        "q": q,
        "entity": entity,
        "story": story,
        "by": by,
        "period": period,
        "periods": frame,
        "series": series,
        "articles": len(everything),
    }


def framing_view(store: Store, by: str, figures: Figures | None = None) -> dict:
    """Fightin' Words between the collections of the grouping `by` over the stories that two or
    more of them cover, with each term's z-score, count and example sentences."""
    if kept := _kept(store, f"framing:{by}"):
        return kept
    figures = figures or load(store)
    values = figures.collections.get(by, {})
    ids = {
        e for c in figures.comparisons.values() for f in c.facts for cl in f.claims for _, e in cl.tokens if e
    }
    names = figures.entity_names(ids)
    found = collection_framing(figures.comparisons, figures.outlets_of, values, names)
    titles = {r["id"]: r["title"] for r in figures.stories}
    return {
        "grouping": by,
        "groupings": sorted(figures.collections),
        "values": values_of(figures, by),
        "stories": [{"id": s, "title": titles.get(s, s)} for s in found["stories"]],
        "compared": len(figures.comparisons),
        "terms": {v: found["terms"].get(v, []) for v in values_of(figures, by)},
    }


def export_section(store: Store) -> tuple[dict, list[dict]]:
    """The export's `outlets` section (one record per outlet, by name) and `collections`
    (grouping, outlet, value rows)."""
    figures = load(store)
    coverage_by_story = story_coverage(figures)
    records = {}
    for o in sorted(figures.counts):
        view = outlet_view(store, o, figures)
        view.pop("story_list")
        records[o] = view
    blind = {
        g: [b["story_id"] for b in blindspot_view(store, g, figures=figures)["blindspots"]]
        for g in sorted(figures.collections)
    }
    collections = [
        {"grouping": g, "outlet": o, "value": v}
        for g, by_outlet in sorted(figures.collections.items())
        for o, v in sorted(by_outlet.items())
    ]
    section = {
        "outlets": [records[o] for o in sorted(records)],
        "blindspots": blind,
        "story_coverage": dict(sorted(coverage_by_story.items())),
    }
    return section, collections
