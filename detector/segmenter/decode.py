"""Decoding a page: each post on its own (sequence decoding, then the appendix gate),
then every block's verdict: label, segment, and the reason it was dropped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from detector.types import LABELS, Block, BlockResult, Label, Segment, post_slices

from .gate import AppendixGate, appendix_features, gate_path
from .viterbi import propose, sections

_REPORTING = Label.REPORTING.column
_PROBABILITY_DIGITS = 4  # as BlockResult.probabilities show them


@dataclass(frozen=True)
class Segmenter:
    """Learned transitions between labels inside a post, and the appendix gate."""

    start: np.ndarray  # log P(first label of a post)
    transitions: np.ndarray  # log P(label_t | label_t-1), rows = previous
    gate: AppendixGate


def decode_post(probabilities: np.ndarray, segmenter: Segmenter, caution: float = 0.0,
                texts: Sequence[str] | None = None) -> np.ndarray:
    """Label indices for one post (its blocks' `texts` tell where a new story starts):
    sequence decoding, then the appendix gate."""
    path = propose(probabilities, segmenter.start, segmenter.transitions, texts)
    return gate_path(path, appendix_features(probabilities, path), segmenter.gate, caution)


def decode_labels(
    probabilities: np.ndarray, blocks: Sequence[Block], segmenter: Segmenter, caution: float = 0.0
) -> np.ndarray:
    """Label indices for a page's blocks, each post decoded on its own."""
    path = np.empty(len(blocks), dtype=np.int64)
    for rows in post_slices(blocks):
        path[rows] = decode_post(probabilities[rows], segmenter, caution, [b.text for b in blocks[rows]])
    return path


def label_blocks(
    blocks: Sequence[Block], probabilities: np.ndarray, segmenter: Segmenter, caution: float = 0.0
) -> tuple[BlockResult, ...]:
    """The segmenter's verdict for every block: label, segment, and why it was dropped."""
    if not blocks:
        return ()
    path = decode_labels(probabilities, blocks, segmenter, caution)
    segments = _segments(blocks, path)
    results = []
    for i, block in enumerate(blocks):
        label = LABELS[path[i]]
        probs = {str(name): round(float(p), _PROBABILITY_DIGITS) for name, p in zip(LABELS, probabilities[i])}
        results.append(
            BlockResult(
                block=block,
                label=label,
                probabilities=probs,
                segment=segments[i],
                reason=_reason(label, segments[i], probabilities[i]),
            )
        )
    return tuple(results)


def pass_through(results: Sequence[BlockResult]) -> tuple[BlockResult, ...]:
    """The verdicts for a page the model cannot read (another language): its filler and
    boilerplate kept, tag lists still dropped (their form is the same in every language),
    segments found again; the model's probabilities stay."""
    kept = (Label.FILLER, Label.BOILERPLATE)
    path = np.array([_REPORTING if r.label in kept else r.label.column for r in results], dtype=np.int64)
    segments = _segments([r.block for r in results], path)
    return tuple(replace(r, label=LABELS[path[i]], segment=segments[i], reason=None if r.label in kept else r.reason)
                 for i, r in enumerate(results))


def _segments(blocks: Sequence[Block], path: np.ndarray) -> list[Segment]:
    """Everything after a section's last reporting block is its post's appendix."""
    segments = [Segment.BODY] * len(blocks)
    for post in post_slices(blocks):
        for part in sections(path[post], [b.text for b in blocks[post]]):
            rows = range(post.start + part.start, post.start + part.stop)
            reporting = np.flatnonzero(path[rows.start:rows.stop] == _REPORTING)
            for row in rows[reporting[-1] + 1 if len(reporting) else 0:]:
                segments[row] = Segment.APPENDIX
    return segments


_WHY = {
    Label.FILLER: "a second telling or generic padding, not the story itself",
    Label.HASHTAG_SPAM: "a tag list, hashtag line or keyword stuffing",
    Label.BOILERPLATE: "site chrome that survived extraction",
}


def _reason(label: Label, segment: Segment, probabilities: np.ndarray) -> str | None:
    if label is Label.REPORTING:
        return None
    p = probabilities[label.column]
    alone = LABELS[int(np.argmax(probabilities))]
    reason = f"{label}: {_WHY[label]} ({segment} of its post, p={p:.2f})"
    if alone is not label:
        reason += f"; on its own it scored {alone} {probabilities.max():.2f}, its post's sequence decided"
    return reason
