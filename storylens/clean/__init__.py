"""Cleaning: a RawDoc becomes an Article with its title, date, dateline and body.

Plain text goes through the line classifier (boilerplate.py); HTML goes through trafilatura
(extract.py). Everything removed is kept with its reason, for audit.
"""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field

from storylens.clean.boilerplate import (
    classify,
    cue,
    media_player,
    normalise_line,
    print_edition,
    site_notice,
    site_prompts,
    update_mark,
)
from storylens.clean.dateline import split_dateline, split_plain_dateline, without_lost_place
from storylens.clean.dates import date_field, find_date, is_date_line, metadata_date
from storylens.clean.extract import extract_html, host_outlet
from storylens.clean.language import detect_language
from storylens.clean.title import best_segment, find_title
from storylens.clean.words import content_keys
from storylens.model import Article, Problem, RawDoc, Removed, UnreadableInput

_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*$")
# Preference among labelled date fields: publication beats posting beats a bare date or update.
_FIELD_RANK = (("publish", 0), ("release", 0), ("posted", 1), ("date", 2), ("updated", 3))
# Fewer words than this is not an article (a bare prompt, a leftover caption).
MIN_BODY_WORDS = 8
# An article's text (paragraphs joined by blank lines) longer than this is no one article: the
# understanding stage parses at most this much (spaCy's own limit, understand.nlp.load_nlp).
MAX_ARTICLE_CHARS = 1_000_000
MEDIA_PLAYER = "photo caption, gallery or video player"
ONCE_WORDS = 15  # a paragraph this long said twice in one article is a copy (_once)
TEASERS = "teasers for other stories, above the dateline"
TEASERS_BEFORE = 40  # paragraphs above a dateline looked at for a block of teasers (_from_dateline)
SITE_NOTICE = "site notice (copyright, related story, account prompt)"
SITE_PROMPT = (
    "site prompt (click here, sign up, download the app, updates promised, a reporter's contact or credit)"
)
_IMAGE = re.compile(r"\bimage \d+ of /? ?\d+\b", re.I)  # a photo gallery's counter
_COUNTER = re.compile(rf"{_IMAGE.pattern}|\bCaption Close\b", re.I)  # ...and its caption's button
# A video playlist's entry: its length, then another story's title ("1:52 Houston barbecue restaurant
# owner shoots, kills suspected robber"), not a time of day ("10:03 PM - the first two officers …").
_PLAYLIST_ENTRY = re.compile(r"^\d{1,2}:\d{2} (?![AaPp]\.?[Mm]\b)\S")


def line_key(line: str) -> str:
    """A short hash of a normalised line, for counting lines across an outlet's pages."""
    return hashlib.sha1(normalise_line(line).encode()).hexdigest()[:16]


# C0 and C1 control characters (but tab and newline) are never article text; in a terminal
# they are escape sequences, so they go before anything is stored.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain(text: str) -> str:
    """Text with control characters removed and Unicode composed (NFC)."""
    return unicodedata.normalize("NFC", _CONTROLS.sub("", text))


def split_lines(text: str) -> list[str]:
    """Non-empty lines, whitespace-normalised; hard-wrapped paragraphs are re-joined."""
    text = plain(text.replace("\r", "\n"))
    lines: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text):
        rows = [" ".join(r.split()) for r in block.split("\n")]
        rows = [r for r in rows if r]
        wrapped = len(rows) > 1 and max(len(r) for r in rows) <= 100
        block_start = len(lines)
        for row in rows:
            previous = lines[-1] if len(lines) > block_start else ""
            joinable = wrapped and len(previous) >= 50 and not _SENTENCE_END.search(previous)
            if joinable and row[:1].islower():
                lines[-1] = f"{lines[-1]} {row}"
            else:
                lines.append(row)
    return lines


@dataclass
class Layout:
    """How a plain text splits into header, title, date line and body lines."""

    lines: list[str]
    title: str = ""
    title_index: int | None = None
    published: str | None = None
    published_evidence: str | None = None
    date_index: int | None = None
    body: list[int] = field(default_factory=list)  # indexes of the lines left to classify


def line_keys(text: str) -> set[str]:
    """The line_key of each line of a plain text: what an outlet's line counts count."""
    return {line_key(line) for line in split_lines(text)}


def text_layout(
    text: str,
    title: str | None = None,
    published: str | None = None,
    repeated: Collection[str] = (),
    outlet: str | None = None,
) -> Layout:
    """Find the title, the publication date and the candidate body lines of a plain text.

    Lines the outlet repeats on its other pages, and its own name, are never the title.
    """
    layout = Layout(lines=split_lines(text))
    lines = layout.lines
    outlet_name = normalise_line(outlet or "")
    structural = {
        i
        for i, line in enumerate(lines)
        if is_date_line(line)
        or date_field(line)
        or _is_cue(line)
        or line_key(line) in repeated
        or (outlet_name and normalise_line(line).startswith(outlet_name))
    }
    if title:
        layout.title = title
        wanted = normalise_line(title)
        for i, line in enumerate(lines[:8]):
            if wanted in normalise_line(line):
                if len(line) <= 2 * len(title) + 40:  # the title's line (perhaps with the site name)
                    layout.title_index = i
                elif line.startswith(title):  # the title run into the body: its line break was lost
                    lines[i] = line[len(title) :].strip()
                break  # else a body line that quotes the title: it stays body
    else:
        found = find_title(lines, structural)
        if found:
            layout.title_index, layout.title = found
    start = (layout.title_index + 1) if layout.title_index is not None else 0
    given = metadata_date(published)
    if given:
        layout.published, layout.published_evidence = given, f"metadata: {published}"
    else:
        _find_published(layout, start)
    layout.body = [i for i in range(start, len(lines)) if i != layout.date_index]
    return layout


def _is_cue(line: str) -> bool:
    return any(cue(line, g) for g in ("chrome", "related", "caption", "id_label", "signoff"))


def _find_published(layout: Layout, start: int) -> None:
    lines = layout.lines
    related_at = next(
        (i for i in range(len(lines)) if i >= len(lines) / 2 and cue(lines[i], "related")),
        len(lines),
    )
    fields = []
    for i, line in enumerate(lines[:related_at]):
        labelled = date_field(line)
        if labelled:
            rank = next((r for word, r in _FIELD_RANK if word in labelled[0]), 2)
            fields.append((rank, i, labelled[1].value))
    if fields:
        _, index, value = min(fields)
    else:
        # A date line right under the title; one above it is a page or crawl header.
        near = [i for i in range(start, min(start + 3, related_at)) if is_date_line(lines[i])]
        if not near:
            return
        index = near[0]
        value = find_date(lines[index]).value
    layout.published, layout.published_evidence, layout.date_index = value, lines[index], index


def clean(
    raw: RawDoc,
    repeated: Collection[str] = (),
    threshold: float = 0.5,
    weights: dict[str, float] | None = None,
) -> Article:
    """The Article in a RawDoc. `repeated` holds line_key()s the outlet's other pages repeat;
    `weights` replaces the line classifier's shipped model.

    Raises UnreadableInput when nothing of an article is left.
    """
    outlet = raw.outlet
    if raw.html is not None:
        title, paragraphs, removed, published, evidence, sitename = _clean_html(raw, repeated)
        outlet = outlet or sitename  # the name a page gives itself beats its host name
    else:
        title, paragraphs, removed, published, evidence = _clean_text(raw, repeated, threshold, weights)
    outlet = outlet or host_outlet(raw.url)
    paragraphs = _from_dateline(paragraphs, removed)
    dateline = None
    # The article's dateline: that of its first paragraph, or of the first below an update, a caption
    # or a standfirst (TEASERS_BEFORE) that opens on one with a dash, taken off the paragraph
    # ("LOUISVILLE, KY (WAVE) – One man …"; "ORIGINAL STORY:", "NOTE:" below the first are labels).
    found = next(filter(None, (_dateline_at(p, k) for k, p in enumerate(paragraphs[:TEASERS_BEFORE]))), None)
    if found:
        at, dateline, paragraphs[at] = found
    else:
        paragraphs = without_lost_place(paragraphs)
    paragraphs = [p for p in (" ".join(plain(p).split()) for p in paragraphs) if p]
    if raw.html is None:  # a scraped text's copies (HTML repeats are the page's own: a menu, a table)
        paragraphs = _once(paragraphs, removed)
    title = " ".join(plain(title).split()) if title else title
    if sum(len(p.split()) for p in paragraphs) < MIN_BODY_WORDS:
        raise UnreadableInput(raw.source, "no article text left after cleaning")
    if reason := too_long(paragraphs):
        raise UnreadableInput(raw.source, reason)
    title = title or _fallback_title(paragraphs)
    return Article(
        id=article_id(title, paragraphs),
        source=raw.source,
        outlet=outlet,
        title=title,
        published=published,
        published_evidence=evidence,
        language=detect_language(" ".join(paragraphs)),
        dateline=dateline,
        paragraphs=paragraphs,
        boilerplate=removed,
        url=raw.url,
        raw_hash=raw_hash(raw),
    )


def _clean_text(raw: RawDoc, repeated: Collection[str], threshold: float, weights):
    layout = text_layout(raw.text or "", raw.title, raw.published, repeated, raw.outlet)
    lines = layout.lines
    removed: list[Removed] = []
    first_body = layout.body[0] if layout.body else len(lines)
    for i in range(0, min(first_body, layout.title_index or 0)):
        if i != layout.date_index:
            removed.append(Removed(lines[i], "page header above the title"))
    if layout.title_index is not None and normalise_line(lines[layout.title_index]) != normalise_line(
        layout.title
    ):
        removed.append(Removed(lines[layout.title_index], f"site name beside the title {layout.title!r}"))
    if layout.date_index is not None:
        removed.append(Removed(lines[layout.date_index], "publication date"))
    body_lines = [lines[i] for i in layout.body]
    flags = [line_key(line) in repeated for line in body_lines]
    paragraphs, players = [], []
    for line, verdict in zip(body_lines, classify(body_lines, flags, threshold, weights), strict=True):
        if _set_aside(line, removed, players):
            continue
        if verdict.boilerplate:
            removed.append(Removed(line, f"{verdict.reason} (p={verdict.probability:.2f})"))
        else:
            paragraphs.extend(_without_site_notes(line, removed))
    paragraphs = _unless_all_there_is(paragraphs, players, removed)
    return layout.title, paragraphs, removed, layout.published, layout.published_evidence


def _clean_html(raw: RawDoc, repeated: Collection[str]):
    extracted = extract_html(raw.html or "", raw.source, raw.url)
    paragraphs = list(extracted.paragraphs)
    body_keys = content_keys(" ".join(paragraphs))
    title = raw.title or (best_segment(extracted.title, body_keys) if extracted.title else None)
    removed = [Removed(line, "outside the main content (trafilatura)") for line in extracted.removed]
    if title and paragraphs and normalise_line(paragraphs[0]) == normalise_line(title):
        removed.append(Removed(paragraphs.pop(0), "title repeated in the body"))
    # trafilatura already chose the body: drop only what has evidence against it, never by shape
    # (the plain-text classifier would strip lists and subheadings that HTML marks up).
    kept, players = [], []
    for i, line in enumerate(paragraphs):
        if i < 2 and is_date_line(line):
            removed.append(Removed(line, "date line"))
        elif line_key(line) in repeated:
            removed.append(Removed(line, "repeated on the outlet's other pages"))
        elif _is_cue(line):
            removed.append(Removed(line, "site chrome (cue pattern)"))
        elif not _set_aside(line, removed, players):
            kept.extend(_without_site_notes(line, removed))
    kept = _unless_all_there_is(kept, players, removed)
    given = metadata_date(raw.published)
    published = given or extracted.published
    evidence = f"metadata: {raw.published}" if given else extracted.published_evidence
    return title, kept, removed, published, evidence, extracted.sitename


def _set_aside(line: str, removed: list[Removed], players: list[str]) -> bool:
    """Whether the line is no article's prose whatever the classifier says, in text and HTML alike:
    a print edition note or a site notice (noted as removed), or a gallery's, player's or caption's
    line (put in `players`: _unless_all_there_is decides)."""
    if print_edition(line):
        removed.append(Removed(line, "print edition note"))
    elif site_notice(line):
        removed.append(Removed(line, SITE_NOTICE))
    elif media_player(line):
        players.append(line)
    else:
        return False
    return True


def _dateline_at(paragraph: str, k: int) -> tuple[int, str, str] | None:
    """(k, place, paragraph without it) when the `k`th paragraph opens with the article's dateline:
    below the first, one ending in a dash, not a colon ("NOTE:"), and a place of two words at most
    unless a comma or brackets mark it ("DES MOINES -", "FRANKLIN COUNTY (KMOV.com) –"; not a
    subheading, "QUESTIONABLE MEDICAL CLAIMS —")."""
    split = split_dateline(paragraph) or (split_plain_dateline(paragraph) if k == 0 else None)
    if split is None:
        return None
    place, rest = split
    prefix = paragraph[: len(paragraph) - len(rest)].rstrip()
    marked = "," in place or "(" in prefix
    if k == 0 or (not prefix.endswith(":") and (marked or len(place.split()) <= 2)):
        return k, place, rest
    return None


def _from_dateline(paragraphs: list[str], removed: list[Removed]) -> list[str]:
    """The paragraphs from the one that opens with a dateline, when those before it repeat one
    another: a block of teasers for the outlet's other stories, each printed twice (a link and its
    blurb), above the story ("LOUISVILLE, Ky. (WDRB) -- ..."). Without a repeat what comes before
    the dateline stays: an update on top of the story, a caption, a standfirst."""
    at = next((k for k, p in enumerate(paragraphs[:TEASERS_BEFORE]) if split_dateline(p)), 0)
    head = [" ".join(p.split()) for p in paragraphs[:at]]
    if len(set(head)) == len(head):
        return paragraphs
    removed.extend(Removed(p, TEASERS) for p in paragraphs[:at])
    return paragraphs[at:]


def _once(paragraphs: list[str], removed: list[Removed]) -> list[str]:
    """The paragraphs, each sentence-long one once: a paragraph of ONCE_WORDS words or more that a
    scraped text repeats word for word (a caption over the lede, a block of teasers printed twice)
    is told once, the copies noted as removed; a short line may repeat in a list or a table."""
    seen: set[str] = set()
    kept = []
    for paragraph in paragraphs:
        if paragraph in seen and len(paragraph.split()) >= ONCE_WORDS:
            removed.append(Removed(paragraph, "said again in the article"))
        else:
            seen.add(paragraph)
            kept.append(paragraph)
    return kept


def _unless_all_there_is(paragraphs: list[str], players: list[str], removed: list[Removed]) -> list[str]:
    """The paragraphs, the photo gallery's and video player's lines noted as removed; unless a
    photo gallery is all the page has (a gallery page, whose captions are its only text): then the
    captions of its images stay, without the counters ("Image 2 of 8", "Caption Close"). A video
    playlist left alone is no article: where one of its entries was set aside ("2:35 Remembering
    Officer Zamarripa … Pause"), every line of an entry's shape is another of them."""
    if any(_PLAYLIST_ENTRY.match(line) for line in players):
        entries = [p for p in paragraphs if _PLAYLIST_ENTRY.match(p)]
        players = players + entries
        paragraphs = [p for p in paragraphs if p not in entries]
    if players and sum(len(p.split()) for p in paragraphs) < MIN_BODY_WORDS:
        images = [line for line in players if _IMAGE.search(line)]
        captions = [" ".join(_COUNTER.sub(" ", line).split()) for line in images]
        kept = [c for c in captions if len(c.split()) >= MIN_BODY_WORDS]
        if kept:
            removed.extend(Removed(line, MEDIA_PLAYER) for line in players if line not in images)
            return paragraphs + kept
    removed.extend(Removed(line, MEDIA_PLAYER) for line in players)
    return paragraphs


def _without_site_notes(line: str, removed: list[Removed]) -> list[str]:
    """The line without the update marker it opens with ("UPDATE: 9 p.m. -- ") and without its
    sentences calling on the reader to do something on the site ("Click here to donate.",
    site_prompts), each noted as removed; nothing when they are all of it."""
    cut = update_mark(line)
    if cut:
        removed.append(Removed(line[:cut].strip(), "update marker"))
    rest, prompts = site_prompts(line[cut:].strip())
    removed.extend(Removed(prompt, SITE_PROMPT) for prompt in prompts)
    return [rest] if rest else []


def _fallback_title(paragraphs: list[str]) -> str:
    words = paragraphs[0].split()
    return " ".join(words[:12]) + ("\u2026" if len(words) > 12 else "")


def article_id(title: str, paragraphs: list[str]) -> str:
    """Stable id from the cleaned content: the same text always gets the same id."""
    text = "\n".join([title, *paragraphs])
    normal = " ".join(unicodedata.normalize("NFKC", text).split())
    return "a_" + hashlib.sha256(normal.encode()).hexdigest()[:16]


def raw_hash(raw: RawDoc) -> str:
    """Identity of a document as read (content, metadata and source), for idempotent re-ingest."""
    parts = [
        raw.source,
        raw.text or "",
        raw.html or "",
        raw.url or "",
        raw.outlet or "",
        raw.title or "",
        raw.published or "",
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def clean_document(task: tuple[RawDoc, frozenset[str]]) -> Article | Problem:
    """clean() a (document, repeated lines) task, or the Problem that keeps the document out: one
    hostile document never stops a batch (the engines' workers call this)."""
    raw, repeated = task
    try:
        return clean(raw, repeated)
    except UnreadableInput as exc:
        return Problem(exc.source, exc.reason)
    except RecursionError:
        return Problem(raw.source, "document nested too deeply to parse")
    except Exception as exc:  # one hostile document must not stop the batch
        print(f"storylens: {raw.source}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return Problem(raw.source, f"unexpected {type(exc).__name__} while cleaning")


def too_long(paragraphs: list[str]) -> str | None:
    """Why an article of these paragraphs cannot be analysed (longer than the parse reads), or None."""
    length = sum(len(p) + 2 for p in paragraphs) - 2  # as joined by blank lines
    if length <= MAX_ARTICLE_CHARS:
        return None
    return (
        f"article text too long to analyse ({length:,} characters, at most {MAX_ARTICLE_CHARS:,}); "
        "not one article, split it"
    )
