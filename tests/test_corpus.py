"""The composed corpus: deterministic, split as documented, labelled by construction and
carried over to what extraction makes of the rendered pages."""

from __future__ import annotations

import gzip
import itertools
import json
import random

import pytest

from detector.training import corpus
from detector.training.corpus import HELDOUT_SPLIT, TRAIN_SPLIT, build_corpus, write_corpus
from detector.training.dataset import read_pages, write_pages
from detector.training.corpus.align import align
from detector.training.corpus.fillers import FAMILIES, load_pools
from detector.training.corpus.layouts import HELDOUT_LAYOUTS
from detector.training.corpus.loaders import load_material
from detector.training.corpus.plan import Part, Role, plan_story_page
from detector.training.corpus.real import real_pages
from detector.types import Block, BlockKind, Label, post_slices

from .conftest import DATA as DATA_DIR
from .conftest import needs_data

# sha256 of the key, its first 8 bytes over 2**64 (computed by hand, not by the code under test)
STABLE_FRACTION_BBC_SPORT_001 = 0.7860547931009071
STABLE_FRACTION_X = 0.17750681999964502

# --- small helpers, no data needed ------------------------------------------------


def test_run_together_sentences_are_split_at_lost_breaks():
    text = "reprise the roles two decades ago.An online trailer sets a date.Trainspotting is based on a tale."
    assert corpus.run_together_sentences(text) == [
        "reprise the roles two decades ago.",
        "An online trailer sets a date.",
        "Trainspotting is based on a tale.",
    ]


def test_run_together_split_keeps_names_and_initials():
    text = "Ewan McGregor joined the U.S.Army band at the PlayStation launch."
    assert corpus.run_together_sentences(text) == [text]


def test_title_run_into_first_sentence_is_split():
    title, text = corpus.strip_model_preamble(
        "Here is a 6 sentence news article based on the summary:Title: Bus Removed From BeachIn an impressive operation, a bus was lifted."
    )
    assert title == "Bus Removed From Beach"
    assert text == "In an impressive operation, a bus was lifted."


def test_mojibake_pound_sign_is_repaired():
    assert corpus.fix_mojibake("$1.13bn (Â£600m)") == "$1.13bn (£600m)"


def test_stable_fraction_is_fixed_by_key():
    # pinned values: the split must be the same on every machine, run and Python version
    assert corpus.stable_fraction("bbc/sport/001") == STABLE_FRACTION_BBC_SPORT_001
    assert corpus.stable_fraction("x") == STABLE_FRACTION_X
    assert 0 <= corpus.stable_fraction("x") < 1


def test_split_sides_share_no_category_and_every_generator_is_on_both():
    assert not TRAIN_SPLIT.bbc_categories & HELDOUT_SPLIT.bbc_categories
    assert TRAIN_SPLIT.detectrl_generators == HELDOUT_SPLIT.detectrl_generators
    assert TRAIN_SPLIT.seqxgpt_generators == HELDOUT_SPLIT.seqxgpt_generators


# --- the composed corpus ----------------------------------------------------------


@pytest.fixture(scope="module")
def pages():
    if not DATA_DIR.is_dir():
        pytest.skip(f"shared data not found at {DATA_DIR}")
    return build_corpus(DATA_DIR, seed=7, n_train=300, n_heldout=150, real=False)


@needs_data
def test_same_seed_same_bytes_other_seed_other_pages(tmp_path):
    runs = [build_corpus(DATA_DIR, seed=seed, n_train=30, n_heldout=15, real=False) for seed in (3, 3, 4)]
    paths = [tmp_path / f"{n}.jsonl" for n in range(3)]
    for path, (train, heldout) in zip(paths, runs):
        write_pages(path, train + heldout)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[0].read_bytes() != paths[2].read_bytes()


def test_pages_carry_their_families_and_unique_ids(pages):
    train, heldout = pages
    assert 0.95 * 300 <= len(train) <= 300 and 0.95 * 150 <= len(heldout) <= 150  # a page extraction empties is dropped
    ids = [p.id for p in train + heldout]
    assert len(ids) == len(set(ids))
    assert all(p.group and p.source and p.layout and p.layout_family and p.generator for p in train + heldout)
    assert {p.generator for p in train} - {"none", "mixed"} == set(FAMILIES)


def test_heldout_side_uses_layouts_stories_and_groups_training_never_sees(pages):
    train, heldout = pages
    assert {p.layout for p in heldout} <= HELDOUT_LAYOUTS
    assert not {p.layout for p in train} & HELDOUT_LAYOUTS
    assert {p.layout_family for p in heldout} == {p.layout_family for p in train}
    assert not {p.group for p in train} & {p.group for p in heldout}

    def texts(side, label):
        return {b.text for p in side for b, l in zip(p.blocks, p.labels) if l is label and len(b.text) > 80}

    assert not texts(train, Label.REPORTING) & texts(heldout, Label.REPORTING)
    assert not texts(train, Label.FILLER) & texts(heldout, Label.FILLER)


def test_every_label_occurs_on_both_sides(pages):
    for side in pages:
        assert {l for p in side for l in p.labels} == set(Label)


def test_hashtag_lines_are_hashtag_spam(pages):
    lines = [(b, l) for page in pages[0] + pages[1] for b, l in zip(page.blocks, page.labels)
             if b.text.startswith("#") and b.text.count("#") >= 3]
    assert lines and all(l is Label.HASHTAG_SPAM for _, l in lines)


def test_clean_posts_make_up_a_large_share(pages):
    posts = [page.labels[rows] for page in pages[0] for rows in post_slices(page.blocks)]
    clean = [p for p in posts if not {Label.FILLER, Label.HASHTAG_SPAM} & set(p)]
    assert 0.3 <= len(clean) / len(posts) <= 0.8


@needs_data
def test_paraphrase_rows_are_never_filler(pages):
    with gzip.open(DATA_DIR / "ai-text" / "detectrl-xsum.jsonl.gz", "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]

    def sentences(variants):
        return {
            s for r in rows if r["variant"] in variants
            for s in corpus.run_together_sentences(corpus.strip_model_preamble(r["text"])[1]) if len(s) > 60
        }

    # A rewrite may keep sentences of the prompted article it rewrote; those may be filler.
    rewrite_sentences = sentences(corpus.REWRITE_VARIANTS) - sentences(corpus.FILLER_VARIANTS)
    blocks = [(b.text, l) for p in pages[0] + pages[1] for b, l in zip(p.blocks, p.labels)]
    assert any(l is Label.REPORTING and any(s in t for s in rewrite_sentences) for t, l in blocks)
    assert not [t for t, l in blocks if l is Label.FILLER and any(s in t for s in rewrite_sentences)]


@needs_data
def test_plans_append_filler_after_the_story_and_rewrites_are_reporting():
    sides = load_material(DATA_DIR)
    pools = load_pools(DATA_DIR, sides)
    rng = random.Random(5)
    bucket = list(sides[0].stories)
    for _ in range(60):
        plan = plan_story_page(sides[0], bucket, "archive", pools[0], rng)
        for post in plan.posts:
            labels = [p.label for p in post.parts]
            if Label.FILLER in labels:
                last_reporting = max(i for i, label in enumerate(labels) if label is Label.REPORTING)
                assert last_reporting < labels.index(Label.FILLER)
        assert plan.generator in set(FAMILIES) | {"none"}


@needs_data
def test_real_pages_are_reporting_where_the_gold_says_and_chrome_elsewhere():
    real = list(itertools.islice(real_pages(DATA_DIR, HELDOUT_SPLIT), 12))
    assert len(real) == 12
    assert all(set(p.labels) <= {Label.REPORTING, Label.BOILERPLATE} for p in real)
    labels = [l for p in real for l in p.labels]
    assert labels.count(Label.REPORTING) > labels.count(Label.BOILERPLATE) > 0
    assert all(p.layout_family == "real_article" and HELDOUT_SPLIT.takes_key(p.source) for p in real)


@needs_data
def test_write_corpus_writes_both_files_and_counts(tmp_path):
    counts = write_corpus(DATA_DIR, tmp_path, seed=1, n_train=30, n_heldout=10, real=False)
    assert counts["train"]["pages"] == len(list(read_pages(tmp_path / "train.jsonl.gz"))) > 25
    assert counts["heldout"]["pages"] == len(list(read_pages(tmp_path / "heldout.jsonl.gz"))) > 8
    assert sum(counts["train"]["pages_by_layout_family"].values()) == counts["train"]["pages"]


# --- alignment ----------------------------------------------------------------------


def test_alignment_carries_labels_over_merged_split_and_dropped_parts():
    parts = [Part("Council approves budget", Label.REPORTING, Role.HEADLINE),
             Part("The council approved the budget on Monday after a long debate.", Label.REPORTING, Role.PARAGRAPH),
             Part("Share", Label.BOILERPLATE, Role.CHROME),
             Part("In a recent development, the council approved the budget.", Label.FILLER, Role.PARAGRAPH),
             Part("budget", Label.HASHTAG_SPAM, Role.TAG_ITEM)]
    blocks = [Block("Council approves budget", BlockKind.HEADING),
              Block("The council approved the budget on Monday after a long debate."),
              Block("In a recent development, the council approved the budget."),
              Block("1. budget", BlockKind.LIST_ITEM),
              Block("Text from nowhere")]
    assert [a.label for a in align(parts, blocks)] == [
        Label.REPORTING, Label.REPORTING, Label.FILLER, Label.HASHTAG_SPAM, Label.BOILERPLATE]
