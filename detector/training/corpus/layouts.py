"""The layouts a composed page is rendered in, grouped into families: the unit of
leave-one-layout-out measurement. The held-out side of the split renders its pages in
layouts training never sees (`HELDOUT_LAYOUTS`), one of each family."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from . import render_html, render_text
from .plan import PagePlan, Part
from .writer import Writer


@dataclass(frozen=True)
class Layout:
    name: str
    family: str
    kind: str  # the kind of plan it lays out: "single", "archive" or "aggregator"
    is_html: bool
    render: Callable[[PagePlan, random.Random], Writer]


LAYOUTS = (
    Layout("news_article", "html_single", "single", True, render_html.news_article),
    Layout("wordpress_post", "html_single", "single", True, render_html.wordpress),
    Layout("div_soup", "html_single", "single", True, render_html.div_soup),
    Layout("table_layout", "html_single", "single", True, render_html.table_layout),
    Layout("text_lines", "text_single", "single", False, render_text.lines),
    Layout("text_blank_lines", "text_single", "single", False, render_text.blank_lines),
    Layout("text_hard_wrapped", "text_single", "single", False, render_text.hard_wrapped),
    Layout("text_markdown", "text_single", "single", False, render_text.markdown),
    Layout("article_posts", "html_archive", "archive", True, render_html.article_posts),
    Layout("heading_runs", "html_archive", "archive", True, render_html.heading_runs),
    Layout("wordpress_archive", "html_archive", "archive", True, render_html.wordpress),
    Layout("text_bulleted_titles", "text_archive", "archive", False, render_text.bulleted_titles),
    Layout("text_title_lines", "text_archive", "archive", False, render_text.title_lines),
    Layout("text_markdown_titles", "text_archive", "archive", False, render_text.markdown_titles),
    Layout("item_list", "aggregator", "aggregator", True, render_html.item_list),
    Layout("cards", "aggregator", "aggregator", True, render_html.cards),
    Layout("text_ledes", "aggregator", "aggregator", False, render_text.ledes),
)
# Real pages from the wceb2026 set, extracted and labelled against their gold (`real.py`).
REAL_FAMILY = "real_article"
LAYOUT_FAMILIES = tuple(dict.fromkeys(layout.family for layout in LAYOUTS)) + (REAL_FAMILY,)
HELDOUT_LAYOUTS = frozenset({"table_layout", "text_markdown", "wordpress_archive", "text_markdown_titles", "cards"})


def layouts_of_side(heldout: bool) -> tuple[Layout, ...]:
    return tuple(layout for layout in LAYOUTS if (layout.name in HELDOUT_LAYOUTS) == heldout)


@dataclass(frozen=True)
class Rendered:
    document: str
    is_html: bool
    parts: tuple[Part, ...]  # every part written, in document order
    layout: str
    family: str


def render(plan: PagePlan, layout: Layout, rng: random.Random) -> Rendered:
    writer = layout.render(plan, rng)
    return Rendered(writer.text(), layout.is_html, tuple(writer.parts), layout.name, layout.family)
