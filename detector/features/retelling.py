"""Retelling features: what a second telling looks like from where it starts.

Per block, over its post's prose: how much of the rest of the post says again
what came before it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from detector.types import Block, post_slices

from .lexicon import content_words, entities


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


def retelling_features(blocks: Sequence[Block]) -> np.ndarray:
    """One row of `RETELLING_FEATURES` per block; context is the block's post."""
    out = np.zeros((len(blocks), len(RETELLING_FEATURES)))
    for post in post_slices(blocks):
        prose = [b.text if len(b.text.split()) >= _PROSE_WORDS else "" for b in blocks[post]]
        out[post, 0], out[post, 1] = _seen_and_recalled([content_words(text) for text in prose])
        out[post, 2], out[post, 3] = _seen_and_recalled([entities(text) for text in prose])
    return out


def _seen_and_recalled(sets: list[frozenset[str]]) -> tuple[np.ndarray, np.ndarray]:
    """For each position i: the share of the items from i on that occur before i, and
    the share of the items before i that occur again from i on (0 when none)."""
    n = len(sets)
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for i, items in enumerate(sets):
        for item in items:
            first.setdefault(item, i)
            last[item] = i
    # an item is seen before i and again from i on when first < i <= last
    before = np.r_[0, np.bincount(list(first.values()), minlength=n).cumsum()[:-1]]  # first < i
    gone = np.r_[0, np.bincount(list(last.values()), minlength=n).cumsum()[:-1]]  # last < i
    spanning = before - gone
    rest = len(first) - gone  # last >= i
    return spanning / np.maximum(rest, 1), spanning / np.maximum(before, 1)
