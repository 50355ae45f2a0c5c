"""Decoding: raw bytes or text -> Page (any declared or sniffed encoding; binary and
empty input refused as InputError).

The encoding is chosen in this order: a byte-order mark; UTF-8; the charset the
transport declared (a WARC record's HTTP Content-Type); the document's own XML
declaration or <meta> charset; charset-normalizer's guess.
"""

from __future__ import annotations

import codecs
import re

from detector.errors import InputError
from detector.types import Page

# 20 MB: more than ten times the largest real page in the development sets
# (1.8 MB, data/html); anything bigger is not a news page and would only
# cost memory and parsing time.
MAX_BYTES = 20 * 1024 * 1024

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


def decode_page(data: bytes | str, name: str, *, is_html: bool | None = None,
                max_bytes: int = MAX_BYTES, charset: str | None = None) -> Page:
    """Turn raw bytes or text into a Page: decode, reject binary and empty input.

    `charset` is what the transport declared for bytes (an HTTP Content-Type charset),
    tried after UTF-8 and before the document's own declaration.
    """
    if len(data) > max_bytes:
        raise InputError(name, too_large(len(data), max_bytes, "characters" if isinstance(data, str) else "bytes"))
    if isinstance(data, bytes):
        text = _decode_bytes(data, name, charset)
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


def too_large(size: int | None, max_bytes: int, unit: str = "bytes") -> str:
    """The reason for a too-large page; size None when only the limit is known (streams).
    A str is measured in characters against the same limit (`Options.max_bytes`)."""
    if size is None:
        return f"page is over the {max_bytes:,}-{unit[:-1]} limit"
    return f"page is {size:,} {unit}, over the {max_bytes:,}-{unit[:-1]} limit"


def _decode_bytes(data: bytes, name: str, charset: str | None) -> str:
    if not data.strip():
        raise InputError(name, "empty input")
    bom_text = _decode_bom(data)
    if bom_text is not None:
        return bom_text
    if data.startswith(BINARY_MAGIC) or _looks_binary(data[:_SNIFF_BYTES]):
        raise InputError(name, "binary data, not a web page or text")
    return _decode_text(data, charset)


def _decode_bom(data: bytes) -> str | None:
    # UTF-32 first: its little-endian BOM begins with the UTF-16 one.
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    return None


def _decode_text(data: bytes, charset: str | None = None) -> str:
    """UTF-8, else the transport's charset, else the declared one, else charset-normalizer's guess.

    UTF-8 goes first: bytes in a legacy encoding almost never form valid UTF-8,
    while pages that declare latin-1 but are UTF-8 are common in scraped data.
    """
    transport = codec_for_label(charset) if charset else None
    for encoding in ("utf-8", transport, declared_encoding(data[:_SNIFF_BYTES])):
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
    return codec_for_label(match.group(1).decode("ascii", errors="ignore"))


def codec_for_label(label: str) -> str | None:
    """The Python codec for a charset label as a page or a server declares it, None if unusable."""
    try:
        codec = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    if codec.replace("-", "_") in _WINDOWS_1252_ALIASES:
        return "cp1252"
    if codec.startswith(("utf-16", "utf-32")):
        return None  # bytes without a BOM are ASCII-compatible, so the label is wrong
    return codec


def _looks_binary(sample: bytes | str) -> bool:
    if isinstance(sample, bytes):
        controls = len(_CONTROL_BYTES.findall(sample))
    else:
        controls = len(_CONTROL.findall(sample))
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
