"""The command line for outlets and collections: `outlets import|list`, `outlet NAME`,
`blindspots --by GROUPING`. Thin click wrappers over storylens.outlets."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from storylens.cli.common import db_option, err, main, out, shown, store_at
from storylens.compare.outlets import MIN_OUTLETS, SHARE
from storylens.outlets import (
    CollectionsFileError,
    blindspot_view,
    import_collections,
    outlet_view,
    outlets_view,
)


@main.group()
def outlets() -> None:
    """Outlets and their collections (lean, country, owner...)."""


@outlets.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
def outlets_import(file, db) -> None:
    """Replace the collections with a CSV's: a column `outlet`, and one column per grouping."""
    with store_at(db) as store:
        try:
            report = import_collections(store, file)
        except CollectionsFileError as exc:
            raise click.ClickException(str(exc)) from exc
    out.print(
        f"{len(report.matched)} outlets matched; groupings: {shown(', '.join(report.groupings))}; "
        f"{len(report.unmatched)} rows name no stored outlet."
    )
    for line, name in report.unmatched:
        err.print(f"[yellow]unmatched[/] line {line}: {shown(name or '(empty)')}")
    if report.uncovered:
        err.print(f"stored outlets the file does not name: {shown(', '.join(report.uncovered))}")


@outlets.command("list")
@db_option
def outlets_list(db) -> None:
    """Every outlet: articles, stories covered, how often first, median lag, collections."""
    with store_at(db) as store:
        view = outlets_view(store)
    table = Table(box=None, pad_edge=False)
    table.add_column("outlet", no_wrap=True)
    for name in ("articles", "stories", "first", "median lag h"):
        table.add_column(name, justify="right")
    for grouping in view["groupings"]:
        table.add_column(shown(grouping), no_wrap=True)
    for o in view["outlets"]:
        lag = o["median_lag_hours"]
        table.add_row(
            shown(o["outlet"]),
            str(o["articles"]),
            str(o["stories"]),
            str(o["first"]),
            "-" if lag is None else f"{lag:.1f}",
            *(shown(o["collections"].get(g, "-")) for g in view["groupings"]),
        )
    out.print(table)


@main.command()
@click.argument("name")
@db_option
def outlet(name, db) -> None:
    """One outlet across the store: coverage, first reports, who it copies and who copies it,
    what it leaves out, its distinctive words."""
    with store_at(db) as store:
        view = outlet_view(store, name)
    if view is None:
        raise click.ClickException(f"no outlet {name[:80]!r}")
    out.print(f"[bold]{shown(view['outlet'])}[/]")
    for grouping, value in view["collections"].items():
        out.print(f"{shown(grouping):<11}{shown(value)}")
    out.print(
        f"articles   {view['articles']}\nstories    {view['stories']} "
        f"({100 * view['stories_share']:.0f}% of the store's)"
    )
    lag = view["median_lag_hours"]
    out.print(
        f"first      {view['first']} of {view['timed_stories']} stories dated across outlets "
        f"({view['first_certain']} certain); median lag when not first: "
        + ("-" if lag is None else f"{lag:.1f} h")
    )
    for heading, key, other in (("takes from", "takes_from", "source"), ("taken by", "taken_by", "copier")):
        if view[key]:
            out.print(f"\n[bold]{heading}[/]")
        for edge in view[key]:
            out.print(
                f"  {shown(edge[other]):<24} {edge['pairs']} articles, {edge['passages']} passages, "
                f"{100 * edge['share']:.0f}% of the copier's text"
            )
            for example in edge["examples"][:1]:
                out.print(
                    f"    {example['copier']} took from {example['source']}: {shown(example['text'][:140])}",
                    soft_wrap=True,
                )
    omissions = view["omissions"]
    out.print(
        f"\n[bold]left out[/] {omissions['omitted']} facts most outlets carry, over "
        f"{omissions['stories']} compared stories ({omissions['rate']:.2f} a story)"
    )
    for fact in omissions["facts"][:8]:
        out.print(f"  {fact['story_id']}  {shown(fact['text'])}", soft_wrap=True)
    if view["words"]:
        out.print("\n[bold]distinctive words[/] (weighted log-odds, z-score)")
        out.print("  " + shown(", ".join(f"{w['term']} ({w['z']:.1f})" for w in view["words"])))
    out.print("\n[bold]articles per week[/]")
    for week in view["weeks"]:
        if week["articles"]:
            out.print(f"  {week['period']}  {'#' * min(60, week['articles'])} {week['articles']}")


@main.command()
@click.option("--by", "grouping", required=True, help="The grouping: a column of the imported file.")
@click.option("--share", default=SHARE, show_default=True, help="Share of a story's outlets from one value.")
@click.option("--min-outlets", default=MIN_OUTLETS, show_default=True, help="Outlets a story needs.")
@db_option
def blindspots(grouping, share, min_outlets, db) -> None:
    """Stories covered mostly by one collection of a grouping, and the collections that miss them."""
    with store_at(db) as store:
        view = blindspot_view(store, grouping, share, min_outlets)
    if grouping not in view["groupings"]:
        known = ", ".join(view["groupings"]) or "none: run storylens outlets import FILE.csv"
        raise click.ClickException(f"no grouping {grouping[:80]!r} (known: {known})")
    if not view["blindspots"]:
        out.print(f"no blindspots by {shown(grouping)} (share {share}, at least {min_outlets} outlets)")
        return
    table = Table(box=None, pad_edge=False)
    for name in ("id", "first", "covered by", "share", "outlets", "missing"):
        table.add_column(name, no_wrap=True)
    table.add_column("title", overflow="ellipsis", no_wrap=True)
    for b in view["blindspots"]:
        table.add_row(
            b["story_id"],
            shown((b["first_published"] or "-")[:10]),
            shown(b["covered_by"]),
            f"{100 * b['share']:.0f}%",
            str(b["outlets"]),
            shown(", ".join(b["missing"]) or "-"),
            shown(b["title"]),
        )
    out.print(table)
