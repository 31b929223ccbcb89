"""Reading bytes from disk safely: size caps, gzip, and decoding with charset detection."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from charset_normalizer import from_bytes

from storylens.model import TooLarge, UnreadableInput

# Share of control characters above which decoded text is treated as binary.
_MAX_CONTROL_SHARE = 0.01
# Among decodings the detector finds equally clean (TIE), the commonest legacy encoding of web
# text wins: mostly-English text with a few accented letters reads the same in several code pages.
LEGACY = "cp1252"
TIE = 0.01
SPARSE = 0.05  # at most this share of bytes beyond ASCII: a few accented letters in Latin text


def is_gzip(path: Path) -> bool:
    return path.suffix.lower() == ".gz"


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """Return the (decompressed) bytes of a file; raise UnreadableInput/TooLarge on bad files."""
    source = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableInput(source, f"cannot open: {exc.strerror}") from exc
    if size == 0:
        raise UnreadableInput(source, "empty file")
    if not is_gzip(path) and size > max_bytes:
        raise TooLarge(source, f"{size:,} bytes is over the {max_bytes:,}-byte limit")
    try:
        if is_gzip(path):
            with gzip.open(path, "rb") as stream:
                data = stream.read(max_bytes + 1)
        else:
            data = path.read_bytes()
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise UnreadableInput(source, f"truncated or corrupt gzip ({exc})") from exc
    except OSError as exc:
        raise UnreadableInput(source, f"cannot read: {exc}") from exc
    if len(data) > max_bytes:
        raise TooLarge(source, f"over the {max_bytes:,}-byte limit once decompressed")
    if not data.strip():
        raise UnreadableInput(source, "empty file")
    return data


def decode(data: bytes, source: str) -> str:
    """Decode bytes as text: UTF-8 (with or without BOM) first, then detected charsets.

    Raises UnreadableInput for binary content or an encoding beyond repair.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(data.decode("utf-16"), source)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise UnreadableInput(source, "binary content (NUL bytes), not text")
    try:
        return _checked(data.decode("utf-8-sig"), source)
    except UnicodeDecodeError:
        pass
    matches = from_bytes(data)
    best = matches.best()
    if best is None or best.chaos > 0.2:
        raise UnreadableInput(source, "invalid text encoding (no charset decodes it cleanly)")
    sparse = sum(byte > 127 for byte in data) <= SPARSE * len(data)
    if any(_tied(m, best, sparse) and LEGACY in m.could_be_from_charset for m in matches):
        return _checked(data.decode(LEGACY), source)
    return _checked(str(best), source)


def _tied(match, best, sparse: bool) -> bool:
    """Whether a decoding reads as cleanly as the detector's best: as little chaos (within TIE)
    and, unless the text's bytes beyond ASCII are `sparse`, as coherent a language. A few accented
    letters in English text tell no code page from another ("naïve", "naďve" in cp1250, "na’ve" in
    cp775), and the detector's language guess on them is noise."""
    return match.chaos <= best.chaos + TIE and (sparse or match.coherence >= best.coherence - TIE)


def _checked(text: str, source: str) -> str:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if text and controls / len(text) > _MAX_CONTROL_SHARE:
        raise UnreadableInput(source, "binary content (control characters), not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")
