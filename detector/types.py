"""The small declared types that flow between the stages.

page (html or text) -> Block list -> segmented, labelled BlockResult list -> PageResult
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum


class Label(str, Enum):
    """What a block is. The order is the model's class order."""

    REPORTING = "reporting"
    FILLER = "filler"
    HASHTAG_SPAM = "hashtag_spam"
    BOILERPLATE = "boilerplate"

    def __str__(self) -> str:
        return self.value

    @property
    def column(self) -> int:
        """This label's column in probability arrays and label-index paths."""
        return LABEL_INDEX[self]


LABELS: tuple[Label, ...] = tuple(Label)
LABEL_INDEX: dict[Label, int] = {label: column for column, label in enumerate(LABELS)}


class BlockKind(str, Enum):
    """The structural role extraction gave a block."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    QUOTE = "quote"
    TABLE = "table"

    def __str__(self) -> str:
        return self.value


class Segment(str, Enum):
    """Where the segmenter put a block inside its post."""

    BODY = "body"
    APPENDIX = "appendix"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Block:
    """One unit of main text: a paragraph, a heading, a list item.

    `index` is the block's position in the page, `post` the number of the post
    (0 on single-article pages) it belongs to.
    """

    text: str
    kind: BlockKind = BlockKind.PARAGRAPH
    index: int = 0
    post: int = 0


def post_slices(blocks: Sequence[Block]) -> list[slice]:
    """Each post's rows, in page order: a post is a contiguous run of one post id.

    Every stage groups blocks into posts through this function (features, the
    segmenter, training). A post id that comes back after another post began is
    refused with a ValueError rather than read either as one post or as two.
    """
    slices: list[slice] = []
    ended: dict[int, int] = {}  # post id -> its first block
    start = 0
    for end in range(1, len(blocks) + 1):
        if end < len(blocks) and blocks[end].post == blocks[start].post:
            continue
        post = blocks[start].post
        if post in ended:
            raise ValueError(
                f"block {start} is in post {post}, which began at block {ended[post]} and was followed "
                f"by another post: the blocks of a post must be contiguous"
            )
        ended[post] = start
        slices.append(slice(start, end))
        start = end
    return slices


@dataclass(frozen=True)
class Page:
    """Raw input before extraction: HTML or already-extracted text."""

    name: str
    content: str
    is_html: bool


@dataclass(frozen=True)
class BlockResult:
    """A block with its label, the label probabilities and its segment."""

    block: Block
    label: Label
    probabilities: dict[str, float]
    segment: Segment
    reason: str | None = None  # why the block was dropped; None when kept

    @property
    def kept(self) -> bool:
        return self.label is Label.REPORTING


@dataclass(frozen=True)
class PageResult:
    """The cleaned page: every block with its verdict, and the kept text."""

    source: str
    blocks: tuple[BlockResult, ...] = field(default_factory=tuple)
    truncated: tuple[str, ...] = ()  # what the caps cut (3,000 blocks, 20,000 characters a block)
    url: str | None = None  # the page's address, when the caller or a WARC record gave it
    title: str | None = None  # found by extraction (HTML pages)
    date: str | None = None  # the publication date its meta tags or <time> give (HTML article pages)
    http_status: int | None = None  # a WARC record's HTTP status
    model_version: str | None = None  # which model labelled it (`Detector.model_version`)
    # Why the page was passed through (a language the model cannot read): its filler and
    # boilerplate verdicts were not acted on. None when the model read it.
    passed_through: str | None = None

    @property
    def empty(self) -> bool:
        """Whether nothing was kept (no main text found, or every block dropped)."""
        return not any(r.kept for r in self.blocks)

    @property
    def text(self) -> str:
        """Reporting blocks in order, a blank line between blocks."""
        return "\n\n".join(r.block.text for r in self.blocks if r.kept)

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "date": self.date,
            "http_status": self.http_status,
            "model_version": self.model_version,
            "passed_through": self.passed_through,
            "empty": self.empty,
            "truncated": list(self.truncated),
            "text": self.text,
            "blocks": [
                {
                    "index": r.block.index,
                    "post": r.block.post,
                    "kind": str(r.block.kind),
                    "text": r.block.text,
                    "label": str(r.label),
                    "probabilities": r.probabilities,
                    "segment": str(r.segment),
                    "kept": r.kept,
                    "reason": r.reason,
                }
                for r in self.blocks
            ],
        }
