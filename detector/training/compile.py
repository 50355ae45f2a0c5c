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
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from detector.features import CHAR_BITS, WORD_BITS
from detector.model import ContextLayer, HashedTfidf, Model
from detector.segmenter import Segmenter
from detector.types import LABELS


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


def compile_pipeline(
    pipeline: Pipeline, temperature: float, context: ContextLayer, segmenter: Segmenter, card: dict
) -> Model:
    """Turn the fitted scikit-learn pipeline into the numpy-only `Model`."""
    features: ColumnTransformer = pipeline.named_steps["features"]
    classifier: LogisticRegression = pipeline.named_steps["classify"]
    coef = classifier.coef_
    blocks = {}
    offset = 0
    for name, bits in (("words", WORD_BITS), ("chars", CHAR_BITS)):
        steps = features.named_transformers_[name].named_steps
        buckets = steps["hashedngrams"].buckets_
        # stored in 32 bits: half the file, and probabilities still agree to ~1e-6
        blocks[name] = HashedTfidf(
            bits=bits,
            buckets=buckets.astype(np.int32),
            idf=steps["tfidftransformer"].idf_.astype(np.float32),
            coef=coef[:, offset : offset + len(buckets)].astype(np.float32),
        )
        offset += len(buckets)
    scaler: StandardScaler = features.named_transformers_["dense"]
    return Model(
        words=blocks["words"],
        chars=blocks["chars"],
        dense_mean=scaler.mean_.copy(),
        dense_scale=scaler.scale_.copy(),
        dense_coef=coef[:, offset:].copy(),
        intercept=classifier.intercept_.copy(),
        temperature=temperature,
        context=context,
        segmenter=segmenter,
        card=card,
    )
