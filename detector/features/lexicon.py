"""The words a block's features are made of (content words, entities, names) and the
word lists that say what carries no information or what is stock commentary."""

from __future__ import annotations

import re

WORD = re.compile(r"#?\w[\w'’\-]*")
DIGIT = re.compile(r"\d")
_CAPITALISED = re.compile(r"^[A-Z][\w'’\-]*$")
# Two or more capitalised words in a row: a full name ("Jayant Patel", "Crystal Palace").
FULL_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b")

# Function words never count as new information when measuring novelty.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over own
    same she should so some such than that the their theirs them themselves then there these they this
    those through to too under until up very was we were what when where which while who whom why will
    with would you your yours yourself yourselves said says say one two new also may might must shall
    its it's which while within without upon among amid like however still yet even well""".split()
)

# Words of stock commentary: what a generic summary says instead of facts
# ("this highlights the importance of...", "it remains to be seen...").
# Our own list, from reading appended summaries; no other words count.
STOCK_COMMENTARY = frozenset(
    """underscores underscore underscoring highlights highlighting reminder remains unfold unfolds
    unfolding broader landscape crucial importance significance implications stakeholders observers
    perspective overall ultimately summary conclusion furthermore moreover additionally evolving
    dynamics considerations pivotal testament navigate navigating fostering emphasize emphasizes
    emphasizing tuned updates developments situation escalate escalation concerns heightened
    tensions profound paramount vital essential ongoing""".split()
)


def content_word_list(lowered_words: list[str]) -> list[str]:
    """Content words of a block's lowercased word tokens (plural -s folded), in order."""
    return [w.rstrip("s") for w in lowered_words
            if len(w) > 3 and w not in STOPWORDS and not w[0].isdigit() and not w.startswith("#")]


def entity_list(tokens: list[str]) -> list[str]:
    """Capitalised words not opening a sentence, and numbers: a cheap named-entity proxy."""
    found = []
    previous = "."
    for token in tokens:
        word = token.strip("\"'“”‘’()[],;:!?.")
        if word and (DIGIT.search(word) or (_CAPITALISED.match(word) and previous[-1:] not in ".!?:\"“")):
            if word.lower() not in STOPWORDS:
                found.append(word.lower())
        previous = token
    return found
