"""Real pages scored per page as word 4-gram F1, side by side with trafilatura.

For every page of the two gold sets in ../shared/data/html (read by eval_real.html_gold),
the word 4-grams of each system's output against the page's gold, macro-averaged
over pages, per set, on all pages and on the held-out ones:

    trafilatura          trafilatura.extract(html), its defaults
    trafilatura_prec     trafilatura.extract(html, favor_precision=True)
    detector             detector's clean text (the model)
    detector_all         every block detector extracts, kept (no classifier)
    ceiling              a perfect filter over detector's blocks (see `gold_keeps`)

What "gold" is differs by set:

- wceb2026: the page's `main_content`. Precision and recall are over 4-gram *counts*
  (a multiset), so text emitted twice (a nested table walked twice) costs precision.
- trafilatura-eval-en has no main text, only snippets: `with` (must be in the main
  text) and `without` (must not). Recall is the share of the `with` snippets' 4-grams
  that the output has (snippets under 4 words count for nothing); precision is the
  share of the output's 4-grams that are not in a `without` snippet. This precision
  is lenient (chrome no snippet names counts as good) and is comparable only between
  systems on this set, not with the wceb2026 figures.

Held out: pages whose key the corpus builder's held-out side takes
(`HELDOUT_SPLIT.takes_key`; training never saw their gold text or their snippets).
The trafilatura outputs are cached (`--cache`), since they do not change with detector.

    python bench/f1_real.py [--data ../shared/data] [--model PATH] [--pages-out pages.json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

import trafilatura

from detector import Detector, InputError, Options
from detector.features.language import english_share
from detector.training.corpus import HELDOUT_SPLIT
from detector.training.corpus.split import stable_fraction
from detector.training.corpus.real import gold_labels
from detector.training.provenance import DEFAULT_DATA_DIR
from detector.types import Label

from eval_real import GoldPage, html_gold  # bench/, beside this script

NGRAM = 4
_WORD = re.compile(r"\w+")
SYSTEMS = ("trafilatura", "trafilatura_prec", "detector", "detector_all", "ceiling")
# A block is the ceiling's when this share of its 4-grams is gold (wceb2026: in the main
# text, as the corpus labels real blocks); on trafilatura-eval-en, unless this share is
# in `without` snippets.
CEILING_SHARE = 0.5


def grams(text: str) -> Counter:
    words = _WORD.findall(text.lower())
    return Counter(tuple(words[i : i + NGRAM]) for i in range(len(words) - NGRAM + 1))


def score_main(output: str, gold: Counter) -> tuple[float, float, float]:
    """(precision, recall, F1) of the output's 4-gram counts against the gold text's."""
    out = grams(output)
    overlap = sum((out & gold).values())
    precision = overlap / sum(out.values()) if out else 0.0
    recall = overlap / sum(gold.values()) if gold else 0.0
    return precision, recall, _f1(precision, recall)


def score_snippets(output: str, with_: set, without: set) -> tuple[float, float, float]:
    """(precision, recall, F1) against snippets only: recall over the `with` 4-grams,
    precision as the share of output 4-grams in no `without` snippet."""
    out = grams(output)
    total = sum(out.values())
    precision = 1 - sum(n for g, n in out.items() if g in without) / total if total else 0.0
    recall = len(with_ & out.keys()) / len(with_) if with_ else 0.0
    return precision, recall, _f1(precision, recall)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def gold_keeps(page: GoldPage, blocks: list, without: set) -> list[bool]:
    """Which of detector's blocks a perfect filter keeps."""
    if page.main_content is not None:
        return [label is Label.REPORTING for label in gold_labels(blocks, page.main_content, page.title)]
    keeps = []
    for block in blocks:
        g = grams(block.text)
        bad = sum(n for gram, n in g.items() if gram in without)
        keeps.append(bad < CEILING_SHARE * sum(g.values()) if g else True)
    return keeps


def baselines(pages: list[GoldPage], cache: Path) -> dict[str, dict[str, str]]:
    """trafilatura's two outputs per page key, cached by trafilatura version."""
    stored = json.loads(cache.read_text()) if cache.is_file() else {}
    if stored.get("version") != trafilatura.__version__:
        stored = {"version": trafilatura.__version__, "pages": {}}
    out = stored["pages"]
    missing = [page for page in pages if page.key not in out]
    for done, page in enumerate(missing, 1):
        out[page.key] = {
            "trafilatura": trafilatura.extract(page.html) or "",
            "trafilatura_prec": trafilatura.extract(page.html, favor_precision=True) or "",
        }
        if done % 10 == 0 or done == len(missing):  # a stopped run keeps what it did
            cache.write_text(json.dumps(stored))
            print(f"  trafilatura: {done}/{len(missing)} pages", file=sys.stderr, flush=True)
    return out


def measure(detector: Detector, data: Path, cache: Path, reuse: dict[str, dict] | None = None,
            only=None, sample: float = 1.0) -> tuple[dict, list[dict]]:
    """Every page scored; with `reuse` (the rows of an earlier run) only the pages
    `only(page)` picks are run again, the others' rows are copied: a change that is a
    no-op without that markup is measured at the cost of the pages that have it.
    `sample` < 1 scores a fixed share of the pages (the same ones on every run)."""
    pages = [page for page in html_gold(data) if sample >= 1 or stable_fraction("f1:" + page.key) < sample]
    base = baselines(pages, cache)
    rows = []
    for page in pages:
        if reuse is not None and only is not None and page.key in reuse and not only(page):
            rows.append(reuse[page.key])
            continue
        outputs = dict(base[page.key])
        try:
            result = detector.clean(page.html, page.name)
            failed = False
        except InputError as exc:
            print(f"  {exc}", file=sys.stderr)
            result, failed = None, True
        blocks = [r.block for r in result.blocks] if result else []
        without = {g for s in page.without for g in grams(s)}
        keeps = gold_keeps(page, blocks, without)
        outputs["detector"] = result.text if result else ""
        outputs["detector_all"] = "\n\n".join(b.text for b in blocks)
        outputs["ceiling"] = "\n\n".join(b.text for b, keep in zip(blocks, keeps) if keep)
        if page.main_content is not None:
            gold = grams(page.main_content)
            if not gold:
                continue
            scores = {name: score_main(text, gold) for name, text in outputs.items()}
        else:
            with_ = {g for s in page.with_ for g in grams(s)}
            if not with_:
                continue
            scores = {name: score_snippets(text, with_, without) for name, text in outputs.items()}
        if len(rows) % 20 == 0:
            print(f"  detector: {len(rows)}/{len(pages)} pages", file=sys.stderr, flush=True)
        rows.append({"key": page.key, "set": page.key.split("/", 1)[0], "heldout": HELDOUT_SPLIT.takes_key(page.key),
                     "failed": failed, "scores": scores,
                     "english_share": round(english_share(b.text for b in blocks)[0], 4),
                     "passed_through": getattr(result, "passed_through", None) if result else None})
    return summarise(rows), rows


def summarise(rows: list[dict]) -> dict:
    table: dict = {}
    for name in sorted({r["set"] for r in rows}):
        for side, pick in (("all", lambda r: True), ("heldout", lambda r: r["heldout"])):
            chosen = [r for r in rows if r["set"] == name and pick(r)]
            table[f"{name}/{side}"] = {
                "pages": len(chosen),
                "failed": sum(r["failed"] for r in chosen),
                **{system: [round(sum(r["scores"][system][i] for r in chosen) / max(len(chosen), 1), 4)
                            for i in (2, 0, 1)] for system in SYSTEMS},
            }
    return table


def print_table(table: dict) -> None:
    print("4-gram F1 (precision / recall), macro over pages")
    print(f"{'set':28}" + "".join(f"{s:>22}" for s in SYSTEMS))
    for side, row in table.items():
        cells = "".join(f"{'%.3f (%.3f/%.3f)' % tuple(row[s]):>22}" for s in SYSTEMS)
        print(f"{side + ' (' + str(row['pages']) + ')':28}{cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--model", default=None)
    parser.add_argument("--caution", type=float, default=0.0, help="as `detector clean --caution`")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "detector-f1-baselines.json")
    parser.add_argument("--pages-out", type=Path, default=None, help="write every page's scores here (JSON)")
    parser.add_argument("--json", action="store_true", help="print the table as JSON")
    parser.add_argument("--sample", type=float, default=1.0, help="score this fixed share of the pages")
    parser.add_argument("--reuse", type=Path, default=None, help="an earlier --pages-out: see --only")
    parser.add_argument("--only", default=None,
                        help="with --reuse: run again only the pages whose HTML matches this regex (bytes, case-blind)")
    parser.add_argument("--only-keys", type=Path, default=None,
                        help="with --reuse: run again only the pages whose keys this file lists (one a line)")
    args = parser.parse_args()
    detector = Detector(args.model, Options(caution=args.caution, timeout=None))
    reuse = {row["key"]: row for row in json.loads(args.reuse.read_text())} if args.reuse else None
    only = None
    if args.only:
        pattern = re.compile(args.only.encode(), re.I)
        only = lambda page: pattern.search(page.html) is not None  # noqa: E731
    elif args.only_keys:
        keys = set(args.only_keys.read_text().split())
        only = lambda page: page.key in keys  # noqa: E731
    table, rows = measure(detector, args.data, args.cache, reuse, only, args.sample)
    if args.pages_out:
        args.pages_out.write_text(json.dumps(rows, indent=1))
    if args.json:
        print(json.dumps(table, indent=2))
    else:
        print_table(table)


if __name__ == "__main__":
    main()
