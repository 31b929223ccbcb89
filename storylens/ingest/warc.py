"""WARC archives: every HTML response record becomes a document."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from storylens.ingest.files import decode
from storylens.model import Problem, RawDoc, UnreadableInput


def read_warc(path: Path, max_bytes: int) -> Iterator[RawDoc | Problem]:
    """Yield one RawDoc per HTML response record (size limit per record).

    Raises UnreadableInput when the archive is corrupt or holds no HTML response.
    """
    source = str(path)
    found = 0
    try:
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                content_type = record.http_headers.get_header("Content-Type") or ""
                if "html" not in content_type.lower():
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or source
                data = record.content_stream().read(max_bytes + 1)
                if len(data) > max_bytes:
                    yield Problem(url, f"record over the {max_bytes:,}-byte limit")
                    continue
                try:
                    html = decode(data, url)
                except UnreadableInput as exc:
                    yield Problem(url, exc.reason)
                    continue
                found += 1
                yield RawDoc(source=url, html=html, url=url, file=source)
    except (ArchiveLoadFailed, EOFError, ValueError, AttributeError) as exc:  # warcio, on garbage
        raise UnreadableInput(source, f"corrupt WARC archive ({_what(exc)})") from exc
    except OSError as exc:
        raise UnreadableInput(source, f"cannot read: {exc}") from exc
    if not found:
        raise UnreadableInput(source, "WARC archive has no HTML response records")


def _what(exc: Exception) -> str:
    """What went wrong, without the bytes warcio quotes from the file (ArchiveLoadFailed holds
    its first line, which may be binary)."""
    said = str(exc).split(":", 1)[0].strip()
    return said if isinstance(exc, ArchiveLoadFailed | EOFError) and said else type(exc).__name__
