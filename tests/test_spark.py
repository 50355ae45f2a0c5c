"""The Spark job over WARC files: the partition code on its own, then the job in Spark's
local mode (skipped, with the reason, where pyspark or Java is missing)."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from detector.integrations.spark import ROW_FIELDS, clean_warc_shares, run_job, warc_shares
from detector.pipeline import Detector, Options

from .conftest import FIXTURES
from .test_streams import write_warc

PAGES = sorted((FIXTURES / "pages").glob("*.html"))
BINARY = bytes(range(256)) * 40  # under an HTML content type: a record that fails

_MISSING = ("pyspark is not installed (pip install 'detector[spark]')" if importlib.util.find_spec("pyspark") is None
            else "Java is not installed (Spark needs Java 17 or later; or set JAVA_HOME)"
            if not (shutil.which("java") or os.environ.get("JAVA_HOME")) else None)
needs_spark = pytest.mark.skipif(_MISSING is not None, reason=_MISSING or "")


@pytest.fixture()
def warc(tmp_path) -> Path:
    """The fixture pages as HTML response records, an image among them and a binary one last."""
    records = [("response", "text/html", page.read_bytes()) for page in PAGES]
    records.insert(2, ("response", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64)))
    records.append(("response", "text/html", BINARY))
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, records)
    return path


def expected_rows(model_path, warc: Path) -> dict[str, dict]:
    """By URL: what cleaning each page on its own gives (write_warc numbers records from 0)."""
    detector = Detector(model_path)
    urls = [f"https://news.example/{n}" for n in (0, 1, *range(3, len(PAGES) + 1))]
    rows = {}
    for url, page in zip(urls, PAGES):
        result = detector.clean(page.read_bytes(), is_html=True)
        rows[url] = {"text": result.text, "labels": [str(b.label) for b in result.blocks], "error": None}
    return rows


def by_url(rows) -> dict[str | None, dict]:
    return {row["url"]: {k: row[k] for k in ("text", "labels", "error")} for row in rows}


def check_rows(rows: list[dict], tiny_model_path, warc: Path, missing: Path) -> None:
    assert all(set(row) == set(ROW_FIELDS) for row in rows)
    got = by_url(rows)
    expected = expected_rows(tiny_model_path, warc)
    assert {url: got[url] for url in expected} == expected
    assert all(got[url]["text"] for url in expected)
    failed = got[f"https://news.example/{len(PAGES) + 1}"]
    assert failed["text"] is None and failed["error"]
    unreadable = got[None]
    assert "no such file" in unreadable["error"] and [r["warc"] for r in rows if r["url"] is None] == [str(missing)]
    assert len(rows) == len(expected) + 2  # no row for the image
    assert len({r["record_id"] for r in rows if r["url"]}) == len(expected) + 1


def test_a_partition_cleans_each_html_record_as_the_library_does(tmp_path, warc, tiny_model_path):
    missing = tmp_path / "missing.warc.gz"
    rows = list(clean_warc_shares(warc_shares([str(warc), str(missing)]), str(tiny_model_path), Options()))
    check_rows(rows, tiny_model_path, warc, missing)


def test_shares_of_a_file_clean_every_record_once(tmp_path, warc, tiny_model_path):
    missing = str(tmp_path / "missing.warc.gz")
    whole = list(clean_warc_shares(warc_shares([str(warc), missing]), str(tiny_model_path), Options()))
    shares = [list(clean_warc_shares([task], str(tiny_model_path), Options()))
              for task in warc_shares([str(warc), missing], shares=3)]
    assert all(shares[:3]) and sum(map(len, shares)) == len(whole)  # every share of the WARC has records
    key = lambda row: (row["warc"], row["record_id"] or "")  # noqa: E731
    assert sorted((r for s in shares for r in s), key=key) == sorted(whole, key=key)


def test_splits_per_file_must_be_positive():
    with pytest.raises(ValueError, match="1 or more"):
        warc_shares(["a.warc.gz"], 0)


def _spark_env() -> dict:
    # the executors' Python is this one (detector installed); the driver binds locally
    return {**os.environ, "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable,
            "SPARK_LOCAL_IP": "127.0.0.1"}


@needs_spark
def test_spark_submit_on_two_local_cores_with_the_model_shipped_by_files(tmp_path, warc, tiny_model_path):
    import detector.integrations.spark as job

    missing, out = tmp_path / "missing.warc.gz", tmp_path / "out"
    spark_submit = Path(sys.executable).with_name("spark-submit")
    done = subprocess.run(
        [str(spark_submit if spark_submit.exists() else "spark-submit"), "--master", "local[2]",
         "--conf", "spark.ui.enabled=false", "--files", str(tiny_model_path),
         job.__file__, str(warc), str(missing), "-o", str(out), "--model-file", tiny_model_path.name,
         "--splits-per-file", "2"],
        capture_output=True, text=True, timeout=600, env=_spark_env(),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    # spark-submit may pass the Python driver's stderr on through its own stdout
    assert f"{len(PAGES) + 2} rows (2 with an error) from 2 WARC file(s)" in done.stdout + done.stderr, (done.stdout[-500:], done.stderr[-500:])
    rows = [json.loads(line) for part in sorted(out.glob("part-*")) for line in part.read_text().splitlines()]
    check_rows(rows, tiny_model_path, warc, missing)


@needs_spark
def test_run_job_writes_parquet(tmp_path, warc, tiny_model_path, monkeypatch):
    for name, value in _spark_env().items():
        monkeypatch.setenv(name, value)
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master("local[2]").appName("detector test")
             .config("spark.ui.enabled", "false").getOrCreate())
    try:
        missing, out = tmp_path / "missing.warc.gz", str(tmp_path / "out")
        counts = run_job(spark, [str(warc), str(missing)], out, model=str(tiny_model_path), fmt="parquet")
        rows = [row.asDict() for row in spark.read.parquet(out).collect()]
    finally:
        spark.stop()
    check_rows(rows, tiny_model_path, warc, missing)
    assert counts == (len(rows), 2)
