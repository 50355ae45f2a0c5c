"""The shipped default model on real pages and on held-out composed pages.

Floors live in `quality_floors.json` beside this file, with the hashes of the data
they were measured on. A retrain that lowers a figure fails here until the floor is
changed on purpose, with the reason in the commit message.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

from detector import Detector, Label, Options
from detector.training.evaluate import evaluate_pages, layout_gold

from .conftest import DATA, SEEDS, needs_data, needs_seeds

FLOORS = json.loads((Path(__file__).with_name("quality_floors.json")).read_text())
SEED_000 = SEEDS / "000_cb0b4702d90e3237.txt"
SEED_001 = SEEDS / "001_143c64d65533576c.txt"
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def default_detector() -> Detector:
    return Detector()


def _verdicts(path: Path, detector: Detector | None = None) -> dict[str, Label]:
    result = (detector or default_detector()).clean(path.read_text(encoding="utf-8"), path.name)
    return {_SPACE.sub(" ", r.block.text.strip()): r.label for r in result.blocks}


@needs_seeds
def test_seed_000_keeps_the_rewritten_reporting():
    labels = list(_verdicts(SEED_000).values())
    assert len(labels) == 8
    assert labels[:4] == [Label.REPORTING] * 4


@needs_seeds
def test_seed_000_drops_the_perspective_paragraphs():
    labels = list(_verdicts(SEED_000).values())
    assert all(label is not Label.REPORTING for label in labels[4:])


@needs_seeds
def test_seed_001_drops_tags_hashtags_and_summaries_and_keeps_the_articles():
    verdicts = _verdicts(SEED_001)
    gold = layout_gold(SEED_001.read_text(encoding="utf-8"))
    appended = [_SPACE.sub(" ", p) for p, is_appended in gold if is_appended]
    article = [_SPACE.sub(" ", p) for p, is_appended in gold if not is_appended and len(p) >= 80]
    assert len(appended) > 60 and len(article) > 100  # the layout was read as expected
    tags = [p for p in appended if p.startswith("#") or p.rstrip(":") == "Tags" or p[:3].rstrip(".").isdigit()]
    assert tags and all(verdicts[p] is not Label.REPORTING for p in tags)
    removed = sum(verdicts[p] is not Label.REPORTING for p in appended) / len(appended)
    kept = sum(verdicts[p] is Label.REPORTING for p in article) / len(article)
    floors = FLOORS["seed_001"]
    assert removed >= floors["appended_removed"] and kept >= floors["article_kept"], (removed, kept)


@needs_seeds
def test_caution_spares_untagged_appendices_only():
    cautious = Detector(options=Options(caution=4.0))
    # seed 000's perspective paragraphs close the page with no tags after them: kept
    assert list(_verdicts(SEED_000, cautious).values()) == [Label.REPORTING] * 8
    # seed 001's summaries sit above tag lists and hashtag lines: dropped as without caution
    assert _verdicts(SEED_001, cautious) == _verdicts(SEED_001)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@needs_data
def test_floors_were_measured_on_this_data():
    for relative, digest in FLOORS["data_sha256"].items():
        assert _sha256(DATA / relative) == digest, f"{relative} changed: re-measure and move the floors on purpose"


@needs_data
def test_heldout_figures_stay_at_or_above_their_floors():
    from detector.training.corpus import build_corpus

    corpus = FLOORS["corpus"]
    _, heldout = build_corpus(DATA, seed=corpus["seed"], n_train=corpus["n_train"], n_heldout=corpus["n_heldout"])
    report = evaluate_pages(default_detector(), heldout)
    measured = {**report.text, **{f"f1_{k}": v for k, v in report.f1.items()}}
    below = {k: (measured[k], floor) for k, floor in FLOORS["heldout"].items() if measured[k] < floor - 1e-9}
    assert not below, f"held-out figures below their floors (measured, floor): {below}"
