"""Semantic retelling features: does a block say again, in other words, what its post
already said, or is it about something else altogether?

A retelling appended after a story shares few words with it but much meaning; model
text on another topic shares neither; a body paragraph brings new facts of the same
story. Per block, with the shipped embedding table (`embeddings.py`, distilled from
wordllama), over its post's prose blocks (`SEMANTIC_WORDS` words or more):

    headline_similarity       cosine to the post's headline
    lead_similarity           cosine to the post's lead (its first prose blocks), taken together
    earlier_similarity_max    the highest cosine to an earlier prose block of the post
    earlier_similarity_mean   the mean cosine to the earlier prose blocks
    previous_similarity       cosine to the previous prose block
    rest_recover              from this block to the post's end, how much of the body before it
                              is said again: the mean, over earlier prose blocks, of their best
                              cosine to a block of the run
    recover_gain              rest_recover less the lexical share recalled (`earlier_words_recalled`):
                              what the meaning re-covers beyond the words

A block too short to mean much, or with nothing to compare with (no headline, the lead
itself, a post's first prose block), gets NaN: no evidence either way, which the
second pass's trees route as missing (they handle NaN natively, and the compiled trees
do the same), instead of a special number they would learn as a habit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from detector.types import Block

from .embeddings import EmbeddingTable, shipped_table
from .page import PageText, as_page

SEMANTIC_FEATURES = (
    "headline_similarity", "lead_similarity", "earlier_similarity_max", "earlier_similarity_mean",
    "previous_similarity", "rest_recover", "recover_gain",
)
SEMANTIC_WORDS = 6  # fewer words than this: no semantic evidence (chrome, tags, short lines)
NEUTRAL = np.nan
# Posts are compared as whole matrices (prose x prose); a post longer than this is
# compared in consecutive chunks of it, so memory stays bounded (4 MB a chunk).
_CHUNK = 1024


def semantic_features(blocks: Sequence[Block] | PageText, lexical_recalled: np.ndarray | None = None,
                      table: EmbeddingTable | None = None) -> np.ndarray:
    """One row of `SEMANTIC_FEATURES` per block; context is the block's post.

    `lexical_recalled` is the retelling feature `earlier_words_recalled` (computed
    here when not given); `table` defaults to the shipped one, loaded on first use."""
    page = as_page(blocks)
    n = len(page.blocks)
    out = np.full((n, len(SEMANTIC_FEATURES)), NEUTRAL)
    if n == 0:
        return out
    table = table or shipped_table()
    vectors, found = table.embed(page.texts)
    long_enough = np.array([len(t) >= SEMANTIC_WORDS for t in page.tokens], dtype=bool) & (found > 0)
    prose = long_enough & ~page.is_heading
    # headline: the post's first heading, whatever its length (headlines are short)
    headline_of = np.full(len(page.posts), -1)
    rows_with_headline = np.flatnonzero(page.headline_rows & (found > 0))
    headline_of[page.post_of[rows_with_headline]] = rows_with_headline
    has_headline = prose & (headline_of[page.post_of] >= 0)
    at = np.flatnonzero(has_headline)
    out[at, 0] = np.sum(vectors[at] * vectors[headline_of[page.post_of[at]]], axis=1)
    # lead: the sum of the post's lead blocks' vectors, for blocks outside the lead
    lead = page.lead_rows & long_enough
    lead_sum = np.zeros((len(page.posts), vectors.shape[1]), dtype=np.float32)
    np.add.at(lead_sum, page.post_of[lead], vectors[lead])
    lead_norm = np.linalg.norm(lead_sum, axis=1)
    at = np.flatnonzero(prose & ~page.lead_rows & (lead_norm[page.post_of] > 0))
    out[at, 1] = np.sum(vectors[at] * lead_sum[page.post_of[at]], axis=1) / lead_norm[page.post_of[at]]
    for rows in page.posts:
        members = np.flatnonzero(prose[rows]) + rows.start
        for start in range(0, len(members), _CHUNK):
            _within_post(out, vectors, members[start:start + _CHUNK])
    if lexical_recalled is None:
        from .retelling import RETELLING_FEATURES, retelling_features

        lexical_recalled = retelling_features(page)[:, RETELLING_FEATURES.index("earlier_words_recalled")]
    out[:, 6] = out[:, 5] - lexical_recalled
    return out


def _within_post(out: np.ndarray, vectors: np.ndarray, members: np.ndarray) -> None:
    """The earlier-block and re-covering features of one post's prose blocks (`members`, in order)."""
    m = len(members)
    if m < 2:
        return
    similarity = vectors[members] @ vectors[members].T  # (m, m)
    earlier = np.tril(np.ones((m, m), dtype=bool), k=-1)  # earlier[i, j]: j before i
    counts = np.arange(m)
    masked = np.where(earlier, similarity, -np.inf)
    out[members[1:], 2] = masked.max(axis=1)[1:]
    out[members[1:], 3] = (np.where(earlier, similarity, 0.0).sum(axis=1) / np.maximum(counts, 1))[1:]
    out[members[1:], 4] = similarity[counts[1:], counts[:-1]]
    # best[j, i]: the highest similarity of block j to a block from i on (a suffix max)
    best = np.maximum.accumulate(similarity[:, ::-1], axis=1)[:, ::-1]
    # rest_recover[i]: the mean of best[j, i] over the blocks j before i
    out[members[1:], 5] = (np.where(earlier.T, best, 0.0).sum(axis=0) / np.maximum(counts, 1))[1:]
