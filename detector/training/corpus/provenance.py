"""What a composed corpus is made of: the shared data files with their licenses and
hashes (written beside the corpus as sources.json, so a model card can name them),
and counts of what was composed."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from detector.files import file_sha256, write_text_atomic
from detector.types import Label, post_slices

from ..dataset import LabelledPage, write_pages
from ..provenance import SOURCES_FILE
from .compose import build_corpus
from .detectrl import DETECTRL_FILE
from .fillers import SEQXGPT_DOCUMENT_FILE
from .loaders import BBC_FILE, SEQXGPT_FILE, TRAFILATURA_GOLD_FILE, WCEB_GOLD_FILE


# The shared data files the corpus is composed from, with their licenses (from
# ../shared/data/README.md); written beside the corpus so a model card can name them.
UPSTREAM_SOURCES = (
    (BBC_FILE, "BBC News 2004-05 (Greene & Cunningham, ICML 2006)", "BBC copyright, research use"),
    (DETECTRL_FILE, "DetectRL XSum (junchaoIU/DetectRL @c57c456)", "Apache-2.0"),
    (SEQXGPT_FILE, "SeqXGPT boundary (Jihuai-wpy/SeqXGPT @da2f264)", "Apache-2.0"),
    (SEQXGPT_DOCUMENT_FILE, "SeqXGPT document (Jihuai-wpy/SeqXGPT @da2f264)", "Apache-2.0"),
    (TRAFILATURA_GOLD_FILE, "trafilatura evaluation pages, English (adbar/trafilatura @e90b0ef)", "Apache-2.0 (pages are third-party)"),
    (WCEB_GOLD_FILE, "web-content-extraction-benchmark (tiptopjaw @977613a): gold, and its HTML pages extracted as real pages", "Apache-2.0 (pages are third-party)"),
)


def upstream_sources(data_dir: Path) -> list[dict]:
    """The shared data files behind a corpus: path, description, license, sha256."""
    return [
        {"path": path, "description": description, "license": license_, "sha256": file_sha256(Path(data_dir) / path)}
        for path, description, license_ in UPSTREAM_SOURCES
    ]


def post_kind(labels: set[Label]) -> str:
    """"with_filler", "tags_only" (an appendix of tags or hashtags alone) or "clean"."""
    if Label.FILLER in labels:
        return "with_filler"
    return "tags_only" if Label.HASHTAG_SPAM in labels else "clean"


def corpus_counts(pages: Sequence[LabelledPage]) -> dict:
    """Pages, blocks by label, pages by layout family and by generator family, posts
    with and without filler (posts as extraction found them)."""
    labels = Counter(str(label) for page in pages for label in page.labels)
    layouts = Counter(page.layout_family for page in pages)
    generators = Counter(page.generator for page in pages)
    posts = Counter(post_kind(set(page.labels[rows])) for page in pages for rows in post_slices(page.blocks))
    return {"pages": len(pages), "blocks_by_label": dict(sorted(labels.items())),
            "pages_by_layout_family": dict(sorted(layouts.items())),
            "pages_by_generator": dict(sorted(generators.items())), "posts": dict(sorted(posts.items()))}


def write_corpus(data_dir: Path, out_dir: Path, seed: int, n_train: int, n_heldout: int, real: bool = True,
                 jobs: int | None = None) -> dict:
    """Write train.jsonl.gz, heldout.jsonl.gz and sources.json into `out_dir`; return counts per file."""
    train, heldout = build_corpus(data_dir, seed=seed, n_train=n_train, n_heldout=n_heldout, real=real, jobs=jobs)
    out_dir = Path(out_dir)
    write_pages(out_dir / "train.jsonl.gz", train)
    write_pages(out_dir / "heldout.jsonl.gz", heldout)
    manifest = {"seed": seed, "n_train": n_train, "n_heldout": n_heldout, "upstream": upstream_sources(data_dir)}
    write_text_atomic(out_dir / SOURCES_FILE, json.dumps(manifest, indent=2) + "\n")
    return {"train": corpus_counts(train), "heldout": corpus_counts(heldout)}
