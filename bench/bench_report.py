"""Size of `detector inspect --html` for a 40-block page, and of its screenshots.

The page: the first real page of ../shared/data/html (sorted by path) that comes out
in exactly 40 blocks. Prints the report's bytes and those of Chromium's screenshots
of it at a phone's and a desktop's window size (the visible window, as
`--screenshot` takes it), and of its print to PDF.

    python bench/bench_report.py [--data ../shared/data] [--model NAME|PATH] [--blocks 40]
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import subprocess
import tempfile
from pathlib import Path

from detector import Detector, InputError
from detector.report_html import render_html
from detector.training.provenance import DEFAULT_DATA_DIR


def page_with(detector: Detector, data: Path, blocks: int):
    for path in sorted((data / "html").glob("*/pages/*.html.gz")):
        try:
            result = detector.clean(gzip.decompress(path.read_bytes()), str(path.relative_to(data / "html")))
        except InputError:
            continue
        if len(result.blocks) == blocks:
            return result
    raise SystemExit(f"no page of {data / 'html'} comes out in {blocks} blocks")


def chromium(page: Path, *args: str) -> None:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        raise SystemExit("no chromium on PATH")
    subprocess.run([binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--host-resolver-rules=MAP * ~NOTFOUND", *args, page.as_uri()],
                   check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--model", default=None)
    parser.add_argument("--blocks", type=int, default=40)
    args = parser.parse_args()
    result = page_with(Detector(args.model), args.data, args.blocks)
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.html"
        report.write_text(render_html([result]), encoding="utf-8")
        text = sum(len(r.block.text.encode("utf-8")) for r in result.blocks)
        print(f"page {result.source}: {len(result.blocks)} blocks, {text:,} bytes of block text")
        print(f"report: {report.stat().st_size:,} bytes")
        for name, size in (("phone", "390,844"), ("desktop", "1280,800")):
            shot = Path(tmp) / f"{name}.png"
            chromium(report, f"--screenshot={shot}", f"--window-size={size}")
            print(f"screenshot {name} ({size.replace(',', 'x')}): {shot.stat().st_size:,} bytes")
        pdf = Path(tmp) / "print.pdf"
        chromium(report, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
        print(f"print to PDF: {pdf.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
