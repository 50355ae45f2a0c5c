"""The second pass's inputs: a block's first-pass probabilities beside its neighbours'
and the rest of its post's, its dense features (less where it sits) and the
retelling features, lexical and semantic.
"""

from __future__ import annotations

import numpy as np

from detector.types import LABELS, Label

from .dense import DENSE_FEATURES
from .page import PageText
from .retelling import RETELLING_FEATURES, retelling_features
from .semantic import SEMANTIC_FEATURES, semantic_features

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


def context_features(page: PageText, probabilities: np.ndarray) -> np.ndarray:
    """A block's first-pass probabilities beside its neighbours' and the rest of its post's.

    What comes after a block says much about it: a paragraph followed by
    generic text and a tag list is likelier an appendix than one followed by
    more reporting. One row of `CONTEXT_FEATURES` per block.
    """
    out = np.zeros((len(page.blocks), len(CONTEXT_FEATURES)))
    log_p = np.log(probabilities + _LOG_FLOOR)
    for rows in page.posts:
        post_log_p, post_p = log_p[rows], probabilities[rows]
        n = len(post_p)
        position = np.arange(n)[:, None]
        cumulative = np.cumsum(post_p, axis=0)
        # At either end of a post a block stands in for its missing neighbours:
        # "nothing follows" is no evidence either way, and as a special value the
        # second pass learned it as "reporting" (composed appendices mostly end in
        # tags), keeping closing paragraphs that no tags follow.
        previous = np.vstack([post_log_p[:1], post_log_p[:-1]])
        following = np.vstack([post_log_p[1:], post_log_p[-1:]])
        before = np.where(position > 0, (cumulative - post_p) / np.maximum(position, 1), post_p)
        remaining = n - 1 - position
        after = np.where(remaining > 0, (cumulative[-1] - cumulative) / np.maximum(remaining, 1), post_p)
        # filler log-odds against the post's opening third: a second telling stands
        # out from the body above it, even when the body is a machine rewrite too
        log_odds = post_log_p[:, _FILLER] - post_log_p[:, _REPORTING]
        contrast = log_odds - log_odds[: max(1, n // _OPENING_SHARE)].mean()
        out[rows] = np.hstack([post_log_p, previous, following, before, after, contrast[:, None]])
    return out


# The second pass sees a block's context and, beside it, its own dense features:
# boosted trees can then ask "a list item, after the body, before tags?" at once.
# Not where in its post a block sits, nor how long the post is: trees learn those
# as habits of the composed pages (bodies cut at 30 paragraphs, clean pages at 40),
# and on seed 001's long live blogs that kept 26 of 78 appended blocks, not 16.
POSITION_FEATURES = frozenset({"relative_position", "blocks_to_end", "post_blocks"})
SECOND_PASS_DENSE = tuple(name for name in DENSE_FEATURES if name not in POSITION_FEATURES)
SECOND_PASS_FEATURES: tuple[str, ...] = CONTEXT_FEATURES + SECOND_PASS_DENSE + RETELLING_FEATURES + SEMANTIC_FEATURES
_SECOND_PASS_COLUMNS = [DENSE_FEATURES.index(name) for name in SECOND_PASS_DENSE]


def second_pass_features(page: PageText, probabilities: np.ndarray, dense: np.ndarray,
                         own: np.ndarray) -> np.ndarray:
    """One row of `SECOND_PASS_FEATURES` per block; `dense` holds all `DENSE_FEATURES`,
    `own` the block features that need no first pass (`block_context_features`)."""
    return np.hstack([context_features(page, probabilities), dense[:, _SECOND_PASS_COLUMNS], own])


def block_context_features(page: PageText) -> np.ndarray:
    """The second pass's features that do not depend on the first pass: computed once
    per page (in training, once per corpus): `RETELLING_FEATURES` then `SEMANTIC_FEATURES`."""
    lexical = retelling_features(page)
    recalled = lexical[:, RETELLING_FEATURES.index("earlier_words_recalled")]
    return np.hstack([lexical, semantic_features(page, recalled)])
