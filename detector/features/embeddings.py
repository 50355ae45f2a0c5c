"""A compact word-embedding table, numpy only: what a block means, as one vector.

The table is distilled from wordllama's 256-dimension token embeddings (MIT) at
build time by `detector.training.embeddings`: each word of the shared data's text
gets the sum of its wordllama token embeddings (wordllama embeds a text as the mean
of its tokens, so a text's vector is the sum of its words' sums, up to a scale that
cosine ignores), projected on the leading singular directions and stored as int8
directions with a float16 length per word. Cleaning reads it with numpy alone, never
imports wordllama and never touches the network; it loads lazily, once per process.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path

import numpy as np

from detector.errors import ModelError

TABLE_FILE = "embeddings.npz"  # in the shipped models/, beside the default model
TABLE_CARD = "embeddings.card.json"  # its card: provenance, parameters, fidelity, the table's sha256
# Words as the table keys them: letters first (numbers say nothing semantic here),
# lowercased; the build script reads text with this same pattern.
TABLE_WORD = re.compile(r"[^\W\d_][\w'’\-]*")


@dataclass(frozen=True)
class EmbeddingTable:
    """Words and their vectors: `directions` int8 (n_words, dims), `lengths` float16."""

    words: tuple[str, ...]
    directions: np.ndarray
    lengths: np.ndarray

    @classmethod
    def load(cls, path: str | os.PathLike | None = None) -> EmbeddingTable:
        """The table in a .npz (the shipped one by default); plain arrays, no pickle."""
        where = shipped_path() if path is None else Path(path)
        try:
            with np.load(where, allow_pickle=False) as data:
                words = bytes(data["words"]).decode("utf-8").split("\n")
                directions, lengths = data["directions"], data["lengths"]
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"{where}: cannot read the embedding table ({exc})") from exc
        if directions.dtype != np.int8 or len(words) != len(directions) or len(lengths) != len(words):
            raise ModelError(f"{where}: embedding table arrays do not agree")
        return cls(tuple(words), directions, lengths)

    @property
    def dims(self) -> int:
        return int(self.directions.shape[1])

    @cached_property
    def index(self) -> dict[str, int]:
        return dict(zip(self.words, range(len(self.words))))

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        """The vectors of the words `ids`: each int8 direction scaled to its length (only
        the words asked for are decoded; a page uses a few hundred of the table's)."""
        directions = self.directions[ids].astype(np.float32)
        norms = np.sqrt(np.einsum("ij,ij->i", directions, directions))
        return directions * (self.lengths[ids].astype(np.float32) / np.maximum(norms, 1e-6))[:, None]

    def embed(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(unit vectors, words found) per text; a text with no known word gets zeros."""
        index = self.index
        rows: list[int] = []
        ids: list[int] = []
        for number, text in enumerate(texts):
            for word in TABLE_WORD.findall(text.lower()):
                found = index.get(word)
                if found is not None:
                    rows.append(number)
                    ids.append(found)
        row, word = np.asarray(rows, dtype=np.int64), np.asarray(ids, dtype=np.int64)
        vectors = self.vectors(word)  # rows ascend, so each text's words are a run
        found_per_text = np.bincount(row, minlength=len(texts))
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        if len(row):
            starts = np.concatenate([[0], np.cumsum(found_per_text)[:-1]])
            nonempty = found_per_text > 0
            out[nonempty] = np.add.reduceat(vectors, starts[nonempty], axis=0)
        norm = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norm, 1e-6), found_per_text


def shipped_path() -> Path:
    """The shipped table: inside the installed package, or `models/` of a checkout
    (where `detector.model.artifact.model_dir` finds the default model too)."""
    packaged = resources.files("detector") / "models" / TABLE_FILE
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "models" / TABLE_FILE


def shipped_table_sha256() -> str:
    """The shipped table's sha256 as its card records it (a model card names the table it
    was trained with; reading the card does not load the table)."""
    try:
        return str(json.loads(shipped_path().with_name(TABLE_CARD).read_text(encoding="utf-8"))["sha256"])
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"{shipped_path().with_name(TABLE_CARD)}: cannot read the embedding table's card ({exc})") from exc


@cache
def shipped_table() -> EmbeddingTable:
    """The shipped table, loaded on first use and kept for the process."""
    return EmbeddingTable.load()
