"""HTML -> blocks: trafilatura's main text with its block structure (headings,
paragraphs, list items, quotes, tables); one extraction per post on archive pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import islice
from typing import Any

from detector.errors import InputError
from detector.text import squash_space
from detector.types import Block, BlockKind, Page

from .archive import MIN_POSTS, find_posts, post_heading
from .headline import page_date, page_headline, page_title, title_element
from .items import split_items
from .markup import MAX_BLOCKS, tame_markup, tame_tree
from .plain import is_bullet, line_block


# trafilatura options, measured with extract_blocks on the 624 gold pages of
# data/html (trafilatura-eval-en + wceb2026-articles; 2,518 "with" snippets
# that must be kept, 2,734 "without" snippets that must not), share found:
#                    with   without   (per-page means: with / without)
#   default          0.897  0.061     0.904 / 0.068
#   favor_recall     0.897  0.065     0.904 / 0.074
#   favor_precision  0.878  0.046     0.886 / 0.053
# favor_recall keeps no more main text here (this trafilatura already retries
# for recall) and lets more boilerplate in; favor_precision loses 1.9 points
# of main text, which no later stage can bring back. So: the defaults, with no
# metadata (`headline.py` reads the three things used) and, first, no fallback
# extractors (see FALLBACK_BELOW_SHARE).
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "favor_recall": False,
    "favor_precision": False,
    "include_comments": False,  # reader comments are not main text
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "with_metadata": False,
    "fast": True,  # no readability/jusText comparison; see FALLBACK_BELOW_SHARE
}
# trafilatura's fallback extractors (its readability port, then jusText) compare their
# text with its own on every page, at about a third of its time. They matter where its
# own extraction misses most of the article, so they run only where its text is under
# this share of the page's paragraph (<p>) text. Measured on the 621 scored gold pages
# (extract_blocks, every block kept, 4-gram F1): always 0.9346, never 0.9275, under
# half 0.9330 with 6.9% of the pages extracted twice (under 0.3: 0.9335, 3.2%; under
# 1,000 characters: 0.9312, 4.7%).
# Captions: trafilatura keeps 5 of 207 <figcaption>s on 200 of these pages; pruning
# the rest by class (wp-caption-text) cost 0.002 F1 and 8 ms a page, so no pruning.
FALLBACK_BELOW_SHARE = 0.5
# trafilatura kept the headline when one of its first blocks is it (after a site name,
# a kicker or a date line)
_HEADLINE_WITHIN = 4


# What the plain walk over a tree (too big for trafilatura, or a post it judged too
# small) takes as blocks.
_FALLBACK_KINDS = {"p": BlockKind.PARAGRAPH, "li": BlockKind.LIST_ITEM, "blockquote": BlockKind.QUOTE,
                   **{f"h{n}": BlockKind.HEADING for n in range(1, 7)}}
_BLANK_LINE = re.compile(r"\n\s*\n|\u2029")  # a paragraph break inside one element's text
_TRAFILATURA_TAGS = {"head": BlockKind.HEADING, "p": BlockKind.PARAGRAPH, "quote": BlockKind.QUOTE,
                     "table": BlockKind.TABLE, "code": BlockKind.PARAGRAPH}


@dataclass(frozen=True)
class HtmlDocument:
    """An HTML page's blocks, with its title and date when they were found (trafilatura's
    metadata on article pages; the <title> element elsewhere, no date)."""

    blocks: list[Block]
    title: str | None = None
    date: str | None = None


def html_blocks(page: Page) -> list[Block]:
    """trafilatura's main text; one extraction per post on archive pages."""
    return html_document(page).blocks


def html_document(page: Page) -> HtmlDocument:
    """trafilatura's main text and metadata; one extraction per post on archive pages."""
    import trafilatura

    html = tame_markup(page.content)
    try:
        tree = trafilatura.load_html(html)
        if tree is None:
            return HtmlDocument([])
        if not tame_tree(tree):
            return HtmlDocument(list(fallback_blocks(tree)), title_element(tree))
        posts = find_posts(tree)
        if len(posts) >= MIN_POSTS:
            return HtmlDocument(_archive_blocks(posts), title_element(tree))
        return _article(tree)
    except InputError:
        raise
    except Exception as exc:  # lxml and trafilatura raise many types on hostile input
        raise InputError(page.name, f"extraction failed: {type(exc).__name__}: {exc}") from exc


def _article(tree: Any) -> HtmlDocument:
    """The article's blocks, led by its own headline when trafilatura left it out."""
    title, date = page_title(tree), page_date(tree)
    headline = page_headline(tree, title)  # before extraction, which prunes the tree
    blocks = split_items(tree, _main_blocks(tree))
    if not blocks:
        return HtmlDocument([], title, date)
    if headline and not any(_repeats_title(block, headline) for block in blocks[:_HEADLINE_WITHIN]):
        blocks.insert(0, Block(headline, BlockKind.HEADING, post=blocks[0].post))
    return HtmlDocument(blocks, title, date)


def _main_blocks(tree: Any) -> list[Block]:
    """trafilatura's main text on its own, with its fallback extractors when that misses
    most of the page's paragraph text."""
    import trafilatura

    doc: Any = trafilatura.bare_extraction(tree, **TRAFILATURA_OPTIONS)
    found = len(doc.text or "") if doc is not None and doc.body is not None else 0
    if not found or found < FALLBACK_BELOW_SHARE * sum(len(p.text_content()) for p in tree.iter("p")):
        doc = trafilatura.bare_extraction(tree, **{**TRAFILATURA_OPTIONS, "fast": False}) or doc
    return list(body_blocks(doc.body)) if doc is not None and doc.body is not None else []


def _repeats_title(first: Block, title: str) -> bool:
    """Whether the first block already is the title (a heading may add or drop a site name)."""
    a, b = title.casefold(), first.text.casefold()
    return a == b or (first.kind is BlockKind.HEADING and (a.startswith(b) or b.startswith(a)))


def _archive_blocks(posts: list) -> list[Block]:
    """Each post extracted on its own, numbered 0, 1, 2, ... and led by its headline."""
    blocks: list[Block] = []
    for number, post in enumerate(posts):
        blocks.extend(replace(block, post=number) for block in _post_blocks(post))
    return blocks


def _post_blocks(post: Any) -> list[Block]:
    import trafilatura
    from lxml import html as lxml_html

    headline = squash_space(post_heading(post).text_content())
    fragment = lxml_html.tostring(post, encoding="unicode", method="html")
    doc: Any = trafilatura.bare_extraction(f"<html><body><div>{fragment}</div></body></html>", **TRAFILATURA_OPTIONS)
    blocks = list(body_blocks(doc.body)) if doc is not None and doc.body is not None else []
    if not blocks:  # a short post trafilatura judged too small to be main text
        blocks = list(fallback_blocks(post))
    if not blocks or squash_space(blocks[0].text) != headline:
        blocks.insert(0, Block(headline, BlockKind.HEADING))
    return blocks


def fallback_blocks(element: Any) -> Iterator[Block]:
    """A plain walk over the innermost block elements, for what trafilatura cannot take."""
    for node in islice(element.iter(*_FALLBACK_KINDS), MAX_BLOCKS * 2):
        if next(node.iterdescendants("p", "li", "blockquote"), None) is not None:
            continue  # its inner block elements come on their own
        yield from _split_paragraphs(node.text_content(), _FALLBACK_KINDS[node.tag])


def body_blocks(body: Any) -> Iterator[Block]:
    """Blocks of a trafilatura output tree: head, p, list/item, quote, table."""
    return _container_blocks(body, BlockKind.PARAGRAPH)


def _element_blocks(el: Any) -> Iterator[Block]:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "list":
        for item in el.iter("item"):
            yield from _item_blocks(item)
    elif tag == "table":
        yield from _table_blocks(el)
    elif tag == "quote" and len(el.findall("p")) > 1:
        yield from _container_blocks(el, BlockKind.QUOTE)
    elif tag in _TRAFILATURA_TAGS or len(el) == 0:
        yield from _split_paragraphs(_element_text(el), _TRAFILATURA_TAGS.get(tag, BlockKind.PARAGRAPH))
    else:  # a container (div, section)
        yield from _container_blocks(el, BlockKind.PARAGRAPH)


def _item_blocks(item: Any) -> Iterator[Block]:
    """A list item as one block; an item holding a heading or paragraphs (a story in a
    list of stories: headline, lede, "Read more") as its parts, which ran together
    ("...the councilThe county council voted...") when joined. Its sub-lists come as
    items of their own (`el.iter("item")` above)."""
    if not any(child.tag in ("head", "p") for child in item):
        yield from _split_paragraphs(_element_text(item, skip="list"), BlockKind.LIST_ITEM)
        return
    yield from _split_paragraphs(item.text or "", BlockKind.LIST_ITEM)
    for child in item:
        if child.tag == "head":
            yield from _split_paragraphs(_element_text(child), BlockKind.HEADING)
        elif child.tag != "list":
            yield from _split_paragraphs(_element_text(child, skip="list"), BlockKind.LIST_ITEM)
        yield from _split_paragraphs(child.tail or "", BlockKind.LIST_ITEM)


def _container_blocks(el: Any, kind: BlockKind) -> Iterator[Block]:
    """A container's own text, then each child followed by the text after it: trafilatura
    leaves text outside any <p> ("<head>Why</head>Drinking coffee...", a config file
    between two paragraphs of a quote). Its paragraphs are `kind`."""
    yield from _split_paragraphs(el.text or "", kind)
    for child in el:
        if child.tag == "p":
            yield from _split_paragraphs(_element_text(child), kind)
        else:
            yield from _element_blocks(child)
        yield from _split_paragraphs(child.tail or "", kind)


def _element_text(el: Any, skip: str | None = None) -> str:
    """Text with a newline per <lb/>; nested `skip` elements (sub-lists) left out."""
    parts = [el.text or ""]
    for child in el:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag != skip:
            parts.append(_element_text(child, skip))
        parts.append(child.tail or "")
    return "".join(parts)


# What makes a table cell a container rather than one value: paragraphs, lists,
# headings, quotes or a nested table inside it.
_CELL_BLOCKS = ("p", "list", "head", "quote", "table")


def _table_blocks(table: Any) -> Iterator[Block]:
    """A table's own rows, once each: a row of plain cells is one TABLE block
    ("North bank | 1.2m"); a cell holding paragraphs, lists or a nested table is a
    container whose blocks come in place. Walking `table.iter("row")` instead descended
    into nested layout tables and emitted their text two to four times."""
    rows = [child for child in table if child.tag == "row"]
    if not rows:
        yield from _container_blocks(table, BlockKind.TABLE)
        return
    for row in rows:
        values: list[str] = []
        for cell in row:
            if cell.tag != "cell":
                continue
            if any(cell.find(tag) is not None for tag in _CELL_BLOCKS):
                yield from _split_paragraphs(" | ".join(values), BlockKind.TABLE)
                values = []
                yield from _container_blocks(cell, BlockKind.PARAGRAPH)
            elif value := squash_space(_element_text(cell)):
                values.append(value)
        yield from _split_paragraphs(" | ".join(values), BlockKind.TABLE)


def _split_paragraphs(text: str, kind: BlockKind) -> Iterator[Block]:
    """One block per blank-line-separated part (<br><br> inside a <p>).

    A single <br> is a space, except in a run of bulleted or numbered lines
    ("1. foo<br>2. bar"), which become list items as they would in plain text.
    """
    for part in _BLANK_LINE.split(text):
        lines = [line.strip() for line in part.splitlines() if line.strip()]
        if len(lines) > 1 and all(is_bullet(line) for line in lines):
            yield from (line_block(line, False) for line in lines)
        elif lines:
            yield Block(squash_space(part), kind)
