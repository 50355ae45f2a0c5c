"""The fixed train / held-out split: which BBC categories and hash-split keys (story
ids, passage groups, HTML pages, model texts) each side may use, and the story buckets
that are the CV groups. (Which layouts each side renders in: `layouts.HELDOUT_LAYOUTS`.)"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

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


# Every generator on both sides: the held-out side measures unseen stories, sites and
# layouts; unseen generators are measured by leaving each family out in turn
# (`detector.training.families`), so that no generator is withheld from the shipped model.
DETECTRL_GENERATORS = frozenset({"ChatGPT", "Google-PaLM", "Claude-instant", "Llama-2-70b"})
SEQXGPT_GENERATORS = frozenset({"gpt2", "gptneo", "gptj", "llama", "gpt-3.5-turbo"})
TRAIN_SPLIT = CorpusSplit(
    name="train",
    bbc_categories=frozenset({"business", "entertainment", "politics"}),
    detectrl_generators=DETECTRL_GENERATORS,
    seqxgpt_generators=SEQXGPT_GENERATORS,
    heldout_side=False,
)
HELDOUT_SPLIT = CorpusSplit(
    name="heldout",
    bbc_categories=frozenset({"sport", "tech"}),
    detectrl_generators=DETECTRL_GENERATORS,
    seqxgpt_generators=SEQXGPT_GENERATORS,
    heldout_side=True,
)

# Stories are bucketed so that an archive page draws all its posts from one bucket: the
# bucket is the page's CV group. 24 per side leave enough groups for 5-fold grouped CV.
GROUP_BUCKETS = 24
_HASH_BYTES = 8  # of the sha256 digest that make a stable fraction


def stable_fraction(key: str) -> float:
    """A number in [0, 1) fixed by `key` alone (the same on every machine and run)."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:_HASH_BYTES], "big") / 2 ** (8 * _HASH_BYTES)


def story_bucket(split: CorpusSplit, key: str) -> str:
    """The CV group of a story: one of GROUP_BUCKETS per side, fixed by the story key."""
    return f"{split.name}/{int(stable_fraction('bucket:' + key) * GROUP_BUCKETS):02d}"
