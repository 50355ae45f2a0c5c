"""Compose labelled training and held-out pages from the shared data.

shared data -> stories (reporting bodies, each with its same-story model texts)
            -> split into train / held-out by a FIXED rule
            -> pages laid out by a seeded RNG, every block labelled by construction.

    split.py       the fixed split and the story buckets (CV groups)
    material.py    stories, clean pages, the material of one side; reading data files
    repair.py      repairing source texts; sentences and paragraphs
    loaders.py     BBC, SeqXGPT, wceb2026 clean pages, boilerplate snippets -> the two sides
    detectrl.py    DetectRL human articles paired with their model articles
    templates.py   our own stock lines; tags, hashtags, bylines made from a story
    compose.py     laying out pages; build_corpus
    provenance.py  the data files a corpus came from (sources.json), counts; write_corpus

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

from ..provenance import DEFAULT_DATA_DIR
from .compose import build_corpus
from .detectrl import FILLER_VARIANTS, PAIR_MIN_MARGIN, PAIR_MIN_SIMILARITY, REWRITE_VARIANTS
from .provenance import UPSTREAM_SOURCES, corpus_counts, upstream_sources, write_corpus
from .repair import fix_mojibake, run_together_sentences, split_sentences, strip_model_preamble
from .split import HELDOUT_FRACTION, HELDOUT_SPLIT, TRAIN_SPLIT, CorpusSplit, stable_fraction

__all__ = [
    "DEFAULT_DATA_DIR",
    "CorpusSplit",
    "FILLER_VARIANTS",
    "HELDOUT_FRACTION",
    "HELDOUT_SPLIT",
    "PAIR_MIN_MARGIN",
    "PAIR_MIN_SIMILARITY",
    "REWRITE_VARIANTS",
    "TRAIN_SPLIT",
    "UPSTREAM_SOURCES",
    "build_corpus",
    "corpus_counts",
    "fix_mojibake",
    "run_together_sentences",
    "split_sentences",
    "stable_fraction",
    "strip_model_preamble",
    "upstream_sources",
    "write_corpus",
]
