"""Extraction: Page -> list of Block (main text with its block structure).

    html.py      HTML through trafilatura, one extraction per post on archive pages
    archive.py   finding the posts of an archive page
    headline.py  an article's title, its own headline and its date
    items.py     an aggregator's items (cards, a list of stories) as posts
    markup.py    defusing hostile markup before and after parsing
    plain.py     plain text split into paragraphs and posts by its layout
    posts.py     posts found by their content (a title after a closing line)
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from detector.types import Block, Page

from .archive import find_posts
from .html import TRAFILATURA_OPTIONS, body_blocks, fallback_blocks, html_document
from .markup import MAX_BLOCK_CHARS, MAX_BLOCKS, MAX_TREE_ELEMENTS
from .plain import text_blocks
from .posts import split_posts

__all__ = [
    "MAX_BLOCKS",
    "MAX_BLOCK_CHARS",
    "MAX_TREE_ELEMENTS",
    "TRAFILATURA_OPTIONS",
    "Extraction",
    "body_blocks",
    "extract_blocks",
    "extract_page",
    "fallback_blocks",
    "find_posts",
    "text_blocks",
]


@dataclass(frozen=True)
class Extraction:
    """A page's blocks, and what the caps cut from it ("blocks after the first 3,000
    dropped", "2 blocks cut at 20,000 characters"); empty when nothing was cut."""

    blocks: list[Block]
    truncated: tuple[str, ...] = ()
    title: str | None = None  # HTML pages: see `html.HtmlDocument`
    date: str | None = None


def extract_blocks(page: Page, *, max_blocks: int = MAX_BLOCKS,
                   max_block_chars: int = MAX_BLOCK_CHARS) -> list[Block]:
    """The page's main text as blocks numbered in page order (see `extract_page`)."""
    return extract_page(page, max_blocks=max_blocks, max_block_chars=max_block_chars).blocks


def extract_page(page: Page, *, max_blocks: int = MAX_BLOCKS, max_block_chars: int = MAX_BLOCK_CHARS) -> Extraction:
    """The page's main text as blocks numbered in page order, and what was cut.

    An HTML page where trafilatura finds no main text gives [] (its own
    fallbacks already ran); a tree too big for it gets fallback_blocks.
    Blocks past max_blocks are dropped, text past max_block_chars is cut.
    """
    if page.is_html:
        document = html_document(page)
        found, title, date = document.blocks, document.title, document.date
    else:
        found, title, date = text_blocks(page.content), None, None
    raw = split_posts(found, plain_text=not page.is_html)
    blocks: list[Block] = []
    cut = 0
    for block in raw[:max_blocks]:
        # >=: an overlong text node was already cut to exactly max_block_chars before extraction
        cut += len(block.text) >= max_block_chars
        blocks.append(replace(block, text=_cut(block.text, max_block_chars), index=len(blocks)))
    truncated = []
    if len(raw) > max_blocks:
        truncated.append(f"{len(raw) - max_blocks:,} blocks after the first {max_blocks:,} dropped")
    if cut:
        truncated.append(f"{cut:,} block(s) cut at {max_block_chars:,} characters")
    return Extraction(blocks, tuple(truncated), title, date)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    space = text.rfind(" ", limit // 2, limit)
    return text[: space if space > 0 else limit]
