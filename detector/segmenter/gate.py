"""The appendix gate, all of it: the features of a post's proposed appendix, their
computation, the gate's learned parameters and its pass/fail decision.

After sequence decoding a post may propose an appendix (its filler after the last
reporting block). The gate decides whether that appendix exists at all: a linear
score over its evidence, its contrast with the body's own style and whether tags
close the post must reach a threshold tuned so clean articles come out whole. A
page machine-rewritten throughout has no contrast, and keeps its only telling.
`caution` raises the threshold for posts no tag list closes. Training fits the
parameters (`detector.training.gate`) and tunes the threshold with `gate_path`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from detector.types import Label

from .viterbi import EPS

_FILLER, _REPORTING, _HASHTAG = Label.FILLER.column, Label.REPORTING.column, Label.HASHTAG_SPAM.column
# A block counts as "more likely filler than not" above this probability.
_FILLER_MAJORITY = 0.5

# Six more than the first five measured on out-of-fold predictions: held-out
# filler removed 0.712 -> 0.743, seed 001's appended blocks removed 72 -> 76 of 78.
APPENDIX_FEATURES = (
    "run_log_odds_mean",  # mean log-odds filler vs reporting over the run
    "run_log_odds_sum",
    "body_log_odds_mean",  # the same over the blocks kept as reporting: the page's own style level
    "contrast",  # run mean minus body mean: a second telling stands out from the body before it
    "tags_after",  # hashtag/tag blocks close the post
    "run_log_blocks",
    "run_filler_max",  # the run's most certain block: one clear summary paragraph is enough
    "run_filler_share",  # share of the run's blocks more likely filler than not
    "run_first_log_odds",  # where the run starts: a retelling announces itself
    "run_log_odds_median",  # robust to one odd block inside the run
    "body_log_odds_max",  # the body's most filler-like block: a page that sounds generic throughout
)
_TAGS_AFTER = APPENDIX_FEATURES.index("tags_after")


@dataclass(frozen=True)
class AppendixGate:
    """A linear score over `APPENDIX_FEATURES`; below the threshold the post keeps everything."""

    coef: np.ndarray
    intercept: float
    threshold: float

    @classmethod
    def unfitted(cls) -> AppendixGate:
        """Every proposed appendix passes (before training has fitted the gate)."""
        return cls(coef=np.zeros(len(APPENDIX_FEATURES)), intercept=0.0, threshold=0.0)

    def score(self, features: np.ndarray) -> float:
        return float(features @ self.coef + self.intercept)

    def passes(self, features: np.ndarray, caution: float = 0.0) -> bool:
        """Whether the gate removes a proposed appendix: its score reaches the threshold,
        raised by `caution` when no tag list or hashtag line closes the post (tags are
        an autoblog's signature; a real article's closing paragraphs have none)."""
        margin = 0.0 if features[_TAGS_AFTER] else caution
        return self.score(features) >= self.threshold + margin


def _log_odds(probabilities: np.ndarray) -> np.ndarray:
    """Filler against reporting, per block."""
    return np.log(probabilities[:, _FILLER] + EPS) - np.log(probabilities[:, _REPORTING] + EPS)


def appendix_features(probabilities: np.ndarray, path: np.ndarray) -> np.ndarray | None:
    """`APPENDIX_FEATURES` of the post's proposed appendix, None when there is none."""
    run = path == _FILLER
    if not run.any():
        return None
    log_odds = _log_odds(probabilities)
    run_odds, body_odds = log_odds[run], log_odds[path == _REPORTING]
    run_mean = float(run_odds.mean())
    body_mean = float(body_odds.mean()) if len(body_odds) else 0.0
    first = int(np.flatnonzero(run)[0])
    run_filler = probabilities[run, _FILLER]
    values = {
        "run_log_odds_mean": run_mean,
        "run_log_odds_sum": float(run_odds.sum()),
        "body_log_odds_mean": body_mean,
        "contrast": run_mean - body_mean,
        "tags_after": float((path[first:] == _HASHTAG).any()),
        "run_log_blocks": float(np.log(len(run_odds))),
        "run_filler_max": float(run_filler.max()),
        "run_filler_share": float((run_filler > _FILLER_MAJORITY).mean()),
        "run_first_log_odds": float(run_odds[0]),
        "run_log_odds_median": float(np.median(run_odds)),
        "body_log_odds_max": float(body_odds.max()) if len(body_odds) else 0.0,
    }
    return np.array([values[name] for name in APPENDIX_FEATURES])


def gate_path(path: np.ndarray, features: np.ndarray | None, gate: AppendixGate, caution: float = 0.0) -> np.ndarray:
    """The post's labels after the gate: a proposed appendix that does not pass is reporting."""
    if features is not None and not gate.passes(features, caution):
        return np.where(path == _FILLER, _REPORTING, path)
    return path
