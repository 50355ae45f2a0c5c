"""DetectRL (XSum): human articles as reporting, each paired with the model articles
written from it (filler, or its sole telling when a model rewrote it)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from .material import ModelText, Story, read_jsonl
from .repair import MODEL_REFUSAL, drop_bbc_chrome, fix_mojibake, run_together_sentences, split_run_together, strip_model_preamble
from .split import HELDOUT_SPLIT, TRAIN_SPLIT, CorpusSplit

DETECTRL_FILE = "ai-text/detectrl-xsum.jsonl.gz"

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
# What the pairing counts as a word: letters only, three or more.
_PAIR_TOKEN = r"(?u)\b[a-zA-Z]{3,}\b"

# (model row, same story?) for each human row index
Partners = dict[int, list[tuple[dict, bool]]]


def pair_model_rows(human_texts: Sequence[str], model_texts: Sequence[str]) -> list[tuple[int, float, float]]:
    """For each model text: (index of most similar human text, best cosine, second best)."""
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, token_pattern=_PAIR_TOKEN)
    matrix = vectorizer.fit_transform([split_run_together(t) for t in [*human_texts, *model_texts]])
    humans, models = matrix[: len(human_texts)], matrix[len(human_texts) :]
    similarity = (models @ humans.T).toarray()
    order = np.argsort(similarity, axis=1)
    best, second = order[:, -1], order[:, -2]
    rows = np.arange(len(model_texts))
    return list(zip(best.tolist(), similarity[rows, best].tolist(), similarity[rows, second].tolist()))


def detectrl_split_of(key: str) -> CorpusSplit:
    """The side a DetectRL story (with every model text paired with it) goes to."""
    return HELDOUT_SPLIT if HELDOUT_SPLIT.takes_key(key) else TRAIN_SPLIT


def load_detectrl_stories(data_dir: Path) -> list[tuple[Story, CorpusSplit]]:
    """DetectRL human stories with their paired model texts, and model rewrites as stories."""
    rows = read_jsonl(data_dir / DETECTRL_FILE)
    humans = [r for r in rows if r["label"] == "human"]
    models = [r for r in rows if r["label"] == "llm" and r["variant"] in FILLER_VARIANTS + REWRITE_VARIANTS
              and not MODEL_REFUSAL.search(r["text"])]
    pairs = pair_model_rows([r["text"] for r in humans], [r["text"] for r in models])
    partners = _partners(models, pairs)
    result = []
    for index, human in enumerate(humans):
        result.extend(_human_and_rewrites(human, partners[index]))
    result.extend(unpaired_rewrite_stories(models, partners))
    return result


def _partners(models: list[dict], pairs: list[tuple[int, float, float]]) -> Partners:
    """Each human row's model rows: the same story, or (filler only) a related one."""
    partners: Partners = defaultdict(list)
    for row, (best, score, second) in zip(models, pairs):
        if score >= PAIR_MIN_SIMILARITY and score - second >= PAIR_MIN_MARGIN:
            partners[best].append((row, True))
        elif score >= RELATED_MIN_SIMILARITY and row["variant"] in FILLER_VARIANTS:
            partners[best].append((row, False))
    return partners


def _human_and_rewrites(human: dict, partners: list[tuple[dict, bool]]) -> list[tuple[Story, CorpusSplit]]:
    """A human story on its side of the split, and the same-story rewrites of that side."""
    split = detectrl_split_of(human["id"])
    usable = [(row, same) for row, same in partners if row["generator"] in split.detectrl_generators]
    stories = [detectrl_human_story(human, usable)]
    stories += [rewrite_story(row, human, usable) for row, same in usable if same and row["variant"] in REWRITE_VARIANTS]
    return [(story, split) for story in stories]


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


def unpaired_rewrite_stories(models: list[dict], partners: Partners) -> list[tuple[Story, CorpusSplit]]:
    """Model rewrites whose human article is not in the data: stories of their own."""
    paired_ids = {row["id"] for rows in partners.values() for row, same in rows if same}
    result = []
    for row in models:
        if row["variant"] in REWRITE_VARIANTS and row["id"] not in paired_ids:
            split = detectrl_split_of(row["id"])
            result.append((rewrite_story(row, None, []), split))
    return result
