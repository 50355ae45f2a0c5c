"""Item pages: a page whose main text is a run of short independent items (an
aggregator's cards or its list of stories, each a headline, a lede and a link line)
becomes one post per item, so each item is decoded on its own and no single change
point cuts off the page's later items.

trafilatura keeps the ledes of such a page but drops the headings inside div cards
and the link lines, and gives them as one run of paragraphs: the model then saw one
long post. The items are found in the tree (the repeated siblings that each hold a
heading) and the extracted blocks are mapped back to them by their text; trafilatura
still decides what is main text, so on an article page, whose blocks are not in such
items, nothing changes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from itertools import islice
from typing import Any

from detector.text import squash_space
from detector.types import Block, BlockKind

MIN_ITEMS = 3
MIN_ITEM_SHARE = 0.6  # of the page's blocks must come from the items
MAX_LINK_WORDS = 4  # "Read More", "Continue reading »", "Full story"
_ITEM_HEADINGS = ("h2", "h3", "h4", "h5")
# a link standing between blocks in one of these, not inside a sentence
_CONTAINERS = frozenset({"div", "section", "article", "li", "header", "footer"})
_ELEMENTS_LOOKED_AT = 20_000  # bounds the search on huge pages


def split_items(tree: Any, blocks: list[Block]) -> list[Block]:
    """The blocks with one post per item when most of them come from one run of items;
    the items' headings and link lines that trafilatura dropped put back. Else `blocks`."""
    if len(blocks) < MIN_ITEMS:
        return blocks
    best: tuple[int, list[int | None], list[Any]] | None = None
    for items in _item_runs(tree):
        owners = _owners(blocks, [squash_space(item.text_content()) for item in items])
        covered = sum(owner is not None for owner in owners)
        if best is None or covered > best[0]:
            best = (covered, owners, items)
    if best is None:
        return blocks
    covered, owners, items = best
    if covered < MIN_ITEM_SHARE * len(blocks) or len({o for o in owners if o is not None}) < MIN_ITEMS:
        return blocks
    return _posts(blocks, owners, items)


def _item_runs(tree: Any) -> list[list[Any]]:
    """Runs of sibling elements of one tag and class, at least MIN_ITEMS, each closed by a
    short link of its own ("Read More"), most with a heading. Sections of a long article
    or a listicle have headings too, but not the link line: on the 624 real pages,
    requiring it took the pages this fires on from 63 to 13 (a "news about us" list
    closed by "Read more", product lists closed by "Buy on Amazon", listicles)."""
    runs = []
    for parent in islice(tree.iter(), _ELEMENTS_LOOKED_AT):
        if len(parent) < MIN_ITEMS:
            continue
        groups: dict[tuple, list[Any]] = defaultdict(list)
        for child in parent:
            if isinstance(child.tag, str):
                groups[(child.tag, child.get("class"))].append(child)
        for members in groups.values():
            if len(members) >= MIN_ITEMS and (items := _closed_items(members)):
                if 2 * sum(_heading(item) is not None for item in items) >= len(items):
                    runs.append(items)
    return runs


def _closed_items(members: list[Any]) -> list[Any]:
    """The members closed by a link line, when they are at least MIN_ITEMS and half of
    them; else [] as soon as that cannot be (most sibling runs fail on their first few)."""
    need = max(MIN_ITEMS, (len(members) + 1) // 2)
    items, misses = [], 0
    for member in members:
        if _closing_link(member):
            items.append(member)
        else:
            misses += 1
            if len(members) - misses < need:
                return []
    return items


def _heading(item: Any) -> Any:
    return next((h for h in item.iter(*_ITEM_HEADINGS) if h.text_content().strip()), None)


def _closing_link(item: Any) -> str:
    """The item's last link when it is a link line: a line of its own (not a link inside
    a sentence), short, and not the headline. Else ""."""
    last = next((a for a in reversed(list(item.iter("a")))), None)
    if last is None:
        return ""
    link = squash_space(last.text_content())
    if not link or len(link.split()) > MAX_LINK_WORDS:
        return ""
    parent = last.getparent()
    before = last.getprevious()
    text_before = (before.tail if before is not None else parent.text) or ""
    alone = squash_space(parent.text_content()) == link or (
        parent.tag in _CONTAINERS and not text_before.strip() and not (last.tail or "").strip())
    if not alone:
        return ""
    heading = _heading(item)
    return "" if heading is not None and link == squash_space(heading.text_content()) else link


def _owners(blocks: list[Block], texts: list[str]) -> list[int | None]:
    """The item each block's text comes from (items in page order), or None."""
    owners: list[int | None] = []
    current = 0
    for block in blocks:
        text = squash_space(block.text)
        found = next((k for k in range(current, len(texts)) if text in texts[k]), None)
        if found is not None:
            current = found
        owners.append(found)
    return owners


def _posts(blocks: list[Block], owners: list[int | None], items: list[Any]) -> list[Block]:
    """Each item's blocks as a post of their own, led by its headline, with its link line
    in its place; blocks outside the items stay in the post they follow."""
    out: list[Block] = []
    post, current = 0, None  # the item the latest owned block came from
    for n, (block, owner) in enumerate(zip(blocks, owners)):
        if owner is not None and owner != current:
            post += bool(out)
            current = owner
            heading = _heading(items[owner])
            if heading is not None and squash_space(block.text) != squash_space(heading.text_content()):
                out.append(Block(squash_space(heading.text_content()), BlockKind.HEADING, post=post))
        out.append(replace(block, post=post))
        if owner is not None and (n + 1 == len(blocks) or owners[n + 1] not in (owner, None)):
            _place_link_line(out, items[owner], post)  # the item's last block
    return out


def _place_link_line(out: list[Block], item: Any, post: int) -> None:
    """The item's closing link ("Read More") as a block where it stands among the item's
    blocks, unless extraction kept it."""
    link = _closing_link(item)
    run = [i for i, b in enumerate(out) if b.post == post]
    if any(out[i].text == link for i in run):
        return
    text = squash_space(item.text_content())
    at = text.rfind(link)
    after = [i for i in run if text.find(squash_space(out[i].text)) > at]
    out.insert(after[0] if after else run[-1] + 1, Block(link, BlockKind.PARAGRAPH, post=post))
