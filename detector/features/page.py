"""A page read once for its features: each block's tokens, and where each content word,
entity and full name occurs, as arrays over the whole page.

Features that compare a block with the rest of its post (is this word new here? which
earlier blocks does it echo? does it retell the lead?) become array operations over
these occurrences instead of set operations block by block: an occurrence is a
(block, item) pair, unique per block, in block order, and an item's key includes its
post, so one pass serves every post of the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from detector.text import is_tag_block
from detector.types import Block, BlockKind, post_slices

from .lexicon import FULL_NAME, WORD, content_word_list, entity_list

LEAD_BLOCKS = 2  # the lead: the first non-heading blocks of a post, which a retelling covers again


@dataclass(frozen=True)
class Occurrences:
    """Items (content words, entities or names) occurring in blocks, once per block each."""

    block: np.ndarray  # block index of each occurrence, ascending
    key: np.ndarray  # post * n_items + item: the same item in another post is another key
    n_blocks: int

    @classmethod
    def of(cls, items_per_block: Sequence[Iterable[str]], post_of: np.ndarray) -> Occurrences:
        ids: dict[str, int] = {}
        blocks: list[int] = []
        items: list[int] = []
        for number, found in enumerate(items_per_block):
            for item in dict.fromkeys(found):
                blocks.append(number)
                items.append(ids.setdefault(item, len(ids)))
        block = np.asarray(blocks, dtype=np.int64)
        key = post_of[block] * max(len(ids), 1) + np.asarray(items, dtype=np.int64)
        return cls(block, key, len(items_per_block))

    def per_block(self, mask: np.ndarray | None = None) -> np.ndarray:
        """How many (masked) occurrences each block holds."""
        return np.bincount(self.block, weights=None if mask is None else mask.astype(np.float64),
                           minlength=self.n_blocks).astype(np.float64)

    @cached_property
    def first(self) -> np.ndarray:
        """Whether an occurrence is its key's first in the post."""
        out = np.zeros(len(self.key), dtype=bool)
        out[np.unique(self.key, return_index=True)[1]] = True
        return out

    def within(self, rows: np.ndarray) -> Occurrences:
        """Only the occurrences in the given blocks (a boolean mask over blocks)."""
        keep = rows[self.block]
        return Occurrences(self.block[keep], self.key[keep], self.n_blocks)

    def in_blocks(self, rows: np.ndarray) -> np.ndarray:
        """Whether each occurrence's key also occurs in one of the given blocks (a mask)."""
        return np.isin(self.key, self.key[rows[self.block]])


@dataclass(frozen=True)
class PageText:
    """What the features read of a page's blocks, computed once."""

    blocks: Sequence[Block]

    @cached_property
    def posts(self) -> list[slice]:
        return post_slices(self.blocks)

    @cached_property
    def post_of(self) -> np.ndarray:
        out = np.zeros(len(self.blocks), dtype=np.int64)
        for number, rows in enumerate(self.posts):
            out[rows] = number
        return out

    @cached_property
    def index_in_post(self) -> np.ndarray:
        """A block's position in its post (0 for a post's first block)."""
        starts = np.array([rows.start for rows in self.posts], dtype=np.int64)
        return np.arange(len(self.blocks)) - starts[self.post_of]

    @cached_property
    def post_size(self) -> np.ndarray:
        sizes = np.array([rows.stop - rows.start for rows in self.posts], dtype=np.int64)
        return sizes[self.post_of]

    @cached_property
    def texts(self) -> list[str]:
        return [b.text for b in self.blocks]

    @cached_property
    def tokens(self) -> list[list[str]]:
        """Whitespace tokens of each block."""
        return [text.split() for text in self.texts]

    @cached_property
    def n_words(self) -> np.ndarray:
        """Token count of each block, at least 1 (a divisor)."""
        return np.maximum(np.array([len(t) for t in self.tokens], dtype=np.float64), 1.0)

    @cached_property
    def lowered(self) -> list[list[str]]:
        """Word tokens of each block, lowercased."""
        return [WORD.findall(text.lower()) for text in self.texts]

    @cached_property
    def tag_blocks(self) -> np.ndarray:
        """Tag headers, inline tag lines and hashtag lines, by their own form."""
        return np.array([is_tag_block(text) for text in self.texts], dtype=bool)

    @cached_property
    def is_heading(self) -> np.ndarray:
        return np.array([b.kind is BlockKind.HEADING for b in self.blocks], dtype=bool)

    @cached_property
    def words(self) -> Occurrences:
        return Occurrences.of([content_word_list(w) for w in self.lowered], self.post_of)

    @cached_property
    def entities(self) -> Occurrences:
        return Occurrences.of([entity_list(t) for t in self.tokens], self.post_of)

    @cached_property
    def names(self) -> Occurrences:
        return Occurrences.of([FULL_NAME.findall(text) for text in self.texts], self.post_of)

    @cached_property
    def headline_rows(self) -> np.ndarray:
        """Each post's first heading (a mask over blocks)."""
        out = np.zeros(len(self.blocks), dtype=bool)
        for rows in self.posts:
            headings = np.flatnonzero(self.is_heading[rows])
            if len(headings):
                out[rows.start + headings[0]] = True
        return out

    @cached_property
    def lead_rows(self) -> np.ndarray:
        """Each post's lead: its first LEAD_BLOCKS non-heading blocks (a mask over blocks)."""
        out = np.zeros(len(self.blocks), dtype=bool)
        for rows in self.posts:
            prose = np.flatnonzero(~self.is_heading[rows])[:LEAD_BLOCKS]
            out[rows.start + prose] = True
        return out

    def per_post(self, values: np.ndarray) -> np.ndarray:
        """Each block's post total of a per-block value."""
        return np.bincount(self.post_of, weights=values, minlength=len(self.posts))[self.post_of]


def as_page(blocks: Sequence[Block] | PageText) -> PageText:
    """A page's blocks read once (a `PageText` is taken as it is)."""
    return blocks if isinstance(blocks, PageText) else PageText(blocks)
