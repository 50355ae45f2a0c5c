"""The `detector` command. It only translates: click parses, one `Options` is
built, the library does the work, results are formatted, errors become exit codes.

Exit status: 0 every page cleaned; 1 some input failed (each on stderr with its
path and reason, every other output still written) or an output could not be
written; 2 usage error; 130 Ctrl-C; 143 SIGTERM.
"""

from __future__ import annotations

import gc
import io
import itertools
import json
import os
import random
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
from .batch import clean_all
from .errors import DataError, ModelError
from .files import write_text_atomic
from .limits import DEFAULT_TIMEOUT
from .output import FORMATS, output_overlaps_input
from .pipeline import Detector, Options
from .reading import is_warc_file, iter_sources, read_path_list
from .report import format_inspection
from .report_html import render_html
from .sink import OutputError, Sink, name_outputs
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


def run() -> None:
    """The console script and `python -m detector`: `main`, then a quicker exit.

    Once the command is done, the objects that are left (the model, the embedding
    table, some 500 modules) are frozen out of the garbage collector, so that the full
    collections the interpreter runs as it exits skip them: they took 40-50 ms of a
    0.39 s cold start (`make bench`). Everything else about exiting is unchanged:
    exit handlers run, streams are flushed, the status is the command's."""
    try:
        main()
    finally:
        gc.freeze()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="detector")
def main() -> None:
    """Keep the reporting of scraped news pages; label filler, hashtag spam and boilerplate."""


model_option = click.option(
    "--model", "-m", default=None, metavar="NAME|PATH",
    help="A shipped model's name or NAME for ./models/NAME.npz, or a model file's path (default: default)."
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
    record per page, in input order. Several pages on stdout open with a
    '==> SOURCE <==' line each as text, and are JSON Lines with --format json.
    Each HTML response record of a .warc or .warc.gz file is one page. On a
    terminal, long runs show progress on stderr; at the end, stderr counts the
    pages that came out empty or were cut at the caps.
    """
    _check_clean_flags(inputs, path_list, outdir, fmt, skip_existing)
    options = options_from_flags(timeout, caution)
    paths = itertools.chain(inputs, read_path_list(_open_list(path_list)) if path_list is not None else ())
    several = path_list is not None or len(inputs) != 1 or Path(inputs[0]).is_dir() or is_warc_file(inputs[0])
    sink = Sink(outdir, fmt, several=several)
    items: Iterable = iter_sources(paths, max_bytes=options.max_bytes, on_skip=sink.skip)
    if outdir:
        items = name_outputs(items, sink, skip_existing=skip_existing)
    try:
        with _sigterm_stops_cleanly():
            sink.write_all(clean_all(items, model=model, options=options, jobs=jobs))
    except ModelError as exc:
        _fail_usage(str(exc))
    except OutputError as exc:
        click.echo(f"detector: {exc}; stopped (every output written before it is whole)", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("\ndetector: interrupted; every output written so far is whole (--skip-existing resumes)", err=True)
        sys.exit(130)
    _report_and_exit(sink)


def _check_clean_flags(inputs: tuple[str, ...], path_list: str | None, outdir: Path | None, fmt: str,
                       skip_existing: bool) -> None:
    """Usage errors of `clean`, before any page is read."""
    if fmt == "jsonl" and outdir:
        _fail_usage("--format jsonl streams to stdout; leave out --output")
    if skip_existing and not outdir:
        _fail_usage("--skip-existing resumes a batch written to a folder: give it with --output")
    if not inputs and path_list is None:
        _fail_usage("give input paths, or --from-list FILE")
    if path_list == "-" and "-" in inputs:
        _fail_usage("stdin cannot be both a page ('-') and the path list (--from-list -)")
    if outdir is None:
        return
    for raw in inputs:
        overlap = output_overlaps_input(outdir, raw) if raw != "-" else None
        if overlap:
            _fail_usage(f"{overlap}: choose an output folder outside the inputs")


def _report_and_exit(sink: Sink) -> None:
    """The batch's summary on stderr; exit 1 when an input failed or nothing was written."""
    for line in sink.summary():
        click.echo(f"detector: {line}", err=True)
    if sink.failed:
        click.echo(f"detector: {sink.failed} input(s) failed", err=True)
    if sink.failed or not (sink.written or sink.existing):
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


@main.command()
@click.argument("page")
@click.option("--width", type=int, default=90, show_default=True, help="Characters of each block shown.")
@click.option("--html", "html_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a self-contained HTML report here (every block in full) instead of the terminal view.")
@model_option
@timeout_option
@caution_option
def inspect(page, width, html_out, model, timeout, caution) -> None:
    """Show a page block by block: label, probability, segment and post boundaries.

    PAGE may also be a folder or a WARC file: every page in it is shown (in one HTML report with --html).
    """
    try:
        detector = Detector(model, options_from_flags(timeout, caution))
    except ModelError as exc:
        _fail_usage(str(exc))
    failures = 0
    results = []
    for outcome in clean_all(iter_sources([page], max_bytes=detector.options.max_bytes), detector=detector):
        if outcome.result is None:
            failures += 1
            click.echo(f"detector: error: {outcome.error}", err=True)
        elif html_out is None:
            click.echo(format_inspection(outcome.result, width))
        else:
            results.append(outcome.result)
    if html_out is not None and results:
        write_text_atomic(html_out, render_html(results))
        blocks = sum(len(r.blocks) for r in results)
        click.echo(f"wrote {html_out}: {len(results)} page(s), {blocks} blocks", err=True)
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
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Model file to write (.npz); the card goes beside it.")
@click.option("--folds", type=click.IntRange(0, 20), default=5, show_default=True, help="Cross-validation folds, split by page group (0: none).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("-C", "C", type=float, default=2.0, show_default=True, help="Inverse regularisation of the logistic regression.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=min(os.cpu_count() or 1, 5), show_default="cores, at most 5", help="Cross-validation folds fitted at once.")
@click.option("--heldout", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Labelled pages never trained on: scored after training, figures go on the card.")
@click.option("--families", "families_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The runs `detector families` wrote: the recipe's leave-one-family-out figures go on the card.")
def train(data, output, folds, seed, C, jobs, heldout, families_file) -> None:
    """Train classifier and segmenter on labelled pages; print cross-validated figures."""
    from .model import MODEL_SUFFIX, save_model
    from .training.dataset import read_pages
    from .training.evaluate import format_report
    from .training.provenance import data_source

    try:
        from .training.card import with_family_runs, with_heldout_metrics
        from .training.train import train_model
    except ImportError as exc:
        _fail_usage(f"detector train {_TRAIN_EXTRA} ({exc})")
    if output.suffix != MODEL_SUFFIX:
        _fail_usage(f"model file {output} must end in {MODEL_SUFFIX}")
    try:
        pages = [page for path in data for page in read_pages(path)]
    except DataError as exc:
        _fail_usage(str(exc))
    sources = [data_source(path) for path in data]
    progress = _stage_log("train")
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


def _stage_log(command: str) -> Callable[[str], None]:
    """Training's stages on stderr, terminal or log file, each with the minutes since the start."""
    started = time.monotonic()

    def log(message: str) -> None:
        click.echo(f"detector {command} [{(time.monotonic() - started) / 60:5.1f} min]: {message}", err=True)

    return log


@main.command()
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="The .npz model file to write (default: OLD with .npz); the card goes beside it.")
@click.option("--trusted", is_flag=True, help="Say that you trust OLD: converting unpickles it, which runs any code it holds.")
def convert(old, output, trusted) -> None:
    """Convert a joblib model file of an earlier version into a .npz model file, once.

    A joblib file is a pickle, and reading a pickle runs whatever code it holds;
    a .npz model holds arrays only. Convert only files you trust (you trained them,
    or they come from a source you trust), and say so with --trusted.
    """
    from .model import MODEL_SUFFIX, load_model
    from .model.legacy import convert_trusted_joblib_model

    if not trusted:
        _fail_usage(f"not converting {old}: reading a joblib file unpickles it, which runs whatever code it "
                    f"holds; if you trust the file, run again with --trusted")
    if old.suffix == MODEL_SUFFIX:
        _fail_usage(f"{old} is already a {MODEL_SUFFIX} model file")
    output = output or old.with_suffix(MODEL_SUFFIX)
    if output.suffix != MODEL_SUFFIX:
        _fail_usage(f"model file {output} must end in {MODEL_SUFFIX}")
    try:
        convert_trusted_joblib_model(old, output)
    except ModelError as exc:
        _fail_usage(str(exc))
    click.echo(f"wrote {output}")
    try:
        load_model(output)
    except ModelError as exc:  # converted as it was; this version of detector cannot use it
        click.echo(f"detector: note: {exc}", err=True)


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
        family_runs = detector.model.card["metrics"].get("leave_one_family_out")
        if family_runs:
            from .training.families import format_runs

            click.echo(f"\nleave one family out, the model's recipe (from its card; {family_runs['file']['path']}):")
            click.echo(format_runs(family_runs["runs"]))


@main.command()
@click.argument("train_data", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--heldout", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help="The held-out side of the corpus: the pages each run is scored on.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="JSON file of the runs' figures (give it to `detector train --families`).")
@click.option("--folds", type=click.IntRange(2, 20), default=3, show_default=True)
@click.option("--sample", type=click.IntRange(10, None), default=None,
              help="Train each run on this many pages of the training side (one random sample for all runs).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=min(os.cpu_count() or 1, 5), show_default="cores, at most 5")
def families(train_data, heldout, output, folds, sample, seed, jobs) -> None:
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
    if sample is not None and sample < len(train_pages):
        train_pages = random.Random(seed).sample(train_pages, sample)
    table = FeatureTable.of(train_pages, jobs=jobs)
    runs = leave_one_out(table, heldout_pages, folds=folds, n_jobs=jobs, random_state=seed, progress=_stage_log("families"))
    records = [run.to_dict() for run in runs]
    write_text_atomic(output, json.dumps(records, indent=2) + "\n")
    click.echo(format_runs(records))


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
    try:
        counts = write_corpus(data_dir, output, seed, train_pages, heldout_pages)
    except DataError as exc:
        _fail_usage(f"{exc} (is --data the shared data folder?)")
    click.echo(json.dumps(counts, indent=2, sort_keys=True))
