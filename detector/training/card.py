"""Building a trained model's card: what a retrain needs to reproduce the model, and
the figures it was measured at (cross-validated, and held-out when asked for)."""

from __future__ import annotations

import os
import platform
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from sklearn import __version__ as sklearn_version

from detector import __version__
from detector.model import Model, compatibility_fields
from detector.pipeline import Detector
from detector.types import LABELS

from .context import BOOSTING
from .dataset import LabelledPage
from .evaluate import Report, evaluate_pages
from .provenance import data_source
from .segmenter import CLEAN_LOSS_ALLOWED, FILLER_PRIORS, REPORTING_LOSS_ALLOWED


@dataclass(frozen=True)
class TrainingSettings:
    """Everything `train_model` was asked for that shapes the model."""

    C: float
    min_df: int
    folds: int
    random_state: int


def build_card(settings: TrainingSettings, pages: Sequence[LabelledPage], y: np.ndarray,
               sources: Sequence[dict], cv_report: Report | None) -> dict:
    """The card of a model trained on `pages` (labels `y`) with `settings`."""
    return {
        **compatibility_fields(),
        "versions": {
            "detector": __version__,
            "scikit-learn": sklearn_version,
            "numpy": np.__version__,
            "python": platform.python_version(),
        },
        "training": {
            "pages": len(pages),
            "blocks": int(len(y)),
            "label_counts": {str(label): int((y == label.column).sum()) for label in LABELS},
            "C": settings.C,
            "min_df": settings.min_df,
            "folds": settings.folds,
            "random_state": settings.random_state,
            "second_pass": dict(BOOSTING),
            "clean_loss_allowed": CLEAN_LOSS_ALLOWED,
            "filler_priors": list(FILLER_PRIORS),
            "reporting_loss_allowed": REPORTING_LOSS_ALLOWED,
            "sources": list(sources),
        },
        "metrics": {"cross_validation": cv_report.to_dict() if cv_report else None},
    }


def with_heldout_metrics(model: Model, pages: Sequence[LabelledPage],
                         path: str | os.PathLike) -> tuple[Model, Report]:
    """The model with its figures on held-out labelled pages (read from `path`) on its card,
    measured through the same pipeline that cleans pages."""
    report = evaluate_pages(Detector(model), pages)
    metrics = {**model.card["metrics"], "heldout": {"file": data_source(path), **report.to_dict()}}
    return replace(model, card={**model.card, "metrics": metrics}), report


def with_family_runs(model: Model, runs: list[dict], path: str | os.PathLike) -> Model:
    """The model with the leave-one-family-out figures of its recipe on its card
    (`detector families`: each run trained without one family, scored on it)."""
    metrics = {**model.card["metrics"], "leave_one_family_out": {"file": data_source(path), "runs": runs}}
    return replace(model, card={**model.card, "metrics": metrics})
