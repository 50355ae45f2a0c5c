"""The first pass as a scikit-learn estimator over a `FeatureTable`'s input (word and
character n-gram counts, then the dense features, in one sparse matrix): the same
features the shipped scorer computes (`detector.model.HashedTfidf`).

    word n-gram counts -> buckets in >= min_df blocks -> sublinear TF-IDF, l2 --+
    char n-gram counts -> buckets in >= min_df blocks -> sublinear TF-IDF, l2 --+-> LogisticRegression
    dense features     -> standardised -----------------------------------------+    (multinomial)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression

from detector.features import CHAR_BITS, WORD_BITS

# n-grams seen in fewer blocks are dropped: measured on 12k training blocks, min_df 4
# instead of 2 cuts the columns from 189k to 120k and the fit time by a third.
MIN_DF = 4
# tol 1e-3 halves the lbfgs iterations against the default 1e-4 (measured: 53 vs 122)
TOL = 1e-3
MAX_ITER = 2000


@dataclass(frozen=True)
class Tfidf:
    """A fitted TF-IDF block: the kept buckets and their idf (sklearn's smooth idf)."""

    buckets: np.ndarray
    idf: np.ndarray

    @classmethod
    def fit(cls, counts: sp.csr_matrix, min_df: int) -> Tfidf:
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        buckets = np.flatnonzero(df >= min_df)
        idf = np.log((1 + counts.shape[0]) / (1 + df[buckets])) + 1.0
        return cls(buckets, idf)

    def transform(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        kept = counts[:, self.buckets].tocsr()
        kept.data = (1.0 + np.log(kept.data)) * self.idf[kept.indices]
        norms = np.sqrt(np.asarray(kept.multiply(kept).sum(axis=1)).ravel())
        return sp.csr_matrix(sp.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ kept)


class FirstPass(ClassifierMixin, BaseEstimator):
    """Multinomial logistic regression over TF-IDF n-grams and standardised dense features.

    X is `FeatureTable.first_pass_input()`: 2**WORD_BITS word-count columns, then
    2**CHAR_BITS char-count columns, then the dense features.
    """

    def __init__(self, C: float = 2.0, min_df: int = MIN_DF, random_state: int = 0):
        self.C = C
        self.min_df = min_df
        self.random_state = random_state

    def _split(self, X: sp.csr_matrix) -> tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray]:
        X = sp.csr_matrix(X)
        words, chars = 1 << WORD_BITS, 1 << CHAR_BITS
        return X[:, :words], X[:, words : words + chars], X[:, words + chars :].toarray()

    def _design(self, X: sp.csr_matrix) -> sp.csr_matrix:
        words, chars, dense = self._split(X)
        scaled = (dense - self.dense_mean_) / self.dense_scale_
        return sp.hstack([self.words_.transform(words), self.chars_.transform(chars), sp.csr_matrix(scaled)],
                         format="csr")

    def fit(self, X: sp.csr_matrix, y: np.ndarray, sample_weight: np.ndarray | None = None) -> FirstPass:
        words, chars, dense = self._split(X)
        self.words_ = Tfidf.fit(words, self.min_df)
        self.chars_ = Tfidf.fit(chars, self.min_df)
        self.dense_mean_ = dense.mean(axis=0)
        scale = dense.std(axis=0)
        self.dense_scale_ = np.where(scale > 0, scale, 1.0)
        self.classifier_ = LogisticRegression(C=self.C, tol=TOL, max_iter=MAX_ITER, random_state=self.random_state)
        self.classifier_.fit(self._design(X), y, sample_weight=sample_weight)
        self.classes_ = self.classifier_.classes_
        return self

    def decision_function(self, X: sp.csr_matrix) -> np.ndarray:
        return self.classifier_.decision_function(self._design(X))

    def predict(self, X: sp.csr_matrix) -> np.ndarray:
        return self.classes_[self.decision_function(X).argmax(axis=1)]
