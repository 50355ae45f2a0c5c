"""The per-page time limit: a page still running after the limit is a PageTimeout."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from .errors import PageTimeout

# Extraction of ordinary pages takes 10-100 ms here; a page still running after
# this many seconds is hostile (or pathological) and is abandoned.
DEFAULT_TIMEOUT = 5.0

# After the limit the alarm fires again this often, in case something caught
# the first one anyway (a bare `except:`).
_REPEAT_SECONDS = 0.25


class _Expired(BaseException):
    """Raised by the alarm. A BaseException, so that the `except Exception` blocks
    inside trafilatura cannot swallow it and carry on (a page with 100,000
    attributes ran for six minutes under a 30 s limit that way)."""


@contextmanager
def time_limit(seconds: float | None, name: str) -> Iterator[None]:
    """Raise PageTimeout when the body runs longer than `seconds`.

    Uses SIGALRM, so it only bounds work in the main thread of a Unix process
    (the CLI and its worker processes); elsewhere the body runs unbounded.
    Python handles the signal between bytecodes: one long call into C (lxml
    parsing) finishes before the timeout is raised.

    The alarm raises only while the body runs: once the body is done the handler
    is disarmed before the timer is, so an alarm that lands in between (a loaded
    machine, a page that ends right at the limit) is ignored instead of escaping
    as a bare `_Expired` and ending a whole batch.
    """
    usable = (
        seconds
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return
    assert seconds is not None
    armed = True

    def expire(signum: int, frame: FrameType | None) -> None:
        if armed:
            raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds, _REPEAT_SECONDS)
        try:
            yield
        finally:
            # An _Expired raised before this line is still inside the outer try.
            armed = False
    except _Expired:
        raise PageTimeout(name, f"took longer than the {seconds:g} s per-page limit") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
