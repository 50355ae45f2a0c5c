"""Inputs nothing is lost from without a word: pages of any file name in a saved site,
what was skipped said, WARC records named by URL and carrying their metadata, error
responses skipped with a note."""

from __future__ import annotations

import io
import json

from click.testing import CliRunner

from detector.cli import main

from .conftest import ARTICLE


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)), catch_exceptions=False)


def test_a_saved_site_is_read_by_content_and_the_rest_is_reported(tmp_path, tiny_model_path):
    site = tmp_path / "site"
    site.mkdir()
    pages = ["index.html", "page.php", "about.xhtml", "news.shtml", "story", "index.html?p=2"]
    for name in pages:
        (site / name).write_text(ARTICLE.replace("Kelby", name.title().replace(".", "").replace("?", "")), encoding="utf-8")
    (site / "style.css").write_text("body { color: red }")
    (site / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (site / "notes.md").write_text("Some notes, not a page.")
    out = tmp_path / "out"
    result = run("clean", site, "-o", out, "--model", tiny_model_path)
    assert result.exit_code == 0, result.stderr
    assert len(list(out.iterdir())) == len(pages)
    texts = " ".join(p.read_text() for p in out.iterdir())
    assert "PagePhp council" in texts and "IndexHtmlP=2 council" in texts and "Story council" in texts
    skipped = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert len(skipped) == 1 and skipped[0].startswith("detector: skipped 3 input(s)")
    assert all(name in skipped[0] for name in ("logo.png", "notes.md", "style.css"))


def test_a_folder_without_pages_says_so(tmp_path):
    (tmp_path / "style.css").write_text("body { color: red }")
    result = run("clean", tmp_path)
    assert result.exit_code == 1
    assert "detector: 0 inputs found: no page in the inputs given" in result.stderr.splitlines()
    assert "style.css" in result.stderr


def write_warc(path, responses):
    """(URL, HTTP status line, payload) -> a gzipped WARC of HTML response records."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, status, payload in responses:
            headers = StatusAndHeaders(status, [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=headers))


def test_warc_records_are_named_by_url_and_error_responses_skipped(tmp_path, tiny_model_path):
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, [
        ("https://news.example/2024/flood-barriers?page=2", "200 OK", ARTICLE.encode()),
        ("https://news.example/missing", "404 Not Found", b"<html><body><h1>Not found</h1><p>Sorry.</p></body></html>"),
        ("https://news.example/2024/flood-barriers?page=2", "200 OK", ARTICLE.encode()),  # crawled twice
        ("https://news.example/broken", "503 Service Unavailable", b"<html><body><p>Try later.</p></body></html>"),
    ])
    out = tmp_path / "out"
    result = run("clean", warc, "-o", out, "--format", "json", "--model", tiny_model_path)
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in (out / "crawl.warc").iterdir())
    assert names == ["news_example_2024_flood-barriers_page_2.json", "news_example_2024_flood-barriers_page_2~2.json"]
    record = json.loads((out / "crawl.warc" / names[0]).read_text())
    assert record["url"] == "https://news.example/2024/flood-barriers?page=2" and record["http_status"] == 200
    assert record["title"] == "Kelby approves flood barriers"
    assert record["model_version"].startswith("card-sha256:") and "date" in record
    notes = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert notes == [f"detector: skipped 1 input(s), HTTP status 404, not a page: {warc}#https://news.example/missing",
                     f"detector: skipped 1 input(s), HTTP status 503, not a page: {warc}#https://news.example/broken"]


def test_a_page_file_carries_its_title_in_json(tmp_path, tiny_model_path):
    page = tmp_path / "a.html"
    page.write_text(ARTICLE, encoding="utf-8")
    record = json.loads(run("clean", page, "--format", "json", "--model", tiny_model_path).stdout)
    assert record["title"] == "Kelby approves flood barriers" and record["url"] is None and record["http_status"] is None
