"""Markup taming: what would keep lxml or trafilatura busy inside one call that no
timeout can interrupt is defused before (runs of <br>, attribute floods) or after
parsing (overlong text nodes, trees too big for trafilatura).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any

# Caps that keep hostile pages cheap. A long news article has 100-300 blocks
# and paragraphs of at most a few thousand characters.
MAX_BLOCKS = 3000  # blocks kept per page; the rest are dropped
# longer text nodes are cut before extraction, longer blocks after it (at a space when there is one)
MAX_BLOCK_CHARS = 20_000

# Trees with more elements skip trafilatura (100,000 <p> cost it 10 s) and get
# fallback_blocks; the largest real page in data/html has 5,516 elements.
MAX_TREE_ELEMENTS = 50_000


# Two or more <br> in a row are a paragraph break. trafilatura folds <br><br>
# inside a <p> into one line break, so before parsing they become U+2029
# PARAGRAPH SEPARATOR, which it keeps, and blocks are split there. (Making them
# "</p><p>" instead lost 0.4 points of gold text: trafilatura drops the short
# paragraphs that creates.) This also defuses 45,000 <br> in a row.
_BR_RUN = re.compile(r"<br\s*/?>(?:\s*<br\s*/?>)+", re.I)
PARAGRAPH_BREAK = "\u2029"
# libxml2 checks each attribute of a tag against the ones before it: 20,000
# attributes on one tag took 4 s to parse, 100,000 took 95 s, all inside one C
# call that no timeout can interrupt. A start tag this long with this many
# attributes keeps only its name (the longest real tags are data: URIs, one
# attribute each; no page in data/html has a tag with 100).
_LONG_START_TAG = re.compile(r"<([A-Za-z][\w:-]*+)([^<>]{4000,}+)>")
_ATTRIBUTE = re.compile(r"(?<=[\s\"'])[^\s=/>\"']++\s*=")
MAX_TAG_ATTRIBUTES = 1000
# Attributes a whole page keeps; the tags after the budget is spent keep only their
# names. lxml holds each attribute as a node, and trafilatura copies trees: 15 MB of
# 700-attribute tags (1.4 million attributes, none over the per-tag cap) peaked at
# 784 MB before its 5 s timeout. The most attributes on a real page in data/html is
# 11,042 (a 1.8 MB page), so ordinary pages never reach this.
MAX_PAGE_ATTRIBUTES = 100_000
_START_TAG = re.compile(r"<([A-Za-z][\w:-]*+)([^<>]*+)>")


# Elements whose content libxml2 reads as raw text up to their end tag: one left
# unclosed (`<title>Site` with no `</title>`, a stray `<textarea>`) swallows the rest
# of the page, which then has no body at all. Measured: an unclosed <title>, <textarea>,
# <plaintext>, <script>, <style> or <iframe> before the article each left trafilatura
# with no text; <xmp> and <iframe> turned the page into one block of markup.
_RAW_TEXT_TAGS = ("title", "textarea", "xmp", "plaintext", "script", "style", "iframe", "noembed", "noframes")
_RAW_TEXT_OPEN = re.compile(r"<(%s)\b[^<>]*>" % "|".join(_RAW_TEXT_TAGS), re.I)
_RAW_TEXT_CLOSE = re.compile(r"</(%s)\s*>" % "|".join(_RAW_TEXT_TAGS), re.I)
# Where an unclosed raw-text element is closed: before the next tag that is markup
# for certain (a script may hold "<" and "<b>" in its strings; no title holds "<body").
_STRUCTURE_TAG = re.compile(
    r"</?(?:html|head|body|meta|link|base|div|p|h[1-6]|article|section|main|header|footer|nav|aside|table|ul|ol"
    r"|form|script|style|title|noscript)\b", re.I)


def tame_markup(html: str) -> str:
    """Runs of <br> become paragraph breaks; tags with absurdly many attributes lose
    them, and so do the tags after a page's first MAX_PAGE_ATTRIBUTES attributes;
    unclosed raw-text elements are closed."""
    html = _BR_RUN.sub(PARAGRAPH_BREAK, html)
    html = _LONG_START_TAG.sub(_without_attribute_flood, html)
    if html.count("=") > MAX_PAGE_ATTRIBUTES:  # every attribute counted has one: cheap, and enough for real pages
        html = _within_attribute_budget(html, MAX_PAGE_ATTRIBUTES)
    return close_raw_text(html)


def _within_attribute_budget(html: str, budget: int) -> str:
    left = budget

    def spend(tag: re.Match) -> str:
        nonlocal left
        count = tag.group(2).count("=")  # at least the attributes, and far cheaper than _ATTRIBUTE
        if count <= left:
            left -= count
            return tag.group(0)
        left = 0
        return f"<{tag.group(1)}>"

    return _START_TAG.sub(spend, html)


def close_raw_text(html: str) -> str:
    """Each raw-text element (see `_RAW_TEXT_TAGS`) with no end tag after it is closed
    before the next structural tag (a <plaintext>, which never closes, loses its tag).
    One pass over the page: end tags are found once and looked up by position."""
    closes: dict[str, list[int]] = {}
    for end_tag in _RAW_TEXT_CLOSE.finditer(html):
        closes.setdefault(end_tag.group(1).lower(), []).append(end_tag.start())
    parts: list[str] = []
    done = 0  # html[:done] is in parts
    at = 0
    while (match := _RAW_TEXT_OPEN.search(html, at)) is not None:
        name = match.group(1).lower()
        ends = closes.get(name, [])
        i = bisect_left(ends, match.end())
        if i < len(ends) and name != "plaintext":
            at = ends[i] + 1  # its content is raw text: no tag inside it counts
            continue
        if name == "plaintext":
            parts.append(html[done:match.start()])
            done = at = match.end()
            continue
        structure = _STRUCTURE_TAG.search(html, match.end())
        cut = structure.start() if structure else len(html)
        parts += [html[done:cut], f"</{name}>"]
        done = at = cut
    return "".join(parts) + html[done:] if parts else html


def _without_attribute_flood(tag: re.Match) -> str:
    attributes = tag.group(2)
    # each attribute counted has an "=": counting those first spares the regex on most long tags
    if attributes.count("=") > MAX_TAG_ATTRIBUTES and len(_ATTRIBUTE.findall(attributes)) > MAX_TAG_ATTRIBUTES:
        return f"<{tag.group(1)}>"
    return tag.group(0)


def tame_tree(tree: Any) -> bool:
    """Cut overlong text nodes in place; False if the tree is too big for trafilatura."""
    for count, el in enumerate(tree.iter(), 1):
        if count > MAX_TREE_ELEMENTS:
            return False
        if el.text and len(el.text) > MAX_BLOCK_CHARS:
            el.text = el.text[:MAX_BLOCK_CHARS]
        if el.tail and len(el.tail) > MAX_BLOCK_CHARS:
            el.tail = el.tail[:MAX_BLOCK_CHARS]
    return True
