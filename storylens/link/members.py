"""A story, and how it keeps its members' signatures in memory: no more than matching reads.

A stream that reaches follow-ups a year later keeps a year of stories in memory, so what a member
costs counts. A story keeps each member as `kept()` makes it: the embedding in float16 (as the
store keeps it, so nothing is lost), the hashed keys in int32 (the buckets fit) and only the
rarest specifics the story is looked up by. A story no article has joined for MAX_GAP_DAYS can
then only take a follow-up; the clusterer packs it (`pack()`): its members' arrays laid end to end
in a few flat ones, read back as views (`Packed.members()`) when an article is compared with it,
and unpacked for good when one joins. Packing loses nothing: the views hold the same values.
A clusterer given a `Shelf` keeps its packed stories in a temporary file instead (a year of
stories at 1,000 articles a day would not fit in memory): in memory a packed story then keeps
only what says whether an article is beyond its reach (its details, whether a member is undated),
and its members (and their embeddings summed) and its `Listing` (ids, headlines, dates, outlets,
scores) are read back, the same values, when needed.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from dataclasses import dataclass, field

import numpy as np

from storylens.link.pairs import Signature, Sparse
from storylens.understand.embed import DIMENSIONS

NO_DAY = np.iinfo(np.int64).min  # an undated member's day (or a member's missing bound)
PARTS = ("term_keys", "term_weights", "specific_keys", "specific_weights", "details", "rare")
# Each array of a Packed and its type, in the order a Shelf writes them.
FIELDS = {
    "vectors": np.float16, "days": np.int64, "sources": np.int64, "ends": np.int64,
    "term_keys": np.int32, "term_weights": np.float32, "specific_keys": np.int32,
    "specific_weights": np.float32, "details": np.int32, "rare": np.int32,
}  # fmt: skip


@dataclass(slots=True)
class Listing:
    """What a story lists of its members, in the order they joined (read by its users, never to
    match an article with it)."""

    article_ids: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    published: list[str | None] = field(default_factory=list)
    outlets: list[str | None] = field(default_factory=list)
    similarity: list[float] = field(default_factory=list)  # each member's score when it joined
    bounds: list[int] = field(default_factory=list)  # undated members' last possible days

    def to_bytes(self) -> bytes:
        """The lists as JSON (its floats read back exactly)."""
        return json.dumps([getattr(self, name) for name in self.__slots__]).encode()

    @classmethod
    def from_bytes(cls, blob: bytes) -> Listing:
        """A listing from to_bytes(); a day's and an outlet's string shared again."""
        ids, titles, published, outlets, similarity, bounds = json.loads(blob)
        published = [p and sys.intern(p) for p in published]
        return cls(ids, titles, published, [o and sys.intern(o) for o in outlets], similarity, bounds)


def kept(signature: Signature, rare: int) -> Signature:
    """A member's signature as a story keeps it (with its `rare` rarest specifics)."""
    return Signature(
        signature.vector.astype(np.float16),
        (signature.terms[0].astype(np.int32), signature.terms[1]),
        (signature.specifics[0].astype(np.int32), signature.specifics[1]),
        signature.day,
        signature.not_after,
        signature.details.astype(np.int32),
        signature.rare[:rare].astype(np.int32),
        signature.source,
    )


@dataclass
class Packed:
    """A story's kept members, laid end to end: one row each of `vectors` and `days` (day, last
    possible day), and for each of PARTS one flat array cut at `ends` (a column per part)."""

    vectors: np.ndarray  # (members, dimensions) float16
    days: np.ndarray  # (members, 2) int64, NO_DAY for None
    sources: np.ndarray  # (members,) int64: each member's outlet (Signature.source)
    ends: np.ndarray  # (members, len(PARTS)) int64: where each member's part ends
    term_keys: np.ndarray
    term_weights: np.ndarray
    specific_keys: np.ndarray
    specific_weights: np.ndarray
    details: np.ndarray
    rare: np.ndarray

    def __len__(self) -> int:
        return len(self.vectors)

    @property
    def undated(self) -> bool:
        """Whether one of the members has no date."""
        return bool((self.days[:, 0] == NO_DAY).any())

    def members(self) -> list[Signature]:
        """The kept signatures again (views into the flat arrays)."""
        ends = self.ends.tolist()
        starts = [[0] * len(PARTS), *ends[:-1]]
        flat = [getattr(self, part) for part in PARTS]
        found = []
        sources = self.sources.tolist()
        for i, (day, not_after) in enumerate(self.days.tolist()):
            tk, tw, sk, sw, de, ra = (a[s:e] for a, s, e in zip(flat, starts[i], ends[i], strict=True))
            found.append(
                Signature(
                    self.vectors[i],
                    (tk, tw),
                    (sk, sw),
                    None if day == NO_DAY else day,
                    None if not_after == NO_DAY else not_after,
                    de,
                    ra,
                    sources[i],
                )
            )
        return found


def pack(members: list[Signature]) -> Packed:
    """Kept members in their compact form (in the same order)."""
    columns = {
        "term_keys": [m.terms[0] for m in members],
        "term_weights": [m.terms[1] for m in members],
        "specific_keys": [m.specifics[0] for m in members],
        "specific_weights": [m.specifics[1] for m in members],
        "details": [m.details for m in members],
        "rare": [m.rare for m in members],
    }
    lengths = np.array([[len(a) for a in columns[part]] for part in PARTS]).T
    days = [[NO_DAY if x is None else x for x in (m.day, m.not_after)] for m in members]
    return Packed(
        np.stack([m.vector for m in members]),
        np.array(days, dtype=np.int64),
        np.array([m.source for m in members], dtype=np.int64),
        np.cumsum(lengths, axis=0).astype(np.int64),
        **{part: np.concatenate(columns[part]) for part in PARTS},
    )


def put_away(
    members: list[Signature], vector_sum: np.ndarray, shelf: Shelf | None, listing: Listing | None = None
) -> tuple[Packed | Shelved, np.ndarray | None]:
    """A story's members packed, and its vector sum: in memory (no shelf) or in the shelf (the
    vector sum then None), with its listing if given."""
    packed = pack(members)
    return (packed, vector_sum) if shelf is None else (shelf.put(packed, vector_sum, listing), None)


class Shelf:
    """Packed stories written one after the other to an anonymous temporary file (gone when the
    process ends), each read back whole when asked for."""

    def __init__(self):
        self.file = tempfile.TemporaryFile(prefix="storylens-stories-")
        self.end = 0  # bytes written

    def put(self, packed: Packed, vector_sum: np.ndarray, listing: Listing | None = None) -> Shelved:
        """Write a packed story, its members' embeddings summed (float32) and its listing, if
        given; returns what stands for it in memory."""
        arrays = [getattr(packed, name) for name in FIELDS] + [vector_sum]
        for name, array in zip([*FIELDS, "vector_sum"], arrays, strict=True):
            if array.dtype != (kind := np.dtype(FIELDS.get(name, np.float32))):
                raise TypeError(f"a packed story's {name} is {array.dtype}, not {kind}")
        head = [len(packed), packed.vectors.shape[1], *(len(getattr(packed, part)) for part in PARTS)]
        head.append(len(vector_sum))
        blob = b"".join([np.array(head, dtype=np.int64).tobytes(), *(a.tobytes() for a in arrays)])
        listed = b"" if listing is None else listing.to_bytes()
        os.pwrite(self.file.fileno(), blob + listed, self.end)
        self.end += len(blob) + len(listed)
        start = self.end - len(blob) - len(listed)
        return Shelved(self, start, len(blob), len(listed), len(packed), packed.undated, packed.details)

    def read_listing(self, offset: int, size: int) -> Listing:
        """The listing written at `offset`."""
        blob = os.pread(self.file.fileno(), size, offset)
        if len(blob) != size:
            raise OSError(f"{self.file.name}: short read of a story's listing at {offset}")
        return Listing.from_bytes(blob)

    def read(self, offset: int, size: int) -> tuple[Packed, np.ndarray]:
        """The packed story written at `offset` and its vector sum (arrays over one buffer read
        from the file)."""
        buffer = bytearray(size)
        if os.preadv(self.file.fileno(), [buffer], offset) != size:
            raise OSError(f"{self.file.name}: short read of a packed story at {offset}")
        head = np.frombuffer(buffer, dtype=np.int64, count=3 + len(PARTS))
        members, width, *lengths, dimensions = head.tolist()
        shapes = {"vectors": (members, width), "days": (members, 2), "sources": (members,)}
        shapes |= {"ends": (members, len(PARTS))} | {p: (n,) for p, n in zip(PARTS, lengths, strict=True)}
        found, at = {}, head.nbytes
        for name, kind in FIELDS.items():
            count = int(np.prod(shapes[name]))
            found[name] = np.frombuffer(buffer, dtype=kind, count=count, offset=at).reshape(shapes[name])
            at += count * np.dtype(kind).itemsize
        return Packed(**found), np.frombuffer(buffer, dtype=np.float32, count=dimensions, offset=at)


@dataclass(slots=True)
class Shelved:
    """A packed story kept in a Shelf: where it is, and what says whether an article is beyond
    its reach without reading it (link/stories.py's beyond_reach)."""

    shelf: Shelf
    offset: int
    size: int  # of the packed members and their sum
    listed: int  # bytes of the listing written after them (0: none written)
    count: int
    undated: bool  # whether one of the members has no date
    details: np.ndarray  # the members' details, end to end (as Packed keeps them)

    def __len__(self) -> int:
        return self.count

    def members(self) -> list[Signature]:
        """The kept signatures, read back from the shelf."""
        return self.shelf.read(self.offset, self.size)[0].members()

    def vector_sum(self) -> np.ndarray:
        """The members' embeddings summed, read back from the shelf."""
        return self.shelf.read(self.offset, self.size)[1]

    def listing(self) -> Listing:
        """The story's listing, read back from the shelf."""
        if not self.listed:
            raise ValueError("this story's listing was not shelved")
        return self.shelf.read_listing(self.offset + self.size, self.listed)


class Listed:
    """A list of a story's Listing, read as the story's own attribute (`story.article_ids`)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, story: Story | None, owner: type | None = None):
        return self if story is None else getattr(story.listed(), self.name)


@dataclass(slots=True)  # a year of stories in memory: no dict per story
class Story:
    id: str
    # Its members' ids, headlines, dates, outlets, scores (None while it is in a shelf).
    listing: Listing | None = field(default_factory=Listing)
    # The members' embeddings summed, unless the story is in a shelf (vector_sum reads it back).
    summed: np.ndarray | None = field(default_factory=lambda: np.zeros(DIMENSIONS, dtype=np.float32))
    held: list[Signature] = field(default_factory=list)  # members (link/members.py), unless packed
    packed: Packed | Shelved | None = None  # an old story's members, compact (see Clusterer.pack)
    own: Sparse | None = None  # its core (see core()), kept until a member joins
    first_day: int | None = None
    last_day: int | None = None

    article_ids = Listed()
    titles = Listed()
    published = Listed()
    outlets = Listed()
    similarity = Listed()
    bounds = Listed()

    def listed(self) -> Listing:
        """Its listing (read back from the shelf for a story kept there)."""
        return self.listing if self.listing is not None else self.packed.listing()

    def add_day(self, day: int | None) -> None:
        if day is not None:
            self.first_day = day if self.first_day is None else min(self.first_day, day)
            self.last_day = day if self.last_day is None else max(self.last_day, day)

    @property
    def first_published(self) -> str | None:
        dated = [p for p in self.published if p]
        return min(dated) if dated else None

    @property
    def last_published(self) -> str | None:
        dated = [p for p in self.published if p]
        return max(dated) if dated else None

    @property
    def members(self) -> list[Signature]:
        """The members' signatures, in the order they joined."""
        return self.held if self.packed is None else self.packed.members()

    def unpack(self) -> None:
        """Hold the members one by one, and the listing, again (an article joins)."""
        if self.packed is not None:
            self.summed, self.listing = self.vector_sum, self.listed()
            self.held, self.packed = self.packed.members(), None

    @property
    def vector_sum(self) -> np.ndarray:
        """The members' embeddings summed (read back from the shelf for a story kept there)."""
        return self.summed if self.summed is not None else self.packed.vector_sum()

    @vector_sum.setter
    def vector_sum(self, value: np.ndarray) -> None:
        self.summed = value

    @property
    def centroid(self) -> np.ndarray:
        norm = float(np.linalg.norm(summed := self.vector_sum))
        return summed / norm if norm else summed

    @property
    def title(self) -> str:
        """The most central headline: the member whose embedding is nearest the story's mean."""
        if not self.titles:
            return ""
        centroid = self.centroid
        scores = [float(np.dot(m.vector.astype(np.float32), centroid)) for m in self.members]
        best = max(range(len(scores)), key=lambda i: (scores[i], -i))
        return self.titles[best]

    def in_time_order(self) -> list[str]:
        dated = self.published
        order = sorted(range(len(self.article_ids)), key=lambda i: (dated[i] is None, dated[i] or "", i))
        return [self.article_ids[i] for i in order]
