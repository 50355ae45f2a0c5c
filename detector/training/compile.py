"""Compiling fitted scikit-learn estimators into the numpy-only `Model`.

`compile_trees` reads HistGradientBoostingClassifier's private attributes
(`_predictors`, `_baseline_prediction`, and the fields of each predictor's `nodes`
array): there is no public API for the fitted trees. That is why pyproject.toml
bounds scikit-learn from above (`<1.10`, the newest minor version tested here),
and `tests/test_training.py` checks the compiled trees against scikit-learn's
own predict_proba.
"""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

from detector.features import CHAR_BITS, WORD_BITS
from detector.model import ContextLayer, HashedTfidf, Model
from detector.segmenter import Segmenter
from detector.types import LABELS

from .estimator import FirstPass


def compile_trees(boosted: HistGradientBoostingClassifier) -> ContextLayer:
    """Flatten a fitted HistGradientBoostingClassifier into a numpy `ContextLayer`."""
    if list(boosted.classes_) != list(range(len(LABELS))):
        raise ValueError("the second pass must be fitted on every label")
    trees = [predictor.nodes for iteration in boosted._predictors for predictor in iteration]
    width = max(len(nodes) for nodes in trees)

    def padded(field: str, dtype) -> np.ndarray:
        out = np.zeros((len(trees), width), dtype=dtype)
        for t, nodes in enumerate(trees):
            out[t, : len(nodes)] = nodes[field]
        return out

    leaf = padded("is_leaf", bool)
    itself = np.broadcast_to(np.arange(width), leaf.shape)
    return ContextLayer(
        baseline=np.asarray(boosted._baseline_prediction, dtype=np.float64).ravel(),
        feature=np.where(leaf, 0, padded("feature_idx", np.int64)).astype(np.int16),
        threshold=padded("num_threshold", np.float64),
        missing_left=padded("missing_go_to_left", bool),
        left=np.where(leaf, itself, padded("left", np.int64)).astype(np.int16),
        right=np.where(leaf, itself, padded("right", np.int64)).astype(np.int16),
        value=np.where(leaf, padded("value", np.float64), 0.0),
        depth=int(max(nodes["depth"].max() for nodes in trees)),
    )


def compile_model(
    first: FirstPass, temperature: float, context: ContextLayer, segmenter: Segmenter, card: dict
) -> Model:
    """Turn the fitted first pass, trees and segmenter into the numpy-only `Model`."""
    coef = first.classifier_.coef_
    blocks = {}
    offset = 0
    for name, bits, tfidf in (("words", WORD_BITS, first.words_), ("chars", CHAR_BITS, first.chars_)):
        # stored in 32 bits: half the file, and probabilities still agree to ~1e-6
        blocks[name] = HashedTfidf(
            bits=bits,
            buckets=tfidf.buckets.astype(np.int32),
            idf=tfidf.idf.astype(np.float32),
            coef=coef[:, offset : offset + len(tfidf.buckets)].astype(np.float32),
        )
        offset += len(tfidf.buckets)
    return Model(
        words=blocks["words"],
        chars=blocks["chars"],
        dense_mean=first.dense_mean_.copy(),
        dense_scale=first.dense_scale_.copy(),
        dense_coef=coef[:, offset:].copy(),
        intercept=first.classifier_.intercept_.copy(),
        temperature=temperature,
        context=context,
        segmenter=segmenter,
        card=card,
    )
