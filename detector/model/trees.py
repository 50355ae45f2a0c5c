"""The second pass as numpy arrays: the boosted trees of a fitted
HistGradientBoostingClassifier, walked without scikit-learn."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax (the first pass's calibrated logits, the trees' summed scores)."""
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class ContextLayer:
    """Second pass: gradient-boosted trees over `second_pass_features` (a block's
    first-pass probabilities beside its neighbours' and its post's, and its dense
    features).

    The trees of scikit-learn's HistGradientBoostingClassifier, stored flat: tree t
    adds its leaf value to the score of label `t % n_labels`, node arrays are padded
    to the largest tree, and a leaf is its own child, so walking `depth` steps from
    the root lands every block on its leaf. A split sends `x <= threshold` left, and
    a missing value (NaN) the way `missing_left` says.
    """

    baseline: np.ndarray  # (n_labels,) raw score before any tree
    feature: np.ndarray  # (n_trees, n_nodes) feature index of each split
    threshold: np.ndarray  # (n_trees, n_nodes)
    missing_left: np.ndarray  # (n_trees, n_nodes) bool
    left: np.ndarray  # (n_trees, n_nodes) child node indices
    right: np.ndarray
    value: np.ndarray  # (n_trees, n_nodes) leaf values
    depth: int

    @cached_property
    def _flat(self) -> tuple[np.ndarray, ...]:
        """The node arrays as one flat array each; `children[2 * node + goes_right]` is
        where a split sends a row (measured: a fifth faster than choosing between
        separate left and right arrays)."""
        offsets = np.arange(len(self.feature)) * self.feature.shape[1]
        left = (self.left + offsets[:, None]).ravel()
        right = (self.right + offsets[:, None]).ravel()
        return (
            self.feature.ravel().astype(np.intp),
            self.threshold.ravel(),
            self.missing_left.ravel(),
            np.stack([left, right], axis=1).ravel(),
            self.value.ravel(),
            left == np.arange(len(left)),  # a leaf is its own child
            offsets,
        )

    def predict_proba(self, table: np.ndarray) -> np.ndarray:
        """Label probabilities for rows of `second_pass_features`."""
        feature, threshold, missing_left, children, value, is_leaf, offsets = self._flat
        n_rows, n_columns = table.shape
        cells = np.ascontiguousarray(table).ravel()
        has_missing = bool(np.isnan(cells).any())
        # one walker per (tree, row), starting at the tree's root; only walkers
        # not yet on a leaf take a step (most trees are far shallower than the deepest)
        node = np.repeat(offsets, n_rows)
        row_start = np.tile(np.arange(n_rows) * n_columns, len(offsets))
        walking = np.flatnonzero(~is_leaf[node])
        for _ in range(self.depth):
            if not len(walking):
                break
            at = node[walking]
            x = cells[row_start[walking] + feature[at]]
            goes_right = ~(x <= threshold[at])
            if has_missing:
                goes_right = np.where(np.isnan(x), ~missing_left[at], goes_right)
            at = children[2 * at + goes_right]
            node[walking] = at
            walking = walking[~is_leaf[at]]
        n_labels = len(self.baseline)
        leaves = value[node].reshape(-1, n_labels, n_rows)
        return softmax(leaves.sum(axis=0).T + self.baseline)
