"""Training: the first pass cross-validated by page group and calibrated, the second
pass fitted on its out-of-fold probabilities, the segmenter on the second pass's,
then everything compiled to numpy arrays with its card.

    labelled pages -> FeatureTable (table.py, once) -> first pass (estimator.py), out of fold
                   -> temperature -> second_pass_features -> boosted trees (context.py), out of fold
                   -> transitions and appendix gate (segmenter.py)
                   -> compile_model (compile.py) + build_card (card.py) -> Model
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar
from sklearn.model_selection import GroupKFold, cross_val_predict

from detector.features import PageText, second_pass_features
from detector.model import Model, softmax
from detector.types import LABELS

from .card import TrainingSettings, build_card
from .compile import compile_model
from .context import fit_context
from .dataset import LabelledPage
from .estimator import MIN_DF, FirstPass
from .evaluate import Report
from .segmenter import fit_filler_prior, fit_segmenter
from .table import FeatureTable

Progress = Callable[[str], None]
# Temperature scaling searches this range (a temperature of 1 leaves the logits as they are).
TEMPERATURE_BOUNDS = (0.05, 20.0)
_LOG_FLOOR = 1e-12


@dataclass(frozen=True)
class TrainingResult:
    model: Model
    first_pass: FirstPass
    cv_report: Report | None


def _no_progress(message: str) -> None:
    pass


def train_model(
    pages: Sequence[LabelledPage],
    *,
    C: float = 2.0,
    folds: int = 5,
    random_state: int = 0,
    sources: Sequence[dict] = (),
    n_jobs: int = 1,
    min_df: int = MIN_DF,
    progress: Progress = _no_progress,
) -> TrainingResult:
    """Cross-validate by page group, fit on everything, compile to a `Model`."""
    started = time.monotonic()
    progress(f"features of {len(pages)} pages")
    table = FeatureTable.of(pages, jobs=n_jobs)
    progress(f"features done in {time.monotonic() - started:.0f} s")
    return train_on_table(table, C=C, folds=folds, random_state=random_state, sources=sources, n_jobs=n_jobs,
                          min_df=min_df, progress=progress)


def train_on_table(
    table: FeatureTable,
    *,
    C: float = 2.0,
    folds: int = 5,
    random_state: int = 0,
    sources: Sequence[dict] = (),
    n_jobs: int = 1,
    min_df: int = MIN_DF,
    progress: Progress = _no_progress,
) -> TrainingResult:
    """`train_model` on features already computed (leave-one-family-out reuses one table)."""
    missing = [label for label in LABELS if label.column not in set(table.y.tolist())]
    if missing:
        raise ValueError(f"training data has no blocks labelled {', '.join(map(str, missing))}")
    folds = min(folds, len(set(table.groups.tolist())))
    if folds >= 2:
        check_folds(table.y, table.groups, folds)
    first = FirstPass(C=C, min_df=min_df, random_state=random_state)
    first_pass, temperature = _fit_first_pass(first, table, folds, n_jobs, progress)
    spans = table.spans
    second_table = np.vstack([
        second_pass_features(PageText(page.blocks), first_pass[span], table.dense[span], table.own[span])
        for page, span in zip(table.pages, spans)
    ])
    progress("fitting the second pass (boosted trees over each block's context)")
    context, probabilities = fit_context(second_table, table.y, table.groups, table.weights, folds, random_state)
    pages = table.pages
    segmenter = fit_segmenter(pages)
    cv_report = None
    if folds >= 2:
        progress("fitting the filler prior and the appendix gate")
        segmenter, cv_report = fit_filler_prior(pages, probabilities, spans, segmenter, progress)
    settings = TrainingSettings(C=C, min_df=min_df, folds=folds, random_state=random_state)
    card = build_card(settings, pages, table.y, sources, cv_report)
    model = compile_model(first, temperature, context, segmenter, card)
    return TrainingResult(model=model, first_pass=first, cv_report=cv_report)


def check_folds(y: np.ndarray, groups: np.ndarray, folds: int) -> None:
    """Refuse folds whose training side lacks a label, saying what to do: a model fitted
    without a label gives probabilities of another shape, and the out-of-fold arrays
    failed with "shape mismatch" (11 labelled pages, 5 folds). The folds are the ones
    both passes use (GroupKFold is deterministic)."""
    for number, (train, _) in enumerate(GroupKFold(n_splits=folds).split(y, y, groups), 1):
        present = set(y[train].tolist())
        for label in LABELS:
            if label.column not in present:
                carriers = len(set(groups[y == label.column].tolist()))
                raise ValueError(
                    f"cross-validation fold {number} of {folds} has no block labelled {label} to train on: "
                    f"only {carriers} page group(s) have one. Label more pages with {label}, give fewer "
                    f"--folds, or --folds 0 to train without cross-validated figures"
                )


def _fit_first_pass(first: FirstPass, table: FeatureTable, folds: int, n_jobs: int,
                    progress: Progress) -> tuple[np.ndarray, float]:
    """Fit the first pass on everything; return the calibrated probabilities the second
    pass learns from (out of fold when there are folds) and the temperature."""
    X = table.first_pass_input()
    oof_logits = None
    if folds >= 2:
        progress(f"first pass: {folds} folds by page group, {n_jobs} at a time")
        oof_logits = cross_val_predict(
            first, X, table.y, groups=table.groups, cv=GroupKFold(n_splits=folds), method="decision_function",
            n_jobs=n_jobs, params={"sample_weight": table.weights},
        )
    progress(f"fitting the final first pass on {len(table.y)} blocks from {len(table.pages)} pages")
    first.fit(X, table.y, sample_weight=table.weights)
    if oof_logits is None:  # no held-out predictions: the second pass learns from in-sample ones
        return softmax(first.decision_function(X)), 1.0
    temperature = fit_temperature(oof_logits, table.y)
    return softmax(oof_logits / temperature), temperature


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """Temperature scaling (Guo et al. 2017) on out-of-fold logits: one scalar, keeps the ranking."""

    def nll(temperature: float) -> float:
        probs = softmax(logits / temperature)
        return -float(np.log(probs[np.arange(len(y)), y] + _LOG_FLOOR).mean())

    return float(minimize_scalar(nll, bounds=TEMPERATURE_BOUNDS, method="bounded").x)
