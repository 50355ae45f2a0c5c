"""Dense features on small hand-built posts."""

import numpy as np
import pytest

from detector.features import (
    DENSE_FEATURES,
    RETELLING_FEATURES,
    dense_features,
    hash_chars,
    hash_words,
    retelling_features,
)
from detector.training.corpus.vocab import TAG_HEADERS
from detector.types import Block, BlockKind

COL = {name: i for i, name in enumerate(DENSE_FEATURES)}


def _post(*texts, kinds=None):
    kinds = kinds or [BlockKind.PARAGRAPH] * len(texts)
    return [Block(t, k, i) for i, (t, k) in enumerate(zip(texts, kinds))]


def test_retelling_has_low_novelty_and_new_facts_high():
    post = _post(
        "Harbour council in Kelby approved 40 million pounds for flood barriers on Monday.",
        "Engineers from Dunmore Works will begin in March, said mayor Ruth Calder.",
        "The Kelby council approved flood barriers, and the mayor said the works will begin.",
    )
    f = dense_features(post)
    assert f[1, COL["entity_novelty"]] > 0.6
    assert f[2, COL["word_novelty"]] < 0.35
    assert f[2, COL["entity_novelty"]] < f[1, COL["entity_novelty"]]


def test_rest_of_a_post_retold_from_where_the_summary_starts():
    blocks = [
        Block("Harbour council in Kelby approved 40 million pounds for flood barriers on Monday.", BlockKind.PARAGRAPH, 0),
        Block("Engineers from Dunmore Works will begin in March, said mayor Ruth Calder of Kelby.", BlockKind.PARAGRAPH, 1),
        Block("Residents of Ashby Lane, flooded twice last winter, asked for sandbags until then.", BlockKind.PARAGRAPH, 2),
        Block("Kelby approved flood barriers worth 40 million pounds, and engineers begin in March.", BlockKind.PARAGRAPH, 3),
        Block("The mayor said residents flooded last winter will get sandbags from the council.", BlockKind.PARAGRAPH, 4),
        Block("#Kelby #flood", BlockKind.PARAGRAPH, 5),  # too short to count as prose
        Block("Kelby council approves barriers", BlockKind.PARAGRAPH, 0, post=1),
    ]
    f = retelling_features(blocks)
    assert f.shape == (7, len(RETELLING_FEATURES))
    seen = f[:, RETELLING_FEATURES.index("rest_words_seen")]
    recalled = f[:, RETELLING_FEATURES.index("earlier_words_recalled")]
    # from the summary on (row 3) most words were seen, and most of the body comes back
    assert seen[3] > 0.5 > seen[1]
    assert seen[3] > seen[2]
    assert recalled[3] > 0.5
    # nothing comes before a post's first block, and a new post starts afresh
    assert np.all(f[[0, 6]] == 0.0)


def test_hashtag_line_and_tag_anchor():
    post = _post("A story about the harbour in Kelby.", "Stay tuned.", "Tags:", "#Kelby #flood #barriers #news")
    f = dense_features(post)
    assert f[3, COL["hashtag_share"]] == 1.0
    assert f[0, COL["tail_anchor_after"]] == 1.0 and f[3, COL["tail_anchor_after"]] == 0.0


@pytest.mark.parametrize("header", sorted({*TAG_HEADERS, "Topics:", "Topics"}))
def test_every_tag_header_the_corpus_writes_is_a_tail_anchor(header):
    # the corpus builder closes posts with these headers (vocab.TAG_HEADERS, "Topics:" among
    # them); the features must see the same tag block the labels say is there
    post = _post("A story about the harbour in Kelby.", "Stay tuned.", header, "1. Kelby", "2. Floods",
                 kinds=[BlockKind.PARAGRAPH] * 3 + [BlockKind.LIST_ITEM] * 2)
    f = dense_features(post)
    assert f[2, COL["tag_form"]] == 1.0
    assert f[0, COL["tail_anchor_after"]] == 1.0 and f[1, COL["tail_anchor_after"]] == 1.0
    assert f[3, COL["in_tag_list"]] == 1.0 and f[4, COL["in_tag_list"]] == 1.0


def test_an_inline_topics_line_is_a_tail_anchor_and_a_sentence_about_topics_is_not():
    inline = dense_features(_post("A story about the harbour in Kelby.", "Topics: Kelby, floods, council"))
    assert inline[1, COL["tag_form"]] == 1.0 and inline[0, COL["tail_anchor_after"]] == 1.0
    prose = dense_features(_post("A story about the harbour in Kelby.", "Topics discussed included the harbour budget."))
    assert prose[1, COL["tag_form"]] == 0.0 and prose[0, COL["tail_anchor_after"]] == 0.0


def test_headline_overlap_and_positions_are_per_post():
    blocks = [
        Block("Kelby approves flood barriers", BlockKind.HEADING, 0, post=0),
        Block("Kelby council approved flood barriers worth 40m.", BlockKind.PARAGRAPH, 1, post=0),
        Block("Second post headline about trams", BlockKind.HEADING, 2, post=1),
    ]
    f = dense_features(blocks)
    assert f[1, COL["headline_overlap"]] > 0.5
    assert f[2, COL["relative_position"]] == 0.0 and f[2, COL["is_heading"]] == 1.0


def test_hashing_is_stable_and_per_text():
    rows, buckets = hash_words(["Kelby floods", "", "Kelby"])
    assert rows.tolist() == [0, 0, 0, 2]
    assert buckets[0] == buckets[3]
    rows, _ = hash_chars(["abcd", "", "xyz"])
    assert set(rows.tolist()) == {0, 2}  # no n-gram spans the empty text or a separator


def test_stock_commentary_is_counted_and_facts_are_not():
    post = _post(
        "Kelby council approved 40 million pounds for flood barriers on Monday.",
        "Overall, this development underscores the broader importance of resilience as the situation remains fluid.",
    )
    f = dense_features(post)
    assert f[0, COL["stock_commentary_share"]] == 0.0
    assert f[1, COL["stock_commentary_share"]] > 0.3
