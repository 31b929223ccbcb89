"""The dataclasses that flow between pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field


def one_line(text: str, limit: int = 200) -> str:
    """`text` as one line of printable characters, at most `limit` long (a reason quoting a
    hostile file may hold binary, control characters or many lines)."""
    line = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


class UnreadableInput(Exception):
    """A file or record that cannot become an article; carries the path and a one-line reason."""

    def __init__(self, source: str, reason: str):
        reason = one_line(reason)
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class TooLarge(UnreadableInput):
    """A document over the size limit (config.max_document_bytes)."""


@dataclass(frozen=True)
class RawDoc:
    """One document as a reader found it, before cleaning.

    Exactly one of `text` (scraped plain text) and `html` is set. `source` is the path the
    document was read from, or its URL for records inside JSONL and WARC containers.
    """

    source: str
    text: str | None = None
    html: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    file: str = ""  # the file on disk it came from (a container for JSONL/WARC records)


@dataclass(frozen=True)
class Problem:
    """A record inside a container that could not be read; the container itself goes on."""

    source: str
    reason: str

    def __post_init__(self):
        object.__setattr__(self, "reason", one_line(self.reason))


@dataclass(frozen=True)
class Removed:
    """A line the cleaner removed from the body, with the reason it gave."""

    line: str
    reason: str


@dataclass
class Article:
    id: str
    source: str
    outlet: str | None
    title: str
    published: str | None
    published_evidence: str | None
    language: str | None
    dateline: str | None
    paragraphs: list[str]
    boilerplate: list[Removed] = field(default_factory=list)
    url: str | None = None
    raw_hash: str = ""

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)


@dataclass
class IngestReport:
    """What one ingest run did: counts and the problems it met, per file or record."""

    files: int = 0
    documents: int = 0
    added: int = 0
    added_ids: list[str] = field(default_factory=list)  # the new articles' ids, in the order written
    duplicates: int = 0
    already_seen: int = 0
    analysed: int = 0
    problems: list[Problem] = field(default_factory=list)
