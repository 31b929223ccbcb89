"""Manifests: a CSV that gives files the url, outlet and date their contents do not say."""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from pathlib import Path

from storylens.model import RawDoc


@dataclass(frozen=True)
class FileMeta:
    url: str | None = None
    outlet: str | None = None
    published: str | None = None


def read_manifest(path: Path) -> dict[str, FileMeta]:
    """A CSV with columns path,url,outlet,published; paths relative to the manifest's folder."""
    entries: dict[str, FileMeta] = {}
    with open(path, newline="", encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            file = (row.get("path") or "").strip()
            if not file:
                continue
            target = Path(file) if Path(file).is_absolute() else path.parent / file
            entries[str(target.resolve())] = FileMeta(
                url=(row.get("url") or "").strip() or None,
                outlet=(row.get("outlet") or "").strip() or None,
                published=(row.get("published") or "").strip() or None,
            )
    return entries


def with_metadata(raw: RawDoc, meta: FileMeta, outlet: str | None) -> RawDoc:
    """The document with what its file's manifest entry says (`outlet`, given for a whole run,
    before the manifest's)."""
    return replace(
        raw,
        outlet=outlet or meta.outlet or raw.outlet,
        url=raw.url or meta.url,
        published=meta.published or raw.published,
        source=meta.url if meta.url and raw.source == raw.file else raw.source,
    )
