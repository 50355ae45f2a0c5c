"""The shipped model's scorer, numpy only: the first pass (hashed TF-IDF and dense
features through a multinomial logistic regression, temperature-calibrated), then
the second pass's trees over each block's context.

scikit-learn only trains (`detector.training`); tests check that this scorer and
the scikit-learn pipeline it was compiled from give equal probabilities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from detector.features import (
    PageText, block_context_features, count_active, dense_features, hash_chars, hash_words, second_pass_features,
    vocabulary_lookup,
)
from detector.segmenter import Segmenter
from detector.types import LABELS, Block

from .trees import ContextLayer, softmax


@dataclass(frozen=True)
class HashedTfidf:
    """The learned part of one hashed TF-IDF feature block: its bucket vocabulary."""

    bits: int
    buckets: np.ndarray  # sorted bucket ids kept in training (the vocabulary)
    idf: np.ndarray  # idf of those buckets
    coef: np.ndarray  # (n_labels, len(buckets))

    @cached_property
    def lookup(self) -> np.ndarray:
        return vocabulary_lookup(self.buckets, self.bits)

    def scores(self, rows: np.ndarray, buckets: np.ndarray, n_rows: int) -> np.ndarray:
        """Class scores contributed by this block, for `n_rows` texts (sublinear tf, l2 norm)."""
        out = np.zeros((len(self.coef), n_rows))
        row, column, counts = count_active(rows, buckets, self.lookup)
        if len(row) == 0:
            return out
        weight = (1.0 + np.log(counts)) * self.idf[column]
        norm = np.sqrt(np.bincount(row, weights=weight**2, minlength=n_rows))
        weight = weight / norm[row]
        for k in range(len(self.coef)):
            out[k] = np.bincount(row, weights=self.coef[k, column] * weight, minlength=n_rows)
        return out


@dataclass(frozen=True)
class Model:
    """Everything that scores a page's blocks and decodes them, with the card it came with."""

    words: HashedTfidf
    chars: HashedTfidf
    dense_mean: np.ndarray
    dense_scale: np.ndarray
    dense_coef: np.ndarray  # (n_labels, n_dense)
    intercept: np.ndarray
    temperature: float
    context: ContextLayer
    segmenter: Segmenter
    card: dict

    def predict_proba(self, blocks: Sequence[Block]) -> np.ndarray:
        """Label probabilities, one row per block, columns in `LABELS` order."""
        if not blocks:
            return np.zeros((0, len(LABELS)))
        page = PageText(blocks)
        dense = dense_features(page)
        first_pass = self._first_pass(page.texts, dense)
        own = block_context_features(page)
        return self.context.predict_proba(second_pass_features(page, first_pass, dense, own))

    def block_proba(self, blocks: Sequence[Block]) -> np.ndarray:
        """First pass: each block on its own (with its post-level dense features), calibrated."""
        if not blocks:
            return np.zeros((0, len(LABELS)))
        page = PageText(blocks)
        return self._first_pass(page.texts, dense_features(page))

    def _first_pass(self, texts: Sequence[str], dense: np.ndarray) -> np.ndarray:
        n = len(texts)
        scaled = (dense - self.dense_mean) / self.dense_scale
        logits = (
            self.words.scores(*hash_words(texts), n)
            + self.chars.scores(*hash_chars(texts), n)
            + self.dense_coef @ scaled.T
        ).T + self.intercept
        return softmax(logits / self.temperature)
