"""The second pass's inputs: a block's first-pass probabilities beside its neighbours'
and the rest of its post's, its dense features (less where it sits) and the
retelling features.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from detector.types import LABELS, Block, Label, post_slices

from .dense import DENSE_FEATURES
from .retelling import RETELLING_FEATURES, retelling_features

# A block's own first-pass log-probabilities, its neighbours', and the mean
# probabilities of the blocks before and after it in its post.
CONTEXT_FEATURES: tuple[str, ...] = tuple(
    f"{where}_{label}"
    for where in ("self", "previous", "next", "mean_before", "mean_after")
    for label in (label.value for label in LABELS)
) + ("filler_contrast",)
_FILLER, _REPORTING = Label.FILLER.column, Label.REPORTING.column
_LOG_FLOOR = 1e-6  # probabilities are floored before the log
_OPENING_SHARE = 3  # the contrast is against the post's opening third


def context_features(blocks: Sequence[Block], probabilities: np.ndarray) -> np.ndarray:
    """A block's first-pass probabilities beside its neighbours' and the rest of its post's.

    What comes after a block says much about it: a paragraph followed by
    generic text and a tag list is likelier an appendix than one followed by
    more reporting. One row of `CONTEXT_FEATURES` per block.
    """
    out = np.zeros((len(blocks), len(CONTEXT_FEATURES)))
    log_p = np.log(probabilities + _LOG_FLOOR)
    for post in post_slices(blocks):
        start, end = post.start, post.stop
        post_log_p, post_p = log_p[start:end], probabilities[start:end]
        n = end - start
        cumulative = np.cumsum(post_p, axis=0)
        total = cumulative[-1]
        # filler log-odds against the post's opening third: a second telling stands
        # out from the body above it, even when the body is a machine rewrite too
        log_odds = post_log_p[:, _FILLER] - post_log_p[:, _REPORTING]
        contrast = log_odds - log_odds[: max(1, n // _OPENING_SHARE)].mean()
        # At either end of a post a block stands in for its missing neighbours:
        # "nothing follows" is no evidence either way, and as a special value the
        # second pass learned it as "reporting" (composed appendices mostly end in
        # tags), keeping closing paragraphs that no tags follow.
        for i in range(n):
            before = cumulative[i - 1] / i if i else post_p[i]
            after = (total - cumulative[i]) / (n - 1 - i) if i < n - 1 else post_p[i]
            out[start + i] = np.concatenate(
                [
                    post_log_p[i],
                    post_log_p[i - 1] if i else post_log_p[i],
                    post_log_p[i + 1] if i < n - 1 else post_log_p[i],
                    before,
                    after,
                    [contrast[i]],
                ]
            )
    return out


# The second pass sees a block's context and, beside it, its own dense features:
# boosted trees can then ask "a list item, after the body, before tags?" at once.
# Not where in its post a block sits, nor how long the post is: trees learn those
# as habits of the composed pages (bodies cut at 30 paragraphs, clean pages at 40),
# and on seed 001's long live blogs that kept 26 of 78 appended blocks, not 16.
POSITION_FEATURES = frozenset({"relative_position", "blocks_to_end", "post_blocks"})
SECOND_PASS_DENSE = tuple(name for name in DENSE_FEATURES if name not in POSITION_FEATURES)
SECOND_PASS_FEATURES: tuple[str, ...] = CONTEXT_FEATURES + SECOND_PASS_DENSE + RETELLING_FEATURES
_SECOND_PASS_COLUMNS = [DENSE_FEATURES.index(name) for name in SECOND_PASS_DENSE]


def second_pass_features(blocks: Sequence[Block], probabilities: np.ndarray, dense: np.ndarray) -> np.ndarray:
    """One row of `SECOND_PASS_FEATURES` per block; `dense` holds all `DENSE_FEATURES`."""
    return np.hstack(
        [context_features(blocks, probabilities), dense[:, _SECOND_PASS_COLUMNS], retelling_features(blocks)]
    )
