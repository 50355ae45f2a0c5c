"""Scoring labelled pages: per-label precision/recall/F1, confusion matrix, and the
text-level figures a user cares about (share of reporting text kept, of filler,
spam and boilerplate removed, of clean articles kept whole)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .dataset import LabelledPage
from detector.types import LABELS, Label


@dataclass(frozen=True)
class Report:
    labels: tuple[str, ...]
    precision: dict[str, float]
    recall: dict[str, float]
    f1: dict[str, float]
    support: dict[str, int]
    confusion: list[list[int]]  # rows = gold, columns = predicted, in `labels` order
    text: dict[str, float]  # text-level shares, by characters
    pages: int
    blocks: int

    def to_dict(self) -> dict:
        return {
            "pages": self.pages,
            "blocks": self.blocks,
            "labels": list(self.labels),
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "support": self.support,
            "confusion": self.confusion,
            "text": self.text,
        }


def score_pages(pages: Sequence[LabelledPage], predicted: Sequence[Sequence[Label]]) -> Report:
    """Compare predicted labels with the gold labels of the same blocks."""
    k = len(LABELS)
    confusion = np.zeros((k, k), dtype=np.int64)
    chars = np.zeros((k, 2))  # per gold label: [characters kept, characters in all]
    clean_kept = clean_total = 0
    clean_page_shares = []
    for page, labels in zip(pages, predicted):
        # a clean page has nothing appended: no filler, no tags (site chrome may remain)
        clean = not any(label in (Label.FILLER, Label.HASHTAG_SPAM) for label in page.labels)
        page_kept = page_total = 0
        for block, gold, pred in zip(page.blocks, page.labels, labels):
            g, p = gold.column, Label(pred).column
            confusion[g, p] += 1
            size = len(block.text)
            kept = pred is Label.REPORTING
            chars[g] += (size * kept, size)
            if clean and gold is Label.REPORTING:
                page_kept += size * kept
                page_total += size
        if page_total:
            clean_kept += page_kept
            clean_total += page_total
            clean_page_shares.append(page_kept / page_total)
    names = tuple(str(label) for label in LABELS)
    tp = np.diag(confusion).astype(float)
    precision = tp / np.maximum(confusion.sum(axis=0), 1)
    recall = tp / np.maximum(confusion.sum(axis=1), 1)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)

    def share(row: int, kept: bool) -> float:
        kept_chars, total = chars[row]
        if total == 0:
            return float("nan")
        return round(float((kept_chars if kept else total - kept_chars) / total), 4)

    text = {
        "reporting_kept": share(Label.REPORTING.column, kept=True),
        "filler_removed": share(Label.FILLER.column, kept=False),
        "hashtag_spam_removed": share(Label.HASHTAG_SPAM.column, kept=False),
        "boilerplate_removed": share(Label.BOILERPLATE.column, kept=False),
        "clean_reporting_kept": round(clean_kept / clean_total, 4) if clean_total else float("nan"),
        # the same per clean page, then averaged: every article counts once, however long
        "clean_page_kept_mean": round(float(np.mean(clean_page_shares)), 4) if clean_page_shares else float("nan"),
    }
    return Report(
        labels=names,
        precision={n: round(float(v), 4) for n, v in zip(names, precision)},
        recall={n: round(float(v), 4) for n, v in zip(names, recall)},
        f1={n: round(float(v), 4) for n, v in zip(names, f1)},
        support={n: int(v) for n, v in zip(names, confusion.sum(axis=1))},
        confusion=confusion.tolist(),
        text=text,
        pages=len(pages),
        blocks=int(confusion.sum()),
    )


def format_report(report: Report, title: str = "") -> str:
    """A plain-text table: per-label figures, the confusion matrix, the text shares."""
    width = max(len(n) for n in report.labels) + 2
    lines = [title] if title else []
    lines.append(f"{report.pages} pages, {report.blocks} blocks")
    lines.append(f"{'label':<{width}}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}")
    for n in report.labels:
        lines.append(
            f"{n:<{width}}{report.precision[n]:>10.3f}{report.recall[n]:>10.3f}{report.f1[n]:>10.3f}{report.support[n]:>10}"
        )
    lines.append("")
    lines.append("confusion (rows gold, columns predicted)")
    short = [n[:10] for n in report.labels]
    lines.append(f"{'':<{width}}" + "".join(f"{s:>12}" for s in short))
    for n, row in zip(report.labels, report.confusion):
        lines.append(f"{n:<{width}}" + "".join(f"{v:>12}" for v in row))
    lines.append("")
    lines.append("text kept/removed (share of characters)")
    for key, value in report.text.items():
        lines.append(f"  {key:<24}{value:>8.4f}")
    return "\n".join(lines)


def evaluate_pages(detector, pages: Sequence[LabelledPage]) -> Report:
    """Label the gold blocks of each page with `detector` and score them."""
    predicted = [[r.label for r in detector.label(page.blocks, page.id).blocks] for page in pages]
    return score_pages(pages, predicted)


def layout_gold(text: str) -> list[tuple[str, bool]]:
    """(paragraph, is_appended) for an autoblog text page (like the seeds), from its layout.

    On these autoblog pages a run of three or more blank lines separates a
    copied article from what the site appended (summary, tags, hashtags); a
    new post ("  • " title at the shallowest indent) starts a new body. A page
    without such a gap comes out with nothing appended.
    """
    gold, blank_run, appended = [], 0, False
    for line in text.splitlines():
        if not line.strip():
            # a line of only no-break spaces is a spacer inside an article, not part of the gap
            blank_run = blank_run + 1 if not line.strip(" \t") else 0
            continue
        if blank_run >= 3:
            appended = True
        if re.match(r"^ {0,2}• ", line):
            appended = False
        blank_run = 0
        gold.append((line.strip().lstrip("•").strip(), appended))
    return gold
