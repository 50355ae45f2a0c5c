"""Carry the labels of a composed page's parts over to the blocks extraction made of it.

Both sides are word sequences in document order: the parts as written, the blocks as
extracted (extraction drops parts, merges some, splits others, adds list numbers).
A longest-matching-blocks alignment (difflib) maps each extracted word to the part it
came from; a block takes the label most of its matched words carry.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol
from difflib import SequenceMatcher

from detector.types import Block, Label

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Aligned:
    label: Label
    matched: float  # share of the block's words found in some part
    purity: float  # share of the matched words that carry `label`
    part: int | None  # the part most of its words came from


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class Labelled(Protocol):
    @property
    def text(self) -> str: ...

    @property
    def label(self) -> Label: ...


def align(parts: Sequence[Labelled], blocks: Sequence[Block]) -> list[Aligned]:
    """One `Aligned` per block; a block none of whose words is found is boilerplate."""
    part_words, part_of = _numbered_words(p.text for p in parts)
    block_words, block_of = _numbered_words(b.text for b in blocks)
    source = [-1] * len(block_words)
    matcher = SequenceMatcher(None, part_words, block_words, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            source[b + k] = part_of[a + k]
    per_block: list[Counter[int]] = [Counter() for _ in blocks]
    totals = Counter(block_of)
    for position, part in enumerate(source):
        if part >= 0:
            per_block[block_of[position]][part] += 1
    out = []
    for number, counts in enumerate(per_block):
        total = totals.get(number, 0)
        if not counts:
            out.append(Aligned(Label.BOILERPLATE, 0.0, 0.0, None))
            continue
        by_label: Counter[Label] = Counter()
        for part, count in counts.items():
            by_label[parts[part].label] += count
        label, count = by_label.most_common(1)[0]
        matched = sum(counts.values())
        out.append(Aligned(label, matched / max(total, 1), count / matched, counts.most_common(1)[0][0]))
    return out


def _numbered_words(texts: Iterable[str]) -> tuple[list[str], list[int]]:
    """All the words of the texts in order, and the number of the text each came from."""
    all_words: list[str] = []
    text_of: list[int] = []
    for number, text in enumerate(texts):
        found = words(text)
        all_words += found
        text_of += [number] * len(found)
    return all_words, text_of
