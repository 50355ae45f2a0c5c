"""Hashed word and character n-grams: what the first pass's TF-IDF blocks count.

Plain numpy and `re`, so the shipped model scores pages without scikit-learn; the
training pipeline wraps the same functions (`detector.training.estimator`).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np

from detector.text import squash_space

from .lexicon import DIGIT, WORD


# Hashed feature spaces. 2**18 buckets each keep collisions rare for the
# ~100k distinct n-grams a training corpus holds; the shipped model stores
# only the buckets that training actually saw.
WORD_BITS = 18
CHAR_BITS = 18
CHAR_NGRAMS = (3, 4, 5)


def normalise(text: str) -> str:
    """Lowercase, digits folded to 0, whitespace collapsed: what the n-grams see."""
    return squash_space(DIGIT.sub("0", text.lower()))


def word_tokens(normalised: str) -> list[str]:
    """Unigrams and bigrams of a normalised text."""
    words = WORD.findall(normalised)
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


def hash_words(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Word-feature buckets per text: (row ids, bucket ids), one pair per token."""
    rows: list[int] = []
    buckets: list[int] = []
    mask = (1 << WORD_BITS) - 1
    known: dict[str, int] = {}  # a page repeats its words: hash each once
    for row, text in enumerate(texts):
        tokens = word_tokens(normalise(text))
        rows.extend([row] * len(tokens))
        for token in tokens:
            bucket = known.get(token)
            if bucket is None:
                bucket = known[token] = zlib.crc32(token.encode("utf-8")) & mask
            buckets.append(bucket)
    return np.asarray(rows, dtype=np.int64), np.asarray(buckets, dtype=np.int64)


def hash_chars(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Character n-gram buckets per text, vectorised over all texts at once.

    The texts are joined with a separator, code points become a uint64 array,
    and each n-gram's bucket is a polynomial rolling hash; n-grams that would
    cross a separator are dropped.
    """
    normalised = [normalise(t) for t in texts]
    lengths = np.fromiter((len(t) for t in normalised), dtype=np.int64, count=len(normalised))
    if lengths.sum() == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    joined = "\x00".join(normalised)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    row_of = np.repeat(np.arange(len(texts), dtype=np.int64), lengths + 1)[: len(codes)]
    is_sep = codes == 0
    rows_out, buckets_out = [], []
    mask = np.uint64((1 << CHAR_BITS) - 1)
    for n in CHAR_NGRAMS:
        if len(codes) < n:
            continue
        h = np.zeros(len(codes) - n + 1, dtype=np.uint64)
        crosses = np.zeros(len(h), dtype=bool)
        for j in range(n):
            h = h * np.uint64(1_000_003) + codes[j : j + len(h)]
            crosses |= is_sep[j : j + len(h)]
        h ^= h >> np.uint64(29)
        h = (h * np.uint64(0x9E3779B97F4A7C15) + np.uint64(n)) >> np.uint64(64 - CHAR_BITS - 8)
        keep = ~crosses
        rows_out.append(row_of[: len(h)][keep])
        buckets_out.append((h[keep] & mask).astype(np.int64))
    if not rows_out:  # every text shorter than the shortest n-gram ("0")
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(rows_out), np.concatenate(buckets_out)


def vocabulary_lookup(active: np.ndarray, bits: int) -> np.ndarray:
    """A table from every bucket to its column in `active`, -1 for buckets outside it."""
    table = np.full(1 << bits, -1, dtype=np.int32)
    table[active] = np.arange(len(active), dtype=np.int32)
    return table


def count_active(rows: np.ndarray, buckets: np.ndarray, lookup: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column, count) of the hashed n-grams inside a vocabulary (see `vocabulary_lookup`).

    Buckets outside the vocabulary a model learned are dropped before anything
    else, so unknown n-grams neither score nor dilute the TF-IDF norm.
    """
    column = lookup[buckets] if len(buckets) else np.zeros(0, dtype=np.int32)
    known = column >= 0
    size = len(lookup)
    keys, counts = np.unique(rows[known] * size + column[known], return_counts=True)
    return keys // size, keys % size, counts
