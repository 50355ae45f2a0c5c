"""Items/s of a real Scrapy crawl of the fixture pages, DetectorPipeline on against off.

Each repeat runs bench/scrapy_crawl.py twice, in processes of their own (a reactor
starts once per process), alternating which goes first: the fixture HTML pages, each
requested --copies times from http.server on 127.0.0.1. Items/s is items scraped over
the seconds from the spider opening to its closing (the model loads before, in
`from_crawler`). Prints every run and the medians.

    python bench/bench_scrapy.py [--copies 25] [--repeats 5] [--model NAME|PATH]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PAGES = BENCH.parent / "fixtures" / "pages"


def crawl_rate(pipeline: bool, copies: int, model: str | None, workdir: Path) -> tuple[int, float]:
    """(items, items/s) of one crawl."""
    out = workdir / "crawl.json"
    command = [sys.executable, str(BENCH / "scrapy_crawl.py"), str(PAGES), "--out", str(out), "--copies", str(copies)]
    if not pipeline:
        command.append("--no-pipeline")
    if model:
        command += ["--set", f"DETECTOR_MODEL={model}"]
    subprocess.run(command, check=True)
    result = json.loads(out.read_text(encoding="utf-8"))
    items = result["stats"]["item_scraped_count"]
    return items, items / result["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=25, help="requests of each fixture page per crawl")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--model", default=None, help="model name or file (default: the shipped default)")
    args = parser.parse_args()
    rates: dict[str, list[float]] = {"on": [], "off": []}
    with tempfile.TemporaryDirectory() as tmp:
        for repeat in range(args.repeats):
            order = ("on", "off") if repeat % 2 == 0 else ("off", "on")
            for which in order:
                items, rate = crawl_rate(which == "on", args.copies, args.model, Path(tmp))
                rates[which].append(rate)
                print(f"repeat {repeat} pipeline {which:>3}: {items} items, {rate:7.1f} items/s", flush=True)
    on, off = statistics.median(rates["on"]), statistics.median(rates["off"])
    print(f"median items/s: pipeline on {on:.1f}, off {off:.1f} ({on / off:.1%} of off; "
          f"{1000 / on - 1000 / off:.1f} ms added per item)")


if __name__ == "__main__":
    main()
