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

from .decode import BINARY_MAGIC, MAX_BYTES, looks_like_html
from .source import STDIN_NAME, Source, os_reason
from .warc import SkipReport, is_warc_file, iter_warc

# Suffixes picked up when walking a directory (each also with ".gz").
PAGE_SUFFIXES = (".html", ".htm", ".txt")
# Files a saved site holds beside its pages, skipped by name without being opened.
# Any other file (.php, .xhtml, .shtml, no suffix, wget's "index.html?p=2") is read as a
# page when its first bytes look like HTML (`looks_like_html`).
NOT_PAGE_SUFFIXES = (
    ".css", ".js", ".mjs", ".json", ".map", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".ico",
    ".bmp", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".mp3", ".mp4", ".m4a", ".webm", ".ogg", ".wav",
    ".pdf", ".zip", ".tar", ".bz2", ".xz", ".7z", ".exe", ".bin", ".so", ".dll", ".pyc",
)
_SNIFF_BYTES = 8192

def iter_sources(inputs: Iterable[str], *, max_bytes: int = MAX_BYTES,
                 on_skip: SkipReport | None = None) -> Iterator[Source | InputError]:
    """Expand files, directories (recursively, sorted), WARC files and "-" (stdin).

    `inputs` may be any iterable (a path list read line by line); it is
    consumed lazily, as the sources are. A WARC record's payload is read here,
    at most `max_bytes` of it (`Options.max_bytes`): a larger record is an InputError.
    What a folder or a WARC file holds that is not a page is left out, and
    `on_skip(name, reason)` is told.
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
            yield from _expand_warcs(_walk(path, on_skip), max_bytes, on_skip)
        else:
            yield from _expand_warcs([Source(raw, path, PurePath(path.name))], max_bytes, on_skip)


def read_path_list(stream: TextIO) -> Iterator[str]:
    """Paths from a list, one a line (blank lines skipped), read as they are needed."""
    for line in stream:
        path = line.rstrip("\r\n")
        if path:
            yield path


def _walk(root: Path, on_skip: SkipReport | None) -> Iterator[Source | InputError]:
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
        item = _classify_entry(entry, root, on_skip)
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


def _classify_entry(entry: os.DirEntry, root: Path, on_skip: SkipReport | None) -> Source | InputError | Path | None:
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
    if is_page_file(entry.name):
        return Source(entry.path, path, path.relative_to(root))
    if not entry.name.lower().endswith(NOT_PAGE_SUFFIXES) and _sniffs_as_html(path):
        return Source(entry.path, path, path.relative_to(root), is_html=True)
    if on_skip is not None:
        on_skip(entry.path, "not a page by its name or its first bytes")
    return None


def _sniffs_as_html(path: Path) -> bool:
    """Whether a file of unknown kind starts like an HTML page (unreadable: not judged one here;
    files that are pages by name report their read errors when read)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return False
    if head.startswith(BINARY_MAGIC):
        return False
    return looks_like_html(head.decode("utf-8", errors="replace"))


def is_page_file(name: str) -> bool:
    """Whether a file name looks like a page: .html .htm .txt, optionally .gz, or a WARC file."""
    name = name.lower()
    if is_warc_file(name):
        return True
    if name.endswith(".gz"):
        name = name[:-3]
    return name.endswith(PAGE_SUFFIXES)


def _expand_warcs(items: Iterable[Source | InputError], max_bytes: int,
                  on_skip: SkipReport | None) -> Iterator[Source | InputError]:
    """Sources as they are, except each WARC file becomes the page records it holds."""
    for item in items:
        if isinstance(item, Source) and item.path is not None and is_warc_file(item.path.name):
            yield from iter_warc(item, max_bytes=max_bytes, on_skip=on_skip)
        else:
            yield item
