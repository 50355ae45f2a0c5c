"""Where training data came from, for a model card: each file's name and sha256, and
for a composed corpus the shared data files it was composed from (its manifest)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from detector.files import file_sha256

# Where the shared data sits, seen from the repository root: the default of
# `detector corpus`, the Makefile and the bench scripts.
DEFAULT_DATA_DIR = Path("../shared/data")
# Written beside a composed corpus by `detector corpus` (see `corpus.provenance`).
SOURCES_FILE = "sources.json"


def data_source(path: str | os.PathLike) -> dict:
    """A training file for the model card: its hash, and what a composed corpus was made from."""
    path = Path(path)
    source: dict = {"path": path.name, "sha256": file_sha256(path)}
    manifest = path.parent / SOURCES_FILE
    if path.name.startswith("train.") and manifest.is_file():
        source["composed_from"] = json.loads(manifest.read_text(encoding="utf-8"))
    return source
