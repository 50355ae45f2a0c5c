"""The semantic retelling features and the shipped embedding table they read."""

import json
import socket

import numpy as np
import pytest

from detector.features import (
    RETELLING_FEATURES, SEMANTIC_FEATURES, SECOND_PASS_FEATURES, PageText, block_context_features, semantic_features,
)
from detector.features import embeddings
from detector.features.embeddings import EmbeddingTable, shipped_path, shipped_table
from detector.files import file_sha256
from detector.types import Block, BlockKind

COL = {name: i for i, name in enumerate(SEMANTIC_FEATURES)}
HEADLINE = "Drones strike aviation plant in Smolensk"
BODY = (
    "Ukrainian drones attacked an aviation plant in the Russian city of Smolensk overnight, "
    "the regional governor said, and a fire broke out in one of its workshops.",
    "Air defences shot down several of the drones over the region, the defence ministry in Moscow said, "
    "but debris fell on the factory grounds.",
    "Emergency crews put out the blaze by morning and no one was hurt, according to the governor.",
)
RETELLING = ("In a recent development, an aircraft factory in western Russia was targeted by unmanned "
             "aerial vehicles during the night, leading to a blaze at the facility.")
UNRELATED = ("Whisk the eggs with sugar until pale, fold in the flour and bake the sponge in a "
             "moderate oven for twenty minutes before adding the cream.")


def _post(*texts, post=0):
    return [Block(HEADLINE, BlockKind.HEADING, 0, post=post)] + [
        Block(text, BlockKind.PARAGRAPH, i + 1, post=post) for i, text in enumerate(texts)]


def test_shape_and_names_reach_the_second_pass():
    blocks = _post(*BODY, RETELLING)
    f = semantic_features(blocks)
    assert f.shape == (len(blocks), len(SEMANTIC_FEATURES))
    own = block_context_features(PageText(blocks))
    assert own.shape == (len(blocks), len(RETELLING_FEATURES) + len(SEMANTIC_FEATURES))
    assert SECOND_PASS_FEATURES[-len(SEMANTIC_FEATURES):] == SEMANTIC_FEATURES
    assert semantic_features([]).shape == (0, len(SEMANTIC_FEATURES))


def test_short_blocks_and_missing_context_are_neutral():
    blocks = _post(*BODY, "Read more", "Tags: drones, Smolensk")
    f = semantic_features(blocks)
    assert np.isnan(f[0]).all()  # the headline itself: a heading, compared with nothing
    assert np.isnan(f[4]).all() and np.isnan(f[5]).all()  # under six words: no evidence
    first = f[1]  # the first prose block: no headline missing, but nothing earlier
    assert not np.isnan(first[COL["headline_similarity"]])
    assert np.isnan(first[[COL["earlier_similarity_max"], COL["previous_similarity"], COL["rest_recover"]]]).all()
    assert np.isnan(f[1:3, COL["lead_similarity"]]).all()  # the lead is not compared with itself
    no_headline = semantic_features([Block(t, BlockKind.PARAGRAPH, i) for i, t in enumerate(BODY)])
    assert np.isnan(no_headline[:, COL["headline_similarity"]]).all()
    assert np.isfinite(f[3, [COL["earlier_similarity_max"], COL["rest_recover"]]]).all()


def test_a_retelling_scores_higher_than_text_on_another_topic():
    retold = semantic_features(_post(*BODY, RETELLING))[-1]
    other = semantic_features(_post(*BODY, UNRELATED))[-1]
    for name in ("headline_similarity", "lead_similarity", "earlier_similarity_max",
                 "earlier_similarity_mean", "rest_recover"):
        assert retold[COL[name]] > other[COL[name]] + 0.1, name
    # in new words: the lexical recall is low, so the meaning's re-covering gains over it
    assert retold[COL["recover_gain"]] > other[COL["recover_gain"]]


def test_previous_similarity_is_the_block_before():
    f = semantic_features(_post(BODY[0], UNRELATED, UNRELATED))
    assert f[3, COL["previous_similarity"]] == pytest.approx(1.0, abs=1e-3)  # the same text again
    assert f[2, COL["previous_similarity"]] < 0.5


def test_posts_are_compared_only_within_themselves():
    page = _post(*BODY) + [Block(UNRELATED, BlockKind.PARAGRAPH, 0, post=1),
                           Block(BODY[0], BlockKind.PARAGRAPH, 1, post=1)]
    f = semantic_features(page)
    # the second post's first block has nothing earlier in its post, however like the first post
    assert np.isnan(f[4, COL["earlier_similarity_max"]])
    assert f[5, COL["earlier_similarity_max"]] < 0.5


def test_loading_never_touches_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the embedding table tried to open a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    shipped_table.cache_clear()
    try:
        f = semantic_features(_post(*BODY, RETELLING))
    finally:
        shipped_table.cache_clear()
    assert np.isfinite(f[-1, COL["lead_similarity"]])


def test_shipped_table_is_plain_arrays_and_matches_its_card():
    with np.load(shipped_path(), allow_pickle=False) as data:
        assert data["directions"].dtype == np.int8 and data["lengths"].dtype == np.float16
        assert data["words"].dtype == np.uint8
    table = EmbeddingTable.load(shipped_path())
    card = json.loads(shipped_path().with_name("embeddings.card.json").read_text(encoding="utf-8"))
    assert card["sha256"] == file_sha256(shipped_path())
    assert (len(table.words), table.dims) == (card["vocabulary"]["words"], card["dims"])
    assert shipped_path().stat().st_size < 6 * 1024 * 1024  # a few MB: it ships in the wheel


def test_table_is_loaded_once_per_process():
    shipped_table.cache_clear()
    assert shipped_table() is shipped_table()


def test_a_broken_table_is_a_model_error(tmp_path):
    from detector.errors import ModelError

    bad = tmp_path / "embeddings.npz"
    np.savez(bad, words=np.frombuffer(b"a\nb", dtype=np.uint8), directions=np.zeros((3, 4), np.int8),
             lengths=np.ones(3, np.float16))
    with pytest.raises(ModelError, match="do not agree"):
        EmbeddingTable.load(bad)
    assert embeddings.TABLE_FILE == shipped_path().name


def test_a_model_trained_with_another_table_is_refused(tmp_path):
    from detector.errors import ModelError
    from detector.model import check_card, compatibility_fields

    card = compatibility_fields()
    assert card["embedding_table_sha256"] == file_sha256(shipped_path())
    check_card(card, tmp_path / "m.joblib")  # the same table: accepted
    with pytest.raises(ModelError, match="another embedding table"):
        check_card({**card, "embedding_table_sha256": "0" * 64}, tmp_path / "m.joblib")
