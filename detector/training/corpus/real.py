"""Real pages as training and held-out pages: the wceb2026 set's HTML, extracted by
detector's own extraction, each block labelled against the page's gold main text
(in it: reporting; not in it: boilerplate). These are the chrome real sites leak
through extraction, which composed pages only imitate."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path

from detector.extraction import extract_blocks
from detector.reading import decode_page
from detector.types import Block, Label

from ..dataset import LabelledPage
from .layouts import REAL_FAMILY
from .material import read_jsonl
from .split import CorpusSplit

WCEB_DIR = "html/wceb2026-articles"
_WORD = re.compile(r"\w+")
NGRAM = 4
# A block of at least NGRAM words is main text when this share of its word 4-grams is
# in the gold; a shorter one when it is a whole line of the gold (or of its title).
MIN_GOLD_SHARE = 0.5


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _ngrams(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + NGRAM]) for i in range(len(words) - NGRAM + 1)}


def gold_labels(blocks: list[Block], main_content: str, title: str) -> list[Label]:
    gold = _ngrams(_words(main_content))
    lines = {" ".join(_words(line)) for line in [*main_content.splitlines(), title] if line.strip()}
    labels = []
    for block in blocks:
        words = _words(block.text)
        if len(words) >= NGRAM:
            grams = _ngrams(words)
            in_gold = len(grams & gold) >= MIN_GOLD_SHARE * len(grams)
        else:
            in_gold = bool(words) and " ".join(words) in lines
        labels.append(Label.REPORTING if in_gold else Label.BOILERPLATE)
    return labels


def real_pages(data_dir: Path, split: CorpusSplit) -> Iterator[LabelledPage]:
    """The wceb2026 pages of one side of the split, extracted and labelled."""
    folder = Path(data_dir) / WCEB_DIR
    for row in read_jsonl(folder / "gold.jsonl.gz"):
        key = f"wceb2026/{row['file_id']}"
        path = folder / "pages" / f"{row['file_id']}.html.gz"
        if not split.takes_key(key) or not path.is_file():
            continue
        page = decode_page(gzip.decompress(path.read_bytes()), key)
        blocks = extract_blocks(page)
        if blocks:
            yield LabelledPage(id=f"{split.name}/{key}", blocks=tuple(blocks),
                               labels=tuple(gold_labels(blocks, row["main_content"], row.get("title") or "")),
                               group=key, source=key, layout=REAL_FAMILY, layout_family=REAL_FAMILY,
                               generator="none")
