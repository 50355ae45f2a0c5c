"""The material pages are composed from: stories (a reporting body with model texts
about it), chrome snippets, and the reading of the shared data files."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

from detector.errors import DataError

from .split import CorpusSplit


@dataclass(frozen=True)
class ModelText:
    """A model-written telling of a story, raw material of filler."""

    source: str  # "detectrl/ChatGPT", "seqxgpt/gpt2", "detectrl/ChatGPT~related"
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Story:
    """One telling of one story: what becomes a post's reporting body.

    `paragraphs` are ready paragraphs; `sentences` (used when there are no paragraphs)
    are regrouped per page. `fillers` are model texts about the same story.
    """

    key: str  # story id: the unit of the split and of CV grouping
    source: str  # "bbc", "detectrl-human", "detectrl-rewrite/ChatGPT", "seqxgpt-human", ...
    headline: str | None
    paragraphs: tuple[str, ...] = ()
    sentences: tuple[str, ...] = ()
    fillers: tuple[ModelText, ...] = ()
    topic: str = ""


@dataclass(frozen=True)
class SplitMaterial:
    """Everything one side of the split may compose pages from."""

    split: CorpusSplit
    stories: tuple[Story, ...]
    boilerplate: tuple[str, ...]  # real "without" snippets of the HTML gold sets


def read_jsonl(path: Path) -> list[dict]:
    """Rows of a gzip JSON Lines data file; DataError names a missing or bad file."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except FileNotFoundError:
        raise DataError(f"{path}: corpus data file not found") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(f"{path}: cannot read corpus data ({exc})") from exc
