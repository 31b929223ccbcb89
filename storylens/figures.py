"""What the outlet and collection views are computed from: the store's stories, members, reuse,
collections and kept comparisons, each read the first time a view asks for it (storylens.outlets
computes the views from these, and keeps them in the store)."""

from __future__ import annotations

from pathlib import Path

from storylens.compare import comparison_key, corpus_framing, counts_from_json, from_json
from storylens.compare.outlets import copy_network, name_key, omission_rates, slugs, timings
from storylens.store import Store


class Figures:
    """What the views need, each part read from the store at `path` the first time it is asked
    for (a view answered from the kept views reads none of it)."""

    def __init__(self, path: str | Path, with_comparisons: bool = True):
        self.path = Path(path)
        self.with_comparisons = with_comparisons
        self._cache: dict = {}

    def _read(self, name: str, read):
        if name not in self._cache:
            from storylens.store import open_store

            with open_store(self.path) as store:
                self._cache[name] = read(store)
        return self._cache[name]

    @property
    def stories(self) -> list[dict]:
        return self._read("stories", lambda s: s.story_rows())

    @property
    def members(self) -> list:
        return self._read("members", lambda s: s.story_members())

    @property
    def collections(self) -> dict[str, dict[str, str]]:
        return self._read("collections", lambda s: s.collections())

    @property
    def counts(self) -> dict[str, int]:
        return self._read("counts", lambda s: s.outlet_counts())

    @property
    def taken(self) -> list:
        """The directed reuse pairs between articles."""
        return self._read("taken", lambda s: s.directed_reuse())

    @property
    def comparisons(self) -> dict:
        """story id -> Comparison: those kept in the store and still current (`storylens compare`
        keeps them all; none is computed here)."""
        return self._read("comparisons", lambda store: self._current(store.stored_comparisons, from_json))

    @property
    def counted(self) -> dict:
        """The same comparisons with only their term counts and omissions (counts_from_json),
        read from the store's cut of them (comparison_counts)."""
        return self._read("counted", lambda store: self._current(store.comparison_counts, counts_from_json))

    def _current(self, stored, read) -> dict:
        """What `read` makes of the JSON of each story's kept comparison that is still current;
        `stored()`: story id -> (members hash, version, JSON)."""
        if not self.with_comparisons:
            return {}
        kept = stored()
        return {
            row["id"]: read(kept[row["id"]][2])
            for row in self.stories
            if row["id"] in kept and kept[row["id"]][:2] == comparison_key(row)
        }

    @property
    def slug(self) -> dict[str, str]:
        if "slug" not in self._cache:
            self._cache["slug"] = slugs(list(self.counts))
        return self._cache["slug"]

    @property
    def days(self) -> dict[str, list[str]]:
        """outlet -> the day of each of its dated articles."""

        def read(store: Store) -> dict[str, list[str]]:
            by_outlet: dict[str, list[str]] = {}
            for _, o, d in store.article_days():
                by_outlet.setdefault(o or "", []).append(d)
            return by_outlet

        return self._read("days", read)

    @property
    def timed(self) -> dict:
        if "timed" not in self._cache:
            self._cache["timed"] = timings(self.members)
        return self._cache["timed"]

    @property
    def edges(self) -> list:
        if "edges" not in self._cache:
            self._cache["edges"] = copy_network(self.taken)
        return self._cache["edges"]

    @property
    def words(self) -> dict:
        """outlet -> its distinctive terms across the compared stories, with z-scores."""
        if "words" not in self._cache:
            self._cache["words"] = corpus_framing(list(self.counted.values()))
        return self._cache["words"]

    @property
    def omissions(self) -> dict[str, dict]:
        if "omissions" not in self._cache:
            self._cache["omissions"] = omission_rates(self.counted, self.outlets_of)
        return self._cache["omissions"]

    @property
    def titles(self) -> dict[str, str]:
        if "titles" not in self._cache:
            self._cache["titles"] = {r["id"]: r["title"] for r in self.stories}
        return self._cache["titles"]

    @property
    def outlets_of(self) -> dict[str, list[str]]:
        return {r["id"]: r["outlets"] for r in self.stories}

    @property
    def by_outlet(self) -> dict[str, dict[str, list]]:
        """outlet -> {stories: the stories it covers, timed: the timings of those with dated
        reports, takes: copy edges from others to it, gives: from it to others}, gathered in one
        pass (a view of one outlet never scans every story)."""
        if "by_outlet" not in self._cache:
            found: dict[str, dict[str, list]] = {}

            def entry(outlet: str) -> dict[str, list]:
                return found.setdefault(outlet, {"stories": [], "timed": [], "takes": [], "gives": []})

            for r in self.stories:
                for o in r["outlets"]:
                    entry(o)["stories"].append(r)
            for t in self.timed.values():
                for o in t.lag_hours:
                    entry(o)["timed"].append(t)
            for e in self.edges:
                if e.source != e.copier:
                    entry(e.copier)["takes"].append(e)
                    entry(e.source)["gives"].append(e)
            self._cache["by_outlet"] = found
        return self._cache["by_outlet"]

    def entity_names(self, ids: set[str]) -> dict[str, str]:
        return self._read(("names", frozenset(ids)), lambda s: s.entity_names(ids))

    def outlet(self, name: str) -> str | None:
        """The stored outlet a name or slug means (case and spacing forgiven), or None: of those
        whose name or slug matches, the first in slug order."""
        if "named" not in self._cache:  # (kind, name key or slug) -> (place, outlet), the first
            named: dict[tuple[str, str], tuple[int, str]] = {}
            for place, (outlet, s) in enumerate(self.slug.items()):
                named.setdefault(("name", name_key(outlet)), (place, outlet))
                named.setdefault(("slug", s), (place, outlet))
            self._cache["named"] = named
        found = [self._cache["named"].get(k) for k in (("name", name_key(name)), ("slug", name))]
        return min((f for f in found if f), default=(0, None))[1]


def load(store: Store, with_comparisons: bool = True) -> Figures:
    """The figures' inputs, read from the store when first asked for."""
    return Figures(store.path, with_comparisons)
