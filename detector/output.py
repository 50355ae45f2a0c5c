"""Output: a cleaned page rendered as text or JSON, and the output file an input gets.

The CLI writes with these; a library user building a batch of their own gets the
same files and names.
"""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePath

from .types import PageResult

FORMATS = ("text", "json", "jsonl")


def render(result: PageResult, fmt: str) -> str:
    """The page as its output file holds it: the clean text ("text"), or every block
    with its verdict as indented JSON ("json"); each ends in a newline (empty text: "")."""
    if fmt == "text":
        return result.text + "\n" if result.text else ""
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"


def json_line(result: PageResult) -> str:
    """The page as one JSON Lines record (no newline)."""
    return json.dumps(result.to_dict(), ensure_ascii=False)


def output_path(outdir: str | os.PathLike, relative: PurePath, fmt: str) -> Path:
    """OUTDIR/<relative path with .gz and the page suffix replaced by .txt or .json>."""
    name = relative.name
    if name.endswith(".gz"):
        name = name[: -len(".gz")]
    stem = PurePath(name).stem if PurePath(name).suffix else name
    return Path(outdir) / relative.parent / (stem + (".txt" if fmt == "text" else ".json"))
