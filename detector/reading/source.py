"""One input -> Page: a file, stdin or a WARC record's payload, gunzipped if needed, decoded.

Problems with one input become InputError, naming the input and the reason.
"""

from __future__ import annotations

import errno
import gzip
import io
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import BinaryIO

from detector.errors import InputError
from detector.types import Page

from .decode import MAX_BYTES, decode_page, too_large

STDIN_NAME = "<stdin>"


@dataclass(frozen=True)
class Source:
    """One input to read: a file, stdin (`path` None), or a WARC record (`data` set).

    `relative` is the path below the input directory the file was found under
    (or just the file name), for building output paths. A WARC record carries
    its payload in `data`, `is_html` from its content type, `charset` from
    its HTTP Content-Type header, and its target URI and HTTP status.
    """

    name: str
    path: Path | None
    relative: PurePath
    data: bytes | None = None
    is_html: bool | None = None
    charset: str | None = None
    url: str | None = None
    http_status: int | None = None


def read_source(source: Source, *, max_bytes: int = MAX_BYTES, stdin: BinaryIO | None = None) -> Page:
    """Read a Source (its data, else stdin when its path is None), gunzip if needed, decode it."""
    data = source.data if source.data is not None else _read_bytes(source, max_bytes, stdin)
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, source.name, max_bytes)
    return decode_page(data, source.name, is_html=source.is_html, max_bytes=max_bytes, charset=source.charset)

def _read_bytes(source: Source, max_bytes: int, stdin: BinaryIO | None) -> bytes:
    try:
        if source.path is None:
            data = (stdin or sys.stdin.buffer).read(max_bytes + 1)
        else:
            size = source.path.stat().st_size
            if size > max_bytes:
                raise InputError(source.name, too_large(size, max_bytes))
            with source.path.open("rb") as handle:
                data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(source.name, os_reason(exc, source.path or Path("-"))) from exc
    if len(data) > max_bytes:
        raise InputError(source.name, too_large(None, max_bytes))
    return data


def _gunzip(data: bytes, name: str, max_bytes: int) -> bytes:
    """Decompress, reading at most max_bytes + 1 so a gzip bomb stops early."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(max_bytes + 1)
    except EOFError as exc:
        raise InputError(name, "truncated gzip data") from exc
    except (OSError, zlib.error) as exc:
        raise InputError(name, f"corrupt gzip data ({exc})") from exc
    if len(out) > max_bytes:
        raise InputError(name, too_large(None, max_bytes) + " once decompressed")
    return out


def os_reason(exc: OSError, path: Path) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    if exc.errno == errno.ENOENT and path.is_symlink():
        return "broken symbolic link"
    if exc.errno == errno.ENOENT:
        return "no such file or directory"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return exc.strerror or str(exc)
