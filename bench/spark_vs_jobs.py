"""The Spark job on two local cores against `detector clean --jobs 2`, on one WARC file.

Builds a WARC file (in a temporary folder, never in the repository) of real pages from
../shared/data/html, then, a few times and alternating which goes first, times:
  - `detector clean WARC --jobs 2 --format jsonl` (a subprocess; stdout discarded);
    both without the per-page time limit (`--timeout 0`);
  - `spark-submit --master local[2] detector/integrations/spark.py WARC --splits-per-file 2`
    (JSON Lines out), end to end, and the job alone as it reports itself (without
    starting the JVM and the Spark session, a cost paid once per job on a cluster).
Prints the median pages/s of each. A benchmark, not a test: it asserts nothing.

    python bench/spark_vs_jobs.py --data ../shared/data [--records 150] [--repeats 3] [--model PATH]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from detector.training.provenance import DEFAULT_DATA_DIR  # noqa: E402

SPARK_JOB = ROOT / "detector" / "integrations" / "spark.py"
# No per-page time limit on either side: on a loaded machine a page abandoned at the
# limit would make that side look faster.
NO_LIMIT = ("--timeout", "0")
_JOB_SECONDS = re.compile(r"rows \(\d+ with an error\) from \d+ WARC file\(s\) into .* in ([\d.]+) s")


def write_bench_warc(data: Path, path: Path, records: int) -> int:
    """An evenly spaced sample of the real pages as HTML response records; returns how many."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    pages = sorted((data / "html").glob("*/pages/*.html.gz"))
    if not pages:
        sys.exit(f"bench: no pages under {data / 'html'}; pass --data")
    step = max(len(pages) / records, 1.0)
    chosen = [pages[int(i * step)] for i in range(min(records, len(pages)))]
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for page in chosen:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            url = f"https://{page.parent.parent.name}.example/{page.name.removesuffix('.html.gz')}"
            payload = io.BytesIO(gzip.decompress(page.read_bytes()))
            writer.write_record(writer.create_warc_record(url, "response", payload=payload, http_headers=headers))
    return len(chosen)


def count_html_records(warc: Path) -> int:
    from detector.reading import Source, WarcRecord, iter_warc_records

    return sum(isinstance(r, WarcRecord) for r in iter_warc_records(Source(str(warc), warc, Path(warc.name))))


def time_jobs(warc: Path, model: str | None) -> float:
    command = [sys.executable, "-m", "detector", "clean", str(warc), "--jobs", "2", "--format", "jsonl", *NO_LIMIT]
    start = time.perf_counter()
    done = subprocess.run(command + (["--model", model] if model else []), stdout=subprocess.DEVNULL)
    if done.returncode not in (0, 1):  # 1: some records failed, as some real pages do
        sys.exit(f"bench: detector clean ended with status {done.returncode}")
    return time.perf_counter() - start


def time_spark(warc: Path, out: Path, model: str | None) -> tuple[float, float]:
    """(end to end, the job alone) in seconds."""
    spark_submit = Path(sys.executable).with_name("spark-submit")
    command = [str(spark_submit if spark_submit.exists() else "spark-submit"), "--master", "local[2]",
               "--conf", "spark.ui.enabled=false", str(SPARK_JOB), str(warc), "-o", str(out),
               "--splits-per-file", "2", *NO_LIMIT] + (["--model", model] if model else [])
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable,
           "SPARK_LOCAL_IP": "127.0.0.1"}
    start = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    total = time.perf_counter() - start
    match = _JOB_SECONDS.search(done.stdout + done.stderr)
    if match is None:
        sys.exit("bench: the Spark job did not report its time:\n" + done.stderr[-2000:])
    return total, float(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--records", type=int, default=150, help="HTML records in the WARC file")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--warc", type=Path, default=None,
                        help="an existing WARC file to time (its HTML records counted) instead of building one")
    parser.add_argument("--model", default=None, help="model name or .npz path (default: the shipped default)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="detector-spark-bench-") as tmp:
        if args.warc is None:
            warc = Path(tmp) / "bench.warc.gz"
            pages = write_bench_warc(args.data, warc, args.records)
        else:
            warc, pages = args.warc, count_html_records(args.warc)
        model = str(Path(args.model).resolve()) if args.model and Path(args.model).exists() else args.model
        jobs, spark_total, spark_job = [], [], []
        for repeat in range(args.repeats):
            for which in ("jobs", "spark") if repeat % 2 == 0 else ("spark", "jobs"):  # alternate the first
                if which == "jobs":
                    jobs.append(time_jobs(warc, model))
                    print(f"run {repeat + 1}: --jobs 2 {jobs[-1]:.1f} s", file=sys.stderr, flush=True)
                else:
                    total, job = time_spark(warc, Path(tmp) / f"out{repeat}", model)
                    spark_total.append(total)
                    spark_job.append(job)
                    print(f"run {repeat + 1}: spark {total:.1f} s (job {job:.1f} s)", file=sys.stderr, flush=True)
    figures = {
        "pages": pages,
        "repeats": args.repeats,
        "jobs2_pages_per_s": pages / statistics.median(jobs),
        "spark_local2_pages_per_s_end_to_end": pages / statistics.median(spark_total),
        "spark_local2_pages_per_s_job": pages / statistics.median(spark_job),
        "seconds": {"jobs2": jobs, "spark_end_to_end": spark_total, "spark_job": spark_job},
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{pages} HTML records in one WARC file, median of {args.repeats} runs each")
    print(f"  detector clean --jobs 2                       {figures['jobs2_pages_per_s']:6.1f} pages/s")
    print(f"  spark-submit local[2], end to end             {figures['spark_local2_pages_per_s_end_to_end']:6.1f} pages/s")
    print(f"  spark-submit local[2], the job (no start-up)  {figures['spark_local2_pages_per_s_job']:6.1f} pages/s")


if __name__ == "__main__":
    main()
