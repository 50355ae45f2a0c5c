"""Where a batch's cleaned pages go: one file each under a folder, or stdout; and what
the person running it is told on stderr (failures, progress, the counts at the end)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TextIO

import click

from .batch import Outcome
from .errors import InputError
from .extraction import MAX_BLOCK_CHARS, MAX_BLOCKS
from .files import write_text_atomic
from .output import OutputNames, json_line, output_path, page_header, render
from .reading import Source


_NAMES_SHOWN = 5  # names listed for each reason inputs were skipped


class OutputError(Exception):
    """An output that cannot be written (a full disk, a read-only folder): the batch stops."""


class Progress:
    """Pages done, failed and pages/s on one stderr line, rewritten in place.

    Only on a terminal, and only once a run has gone on for `delay` seconds:
    short runs and logs stay clean.
    """

    def __init__(self, stream: TextIO, *, delay: float = 2.0, every: float = 0.5,
                 clock: Callable[[], float] = time.monotonic):
        isatty = getattr(stream, "isatty", None)
        self.enabled = bool(isatty and isatty())
        self.stream, self.delay, self.every, self.clock = stream, delay, every, clock
        self.start = self.last = clock()
        self.done = self.failed = 0
        self.shown = False

    def update(self, failed: bool) -> None:
        self.done += 1
        self.failed += failed
        if not self.enabled:
            return
        now = self.clock()
        if now - self.start >= self.delay and (not self.shown or now - self.last >= self.every):
            self._draw(now)

    def _draw(self, now: float) -> None:
        rate = self.done / max(now - self.start, 1e-9)
        self.stream.write(f"\r\x1b[K{self.done:,} pages, {self.failed:,} failed, {rate:,.1f} pages/s")
        self.stream.flush()
        self.shown, self.last = True, now

    def clear(self) -> None:
        """Blank the progress line so that a message can be printed in its place."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self._draw(self.clock())
            self.stream.write("\n")
            self.stream.flush()


class Sink:
    """Writes each outcome as it comes and counts failed, empty, truncated and passed-through pages.

    On stdout, several pages stay separable: as text each opens with a
    `==> source <==` line, as JSON each is one line (JSON Lines).
    """

    def __init__(self, outdir: Path | None, fmt: str, *, several: bool, progress: Progress | None = None):
        self.outdir, self.fmt, self.several = outdir, fmt, several
        self.progress = progress or Progress(sys.stderr)
        self.failed = self.empty = self.truncated = self.passed = self.written = 0
        self.existing = 0  # left out by --skip-existing: written by an earlier run
        self.skipped: dict[str, list[str]] = {}  # reason -> the first few names left out for it
        self.skip_counts: dict[str, int] = {}

    def note(self, message: str) -> None:
        self.progress.clear()
        click.echo(f"detector: {message}", err=True)

    def write_all(self, outcomes: Iterable[Outcome]) -> None:
        try:
            for outcome in outcomes:
                self.write(outcome)
                self.progress.update(outcome.error is not None)
        finally:
            self.progress.close()

    def write(self, outcome: Outcome) -> None:
        if outcome.error is not None:
            self.failed += 1
            self.note(f"error: {outcome.error}")
            return
        result, source = outcome.result, outcome.source
        assert result is not None and source is not None, "an outcome without an error has its result"
        self.empty += result.empty
        self.truncated += bool(result.truncated)
        self.passed += result.passed_through is not None
        if self.outdir is not None:
            path = output_path(self.outdir, source.relative, self.fmt)
            try:
                write_text_atomic(path, render(result, self.fmt))
            except OSError as exc:
                raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
        elif self.fmt == "jsonl" or (self.fmt == "json" and self.several):
            click.echo(json_line(result))
        elif self.fmt == "text" and self.several:
            click.echo(("\n" if self.written else "") + page_header(result.source))
            click.echo(render(result, self.fmt), nl=False)
        else:
            click.echo(render(result, self.fmt), nl=False)
        sys.stdout.flush()
        self.written += 1

    def skip(self, name: str, reason: str) -> None:
        """Told by the walk about each input it leaves out (`iter_sources(on_skip=...)`)."""
        self.skip_counts[reason] = self.skip_counts.get(reason, 0) + 1
        names = self.skipped.setdefault(reason, [])
        if len(names) < _NAMES_SHOWN:
            names.append(name)

    def summary(self) -> list[str]:
        """The end-of-run lines: inputs left out, pages that came out empty or cut."""
        lines = []
        for reason, count in self.skip_counts.items():
            more = f", and {count - _NAMES_SHOWN:,} more" if count > _NAMES_SHOWN else ""
            lines.append(f"skipped {count:,} input(s), {reason}: {', '.join(self.skipped[reason])}{more}")
        if self.failed + self.written + self.existing == 0:
            lines.append("0 inputs found: no page in the inputs given")
        parts = []
        if self.empty:
            parts.append(f"{self.empty:,} page(s) came out empty (no main text found, or every block dropped)")
        if self.truncated:
            parts.append(f"{self.truncated:,} page(s) were cut at the caps ({MAX_BLOCKS:,} blocks, "
                         f"{MAX_BLOCK_CHARS:,} characters a block; --format json says where)")
        if self.passed:
            parts.append(f"{self.passed:,} page(s) were passed through, not read as English: their filler and "
                         "boilerplate were kept (--format json says why)")
        return lines + (["; ".join(parts)] if parts else [])


def name_outputs(items: Iterable[Source | InputError], sink: Sink, *, skip_existing: bool = False
                 ) -> Iterator[Source | InputError]:
    """Give each source its own output path under `sink.outdir` (saying so when two
    would collide), refuse sources inside the output folder, and leave out those
    already written when `skip_existing`."""
    assert sink.outdir is not None, "outputs are named only under an output folder"
    names = OutputNames(sink.outdir, sink.fmt)
    folder = sink.outdir.resolve()
    for item in items:
        if isinstance(item, InputError):
            yield item
            continue
        if item.path is not None and item.path.resolve().is_relative_to(folder):
            yield InputError(item.name, f"it is inside the output folder {sink.outdir}, where its output could overwrite it")
            continue
        relative, taken = names.claim(item.relative)
        path = output_path(sink.outdir, relative, sink.fmt)
        if taken is not None:
            sink.note(f"note: {item.name}: {taken} is an earlier input's output; writing {path} instead")
        if skip_existing and path.exists():
            sink.existing += 1
            continue
        yield replace(item, relative=relative)
