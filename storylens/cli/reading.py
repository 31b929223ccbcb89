"""Commands that read the store: articles, show, errors, entities, entity, quotes, reuse,
stories, story."""

from __future__ import annotations

import click
from rich.table import Table

from storylens import pipeline
from storylens.cli.common import ENTITY_TYPES, db_option, main, out, shown, store_at
from storylens.compare.carried import own_sources
from storylens.compare.disagreements import changed_note
from storylens.compare.since import ARREST_SINCE
from storylens.outlets import words_used_here


@main.command()
@db_option
def articles(db) -> None:
    """A table of the stored articles: id, outlet, published, title, words."""
    with store_at(db) as store:
        rows = store.article_rows()
    table = Table(box=None, pad_edge=False)
    for name in ("id", "outlet", "published"):
        table.add_column(name, no_wrap=True)
    table.add_column("title", overflow="ellipsis", no_wrap=True)
    table.add_column("words", justify="right")
    for row in rows:
        table.add_row(
            row.id,
            shown(row.outlet or "-"),
            shown(row.published or "-"),
            shown(row.title),
            str(row.words),
        )
    out.print(table)


@main.command()
@click.argument("article_id")
@db_option
def show(article_id, db) -> None:
    """The cleaned article, with what was removed and why."""
    with store_at(db) as store:
        article = store.article(article_id)
        if article is None:
            raise click.ClickException(f"no article {article_id[:80]!r}")
        sources = store.sources(article.id)
    out.print(f"[bold]{shown(article.title)}[/]")
    out.print(f"id         {article.id}")
    out.print(f"outlet     {shown(article.outlet or '-')}")
    evidence = f"  (from: {shown(article.published_evidence)})" if article.published_evidence else ""
    out.print(f"published  {shown(article.published or '-')}{evidence}")
    out.print(f"dateline   {shown(article.dateline or '-')}")
    out.print(f"language   {shown(article.language or '-')}")
    for source in sources:
        out.print(f"source     {shown(source)}")
    out.print()
    for paragraph in article.paragraphs:
        out.print(shown(paragraph), soft_wrap=True)
        out.print()
    if article.boilerplate:
        out.print("[bold]removed[/]")
        for removed in article.boilerplate:
            out.print(f"  [dim]{shown(removed.reason)}[/]: {shown(removed.line)}")


@main.command()
@db_option
def errors(db) -> None:
    """Files and records that could not be read, with the reason."""
    with store_at(db) as store:
        problems = store.errors()
    if not problems:
        out.print("no errors")
    for problem in problems:
        out.print(f"{shown(problem.source)}: {shown(problem.reason)}")


@main.command()
@db_option
@click.option("--type", "kind", type=click.Choice(ENTITY_TYPES), help="Only entities of this type.")
def entities(db, kind) -> None:
    """Entities with their aliases and how many articles name them."""
    with store_at(db) as store:
        rows = sorted(store.entity_rows(kind), key=lambda e: (-len(e["article_ids"]), e["name"]))
    table = Table(box=None, pad_edge=False)
    for name in ("id", "type", "name", "articles", "aliases", "roles"):
        table.add_column(name, no_wrap=name in ("id", "type"))
    for row in rows:
        table.add_row(
            row["id"],
            row["type"],
            shown(row["name"]),
            str(len(row["article_ids"])),
            shown(", ".join(a for a in row["aliases"] if a != row["name"])),
            shown(", ".join(row["roles"][:3])),
        )
    out.print(table)


@main.command()
@click.argument("name")
@db_option
def entity(name, db) -> None:
    """One entity (by id, name or alias): its aliases, roles and mentions in context."""
    with store_at(db) as store:
        matches = store.entities_named(name)
        if not matches:
            raise click.ClickException(f"no entity named {name!r}")
        for row in matches:
            out.print(f"[bold]{shown(row['name'])}[/] ({row['type']}, {row['id']})")
            out.print(f"aliases  {shown(', '.join(row['aliases']))}")
            if row["roles"]:
                out.print(f"roles    {shown(', '.join(row['roles']))}")
            out.print(f"articles {len(row['article_ids'])}")
            for article_id, paragraph, text in store.entity_mentions(row["id"]):
                at = paragraph.find(text)
                context = paragraph[max(0, at - 60) : at + len(text) + 60] if at >= 0 else paragraph[:120]
                out.print(f"  {article_id}  …{shown(context)}…", soft_wrap=True)
            out.print()


@main.command()
@db_option
@click.option("--speaker", help="Only quotes by this entity (name or alias).")
def quotes(db, speaker) -> None:
    """Quotes grouped by statement: the same remark across outlets together."""
    from storylens.export import by_statement
    from storylens.understand.versions import quoted_otherwise

    with store_at(db) as store:
        rows = store.quote_rows()
        names = {e["id"]: e for e in store.entity_rows()}
        spoken = {e["id"] for e in store.entities_named(speaker)} if speaker else None
    if spoken is not None:
        rows = [q for q in rows if q["speaker_id"] in spoken]
    grouped = by_statement(rows, alone=True)
    for statement_id, members in sorted(grouped.items(), key=lambda kv: -len(kv[1])):
        ids = {q["speaker_id"] for q in members if q["speaker_id"]}
        who = ", ".join(names[i]["name"] for i in ids) or members[0]["speaker_text"] or "unknown speaker"
        out.print(
            f"[bold]{statement_id}[/]  {shown(who)}  ({len({q['article_id'] for q in members})} articles)"
        )
        otherwise = quoted_otherwise(members)
        for quote in members:
            mark = "“”" if quote["direct"] else "~"
            out.print(f"  {quote['article_id']} {mark} {shown(quote['text'])}", soft_wrap=True)
            if quote["id"] in otherwise:
                runs = ", ".join(f"“{quote['text'][a:b]}”" for a, b in otherwise[quote["id"]])
                out.print(f"      [yellow]worded otherwise than another outlet's version: {shown(runs)}[/]")
            cue = f"cue “{shown(quote['cue'])}”; " if quote["cue"] else ""
            out.print(
                f"      [dim]{shown(quote['form'])}, {cue}{shown(quote['speaker_text'] or 'no speaker')}: "
                f"{shown(quote['evidence'])}[/]",
                soft_wrap=True,
            )
        out.print()


@main.command()
@click.argument("article_id", required=False)
@db_option
def reuse(article_id, db) -> None:
    """Who copied whom: article pairs sharing text beyond quotations, with the passages."""
    with store_at(db) as store:
        if article_id:
            article = store.article(article_id)
            if article is None:
                raise click.ClickException(f"no article {article_id!r}")
            article_id = article.id
        rows = store.reuse_rows(article_id)
        titles = {row.id: row.title for row in store.article_rows()}
    if not rows:
        out.print("no reuse found")
    for row in rows:
        if row["copier"]:
            head = f"{row['copier']} took from {row['source']}"
            head += f"  ({row['derivation']}, by {row['direction_basis']})"
        else:
            head = f"{row['a']} and {row['b']} share text  (direction unknown)"
        out.print(f"[bold]{head}[/]")
        for side in ("a", "b"):
            share = row["shared_fraction_" + side]
            out.print(f"  {row[side]}  {shown(titles.get(row[side], ''))}  shares {share:.0%}")
        for passage in row["passages"]:
            mark = "quotation only" if passage["quotation"] else f"similarity {passage['similarity']:.2f}"
            out.print(f"    {shown('[' + mark + ']')} {shown(passage['a_text'])}", soft_wrap=True)
        out.print()


@main.command()
@db_option
def stories(db) -> None:
    """Stories (articles reporting the same event), oldest first: dates, size, outlets, title."""
    with store_at(db) as store:
        rows = store.story_rows()
    if not rows:
        out.print("no stories yet (ingest articles, or run storylens recluster)")
        return
    table = Table(box=None, pad_edge=False)
    for name in ("id", "first", "last"):
        table.add_column(name, no_wrap=True)
    table.add_column("articles", justify="right")
    table.add_column("outlets", justify="right")
    table.add_column("title", overflow="ellipsis", no_wrap=True)
    for row in rows:
        table.add_row(
            row["id"],
            shown((row["first_published"] or "-")[:10]),
            shown((row["last_published"] or "-")[:10]),
            str(row["size"]),
            str(len(row["outlets"])),
            shown(row["title"]),
        )
    out.print(table)


@main.command()
@click.argument("story_id")
@db_option
def story(story_id, db) -> None:
    """One story: its articles in time order, a cited summary, the facts two outlets or more carry,
    what each outlet alone carries or leaves out, and each outlet's distinctive words."""
    with store_at(db) as store:
        rows = store.story_rows(story_id)
        if len(rows) != 1:
            raise click.ClickException(
                f"no story {story_id[:80]!r}" if not rows else f"{story_id!r} is ambiguous"
            )
        row = rows[0]
        articles = {a.id: a for a in (store.article(aid) for aid in row["article_ids"]) if a}
    out.print(f"[bold]{shown(row['title'])}[/]")
    out.print(f"id         {row['id']}")
    out.print(f"dates      {shown(row['first_published'] or '-')} .. {shown(row['last_published'] or '-')}")
    out.print(f"outlets    {shown(', '.join(row['outlets']) or '-')}")
    out.print()
    number = {aid: i for i, aid in enumerate(row["article_ids"], start=1)}
    for aid in row["article_ids"]:
        article = articles[aid]
        out.print(
            f"  [{number[aid]}] {aid}  {shown(article.published or '-'):<25} "
            f"{shown(article.outlet or '-'):<20} {shown(article.title)}",
            soft_wrap=True,
        )
    if len(row["article_ids"]) < 2:
        return
    from storylens.export import by_statement, quote_record
    from storylens.understand.versions import quoted_otherwise_in

    with store_at(db) as store:
        comparison = pipeline.compare(store, row["id"])
        used = words_used_here(store, comparison.term_counts)
        quotes = [quote_record(q) for q in store.quotes_where("article_id", row["article_ids"])]
    statements = list(by_statement(quotes).values())

    def cites(ids) -> str:
        return shown("".join(f"[{n}]" for n in sorted(number[a] for a in ids)))

    out.print("\n[bold]summary[/] (each sentence cites the articles that carry it)")
    for sentence in comparison.summary:
        single = "  (one outlet only)" if sentence.single_source else ""
        otherwise = f"  (told otherwise by {cites(sentence.differs)})" if sentence.differs else ""
        if quoted := quoted_otherwise_in(sentence.text, statements):
            otherwise += f"  (quoted otherwise by {cites(quoted)})"
        line = f"  {shown(sentence.text)} {cites(sentence.article_ids)}{single}{otherwise}"
        out.print(line, soft_wrap=True)
    if len({a.outlet or a.id for a in articles.values()}) < 2:
        out.print("\n(every article is from one outlet: nothing to set side by side across outlets)")
    out.print("\n[bold]facts two outlets or more carry[/]")
    restated = comparison.restated_by()  # the articles the summary cites for telling a fact in other words

    def outlets_of(fact) -> set[str]:
        others = restated.get(fact.id, [])
        return set(fact.sources) | {articles[a].outlet or a for a in others if a in articles}

    def own_outlets(fact) -> set[str]:  # a sister station's reprint is no second report
        restating = {articles[a].outlet or a for a in restated.get(fact.id, []) if a in articles}
        return own_sources(fact, comparison.reprints) | restating

    listed = [f for f in comparison.facts if len(outlets_of(f)) >= 2][:12]
    for fact in sorted(listed, key=lambda f: -len(own_outlets(f))):
        flag = "  (disagrees with another report)" if fact.disagrees_with else ""
        also = f" (in other words {cites(restated[fact.id])})" if fact.id in restated else ""
        if copies := comparison.reprinted(fact):
            also += f" (reprinted by {cites(copies)})"
        count = f"{(n := len(own_outlets(fact)))} outlet{'s' * (n != 1)}"
        out.print(f"  {count}  {shown(fact.text)} {cites(fact.article_ids)}{also}{flag}", soft_wrap=True)
    if comparison.disagreements:
        out.print("\n[bold]where the reports disagree[/]")
        for entry in comparison.disagreements:
            changed = f" (told on different days: {changed_note(entry['why'])})" * entry["changed"]
            where = " / ".join(
                ", ".join(c["text"][a:b] for a, b in c.get("marks", [])) or "-" for c in entry["claims"]
            )
            out.print(f"  {shown(entry['why'])}: {shown(where)}{changed}")
            for side, claim in enumerate(entry["claims"]):
                out.print(f"    {cites([claim['article_id']])} {shown(claim['text'])}", soft_wrap=True)
                for alike in (c for c in entry.get("also", []) if c["side"] == side):
                    also = f"{cites([alike['article_id']])} {shown(alike['text'])}"
                    out.print(f"      so too {also}", soft_wrap=True)
    for heading, found, evidence in (
        ("only this outlet carries", comparison.outlet_only, comparison.only_evidence),
        ("left out, though most outlets carry it", comparison.outlet_omits, comparison.omission_evidence),
    ):
        if found:
            out.print(f"\n[bold]{heading}[/]")
        for source, texts in sorted(found.items()):
            out.print(f"  {shown(source)}")
            nearest = {e["text"]: e for e in evidence.get(source, [])}
            for text in texts:
                told_in = nearest.get(text, {}).get("article_ids")  # which of the outlet's reports
                out.print(f"    - {cites(told_in) + ' ' if told_in else ''}{shown(text)}", soft_wrap=True)
                if nearest.get(text, {}).get("nearest"):
                    e = nearest[text]
                    where = f"{e['outlet']}, " if e.get("outlet") else ""
                    said = f"      nearest ({shown(where)}{e['score']:.2f}): {shown(e['nearest'])}"
                    out.print(said, soft_wrap=True)
                if later := nearest.get(text, {}).get("overtaken_by"):
                    out.print(f"      no longer so: {changed_note(ARREST_SINCE)} {cites(later)}")
    if comparison.labels:
        out.print("\n[bold]one referent, different words[/]")
        for entry in comparison.labels:
            words = "; ".join(f"{word}: {', '.join(sources)}" for word, sources in entry["labels"].items())
            out.print(f"  {shown(entry['entity'])}  {shown(words)}", soft_wrap=True)
    framing = {source: terms for source, terms in comparison.framing.items() if terms}
    if framing:
        out.print("\n[bold]loaded words one outlet alone uses[/] (valence on VADER's -4..4 scale)")
        for source, terms in sorted(framing.items()):
            listed = ", ".join(f"{t} ({z:.1f})" if z else t for t, z in terms)  # 0.0: a verb VADER rates not
            out.print(f"  {shown(source)}: " + shown(listed))
    if used:
        out.print("\n[bold]each outlet's distinctive words across the store, used here[/]")
        for source, terms in used.items():
            out.print(f"  {shown(source)}: " + shown(", ".join(terms)))
