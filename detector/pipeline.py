"""The library entry points: a `Detector` loaded once, and `clean()` for one-off use.

    page (html or text) -> extract_blocks -> Model.predict_proba -> label_blocks -> PageResult
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from .errors import DetectorError, InputError, PageTimeout
from .extraction import extract_blocks
from .model import Model, load_model
from .reading import MAX_BYTES, decode_page
from .segment import label_blocks
from .types import Block, Page, PageResult

# Extraction of ordinary pages takes 10-100 ms here; a page still running after
# this many seconds is hostile (or pathological) and is abandoned.
DEFAULT_TIMEOUT = 5.0


@dataclass(frozen=True)
class Options:
    """Everything that tunes a run, in one place (the CLI builds one from its flags)."""

    timeout: float | None = DEFAULT_TIMEOUT  # seconds per page; None or 0 for no limit
    max_bytes: int = MAX_BYTES  # larger pages are refused as input errors
    # How much more evidence than the model's own threshold an appendix needs before
    # it is removed from a post that no tag list closes (see `segment.appendix_passes`).
    # 0 is the model's trade-off; 4 keeps the closing paragraphs of real articles at
    # the cost of more appended summaries (figures in the README).
    caution: float = 0.0

    def __post_init__(self) -> None:
        if not self.caution >= 0:
            raise ValueError(f"caution must be 0 or more, not {self.caution}")


class Detector:
    """A model loaded once, cleaning page after page.

    >>> detector = Detector()                      # the shipped default model
    >>> result = detector.clean(html_or_text)      # -> PageResult(.text, .blocks)
    """

    def __init__(self, model: Model | str | os.PathLike | None = None, options: Options | None = None):
        self.model = model if isinstance(model, Model) else load_model(model)
        self.options = options or Options()

    def clean(self, page: str | bytes | Page, name: str = "<page>", *, is_html: bool | None = None) -> PageResult:
        """Clean one page: HTML or plain text, as str or bytes (any encoding)."""
        with time_limit(self.options.timeout, name):
            if not isinstance(page, Page):
                page = decode_page(page, name, is_html=is_html, max_bytes=self.options.max_bytes)
            try:
                blocks = extract_blocks(page)
            except DetectorError:
                raise
            except (ValueError, RecursionError, MemoryError) as exc:
                raise InputError(page.name, f"cannot extract text ({type(exc).__name__}: {exc})") from exc
            return self.label(blocks, page.name)

    def label(self, blocks: Sequence[Block], source: str = "<blocks>") -> PageResult:
        """Label blocks that were already extracted (e.g. by your own extractor)."""
        probabilities = self.model.predict_proba(blocks)
        results = label_blocks(blocks, probabilities, self.model.segmenter, self.options.caution)
        return PageResult(source=source, blocks=results)


@lru_cache(maxsize=1)
def _default_detector() -> Detector:
    return Detector()


def clean(page: str | bytes, name: str = "<page>") -> PageResult:
    """Clean one page with the default model (loaded on first use, then reused)."""
    return _default_detector().clean(page, name)


class _Expired(BaseException):
    """Raised by the alarm. A BaseException, so that the `except Exception` blocks
    inside trafilatura cannot swallow it and carry on (a page with 100,000
    attributes ran for six minutes under a 30 s limit that way)."""


# After the limit the alarm fires again this often, in case something caught
# the first one anyway (a bare `except:`).
_REPEAT_SECONDS = 0.25


@contextmanager
def time_limit(seconds: float | None, name: str) -> Iterator[None]:
    """Raise PageTimeout when the body runs longer than `seconds`.

    Uses SIGALRM, so it only bounds work in the main thread of a Unix process
    (the CLI and its worker processes); elsewhere the body runs unbounded.
    Python handles the signal between bytecodes: one long call into C (lxml
    parsing) finishes before the timeout is raised.
    """
    usable = (
        seconds
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, _REPEAT_SECONDS)
    try:
        yield
    except _Expired:
        raise PageTimeout(name, f"took longer than the {seconds:g} s per-page limit") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
