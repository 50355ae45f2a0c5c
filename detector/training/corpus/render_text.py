"""Plain-text layouts, as scrapers save pages: a paragraph a line or blank-line
paragraphs, hard-wrapped columns, `#` titles, bulleted post titles with indented bodies,
plain title lines with "Continue reading" or "Source: ..." between posts."""

from __future__ import annotations

import random
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from . import vocab
from .plan import PagePlan, Post, Role
from .writer import Writer, site_chrome

WRAP_WIDTH = 72
SITE_NAME_ODDS = 0.6
NAV_LINE_ODDS = 0.3
ARCHIVE_HEADING_ODDS = 0.5
FOOTER_ODDS = 0.5
NUMBERED_TAGS_ODDS = 0.5
SEPARATOR_ODDS = 0.55
SOURCE_LINE_ODDS = 0.2
BULLETS = ("- ", "• ", "* ")
# Bulleted-title archives leave runs of blank lines between a post and the next.
POST_GAPS = (1, 1, 2, 4)
_WRAPPED = (Role.PARAGRAPH, Role.LIST_ITEM)


@dataclass(frozen=True)
class TextStyle:
    title: Callable[[str], str]  # how a post's title line looks
    gap: str  # between paragraphs: "" (a paragraph a line) or "\n" (a blank line)
    wrap: bool = False
    bulleted_titles: bool = False  # "  • Title" with the body indented below it
    separators: bool = False  # "Continue reading", "Source: ..." between posts


def _post_lines(w: Writer, post: Post, style: TextStyle, rng: random.Random) -> None:
    bullet = rng.choice(BULLETS)
    numbered = rng.random() < NUMBERED_TAGS_ODDS
    indent = "    " if style.bulleted_titles else ""
    tag_number = 0
    for part in post.parts:
        if part.role is Role.HEADLINE:
            line = f"  • {part.text}" if style.bulleted_titles else style.title(part.text)
        elif part.role is Role.LIST_ITEM:
            line = indent + bullet + part.text
        elif part.role is Role.TAG_ITEM:
            tag_number += 1
            line = indent + (f"{tag_number}. {part.text}" if numbered else part.text)
        elif style.wrap and part.role in _WRAPPED:
            line = "\n".join(indent + row for row in textwrap.wrap(part.text, WRAP_WIDTH))
        else:
            line = indent + part.text
        w.written_as(part, line + "\n")
        if part.role not in (Role.TAG_ITEM, Role.TAG_HEADER, Role.LIST_ITEM):
            w.raw(style.gap)


def _separator(rng: random.Random, plan: PagePlan) -> str | None:
    roll = rng.random()
    if roll < SEPARATOR_ODDS:
        return rng.choice(vocab.POST_SEPARATORS)
    if roll < SEPARATOR_ODDS + SOURCE_LINE_ODDS:
        return vocab.source_line(rng, plan.site.name)
    return None


def text_layout(style: TextStyle) -> Callable[[PagePlan, random.Random], Writer]:
    def render(plan: PagePlan, rng: random.Random) -> Writer:
        w = Writer()
        if rng.random() < SITE_NAME_ODDS:
            w.part(site_chrome(plan.site.name), "{}\n\n", escape=False)
        if rng.random() < NAV_LINE_ODDS:
            w.part(site_chrome(" | ".join(plan.site.nav)), "{}\n\n", escape=False)
        if plan.kind == "archive" and rng.random() < ARCHIVE_HEADING_ODDS:
            w.part(site_chrome(plan.title.split(" – ")[0]), "{}\n\n", escape=False)
        for n, post in enumerate(plan.posts):
            separator = _separator(rng, plan) if style.separators and n else None
            if separator:
                w.part(site_chrome(separator), "{}\n" + (style.gap or "\n"), escape=False)
            _post_lines(w, post, style, rng)
            w.raw("\n" * rng.choice(POST_GAPS) if style.bulleted_titles else "\n")
        if rng.random() < FOOTER_ODDS:
            w.raw("\n")
            for line in plan.site.footer:
                w.part(site_chrome(line), "{}\n", escape=False)
        return w

    return render


def _plain(title: str) -> str:
    return title


lines = text_layout(TextStyle(_plain, ""))
blank_lines = text_layout(TextStyle(_plain, "\n"))
hard_wrapped = text_layout(TextStyle(_plain, "\n", wrap=True))
markdown = text_layout(TextStyle(lambda t: f"# {t}", "\n"))
bulleted_titles = text_layout(TextStyle(_plain, "\n", bulleted_titles=True))
title_lines = text_layout(TextStyle(_plain, "\n", separators=True))
markdown_titles = text_layout(TextStyle(lambda t: f"## {t}", "\n", separators=True))
ledes = text_layout(TextStyle(_plain, "\n"))
