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
