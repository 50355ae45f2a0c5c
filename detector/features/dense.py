"""Dense block features: the signals a style model lacks (novelty against earlier
blocks, entities, digits, position in the post, whether tags follow).

Each feature is a small function registered under its name, in column order;
`DENSE_FEATURES` is the list of those names, so a name and its computation sit
side by side and cannot drift apart. A feature reads a `BlockView`: the block,
where it sits in its post, and what its post holds (computed once per post).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from detector.text import LIST_MARKER, SENTENCE_END
from detector.types import Block, BlockKind, post_slices

from .lexicon import DIGIT, FULL_NAME, STOCK_COMMENTARY, WORD, content_words, entities

# How many earlier blocks a block's echoes are looked for in. Posts longer than
# this (live blogs, pathological pages) would otherwise cost quadratic time.
ECHO_WINDOW = 40
# An earlier block "echoes" a block when it holds at least this share of the
# block's content words (and at least two of them).
ECHO_SHARE = 0.25
MAX_CHARS_PER_WORD = 30.0  # a URL or a run of glued words is not a longer word
LEAD_BLOCKS = 2  # the lead: the first non-heading blocks, which a retelling covers again
NOTHING_TO_COMPARE = 0.5  # novelty of a block with no words (or names) of its own
# Tag headers and hashtag lines close a post: what sits before them may be an appendix.
TAG_HEADERS = frozenset({"tags", "tag", "tagged", "keywords", "related tags"})
HASHTAG_LINE_SHARE = 0.5

_NUMBER_TOKEN = re.compile(r"\S*\d\S*")  # a whitespace-delimited token holding a digit
_QUOTES = re.compile(r"[\"“”«»]")


@dataclass(frozen=True)
class PostView:
    """What the features of a block may read about its post, per block of the post."""

    blocks: Sequence[Block]
    words: list[frozenset[str]]  # content words
    entities: list[frozenset[str]]
    names: list[set[str]]  # full names ("Ruth Calder")
    lowered: list[list[str]]  # word tokens, lowercased
    headline: frozenset[str]  # content words of the post's first heading
    lead_rows: list[int]
    lead: frozenset[str]  # content words of the lead
    anchor_after: list[bool]  # a tag header or hashtag line follows the block

    @classmethod
    def of(cls, post: Sequence[Block]) -> PostView:
        words = [content_words(b.text) for b in post]
        lead_rows = [i for i, b in enumerate(post) if b.kind is not BlockKind.HEADING][:LEAD_BLOCKS]
        anchors = [_is_tail_anchor(b.text) for b in post]
        anchor_after = [False] * len(post)
        for i in range(len(post) - 2, -1, -1):
            anchor_after[i] = anchor_after[i + 1] or anchors[i + 1]
        return cls(
            blocks=post,
            words=words,
            entities=[entities(b.text) for b in post],
            names=[set(FULL_NAME.findall(b.text)) for b in post],
            lowered=[WORD.findall(b.text.lower()) for b in post],
            headline=next((words[i] for i, b in enumerate(post) if b.kind is BlockKind.HEADING), frozenset()),
            lead_rows=lead_rows,
            lead=frozenset().union(*(words[i] for i in lead_rows)),
            anchor_after=anchor_after,
        )


@dataclass(frozen=True)
class BlockView:
    """One block as its features see it: its text, its place in the post, and what the
    blocks before it said (the `seen_*` sets are the post's running sets, read before
    this block's words join them)."""

    post: PostView
    i: int
    tokens: list[str]
    seen_words: set[str]
    seen_entities: set[str]
    seen_names: set[str]

    @property
    def block(self) -> Block:
        return self.post.blocks[self.i]

    @property
    def text(self) -> str:
        return self.block.text

    @property
    def n_words(self) -> int:
        return max(len(self.tokens), 1)

    @property
    def n(self) -> int:
        return len(self.post.blocks)

    @property
    def words(self) -> frozenset[str]:
        return self.post.words[self.i]


DenseFeature = Callable[[BlockView], float]
_FEATURES: dict[str, DenseFeature] = {}


def _feature(name: str) -> Callable[[DenseFeature], DenseFeature]:
    """Register a dense feature; registration order is column order (the model's)."""

    def register(function: DenseFeature) -> DenseFeature:
        _FEATURES[name] = function
        return function

    return register


def _flag(condition: object) -> float:
    return 1.0 if condition else 0.0


def _share_new(items: frozenset[str], seen: set[str]) -> float:
    if not items:
        return NOTHING_TO_COMPARE
    return len(items - seen) / len(items)


def _is_tail_anchor(text: str) -> bool:
    tokens = text.split()
    hashtags = sum(t.startswith("#") for t in tokens)
    return text.strip().lower().rstrip(":") in TAG_HEADERS or (
        len(tokens) > 0 and hashtags / len(tokens) >= HASHTAG_LINE_SHARE
    )


@_feature("log_words")
def _log_words(b: BlockView) -> float:
    return math.log1p(len(b.tokens))


@_feature("chars_per_word")
def _chars_per_word(b: BlockView) -> float:
    return min(len(b.text) / b.n_words, MAX_CHARS_PER_WORD)


@_feature("digit_share")
def _digit_share(b: BlockView) -> float:
    return len(DIGIT.findall(b.text)) / max(len(b.text), 1)


@_feature("number_share")
def _number_share(b: BlockView) -> float:
    return len(_NUMBER_TOKEN.findall(b.text)) / b.n_words


@_feature("has_quote")
def _has_quote(b: BlockView) -> float:
    return _flag(_QUOTES.search(b.text))


@_feature("entity_share")
def _entity_share(b: BlockView) -> float:
    return len(b.post.entities[b.i]) / b.n_words


@_feature("hashtag_share")
def _hashtag_share(b: BlockView) -> float:
    return sum(t.startswith("#") for t in b.tokens) / b.n_words


@_feature("comma_share")
def _comma_share(b: BlockView) -> float:
    return b.text.count(",") / b.n_words


@_feature("list_marker")
def _list_marker(b: BlockView) -> float:
    return _flag(LIST_MARKER.match(b.text))


@_feature("ends_sentence")
def _ends_sentence(b: BlockView) -> float:
    return _flag(SENTENCE_END.search(b.text[-3:] + " "))


@_feature("sentences")
def _sentences(b: BlockView) -> float:
    return math.log1p(len(SENTENCE_END.findall(b.text + " ")))


@_feature("is_heading")
def _is_heading(b: BlockView) -> float:
    return _flag(b.block.kind is BlockKind.HEADING)


@_feature("is_list_item")
def _is_list_item(b: BlockView) -> float:
    return _flag(b.block.kind is BlockKind.LIST_ITEM)


@_feature("relative_position")
def _relative_position(b: BlockView) -> float:
    return b.i / (b.n - 1) if b.n > 1 else 0.0


@_feature("blocks_to_end")
def _blocks_to_end(b: BlockView) -> float:
    return math.log1p(b.n - 1 - b.i)


@_feature("word_novelty")
def _word_novelty(b: BlockView) -> float:
    return _share_new(b.words, b.seen_words)


@_feature("entity_novelty")
def _entity_novelty(b: BlockView) -> float:
    return _share_new(b.post.entities[b.i], b.seen_entities)


@_feature("echo_spread")
def _echo_spread(b: BlockView) -> float:
    """Share of the earlier blocks (the last ECHO_WINDOW with words) this block echoes."""
    earlier = [w for w in b.post.words[max(0, b.i - ECHO_WINDOW) : b.i] if w]
    if not earlier:
        return 0.0
    floor = max(2, ECHO_SHARE * len(b.words))
    return sum(len(b.words & w) >= floor for w in earlier) / len(earlier)


@_feature("headline_overlap")
def _headline_overlap(b: BlockView) -> float:
    headline = b.post.headline
    return len(b.words & headline) / len(headline) if headline and b.i > 0 else 0.0


@_feature("lead_overlap")
def _lead_overlap(b: BlockView) -> float:
    lead = b.post.lead
    return len(b.words & lead) / len(lead) if lead and b.i not in b.post.lead_rows else 0.0


@_feature("reintroduced_names")
def _reintroduced_names(b: BlockView) -> float:
    # news names a person in full once, then by surname; a retelling names them in full again
    return len(b.post.names[b.i] & b.seen_names)


@_feature("tail_anchor_after")
def _tail_anchor_after(b: BlockView) -> float:
    return _flag(b.post.anchor_after[b.i])


@_feature("post_blocks")
def _post_blocks(b: BlockView) -> float:
    return math.log1p(b.n)


@_feature("stock_commentary_share")
def _stock_commentary_share(b: BlockView) -> float:
    return sum(w in STOCK_COMMENTARY for w in b.post.lowered[b.i]) / b.n_words


DENSE_FEATURES: tuple[str, ...] = tuple(_FEATURES)


def dense_features(blocks: Sequence[Block]) -> np.ndarray:
    """One row of `DENSE_FEATURES` per block; context is the block's post."""
    out = np.zeros((len(blocks), len(DENSE_FEATURES)), dtype=np.float64)
    functions = tuple(_FEATURES.values())
    for rows in post_slices(blocks):
        post = PostView.of(blocks[rows])
        seen_words: set[str] = set()
        seen_entities: set[str] = set()
        seen_names: set[str] = set()
        for i in range(len(post.blocks)):
            view = BlockView(post, i, post.blocks[i].text.split(), seen_words, seen_entities, seen_names)
            out[rows.start + i] = [feature(view) for feature in functions]
            seen_words |= post.words[i]
            seen_entities |= post.entities[i]
            seen_names |= post.names[i]
    return out
