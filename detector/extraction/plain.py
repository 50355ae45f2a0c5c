"""Plain text -> blocks: one per line, or per paragraph when the text is hard-wrapped;
bullet titles at the shallowest indent start posts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from detector.text import BULLET_SYMBOLS, LIST_MARKER, closes_post, squash_space
from detector.types import Block, BlockKind

from .archive import MIN_POST_CHARS

# Symbol bullets are dropped from a block's text ("• Item" -> "Item"); a typographic
# bullet needs no space after it ("•Item"). Numbered markers ("1.", "2)") are kept
# because numbered "Tags:" lists are a spam signal.
_SYMBOL_BULLET = re.compile(rf"^[{BULLET_SYMBOLS}]\s+|^[•·▪◦●‣⁃]")


def text_blocks(text: str) -> list[Block]:
    """Blocks of a plain-text page.

    A block per line, or per paragraph when the text is clearly hard-wrapped;
    indentation is stripped. Bulleted lines are LIST_ITEMs: symbol bullets are
    dropped, numbers ("1.") kept. A symbol-bullet line at the shallowest bullet
    indentation with deeper body below starts a post (a HEADING); lines before
    the first one are post 0. A line repeating its post's title is a HEADING, and
    so are `#` headings and title lines (see `mark_titles`).
    """
    lines = text.splitlines()
    titles = _post_title_lines(lines)
    if _is_hard_wrapped(lines):
        raw = _wrapped_blocks(lines, titles)
    else:
        raw = _line_blocks(lines, titles)
    return mark_titles(list(_number_posts(raw)))


# A headline: a few words, no closing punctuation, and prose after it. (Not
# `detector.text.SENTENCE_END`, which finds sentence ends inside a text: a title
# ends in none of . ! ? : ; , nor a closing quote or bracket.)
MAX_TITLE_WORDS = 20
MIN_PROSE_WORDS = 8  # what follows a title has more words than the title, and at least these
_CLOSING_PUNCTUATION = re.compile(r"[.!?:;,…\"”’)\]]$")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(?=\S)")


def mark_titles(blocks: list[Block]) -> list[Block]:
    """Headings that plain text shows by form: a `#` heading (its marks dropped), or a
    title line (see `_is_title_line`) such as an article's headline or a post title in
    an archive saved as text. Left paragraphs, the model read such lines as chrome,
    and posts could not be told apart."""
    out = list(blocks)
    for i, block in enumerate(out):
        if block.kind is not BlockKind.PARAGRAPH:
            continue
        markdown = _MARKDOWN_HEADING.match(block.text)
        if markdown:
            out[i] = replace(block, text=block.text[markdown.end():], kind=BlockKind.HEADING)
        elif i + 1 < len(out) and _is_title_line(block.text, out[i + 1].text):
            out[i] = replace(block, kind=BlockKind.HEADING)
    return out


def _is_title_line(line: str, following: str) -> bool:
    """A short line without closing punctuation (nor a tag or separator line), followed
    by a longer paragraph that ends a sentence."""
    words = len(line.split())
    return (
        0 < words <= MAX_TITLE_WORDS
        and not _CLOSING_PUNCTUATION.search(line)
        and not closes_post(line)
        and len(following.split()) > max(words, MIN_PROSE_WORDS - 1)
        and bool(_CLOSING_PUNCTUATION.search(following))
    )


def _line_blocks(lines: list[str], titles: set[int]) -> Iterator[tuple[Block, bool]]:
    """One block per non-blank line; the flag marks a post title."""
    for number, line in enumerate(lines):
        if line.strip():
            yield line_block(line, number in titles), number in titles


def _wrapped_blocks(lines: list[str], titles: set[int]) -> Iterator[tuple[Block, bool]]:
    """Hard-wrapped text: consecutive lines join until a blank line, bullet or title."""
    current: list[str] = []
    for number, line in enumerate(lines + [""]):
        starts_new = not line.strip() or number in titles or is_bullet(line.strip())
        if starts_new and current:
            yield line_block(" ".join(current), False), False
            current = []
        if number in titles:
            yield line_block(line, True), True
        elif line.strip():
            current.append(line.strip())


def line_block(line: str, is_title: bool) -> Block:
    text = line.strip()
    if is_bullet(text):
        text = _SYMBOL_BULLET.sub("", text, count=1).strip()
        kind = BlockKind.HEADING if is_title else BlockKind.LIST_ITEM
    else:
        kind = BlockKind.HEADING if is_title else BlockKind.PARAGRAPH
    return Block(squash_space(text), kind)


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


def is_bullet(text: str) -> bool:
    """Whether a stripped line opens with a list marker (or a typographic bullet run into its text)."""
    return bool(_SYMBOL_BULLET.match(text) or LIST_MARKER.match(text))


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
    if not body or _indent(body[0]) <= _indent(lines[title]) or is_bullet(body[0].strip()):
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
    inner = [len(s) for s, nxt in zip(stripped, stripped[1:]) if s and nxt and not is_bullet(nxt)]
    if len(inner) < _WRAP_MIN_LINES:
        return False
    column = max(widths)
    full = sum(width >= _WRAP_FILL * column for width in inner)
    return full >= _WRAP_SHARE * len(inner)
