"""Model files hold data only: `.npz` read without pickle, joblib files refused unless
converted on purpose, and a hostile pickle posing as a model runs nothing."""

from __future__ import annotations

import pickle
import subprocess
import sys
from dataclasses import replace

import joblib
import numpy as np
import pytest
from click.testing import CliRunner

from detector.cli import main
from detector.errors import ModelError
from detector.extraction import extract_blocks
from detector.model import load_model, save_model
from detector.model.artifact import model_arrays
from detector.model.legacy import read_trusted_joblib_model
from detector.reading import decode_page

from .conftest import ARTICLE, FIXTURES


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)), catch_exceptions=False)


class _CreatesFile:
    """Unpickling this opens (creates) `marker`: code a model file must never get to run."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return open, (self.marker, "w")


def hostile_pickle(marker) -> bytes:
    return pickle.dumps({"card": {"format": 4}, "arrays": _CreatesFile(marker)})


def fixture_pages() -> list:
    pages = sorted(p for p in (FIXTURES / "pages").iterdir() if p.suffix in (".html", ".txt"))
    return [extract_blocks(decode_page(p.read_bytes(), p.name)) for p in pages]


def test_the_hostile_pickle_does_run_code_when_unpickled(tmp_path):
    # what the tests below rely on: loading this payload the old way would create the marker
    marker = tmp_path / "ran"
    pickle.loads(hostile_pickle(marker))
    assert marker.exists()


@pytest.mark.parametrize("name", ["evil.npz", "evil.joblib", "evil"])
def test_clean_with_a_hostile_model_file_runs_nothing_and_fails_clearly(tmp_path, name):
    marker, model, page = tmp_path / "ran", tmp_path / name, tmp_path / "a.html"
    model.write_bytes(hostile_pickle(marker))
    page.write_text(ARTICLE, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "detector", "clean", str(page), "--model", str(model)],
                          capture_output=True, text=True, timeout=60)
    assert not marker.exists()
    assert done.returncode == 2
    assert str(model) in done.stderr and "Traceback" not in done.stderr
    assert ("not a detector model" in done.stderr) if name != "evil.joblib" else ("detector convert" in done.stderr)


@pytest.mark.parametrize("shipped", ["evil.npz", "evil.joblib"])
def test_a_hostile_file_under_a_model_name_runs_nothing(tmp_path, monkeypatch, shipped):
    models, marker = tmp_path / "models", tmp_path / "ran"
    models.mkdir()
    (models / shipped).write_bytes(hostile_pickle(marker))
    monkeypatch.setattr("detector.model.artifact.model_dir", lambda: models)
    page = tmp_path / "a.html"
    page.write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # the name, not a file called "evil" here
    result = run("clean", page, "--model", "evil")
    assert not marker.exists()
    assert result.exit_code == 2
    assert str(models / shipped) in result.output


def test_an_npz_archive_holding_a_pickled_array_runs_nothing(tmp_path):
    marker, model = tmp_path / "ran", tmp_path / "evil.npz"
    payload = np.empty(1, dtype=object)
    payload[0] = _CreatesFile(marker)
    np.savez(model, **{"card.json": np.array("{}"), "words.coef": payload})  # numpy pickles object arrays
    with pytest.raises(ModelError, match=f"{model}: not a detector model"):
        load_model(model)
    assert not marker.exists()


def test_loading_a_model_imports_neither_joblib_nor_scikit_learn(tiny_model_path):
    code = (
        "import sys, detector; d = detector.Detector(sys.argv[1]); d.clean(sys.argv[2]); "
        "print(sorted(m for m in ('joblib', 'sklearn') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tiny_model_path), ARTICLE],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_joblib_model_is_refused_with_the_conversion_command(tmp_path, tiny_training):
    old = tmp_path / "mine.joblib"
    joblib.dump({"card": tiny_training.model.card, "arrays": model_arrays(tiny_training.model)}, old)
    with pytest.raises(ModelError, match=f"detector convert {old} -o {tmp_path / 'mine.npz'} --trusted"):
        load_model(old)


def test_convert_refuses_without_trusted_and_says_why(tmp_path, tiny_training):
    old = tmp_path / "mine.joblib"
    joblib.dump({"card": tiny_training.model.card, "arrays": model_arrays(tiny_training.model)}, old)
    result = run("convert", old)
    assert result.exit_code == 2
    assert "runs whatever code it holds" in result.output and "--trusted" in result.output
    assert not (tmp_path / "mine.npz").exists()


def test_a_converted_model_gives_the_joblib_models_probabilities(tmp_path, tiny_training):
    model = tiny_training.model
    old = tmp_path / "mine.joblib"
    joblib.dump({"card": model.card, "arrays": model_arrays(model)}, old, compress=3)  # as save_model did
    result = run("convert", old, "--trusted")
    assert result.exit_code == 0, result.output
    converted, legacy = load_model(tmp_path / "mine.npz"), read_trusted_joblib_model(old)
    for blocks in fixture_pages():
        expected = legacy.predict_proba(blocks)
        assert np.array_equal(converted.predict_proba(blocks), expected)
        assert np.array_equal(model.predict_proba(blocks), expected)
    assert converted.card == legacy.card == model.card
    # the same bytes as the model saved directly, and the same card beside it
    direct = save_model(model, tmp_path / "direct.npz")
    assert (tmp_path / "mine.npz").read_bytes() == direct.read_bytes()
    assert (tmp_path / "mine.card.json").read_text() == (tmp_path / "direct.card.json").read_text()


def test_convert_notes_a_model_this_detector_cannot_use(tmp_path, tiny_training):
    model = tiny_training.model
    old = tmp_path / "stale.joblib"
    joblib.dump({"card": {**model.card, "dense_features": ["gone"]}, "arrays": model_arrays(model)}, old)
    result = run("convert", old, "-o", tmp_path / "out" / "fresh.npz", "--trusted")
    assert result.exit_code == 0
    assert (tmp_path / "out" / "fresh.npz").is_file()
    assert "note:" in result.output and "trained on other features" in result.output


def test_a_model_file_stores_arrays_with_their_dtypes(tiny_model_path, tiny_training):
    with np.load(tiny_model_path, allow_pickle=False) as archive:
        assert archive["words.coef"].dtype == np.float32
        assert archive["context.left"].dtype == np.int16
        assert archive["words.coef"].shape == tiny_training.model.words.coef.shape
    assert tiny_model_path.with_name("tiny.card.json").is_file()


def _tfidf_fields(tfidf) -> list:
    return [tfidf.bits, tfidf.buckets, tfidf.idf, tfidf.coef]


@pytest.mark.parametrize("shape", ["trained", "unsorted buckets", "an idf per bucket"])
def test_a_tfidf_block_reads_back_exactly_however_it_was_stored(tmp_path, tiny_training, shape):
    # the vocabulary is stored as a bit set and the idf as codes where they can be, plainly otherwise
    model = tiny_training.model
    words = model.words
    if shape == "unsorted buckets":  # a bit set would reorder them
        words = replace(words, buckets=words.buckets[::-1].copy(), idf=words.idf[::-1].copy(), coef=words.coef[:, ::-1].copy())
    elif shape == "an idf per bucket":  # more distinct values than 16-bit codes hold
        n = 70_000
        words = replace(words, bits=17, buckets=np.arange(n, dtype=np.int32), idf=np.linspace(1, 9, n, dtype=np.float32),
                        coef=np.zeros((len(words.coef), n), dtype=np.float32))
    path = save_model(replace(model, words=words), tmp_path / "m.npz")
    with np.load(path, allow_pickle=False) as archive:
        stored = set(archive.files)
    assert ("words.bucket_set" in stored) == (shape != "unsorted buckets")
    assert ("words.idf_codes" in stored) == (shape != "an idf per bucket")
    for wrote, read in zip(_tfidf_fields(words), _tfidf_fields(load_model(path).words)):
        assert np.asarray(read).dtype == np.asarray(wrote).dtype and np.array_equal(read, wrote)


def test_save_model_refuses_another_suffix(tmp_path, tiny_training):
    with pytest.raises(ValueError, match=".npz"):
        save_model(tiny_training.model, tmp_path / "m.joblib")
