"""Measuring as a stranger would: leave one family out, train on the rest, score it.

The shipped model is trained on everything; these runs are the measuring device.
Each trains on the training side of the split without one family and scores the
held-out side's pages of that family, so what is scored was never seen in any form:
not its stories, nor its sites, nor (for a layout family) its layouts, nor (for a
generator family) any text its generators wrote.

    split        train side -> held-out side (unseen stories, sites and layouts)
    generator    train side without family F -> held-out pages whose model text is F's
    layout       train side without family F -> held-out pages laid out by F
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from detector.pipeline import Detector

from .dataset import LabelledPage
from .evaluate import Report, evaluate_pages
from .table import FeatureTable
from .train import Progress, train_on_table

# The figures each kind of run is judged on (the targets).
TARGETS = {
    "generator": {"filler_removed": 0.85, "reporting_kept": 0.98},
    "layout": {"hashtag_spam_removed": 0.99, "filler_removed": 0.80},
}
_FIELD = {"generator": "generator", "layout": "layout_family"}


@dataclass(frozen=True)
class FamilyRun:
    kind: str  # "split", "generator" or "layout"
    family: str
    train_pages: int
    scored_pages: int
    report: Report

    def to_dict(self) -> dict:
        return {"kind": self.kind, "family": self.family, "train_pages": self.train_pages,
                "scored_pages": self.scored_pages, "text": self.report.text, "f1": self.report.f1}


def family_of(page: LabelledPage, kind: str) -> str:
    return getattr(page, _FIELD[kind])


def leave_one_out(
    train: FeatureTable,
    heldout: Sequence[LabelledPage],
    kinds: Sequence[str] = ("generator", "layout"),
    *,
    folds: int = 3,
    n_jobs: int = 1,
    random_state: int = 0,
    progress: Progress = lambda message: None,
) -> list[FamilyRun]:
    """The split's own run, then one run per family of each kind (families seen on both sides)."""
    runs = [_run("split", "all", train, heldout, folds, n_jobs, random_state, progress)]
    for kind in kinds:
        families = sorted({family_of(p, kind) for p in heldout} & {family_of(p, kind) for p in train.pages}
                          - {"none", "mixed", ""})
        for family in families:
            keep = np.array([family_of(p, kind) != family for p in train.pages])
            scored = [p for p in heldout if family_of(p, kind) == family]
            runs.append(_run(kind, family, train.subset(keep), scored, folds, n_jobs, random_state, progress))
    return runs


def _run(kind: str, family: str, train: FeatureTable, scored: Sequence[LabelledPage], folds: int, n_jobs: int,
         random_state: int, progress: Progress) -> FamilyRun:
    progress(f"{kind} {family}: training on {len(train.pages)} pages, scoring {len(scored)}")
    result = train_on_table(train, folds=folds, n_jobs=n_jobs, random_state=random_state)
    report = evaluate_pages(Detector(result.model), scored)
    text = report.text
    progress(f"{kind} {family}: reporting kept {text['reporting_kept']:.4f}, filler removed "
             f"{text['filler_removed']:.4f}, hashtag spam removed {text['hashtag_spam_removed']:.4f}")
    return FamilyRun(kind, family, len(train.pages), len(scored), report)


def worst(runs: Sequence[dict], kind: str) -> dict[str, tuple[str, float]]:
    """For each target figure of `kind`, the family that scored lowest and its figure
    (`runs` as `FamilyRun.to_dict` writes them)."""
    out = {}
    for figure in TARGETS[kind]:
        of_kind = [(run["text"][figure], run["family"]) for run in runs if run["kind"] == kind
                   and not np.isnan(run["text"][figure])]
        if of_kind:
            value, family = min(of_kind)
            out[figure] = (family, value)
    return out


def format_runs(runs: Sequence[dict]) -> str:
    """A table: one row per run, its scored pages and the text figures; then the worst
    family of each kind against its targets."""
    columns = ("reporting_kept", "filler_removed", "hashtag_spam_removed", "boilerplate_removed",
               "clean_page_kept_mean")
    lines = [f"{'run':<28}{'train':>7}{'scored':>8}" + "".join(f"{c.split('_')[0][:9]:>11}" for c in columns)]
    for run in runs:
        values = "".join(f"{run['text'][c]:>11.4f}" for c in columns)
        lines.append(f"{run['kind'] + ' ' + run['family']:<28}{run['train_pages']:>7}{run['scored_pages']:>8}{values}")
    for kind in TARGETS:
        for figure, (family, value) in worst(runs, kind).items():
            target = TARGETS[kind][figure]
            verdict = "met" if value >= target else f"MISSED by {target - value:.4f}"
            lines.append(f"worst {kind} {figure}: {value:.4f} ({family}; target {target}: {verdict})")
    return "\n".join(lines)
