"""One real Scrapy crawl of a folder of pages, served by http.server on 127.0.0.1.

    python bench/scrapy_crawl.py PAGES_DIR --out crawl.json [--copies N] [--glob '*.html'] [--no-pipeline] [--set KEY=VALUE ...]

Every page of PAGES_DIR (*.html unless --glob) is requested N times (`?copy=i`, so the duplicate filter lets
each through); the spider yields {"url", "body": response bytes}, and
`detector.scrapy.DetectorPipeline` cleans them unless --no-pipeline. The JSON written
holds the items (without their bodies), the URLs of dropped items, the crawl's stats
and the seconds from the spider opening to its closing. Run it in a process of its
own: a Twisted reactor cannot be started twice in one process
(tests/test_scrapy.py and bench/bench_scrapy.py do).
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:  # one line per request would drown the crawl's own log
        pass


def serve(folder: Path) -> ThreadingHTTPServer:
    """http.server on a free port of 127.0.0.1, serving `folder` from a daemon thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class PagesSpider(scrapy.Spider):
    name = "pages"

    def parse(self, response):
        yield {"url": response.url, "body": response.body}


class Recorder:
    """What the crawl's signals report: items scraped and dropped, when the spider ran."""

    def __init__(self) -> None:
        self.items: list[dict] = []
        self.dropped: list[str] = []
        self.opened = self.closed = 0.0

    def item_scraped(self, item) -> None:
        self.items.append({key: value for key, value in item.items() if key != "body"})

    def item_dropped(self, item) -> None:
        self.dropped.append(item["url"])

    def spider_opened(self) -> None:
        self.opened = time.perf_counter()

    def spider_closed(self) -> None:
        self.closed = time.perf_counter()


def crawl(folder: Path, copies: int, pipeline: bool, extra: dict[str, str], pattern: str = "*.html") -> dict:
    server = serve(folder)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    urls = [f"{base}/{path.name}?copy={i}" for path in sorted(folder.glob(pattern)) for i in range(copies)]
    settings = {
        "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False,
        "ROBOTSTXT_OBEY": False,
        "HTTPPROXY_ENABLED": False,  # 127.0.0.1 directly, whatever the environment's proxy
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
        "ITEM_PIPELINES": {"detector.scrapy.DetectorPipeline": 300} if pipeline else {},
        "DETECTOR_HTML_FIELD": "body",
        "DETECTOR_TEXT_FIELD": "text",
        **extra,
    }
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(PagesSpider)
    record = Recorder()
    for signal in ("item_scraped", "item_dropped", "spider_opened", "spider_closed"):
        # Scrapy holds signal receivers weakly: `record` keeps the bound methods alive.
        crawler.signals.connect(getattr(record, signal), signal=getattr(signals, signal))
    process.crawl(crawler, start_urls=urls)
    process.start()
    server.shutdown()
    stats = {key: value for key, value in crawler.stats.get_stats().items() if isinstance(value, (int, float, str))}
    return {"items": record.items, "dropped": record.dropped, "stats": stats, "requested": len(urls),
            "seconds": record.closed - record.opened}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--glob", default="*.html", help="Which files of PAGES_DIR to request (default: *.html).")
    parser.add_argument("--no-pipeline", action="store_true")
    parser.add_argument("--set", dest="extra", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args()
    extra = dict(pair.split("=", 1) for pair in args.extra)
    result = crawl(args.pages, args.copies, not args.no_pipeline, extra, args.glob)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    if result["stats"].get("finish_reason") != "finished":
        sys.exit(1)


if __name__ == "__main__":
    main()
