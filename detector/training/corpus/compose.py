"""Building the corpus: pages planned and rendered by a seeded RNG, then extracted by
detector's own extraction and labelled by alignment, so that training and the held-out
figures see what users' pages become (structure and extraction errors included).

    material (stories, model texts, chrome snippets) -> PagePlan (labelled parts)
        -> a layout renders it (HTML or text) -> extract_blocks -> align -> LabelledPage

Each side of the split composes from its own stories, model texts, chrome snippets and
layouts; real wceb2026 pages of that side are added as they are (`real.py`).
"""

from __future__ import annotations

import multiprocessing
import os
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from detector.extraction import extract_blocks
from detector.reading import decode_page

from ..dataset import LabelledPage
from .align import align
from .fillers import FillerPool, load_pools
from .layouts import Layout, Rendered, layouts_of_side, render
from .loaders import load_material
from .material import SplitMaterial, Story
from .plan import PagePlan, plan_aggregator, plan_story_page
from .real import real_pages
from .split import story_bucket

# Pages extracted per worker task: large enough to amortise the hand-over.
_CHUNK = 16


@dataclass(frozen=True)
class Composed:
    """A rendered page waiting for extraction."""

    page_id: str
    group: str
    plan: PagePlan
    rendered: Rendered


def compose_side(material: SplitMaterial, pools: dict[str, FillerPool], layouts: Sequence[Layout], n_pages: int,
                 rng: random.Random) -> list[Composed]:
    """`n_pages` pages of one side: a layout, a story bucket (the CV group), a plan, rendered."""
    buckets: dict[str, list[Story]] = defaultdict(list)
    for story in material.stories:
        buckets[story_bucket(material.split, story.key)].append(story)
    names = sorted(buckets)
    out = []
    for n in range(n_pages):
        layout = rng.choice(layouts)
        group = rng.choice(names)
        if layout.kind == "aggregator":
            plan = plan_aggregator(material, buckets[group], pools, rng)
        else:
            plan = plan_story_page(material, buckets[group], layout.kind, pools, rng)
        out.append(Composed(f"{material.split.name}/{n:05d}", group, plan, render(plan, layout, rng)))
    return out


def labelled_page(composed: Composed) -> LabelledPage | None:
    """What extraction makes of a rendered page, each block labelled by alignment."""
    rendered = composed.rendered
    blocks = extract_blocks(decode_page(rendered.document, composed.page_id, is_html=rendered.is_html))
    if not blocks:
        return None
    labels = tuple(aligned.label for aligned in align(rendered.parts, blocks))
    return LabelledPage(id=composed.page_id, blocks=tuple(blocks), labels=labels, group=composed.group,
                        source="+".join(composed.plan.sources), layout=rendered.layout,
                        layout_family=rendered.family, generator=composed.plan.generator)


def extract_all(composed: Sequence[Composed], jobs: int) -> list[LabelledPage]:
    if jobs <= 1 or len(composed) < 2 * _CHUNK:
        results = [labelled_page(c) for c in composed]
    else:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            results = pool.map(labelled_page, composed, chunksize=_CHUNK)
    return [page for page in results if page is not None]


def build_corpus(
    data_dir: Path, *, seed: int = 0, n_train: int, n_heldout: int, real: bool = True, jobs: int | None = None
) -> tuple[list[LabelledPage], list[LabelledPage]]:
    """Compose (train pages, held-out pages) from the shared data; the same seed, the same pages.

    Each side draws from its own RNG, so 0 pages of one side leave the other side's
    pages exactly as they are (the quality floors compose the held-out side alone).
    With `real`, a side that composes pages also gets its real wceb2026 pages.
    """
    jobs = jobs or min(os.cpu_count() or 1, 4)
    sides = load_material(Path(data_dir))
    pools = load_pools(Path(data_dir), sides)
    out = []
    for material, side_pools, n_pages in zip(sides, pools, (n_train, n_heldout)):
        layouts = layouts_of_side(material.split.heldout_side)
        composed = compose_side(material, side_pools, layouts, n_pages, random.Random(f"{seed}/{material.split.name}"))
        pages = extract_all(composed, jobs)
        if real and n_pages:
            pages += list(real_pages(Path(data_dir), material.split))
        out.append(pages)
    return out[0], out[1]
