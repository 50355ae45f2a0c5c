"""Cleaning many inputs: one model per process, results streamed in input order,
failures returned as values so the batch goes on."""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from .errors import DetectorError, InputError
from .pipeline import Detector, Options
from .reading import Source, read_source
from .types import PageResult

# Sources handed to the workers ahead of the results being written: enough to
# keep every worker busy, few enough that a batch of any length stays in memory.
_AHEAD_PER_JOB = 16


@dataclass(frozen=True)
class Outcome:
    source: Source | None  # None when the input could not even be listed
    result: PageResult | None
    error: InputError | None


def clean_source(detector: Detector, source: Source) -> Outcome:
    """Read and clean one source; every expected failure becomes an `Outcome.error`."""
    try:
        page = read_source(source, max_bytes=detector.options.max_bytes)
        result = detector.clean(page, source.name, url=source.url)
        return Outcome(source, replace(result, http_status=source.http_status), None)
    except InputError as exc:
        return Outcome(source, None, exc)
    except DetectorError as exc:
        return Outcome(source, None, InputError(source.name, str(exc)))
    except Exception as exc:  # a bug or a library failing on a strange page: report it, go on
        return Outcome(source, None, InputError(source.name, f"unexpected {type(exc).__name__}: {exc}"))


_worker: Detector | None = None


def _init_worker(detector: Detector) -> None:
    global _worker
    _worker = detector
    _one_native_thread()
    # A forked worker inherits the CLI's SIGTERM handler; the pool stops its
    # workers with SIGTERM, and they should simply end.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # Ctrl-C reaches the whole process group; the parent alone answers it (one line,
    # exit 130) and stops the pool, instead of every worker printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _one_native_thread() -> None:
    """Limit this worker's BLAS and OpenMP pools to one thread.

    A page's matrix products are small: a BLAS pool of one thread per core ran
    beside them for no wall time (150 pages, --jobs 1: 7.8 s either way) while its
    spinning threads took 2.9 s of CPU, which N workers on N cores take from each
    other. Only the workers are limited; the caller's process is left as it was."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def _clean_in_worker(source: Source) -> Outcome:
    assert _worker is not None, "worker used before _init_worker"
    return clean_source(_worker, source)


def clean_all(
    items: Iterable[Source | InputError],
    *,
    model: str | os.PathLike | None = None,
    options: Options | None = None,
    jobs: int = 1,
    detector: Detector | None = None,
) -> Iterator[Outcome]:
    """Clean every source, in input order; listing errors pass straight through."""
    options = options or Options()
    # Loaded here, once: a bad model fails now with a ModelError instead of in
    # every worker's initializer (the pool would respawn them forever). Forked
    # workers inherit it; spawned ones get it pickled, once per worker.
    detector = detector or Detector(model, options)
    if jobs <= 1:
        for item in items:
            yield Outcome(None, None, item) if isinstance(item, InputError) else clean_source(detector, item)
        return
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with context.Pool(jobs, initializer=_init_worker, initargs=(detector,)) as pool:
        yield from _ordered_stream(pool, iter(items), jobs * _AHEAD_PER_JOB)


def _ordered_stream(pool, items: Iterator[Source | InputError], ahead: int) -> Iterator[Outcome]:
    """Keep at most `ahead` sources in flight, yield outcomes in input order."""
    pending: list = []
    for item in itertools.chain(items, [None]):
        if item is not None:
            if isinstance(item, InputError):
                pending.append(Outcome(None, None, item))
            else:
                pending.append(pool.apply_async(_clean_in_worker, (item,)))
        while pending and (item is None or len(pending) >= ahead or isinstance(pending[0], Outcome)):
            head = pending.pop(0)
            yield head if isinstance(head, Outcome) else head.get()
