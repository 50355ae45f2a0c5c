"""An article page's title, its own headline and its date, read cheaply from the tree.

The title (`og:title`, else `<title>`) is often the site's: "Peanut Butter Truffles -
Elavegan", "Local News | Brothel catering to ...". The headline printed above the text
is the page's own `<h1>` or `<h2>` that the title names: of the headings whose words
are mostly in the title, the one that covers most of it. Measured on 200 real pages, the
first `<h1>` is the headline on about half; the others have a site-name `<h1>`
("hassanchef", "Home", "Blog") or promotions before it ("Visit Harford County this fall").
No heading the title names: no headline is printed (the title stays in the result).

trafilatura's metadata extraction does this and much more (authors, categories, a
date search) at about a fifth of its extraction time; only these three are used.
"""

from __future__ import annotations

import re
from itertools import islice
from typing import Any

from detector.text import squash_space

# Share of a heading's words that the title must hold for the heading to be the
# headline ("A Royal Salute To Polo In Rome" in "A Royal Salute To Polo In Rome -
# Luxurious Magazine": 1.0; "Blog" in "For Hire Livery Insurance - ...": 0).
MIN_TITLE_SHARE = 0.6
_HEADINGS_LOOKED_AT = 40  # a page of hundreds of headings is not searched through
_WORD = re.compile(r"\w+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_META = ("article:published_time", "datePublished", "date", "pubdate", "publish-date",
              "og:published_time", "dc.date", "DC.date.issued", "sailthru.date")


def page_title(tree: Any) -> str | None:
    """`og:title`, else the `<title>` element."""
    for meta in tree.iterfind(".//meta[@property='og:title']"):
        if title := squash_space(meta.get("content") or ""):
            return title
    return title_element(tree)


def title_element(tree: Any) -> str | None:
    """The `<title>` element's text (archive pages, whose `og:title` names one post at most)."""
    return squash_space(tree.findtext(".//title") or "") or None


def page_headline(tree: Any, title: str | None) -> str | None:
    """The page's own headline: of its `<h1>` and `<h2>` headings whose words the title
    holds, the one covering most of the title (an `<h1>` on a tie)."""
    if not title:
        return None
    title_words = set(_WORD.findall(title.casefold()))
    scored = []
    for rank, tag in enumerate(("h1", "h2")):
        for heading in islice(tree.iter(tag), _HEADINGS_LOOKED_AT):
            text = squash_space(heading.text_content())
            words = set(_WORD.findall(text.casefold()))
            if words and len(words & title_words) >= MIN_TITLE_SHARE * len(words):
                scored.append((len(words & title_words) / len(title_words), -rank, text))
    return max(scored)[2] if scored else None


def page_date(tree: Any) -> str | None:
    """The publication date (YYYY-MM-DD) a meta tag or the first `<time datetime>` gives."""
    for meta in islice(tree.iter("meta"), 400):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        if key in _DATE_META and (found := _DATE.match(meta.get("content") or "")):
            return found.group()
    for time in islice(tree.iter("time"), 20):
        if found := _DATE.match(time.get("datetime") or ""):
            return found.group()
    return None
