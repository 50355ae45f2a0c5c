"""Archive detection: the post containers of a page that holds several posts, so each
post is extracted on its own and none is lost.
"""

from __future__ import annotations

import re
from itertools import islice
from typing import Any

from .markup import PARAGRAPH_BREAK

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


def find_posts(tree: Any) -> list:
    """The post containers of an archive page, in page order; [] or one element otherwise."""
    candidates = (el for el in tree.iter("article", "div", "section", "li") if _is_post_candidate(el))
    posts = [el for el in islice(candidates, MAX_POST_CANDIDATES) if _is_full_post(el)]
    # Keep the outermost: sections of one article are often <article>s too.
    chosen = {id(el) for el in posts}
    return [el for el in posts if not any(id(a) in chosen for a in el.iterancestors())]


def _is_post_candidate(el: Any) -> bool:
    classes = (el.get("class") or "").split()
    if el.tag != "article" and not any(_POST_CLASS.match(c) for c in classes):
        return False
    if _NOT_A_POST.search(f"{el.get('class', '')} {el.get('id', '')}"):
        return False
    return not any(a.tag in ("nav", "aside", "footer") or _NOT_A_POST.search(a.get("class", "") or "")
                   for a in el.iterancestors())


def _is_full_post(el: Any) -> bool:
    if post_heading(el) is None:
        return False
    elements = sum(1 for p in el.iter("p", "li") if len(p.text_content().strip()) >= MIN_PARAGRAPH_CHARS)
    breaks = sum(1 for part in el.text_content().split(PARAGRAPH_BREAK) if len(part.strip()) >= MIN_PARAGRAPH_CHARS)
    if max(elements, breaks) < MIN_POST_PARAGRAPHS:  # paragraphs as <p>, or as text between <br><br>
        return False
    texts = el.xpath(".//text()[not(ancestor::a) and not(ancestor::script) and not(ancestor::style)]")
    return sum(len(t.strip()) for t in texts) >= MIN_POST_CHARS


def post_heading(el: Any) -> Any:
    for tag in _POST_HEADINGS:
        found = el.find(f".//{tag}")
        if found is not None and found.text_content().strip():
            return found
    return None
