"""Composing labelled pages: layouts drawn by a seeded RNG, every block labelled by
construction (where its text came from, never a model).

A page is a single post or an archive of several, clean or with appendices (model
filler, a stock closer, tags), with chrome around and between the posts; or a real
clean article with its own chrome.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from detector.types import Block, BlockKind, Label

from ..dataset import LabelledPage
from .loaders import load_material
from .material import CleanPage, ModelText, SplitMaterial, Story
from .repair import group_sentences, split_sentences
from .split import story_bucket
from .templates import (
    CHROME_LINES, COMMENT_PROMPTS, RELATED_PREFIXES, STOCK_CLOSERS, TAG_HEADERS, byline,
    hashtag_line, keyword_stuffing_line, tag_phrases,
)

# Layout odds, chosen to resemble the seeds and ordinary news pages.
CLEAN_HTML_PAGE_ODDS = 0.12  # a real clean article from the wceb2026 gold set
ARCHIVE_ODDS = 0.4  # of composed pages: an archive of 2-5 posts
AUTOBLOG_ODDS = 0.65  # a composed page whose posts get appendices
APPENDIX_ODDS = 0.75  # a post on an autoblog page that carries an appendix
# Live blogs and round-ups bullet part of their reporting (seed 001's "In other
# news:" list): without such bodies the model learns "a list late in a post is filler".
BODY_LIST_ODDS = 0.2
BODY_LIST_HEADINGS = ("In other news:", "Key developments", "What we know so far", "Elsewhere:", "The main points")
# -> about half of all composed posts end clean, as most real news pages do.
# Page layout: posts on an archive page; blocks of chrome at the top, between posts,
# between a story and its appendix, at the bottom (odds, then 1-3 lines).
ARCHIVE_POSTS = (2, 5)
TOP_CHROME_ODDS = 0.6
BETWEEN_POSTS_CHROME_ODDS = 0.5
BEFORE_APPENDIX_CHROME_ODDS = 0.15  # "Share" between story and appendix
BOTTOM_CHROME_ODDS = 0.6
CHROME_LINES_PER_RUN = (1, 3)
# Which chrome line: a real gold snippet, one of our stock lines, a byline, else a related link.
GOLD_SNIPPET_SHARE = 0.45
STOCK_CHROME_UPTO = 0.65
BYLINE_UPTO = 0.8
# A post's body: the headline (sometimes twice), paragraphs as the story has them or
# one sentence a block, at most MAX_BODY_PARAGRAPHS.
HEADLINE_ODDS = 0.85
REPEATED_HEADLINE_ODDS = 0.3
SENTENCE_BLOCKS_ODDS = 0.3
MAX_BODY_PARAGRAPHS = 30
# Paragraphs longer than this (single-paragraph passages) are regrouped into sentences.
LONG_PARAGRAPH_CHARS = 700
BULLETED_MIN_PARAGRAPHS = 5
BULLETED_RUN = (3, 8)  # paragraphs a bulleted run holds (at least, at most)
BODY_LIST_HEADING_ODDS = 0.5
# An appendix: filler, then a stock closer (likelier with filler), then tags.
FILLER_STORY_ODDS = 0.8  # an appendix post takes a story with model texts when one is left
FILLER_SENTENCES = (4, 14)
KEY_EVENTS_ODDS = 0.2  # a numbered "key events" list inside the filler
KEY_EVENTS_MIN_SENTENCES = 5
KEY_EVENTS = (3, 5)
STOCK_CLOSER_ODDS = {True: 0.5, False: 0.3}  # by whether the appendix has filler
TAGS_AFTER_FILLER_ODDS = 0.6  # an appendix without filler always has tags
TAG_LIST_ODDS = 0.7
NUMBERED_TAGS_ODDS = 0.5
HASHTAG_LINE_ODDS = 0.6
KEYWORD_STUFFING_ODDS = 0.15
# A real clean page: a chrome snippet above, its title, its chrome below.
CLEAN_CHROME_ABOVE_ODDS = 0.5
CLEAN_TITLE_ODDS = 0.7
CLEAN_CHROME_BELOW_ODDS = 0.5
# A story paragraph that is a list item already ("1. ...", "- ..."). It reads the
# source texts, not pages, so it is not `detector.text.LIST_MARKER`: that one also
# takes "*", "–" and three-digit numbers and would change the composed corpus.
_BODY_LIST_ITEM = re.compile(r"^(?:\d{1,2}[.)]|[-•])\s+\S")


class PageBuilder:
    """Accumulates the blocks and labels of one page in order."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.labels: list[Label] = []

    def add(self, text: str, label: Label, kind: BlockKind = BlockKind.PARAGRAPH, post: int = 0) -> None:
        text = text.strip()
        if text:
            self.blocks.append(Block(text=text, kind=kind, index=len(self.blocks), post=post))
            self.labels.append(label)


def add_tags(page: PageBuilder, story: Story, post: int, rng: random.Random) -> None:
    """A tag header and a numbered or comma tag list; a hashtag line; keyword stuffing."""
    if rng.random() < TAG_LIST_ODDS:
        page.add(rng.choice(TAG_HEADERS), Label.HASHTAG_SPAM, BlockKind.HEADING, post)
        tags = tag_phrases(story, rng)
        if rng.random() < NUMBERED_TAGS_ODDS:
            for n, tag in enumerate(tags, 1):
                page.add(f"{n}. {tag}", Label.HASHTAG_SPAM, BlockKind.LIST_ITEM, post)
        else:
            page.add(", ".join(tags), Label.HASHTAG_SPAM, BlockKind.PARAGRAPH, post)
    if rng.random() < HASHTAG_LINE_ODDS:
        page.add(hashtag_line(story, rng), Label.HASHTAG_SPAM, BlockKind.PARAGRAPH, post)
    if rng.random() < KEYWORD_STUFFING_ODDS:
        page.add(keyword_stuffing_line(story, rng), Label.HASHTAG_SPAM, BlockKind.PARAGRAPH, post)


def add_filler(page: PageBuilder, filler: ModelText, post: int, rng: random.Random) -> None:
    """Model text as appended paragraphs, sometimes with a numbered "key events" list."""
    sentences = list(filler.sentences[: rng.randint(*FILLER_SENTENCES)])
    if len(sentences) >= KEY_EVENTS_MIN_SENTENCES and rng.random() < KEY_EVENTS_ODDS:
        page.add(sentences[0], Label.FILLER, BlockKind.PARAGRAPH, post)
        events = sentences[1 : 1 + rng.randint(*KEY_EVENTS)]
        for n, sentence in enumerate(events, 1):
            page.add(f"{n}. {sentence}", Label.FILLER, BlockKind.LIST_ITEM, post)
        sentences = sentences[1 + len(events) :]
    for paragraph in group_sentences(sentences, rng):
        page.add(paragraph, Label.FILLER, BlockKind.PARAGRAPH, post)


def add_appendix(
    page: PageBuilder, story: Story, filler: ModelText | None, post: int, rng: random.Random
) -> None:
    """What autoblogs append after the copied story: filler, a stock closer, tags."""
    if filler is not None:
        add_filler(page, filler, post, rng)
    if rng.random() < STOCK_CLOSER_ODDS[bool(filler)]:
        page.add(rng.choice(STOCK_CLOSERS), Label.FILLER, BlockKind.PARAGRAPH, post)
    if filler is None or rng.random() < TAGS_AFTER_FILLER_ODDS:
        add_tags(page, story, post, rng)


def add_body(page: PageBuilder, story: Story, post: int, rng: random.Random) -> None:
    """The post's reporting: headline (sometimes repeated), then the story's paragraphs."""
    if story.headline and rng.random() < HEADLINE_ODDS:
        page.add(story.headline, Label.REPORTING, BlockKind.HEADING, post)
        if rng.random() < REPEATED_HEADLINE_ODDS:
            page.add(story.headline, Label.REPORTING, BlockKind.HEADING, post)
    paragraphs = list(story.paragraphs) or group_sentences(story.sentences, rng)
    if any(len(p) > LONG_PARAGRAPH_CHARS for p in paragraphs):
        paragraphs = [q for p in paragraphs for q in (
            group_sentences(split_sentences(p), rng) if len(p) > LONG_PARAGRAPH_CHARS else [p])]
    if story.paragraphs and len(paragraphs) > 3 and rng.random() < SENTENCE_BLOCKS_ODDS:
        paragraphs = [s for p in paragraphs for s in split_sentences(p)]  # one sentence a block
    paragraphs = paragraphs[:MAX_BODY_PARAGRAPHS]
    bulleted = bulleted_run(len(paragraphs), rng)
    for n, paragraph in enumerate(paragraphs):
        if n == bulleted.start and rng.random() < BODY_LIST_HEADING_ODDS:
            page.add(rng.choice(BODY_LIST_HEADINGS), Label.REPORTING, BlockKind.HEADING, post)
        kind = BlockKind.LIST_ITEM if n in bulleted else block_kind_of_body(paragraph)
        page.add(paragraph, Label.REPORTING, kind, post)


def bulleted_run(n_paragraphs: int, rng: random.Random) -> range:
    """Body paragraphs a live blog or round-up shows as bullets (reporting all the same)."""
    if n_paragraphs < BULLETED_MIN_PARAGRAPHS or rng.random() >= BODY_LIST_ODDS:
        return range(0)
    start = rng.randint(1, n_paragraphs - 3)
    return range(start, min(n_paragraphs, start + rng.randint(*BULLETED_RUN)))


def block_kind_of_body(paragraph: str) -> BlockKind:
    """List items keep their kind; everything else in a story body is a paragraph."""
    return BlockKind.LIST_ITEM if _BODY_LIST_ITEM.match(paragraph) else BlockKind.PARAGRAPH


def chrome_line(
    material: SplitMaterial, others: Sequence[Story], rng: random.Random
) -> tuple[str, BlockKind]:
    """One line of site chrome: a real gold snippet, our own stock line, a byline or a link."""
    roll = rng.random()
    if roll < GOLD_SNIPPET_SHARE and material.boilerplate:
        return rng.choice(material.boilerplate), BlockKind.PARAGRAPH
    if roll < STOCK_CHROME_UPTO:
        return rng.choice(CHROME_LINES + COMMENT_PROMPTS), BlockKind.PARAGRAPH
    if roll < BYLINE_UPTO:
        return byline(rng), BlockKind.PARAGRAPH
    headlines = [s.headline for s in others if s.headline]
    if not headlines:
        return rng.choice(CHROME_LINES), BlockKind.PARAGRAPH
    return rng.choice(RELATED_PREFIXES) + rng.choice(headlines), BlockKind.LIST_ITEM


def add_chrome(page: PageBuilder, material: SplitMaterial, others: Sequence[Story], post: int,
               odds: float, rng: random.Random) -> None:
    """With the given odds, 1-3 boilerplate lines."""
    if rng.random() < odds:
        for _ in range(rng.randint(*CHROME_LINES_PER_RUN)):
            text, kind = chrome_line(material, others, rng)
            page.add(text, Label.BOILERPLATE, kind, post)


@dataclass(frozen=True)
class PostPlan:
    """One post of a composed page: its story and its filler (None: no filler)."""

    story: Story
    appendix: bool
    filler: ModelText | None


def plan_posts(pool: Sequence[Story], n_posts: int, autoblog: bool, rng: random.Random) -> list[PostPlan]:
    """Choose the stories of a page and which of them get an appendix, and with what filler."""
    unused = list(pool)
    rng.shuffle(unused)
    plans = []
    for _ in range(min(n_posts, len(unused))):
        appendix = autoblog and rng.random() < APPENDIX_ODDS
        with_filler = [i for i, s in enumerate(unused) if s.fillers]
        if appendix and with_filler and rng.random() < FILLER_STORY_ODDS:
            story = unused.pop(rng.choice(with_filler))
            plans.append(PostPlan(story, True, rng.choice(story.fillers)))
        else:
            plans.append(PostPlan(unused.pop(), appendix, None))
    return plans


def page_source(plans: Sequence[PostPlan]) -> str:
    """"<reporting source>+<filler source>"; "mixed" where posts differ, "none" without filler."""
    reporting = sorted({p.story.source for p in plans})
    fillers = sorted({p.filler.source for p in plans if p.filler})
    reporting_part = reporting[0] if len(reporting) == 1 else "mixed"
    filler_part = fillers[0] if len(fillers) == 1 else ("mixed" if fillers else "none")
    return f"{reporting_part}+{filler_part}"


def compose_story_page(material: SplitMaterial, pool: Sequence[Story], page_id: str, group: str,
                       rng: random.Random) -> LabelledPage:
    """A single post or an archive of 2-5 posts, clean or with appendices, with chrome."""
    archive = rng.random() < ARCHIVE_ODDS
    autoblog = rng.random() < AUTOBLOG_ODDS
    plans = plan_posts(pool, rng.randint(*ARCHIVE_POSTS) if archive else 1, autoblog, rng)
    page = PageBuilder()
    add_chrome(page, material, pool, 0, TOP_CHROME_ODDS, rng)
    for post, plan in enumerate(plans):
        if post:
            add_chrome(page, material, pool, post, BETWEEN_POSTS_CHROME_ODDS, rng)
        add_body(page, plan.story, post, rng)
        if plan.appendix:
            add_chrome(page, material, pool, post, BEFORE_APPENDIX_CHROME_ODDS, rng)
            add_appendix(page, plan.story, plan.filler, post, rng)
    add_chrome(page, material, pool, len(plans) - 1, BOTTOM_CHROME_ODDS, rng)
    return LabelledPage(id=page_id, blocks=tuple(page.blocks), labels=tuple(page.labels),
                        group=group, source=page_source(plans))


def compose_clean_page(
    material: SplitMaterial, clean: CleanPage, page_id: str, rng: random.Random
) -> LabelledPage:
    """A real clean article: its title and main text as reporting, its own chrome around it."""
    page = PageBuilder()
    if clean.chrome and rng.random() < CLEAN_CHROME_ABOVE_ODDS:
        page.add(rng.choice(clean.chrome), Label.BOILERPLATE)
    if clean.title and rng.random() < CLEAN_TITLE_ODDS:
        page.add(clean.title, Label.REPORTING, BlockKind.HEADING)
    for text, kind in clean.blocks:
        page.add(text, Label.REPORTING, kind)
    if clean.chrome and rng.random() < CLEAN_CHROME_BELOW_ODDS:
        for snippet in rng.sample(list(clean.chrome), min(len(clean.chrome), rng.randint(*CHROME_LINES_PER_RUN))):
            page.add(snippet, Label.BOILERPLATE)
    return LabelledPage(id=page_id, blocks=tuple(page.blocks), labels=tuple(page.labels),
                        group=story_bucket(material.split, clean.key), source="wceb2026+none")


def compose_pages(material: SplitMaterial, n_pages: int, rng: random.Random) -> list[LabelledPage]:
    """`n_pages` pages of one side of the split."""
    buckets: dict[str, list[Story]] = defaultdict(list)
    for story in material.stories:
        buckets[story_bucket(material.split, story.key)].append(story)
    names = sorted(buckets)
    pages = []
    for n in range(n_pages):
        page_id = f"{material.split.name}/{n:05d}"
        if material.clean_pages and rng.random() < CLEAN_HTML_PAGE_ODDS:
            pages.append(compose_clean_page(material, rng.choice(material.clean_pages), page_id, rng))
        else:
            group = rng.choice(names)
            pages.append(compose_story_page(material, buckets[group], page_id, group, rng))
    return pages


def build_corpus(
    data_dir: Path, *, seed: int = 0, n_train: int, n_heldout: int
) -> tuple[list[LabelledPage], list[LabelledPage]]:
    """Compose (train pages, held-out pages) from the shared data; the same seed, the same pages.

    Each side draws from its own RNG, so 0 pages of one side leave the other side's
    pages exactly as they are (the quality floors compose the held-out side alone).
    """
    train, heldout = load_material(Path(data_dir))
    return (
        compose_pages(train, n_train, random.Random(f"{seed}/train")),
        compose_pages(heldout, n_heldout, random.Random(f"{seed}/heldout")),
    )
