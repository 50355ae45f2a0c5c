"""The composed corpus: deterministic, split as documented, labelled by construction."""

from __future__ import annotations

import gzip
import json
from collections import defaultdict

import pytest

from detector.training import corpus
from detector.training.corpus import HELDOUT_SPLIT, TRAIN_SPLIT, build_corpus, write_corpus
from detector.training.dataset import read_pages, write_pages
from detector.types import Label

from .conftest import DATA as DATA_DIR
from .conftest import needs_data

# sha256 of the key, its first 8 bytes over 2**64 (computed by hand, not by the code under test)
STABLE_FRACTION_BBC_SPORT_001 = 0.7860547931009071
STABLE_FRACTION_X = 0.17750681999964502

ALL_GENERATORS = {
    "train": TRAIN_SPLIT.detectrl_generators | TRAIN_SPLIT.seqxgpt_generators,
    "heldout": HELDOUT_SPLIT.detectrl_generators | HELDOUT_SPLIT.seqxgpt_generators,
}


@pytest.fixture(scope="module")
def pages():
    if not DATA_DIR.is_dir():
        pytest.skip(f"shared data not found at {DATA_DIR}")
    return build_corpus(DATA_DIR, seed=7, n_train=400, n_heldout=200)


def generators_named(source: str) -> set[str]:
    """Generator names that appear in a page source such as "detectrl-human+detectrl/ChatGPT"."""
    parts = source.replace("+", "/").replace("~", "/").split("/")
    return set(parts) & (ALL_GENERATORS["train"] | ALL_GENERATORS["heldout"])


def posts_of(page):
    by_post = defaultdict(list)
    for block, label in zip(page.blocks, page.labels):
        by_post[block.post].append((block, label))
    return by_post.values()


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


def test_split_sides_share_no_generator_or_category():
    assert not TRAIN_SPLIT.detectrl_generators & HELDOUT_SPLIT.detectrl_generators
    assert not TRAIN_SPLIT.seqxgpt_generators & HELDOUT_SPLIT.seqxgpt_generators
    assert not TRAIN_SPLIT.bbc_categories & HELDOUT_SPLIT.bbc_categories


# --- the composed corpus ----------------------------------------------------------


@needs_data
def test_same_seed_same_bytes_other_seed_other_pages(tmp_path):
    first = build_corpus(DATA_DIR, seed=3, n_train=60, n_heldout=30)
    second = build_corpus(DATA_DIR, seed=3, n_train=60, n_heldout=30)
    other = build_corpus(DATA_DIR, seed=4, n_train=60, n_heldout=30)
    paths = [tmp_path / f"{name}.jsonl" for name in ("first", "second", "other")]
    for path, (train, heldout) in zip(paths, (first, second, other)):
        write_pages(path, train + heldout)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[0].read_bytes() != paths[2].read_bytes()


def test_requested_page_counts_and_unique_ids(pages):
    train, heldout = pages
    assert (len(train), len(heldout)) == (400, 200)
    ids = [p.id for p in train + heldout]
    assert len(ids) == len(set(ids))
    assert all(p.group and p.source for p in train + heldout)


def test_no_heldout_generator_or_group_in_training(pages):
    train, heldout = pages
    train_generators = set().union(*(generators_named(p.source) for p in train))
    heldout_generators = set().union(*(generators_named(p.source) for p in heldout))
    assert train_generators and train_generators <= ALL_GENERATORS["train"]
    assert heldout_generators and heldout_generators <= ALL_GENERATORS["heldout"]
    assert not {p.group for p in train} & {p.group for p in heldout}


def test_no_story_or_filler_text_in_both_sides(pages):
    train, heldout = pages

    def texts(side, label):
        return {b.text for p in side for b, l in zip(p.blocks, p.labels) if l is label and len(b.text) > 80}

    assert not texts(train, Label.REPORTING) & texts(heldout, Label.REPORTING)
    assert not texts(train, Label.FILLER) & texts(heldout, Label.FILLER)


def test_filler_only_after_the_reporting_of_its_post(pages):
    for page in pages[0] + pages[1]:
        for post in posts_of(page):
            reporting = [b.index for b, l in post if l is Label.REPORTING]
            filler = [b.index for b, l in post if l is Label.FILLER]
            if filler:
                assert reporting, page.id
                assert max(reporting) < min(filler), page.id


def test_clean_posts_make_up_a_large_share(pages):
    posts = [post for page in pages[0] for post in posts_of(page)]
    clean = [p for p in posts if not any(l in (Label.FILLER, Label.HASHTAG_SPAM) for _, l in p)]
    assert 0.3 <= len(clean) / len(posts) <= 0.7


def test_every_label_occurs_on_both_sides(pages):
    for side in pages:
        assert {l for p in side for l in p.labels} == set(Label)


def test_hashtag_lines_are_hashtag_spam(pages):
    hashtag_lines = [
        (b, l) for page in pages[0] + pages[1] for b, l in zip(page.blocks, page.labels)
        if b.text.startswith("#") and b.text.count("#") >= 3
    ]
    assert hashtag_lines
    assert all(l is Label.HASHTAG_SPAM for _, l in hashtag_lines)


def test_clean_real_pages_are_reporting_and_boilerplate_only(pages):
    clean = [p for p in pages[0] + pages[1] if p.source.startswith("wceb2026")]
    assert clean
    assert all(set(p.labels) <= {Label.REPORTING, Label.BOILERPLATE} for p in clean)


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
    assert any(l is Label.REPORTING and any(s in t for s in rewrite_sentences) for t, l in blocks[:4000])
    filler = [t for t, l in blocks if l is Label.FILLER]
    assert not [t for t in filler if any(s in t for s in rewrite_sentences)]


@needs_data
def test_write_corpus_writes_both_files_and_counts(tmp_path):
    counts = write_corpus(DATA_DIR, tmp_path, seed=1, n_train=30, n_heldout=10)
    assert counts["train"]["pages"] == 30 and counts["heldout"]["pages"] == 10
    assert len(list(read_pages(tmp_path / "train.jsonl.gz"))) == 30
    assert len(list(read_pages(tmp_path / "heldout.jsonl.gz"))) == 10
    assert sum(counts["train"]["blocks_by_label"].values()) > 30
