"""Posts found by their content where the markup does not say so.

Extraction numbers posts where the page marks them (<article> elements, bulleted
titles in text). Many archive and aggregator pages mark them only by what is written:
a title after a line that closes the previous post ("Read more »", "Continue
reading", "Source: ...", a tag list or a hashtag line). Such a title starts a new
post here, so that each post, and each item of an aggregator page, is decoded on its
own: an aside after one item may go, and no change point can cut off later items.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from detector.text import SEPARATOR, closes_post
from detector.types import Block, BlockKind

# A title starts a post only when prose follows it: one of the next blocks this long.
MIN_BODY_WORDS = 12
_BODY_LOOKAHEAD = 2


def split_posts(blocks: Sequence[Block], plain_text: bool = True) -> list[Block]:
    """Blocks with post numbers: pages where extraction found posts keep them; on the
    others a heading that follows a closing line (since the current post began, and
    with prose after it) starts a new post. In plain text, credit lines ("Source: ...")
    close posts too (in HTML they sit under figures). After a tag block (or, in plain
    text, a credit line), which ends a whole post, a paragraph of prose starts one even
    untitled; after a "Read more" link it may be an aggregator item's aside, which
    stays with its item."""
    if len({block.post for block in blocks}) > 1:
        return list(blocks)
    out, post, closed, ended, started = [], 0, False, False, False
    for i, block in enumerate(blocks):
        if closed and _starts_post(blocks, i, untitled=ended):
            post, closed, ended = post + 1, False, False
        elif started and closes_post(block.text, credits=plain_text):
            closed = True
            ended = ended or not SEPARATOR.match(block.text.strip())
        started = started or block.kind is not BlockKind.HEADING
        out.append(replace(block, post=post))
    return out


def _starts_post(blocks: Sequence[Block], i: int, untitled: bool) -> bool:
    block = blocks[i]
    if block.kind is BlockKind.HEADING:
        return _prose_follows(blocks, i)
    return untitled and len(block.text.split()) >= MIN_BODY_WORDS and not closes_post(block.text)


def _prose_follows(blocks: Sequence[Block], i: int) -> bool:
    return any(len(b.text.split()) >= MIN_BODY_WORDS for b in blocks[i + 1 : i + 1 + _BODY_LOOKAHEAD])
