"""Measure the default model's held-out figures and write them as the quality floors.

Run after a retrain that should move the floors, then commit tests/quality_floors.json
with the reason in the commit message. Floors sit a hair (FLOOR_MARGIN) below the
measured figure so that the same model on another machine passes.

    python bench/measure_floors.py --data ../shared/data
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from eval_real import measure_html  # bench/, beside this script

from detector import Detector
from detector.files import file_sha256
from detector.training.corpus import UPSTREAM_SOURCES, build_corpus
from detector.training.provenance import DEFAULT_DATA_DIR
from detector.training.evaluate import evaluate_pages, format_report, layout_gold

ROOT = Path(__file__).resolve().parent.parent
FLOORS = ROOT / "tests" / "quality_floors.json"
CORPUS = {"seed": 0, "n_train": 3000, "n_heldout": 800}
FLOOR_MARGIN = 0.002
DATA_FILES = tuple(path for path, _, _ in UPSTREAM_SOURCES)


def measure_seed_001(path: Path) -> dict:
    """Share of the appended blocks removed and of the article paragraphs kept (see tests/test_quality.py)."""
    text = path.read_text(encoding="utf-8")
    verdicts = {" ".join(r.block.text.split()): r.kept for r in Detector().clean(text, path.name).blocks}
    gold = [(" ".join(p.split()), appended) for p, appended in layout_gold(text)]
    appended = [p for p, is_appended in gold if is_appended]
    article = [p for p, is_appended in gold if not is_appended and len(p) >= 80]
    return {
        "appended_removed": sum(not verdicts[p] for p in appended) / len(appended),
        "article_kept": sum(verdicts[p] for p in article) / len(article),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR)
    args = parser.parse_args()
    # the held-out side alone: its pages do not depend on the training side's
    _, heldout = build_corpus(args.data, seed=CORPUS["seed"], n_train=0, n_heldout=CORPUS["n_heldout"])
    report = evaluate_pages(Detector(), heldout)
    print(format_report(report, "default model, held-out composed pages"))
    measured = {**report.text, **{f"f1_{k}": v for k, v in report.f1.items()}}
    seed_001 = measure_seed_001(args.data.parent / "seeds" / "001_143c64d65533576c.txt")
    print(f"seed 001: {seed_001}")
    real = measure_html(Detector(), args.data)["all"]
    print(f"real HTML gold kept vs trafilatura: {real['with_both']}/{real['with_trafilatura']}")
    floors = {
        "corpus": CORPUS,
        "seed_001": {k: math.floor((v - FLOOR_MARGIN) * 1000) / 1000 for k, v in seed_001.items()},
        "data_sha256": {name: file_sha256(args.data / name) for name in DATA_FILES},
        "heldout": {k: math.floor((v - FLOOR_MARGIN) * 1000) / 1000 for k, v in measured.items()},
        "real_html": {
            "gold_kept_vs_trafilatura": math.floor((real["gold_kept_vs_trafilatura"] - FLOOR_MARGIN) * 1000) / 1000,
            "pages": real["pages"],
        },
        "measured": {**measured, "real_html_gold_kept_vs_trafilatura": real["gold_kept_vs_trafilatura"]},
    }
    FLOORS.write_text(json.dumps(floors, indent=2, sort_keys=True) + "\n")
    print(f"wrote {FLOORS}")


if __name__ == "__main__":
    main()
