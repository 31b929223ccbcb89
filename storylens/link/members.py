"""How a story keeps its members' signatures in memory: no more than matching reads.

A stream that reaches follow-ups a year later keeps a year of stories in memory, so what a member
costs counts. A story keeps each member as `kept()` makes it: the embedding in float16 (as the
store keeps it, so nothing is lost), the hashed keys in int32 (the buckets fit) and only the
rarest specifics the story is looked up by. A story no article has joined for MAX_GAP_DAYS can
then only take a follow-up; the clusterer packs it (`pack()`): its members' arrays laid end to end
in a few flat ones, read back as views (`Packed.members()`) when an article is compared with it,
and unpacked for good when one joins. Packing loses nothing: the views hold the same values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from storylens.link.pairs import Signature

NO_DAY = np.iinfo(np.int64).min  # an undated member's day (or a member's missing bound)
PARTS = ("term_keys", "term_weights", "specific_keys", "specific_weights", "details", "rare")


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
