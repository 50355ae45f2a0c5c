"""Repairing the source texts: mojibake, sentences and titles DetectRL ran together,
model preambles, BBC chrome left in XSum articles, fragments a passage starts with;
and splitting texts into sentences and regrouping them into paragraphs."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

# Sentence end run straight into the next sentence: "...ago.An online", "NMBS/SNCB.Some"
# (DetectRL lost its breaks). Two word characters before the stop, so "U.S.Army" stays.
RUN_TOGETHER_STOP = re.compile(r"(?<=[\w%)]{2}[.!?])(?=[A-Z])|(?<=[.!?][\"”’'])(?=[A-Z])")
# A title run into its first sentence: "...OutcryIn a stunning". Needs 3+ lowercase letters
# before the capital so names ("McGregor", "MacDonald", "YouTube") are not split.
RUN_TOGETHER_TITLE = re.compile(r"(?<=[a-z]{3})(?=[A-Z][a-z]*\s)")
CAMEL_CASE_WORDS = frozenset(
    {"PlayStation", "WhatsApp", "PayPal", "LinkedIn", "BlackBerry", "JavaScript", "PowerPoint",
     "SoundCloud", "DreamWorks", "HarperCollins", "GlaxoSmithKline", "SmackDown", "FedEx",
     "SpaceX", "SoftBank", "SkyNews", "DeepMind", "OpenAI", "WikiLeaks", "MasterCard"}
)
# Where one sentence ends and the next begins, for splitting a paragraph into sentences
# (not `detector.text.SENTENCE_END`, which finds sentence ends inside any text).
SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘']?[A-Z0-9])")
# Model preamble before the article: "Here is a 6 sentence news article based on the summary:"
MODEL_PREAMBLE = re.compile(
    r"^\s*\**\s*(?:here(?:'s| is)|of course|sure|this is)[^:\n]{0,140}"
    r"(?:article|summary|abstract|sentences?)[^:\n]{0,60}:\**\s*",
    re.IGNORECASE,
)
TITLE_LINE = re.compile(r"^\s*(?:title:\s*)?\*\*(.{10,200}?)\*\*\s*|^\s*title:\s*", re.IGNORECASE)
# BBC chrome that survived in XSum's human articles: the video notice (73 of 997 rows) and
# social-media and "find all the latest" lines (sentences starting with them are dropped).
MEDIA_PLAYBACK = re.compile(r"Media playback is (?:not supported|unsupported) on (?:this|your) device")
BBC_CHROME_SENTENCE = re.compile(
    r"^(?:Follow @?\w+ on|Find all the latest|Listen (?:again )?to .* on BBC)", re.IGNORECASE
)
# Model refusals in DetectRL (54 rows, mostly Google-PaLM): not news text at all.
MODEL_REFUSAL = re.compile(
    r"as an ai language model|only a language model|usage_guidelines"
    r"|^\W*I(?:'m| am) (?:not able|unable|sorry)",
    re.IGNORECASE,
)
# A model's bold or "Title:" line longer than this is its first sentence, not a headline.
MAX_TITLE_WORDS = 16
# Paragraph sizes, in sentences, when sentences are regrouped (drawn uniformly from these).
PARAGRAPH_SENTENCES = (1, 2, 2, 3, 3, 4)
# A chunk that starts in the middle of a sentence ("ly malcontented individuals. Miss...")
# loses everything up to the first sentence end.
_FIRST_SENTENCE_START = re.compile(r"[.!?][\"”’']?\s+(?=[A-Z])")
_PARAGRAPHS = re.compile(r"\n+")


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 read as Latin-1 ("Â£600m" -> "£600m") where that is what happened."""
    if "Â" not in text and "â€" not in text:
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return text.replace("Â£", "£").replace("Â", "")


def split_run_together(text: str) -> str:
    """Put a newline where DetectRL ran a sentence or a title into the next one."""
    text = RUN_TOGETHER_STOP.sub("\n", text)

    def title_break(match: re.Match) -> str:
        start = text.rfind(" ", 0, match.start()) + 1
        end = text.find(" ", match.start())
        word = re.sub(r"\W", "", text[start:end if end != -1 else len(text)])
        return "" if word in CAMEL_CASE_WORDS else "\n"

    return RUN_TOGETHER_TITLE.sub(title_break, text)


def split_sentences(text: str) -> list[str]:
    """Sentences of one paragraph (a plain splitter: good enough for regrouping)."""
    return [s.strip() for s in SENTENCE_BREAK.split(text) if s.strip()]


def run_together_sentences(text: str) -> list[str]:
    """Sentences of a DetectRL text, whose paragraph breaks were removed upstream."""
    pieces = split_run_together(text).split("\n")
    return [s for piece in pieces for s in split_sentences(piece)]


def group_sentences(sentences: Sequence[str], rng: random.Random) -> list[str]:
    """Regroup sentences into paragraphs of 1-4 sentences."""
    paragraphs, i = [], 0
    while i < len(sentences):
        size = rng.choice(PARAGRAPH_SENTENCES)
        paragraphs.append(" ".join(sentences[i : i + size]))
        i += size
    return paragraphs


def strip_model_preamble(text: str) -> tuple[str | None, str]:
    """Split a model article into (its own title or None, its text without preamble)."""
    text = MODEL_PREAMBLE.sub("", text, count=1)
    title = None
    match = TITLE_LINE.match(text)
    if match:
        rest = text[match.end() :]
        if match.group(1):
            title = match.group(1).strip()
        else:  # "Title: X" runs into the first sentence; the title is the first piece
            first, _, rest = split_run_together(rest).partition("\n")
            title = first.strip()
            rest = rest.replace("\n", "")
        text = rest
        if len(title.split()) > MAX_TITLE_WORDS:  # a bold first sentence, not a title
            title, text = None, f"{title} {text}"
    return title, text.replace("**", "").strip()


def drop_bbc_chrome(sentences: list[str]) -> list[str]:
    """Sentences without BBC's video notices and social-media lines."""
    kept: list[str] = []
    for sentence in sentences:
        parts = (p.strip() for p in MEDIA_PLAYBACK.split(sentence))
        kept.extend(p for p in parts if len(p) > 1 and not BBC_CHROME_SENTENCE.match(p))
    return kept


def drop_leading_fragment(text: str) -> str:
    """Drop a sentence fragment a chunk may start with ("ly malcontented individuals. Miss...")."""
    text = text.strip()
    if text[:1].islower():
        match = _FIRST_SENTENCE_START.search(text)
        text = text[match.end() :] if match else ""
    return text


def continuation_sentences(text: str) -> list[str]:
    """Sentences of a model continuation, from its first whole sentence on."""
    sentences = []
    for paragraph in _PARAGRAPHS.split(text.replace("**", "")):
        sentences.extend(split_sentences(paragraph))
    if sentences and not sentences[0][:1].isupper():
        sentences = sentences[1:]
    return sentences
