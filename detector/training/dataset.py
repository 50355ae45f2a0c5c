"""The labelled-page format: JSON Lines, one page per line, blocks in order.

    {"id": "bbc/business/001+gpt",            # unique page id
     "group": "bbc/business/001",             # optional: pages sharing a group never straddle a CV split
     "source": "path/or/url",                 # optional
     "html": "<html>...",                     # optional: the raw page the blocks came from
     "weight": 5.0,                           # optional: how much the page counts in training (default 1)
     "layout": "wordpress_post",              # optional: the layout a composed page was rendered in
     "layout_family": "html_single",          # optional: its family (leave-one-family-out unit)
     "generator": "chatgpt",                  # optional: the generator family of its model text ("none")
     "blocks": [{"text": "...", "kind": "heading", "post": 0, "label": "reporting"}, ...]}

`kind` (default "paragraph") and `post` (default 0) may be left out; the blocks of a
post are contiguous (a post id that comes back later is a DataError). Labels are
the four of `detector.types.Label`. Files may be gzip-compressed (`.gz`).
"""

from __future__ import annotations

import gzip
import io
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from detector.errors import DataError
from detector.files import atomic_path
from detector.types import Block, BlockKind, Label, PageResult, post_slices


@dataclass(frozen=True)
class LabelledPage:
    id: str
    blocks: tuple[Block, ...]
    labels: tuple[Label, ...]
    group: str = ""
    source: str = ""
    html: str | None = None
    weight: float = 1.0
    # Where a composed page came from, for leave-one-family-out measurement.
    layout: str = ""
    layout_family: str = ""
    generator: str = ""

    def to_json(self) -> dict:
        record: dict = {"id": self.id}
        if self.group:
            record["group"] = self.group
        if self.source:
            record["source"] = self.source
        if self.html is not None:
            record["html"] = self.html
        if self.weight != 1.0:
            record["weight"] = self.weight
        for name in ("layout", "layout_family", "generator"):
            if getattr(self, name):
                record[name] = getattr(self, name)
        record["blocks"] = [
            {"text": b.text, "kind": str(b.kind), "post": b.post, "label": str(label)}
            for b, label in zip(self.blocks, self.labels)
        ]
        return record

    @classmethod
    def of_result(cls, result: PageResult, page_id: str) -> LabelledPage:
        """A cleaned page as a labelled page, pre-filled with the labels it was given."""
        return cls(
            id=page_id,
            blocks=tuple(r.block for r in result.blocks),
            labels=tuple(r.label for r in result.blocks),
            source=result.source,
        )

    @classmethod
    def from_json(cls, record: dict, where: str = "<record>") -> LabelledPage:
        try:
            raw_blocks = record["blocks"]
            blocks, labels = [], []
            for i, raw in enumerate(raw_blocks):
                blocks.append(
                    Block(
                        text=str(raw["text"]),
                        kind=BlockKind(raw.get("kind", "paragraph")),
                        index=i,
                        post=int(raw.get("post", 0)),
                    )
                )
                labels.append(Label(raw["label"]))
            post_slices(blocks)  # a post's blocks are contiguous, or the page is refused
            return cls(
                id=str(record["id"]),
                blocks=tuple(blocks),
                labels=tuple(labels),
                group=str(record.get("group", "")),
                source=str(record.get("source", "")),
                html=record.get("html"),
                weight=_positive(record.get("weight", 1.0)),
                layout=str(record.get("layout", "")),
                layout_family=str(record.get("layout_family", "")),
                generator=str(record.get("generator", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"{where}: not a labelled page ({exc!r})") from exc


def _positive(value) -> float:
    weight = float(value)
    if not weight > 0:
        raise ValueError(f"weight must be positive, not {value!r}")
    return weight


def _open_text(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    return opener(path, "rt", encoding="utf-8")


@contextmanager
def _open_for_writing(path: str, gzipped: bool) -> Iterator[TextIO]:
    """A text handle; gzip with no name and no time in its header, so equal data gives equal bytes."""
    if not gzipped:
        with open(path, "w", encoding="utf-8") as handle:
            yield handle
        return
    with (
        open(path, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as packed,
        io.TextIOWrapper(packed, encoding="utf-8") as handle,
    ):
        yield handle


def read_pages(path: str | os.PathLike) -> Iterator[LabelledPage]:
    """Yield the pages of one labelled-page file, checking every line."""
    path = Path(path)
    try:
        with _open_text(path) as handle:
            for lineno, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                where = f"{path}:{lineno}"
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise DataError(f"{where}: invalid JSON ({exc.msg})") from exc
                yield LabelledPage.from_json(record, where)
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror or exc})") from exc


def write_pages(path: str | os.PathLike, pages: Iterable[LabelledPage]) -> int:
    """Write pages atomically (a temporary file renamed into place); return the count."""
    path = Path(path)
    count = 0
    with atomic_path(path) as tmp, _open_for_writing(tmp, gzipped=path.suffix == ".gz") as handle:
        for page in pages:
            handle.write(json.dumps(page.to_json(), ensure_ascii=False) + "\n")
            count += 1
    return count
