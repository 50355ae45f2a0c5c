"""Reading the shared data into stories and pages, and dividing them into the two
sides of the fixed split: BBC News, DetectRL (`detectrl.py`), SeqXGPT, the wceb2026
clean pages and the boilerplate snippets of both HTML gold sets."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

from detector.errors import DataError

from .detectrl import load_detectrl_stories
from .material import ModelText, SplitMaterial, Story, read_jsonl
from .repair import continuation_sentences, drop_leading_fragment, fix_mojibake, split_sentences
from .split import HELDOUT_SPLIT, TRAIN_SPLIT, CorpusSplit

BBC_FILE = "news-text/bbc-news-2225.jsonl.gz"
SEQXGPT_FILE = "ai-text/seqxgpt-boundary.jsonl.gz"
TRAFILATURA_GOLD_FILE = "html/trafilatura-eval-en/gold.json"
WCEB_GOLD_FILE = "html/wceb2026-articles/gold.jsonl.gz"

# SeqXGPT: a model row's human prefix is looked up by its first characters; a passage
# body shorter than this is too short to be a story, a continuation shorter than that
# too short to be filler.
PREFIX_LOOKUP_CHARS = 100
MIN_PASSAGE_CHARS = 120
MIN_CONTINUATION_CHARS = 150
# Chrome snippets of the HTML gold sets: at most this many characters.
MAX_SNIPPET_CHARS = 200
MIN_SNIPPET_CHARS = 2
# Held-out stories sharing a sentence this long with a training story are dropped.
SHARED_SENTENCE_CHARS = 60

_BLANK_LINE = re.compile(r"\n\s*\n")


def load_bbc_stories(data_dir: Path) -> list[Story]:
    """BBC News 2004-05 articles, human reporting with real headlines (duplicates dropped)."""
    stories, seen = [], set()
    for row in read_jsonl(data_dir / BBC_FILE):
        paragraphs = tuple(fix_mojibake(p).strip() for p in row["paragraphs"] if p.strip())
        if row["title"] in seen or not paragraphs:
            continue
        seen.add(row["title"])
        stories.append(
            Story(key=row["id"], source="bbc", headline=fix_mojibake(row["title"]).strip(),
                  paragraphs=paragraphs, topic=row["category"])
        )
    return stories


def load_seqxgpt_stories(data_dir: Path) -> list[tuple[Story, CorpusSplit]]:
    """SeqXGPT passages: the human text as reporting, model continuations as its filler.

    A model row's human prefix lies inside one human row (97% of rows); that human row's
    id groups the passage, and the passage group is hash-split.
    """
    rows = read_jsonl(data_dir / SEQXGPT_FILE)
    humans = [r for r in rows if r["generator"] == "human"]
    continuations: dict[str, list[tuple[dict, str]]] = defaultdict(list)
    for row in rows:
        prefix_chars = row.get("human_prefix_chars")
        if row["generator"] == "human" or not prefix_chars:
            continue
        prefix = row["text"][:prefix_chars].strip()
        home = next((h["id"] for h in humans if prefix[:PREFIX_LOOKUP_CHARS] in h["text"]), None)
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
    if len(body) < MIN_PASSAGE_CHARS:
        return None
    fillers = []
    for row, _ in own:
        continuation = continuation_sentences(row["text"][row["human_prefix_chars"] :])
        if len(" ".join(continuation)) >= MIN_CONTINUATION_CHARS:
            fillers.append(ModelText(f"seqxgpt/{row['generator']}", tuple(continuation)))
    paragraphs = tuple(p.strip() for p in _BLANK_LINE.split(body) if p.strip())
    return Story(key=key, source="seqxgpt-human", headline=None, paragraphs=paragraphs,
                 fillers=tuple(fillers))


def load_boilerplate_snippets(data_dir: Path) -> list[tuple[str, str]]:
    """(page key, snippet) for the `without` snippets of both HTML gold sets."""
    snippets = []
    gold_file = data_dir / TRAFILATURA_GOLD_FILE
    try:
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(f"{gold_file}: cannot read ({exc})") from exc
    for url in sorted(gold):
        snippets += [(f"trafilatura/{url}", s) for s in gold[url].get("without", [])]
    for row in read_jsonl(data_dir / WCEB_GOLD_FILE):
        snippets += [(f"wceb2026/{row['file_id']}", s) for s in row.get("without", [])]
    return [(key, s.strip()) for key, s in snippets if MIN_SNIPPET_CHARS <= len(s.strip()) <= MAX_SNIPPET_CHARS]


def story_sentences(story: Story) -> set[str]:
    """The longer sentences of a story's body and fillers, to find texts shared across sides."""
    texts = [*story.paragraphs, *story.sentences, *(s for f in story.fillers for s in f.sentences)]
    return {s for t in texts for s in split_sentences(t) if len(s) > SHARED_SENTENCE_CHARS}


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
    snippets = load_boilerplate_snippets(data_dir)

    def material(side: CorpusSplit) -> SplitMaterial:
        return SplitMaterial(
            split=side,
            stories=tuple(stories[side.name]),
            boilerplate=tuple(dict.fromkeys(s for key, s in snippets if side.takes_key(key))),
        )

    return material(TRAIN_SPLIT), material(HELDOUT_SPLIT)
