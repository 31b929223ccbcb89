"""The dataclasses that flow between pipeline stages."""

from __future__ import annotations

import sys
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


# Records the stages make and the store keeps (the store imports no stage).


@dataclass(slots=True)
class Mention:
    """A name in one article, where it stands and which local entity it belongs to."""

    paragraph: int
    start: int  # character offsets in the article text (paragraphs joined by blank lines)
    end: int
    text: str  # as written
    name: str  # without title, leading "the" or possessive
    type: str
    role: str | None = None
    local: int = -1  # index of the local entity in its article


@dataclass(slots=True)
class LocalEntity:
    """One entity within one article: its names, roles, type and mentions (plain data: its
    fullest name is understand.entities.fullest_name)."""

    index: int
    type: str
    names: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


def named_only(index: int, kind: str, names: list[str], roles: list[str], said: list[str]) -> LocalEntity:
    """A LocalEntity with what cross-article resolution reads: its mentions, in order, carry only
    their names (`said`), one shared Mention per name, so a hundred mentions of a name cost a
    hundred pointers; names are interned, since a store repeats a few names thousands of times."""
    shared: dict[str, Mention] = {}
    mentions = [shared.setdefault(n, Mention(0, 0, 0, n, n, kind)) for n in map(sys.intern, said)]
    return LocalEntity(index, kind, [sys.intern(n) for n in names], roles, mentions)


@dataclass
class MergeIndex:
    """What a resolution keeps so that the next one resolves only what new articles reach
    (storylens/resolution.py): each entity's merge keys (by its id), each article's context keys
    (the entities its local entities' merges weigh), and the state both were computed under."""

    keys: dict[str, set[str]]
    contexts: dict[str, set[str]]
    state: dict


@dataclass
class Quote:
    """A quote of one article: its words, form, cue and speaker, with how the speaker was found."""

    paragraph: int
    start: int
    end: int
    text: str
    direct: bool
    speaker_text: str | None
    speaker_kind: str  # person | organisation | document | group | unknown
    speaker_local: int | None  # index of the local entity that spoke, when one did
    form: str = "direct"  # direct | mixed | reported | transcript
    cue: str | None = None  # the reporting word ("said", "according to", ":")
    evidence: str = ""  # how the speaker was found


@dataclass(frozen=True)
class QuoteRef:
    """A stored quote as statement linking reads it: who said it, in which article."""

    id: str
    article_id: str
    speaker_id: str | None
    speaker_kind: str
    text: str


@dataclass(frozen=True)
class KeptText:
    """What statement linking keeps of one text of a resolved speaker, so that a new quote links
    again only the texts it can change (understand.statements.link_kept)."""

    threshold: float  # a new text of a cosine above it is among this text's nearest (-inf: any)
    component: str  # the texts joined to it by pairs that join, named by their smallest key


@dataclass(frozen=True)
class KeptBlock:
    """What statement linking keeps of a resolved speaker's block: a digest of its quote ids, and
    the KeptText of its texts by text key (`whole`: every text of the block, not some of them)."""

    digest: str
    texts: dict[str, KeptText]
    whole: bool = True


@dataclass(frozen=True)
class Passage:
    """One passage two articles share, with where it lies in each."""

    a_start: int  # token offsets
    a_end: int
    b_start: int
    b_end: int
    a_text: str
    b_text: str
    similarity: float  # share of the longer side that the anchors cover
    quotation: bool  # only a shared quotation of a third party


@dataclass
class Reuse:
    """Two articles that share passages, and which copied which when that is known."""

    a: str  # article ids, a < b
    b: str
    passages: list[Passage]
    shared_fraction_a: float
    shared_fraction_b: float
    copier: str | None = None
    source: str | None = None
    direction_basis: str = "unknown"  # published dates | containment | unknown
    derivation: str = "partially"  # wholly | partially (of the copier, METER's terms)
    evidence: list[str] = field(default_factory=list)

    @property
    def taken(self) -> float:
        """The share of the copier (of b while there is none) taken from the other."""
        return self.shared_fraction_a if self.copier == self.a else self.shared_fraction_b
