"""The `detector` command. It only translates: click parses, one `Options` is
built, the library does the work, results are formatted, errors become exit codes.

Exit status: 0 every page cleaned; 1 some input failed (each on stderr with its
path and reason, every other output still written); 2 usage error.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import NoReturn, TextIO

import click

from . import __version__
from .batch import Outcome, clean_all
from .errors import DataError, ModelError
from .files import write_text_atomic
from .limits import DEFAULT_TIMEOUT
from .output import FORMATS, json_line, output_path, render
from .pipeline import Detector, Options
from .reading import iter_sources, read_path_list
from .report import format_inspection
from .training.provenance import DEFAULT_DATA_DIR

_TRAIN_EXTRA = "needs scikit-learn and scipy: pip install 'detector[train]'"


def _fail_usage(message: str) -> NoReturn:
    click.echo(f"detector: {message}", err=True)
    sys.exit(2)


def options_from_flags(timeout: float = DEFAULT_TIMEOUT, caution: float = 0.0) -> Options:
    """The one place flags become `Options` (--timeout 0 means no limit); a value
    `Options` refuses (negative, nan, inf) is a usage error."""
    try:
        return Options(timeout=timeout or None, caution=caution)
    except ValueError as exc:
        _fail_usage(str(exc))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="detector")
def main() -> None:
    """Keep the reporting of scraped news pages; label filler, hashtag spam and boilerplate."""


model_option = click.option(
    "--model", "-m", default=None, metavar="NAME|PATH", help="Model name in models/ or a .joblib file (default: default)."
)
timeout_option = click.option(
    "--timeout", type=float, default=DEFAULT_TIMEOUT, show_default=True, help="Seconds per page before it is abandoned (0: no limit)."
)
caution_option = click.option(
    "--caution", type=float, default=0.0, show_default=True,
    help="Extra evidence an appended summary needs before it is removed from a post no tag list "
    "closes; 4 keeps the endings of real articles but removes fewer summaries (see README).",
)


@main.command()
@click.argument("inputs", nargs=-1)
@click.option("--from-list", "path_list", metavar="FILE",
              help="Also read input paths from FILE, one a line ('-' for stdin), as the batch goes.")
@click.option("--output", "-o", "outdir", type=click.Path(file_okay=False, path_type=Path), help="Write one file per input under this folder.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=1, show_default=True, help="Worker processes.")
@click.option("--skip-existing", is_flag=True, help="With -o: leave inputs whose output file exists (resume a stopped batch).")
@model_option
@timeout_option
@caution_option
def clean(inputs, path_list, outdir, fmt, jobs, skip_existing, model, timeout, caution) -> None:
    """Clean pages (HTML or text; files, folders, .gz, WARC files, '-' for stdin).

    Prints the clean text: reporting blocks in order, each post starting with
    its headline. With --format json every block comes with its label,
    probabilities, segment and the reason it was dropped; jsonl streams one
    record per page, in input order. Each HTML response record of a .warc or
    .warc.gz file is one page. On a terminal, long runs show progress on stderr.
    """
    if fmt == "jsonl" and outdir:
        _fail_usage("--format jsonl streams to stdout; leave out --output")
    if not inputs and path_list is None:
        _fail_usage("give input paths, or --from-list FILE")
    if path_list == "-" and "-" in inputs:
        _fail_usage("stdin cannot be both a page ('-') and the path list (--from-list -)")
    options = options_from_flags(timeout, caution)
    paths = itertools.chain(inputs, read_path_list(_open_list(path_list)) if path_list is not None else ())
    items: Iterable = iter_sources(paths, max_bytes=options.max_bytes)
    if skip_existing and outdir:
        items = (i for i in items if isinstance(i, Exception) or not output_path(outdir, i.relative, fmt).exists())
    try:
        with _sigterm_stops_cleanly():
            outcomes = clean_all(items, model=model, options=options, jobs=jobs)
            failures = _emit(outcomes, outdir, fmt, Progress(sys.stderr))
    except ModelError as exc:
        _fail_usage(str(exc))
    if failures:
        click.echo(f"detector: {failures} input(s) failed", err=True)
        sys.exit(1)


@contextmanager
def _sigterm_stops_cleanly() -> Iterator[None]:
    """SIGTERM (`kill`, a scheduler stopping the job) ends a batch the way Ctrl-C does:
    the output being written is removed rather than left as a hidden temporary file,
    the workers are stopped, and the exit status is 143 (128 + SIGTERM)."""

    def stop(signum: int, frame: FrameType | None) -> NoReturn:
        click.echo("\ndetector: stopped by SIGTERM; every output written so far is whole "
                   "(--skip-existing resumes)", err=True)
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _open_list(path: str) -> TextIO:
    """The path list, read lazily; undecodable bytes in a name survive as surrogates."""
    if path == "-":
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="surrogateescape")
    try:
        return open(path, encoding="utf-8", errors="surrogateescape")
    except OSError as exc:
        _fail_usage(f"cannot read the path list {path}: {exc.strerror or exc}")


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


def _emit(outcomes: Iterable[Outcome], outdir: Path | None, fmt: str, progress: Progress | None = None) -> int:
    failures = 0
    first = True
    progress = progress or Progress(sys.stderr)
    try:
        for outcome in outcomes:
            _emit_one(outcome, outdir, fmt, progress, first)
            failures += outcome.error is not None
            first = first and outcome.error is not None
            progress.update(outcome.error is not None)
    finally:
        progress.close()
    return failures


def _emit_one(outcome: Outcome, outdir: Path | None, fmt: str, progress: Progress, first: bool) -> None:
    if outcome.error is not None:
        progress.clear()
        click.echo(f"detector: error: {outcome.error}", err=True)
        return
    result = outcome.result
    assert result is not None and outcome.source is not None, "an outcome without an error has its result"
    if outdir is not None:
        write_text_atomic(output_path(outdir, outcome.source.relative, fmt), render(result, fmt))
    elif fmt == "jsonl":
        click.echo(json_line(result))
        sys.stdout.flush()
    else:
        if not first:
            click.echo()  # a blank line between pages
        click.echo(render(result, fmt), nl=False)


@main.command()
@click.argument("page")
@click.option("--width", type=int, default=90, show_default=True, help="Characters of each block shown.")
@model_option
@timeout_option
@caution_option
def inspect(page, width, model, timeout, caution) -> None:
    """Show a page block by block: label, probability, segment and post boundaries."""
    try:
        detector = Detector(model, options_from_flags(timeout, caution))
    except ModelError as exc:
        _fail_usage(str(exc))
    failures = 0
    for outcome in clean_all(iter_sources([page], max_bytes=detector.options.max_bytes), detector=detector):
        if outcome.result is None:
            failures += 1
            click.echo(f"detector: error: {outcome.error}", err=True)
            continue
        click.echo(format_inspection(outcome.result, width))
    sys.exit(1 if failures else 0)


@main.command()
@click.argument("pages", nargs=-1, required=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Labelled-page JSON Lines file to write.")
@model_option
@timeout_option
def label(pages, output, model, timeout) -> None:
    """Pre-label pages with the current model, for a person to correct and train on."""
    from .training.dataset import LabelledPage, write_pages

    failures = 0
    records = []
    options = options_from_flags(timeout)
    try:
        outcomes = clean_all(iter_sources(pages, max_bytes=options.max_bytes), model=model, options=options)
        for outcome in outcomes:
            if outcome.result is None or outcome.source is None:
                failures += 1
                click.echo(f"detector: error: {outcome.error}", err=True)
                continue
            records.append(LabelledPage.of_result(outcome.result, str(outcome.source.relative)))
    except ModelError as exc:
        _fail_usage(str(exc))
    count = write_pages(output, records)
    click.echo(f"wrote {count} page(s) to {output}; correct the labels, then `detector train {output} -o MODEL`", err=True)
    sys.exit(1 if failures else 0)


@main.command()
@click.argument("data", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Model file to write (.joblib); the card goes beside it.")
@click.option("--folds", type=click.IntRange(0, 20), default=5, show_default=True, help="Cross-validation folds, split by page group (0: none).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("-C", "C", type=float, default=2.0, show_default=True, help="Inverse regularisation of the logistic regression.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=min(os.cpu_count() or 1, 5), show_default="cores, at most 5", help="Cross-validation folds fitted at once.")
@click.option("--heldout", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Labelled pages never trained on: scored after training, figures go on the card.")
@click.option("--families", "families_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The runs `detector families` wrote: the recipe's leave-one-family-out figures go on the card.")
def train(data, output, folds, seed, C, jobs, heldout, families_file) -> None:
    """Train classifier and segmenter on labelled pages; print cross-validated figures."""
    from .model import save_model
    from .training.dataset import read_pages
    from .training.evaluate import format_report
    from .training.provenance import data_source

    try:
        from .training.card import with_family_runs, with_heldout_metrics
        from .training.train import train_model
    except ImportError as exc:
        _fail_usage(f"detector train {_TRAIN_EXTRA} ({exc})")
    if output.suffix != ".joblib":
        _fail_usage(f"model file {output} must end in .joblib")
    try:
        pages = [page for path in data for page in read_pages(path)]
    except DataError as exc:
        _fail_usage(str(exc))
    sources = [data_source(path) for path in data]
    progress = (lambda m: click.echo(m, err=True)) if sys.stderr.isatty() else (lambda m: None)
    try:
        result = train_model(pages, C=C, folds=folds, random_state=seed, sources=sources, progress=progress, n_jobs=jobs)
    except ValueError as exc:
        _fail_usage(str(exc))
    model = result.model
    if result.cv_report is not None:
        click.echo(format_report(result.cv_report, f"cross-validation ({folds} folds by page group)"))
    if heldout is not None:
        try:
            model, report = with_heldout_metrics(model, list(read_pages(heldout)), heldout)
        except DataError as exc:
            _fail_usage(str(exc))
        click.echo("\n" + format_report(report, f"held-out pages ({heldout.name})"))
    if families_file is not None:
        model = with_family_runs(model, json.loads(families_file.read_text(encoding="utf-8")), families_file)
    save_model(model, output)
    click.echo(f"wrote {output}")


@main.command()
@click.argument("data", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@model_option
@caution_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def evaluate(data, model, caution, fmt) -> None:
    """Score a model on held-out labelled pages: per-label figures and text kept/removed."""
    from .training.dataset import read_pages
    from .training.evaluate import evaluate_pages, format_report

    try:
        detector = Detector(model, options_from_flags(caution=caution))
        pages = [page for path in data for page in read_pages(path)]
    except (ModelError, DataError) as exc:
        _fail_usage(str(exc))
    report = evaluate_pages(detector, pages)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        click.echo(format_report(report, f"evaluation of {detector.model.card.get('name', model or 'default')} on {len(pages)} pages"))


@main.command()
@click.argument("train_data", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--heldout", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help="The held-out side of the corpus: the pages each run is scored on.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="JSON file of the runs' figures (give it to `detector train --families`).")
@click.option("--folds", type=click.IntRange(2, 20), default=5, show_default=True)
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=min(os.cpu_count() or 1, 5), show_default="cores, at most 5")
def families(train_data, heldout, output, folds, jobs) -> None:
    """Leave one family out: train without each generator family and each layout family,
    score the held-out pages of that family; print every run and the worst."""
    from .files import write_text_atomic
    from .training.dataset import read_pages

    try:
        from .training.families import format_runs, leave_one_out
        from .training.table import FeatureTable
    except ImportError as exc:
        _fail_usage(f"detector families {_TRAIN_EXTRA} ({exc})")
    try:
        train_pages = [page for path in train_data for page in read_pages(path)]
        heldout_pages = list(read_pages(heldout))
    except DataError as exc:
        _fail_usage(str(exc))
    table = FeatureTable.of(train_pages, jobs=jobs)
    runs = leave_one_out(table, heldout_pages, folds=folds, n_jobs=jobs, progress=lambda m: click.echo(m, err=True))
    write_text_atomic(output, json.dumps([run.to_dict() for run in runs], indent=2) + "\n")
    click.echo(format_runs(runs))


@main.command()
@click.option("--data", "data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DEFAULT_DATA_DIR, show_default=True)
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("corpus"), show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--train-pages", type=int, default=3000, show_default=True)
@click.option("--heldout-pages", type=int, default=800, show_default=True)
def corpus(data_dir, output, seed, train_pages, heldout_pages) -> None:
    """Compose labelled training and held-out pages from the shared data sets."""
    try:
        from .training.corpus import write_corpus
    except ImportError as exc:
        _fail_usage(f"detector corpus {_TRAIN_EXTRA} ({exc})")
    counts = write_corpus(data_dir, output, seed, train_pages, heldout_pages)
    click.echo(json.dumps(counts, indent=2, sort_keys=True))
