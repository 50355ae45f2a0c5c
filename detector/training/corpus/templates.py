"""Lines made from a story's own words: tag lists, hashtag lines, keyword stuffing."""

from __future__ import annotations

import random
import re
from collections import Counter

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from .material import Story

# Generic topic tags ("Regional security", "Economic policy") that autoblogs add
# beside the headline's words: without them every composed tag is a capitalised
# name, and a plain topic phrase in a numbered list reads as a bullet of the body.
TOPIC_TAG_HEADS = ("Global", "International", "Regional", "National", "Economic", "Political", "Security",
                   "Public", "Energy", "Climate", "Trade", "Health", "Defence", "Diplomatic", "Financial", "World")
TOPIC_TAG_NOUNS = ("news", "politics", "affairs", "relations", "policy", "crisis", "tensions", "concerns",
                   "markets", "updates", "security", "headlines", "developments", "issues", "conflict")
KEYWORD_SUFFIXES = ("news", "latest news", "today", "update", "live", "breaking news", "headlines")
# Words never made into tags: sklearn's English stop words plus news verbs.
TAG_EXTRA_STOPWORDS = frozenset({"says", "said", "say", "amid", "new", "just", "like", "year", "years"})
MAX_TOPIC_WORDS = 8  # from a body without a headline: its most frequent names and words
MIN_TOPIC_WORD_CHARS = 4
TAG_PHRASE_WORDS = (1, 2, 2, 3)  # words per tag phrase, drawn from these
TAGS_PER_LIST = (4, 10)  # fewest and most tags in one list
MIN_TAG_CHARS = 3
TOPIC_TAGS_ADDED = (0, 1, 2, 3)
CAMEL_HASHTAG_ODDS = 0.5  # a "#RussiaClaims" beside the single-word hashtags
TOPIC_HASHTAG_ODDS = 0.5
_NOT_A_WORD = re.compile(r"[^\w\-]")


def content_words(text: str) -> list[str]:
    """Content words of a text, in order, without punctuation."""
    words = [_NOT_A_WORD.sub("", w).strip("-_") for w in text.replace("|", " ").split()]
    return [w for w in words if len(w) > 1 and not w.isdigit()
            and w.lower() not in ENGLISH_STOP_WORDS and w.lower() not in TAG_EXTRA_STOPWORDS]


def topic_words(story: Story) -> list[str]:
    """Words to build tags from: the headline's, else the body's most frequent names and words."""
    if story.headline:
        return content_words(story.headline)
    body = " ".join(story.paragraphs or story.sentences)
    counts = Counter(w for w in content_words(body) if len(w) >= MIN_TOPIC_WORD_CHARS)
    # Capitalised words (names, places) first, then by frequency; ties in text order.
    ranked = sorted(counts, key=lambda w: (not w[0].isupper(), -counts[w]))
    return ranked[:MAX_TOPIC_WORDS]


def tag_phrases(story: Story, rng: random.Random) -> list[str]:
    """Tags built from headline words: short phrases, the topic, a "... news" tag."""
    words = topic_words(story)
    phrases = []
    for i in range(len(words)):
        size = rng.choice(TAG_PHRASE_WORDS)
        phrases.append(" ".join(words[i : i + size]))
    if story.topic:
        phrases.append(f"{story.topic.title()} news")
    if words:
        phrases.append(f"{words[0]} {rng.choice(KEYWORD_SUFFIXES)}")
    unique = list(dict.fromkeys(p for p in phrases if len(p) >= MIN_TAG_CHARS))
    rng.shuffle(unique)
    return with_topic_tags(unique[: rng.randint(*TAGS_PER_LIST)], story)


def with_topic_tags(tags: list[str], story: Story) -> list[str]:
    """Tags with 0-3 generic topic tags mixed in. Their own RNG, seeded by the story
    and its tags, leaves the page RNG's draws (and so every other block) as they were."""
    rng = random.Random(f"topic-tags/{story.key}/{'|'.join(tags)}")
    tags = list(tags)
    for _ in range(rng.choice(TOPIC_TAGS_ADDED)):
        tags.insert(rng.randint(0, len(tags)), f"{rng.choice(TOPIC_TAG_HEADS)} {rng.choice(TOPIC_TAG_NOUNS)}")
    return tags


def hashtag_line(story: Story, rng: random.Random) -> str:
    """'#Russia #claims #nuclear ...' from headline words, as autoblogs append them."""
    words = topic_words(story)
    tags = [f"#{w.replace('-', '')}" for w in words]
    if len(words) >= 2 and rng.random() < CAMEL_HASHTAG_ODDS:
        tags.append("#" + "".join(w.capitalize() for w in words[:2]).replace("-", ""))
    if story.topic and rng.random() < TOPIC_HASHTAG_ODDS:
        tags.append(f"#{story.topic.capitalize()}")
    return " ".join(tags)


def keyword_stuffing_line(story: Story, rng: random.Random) -> str:
    """A keyword-stuffed line: headline phrases glued to search suffixes."""
    words = [w.lower() for w in topic_words(story)]
    phrases = [f"{' '.join(words[i:i + 2])} {rng.choice(KEYWORD_SUFFIXES)}" for i in range(0, len(words), 2)]
    return ", ".join(phrases + [" ".join(words[:3])])
