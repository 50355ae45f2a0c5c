"""The HTML report (`detector inspect --html`): its markup, read by a parser, and the
file opened in a real headless Chromium: a screenshot, every block in the DOM, and
no request leaving the file (Chromium's own network log)."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from detector.cli import main
from detector.report_html import CONTENT_SECURITY_POLICY, render_html
from detector.types import LABELS, Block, BlockKind, BlockResult, Label, PageResult, Segment

from .conftest import FIXTURES

HOSTILE = '<script>alert("x")</script><img src="http://127.0.0.1:9/track.png"> & </p>'


def forty_blocks() -> PageResult:
    """Two posts of 20 blocks; each post's last 8 are its appendix (filler, tags, chrome)."""
    results = []
    for index in range(40):
        post, position = divmod(index, 20)
        label = Label.REPORTING if position < 12 else LABELS[1 + position % 3]
        segment = Segment.BODY if position < 12 else Segment.APPENDIX
        kind = BlockKind.HEADING if position == 0 else BlockKind.PARAGRAPH
        text = f"Block {index} of post {post}: council votes on the bridge repairs, 4.2 million. " * 3
        if index == 13:
            text = HOSTILE
        probabilities = {str(lab): (0.85 if lab is label else 0.05) for lab in LABELS}
        reason = None if label is Label.REPORTING else f"{label}: appended after the story (p=0.85) {HOSTILE}"
        results.append(BlockResult(Block(text, kind, index, post), label, probabilities, segment, reason))
    return PageResult(source="https://example.com/news?a=1&b=<2>", blocks=tuple(results))


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of <style> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def parse(document: str) -> Elements:
    elements = Elements()
    elements.feed(document)
    return elements


def blocks_of(elements: Elements) -> list[dict[str, str | None]]:
    return [attrs for tag, attrs in elements.tags if "data-block" in attrs]


def test_every_block_is_shown_in_order_with_its_label_and_reason():
    page = forty_blocks()
    elements = parse(render_html([page]))
    shown = blocks_of(elements)
    assert [a["data-block"] for a in shown] == [str(r.block.index) for r in page.blocks]
    assert [a["data-label"] for a in shown] == [str(r.label) for r in page.blocks]
    classes = [a["class"] or "" for a in shown]
    assert all(("dropped" in c) == (not r.kept) for c, r in zip(classes, page.blocks))
    document = render_html([page])
    assert document.count('<p class="reason">') == sum(not r.kept for r in page.blocks)
    assert document.count('<h3 class="appendix">') == 2 and document.count("<h2>post ") == 2
    assert "p=0.85" in document and "filler 0.05" in document


def test_page_text_is_escaped_and_nothing_can_be_fetched():
    document = render_html([forty_blocks()])
    elements = parse(document)
    tags = {tag for tag, _ in elements.tags}
    assert not tags & {"script", "img", "link", "iframe", "object", "embed", "base", "form"}
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in document
    assert "https://example.com/news?a=1&amp;b=&lt;2&gt;" in document
    for _, attrs in elements.tags:
        assert not {"src", "href", "srcset", "action", "poster"} & attrs.keys(), attrs
    assert "url(" not in "".join(elements.styles) and "@import" not in "".join(elements.styles)
    csp = [a for t, a in elements.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert [a["content"] for a in csp] == [CONTENT_SECURITY_POLICY] == ["default-src 'none'; style-src 'unsafe-inline'"]


def test_the_report_is_made_for_phones_and_print():
    document = render_html([forty_blocks()])
    viewport = [a for t, a in parse(document).tags if t == "meta" and a.get("name") == "viewport"]
    assert viewport and "width=device-width" in (viewport[0]["content"] or "")
    assert "@media print" in document and "break-inside: avoid" in document
    assert "@media (max-width:" in document


def test_several_pages_go_in_one_report_each_under_its_name():
    page = forty_blocks()
    document = render_html([page, PageResult(source="second.html", blocks=page.blocks[:3])])
    assert document.count('<section class="page">') == 2 and "<h1>second.html</h1>" in document
    assert len(blocks_of(parse(document))) == 43
    assert "<title>detector inspect: 2 pages</title>" in document


def test_a_page_without_main_text_says_so():
    document = render_html([PageResult(source="empty.html")])
    assert "No main text was found" in document and "data-block" not in document


def test_inspect_writes_the_report_of_a_fixture_page(tmp_path):
    out = tmp_path / "archive.html"
    result = CliRunner().invoke(main, ["inspect", str(FIXTURES / "pages" / "archive.html"), "--html", str(out)])
    assert result.exit_code == 0, result.output
    shown = blocks_of(parse(out.read_text(encoding="utf-8")))
    assert [a["data-block"] for a in shown] == [str(i) for i in range(27)]  # fixtures/pages/README.md
    assert "wrote" in result.output and "27 blocks" in result.output


CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium found (Debian: apt-get install chromium): the browser checks need it")


def chromium(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess:
    """Headless Chromium on a file, with no background services, nothing resolvable
    (every host name maps to NOTFOUND) and its network log written to net.json."""
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-extensions", "--disable-default-apps", f"--user-data-dir={tmp_path / 'profile'}",
        "--host-resolver-rules=MAP * ~NOTFOUND", f"--log-net-log={tmp_path / 'net.json'}",
        *args, page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


def requests_from_file(tmp_path: Path) -> list[str]:
    """URLs the file itself asked for. Chromium's net log marks each request with the
    network isolation key of the page that made it; the browser's own background
    requests (clock sync, accounts) carry other keys."""
    log = json.loads((tmp_path / "net.json").read_text(encoding="utf-8"))
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = []
    for event in log["events"]:
        params = event.get("params", {})
        if event["type"] == start_job and "file://" in params.get("network_isolation_key", ""):
            urls.append(params["url"])
    return [url for url in urls if not url.startswith("file:")]


@needs_chromium
def test_the_network_check_sees_a_request_when_a_page_makes_one(tmp_path):
    # The control for the test below: the same check on a page that does fetch.
    control = tmp_path / "control.html"
    control.write_text('<p>control</p><img src="http://127.0.0.1:9/track.png">', encoding="utf-8")
    chromium(tmp_path, control, "--dump-dom")
    assert requests_from_file(tmp_path) == ["http://127.0.0.1:9/track.png"]


@needs_chromium
def test_chromium_renders_every_block_and_fetches_nothing(tmp_path):
    report = tmp_path / "report.html"
    report.write_text(render_html([forty_blocks()]), encoding="utf-8")
    dom = chromium(tmp_path, report, "--dump-dom").stdout
    assert [a["data-block"] for a in blocks_of(parse(dom))] == [str(i) for i in range(40)]
    assert "<script" not in dom  # the hostile text stayed text
    assert requests_from_file(tmp_path) == []

    screenshot = tmp_path / "phone.png"
    chromium(tmp_path, report, f"--screenshot={screenshot}", "--window-size=390,844")
    assert requests_from_file(tmp_path) == []
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><title>blank</title>", encoding="utf-8")
    blank_shot = tmp_path / "blank.png"
    chromium(tmp_path, blank, f"--screenshot={blank_shot}", "--window-size=390,844")
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # A rendered report (text, colours) compresses far worse than an empty page.
    assert screenshot.stat().st_size > 5 * blank_shot.stat().st_size

    pdf = tmp_path / "print.pdf"
    chromium(tmp_path, report, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000
