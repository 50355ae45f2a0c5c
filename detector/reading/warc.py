"""WARC files (.warc, .warc.gz): each HTTP response record with an HTML content type
and a 2xx status is one Source named `file.warc.gz#<target URI>`, its payload read
as the file is walked (so a batch streams through the archive), at most `max_bytes`
of it, with the charset its Content-Type header declares. Responses with another
status (404 pages, server errors, redirects) are not articles: they are skipped and
reported through `on_skip`. `iter_warc_records` gives each record's URI and id beside
its page (for outputs that keep them, as the Spark job's rows do).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from detector.errors import InputError

from .decode import MAX_BYTES, too_large
from .source import Source, os_reason

WARC_SUFFIXES = (".warc", ".warc.gz")
# Media types of the WARC response records read as pages; other records are skipped.
_HTML_MEDIA_TYPES = ("text/html", "application/xhtml+xml")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_-]+")  # no dots: output paths replace a suffix
_MAX_STEM = 120  # characters of an output file name taken from a URL
_CHARSET = re.compile(r";\s*charset\s*=\s*([^;\s]+)", re.I)


# Told about each input left out, with the reason: (name, reason).
SkipReport = Callable[[str, str], None]


def is_warc_file(name: str) -> bool:
    return name.lower().endswith(WARC_SUFFIXES)

@dataclass(frozen=True)
class WarcRecord:
    """One HTML response record: its target URI and record id, and its page to clean
    (or the InputError that reading its payload gave)."""

    uri: str
    record_id: str
    page: Source | InputError


def iter_warc(source: Source, *, max_bytes: int = MAX_BYTES,
              on_skip: SkipReport | None = None) -> Iterator[Source | InputError]:
    """One Source per HTML response record of a WARC file, payload read (and un-chunked,
    un-gzipped) here. A record that cannot be read is one InputError and the walk goes
    on; data that is not WARC at all ends the file with one InputError."""
    for item in iter_warc_records(source, max_bytes=max_bytes, on_skip=on_skip):
        yield item.page if isinstance(item, WarcRecord) else item


def iter_warc_records(source: Source, *, max_bytes: int = MAX_BYTES,
                      on_skip: SkipReport | None = None) -> Iterator[WarcRecord | InputError]:
    """`iter_warc` with each record's URI and id beside its page; an InputError here is
    about the whole file (unreadable, or not WARC from some point on)."""
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
                status = _status(record)
                if status is not None and not 200 <= status < 300:
                    if on_skip is not None:
                        on_skip(_record_name(source, record, count), f"HTTP status {status}, not a page")
                    continue
                yield _warc_record(source, record, folder, count, max_bytes, status)
    except OSError as exc:
        yield InputError(source.name, os_reason(exc, source.path))
    except Exception as exc:  # warcio raises ArchiveLoadFailed and parsing errors of many kinds
        where = f"after record {count}" if count else "at the start"
        yield InputError(source.name, f"not readable as WARC {where} ({type(exc).__name__}: {exc})")


def _is_html_record(record: Any) -> bool:
    if record.http_headers is None:
        return False
    media_type = _content_type(record).split(";")[0].strip().lower()
    return media_type in _HTML_MEDIA_TYPES


def _content_type(record: Any) -> str:
    return record.http_headers.get_header("Content-Type") or ""


def record_charset(content_type: str) -> str | None:
    """The charset a Content-Type header declares ("text/html; charset=ISO-8859-2"), or None."""
    match = _CHARSET.search(content_type)
    return match.group(1).strip("\"'") if match else None


def _status(record: Any) -> int | None:
    try:
        return int(record.http_headers.get_statuscode())
    except (TypeError, ValueError):
        return None


def _target_uri(record: Any) -> str:
    return (record.rec_headers.get_header("WARC-Target-URI") or "").strip("<> ")


def _record_name(warc: Source, record: Any, number: int) -> str:
    record_id = (record.rec_headers.get_header("WARC-Record-ID") or "").strip("<> ")
    return f"{warc.name}#{_target_uri(record) or record_id or number}"


def output_stem(uri: str, record_id: str, number: int) -> str:
    """A record's output name: its URL without the scheme, made safe ("news.example/a/b?p=2" ->
    "news_example_a_b_p_2"); a URL cut to fit keeps a hash of the whole. Repeated URLs
    (a page crawled twice) are told apart by the batch's output names (`~2`)."""
    readable = re.sub(r"^[a-z][a-z0-9+.-]*://", "", uri, flags=re.I)
    stem = _UNSAFE_NAME.sub("_", readable).strip("_")
    if len(stem) > _MAX_STEM:
        stem = stem[: _MAX_STEM - 13] + "_" + hashlib.sha256(uri.encode()).hexdigest()[:12]
    return stem or _UNSAFE_NAME.sub("_", record_id).strip("_")[:_MAX_STEM] or f"record-{number:06d}"


def _warc_record(warc: Source, record: Any, folder: PurePath, number: int,
                 max_bytes: int, status: int | None) -> WarcRecord:
    record_id = (record.rec_headers.get_header("WARC-Record-ID") or "").strip("<> ")
    uri = _target_uri(record)
    name = _record_name(warc, record, number)
    try:
        data = record.content_stream().read(max_bytes + 1)
    except Exception as exc:  # a broken chunked or gzip content encoding in one record
        return WarcRecord(uri, record_id, InputError(name, f"cannot read the WARC record payload ({type(exc).__name__}: {exc})"))
    if len(data) > max_bytes:
        return WarcRecord(uri, record_id, InputError(name, too_large(None, max_bytes)))
    page = Source(name, None, folder / output_stem(uri, record_id, number), data=data, is_html=True,
                  charset=record_charset(_content_type(record)), url=uri or None, http_status=status)
    return WarcRecord(uri, record_id, page)
