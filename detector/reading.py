"""Reading inputs: paths, path lists, WARC files and stdin -> Source -> bytes -> Page.

Problems with one input become InputError values (yielded by iter_sources,
raised by read_source and decode_page) so that a batch can go on.

A WARC file (.warc, .warc.gz) is many inputs: each HTTP response record with
an HTML content type is one Source named `file.warc.gz#<target URI>`, its
payload read as the file is walked (so a batch streams through the archive).
"""

from __future__ import annotations

import codecs
import errno
import gzip
import io
import os
import re
import stat
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import BinaryIO, Iterable, Iterator, TextIO

from detector.errors import InputError
from detector.types import Page

# 20 MB: more than ten times the largest real page in the development sets
# (1.8 MB, data/html); anything bigger is not a news page and would only
# cost memory and parsing time.
MAX_BYTES = 20 * 1024 * 1024

# Suffixes picked up when walking a directory (each also with ".gz").
PAGE_SUFFIXES = (".html", ".htm", ".txt")

STDIN_NAME = "<stdin>"

WARC_SUFFIXES = (".warc", ".warc.gz")
# Media types of the WARC response records read as pages; other records are skipped.
_HTML_MEDIA_TYPES = ("text/html", "application/xhtml+xml")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_-]+")  # no dots: output paths replace a suffix

# Leading bytes of common binary formats that people feed to text tools by mistake.
# Only signatures that cannot begin real text; the control-character share
# catches the other binary formats.
BINARY_MAGIC = (
    b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"PK\x03\x04", b"%PDF-",
    b"\x1f\x8b", b"\x7fELF", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"OggS\x00",
    b"\x00asm", b"\xfd7zXZ\x00", b"\x28\xb5\x2f\xfd", b"BZh91AY&SY",
)

# Share of control characters (NUL and other C0 codes except tab, newline,
# carriage return and form feed) above which data is binary. Real text has
# none; a few stray NULs in scraped text are stripped instead.
MAX_CONTROL_SHARE = 0.05
_MIN_BINARY_CONTROLS = 8  # so that one stray NUL in a one-line input is not "binary"
_SNIFF_BYTES = 64 * 1024  # how much of the start is enough to judge text vs binary, html vs text

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})""", re.I)
_HTML_START = re.compile(r"\s*(<!doctype\s+html|<html|<head|<body|<\?xml|<!--|<meta|<title)", re.I)
_HTML_TAG = re.compile(r"<(html|head|body|div|p|article|meta|title|span|table|br|a\s|h[1-6]|ul|li|section)\b[^>]{0,500}>", re.I)
_MIN_HTML_TAGS = 3  # plain text quoting one or two tags is still plain text

# The HTML standard reads these labels as windows-1252, and so do browsers.
_LATIN_GUESSES = {"cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_2", "iso8859_9",
                  "iso8859_15", "mac_roman", "mac_latin2",
                  # DOS and Baltic Latin pages: an English page with one "naïve" in
                  # windows-1252 came back as cp775 ("na’ve")
                  "cp437", "cp775", "cp850", "cp852", "cp858", "iso8859_4", "iso8859_10", "iso8859_13"}
_WINDOWS_1252_ALIASES = {"latin1", "latin_1", "iso8859_1", "ascii", "us_ascii", "iso_8859_1"}


@dataclass(frozen=True)
class Source:
    """One input to read: a file, stdin (`path` None), or a WARC record (`data` set).

    `relative` is the path below the input directory the file was found under
    (or just the file name), for building output paths. A WARC record carries
    its payload in `data` and `is_html` from its content type.
    """

    name: str
    path: Path | None
    relative: PurePath
    data: bytes | None = None
    is_html: bool | None = None


def iter_sources(inputs: Iterable[str]) -> Iterator[Source | InputError]:
    """Expand files, directories (recursively, sorted), WARC files and "-" (stdin).

    `inputs` may be any iterable (a path list read line by line); it is
    consumed lazily, as the sources are.
    """
    for raw in inputs:
        if raw == "-":
            yield Source(STDIN_NAME, None, PurePath("stdin"))
            continue
        path = Path(raw)
        try:
            info = path.stat()
        except OSError as exc:
            yield InputError(raw, _os_reason(exc, path))
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _expand_warcs(_walk(path))
        else:
            yield from _expand_warcs([Source(raw, path, PurePath(path.name))])


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
            item = _open_directory(item, seen)
            if not isinstance(item, InputError):
                stack.append(item)
                continue
        if item is not None:
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
        return InputError(str(directory), _os_reason(exc, directory))


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
        return InputError(entry.path, _os_reason(exc, path))
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


def is_warc_file(name: str) -> bool:
    return name.lower().endswith(WARC_SUFFIXES)


def _expand_warcs(items: Iterable[Source | InputError]) -> Iterator[Source | InputError]:
    """Sources as they are, except each WARC file becomes the page records it holds."""
    for item in items:
        if isinstance(item, Source) and item.path is not None and is_warc_file(item.path.name):
            yield from iter_warc(item)
        else:
            yield item


def iter_warc(source: Source, *, max_bytes: int = MAX_BYTES) -> Iterator[Source | InputError]:
    """One Source per HTML response record of a WARC file, payload read (and un-chunked,
    un-gzipped) here. A record that cannot be read is one InputError and the walk goes
    on; data that is not WARC at all ends the file with one InputError."""
    from warcio.archiveiterator import ArchiveIterator  # only WARC input pays for the import

    assert source.path is not None
    folder = source.relative.with_name(re.sub(r"\.gz$", "", source.relative.name, flags=re.I))
    count = 0
    try:
        with source.path.open("rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type != "response" or not _is_html_record(record):
                    continue
                count += 1
                yield _warc_record_source(source, record, folder, count, max_bytes)
    except OSError as exc:
        yield InputError(source.name, _os_reason(exc, source.path))
    except Exception as exc:  # warcio raises ArchiveLoadFailed and parsing errors of many kinds
        where = f"after record {count}" if count else "at the start"
        yield InputError(source.name, f"not readable as WARC {where} ({type(exc).__name__}: {exc})")


def _is_html_record(record) -> bool:
    if record.http_headers is None:
        return False
    media_type = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    return media_type in _HTML_MEDIA_TYPES


def _warc_record_source(warc: Source, record, folder: PurePath, number: int, max_bytes: int) -> Source | InputError:
    headers = record.rec_headers
    record_id = (headers.get_header("WARC-Record-ID") or "").strip("<> ")
    uri = (headers.get_header("WARC-Target-URI") or "").strip("<> ")
    name = f"{warc.name}#{uri or record_id or number}"
    # Output files are named by the record id: unique in the file, stable across runs
    # (so --skip-existing resumes), unlike target URIs, which repeat.
    stem = _UNSAFE_NAME.sub("_", record_id).strip("_")[:120] or f"record-{number:06d}"
    try:
        data = record.content_stream().read(max_bytes + 1)
    except Exception as exc:  # a broken chunked or gzip content encoding in one record
        return InputError(name, f"cannot read the WARC record payload ({type(exc).__name__}: {exc})")
    if len(data) > max_bytes:
        return InputError(name, _too_large(None, max_bytes))
    return Source(name, None, folder / stem, data=data, is_html=True)


def _os_reason(exc: OSError, path: Path) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    if exc.errno == errno.ENOENT and path.is_symlink():
        return "broken symbolic link"
    if exc.errno == errno.ENOENT:
        return "no such file or directory"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return exc.strerror or str(exc)


def read_source(source: Source, *, max_bytes: int = MAX_BYTES, stdin: BinaryIO | None = None) -> Page:
    """Read a Source (its data, else stdin when its path is None), gunzip if needed, decode it."""
    data = source.data if source.data is not None else _read_bytes(source, max_bytes, stdin)
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, source.name, max_bytes)
    return decode_page(data, source.name, is_html=source.is_html, max_bytes=max_bytes)


def _read_bytes(source: Source, max_bytes: int, stdin: BinaryIO | None) -> bytes:
    try:
        if source.path is None:
            data = (stdin or sys.stdin.buffer).read(max_bytes + 1)
        else:
            size = source.path.stat().st_size
            if size > max_bytes:
                raise InputError(source.name, _too_large(size, max_bytes))
            with source.path.open("rb") as handle:
                data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(source.name, _os_reason(exc, source.path or Path("-"))) from exc
    if len(data) > max_bytes:
        raise InputError(source.name, _too_large(None, max_bytes))
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
        raise InputError(name, _too_large(None, max_bytes) + " once decompressed")
    return out


def _too_large(size: int | None, max_bytes: int) -> str:
    """The reason for a too-large page; size None when only the limit is known (streams)."""
    if size is None:
        return f"page is over the {max_bytes:,}-byte limit"
    return f"page is {size:,} bytes, over the {max_bytes:,}-byte limit"


def decode_page(data: bytes | str, name: str, *, is_html: bool | None = None,
                max_bytes: int = MAX_BYTES) -> Page:
    """Turn raw bytes or text into a Page: decode, reject binary and empty input."""
    if len(data) > max_bytes:
        raise InputError(name, _too_large(len(data), max_bytes))
    if isinstance(data, bytes):
        text = _decode_bytes(data, name)
    else:
        text = data
        if _looks_binary(text[:_SNIFF_BYTES]):
            raise InputError(name, "binary data, not a web page or text")
    text = _clean_text(text)
    if not text.strip():
        raise InputError(name, "empty input")
    if is_html is None:
        is_html = looks_like_html(text)
    return Page(name=name, content=text, is_html=is_html)


def _decode_bytes(data: bytes, name: str) -> str:
    if not data.strip():
        raise InputError(name, "empty input")
    bom_text = _decode_bom(data)
    if bom_text is not None:
        return bom_text
    if data.startswith(BINARY_MAGIC) or _looks_binary(data[:_SNIFF_BYTES]):
        raise InputError(name, "binary data, not a web page or text")
    return _decode_text(data)


def _decode_bom(data: bytes) -> str | None:
    # UTF-32 first: its little-endian BOM begins with the UTF-16 one.
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    return None


def _decode_text(data: bytes) -> str:
    """UTF-8, else the declared charset, else charset-normalizer's guess.

    UTF-8 goes first: bytes in a legacy encoding almost never form valid UTF-8,
    while pages that declare latin-1 but are UTF-8 are common in scraped data.
    """
    for encoding in ("utf-8", declared_encoding(data[:_SNIFF_BYTES])):
        if encoding:
            try:
                return data.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                pass  # a wrong declaration is common; try the next guess
    return _guess_decode(data)


def _guess_decode(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return data.decode("utf-8", errors="replace")
    if best.encoding in _LATIN_GUESSES:
        # On short English text the detector cannot tell the Latin code pages
        # apart ("naïve" comes out as cp1250 "naďve"); browsers default to
        # windows-1252 there, and so do we.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return str(best)


def declared_encoding(head: bytes) -> str | None:
    """The Python codec named by an XML declaration or <meta> charset, if valid."""
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii", errors="ignore")
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None
    if codec.replace("-", "_") in _WINDOWS_1252_ALIASES:
        return "cp1252"
    if codec.startswith(("utf-16", "utf-32")):
        return None  # bytes without a BOM are ASCII-compatible, so the label is wrong
    return codec


def _looks_binary(sample: bytes | str) -> bool:
    pattern = _CONTROL_BYTES if isinstance(sample, bytes) else _CONTROL
    controls = len(pattern.findall(sample))
    return controls > _MIN_BINARY_CONTROLS and controls > MAX_CONTROL_SHARE * len(sample)


def _clean_text(text: str) -> str:
    """Drop stray NULs and other control characters; form feeds become newlines."""
    return _CONTROL.sub("", text.replace("\x0c", "\n"))


def looks_like_html(text: str) -> bool:
    """Sniff: starts like an HTML document, or carries several HTML tags early on."""
    head = text[:_SNIFF_BYTES]
    if _HTML_START.match(head):
        return True
    return len(_HTML_TAG.findall(head)) >= _MIN_HTML_TAGS
