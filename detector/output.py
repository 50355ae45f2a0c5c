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


def page_header(source: str) -> str:
    """The line that opens each page when several pages share stdout as text (as `head` does)."""
    return f"==> {source} <=="


def output_path(outdir: str | os.PathLike, relative: PurePath, fmt: str) -> Path:
    """OUTDIR/<relative path with .gz and the page suffix replaced by .txt or .json>."""
    return Path(outdir) / relative.parent / (_output_stem(relative.name) + (".txt" if fmt == "text" else ".json"))


def _output_stem(name: str) -> str:
    """The name without .gz and its page suffix: always a prefix of `name`."""
    if name.endswith(".gz"):
        name = name[: -len(".gz")]
    return PurePath(name).stem if PurePath(name).suffix else name


class OutputNames:
    """The output paths of one batch, each given to one input only.

    `a.html`, `a.txt` and `a.htm.gz` in one folder, or `a/index.html` and `b/index.html`
    given as two files, would all write the same file, and the last would win. The
    first input keeps the plain name; each later one gets `~2`, `~3`... before its
    suffix (`a~2.txt`). The batch's order is fixed (arguments as given, folders sorted),
    so a re-run with --skip-existing gives every input the name it had.
    """

    def __init__(self, outdir: str | os.PathLike, fmt: str):
        self.outdir, self.fmt = Path(outdir), fmt
        self._taken: set[Path] = set()

    def claim(self, relative: PurePath) -> tuple[PurePath, Path | None]:
        """The relative path to write this input under, and the output path it would
        have taken from an earlier input (None when it had no collision)."""
        wanted = output_path(self.outdir, relative, self.fmt)
        chosen, number = relative, 1
        while output_path(self.outdir, chosen, self.fmt) in self._taken:
            number += 1
            stem = _output_stem(relative.name)
            chosen = relative.with_name(f"{stem}~{number}{relative.name[len(stem):]}")
        self._taken.add(output_path(self.outdir, chosen, self.fmt))
        return chosen, (wanted if chosen != relative else None)


def output_overlaps_input(outdir: str | os.PathLike, input_path: str | os.PathLike) -> str | None:
    """Why the output folder cannot take this input's pages, or None: it is the input
    folder, lies inside it (the walk would read the outputs), or holds the input (an
    output could overwrite a page still to be read)."""
    out, source = Path(outdir).resolve(), Path(input_path).resolve()
    if out == source:
        return f"the output folder {outdir} is the input folder {input_path}"
    if out.is_relative_to(source):
        return f"the output folder {outdir} is inside the input folder {input_path}"
    if source.is_relative_to(out):
        return f"the output folder {outdir} holds the input {input_path}"
    return None
