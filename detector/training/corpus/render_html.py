"""HTML templates: CMS themes, bare div soup, an old table layout, archives with and
without post containers, aggregator lists and cards. Every word on the page is a
labelled part (site chrome too), so alignment never meets text of unknown origin."""

from __future__ import annotations

import random

from detector.types import Label

from .plan import PagePlan, Part, Post, Role
from .writer import Writer, site_chrome

_ROLE_MARKUP = {
    Role.SUBHEADING: ("<h2>{}</h2>", "<h3>{}</h3>", "<p><strong>{}</strong></p>"),
    Role.PARAGRAPH: ("<p>{}</p>",),
    Role.BYLINE: ('<div class="byline">{}</div>', '<p class="meta">{}</p>', "<p><em>{}</em></p>",
                  '<span class="author">{}</span>'),
    Role.CHROME: ('<p><a href="/x">{}</a></p>', '<div class="share">{}</div>', "<p>{}</p>",
                  '<a class="btn" href="/x">{}</a>'),
    Role.RELATED: ('<p><a href="/story/y">{}</a></p>', '<div class="related"><a href="/story/y">{}</a></div>'),
    Role.READ_MORE: ('<p><a href="/story/y" class="more">{}</a></p>', '<a href="/story/y">{}</a>'),
    Role.TAG_LINE: ("<p>{}</p>", '<div class="tags">{}</div>', "<p><small>{}</small></p>"),
    Role.HASHTAGS: ("<p>{}</p>",),
    Role.KEYWORDS: ("<p>{}</p>",),
}
_TAG_LIST_CLASSES = ("", ' class="tags"', ' class="post-tags"', ' class="entry-tags"', ' class="keywords"')
_SIDEBAR_CLASSES = ("sidebar", "widget-area", "right-col", "more")
_SIDEBAR_TITLES = ("Related", "Recent Posts", "Most Popular", "Trending", "More stories")
SIDEBAR_ODDS = 0.7
BR_PARAGRAPHS_ODDS = 0.5  # div soup: a post's paragraphs as one <br><br> run
RULE_ODDS = 0.5


def head(w: Writer, plan: PagePlan) -> None:
    w.raw('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">')
    # A single post's <title> is its headline and the site name: reporting by its words.
    label = Label.REPORTING if plan.kind == "single" and plan.posts[0].headline else Label.BOILERPLATE
    w.part(Part(plan.title, label, Role.HEADLINE), "<title>{}</title>")
    w.raw('<meta name="viewport" content="width=device-width, initial-scale=1">'
          '<link rel="stylesheet" href="/style.css"></head>\n')


def nav(w: Writer, plan: PagePlan, tag: str = "nav", cls: str = "menu") -> None:
    w.raw(f'<{tag} class="{cls}"><ul>')
    for item in plan.site.nav:
        w.part(site_chrome(item), '<li><a href="/section/x">{}</a></li>')
    w.raw(f"</ul></{tag}>\n")


def sidebar(w: Writer, plan: PagePlan, rng: random.Random) -> None:
    if not plan.site.sidebar or rng.random() >= SIDEBAR_ODDS:
        return
    w.raw(f'<aside class="{rng.choice(_SIDEBAR_CLASSES)}">')
    w.part(site_chrome(rng.choice(_SIDEBAR_TITLES)), "<h3>{}</h3>")
    w.raw("<ul>")
    for headline in plan.site.sidebar:
        w.part(Part(headline, Label.BOILERPLATE, Role.RELATED), '<li><a href="/story/y">{}</a></li>')
    w.raw("</ul></aside>\n")


def footer(w: Writer, plan: PagePlan, tag: str = "footer") -> None:
    w.raw(f'<{tag} class="site-footer">')
    for line in plan.site.footer:
        w.part(site_chrome(line), "<p>{}</p>")
    w.raw(f"</{tag}></body></html>\n")


def tags(w: Writer, parts: list[Part], rng: random.Random) -> None:
    """A tag header and its items: an ordered or bulleted list, or inline links."""
    header, items = parts[0], parts[1:]
    cls = rng.choice(_TAG_LIST_CLASSES)
    style = rng.random()
    if style < 0.7:
        w.part(header, rng.choice(("<h4>{}</h4>", "<p><strong>{}</strong></p>", "<h3>{}</h3>")))
        tag = "ol" if style < 0.4 else "ul"
        w.raw(f"<{tag}{cls}>")
        for item in items:
            w.part(item, "<li>{}</li>" if tag == "ol" else '<li><a href="/tag/z">{}</a></li>')
        w.raw(f"</{tag}>")
    else:
        w.raw(f"<div{cls}>")
        w.part(header, "<span>{}</span> ")
        for n, item in enumerate(items):
            w.part(item, (", " if n else "") + '<a href="/tag/z" rel="tag">{}</a>')
        w.raw("</div>")


def posts_in(w: Writer, plan: PagePlan, rng: random.Random, headline_tag: str, opening: str, closing: str) -> None:
    """Every post of the page, each inside its own element (`opening` ... `closing`)."""
    for item in plan.posts:
        w.raw(opening)
        post(w, item, rng, headline_tag)
        w.raw(closing)


def post(w: Writer, post: Post, rng: random.Random, headline_tag: str = "h1", br_paragraphs: bool = False) -> None:
    """A post's parts as HTML: list items and tag items grouped into lists; paragraphs
    optionally one <br><br> run."""
    parts = list(post.parts)
    styles = {role: rng.choice(options) for role, options in _ROLE_MARKUP.items()}
    i = 0
    while i < len(parts):
        part = parts[i]
        if part.role is Role.LIST_ITEM:
            run = _run(parts, i, Role.LIST_ITEM)
            w.raw("<ul>")
            for item in run:
                w.part(item, "<li>{}</li>")
            w.raw("</ul>")
        elif part.role is Role.TAG_HEADER:
            run = [part] + _run(parts, i + 1, Role.TAG_ITEM)
            tags(w, run, rng)
        elif part.role is Role.PARAGRAPH and br_paragraphs:
            run = _run(parts, i, Role.PARAGRAPH)
            w.raw('<div class="text">')
            for n, paragraph in enumerate(run):
                w.part(paragraph, "<br><br>{}" if n else "{}")
            w.raw("</div>")
        else:
            run = [part]
            w.part(part, f"<{headline_tag}>{{}}</{headline_tag}>" if part.role is Role.HEADLINE
                   else styles.get(part.role, "<p>{}</p>"))
        i += len(run)


def _run(parts: list[Part], start: int, role: Role) -> list[Part]:
    end = start
    while end < len(parts) and parts[end].role is role:
        end += 1
    return parts[start:end]


# ---------------------------------------------------------------- single posts


def news_article(plan: PagePlan, rng: random.Random) -> Writer:
    w = Writer()
    head(w, plan)
    w.raw('<body><header class="site-header">')
    w.part(site_chrome(plan.site.name), '<a class="logo" href="/">{}</a>')
    nav(w, plan)
    w.raw("<main>")
    posts_in(w, plan, rng, "h1", "<article>", "</article>\n")
    sidebar(w, plan, rng)
    w.raw("</main>")
    footer(w, plan)
    return w


def wordpress(plan: PagePlan, rng: random.Random) -> Writer:
    """A WordPress theme: article.post > header.entry-header + div.entry-content; an archive
    when the plan holds several posts."""
    archive = plan.kind != "single"
    w = Writer()
    head(w, plan)
    w.raw('<body class="post-template-default"><div id="page" class="site"><header id="masthead" class="site-header">')
    w.part(site_chrome(plan.site.name), '<p class="site-title"><a href="/" rel="home">{}</a></p>')
    nav(w, plan, "nav", "main-navigation")
    w.raw('</header><div id="content" class="site-content"><div id="primary" class="content-area">'
          '<main id="main" class="site-main">')
    if archive:
        w.part(site_chrome(plan.title.split(" – ")[0]), '<header class="page-header"><h1 class="page-title">{}</h1></header>')
    for n, item in enumerate(plan.posts):
        w.raw(f'<article id="post-{1000 + n}" class="post-{1000 + n} post type-post status-publish hentry">')
        parts = list(item.parts)
        if item.headline:
            w.raw('<header class="entry-header">')
            w.part(parts.pop(0), '<h2 class="entry-title"><a href="/p">{}</a></h2>' if archive
                   else '<h1 class="entry-title">{}</h1>')
            w.raw("</header>")
        w.raw('<div class="entry-content">')
        post(w, Post(tuple(parts)), rng)
        w.raw("</div></article>\n")
    w.raw("</main></div>")
    sidebar(w, plan, rng)
    w.raw("</div>")
    footer(w, plan)
    return w


def div_soup(plan: PagePlan, rng: random.Random) -> Writer:
    """No semantic tags at all; paragraphs often one <br><br> run inside one div."""
    w = Writer()
    head(w, plan)
    w.raw('<body><div class="wrapper"><div class="top">')
    w.part(site_chrome(plan.site.name), '<div class="logo"><b>{}</b></div>')
    w.raw('<div class="menu">')
    for item in plan.site.nav:
        w.part(site_chrome(item), '<a href="/s">{}</a> | ')
    w.raw('</div></div><div class="main"><div class="left">')
    for story in plan.posts:
        w.raw('<div class="story">')
        post(w, story, rng, rng.choice(("h1", "h2", "h3")), br_paragraphs=rng.random() < BR_PARAGRAPHS_ODDS)
        w.raw("</div>")
    w.raw('</div><div class="right">')
    for headline in plan.site.sidebar[:3]:
        w.part(Part(headline, Label.BOILERPLATE, Role.RELATED), '<div><a href="/r">{}</a></div>')
    w.raw("</div></div>")
    footer(w, plan, "div")
    return w


def table_layout(plan: PagePlan, rng: random.Random) -> Writer:
    """An old table layout: a banner row, the content cell beside a link column."""
    w = Writer()
    head(w, plan)
    w.raw('<body><table width="100%" border="0"><tr><td colspan="2">')
    w.part(site_chrome(plan.site.name), '<font size="5"><b>{}</b></font><br>')
    for item in plan.site.nav:
        w.part(site_chrome(item), '<a href="/s">{}</a> ')
    w.raw('</td></tr><tr><td width="75%" valign="top">')
    for story in plan.posts:
        post(w, story, rng, "h2")
    w.raw('</td><td valign="top">')
    for headline in plan.site.sidebar[:4]:
        w.part(Part(headline, Label.BOILERPLATE, Role.RELATED), '<p><a href="/r">{}</a></p>')
    w.raw("</td></tr></table>")
    footer(w, plan, "div")
    return w


# ---------------------------------------------------------------- archives and aggregators


def article_posts(plan: PagePlan, rng: random.Random) -> Writer:
    """An archive: an <article> per post with an h2 title."""
    w = Writer()
    head(w, plan)
    w.raw("<body><header>")
    w.part(site_chrome(plan.site.name), '<h1 class="site">{}</h1>')
    nav(w, plan)
    w.raw("</header><main>")
    w.part(site_chrome(plan.title.split(" – ")[0]), '<h2 class="archive-title">{}</h2>')
    posts_in(w, plan, rng, "h2", '<article class="post">', "</article>\n")
    w.raw("</main>")
    footer(w, plan)
    return w


def heading_runs(plan: PagePlan, rng: random.Random) -> Writer:
    """An archive without post containers: a heading, the post's paragraphs, repeated."""
    w = Writer()
    head(w, plan)
    w.raw('<body><div id="header">')
    w.part(site_chrome(plan.site.name), '<div class="brand">{}</div>')
    nav(w, plan, "div", "nav")
    w.raw('</div><div id="content">')
    tag = rng.choice(("h2", "h3"))
    for item in plan.posts:
        post(w, item, rng, tag)
        if rng.random() < RULE_ODDS:
            w.raw("<hr>")
    w.raw("</div>")
    footer(w, plan, "div")
    return w


def item_list(plan: PagePlan, rng: random.Random) -> Writer:
    """An aggregator: a list of items (title, lede, link line; an aside inside the item)."""
    w = Writer()
    head(w, plan)
    w.raw("<body><header>")
    w.part(site_chrome(plan.site.name), '<div class="logo">{}</div>')
    nav(w, plan)
    w.raw('</header><main><ul class="news-list">')
    posts_in(w, plan, rng, "h3", '<li class="item">', "</li>\n")
    w.raw("</ul></main>")
    footer(w, plan)
    return w


def cards(plan: PagePlan, rng: random.Random) -> Writer:
    """An aggregator of cards in a grid."""
    w = Writer()
    head(w, plan)
    w.raw('<body><div class="container"><div class="navbar">')
    w.part(site_chrome(plan.site.name), '<a class="navbar-brand" href="/">{}</a>')
    w.raw('</div><div class="row">')
    posts_in(w, plan, rng, "h4", '<div class="col-md-6"><div class="card"><div class="card-body">', "</div></div></div>\n")
    w.raw("</div></div>")
    footer(w, plan, "div")
    return w
