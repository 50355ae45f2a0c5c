"""What a composed page holds before it is rendered: site chrome and posts of labelled parts.

A plan knows where every piece of text came from (its label) and what it is on the page
(its role); a layout (`layouts.py`) renders it as HTML or plain text, extraction makes
blocks of that, and alignment (`align.py`) carries the labels over to the blocks.

Every page takes its model text from one generator family (the unit of
leave-one-generator-out): the filler an autoblog appends, and a model rewrite that is
a post's only telling (reporting, like seed 000's opening).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from detector.types import Label

from . import vocab
from .fillers import FillerPool, generator_family
from .material import ModelText, SplitMaterial, Story
from .repair import group_sentences, split_sentences
from .templates import hashtag_line, keyword_stuffing_line, tag_phrases


class Role(str, Enum):
    """What a part is on the page; layouts choose markup by it."""

    HEADLINE = "headline"
    SUBHEADING = "subheading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    BYLINE = "byline"
    CHROME = "chrome"
    RELATED = "related"
    READ_MORE = "read_more"
    TAG_HEADER = "tag_header"
    TAG_ITEM = "tag_item"
    TAG_LINE = "tag_line"
    HASHTAGS = "hashtags"
    KEYWORDS = "keywords"


@dataclass(frozen=True)
class Part:
    text: str
    label: Label
    role: Role


@dataclass(frozen=True)
class Post:
    parts: tuple[Part, ...]

    @property
    def headline(self) -> Part | None:
        return self.parts[0] if self.parts and self.parts[0].role is Role.HEADLINE else None


@dataclass(frozen=True)
class Site:
    name: str
    nav: tuple[str, ...]
    footer: tuple[str, ...]
    sidebar: tuple[str, ...]  # related headlines, outside the content


@dataclass(frozen=True)
class PagePlan:
    kind: str  # "single", "archive" or "aggregator"
    site: Site
    title: str  # the document's <title>
    posts: tuple[Post, ...]
    generator: str  # the generator family of its model text, "none" or "mixed"
    sources: tuple[str, ...]  # reporting and filler sources, in order of use


# Odds of what a page holds. Headlines as often on posts with an appendix as on clean
# ones (the old corpus had none on 44% of filler posts against 23% of clean ones, which
# taught "no headline means filler"); few stock closers (the old corpus put one in 14%
# of filler blocks, and the model leaned on it).
HEADLINE_ODDS = 0.85
BYLINE_ODDS = 0.35
AUTOBLOG_ODDS = 0.65  # a page whose posts may carry appendices
APPENDIX_ODDS = 0.7  # a post on an autoblog page that carries one
FILLER_ODDS = 0.85  # an appendix with model text before its tags (else tags alone)
RETELLING_ODDS = 0.55  # of those: a same-story model text when there is one; else another topic
CLOSER_ODDS = 0.12
TAGS_AFTER_FILLER_ODDS = 0.65
CHROME_BEFORE_APPENDIX_ODDS = 0.12  # "Share" between the story and what was appended
CHROME_AFTER_POST_ODDS = 0.3
GOLD_SNIPPET_ODDS = 0.35  # a chrome line is a real `without` snippet of the HTML gold sets
ARCHIVE_POSTS = (2, 5)
AGGREGATOR_ITEMS = (4, 10)
ASIDE_ODDS = 0.35  # an aggregator item followed by a model-written aside
LEDE_PARAGRAPHS = (1, 1, 2)
ASIDE_PARAGRAPHS = (1, 1, 2)
# Filler paragraphs of whole sentences: model paragraphs in the wild run around 45 words.
FILLER_SENTENCES = (4, 12)
FILLER_PARAGRAPH_SENTENCES = (1, 2, 2, 2, 3, 3)
TAKEAWAYS_ODDS = 0.12  # a model's "Key takeaways" list
TAKEAWAY_HEADINGS = ("Key takeaways", "Highlights", "Summary", "In summary")
MAX_BODY_PARAGRAPHS = 30
LONG_PARAGRAPH_CHARS = 700
BODY_LIST_ODDS = 0.15  # live blogs and round-ups bullet part of their reporting
BODY_LIST_HEADINGS = ("Key points", "What we know", "The main points", "In brief", "Background")
BODY_LIST_ITEMS = (3, 6)
TAG_LIST_ODDS = 0.45  # a tag header with one item a line; else an inline tag line
TAG_LINE_ODDS = 0.35
TAG_LINE_HEADER_ODDS = 0.7
HASHTAG_ODDS = 0.55
KEYWORD_ODDS = 0.12
RELATED_PREFIXES = ("Read more: ", "Related: ", "See also: ", "Also read: ", "")
SIDEBAR_HEADLINES = 5
STORIES_DRAWN_PER_POST = 12  # candidates a page draws before filtering by generator family
COPYRIGHT_YEARS = (2015, 2026)


def make_site(material: SplitMaterial, rng: random.Random) -> Site:
    name = vocab.site_name(rng)
    footer = [f"© {rng.randint(*COPYRIGHT_YEARS)} {name}. All rights reserved.", "Privacy Policy", "Terms of Use"]
    sidebar = [s.headline for s in rng.sample(list(material.stories), SIDEBAR_HEADLINES) if s.headline]
    return Site(name=name, nav=tuple(vocab.nav_items(rng)), footer=tuple(rng.sample(footer, rng.randint(1, 3))),
                sidebar=tuple(sidebar))


def chrome_part(material: SplitMaterial, site: Site, rng: random.Random) -> Part:
    """One line of chrome inside the content: a real gold snippet, a byline, a related
    headline or a line of our own families."""
    if material.boilerplate and rng.random() < GOLD_SNIPPET_ODDS:
        return Part(rng.choice(material.boilerplate), Label.BOILERPLATE, Role.CHROME)
    roll = rng.random()
    if roll < 0.2:
        return Part(vocab.byline(rng), Label.BOILERPLATE, Role.BYLINE)
    if roll < 0.35 and site.sidebar:
        return Part(rng.choice(RELATED_PREFIXES) + rng.choice(site.sidebar), Label.BOILERPLATE, Role.RELATED)
    return Part(vocab.chrome_line(rng, site.name), Label.BOILERPLATE, Role.CHROME)


def body_parts(story: Story, rng: random.Random, headline: bool) -> list[Part]:
    """The story as reporting: its headline, its paragraphs, sometimes a bulleted run."""
    parts = [Part(story.headline, Label.REPORTING, Role.HEADLINE)] if headline and story.headline else []
    paragraphs = list(story.paragraphs) or group_sentences(story.sentences, rng)
    paragraphs = [q for p in paragraphs
                  for q in (group_sentences(split_sentences(p), rng) if len(p) > LONG_PARAGRAPH_CHARS else [p])]
    paragraphs = paragraphs[:MAX_BODY_PARAGRAPHS]
    bulleted = range(0)
    if len(paragraphs) >= 6 and rng.random() < BODY_LIST_ODDS:
        start = rng.randint(2, len(paragraphs) - 3)
        bulleted = range(start, min(len(paragraphs), start + rng.randint(*BODY_LIST_ITEMS)))
    for n, paragraph in enumerate(paragraphs):
        if len(bulleted) and n == bulleted.start and rng.random() < 0.5:
            parts.append(Part(rng.choice(BODY_LIST_HEADINGS), Label.REPORTING, Role.SUBHEADING))
        parts.append(Part(paragraph, Label.REPORTING, Role.LIST_ITEM if n in bulleted else Role.PARAGRAPH))
    return parts


def filler_parts(filler: ModelText, rng: random.Random) -> list[Part]:
    """Model text as paragraphs of whole sentences, sometimes led by a takeaways list."""
    sentences = list(filler.sentences[: rng.randint(*FILLER_SENTENCES)])
    paragraphs, i = [], 0
    while i < len(sentences):
        size = rng.choice(FILLER_PARAGRAPH_SENTENCES)
        paragraphs.append(" ".join(sentences[i : i + size]))
        i += size
    parts = []
    if len(paragraphs) >= 3 and rng.random() < TAKEAWAYS_ODDS:
        parts.append(Part(rng.choice(TAKEAWAY_HEADINGS), Label.FILLER, Role.SUBHEADING))
        parts += [Part(p, Label.FILLER, Role.LIST_ITEM) for p in paragraphs[:3]]
        paragraphs = paragraphs[3:]
    return parts + [Part(p, Label.FILLER, Role.PARAGRAPH) for p in paragraphs]


def tag_parts(story: Story, rng: random.Random) -> list[Part]:
    """A tag header with a list, or an inline tag line; a hashtag line; keyword stuffing."""
    parts = []
    tags = tag_phrases(story, rng)
    style = rng.random()
    if style < TAG_LIST_ODDS:
        parts.append(Part(rng.choice(vocab.TAG_HEADERS), Label.HASHTAG_SPAM, Role.TAG_HEADER))
        parts += [Part(t, Label.HASHTAG_SPAM, Role.TAG_ITEM) for t in tags]
    elif style < TAG_LIST_ODDS + TAG_LINE_ODDS:
        line = rng.choice(vocab.TAG_SEPARATORS).join(tags)
        if rng.random() < TAG_LINE_HEADER_ODDS:
            line = f"{rng.choice(vocab.TAG_HEADERS).rstrip(':')}: {line}"
        parts.append(Part(line, Label.HASHTAG_SPAM, Role.TAG_LINE))
    if not parts or rng.random() < HASHTAG_ODDS:
        parts.append(Part(hashtag_line(story, rng), Label.HASHTAG_SPAM, Role.HASHTAGS))
    if rng.random() < KEYWORD_ODDS:
        parts.append(Part(keyword_stuffing_line(story, rng), Label.HASHTAG_SPAM, Role.KEYWORDS))
    return parts


def appendix_parts(story: Story, filler: ModelText | None, material: SplitMaterial, site: Site,
                   rng: random.Random) -> list[Part]:
    """What an autoblog appends after the copied story: model text, a closer, tags."""
    parts: list[Part] = []
    if rng.random() < CHROME_BEFORE_APPENDIX_ODDS:
        parts.append(chrome_part(material, site, rng))
    if filler is not None:
        parts += filler_parts(filler, rng)
        if rng.random() < CLOSER_ODDS:
            parts.append(Part(vocab.stock_closer(rng), Label.FILLER, Role.PARAGRAPH))
    if filler is None or rng.random() < TAGS_AFTER_FILLER_ODDS:
        parts += tag_parts(story, rng)
    return parts


def choose_filler(story: Story, pool: FillerPool, rng: random.Random) -> ModelText | None:
    """A same-story retelling, or model text about another topic, or none (tags alone)."""
    if rng.random() >= FILLER_ODDS:
        return None
    if rng.random() < RETELLING_ODDS:
        same = pool.retelling(story, rng)
        if same is not None:
            return same
    return pool.other_topic(story, rng)


def story_post(story: Story, pool: FillerPool | None, material: SplitMaterial, site: Site,
               rng: random.Random) -> tuple[Post, ModelText | None]:
    """One post: the story, on an autoblog page perhaps an appendix, perhaps chrome after."""
    parts = body_parts(story, rng, headline=rng.random() < HEADLINE_ODDS)
    if parts and parts[0].role is Role.HEADLINE and rng.random() < BYLINE_ODDS:
        parts.insert(1, Part(vocab.byline(rng), Label.BOILERPLATE, Role.BYLINE))
    filler = None
    if pool is not None and rng.random() < APPENDIX_ODDS:
        filler = choose_filler(story, pool, rng)
        parts += appendix_parts(story, filler, material, site, rng)
    if rng.random() < CHROME_AFTER_POST_ODDS:
        parts.append(chrome_part(material, site, rng))
    return Post(tuple(parts)), filler


def plan_story_page(material: SplitMaterial, stories: Sequence[Story], kind: str,
                    pools: dict[str, FillerPool], rng: random.Random) -> PagePlan:
    """A single post ("single") or an archive of 2-5 posts ("archive")."""
    site = make_site(material, rng)
    family = rng.choice(sorted(pools))
    pool = pools[family] if rng.random() < AUTOBLOG_ODDS else None
    posts, sources = [], []
    for story in stories_for(stories, 1 if kind == "single" else rng.randint(*ARCHIVE_POSTS), family, pool, rng):
        post, filler = story_post(story, pool, material, site, rng)
        posts.append(post)
        sources += [story.source] + ([filler.source] if filler else [])
    headline = posts[0].headline
    if kind == "single" and headline:
        title = f"{headline.text} {rng.choice(('|', '-', '–', '::'))} {site.name}"
    else:
        title = f"{rng.choice(('Tag', 'Category', 'Archive', 'Topic'))}: {rng.choice(site.nav)} – {site.name}"
    return PagePlan(kind, site, title, tuple(posts), family_of(sources), tuple(dict.fromkeys(sources)))


def plan_aggregator(material: SplitMaterial, stories: Sequence[Story], pools: dict[str, FillerPool],
                    rng: random.Random) -> PagePlan:
    """Short independent items (a title, a lede, a link line), some followed by a model aside."""
    site = make_site(material, rng)
    family = rng.choice(sorted(pools))
    pool = pools[family] if rng.random() < AUTOBLOG_ODDS else None
    posts, sources = [], []
    for story in stories_for(stories, rng.randint(*AGGREGATOR_ITEMS), family, pool, rng):
        body = body_parts(story, rng, headline=True)
        lede = next((i for i, p in enumerate(body) if p.role is not Role.HEADLINE), len(body))
        parts = body[: lede + rng.choice(LEDE_PARAGRAPHS)]
        parts.append(Part(vocab.read_more_line(rng), Label.BOILERPLATE, Role.READ_MORE))
        sources.append(story.source)
        aside = choose_filler(story, pool, rng) if pool is not None and rng.random() < ASIDE_ODDS else None
        if aside is not None:
            paragraphs = [p for p in filler_parts(aside, rng) if p.role is Role.PARAGRAPH]
            parts += paragraphs[: rng.choice(ASIDE_PARAGRAPHS)]
            sources.append(aside.source)
        posts.append(Post(tuple(parts)))
    title = f"{rng.choice(('Top stories', 'Latest news', 'Headlines', 'News roundup', 'Today'))} – {site.name}"
    return PagePlan("aggregator", site, title, tuple(posts), family_of(sources), tuple(dict.fromkeys(sources)))


def family_of(sources: Sequence[str]) -> str:
    families = {generator_family(s) for s in sources} - {"none"}
    if len(families) > 1:
        return "mixed"
    return families.pop() if families else "none"


def stories_for(stories: Sequence[Story], n: int, family: str, pool: FillerPool | None,
                rng: random.Random) -> list[Story]:
    """A page's stories: human tellings and the model rewrites of the page's family; with a
    filler pool, stories it holds retellings of first."""
    drawn = rng.sample(list(stories), min(len(stories), n * STORIES_DRAWN_PER_POST))
    eligible = [s for s in drawn if generator_family(s.source) in ("none", family)]
    if pool is not None:
        eligible.sort(key=lambda s: s.key not in pool.by_story)  # stable: drawn order within each side
    return eligible[:n]
