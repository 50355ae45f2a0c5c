"""Retelling features: what a second telling looks like from where it starts.

Per block, over its post's prose: how much of the rest of the post says again
what came before it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from detector.types import Block

from .page import Occurrences, PageText, as_page

# What a second telling looks like from where it starts: the rest of its post says
# again what came before. Per block, over its post's prose (blocks of ten words or
# more; tags and chrome say little): the share of the content words (then of the
# entities) from this block to the post's end that were already seen before it,
# and the share of those seen before that come back. In a body each paragraph
# brings new words, so from the middle of a body on much is new; from the start of
# an appended summary on nearly everything was seen. Measured side by side (same
# first pass, second pass without early stopping): held-out reporting kept 0.980
# -> 0.983, filler removed 0.752 -> 0.770, real HTML gold kept 97.9% -> 98.2%, both
# seeds unchanged; the cost: a few short clean pages lose their closing paragraphs
# (clean pages' mean share kept 0.996 -> 0.993).
RETELLING_FEATURES = ("rest_words_seen", "earlier_words_recalled", "rest_entities_seen", "earlier_entities_recalled")
_PROSE_WORDS = 10


def retelling_features(blocks: Sequence[Block] | PageText) -> np.ndarray:
    """One row of `RETELLING_FEATURES` per block; context is the block's post."""
    page = as_page(blocks)
    prose = np.array([len(tokens) >= _PROSE_WORDS for tokens in page.tokens], dtype=bool)
    return np.column_stack([*_seen_and_recalled(page, page.words.within(prose)),
                            *_seen_and_recalled(page, page.entities.within(prose))])


def _seen_and_recalled(page: PageText, items: Occurrences) -> tuple[np.ndarray, np.ndarray]:
    """For each block i: the share of its post's items from i on that occur before i,
    and the share of the items before i that occur again from i on (0 when none).

    An item spans i when it first occurs before i and last occurs at i or later."""
    n = len(page.blocks)
    _, first_at = np.unique(items.key, return_index=True)
    last_at = len(items.key) - 1 - np.unique(items.key[::-1], return_index=True)[1]
    first_block, last_block = items.block[first_at], items.block[last_at]
    # per block: items first seen in an earlier block of the post (before), items whose
    # last occurrence is in an earlier block (gone); both counted within the post
    start = np.array([rows.start for rows in page.posts], dtype=np.int64)[page.post_of]
    first_counts = np.concatenate([[0], np.cumsum(np.bincount(first_block, minlength=n))])
    last_counts = np.concatenate([[0], np.cumsum(np.bincount(last_block, minlength=n))])
    before = first_counts[np.arange(n)] - first_counts[start]
    gone = last_counts[np.arange(n)] - last_counts[start]
    spanning = before - gone
    post_items = np.bincount(page.post_of[first_block], minlength=len(page.posts))[page.post_of]
    rest = post_items - gone
    return spanning / np.maximum(rest, 1), spanning / np.maximum(before, 1)
