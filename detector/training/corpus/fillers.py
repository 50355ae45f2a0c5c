"""Model text to append: each generator family's texts, by story (retellings) and all of
them (for appending to another story). Besides the same-story texts the stories carry,
every DetectRL prompted article and the prose documents of SeqXGPT's document set."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .detectrl import DETECTRL_FILE, FILLER_VARIANTS
from .material import ModelText, SplitMaterial, Story, read_jsonl
from .repair import MODEL_REFUSAL, run_together_sentences, split_sentences, strip_model_preamble

SEQXGPT_DOCUMENT_FILE = "ai-text/seqxgpt-document.jsonl.gz"

# Generator families: the unit of leave-one-generator-out.
GENERATOR_FAMILIES = {
    "detectrl/ChatGPT": "chatgpt",
    "detectrl/Google-PaLM": "palm",
    "detectrl/Claude-instant": "claude",
    "detectrl/Llama-2-70b": "llama",
    "seqxgpt/llama": "llama",
    "seqxgpt/gpt2": "gpt2",
    "seqxgpt/gptneo": "gpt2",
    "seqxgpt/gptj": "gpt2",
    "seqxgpt/gpt-3.5-turbo": "gpt35",
}
FAMILIES = tuple(sorted(set(GENERATOR_FAMILIES.values())))

# A document is prose when it has this many lowercase word pairs and no LaTeX or code;
# its sentences of at least this many words are kept, and at least this many of them.
_WORD_PAIR = re.compile(r"[a-z]{3,} [a-z]{3,}")
_NOT_PROSE = re.compile(r"[$\\{}]")
MIN_WORD_PAIRS = 20
MIN_SENTENCE_WORDS = 6
MIN_SENTENCES = 4
_PARAGRAPHS = re.compile(r"\n+")
OTHER_TOPIC_DRAWS = 8


def generator_family(source: str) -> str:
    """"chatgpt" for "detectrl/ChatGPT", "detectrl/ChatGPT~related", "detectrl-rewrite/ChatGPT",
    "seqxgpt-doc/gpt2" maps to "gpt2"; "none" for human sources."""
    base = source.split("~")[0].replace("detectrl-rewrite/", "detectrl/").replace("seqxgpt-doc/", "seqxgpt/")
    return GENERATOR_FAMILIES.get(base, "none")


@dataclass
class FillerPool:
    """One generator family's model texts."""

    family: str
    by_story: dict[str, list[ModelText]] = field(default_factory=dict)
    texts: list[ModelText] = field(default_factory=list)

    def retelling(self, story: Story, rng: random.Random) -> ModelText | None:
        same = self.by_story.get(story.key)
        return rng.choice(same) if same else None

    def other_topic(self, story: Story, rng: random.Random) -> ModelText | None:
        own = self.by_story.get(story.key, [])
        drawn = rng.sample(self.texts, min(OTHER_TOPIC_DRAWS, len(self.texts)))
        return next((text for text in drawn if text not in own), None)


def filler_pools(material: SplitMaterial, extra: Sequence[ModelText]) -> dict[str, FillerPool]:
    """Pools by family: the stories' same-story texts, and `extra` texts about anything."""
    pools: dict[str, FillerPool] = {family: FillerPool(family) for family in FAMILIES}
    for story in material.stories:
        for text in story.fillers:
            if "~related" not in text.source:
                pool = pools[generator_family(text.source)]
                pool.by_story.setdefault(story.key, []).append(text)
                pool.texts.append(text)
    for text in extra:
        pools[generator_family(text.source)].texts.append(text)
    return {family: pool for family, pool in pools.items() if pool.texts}


def detectrl_texts(rows: Sequence[dict], keep: Callable[[str], bool]) -> list[ModelText]:
    """Every DetectRL prompted model article (paired with a human row or not)."""
    out = []
    for row in rows:
        if row["label"] != "llm" or row["variant"] not in FILLER_VARIANTS or MODEL_REFUSAL.search(row["text"]):
            continue
        sentences = run_together_sentences(strip_model_preamble(row["text"])[1])
        if keep(row["id"]) and len(sentences) >= MIN_SENTENCES:
            out.append(ModelText(f"detectrl/{row['generator']}", tuple(sentences)))
    return out


def document_texts(rows: Sequence[dict], keep: Callable[[str], bool]) -> list[ModelText]:
    """SeqXGPT documents written by a model, prose only (no LaTeX, code or lists)."""
    out = []
    for row in rows:
        text = row["text"]
        if row["generator"] == "human" or not keep(row["id"]):
            continue
        if _NOT_PROSE.search(text) or len(_WORD_PAIR.findall(text)) < MIN_WORD_PAIRS:
            continue
        sentences = [s for p in _PARAGRAPHS.split(text) for s in split_sentences(p)
                     if len(s.split()) >= MIN_SENTENCE_WORDS]
        if sentences and not sentences[0][:1].isupper():
            sentences = sentences[1:]  # a document cut mid-sentence
        if len(sentences) >= MIN_SENTENCES:
            out.append(ModelText(f"seqxgpt-doc/{row['generator']}", tuple(sentences)))
    return out


def load_pools(data_dir: Path, sides: Sequence[SplitMaterial]) -> list[dict[str, FillerPool]]:
    """The filler pools of each side of the split. Texts a story already carries stay on
    its side; the others are hash-split by row id."""
    detectrl = read_jsonl(data_dir / DETECTRL_FILE)
    documents = read_jsonl(data_dir / SEQXGPT_DOCUMENT_FILE)
    carried = {text.sentences for side in sides for story in side.stories for text in story.fillers}
    pools = []
    for side in sides:
        def keep(prefix: str, split=side.split) -> Callable[[str], bool]:
            return lambda key: split.takes_key(f"{prefix}/{key}")

        extra = detectrl_texts(detectrl, keep("detectrl")) + document_texts(documents, keep("seqxgpt-doc"))
        pools.append(filler_pools(side, [text for text in extra if text.sentences not in carried]))
    return pools
