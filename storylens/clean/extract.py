"""HTML pages: the article body and metadata with trafilatura, and the page's visible lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml import etree

from storylens.clean.dates import find_date
from storylens.model import UnreadableInput

_INVISIBLE = ("script", "style", "noscript", "template", "svg", "iframe", "object", "head")
_BLOCKS = {
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "tr",
    "td",
    "th",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "blockquote",
    "pre",
    "figcaption",
    "dt",
    "dd",
    "ul",
    "ol",
    "table",
    "form",
    "main",
    "figure",
    "address",
    "hr",
    "title",
    "option",
    "button",
}
_DATE_ATTRS = re.compile(r"(published|pubdate|date|created|issued)", re.I)


@dataclass(frozen=True)
class Extracted:
    title: str | None
    paragraphs: list[str]
    published: str | None
    published_evidence: str | None
    sitename: str | None
    removed: list[str]  # visible page lines that are not part of the body


def parse_html(html: str, source: str) -> lxml.html.HtmlElement:
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableInput(source, f"HTML does not parse ({exc})") from exc


def visible_lines(tree: lxml.html.HtmlElement) -> list[str]:
    """The text a reader sees, one line per block element; scripts and styles dropped."""
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = " ".join(" ".join(current).split())
        if text:
            lines.append(text)
        current.clear()

    def walk(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _INVISIBLE:
            if element.tail:
                current.append(element.tail)
            return
        block = tag in _BLOCKS
        if block:
            flush()
        if element.text and tag:
            current.append(element.text)
        for child in element:
            walk(child)
        if block:
            flush()
        if element.tail:
            current.append(element.tail)

    body = tree.find("body")
    walk(body if body is not None else tree)
    flush()
    return lines


def extract_html(html: str, source: str, url: str | None = None) -> Extracted:
    """Body and metadata of an HTML page; raises UnreadableInput when it holds no article text."""
    tree = parse_html(html, source)
    # favor_precision: news readers want the story, not the page; measured in bench/extraction.py.
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
    )
    text = document.text if document is not None else ""
    paragraphs = [" ".join(p.split()) for p in (text or "").split("\n") if p.strip()]
    if not paragraphs:
        raise UnreadableInput(source, "no article text in HTML (only markup, scripts or chrome)")
    body = set(paragraphs)
    removed = [line for line in visible_lines(parse_html(html, source)) if line not in body]
    published = document.date if document is not None else None
    evidence = None
    if published:
        evidence, stamp = _date_evidence(tree, published)
        # htmldate gives the day; the markup it came from often has the time too.
        precise = find_date(stamp) if stamp else None
        if precise and precise.value.startswith(published):
            published = precise.value
    return Extracted(
        title=(document.title or None) if document is not None else None,
        paragraphs=paragraphs,
        published=published,
        published_evidence=evidence,
        sitename=(document.sitename or None) if document is not None else None,
        removed=removed,
    )


def host_outlet(url: str | None) -> str | None:
    """The outlet a URL names: its host without "www." (None for no URL or no host)."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    host = host.removeprefix("www.").removeprefix("m.").removeprefix("amp.")
    return host or None


def _date_evidence(tree: lxml.html.HtmlElement, value: str) -> tuple[str, str | None]:
    """The markup the date was most likely read from, and the timestamp it holds."""
    for element in tree.iter("meta", "time"):
        try:
            attrs = dict(element.attrib)
        except ValueError:  # an attribute lxml parsed but cannot give back (control characters)
            continue
        content = attrs.get("content") or attrs.get("datetime") or ""
        named = " ".join(attrs.get(k, "") for k in ("property", "name", "itemprop"))
        if content.startswith(value) and (element.tag == "time" or _DATE_ATTRS.search(named)):
            shown = " ".join(f'{k}="{v}"' for k, v in attrs.items())
            return f"<{element.tag} {shown}>"[:200], content
    for script in tree.iter("script"):
        if "ld+json" in (script.get("type") or "") and script.text:
            match = re.search(r'"datePublished"\s*:\s*"([^"]+)"', script.text)
            if match and match.group(1).startswith(value):
                return f'JSON-LD "datePublished": "{match.group(1)}"', match.group(1)
    return "htmldate: page markup", None
