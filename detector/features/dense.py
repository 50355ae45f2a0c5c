"""Dense block features: the signals a style model lacks (novelty against earlier
blocks, entities, digits, position in the post, whether tags follow, a block's own
form as a tag list or a separator).

Each feature is a small function registered under its name, in column order;
`DENSE_FEATURES` is the list of those names, so a name and its computation sit side
by side and cannot drift apart. A feature reads a `PageText` (the page read once) and
returns one value per block, computed over the whole page at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from detector.text import CREDIT, LIST_MARKER, SENTENCE_END, SEPARATOR, TAG_HEADER
from detector.types import Block, BlockKind

from .lexicon import DIGIT, STOCK_COMMENTARY
from .page import Occurrences, PageText, as_page

# How many earlier blocks a block's echoes are looked for in. Posts longer than
# this (live blogs, pathological pages) would otherwise cost quadratic time.
ECHO_WINDOW = 40
# An earlier block "echoes" a block when it holds at least this share of the
# block's content words (and at least two of them).
ECHO_SHARE = 0.25
ECHO_MIN_WORDS = 2
MAX_CHARS_PER_WORD = 30.0  # a URL or a run of glued words is not a longer word
NOTHING_TO_COMPARE = 0.5  # novelty of a block with no words (or names) of its own
# A tag list: the short lines after a tag header, up to the first line of prose.
TAG_ITEM_MAX_WORDS = 8
# Tags closing a page within this many blocks, whatever the posts (post splitting can fail).
TAGS_AHEAD = 12
SHORT_WORDS = 4  # a short line: a tag, a menu entry, a button
NEIGHBOURHOOD = 3  # blocks on either side whose shortness is counted

_QUOTES = re.compile(r"[\"“”«»]")

DenseFeature = Callable[[PageText], np.ndarray]
_FEATURES: dict[str, DenseFeature] = {}


def _feature(name: str) -> Callable[[DenseFeature], DenseFeature]:
    """Register a dense feature; registration order is column order (the model's)."""

    def register(function: DenseFeature) -> DenseFeature:
        _FEATURES[name] = function
        return function

    return register


def _per_text(page: PageText, value: Callable[[str], float]) -> np.ndarray:
    return np.fromiter((value(text) for text in page.texts), dtype=np.float64, count=len(page.texts))


def _flags(values: Sequence[object]) -> np.ndarray:
    return np.fromiter((1.0 if v else 0.0 for v in values), dtype=np.float64, count=len(values))


def _share_new(items: Occurrences) -> np.ndarray:
    """Share of each block's items not seen earlier in its post (NOTHING_TO_COMPARE for none)."""
    total = items.per_block()
    new = items.per_block(items.first)
    return np.where(total > 0, new / np.maximum(total, 1), NOTHING_TO_COMPARE)


def _overlap_with(page: PageText, rows: np.ndarray) -> np.ndarray:
    """Share of the post's `rows` words (a headline, a lead) each block holds; 0 where
    the post has none."""
    words = page.words
    in_rows = words.within(rows)
    _, first = np.unique(in_rows.key, return_index=True)
    size = np.bincount(page.post_of[in_rows.block[first]], minlength=len(page.posts))[page.post_of]
    shared = words.per_block(words.in_blocks(rows))
    return np.where(size > 0, shared / np.maximum(size, 1), 0.0)


@_feature("log_words")
def _log_words(page: PageText) -> np.ndarray:
    return np.log1p(np.array([len(t) for t in page.tokens], dtype=np.float64))


@_feature("chars_per_word")
def _chars_per_word(page: PageText) -> np.ndarray:
    return np.minimum(_per_text(page, len) / page.n_words, MAX_CHARS_PER_WORD)


@_feature("digit_share")
def _digit_share(page: PageText) -> np.ndarray:
    return _per_text(page, lambda t: len(DIGIT.findall(t)) / max(len(t), 1))


@_feature("number_share")
def _number_share(page: PageText) -> np.ndarray:
    """Share of tokens holding a digit (most blocks hold none: their tokens are not looked at)."""
    counts = [sum(1 for t in tokens if DIGIT.search(t)) if DIGIT.search(text) else 0
              for text, tokens in zip(page.texts, page.tokens)]
    return np.array(counts, dtype=np.float64) / page.n_words


@_feature("has_quote")
def _has_quote(page: PageText) -> np.ndarray:
    return _flags([_QUOTES.search(t) for t in page.texts])


@_feature("entity_share")
def _entity_share(page: PageText) -> np.ndarray:
    return page.entities.per_block() / page.n_words


@_feature("hashtag_share")
def _hashtag_share(page: PageText) -> np.ndarray:
    counts = [sum(t.startswith("#") for t in tokens) if "#" in text else 0
              for text, tokens in zip(page.texts, page.tokens)]
    return np.array(counts, dtype=np.float64) / page.n_words


@_feature("comma_share")
def _comma_share(page: PageText) -> np.ndarray:
    return _per_text(page, lambda t: t.count(",")) / page.n_words


@_feature("list_marker")
def _list_marker(page: PageText) -> np.ndarray:
    return _flags([LIST_MARKER.match(t) for t in page.texts])


@_feature("ends_sentence")
def _ends_sentence(page: PageText) -> np.ndarray:
    return _flags([SENTENCE_END.search(t[-3:] + " ") for t in page.texts])


@_feature("sentences")
def _sentences(page: PageText) -> np.ndarray:
    return np.log1p(_per_text(page, lambda t: len(SENTENCE_END.findall(t + " "))))


@_feature("is_heading")
def _is_heading(page: PageText) -> np.ndarray:
    return page.is_heading.astype(np.float64)


@_feature("is_list_item")
def _is_list_item(page: PageText) -> np.ndarray:
    return _flags([b.kind is BlockKind.LIST_ITEM for b in page.blocks])


@_feature("relative_position")
def _relative_position(page: PageText) -> np.ndarray:
    return np.where(page.post_size > 1, page.index_in_post / np.maximum(page.post_size - 1, 1), 0.0)


@_feature("blocks_to_end")
def _blocks_to_end(page: PageText) -> np.ndarray:
    return np.log1p(page.post_size - 1 - page.index_in_post)


@_feature("word_novelty")
def _word_novelty(page: PageText) -> np.ndarray:
    return _share_new(page.words)


@_feature("entity_novelty")
def _entity_novelty(page: PageText) -> np.ndarray:
    return _share_new(page.entities)


@_feature("echo_spread")
def _echo_spread(page: PageText) -> np.ndarray:
    """Share of the earlier blocks of the post (the last ECHO_WINDOW with words) that
    hold a fair share of this block's content words."""
    words = page.words
    n = len(page.blocks)
    order = np.lexsort((words.block, words.key))  # by key, then block
    key, block = words.key[order], words.block[order]
    later, earlier = [], []
    for lag in range(1, len(key)):  # pairs of occurrences of one key, lag apart in that order
        same_key = key[lag:] == key[:-lag]
        if not same_key.any():  # no key occurs lag + 1 times
            break
        same = same_key & (block[lag:] - block[:-lag] <= ECHO_WINDOW)
        later.append(block[lag:][same])
        earlier.append(block[:-lag][same])
    own = words.per_block()
    floor = np.maximum(ECHO_MIN_WORDS, ECHO_SHARE * own)
    echoes = np.zeros(n)
    if later:
        pairs, shared = np.unique(np.concatenate(later) * n + np.concatenate(earlier), return_counts=True)
        target = pairs // n
        np.add.at(echoes, target, shared >= floor[target])
    # earlier blocks with words in the window, within the post
    has_words = (own > 0).astype(np.int64)
    cumulative = np.concatenate([[0], np.cumsum(has_words)])
    start = np.maximum(np.arange(n) - ECHO_WINDOW, np.arange(n) - page.index_in_post)
    candidates = cumulative[np.arange(n)] - cumulative[start]
    return np.where(candidates > 0, echoes / np.maximum(candidates, 1), 0.0)


@_feature("headline_overlap")
def _headline_overlap(page: PageText) -> np.ndarray:
    return np.where(page.index_in_post > 0, _overlap_with(page, page.headline_rows), 0.0)


@_feature("lead_overlap")
def _lead_overlap(page: PageText) -> np.ndarray:
    return np.where(page.lead_rows, 0.0, _overlap_with(page, page.lead_rows))


@_feature("reintroduced_names")
def _reintroduced_names(page: PageText) -> np.ndarray:
    # news names a person in full once, then by surname; a retelling names them in full again
    names = page.names
    return names.per_block(~names.first)


@_feature("tail_anchor_after")
def _tail_anchor_after(page: PageText) -> np.ndarray:
    """A tag block follows the block in its post."""
    tags = page.tag_blocks.astype(np.float64)
    out = np.zeros(len(page.blocks))
    for rows in page.posts:
        after = np.cumsum(tags[rows][::-1])[::-1]  # tag blocks from here to the post's end
        out[rows] = (after - tags[rows]) > 0
    return out


@_feature("post_blocks")
def _post_blocks(page: PageText) -> np.ndarray:
    return np.log1p(page.post_size.astype(np.float64))


@_feature("stock_commentary_share")
def _stock_commentary_share(page: PageText) -> np.ndarray:
    counts = [sum(w in STOCK_COMMENTARY for w in words) for words in page.lowered]
    return np.array(counts, dtype=np.float64) / page.n_words


@_feature("tag_form")
def _tag_form(page: PageText) -> np.ndarray:
    """The block is a tag header, an inline tag line or a hashtag line, by its own form."""
    return page.tag_blocks.astype(np.float64)


@_feature("in_tag_list")
def _in_tag_list(page: PageText) -> np.ndarray:
    """The block is an item of the list after a tag header: a short list item or numbered
    line, in page order whatever the posts (a "Share" after the list is not one)."""
    out = np.zeros(len(page.blocks))
    active = False
    for i, (block, tokens) in enumerate(zip(page.blocks, page.tokens)):
        text = block.text
        if TAG_HEADER.match(text.strip()):
            active = True
        elif (active and len(tokens) <= TAG_ITEM_MAX_WORDS and not SENTENCE_END.search(text[-3:] + " ")
              and (block.kind is BlockKind.LIST_ITEM or LIST_MARKER.match(text))):
            out[i] = 1.0
        else:
            active = False
    return out


@_feature("separator_line")
def _separator_line(page: PageText) -> np.ndarray:
    """A link line closing a post ("Read more »"), or a credit ("Source: ...")."""
    return _flags([SEPARATOR.match(t.strip()) or CREDIT.match(t.strip()) for t in page.texts])


@_feature("tags_ahead")
def _tags_ahead(page: PageText) -> np.ndarray:
    """A tag block within the next TAGS_AHEAD blocks of the page, whatever the posts."""
    tags = np.concatenate([page.tag_blocks.astype(np.float64), np.zeros(TAGS_AHEAD)])
    cumulative = np.concatenate([[0.0], np.cumsum(tags)])
    n = len(page.blocks)
    ahead = cumulative[np.arange(n) + 1 + TAGS_AHEAD] - cumulative[np.arange(n) + 1]
    return (ahead > 0).astype(np.float64)


@_feature("short_neighbours")
def _short_neighbours(page: PageText) -> np.ndarray:
    """Share of the blocks around this one (NEIGHBOURHOOD on each side) that are short lines."""
    n = len(page.blocks)
    short = np.array([len(t) <= SHORT_WORDS for t in page.tokens], dtype=np.float64)
    padded = np.concatenate([[0.0], np.cumsum(short)])
    low = np.maximum(np.arange(n) - NEIGHBOURHOOD, 0)
    high = np.minimum(np.arange(n) + NEIGHBOURHOOD + 1, n)
    around = padded[high] - padded[low] - short
    return around / np.maximum(high - low - 1, 1)


DENSE_FEATURES: tuple[str, ...] = tuple(_FEATURES)


def dense_features(blocks: Sequence[Block] | PageText) -> np.ndarray:
    """One row of `DENSE_FEATURES` per block; context is the block's post (or the page)."""
    page = as_page(blocks)
    if not page.blocks:
        return np.zeros((0, len(DENSE_FEATURES)))
    return np.column_stack([feature(page) for feature in _FEATURES.values()])
