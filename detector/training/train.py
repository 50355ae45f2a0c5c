"""Training: the first pass cross-validated by page group and calibrated, the second
pass fitted on its out-of-fold probabilities, the segmenter on the second pass's,
then everything compiled to numpy arrays with its card.

    labelled pages -> feature_table -> first pass (estimator.py), out of fold -> temperature
                   -> second_pass_features -> boosted trees (context.py), out of fold
                   -> transitions and appendix gate (segmenter.py)
                   -> compile_pipeline (compile.py) + build_card (card.py) -> Model
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar
from sklearn.model_selection import GroupKFold, cross_val_predict
from sklearn.pipeline import Pipeline

from detector.features import second_pass_features
from detector.model import Model, softmax
from detector.types import LABELS

from .card import TrainingSettings, build_card
from .compile import compile_pipeline
from .context import fit_context
from .dataset import LabelledPage
from .estimator import MIN_DF, build_pipeline, feature_table, page_spans
from .evaluate import Report, score_pages
from .segmenter import decode_pages, fit_appendix_gate, fit_segmenter

Progress = Callable[[str], None]
# Temperature scaling searches this range (a temperature of 1 leaves the logits as they are).
TEMPERATURE_BOUNDS = (0.05, 20.0)
_LOG_FLOOR = 1e-12


@dataclass(frozen=True)
class TrainingResult:
    model: Model
    pipeline: Pipeline
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
    pages = [p for p in pages if p.blocks]
    X, y, groups, page_of, weights = feature_table(pages)
    missing = [label for label in LABELS if label.column not in set(y.tolist())]
    if missing:
        raise ValueError(f"training data has no blocks labelled {', '.join(map(str, missing))}")
    pipeline = build_pipeline(C=C, random_state=random_state, min_df=min_df)
    folds = min(folds, len(set(groups.tolist())))
    first_pass, temperature = _fit_first_pass(pipeline, X, y, groups, weights, folds, n_jobs, progress, len(pages))
    spans = page_spans(page_of)
    dense = X[:, 1:].astype(np.float64)
    second_table = np.vstack(
        [second_pass_features(page.blocks, first_pass[span], dense[span]) for page, span in zip(pages, spans)]
    )
    progress("fitting the second pass (boosted trees over each block's context)")
    context, probabilities = fit_context(second_table, y, groups, weights, folds, random_state)
    segmenter = fit_segmenter(pages)
    cv_report = None
    if folds >= 2:
        segmenter = fit_appendix_gate(pages, probabilities, spans, segmenter)
        cv_report = score_pages(pages, decode_pages(pages, probabilities, spans, segmenter))
    settings = TrainingSettings(C=C, min_df=min_df, folds=folds, random_state=random_state)
    card = build_card(settings, pages, y, sources, cv_report)
    model = compile_pipeline(pipeline, temperature, context, segmenter, card)
    return TrainingResult(model=model, pipeline=pipeline, cv_report=cv_report)


def _fit_first_pass(pipeline: Pipeline, X: np.ndarray, y: np.ndarray, groups: np.ndarray, weights: np.ndarray,
                    folds: int, n_jobs: int, progress: Progress, n_pages: int) -> tuple[np.ndarray, float]:
    """Fit the first pass on everything; return the calibrated probabilities the second
    pass learns from (out of fold when there are folds) and the temperature."""
    oof_logits = None
    if folds >= 2:
        progress(f"cross-validation: {folds} folds by page group, {n_jobs} at a time")
        # Each fold a clone fitted on the other folds with their sample weights, as
        # the hand-written loop this replaces did: the same arrays (checked on a
        # 400-page training run, every model array equal).
        oof_logits = cross_val_predict(
            pipeline, X, y, groups=groups, cv=GroupKFold(n_splits=folds), method="decision_function",
            n_jobs=n_jobs, params={"classify__sample_weight": weights},
        )
    progress(f"fitting the final model on {len(y)} blocks from {n_pages} pages")
    pipeline.fit(X, y, classify__sample_weight=weights)
    if oof_logits is None:  # no held-out predictions: the second pass learns from in-sample ones
        return softmax(pipeline.decision_function(X)), 1.0
    temperature = fit_temperature(oof_logits, y)
    return softmax(oof_logits / temperature), temperature


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """Temperature scaling (Guo et al. 2017) on out-of-fold logits: one scalar, keeps the ranking."""

    def nll(temperature: float) -> float:
        probs = softmax(logits / temperature)
        return -float(np.log(probs[np.arange(len(y)), y] + _LOG_FLOOR).mean())

    return float(minimize_scalar(nll, bounds=TEMPERATURE_BOUNDS, method="bounded").x)
