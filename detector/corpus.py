"""Compose labelled training and held-out pages from the shared data.

shared data -> stories (reporting bodies, each with its same-story model texts)
            -> split into train / held-out by a FIXED rule
            -> pages laid out by a seeded RNG, every block labelled by construction.

The split (see `TRAIN_SPLIT`, `HELDOUT_SPLIT`): the held-out set uses filler generators,
BBC categories, story rows and HTML pages that training never sees.

    filler generators   train: DetectRL ChatGPT, Google-PaLM; SeqXGPT gpt2, gptneo
                        held-out: DetectRL Claude-instant, Llama-2-70b; SeqXGPT gptj, llama,
                        gpt-3.5-turbo
    BBC categories      train: business, entertainment, politics; held-out: sport, tech
    DetectRL human,     by a stable hash of the story id (a human row paired with a held-out
    SeqXGPT passages,   generator's text goes held-out with it), `HELDOUT_FRACTION` held out
    HTML pages (wceb2026 clean pages, boilerplate snippets of both gold sets)
    held-out stories sharing a sentence with a training story are dropped (17 are).

Labels come from where a text came from, never from a model. Pages combine several
stories, so a page's `group` is the story bucket its stories were drawn from: a story
lives in one bucket, so grouped CV never splits a story across folds.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .dataset import LabelledPage, write_pages
from .errors import DataError
from .files import write_text_atomic
from .types import Block, BlockKind, Label

__all__ = [
    "CorpusSplit",
    "TRAIN_SPLIT",
    "HELDOUT_SPLIT",
    "PAIR_MIN_SIMILARITY",
    "PAIR_MIN_MARGIN",
    "UPSTREAM_SOURCES",
    "build_corpus",
    "upstream_sources",
    "write_corpus",
]

# --- the fixed split ---------------------------------------------------------------

# Share of hash-split keys (story ids, passage groups, HTML pages) that go to held-out.
HELDOUT_FRACTION = 0.3


@dataclass(frozen=True)
class CorpusSplit:
    """Which sources one side of the fixed train / held-out split may use."""

    name: str
    bbc_categories: frozenset[str]
    detectrl_generators: frozenset[str]
    seqxgpt_generators: frozenset[str]
    heldout_side: bool  # takes the hash-split keys that fall under HELDOUT_FRACTION

    def takes_key(self, key: str) -> bool:
        """Whether a hash-split key (story id, page id) belongs to this side."""
        return (stable_fraction(key) < HELDOUT_FRACTION) == self.heldout_side


TRAIN_SPLIT = CorpusSplit(
    name="train",
    bbc_categories=frozenset({"business", "entertainment", "politics"}),
    detectrl_generators=frozenset({"ChatGPT", "Google-PaLM"}),
    seqxgpt_generators=frozenset({"gpt2", "gptneo"}),
    heldout_side=False,
)
HELDOUT_SPLIT = CorpusSplit(
    name="heldout",
    bbc_categories=frozenset({"sport", "tech"}),
    detectrl_generators=frozenset({"Claude-instant", "Llama-2-70b"}),
    seqxgpt_generators=frozenset({"gptj", "llama", "gpt-3.5-turbo"}),
    heldout_side=True,
)

# DetectRL variants. Prompted articles are filler material. The paraphrase variants are
# model articles rewritten once more (their preambles read "Here is a polished 8 sentence
# news article based on the given summary:"); used only as the page's sole telling
# (reporting), never as filler. The adversarial variants (homoglyphs, typo and word swaps)
# are left out: autoblog filler has no such noise and the model would learn the noise.
FILLER_VARIANTS = ("direct_prompt", "prompt_few_shot", "prompt_SICO")
REWRITE_VARIANTS = ("paraphrase_dipper_llm", "paraphrase_back_translation_llm", "paraphrase_polish_llm")

# Pairing a DetectRL model article with the human XSum article it was written from:
# TF-IDF cosine on content words (English stop words out, letters-only tokens, sublinear tf).
# Measured on the 1008 model rows against the 997 human rows: hand-checking 32 best matches
# at 0.20-0.30 with a margin >= 0.03 over the second best found ~28 the same story (~88%);
# 16 at 0.15-0.20 found ~4 (~25%). The second-best score (a different story) has its 95th
# percentile at 0.18. 223 of 1008 rows pass both bounds (the other stories' human rows are
# mostly not in the data).
PAIR_MIN_SIMILARITY = 0.20
PAIR_MIN_MARGIN = 0.03
# Below the pairing bound but still about a related subject (same club, same sector):
# such a model text is appended as filler to its nearest story, source marked "~related".
RELATED_MIN_SIMILARITY = 0.12

# Stories are bucketed so that an archive page draws all its posts from one bucket: the
# bucket is the page's CV group. 24 per side leave enough groups for 5-fold grouped CV.
GROUP_BUCKETS = 24

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

# --- our own template lines: short, stock, modest in number -----------------------

STOCK_CLOSERS = (
    "Stay tuned for further updates as this story develops.",
    "We will keep you posted as more details emerge.",
    "Keep following us for the latest on this story.",
    "Check back soon for more updates.",
    "More updates to follow.",
    "Follow our coverage for the latest developments on this story.",
)
TAG_HEADERS = ("Tags:", "Tags", "Tagged:", "Topics:", "Keywords:")
# Generic topic tags ("Regional security", "Economic policy") that autoblogs add
# beside the headline's words: without them every composed tag is a capitalised
# name, and a plain topic phrase in a numbered list reads as a bullet of the body.
TOPIC_TAG_HEADS = ("Global", "International", "Regional", "National", "Economic", "Political", "Security",
                   "Public", "Energy", "Climate", "Trade", "Health", "Defence", "Diplomatic", "Financial", "World")
TOPIC_TAG_NOUNS = ("news", "politics", "affairs", "relations", "policy", "crisis", "tensions", "concerns",
                   "markets", "updates", "security", "headlines", "developments", "issues", "conflict")
KEYWORD_SUFFIXES = ("news", "latest news", "today", "update", "live", "breaking news", "headlines")
CHROME_LINES = (
    "Share",
    "Share this article",
    "Read More",
    "Chat Icon",
    "Advertisement",
    "Continue reading",
    "Print",
    "Copy link",
    "Email this story",
    "Sign up for our daily newsletter",
    "Skip to content",
    "Home » News",
    "Posted in News",
    "Previous post",
    "Next post",
    "Related posts",
    "Follow us on social media",
)
COMMENT_PROMPTS = (
    "Leave a comment",
    "0 Comments",
    "Show comments",
    "Join the conversation",
    "What do you think? Let us know in the comments below.",
    "You must be logged in to post a comment.",
)
BYLINE_NAMES = ("admin", "News Desk", "Staff Reporter", "Editorial Team", "Web Editor")
RELATED_PREFIXES = ("Read more: ", "Related: ", "You may also like: ", "See also: ", "")

# --- text helpers ------------------------------------------------------------------

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
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘']?[A-Z0-9])")
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
# Words never made into tags: sklearn's English stop words plus news verbs.
TAG_EXTRA_STOPWORDS = frozenset({"says", "said", "say", "amid", "new", "just", "like", "year", "years"})
# A model's bold or "Title:" line longer than this is its first sentence, not a headline.
MAX_TITLE_WORDS = 16
# Paragraphs longer than this (single-paragraph passages) are regrouped into sentences.
LONG_PARAGRAPH_CHARS = 700


def stable_fraction(key: str) -> float:
    """A number in [0, 1) fixed by `key` alone (the same on every machine and run)."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


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
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def run_together_sentences(text: str) -> list[str]:
    """Sentences of a DetectRL text, whose paragraph breaks were removed upstream."""
    pieces = split_run_together(text).split("\n")
    return [s for piece in pieces for s in split_sentences(piece)]


def group_sentences(sentences: Sequence[str], rng: random.Random) -> list[str]:
    """Regroup sentences into paragraphs of 1-4 sentences."""
    paragraphs, i = [], 0
    while i < len(sentences):
        size = rng.choice((1, 2, 2, 3, 3, 4))
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


# --- material: stories and the model texts about them -------------------------------


@dataclass(frozen=True)
class ModelText:
    """A model-written telling of a story, raw material of filler."""

    source: str  # "detectrl/ChatGPT", "seqxgpt/gpt2", "detectrl/ChatGPT~related"
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Story:
    """One telling of one story: what becomes a post's reporting body.

    `paragraphs` are ready paragraphs; `sentences` (used when there are no paragraphs)
    are regrouped per page. `fillers` are model texts about the same story.
    """

    key: str  # story id: the unit of the split and of CV grouping
    source: str  # "bbc", "detectrl-human", "detectrl-rewrite/ChatGPT", "seqxgpt-human", ...
    headline: str | None
    paragraphs: tuple[str, ...] = ()
    sentences: tuple[str, ...] = ()
    fillers: tuple[ModelText, ...] = ()
    topic: str = ""


@dataclass(frozen=True)
class CleanPage:
    """A real clean article (wceb2026 gold main text) with its own chrome snippets."""

    key: str
    title: str
    blocks: tuple[tuple[str, BlockKind], ...]
    chrome: tuple[str, ...]


@dataclass(frozen=True)
class SplitMaterial:
    """Everything one side of the split may compose pages from."""

    split: CorpusSplit
    stories: tuple[Story, ...]
    clean_pages: tuple[CleanPage, ...]
    boilerplate: tuple[str, ...]  # real "without" snippets of the HTML gold sets


def read_jsonl(path: Path) -> list[dict]:
    """Rows of a gzip JSON Lines data file; DataError names a missing or bad file."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(f"{path}: cannot read corpus data ({exc})") from exc


def load_bbc_stories(data_dir: Path) -> list[Story]:
    """BBC News 2004-05 articles, human reporting with real headlines (duplicates dropped)."""
    stories, seen = [], set()
    for row in read_jsonl(data_dir / "news-text" / "bbc-news-2225.jsonl.gz"):
        paragraphs = tuple(fix_mojibake(p).strip() for p in row["paragraphs"] if p.strip())
        if row["title"] in seen or not paragraphs:
            continue
        seen.add(row["title"])
        stories.append(
            Story(key=row["id"], source="bbc", headline=fix_mojibake(row["title"]).strip(),
                  paragraphs=paragraphs, topic=row["category"])
        )
    return stories


def pair_model_rows(human_texts: Sequence[str], model_texts: Sequence[str]) -> list[tuple[int, float, float]]:
    """For each model text: (index of most similar human text, best cosine, second best)."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        stop_words="english", sublinear_tf=True, token_pattern=r"(?u)\b[a-zA-Z]{3,}\b"
    )
    matrix = vectorizer.fit_transform([split_run_together(t) for t in [*human_texts, *model_texts]])
    humans, models = matrix[: len(human_texts)], matrix[len(human_texts) :]
    similarity = (models @ humans.T).toarray()
    order = np.argsort(similarity, axis=1)
    best, second = order[:, -1], order[:, -2]
    rows = np.arange(len(model_texts))
    return list(zip(best.tolist(), similarity[rows, best].tolist(), similarity[rows, second].tolist()))


def detectrl_split_of_human(partner_generators: set[str], key: str) -> CorpusSplit:
    """The side a DetectRL human story goes to: with its paired generators when they agree."""
    sides = {s for s in (TRAIN_SPLIT, HELDOUT_SPLIT) if partner_generators & s.detectrl_generators}
    if len(sides) == 1:
        return sides.pop()
    return HELDOUT_SPLIT if HELDOUT_SPLIT.takes_key(key) else TRAIN_SPLIT


def load_detectrl_stories(data_dir: Path) -> list[tuple[Story, CorpusSplit]]:
    """DetectRL human stories with their paired model texts, and model rewrites as stories."""
    rows = read_jsonl(data_dir / "ai-text" / "detectrl-xsum.jsonl.gz")
    humans = [r for r in rows if r["label"] == "human"]
    models = [r for r in rows if r["label"] == "llm" and r["variant"] in FILLER_VARIANTS + REWRITE_VARIANTS
              and not MODEL_REFUSAL.search(r["text"])]
    pairs = pair_model_rows([r["text"] for r in humans], [r["text"] for r in models])

    partners: dict[int, list[tuple[dict, bool]]] = defaultdict(list)  # human -> (row, same story)
    for row, (best, score, second) in zip(models, pairs):
        if score >= PAIR_MIN_SIMILARITY and score - second >= PAIR_MIN_MARGIN:
            partners[best].append((row, True))
        elif score >= RELATED_MIN_SIMILARITY and row["variant"] in FILLER_VARIANTS:
            partners[best].append((row, False))

    result = []
    for index, human in enumerate(humans):
        same_story = {row["generator"] for row, same in partners[index] if same}
        split = detectrl_split_of_human(same_story, human["id"])
        usable = [(row, same) for row, same in partners[index]
                  if row["generator"] in split.detectrl_generators]
        result.append((detectrl_human_story(human, usable), split))
        result.extend((rewrite_story(row, human, usable), split)
                      for row, same in usable if same and row["variant"] in REWRITE_VARIANTS)
    result.extend(unpaired_rewrite_stories(models, pairs, partners))
    return result


def detectrl_human_story(human: dict, partners: list[tuple[dict, bool]]) -> Story:
    """A human XSum article; a paired model article lends its headline and its filler."""
    fillers, headline = [], None
    for row, same in partners:
        title, text = strip_model_preamble(row["text"])
        if row["variant"] not in FILLER_VARIANTS:
            continue
        source = f"detectrl/{row['generator']}" + ("" if same else "~related")
        fillers.append(ModelText(source=source, sentences=tuple(run_together_sentences(text))))
        if same and title and headline is None:
            headline = title
    sentences = drop_bbc_chrome(run_together_sentences(fix_mojibake(human["text"])))
    return Story(key=human["id"], source="detectrl-human", headline=headline,
                 sentences=tuple(sentences), fillers=tuple(fillers), topic="")


def drop_bbc_chrome(sentences: list[str]) -> list[str]:
    """Sentences without BBC's video notices and social-media lines."""
    kept = []
    for sentence in sentences:
        parts = (p.strip() for p in MEDIA_PLAYBACK.split(sentence))
        kept.extend(p for p in parts if len(p) > 1 and not BBC_CHROME_SENTENCE.match(p))
    return kept


def rewrite_story(row: dict, human: dict | None, partners: list[tuple[dict, bool]]) -> Story:
    """A model rewrite as the page's sole telling; filler from other model texts of its story."""
    title, text = strip_model_preamble(row["text"])
    fillers = tuple(
        ModelText(
            f"detectrl/{other['generator']}",
            tuple(run_together_sentences(strip_model_preamble(other["text"])[1])),
        )
        for other, same in partners
        if same and other["variant"] in FILLER_VARIANTS and other["id"] != row["id"]
    )
    return Story(key=human["id"] if human else row["id"], source=f"detectrl-rewrite/{row['generator']}",
                 headline=title, sentences=tuple(run_together_sentences(text)), fillers=fillers)


def unpaired_rewrite_stories(models, pairs, partners) -> list[tuple[Story, CorpusSplit]]:
    """Model rewrites whose human article is not in the data: stories of their own."""
    paired_ids = {row["id"] for rows in partners.values() for row, same in rows if same}
    result = []
    for row, _ in zip(models, pairs):
        if row["variant"] in REWRITE_VARIANTS and row["id"] not in paired_ids:
            split = TRAIN_SPLIT if row["generator"] in TRAIN_SPLIT.detectrl_generators else HELDOUT_SPLIT
            result.append((rewrite_story(row, None, []), split))
    return result


def load_seqxgpt_stories(data_dir: Path) -> list[tuple[Story, CorpusSplit]]:
    """SeqXGPT passages: the human text as reporting, model continuations as its filler.

    A model row's human prefix lies inside one human row (97% of rows); that human row's
    id groups the passage, and the passage group is hash-split.
    """
    rows = read_jsonl(data_dir / "ai-text" / "seqxgpt-boundary.jsonl.gz")
    humans = [r for r in rows if r["generator"] == "human"]
    continuations: dict[str, list[tuple[dict, str]]] = defaultdict(list)
    for row in rows:
        prefix_chars = row.get("human_prefix_chars")
        if row["generator"] == "human" or not prefix_chars:
            continue
        prefix = row["text"][:prefix_chars].strip()
        home = next((h["id"] for h in humans if prefix[:100] in h["text"]), None)
        continuations[home or f"seqxgpt-passage/{row['id']}"].append((row, prefix))

    human_text = {h["id"]: h["text"] for h in humans}
    result = []
    for key in sorted(continuations.keys() | human_text.keys()):
        split = HELDOUT_SPLIT if HELDOUT_SPLIT.takes_key(key) else TRAIN_SPLIT
        story = seqxgpt_story(key, human_text.get(key), continuations.get(key, []), split)
        if story is not None:
            result.append((story, split))
    return result


def seqxgpt_story(
    key: str, human: str | None, rows: list[tuple[dict, str]], split: CorpusSplit
) -> Story | None:
    """One passage: its human text (or the longest prefix) and this side's continuations."""
    own = [(r, p) for r, p in rows if r["generator"] in split.seqxgpt_generators]
    body = human or max((p for _, p in own), key=len, default="")
    body = drop_leading_fragment(body)
    if len(body) < 120:
        return None
    fillers = []
    for row, _ in own:
        continuation = continuation_sentences(row["text"][row["human_prefix_chars"] :])
        if len(" ".join(continuation)) >= 150:
            fillers.append(ModelText(f"seqxgpt/{row['generator']}", tuple(continuation)))
    paragraphs = tuple(p.strip() for p in re.split(r"\n\s*\n", body) if p.strip())
    return Story(key=key, source="seqxgpt-human", headline=None, paragraphs=paragraphs,
                 fillers=tuple(fillers))


def drop_leading_fragment(text: str) -> str:
    """Drop a sentence fragment a chunk may start with ("ly malcontented individuals. Miss...")."""
    text = text.strip()
    if text[:1].islower():
        match = re.search(r"[.!?][\"”’']?\s+(?=[A-Z])", text)
        text = text[match.end() :] if match else ""
    return text


def continuation_sentences(text: str) -> list[str]:
    """Sentences of a model continuation, from its first whole sentence on."""
    sentences = []
    for paragraph in re.split(r"\n+", text.replace("**", "")):
        sentences.extend(split_sentences(paragraph))
    if sentences and not sentences[0][:1].isupper():
        sentences = sentences[1:]
    return sentences


def load_clean_pages(data_dir: Path) -> list[CleanPage]:
    """wceb2026 gold main texts: real clean articles, split into blocks."""
    pages = []
    for row in read_jsonl(data_dir / "html" / "wceb2026-articles" / "gold.jsonl.gz"):
        blocks = tuple(main_content_blocks(row["main_content"]))
        if len(blocks) >= 3:
            chrome = tuple(s.strip() for s in row.get("without", []) if 0 < len(s.strip()) <= 200)
            pages.append(CleanPage(key=f"wceb2026/{row['file_id']}", title=row.get("title") or "",
                                   blocks=blocks[:40], chrome=chrome))
    return pages


def main_content_blocks(text: str) -> list[tuple[str, BlockKind]]:
    """Blocks of a gold main text: blank-line paragraphs, list lines, short heading lines."""
    blocks = []
    for paragraph in re.split(r"\n\s*\n", text):
        lines = [l.strip() for l in paragraph.split("\n") if l.strip()]
        for line in lines if len(lines) > 1 else lines[:1]:
            blocks.append((line, block_kind_of_line(line)))
    return blocks


def block_kind_of_line(line: str) -> BlockKind:
    """A list item ("4. Gymglish: ...", "- ..."), a heading (short, no full stop) or a paragraph."""
    if re.match(r"^(?:\d{1,2}[.)]|[-•*])\s+\S", line):
        return BlockKind.LIST_ITEM
    if len(line) <= 90 and not re.search(r"[.!?:;,]$", line) and len(line.split()) <= 12:
        return BlockKind.HEADING
    return BlockKind.PARAGRAPH


def load_boilerplate_snippets(data_dir: Path) -> list[tuple[str, str]]:
    """(page key, snippet) for the `without` snippets of both HTML gold sets."""
    html = data_dir / "html"
    snippets = []
    try:
        gold = json.loads((html / "trafilatura-eval-en" / "gold.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(f"{html / 'trafilatura-eval-en' / 'gold.json'}: cannot read ({exc})") from exc
    for url in sorted(gold):
        snippets += [(f"trafilatura/{url}", s) for s in gold[url].get("without", [])]
    for row in read_jsonl(html / "wceb2026-articles" / "gold.jsonl.gz"):
        snippets += [(f"wceb2026/{row['file_id']}", s) for s in row.get("without", [])]
    return [(key, s.strip()) for key, s in snippets if 2 <= len(s.strip()) <= 200]


def story_sentences(story: Story) -> set[str]:
    """The longer sentences of a story's body and fillers, to find texts shared across sides."""
    texts = [*story.paragraphs, *story.sentences, *(s for f in story.fillers for s in f.sentences)]
    return {s for t in texts for s in split_sentences(t) if len(s) > 60}


def drop_shared_stories(train: list[Story], heldout: list[Story]) -> list[Story]:
    """Held-out stories sharing no sentence with training (SeqXGPT cuts one article into
    several passages, BBC repeats some articles under two categories)."""
    seen = set().union(*(story_sentences(s) for s in train))
    return [s for s in heldout if not story_sentences(s) & seen]


def load_material(data_dir: Path) -> tuple[SplitMaterial, SplitMaterial]:
    """Read the shared data once and divide it into the two sides of the fixed split."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataError(f"{data_dir}: corpus data directory not found")
    stories: dict[str, list[Story]] = {"train": [], "heldout": []}
    for story in load_bbc_stories(data_dir):
        side = TRAIN_SPLIT if story.topic in TRAIN_SPLIT.bbc_categories else HELDOUT_SPLIT
        stories[side.name].append(story)
    for story, side in load_detectrl_stories(data_dir) + load_seqxgpt_stories(data_dir):
        stories[side.name].append(story)
    stories["heldout"] = drop_shared_stories(stories["train"], stories["heldout"])
    clean = load_clean_pages(data_dir)
    snippets = load_boilerplate_snippets(data_dir)
    return tuple(
        SplitMaterial(
            split=side,
            stories=tuple(stories[side.name]),
            clean_pages=tuple(p for p in clean if side.takes_key(p.key)),
            boilerplate=tuple(dict.fromkeys(s for key, s in snippets if side.takes_key(key))),
        )
        for side in (TRAIN_SPLIT, HELDOUT_SPLIT)
    )


# --- composing pages ----------------------------------------------------------------


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


def story_bucket(split: CorpusSplit, key: str) -> str:
    """The CV group of a story: one of GROUP_BUCKETS per side, fixed by the story key."""
    return f"{split.name}/{int(stable_fraction('bucket:' + key) * GROUP_BUCKETS):02d}"


def content_words(text: str) -> list[str]:
    """Content words of a text, in order, without punctuation."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words = [re.sub(r"[^\w\-]", "", w).strip("-_") for w in text.replace("|", " ").split()]
    return [w for w in words if len(w) > 1 and not w.isdigit()
            and w.lower() not in ENGLISH_STOP_WORDS and w.lower() not in TAG_EXTRA_STOPWORDS]


def topic_words(story: Story) -> list[str]:
    """Words to build tags from: the headline's, else the body's most frequent names and words."""
    if story.headline:
        return content_words(story.headline)
    body = " ".join(story.paragraphs or story.sentences)
    counts = Counter(w for w in content_words(body) if len(w) > 3)
    # Capitalised words (names, places) first, then by frequency; ties in text order.
    ranked = sorted(counts, key=lambda w: (not w[0].isupper(), -counts[w]))
    return ranked[:8]


def tag_phrases(story: Story, rng: random.Random) -> list[str]:
    """Tags built from headline words: short phrases, the topic, a "... news" tag."""
    words = topic_words(story)
    phrases = []
    for i in range(len(words)):
        size = rng.choice((1, 2, 2, 3))
        phrases.append(" ".join(words[i : i + size]))
    if story.topic:
        phrases.append(f"{story.topic.title()} news")
    if words:
        phrases.append(f"{words[0]} {rng.choice(KEYWORD_SUFFIXES)}")
    unique = list(dict.fromkeys(p for p in phrases if len(p) > 2))
    rng.shuffle(unique)
    return with_topic_tags(unique[: rng.randint(4, 10)], story)


def with_topic_tags(tags: list[str], story: Story) -> list[str]:
    """Tags with 0-3 generic topic tags mixed in. Their own RNG, seeded by the story
    and its tags, leaves the page RNG's draws (and so every other block) as they were."""
    rng = random.Random(f"topic-tags/{story.key}/{'|'.join(tags)}")
    tags = list(tags)
    for _ in range(rng.choice((0, 1, 2, 3))):
        tags.insert(rng.randint(0, len(tags)), f"{rng.choice(TOPIC_TAG_HEADS)} {rng.choice(TOPIC_TAG_NOUNS)}")
    return tags


def hashtag_line(story: Story, rng: random.Random) -> str:
    """'#Russia #claims #nuclear ...' from headline words, as autoblogs append them."""
    words = topic_words(story)
    tags = [f"#{w.replace('-', '')}" for w in words]
    if len(words) >= 2 and rng.random() < 0.5:
        tags.append("#" + "".join(w.capitalize() for w in words[:2]).replace("-", ""))
    if story.topic and rng.random() < 0.5:
        tags.append(f"#{story.topic.capitalize()}")
    return " ".join(tags)


def keyword_stuffing_line(story: Story, rng: random.Random) -> str:
    """A keyword-stuffed line: headline phrases glued to search suffixes."""
    words = [w.lower() for w in topic_words(story)]
    phrases = [f"{' '.join(words[i:i + 2])} {rng.choice(KEYWORD_SUFFIXES)}" for i in range(0, len(words), 2)]
    return ", ".join(phrases + [" ".join(words[:3])])


def add_tags(page: PageBuilder, story: Story, post: int, rng: random.Random) -> None:
    """A tag header and a numbered or comma tag list; a hashtag line; keyword stuffing."""
    if rng.random() < 0.7:
        page.add(rng.choice(TAG_HEADERS), Label.HASHTAG_SPAM, BlockKind.HEADING, post)
        tags = tag_phrases(story, rng)
        if rng.random() < 0.5:
            for n, tag in enumerate(tags, 1):
                page.add(f"{n}. {tag}", Label.HASHTAG_SPAM, BlockKind.LIST_ITEM, post)
        else:
            page.add(", ".join(tags), Label.HASHTAG_SPAM, BlockKind.PARAGRAPH, post)
    if rng.random() < 0.6:
        page.add(hashtag_line(story, rng), Label.HASHTAG_SPAM, BlockKind.PARAGRAPH, post)
    if rng.random() < 0.15:
        page.add(keyword_stuffing_line(story, rng), Label.HASHTAG_SPAM, BlockKind.PARAGRAPH, post)


def add_filler(page: PageBuilder, filler: ModelText, post: int, rng: random.Random) -> None:
    """Model text as appended paragraphs, sometimes with a numbered "key events" list."""
    sentences = list(filler.sentences[: rng.randint(4, 14)])
    if len(sentences) >= 5 and rng.random() < 0.2:
        page.add(sentences[0], Label.FILLER, BlockKind.PARAGRAPH, post)
        events = sentences[1 : 1 + rng.randint(3, 5)]
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
    if rng.random() < (0.5 if filler else 0.3):
        page.add(rng.choice(STOCK_CLOSERS), Label.FILLER, BlockKind.PARAGRAPH, post)
    if filler is None or rng.random() < 0.6:
        add_tags(page, story, post, rng)


def add_body(page: PageBuilder, story: Story, post: int, rng: random.Random) -> None:
    """The post's reporting: headline (sometimes repeated), then the story's paragraphs."""
    if story.headline and rng.random() < 0.85:
        page.add(story.headline, Label.REPORTING, BlockKind.HEADING, post)
        if rng.random() < 0.3:
            page.add(story.headline, Label.REPORTING, BlockKind.HEADING, post)
    paragraphs = list(story.paragraphs) or group_sentences(story.sentences, rng)
    if any(len(p) > LONG_PARAGRAPH_CHARS for p in paragraphs):
        paragraphs = [q for p in paragraphs for q in (
            group_sentences(split_sentences(p), rng) if len(p) > LONG_PARAGRAPH_CHARS else [p])]
    if story.paragraphs and len(paragraphs) > 3 and rng.random() < 0.3:
        paragraphs = [s for p in paragraphs for s in split_sentences(p)]  # one sentence a block
    paragraphs = paragraphs[:30]
    bulleted = bulleted_run(len(paragraphs), rng)
    for n, paragraph in enumerate(paragraphs):
        if n == bulleted.start and rng.random() < 0.5:
            page.add(rng.choice(BODY_LIST_HEADINGS), Label.REPORTING, BlockKind.HEADING, post)
        kind = BlockKind.LIST_ITEM if n in bulleted else block_kind_of_body(paragraph)
        page.add(paragraph, Label.REPORTING, kind, post)


def bulleted_run(n_paragraphs: int, rng: random.Random) -> range:
    """Body paragraphs a live blog or round-up shows as bullets (reporting all the same)."""
    if n_paragraphs < 5 or rng.random() >= BODY_LIST_ODDS:
        return range(0)
    start = rng.randint(1, n_paragraphs - 3)
    return range(start, min(n_paragraphs, start + rng.randint(3, 8)))


def block_kind_of_body(paragraph: str) -> BlockKind:
    """List items keep their kind; everything else in a story body is a paragraph."""
    return BlockKind.LIST_ITEM if re.match(r"^(?:\d{1,2}[.)]|[-•])\s+\S", paragraph) else BlockKind.PARAGRAPH


def chrome_line(
    material: SplitMaterial, others: Sequence[Story], rng: random.Random
) -> tuple[str, BlockKind]:
    """One line of site chrome: a real gold snippet, our own stock line, a byline or a link."""
    roll = rng.random()
    if roll < 0.45 and material.boilerplate:
        return rng.choice(material.boilerplate), BlockKind.PARAGRAPH
    if roll < 0.65:
        return rng.choice(CHROME_LINES + COMMENT_PROMPTS), BlockKind.PARAGRAPH
    if roll < 0.8:
        return byline(rng), BlockKind.PARAGRAPH
    headlines = [s.headline for s in others if s.headline]
    if not headlines:
        return rng.choice(CHROME_LINES), BlockKind.PARAGRAPH
    return rng.choice(RELATED_PREFIXES) + rng.choice(headlines), BlockKind.LIST_ITEM


def byline(rng: random.Random) -> str:
    """A byline or date line: "By News Desk", "Posted on 12 March 2019"."""
    month = rng.choice(("January", "March", "May", "June", "August", "October", "December"))
    date = f"{rng.randint(1, 28)} {month} {rng.randint(2016, 2025)}"
    return rng.choice((
        f"By {rng.choice(BYLINE_NAMES)}",
        f"Posted by {rng.choice(BYLINE_NAMES)} on {date}",
        f"Published {date}",
        f"Updated {date}",
        f"{rng.randint(2, 9)} min read",
    ))


def add_chrome(page: PageBuilder, material: SplitMaterial, others: Sequence[Story], post: int,
               odds: float, rng: random.Random) -> None:
    """With the given odds, 1-3 boilerplate lines."""
    if rng.random() < odds:
        for _ in range(rng.randint(1, 3)):
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
        if appendix and with_filler and rng.random() < 0.8:
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
    plans = plan_posts(pool, rng.randint(2, 5) if archive else 1, autoblog, rng)
    page = PageBuilder()
    add_chrome(page, material, pool, 0, 0.6, rng)
    for post, plan in enumerate(plans):
        if post:
            add_chrome(page, material, pool, post, 0.5, rng)
        add_body(page, plan.story, post, rng)
        if plan.appendix:
            add_chrome(page, material, pool, post, 0.15, rng)  # "Share" between story and appendix
            add_appendix(page, plan.story, plan.filler, post, rng)
    add_chrome(page, material, pool, len(plans) - 1, 0.6, rng)
    return LabelledPage(id=page_id, blocks=tuple(page.blocks), labels=tuple(page.labels),
                        group=group, source=page_source(plans))


def compose_clean_page(
    material: SplitMaterial, clean: CleanPage, page_id: str, rng: random.Random
) -> LabelledPage:
    """A real clean article: its title and main text as reporting, its own chrome around it."""
    page = PageBuilder()
    if clean.chrome and rng.random() < 0.5:
        page.add(rng.choice(clean.chrome), Label.BOILERPLATE)
    if clean.title and rng.random() < 0.7:
        page.add(clean.title, Label.REPORTING, BlockKind.HEADING)
    for text, kind in clean.blocks:
        page.add(text, Label.REPORTING, kind)
    if clean.chrome and rng.random() < 0.5:
        for snippet in rng.sample(list(clean.chrome), min(len(clean.chrome), rng.randint(1, 3))):
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
    """Compose (train pages, held-out pages) from the shared data; the same seed, the same pages."""
    train, heldout = load_material(Path(data_dir))
    return (
        compose_pages(train, n_train, random.Random(f"{seed}/train")),
        compose_pages(heldout, n_heldout, random.Random(f"{seed}/heldout")),
    )


def post_kind(labels: set[Label]) -> str:
    """"with_filler", "tags_only" (an appendix of tags or hashtags alone) or "clean"."""
    if Label.FILLER in labels:
        return "with_filler"
    return "tags_only" if Label.HASHTAG_SPAM in labels else "clean"


def corpus_counts(pages: Sequence[LabelledPage]) -> dict:
    """Pages, blocks by label, pages by source, posts with and without filler."""
    labels = Counter(str(label) for page in pages for label in page.labels)
    sources = Counter(page.source for page in pages)
    posts = Counter()
    for page in pages:
        by_post = defaultdict(set)
        for block, label in zip(page.blocks, page.labels):
            by_post[block.post].add(label)
        posts.update(post_kind(labels) for labels in by_post.values())
    return {"pages": len(pages), "blocks_by_label": dict(sorted(labels.items())),
            "pages_by_source": dict(sorted(sources.items())), "posts": dict(sorted(posts.items()))}


# The shared data files the corpus is composed from, with their licenses (from
# ../shared/data/README.md); written beside the corpus so a model card can name them.
UPSTREAM_SOURCES = (
    ("news-text/bbc-news-2225.jsonl.gz", "BBC News 2004-05 (Greene & Cunningham, ICML 2006)", "BBC copyright, research use"),
    ("ai-text/detectrl-xsum.jsonl.gz", "DetectRL XSum (junchaoIU/DetectRL @c57c456)", "Apache-2.0"),
    ("ai-text/seqxgpt-boundary.jsonl.gz", "SeqXGPT boundary (Jihuai-wpy/SeqXGPT @da2f264)", "Apache-2.0"),
    ("html/trafilatura-eval-en/gold.json", "trafilatura evaluation pages, English (adbar/trafilatura @e90b0ef)", "Apache-2.0 (pages are third-party)"),
    ("html/wceb2026-articles/gold.jsonl.gz", "web-content-extraction-benchmark (tiptopjaw @977613a)", "Apache-2.0 (pages are third-party)"),
)
SOURCES_FILE = "sources.json"


def upstream_sources(data_dir: Path) -> list[dict]:
    """The shared data files behind a corpus: path, description, license, sha256."""
    return [
        {
            "path": path,
            "description": description,
            "license": license_,
            "sha256": hashlib.sha256((Path(data_dir) / path).read_bytes()).hexdigest(),
        }
        for path, description, license_ in UPSTREAM_SOURCES
    ]


def write_corpus(data_dir: Path, out_dir: Path, seed: int, n_train: int, n_heldout: int) -> dict:
    """Write train.jsonl.gz, heldout.jsonl.gz and sources.json into `out_dir`; return counts per file."""
    train, heldout = build_corpus(data_dir, seed=seed, n_train=n_train, n_heldout=n_heldout)
    out_dir = Path(out_dir)
    write_pages(out_dir / "train.jsonl.gz", train)
    write_pages(out_dir / "heldout.jsonl.gz", heldout)
    manifest = {"seed": seed, "n_train": n_train, "n_heldout": n_heldout, "upstream": upstream_sources(data_dir)}
    write_text_atomic(out_dir / SOURCES_FILE, json.dumps(manifest, indent=2) + "\n")
    return {"train": corpus_counts(train), "heldout": corpus_counts(heldout)}
