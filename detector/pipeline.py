"""The library entry points: a `Detector` loaded once, and `clean()` for one-off use.

    page (html or text) -> reading -> extraction -> model (features, two passes) -> segmenter -> PageResult
"""

from __future__ import annotations

import hashlib
import importlib
import json
import math
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import Union
from functools import lru_cache

from .errors import DetectorError, InputError
from .extraction import Extraction, extract_page
from .features.language import unreadable_reason
from .limits import DEFAULT_TIMEOUT, check_timeout, time_limit
from .model import Model, load_model
from .reading import MAX_BYTES, decode_page
from .segmenter import label_blocks, pass_through
from .types import Block, Page, PageResult, post_slices

__all__ = ["DEFAULT_TIMEOUT", "Detector", "Options", "clean"]


@dataclass(frozen=True)
class Options:
    """Everything that tunes a run, in one place (the CLI builds one from its flags)."""

    timeout: float | None = DEFAULT_TIMEOUT  # seconds per page; None or 0 for no limit
    max_bytes: int = MAX_BYTES  # larger pages (and WARC records) are refused as input errors
    # How much more evidence than the model's own threshold an appendix needs before
    # it is removed from a post that no tag list closes (see `AppendixGate.passes`).
    # 0 is the model's trade-off; 4 keeps the closing paragraphs of real articles at
    # the cost of more appended summaries (figures in the README).
    caution: float = 0.0

    def __post_init__(self) -> None:
        check_timeout(self.timeout)
        if not (isinstance(self.caution, (int, float)) and 0 <= self.caution < math.inf):
            raise ValueError(f"caution must be a number from 0 up, not {self.caution}")


class Detector:
    """A model loaded once, cleaning page after page.

    >>> detector = Detector()                      # the shipped default model
    >>> result = detector.clean(html_or_text)      # -> PageResult(.text, .blocks)
    """

    def __init__(self, model: Model | str | os.PathLike | None = None, options: Options | None = None):
        self.model = model if isinstance(model, Model) else load_model(model)
        self.options = options or Options()
        # Names the model in every result: the card holds the training data's hashes,
        # settings and figures, so two models share a card hash only when they are one model.
        card = json.dumps(self.model.card, sort_keys=True, default=str).encode()
        self.model_version = "card-sha256:" + hashlib.sha256(card).hexdigest()[:16]

    def clean(self, page: PageInput | Page, name: str = "<page>", *, is_html: bool | None = None,
              url: str | None = None, charset: str | None = None) -> PageResult:
        """Clean one page: HTML or plain text, as str or bytes-like (any encoding).

        `url` is carried into the result; `charset` is the encoding the transport
        declared (an HTTP Content-Type charset), tried after UTF-8 and before the
        page's own declaration.
        """
        page = _checked_page(page)
        _import_lazy_modules(page, is_html)
        with time_limit(self.options.timeout, name) as deadline:
            if not isinstance(page, Page):
                page = decode_page(page, name, is_html=is_html, max_bytes=self.options.max_bytes, charset=charset)
                deadline.check()
            extraction = _extract(page)
            deadline.check()
            result = self.label(extraction.blocks, page.name)
        return replace(result, truncated=extraction.truncated, url=url, title=extraction.title, date=extraction.date)

    def clean_many(self, pages: Iterable[PageInput], *, jobs: int = 1) -> Iterator[PageResult | InputError]:
        """Clean pages (str or bytes-like) in order, each a PageResult or, when it cannot be
        cleaned, the InputError naming it (`<page 3>`, counted from 0), so a batch goes on.
        `jobs` > 1 cleans in that many worker processes, this model in each."""
        from .batch import clean_all
        from .reading import Source

        def sources() -> Iterator[Source]:
            for number, page in enumerate(pages):
                data = _checked_page(page)
                if isinstance(data, Page):
                    raise TypeError("clean_many takes str or bytes-like pages, not Page")
                name = f"<page {number}>"
                raw = data.encode("utf-8") if isinstance(data, str) else data
                yield Source(name, None, PurePath(name), data=raw)

        for outcome in clean_all(sources(), jobs=jobs, detector=self):
            yield outcome.result if outcome.result is not None else outcome.error  # type: ignore[misc]

    def label(self, blocks: Sequence[Block], source: str = "<blocks>") -> PageResult:
        """Label blocks that were already extracted (e.g. by your own extractor).

        The blocks of a post must be contiguous; a post id that comes back after
        another post began is an InputError naming `source`.
        """
        try:
            post_slices(blocks)
        except ValueError as exc:
            raise InputError(source, str(exc)) from None
        probabilities = self.model.predict_proba(blocks)
        results = label_blocks(blocks, probabilities, self.model.segmenter, self.options.caution)
        passed_through = unreadable_reason(block.text for block in blocks)
        if passed_through:
            results = pass_through(results)
        return PageResult(source=source, blocks=results, model_version=self.model_version,
                          passed_through=passed_through)


# What a page may be handed over as: text, or bytes in any encoding.
PageInput = Union[str, bytes, bytearray, memoryview]
_PAGE_TYPES = (str, bytes, bytearray, memoryview, Page)


def _checked_page(page: object) -> str | bytes | Page:
    """The page as str, bytes or Page; anything else is one TypeError naming what is accepted."""
    if not isinstance(page, _PAGE_TYPES):
        hint = " (to clean a file, pass its bytes: path.read_bytes())" if isinstance(page, os.PathLike) else ""
        raise TypeError(f"a page must be str, bytes, bytearray, memoryview or detector.Page, "
                        f"not {type(page).__name__}{hint}")
    return bytes(page) if isinstance(page, (bytearray, memoryview)) else page


def _import_lazy_modules(page: str | bytes | Page, is_html: bool | None) -> None:
    """Import what cleaning this page imports on first use, before its time limit starts.

    An import that the limit cuts short leaves half-initialised modules behind: with
    `--timeout 0.05` the first page timed out inside `import trafilatura`, and every
    later page failed ("module 'urllib3' has no attribute 'util'").
    """
    modules = []
    if not isinstance(page, (str, Page)):
        modules.append("charset_normalizer")  # the encoding guess for undeclared bytes
    if not (is_html is False or (isinstance(page, Page) and not page.is_html)):
        modules += ["trafilatura", "lxml.html"]
    for module in modules:
        importlib.import_module(module)


def _extract(page: Page) -> Extraction:
    """Extraction, with the failures lxml and trafilatura raise on strange pages as InputError."""
    try:
        return extract_page(page)
    except DetectorError:
        raise
    except (ValueError, RecursionError, MemoryError) as exc:
        raise InputError(page.name, f"cannot extract text ({type(exc).__name__}: {exc})") from exc


@lru_cache(maxsize=1)
def _default_detector() -> Detector:
    return Detector()


def clean(page: PageInput, name: str = "<page>") -> PageResult:
    """Clean one page with the default model (loaded on first use, then reused)."""
    return _default_detector().clean(page, name)
