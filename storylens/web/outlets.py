"""The outlet pages, their JSON twins and the CSV behind their charts. Each page is rendered from
the same view (storylens.outlets) its /api/v1 route serves; charts are SVG drawn here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from storylens.compare.outlets import MIN_OUTLETS, SHARE
from storylens.outlets import (
    LISTED_BLINDSPOTS,
    LISTED_EDGES,
    attention_view,
    blindspot_view,
    blindspots_listed,
    coverage_of,
    framing_view,
    load,
    outlet_slugs,
    outlet_view,
    outlets_listed,
    outlets_view,
    refresh,
    story_coverage,
)
from storylens.web import charts
from storylens.web.contract import an_id, answers, render, wants_json

DAY = r"^(\d{4}-\d{2}-\d{2})?$"
ID = r"^[A-Za-z0-9_-]*$"
BUSIEST = Query(20, ge=1, le=500, description="how many of the stories most outlets cover")


def default_grouping(groupings: list[str]) -> str:
    """The grouping shown when none is asked for: `lean` if there is one, else the first."""
    return "lean" if "lean" in groupings else (groupings[0] if groupings else "")


def coverage_bars(store, story_ids: list[str] | None = None, by: str = "") -> dict:
    """What the stories pages draw: {grouping, values, colours, bars: story id -> parts}, for
    these stories (read with one query over their members) or for all of them (the report)."""
    collections = store.collections()
    grouping = by if by in collections else default_grouping(sorted(collections))
    if not grouping:
        return {"grouping": "", "values": [], "bars": {}, "groupings": []}
    values = sorted(set(collections[grouping].values()))
    colours = charts.colour_of(values)
    if story_ids is None:
        everything = story_coverage(load(store, with_comparisons=False))
        covered = {sid: c.get(grouping, {}) for sid, c in everything.items()}
    else:
        covered = coverage_of(store, story_ids, grouping)
    bars = {
        sid: charts.stacked_bar({v: len(c["outlets"]) for v, c in covered[sid].items()}, colours)
        for sid in (covered if story_ids is None else [i for i in story_ids if i in covered])
    }
    legend = [{"value": v, "cls": colours[v]} for v in values]
    return {
        "grouping": grouping,
        "values": values,
        "legend": legend,
        "bars": bars,
        "groupings": sorted(collections),
    }


class CSVResponse(Response):
    """The numbers behind a chart (the OpenAPI schema lists them as text/csv)."""

    media_type = "text/csv"


def csv_answer(text: str, name: str) -> CSVResponse:
    return CSVResponse(text, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@dataclass
class AttentionQuery:
    """The filters of the attention chart, its page, API and CSV alike."""

    q: str = Query("", max_length=200)
    entity: str = Query("", max_length=64, pattern=ID)
    story: str = Query("", max_length=64, pattern=ID)
    by: str = Query("outlet", max_length=100)
    period: str = Query("week", pattern="^(day|week)$")

    def args(self) -> tuple[str, str, str, str, str]:
        return self.q, self.entity, self.story, self.by, self.period


@dataclass
class BlindspotQuery:
    """The filters of the blindspots, their page, API and CSV alike."""

    by: str = Query("", max_length=100)
    share: float = Query(SHARE, ge=0.5, le=1.0)
    min_outlets: int = Query(MIN_OUTLETS, ge=1, le=10_000)

    def args(self) -> tuple[str, float, int]:
        return self.by, self.share, self.min_outlets


Attention = Annotated[AttentionQuery, Depends()]
Blindspots = Annotated[BlindspotQuery, Depends()]


def current(s):
    """The store, its kept outlet views brought up to date: after a write made them stale, the
    first request computes and keeps them (storylens.outlets.refresh); the others read them."""
    refresh(s)
    return s


def outlets_of(s, since: str = "", until: str = "", busiest: int = 20, listed: bool = False) -> dict:
    """The outlets view: kept in the store for the default parameters, computed otherwise;
    `listed`, with the copy network's edges the page draws (outlets_listed)."""
    return (outlets_listed if listed else outlets_view)(current(s), since, until, busiest)


def outlet_of(s, slug: str) -> dict:
    view = outlet_view(current(s), slug)
    if view is None:
        raise HTTPException(404, f"no outlet {slug}")
    return view


def blind_of(s, by: str, share: float = SHARE, min_outlets: int = MIN_OUTLETS, listed: bool = False) -> dict:
    """The blindspots view; `listed`, with the ones the page lists (blindspots_listed)."""
    read = blindspots_listed if listed else blindspot_view
    return read(current(s), by or default_grouping(sorted(s.collections())), share, min_outlets)


def framing_of(s, by: str) -> dict:
    return framing_view(current(s), by or default_grouping(sorted(s.collections())))


def blindspot_ids(s, grouping: str) -> list[str]:
    """The stories that are blindspots of the grouping (with the default share and outlets)."""
    return [b["story_id"] for b in blind_of(s, grouping)["blindspots"]]


def register(app: FastAPI, store, templates) -> None:
    """Add the outlet routes to the app; `store()` gives the store for one request."""
    add_outlet_api(app, store)
    add_outlet_pages(app, store, templates)
    add_chart_csv(app, store)


def add_outlet_api(app: FastAPI, store) -> None:
    """The outlet views as JSON under /api/v1."""

    @app.get("/api/v1/outlets", responses=answers())
    def api_outlets(
        since: str = Query("", pattern=DAY), until: str = Query("", pattern=DAY), busiest: int = BUSIEST
    ) -> dict[str, Any]:
        """Every outlet with its figures, the copy network between outlets and the coverage matrix."""
        with store() as s:
            return outlets_of(s, since, until, busiest)

    @app.get("/api/v1/outlets/{slug}", responses=answers(404))
    def api_outlet(slug: str = an_id()) -> dict[str, Any]:
        """One outlet: stories, first reports and lag, who it copies and who copies it, omissions, words."""
        with store() as s:
            return outlet_of(s, slug)

    @app.get("/api/v1/blindspots", responses=answers())
    def api_blindspots(asked: Blindspots) -> dict[str, Any]:
        """Stories covered mostly by one collection of the grouping `by`."""
        with store() as s:
            return blind_of(s, *asked.args())

    @app.get("/api/v1/attention", responses=answers())
    def api_attention(asked: Attention) -> dict[str, Any]:
        """Articles per day or week (for a search, an entity, a story), by outlet or collection."""
        with store() as s:
            return attention_view(s, *asked.args())

    @app.get("/api/v1/framing", responses=answers())
    def api_framing(by: str = Query("", max_length=100)) -> dict[str, Any]:
        """Fightin' Words between the collections of a grouping, over the stories both cover."""
        with store() as s:
            return framing_of(s, by)


def add_outlet_pages(app: FastAPI, store, templates) -> None:
    """The outlet pages: each its twin's view with its charts drawn."""

    @app.get("/outlets", response_class=HTMLResponse, responses=answers())
    def outlets_page(
        request: Request,
        since: str = Query("", pattern=DAY),
        until: str = Query("", pattern=DAY),
        busiest: int = BUSIEST,
    ):
        with store() as s:  # the page draws the edges with the most passages; its JSON has them all
            view = outlets_of(s, since, until, busiest, listed=not wants_json(request))
        names = [o["outlet"] for o in view["outlets"]]
        slug = {o["outlet"]: o["slug"] for o in view["outlets"]}
        drawn = view["network"][:LISTED_EDGES]  # the JSON has them all
        graph = charts.network(drawn, names)
        edges = view.get("network_count", len(view["network"]))
        return render(
            templates, request, "outlets.html", view, graph=graph, drawn=len(drawn), slug=slug, edges=edges
        )

    @app.get("/outlets/{slug}", response_class=HTMLResponse, responses=answers(404))
    def outlet_page(request: Request, slug: str = an_id()):
        with store() as s:
            view = outlet_of(s, slug)
            slugs = outlet_slugs(s)
        weeks = charts.columns([w["period"] for w in view["weeks"]], [w["articles"] for w in view["weeks"]])
        zbars = charts.z_bars(view["words"])
        return render(templates, request, "outlet.html", view, chart=weeks, slugs=slugs, zbars=zbars)

    @app.get("/blindspots", response_class=HTMLResponse, responses=answers())
    def blindspots_page(request: Request, asked: Blindspots):
        with store() as s:  # the page lists the most one-sided; its JSON has them all
            view = blind_of(s, *asked.args(), listed=not wants_json(request))
        colours = charts.colour_of(view["values"])
        shown = view["blindspots"][:LISTED_BLINDSPOTS]  # the JSON has them all
        count = view.get("blindspots_count", len(view["blindspots"]))
        bars = {b["story_id"]: charts.stacked_bar(b["coverage"], colours) for b in shown}
        legend = [{"value": v, "cls": colours[v]} for v in view["values"]]
        return render(
            templates, request, "blindspots.html", view, bars=bars, legend=legend, shown=shown, count=count
        )

    @app.get("/attention", response_class=HTMLResponse, responses=answers())
    def attention_page(request: Request, asked: Attention):
        with store() as s:
            view = attention_view(s, *asked.args())
            groupings = sorted(s.collections())
        chart = charts.lines(view["periods"], view["series"])
        return render(templates, request, "attention.html", view, chart=chart, groupings=groupings)

    @app.get("/framing", response_class=HTMLResponse, responses=answers())
    def framing_page(request: Request, by: str = Query("", max_length=100)):
        with store() as s:
            view = framing_of(s, by)
        zbars = {value: charts.z_bars(terms) for value, terms in view["terms"].items()}
        return render(templates, request, "framing.html", view, zbars=zbars)


def add_chart_csv(app: FastAPI, store) -> None:
    """The numbers behind each chart, as CSV."""

    @app.get("/charts/network.csv", response_class=CSVResponse, responses=answers())
    def network_csv(since: str = Query("", pattern=DAY), until: str = Query("", pattern=DAY)):
        with store() as s:
            view = outlets_of(s, since, until)
        rows = [[e["source"], e["copier"], e["pairs"], e["passages"], e["share"]] for e in view["network"]]
        return csv_answer(
            charts.to_csv(["source", "copier", "pairs", "passages", "mean_share"], rows), "network.csv"
        )

    @app.get("/charts/matrix.csv", response_class=CSVResponse, responses=answers())
    def matrix_csv(busiest: int = BUSIEST):
        with store() as s:
            matrix = outlets_of(s, busiest=busiest)["matrix"]
        rows = [
            [st["id"], st["title"], *cells]
            for st, cells in zip(matrix["stories"], matrix["cells"], strict=True)
        ]
        return csv_answer(charts.to_csv(["story_id", "title", *matrix["outlets"]], rows), "matrix.csv")

    @app.get("/charts/attention.csv", response_class=CSVResponse, responses=answers())
    def attention_csv(asked: Attention):
        with store() as s:
            view = attention_view(s, *asked.args())
        rows = [[p, *(v[i] for v in view["series"].values())] for i, p in enumerate(view["periods"])]
        return csv_answer(charts.to_csv([asked.period, *view["series"]], rows), "attention.csv")

    @app.get("/charts/blindspots.csv", response_class=CSVResponse, responses=answers())
    def blindspots_csv(asked: Blindspots):
        with store() as s:
            view = blind_of(s, *asked.args())
        rows = [
            [
                b["story_id"],
                b["title"],
                b["covered_by"],
                b["share"],
                b["outlets"],
                *(b["coverage"].get(v, 0) for v in view["values"]),
            ]
            for b in view["blindspots"]
        ]
        header = ["story_id", "title", "covered_by", "share", "outlets", *view["values"]]
        return csv_answer(charts.to_csv(header, rows), "blindspots.csv")

    @app.get("/charts/framing.csv", response_class=CSVResponse, responses=answers())
    def framing_csv(by: str = Query("", max_length=100)):
        with store() as s:
            view = framing_of(s, by)
        rows = [
            [value, t["term"], t["z"], t["count"]] for value, terms in view["terms"].items() for t in terms
        ]
        return csv_answer(charts.to_csv(["value", "term", "z", "count"], rows), "framing.csv")

    @app.get("/charts/outlets/{slug}.csv", response_class=CSVResponse, responses=answers(404))
    def outlet_csv(slug: str = an_id()):
        with store() as s:
            view = outlet_of(s, slug)
        rows = [[w["period"], w["articles"]] for w in view["weeks"]]
        return csv_answer(charts.to_csv(["week", "articles"], rows), f"{view['slug']}.csv")
