"""Render the sample corpus (articles.src) into every input format storylens reads.

Run from anywhere: `python examples/sample/build.py`. It rewrites corpus/, broken/,
manifest.csv and truth.json next to this file; the output is committed,
so users do not need to run it. Each outlet has its own page chrome, as real sites do.
The output is the same on every run except the WARC record ids and dates warcio assigns.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import io
import json
import re
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
BROKEN = HERE / "broken"

HOSTS = {
    "Harbor Wire": "harborwire.example",
    "The Meridian Post": "meridianpost.example",
    "Osterlund Observer": "osterlundobserver.example",
    "Ruskor Sentinel": "ruskorsentinel.example",
}


def parse_source() -> list[dict]:
    text = (HERE / "articles.src").read_text(encoding="utf-8")
    articles = []
    for chunk in re.split(r"^### ", text, flags=re.M)[1:]:
        key, rest = chunk.split("\n", 1)
        head, body = rest.split("\n\n", 1)
        fields = dict(
            line.split(": ", 1) if ": " in line else (line.rstrip(":"), "") for line in head.splitlines()
        )
        paragraphs = [" ".join(p.split()) for p in body.strip().split("\n\n") if p.strip()]
        articles.append({"key": key.strip(), **fields, "paragraphs": paragraphs})
    return articles


def stamp(article: dict) -> datetime:
    value = article["published"]
    return datetime.fromisoformat(value if "T" in value else value + "T00:00")


def seeded(key: str, modulo: int) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % modulo


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]


def lede(article: dict) -> str:
    """First paragraph with the dateline in front, as the outlet prints it."""
    first = article["paragraphs"][0]
    return f"{article['dateline']} {first}" if article.get("dateline") else first


# -- plain-text outlets (scraped text, as a crawler saved it) ------------------------------------


def northgate_text(a: dict) -> str:
    when = stamp(a)
    crawled = when + timedelta(days=37)
    lines = [
        crawled.strftime("%A %d %B %Y").replace(" 0", " "),
        f"News ID: {80000 + seeded(a['key'], 9999)}",
        f"Publish Date: {when:%d %B %Y - %H:%M}",
        a["title"],
        lede(a),
        *a["paragraphs"][1:],
        "",
        "* Comment:",
    ]
    return "\n".join(lines) + "\n"


def valdria_today_text(a: dict) -> str:
    when = stamp(a)
    initials = ["KT/RM", "SH/PA", "AB/MK", "NR/PA"][seeded(a["key"], 4)]
    blocks = [
        a["title"],
        f"{when:%B} {when.day}, {when:%Y - %H:%M}",
        lede(a),
        *a["paragraphs"][1:],
        initials,
    ]
    return "\n\n".join(blocks) + "\nLeave a Comment\n"


def eastbrook_text(a: dict, teaser: dict) -> str:
    when = stamp(a)
    tw = stamp(teaser)
    caption = {
        "S1": "Valdrian and Kelmari officers at the signing ceremony in Ruskor",
        "S2": "A Kelmari border guard at the Drava pass",
        "S3": "Flooded streets in the centre of Tamsin",
        "S5": "The Central Bank of Kelmar building in Ruskor",
        "S6": "The headquarters of Osterland's tax agency in Brenholt",
    }[a["story"]]
    teaser_lede = teaser["paragraphs"][0][:95].rsplit(" ", 1)[0] + " \u2026"
    lines = [
        "Eastbrook Gazette | News, Opinion, Analysis",
        "",
        f"{a['title']} | EASTBROOK GAZETTE",
        "Select Page",
        f"Media ID: {55000000 + seeded(a['key'], 999999)}",
        "Caption:",
        "",
        f"{caption} via Harbor Wire Photo",
        "",
        f"Published: {when:%B} {when.day}, {when:%Y}",
        "",
        lede(a),
        "",
        *[p + "\n" for p in a["paragraphs"][1:]],
        "Check Also",
        "",
        f"{teaser['title']}, {tw:%B} {tw.day}, {tw:%Y}",
        "",
        teaser_lede,
    ]
    return "\n".join(lines) + "\n"


# -- HTML outlets ------------------------------------------------------------------------------


def meridian_html(a: dict) -> str:
    when = stamp(a)
    e = html.escape
    paragraphs = "\n".join(f"      <p>{e(p)}</p>" for p in a["paragraphs"])
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{e(a["title"])} | The Meridian Post</title>
  <meta property="og:title" content="{e(a["title"])}">
  <meta property="og:site_name" content="The Meridian Post">
  <meta property="article:published_time" content="{when:%Y-%m-%dT%H:%M:%S}+00:00">
  <link rel="canonical" href="{e(a["url"])}">
  <script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"page": "article"}});</script>
</head>
<body>
  <div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button></div>
  <header>
    <a class="logo" href="/">The Meridian Post</a>
    <nav><ul><li><a href="/world">World</a></li><li><a href="/business">Business</a></li>
    <li><a href="/tech">Tech</a></li><li><a href="/opinion">Opinion</a></li></ul></nav>
    <a class="subscribe" href="/subscribe">Subscribe for $1 a week</a>
  </header>
  <main>
    <article>
      <h1>{e(a["title"])}</h1>
      <div class="byline">By Meridian Post staff &middot; <time datetime="{when:%Y-%m-%dT%H:%M:%S}+00:00">{when:%B} {when.day}, {when:%Y}</time></div>
{paragraphs}
      <div class="share">Share this article: <a href="#">Facebook</a> <a href="#">X</a> <a href="#">Email</a></div>
    </article>
    <aside class="related">
      <h2>Most read</h2>
      <ul><li><a href="/a">Ten things to know before the markets open</a></li>
      <li><a href="/b">Opinion: The quiet crisis in our hospitals</a></li></ul>
    </aside>
  </main>
  <footer><p>&copy; 2025 The Meridian Post. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
  <script src="/static/analytics.js"></script>
</body>
</html>
"""


def observer_html(a: dict) -> str:
    when = stamp(a)
    e = html.escape
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": a["title"],
            "datePublished": f"{when:%Y-%m-%dT%H:%M:%S}+01:00",
        }
    )
    paragraphs = "\n".join(f"<p>{e(p)}</p>" for p in a["paragraphs"])
    first = f"<p>{e(lede(a))}</p>" if a.get("dateline") else ""
    body = first + "\n" + (paragraphs.split("\n", 1)[1] if first else paragraphs)
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{e(a["title"])} - Osterlund Observer</title>
<meta property="og:site_name" content="Osterlund Observer">
<script type="application/ld+json">{ld}</script></head>
<body><div id="top"><span>Osterlund Observer</span> <a href="/login">Log in</a> <a href="/newsletter">Sign up for our newsletter</a></div>
<div class="post"><h1 class="headline">{e(a["title"])}</h1>
<div class="post-content">
{body}
</div>
<div class="tags">Tags: Osterland, Politics</div></div>
<div class="more"><h3>More from the Observer</h3><a href="/x">Brenholt council approves new tram line</a></div>
<div class="foot">Osterlund Observer &bull; Brenholt &bull; Contact &bull; Advertise</div>
</body></html>
"""


def sentinel_html(a: dict) -> str:
    when = stamp(a)
    e = html.escape
    paragraphs = "\n".join(f"<p>{e(p)}</p>" for p in a["paragraphs"])
    return f"""<html><head><meta charset="utf-8"><title>{e(a["title"])}</title>
<meta name="date" content="{when:%Y-%m-%d}">
<meta property="og:site_name" content="Ruskor Sentinel"></head>
<body><table class="masthead"><tr><td>RUSKOR SENTINEL</td><td>Kelmar's first daily since 1921</td></tr></table>
<div class="menu">Home | National | Business | World | Sport</div>
<div class="story"><h2>{e(a["title"])}</h2>
<p class="date">{when:%d.%m.%Y}</p>
{paragraphs}
</div>
<div class="copyright">Copyright Ruskor Sentinel. Reproduction without permission is prohibited.</div>
</body></html>
"""


# -- containers --------------------------------------------------------------------------------


def wire_record(a: dict) -> dict:
    text = "\n\n".join([f"{a['dateline']} - {a['paragraphs'][0]}", *a["paragraphs"][1:]])
    return {
        "url": a["url"],
        "outlet": a["outlet"],
        "title": a["title"],
        "published": a["published"],
        "text": text,
    }


def write_warc(path: Path, records: list[tuple[str, str, bytes]]) -> None:
    """A gzipped WARC of HTTP responses: (url, content type, body) each."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for url, content_type, body in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def build() -> dict:
    articles = parse_source()
    by_key = {a["key"]: a for a in articles}
    for folder in (CORPUS, BROKEN):
        folder.mkdir(exist_ok=True)
        for old in folder.rglob("*"):
            if old.is_file():
                old.unlink()
    truth = {"articles": {}}
    manifest = ["path,url,outlet,published"]
    wire, sentinel_records, observer_pages = [], [], []
    eastbrook = [a for a in articles if a["outlet"] == "Eastbrook Gazette"]
    for a in articles:
        outlet, fmt, key = a["outlet"], a["format"], a["key"]
        name = f"{key}-{slug(a['title'])}"
        source = None
        if outlet == "Harbor Wire":
            wire.append(wire_record(a))
            source = a["url"]
        elif outlet == "The Meridian Post":
            path = CORPUS / "meridian" / f"{name}.html"
            path.parent.mkdir(exist_ok=True)
            path.write_text(meridian_html(a), encoding="utf-8")
        elif outlet == "Osterlund Observer":
            observer_pages.append((a["url"], observer_html(a)))
            source = a["url"]
        elif outlet == "Ruskor Sentinel" and fmt == "jsonl.gz":
            sentinel_records.append({"url": a["url"], "outlet": outlet, "html": sentinel_html(a)})
            source = a["url"]
        elif outlet == "Ruskor Sentinel":
            suffix = ".html.gz" if fmt == "html.gz" else ".html"
            path = CORPUS / "sentinel" / f"{name}{suffix}"
            path.parent.mkdir(exist_ok=True)
            data = sentinel_html(a).encode("utf-8")
            path.write_bytes(gz(data) if suffix.endswith(".gz") else data)
        else:
            folder = {
                "Northgate Daily": "northgate",
                "Valdria Today": "valdria-today",
                "Eastbrook Gazette": "eastbrook",
            }[outlet]
            if outlet == "Northgate Daily":
                text = northgate_text(a)
            elif outlet == "Valdria Today":
                text = valdria_today_text(a)
            else:
                others = [o for o in eastbrook if o["key"] != key]
                text = eastbrook_text(a, others[seeded(key, len(others))])
            suffix = ".txt.gz" if fmt == "txt.gz" else ".txt"
            path = CORPUS / folder / f"{name}{suffix}"
            path.parent.mkdir(exist_ok=True)
            if fmt == "txt.gz":
                path.write_bytes(gz(text.encode("utf-8")))
            elif fmt == "txt-cp1252":
                path.write_bytes(text.encode("cp1252"))  # an old site's encoding: storylens must detect it
            else:
                path.write_text(text, encoding="utf-8")
            manifest.append(f"{path.relative_to(HERE)},,{outlet},")
        if source is None:
            source = str(path.relative_to(HERE))
        truth["articles"][key] = {
            "source": source,
            "story": a["story"],
            "outlet": outlet,
            "title": a["title"],
            "published_date": a["published"][:10],
            "dateline": _place(a.get("dateline")),
            "paragraphs": a["paragraphs"],
        }
    wire_path = CORPUS / "harborwire" / "wire-2024-2025.jsonl"
    wire_path.parent.mkdir(exist_ok=True)
    wire_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in wire), encoding="utf-8")
    # The same wire story saved again by a mirror site: one article, two sources.
    strike = by_key["D1"]
    mirror = CORPUS / "mirror" / "port-ellis-strike.txt"
    mirror.parent.mkdir(exist_ok=True)
    mirror.write_text(f"{strike['title']}\n\n{wire_record(strike)['text']}\n", encoding="utf-8")
    truth["duplicates"] = [[strike["url"], str(mirror.relative_to(HERE))]]
    sentinel_path = CORPUS / "sentinel" / "feed-2025.jsonl.gz"
    sentinel_path.write_bytes(gz("".join(json.dumps(r) + "\n" for r in sentinel_records).encode()))
    (CORPUS / "observer").mkdir(exist_ok=True)
    robots = (
        "https://osterlundobserver.example/robots.txt",
        "text/plain",
        b"User-agent: *\nDisallow: /login\n",
    )
    pages = [(url, "text/html; charset=utf-8", page.encode("utf-8")) for url, page in observer_pages]
    write_warc(CORPUS / "observer" / "crawl-2025.warc.gz", [robots, *pages])
    (HERE / "manifest.csv").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    truth["broken"] = write_broken()
    (HERE / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return truth


def _place(dateline: str | None) -> str | None:
    if not dateline:
        return None
    return re.split(r"\s*(?:\(|\u2014|\u2013|--|,\s*[A-Z][a-z]+ \d)", dateline)[0].strip() or None


def write_broken() -> dict[str, str]:
    """One file of each bad kind, with the reason storylens should give (a substring)."""
    (BROKEN / "empty.txt").write_bytes(b"")
    (BROKEN / "image-renamed.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    whole = gz(("Truncated story line.\n" * 400).encode())
    (BROKEN / "truncated.txt.gz").write_bytes(whole[: len(whole) // 2])
    (BROKEN / "huge.txt.gz").write_bytes(gz(b"All work and no play makes a huge file.\n" * 560_000))
    (BROKEN / "mixed-encodings.txt").write_bytes(
        b"Port Ellis " + bytes(range(128, 256)) * 3 + "na\u00efve".encode("utf-8") * 5
    )
    (BROKEN / "scripts-only.html").write_text(
        "<html><head><script>document.write('<p>' + atob('SGVsbG8=') + '</p>')</script></head>"
        "<body><script>fetch('/track?' + document.cookie)</script><noscript>Enable JavaScript.</noscript></body></html>",
        encoding="utf-8",
    )
    write_warc(
        BROKEN / "no-html.warc.gz", [("https://example.org/report.pdf", "application/pdf", b"%PDF-1.4 fake")]
    )
    (BROKEN / "not-json.jsonl").write_text('{"title": "cut off\n<html>not json</html>\n', encoding="utf-8")
    return {
        "broken/empty.txt": "empty",
        "broken/image-renamed.txt": "binary",
        "broken/truncated.txt.gz": "gzip",
        "broken/huge.txt.gz": "limit",
        "broken/mixed-encodings.txt": "encoding",
        "broken/scripts-only.html": "no article text",
        "broken/no-html.warc.gz": "no HTML",
        "broken/not-json.jsonl": "no article records",
    }


if __name__ == "__main__":
    result = build()
    print(f"{len(result['articles'])} articles, {len(result['broken'])} broken files written under {HERE}")
