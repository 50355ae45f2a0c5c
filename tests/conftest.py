"""Shared fixtures: paths, a tiny labelled corpus written here, a model trained on it."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from detector.training.dataset import LabelledPage
from detector.types import Block, BlockKind, Label

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed pages not found at {SEEDS}")
needs_data = pytest.mark.skipif(
    not DATA.is_dir(),
    reason=f"shared data not found at {DATA} (shared/ beside the repository): the composed corpus "
    "and the real HTML pages these tests measure on come from it",
)

# A small news page of our own, used by the CLI and hostile-input tests.
ARTICLE = """<html><head><meta charset="utf-8"><title>Kelby approves flood barriers</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Kelby approves flood barriers</h1>
<p>Kelby council approved 40 million pounds for flood barriers on Monday, after the river rose twice last winter.</p>
<p>"We have waited twelve years for this," said mayor Ruth Calder, who proposed the plan in 2019.</p>
<p>Engineers from Dunmore Works will begin in March and expect to finish by the end of 2027.</p>
</article><footer>Share</footer></body></html>"""

_PEOPLE = ["Maria Lopez", "Tom Becker", "Aiko Tanaka", "Samuel Okafor", "Greta Lind", "Omar Haddad"]
_PLACES = ["Leeds", "Porto", "Osaka", "Lagos", "Malmo", "Beirut", "Denver", "Quito"]
_THINGS = ["bridge repairs", "a new hospital wing", "the tram line", "school meals", "flood barriers", "a port expansion"]
_GENERIC = [
    "The situation remains fluid, and observers will be watching closely as events continue to unfold.",
    "This development highlights the broader challenges facing communities and decision-makers alike.",
    "Experts agree that the coming weeks will be crucial in shaping what happens next.",
    "In summary, the story reflects wider trends that are likely to remain in focus for some time.",
    "Stay tuned for more updates on this developing story.",
    "Many will be hoping for a positive outcome as stakeholders weigh their options carefully.",
]
_CHROME = ["Share", "Read More", "Leave a comment", "Sign up for our newsletter", "Advertisement", "Chat Icon"]


def _reporting_paragraph(rng: random.Random) -> str:
    person, place, thing = rng.choice(_PEOPLE), rng.choice(_PLACES), rng.choice(_THINGS)
    amount, year = rng.randint(2, 950), rng.randint(1990, 2025)
    return (
        f"{person}, who leads the council in {place}, said on {rng.choice(['Monday', 'Friday', 'Tuesday'])} that "
        f"{amount} million euros would go to {thing} by {year}. \"We have waited {rng.randint(2, 30)} years for this,\" "
        f"{person.split()[0]} told reporters in {rng.choice(_PLACES)}."
    )


def tiny_pages(n: int = 40, seed: int = 0) -> list[LabelledPage]:
    """Small labelled pages: headline, reporting, sometimes an appendix and tags, chrome."""
    rng = random.Random(seed)
    pages = []
    for i in range(n):
        place = rng.choice(_PLACES)
        blocks: list[tuple[str, BlockKind, Label]] = [
            (f"{place} approves plan for {rng.choice(_THINGS)}", BlockKind.HEADING, Label.REPORTING)
        ]
        blocks += [(_reporting_paragraph(rng), BlockKind.PARAGRAPH, Label.REPORTING) for _ in range(rng.randint(2, 5))]
        if i % 2:
            blocks += [(g, BlockKind.PARAGRAPH, Label.FILLER) for g in rng.sample(_GENERIC, 2)]
            blocks.append(("Tags:", BlockKind.PARAGRAPH, Label.HASHTAG_SPAM))
            blocks.append((f"#{place} #council #plan #news #{rng.choice(['update', 'city', 'budget'])}", BlockKind.PARAGRAPH, Label.HASHTAG_SPAM))
        blocks.append((rng.choice(_CHROME), BlockKind.PARAGRAPH, Label.BOILERPLATE))
        pages.append(
            LabelledPage(
                id=f"tiny/{i}",
                blocks=tuple(Block(text, kind, index) for index, (text, kind, _) in enumerate(blocks)),
                labels=tuple(label for _, _, label in blocks),
                group=f"tiny/{i}",
            )
        )
    return pages


@pytest.fixture(scope="session")
def tiny_training():
    from detector.training.train import train_model

    return train_model(tiny_pages(), folds=2, random_state=0, min_df=1)


@pytest.fixture(scope="session")
def tiny_model_path(tmp_path_factory, tiny_training):
    from detector.model import save_model

    return save_model(tiny_training.model, tmp_path_factory.mktemp("model") / "tiny.npz")
