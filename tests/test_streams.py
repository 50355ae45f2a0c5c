"""Streams: path lists on stdin, WARC files, records in input order, progress only on a terminal."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from detector.cli import main
from detector.sink import Progress
from detector.errors import InputError
from detector.reading import Source, iter_sources, read_path_list, read_source

from .test_hostile import ARTICLE


def run(*args, input=None):
    return CliRunner().invoke(main, list(map(str, args)), input=input, catch_exceptions=False)


def page(n: int) -> str:
    return ARTICLE.replace("Kelby", f"Town{n}")


@pytest.fixture()
def folder(tmp_path):
    root = tmp_path / "pages"
    root.mkdir()
    for n in range(6):
        (root / f"p{n}.html").write_text(page(n))
    return root


# ---------------------------------------------------------------- path lists


def test_read_path_list_keeps_spaces_and_skips_blank_lines():
    assert list(read_path_list(io.StringIO("a.html\n\n b c.html \r\nlast.txt"))) == ["a.html", " b c.html ", "last.txt"]


def test_paths_from_stdin_in_list_order_with_failures_named(folder, tiny_model_path):
    names = ["p3.html", "missing.html", "p0.html", "p5.html"]
    listing = "".join(f"{folder / n}\n" for n in names)
    result = run("clean", "--from-list", "-", "--format", "jsonl", "--model", tiny_model_path, input=listing)
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(r["source"]).name for r in records] == ["p3.html", "p0.html", "p5.html"]
    assert "Town3 council approved" in records[0]["text"]
    assert f"{folder / 'missing.html'}: no such file or directory" in result.stderr


def test_path_list_from_a_file_adds_to_the_arguments(folder, tmp_path, tiny_model_path):
    listing = tmp_path / "list.txt"
    listing.write_text(f"{folder / 'p1.html'}\n{folder / 'p2.html'}\n")
    result = run("clean", folder / "p4.html", "--from-list", listing, "-o", tmp_path / "out", "--model", tiny_model_path)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["p1.txt", "p2.txt", "p4.txt"]


def test_no_inputs_at_all_is_a_usage_error():
    assert run("clean").exit_code == 2


def test_stdin_cannot_be_page_and_list_at_once(tiny_model_path):
    result = run("clean", "-", "--from-list", "-", "--model", tiny_model_path, input="x\n")
    assert result.exit_code == 2 and "stdin" in result.stderr


def test_jsonl_with_two_jobs_keeps_input_order(folder, tiny_model_path):
    result = run("clean", folder, "--format", "jsonl", "--jobs", 2, "--model", tiny_model_path)
    assert result.exit_code == 0, result.output
    sources = [Path(json.loads(line)["source"]).name for line in result.stdout.splitlines()]
    assert sources == [f"p{n}.html" for n in range(6)]


# ---------------------------------------------------------------- WARC


def write_warc(path: Path, records: list[tuple[str, str, bytes]], *, gzipped: bool = True) -> None:
    """(record type, content type, payload) -> a WARC file with HTTP response records."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gzipped)
        for n, (kind, content_type, payload) in enumerate(records):
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(f"https://news.example/{n}", kind, payload=io.BytesIO(payload),
                                               http_headers=headers if kind == "response" else None)
            writer.write_record(record)


WARC_RECORDS = [
    ("response", "text/html; charset=utf-8", page(0).encode()),
    ("response", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10),  # skipped: not HTML
    ("response", "text/html", bytes(range(256)) * 40),  # binary under an HTML type: one failed input
    ("resource", "text/html", page(9).encode()),  # not a response record: skipped
    ("response", "application/xhtml+xml", page(2).encode("cp1252")),
    ("response", "text/html", b""),  # empty body: one failed input
    ("response", "TEXT/HTML;charset=windows-1252", page(4).encode()),
]


@pytest.mark.parametrize("suffix, gzipped", [(".warc.gz", True), (".warc", False)])
def test_each_html_response_record_is_a_page(tmp_path, tiny_model_path, suffix, gzipped):
    warc = tmp_path / f"crawl{suffix}"
    write_warc(warc, WARC_RECORDS, gzipped=gzipped)
    result = run("clean", warc, "--format", "jsonl", "--model", tiny_model_path)
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["source"] for r in records] == [f"{warc}#https://news.example/{n}" for n in (0, 4, 6)]
    assert "Town0 council approved" in records[0]["text"] and "Town4 council" in records[2]["text"]
    errors = result.stderr.splitlines()
    assert f"detector: error: {warc}#https://news.example/2: binary data, not a web page or text" in errors
    assert f"detector: error: {warc}#https://news.example/5: empty input" in errors
    assert "detector: 2 input(s) failed" in errors


def test_warc_records_get_one_output_file_each_and_resume(tmp_path, tiny_model_path):
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, [WARC_RECORDS[0], WARC_RECORDS[4], WARC_RECORDS[6]])
    out = tmp_path / "out"
    assert run("clean", warc, "-o", out, "--model", tiny_model_path).exit_code == 0
    files = sorted((out / "crawl.warc").iterdir())
    assert [f.name for f in files] == ["news_example_0.txt", "news_example_1.txt", "news_example_2.txt"]
    files[1].unlink()
    before = {f.name: f.stat().st_mtime_ns for f in (files[0], files[2])}
    assert run("clean", warc, "-o", out, "--skip-existing", "--model", tiny_model_path).exit_code == 0
    assert files[1].exists()
    assert {f.name: f.stat().st_mtime_ns for f in (files[0], files[2])} == before


def test_warc_files_are_found_in_folders(tmp_path, tiny_model_path):
    (tmp_path / "in").mkdir()
    write_warc(tmp_path / "in" / "a.warc.gz", [WARC_RECORDS[0]])
    (tmp_path / "in" / "b.html").write_text(page(1))
    sources = [s.name for s in iter_sources([str(tmp_path / "in")])]
    assert sources == [f"{tmp_path / 'in' / 'a.warc.gz'}#https://news.example/0", str(tmp_path / "in" / "b.html")]


def test_a_corrupt_warc_is_one_error_after_the_good_records(tmp_path):
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, [WARC_RECORDS[0], WARC_RECORDS[4]])
    good = warc.read_bytes()
    warc.write_bytes(good + b"this is not a WARC record\r\n\r\n" * 3)
    items = list(iter_sources([str(warc)]))
    assert [type(i).__name__ for i in items] == ["Source", "Source", "InputError"]
    assert items[2].source == str(warc) and "not readable as WARC after record 2" in items[2].reason
    assert "Town0 council" in read_source(items[0]).content


def test_not_a_warc_at_all(tmp_path):
    fake = tmp_path / "fake.warc"
    fake.write_text("<html>hello</html>")
    (error,) = iter_sources([str(fake)])
    assert error.source == str(fake) and "not readable as WARC at the start" in error.reason


def test_a_gzip_content_encoded_record_is_decoded(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    warc = tmp_path / "enc.warc.gz"
    with open(warc, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        body = gzip.compress(page(7).encode())
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip"),
                                              ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://news.example/enc", "response",
                                                      payload=io.BytesIO(body), http_headers=headers))
    (source,) = iter_sources([str(warc)])
    assert isinstance(source, Source) and "Town7 council" in read_source(source).content


def test_a_records_http_charset_reaches_decoding(tmp_path):
    # no <meta> charset: only the HTTP header says ISO-8859-2, and the guess reads it as cp1252
    text = "Zażółć gęślą jaźń: the Łódź council approved the budget on Monday."
    warc = tmp_path / "latin2.warc.gz"
    write_warc(warc, [("response", "text/html; charset=ISO-8859-2",
                       f"<html><body><p>{text}</p></body></html>".encode("iso-8859-2"))])
    (source,) = iter_sources([str(warc)])
    assert isinstance(source, Source) and source.charset == "ISO-8859-2"
    assert text in read_source(source).content


def test_warc_records_over_max_bytes_are_refused_as_they_are_read(tmp_path):
    warc = tmp_path / "big.warc.gz"
    small, big = page(0).encode(), page(1).encode() * 20
    write_warc(warc, [("response", "text/html", small), ("response", "text/html", big)])
    limit = len(small) + 10
    first, second = iter_sources([str(warc)], max_bytes=limit)
    assert isinstance(first, Source) and first.data == small
    assert isinstance(second, InputError) and second.source == f"{warc}#https://news.example/1"
    assert second.reason == f"page is over the {limit:,}-byte limit"


# ---------------------------------------------------------------- progress


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_is_silent_off_a_terminal():
    stream = io.StringIO()
    clock = iter(range(0, 100, 1)).__next__
    progress = Progress(stream, clock=clock)
    for _ in range(20):
        progress.update(False)
    progress.close()
    assert stream.getvalue() == ""


def test_progress_shows_counts_and_rate_on_a_terminal_for_long_runs_only():
    stream = FakeTerminal()
    times = iter([0.0] + [0.1 * n for n in range(1, 11)] + [3.0, 3.1, 4.0, 4.0])
    progress = Progress(stream, clock=lambda: next(times))
    for failed in [False] * 9 + [True]:
        progress.update(failed)
    assert stream.getvalue() == ""  # one second in: a short run stays quiet
    progress.update(False)  # at 3.0 s
    assert "11 pages, 1 failed, 3.7 pages/s" in stream.getvalue()
    progress.update(False)  # 0.1 s later: not redrawn yet
    assert stream.getvalue().count("pages/s") == 1
    progress.update(False)
    progress.close()
    assert stream.getvalue().endswith("13 pages, 1 failed, 3.2 pages/s\n")


def test_the_cli_prints_no_progress_when_stderr_is_not_a_terminal(folder, tiny_model_path):
    result = run("clean", folder, "--model", tiny_model_path)
    assert result.exit_code == 0 and result.stderr == ""
