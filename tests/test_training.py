"""Train -> save -> load -> predict on a tiny corpus, and the numpy scorer against scikit-learn."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from detector.training.dataset import read_pages, write_pages
from detector.errors import ModelError
from detector.model import load_model, save_model, softmax
from detector.pipeline import Detector
from detector.training.context import BOOSTING
from detector.training.table import FeatureTable
from detector.training.segmenter import CLEAN_LOSS_ALLOWED
from detector.training.train import train_model
from detector.types import Label

from .conftest import tiny_pages


def test_numpy_scorer_equals_the_sklearn_first_pass(tiny_training):
    pages = tiny_pages(10, seed=7)
    X = FeatureTable.of(pages).first_pass_input()
    expected = softmax(tiny_training.first_pass.decision_function(X) / tiny_training.model.temperature)
    got = np.vstack([tiny_training.model.block_proba(p.blocks) for p in pages])
    np.testing.assert_allclose(got, expected, atol=1e-6)


def test_compiled_trees_equal_the_sklearn_boosted_classifier():
    from sklearn.ensemble import HistGradientBoostingClassifier

    from detector.training.compile import compile_trees

    rng = np.random.default_rng(0)
    table = rng.normal(size=(600, 6))
    table[rng.random(table.shape) < 0.05] = np.nan  # missing values take their learned side
    y = (table[:, 0] > 0).astype(int) + 2 * (np.nan_to_num(table[:, 1]) * table[:, 2] > 0.3)
    boosted = HistGradientBoostingClassifier(max_iter=40, max_leaf_nodes=15, random_state=0).fit(table, y)
    compiled = compile_trees(boosted)
    np.testing.assert_allclose(compiled.predict_proba(table), boosted.predict_proba(table), atol=1e-9)
    complete = np.nan_to_num(table)  # no missing values: the walk skips the missing-value branch
    np.testing.assert_allclose(compiled.predict_proba(complete), boosted.predict_proba(complete), atol=1e-9)


def test_saved_model_loads_and_predicts_the_same(tiny_training, tiny_model_path):
    loaded = load_model(tiny_model_path)
    page = tiny_pages(1, seed=3)[0]
    np.testing.assert_allclose(loaded.predict_proba(page.blocks), tiny_training.model.predict_proba(page.blocks))
    card = json.loads(tiny_model_path.with_name("tiny.card.json").read_text())
    assert card["labels"] == [str(label) for label in Label]
    assert card["versions"]["scikit-learn"]
    # how to train it again: the second pass's and the appendix gate's settings too
    assert card["training"]["second_pass"]["max_iter"] == BOOSTING["max_iter"]
    assert card["training"]["clean_loss_allowed"] == CLEAN_LOSS_ALLOWED


def test_tiny_model_separates_the_labels(tiny_model_path):
    detector = Detector(tiny_model_path)
    page = tiny_pages(2, seed=11)[1]  # odd pages carry an appendix
    result = detector.label(page.blocks)
    assert [r.label for r in result.blocks] == list(page.labels)
    assert result.text.splitlines()[0] == page.blocks[0].text


def test_training_is_reproducible(tmp_path):
    pages = tiny_pages(16, seed=5)
    first = save_model(train_model(pages, folds=2, random_state=0).model, tmp_path / "a.npz")
    second = save_model(train_model(pages, folds=2, random_state=0).model, tmp_path / "b.npz")
    assert first.read_bytes() == second.read_bytes()


def test_labelled_pages_round_trip(tmp_path):
    pages = tiny_pages(3)
    write_pages(tmp_path / "pages.jsonl.gz", pages)
    assert list(read_pages(tmp_path / "pages.jsonl.gz")) == pages


def test_training_refuses_data_missing_a_label():
    pages = [p for p in tiny_pages(10) if Label.FILLER not in p.labels]
    with pytest.raises(ValueError, match="filler"):
        train_model(pages, folds=2)


def test_loader_refuses_a_model_of_another_format(tiny_training, tmp_path):
    model = tiny_training.model
    old = replace(model, card={**model.card, "format": 999, "versions": {"scikit-learn": "0.24.2"}})
    save_model(old, tmp_path / "old.npz")
    with pytest.raises(ModelError, match="format 999 is not supported.*0.24.2"):
        load_model(tmp_path / "old.npz")


def test_loader_names_the_choices_for_an_unknown_model():
    with pytest.raises(ModelError, match="unknown model 'nope'; available models:"):
        load_model("nope")


def test_loader_refuses_a_file_that_is_not_a_model(tmp_path):
    bogus = tmp_path / "bogus.npz"
    bogus.write_bytes(b"not a pickle")
    with pytest.raises(ModelError, match="not a detector model"):
        load_model(bogus)
