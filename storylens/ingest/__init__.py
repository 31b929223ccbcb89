"""Readers: turn files on disk into RawDocs, one module per input format."""

from __future__ import annotations

import errno
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from storylens.config import Config
from storylens.ingest.html import read_html
from storylens.ingest.jsonl import read_jsonl
from storylens.ingest.manifest import FileMeta, with_metadata
from storylens.ingest.text import read_text
from storylens.ingest.warc import read_warc
from storylens.model import Problem, RawDoc, UnreadableInput

Reader = Callable[[Path, int], Iterable[RawDoc | Problem]]

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".txt.gz": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".html.gz": read_html,
    ".htm.gz": read_html,
    ".jsonl": read_jsonl,
    ".jsonl.gz": read_jsonl,
    ".warc": read_warc,
    ".warc.gz": read_warc,
}


def input_kind(path: Path) -> str | None:
    """The READERS key for a path (by its suffixes), or None if storylens cannot read it."""
    name = path.name.lower()
    for suffix in sorted(READERS, key=len, reverse=True):
        if name.endswith(suffix):
            return suffix
    return None


def discover(paths: Iterable[Path]) -> Iterator[Path]:
    """Every file to read under the given paths, sorted, hidden files skipped.

    Inside directories regular files of a known kind are taken, and whatever is neither a
    regular file nor a directory (a FIFO, a broken link, a symlink loop...) so that it is
    reported; a file named explicitly is always taken, so that an unknown kind is reported
    rather than silently ignored. Links to directories are not followed.
    """
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if hidden or child.is_dir() or (child.is_file() and not input_kind(child)):
                    continue
                yield child
        else:
            yield path


def read_path(path: Path, max_bytes: int) -> Iterator[RawDoc | Problem]:
    """Read one file; raise UnreadableInput if the file as a whole cannot be read."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise UnreadableInput(str(path), _missing(path, exc)) from exc
    if not stat.S_ISREG(mode):  # a FIFO would block the run, a device never end
        raise UnreadableInput(str(path), f"not a regular file ({_file_type(mode)})")
    kind = input_kind(path)
    if kind is None:
        raise UnreadableInput(str(path), f"unsupported file type {path.suffix or '(none)'!r}")
    yield from READERS[kind](path, max_bytes)


def _missing(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno == errno.ENOENT:
        return "broken symbolic link" if path.is_symlink() else "no such file"
    return f"cannot open: {exc.strerror}"


def _file_type(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "a device"


def batches(
    files: list[Path],
    config: Config,
    outlet: str | None,
    manifest: dict[str, FileMeta],
    progress: Callable[[int], None] | None,
) -> Iterator[tuple[list[RawDoc], list[Problem], list[str]]]:
    """The documents of these files in batches of config.batch_size, each with the problems met
    and the files finished since the last batch; `manifest` gives a file's url, outlet and date."""
    batch: list[RawDoc] = []
    problems: list[Problem] = []
    done: list[str] = []
    for path in files:
        meta = manifest.get(_resolved(path), FileMeta())
        try:
            for item in read_path(path, config.max_document_bytes):
                if isinstance(item, Problem):
                    problems.append(item)
                    continue
                batch.append(with_metadata(item, meta, outlet))
                if len(batch) >= config.batch_size:
                    yield batch, problems, done
                    batch, problems, done = [], [], []
            done.append(str(path))
        except UnreadableInput as exc:
            problems.append(Problem(exc.source, exc.reason))
        except Exception as exc:  # a reader bug or a hostile file must not stop the others
            problems.append(Problem(str(path), f"unexpected {type(exc).__name__}: {exc}"[:300]))
        if progress:
            progress(1)
    if batch or problems or done:
        yield batch, problems, done


def _resolved(path: Path) -> str:
    """The absolute path a manifest names `path` by (as it is, for a symbolic link loop)."""
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return str(path.absolute())
