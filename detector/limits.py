"""The per-page time limit: a page still running after the limit is a PageTimeout."""

from __future__ import annotations

import math
import signal
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from .errors import PageTimeout

# Extraction of ordinary pages takes 10-100 ms here; a page still running after
# this many seconds is hostile (or pathological) and is abandoned.
DEFAULT_TIMEOUT = 5.0
# A day: far beyond any page, and well inside what setitimer accepts (1e12 s overflows time_t).
MAX_TIMEOUT = 86_400.0

# After the limit the alarm fires again this often, in case something caught
# the first one anyway (a bare `except:`).
_REPEAT_SECONDS = 0.25
# A caller's alarm that fell due while a page was cleaned is re-armed to fire this soon after.
_OVERDUE_SECONDS = 1e-6

_warned_without_alarm = threading.Event()


class _Expired(BaseException):
    """Raised by the alarm. A BaseException, so that the `except Exception` blocks
    inside trafilatura cannot swallow it and carry on (a page with 100,000
    attributes ran for six minutes under a 30 s limit that way)."""


def check_timeout(seconds: float | None) -> None:
    """Refuse a limit that is not a number of seconds from 0 (no limit) to MAX_TIMEOUT."""
    if seconds is not None and not (isinstance(seconds, (int, float)) and 0 <= seconds <= MAX_TIMEOUT):
        raise ValueError(f"timeout must be a number of seconds from 0 (no limit) to {MAX_TIMEOUT:,.0f}, not {seconds}")


class Deadline:
    """When the page's time is up; `check()` between stages raises PageTimeout once it is.

    Where the alarm cannot run (outside the main thread) these checks are what bounds a
    page: a stage that has begun runs to its end (the caps on page size, attributes,
    tree size and blocks bound each one), and the page is abandoned at the next check.
    """

    def __init__(self, seconds: float | None, name: str):
        self.seconds, self.name = seconds, name
        self.ends = time.monotonic() + seconds if seconds else math.inf

    def check(self) -> None:
        if time.monotonic() > self.ends:
            raise PageTimeout(self.name, f"took longer than the {self.seconds:g} s per-page limit")


@contextmanager
def time_limit(seconds: float | None, name: str) -> Iterator[Deadline]:
    """Raise PageTimeout when the body runs longer than `seconds`.

    In the main thread of a Unix process (the CLI and its worker processes) an
    alarm (SIGALRM) interrupts the body. Python handles the signal between
    bytecodes: one long call into C (lxml parsing) finishes before the timeout is
    raised. A caller's own interval timer is put back afterwards, less the time
    spent; one that fell due meanwhile fires as soon as the page is done.
    Elsewhere (another thread, no setitimer) only the yielded Deadline's checks
    bound the page, and the first such page warns, once per process.

    The alarm raises only while the body runs: once the body is done the handler
    is disarmed before the timer is, so an alarm that lands in between (a loaded
    machine, a page that ends right at the limit) is ignored instead of escaping
    as a bare `_Expired` and ending a whole batch.
    """
    check_timeout(seconds)
    deadline = Deadline(seconds, name)
    if not seconds:
        yield deadline
        return
    if not (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()):
        _warn_without_alarm()
        yield deadline
        return
    armed = True

    def expire(signum: int, frame: FrameType | None) -> None:
        if armed:
            raise _Expired

    started = time.monotonic()
    previous_handler = signal.signal(signal.SIGALRM, expire)
    previous_timer = (0.0, 0.0)
    try:
        previous_timer = signal.setitimer(signal.ITIMER_REAL, seconds, _REPEAT_SECONDS)
        try:
            yield deadline
        finally:
            # An _Expired raised before this line is still inside the outer try.
            armed = False
    except _Expired:
        raise PageTimeout(name, f"took longer than the {seconds:g} s per-page limit") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        _restore_timer(previous_timer, time.monotonic() - started)


def _restore_timer(timer: tuple[float, float], elapsed: float) -> None:
    """Re-arm the interval timer the caller had set, as if it had run on meanwhile."""
    delay, interval = timer
    if delay > 0:
        signal.setitimer(signal.ITIMER_REAL, max(delay - elapsed, _OVERDUE_SECONDS), interval)


def _warn_without_alarm() -> None:
    if not _warned_without_alarm.is_set():
        _warned_without_alarm.set()
        warnings.warn(
            "detector: the per-page time limit cannot interrupt a page outside the main thread "
            "(SIGALRM); a page over the limit is abandoned between stages instead, and the caps "
            "on page size, attributes, tree size and blocks bound each stage",
            RuntimeWarning, stacklevel=4,
        )
