"""Reading inputs: paths, path lists, WARC files and stdin -> Source -> bytes -> Page.

    walk.py     paths, folders (recursive, sorted), path lists -> Source
    warc.py     a WARC file -> one Source per HTML response record
    source.py   a Source -> bytes (file, stdin or record payload; gunzipped) -> Page
    decode.py   bytes -> text (BOM, UTF-8, declared charsets, a guess) -> Page

Problems with one input become InputError values (yielded by iter_sources,
raised by read_source and decode_page) so that a batch can go on.
"""

from .decode import MAX_BYTES, decode_page, declared_encoding, looks_like_html
from .source import STDIN_NAME, Source, read_source
from .walk import PAGE_SUFFIXES, is_page_file, iter_sources, read_path_list
from .warc import WARC_SUFFIXES, WarcRecord, is_warc_file, iter_warc, iter_warc_records

__all__ = [
    "MAX_BYTES",
    "PAGE_SUFFIXES",
    "STDIN_NAME",
    "Source",
    "WARC_SUFFIXES",
    "WarcRecord",
    "decode_page",
    "declared_encoding",
    "is_page_file",
    "is_warc_file",
    "iter_sources",
    "iter_warc",
    "iter_warc_records",
    "looks_like_html",
    "read_path_list",
    "read_source",
]
