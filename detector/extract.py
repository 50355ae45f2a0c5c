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

# trafilatura options, measured with extract_blocks on the 624 gold pages of
# data/html (trafilatura-eval-en + wceb2026-articles; 2,518 "with" snippets
# that must be kept, 2,734 "without" snippets that must not), share found:
#                    with   without   (per-page means: with / without)
#   default          0.897  0.061     0.904 / 0.068
#   favor_recall     0.897  0.065     0.904 / 0.074
#   favor_precision  0.878  0.046     0.886 / 0.053
# favor_recall keeps no more main text here (this trafilatura already retries
# for recall) and lets more boilerplate in; favor_precision loses 1.9 points
# of main text, which no later stage can bring back. So: the defaults.
TRAFILATURA_OPTIONS = {
    "favor_recall": False,
    "favor_precision": False,
    "include_comments": False,  # reader comments are not main text
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "with_metadata": True,  # for the title; date search is kept cheap below
    "date_extraction_params": {"extensive_search": False, "original_date": False},
}

# Trees with more elements skip trafilatura (100,000 <p> cost it 10 s) and get
# fallback_blocks; the largest real page in data/html has 5,516 elements.
MAX_TREE_ELEMENTS = 50_000
_FALLBACK_KINDS = {"p": BlockKind.PARAGRAPH, "li": BlockKind.LIST_ITEM, "blockquote": BlockKind.QUOTE,
                   **{f"h{n}": BlockKind.HEADING for n in range(1, 7)}}

# Archive detection: a post is an <article> or a container whose class names
# it a post, holding a heading, several paragraphs and this much non-link
# text. Teaser lists and listicle tiles (one excerpt paragraph and "Read
# more") stay under it; full posts are above it. On the 624 pages of
# data/html (single articles and listicles) these rules find no archive.
MIN_POST_CHARS = 500
MIN_POST_PARAGRAPHS = 3
MIN_PARAGRAPH_CHARS = 40  # a sentence, not a byline or a button
MIN_POSTS = 2
MAX_POST_CANDIDATES = 200  # bounds the per-candidate text counting on huge pages
_POST_CLASS = re.compile(r"^(post|entry|hentry|type-post|blog-post|post-\d+)$")
_NOT_A_POST = re.compile(r"comment|related|recommend|sidebar|widget|promo|teaser|share", re.I)
_POST_HEADINGS = ("h1", "h2", "h3", "h4")

# Two or more <br> in a row are a paragraph break. trafilatura folds <br><br>
# inside a <p> into one line break, so before parsing they become U+2029
# PARAGRAPH SEPARATOR, which it keeps, and blocks are split there. (Making them
# "</p><p>" instead lost 0.4 points of gold text: trafilatura drops the short
# paragraphs that creates.) This also defuses 45,000 <br> in a row.
_BR_RUN = re.compile(r"<br\s*/?>(?:\s*<br\s*/?>)+", re.I)
_PARAGRAPH_BREAK = "\u2029"
# libxml2 checks each attribute of a tag against the ones before it: 20,000
# attributes on one tag took 4 s to parse, 100,000 took 95 s, all inside one C
# call that no timeout can interrupt. A start tag this long with this many
# attributes keeps only its name (the longest real tags are data: URIs, one
# attribute each; no page in data/html has a tag with 100).
_LONG_START_TAG = re.compile(r"<([A-Za-z][\w:-]*+)([^<>]{4000,}+)>")
_ATTRIBUTE = re.compile(r"(?<=[\s\"'])[^\s=/>\"']++\s*=")
MAX_TAG_ATTRIBUTES = 1000
_SPACE = re.compile(r"\s+")
_BLANK_LINE = re.compile(r"\n\s*\n|\u2029")

# Plain text: symbol bullets are dropped from the block text; numbered markers
# ("1.", "2)") are kept because numbered "Tags:" lists are a spam signal.
_SYMBOL_BULLET = re.compile(r"^[•·▪◦●‣⁃*\-–]\s+|^[•·▪◦●‣⁃]")
_NUMBERED = re.compile(r"^\d{1,3}[.)]\s+\S")
_TRAFILATURA_TAGS = {"head": BlockKind.HEADING, "p": BlockKind.PARAGRAPH, "quote": BlockKind.QUOTE,
                     "table": BlockKind.TABLE, "code": BlockKind.PARAGRAPH}


def extract_blocks(page: Page, *, max_blocks: int = MAX_BLOCKS,
                   max_block_chars: int = MAX_BLOCK_CHARS) -> list[Block]:
    """The page's main text as blocks numbered in page order.

    An HTML page where trafilatura finds no main text gives [] (its own
    fallbacks already ran); a tree too big for it gets fallback_blocks.
    Blocks past max_blocks are dropped, text past max_block_chars is cut.
    """
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

    html = _tame_markup(page.content)
    try:
        tree = trafilatura.load_html(html)
        if tree is None:
            return []
        if not _tame_tree(tree):
            return list(fallback_blocks(tree))
        posts = find_posts(tree)
        if len(posts) >= MIN_POSTS:
            return _archive_blocks(posts)
        return _article_blocks(tree)
    except InputError:
        raise
    except Exception as exc:  # lxml and trafilatura raise many types on hostile input
        raise InputError(page.name, f"extraction failed: {type(exc).__name__}: {exc}") from exc


def _tame_markup(html: str) -> str:
    """Runs of <br> become paragraph breaks; tags with absurdly many attributes lose them."""
    html = _BR_RUN.sub(_PARAGRAPH_BREAK, html)
    return _LONG_START_TAG.sub(_without_attribute_flood, html)


def _without_attribute_flood(tag: re.Match) -> str:
    if len(_ATTRIBUTE.findall(tag.group(2))) > MAX_TAG_ATTRIBUTES:
        return f"<{tag.group(1)}>"
    return tag.group(0)


def _tame_tree(tree) -> bool:
    """Cut overlong text nodes in place; False if the tree is too big for trafilatura."""
    for count, el in enumerate(tree.iter(), 1):
        if count > MAX_TREE_ELEMENTS:
            return False
        if el.text and len(el.text) > MAX_BLOCK_CHARS:
            el.text = el.text[:MAX_BLOCK_CHARS]
        if el.tail and len(el.tail) > MAX_BLOCK_CHARS:
            el.tail = el.tail[:MAX_BLOCK_CHARS]
    return True


def _article_blocks(tree) -> list[Block]:
    import trafilatura

    doc = trafilatura.bare_extraction(tree, **TRAFILATURA_OPTIONS)
    if doc is None or doc.body is None:
        return []
    blocks = list(body_blocks(doc.body))
    title = _normalize(doc.title or "")
    if title and not (blocks and _repeats_title(blocks[0], title)):
        blocks.insert(0, Block(title, BlockKind.HEADING))
    return blocks


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


def _post_blocks(post) -> list[Block]:
    import trafilatura
    from lxml import html as lxml_html

    headline = _normalize(_heading(post).text_content())
    fragment = lxml_html.tostring(post, encoding="unicode", method="html")
    options = {**TRAFILATURA_OPTIONS, "with_metadata": False}
    doc = trafilatura.bare_extraction(f"<html><body><div>{fragment}</div></body></html>", **options)
    blocks = list(body_blocks(doc.body)) if doc is not None and doc.body is not None else []
    if not blocks:  # a short post trafilatura judged too small to be main text
        blocks = list(fallback_blocks(post))
    if not blocks or _normalize(blocks[0].text) != headline:
        blocks.insert(0, Block(headline, BlockKind.HEADING))
    return blocks


def fallback_blocks(element) -> Iterator[Block]:
    """A plain walk over the innermost block elements, for what trafilatura cannot take."""
    for node in islice(element.iter(*_FALLBACK_KINDS), MAX_BLOCKS * 2):
        if next(node.iterdescendants("p", "li", "blockquote"), None) is not None:
            continue  # its inner block elements come on their own
        yield from _split_paragraphs(node.text_content(), _FALLBACK_KINDS[node.tag])


def find_posts(tree) -> list:
    """The post containers of an archive page, in page order; [] or one element otherwise."""
    candidates = (el for el in tree.iter("article", "div", "section", "li") if _is_post_candidate(el))
    posts = [el for el in islice(candidates, MAX_POST_CANDIDATES) if _is_full_post(el)]
    # Keep the outermost: sections of one article are often <article>s too.
    chosen = {id(el) for el in posts}
    return [el for el in posts if not any(id(a) in chosen for a in el.iterancestors())]


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
    elements = sum(1 for p in el.iter("p", "li") if len(p.text_content().strip()) >= MIN_PARAGRAPH_CHARS)
    breaks = sum(1 for part in el.text_content().split(_PARAGRAPH_BREAK) if len(part.strip()) >= MIN_PARAGRAPH_CHARS)
    if max(elements, breaks) < MIN_POST_PARAGRAPHS:  # paragraphs as <p>, or as text between <br><br>
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
    return _container_blocks(body, BlockKind.PARAGRAPH)


def _element_blocks(el) -> Iterator[Block]:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "list":
        for item in el.iter("item"):
            yield from _split_paragraphs(_element_text(item, skip="list"), BlockKind.LIST_ITEM)
    elif tag == "table":
        yield from _split_paragraphs(_table_text(el), BlockKind.TABLE)
    elif tag == "quote" and len(el.findall("p")) > 1:
        yield from _container_blocks(el, BlockKind.QUOTE)
    elif tag in _TRAFILATURA_TAGS or len(el) == 0:
        yield from _split_paragraphs(_element_text(el), _TRAFILATURA_TAGS.get(tag, BlockKind.PARAGRAPH))
    else:  # a container (div, section)
        yield from _container_blocks(el, BlockKind.PARAGRAPH)


def _container_blocks(el, kind: BlockKind) -> Iterator[Block]:
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
    """One block per blank-line-separated part (<br><br> inside a <p>).

    A single <br> is a space, except in a run of bulleted or numbered lines
    ("1. foo<br>2. bar"), which become list items as they would in plain text.
    """
    for part in _BLANK_LINE.split(text):
        lines = [line.strip() for line in part.splitlines() if line.strip()]
        if len(lines) > 1 and all(_is_bullet(line) for line in lines):
            yield from (_line_block(line, False) for line in lines)
        elif lines:
            yield Block(_normalize(part), kind)


def _normalize(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


# ---------------------------------------------------------------- plain text


def text_blocks(text: str) -> list[Block]:
    """Blocks of a plain-text page.

    A block per line, or per paragraph when the text is clearly hard-wrapped;
    indentation is stripped. Bulleted lines are LIST_ITEMs: symbol bullets are
    dropped, numbers ("1.") kept. A symbol-bullet line at the shallowest bullet
    indentation with deeper body below starts a post (a HEADING); lines before
    the first one are post 0. A line repeating its post's title is a HEADING, and
    so is the title line that opens a single article (see `_opens_with_title`).
    """
    lines = text.splitlines()
    titles = _post_title_lines(lines)
    if _is_hard_wrapped(lines):
        raw = _wrapped_blocks(lines, titles)
    else:
        raw = _line_blocks(lines, titles)
    blocks = list(_number_posts(raw))
    if not titles and _opens_with_title(blocks):
        blocks[0] = replace(blocks[0], kind=BlockKind.HEADING)
    return blocks


# A headline: a few words, no closing punctuation, and prose after it. (Not
# `features._SENTENCE_END`, which finds sentence ends inside a text: a title
# ends in none of . ! ? : ; , nor a closing quote or bracket.)
MAX_TITLE_WORDS = 20
_CLOSING_PUNCTUATION = re.compile(r"[.!?:;,…\"”’)\]]$")


def _opens_with_title(blocks: list[Block]) -> bool:
    """Whether a plain-text article starts with its headline: a short first line
    without closing punctuation, followed by a longer paragraph that ends a sentence
    (as an article saved as text does). Left a paragraph, the model read such a
    line as site chrome."""
    if len(blocks) < 2 or blocks[0].kind is not BlockKind.PARAGRAPH:
        return False
    first, second = blocks[0].text, blocks[1].text
    title_words = len(first.split())
    return (
        title_words <= MAX_TITLE_WORDS
        and not _CLOSING_PUNCTUATION.search(first)
        and len(second.split()) > title_words
        and bool(_CLOSING_PUNCTUATION.search(second))
    )


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
# 60% of the widest line) and the widest line is a terminal width (50-100),
# not a paragraph-per-line file or a list of short lines. Seed 000 (paragraph
# per line) and seed 001 (lines of 100-800 characters) are not hard-wrapped.
_WRAP_MIN_WIDTH = 50
_WRAP_WIDTH = 100
_WRAP_FILL = 0.6
_WRAP_SHARE = 0.75
_WRAP_MIN_LINES = 3


def _is_hard_wrapped(lines: list[str]) -> bool:
    stripped = [line.strip() for line in lines]
    widths = [len(s) for s in stripped if s]
    if not widths or not _WRAP_MIN_WIDTH <= max(widths) <= _WRAP_WIDTH:
        return False
    # lines followed by another non-blank line are the ones a wrap would have cut
    inner = [len(s) for s, nxt in zip(stripped, stripped[1:]) if s and nxt and not _is_bullet(nxt)]
    if len(inner) < _WRAP_MIN_LINES:
        return False
    column = max(widths)
    full = sum(width >= _WRAP_FILL * column for width in inner)
    return full >= _WRAP_SHARE * len(inner)
