"""Every block's features that no fitted model changes, computed once for a set of
labelled pages: hashed word and character n-gram counts, the dense features and the
second pass's own block features. Cross-validation folds, the final fit and the
leave-one-family-out runs all select rows of one table instead of reading the pages
again (hashing was most of a training run's time when every fold re-hashed).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from detector.features import (
    CHAR_BITS, DENSE_FEATURES, WORD_BITS, PageText, block_context_features, dense_features, hash_chars, hash_words,
)

from .dataset import LabelledPage

_CHUNK = 32  # pages a worker takes at a time


@dataclass(frozen=True)
class PageFeatures:
    words: tuple[np.ndarray, np.ndarray]  # (row, bucket) per hashed word n-gram
    chars: tuple[np.ndarray, np.ndarray]
    dense: np.ndarray
    own: np.ndarray


def page_features(page: LabelledPage) -> PageFeatures:
    text = PageText(page.blocks)
    return PageFeatures(hash_words(text.texts), hash_chars(text.texts), dense_features(text),
                        block_context_features(text))


@dataclass(frozen=True)
class FeatureTable:
    """Rows are blocks, pages in order; `words` and `chars` are n-gram counts over the
    full hashed spaces (columns are buckets)."""

    pages: tuple[LabelledPage, ...]
    words: sp.csr_matrix
    chars: sp.csr_matrix
    dense: np.ndarray
    own: np.ndarray  # the second pass's block features (`block_context_features`)
    y: np.ndarray  # label columns
    groups: np.ndarray  # CV group of each block's page
    weights: np.ndarray
    page_of: np.ndarray  # each row's page number

    @classmethod
    def of(cls, pages: Sequence[LabelledPage], jobs: int = 1) -> FeatureTable:
        pages = tuple(p for p in pages if p.blocks)
        if jobs > 1 and len(pages) > 2 * _CHUNK:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                features = pool.map(page_features, pages, chunksize=_CHUNK)
        else:
            features = [page_features(p) for p in pages]
        sizes = np.array([len(p.blocks) for p in pages], dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(sizes)])
        n = int(offsets[-1])
        return cls(
            pages=pages,
            words=_counts([f.words for f in features], offsets, n, WORD_BITS),
            chars=_counts([f.chars for f in features], offsets, n, CHAR_BITS),
            dense=np.vstack([f.dense for f in features]) if features else np.zeros((0, len(DENSE_FEATURES))),
            own=np.vstack([f.own for f in features]) if features else np.zeros((0, 0)),
            y=np.array([label.column for p in pages for label in p.labels], dtype=np.int64),
            groups=np.repeat([p.group or p.id for p in pages], sizes),
            weights=np.repeat([p.weight for p in pages], sizes).astype(np.float64),
            page_of=np.repeat(np.arange(len(pages)), sizes),
        )

    @property
    def spans(self) -> list[slice]:
        """The rows of each page."""
        sizes = np.array([len(p.blocks) for p in self.pages], dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(sizes)])
        return [slice(int(a), int(b)) for a, b in zip(offsets[:-1], offsets[1:])]

    def first_pass_input(self) -> sp.csr_matrix:
        """[word counts | char counts | dense features]: what `FirstPass` is fitted on."""
        return sp.hstack([self.words, self.chars, sp.csr_matrix(self.dense)], format="csr")

    def subset(self, keep: Sequence[bool] | np.ndarray) -> FeatureTable:
        """The table of the pages where `keep` is true."""
        keep = np.asarray(keep, dtype=bool)
        rows = keep[self.page_of]
        renumbered = np.cumsum(keep) - 1
        return FeatureTable(
            pages=tuple(p for p, k in zip(self.pages, keep) if k),
            words=self.words[rows], chars=self.chars[rows], dense=self.dense[rows], own=self.own[rows],
            y=self.y[rows], groups=self.groups[rows], weights=self.weights[rows],
            page_of=renumbered[self.page_of[rows]],
        )


def _counts(hashed: list[tuple[np.ndarray, np.ndarray]], offsets: np.ndarray, n: int, bits: int) -> sp.csr_matrix:
    if not hashed:
        return sp.csr_matrix((0, 1 << bits))
    rows = np.concatenate([r + offsets[i] for i, (r, _) in enumerate(hashed)])
    buckets = np.concatenate([b for _, b in hashed])
    matrix = sp.csr_matrix((np.ones(len(rows)), (rows, buckets)), shape=(n, 1 << bits))
    matrix.sum_duplicates()
    return matrix
