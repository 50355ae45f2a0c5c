"""Patterns and normalisers that more than one stage reads text with.

One notion of a list marker, of a sentence end and of collapsed whitespace, so
that extraction (which makes list items) and the features (which look for them)
agree on what they are.
"""

from __future__ import annotations

import re

# A list marker opening a line or block: a number of 1-3 digits with "." or ")"
# ("1.", "12)"), or a symbol bullet, then whitespace and text. Plain-text
# extraction drops symbol bullets from the block text and keeps numbers (numbered
# "Tags:" lists are a spam signal); the features count blocks that still open
# with one. (Was one pattern for each: the features' knew seven of the ten
# symbols; on the 145,800 blocks of the composed corpus, the 624 real HTML pages
# and the seeds both give the same answer for every block.)
BULLET_SYMBOLS = "•·▪◦●‣⁃*\\-–"
LIST_MARKER = re.compile(rf"^\s*(?:\d{{1,3}}[.)]|[{BULLET_SYMBOLS}])\s+(?=\S)")

# The end of a sentence inside or at the end of a text: a stop, then closing
# quotes or brackets, then whitespace or the end.
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?:\s|$)")

SPACE = re.compile(r"\s+")


def squash_space(text: str) -> str:
    """Runs of whitespace (newlines too) as one space, the ends stripped."""
    return SPACE.sub(" ", text).strip()


# --- lines that close a post -------------------------------------------------------
# A tag header on its own ("Tags:", "Filed under"), an inline tag line ("Topics: a, b"),
# a hashtag line, and the separators sites put after a post or an excerpt ("Read more »",
# "Continue reading", "Source: ...", a lone "…"). Extraction starts a new post at a
# title that follows one; the features use the same notion of a tag block.
_TAG_WORDS = r"(?:tags?|tagged(?: with| in)?|topics?|filed (?:under|in)|keywords?|related (?:tags|topics)|categories|tag cloud)"
TAG_HEADER = re.compile(rf"^{_TAG_WORDS}\s*:?$", re.IGNORECASE)
INLINE_TAGS = re.compile(rf"^{_TAG_WORDS}\s*:\s*\S", re.IGNORECASE)
# A link line alone ("Read more »", "[Continue reading]"), not one naming another
# story ("Read more: How to reduce taxable income" is a related link inside an article).
SEPARATOR = re.compile(
    r"^[\[(]?(?:read (?:the )?(?:more|full (?:story|article|post)|the rest)|continue(?:s)? reading|keep reading"
    r"|full (?:story|article)|see more|more\W{1,3})\W{0,4}$"
    r"|^[\[(]?(?:…|\.\.\.)[\])]?$",
    re.IGNORECASE,
)
# A credit line: between the posts of a text archive ("Source: Kelby Post"), under a
# figure in an HTML article ("Source: Microsoft"); so it closes posts in plain text only.
CREDIT = re.compile(r"^(?:source|via|credits?|originally published (?:at|on|by))\b:?\s*\S+(?:\s+\S+){0,4}$", re.IGNORECASE)
HASHTAG_LINE_SHARE = 0.5  # of a line's tokens that are hashtags
_LONGEST_TAG_HEADER = 24  # characters of the longest tag header ("related topics", "tagged with") and its colon


_HASHTAG = re.compile(r"^#[^\W\d_][\w-]*$")


def is_hashtag_line(text: str) -> bool:
    """A line of hashtags: at least half its tokens (and two of them, unless it is one)
    ("#Key Principles" is a heading written with a hash, "#9: Priceline" a rank)."""
    if "#" not in text:
        return False
    tokens = text.split()
    hashtags = sum(bool(_HASHTAG.match(t.rstrip(",;."))) for t in tokens)
    return hashtags >= min(2, len(tokens)) and hashtags >= HASHTAG_LINE_SHARE * len(tokens)


def is_tag_block(text: str) -> bool:
    """A tag header, an inline tag line or a hashtag line."""
    text = text.strip()
    if len(text) > _LONGEST_TAG_HEADER and "#" not in text and ":" not in text[:_LONGEST_TAG_HEADER]:
        return False  # neither a header, nor an inline tag line, nor hashtags: most blocks
    return bool(TAG_HEADER.match(text) or INLINE_TAGS.match(text)) or is_hashtag_line(text)


def closes_post(text: str, credits: bool = True) -> bool:
    """A tag block or a separator line (and, with `credits`, a credit line): what ends
    a post on archive and aggregator pages."""
    text = text.strip()
    return is_tag_block(text) or bool(SEPARATOR.match(text) or (credits and CREDIT.match(text)))
