"""detector.scrapy.DetectorPipeline: a real Scrapy crawl of the fixture pages served by
http.server on 127.0.0.1 (bench/scrapy_crawl.py, in a process of its own since a
Twisted reactor starts once per process), and the pipeline's per-item failures."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from .conftest import FIXTURES, ROOT

pytest.importorskip("scrapy", reason="scrapy is not installed (pip install 'detector[scrapy]')")

from scrapy.exceptions import DropItem  # noqa: E402
from scrapy.utils.test import get_crawler  # noqa: E402

from detector import Detector, ModelError  # noqa: E402
from detector.scrapy import DetectorPipeline  # noqa: E402

PAGES = FIXTURES / "pages"
# A page with no main text at all (0 blocks) and a "page" that is a PNG: detector
# refuses binary input, so the crawl meets one per-item error.
EMPTY_PAGE = "<html><head><title>Nothing here</title></head><body></body></html>"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    served = tmp_path_factory.mktemp("served")
    for page in PAGES.glob("*.html"):
        shutil.copy(page, served / page.name)
    (served / "empty.html").write_text(EMPTY_PAGE, encoding="utf-8")
    (served / "picture.html").write_bytes(PNG_BYTES)
    out = served.parent / "crawl.json"
    # A generous per-page limit: on a loaded machine a page can take seconds, and the
    # assertions below are about clean text, not about the limit.
    settings = ["DETECTOR_DROP_EMPTY=true", "DETECTOR_LABELS_FIELD=labels", "DETECTOR_TIMEOUT=60"]
    command = [sys.executable, str(ROOT / "bench" / "scrapy_crawl.py"), str(served), "--out", str(out)]
    process = subprocess.run(command + [a for s in settings for a in ("--set", s)],
                             capture_output=True, text=True, timeout=300)
    assert process.returncode == 0, process.stderr
    return json.loads(out.read_text(encoding="utf-8")), process.stderr


def _item(crawl, name):
    (item,) = [i for i in crawl[0]["items"] if i["url"].split("/")[-1].startswith(name + "?")]
    return item


def test_the_crawl_finishes_with_every_page_accounted_for(crawl):
    result, _ = crawl
    assert result["stats"]["finish_reason"] == "finished"
    assert result["requested"] == len(list(PAGES.glob("*.html"))) + 2
    assert len(result["items"]) + len(result["dropped"]) == result["requested"]
    assert result["stats"]["detector/cleaned"] == result["requested"] - 1  # all but the PNG


def test_clean_text_keeps_the_reporting_and_drops_the_tags_and_chrome(crawl):
    text = _item(crawl, "single_article_appended.html")["text"]
    assert text.startswith("Harwick council votes to close Mill Street bridge for 14 months of repairs")
    assert "Harwick's town council voted 6-1 on Tuesday night" in text
    assert "Work is due to begin on April 7." in text
    # The appended tag list and hashtag line always go; whether the two summary
    # paragraphs before them go is the model's call (tests/test_end_to_end.py).
    for appended in ("Tags:", "1. Harwick bridge closure", "6. Traffic diversion", "#Harwick #council"):
        assert appended not in text
    for chrome in ("Share this story", "Read More", "Related stories", "Post comment", "Sign up", "Greg T."):
        assert chrome not in text


def test_each_item_gets_the_text_the_library_gives_for_the_same_bytes(crawl):
    detector = Detector()
    for name in ("single_article_appended.html", "archive.html", "cp1252_article.html", "single_article.html"):
        assert _item(crawl, name)["text"] == detector.clean((PAGES / name).read_bytes()).text, name


def test_archive_posts_and_declared_encodings_survive_the_crawl(crawl):
    archive = _item(crawl, "archive.html")["text"]
    assert "#Port #Allard" not in archive and "#electric #school" not in archive
    assert "Café owner’s “pay what you can” lunch" in _item(crawl, "cp1252_article.html")["text"]


def test_labels_field_holds_every_block_with_its_verdict(crawl):
    labels = _item(crawl, "single_article_appended.html")["labels"]
    assert [b["index"] for b in labels] == list(range(21))
    assert labels[20]["text"].startswith("#Harwick") and labels[20]["label"] == "hashtag_spam"
    assert labels[20]["reason"] and labels[0]["reason"] is None


def test_an_empty_page_is_dropped_and_a_binary_one_counted_as_an_error(crawl):
    result, stderr = crawl
    assert [url.split("/")[-1] for url in result["dropped"]] == ["empty.html?copy=0"]
    assert result["stats"]["detector/empty"] == 1
    picture = _item(crawl, "picture.html")
    assert "text" not in picture  # passed on, without a text it does not have
    assert result["stats"]["detector/errors"] == result["stats"]["detector/errors/input"] == 1
    assert "picture.html" in stderr and "binary" in stderr


def _pipeline(**settings):
    crawler = get_crawler(settings_dict=settings)
    return DetectorPipeline.from_crawler(crawler), crawler.stats


def test_the_model_is_loaded_once_per_process():
    first, _ = _pipeline(DETECTOR_HTML_FIELD="body")
    second, _ = _pipeline(DETECTOR_HTML_FIELD="html")
    assert first.detector is second.detector
    assert first.settings.html_field == "body" and second.settings.html_field == "html"


def test_an_unknown_model_fails_when_the_pipeline_opens():
    with pytest.raises(ModelError, match="no-such-model"):
        _pipeline(DETECTOR_MODEL="no-such-model")


def test_items_without_a_page_are_counted_and_passed_on():
    pipeline, stats = _pipeline()
    for item in ({"url": "u1"}, {"url": "u2", "html": 42}):
        assert pipeline.process_item(dict(item)) == item
    assert stats.get_value("detector/errors/no_page") == 2
    assert stats.get_value("detector/cleaned") is None


def test_an_unexpected_failure_is_counted_and_logged_not_raised(monkeypatch, caplog):
    pipeline, stats = _pipeline()

    def broken(page, name):
        raise RuntimeError("a bug")

    monkeypatch.setattr(pipeline.detector, "clean", broken)
    assert pipeline.process_item({"url": "u3", "html": "<p>x</p>"}) == {"url": "u3", "html": "<p>x</p>"}
    assert stats.get_value("detector/errors/unexpected") == 1
    assert "unexpected failure on u3: RuntimeError: a bug" in caplog.text
    assert "Traceback" in caplog.text


def test_an_item_class_without_the_text_field_is_an_error_not_a_crash():
    import scrapy

    class Page(scrapy.Item):
        html = scrapy.Field()

    pipeline, stats = _pipeline()
    item = pipeline.process_item(Page(html=(PAGES / "single_article.html").read_bytes()))
    assert "text" not in item and stats.get_value("detector/errors/no_field") == 1


def test_empty_items_are_kept_unless_asked_to_drop_them():
    keep, stats = _pipeline()
    assert keep.process_item({"html": EMPTY_PAGE})["text"] == ""
    assert stats.get_value("detector/empty") == 1
    drop, _ = _pipeline(DETECTOR_DROP_EMPTY="True")
    with pytest.raises(DropItem):
        drop.process_item({"html": EMPTY_PAGE})
