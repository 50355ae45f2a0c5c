"""The shipped model: linear block scorer plus segmenter parameters, numpy only.

A model file is a joblib dump of plain numpy arrays and a card (a dict, also
written beside it as `<name>.card.json`). Loading never imports scikit-learn:
scikit-learn only trains (see `detector.training`), and a test checks that this
scorer and the scikit-learn pipeline it was compiled from give equal
probabilities.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, fields
from functools import cached_property
from importlib import resources
from pathlib import Path

import joblib
import numpy as np

from .errors import ModelError
from .files import atomic_path, write_text_atomic
from .features import (
    APPENDIX_FEATURES,
    CHAR_BITS,
    DENSE_FEATURES,
    SECOND_PASS_FEATURES,
    WORD_BITS,
    count_active,
    dense_features,
    hash_chars,
    hash_words,
    second_pass_features,
    vocabulary_lookup,
)
from .types import LABELS, Block

# Bumped whenever the arrays a model file holds change meaning. A model of
# another format is refused with a message, never half-loaded.
MODEL_FORMAT = 4
DEFAULT_MODEL = "default"


@dataclass(frozen=True)
class HashedTfidf:
    """The learned part of one hashed TF-IDF feature block: its bucket vocabulary."""

    bits: int
    buckets: np.ndarray  # sorted bucket ids kept in training (the vocabulary)
    idf: np.ndarray  # idf of those buckets
    coef: np.ndarray  # (n_labels, len(buckets))

    @cached_property
    def lookup(self) -> np.ndarray:
        return vocabulary_lookup(self.buckets, self.bits)

    def scores(self, rows: np.ndarray, buckets: np.ndarray, n_rows: int) -> np.ndarray:
        """Class scores contributed by this block, for `n_rows` texts (sublinear tf, l2 norm)."""
        out = np.zeros((len(self.coef), n_rows))
        row, column, counts = count_active(rows, buckets, self.lookup)
        if len(row) == 0:
            return out
        weight = (1.0 + np.log(counts)) * self.idf[column]
        norm = np.sqrt(np.bincount(row, weights=weight**2, minlength=n_rows))
        weight = weight / norm[row]
        for k in range(len(self.coef)):
            out[k] = np.bincount(row, weights=self.coef[k, column] * weight, minlength=n_rows)
        return out


@dataclass(frozen=True)
class Segmenter:
    """Learned transitions between labels inside a post, and the appendix gate."""

    start: np.ndarray  # log P(first label of a post)
    transitions: np.ndarray  # log P(label_t | label_t-1), rows = previous
    # The appendix gate: a linear score over `segment.APPENDIX_FEATURES` of a post's
    # proposed filler run; below the threshold the post keeps everything.
    appendix_coef: np.ndarray
    appendix_intercept: float
    appendix_threshold: float


@dataclass(frozen=True)
class ContextLayer:
    """Second pass: gradient-boosted trees over `second_pass_features` (a block's
    first-pass probabilities beside its neighbours' and its post's, and its dense
    features).

    The trees of scikit-learn's HistGradientBoostingClassifier, stored flat: tree t
    adds its leaf value to the score of label `t % n_labels`, node arrays are padded
    to the largest tree, and a leaf is its own child, so walking `depth` steps from
    the root lands every block on its leaf. A split sends `x <= threshold` left, and
    a missing value (NaN) the way `missing_left` says.
    """

    baseline: np.ndarray  # (n_labels,) raw score before any tree
    feature: np.ndarray  # (n_trees, n_nodes) feature index of each split
    threshold: np.ndarray  # (n_trees, n_nodes)
    missing_left: np.ndarray  # (n_trees, n_nodes) bool
    left: np.ndarray  # (n_trees, n_nodes) child node indices
    right: np.ndarray
    value: np.ndarray  # (n_trees, n_nodes) leaf values
    depth: int

    @cached_property
    def _flat(self) -> tuple[np.ndarray, ...]:
        """The node arrays as one flat array each; `children[2 * node + goes_right]` is
        where a split sends a row (measured: a fifth faster than choosing between
        separate left and right arrays)."""
        offsets = np.arange(len(self.feature)) * self.feature.shape[1]
        left = (self.left + offsets[:, None]).ravel()
        right = (self.right + offsets[:, None]).ravel()
        return (
            self.feature.ravel().astype(np.intp),
            self.threshold.ravel(),
            self.missing_left.ravel(),
            np.stack([left, right], axis=1).ravel(),
            self.value.ravel(),
            left == np.arange(len(left)),  # a leaf is its own child
            offsets,
        )

    def predict_proba(self, table: np.ndarray) -> np.ndarray:
        """Label probabilities for rows of `second_pass_features`."""
        feature, threshold, missing_left, children, value, is_leaf, offsets = self._flat
        n_rows, n_columns = table.shape
        cells = np.ascontiguousarray(table).ravel()
        has_missing = bool(np.isnan(cells).any())
        # one walker per (tree, row), starting at the tree's root; only walkers
        # not yet on a leaf take a step (most trees are far shallower than the deepest)
        node = np.repeat(offsets, n_rows)
        row_start = np.tile(np.arange(n_rows) * n_columns, len(offsets))
        walking = np.flatnonzero(~is_leaf[node])
        for _ in range(self.depth):
            if not len(walking):
                break
            at = node[walking]
            x = cells[row_start[walking] + feature[at]]
            goes_right = ~(x <= threshold[at])
            if has_missing:
                goes_right = np.where(np.isnan(x), ~missing_left[at], goes_right)
            at = children[2 * at + goes_right]
            node[walking] = at
            walking = walking[~is_leaf[at]]
        n_labels = len(self.baseline)
        leaves = value[node].reshape(-1, n_labels, n_rows)
        return softmax(leaves.sum(axis=0).T + self.baseline)


@dataclass(frozen=True)
class Model:
    words: HashedTfidf
    chars: HashedTfidf
    dense_mean: np.ndarray
    dense_scale: np.ndarray
    dense_coef: np.ndarray  # (n_labels, n_dense)
    intercept: np.ndarray
    temperature: float
    context: ContextLayer
    segmenter: Segmenter
    card: dict

    def predict_proba(self, blocks: Sequence[Block]) -> np.ndarray:
        """Label probabilities, one row per block, columns in `LABELS` order."""
        if not blocks:
            return np.zeros((0, len(LABELS)))
        dense = dense_features(blocks)
        first_pass = self._first_pass(blocks, dense)
        return self.context.predict_proba(second_pass_features(blocks, first_pass, dense))

    def block_proba(self, blocks: Sequence[Block]) -> np.ndarray:
        """First pass: each block on its own (with its post-level dense features), calibrated."""
        if not blocks:
            return np.zeros((0, len(LABELS)))
        return self._first_pass(blocks, dense_features(blocks))

    def _first_pass(self, blocks: Sequence[Block], dense: np.ndarray) -> np.ndarray:
        texts = [b.text for b in blocks]
        n = len(texts)
        scaled = (dense - self.dense_mean) / self.dense_scale
        logits = (
            self.words.scores(*hash_words(texts), n)
            + self.chars.scores(*hash_chars(texts), n)
            + self.dense_coef @ scaled.T
        ).T + self.intercept
        return softmax(logits / self.temperature)


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


# --- files ---------------------------------------------------------------------------


def _arrays(model: Model) -> dict:
    def tfidf(t: HashedTfidf) -> dict:
        return {"bits": t.bits, "buckets": t.buckets, "idf": t.idf, "coef": t.coef}

    seg = model.segmenter
    return {
        "words": tfidf(model.words),
        "chars": tfidf(model.chars),
        "dense_mean": model.dense_mean,
        "dense_scale": model.dense_scale,
        "dense_coef": model.dense_coef,
        "intercept": model.intercept,
        "temperature": model.temperature,
        "context": {f.name: getattr(model.context, f.name) for f in fields(ContextLayer)},
        "segmenter": {
            "start": seg.start,
            "transitions": seg.transitions,
            "appendix_coef": seg.appendix_coef,
            "appendix_intercept": seg.appendix_intercept,
            "appendix_threshold": seg.appendix_threshold,
        },
    }


def save_model(model: Model, path: str | os.PathLike) -> Path:
    """Write the model atomically, and its card beside it as JSON."""
    path = Path(path)
    with atomic_path(path) as tmp:
        joblib.dump({"card": model.card, "arrays": _arrays(model)}, tmp, compress=3)
    write_text_atomic(card_path_for(path), json.dumps(model.card, indent=2, sort_keys=True) + "\n")
    return path


def card_path_for(path: Path) -> Path:
    return path.with_name(path.name.removesuffix(".joblib") + ".card.json")


def model_dir() -> Path:
    """Where named models ship: `models/` at the repository root, or inside the installed package."""
    packaged = resources.files("detector") / "models"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "models"


def available_models() -> list[str]:
    return sorted(p.name.removesuffix(".joblib") for p in model_dir().glob("*.joblib"))


def resolve_model_path(name_or_path: str | os.PathLike | None) -> Path:
    """A model name from `models/` or a path to a `.joblib` file; unknown names list the choices."""
    if name_or_path is None:
        name_or_path = DEFAULT_MODEL
    candidate = Path(name_or_path)
    if candidate.suffix == ".joblib" or candidate.exists():
        if not candidate.is_file():
            raise ModelError(f"model file {candidate} does not exist")
        return candidate
    named = model_dir() / f"{name_or_path}.joblib"
    if not named.is_file():
        choices = ", ".join(available_models()) or "none installed"
        raise ModelError(f"unknown model {str(name_or_path)!r}; available models: {choices}")
    return named


def load_model(name_or_path: str | os.PathLike | None = None) -> Model:
    """Load a named or a file model, refusing one whose card does not match this version."""
    path = resolve_model_path(name_or_path)
    try:
        stored = joblib.load(path)
        card, arrays = stored["card"], stored["arrays"]
    except Exception as exc:  # a corrupt or foreign file: joblib raises many kinds
        raise ModelError(f"{path}: not a detector model ({type(exc).__name__}: {exc})") from exc
    check_card(card, path)
    return _model_from(arrays, card)


def check_card(card: dict, path: Path) -> None:
    fmt = card.get("format")
    if fmt != MODEL_FORMAT:
        raise ModelError(
            f"{path}: model format {fmt!r} is not supported by this detector (it reads format "
            f"{MODEL_FORMAT}); retrain it with `detector train` (model trained with "
            f"scikit-learn {card.get('versions', {}).get('scikit-learn', '?')})"
        )
    if tuple(card.get("labels", ())) != tuple(str(label) for label in LABELS):
        raise ModelError(f"{path}: model labels {card.get('labels')} differ from {[str(x) for x in LABELS]}")
    features = (card.get("dense_features"), card.get("second_pass_features"), card.get("appendix_features"))
    if tuple(map(tuple, (f or () for f in features))) != (DENSE_FEATURES, SECOND_PASS_FEATURES, APPENDIX_FEATURES):
        raise ModelError(f"{path}: model was trained on other features; retrain it with `detector train`")
    if card.get("word_bits") != WORD_BITS or card.get("char_bits") != CHAR_BITS:
        raise ModelError(f"{path}: model was trained with other hashing sizes; retrain it with `detector train`")


def _model_from(arrays: dict, card: dict) -> Model:
    seg = arrays["segmenter"]
    return Model(
        words=HashedTfidf(**arrays["words"]),
        chars=HashedTfidf(**arrays["chars"]),
        dense_mean=arrays["dense_mean"],
        dense_scale=arrays["dense_scale"],
        dense_coef=arrays["dense_coef"],
        intercept=arrays["intercept"],
        temperature=float(arrays["temperature"]),
        context=ContextLayer(**arrays["context"]),
        segmenter=Segmenter(
            start=seg["start"],
            transitions=seg["transitions"],
            appendix_coef=seg["appendix_coef"],
            appendix_intercept=float(seg["appendix_intercept"]),
            appendix_threshold=float(seg["appendix_threshold"]),
        ),
        card=card,
    )


def file_sha256(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
