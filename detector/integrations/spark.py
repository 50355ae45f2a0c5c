"""Spark: clean the HTML responses of WARC files on many machines.

    spark-submit --master yarn --files models/mine.npz \\
        "$(python -c 'import detector.integrations.spark as s; print(s.__file__)')" \\
        /shared/crawl/*.warc.gz -o /shared/clean --model-file mine.npz

Each task reads one WARC file where it is stored (a local or shared file system
every executor can read; or one of `--splits-per-file` shares of its records, so
that a few large files keep many cores busy), loads the model once for its
partition (as cc-pyspark's jobs open their resources once per partition), and
yields one row per HTML response record: url, record_id, warc, text (the clean
text), labels (one per block, in order), passed_through (None, or why a page in
another language was kept whole) and error (None, or why the record could not be cleaned; a file that cannot be read is one row with no url). The rows are
written as JSON Lines or Parquet.

The partition code (`clean_warc_shares`) is plain Python; pyspark (the `spark`
extra) is imported only where a Spark session is used.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path, PurePath
from typing import Any, NamedTuple

import click

from detector.batch import clean_source
from detector.cli import caution_option, options_from_flags, timeout_option
from detector.errors import InputError, ModelError
from detector.pipeline import Detector, Options
from detector.reading import Source, WarcRecord, iter_warc_records

FORMATS = ("jsonl", "parquet")
ROW_FIELDS = ("url", "record_id", "warc", "text", "labels", "passed_through", "error")


class WarcShare(NamedTuple):
    """One task: the records of `path` whose number (from 0, in file order) is `share` modulo `shares`."""

    path: str
    share: int = 0
    shares: int = 1


def warc_shares(paths: Iterable[str], shares: int = 1) -> list[WarcShare]:
    if shares < 1:
        raise ValueError(f"splits per file must be 1 or more, not {shares}")
    return [WarcShare(path, share, shares) for path in paths for share in range(shares)]


def clean_warc_shares(tasks: Iterable[WarcShare], model: str | None, options: Options) -> Iterator[dict]:
    """The rows of a partition's tasks, the model loaded once for all of them."""
    detector = Detector(model, options)
    for task in tasks:
        yield from _clean_share(detector, task)


def _clean_share(detector: Detector, task: WarcShare) -> Iterator[dict]:
    path = Path(task.path)
    warc = Source(task.path, path, PurePath(path.name))
    number = 0
    for item in iter_warc_records(warc, max_bytes=detector.options.max_bytes):
        if isinstance(item, InputError):  # about the whole file: every share meets it, the first reports it
            if task.share == 0:
                yield _row(None, None, task.path, None, item)
            continue
        number += 1
        if (number - 1) % task.shares == task.share:
            yield _record_row(detector, item, task.path)


def _record_row(detector: Detector, record: WarcRecord, warc: str) -> dict:
    if isinstance(record.page, InputError):
        return _row(record.uri, record.record_id, warc, None, record.page)
    outcome = clean_source(detector, record.page)
    return _row(record.uri, record.record_id, warc, outcome.result, outcome.error)


def _row(url: str | None, record_id: str | None, warc: str, result: Any, error: InputError | None) -> dict:
    return {
        "url": url,
        "record_id": record_id,
        "warc": warc,
        "text": result.text if result is not None else None,
        "labels": [str(block.label) for block in result.blocks] if result is not None else None,
        "passed_through": result.passed_through if result is not None else None,
        "error": error.reason if error is not None else None,
    }


def _row_schema() -> Any:
    from pyspark.sql.types import ArrayType, StringType, StructField, StructType

    columns = {name: StringType() for name in ROW_FIELDS} | {"labels": ArrayType(StringType())}
    return StructType([StructField(name, columns[name]) for name in ROW_FIELDS])


def _executor_partition(tasks: Iterable[WarcShare], model: str | None, shipped_model: str | None,
                        options: Options, rows_written: Any, rows_failed: Any) -> Iterator[tuple]:
    """On an executor: the model from where it was shipped, then the partition's rows as
    tuples, counted in the two accumulators."""
    if shipped_model is not None:
        from pyspark import SparkFiles

        model = SparkFiles.get(shipped_model)
    for row in clean_warc_shares(tasks, model, options):
        rows_written.add(1)
        rows_failed.add(row["error"] is not None)
        yield tuple(row[name] for name in ROW_FIELDS)


def run_job(spark: Any, warcs: Sequence[str], output: str, *, model: str | None = None,
            shipped_model: str | None = None, options: Options | None = None, fmt: str = "jsonl",
            splits_per_file: int = 1) -> tuple[int, int]:
    """Clean every HTML response of `warcs` on the cluster of `spark`; write the rows to
    `output`; return (rows, rows with an error) (a task Spark retries counts again).

    `model` is a shipped model name or a path every executor can read; `shipped_model`
    the file name of a model sent with `spark-submit --files` (each executor reads
    its own copy). The output folder must not exist yet.
    """
    if fmt not in FORMATS:
        raise ValueError(f"output format {fmt!r} is not one of {', '.join(FORMATS)}")
    tasks = warc_shares(warcs, splits_per_file)
    written, failed = spark.sparkContext.accumulator(0), spark.sparkContext.accumulator(0)
    partition = partial(_executor_partition, model=model, shipped_model=shipped_model, options=options or Options(),
                        rows_written=written, rows_failed=failed)
    # one task per partition: Spark hands partitions to free cores, so a slow file holds one core only
    rows = spark.sparkContext.parallelize(tasks, numSlices=len(tasks)).mapPartitions(partition)
    frame = spark.createDataFrame(rows, schema=_row_schema())
    if fmt == "jsonl":
        frame.write.option("ignoreNullFields", "false").json(output)  # every row has every field
    else:
        frame.write.parquet(output)
    return written.value, failed.value


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("warcs", nargs=-1, required=True)
@click.option("--output", "-o", required=True, help="Output folder to create (part files, as Spark writes them).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option("--model", "-m", default=None, metavar="NAME|PATH",
              help="A shipped model name, or a .npz model file at a path every executor can read (default: default).")
@click.option("--model-file", default=None, metavar="NAME",
              help="The file name of a model sent with spark-submit --files (its card travels inside it).")
@click.option("--splits-per-file", type=click.IntRange(1, 1024), default=1, show_default=True,
              help="Tasks per WARC file, each cleaning every n-th record (each reads the whole file).")
@timeout_option
@caution_option
def main(warcs, output, fmt, model, model_file, splits_per_file, timeout, caution) -> None:
    """Clean the HTML response records of WARC files with Spark; write url, record_id,
    warc, text, labels, passed_through and error per record as JSON Lines or Parquet.

    WARC paths must be readable by every executor (a shared or local file system).
    """
    from pyspark import SparkFiles
    from pyspark.sql import SparkSession

    if model and model_file:
        raise click.UsageError("give --model or --model-file, not both")
    spark = SparkSession.builder.appName("detector clean").getOrCreate()
    try:
        try:  # a model the executors would refuse is refused here, once
            Detector(SparkFiles.get(model_file) if model_file else model)
        except ModelError as exc:
            raise click.UsageError(str(exc)) from None
        start = time.monotonic()
        rows, failed = run_job(spark, list(warcs), output, model=model, shipped_model=model_file,
                               options=options_from_flags(timeout, caution), fmt=fmt, splits_per_file=splits_per_file)
        click.echo(f"detector: {rows} rows ({failed} with an error) from {len(warcs)} WARC file(s) into {output} "
                   f"in {time.monotonic() - start:.1f} s", err=True)
    finally:
        spark.stop()


if __name__ == "__main__":  # spark-submit runs this file as a script
    # Run the installed module's `main`, so that what Spark sends to the executors refers
    # to `detector.integrations.spark`, which they import, not to this script's `__main__`.
    from detector.integrations.spark import main as installed_main

    installed_main()
