"""Extraction: Page -> list of Block (main text with its block structure).

HTML goes through trafilatura, one post at a time on archive pages that hold
several posts; plain text is split into paragraphs and posts by its layout.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import islice
from typing import Iterable, Iterator

from detector.errors import InputError
from detector.types import Block, BlockKind, Page

# Caps that keep hostile pages cheap. A long news article has 100-300 blocks
# and paragraphs of at most a few thousand characters.
MAX_BLOCKS = 3000  # blocks kept per page; the rest are dropped
MAX_BLOCK_CHARS = 20_000  # longer blocks are cut (at a space when there is one)

# trafilatura options, measured on the 624 gold pages of data/html (each
# page's share of gold "with" snippets found / of "without" snippets found):
#                  with   without
#   default        0.928  0.141
#   favor_recall   0.946  0.201
#   favor_precision 0.880 0.117
# favor_recall gains 1.8 points of main text for 6 points more boilerplate;
# boilerplate is what our classifier removes anyway, lost text cannot be
# brought back, so recall wins.
TRAFILATURA_OPTIONS = {
    "favor_recall": True,
    "include_comments": False,  # reader comments are not main text
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "with_metadata": True,  # for the title; date search is kept cheap below
    "date_extraction_params": {"extensive_search": False, "original_date": False},
}

# Archive detection: a post is an <article> or a container whose class names
# it a post, holding a heading and at least this much non-link text. Teaser
# lists (an excerpt and "Read more") stay under it, full posts are above it.
MIN_POST_CHARS = 400
MIN_POSTS = 2
MAX_POST_CANDIDATES = 200  # bounds the per-candidate text counting on huge pages
_POST_CLASS = re.compile(r"^(post|entry|hentry|type-post|blog-post|post-\d+)$")
_NOT_A_POST = re.compile(r"comment|related|recommend|sidebar|widget|promo|teaser|share", re.I)
_POST_HEADINGS = ("h1", "h2", "h3", "h4")

# Runs of <br> collapse to two: 45,000 <br> in a row cost trafilatura seconds,
# and a blank line is all they mean.
_BR_RUN = re.compile(r"(?:<br\s*/?>\s*){3,}", re.I)
_SPACE = re.compile(r"\s+")
_BLANK_LINE = re.compile(r"\n\s*\n")

# Plain text: symbol bullets are dropped from the block text; numbered markers
# ("1.", "2)") are kept because numbered "Tags:" lists are a spam signal.
_SYMBOL_BULLET = re.compile(r"^[•·▪◦●‣⁃*\-–]\s+|^[•·▪◦●‣⁃]")
_NUMBERED = re.compile(r"^\d{1,3}[.)]\s+\S")
_TRAFILATURA_TAGS = {"head": BlockKind.HEADING, "p": BlockKind.PARAGRAPH, "quote": BlockKind.QUOTE,
                     "table": BlockKind.TABLE, "code": BlockKind.PARAGRAPH}


def extract_blocks(page: Page, *, max_blocks: int = MAX_BLOCKS,
                   max_block_chars: int = MAX_BLOCK_CHARS) -> list[Block]:
    """The page's main text as blocks numbered in page order."""
    raw = _html_blocks(page) if page.is_html else text_blocks(page.content)
    blocks = []
    for block in raw:
        if len(blocks) >= max_blocks:
            break
        blocks.append(replace(block, text=_cut(block.text, max_block_chars), index=len(blocks)))
    return blocks


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    space = text.rfind(" ", limit // 2, limit)
    return text[: space if space > 0 else limit]


# ---------------------------------------------------------------- HTML


def _html_blocks(page: Page) -> list[Block]:
    """trafilatura's main text; one extraction per post on archive pages."""
    import trafilatura

    html = _BR_RUN.sub("<br><br>", page.content)
    try:
        tree = trafilatura.load_html(html)
        if tree is None:
            return []
        posts = find_posts(tree)
        if len(posts) >= MIN_POSTS:
            return _archive_blocks(posts)
        return _article_blocks(tree)
    except InputError:
        raise
    except Exception as exc:  # lxml and trafilatura raise many types on hostile input
        raise InputError(page.name, f"extraction failed: {type(exc).__name__}: {exc}") from exc


def _article_blocks(tree) -> list[Block]:
    import trafilatura

    doc = trafilatura.bare_extraction(tree, **TRAFILATURA_OPTIONS)
    if doc is None or doc.body is None:
        return []
    blocks = list(body_blocks(doc.body))
    title = _normalize(doc.title or "")
    if title and not _same_heading(title, blocks[0].text if blocks else ""):
        blocks.insert(0, Block(title, BlockKind.HEADING))
    return blocks


def _same_heading(title: str, first: str) -> bool:
    a, b = title.casefold(), first.casefold()
    return bool(b) and (a == b or a.startswith(b) or b.startswith(a))


def _archive_blocks(posts: list) -> list[Block]:
    """Each post extracted on its own, numbered 0, 1, 2, ... and led by its headline."""
    blocks: list[Block] = []
    for number, post in enumerate(posts):
        blocks.extend(replace(block, post=number) for block in _post_blocks(post))
    return blocks


def _post_blocks(post) -> list[Block]:
    import trafilatura
    from lxml import html as lxml_html

    headline = _normalize(_heading(post).text_content())
    fragment = lxml_html.tostring(post, encoding="unicode", method="html")
    options = {**TRAFILATURA_OPTIONS, "with_metadata": False}
    doc = trafilatura.bare_extraction(f"<html><body><div>{fragment}</div></body></html>", **options)
    blocks = list(body_blocks(doc.body)) if doc is not None and doc.body is not None else []
    if not blocks:
        blocks = [Block(text, BlockKind.PARAGRAPH) for text in _fallback_texts(post)]
    if not blocks or _normalize(blocks[0].text) != headline:
        blocks.insert(0, Block(headline, BlockKind.HEADING))
    return blocks


def _fallback_texts(element) -> Iterator[str]:
    """Paragraph texts of an element trafilatura found nothing in."""
    for node in element.iter("p", "li", "blockquote"):
        text = _normalize(node.text_content())
        if text:
            yield text


def find_posts(tree) -> list:
    """The post containers of an archive page, in page order; [] or one element otherwise."""
    candidates = (el for el in tree.iter("article", "div", "section", "li") if _is_post_candidate(el))
    posts = [el for el in islice(candidates, MAX_POST_CANDIDATES) if _is_full_post(el)]
    # Keep the innermost: a wrapper holding posts is not itself a post.
    inner = {id(el) for el in posts}
    return [el for el in posts if not any(id(d) in inner for d in el.iterdescendants() if d is not el)]


def _is_post_candidate(el) -> bool:
    classes = (el.get("class") or "").split()
    if el.tag != "article" and not any(_POST_CLASS.match(c) for c in classes):
        return False
    if _NOT_A_POST.search(f"{el.get('class', '')} {el.get('id', '')}"):
        return False
    return not any(a.tag in ("nav", "aside", "footer") or _NOT_A_POST.search(a.get("class", "") or "")
                   for a in el.iterancestors())


def _is_full_post(el) -> bool:
    if _heading(el) is None:
        return False
    texts = el.xpath(".//text()[not(ancestor::a) and not(ancestor::script) and not(ancestor::style)]")
    return sum(len(t.strip()) for t in texts) >= MIN_POST_CHARS


def _heading(el):
    for tag in _POST_HEADINGS:
        found = el.find(f".//{tag}")
        if found is not None and found.text_content().strip():
            return found
    return None


def body_blocks(body) -> Iterator[Block]:
    """Blocks of a trafilatura output tree: head, p, list/item, quote, table."""
    for child in body:
        yield from _element_blocks(child)
    if len(body) == 0:  # a bare container trafilatura returned as the whole body
        yield from _split_paragraphs(_element_text(body), BlockKind.PARAGRAPH)


def _element_blocks(el) -> Iterator[Block]:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "list":
        for item in el.iter("item"):
            yield from _split_paragraphs(_element_text(item, skip="list"), BlockKind.LIST_ITEM)
    elif tag == "table":
        yield from _split_paragraphs(_table_text(el), BlockKind.TABLE)
    elif tag == "quote" and len(el.findall("p")) > 1:
        for p in el.findall("p"):
            yield from _split_paragraphs(_element_text(p), BlockKind.QUOTE)
    elif tag in _TRAFILATURA_TAGS or len(el) == 0:
        yield from _split_paragraphs(_element_text(el), _TRAFILATURA_TAGS.get(tag, BlockKind.PARAGRAPH))
    else:  # a container (div, section): its own text, then its children
        yield from _split_paragraphs(el.text or "", BlockKind.PARAGRAPH)
        for child in el:
            yield from _element_blocks(child)
            yield from _split_paragraphs(child.tail or "", BlockKind.PARAGRAPH)


def _element_text(el, skip: str | None = None) -> str:
    """Text with a newline per <lb/>; nested `skip` elements (sub-lists) left out."""
    parts = [el.text or ""]
    for child in el:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag != skip:
            parts.append(_element_text(child, skip))
        parts.append(child.tail or "")
    return "".join(parts)


def _table_text(table) -> str:
    rows = []
    for row in table.iter("row"):
        cells = [_normalize(_element_text(cell)) for cell in row.iter("cell")]
        rows.append(" | ".join(c for c in cells if c))
    return "\n\n".join(r for r in rows if r) if rows else _element_text(table)


def _split_paragraphs(text: str, kind: BlockKind) -> Iterator[Block]:
    """One block per blank-line-separated part (<br><br> inside a <p>); a single <br> is a space."""
    for part in _BLANK_LINE.split(text):
        part = _normalize(part)
        if part:
            yield Block(part, kind)


def _normalize(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


# ---------------------------------------------------------------- plain text


def text_blocks(text: str) -> list[Block]:
    """Blocks of a plain-text page: paragraphs, list items, posts (see module notes)."""
    lines = text.splitlines()
    titles = _post_title_lines(lines)
    if _is_hard_wrapped(lines):
        raw = _wrapped_blocks(lines, titles)
    else:
        raw = _line_blocks(lines, titles)
    return list(_number_posts(raw))


def _line_blocks(lines: list[str], titles: set[int]) -> Iterator[tuple[Block, bool]]:
    """One block per non-blank line; the flag marks a post title."""
    for number, line in enumerate(lines):
        if line.strip():
            yield _line_block(line, number in titles), number in titles


def _wrapped_blocks(lines: list[str], titles: set[int]) -> Iterator[tuple[Block, bool]]:
    """Hard-wrapped text: consecutive lines join until a blank line, bullet or title."""
    current: list[str] = []
    for number, line in enumerate(lines + [""]):
        starts_new = not line.strip() or number in titles or _is_bullet(line.strip())
        if starts_new and current:
            yield _line_block(" ".join(current), False), False
            current = []
        if number in titles:
            yield _line_block(line, True), True
        elif line.strip():
            current.append(line.strip())


def _line_block(line: str, is_title: bool) -> Block:
    text = line.strip()
    if _is_bullet(text):
        text = _SYMBOL_BULLET.sub("", text, count=1).strip()
        kind = BlockKind.HEADING if is_title else BlockKind.LIST_ITEM
    else:
        kind = BlockKind.HEADING if is_title else BlockKind.PARAGRAPH
    return Block(_normalize(text), kind)


def _number_posts(raw: Iterable[tuple[Block, bool]]) -> Iterator[Block]:
    """Give blocks post numbers; a line repeating its post's title is a heading."""
    post, title, started = 0, None, False
    for block, is_title in raw:
        if is_title:
            post, title = (post + 1 if started else post), block.text
        elif title is not None and block.text.casefold() == title.casefold():
            block = replace(block, kind=BlockKind.HEADING)
        started = True
        yield replace(block, post=post)


def _is_bullet(text: str) -> bool:
    return bool(_SYMBOL_BULLET.match(text) or _NUMBERED.match(text))


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


def _post_title_lines(lines: list[str]) -> set[int]:
    """Line numbers of post titles: symbol-bullet lines at the shallowest bullet
    indentation, followed by deeper non-bullet body of at least MIN_POST_CHARS."""
    bullets = [n for n, line in enumerate(lines) if _SYMBOL_BULLET.match(line.strip())]
    if not bullets:
        return set()
    shallowest = min(_indent(lines[n]) for n in bullets)
    candidates = [n for n in bullets if _indent(lines[n]) == shallowest]
    return {n for n, end in zip(candidates, candidates[1:] + [len(lines)]) if _has_post_body(lines, n, end)}


def _has_post_body(lines: list[str], title: int, end: int) -> bool:
    body = [line for line in lines[title + 1:end] if line.strip()]
    if not body or _indent(body[0]) <= _indent(lines[title]) or _is_bullet(body[0].strip()):
        return False
    deeper = [line for line in body if _indent(line) > _indent(lines[title])]
    return sum(len(line.strip()) for line in deeper) >= MIN_POST_CHARS


# Hard wrap: most lines that continue a paragraph fill the column (at least
# 60% of the widest line) and the widest line is a terminal width, not a
# paragraph-per-line file. Seed 000 (paragraph per line) and seed 001
# (lines of 100-800 characters) are not hard-wrapped.
_WRAP_WIDTH = 100
_WRAP_FILL = 0.6
_WRAP_SHARE = 0.75
_WRAP_MIN_LINES = 3


def _is_hard_wrapped(lines: list[str]) -> bool:
    stripped = [line.strip() for line in lines]
    widths = [len(s) for s in stripped if s]
    if not widths or max(widths) > _WRAP_WIDTH:
        return False
    # lines followed by another non-blank line are the ones a wrap would have cut
    inner = [len(s) for s, nxt in zip(stripped, stripped[1:]) if s and nxt and not _is_bullet(nxt)]
    if len(inner) < _WRAP_MIN_LINES:
        return False
    full = sum(width >= _WRAP_FILL * max(widths) for width in inner)
    return full >= _WRAP_SHARE * len(inner)
