"""The folder walk: paths, directories (recursive, sorted), WARC files and "-" (stdin)
-> Source values, or InputError values for what cannot be listed, so a batch goes on.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePath
from typing import TextIO

from detector.errors import InputError

from .decode import MAX_BYTES
from .source import STDIN_NAME, Source, os_reason
from .warc import is_warc_file, iter_warc

# Suffixes picked up when walking a directory (each also with ".gz").
PAGE_SUFFIXES = (".html", ".htm", ".txt")

def iter_sources(inputs: Iterable[str], *, max_bytes: int = MAX_BYTES) -> Iterator[Source | InputError]:
    """Expand files, directories (recursively, sorted), WARC files and "-" (stdin).

    `inputs` may be any iterable (a path list read line by line); it is
    consumed lazily, as the sources are. A WARC record's payload is read here,
    at most `max_bytes` of it (`Options.max_bytes`): a larger record is an InputError.
    """
    for raw in inputs:
        if raw == "-":
            yield Source(STDIN_NAME, None, PurePath("stdin"))
            continue
        path = Path(raw)
        try:
            info = path.stat()
        except OSError as exc:
            yield InputError(raw, os_reason(exc, path))
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _expand_warcs(_walk(path), max_bytes)
        else:
            yield from _expand_warcs([Source(raw, path, PurePath(path.name))], max_bytes)


def read_path_list(stream: TextIO) -> Iterator[str]:
    """Paths from a list, one a line (blank lines skipped), read as they are needed."""
    for line in stream:
        path = line.rstrip("\r\n")
        if path:
            yield path


def _walk(root: Path) -> Iterator[Source | InputError]:
    """Depth-first walk in name order that visits each real directory once."""
    seen: set[tuple[int, int]] = set()
    first = _open_directory(root, seen)
    if isinstance(first, InputError):
        yield first
        return
    stack = [first]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        item = _classify_entry(entry, root)
        if isinstance(item, Path):
            entries = _open_directory(item, seen)
            if isinstance(entries, InputError):
                yield entries
            else:
                stack.append(entries)
        elif item is not None:
            yield item


def _open_directory(directory: Path, seen: set[tuple[int, int]]) -> Iterator[os.DirEntry] | InputError:
    """The directory's entries sorted by name, or why they cannot be listed."""
    try:
        info = directory.stat()
        if (info.st_dev, info.st_ino) in seen:
            return InputError(str(directory), "symlink loop (directory already visited)")
        seen.add((info.st_dev, info.st_ino))
        with os.scandir(directory) as entries:
            return iter(sorted(entries, key=lambda e: e.name))
    except OSError as exc:
        return InputError(str(directory), os_reason(exc, directory))


def _classify_entry(entry: os.DirEntry, root: Path) -> Source | InputError | Path | None:
    """A Source for a page file, a Path for a subdirectory, an error, or None to skip."""
    path = Path(entry.path)
    try:
        if entry.is_dir():  # follows symlinks; loops are caught by the seen set
            return path
        if not entry.is_file():
            if entry.is_symlink():
                path.stat()  # raises the reason: dangling link or loop
            if is_page_file(entry.name):  # reading a FIFO would wait for a writer forever
                return InputError(entry.path, "not a regular file (a FIFO, socket or device)")
            return None
    except OSError as exc:
        return InputError(entry.path, os_reason(exc, path))
    if not is_page_file(entry.name):
        return None
    return Source(entry.path, path, path.relative_to(root))


def is_page_file(name: str) -> bool:
    """Whether a file name looks like a page: .html .htm .txt, optionally .gz, or a WARC file."""
    name = name.lower()
    if is_warc_file(name):
        return True
    if name.endswith(".gz"):
        name = name[:-3]
    return name.endswith(PAGE_SUFFIXES)


def _expand_warcs(items: Iterable[Source | InputError], max_bytes: int) -> Iterator[Source | InputError]:
    """Sources as they are, except each WARC file becomes the page records it holds."""
    for item in items:
        if isinstance(item, Source) and item.path is not None and is_warc_file(item.path.name):
            yield from iter_warc(item, max_bytes=max_bytes)
        else:
            yield item
